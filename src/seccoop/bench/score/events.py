"""The ``events`` task: trigger and argument identification and classification (Ji & Grishman 2008)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from seccoop.bench.predictions import (
    AlignedPrediction,
)
from seccoop.bench.score.event_coref import EventCorefScores, score_event_coref
from seccoop.bench.score.measures import (
    Score,
    Span,
    _add,
    _keyed_adjacency,
    _max_matching_of,
    _multiset_hits,
    entity_spans,
)
from seccoop.record.models import EntityArgument, Record


@dataclass(frozen=True)
class EventScores:
    """Trigger and argument identification and classification (Ji & Grishman 2008).

    A trigger is identified when its span equals a gold trigger's span, classified when the event
    type matches too (gold and predicted triggers are matched as multisets, so two events on one
    trigger count twice). An argument is identified when its event type matches a gold argument's
    event type and its span is the span of any mention of the gold entity (or the gold value's
    span); classified when the role matches too; the ``_with_trigger`` variants also require the
    predicted event's trigger span to be the gold event's. Arguments are paired by a maximum
    one-to-one matching per article.
    """

    trigger_identification: Score
    trigger_classification: Score
    argument_identification: Score
    argument_classification: Score
    argument_identification_with_trigger: Score
    argument_classification_with_trigger: Score
    clusters: EventCorefScores | None = None
    """Event coreference (MUC, B-cubed, CEAF-e over event mentions; :mod:`.event_coref`)."""


_GoldArg = tuple[str, Span, str, frozenset[Span]]


_PredArg = tuple[str, Span | None, str, Span | None]


def _event_arguments(record: Record, pred: AlignedPrediction) -> tuple[list[_GoldArg], list[_PredArg]]:
    spans_of = entity_spans(record)
    value_span = {v.id: (v.start, v.end) for v in record.values}
    gold = []
    for event in record.events:
        trigger = (event.trigger.start, event.trigger.end)
        for arg in event.arguments:
            if isinstance(arg, EntityArgument):
                fillers = spans_of.get(arg.entity, frozenset())
            else:
                fillers = frozenset({value_span[arg.value]} if arg.value in value_span else set())
            gold.append((event.type, trigger, arg.role, fillers))
    predicted = [(e.type, e.trigger, a.role, a.span) for e in pred.events for a in e.arguments]
    return gold, predicted


def _score_events(records: Sequence[Record], aligned: Sequence[AlignedPrediction]) -> EventScores:
    tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # correct, predicted, gold
    # An argument matches a gold one when it fills it (its span is one of the gold fillers' spans)
    # and agrees on what the variant asks: these are keys, matched by hashing, not pair by pair.
    variants: dict[str, Callable[[tuple[str, Span | None, str]], tuple[Any, ...]]] = {
        "argument_identification": lambda a: (a[0],),
        "argument_classification": lambda a: (a[0], a[2]),
        "argument_identification_with_trigger": lambda a: (a[0], a[1]),
        "argument_classification_with_trigger": lambda a: (a[0], a[1], a[2]),
    }
    for record, pred in zip(records, aligned, strict=True):
        gold_triggers = [(e.trigger.start, e.trigger.end) for e in record.events]
        gold_typed = [(e.trigger.start, e.trigger.end, e.type) for e in record.events]
        pred_triggers = [e.trigger for e in pred.events]
        pred_typed = [(*e.trigger, e.type) if e.trigger is not None else None for e in pred.events]
        for name, g, p, hits in (
            (
                "trigger_identification",
                gold_triggers,
                pred_triggers,
                _multiset_hits(gold_triggers, pred_triggers),
            ),
            ("trigger_classification", gold_typed, pred_typed, _multiset_hits(gold_typed, pred_typed)),
        ):
            _add(tallies[name], (hits, len(p), len(g)))
        gold_args, pred_args = _event_arguments(record, pred)
        for name, head in variants.items():
            gold_keys = [[(*head(g[:3]), f) for f in g[3]] for g in gold_args]
            pred_keys = [(*head(p[:3]), p[3]) if p[3] is not None else None for p in pred_args]
            matched = _max_matching_of(_keyed_adjacency(gold_keys, pred_keys))
            _add(tallies[name], (sum(1 for x in matched if x is not None), len(pred_args), len(gold_args)))
    scores = {
        name: Score.of(*tallies[name])
        for name in ("trigger_identification", "trigger_classification", *variants)
    }
    return EventScores(**scores, clusters=score_event_coref(records, aligned))
