"""The ``quotes`` task: quote content (exact, overlap), cues and speaker attribution."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from seccoop.bench.predictions import (
    AlignedPrediction,
)
from seccoop.bench.score.measures import Accuracy, Score, Span, _add, _matched, _overlap, entity_spans
from seccoop.record.models import Record
from seccoop.record.ontology import load_ontology


@dataclass(frozen=True)
class QuoteScores:
    """Quote content (exact, overlap; overall and by kind), cue F1 and speaker accuracy.

    A predicted quote matches a gold one exactly when its content spans are the gold content
    spans, by overlap when one of its content spans shares a character with one of the gold's;
    quotes are paired by a maximum one-to-one matching per article, the kind not being required
    overall; ``*_by_kind`` scores only the gold and predicted quotes of each kind against each
    other. Cue F1 compares the sets of distinct cue spans. Speaker accuracy is over the gold quotes
    that have a speaker: the number of them that a maximum one-to-one matching can pair with an
    overlapping predicted quote whose speaker is the span of any mention of the gold speaker
    entity, over their number.
    """

    content_exact: Score
    content_overlap: Score
    content_exact_by_kind: dict[str, Score]
    content_overlap_by_kind: dict[str, Score]
    cue: Score
    speaker: Accuracy


_GoldQuote = tuple[str, tuple[Span, ...], str | None]


_PredQuote = tuple[str, tuple[Span | None, ...], Span | None]


def _content_exact(g: _GoldQuote, p: _PredQuote) -> bool:
    return None not in p[1] and set(p[1]) == set(g[1])


def _content_overlap(g: _GoldQuote, p: _PredQuote) -> bool:
    return any(ps is not None and _overlap(ps, gs) for ps in p[1] for gs in g[1])


def _score_quotes(records: Sequence[Record], aligned: Sequence[AlignedPrediction]) -> QuoteScores:
    kinds_seen: set[str] = set()
    totals: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0, 0])
    cue = [0, 0, 0]
    speaker_correct = speaker_total = 0
    rules = {"exact": _content_exact, "overlap": _content_overlap}
    for record, pred in zip(records, aligned, strict=True):
        spans_of = entity_spans(record)
        gold: list[_GoldQuote] = [
            (q.kind, tuple((c.start, c.end) for c in q.content), q.speaker) for q in record.quotes
        ]
        predicted: list[_PredQuote] = [(q.kind, q.content, q.speaker) for q in pred.quotes]
        kinds_seen.update(q[0] for q in gold)
        kinds_seen.update(q[0] for q in predicted)
        for rule_name, rule in rules.items():
            partner = _matched(gold, predicted, rule)
            _add(totals[(rule_name, None)], (sum(x is not None for x in partner), len(predicted), len(gold)))
            if rule_name == "overlap":
                # Pair for attribution by a maximum matching of overlapping quotes whose speakers
                # agree: two gold quotes with the same content and different speakers ("Austin
                # and Duale emphasized ...") are both right when the prediction has both.
                def right_speaker(g: _GoldQuote, p: _PredQuote, spans_of: Any = spans_of) -> bool:
                    return (
                        g[2] is not None
                        and p[2] is not None
                        and _content_overlap(g, p)
                        and p[2] in spans_of.get(g[2], frozenset())
                    )

                attributed = _matched(gold, predicted, right_speaker)
                speaker_total += sum(1 for q in gold if q[2] is not None)
                speaker_correct += sum(1 for j in attributed if j is not None)
            for kind in {q[0] for q in gold} | {q[0] for q in predicted}:
                g = [q for q in gold if q[0] == kind]
                p = [q for q in predicted if q[0] == kind]
                by_kind = _matched(g, p, rule)
                _add(totals[(rule_name, kind)], (sum(x is not None for x in by_kind), len(p), len(g)))
        gold_cues = {(q.cue.start, q.cue.end) for q in record.quotes if q.cue is not None}
        pred_cues: set[Hashable] = {
            q.cue if q.cue is not None else ("unaligned", i) for i, q in enumerate(pred.quotes) if q.cue_given
        }
        _add(cue, (len(gold_cues & pred_cues), len(pred_cues), len(gold_cues)))
    kinds = [k for k in load_ontology().quote_kinds if k in kinds_seen]
    return QuoteScores(
        Score.of(*totals[("exact", None)]),
        Score.of(*totals[("overlap", None)]),
        {k: Score.of(*totals[("exact", k)]) for k in kinds},
        {k: Score.of(*totals[("overlap", k)]) for k in kinds},
        Score.of(*cue),
        Accuracy.of(speaker_correct, speaker_total),
    )
