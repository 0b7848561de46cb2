"""The Hugging Face build: validated records in, Parquet per config, dataset card and Croissant out.

`build_dataset` validates the records first (invalid data never reaches the package), turns
them into the rows of every config, writes each config with `datasets` as one Parquet file of
split ``test`` at ``data/<config>/test-00000-of-00001.parquet``, then writes the dataset card
(:mod:`seccoop.hub.card`) and the Croissant metadata (:mod:`seccoop.hub.croissant`). Everything is
written into a temporary folder next to the output folder and swapped in at the end, so a
failed build leaves the previous output as it was. The same records always give the same
bytes; `check_build` relies on that to report stale output.

Configs (described in :mod:`seccoop.hub.configs`): ``articles`` (default; the whole record),
``ner`` and ``spans`` (one row per sentence), ``events``, ``quotes`` and ``entities`` (one row
per article each); every closed vocabulary is a ``ClassLabel``. Features are declared from the
ontology, never inferred from the data.

`datasets` is imported inside functions, so importing this module stays cheap.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seccoop.check.diagnostics import Finding, finding
from seccoop.check.validate import validate_paths
from seccoop.hub.configs import (
    CONFIGS,
    DEFAULT_CONFIG,
    SPLIT,
    BuildError,
    ConfigTable,
    Row,
    check_config,
    data_file,
    features,
    iob2_tags,
    ner_labels,
    outermost_names,
)
from seccoop.record.io import replace_folder
from seccoop.record.models import EntityArgument, Mention, Record, Span, Value
from seccoop.record.tokens import Token, tokenize

if TYPE_CHECKING:
    pass

__all__ = [
    "CONFIGS",
    "DEFAULT_CONFIG",
    "REGENERATE",
    "SPLIT",
    "BuildError",
    "BuildResult",
    "ConfigTable",
    "build_dataset",
    "check_build",
    "data_file",
    "features",
    "iob2_tags",
    "ner_labels",
    "outermost_names",
    "rows",
]

REGENERATE = "seccoop build"
# What a previous build leaves in the output folder; anything else there stops the build, so
# that a wrong --out can never wipe a folder of other files.
_OUTPUT_ENTRIES = frozenset({"README.md", "croissant.json", "data"})


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: where, how many records and rows per config, and validator warnings."""

    out_dir: Path
    records: int
    num_rows: dict[str, int]
    files: tuple[str, ...]
    warnings: tuple[Finding, ...]


# ---------------------------------------------------------------- features


# ---------------------------------------------------------------- rows


def _span(span: Span) -> Row:
    return {"start": span.start, "end": span.end, "text": span.text}


def _ref(item: Mention | Value) -> Row:
    return {"id": item.id, "start": item.start, "end": item.end, "text": item.text}


def _article_row(record: Record) -> Row:
    row: Row = record.model_dump(mode="json")
    for event in row["events"]:
        event["arguments"] = [
            {key: arg.get(key) for key in ("role", "entity", "mention", "value")}
            for arg in event["arguments"]
        ]
    return row


def _ner_rows(record: Record, file: str) -> list[Row]:
    types = {e.id: e.type for e in record.entities}
    names = outermost_names(record.mentions)
    out: list[Row] = []
    for sentence in sorted(record.sentences, key=lambda s: (s.start, s.end)):
        tokens = tokenize(record.text, sentence.start, sentence.end)
        inside = [m for m in names if sentence.start <= m.start and m.end <= sentence.end]
        tags = iob2_tags(tokens, [(m.start, m.end, types[m.entity]) for m in inside])
        if tags is None:
            bad = next(m for m in inside if iob2_tags(tokens, [(m.start, m.end, "X")]) is None)
            raise BuildError(
                f"{file}: name {bad.text!r} cannot be tagged in sentence {sentence.id}",
                [
                    finding(
                        "token-boundary",
                        f"name {bad.id} {bad.text!r} at [{bad.start}:{bad.end}] does not start and "
                        f"end on token boundaries of sentence {sentence.id}",
                        file=file,
                    )
                ],
            )
        out.append(
            {
                "article_id": record.id,
                "sentence_id": sentence.id,
                **_token_columns(tokens),
                "ner_tags": tags,
            }
        )
    return out


def _token_columns(tokens: Sequence[Token]) -> Row:
    """The token columns of a token-based config: surfaces and offsets into the article text."""
    return {
        "tokens": [t.text for t in tokens],
        "token_starts": [t.start for t in tokens],
        "token_ends": [t.end for t in tokens],
    }


def _spans_rows(record: Record) -> list[Row]:
    entities = {e.id: e for e in record.entities}
    out: list[Row] = []
    for sentence in sorted(record.sentences, key=lambda s: (s.start, s.end)):
        tokens = tokenize(record.text, sentence.start, sentence.end)
        first = {t.start: i for i, t in enumerate(tokens)}
        after_last = {t.end: i + 1 for i, t in enumerate(tokens)}
        inside = sorted(
            (m for m in record.mentions if sentence.start <= m.start and m.end <= sentence.end),
            key=lambda m: (m.start, -m.end, m.id),
        )
        out.append(
            {
                "article_id": record.id,
                "sentence_id": sentence.id,
                **_span(sentence),
                **_token_columns(tokens),
                "spans": [
                    {
                        **_ref(m),
                        "token_start": first.get(m.start),
                        "token_end": after_last.get(m.end),
                        "kind": m.kind,
                        "entity": m.entity,
                        "entity_type": entities[m.entity].type,
                        "entity_name": entities[m.entity].name,
                    }
                    for m in inside
                ],
            }
        )
    return out


_NO_FILLER: Row = dict.fromkeys(
    ("entity", "mention", "value", "entity_type", "entity_name", "mention_kind", "value_type", "normalized")
)


def _events_row(record: Record) -> Row:
    """The events of a record; each argument keeps the record's ids and carries its filler."""
    entities = {e.id: e for e in record.entities}
    mentions = {m.id: m for m in record.mentions}
    values = {v.id: v for v in record.values}
    events = []
    for event in record.events:
        arguments = []
        for arg in event.arguments:
            if isinstance(arg, EntityArgument):
                mention, entity = mentions[arg.mention], entities[arg.entity]
                filler: Row = {
                    **_NO_FILLER,
                    "entity": arg.entity,
                    "mention": arg.mention,
                    **_span(mention),
                    "entity_type": entity.type,
                    "entity_name": entity.name,
                    "mention_kind": mention.kind,
                }
            else:
                value = values[arg.value]
                filler = {
                    **_NO_FILLER,
                    "value": arg.value,
                    **_span(value),
                    "value_type": value.type,
                    "normalized": value.normalized,
                }
            arguments.append({"role": arg.role, **filler})
        events.append(
            {
                "id": event.id,
                "type": event.type,
                "mode": event.mode,
                "context": list(event.context),
                "realis": event.realis,
                "trigger": _span(event.trigger),
                "arguments": arguments,
                "cluster": event.cluster,
            }
        )
    return {"article_id": record.id, "text": record.text, "events": events}


def _quotes_row(record: Record) -> Row:
    entities = {e.id: e for e in record.entities}
    mentions = {m.id: m for m in record.mentions}
    quotes = []
    for q in record.quotes:
        speaker = entities[q.speaker] if q.speaker is not None else None
        mention = mentions[q.speaker_mention] if q.speaker_mention is not None else None
        quotes.append(
            {
                "id": q.id,
                "kind": q.kind,
                "content": [_span(part) for part in q.content],
                "cue": _span(q.cue) if q.cue is not None else None,
                "speaker": q.speaker,
                "speaker_mention": q.speaker_mention,
                "speaker_name": speaker.name if speaker else None,
                "speaker_type": speaker.type if speaker else None,
                "speaker_start": mention.start if mention else None,
                "speaker_end": mention.end if mention else None,
                "speaker_text": mention.text if mention else None,
            }
        )
    return {"article_id": record.id, "text": record.text, "quotes": quotes}


def _entities_row(record: Record) -> Row:
    entities = [
        {
            "id": e.id,
            "type": e.type,
            "name": e.name,
            "wikidata": e.wikidata,
            "sector": e.sector,
            "mentions": [{**_ref(m), "kind": m.kind} for m in record.mentions if m.entity == e.id],
        }
        for e in record.entities
    ]
    return {"article_id": record.id, "text": record.text, "entities": entities}


def _rows(config: str, items: Sequence[tuple[Record, str]]) -> list[Row]:
    check_config(config)
    if config == "articles":
        return [_article_row(r) for r, _ in items]
    if config == "ner":
        return [row for r, file in items for row in _ner_rows(r, file)]
    if config == "spans":
        return [row for r, _ in items for row in _spans_rows(r)]
    if config == "events":
        return [_events_row(r) for r, _ in items]
    if config == "quotes":
        return [_quotes_row(r) for r, _ in items]
    return [_entities_row(r) for r, _ in items]


def rows(config: str, records: Sequence[Record]) -> list[Row]:
    """The rows of a config for valid records, labels as names (before ``ClassLabel`` encoding)."""
    return _rows(config, [(r, f"{r.id}.json") for r in records])


# ---------------------------------------------------------------- writing


@contextmanager
def _quiet_progress() -> Iterator[None]:
    """Silence the progress bars of `datasets` for the build, then restore the caller's setting."""
    import datasets

    was_disabled = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()


def _write_config(root: Path, config: str, table_rows: list[Row]) -> ConfigTable:
    import datasets

    feats = features(config)
    dataset = datasets.Dataset.from_list(table_rows, features=feats)
    relative = data_file(config)
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    dataset.to_parquet(str(target))
    raw = target.read_bytes()
    return ConfigTable(
        config=config,
        features=feats,
        rows=tuple(table_rows),
        num_bytes=dataset.data.nbytes,
        path=relative,
        file_size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _guard_out_dir(out_dir: Path, articles_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir} exists and is not a folder")
    if _inside(articles_dir, out_dir):
        raise BuildError(f"{out_dir} holds the records in {articles_dir}; choose another output folder")
    if out_dir.is_dir():
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in _OUTPUT_ENTRIES)
        if foreign:
            raise BuildError(
                f"refusing to replace {out_dir}: it holds {', '.join(foreign)}, which the build "
                f"does not write (a build writes only {', '.join(sorted(_OUTPUT_ENTRIES))})"
            )


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True


def _swap(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` in place of ``out_dir``, which exists, old or new, at every instant."""
    replace_folder(staging, out_dir)


@contextmanager
def _build_lock(out_dir: Path) -> Iterator[None]:
    """Hold the lock of builds into ``out_dir``'s folder; fail clearly if another build holds it.

    The lock is on the parent folder itself (no lock file to commit or forget) and the kernel
    drops it when the holder dies, so a killed build never blocks the next one. Under the lock,
    staging folders of earlier builds are stale (their builds were killed): they are removed.
    """
    import fcntl

    parent = out_dir.parent
    fd = os.open(parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"another seccoop build is writing into {parent}; wait for it to finish and run again"
            ) from None
        for stale in parent.glob(f".{out_dir.name}.build-*"):
            shutil.rmtree(stale, ignore_errors=True)
        for stale in parent.glob(f".{out_dir.name}.old-*"):
            shutil.rmtree(stale, ignore_errors=True)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _default_side_file(articles_dir: Path, name: str, given: Path | None) -> Path:
    return given if given is not None else articles_dir.parent / name


def build_dataset(
    articles_dir: Path,
    out_dir: Path,
    *,
    agreement: Path | None = None,
    baselines: Path | None = None,
    jobs: int = 1,
) -> BuildResult:
    """Validate the records in ``articles_dir`` and build the Hugging Face dataset in ``out_dir``.

    ``agreement`` and ``baselines`` are the JSON files the card reports; they default to
    ``agreement.json`` and ``baselines.json`` next to ``articles_dir`` (``dataset/``), and the
    card says "pending" when they do not exist. Raises `BuildError` (with the validator's
    findings) if any record has an error; nothing is written then.
    ``jobs`` worker processes validate the records. Builds into the same folder's parent are
    serialized by a lock (a second concurrent build fails with a clear message); the output
    folder is swapped in atomically and exists, old or new, at every instant.
    """
    from seccoop.hub.card import write_card
    from seccoop.hub.croissant import write_croissant

    report = validate_paths([articles_dir], jobs=jobs)
    if report.exit_code == 2:
        raise BuildError(f"{articles_dir}: the records cannot be read", report.findings)
    if report.exit_code != 0:
        raise BuildError(
            f"{articles_dir}: {len(report.errors)} error(s) in the records; fix them before building",
            report.findings,
        )
    if not report.records:
        raise BuildError(f"{articles_dir}: no records to build from")
    _guard_out_dir(out_dir, articles_dir)
    loaded = sorted(report.records, key=lambda r: r.record.id)
    items = [(r.record, r.file) for r in loaded]
    records = [r.record for r in loaded]
    agreement = _default_side_file(articles_dir, "agreement.json", agreement)
    baselines = _default_side_file(articles_dir, "baselines.json", baselines)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(out_dir):
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.build-", dir=out_dir.parent))
        try:
            with _quiet_progress():
                tables = [_write_config(staging, config, _rows(config, items)) for config in CONFIGS]
            write_card(staging, tables, records, agreement=agreement, baselines=baselines)
            write_croissant(staging, tables, records)
            files = tuple(sorted(_relative_files(staging)))
            _make_readable(staging)
            _swap(staging, out_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return BuildResult(
        out_dir=out_dir,
        records=len(records),
        num_rows={t.config: t.num_rows for t in tables},
        files=files,
        warnings=tuple(f for f in report.findings if f.severity == "warning"),
    )


def _make_readable(root: Path) -> None:
    """Give the staged build ordinary modes (temporary files and folders are private)."""
    root.chmod(0o755)
    for path in root.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _relative_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def check_build(
    articles_dir: Path,
    out_dir: Path,
    *,
    agreement: Path | None = None,
    baselines: Path | None = None,
) -> list[str]:
    """Rebuild into a temporary folder and list how ``out_dir`` differs, as "path: reason".

    An empty list means the committed build is up to date and names the package version, as the
    top versioned section of CHANGELOG.md does (`seccoop.hub.metadata.release_drift`). Raises
    `BuildError` when the records cannot be built.
    """
    agreement = _default_side_file(articles_dir, "agreement.json", agreement)
    baselines = _default_side_file(articles_dir, "baselines.json", baselines)
    with tempfile.TemporaryDirectory(prefix="seccoop-check-") as tmp:
        fresh = Path(tmp) / "hf"
        build_dataset(articles_dir, fresh, agreement=agreement, baselines=baselines)
        expected = _relative_files(fresh)
        actual = _relative_files(out_dir) if out_dir.is_dir() else set()
        drift = []
        for rel in sorted(expected | actual):
            if rel not in actual:
                drift.append(f"{rel}: missing")
            elif rel not in expected:
                drift.append(f"{rel}: not produced by the build")
            elif not _same_content(rel, fresh / rel, out_dir / rel):
                drift.append(f"{rel}: differs")
    from seccoop.hub.metadata import release_drift

    # The release rule: package version, CHANGELOG.md, card and Croissant name one version.
    reported = {line.split(":", 1)[0] for line in drift}
    release = release_drift(out_dir) if out_dir.is_dir() else []
    return drift + [line for line in release if line.split(":", 1)[0] not in reported]


_SIZE_LINE = re.compile(r"^\s*(num_bytes|download_size|dataset_size): \d+$", re.MULTILINE)
_BYTE_FIELDS = ("sha256", "contentSize")


def _same_content(rel: str, fresh: Path, committed: Path) -> bool:
    """Equal content, ignoring what only the writer's library versions change.

    Parquet files record the pyarrow version that wrote them, so their bytes, sizes and hashes
    differ between library versions while their tables are equal: parquet is compared as Arrow
    tables (schema with its Hugging Face features metadata, and data); the card and the
    Croissant file are compared without the byte sizes and checksums they quote.
    """
    if fresh.read_bytes() == committed.read_bytes():
        return True
    if rel.endswith(".parquet"):
        import pyarrow.parquet as pq

        try:
            return bool(pq.read_table(fresh).equals(pq.read_table(committed), check_metadata=True))
        except (OSError, ValueError):
            return False
    if rel.endswith(".json"):
        try:
            return _strip_bytes(json.loads(fresh.read_text("utf-8"))) == _strip_bytes(
                json.loads(committed.read_text("utf-8"))
            )
        except ValueError:
            return False
    if rel.endswith(".md"):
        fresh_text, committed_text = fresh.read_text("utf-8"), committed.read_text("utf-8")
        return _SIZE_LINE.sub("", fresh_text) == _SIZE_LINE.sub("", committed_text)
    return False


def _strip_bytes(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_bytes(v) for k, v in node.items() if k not in _BYTE_FIELDS}
    if isinstance(node, list):
        return [_strip_bytes(v) for v in node]
    return node
