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
from typing import Any

from seccoop.record.models import Record, record_data

__all__ = ["canonical_record", "canonical_text", "renumber_ids"]

_ID_PARTS = re.compile(r"(\d+)")


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
