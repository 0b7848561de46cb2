"""Event coreference: MUC, B-cubed, CEAF-e and their CoNLL mean over event mentions.

An event mention is identified by its article and trigger span. Key clusters are the gold event
clusters (events sharing a ``cluster`` id), with every event without a cluster as a singleton;
response clusters are the predicted events grouped by their optional ``cluster`` label, an event
without a label being a singleton. As in the CoNLL-2012 reference scorer, mentions that only one
side has count (a missed or spurious trigger lowers recall or precision), and the articles are
pooled by summing numerators and denominators. A predicted trigger that could not be aligned is a
mention of its own; a second event on the same trigger span joins the first one's cluster.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from seccoop.bench.predictions import AlignedPrediction
from seccoop.bench.score.coref import CorefScore, b_cubed, ceaf_e, muc
from seccoop.record.models import Record

__all__ = ["EventCorefScores", "event_clusters", "score_event_coref"]


@dataclass(frozen=True)
class EventCorefScores:
    """MUC, B-cubed and CEAF-e of the predicted event clusters, and their mean (CoNLL-2012)."""

    muc: CorefScore
    b_cubed: CorefScore
    ceaf_e: CorefScore
    conll_f1: float
    """The mean of the three F1 (an undefined MUC counts 0, as in the reference scorer)."""


def event_clusters(items: Iterable[tuple[Hashable, str | None]]) -> list[set[Hashable]]:
    """Clusters of mentions from (mention, label) pairs: one per label, a singleton per ``None``.

    A mention met again keeps its first cluster, so the clusters partition the mentions.
    """
    seen: set[Hashable] = set()
    labelled: dict[str, set[Hashable]] = {}
    out: list[set[Hashable]] = []
    for mention, label in items:
        if mention in seen:
            continue
        seen.add(mention)
        if label is None:
            out.append({mention})
        elif label in labelled:
            labelled[label].add(mention)
        else:
            labelled[label] = {mention}
            out.append(labelled[label])
    return out


def score_event_coref(records: Sequence[Record], aligned: Sequence[AlignedPrediction]) -> EventCorefScores:
    """Event-cluster scores of the predictions against the gold records, pooled over articles."""
    key: list[set[Hashable]] = []
    response: list[set[Hashable]] = []
    for record, pred in zip(records, aligned, strict=True):
        key += event_clusters(((record.id, e.trigger.start, e.trigger.end), e.cluster) for e in record.events)
        response += event_clusters(
            ((record.id, *e.trigger) if e.trigger is not None else (record.id, "unaligned", i), e.cluster)
            for i, e in enumerate(pred.events)
        )
    scores = muc(key, response), b_cubed(key, response), ceaf_e(key, response)
    return EventCorefScores(*scores, conll_f1=sum(s.f1 for s in scores) / 3)
