"""The corpus layer: checks across records (unique ids, file name equals id, one type per name)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from seccoop.check.diagnostics import (
    Finding,
    finding,
)
from seccoop.check.structure import LoadedRecord


def check_corpus(records: Sequence[LoadedRecord]) -> list[Finding]:
    """Checks across records: ids unique, file name equals id, one type per name."""
    out: list[Finding] = []
    first_by_id: dict[str, str] = {}
    for loaded in records:
        line, column = loaded.locator.locate(["id"])
        rid = loaded.record.id
        if rid in first_by_id:
            out.append(
                finding(
                    "duplicate-record-id",
                    f"id {rid!r} is also the id of {first_by_id[rid]}",
                    file=loaded.file,
                    pointer="/id",
                    line=line,
                    column=column,
                )
            )
        else:
            first_by_id[rid] = loaded.file
        if loaded.path.stem != rid:
            out.append(
                finding(
                    "id-file-mismatch",
                    f"id is {rid!r} but the file is named {loaded.path.name!r}; expected {rid}.json",
                    file=loaded.file,
                    pointer="/id",
                    line=line,
                    column=column,
                )
            )
    types: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for loaded in records:
        entities = {e.id: e for e in loaded.record.entities}
        for m in loaded.record.mentions:
            if m.kind == "NAM" and m.entity in entities:
                types[m.text].setdefault(entities[m.entity].type, (loaded.record.id, loaded.file))
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
