"""The canonical form of a record: the one way a record file is written.

Key order is the models' field order; every layer with offsets is sorted by offset (zones,
sentences, mentions, non-mentions and values by start, then longest first; events by trigger;
quotes by their first content span); entities keep their id order (numeric part compared as a
number); the indent is two spaces and the file ends with one newline. Ids are renumbered only
when asked (:func:`renumber_ids`), because ids are what reviewers and notes refer to.
``seccoop fmt`` writes this form and the validator flags a file that is not in it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from seccoop.record.models import Record, record_data

__all__ = [
    "canonical_record",
    "canonical_text",
    "in_canonical_order",
    "is_canonical",
    "renumber_ids",
    "same_serialization",
]

_ID_PARTS = re.compile(r"(\d+)")
# pydantic's indented JSON writes an unset event cluster as `"cluster": null`; record_data
# leaves the field out. `cluster` is the last field of an event and exists nowhere else, and a
# newline inside a JSON string is always escaped, so this text occurs only as that field.
# Events are objects in the record's "events" array, so their fields are indented by six spaces.
_NULL_CLUSTER = b',\n      "cluster": null\n'


@lru_cache(maxsize=4096)  # ids repeat from record to record (e1, m12, ev3)
def _id_key(identifier: str) -> tuple[Any, ...]:
    """Natural order of ids: e2 before e10."""
    return tuple(int(part) if part.isdigit() else part for part in _ID_PARTS.split(identifier))


def _span_key(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["start"], -item["end"], _id_key(str(item.get("id", ""))), item.get("text", ""))


def _sorted_layers(data: dict[str, Any]) -> dict[str, Any]:
    for layer in ("zones", "sentences", "mentions", "non_mentions", "values"):
        data[layer] = sorted(data[layer], key=_span_key)
    data["entities"] = sorted(data["entities"], key=lambda e: _id_key(e["id"]))
    data["events"] = sorted(
        data["events"], key=lambda e: (e["trigger"]["start"], -e["trigger"]["end"], _id_key(e["id"]))
    )
    data["quotes"] = sorted(
        data["quotes"], key=lambda q: (q["content"][0]["start"], -q["content"][0]["end"], _id_key(q["id"]))
    )
    for quote in data["quotes"]:
        quote["content"] = sorted(quote["content"], key=_span_key)
    return data


def canonical_record(record: Record) -> Record:
    """The record with its layers in canonical order (same content, as sets)."""
    return Record.model_validate(_sorted_layers(record_data(record)))


def canonical_text(record: Record) -> str:
    """The canonical file text of a record (what ``dump_record(canonical_record(record))`` gives,
    without validating the model again: the validator runs this on every clean record)."""
    return json.dumps(_sorted_layers(record_data(record)), ensure_ascii=False, indent=2) + "\n"


def _fast_text(record: Record) -> bytes:
    """The record's file bytes in its current layer order, written by pydantic-core (compiled).

    Equal to ``dump_record(record).encode()``: the same key order, indent, separators and
    escapes (``json.dumps`` with ``ensure_ascii=False`` and pydantic-core escape exactly the
    quote, the backslash and the control characters, the same way), and records hold no floats.
    A property test keeps the two equal.
    """
    return record.__pydantic_serializer__.to_json(record, indent=2).replace(_NULL_CLUSTER, b"\n") + b"\n"


def _ordered(items: Sequence[Any], cheap: list[Any], full: Callable[[Any], Any]) -> bool:
    """Whether ``items`` are non-decreasing by ``full``, given ``cheap``, the list of a prefix of
    each item's full key: sorting an ordered list is one linear pass in C, and the full keys are
    built only where two cheap keys tie."""
    if cheap != sorted(cheap):
        return False
    if len(set(cheap)) == len(cheap):
        return True
    keys = [full(item) for item in items]
    return keys == sorted(keys)


def _model_span_key(item: Any) -> tuple[Any, ...]:
    return (item.start, -item.end, _id_key(str(getattr(item, "id", ""))), item.text)


def in_canonical_order(record: Record) -> bool:
    """Whether every layer of ``record`` is already in the order :func:`canonical_text` sorts to.

    (Sorting is stable, so a layer in order is left exactly as it is.)
    """
    for layer in (record.zones, record.sentences, record.mentions, record.non_mentions, record.values):
        if not _ordered(layer, [(x.start, -x.end) for x in layer], _model_span_key):
            return False
    entity_keys = [_id_key(e.id) for e in record.entities]
    if entity_keys != sorted(entity_keys):
        return False
    triggers = [(e.trigger.start, -e.trigger.end) for e in record.events]
    if not _ordered(record.events, triggers, lambda e: (e.trigger.start, -e.trigger.end, _id_key(e.id))):
        return False
    firsts = [(q.content[0].start, -q.content[0].end) for q in record.quotes]
    if not _ordered(record.quotes, firsts, lambda q: (q.content[0].start, -q.content[0].end, _id_key(q.id))):
        return False
    return all(
        _ordered(q.content, [(x.start, -x.end) for x in q.content], _model_span_key) for q in record.quotes
    )


def is_canonical(record: Record, raw: bytes) -> bool:
    """Whether ``raw`` is exactly the canonical file of ``record`` (``canonical_text(record)``),
    decided without the pure-Python JSON encoder: the layers are in order and the compiled
    serializer writes the same bytes."""
    return in_canonical_order(record) and _fast_text(record) == raw


def same_serialization(record: Record, raw: bytes) -> bool:
    """Whether ``raw`` is exactly what ``dump_record(record)`` writes (in the file's own order).

    Such a file has no repeated key: the serializer writes each field once.
    """
    return _fast_text(record) == raw


def renumber_ids(record: Record) -> Record:
    """Renumber ids in canonical order (s1.., e1.. by first mention, m1.., v1.., ev1.., q1..,
    event clusters ec1.. by first trigger) and rewrite every reference; the content is unchanged."""
    data = _sorted_layers(record_data(record))
    first_mention: dict[str, int] = {}
    for index, mention in enumerate(data["mentions"]):
        first_mention.setdefault(mention["entity"], index)
    entities = sorted(
        data["entities"], key=lambda e: (first_mention.get(e["id"], len(data["mentions"])), _id_key(e["id"]))
    )
    maps: dict[str, dict[str, str]] = {
        "entities": {e["id"]: f"e{i}" for i, e in enumerate(entities, 1)},
        "mentions": {m["id"]: f"m{i}" for i, m in enumerate(data["mentions"], 1)},
        "values": {v["id"]: f"v{i}" for i, v in enumerate(data["values"], 1)},
        "sentences": {s["id"]: f"s{i}" for i, s in enumerate(data["sentences"], 1)},
        "events": {e["id"]: f"ev{i}" for i, e in enumerate(data["events"], 1)},
        "quotes": {q["id"]: f"q{i}" for i, q in enumerate(data["quotes"], 1)},
    }
    for layer in ("sentences", "mentions", "values", "events", "quotes"):
        for item in data[layer]:
            item["id"] = maps[layer][item["id"]]
    for entity in entities:
        entity["id"] = maps["entities"][entity["id"]]
    data["entities"] = entities
    for mention in data["mentions"]:
        mention["entity"] = maps["entities"].get(mention["entity"], mention["entity"])
    clusters: dict[str, str] = {}
    for event in data["events"]:
        if event.get("cluster") is not None:
            event["cluster"] = clusters.setdefault(event["cluster"], f"ec{len(clusters) + 1}")
        for argument in event["arguments"]:
            if "entity" in argument:
                argument["entity"] = maps["entities"].get(argument["entity"], argument["entity"])
                argument["mention"] = maps["mentions"].get(argument["mention"], argument["mention"])
            else:
                argument["value"] = maps["values"].get(argument["value"], argument["value"])
    for quote in data["quotes"]:
        if quote["speaker"] is not None:
            quote["speaker"] = maps["entities"].get(quote["speaker"], quote["speaker"])
        if quote["speaker_mention"] is not None:
            quote["speaker_mention"] = maps["mentions"].get(
                quote["speaker_mention"], quote["speaker_mention"]
            )
    return Record.model_validate(_sorted_layers(data))
