"""The validator: file, syntax, structure, semantic and corpus checks, returning findings.

Layers, in order, per file: the file can be read safely (no symlink out of the corpus) and is
UTF-8 without BOM; it parses as JSON (line and column); it declares a readable schema_version;
it matches the published JSON Schema (JSON pointer); then the semantic checks run on the model
(offsets, surfaces, seed hash, references, ontology rules, sentences, quotes, tokens). Last,
corpus checks compare the records with each other. Nothing here prints; nothing raises on bad
input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from seccoop.check.contribution import check_canonical, check_metadata_notes
from seccoop.check.corpus import check_corpus
from seccoop.check.diagnostics import (
    MAX_FINDINGS_PER_FILE,
    Finding,
    errors_of,
    exit_code_of,
    finding,
    sort_key,
)
from seccoop.check.files import corpus_root, expand_paths
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
    "load_record_file",
    "validate_paths",
]


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


def validate_paths(paths: Sequence[Path]) -> Report:
    """Validate record files and folders of records; never raises on bad input."""
    files, findings = expand_paths(paths)
    loaded_records: list[LoadedRecord] = []
    for path in files:
        loaded, file_findings = load_record_file(path)
        if loaded is not None:
            file_findings = check_record(loaded)
            file_findings += check_metadata_notes(loaded)
            if not errors_of(file_findings):
                file_findings += check_canonical(loaded)
            loaded_records.append(loaded)
        findings.extend(_cap(file_findings, str(path)))
    findings.extend(check_corpus(loaded_records))
    return Report(tuple(sorted(findings, key=sort_key)), len(files), tuple(loaded_records))
