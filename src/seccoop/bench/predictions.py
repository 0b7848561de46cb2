"""The prediction format a system hands to the scorer, its JSON Schema, its validator and aligner.

A predictions file is JSON Lines: one JSON object per article, ``{"id", "mentions", "values",
"events", "quotes"}``. Every span may be given with offsets (``start``, ``end``, ``text``: code-point
indices into the article text, end-exclusive, exactly as in the records) or by its ``text`` alone,
because language models return JSON, not offsets. Text-only spans are aligned to the article by one
deterministic rule (see :func:`align_prediction`); spans that cannot be aligned are counted and
reported, and score as spurious predictions.

Validation runs before scoring and returns located, coded findings (:class:`PredictionsReport`):
file encoding, JSON syntax per line, the published JSON Schema (:func:`predictions_schema`), the
models, then unknown or repeated article ids and offsets that do not match the text. The codes new
to predictions (:data:`PREDICTION_CODES`) are marked `subject="predictions"` in the one catalog
of :mod:`seccoop.check.diagnostics`. Nothing here prints; nothing raises on bad input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from operator import attrgetter, eq, lt
from pathlib import Path
from typing import Annotated, Any, NamedTuple, cast

import jsonschema
from jsonschema.exceptions import ValidationError, best_match
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticValidationError

from seccoop.check.diagnostics import (
    CATALOG,
    MAX_FINDINGS_PER_FILE,
    CodeSpec,
    Finding,
    Locator,
    exit_code_of,
    finding,
    pointer_of,
    sort_key,
)
from seccoop.record.io import read_regular, write_text_atomic
from seccoop.record.models import EntityType, EventType, MentionKind, QuoteKind, Record, Role, ValueType
from seccoop.record.ontology import load_ontology
from seccoop.record.strictjson import DuplicateKeyError, loads, schema_validator
from seccoop.record.tokens import boundaries

__all__ = [
    "ALIGNMENT_RULE",
    "LAYERS",
    "PREDICTIONS_SCHEMA_ID",
    "PREDICTION_CODES",
    "AlignedArgument",
    "AlignedEvent",
    "AlignedMention",
    "AlignedPrediction",
    "AlignedQuote",
    "AlignedValue",
    "ArgumentPrediction",
    "ArticlePrediction",
    "EventPrediction",
    "MentionPrediction",
    "PredictionsReport",
    "QuotePrediction",
    "SpanPrediction",
    "ValuePrediction",
    "align_prediction",
    "dump_prediction",
    "dumps_predictions",
    "normalise_typography",
    "predictions_schema",
    "read_predictions_jsonl",
    "validate_predictions",
    "write_predictions_jsonl",
]

PREDICTIONS_SCHEMA_ID = "urn:seccoop:schema:predictions:1"
_ONT = load_ontology()

# The codes that only a predictions file can raise; they live in the one catalog with the rest.
PREDICTION_CODES: dict[str, CodeSpec] = {
    code: spec for code, spec in CATALOG.items() if spec.subject == "predictions"
}


_Offset = Annotated[
    int | None,
    Field(ge=0, description="Code-point index into the article text; omit (or null) to align by text."),
]
_EndOffset = Annotated[
    int | None,
    Field(ge=0, description="End offset, exclusive; given together with start, or neither."),
]
_Surface = Annotated[
    str, Field(min_length=1, description="The surface, exactly as it stands in the article text.")
]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _Spanned(_Model):
    """The rule every span follows: offsets come both or not at all (fields live in subclasses)."""

    @model_validator(mode="after")
    def _both_offsets_or_none(self) -> _Spanned:
        start, end = getattr(self, "start", None), getattr(self, "end", None)
        if (start is None) != (end is None):
            raise ValueError(
                f"a span of {getattr(self, 'text', '')!r} gives only one of start and end; "
                "give both or neither"
            )
        return self


class SpanPrediction(_Spanned):
    """A stretch of the article: offsets and surface, or the surface alone."""

    start: _Offset = None
    end: _EndOffset = None
    text: _Surface


class MentionPrediction(_Spanned):
    """A predicted entity mention: a name for NER, any mention for coreference."""

    type: EntityType
    start: _Offset = None
    end: _EndOffset = None
    text: _Surface
    kind: MentionKind = Field(
        default="NAM",
        description="NAM (a name: scored by NER), NOM or PRO (scored only by coreference). NAM when absent.",
    )
    entity: str | None = Field(
        default=None,
        min_length=1,
        description="Cluster label for coreference: mentions of one article with the same label "
        "refer to the same entity. Absent or null: a cluster of its own.",
    )
    wikidata: str | None = Field(
        default=None,
        pattern=r"^Q[1-9][0-9]*$",
        description="Wikidata QID of the entity, or absent/null. A mention without one takes "
        "the first QID given on another mention of its cluster.",
    )


class ValuePrediction(_Spanned):
    """A predicted date, time, duration, amount of money, quantity or percentage."""

    type: ValueType
    start: _Offset = None
    end: _EndOffset = None
    text: _Surface
    normalized: str | None = Field(default=None, description="Normalized form, or absent/null.")


class ArgumentPrediction(_Spanned):
    """An event argument: its role and the span that fills it (a mention or a value)."""

    role: Role
    start: _Offset = None
    end: _EndOffset = None
    text: _Surface


class EventPrediction(_Model):
    """A predicted PLOVER event: type, trigger and arguments."""

    type: EventType
    trigger: SpanPrediction
    arguments: list[ArgumentPrediction] = Field(description="Possibly empty.")
    cluster: str | None = Field(
        default=None,
        description="Event coreference: events of the article with the same label report one "
        "real-world event; null or absent for an event reported once.",
    )


class QuotePrediction(_Model):
    """A predicted quote: kind, content spans, cue and speaker."""

    kind: QuoteKind
    content: list[SpanPrediction] = Field(
        min_length=1, description="The quoted content; several spans when narration interrupts it."
    )
    cue: SpanPrediction | None = Field(description="The reporting verb or phrase, or null.")
    speaker: SpanPrediction | None = Field(
        description="A mention of the speaker (a name, nominal or pronoun), or null."
    )


class ArticlePrediction(_Model):
    """Everything a system predicts for one article: one line of a predictions file."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="The id of the gold article.")
    mentions: list[MentionPrediction] | None = Field(
        default=None,
        description="Entity mentions (tasks ner and entities); possibly empty. Absent or null: "
        "not predicted, scored as empty for those tasks only.",
    )
    values: list[ValuePrediction] | None = Field(
        default=None,
        description="Value expressions (task values); possibly empty. Absent or null: not predicted.",
    )
    events: list[EventPrediction] | None = Field(
        default=None, description="Events (task events); possibly empty. Absent or null: not predicted."
    )
    quotes: list[QuotePrediction] | None = Field(
        default=None, description="Quotes (task quotes); possibly empty. Absent or null: not predicted."
    )

    def layers(self) -> tuple[str, ...]:
        """The layers this line predicts (present, possibly empty)."""
        return tuple(name for name in LAYERS if getattr(self, name) is not None)


LAYERS: tuple[str, ...] = ("mentions", "values", "events", "quotes")
"""The layers of a predictions line; a task is scored on the layer(s) it reads."""


# ---------------------------------------------------------------- JSON Schema

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_DROP_KEYWORDS = frozenset({"title", "default"})


def _clean(node: Any, all_required: bool) -> Any:
    """Drop keywords structured-output engines reject or ignore; optionally require everything."""
    if isinstance(node, list):
        return [_clean(item, all_required) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _clean(sub, all_required) for name, sub in value.items()}
        elif key in _DROP_KEYWORDS:
            continue
        else:
            out[key] = _clean(value, all_required)
    if all_required and isinstance(out.get("properties"), dict):
        out["required"] = list(out["properties"])
    return out


@cache
def _schema(all_required: bool) -> dict[str, Any]:
    body = ArticlePrediction.model_json_schema(mode="validation")
    body.pop("title", None)
    body.pop("description", None)
    head = {
        "$schema": _DIALECT,
        "$id": PREDICTIONS_SCHEMA_ID + (":llm" if all_required else ""),
        "title": "SecCoop News system predictions for one article",
        "description": "One line of a predictions file (JSON Lines): what a system predicts for "
        "one article. A span gives `start` and `end` (code-point offsets into the article text, "
        "end-exclusive) together with `text`, or `text` alone. A line carries only the layers "
        "(mentions, values, events, quotes) of the tasks it is scored on; an absent layer is "
        "'not predicted' for its tasks only. " + ALIGNMENT_RULE + " "
        "Labels come from the SecCoop ontology. Generated from seccoop.bench.predictions; do not edit "
        "by hand.",
    }
    return {**head, **_clean(body, all_required)}


def predictions_schema(*, all_required: bool = False) -> dict[str, Any]:
    """The Draft 2020-12 JSON Schema of one predictions line (published as predictions.schema.json).

    It uses only ``type``, ``properties``, ``required``, ``additionalProperties``, ``items``,
    ``enum``, ``anyOf`` (for null), ``$ref``/``$defs``, ``pattern``, ``minimum``, ``minLength``,
    ``minItems`` and ``description``, so it can be handed as-is to an LLM's structured output.
    With ``all_required=True`` every property is listed as required (optional ones stay nullable),
    as OpenAI's strict mode demands; a response to that schema also validates against the default.
    """
    copy: dict[str, Any] = json.loads(json.dumps(_schema(all_required)))
    return copy


# ---------------------------------------------------------------- alignment

ALIGNMENT_RULE = (
    "Alignment of text-only spans (the contract `seccoop score` applies): the candidates of a "
    "surface are its exact occurrences in the article; when there are none, its occurrences after "
    "typographic normalisation of both sides (curly quotes and apostrophes as straight ones, en "
    "and em dashes and the minus sign as a hyphen, every run of whitespace as one space), which are "
    "counted and reported; candidates whose ends fall on token boundaries are preferred when there "
    "are any. Mentions, values, event triggers and quote contents are each a layer: spans with "
    "offsets hold theirs first; then each text-only span, in file order, takes the leftmost "
    "candidate that overlaps no span held in its layer, else the leftmost one no span of the layer "
    "holds, else the leftmost. An argument takes the candidate nearest its event's trigger, a cue "
    "the one nearest its quote's first content span, a speaker the one nearest its cue (else its "
    "content); cues and speakers avoid candidates inside the quote's content when they can; "
    "nearest is the smallest gap in characters, ties to the left. A span with no candidate is "
    "unaligned: a false positive in every measure."
)
"""The alignment rule, stated once: published in the schema's description and the README."""

Span = tuple[int, int]

_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_WHITESPACE = re.compile(r"\s+")


def normalise_typography(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` with typographic variants folded, and where each folded character came from.

    Returns the folded text, the start offset in ``text`` of each of its characters, and the end
    offset (exclusive) of each: a run of whitespace folds to one space spanning the whole run.
    """
    folded = text.translate(_TYPOGRAPHIC)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    for m in _WHITESPACE.finditer(folded):
        for k in range(i, m.start()):
            out.append(folded[k])
            starts.append(k)
            ends.append(k + 1)
        out.append(" ")
        starts.append(m.start())
        ends.append(m.end())
        i = m.end()
    for k in range(i, len(folded)):
        out.append(folded[k])
        starts.append(k)
        ends.append(k + 1)
    return "".join(out), starts, ends


class AlignedMention(NamedTuple):
    """A predicted mention with resolved offsets (``span`` is None when unaligned).

    The aligned items are named tuples, immutable like the rest, and built at C speed: a
    predictions file at scale holds hundreds of thousands of them."""

    type: str
    kind: str
    span: Span | None
    entity: str | None
    wikidata: str | None


class AlignedValue(NamedTuple):
    """A predicted value with resolved offsets."""

    type: str
    span: Span | None
    normalized: str | None


class AlignedArgument(NamedTuple):
    """A predicted argument with resolved offsets."""

    role: str
    span: Span | None


class AlignedEvent(NamedTuple):
    """A predicted event with resolved trigger and argument offsets."""

    type: str
    trigger: Span | None
    arguments: tuple[AlignedArgument, ...]
    cluster: str | None = None


class AlignedQuote(NamedTuple):
    """A predicted quote with resolved offsets; ``cue_given``/``speaker_given`` tell null apart."""

    kind: str
    content: tuple[Span | None, ...]
    cue: Span | None
    cue_given: bool
    speaker: Span | None
    speaker_given: bool


@dataclass(frozen=True)
class AlignedPrediction:
    """An article prediction with every span resolved to offsets, and what could not be."""

    id: str
    mentions: tuple[AlignedMention, ...]
    values: tuple[AlignedValue, ...]
    events: tuple[AlignedEvent, ...]
    quotes: tuple[AlignedQuote, ...]
    unaligned: tuple[str, ...] = field(default=())
    """JSON pointers of text-only spans whose text does not occur in the article."""
    bad_offsets: tuple[str, ...] = field(default=())
    """JSON pointers of spans whose offsets do not match the text (the validator rejects these)."""
    normalised: tuple[str, ...] = field(default=())
    """JSON pointers of text-only spans aligned only after typographic normalisation."""
    missing: tuple[str, ...] = field(default=())
    """Layers the line does not predict (absent): scored as empty for their tasks."""
    layers: tuple[str, ...] = LAYERS
    """Layers that were aligned (:func:`align_prediction`'s ``layers``); the others are left empty
    and must not be scored."""


_Item = tuple[int | None, int | None, str, list[str | int]]

_MENTION_FIELDS = attrgetter("type", "kind", "start", "end", "text", "entity", "wikidata")
"""What an aligned mention needs of a predicted one, read in one step per mention."""


def _item(start: int | None, end: int | None, text: str, *path: str | int) -> _Item:
    return (start, end, text, list(path))


class _Aligner:
    """Resolves spans of one article; see :func:`align_prediction` for the rule."""

    def __init__(self, text: str, bounds: tuple[AbstractSet[int], AbstractSet[int]] | None = None) -> None:
        self.text = text
        self._bounds = bounds
        self._cache: dict[str, tuple[list[Span], bool]] = {}
        self._folded: tuple[str, list[int], list[int]] | None = None
        self.unaligned: list[str] = []
        self.bad: list[str] = []
        self.normalised: list[str] = []

    def _on_tokens(self, hits: list[Span]) -> list[Span]:
        if len(hits) < 2:
            return hits
        if self._bounds is None:
            self._bounds = boundaries(self.text)
        starts, ends = self._bounds
        return [h for h in hits if h[0] in starts and h[1] in ends] or hits

    def _find(self, needle: str) -> tuple[list[Span], bool]:
        if needle not in self._cache:
            hits: list[Span] = []
            i = self.text.find(needle)
            while i != -1:
                hits.append((i, i + len(needle)))
                i = self.text.find(needle, i + 1)
            folded = False
            if not hits:
                if self._folded is None:
                    self._folded = normalise_typography(self.text)
                ftext, fstarts, fends = self._folded
                fneedle = normalise_typography(needle)[0]
                i = ftext.find(fneedle) if fneedle else -1
                while i != -1:
                    hits.append((fstarts[i], fends[i + len(fneedle) - 1]))
                    i = ftext.find(fneedle, i + 1)
                folded = bool(hits)
            self._cache[needle] = (self._on_tokens(hits), folded)
        return self._cache[needle]

    def occurrences(self, needle: str, path: list[str | int]) -> list[Span]:
        hits, folded = self._find(needle)
        if not hits:
            self.unaligned.append(pointer_of(path))
        elif folded:
            self.normalised.append(pointer_of(path))
        return hits

    def given(self, start: int | None, end: int | None, text: str, path: list[str | int]) -> Span | None:
        """The span's own offsets, if it gives valid ones; None for text-only spans."""
        if start is None or end is None:
            return None
        if start < end <= len(self.text) and self.text[start:end] == text:
            return (start, end)
        self.bad.append(pointer_of(path))
        return None

    def offset_mentions(self, mentions: Sequence[MentionPrediction]) -> tuple[AlignedMention, ...] | None:
        """:meth:`offsets_only` of the mentions layer, building the aligned mentions in the same
        pass (the one layer every NER run aligns, often hundreds of thousands of spans).

        Column by column: each mention's fields are read once, and the offsets are checked and the
        aligned mentions built by ``map`` over the columns (in C, no Python step per mention);
        only a layer with a bad span is walked mention by mention, to name the bad ones.
        """
        if not mentions:
            return ()
        text = self.text
        types, kinds, starts, ends, surfaces, entities, qids = zip(
            *map(_MENTION_FIELDS, mentions), strict=True
        )
        if None in starts or None in ends:
            return None
        if (
            all(map(lt, starts, ends))
            and max(ends) <= len(text)
            and all(map(eq, map(text.__getitem__, map(slice, starts, ends)), surfaces))
        ):
            fields = zip(types, kinds, zip(starts, ends, strict=True), entities, qids, strict=True)
            return tuple(map(tuple.__new__, repeat(AlignedMention), fields))
        return self._offset_mentions_one_by_one(mentions)

    def _offset_mentions_one_by_one(
        self, mentions: Sequence[MentionPrediction]
    ) -> tuple[AlignedMention, ...]:
        """:meth:`offset_mentions` of a layer whose spans all give offsets, some of them bad."""
        text, size = self.text, len(self.text)
        out: list[AlignedMention] = []
        bad: list[str] = []
        new = tuple.__new__
        for i, m in enumerate(mentions):
            start, end = cast(int, m.start), cast(int, m.end)
            span: Span | None = (start, end)
            if not (start < end <= size and text[start:end] == m.text):
                bad.append(pointer_of(["mentions", i]))
                span = None
            out.append(new(AlignedMention, (m.type, m.kind, span, m.entity, m.wikidata)))
        self.bad += bad
        return tuple(out)

    def offsets_only(
        self, spans: Sequence[MentionPrediction | ValuePrediction], name: str
    ) -> list[Span | None] | None:
        """A layer whose spans all give offsets, checked without building paths; None otherwise."""
        text, size = self.text, len(self.text)
        out: list[Span | None] = []
        bad: list[str] = []
        for i, x in enumerate(spans):
            start, end = x.start, x.end
            if start is None or end is None:
                return None
            if start < end <= size and text[start:end] == x.text:
                out.append((start, end))
            else:
                bad.append(pointer_of([name, i]))
                out.append(None)
        self.bad += bad
        return out

    def layer(self, items: Sequence[_Item]) -> list[Span | None]:
        """Sequential rule: offsets first, then each text-only span takes the first free occurrence."""
        if all(item[0] is not None for item in items):
            # Offsets only: nothing to choose, so no record of what is held.
            return [self.given(start, end, text, path) for start, end, text, path in items]
        used: set[Span] = set()
        covered = bytearray(len(self.text))  # characters inside a held span

        def hold(span: Span) -> None:
            used.add(span)
            covered[span[0] : span[1]] = b"\x01" * (span[1] - span[0])

        out: list[Span | None] = []
        for start, end, text, path in items:
            span = self.given(start, end, text, path)
            if span is not None:
                hold(span)
            out.append(span)
        for k, (start, _end, text, path) in enumerate(items):
            if start is not None:
                continue
            hits = self.occurrences(text, path)
            if not hits:
                continue
            free = next((h for h in hits if h not in used), None)
            clear = next((h for h in hits if not any(covered[h[0] : h[1]])), None)
            chosen = clear or free or hits[0]
            hold(chosen)
            out[k] = chosen
        return out

    def nearest(
        self,
        span: SpanPrediction | ArgumentPrediction,
        path: list[str | int],
        anchor: Span | None,
        avoid: Sequence[Span | None] = (),
    ) -> Span | None:
        """Anchored rule: the occurrence nearest ``anchor`` (ties go left), outside ``avoid``."""
        if span.start is not None:
            return self.given(span.start, span.end, span.text, path)
        hits = self.occurrences(span.text, path)
        if not hits:
            return None
        blocked = [a for a in avoid if a is not None]
        outside = [h for h in hits if not any(h[0] < b[1] and b[0] < h[1] for b in blocked)]
        hits = outside or hits
        if anchor is None:
            return hits[0]
        a0, a1 = anchor
        return min(hits, key=lambda h: (max(0, a0 - h[1], h[0] - a1), h[0]))


def align_prediction(
    prediction: ArticlePrediction,
    text: str,
    bounds: tuple[AbstractSet[int], AbstractSet[int]] | None = None,
    layers: Collection[str] = LAYERS,
) -> AlignedPrediction:
    """Resolve every span of ``prediction`` to offsets into ``text``, deterministically.

    The rule is :data:`ALIGNMENT_RULE` (published in the schema and the README). ``bounds`` are
    the token start and end offsets of ``text`` (:func:`seccoop.record.tokens.boundaries`) when
    the caller has them already; they are computed only if a surface occurs more than once.

    Spans that give offsets keep them (when ``text[start:end]`` equals their surface; otherwise
    they are listed in ``bad_offsets`` and treated as unaligned). A text-only span is matched
    against the exact occurrences of its surface in the article (or, when there are none, its
    occurrences after typographic normalisation, listed in ``normalised``), preferring
    occurrences whose ends are token boundaries of :func:`seccoop.record.tokens.tokenize` (so
    "US" is not found inside "USA"):

    * mentions, values, event triggers and quote contents are layers: within a layer, spans with
      offsets reserve theirs first, then text-only spans, in file order, take the first
      occurrence (left to right) that no earlier span of the layer holds, preferring one that
      does not overlap a held span (so "Mensah" listed after "Ama Mensah" goes to a later
      "Mensah", not into the full name); when every occurrence is held, the first one is reused
      (so it duplicates an earlier prediction);
    * an argument takes the occurrence nearest its event's trigger, a cue the one nearest its
      quote's first content span, a speaker the one nearest its cue (else its content); cues and
      speakers avoid occurrences inside the quote's content when they can. Nearest means the
      smallest gap in characters between the two spans; ties go to the leftmost. Without an
      aligned anchor, the first occurrence is taken.

    A text-only span whose surface does not occur in the article is unaligned: its pointer is
    listed in ``unaligned`` and it scores as a spurious prediction.

    Only the given ``layers`` are aligned (a task reads one layer: aligning the others would be
    wasted); the others come out empty, and the result lists what was aligned in ``layers``.
    """
    al = _Aligner(text, bounds)
    p_mentions = (prediction.mentions or []) if "mentions" in layers else []
    p_values = (prediction.values or []) if "values" in layers else []
    p_events = (prediction.events or []) if "events" in layers else []
    p_quotes = (prediction.quotes or []) if "quotes" in layers else []
    mentions = al.offset_mentions(p_mentions)
    if mentions is None:
        ments = al.layer([_item(m.start, m.end, m.text, "mentions", i) for i, m in enumerate(p_mentions)])
        mentions = tuple(
            AlignedMention(m.type, m.kind, span, m.entity, m.wikidata)
            for m, span in zip(p_mentions, ments, strict=True)
        )
    vals = al.offsets_only(p_values, "values")
    if vals is None:
        vals = al.layer([_item(v.start, v.end, v.text, "values", i) for i, v in enumerate(p_values)])
    trigs = al.layer(
        [
            _item(e.trigger.start, e.trigger.end, e.trigger.text, "events", i, "trigger")
            for i, e in enumerate(p_events)
        ]
    )
    flat_content = [
        _item(part.start, part.end, part.text, "quotes", i, "content", j)
        for i, q in enumerate(p_quotes)
        for j, part in enumerate(q.content)
    ]
    content_spans = iter(al.layer(flat_content))
    contents = [tuple(next(content_spans) for _ in q.content) for q in p_quotes]

    events = []
    for i, (event, trigger) in enumerate(zip(p_events, trigs, strict=True)):
        args = tuple(
            AlignedArgument(a.role, al.nearest(a, ["events", i, "arguments", j], trigger))
            for j, a in enumerate(event.arguments)
        )
        events.append(AlignedEvent(event.type, trigger, args, event.cluster))
    quotes = []
    for i, (quote, content) in enumerate(zip(p_quotes, contents, strict=True)):
        first = next((c for c in content if c is not None), None)
        cue = al.nearest(quote.cue, ["quotes", i, "cue"], first, content) if quote.cue is not None else None
        speaker = (
            al.nearest(quote.speaker, ["quotes", i, "speaker"], cue or first, content)
            if quote.speaker is not None
            else None
        )
        quotes.append(
            AlignedQuote(quote.kind, content, cue, quote.cue is not None, speaker, quote.speaker is not None)
        )
    values = tuple(AlignedValue(v.type, span, v.normalized) for v, span in zip(p_values, vals, strict=True))
    missing = tuple(name for name in LAYERS if getattr(prediction, name) is None)
    return AlignedPrediction(
        prediction.id,
        mentions,
        values,
        tuple(events),
        tuple(quotes),
        tuple(al.unaligned),
        tuple(al.bad),
        tuple(al.normalised),
        missing,
        tuple(name for name in LAYERS if name in layers),
    )


# ---------------------------------------------------------------- JSON Lines


def dump_prediction(prediction: ArticlePrediction) -> str:
    """One compact JSON line (no newline); optional fields that are null are left out."""
    return json.dumps(_compact(prediction), ensure_ascii=False, separators=(",", ":"))


def _compact(model: BaseModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None and not info.is_required():
            continue
        if isinstance(value, BaseModel):
            out[name] = _compact(value)
        elif isinstance(value, list):
            out[name] = [_compact(v) if isinstance(v, BaseModel) else v for v in value]
        else:
            out[name] = value
    return out


def dumps_predictions(predictions: Iterable[ArticlePrediction]) -> str:
    """A whole predictions file: one line per article, each ending in a newline."""
    return "".join(dump_prediction(p) + "\n" for p in predictions)


def write_predictions_jsonl(path: Path, predictions: Iterable[ArticlePrediction]) -> None:
    """Write a predictions file atomically."""
    write_text_atomic(path, dumps_predictions(predictions))


def read_predictions_jsonl(path: Path) -> list[ArticlePrediction]:
    """Read a predictions file that is known to be good; raise ``ValueError`` at the first problem.

    Use :func:`validate_predictions` to get every problem as a located finding instead.
    """
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(ArticlePrediction.model_validate_json(line))
        except PydanticValidationError as exc:
            raise ValueError(f"{path}:{n}: {exc}") from exc
    return out


# ---------------------------------------------------------------- validation


_SCHEMA_HINT = "See schemas/predictions.schema.json (seccoop.bench.predictions.predictions_schema())."


@dataclass(frozen=True)
class PredictionsReport:
    """The outcome of validating a predictions file: sorted findings and the lines that loaded."""

    findings: tuple[Finding, ...]
    predictions: tuple[ArticlePrediction, ...]
    lines: int
    skipped: tuple[str, ...] = ()
    """Ids of lines left out because their article is not in the gold (``ignore_extra``)."""
    aligned: tuple[AlignedPrediction, ...] = ()
    """Each of ``predictions`` aligned to its article's text (all layers), as validation found
    it: the scorer reuses them instead of aligning again."""

    @property
    def exit_code(self) -> int:
        """0 no errors (warnings allowed), 1 error findings, 2 the file cannot be read."""
        return exit_code_of(self.findings)


@cache
def _validator() -> jsonschema.protocols.Validator:
    return schema_validator(predictions_schema())


def _short(value: Any, limit: int = 60) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = "a value nested too deeply to show" if isinstance(value, list | dict) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_finding(error: ValidationError, file: str, line: int, locator: Locator) -> Finding:
    while error.validator in ("anyOf", "oneOf") and error.context:
        # Prefer the branch whose type matched ("Q0" breaks the QID pattern, it is not "not null").
        matched = [e for e in error.context if e.validator != "type"]
        chosen = best_match(matched or error.context)
        if chosen is None:
            break
        error = chosen
    path: list[str | int] = list(error.absolute_path)
    where = pointer_of(path) or "the line"
    instance = error.instance
    keyword = error.validator
    if keyword == "type":
        code, message = "wrong-type", f"{where} is {_short(instance)}, expected {error.validator_value}"
    elif keyword == "required":
        missing = [k for k in error.validator_value if isinstance(instance, dict) and k not in instance]
        code, message = (
            "missing-field",
            f"{where} lacks the required field(s) {', '.join(map(json.dumps, missing))}",
        )
    elif keyword == "additionalProperties":
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(k for k in instance if k not in allowed) if isinstance(instance, dict) else []
        if extra:
            path = [*path, extra[0]]
        code = "unknown-field"
        message = (
            f"unknown field(s) {', '.join(map(json.dumps, extra))} in {where}; allowed: {', '.join(allowed)}"
        )
    elif keyword in ("enum", "const"):
        allowed_values = error.validator_value if keyword == "enum" else [error.validator_value]
        code = "not-in-vocabulary"
        message = f"{where} is {_short(instance)}, expected one of: {', '.join(map(str, allowed_values))}"
    else:
        code = "constraint-violation"
        message = f"{where}: {_short(instance)} breaks `{keyword}`: {error.message[:200]}"
    _, column = locator.locate(path)
    hint = None if code == "not-in-vocabulary" else _SCHEMA_HINT
    return finding(code, message, file=file, pointer=pointer_of(path), line=line, column=column, hint=hint)


def _spans_of(prediction: ArticlePrediction) -> Iterable[tuple[list[str | int], int | None, int | None, str]]:
    for i, m in enumerate(prediction.mentions or ()):
        yield ["mentions", i], m.start, m.end, m.text
    for i, v in enumerate(prediction.values or ()):
        yield ["values", i], v.start, v.end, v.text
    for i, e in enumerate(prediction.events or ()):
        yield ["events", i, "trigger"], e.trigger.start, e.trigger.end, e.trigger.text
        for j, a in enumerate(e.arguments):
            yield ["events", i, "arguments", j], a.start, a.end, a.text
    for i, q in enumerate(prediction.quotes or ()):
        for j, part in enumerate(q.content):
            yield ["quotes", i, "content", j], part.start, part.end, part.text
        if q.cue is not None:
            yield ["quotes", i, "cue"], q.cue.start, q.cue.end, q.cue.text
        if q.speaker is not None:
            yield ["quotes", i, "speaker"], q.speaker.start, q.speaker.end, q.speaker.text


def _offset_findings(
    prediction: ArticlePrediction, text: str, file: str, line: int, locator: Locator
) -> list[Finding]:
    out = []
    for path, start, end, surface in _spans_of(prediction):
        if start is None or end is None:
            continue
        if not start < end <= len(text):
            code = "span-out-of-range"
            message = (
                f"[{start}:{end}] is empty, reversed or past the end of the article "
                f"({len(text)} characters); expected 0 <= start < end <= {len(text)}"
            )
        elif text[start:end] != surface:
            code = "span-text-mismatch"
            message = f"text[{start}:{end}] is {text[start:end]!r}, the prediction says {surface!r}"
        else:
            continue
        _, column = locator.locate([*path, "start"])
        out.append(finding(code, message, file=file, pointer=pointer_of(path), line=line, column=column))
    return out


def _check_line(
    raw: str, n: int, file: str, gold: Mapping[str, str], seen: dict[str, int], skipped: list[str] | None
) -> tuple[tuple[ArticlePrediction, AlignedPrediction] | None, list[Finding]]:
    try:
        data = loads(raw)
    except DuplicateKeyError as exc:
        at = [m.start() for m in re.finditer(re.escape(json.dumps(exc.key)) + r"\s*:", raw)]
        column = at[1] + 1 if len(at) > 1 else 0
        message = f"key {json.dumps(exc.key, ensure_ascii=False)} appears twice in one object"
        return None, [finding("duplicate-key", message, file=file, line=n, column=column)]
    except json.JSONDecodeError as exc:
        return None, [finding("json-syntax", exc.msg, file=file, line=n, column=exc.colno)]
    except (ValueError, RecursionError) as exc:
        message = str(exc) if isinstance(exc, ValueError) else "the JSON is nested too deeply"
        return None, [finding("json-syntax", message, file=file, line=n)]
    locator = Locator(raw)
    try:
        # The models are the fast path; the published schema runs only to explain a rejection.
        prediction = ArticlePrediction.model_validate(data)
    except (PydanticValidationError, RecursionError) as exc:
        try:
            errors = list(_validator().iter_errors(data))
        except RecursionError:
            return None, [finding("constraint-violation", "the JSON is nested too deeply", file=file, line=n)]
        if errors:
            # One `required` error per missing field all say the same thing: keep each finding once.
            return None, list(dict.fromkeys(_schema_finding(e, file, n, locator) for e in errors))
        if not isinstance(exc, PydanticValidationError):
            return None, [finding("constraint-violation", "the JSON is nested too deeply", file=file, line=n)]
        out = []
        for err in exc.errors():
            path = [p for p in err["loc"] if isinstance(p, str | int)]
            _, column = locator.locate(path)
            message = f"{pointer_of(path) or 'the line'}: {err['msg']}"
            out.append(
                finding(
                    "constraint-violation",
                    message,
                    file=file,
                    pointer=pointer_of(path),
                    line=n,
                    column=column,
                    hint=_SCHEMA_HINT,
                )
            )
        return None, out
    _, id_column = locator.locate(["id"])
    if prediction.id not in gold and skipped is not None:
        skipped.append(prediction.id)
        return None, []
    if prediction.id not in gold:
        known = ", ".join(sorted(gold)[:5]) + (", ..." if len(gold) > 5 else "")
        message = f"id {prediction.id!r} is not a gold article; expected one of: {known or '(none)'}"
        return None, [finding("unknown-article", message, file=file, pointer="/id", line=n, column=id_column)]
    if prediction.id in seen:
        message = f"id {prediction.id!r} was already predicted on line {seen[prediction.id]}"
        return None, [
            finding("duplicate-prediction", message, file=file, pointer="/id", line=n, column=id_column)
        ]
    seen[prediction.id] = n
    text = gold[prediction.id]
    findings = _offset_findings(prediction, text, file, n, locator)
    aligned = align_prediction(prediction, text)
    for pointer in aligned.unaligned:
        surface = _surface_at(prediction, pointer)
        _, column = locator.locate([int(p) if p.isdigit() else p for p in pointer.split("/")[1:]])
        findings.append(
            finding(
                "unaligned-span",
                f"{surface!r} does not occur in the text of {prediction.id!r}",
                file=file,
                pointer=pointer,
                line=n,
                column=column,
            )
        )
    return (prediction, aligned), findings


def _surface_at(prediction: ArticlePrediction, pointer: str) -> str:
    node: Any = prediction
    for step in pointer.split("/")[1:]:
        node = node[int(step)] if step.isdigit() else getattr(node, step)
    return str(node.text)


def validate_predictions(
    path: Path,
    gold: Sequence[Record] | Mapping[str, str],
    *,
    display: str | None = None,
    ignore_extra: bool = False,
) -> PredictionsReport:
    """Validate a predictions file against the gold records (or a map of article id to text).

    Every finding is located (file, line, column, JSON pointer inside the line). Lines with
    errors are left out of ``predictions``; blank lines are skipped. A file without a single
    prediction line is an ``empty-predictions`` error. With ``ignore_extra``, lines for articles
    that are not in ``gold`` (scoring a subset) are left out and their ids listed in ``skipped``
    instead of raising ``unknown-article``. Gold articles without a line get an
    ``article-not-predicted`` warning only when the file has no error (when nothing will be
    scored, they would only hide the real problem). Never raises on bad input.
    """
    file = display or str(path)
    texts = dict(gold) if isinstance(gold, Mapping) else {r.id: r.text for r in gold}
    try:
        raw = read_regular(path)
    except OSError as exc:
        return PredictionsReport(
            (finding("io-error", f"cannot read {file}: {exc.strerror or exc}", file=file),), (), 0
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        message = "the file starts with a UTF-8 byte-order mark (EF BB BF); expected plain UTF-8"
        return PredictionsReport((finding("encoding-error", message, file=file, line=1, column=1),), (), 0)
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        at_line = raw.count(b"\n", 0, exc.start) + 1
        message = f"byte {raw[exc.start : exc.start + 1]!r} at offset {exc.start} is not valid UTF-8"
        return PredictionsReport((finding("encoding-error", message, file=file, line=at_line),), (), 0)
    findings: list[Finding] = []
    loaded: list[ArticlePrediction] = []
    aligned: list[AlignedPrediction] = []
    seen: dict[str, int] = {}
    skipped: list[str] | None = [] if ignore_extra else None
    total, errors, stopped, count = 0, 0, 0, 0
    for n, offset, line in _lines(content):
        if errors >= MAX_FINDINGS_PER_FILE:
            # the run fails whatever follows: stop rather than validate and collect the rest, and
            # count the lines left without splitting them out
            stopped = n
            count += sum(1 for _ in _NONBLANK.finditer(content, offset))
            break
        count += 1
        checked, line_findings = _check_line(line.rstrip("\r"), n, file, texts, seen, skipped)
        total += len(line_findings)
        findings.extend(line_findings[: max(0, MAX_FINDINGS_PER_FILE - len(findings))])
        line_errors = sum(1 for f in line_findings if f.severity == "error")
        errors += line_errors
        if checked is not None and not line_errors:
            loaded.append(checked[0])
            aligned.append(checked[1])
    if not count:
        message = "the file holds no prediction line; expected one JSON object per article"
        return PredictionsReport((finding("empty-predictions", message, file=file),), (), 0)
    findings.sort(key=sort_key)
    if not stopped and not errors:
        # After the line findings: a missing article is a consequence, never the headline.
        for article in sorted(set(texts) - set(seen)):
            message = f"article {article!r} has no prediction; it is scored as an empty prediction"
            total += 1
            if len(findings) < MAX_FINDINGS_PER_FILE:
                findings.append(finding("article-not-predicted", message, file=file))
    if stopped or total > len(findings):
        message = (
            f"{MAX_FINDINGS_PER_FILE} errors; validation stopped before line {stopped}"
            if stopped
            else f"{total} findings; only the first {len(findings)} are listed"
        )
        findings.append(finding("findings-truncated", message, file=file))
    return PredictionsReport(tuple(findings), tuple(loaded), count, tuple(skipped or ()), tuple(aligned))


_NONBLANK = re.compile(r"^[^\S\n]*\S", re.MULTILINE)
"""The start of a line (split at "\n") that is not blank (``str.strip`` leaves something)."""


def _lines(content: str) -> Iterator[tuple[int, int, str]]:
    """The non-blank lines of ``content`` (split at "\n"), one at a time: line number, offset of
    the line's start, line. A file of a million lines is never held as a list of lines."""
    n, counted = 1, 0
    for match in _NONBLANK.finditer(content):
        start = match.start()  # the pattern is anchored at the start of a line
        n += content.count("\n", counted, start)
        counted = start
        end = content.find("\n", start)
        yield n, start, content[start:] if end < 0 else content[start:end]
