"""Anchoring: turn an annotator's draft, whose spans name their surface, into a record with offsets.

Offsets are never typed by hand. In a draft, every span is ``{"text": ...}`` plus, when the
surface occurs more than once, either ``"occurrence": k`` (the k-th exact occurrence, from 1) or
``"in": "a longer context"`` (a string that occurs once in the text and contains the surface
once). ``anchor_draft`` finds the offsets, fills ``source.sha256`` and ``text`` from the seed, and
splits sentences when the draft says ``"sentences": "auto"``. Every problem is collected and
reported together.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from seccoop.record.tokens import boundaries

__all__ = ["AnchorError", "AnchorProblem", "anchor_draft", "occurrence_of", "read_seed", "split_sentences"]

_SPAN_KEYS = {"text", "occurrence", "in", "start", "end"}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘]?[A-Z0-9])")
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$")


@dataclass(frozen=True)
class AnchorError(Exception):
    """All the problems found while anchoring a draft."""

    problems: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.problems)


class AnchorProblem(str):
    """One problem of a draft: the message (``"/pointer: what is wrong"``) and a catalog code."""

    code: str

    def __new__(cls, code: str, message: str) -> AnchorProblem:
        problem = super().__new__(cls, message)
        problem.code = code
        return problem


@lru_cache(maxsize=8)
def _token_edges(text: str) -> tuple[frozenset[int], frozenset[int]]:
    return boundaries(text)


def _occurrences(surface: str, text: str, base: int, full: str) -> list[int]:
    """Start offsets (in ``text``) of ``surface`` where it starts and ends on token boundaries of ``full``.

    "Ghana" does not occur inside "Ghanaian": a match that cuts a token is not an occurrence.
    """
    starts, ends = _token_edges(full)
    return [
        m.start()
        for m in re.finditer(re.escape(surface), text)
        if base + m.start() in starts and base + m.end() in ends
    ]


def occurrence_of(text: str, start: int, end: int) -> int:
    """Which occurrence (from 1, counted on token boundaries) of ``text[start:end]`` starts at ``start``."""
    return 1 + sum(1 for s in _occurrences(text[start:end], text, 0, text) if s < start)


def _find(text: str, spec: dict[str, Any], where: str, problems: list[str]) -> tuple[int, int] | None:
    surface = spec.get("text")
    if not isinstance(surface, str) or not surface:
        problems.append(AnchorProblem("draft-bad-span", f"{where}: a span needs a non-empty 'text'"))
        return None
    if "in" in spec:
        context = spec["in"]
        hits = [m.start() for m in re.finditer(re.escape(context), text)] if isinstance(context, str) else []
        if len(hits) != 1:
            problems.append(
                AnchorProblem(
                    "draft-span-ambiguous" if hits else "draft-span-not-found",
                    f"{where}: context {context!r} occurs {len(hits)} times; it must occur once",
                )
            )
            return None
        inner = _occurrences(surface, context, hits[0], text)
        if len(inner) != 1:
            problems.append(
                AnchorProblem(
                    "draft-span-ambiguous" if inner else "draft-span-not-found",
                    f"{where}: {surface!r} occurs {len(inner)} times (as whole tokens) "
                    f"in its context {context!r}",
                )
            )
            return None
        start = hits[0] + inner[0]
        return start, start + len(surface)
    occurrences = _occurrences(surface, text, 0, text)
    k = spec.get("occurrence", 1)
    if not occurrences:
        inside = bool(re.search(re.escape(surface), text))
        problems.append(
            AnchorProblem(
                "draft-span-not-found",
                f"{where}: {surface!r} does not occur in the text"
                + (" as whole tokens (it occurs only inside longer words)" if inside else ""),
            )
        )
        return None
    if "occurrence" not in spec and len(occurrences) > 1:
        problems.append(
            AnchorProblem(
                "draft-span-ambiguous",
                f"{where}: {surface!r} occurs {len(occurrences)} times; say which with 'occurrence' or 'in'",
            )
        )
        return None
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(occurrences):
        problems.append(
            AnchorProblem(
                "draft-span-not-found",
                f"{where}: occurrence {k!r} of {surface!r}; it occurs {len(occurrences)} times",
            )
        )
        return None
    start = occurrences[k - 1]
    return start, start + len(surface)


def _anchor(node: Any, text: str, where: str, problems: list[str]) -> Any:
    """Recursively replace span specs (dicts with 'text' and no offsets) by anchored spans."""
    if isinstance(node, list):
        return [_anchor(item, text, f"{where}/{i}", problems) for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    typed = sorted(key for key in ("start", "end") if key in node)
    if typed:
        # offsets are computed, never typed: whatever the key order, a typed offset is refused
        problems.append(
            AnchorProblem(
                "draft-typed-offset",
                f"{where}: the draft types {' and '.join(repr(k) for k in typed)}; give the surface "
                "as 'text' (with 'occurrence' or 'in') and let anchor compute the offsets",
            )
        )
        return node
    out: dict[str, Any] = {}
    if "text" in node:  # only spans have a "text" key inside a record
        found = _find(text, node, where, problems)
        for key, value in node.items():
            if key in ("occurrence", "in"):
                continue
            if key == "text":
                out["start"], out["end"] = found if found else (0, 0)
            out[key] = _anchor(value, text, f"{where}/{key}", problems)
        return out
    return {key: _anchor(value, text, f"{where}/{key}", problems) for key, value in node.items()}


def split_sentences(
    text: str,
    skip: list[tuple[int, int]],
    zones: Sequence[tuple[int, int]] = (),
) -> list[dict[str, Any]]:
    """Split running text into sentence spans: each non-empty line, cut after . ! ? before a capital
    (not after a dotted abbreviation such as U.S.) and at zone boundaries.

    Spans inside ``skip`` (boilerplate zones) are left out.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        cuts = [
            m.start()
            for m in _SENTENCE_END.finditer(line.group())
            if not _ABBREVIATION_END.search(line.group()[: m.start()])
        ]
        cuts += [b - start for a, b in zones if start < b < line.end()]
        cuts += [a - start for a, b in zones if start < a < line.end()]
        cuts.sort()
        pieces = []
        prev = 0
        for cut in cuts:
            # keep a closing quotation mark with the sentence it ends
            end = cut
            while end < len(line.group()) and line.group()[end] in '"”’':
                end += 1
            pieces.append((prev, end))
            prev = end
        pieces.append((prev, len(line.group())))
        for a, b in pieces:
            chunk = line.group()[a:b]
            stripped_a = a + (len(chunk) - len(chunk.lstrip()))
            stripped_b = b - (len(chunk) - len(chunk.rstrip()))
            if stripped_a < stripped_b:
                spans.append((start + stripped_a, start + stripped_b))
    kept = [s for s in spans if not any(a <= s[0] and s[1] <= b for a, b in skip)]
    return [{"id": f"s{i}", "start": a, "end": b, "text": text[a:b]} for i, (a, b) in enumerate(kept, 1)]


def read_seed(root: Path, path: Any) -> tuple[str, bytes]:
    """The seed named by a draft: a regular file inside ``root/seeds/``, links resolved.

    Returns (path as given, bytes); raises AnchorError when the path is not a string, leaves
    ``seeds/`` (``..``, an absolute path, a symlink out of it), is not a regular file, is over
    the size limit, or cannot be read.
    """
    from seccoop.record.io import read_regular

    if not isinstance(path, str) or not path:
        raise AnchorError(("/source/path: expected the seed's path as a string, such as seeds/x.txt",))
    shown = path if len(path) <= 200 else path[:200] + "…"
    seeds = root / "seeds"
    try:
        resolved = (root / path).resolve(strict=True)
        inside = resolved.is_relative_to(seeds.resolve(strict=True))
    except (OSError, RuntimeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise AnchorError((f"/source/path: cannot read seed {shown!r} under {root}: {reason}",)) from None
    if not inside:
        raise AnchorError((f"/source/path: seed {shown!r} is not a file inside {seeds}/; refused",))
    try:
        return path, read_regular(resolved)
    except OSError as exc:
        raise AnchorError((f"/source/path: cannot read seed {shown!r}: {exc.strerror or exc}",)) from None


def anchor_draft(draft: dict[str, Any], root: Path) -> dict[str, Any]:
    """Anchor a draft against its seed under ``root``; raise AnchorError listing every problem."""
    problems: list[str] = []
    if not isinstance(draft, dict):
        raise AnchorError(("/: a draft is a JSON object (the record's fields)",))
    source = draft.get("source")
    if not isinstance(source, dict):
        raise AnchorError(("/source: expected an object with the seed's path",))
    seed_path, raw = read_seed(root, source.get("path"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnchorError((f"/source/path: the seed is not UTF-8 (byte offset {exc.start})",)) from None
    record: dict[str, Any] = {}
    for key, value in draft.items():
        if key == "text":
            continue
        if key == "source":
            record["source"] = {"path": seed_path, "sha256": hashlib.sha256(raw).hexdigest()}
            continue
        if key == "sentences" and value == "auto":
            continue
        try:
            record[key] = _anchor(value, text, f"/{key}", problems)
        except RecursionError:
            problems.append(f"/{key}: nested too deeply to be part of a record")
    if problems:
        raise AnchorError(tuple(problems))
    if draft.get("sentences") == "auto":
        zones = record.get("zones")
        zones = [
            z
            for z in (zones if isinstance(zones, list) else [])
            if isinstance(z, dict) and isinstance(z.get("start"), int) and isinstance(z.get("end"), int)
        ]
        skip = [(z["start"], z["end"]) for z in zones if z.get("kind") == "boilerplate"]
        edges = [(z["start"], z["end"]) for z in zones if z.get("kind") != "boilerplate"]
        record["sentences"] = split_sentences(text, skip, edges)
    order = [
        "schema_version",
        "id",
        "source",
        "title",
        "publisher",
        "byline",
        "published",
        "url",
        "text",
        "zones",
        "sentences",
        "entities",
        "mentions",
        "non_mentions",
        "values",
        "events",
        "quotes",
        "annotation",
    ]
    record["text"] = text
    return {k: record[k] for k in order if k in record} | {k: v for k, v in record.items() if k not in order}
