"""The Hugging Face build: validated records in, Parquet per config, dataset card and Croissant out.

`build_dataset` takes the records validated once (`validate_corpus`; invalid data never reaches
the package) and streams them: a chunk of records at a time becomes the rows of every config,
one Arrow record batch per config (:mod:`seccoop.hub.parquet`: labels mapped to ``ClassLabel``
ids once per column, not example by example), appended to Parquet shards of split ``test``
named as the Hub names them, ``data/<config>/test-00000-of-000NN.parquet``, a new shard after
`MAX_SHARD_SIZE` Arrow bytes. Then it writes the dataset card (:mod:`seccoop.hub.card`) and the
Croissant metadata (:mod:`seccoop.hub.croissant`). Everything is written into a temporary folder
next to the output folder and swapped in at the end, so a failed build leaves the previous
output as it was. The same records always give the same bytes, with any number of worker
processes; `check_build` relies on that to report stale output.

Configs (described in :mod:`seccoop.hub.configs`): ``articles`` (default; the whole record),
``ner`` and ``spans`` (one row per sentence), ``events``, ``quotes`` and ``entities`` (one row
per article each); every closed vocabulary is a ``ClassLabel``. Features are declared from the
ontology, never inferred from the data.

`datasets` and pyarrow are imported inside functions, so importing this module stays cheap.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from seccoop.check.diagnostics import Finding, finding
from seccoop.check.files import expand_paths
from seccoop.check.validate import validate_paths
from seccoop.hub.configs import (
    CONFIGS,
    DEFAULT_CONFIG,
    MAX_SHARD_SIZE,
    SPLIT,
    BuildError,
    ConfigTable,
    Row,
    check_config,
    data_file,
    data_pattern,
    features,
    iob2_tags,
    ner_labels,
    outermost_names,
)
from seccoop.hub.parquet import RowEncoder, ShardWriter
from seccoop.hub.stats import CorpusSummary, RecordSummary, summarize
from seccoop.record.io import read_regular, replace_folder
from seccoop.record.models import EntityArgument, Mention, Record, Sentence, Span, Value
from seccoop.record.tokens import Token, tokenize

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CONFIGS",
    "DEFAULT_CONFIG",
    "MAX_SHARD_SIZE",
    "RECORDS_PER_BATCH",
    "REGENERATE",
    "SPLIT",
    "BuildError",
    "BuildResult",
    "ConfigTable",
    "Corpus",
    "build_dataset",
    "check_build",
    "check_build_result",
    "data_file",
    "data_pattern",
    "features",
    "iob2_tags",
    "ner_labels",
    "outermost_names",
    "rows",
    "validate_corpus",
]

REGENERATE = "seccoop build"
# A record's sentences in text order, each with its tokens.
_Sentences = list[tuple["Sentence", list[Token]]]
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
    summary: CorpusSummary = field(default_factory=CorpusSummary, compare=False)
    """The records' counts and facts, added up (the card's statistics, the README's table)."""


@dataclass(frozen=True)
class Corpus:
    """Validated records, sorted by id, by their files: one validation for a whole build.

    `validate_corpus` makes it; `build_dataset`, `check_build`, the baselines and the other
    checks of :mod:`seccoop.hub.derived` take it instead of validating the records again. It
    holds no record: `iter_records` reads them again one at a time (checking that each file is
    the one that was validated), so that memory does not grow with the number of records.
    """

    articles: Path
    ids: tuple[str, ...]
    files: tuple[str, ...]
    """The file of each record as the validator names it in findings."""
    paths: tuple[Path, ...]
    stamps: tuple[tuple[int, int, int] | None, ...]
    """Inode, size and modification time of each file before it was validated: the build checks
    that it reads the same files."""
    warnings: tuple[Finding, ...]
    drafts: tuple[str, ...] = ()
    """The ids of the records whose annotation status is ``draft``."""

    def __len__(self) -> int:
        return len(self.ids)

    def located(self) -> list[_Located]:
        """Each record as a worker gets it: path, file, id and stamp at validation, in id order."""
        return [
            (str(path), file, record_id, stamp)
            for path, file, record_id, stamp in zip(
                self.paths, self.files, self.ids, self.stamps, strict=True
            )
        ]

    def iter_records(self, order: Sequence[int] | None = None) -> Iterator[Record]:
        """The records read again one at a time, in id order (or in the order of the indices
        ``order``). Raises `BuildError` if a file changed since it was validated."""
        located = self.located()
        for i in range(len(located)) if order is None else order:
            yield _read_record(located[i])


class _Status(BaseModel):
    status: str


class _Head(BaseModel):
    """The id and status of a validated record, parsed without building the whole record."""

    id: str
    annotation: _Status


# A record as a worker gets it: path, file as named in findings, id, and `_stamp` at validation.
_Located = tuple[str, str, str, tuple[int, int, int] | None]


def _read_record(located: _Located) -> Record:
    """Read a validated record again; raises `BuildError` if its file changed since."""
    path, file, record_id, stamp = located
    try:
        record = Record.model_validate_json(read_regular(Path(path)))
    except (OSError, ValueError) as exc:
        raise BuildError(f"{file} changed or went away during the build ({exc}); build again") from None
    if record.id != record_id or _stamp(Path(path)) != stamp:
        raise BuildError(f"{file} changed during the build; build again")
    return record


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


def _tokenized(record: Record) -> _Sentences:
    """The record's sentences in text order, each with its tokens (``ner`` and ``spans`` share them)."""
    return [
        (sentence, tokenize(record.text, sentence.start, sentence.end))
        for sentence in sorted(record.sentences, key=lambda s: (s.start, s.end))
    ]


def _ner_rows(record: Record, file: str, sentences: _Sentences | None = None) -> list[Row]:
    types = {e.id: e.type for e in record.entities}
    names = outermost_names(record.mentions)
    out: list[Row] = []
    for sentence, tokens in _tokenized(record) if sentences is None else sentences:
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


def _spans_rows(record: Record, sentences: _Sentences | None = None) -> list[Row]:
    entities = {e.id: e for e in record.entities}
    out: list[Row] = []
    for sentence, tokens in _tokenized(record) if sentences is None else sentences:
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


def _rows(
    config: str, items: Sequence[tuple[Record, str]], tokenized: Sequence[_Sentences] | None = None
) -> list[Row]:
    """The rows of a config for (record, file) items; ``tokenized``: `_tokenized` of each record."""
    check_config(config)
    if config == "articles":
        return [_article_row(r) for r, _ in items]
    if config in ("ner", "spans"):
        sentences = tokenized if tokenized is not None else [_tokenized(r) for r, _ in items]
        paired = zip(items, sentences, strict=True)
        if config == "ner":
            return [row for (r, file), s in paired for row in _ner_rows(r, file, s)]
        return [row for (r, _), s in paired for row in _spans_rows(r, s)]
    if config == "events":
        return [_events_row(r) for r, _ in items]
    if config == "quotes":
        return [_quotes_row(r) for r, _ in items]
    return [_entities_row(r) for r, _ in items]


def rows(config: str, records: Sequence[Record]) -> list[Row]:
    """The rows of a config for valid records, labels as names (before ``ClassLabel`` encoding)."""
    return _rows(config, [(r, f"{r.id}.json") for r in records])


# ---------------------------------------------------------------- writing

# Records per Arrow record batch (one Parquet row group per config): the unit of work of the
# build's worker processes and the memory the build holds at once besides the records.
RECORDS_PER_BATCH = 64


@cache
def _encoder(config: str) -> RowEncoder:
    return RowEncoder(features(config))


@dataclass(frozen=True)
class _Chunk:
    """What a chunk of records becomes: one record batch per config (in `CONFIGS` order), the
    summary of each record, and the first row of each config asked for that has rows here."""

    batches: list[pa.RecordBatch]
    summaries: list[RecordSummary]
    first_rows: dict[str, Row]


def _chunk_batches(items: Sequence[tuple[Record, str]], first_of: Collection[str] = ()) -> _Chunk:
    """The batches, summaries and first rows (of the configs ``first_of``) of a chunk of records."""
    tokenized = [_tokenized(r) for r, _ in items]  # once for both token configs and the statistics
    batches = []
    first_rows: dict[str, Row] = {}
    for config in CONFIGS:
        found = _rows(config, items, tokenized)
        if found and config in first_of:
            first_rows[config] = found[0]
        batches.append(_encoder(config).batch(found))
    summaries = [
        summarize(record, sum(len(tokens) for _, tokens in sentences))
        for (record, _), sentences in zip(items, tokenized, strict=True)
    ]
    return _Chunk(batches, summaries, first_rows)


# What a worker returns: the chunk, or the BuildError it met (message, findings), as a value,
# since an exception with findings does not survive pickling as it is.
_ChunkResult = tuple[_Chunk | None, str | None, tuple[Finding, ...]]


def _chunk_from_files(chunk: tuple[_Located, ...], first_of: frozenset[str] = frozenset()) -> _ChunkResult:
    """The batches of a chunk of validated records, read again (one chunk held at a time)."""
    try:
        items = [(_read_record(located), located[1]) for located in chunk]
        return _chunk_batches(items, first_of), None, ()
    except BuildError as exc:
        return None, exc.message, exc.findings


def _chunks(corpus: Corpus, jobs: int) -> Iterator[_Chunk]:
    """The chunks of ``RECORDS_PER_BATCH`` records, in record order.

    Records are read from their (validated) files chunk by chunk and dropped once they are rows
    and summaries, so memory does not grow with the corpus. With ``jobs`` > 1 and more than one
    chunk, worker processes do the reading and building; at most two chunks per worker are in
    flight. The chunks are the same as in this process.
    """
    size = max(1, RECORDS_PER_BATCH)
    located = corpus.located()
    work = [tuple(located[i : i + size]) for i in range(0, len(located), size)]
    wanted = set(CONFIGS)  # configs whose first row is still to be found

    def unwrap(result: _ChunkResult) -> _Chunk:
        chunk, message, findings = result
        if chunk is None:
            raise BuildError(message or "the build failed", findings)
        wanted.difference_update(chunk.first_rows)
        return chunk

    if jobs <= 1 or len(work) < 2:
        for piece in work:
            yield unwrap(_chunk_from_files(piece, frozenset(wanted)))
        return
    from concurrent.futures import Future

    from seccoop.record.pool import process_pool

    todo = iter(work)
    workers = min(jobs, len(work))
    # a fork server starts them: pyarrow runs threads in this process (see process_pool)
    with process_pool(workers) as pool:
        pending: deque[Future[_ChunkResult]] = deque(
            pool.submit(_chunk_from_files, c, frozenset(wanted)) for c in islice(todo, 2 * workers)
        )
        while pending:
            chunk = unwrap(pending.popleft().result())
            following = next(todo, None)
            if following is not None:
                pending.append(pool.submit(_chunk_from_files, following, frozenset(wanted)))
            yield chunk


def _write_configs(
    root: Path, corpus: Corpus, jobs: int, max_shard_size: int
) -> tuple[list[ConfigTable], CorpusSummary]:
    """Stream the records' rows into the Parquet shards of every config under ``root``, and add
    up their summaries."""
    writers = [ShardWriter(root, config, _encoder(config), max_shard_size) for config in CONFIGS]
    summary = CorpusSummary()
    first_rows: dict[str, Row] = {}
    for chunk in _chunks(corpus, jobs):
        for writer, batch in zip(writers, chunk.batches, strict=True):
            writer.write(batch)
        for record_summary in chunk.summaries:
            summary.add(record_summary)
        for config, row in chunk.first_rows.items():
            first_rows.setdefault(config, row)
    tables = [
        ConfigTable(
            config=writer.config,
            features=writer.encoder.features,
            num_rows=writer.num_rows,
            num_bytes=writer.num_bytes,
            shards=writer.finish(),
            first_row=first_rows.get(writer.config),
        )
        for writer in writers
    ]
    return tables, summary


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


def validate_corpus(articles_dir: Path, *, jobs: int = 1) -> Corpus:
    """Validate the records in ``articles_dir`` once, for every step of a build that needs them.

    Raises `BuildError` (with the validator's findings) if a record has an error, a file cannot
    be read, or there is no record. ``jobs`` worker processes validate the files. The validator
    streams (it keeps no file text or model); the files it passed are then read into models
    with the pydantic fast path, so only the models stay in memory.
    """
    files, _ = expand_paths([articles_dir])
    stamps = {path: _stamp(path) for path in files}
    report = validate_paths([articles_dir], keep_records=False, jobs=jobs)
    if report.exit_code == 2:
        raise BuildError(f"{articles_dir}: the records cannot be read", report.findings)
    if report.exit_code != 0:
        raise BuildError(
            f"{articles_dir}: {len(report.errors)} error(s) in the records; fix them before building",
            report.findings,
        )
    if not files:
        raise BuildError(f"{articles_dir}: no records to build from")
    heads = []
    for path in files:
        try:
            head = _Head.model_validate_json(read_regular(path))
        except (OSError, ValueError) as exc:
            raise BuildError(f"{path} changed or went away during the build ({exc}); build again") from None
        if _stamp(path) != stamps[path] or stamps[path] is None:
            raise BuildError(f"{path} changed during the build; build again")
        heads.append((head, str(path), path))
    heads.sort(key=lambda item: item[0].id)
    return Corpus(
        articles=articles_dir,
        ids=tuple(head.id for head, _, _ in heads),
        files=tuple(file for _, file, _ in heads),
        paths=tuple(path for _, _, path in heads),
        stamps=tuple(stamps[path] for _, _, path in heads),
        warnings=tuple(f for f in report.findings if f.severity == "warning"),
        drafts=tuple(head.id for head, _, _ in heads if head.annotation.status == "draft"),
    )


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells that a file changed: inode, size and modification time (None: cannot stat)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def build_dataset(
    articles_dir: Path,
    out_dir: Path,
    *,
    agreement: Path | None = None,
    baselines: Path | None = None,
    jobs: int = 1,
    corpus: Corpus | None = None,
    max_shard_size: int = MAX_SHARD_SIZE,
) -> BuildResult:
    """Build the Hugging Face dataset of the records in ``articles_dir`` into ``out_dir``.

    ``corpus`` is the records as `validate_corpus` gave them (validated once by the caller);
    without it the records are validated here. Raises `BuildError` (with the validator's
    findings) if any record has an error; nothing is written then. ``agreement`` and
    ``baselines`` are the JSON files the card reports; they default to ``agreement.json`` and
    ``baselines.json`` next to ``articles_dir`` (``dataset/``), and the card says "pending" when
    they do not exist.

    The rows are streamed: ``RECORDS_PER_BATCH`` records at a time become one Arrow record batch
    per config, appended to Parquet shards of at most ``max_shard_size`` Arrow bytes. ``jobs``
    worker processes validate the records and build the batches; the output is byte-identical
    to a serial build. Builds into the same folder's parent are serialized by a lock (a second
    concurrent build fails with a clear message); the output folder is swapped in atomically and
    exists, old or new, at every instant.
    """
    from seccoop.hub.card import write_card
    from seccoop.hub.croissant import write_croissant

    if corpus is None:
        corpus = validate_corpus(articles_dir, jobs=jobs)
    _guard_out_dir(out_dir, articles_dir)
    agreement = _default_side_file(articles_dir, "agreement.json", agreement)
    baselines = _default_side_file(articles_dir, "baselines.json", baselines)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(out_dir):
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.build-", dir=out_dir.parent))
        try:
            tables, summary = _write_configs(staging, corpus, jobs, max_shard_size)
            write_card(staging, tables, summary, agreement=agreement, baselines=baselines)
            write_croissant(staging, tables, summary.articles)
            files = tuple(sorted(_relative_files(staging)))
            _make_readable(staging)
            _swap(staging, out_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return BuildResult(
        out_dir=out_dir,
        records=summary.articles,
        num_rows={t.config: t.num_rows for t in tables},
        files=files,
        warnings=corpus.warnings,
        summary=summary,
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
    jobs: int = 1,
    corpus: Corpus | None = None,
) -> list[str]:
    """Rebuild into a temporary folder and list how ``out_dir`` differs, as "path: reason".

    An empty list means the committed build is up to date and names the package version, as the
    top versioned section of CHANGELOG.md does (`seccoop.hub.metadata.release_drift`). Raises
    `BuildError` when the records cannot be built. ``corpus`` and ``jobs``: as for `build_dataset`.
    """
    drift, _ = check_build_result(
        articles_dir, out_dir, agreement=agreement, baselines=baselines, jobs=jobs, corpus=corpus
    )
    return drift


def check_build_result(
    articles_dir: Path,
    out_dir: Path,
    *,
    agreement: Path | None = None,
    baselines: Path | None = None,
    jobs: int = 1,
    corpus: Corpus | None = None,
) -> tuple[list[str], BuildResult]:
    """`check_build`, with the result of the fresh build (its summary of the records)."""
    agreement = _default_side_file(articles_dir, "agreement.json", agreement)
    baselines = _default_side_file(articles_dir, "baselines.json", baselines)
    with tempfile.TemporaryDirectory(prefix="seccoop-check-") as tmp:
        fresh = Path(tmp) / "hf"
        result = build_dataset(
            articles_dir, fresh, agreement=agreement, baselines=baselines, jobs=jobs, corpus=corpus
        )
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
    return drift + [line for line in release if line.split(":", 1)[0] not in reported], result


_SIZE_LINE = re.compile(r"^\s*(num_bytes|download_size|dataset_size): \d+$", re.MULTILINE)
_BYTE_FIELDS = ("sha256", "contentSize")


def _same_bytes(a: Path, b: Path, block: int = 1 << 20) -> bool:
    """Whether two files have the same bytes, read a block at a time (shards can be hundreds of MB)."""
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as left, b.open("rb") as right:
        while True:
            x, y = left.read(block), right.read(block)
            if x != y:
                return False
            if not x:
                return True


def _same_tables(fresh: Path, committed: Path) -> bool:
    """Whether two Parquet files hold equal Arrow tables (the schema with its metadata, as
    ``pq.read_table`` gives it, and the data), read one row group at a time when they are
    grouped alike, else as whole tables. The writer's own key-value metadata (such as
    ``content_defined_chunking``) is not part of the table."""
    import pyarrow.parquet as pq

    a, b = pq.ParquetFile(fresh), pq.ParquetFile(committed)
    groups = [a.metadata.row_group(i).num_rows for i in range(a.num_row_groups)]
    if groups != [b.metadata.row_group(i).num_rows for i in range(b.num_row_groups)]:
        return bool(pq.read_table(fresh).equals(pq.read_table(committed), check_metadata=True))
    if not a.schema_arrow.equals(b.schema_arrow, check_metadata=True):
        return False
    return all(
        a.read_row_group(i).equals(b.read_row_group(i), check_metadata=False) for i in range(len(groups))
    )


def _same_content(rel: str, fresh: Path, committed: Path) -> bool:
    """Equal content, ignoring what only the writer's library versions change.

    Parquet files record the pyarrow version that wrote them, so their bytes, sizes and hashes
    differ between library versions while their tables are equal: parquet is compared as Arrow
    tables (schema with its Hugging Face features metadata, and data); the card and the
    Croissant file are compared without the byte sizes and checksums they quote.
    """
    if _same_bytes(fresh, committed):
        return True
    if rel.endswith(".parquet"):
        try:
            return _same_tables(fresh, committed)
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
