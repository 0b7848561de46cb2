"""Uncertainty of the scores: bootstrap confidence intervals and the paired comparison of two
systems.

**Unit.** Articles are resampled, with replacement, as many as the corpus has (the article is
the unit the corpus was sampled and annotated by; names, mentions and events of one article are
not independent). Every measure of a resample is computed exactly as :func:`score` computes it
on the whole corpus, so an interval is an interval of the reported number itself (micro
averages, macro averages and coreference scores alike).

**Interval.** The percentile interval (Efron & Tibshirani 1993, ch. 13): with B resamples sorted,
the bounds at a level of 95 % are the values of rank ⌊0.025 B⌋ and ⌈0.975 B⌉ − 1 (0-based);
resamples in which a measure has nothing to score are left out of its interval. The random
generator is Python's ``random.Random(seed)``; the same seed, corpus and predictions give the same
intervals. A resample is a multiset of articles, and equal multisets give equal scores, so each
distinct one is scored once.

**Paired comparison.** Both systems are scored on the same resamples; the difference A − B of
each measure gets its percentile interval, and a two-sided paired bootstrap test: with d the
observed difference and d_b that of resample b, p = (1 + #{b : |d_b − d| ≥ |d|}) / (B + 1), the
share of resamples whose difference strays from d at least as far as d strays from 0 (the
bootstrap distribution shifted to the null hypothesis of no difference; Efron & Tibshirani 1993
§16.4, the "paired bootstrap" of Koehn 2004 and Berg-Kirkpatrick et al. 2012 in its two-sided
form). A system compared with itself has d = 0, an interval [0, 0] and p = 1.

With a handful of articles the intervals are wide: that is what they are for.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from seccoop.bench.predictions import AlignedPrediction
from seccoop.bench.score.measures import Interval, Intervals
from seccoop.bench.score.report import ScoreReport
from seccoop.record.models import Record

__all__ = [
    "DEFAULT_RESAMPLES",
    "Comparison",
    "Difference",
    "Interval",
    "Intervals",
    "bootstrap_intervals",
    "compare_aligned",
    "percentile_interval",
    "resamples_of",
]

DEFAULT_RESAMPLES = 1000


@dataclass(frozen=True)
class Difference:
    """A paired difference A − B, its percentile interval and the paired test's p-value."""

    a: float | None
    b: float | None
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None


@dataclass(frozen=True)
class Comparison:
    """The paired comparison of two systems on one gold corpus."""

    level: float
    resamples: int
    seed: int
    unit: str
    measures: dict[str, Difference]


def resamples_of(n: int, resamples: int, seed: int) -> list[tuple[int, ...]]:
    """``resamples`` bootstrap samples of ``n`` indices (sorted multisets), seeded."""
    rng = random.Random(seed)
    return [tuple(sorted(rng.randrange(n) for _ in range(n))) for _ in range(resamples)]


def percentile_interval(values: Sequence[float], level: float) -> tuple[float | None, float | None]:
    """The percentile interval of ``values`` at ``level`` (None, None when there are none)."""
    if not values:
        return None, None
    ordered = sorted(values)
    alpha = (1 - level) / 2
    b = len(ordered)
    low = ordered[min(b - 1, math.floor(alpha * b))]
    high = ordered[max(0, math.ceil((1 - alpha) * b) - 1)]
    return low, high


Scorer = Callable[[Sequence[Record], Sequence[AlignedPrediction]], ScoreReport]


def _headlines(
    records: Sequence[Record],
    systems: Sequence[Sequence[AlignedPrediction]],
    scorer: Scorer,
    samples: Sequence[tuple[int, ...]],
) -> list[list[dict[str, float | None]]]:
    """Headline measures of each system on each resample (a distinct resample scored once)."""
    cache: dict[tuple[int, ...], list[dict[str, float | None]]] = {}
    out = []
    for sample in samples:
        if sample not in cache:
            picked = [records[i] for i in sample]
            cache[sample] = [scorer(picked, [aligned[i] for i in sample]).headline() for aligned in systems]
        out.append(cache[sample])
    return out


def bootstrap_intervals(
    records: Sequence[Record],
    aligned: Sequence[AlignedPrediction],
    scorer: Scorer,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    level: float = 0.95,
) -> Intervals:
    """Percentile intervals of every headline measure, resampling articles (see the module)."""
    full = scorer(records, aligned).headline()
    samples = resamples_of(len(records), resamples, seed) if records else []
    runs = [h[0] for h in _headlines(records, [aligned], scorer, samples)]
    measures = {}
    for key, value in full.items():
        low, high = percentile_interval([v for r in runs if (v := r.get(key)) is not None], level)
        measures[key] = Interval(value, low, high)
    return Intervals(level, resamples, seed, "article", measures)


def compare_aligned(
    records: Sequence[Record],
    aligned_a: Sequence[AlignedPrediction],
    aligned_b: Sequence[AlignedPrediction],
    scorer: Scorer,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    level: float = 0.95,
) -> Comparison:
    """The paired difference A − B of every headline measure, its interval and p-value."""
    full_a = scorer(records, aligned_a).headline()
    full_b = scorer(records, aligned_b).headline()
    samples = resamples_of(len(records), resamples, seed) if records else []
    runs = _headlines(records, [aligned_a, aligned_b], scorer, samples)
    measures = {}
    for key in full_a:
        a, b = full_a[key], full_b.get(key)
        if a is None or b is None:
            measures[key] = Difference(a, b, None, None, None, None)
            continue
        d = a - b
        diffs = [
            ra - rb for ha, hb in runs if (ra := ha.get(key)) is not None and (rb := hb.get(key)) is not None
        ]
        low, high = percentile_interval(diffs, level)
        # A tolerance for float noise, so that equal systems give exactly p = 1.
        far = sum(1 for x in diffs if abs(x - d) >= abs(d) - 1e-12)
        p = (1 + far) / (len(diffs) + 1) if diffs else None
        measures[key] = Difference(a, b, d, low, high, p)
    return Comparison(level, resamples, seed, "article", measures)
