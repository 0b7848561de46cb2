"""The ``entities`` task: mention detection, coreference (MUC, B-cubed, CEAF-e, the CoNLL-2012
mean) and Wikidata link accuracy."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from seccoop.bench.predictions import (
    AlignedPrediction,
)
from seccoop.bench.score.measures import Accuracy, Cluster, Score, Span, _div, _f1, entity_spans
from seccoop.record.models import Record


@dataclass(frozen=True)
class CorefScore:
    """A coreference metric: precision and recall as summed numerators over denominators."""

    precision: float
    recall: float
    f1: float
    precision_numerator: float
    precision_denominator: float
    recall_numerator: float
    recall_denominator: float

    @classmethod
    def of(cls, p_num: float, p_den: float, r_num: float, r_den: float) -> CorefScore:
        """Scores of summed numerators and denominators (the reference scorer's aggregation)."""
        p, r = _div(p_num, p_den), _div(r_num, r_den)
        return cls(p, r, _f1(p, r), p_num, p_den, r_num, r_den)

    @property
    def applicable(self) -> bool:
        """Whether there was anything to score."""
        return self.precision_denominator > 0 or self.recall_denominator > 0


@dataclass(frozen=True)
class EntityScores:
    """Mention detection, coreference (MUC, B-cubed, CEAF-e, CoNLL-2012) and entity linking."""

    mentions: Score
    muc: CorefScore
    b_cubed: CorefScore
    ceaf_e: CorefScore
    conll_f1: float
    """The mean of the three F1, as the reference scorer computes it (an undefined MUC counts 0)."""
    links: Accuracy


def _muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[int, int]:
    """MUC recall numerator and denominator (Vilain et al. 1995); swap the arguments for precision.

    R = Σ_k (|k| − |p(k)|) / Σ_k (|k| − 1), where p(k) partitions the key cluster k by the response
    clusters, a mention of k in no response cluster being a part of its own.
    """
    where = {m: i for i, cluster in enumerate(response) for m in cluster}
    num = den = 0
    for k in key:
        parts = {where[m] for m in k if m in where}
        alone = sum(1 for m in k if m not in where)
        num += len(k) - (len(parts) + alone)
        den += len(k) - 1
    return num, den


def _b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, int]:
    """B-cubed recall numerator and denominator (Bagga & Baldwin 1998); swap for precision.

    R = Σ_k Σ_r |k ∩ r|² / |k|  over  Σ_k |k|; a key mention missing from the response adds
    nothing to the numerator (Pradhan et al. 2014, the CoNLL-2012 reference implementation).
    """
    where = {m: i for i, cluster in enumerate(response) for m in cluster}
    num = 0.0
    den = 0
    for k in key:
        shared = Counter(where[m] for m in k if m in where)
        num += sum(c * c for c in shared.values()) / len(k)
        den += len(k)
    return num, den


def _ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    """Σ φ4 of the best one-to-one alignment of key and response clusters (Luo 2005).

    φ4(k, r) = 2 |k ∩ r| / (|k| + |r|); R = Σφ4 / |K| and P = Σφ4 / |R|. The alignment is
    found with the Kuhn-Munkres algorithm (:func:`_max_assignment`).
    """
    blocks = _overlapping_groups(key, response)
    return sum(
        (
            _max_assignment([[2 * len(k & r) / (len(k) + len(r)) for r in rs] for k in ks])
            for ks, rs in blocks
        ),
        0.0,
    )


def _overlapping_groups(
    key: Sequence[Cluster], response: Sequence[Cluster]
) -> list[tuple[list[Cluster], list[Cluster]]]:
    """Key and response clusters split into groups linked by shared mentions, in order of their
    first key cluster. Clusters of different groups share nothing (φ4 = 0), so the best alignment
    of the whole is the union of each group's best: the assignment runs on small blocks instead of
    one dense matrix (a corpus pools thousands of event clusters, nearly all of them disjoint)."""
    parent = list(range(len(key) + len(response)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    holder: dict[Hashable, int] = {}
    for i, cluster in enumerate([*key, *response]):
        for item in cluster:
            j = holder.setdefault(item, i)
            parent[root(i)] = root(j)
    groups: dict[int, tuple[list[Cluster], list[Cluster]]] = {}
    for i, cluster in enumerate(key):
        groups.setdefault(root(i), ([], []))[0].append(cluster)
    for j, cluster in enumerate(response):
        groups.setdefault(root(len(key) + j), ([], []))[1].append(cluster)
    return [(ks, rs) for ks, rs in groups.values() if ks and rs]


def _max_assignment(weights: Sequence[Sequence[float]]) -> float:
    """Largest total weight of a one-to-one assignment of rows to columns (Kuhn-Munkres).

    The shortest-augmenting-path form with potentials, O(n² m); the matrix may be rectangular.
    """
    if not weights or not weights[0]:
        return 0.0
    rows = [list(r) for r in weights]
    if len(rows) > len(rows[0]):
        rows = [list(c) for c in zip(*rows, strict=True)]
    n, m = len(rows), len(rows[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: the row assigned to column j (1-based), 0 if none
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -rows[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    return sum(rows[owner[j] - 1][j - 1] for j in range(1, m + 1) if owner[j])


def muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefScore:
    """MUC (Vilain et al. 1995) of response clusters against key clusters of one document."""
    r_num, r_den = _muc(key, response)
    p_num, p_den = _muc(response, key)
    return CorefScore.of(p_num, p_den, r_num, r_den)


def b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefScore:
    """B-cubed (Bagga & Baldwin 1998) of response clusters against key clusters of one document."""
    r_num, r_den = _b_cubed(key, response)
    p_num, p_den = _b_cubed(response, key)
    return CorefScore.of(p_num, p_den, r_num, r_den)


def ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefScore:
    """Entity-based CEAF (Luo 2005) of response clusters against key clusters of one document."""
    similarity = _ceaf_e(key, response)
    return CorefScore.of(similarity, len(response), similarity, len(key))


def _gold_clusters(record: Record) -> list[set[Hashable]]:
    return [set(spans) for spans in entity_spans(record).values()]


def _predicted_clusters(aligned: AlignedPrediction) -> list[set[Hashable]]:
    """Clusters of predicted mentions by their ``entity`` label; no label is a cluster of its own.

    A mention is identified by its span: the first predicted mention of a span wins. A mention
    that could not be aligned is a mention of its own that matches no gold mention.
    """
    clusters: dict[Hashable, set[Hashable]] = {}
    seen: set[Span] = set()
    for i, m in enumerate(aligned.mentions):
        if m.span is not None and m.span in seen:
            continue
        key: Hashable = m.span if m.span is not None else ("unaligned", i)
        if m.span is not None:
            seen.add(m.span)
        label: Hashable = ("label", m.entity) if m.entity is not None else ("single", i)
        clusters.setdefault(label, set()).add(key)
    return list(clusters.values())


def _links(record: Record, aligned: AlignedPrediction) -> tuple[int, int]:
    """Gold mentions of linked entities, and how many of them the prediction links right.

    A gold mention counts when its entity has a QID; it is right when the predicted mention with
    the same span carries that QID, its own or else the first one given in its predicted cluster.
    """
    qids = {e.id: e.wikidata for e in record.entities if e.wikidata}
    cluster_qid: dict[str, str] = {}
    for m in aligned.mentions:
        if m.entity is not None and m.wikidata and m.entity not in cluster_qid:
            cluster_qid[m.entity] = m.wikidata
    by_span: dict[Span, str | None] = {}
    for pm in aligned.mentions:
        if pm.span is not None and pm.span not in by_span:
            by_span[pm.span] = pm.wikidata or (cluster_qid.get(pm.entity) if pm.entity else None)
    total = correct = 0
    for gm in record.mentions:
        if gm.entity in qids:
            total += 1
            correct += by_span.get((gm.start, gm.end)) == qids[gm.entity]
    return correct, total


def _score_entities(records: Sequence[Record], aligned: Sequence[AlignedPrediction]) -> EntityScores:
    sums: dict[str, float] = defaultdict(float)
    found = predicted = gold = 0
    link_correct = link_total = 0
    for record, pred in zip(records, aligned, strict=True):
        key, response = _gold_clusters(record), _predicted_clusters(pred)
        key_mentions = set().union(*key) if key else set()
        response_mentions = set().union(*response) if response else set()
        found += len(key_mentions & response_mentions)
        gold += len(key_mentions)
        predicted += len(response_mentions)
        r_num, r_den = _muc(key, response)
        p_num, p_den = _muc(response, key)
        sums["muc_r_num"] += r_num
        sums["muc_r_den"] += r_den
        sums["muc_p_num"] += p_num
        sums["muc_p_den"] += p_den
        br_num, br_den = _b_cubed(key, response)
        bp_num, bp_den = _b_cubed(response, key)
        sums["b3_r_num"] += br_num
        sums["b3_r_den"] += br_den
        sums["b3_p_num"] += bp_num
        sums["b3_p_den"] += bp_den
        sums["ceaf_sim"] += _ceaf_e(key, response)
        sums["ceaf_key"] += len(key)
        sums["ceaf_response"] += len(response)
        c, t = _links(record, pred)
        link_correct += c
        link_total += t
    muc = CorefScore.of(sums["muc_p_num"], sums["muc_p_den"], sums["muc_r_num"], sums["muc_r_den"])
    b3 = CorefScore.of(sums["b3_p_num"], sums["b3_p_den"], sums["b3_r_num"], sums["b3_r_den"])
    ceaf = CorefScore.of(sums["ceaf_sim"], sums["ceaf_response"], sums["ceaf_sim"], sums["ceaf_key"])
    return EntityScores(
        Score.of(found, predicted, gold),
        muc,
        b3,
        ceaf,
        (muc.f1 + b3.f1 + ceaf.f1) / 3,
        Accuracy.of(link_correct, link_total),
    )
