"""Contribution rules: what a record offered for the corpus must satisfy beyond being correct.

These checks say in the validator what a contributor must do, instead of leaving it to a test
that fails later: a record that is not a draft explains every null metadata field in
``annotation.notes``; a record file is in the canonical form that ``seccoop fmt`` writes. The
canonical-form check runs only on records with no other error, so one defect is reported once.
"""

from __future__ import annotations

from seccoop.check.diagnostics import Finding, finding
from seccoop.check.structure import LoadedRecord
from seccoop.record.canonical import canonical_text, in_canonical_order

__all__ = ["METADATA_FIELDS", "check_canonical", "check_metadata_notes"]

METADATA_FIELDS = ("title", "publisher", "byline", "published", "url")


def check_metadata_notes(loaded: LoadedRecord) -> list[Finding]:
    """A null metadata field of a non-draft record needs a note that starts with its name."""
    record = loaded.record
    if record.annotation.status == "draft":
        return []
    out = []
    notes = [note.lower() for note in record.annotation.notes]
    for name in METADATA_FIELDS:
        if getattr(record, name) is None and not any(note.startswith(name) for note in notes):
            line, column = loaded.locator.locate([name])
            out.append(
                finding(
                    "unexplained-null-metadata",
                    f"{name} is null and no note in annotation.notes starts with {name + ':'!r} "
                    f"(status is {record.annotation.status!r})",
                    file=loaded.file,
                    pointer=f"/{name}",
                    line=line,
                    column=column,
                )
            )
    return out


def check_canonical(loaded: LoadedRecord) -> list[Finding]:
    """The file text equals the canonical text of its record."""
    if loaded.as_written and in_canonical_order(loaded.record):
        return []  # the common case, decided without writing the canonical text
    expected = canonical_text(loaded.record)
    actual = loaded.locator.text
    if actual == expected:
        return []
    line = next(
        (
            i
            for i, (a, b) in enumerate(zip(actual.splitlines(), expected.splitlines(), strict=False), 1)
            if a != b
        ),
        min(len(actual.splitlines()), len(expected.splitlines())) + 1,
    )
    return [
        finding(
            "not-canonical",
            f"the file differs from its canonical form from line {line} on",
            file=loaded.file,
            line=line,
            hint=f"Run: seccoop fmt {loaded.file} (the content does not change; only the layout).",
        )
    ]
