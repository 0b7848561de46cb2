"""``seccoop diff``: what changed in the annotations, as a reviewer reads it.

Two records, two folders (paired by file name) or the records at two git revisions are compared
layer by layer: mentions, clusters, values, events, event arguments and quotes. Items are matched
by what they annotate (their spans), not by their ids, so renumbered ids are not changes. Every
change quotes its text in context. Output: human text, Markdown (a pull-request comment or a job
summary) or JSON.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from seccoop.record.models import EntityArgument, Record
from seccoop.review._common import ReviewError, load_records, problem

__all__ = ["Change", "diff_paths", "diff_records", "diff_revisions", "render_diff"]

Kind = Literal["added", "removed", "changed"]
LAYERS = ("article", "metadata", "mentions", "clusters", "values", "events", "arguments", "quotes")
_CONTEXT = 40


@dataclass(frozen=True)
class Change:
    """One change: in which article and layer, added/removed/changed, what, and where in the text."""

    article: str
    layer: str
    kind: Kind
    what: str
    before: str = ""
    surface: str = ""
    after: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The change as a JSON-ready dict."""
        return asdict(self)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _at(text: str, start: int, end: int) -> tuple[str, str, str]:
    before = text[max(0, start - _CONTEXT) : start]
    after = text[end : end + _CONTEXT]
    return (
        ("…" if start > _CONTEXT else "") + _flat(before),
        _flat(text[start:end]),
        _flat(after) + ("…" if end + _CONTEXT < len(text) else ""),
    )


Key = tuple[Any, ...]


def _compare(
    article: str,
    layer: str,
    old: Mapping[Key, tuple[str, Any]],
    new: Mapping[Key, tuple[str, Any]],
    where: Callable[[Key, bool], tuple[str, str, str]],
) -> list[Change]:
    """Items keyed by what they annotate; each value is (description, comparable attributes)."""
    out = []
    for key in sorted(old.keys() | new.keys(), key=repr):
        if key not in new:
            out.append(Change(article, layer, "removed", old[key][0], *where(key, False)))
        elif key not in old:
            out.append(Change(article, layer, "added", new[key][0], *where(key, True)))
        elif old[key][1] != new[key][1]:
            out.append(Change(article, layer, "changed", f"{old[key][0]} → {new[key][0]}", *where(key, True)))
    return out


def _names(record: Record) -> dict[str, str]:
    return {e.id: f"{e.name} ({e.type})" for e in record.entities}


def _mentions(record: Record) -> dict[Key, tuple[str, Any]]:
    names = _names(record)
    return {
        (m.start, m.end): (f"{m.kind} of {names.get(m.entity, m.entity)}", (m.kind, names.get(m.entity)))
        for m in record.mentions
    }


def _clusters(record: Record) -> dict[Key, tuple[str, Any]]:
    members: dict[str, list[tuple[int, int]]] = {}
    for m in record.mentions:
        members.setdefault(m.entity, []).append((m.start, m.end))
    out: dict[Key, tuple[str, Any]] = {}
    for e in record.entities:
        spans = sorted(members.get(e.id, []))
        attrs = [e.type] + ([e.wikidata] if e.wikidata else []) + ([e.sector] if e.sector else [])
        description = f"{e.name} ({', '.join(attrs)}; {len(spans)} mention(s))"
        out[(e.name, e.id if (e.name, "") in out else "")] = (
            description,
            (e.type, e.wikidata, e.sector, tuple(spans)),
        )
    return out


def _values(record: Record) -> dict[Key, tuple[str, Any]]:
    return {(v.start, v.end): (f"{v.type} {v.normalized}", (v.type, v.normalized)) for v in record.values}


def _filler(record: Record, argument: Any) -> tuple[int, int, str]:
    if isinstance(argument, EntityArgument):
        mention = next((m for m in record.mentions if m.id == argument.mention), None)
        return (mention.start, mention.end, mention.text) if mention else (-1, -1, argument.entity)
    value = next((v for v in record.values if v.id == argument.value), None)
    return (value.start, value.end, value.text) if value else (-1, -1, argument.value)


def _events(record: Record) -> dict[Key, tuple[str, Any]]:
    out: dict[Key, tuple[str, Any]] = {}
    for ev in record.events:
        attrs = ", ".join(x for x in (ev.mode, ev.realis, *ev.context) if x)
        out[(ev.trigger.start, ev.trigger.end, ev.type)] = (
            f"{ev.type} ({attrs}) “{ev.trigger.text}”",
            (ev.mode, ev.realis, tuple(ev.context)),
        )
    return out


def _arguments(record: Record) -> dict[Key, tuple[str, Any]]:
    out: dict[Key, tuple[str, Any]] = {}
    for ev in record.events:
        for argument in ev.arguments:
            start, end, surface = _filler(record, argument)
            key = (ev.trigger.start, ev.trigger.end, ev.type, argument.role, start, end)
            out[key] = (f"{argument.role} of {ev.type} “{ev.trigger.text}”: “{surface}”", ())
    return out


def _quotes(record: Record) -> dict[Key, tuple[str, Any]]:
    names = _names(record)
    out: dict[Key, tuple[str, Any]] = {}
    for q in record.quotes:
        key = tuple((s.start, s.end) for s in q.content)
        speaker = names.get(q.speaker, q.speaker) if q.speaker else "no speaker"
        cue = f"cue “{q.cue.text}”" if q.cue else "no cue"
        cue_span = (q.cue.start, q.cue.end) if q.cue else None
        out[key] = (f"{q.kind} quote, {cue}, {speaker}", (q.kind, cue_span, speaker, q.speaker_mention))
    return out


def _span_of(key: Key) -> tuple[int, int]:
    first = key[0]
    if isinstance(first, tuple):  # quotes: a tuple of content spans
        return first[0], key[-1][1]
    return int(first), int(key[1])


def diff_records(old: Record | None, new: Record | None) -> list[Change]:
    """The changes from ``old`` to ``new`` (either may be None: an added or removed article)."""
    if old is None and new is None:
        return []
    if old is None or new is None:
        record = new or old
        assert record is not None
        kind: Kind = "added" if new is not None else "removed"
        counts = (
            f"{len(record.mentions)} mentions, {len(record.entities)} clusters, {len(record.values)} values, "
            f"{len(record.events)} events, {len(record.quotes)} quotes; status {record.annotation.status}"
        )
        return [Change(record.id, "article", kind, f"{record.id}: {counts}")]
    article = new.id
    out: list[Change] = []
    for name in ("title", "publisher", "byline", "published", "url"):
        if getattr(old, name) != getattr(new, name):
            out.append(
                Change(
                    article, "metadata", "changed", f"{name}: {getattr(old, name)!r} → {getattr(new, name)!r}"
                )
            )
    if old.annotation.status != new.annotation.status:
        out.append(
            Change(
                article, "metadata", "changed", f"status: {old.annotation.status} → {new.annotation.status}"
            )
        )
    if old.text != new.text:
        out.append(Change(article, "metadata", "changed", "the text changed (offsets are not comparable)"))

    def where_in(key: Key, in_new: bool) -> tuple[str, str, str]:
        text = (new if in_new else old).text
        start, end = _span_of(key)
        return _at(text, start, end) if 0 <= start < end <= len(text) else ("", "", "")

    def where_cluster(key: Key, in_new: bool) -> tuple[str, str, str]:
        record = new if in_new else old
        entity = next((e for e in record.entities if e.name == key[0]), None)
        first = next((m for m in record.mentions if entity and m.entity == entity.id), None)
        return _at(record.text, first.start, first.end) if first else ("", "", "")

    def where_argument(key: Key, in_new: bool) -> tuple[str, str, str]:
        return where_in((key[4], key[5]), in_new)

    out += _compare(article, "mentions", _mentions(old), _mentions(new), where_in)
    out += _compare(article, "clusters", _clusters(old), _clusters(new), where_cluster)
    out += _compare(article, "values", _values(old), _values(new), where_in)
    out += _compare(article, "events", _events(old), _events(new), where_in)
    out += _compare(article, "arguments", _arguments(old), _arguments(new), where_argument)
    out += _compare(article, "quotes", _quotes(old), _quotes(new), where_in)
    return out


def _records_by_file(path: Path) -> dict[str, Record]:
    loaded, findings = load_records([path])
    if findings:
        raise ReviewError(tuple(findings))
    return {item.path.name: item.record for item in loaded}


def diff_paths(old: Path, new: Path) -> list[Change]:
    """Compare two record files, or two folders of records paired by file name."""
    for path in (old, new):
        if not path.exists():
            raise problem("io-error", f"{path} does not exist", file=str(path))
    if old.is_dir() != new.is_dir():
        raise problem("bad-input", "compare two files or two folders, not one of each", file=f"{old} {new}")
    if not old.is_dir():
        a, b = _records_by_file(old), _records_by_file(new)
        return diff_records(next(iter(a.values()), None), next(iter(b.values()), None))
    a, b = _records_by_file(old), _records_by_file(new)
    return [
        change for name in sorted(a.keys() | b.keys()) for change in diff_records(a.get(name), b.get(name))
    ]


def _git(args: list[str], cwd: Path) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise problem("git-error", f"cannot run git: {exc.strerror or exc}", file=str(cwd)) from None
    if result.returncode:
        raise problem("git-error", f"git {' '.join(args)}: {result.stderr.strip()}", file=str(cwd))
    return result.stdout


def records_at(revision: str, articles: Path) -> dict[str, Record]:
    """The records of ``articles`` at a git ``revision``, by file name (unreadable ones are an error)."""
    folder = articles.absolute()
    top = Path(_git(["rev-parse", "--show-toplevel"], folder if folder.is_dir() else Path.cwd()).strip())
    rel = (
        folder.relative_to(top.resolve()) if folder.is_relative_to(top.resolve()) else folder.relative_to(top)
    )
    listing = _git(["ls-tree", "--name-only", f"{revision}:{rel.as_posix()}"], top)
    out = {}
    for name in listing.splitlines():
        if name.endswith(".json"):
            raw = _git(["show", f"{revision}:{rel.as_posix()}/{name}"], top)
            try:
                out[name] = Record.model_validate_json(raw)
            except ValidationError as exc:
                raise problem(
                    "bad-input",
                    f"{name} at {revision} is not a valid record ({exc.error_count()} errors)",
                    file=name,
                ) from None
    return out


def diff_revisions(revisions: str, articles: Path) -> list[Change]:
    """Compare the records of ``articles`` at ``A..B`` (B may be empty: the working tree)."""
    old_rev, sep, new_rev = revisions.partition("..")
    if not sep or not old_rev:
        raise problem("git-error", f"{revisions!r} is not a range A..B", file="--rev")
    a = records_at(old_rev, articles)
    b = records_at(new_rev, articles) if new_rev else _records_by_file(articles)
    return [
        change for name in sorted(a.keys() | b.keys()) for change in diff_records(a.get(name), b.get(name))
    ]


_SIGN = {"added": "+", "removed": "-", "changed": "~"}


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'").replace("<", "&lt;")


def render_diff(changes: list[Change], fmt: str) -> str:
    """Render changes as ``human`` text, ``markdown`` or ``json``."""
    if fmt == "json":
        return json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=2) + "\n"
    articles = list(dict.fromkeys(c.article for c in changes))
    if fmt == "markdown":
        lines = ["## Annotation changes", ""]
        if not changes:
            return "\n".join([*lines, "No annotation changed.", ""])
        for article in articles:
            mine = [c for c in changes if c.article == article]
            counts = ", ".join(
                f"{sum(c.kind == k for c in mine)} {k}" for k in ("added", "removed", "changed")
            )
            lines += [
                f"### `{article}` ({counts})",
                "",
                "| | layer | change | in context |",
                "|---|---|---|---|",
            ]
            for c in mine:
                context = f"{_md(c.before)}**{_md(c.surface)}**{_md(c.after)}" if c.surface else ""
                lines.append(f"| {_SIGN[c.kind]} | {c.layer} | {_md(c.what)} | {context.strip()} |")
            lines.append("")
        return "\n".join(lines)
    if not changes:
        return "no annotation changed\n"
    lines = []
    for article in articles:
        lines.append(f"{article}:")
        for c in (c for c in changes if c.article == article):
            lines.append(f"  {_SIGN[c.kind]} {c.layer:<9} {c.what}")
            if c.surface:
                lines.append(f"      {c.before}[{c.surface}]{c.after}")
    total = ", ".join(f"{sum(c.kind == k for c in changes)} {k}" for k in ("added", "removed", "changed"))
    lines.append(f"{len(articles)} article(s) changed: {total}")
    return "\n".join(lines) + "\n"
