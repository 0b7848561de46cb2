"""Shared measures and matching for the scorer: precision, recall and F1 with their counts,
accuracy, macro averages, and maximum one-to-one matching."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seccoop.record.models import Record

Span = tuple[int, int]


Name = tuple[int, int, str]
"""A name: start, end (exclusive) and entity type."""


Cluster = AbstractSet[Hashable]
"""A coreference cluster: a set of mentions, each identified by anything hashable (a span)."""


def entity_spans(record: Record) -> dict[str, frozenset[Span]]:
    """The mention spans of each entity of ``record`` (entity id -> its mentions' spans).

    The one place that groups mentions by entity: coreference clusters, argument and speaker
    credit ("any mention of the gold entity") and the agreement between annotation passes use it.
    """
    spans: dict[str, set[Span]] = {}
    for m in record.mentions:
        spans.setdefault(m.entity, set()).add((m.start, m.end))
    return {entity: frozenset(found) for entity, found in spans.items()}


def _div(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * (precision * recall) / (precision + recall) if precision + recall else 0.0


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1, with the counts they come from."""

    precision: float
    recall: float
    f1: float
    correct: float
    predicted: int
    gold: int

    @classmethod
    def of(cls, correct: float, predicted: int, gold: int) -> Score:
        """P = correct / predicted, R = correct / gold, F1 their harmonic mean (0.0 for 0/0)."""
        p, r = _div(correct, predicted), _div(correct, gold)
        return cls(p, r, _f1(p, r), correct, predicted, gold)

    @property
    def applicable(self) -> bool:
        """Whether there was anything to score (gold or predicted items)."""
        return self.gold > 0 or self.predicted > 0


@dataclass(frozen=True)
class Average:
    """An unweighted (macro) mean of per-label precision, recall and F1."""

    precision: float
    recall: float
    f1: float
    labels: int

    @classmethod
    def of(cls, scores: Sequence[Score | SemEvalScore]) -> Average:
        """The mean over ``scores``; 0.0 when there are none."""
        n = len(scores)
        return cls(
            _div(sum(s.precision for s in scores), n),
            _div(sum(s.recall for s in scores), n),
            _div(sum(s.f1 for s in scores), n),
            n,
        )


@dataclass(frozen=True)
class Accuracy:
    """Correct over total (0.0 when the total is 0)."""

    correct: int
    total: int
    value: float

    @classmethod
    def of(cls, correct: int, total: int) -> Accuracy:
        """The accuracy of ``correct`` out of ``total``."""
        return cls(correct, total, _div(correct, total))


@dataclass(frozen=True)
class Interval:
    """A measure's value on the whole corpus and its bootstrap percentile interval."""

    value: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Intervals:
    """Bootstrap intervals of every headline measure, with how they were made."""

    level: float
    resamples: int
    seed: int
    unit: str
    measures: dict[str, Interval]


def _max_matching(left: int, right: int, edge: Callable[[int, int], bool]) -> list[int | None]:
    """A maximum one-to-one matching (augmenting paths, in index order): the partner of each left."""
    return _max_matching_of([[j for j in range(right) if edge(i, j)] for i in range(left)])


def _keyed_adjacency(
    gold_keys: Sequence[Iterable[Hashable]], pred_keys: Sequence[Hashable | None]
) -> list[list[int]]:
    """The edges of a matching whose rule is "the predicted key is one of the gold item's keys",
    found by hashing instead of testing every pair: each gold item's partners, in order."""
    by_key: dict[Hashable, list[int]] = {}
    for i, keys in enumerate(gold_keys):
        for key in keys:
            by_key.setdefault(key, []).append(i)
    adjacency: list[list[int]] = [[] for _ in gold_keys]
    for j, key in enumerate(pred_keys):
        if key is not None:
            for i in dict.fromkeys(by_key.get(key, ())):
                adjacency[i].append(j)
    return adjacency


def _max_matching_of(adjacency: Sequence[Sequence[int]]) -> list[int | None]:
    """A maximum one-to-one matching over given edges (each left's partners in increasing order)."""
    owner: dict[int, int] = {}
    for i in range(len(adjacency)):
        _augment(adjacency, owner, i)
    partner: list[int | None] = [None] * len(adjacency)
    for j, i in owner.items():
        partner[i] = j
    return partner


def _augment(adjacency: Sequence[Sequence[int]], owner: dict[int, int], root: int) -> bool:
    """One augmenting path from ``root`` (depth first, partners in order), without recursion:
    an explicit stack, so a matching of any size fits (no RecursionError past ~1,000 levels)."""
    seen: set[int] = set()
    stack = [(root, iter(adjacency[root]))]
    path: list[int] = []  # the right item taken at each level of the stack
    while stack:
        _, partners = stack[-1]
        for j in partners:
            if j in seen:
                continue
            seen.add(j)
            path.append(j)
            if j not in owner:
                for (i, _), k in zip(stack, path, strict=True):
                    owner[k] = i
                return True
            stack.append((owner[j], iter(adjacency[owner[j]])))
            break
        else:
            stack.pop()
            if path:
                path.pop()
    return False


def _matched(gold: Sequence[Any], pred: Sequence[Any], rule: Callable[[Any, Any], bool]) -> list[int | None]:
    """The partner of each gold item in a maximum matching under ``rule``."""
    return _max_matching(len(gold), len(pred), lambda i, j: rule(gold[i], pred[j]))


def _multiset_hits(gold: Iterable[Hashable], pred: Iterable[Hashable | None]) -> int:
    g = Counter(gold)
    p = Counter(x for x in pred if x is not None)
    return sum(min(c, p[k]) for k, c in g.items())


def _add(total: list[int], counts: Sequence[int]) -> None:
    for i, c in enumerate(counts):
        total[i] += c


if TYPE_CHECKING:
    from seccoop.bench.score.ner import SemEvalScore
