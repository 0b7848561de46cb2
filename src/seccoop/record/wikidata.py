"""Wikidata links: apply QIDs that a look-up confirmed, from a table of sources, to records.

The table (``dataset/wikidata-links.json``) maps an entity's canonical name to ``{"qid": ...,
"source": ..., "evidence": ...}`` when a stored public source pairs the name with the QID, and to
``{"qid": null, "reason": ...}`` otherwise. Only confirmed QIDs are applied; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from seccoop.record.models import Record

__all__ = ["LINK_NOTE", "apply_links", "confirmed_qids"]

LINK_NOTE = (
    "wikidata: QIDs are set only where a look-up in a stored public source confirmed them; the "
    "source and a verbatim excerpt for each are in dataset/wikidata-links.json. Entities without a "
    "confirmed QID have wikidata null."
)
_QID = re.compile(r"^Q[1-9][0-9]*$")


def confirmed_qids(table: Mapping[str, Any]) -> dict[str, str]:
    """Canonical name → QID for the entries that carry a QID, a source and evidence."""
    out = {}
    for name, entry in table.items():
        if not isinstance(entry, Mapping):
            continue
        qid = entry.get("qid")
        if isinstance(qid, str) and _QID.match(qid) and entry.get("source") and entry.get("evidence"):
            out[name] = qid
    return out


def apply_links(record: Record, table: Mapping[str, Any]) -> Record:
    """The record with each entity's ``wikidata`` set from the confirmed table (others: null)."""
    qids = confirmed_qids(table)
    data = record.model_dump(mode="json")
    for entity in data["entities"]:
        entity["wikidata"] = qids.get(entity["name"])
    notes = [n for n in data["annotation"]["notes"] if not n.lower().startswith("wikidata")]
    data["annotation"]["notes"] = [*notes, LINK_NOTE]
    return Record.model_validate(data)
