"""Pydantic v2 models of the article record (schema_version 1): the contract of the project.

Offsets are Python string indices (Unicode code points) into ``text``, end-exclusive, and every
span repeats its surface, so that ``text[start:end] == span.text`` can be checked by code.
Every closed vocabulary comes from the ontology data file. Types are strict (no coercion of
``"12"`` to ``12``) and unknown fields are rejected. The JSON Schemas in ``schemas/`` are
generated from these classes.

How the classes are built is tuned for start-up (``seccoop validate`` of one file): the module
has no ``from __future__ import annotations``, so pydantic gets the annotations as objects instead
of strings to evaluate, and every model defers its build (``defer_build``): the validator of
:class:`Record`, which holds every other model, is built once, on its first use, instead of one
validator and serializer per class at import.
"""

import datetime as _dt
import json
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from seccoop.record.ontology import load_ontology

__all__ = [
    "SCHEMA_VERSION",
    "Annotation",
    "Argument",
    "Entity",
    "EntityArgument",
    "Event",
    "Mention",
    "NonMention",
    "Quote",
    "Record",
    "Sentence",
    "Source",
    "Span",
    "Value",
    "ValueArgument",
    "Zone",
    "dump_record",
    "record_data",
]

SCHEMA_VERSION = 1
_ONT = load_ontology()


def _vocab(names: Any) -> Any:
    """A ``Literal`` of the given ontology names (built at import time from the data file)."""
    return Literal[tuple(names)]


if TYPE_CHECKING:
    EntityType = str
    OrgSector = str
    MentionKind = str
    ValueType = str
    EventType = str
    Mode = str
    Context = str
    Realis = str
    QuoteKind = str
    ZoneKind = str
    Role = str
else:
    EntityType = _vocab(_ONT.entity_types)
    OrgSector = _vocab(_ONT.org_sectors)
    MentionKind = _vocab(_ONT.mention_kinds)
    ValueType = _vocab(_ONT.value_types)
    EventType = _vocab(_ONT.event_types)
    Mode = _vocab(_ONT.modes)
    Context = _vocab(_ONT.contexts)
    Realis = _vocab(_ONT.realis)
    QuoteKind = _vocab(_ONT.quote_kinds)
    ZoneKind = _vocab(_ONT.zone_kinds)
    Role = _vocab(_ONT.roles)

Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_-]*$",
        max_length=64,
        description="An identifier, unique within the record (e1, m12, ev3, q2, s4).",
    ),
]
Offset = Annotated[int, Field(ge=0, description="A code-point index into `text`.")]


def _real_date(value: str) -> str:
    _dt.date.fromisoformat(value)
    return value


IsoDate = Annotated[
    str,
    Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", json_schema_extra={"format": "date"}),
    AfterValidator(_real_date),
]


Qid = Annotated[str, Field(pattern=r"^Q[1-9][0-9]*$")]
ClusterId = Annotated[str, Field(pattern=r"^ec[1-9][0-9]*$")]


def _not_bool(value: Any) -> Any:
    # Literal[1] would accept `true` (True == 1 in Python); JSON Schema's const does not.
    if isinstance(value, bool):
        raise ValueError("expected the integer 1, not a boolean")
    return value


SchemaVersion = Annotated[Literal[1], BeforeValidator(_not_bool)]


class _Model(BaseModel):
    # defer_build: built on first use (validation, dump or JSON Schema), same behaviour and schema
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class Span(_Model):
    """A stretch of the article text: `text[start:end]` must equal `text` here."""

    start: Offset
    end: Offset = Field(description="End offset, exclusive.")
    text: str = Field(min_length=1, description="The surface, exactly as it stands in the text.")


class Source(_Model):
    """Where the article text comes from: the seed file, byte for byte."""

    path: str = Field(
        pattern=r"^seeds/[A-Za-z0-9][A-Za-z0-9._-]*\.txt$",
        description="Path of the seed file, relative to the corpus root (the folder holding seeds/).",
    )
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the seed file's bytes.")


class Zone(Span):
    """A part of the text that is not article body: headline, dateline, caption, boilerplate, ..."""

    kind: ZoneKind = Field(description="Zone kind from the ontology.")


class Sentence(Span):
    """A hand-checked sentence (or headline, caption, dateline line) of running text."""

    id: Id


class Entity(_Model):
    """An entity cluster: everything its mentions refer to."""

    id: Id
    type: EntityType = Field(description="Entity type from the ontology (PER, ORG, GPE, ...).")
    name: str = Field(min_length=1, description="Canonical name of the entity.")
    wikidata: Qid | None = Field(
        description="Wikidata QID, only when confirmed by a look-up; null otherwise."
    )
    sector: OrgSector | None = Field(description="For ORG entities only: the kind of organization.")


class Mention(Span):
    """One mention of an entity: a name (NAM), a nominal (NOM) or a pronoun (PRO)."""

    id: Id
    entity: Id = Field(description="The id of the entity cluster this mention refers to.")
    kind: MentionKind = Field(description="Mention kind from the ontology: a name, a nominal or a pronoun.")


class NonMention(Span):
    """An occurrence of an annotated name that is deliberately not a mention, with the reason."""

    reason: str = Field(min_length=1, description="Why this occurrence is not a mention.")


class Value(Span):
    """A date, time, duration, amount of money, quantity or percentage."""

    id: Id
    type: ValueType = Field(description="Value type from the ontology.")
    normalized: str | None = Field(
        description="Normalized form (see the ontology's pattern for the type), or null when the "
        "text does not allow it to be resolved."
    )


class EntityArgument(_Model):
    """An event argument filled by an entity, through the mention that realises it."""

    role: Role = Field(description="Argument role from the ontology (Source, Target, Place, ...).")
    entity: Id = Field(description="The id of the entity that fills the role.")
    mention: Id = Field(description="The id of the mention that realises the entity here.")


class ValueArgument(_Model):
    """An event argument filled by a value (a date, an amount, ...)."""

    role: Role = Field(description="Argument role from the ontology (Time, Amount, Duration, ...).")
    value: Id = Field(description="The id of the value that fills the role.")


Argument = EntityArgument | ValueArgument


class Event(_Model):
    """A PLOVER event with its trigger and arguments."""

    id: Id
    type: EventType = Field(description="PLOVER event type from the ontology.")
    mode: Mode | None = Field(description="A mode of the event type from the ontology, or null.")
    context: list[Context] = Field(description="PLOVER contexts, possibly empty.")
    realis: Realis = Field(description="Realis from the ontology.")
    trigger: Span = Field(description="The word or words that most clearly express the event.")
    arguments: list[Argument] = Field(
        description="Role-labelled fillers: an entity (with a mention) or a value."
    )
    cluster: ClusterId | None = Field(
        default=None,
        description="Event coreference: events that share a cluster id (ec1, ec2, ...) report one "
        "real-world event; every id is used by at least two events of the same type. Null or absent "
        "for an event reported once.",
    )


class Quote(_Model):
    """A direct, indirect or mixed quote with its content, cue and speaker."""

    id: Id
    kind: QuoteKind = Field(description="Quote kind from the ontology.")
    content: list[Span] = Field(
        min_length=1, description="The quoted content; several spans when narration interrupts it."
    )
    cue: Span | None = Field(description="The reporting verb or phrase (said, emphasized that).")
    speaker: Id | None = Field(description="The entity that speaks, or null if unknown.")
    speaker_mention: Id | None = Field(description="The mention of the speaker that the cue attaches to.")


AnnotationStatus = Literal["draft", "single", "double-annotated", "adjudicated"]
ANNOTATION_STATUSES: tuple[str, ...] = get_args(AnnotationStatus)
"""The statuses of a record, from least to most checked."""


class Annotation(_Model):
    """Who annotated the record, its status, and notes (for example why a field is null)."""

    annotators: list[str] = Field(description="The annotators of the independent passes.")
    adjudicator: str | None = Field(description="Who adjudicated the passes, or null.")
    status: AnnotationStatus = Field(
        description="draft: work in progress, not published by `seccoop build`; single: one complete "
        "pass; double-annotated: two independent passes, not adjudicated; adjudicated: two passes "
        "and an adjudication."
    )
    notes: list[str] = Field(description="Why a field is null, hard decisions, sources of links.")


class Record(_Model):
    """One curated news article with every annotation layer, at exact character offsets."""

    schema_version: SchemaVersion = Field(description="Version of this record schema; 1.")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Slug; equals the file name.")
    source: Source = Field(description="The seed file the text comes from.")
    title: str | None = Field(description="The headline as the text states it, else null.")
    publisher: str | None = Field(description="The outlet, if the text names it, else null.")
    byline: str | None = Field(description="The author, if the text names one, else null.")
    published: IsoDate | None = Field(description="Publication date, if the text states it, else null.")
    url: str | None = Field(description="The article's URL, if the text states it, else null.")
    text: str = Field(description="The seed file decoded as UTF-8, unchanged.")
    zones: list[Zone] = Field(
        description="Spans that are not article body (headline, dateline, caption, ...)."
    )
    sentences: list[Sentence] = Field(description="Sentence spans covering all running text; no overlaps.")
    entities: list[Entity] = Field(description="Entity clusters; their mentions point to them by id.")
    mentions: list[Mention] = Field(
        description="Every name, and nominals and pronouns of annotated entities."
    )
    non_mentions: list[NonMention] = Field(
        description="Occurrences of annotated names that are deliberately not mentions, with reasons."
    )
    values: list[Value] = Field(description="Dates, durations, money, quantities, percentages.")
    events: list[Event] = Field(description="PLOVER events with triggers and arguments.")
    quotes: list[Quote] = Field(description="Direct, indirect and mixed quotes.")
    annotation: Annotation = Field(description="Who annotated and adjudicated, the status, and notes.")


def record_data(record: Record) -> dict[str, Any]:
    """The record as the JSON data of a committed file, in the models' key order.

    An event's ``cluster`` is written only when it is set: a singleton event has no field.
    """
    data = record.model_dump(mode="json")
    for event in data["events"]:
        if event["cluster"] is None:
            del event["cluster"]
    return data


def dump_record(record: Record) -> str:
    """Serialize a record the way committed files are written: fixed indent and key order."""
    return json.dumps(record_data(record), ensure_ascii=False, indent=2) + "\n"
