"""The validator: file, syntax, structure, semantic and corpus checks, returning findings.

Layers, in order, per file: the file can be read safely (a regular file of bounded size, no
symlink out of the corpus) and is UTF-8 without BOM; it parses as JSON (line and column); it
declares a readable schema_version; the pydantic models accept it (else the published JSON
Schema explains why, with JSON pointers); then the semantic checks run on the model (offsets,
surfaces, seed hash, references, ontology rules, sentences, quotes, tokens). Last, corpus checks
compare the records with each other. Nothing here prints; nothing raises on bad input.

Files are streamed: unless the caller asks for the records, only the findings and what the corpus
checks need are kept, so memory does not grow with the number of files. With ``jobs`` > 1 the
files are checked in worker processes; the report is identical to a serial run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from seccoop.check.contribution import check_canonical, check_metadata_notes
from seccoop.check.corpus import CorpusEntry, check_corpus, corpus_entry
from seccoop.check.diagnostics import (
    MAX_FINDINGS_PER_FILE,
    Finding,
    errors_of,
    exit_code_of,
    finding,
    sort_key,
)
from seccoop.check.files import clear_caches, corpus_root, expand_paths
from seccoop.check.semantic import check_record, crossing_pairs
from seccoop.check.structure import LoadedRecord, load_record_file
from seccoop.record.models import Record

__all__ = [
    "MAX_FINDINGS_PER_FILE",
    "LoadedRecord",
    "Report",
    "check_corpus",
    "check_record",
    "corpus_root",
    "crossing_pairs",
    "default_jobs",
    "load_record_file",
    "validate_paths",
]

# Below this many files a process pool costs more than it saves.
_MIN_FILES_PER_POOL = 16


@dataclass(frozen=True)
class Report:
    """The outcome of validating some paths: sorted findings and the records that loaded."""

    findings: tuple[Finding, ...]
    files: int
    records: tuple[LoadedRecord, ...] = field(default=())

    @property
    def exit_code(self) -> int:
        """0 clean (warnings allowed), 1 error findings, 2 I/O trouble."""
        return exit_code_of(self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings at error level."""
        return errors_of(self.findings)

    @property
    def models(self) -> list[Record]:
        """The records that loaded, as models, in file order."""
        return [loaded.record for loaded in self.records]


def default_jobs() -> int:
    """The number of worker processes by default: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _cap(findings: list[Finding], file: str) -> list[Finding]:
    if len(findings) <= MAX_FINDINGS_PER_FILE:
        return findings
    kept = sorted(findings, key=sort_key)[:MAX_FINDINGS_PER_FILE]
    kept.append(
        finding(
            "findings-truncated",
            f"more than {MAX_FINDINGS_PER_FILE} findings; only the first {MAX_FINDINGS_PER_FILE} are listed",
            file=file,
        )
    )
    return kept


_FileResult = tuple[list[Finding], CorpusEntry | None, LoadedRecord | None]


def _check_file(path: Path, keep: bool) -> _FileResult:
    try:
        loaded, findings = load_record_file(path)
        entry = None
        if loaded is not None:
            findings = check_record(loaded)
            findings += check_metadata_notes(loaded)
            if not errors_of(findings):
                findings += check_canonical(loaded)
            entry = corpus_entry(loaded)
    except RecursionError:  # a record too deep for a check: say so rather than crash
        loaded, entry = None, None
        message = "the record is nested too deeply to check"
        findings = [finding("constraint-violation", message, file=str(path))]
    return _cap(findings, str(path)), entry, loaded if keep else None


def _check_file_kept(path: Path) -> _FileResult:
    return _check_file(path, True)


def _check_file_streamed(path: Path) -> _FileResult:
    return _check_file(path, False)


def _results(files: list[Path], keep: bool, jobs: int) -> Iterator[_FileResult]:
    work = _check_file_kept if keep else _check_file_streamed
    if jobs <= 1 or len(files) < _MIN_FILES_PER_POOL:
        yield from map(work, files)
        return
    from seccoop.record.pool import process_pool

    workers = min(jobs, len(files))
    chunk = max(1, min(64, len(files) // (workers * 8)))
    with process_pool(workers, fork=True) as pool:
        yield from pool.map(work, files, chunksize=chunk)


def validate_paths(paths: Sequence[Path], *, keep_records: bool = True, jobs: int = 1) -> Report:
    """Validate record files and folders of records; never raises on bad input.

    ``keep_records=False`` streams: the report holds no records, and memory stays flat in the
    number of files. ``jobs`` worker processes check the files (1: in this process).
    """
    clear_caches()
    files, findings = expand_paths(paths)
    loaded_records: list[LoadedRecord] = []
    entries: list[CorpusEntry] = []
    for file_findings, entry, loaded in _results(files, keep_records, jobs):
        findings.extend(file_findings)
        if entry is not None:
            entries.append(entry)
        if loaded is not None:
            loaded_records.append(loaded)
    findings.extend(check_corpus(entries))
    return Report(tuple(sorted(findings, key=sort_key)), len(files), tuple(loaded_records))
