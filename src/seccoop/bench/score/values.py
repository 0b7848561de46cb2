"""The ``values`` task: dates, times, durations, money, quantities and percentages, scored in the
manner of TempEval-3's temporal expression task (UzZaman et al. 2013, Task A).

Span detection is scored twice: **strict** (the predicted span equals the gold span) and
**relaxed** (the spans share at least one character). The two attributes, **type** and
**normalization** (TempEval's ``type`` and ``value``), are scored over the relaxed matches:
attribute accuracy = relaxed matches whose attribute is right / relaxed matches, and attribute
F1 = relaxed F1 × attribute accuracy, which is the F1 of "matched and attribute right" against the
predicted and the gold values. A normalization is right when it equals the gold string exactly,
``null`` equalling ``null`` (the gold says the text cannot be resolved).

Matching is one-to-one per article, and every count is the size of a maximum one-to-one
matching, so no tie-breaking rule decides a score: strict = pairs of equal spans; relaxed =
pairs of overlapping spans; type (normalization) = pairs of overlapping spans whose type
(normalized form) agrees, i.e. the pairing most favourable to the attribute. A predicted value
that could not be aligned to the text matches nothing (a false positive in every measure). Per
type: strict and relaxed F1 of the gold and predicted values of each type against each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from seccoop.bench.predictions import AlignedPrediction
from seccoop.bench.score.measures import Accuracy, Score, Span, _add, _max_matching, _overlap
from seccoop.record.models import Record
from seccoop.record.ontology import load_ontology

GoldValue = tuple[Span, str, str | None]
"""(span, type, normalized) of a gold value."""

PredValue = tuple[Span | None, str, str | None]
"""(span or None when unaligned, type, normalized) of a predicted value."""


@dataclass(frozen=True)
class ValueScores:
    """Values: strict and relaxed span F1, type and normalization accuracy and F1, per type."""

    strict: Score
    relaxed: Score
    type_accuracy: Accuracy
    type: Score
    """F1 of relaxed matches with the right type (relaxed F1 × type accuracy)."""
    normalization_accuracy: Accuracy
    normalization: Score
    """F1 of relaxed matches with the right normalized form (relaxed F1 × accuracy)."""
    strict_by_type: dict[str, Score]
    relaxed_by_type: dict[str, Score]


def gold_values(record: Record) -> list[GoldValue]:
    """The gold values of a record as (span, type, normalized)."""
    return [((v.start, v.end), v.type, v.normalized) for v in record.values]


def predicted_values(aligned: AlignedPrediction) -> list[PredValue]:
    """The predicted values as (span, type, normalized); span None when unaligned."""
    return [(v.span, v.type, v.normalized) for v in aligned.values or ()]


def _pairs(
    gold: Sequence[GoldValue], pred: Sequence[PredValue], rule: Callable[[GoldValue, PredValue], bool]
) -> int:
    """The size of a maximum one-to-one matching of gold and predicted values under ``rule``."""
    return sum(
        p is not None for p in _max_matching(len(gold), len(pred), lambda i, j: rule(gold[i], pred[j]))
    )


def _overlapping(g: GoldValue, p: PredValue) -> bool:
    return p[0] is not None and _overlap(g[0], p[0])


def value_counts(gold: Sequence[GoldValue], pred: Sequence[PredValue]) -> list[int]:
    """[strict, relaxed, type right, normalization right, predicted, gold] of one article."""
    return [
        _pairs(gold, pred, lambda g, p: p[0] == g[0]),
        _pairs(gold, pred, _overlapping),
        _pairs(gold, pred, lambda g, p: _overlapping(g, p) and p[1] == g[1]),
        _pairs(gold, pred, lambda g, p: _overlapping(g, p) and p[2] == g[2]),
        len(pred),
        len(gold),
    ]


def _score_values(records: Sequence[Record], aligned: Sequence[AlignedPrediction]) -> ValueScores:
    types = list(load_ontology().value_types)
    total = [0] * 6
    by_type = {t: [0] * 6 for t in types}
    for record, pred in zip(records, aligned, strict=True):
        g, p = gold_values(record), predicted_values(pred)
        _add(total, value_counts(g, p))
        for t in types:
            _add(by_type[t], value_counts([x for x in g if x[1] == t], [x for x in p if x[1] == t]))
    seen = [t for t in types if by_type[t][4] or by_type[t][5]]
    return value_scores_from_counts(total, {t: _pick(by_type[t]) for t in seen})


def _pick(counts: Sequence[int]) -> tuple[int, int, int, int]:
    """(strict correct, relaxed correct, predicted, gold) of six counts of :func:`value_counts`."""
    return counts[0], counts[1], counts[4], counts[5]


def value_scores_from_counts(total: Sequence[int], by_type: Mapping[str, Sequence[int]]) -> ValueScores:
    """The values scores from summed counts: ``total`` is the six counts of :func:`value_counts`
    (strict, relaxed, typed, normalised, predicted, gold) and ``by_type`` holds, for each type to
    report (in report order), its strict correct, relaxed correct, predicted and gold counts.
    One place turns counts into scores: the scorer and the streamed baseline totals both use it."""
    strict, relaxed, typed, normal, predicted, gold = total
    return ValueScores(
        strict=Score.of(strict, predicted, gold),
        relaxed=Score.of(relaxed, predicted, gold),
        type_accuracy=Accuracy.of(typed, relaxed),
        type=Score.of(typed, predicted, gold),
        normalization_accuracy=Accuracy.of(normal, relaxed),
        normalization=Score.of(normal, predicted, gold),
        strict_by_type={t: Score.of(c[0], c[2], c[3]) for t, c in by_type.items()},
        relaxed_by_type={t: Score.of(c[1], c[2], c[3]) for t, c in by_type.items()},
    )
