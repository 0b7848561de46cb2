"""The PLOVER view: SecCoop events recoded as PLOVER records, by the guidelines' departures D1–D4.

The rules D2 and D1 are in :mod:`seccoop.record.plover` (shared with the scorer); this module
writes the records (D3, D4) and the JSON Lines file.

SecCoop annotates spans and structure where PLOVER codes events; ``dataset/GUIDELINES.md``
("Departures from PLOVER") lists each difference with a mechanical rule that maps a record back
to PLOVER's coding, using only the events' ``type``, ``mode``, ``context``, ``realis``,
``arguments``, ``trigger``, ``cluster`` and the sentence layer. The events of a record are
processed in the order of their trigger offsets, and the rules are applied in the order D2, D1,
D3, D4:

- D2 (realis): ``generic`` events are not exported; ``hypothetical`` appends ``hypothetical``
  and ``negated`` appends ``negation`` to the context (or, with ``drop_negated``, the event is
  left out, as PLOVER allows); ``future`` is handled by D1.
- D1 (future cooperative acts): a ``future`` CONSULT, SUPPORT, COOPERATE or AID becomes AGREE
  and a ``future`` RETREAT becomes CONCEDE (mode null, no auxiliary); any other ``future`` event
  keeps its type and gets the auxiliary ``future`` in its context. Then each ``actual`` AGREE or
  CONCEDE absorbs the first event of its sentence, starting at or after its trigger's end, that
  was converted to its type and not absorbed yet: that event is dropped, its Target entities
  become the announcing event's recipients if it has none, and its contexts are added.
- D3 (roles): ``actor`` lists the Source entities, ``recipient`` the Target entities (argument
  order, no repeats), ``event_loc`` the Place entities; Time, Duration, Amount and Instrument go
  to the extension object ``seccoop_args``. ``date`` is the Time value's normalization when it
  is a full ISO date, else the article's publication date, else null.
- D4 (coreference): ``link`` is the event's cluster id (absent for a singleton).

A record of the view is ``{"id", "event", "mode", "context", "actor", "recipient", "event_loc",
"date", "event_text", "link"?, "seccoop_args"}``: ``event`` is ``[type]``, ``mode`` is
``[mode]`` or ``[]``, ``event_text`` the trigger text, ``id`` ``<article id>/<event id>``.
``seccoop_args`` traces the record to its source (``article``, ``event``, ``trigger`` offsets,
``merged``: the ids of absorbed events) and holds the Time, Duration, Amount and Instrument
fillers (by role, capitalised as in the record). Actors are entity canonical names; their ids
are in ``seccoop_args.actor_ids`` and ``recipient_ids``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from seccoop.record.io import write_text_atomic
from seccoop.record.models import EntityArgument, Record
from seccoop.record.plover import PloverEvent, plover_events

__all__ = ["PLOVER_FILE", "export_plover", "plover_records"]

PLOVER_FILE = "plover.jsonl"
EXTENSION_ROLES = ("Time", "Duration", "Amount", "Instrument")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def plover_records(record: Record, *, drop_negated: bool = False) -> list[dict[str, Any]]:
    """The PLOVER view of one record: one dict per exported event, in trigger order."""
    return [_record(record, view) for view in plover_events(record, drop_negated=drop_negated)]


def _record(record: Record, draft: PloverEvent) -> dict[str, Any]:
    """D3 and D4: the PLOVER fields of one surviving event."""
    entities = {e.id: e for e in record.entities}
    mentions = {m.id: m for m in record.mentions}
    values = {v.id: v for v in record.values}

    def entity_ids(role: str) -> list[str]:
        return _unique(
            [a.entity for a in draft.arguments if isinstance(a, EntityArgument) and a.role == role]
        )

    def name(entity_id: str) -> str:
        entity = entities.get(entity_id)
        return entity.name if entity else entity_id

    extension: dict[str, Any] = {
        "article": record.id,
        "event": draft.event.id,
        "trigger": {"start": draft.event.trigger.start, "end": draft.event.trigger.end},
        "merged": draft.merged,
        "actor_ids": entity_ids("Source"),
        "recipient_ids": entity_ids("Target"),
    }
    for role in EXTENSION_ROLES:
        fillers = []
        for arg in draft.arguments:
            if arg.role != role:
                continue
            if isinstance(arg, EntityArgument):
                m = mentions.get(arg.mention)
                fillers.append(
                    {"entity": arg.entity, "name": name(arg.entity), "text": m.text if m else None}
                )
            else:
                v = values.get(arg.value)
                fillers.append(
                    {
                        "value": arg.value,
                        "type": v.type if v else None,
                        "text": v.text if v else None,
                        "normalized": v.normalized if v else None,
                    }
                )
        if fillers:
            extension[role] = fillers
    date = record.published
    times = [a for a in draft.arguments if a.role == "Time" and not isinstance(a, EntityArgument)]
    if times:
        value = values.get(times[0].value)
        if value is not None and value.normalized and _FULL_DATE.match(value.normalized):
            date = value.normalized
    out: dict[str, Any] = {
        "id": f"{record.id}/{draft.event.id}",
        "event": [draft.type],
        "mode": [draft.mode] if draft.mode else [],
        "context": draft.context,
        "actor": [name(e) for e in entity_ids("Source")],
        "recipient": [name(e) for e in entity_ids("Target")],
        "event_loc": [name(e) for e in entity_ids("Place")],
        "date": date,
        "event_text": draft.event.trigger.text,
    }
    if draft.event.cluster is not None:
        out["link"] = draft.event.cluster
    out["seccoop_args"] = extension
    return out


def export_plover(
    records: Sequence[Record], out_dir: Path, *, drop_negated: bool = False
) -> tuple[list[Path], list[str]]:
    """Write the PLOVER view of ``records`` to ``out_dir/plover.jsonl``, one record per line."""
    lines = [
        json.dumps(item, ensure_ascii=False)
        for record in sorted(records, key=lambda r: r.id)
        for item in plover_records(record, drop_negated=drop_negated)
    ]
    path = out_dir / PLOVER_FILE
    write_text_atomic(path, "".join(line + "\n" for line in lines))
    return [path], []
