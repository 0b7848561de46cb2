"""``seccoop fmt``: write records in their canonical form (see `seccoop.record.canonical`).

Idempotent and atomic: a file is rewritten only when its text changes, through a temporary file
and a rename. A file that is not a readable record is reported and left untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seccoop.check.diagnostics import Finding
from seccoop.record.canonical import canonical_text, renumber_ids
from seccoop.record.io import write_text_atomic
from seccoop.review._common import load_records

__all__ = ["FmtResult", "format_paths"]


@dataclass(frozen=True)
class FmtResult:
    """Which files were (or, with check, would be) rewritten, which were already canonical, and
    the findings of the files that could not be read as records."""

    changed: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    findings: tuple[Finding, ...]


def format_paths(paths: list[Path], *, check: bool = False, renumber: bool = False) -> FmtResult:
    """Canonicalize the record files in ``paths`` (files or folders); with ``check`` write nothing."""
    loaded, findings = load_records(paths)
    changed: list[Path] = []
    unchanged: list[Path] = []
    for item in loaded:
        record = renumber_ids(item.record) if renumber else item.record
        text = canonical_text(record)
        if text == item.locator.text:
            unchanged.append(item.path)
            continue
        changed.append(item.path)
        if not check:
            write_text_atomic(item.path, text)
    return FmtResult(tuple(changed), tuple(unchanged), tuple(findings))
