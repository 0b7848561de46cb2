"""What the interchange formats share: result and error types, losses, and rebuilding helpers.

Every format says, as data, which parts of a record it does not carry (:data:`LOSSES`). The
importers take exactly those parts from the base record and everything else from the files, so
``import(export(records), records) == records`` for the formats that can be imported. The
helpers here settle what an importer has read into a record: they keep ids that are still
valid, number new items, gather entity attributes from the mentions of each cluster (reporting
conflicts instead of picking one), and validate the result with the models.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from seccoop.record.models import EntityArgument, Mention, Record, Span

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "LINE_BREAKS",
    "LOSSES",
    "Cluster",
    "ConversionError",
    "ExportResult",
    "Format",
    "IdAllocator",
    "ImportFormat",
    "Loss",
    "MissingExtraError",
    "UnionFind",
    "carriage_return_note",
    "check_record",
    "join_fragments",
    "line_fragments",
    "outermost_names",
    "rebuild_record",
    "settle_entities",
]

Format = Literal["conll", "brat", "spacy", "labelstudio", "plover"]
ImportFormat = Literal["brat", "labelstudio"]
EXPORT_FORMATS: tuple[Format, ...] = ("conll", "brat", "spacy", "labelstudio", "plover")
IMPORT_FORMATS: tuple[ImportFormat, ...] = ("brat", "labelstudio")

ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
# Everything str.splitlines() breaks on: a line-oriented file cannot hold these inside a field.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass(frozen=True)
class Loss:
    """Parts of a record that a format does not carry, named as paths into the record.

    A path is a field of :class:`~seccoop.record.models.Record` (``zones``), a field of every item of a
    layer (``mentions.id``), or a layer with a qualifier in brackets (``mentions[NOM]``,
    ``entities[unmentioned]``: the entity rows that no mention realises; ``entities[order]``:
    the order of the entity table). On import, exactly these parts come from the base record.
    """

    fields: tuple[str, ...]
    detail: str

    def __str__(self) -> str:
        return f"{', '.join(self.fields)}: {self.detail}"


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote, what the format drops, and notes on items it could not write."""

    format: Format
    files: tuple[Path, ...]
    dropped: tuple[Loss, ...]
    notes: tuple[str, ...] = ()

    @property
    def dropped_fields(self) -> frozenset[str]:
        """Every record path named by :attr:`dropped`."""
        return frozenset(f for loss in self.dropped for f in loss.fields)

    def summary(self) -> list[str]:
        """Lines for people: the files, what the format drops, and the notes."""
        lines = [f"wrote {len(self.files)} file(s) in {self.format} format"]
        lines += [f"  {path}" for path in self.files]
        lines += [f"{self.format} drops {loss}" for loss in self.dropped]
        lines += [f"note: {note}" for note in self.notes]
        return lines


@dataclass(frozen=True)
class ConversionError(Exception):
    """Everything that stops records from being exported, or files from being imported."""

    problems: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.problems)


class MissingExtraError(RuntimeError):
    """An optional dependency that a format needs is not installed."""


_META = ("source", "title", "publisher", "byline", "published", "url")
_BASE_ONLY = (
    Loss(_META, "article metadata (source, title, publisher, byline, date, URL)"),
    Loss(("zones",), "zones (headline, dateline, byline, caption, boilerplate, ...)"),
    Loss(("non_mentions",), "non-mentions and their reasons"),
    Loss(("annotation",), "annotators, adjudicator, status and notes"),
)
_ENTITY_TABLE = Loss(
    ("entities[order]", "entities[unmentioned]"),
    "the order of the entity table, and entities that no mention realises (a speaker without a "
    "mention, an unused entity): import keeps them from the base record",
)

LOSSES: dict[Format, tuple[Loss, ...]] = {
    "brat": (
        *_BASE_ONLY,
        Loss(("sentences",), "sentence spans and ids (brat splits sentences for display only)"),
        Loss(
            ("mentions.id", "values.id", "events.id", "quotes.id"),
            "record ids of mentions, values, events and quotes: brat numbers its own (T1, E1, "
            "...); import gives back the base record's id to an item with the same span and "
            "numbers new items",
        ),
        _ENTITY_TABLE,
    ),
    "labelstudio": (
        *_BASE_ONLY,
        Loss(("sentences",), "sentence spans and ids"),
        _ENTITY_TABLE,
    ),
    "conll": (
        *_BASE_ONLY,
        Loss(("text",), "whitespace, and text outside sentences: only sentence tokens are written"),
        Loss(("sentences.id",), "sentence ids (boundaries are kept as blank lines)"),
        Loss(
            ("mentions[NOM]", "mentions[PRO]", "mentions[nested]", "mentions.id"),
            "nominal and pronoun mentions, names nested in a longer name, and mention ids: only "
            "the outermost names (NAM) are tagged",
        ),
        Loss(
            ("entities",),
            "coreference clusters, canonical names, Wikidata QIDs and sectors: a tag keeps only "
            "the entity type",
        ),
        Loss(("values",), "values (dates, money, quantities) and their normalization"),
        Loss(("events",), "events, their triggers and arguments"),
        Loss(("quotes",), "quotes, cues and speakers"),
    ),
    "spacy": (
        *_BASE_ONLY,
        Loss(("sentences.id",), "sentence ids (boundaries are kept as sentence starts)"),
        Loss(
            ("mentions.id", "mentions.kind"),
            "mention ids and kinds (NAM, NOM, PRO); doc.ents holds the outermost names and the "
            "'mentions' span group every mention, labelled with its entity type",
        ),
        Loss(
            ("entities.name", "entities.sector", "entities[unmentioned]"),
            "canonical names, sectors and entities without mentions (a mention span keeps the "
            "entity id as span.id_ and the Wikidata QID as span.kb_id_)",
        ),
        Loss(("values.id", "values.normalized"), "value ids and normalization ('values' span group)"),
        Loss(("events",), "events, their triggers and arguments"),
        Loss(("quotes",), "quotes, cues and speakers"),
    ),
    "plover": (
        *_BASE_ONLY[1:],
        Loss(("text", "sentences"), "the text and the sentences: only trigger texts and offsets are kept"),
        Loss(
            ("entities", "mentions", "non_mentions"),
            "entities and mentions, except the canonical names and ids of event participants",
        ),
        Loss(("values",), "values, except those that fill Time, Duration or Amount"),
        Loss(("quotes",), "quotes, cues and speakers"),
        Loss(
            ("events[generic]", "events[merged]", "events.realis", "events.arguments.mention"),
            "generic events, promised acts merged into the act that announces them (D1), realis "
            "(recoded into type and context, D1-D2) and the mention of each argument (PLOVER codes "
            "actors, not spans)",
        ),
    ),
}


# ---------------------------------------------------------------- checks before export


def _span_problem(record: Record, where: str, span: Span) -> str | None:
    if not 0 <= span.start < span.end <= len(record.text):
        return f"{record.id}: {where} [{span.start}:{span.end}] is out of range"
    actual = record.text[span.start : span.end]
    if actual != span.text:
        return (
            f"{record.id}: {where} text[{span.start}:{span.end}] is {actual!r}, the record says {span.text!r}"
        )
    return None


def check_record(record: Record) -> list[str]:
    """Problems that would make an export wrong: bad offsets and dangling references."""
    spans: list[tuple[str, Span]] = [(f"mention {m.id}", m) for m in record.mentions]
    spans += [(f"value {v.id}", v) for v in record.values]
    spans += [(f"sentence {s.id}", s) for s in record.sentences]
    spans += [(f"event {e.id} trigger", e.trigger) for e in record.events]
    for q in record.quotes:
        spans += [(f"quote {q.id} content", c) for c in q.content]
        if q.cue is not None:
            spans.append((f"quote {q.id} cue", q.cue))
    problems = [p for where, span in spans if (p := _span_problem(record, where, span))]
    entities = {e.id for e in record.entities}
    mentions = {m.id for m in record.mentions}
    values = {v.id for v in record.values}
    for m in record.mentions:
        if m.entity not in entities:
            problems.append(
                f"{record.id}: mention {m.id} refers to entity {m.entity!r}, which is not in the record"
            )
    for e in record.events:
        for a in e.arguments:
            ref, known = (a.mention, mentions) if isinstance(a, EntityArgument) else (a.value, values)
            if ref not in known:
                problems.append(
                    f"{record.id}: event {e.id} argument {a.role} refers to {ref!r}, not in the record"
                )
    for q in record.quotes:
        if q.speaker is not None and q.speaker not in entities:
            problems.append(f"{record.id}: quote {q.id} speaker {q.speaker!r} is not an entity of the record")
        if q.speaker_mention is not None and q.speaker_mention not in mentions:
            problems.append(
                f"{record.id}: quote {q.id} speaker mention {q.speaker_mention!r} is not in the record"
            )
    return problems


def carriage_return_note(record: Record, tool: str) -> str:
    """The warning for a text with carriage returns, which annotation tools may count differently."""
    return (
        f"{record.id}: the text contains carriage returns (\\r); {tool} may read them as line ends "
        "and show offsets after them shifted (the exported offsets are exact)"
    )


def outermost_names(record: Record) -> tuple[list[Mention], list[Mention]]:
    """The NAM mentions not inside another NAM mention, in text order, and those left out.

    A name inside a longer name (``Kenyan`` in ``Kenyan Defence Forces``) is nested and is not
    returned. Names that cross (overlap without one containing the other) cannot both be tagged:
    the earlier one is kept and the later one is returned in the second list.
    """
    names = sorted((m for m in record.mentions if m.kind == "NAM"), key=lambda m: (m.start, -m.end))
    kept: list[Mention] = []
    crossing: list[Mention] = []
    for m in names:
        if not kept or m.start >= kept[-1].end:
            kept.append(m)
        elif m.end > kept[-1].end:
            crossing.append(m)
    return kept, crossing


# ---------------------------------------------------------------- line breaks in line formats


def line_fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` at line breaks into the stretches between them."""
    fragments: list[tuple[int, int]] = []
    i = start
    while i < end:
        if text[i] in LINE_BREAKS:
            i += 1
            continue
        j = i
        while j < end and text[j] not in LINE_BREAKS:
            j += 1
        fragments.append((i, j))
        i = j
    return fragments


def join_fragments(text: str, fragments: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo :func:`line_fragments`: join neighbours in the list that only line breaks separate."""
    joined: list[tuple[int, int]] = []
    for start, end in fragments:
        if joined and start > joined[-1][1] and all(c in LINE_BREAKS for c in text[joined[-1][1] : start]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


# ---------------------------------------------------------------- settling an import


class IdAllocator:
    """Hands out record ids: keeps a wanted id if it is valid and free, else numbers a new one.

    ``reserved`` ids (every id of the base record) are never handed out as new numbers, so a
    deleted item's id is not reused for a different item; ``taken`` ids are already in use.
    """

    def __init__(self, taken: Iterable[str] = (), reserved: Iterable[str] = ()) -> None:
        self._taken = set(taken)
        self._reserved = set(reserved)

    def claim(self, wanted: str | None, prefix: str) -> str:
        """``wanted`` if it is a valid, unused id; otherwise a fresh ``prefix<n>``."""
        if wanted is not None and ID_PATTERN.fullmatch(wanted) and wanted not in self._taken:
            self._taken.add(wanted)
            return wanted
        return self.fresh(prefix)

    def fresh(self, prefix: str) -> str:
        """The next ``prefix<n>`` above every taken or reserved id with that prefix."""
        pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
        numbers = [int(m.group(1)) for i in self._taken | self._reserved if (m := pattern.match(i))]
        n = max(numbers, default=0) + 1
        while f"{prefix}{n}" in self._taken or f"{prefix}{n}" in self._reserved:
            n += 1
        new = f"{prefix}{n}"
        self._taken.add(new)
        return new


class UnionFind:
    """Disjoint sets over string keys (mention handles), for coreference links."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def add(self, key: str) -> None:
        """Make ``key`` a set of its own if it is new."""
        self._parent.setdefault(key, key)

    def find(self, key: str) -> str:
        """The representative of ``key``'s set."""
        self.add(key)
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:
            self._parent[key], key = root, self._parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        """Merge the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[rb] = ra


@dataclass
class Cluster:
    """What a file says about one entity, gathered from its mentions (value -> where it was said)."""

    ids: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    wikidata: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    surfaces: list[tuple[str, str]] = field(default_factory=list)  # (kind, surface) in order

    def say(self, attribute: str, value: str | None, where: str) -> None:
        """Record that ``where`` gives ``attribute`` the value ``value`` (None: says nothing)."""
        if value is not None:
            getattr(self, attribute).setdefault(value, where)


def _single(values: dict[str, str], what: str, label: str, problems: list[str]) -> str | None:
    if len(values) > 1:
        said = ", ".join(f"{v!r} ({where})" for v, where in values.items())
        problems.append(f"{label}: the mentions of one entity disagree on its {what}: {said}")
    return next(iter(values), None)


def settle_entities(
    base: Record,
    clusters: Sequence[Cluster],
    speakers: dict[str, str],
    alloc: IdAllocator,
    problems: list[str],
) -> tuple[list[dict[str, Any]], list[str]]:
    """Entity rows for an imported record, and the entity id of each cluster.

    A cluster's id, type, name, QID and sector come from its mentions; several different values
    are a problem. A cluster without an id gets a new one; without a name, the base record's
    name for its id, else its first name surface. Rows are ordered as in the base record, new
    entities after them; base entities without mentions in the base record are kept, and so are
    entities named only as a speaker (``speakers``: entity id -> where).
    """
    label = base.id
    base_rows = {e.id: e for e in base.entities}
    mentioned_in_base = {m.entity for m in base.mentions}
    ids: list[str] = []
    rows: dict[str, dict[str, Any]] = {}
    for cluster in clusters:
        wanted = _single(cluster.ids, "entity id", label, problems)
        if wanted is not None and not ID_PATTERN.fullmatch(wanted):
            problems.append(f"{label}: {wanted!r} ({cluster.ids[wanted]}) is not a valid entity id")
            wanted = None
        eid = alloc.claim(wanted, "e")
        if wanted is not None and eid != wanted:
            problems.append(f"{label}: entity id {wanted!r} is given to two separate clusters")
        ids.append(eid)
        etype = _single(cluster.types, "type", label, problems)
        name = _single(cluster.names, "name", label, problems)
        if name is None:
            if eid in base_rows:
                name = base_rows[eid].name
            else:
                name = next((s for k, s in cluster.surfaces if k == "NAM"), cluster.surfaces[0][1])
        rows[eid] = {
            "id": eid,
            "type": etype,
            "name": name,
            "wikidata": _single(cluster.wikidata, "Wikidata QID", label, problems),
            "sector": _single(cluster.sectors, "sector", label, problems),
        }
    for eid, where in speakers.items():
        if eid not in rows and eid not in base_rows:
            problems.append(f"{label}: speaker {eid!r} ({where}) is not an entity of the base record")
    ordered: list[dict[str, Any]] = []
    for entity in base.entities:
        if entity.id in rows:
            ordered.append(rows.pop(entity.id))
        elif entity.id in speakers or entity.id not in mentioned_in_base:
            ordered.append(entity.model_dump(mode="json"))
    ordered += rows.values()
    return ordered, ids


def rebuild_record(base: Record, layers: dict[str, Any]) -> Record:
    """The base record with ``layers`` replaced, validated by the models."""
    data = base.model_dump(mode="json")
    data.update(layers)
    try:
        return Record.model_validate(data)
    except ValidationError as exc:
        raise ConversionError(
            tuple(f"{base.id}: /{'/'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        ) from None
