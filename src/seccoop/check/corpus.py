"""The corpus layer: checks across records (unique ids, file name equals id, one type per name).

Records are streamed: of each record the corpus layer keeps only a :class:`CorpusEntry` (its id,
where the id stands, and its typed names), so memory does not grow with the records' size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from seccoop.check.diagnostics import (
    Finding,
    finding,
)
from seccoop.check.structure import LoadedRecord


@dataclass(frozen=True)
class CorpusEntry:
    """What the corpus checks need of one record."""

    file: str
    stem: str
    name: str
    id: str
    line: int
    column: int
    typed_names: tuple[tuple[str, str], ...]


def corpus_entry(loaded: LoadedRecord) -> CorpusEntry:
    """The corpus layer's summary of a loaded record."""
    record = loaded.record
    types = {e.id: e.type for e in record.entities}
    names = sorted(
        {(m.text, types[m.entity]) for m in record.mentions if m.kind == "NAM" and m.entity in types}
    )
    line, column = loaded.locator.locate(["id"])
    return CorpusEntry(loaded.file, loaded.path.stem, loaded.path.name, record.id, line, column, tuple(names))


def _at(entry: CorpusEntry, code: str, message: str) -> Finding:
    return finding(code, message, file=entry.file, pointer="/id", line=entry.line, column=entry.column)


def check_corpus(records: Sequence[LoadedRecord | CorpusEntry]) -> list[Finding]:
    """Checks across records: ids unique, file name equals id, one type per name."""
    entries = [r if isinstance(r, CorpusEntry) else corpus_entry(r) for r in records]
    out: list[Finding] = []
    first_by_id: dict[str, str] = {}
    for entry in entries:
        rid = entry.id
        if rid in first_by_id:
            out.append(_at(entry, "duplicate-record-id", f"id {rid!r} is also the id of {first_by_id[rid]}"))
        else:
            first_by_id[rid] = entry.file
        if entry.stem != rid:
            message = f"id is {rid!r} but the file is named {entry.name!r}; expected {rid}.json"
            out.append(_at(entry, "id-file-mismatch", message))
    types: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for entry in entries:
        for name, type_ in entry.typed_names:
            types[name].setdefault(type_, (entry.id, entry.file))
    for name, by_type in sorted(types.items()):
        if len(by_type) > 1:
            (t1, (a1, _)), (t2, (a2, f2)) = sorted(by_type.items())[:2]
            if a1 == a2:
                continue  # metonymy inside one article is the annotator's documented choice
            out.append(
                finding(
                    "type-conflict-across-articles",
                    f"{name!r} is {t1} in {a1} but {t2} in {a2}",
                    file=f2,
                )
            )
    return out
