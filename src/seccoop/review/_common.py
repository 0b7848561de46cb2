"""What the review commands share: the error they raise (a list of findings) and record loading."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seccoop.check.diagnostics import Finding, finding
from seccoop.check.files import expand_paths
from seccoop.check.structure import LoadedRecord, load_record_file

__all__ = ["ReviewError", "load_records", "problem"]


@dataclass(frozen=True)
class ReviewError(Exception):
    """A command cannot do its job; the findings say why (coded, located, with a hint)."""

    findings: tuple[Finding, ...]

    def __str__(self) -> str:
        return "; ".join(f"[{f.code}] {f.message}" for f in self.findings)


def problem(code: str, message: str, *, file: str, hint: str | None = None) -> ReviewError:
    """A ReviewError with one finding."""
    return ReviewError((finding(code, message, file=file, hint=hint),))


def load_records(paths: list[Path]) -> tuple[list[LoadedRecord], list[Finding]]:
    """Load record files (or folders of them) through the file, syntax and structure layers."""
    files, findings = expand_paths(paths)
    loaded: list[LoadedRecord] = []
    for path in files:
        record, file_findings = load_record_file(path)
        findings.extend(file_findings)
        if record is not None:
            loaded.append(record)
    return loaded, findings
