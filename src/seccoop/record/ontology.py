"""The annotation ontology: one data file (``ontology.json``) read by every other part.

Entity types, ORG sectors, mention kinds, value types and their normalization patterns,
PLOVER event types with their modes and their allowed and required argument roles, the
filler types each role accepts, PLOVER contexts, realis values, quote kinds and zone kinds
are defined once, in the JSON file shipped with the package. The models, the JSON Schemas,
the validator, the Hugging Face features and the guidelines all read them from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["EventTypeSpec", "Ontology", "RoleSpec", "ValueTypeSpec", "load_ontology"]


@dataclass(frozen=True)
class RoleSpec:
    """An argument role: what it means and which entity or value types may fill it."""

    name: str
    description: str
    accepts: tuple[str, ...]


@dataclass(frozen=True)
class EventTypeSpec:
    """A PLOVER event type with its modes and its allowed and required roles."""

    name: str
    description: str
    modes: dict[str, str]
    roles: tuple[str, ...]
    required: tuple[str, ...]


@dataclass(frozen=True)
class ValueTypeSpec:
    """A value type and the regular expression its normalized form must match."""

    name: str
    description: str
    pattern: str


@dataclass(frozen=True)
class Ontology:
    """Every closed vocabulary of the annotation scheme, in the order of the data file."""

    version: int
    entity_types: dict[str, str]
    org_sectors: dict[str, str]
    mention_kinds: dict[str, str]
    value_types: dict[str, ValueTypeSpec]
    realis: dict[str, str]
    quote_kinds: dict[str, str]
    zone_kinds: dict[str, str]
    roles: dict[str, RoleSpec]
    speaker_types: tuple[str, ...]
    contexts: dict[str, str]
    event_types: dict[str, EventTypeSpec]
    source_note: str

    @property
    def modes(self) -> tuple[str, ...]:
        """Every mode of every event type, sorted and without repeats."""
        return tuple(sorted({m for spec in self.event_types.values() for m in spec.modes}))

    def filler_kind(self, type_name: str) -> str:
        """Return "entity" or "value" for an entity or value type name."""
        return "entity" if type_name in self.entity_types else "value"


def _parse(raw: dict[str, Any]) -> Ontology:
    roles = {
        name: RoleSpec(name, spec["description"], tuple(spec["accepts"]))
        for name, spec in raw["roles"].items()
    }
    events = {
        name: EventTypeSpec(
            name,
            spec["description"],
            dict(spec["modes"]),
            tuple(spec["roles"]),
            tuple(spec["required"]),
        )
        for name, spec in raw["event_types"].items()
    }
    values = {
        name: ValueTypeSpec(name, spec["description"], spec["pattern"])
        for name, spec in raw["value_types"].items()
    }
    return Ontology(
        version=raw["version"],
        entity_types=dict(raw["entity_types"]),
        org_sectors=dict(raw["org_sectors"]),
        mention_kinds=dict(raw["mention_kinds"]),
        value_types=values,
        realis=dict(raw["realis"]),
        quote_kinds=dict(raw["quote_kinds"]),
        zone_kinds=dict(raw["zone_kinds"]),
        roles=roles,
        speaker_types=tuple(raw["speaker_types"]),
        contexts=dict(raw["contexts"]),
        event_types=events,
        source_note=raw["plover_source"],
    )


@cache
def load_ontology() -> Ontology:
    """Read the packaged ``ontology.json`` once and return it as frozen dataclasses."""
    text = resources.files("seccoop.record").joinpath("ontology.json").read_text(encoding="utf-8")
    return _parse(json.loads(text))
