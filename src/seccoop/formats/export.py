"""Interchange formats, so that annotators can work in brat or Label Studio and train in spaCy.

:func:`export_records` writes records as ``conll`` (CoNLL-2003-style IOB2 over the outermost
names), ``brat`` (standoff ``.txt`` + ``.ann`` and an ``annotation.conf``), ``spacy`` (a
``DocBin``; spaCy is an optional extra), ``labelstudio`` (JSON tasks and a labeling config) or
``plover`` (the PLOVER view of the events as JSON Lines, by the guidelines' departures D1–D4;
:mod:`seccoop.formats.plover`).
:func:`import_records` reads ``brat`` and ``labelstudio`` files back on top of the original
records, which supply what the format cannot carry (metadata, zones, sentences, ...). What each
format drops is data (:data:`LOSSES`), returned with every export so the CLI can print it, and
for the importable formats ``import_records(fmt, export, records)`` gives back ``records``.

:func:`export_corpus` and :func:`import_corpus` are the CLI's entry points: they read and write
``dataset/articles``-style folders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from seccoop.formats._base import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    LOSSES,
    ConversionError,
    ExportResult,
    Format,
    ImportFormat,
    Loss,
    MissingExtraError,
    check_record,
    outermost_names,
)
from seccoop.record.io import write_files_atomic
from seccoop.record.models import Record, dump_record

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "LOSSES",
    "ConversionError",
    "ExportResult",
    "Format",
    "ImportFormat",
    "ImportResult",
    "Loss",
    "MissingExtraError",
    "export_corpus",
    "export_records",
    "import_corpus",
    "import_records",
    "outermost_names",
]

_Writer = Callable[[Sequence[Record], Path], tuple[list[Path], list[str]]]
_Reader = Callable[[Path, Sequence[Record]], list[Record]]


def _writer(fmt: str) -> _Writer:
    if fmt == "conll":
        from seccoop.formats.conll import export_conll

        return export_conll
    if fmt == "brat":
        from seccoop.formats.brat import export_brat

        return export_brat
    if fmt == "spacy":
        from seccoop.formats.spacy_docbin import export_spacy

        return export_spacy
    if fmt == "labelstudio":
        from seccoop.formats.labelstudio import export_labelstudio

        return export_labelstudio
    if fmt == "plover":
        from seccoop.formats.plover import export_plover

        return export_plover
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")


def _reader(fmt: str) -> _Reader:
    if fmt == "brat":
        from seccoop.formats.brat import import_brat

        return import_brat
    if fmt == "labelstudio":
        from seccoop.formats.labelstudio import import_labelstudio

        return import_labelstudio
    raise ValueError(f"unknown import format {fmt!r}; expected one of {', '.join(IMPORT_FORMATS)}")


def export_records(
    records: Sequence[Record], fmt: str, out_dir: Path, *, drop_negated: bool = False
) -> ExportResult:
    """Write ``records`` in format ``fmt`` under ``out_dir``; say what was written and dropped.

    ``drop_negated`` applies to ``plover`` only: leave negated events out of the view instead of
    marking them with the context ``negation``.

    Raises :class:`ConversionError` (nothing written) when a record has spans that do not match
    its text or references that do not resolve, or when two records share an id;
    :class:`MissingExtraError` when ``fmt`` is ``spacy`` and spaCy is not installed;
    :class:`ValueError` for an unknown format.
    """
    writer = _writer(fmt)
    problems = [p for r in records for p in check_record(r)]
    problems += [
        f"two records have the id {rid!r}" for rid, n in Counter(r.id for r in records).items() if n > 1
    ]
    if problems:
        raise ConversionError(tuple(problems))
    if fmt == "plover":
        from seccoop.formats.plover import export_plover

        files, notes = export_plover(records, out_dir, drop_negated=drop_negated)
    else:
        files, notes = writer(records, out_dir)
    known = cast(Format, fmt)
    return ExportResult(known, tuple(files), LOSSES[known], tuple(notes))


def import_records(fmt: str, src: Path, base_records: Sequence[Record]) -> list[Record]:
    """Read ``brat`` or ``labelstudio`` files at ``src`` back into records.

    ``base_records`` are the records the files were exported from: each imported article takes
    from its base record (same id) exactly the parts that ``LOSSES[fmt]`` names, and everything
    else from the files. ``src`` is the export folder (brat), or the tasks JSON file or its
    folder (Label Studio). Returns the imported records in file order; raises
    :class:`ConversionError` with every problem found (unknown labels, broken links, a changed
    text, conflicting entity attributes, ...) and :class:`FileNotFoundError` if ``src`` is missing.
    """
    return _reader(fmt)(src, base_records)


# ---------------------------------------------------------------- corpus folders, for the CLI


def _load_records(articles: Path, *, allow_errors: bool = False) -> list[Record]:
    """Load and validate every record in ``articles``.

    Raises :class:`FileNotFoundError` if the folder is missing, and :class:`ConversionError`
    listing the findings if a record does not load, or (unless ``allow_errors``) if any finding
    is an error.
    """
    from seccoop.check.diagnostics import render
    from seccoop.check.validate import validate_paths

    if not articles.is_dir():
        raise FileNotFoundError(f"{articles}: no such folder of article records")
    report = validate_paths([articles])
    unloaded = len(report.records) < report.files
    if report.errors and (unloaded or not allow_errors):
        raise ConversionError(tuple(render(report.errors, "human").splitlines()))
    return report.models


def export_corpus(fmt: str, articles: Path, out_dir: Path, *, drop_negated: bool = False) -> ExportResult:
    """Validate the records in ``articles`` and export them (``seccoop export``)."""
    return export_records(_load_records(articles), fmt, out_dir, drop_negated=drop_negated)


@dataclass(frozen=True)
class ImportResult:
    """The record files an import wrote."""

    format: ImportFormat
    files: tuple[Path, ...]


def import_corpus(fmt: str, src: Path, articles: Path, out_dir: Path | None = None) -> ImportResult:
    """Import ``src`` on top of the records in ``articles`` and write them (``seccoop import``).

    Records are written to ``out_dir`` (default: ``articles``, in place) in the committed form
    (:func:`~seccoop.record.models.dump_record`). Nothing is written if any problem is found. Base
    records only need to load: an import is often how their errors get fixed.
    """
    bases = _load_records(articles, allow_errors=True)
    imported = import_records(fmt, src, bases)
    target = articles if out_dir is None else out_dir
    # all or nothing: the folder is replaced by a staged copy holding every new record at once
    files = write_files_atomic(target, {f"{record.id}.json": dump_record(record) for record in imported})
    return ImportResult(cast(ImportFormat, fmt), tuple(files))
