"""The benchmark scorer: gold records against system predictions, task by task.

Four tasks, each a frozen result type; :func:`score` runs one or all of them.

``ner``
    Gold names are the NAM mentions, typed by their entity; predicted names are predicted
    mentions of kind NAM. Nested names all count in the span metrics (SemEval-2013 Task 9.1's
    strict, exact, partial and type modes as nervaluate defines them: Segura-Bedmar et al. 2013;
    Batista 2018, "Named-Entity evaluation metrics based on entity-level"), one document per
    article, character offsets. The CoNLL metric (Tjong Kim Sang & De Meulder 2003; conlleval,
    seqeval) is the span F1 over IOB2 tags: one sequence per gold sentence, tokens from
    :func:`seccoop.tokens.tokenize`, outermost names only (IOB2 cannot hold nested ones), as in
    the NER config of the Hugging Face dataset. See :func:`iob2_sentences`.
``entities``
    Mention detection (exact spans), coreference by MUC, B-cubed and CEAF-e and their mean, the
    CoNLL-2012 score, over all mentions (NAM, NOM, PRO) including singletons, and Wikidata link
    accuracy.
``events``
    Trigger identification and classification, argument identification and classification, and
    both argument measures again requiring the event's trigger to be right too (Ji & Grishman
    2008; Li, Ji & Huang 2013). An argument is credited when it names any mention of the gold
    entity.
``quotes``
    Content exact and overlap F1, overall and by kind; cue F1; speaker attribution accuracy at
    the entity level.

Conventions, the same everywhere: a ratio with a zero denominator is 0.0, and F1 is 0.0 when
precision and recall are both 0 — what conlleval, seqeval (``zero_division=0``, which its default
``"warn"`` also returns) and nervaluate do, and what the CoNLL-2012 reference coreference scorer
does. So empty gold with empty predictions scores 0.0, not 1.0; every score carries its counts,
and :meth:`ScoreReport.headline` gives ``None`` for a measure with nothing to score (no gold and
no predicted items). Macro averages are unweighted means of the per-label precision, recall and
F1 over the labels that occur in the gold or the predictions (as seqeval's ``macro avg``); with
no labels they are 0.0 (seqeval returns NaN with a RuntimeWarning).

Matching is always one-to-one: a gold item is credited at most once and a predicted one counts at
most once. Predicted spans that could not be aligned to the text (see
:func:`seccoop.predictions.align_prediction`) count as predictions that match nothing: spurious
names in the span metrics (the CoNLL metric has no tokens to tag for them), mentions of their own
in coreference, unmatched triggers, arguments, contents and cues.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from seccoop.diagnostics import Finding, finding, sort_key
from seccoop.models import EntityArgument, Mention, Record
from seccoop.ontology import load_ontology
from seccoop.predictions import (
    AlignedPrediction,
    ArgumentPrediction,
    ArticlePrediction,
    EventPrediction,
    MentionPrediction,
    QuotePrediction,
    SpanPrediction,
    ValuePrediction,
    align_prediction,
    validate_predictions,
)
from seccoop.tokens import Token, tokenize

__all__ = [
    "NER_MODES",
    "TASKS",
    "Accuracy",
    "Average",
    "ConllScore",
    "CorefScore",
    "EntityScores",
    "EventScores",
    "NerMode",
    "NerScores",
    "QuoteScores",
    "Score",
    "ScoreReport",
    "ScoreRun",
    "SemEvalScore",
    "Task",
    "b_cubed",
    "ceaf_e",
    "gold_as_predictions",
    "iob2_sentences",
    "load_gold",
    "muc",
    "report_json",
    "score",
    "score_files",
]

Task = Literal["ner", "entities", "events", "quotes", "all"]
TASKS: tuple[str, ...] = get_args(Task)
NerModeName = Literal["strict", "exact", "partial", "type"]
NER_MODES: tuple[str, ...] = get_args(NerModeName)
Span = tuple[int, int]
Name = tuple[int, int, str]
"""A name: start, end (exclusive) and entity type."""
Cluster = AbstractSet[Hashable]
"""A coreference cluster: a set of mentions, each identified by anything hashable (a span)."""


def _div(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * (precision * recall) / (precision + recall) if precision + recall else 0.0


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# ---------------------------------------------------------------- result types


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
class SemEvalScore:
    """Counts and scores of one SemEval-2013 mode (COR, INC, PAR, MIS, SPU).

    POSSIBLE = COR + INC + PAR + MIS (the gold names), ACTUAL = COR + INC + PAR + SPU (the
    predicted ones). Strict and exact: P = COR / ACTUAL, R = COR / POSSIBLE. Partial and type:
    P = (COR + 0.5 PAR) / ACTUAL, R = (COR + 0.5 PAR) / POSSIBLE.
    """

    correct: int
    incorrect: int
    partial: int
    missed: int
    spurious: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, counts: Sequence[int], partial_credit: bool) -> SemEvalScore:
        """Scores of (COR, INC, PAR, MIS, SPU) counts."""
        cor, inc, par, mis, spu = counts
        hits = cor + 0.5 * par if partial_credit else cor
        p, r = _div(hits, cor + inc + par + spu), _div(hits, cor + inc + par + mis)
        return cls(cor, inc, par, mis, spu, p, r, _f1(p, r))

    @property
    def possible(self) -> int:
        """COR + INC + PAR + MIS: the number of gold names."""
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        """COR + INC + PAR + SPU: the number of predicted names."""
        return self.correct + self.incorrect + self.partial + self.spurious


@dataclass(frozen=True)
class NerMode:
    """One SemEval mode: micro (summed counts), macro over types, and per type."""

    micro: SemEvalScore
    macro: Average
    per_type: dict[str, SemEvalScore]


@dataclass(frozen=True)
class ConllScore:
    """CoNLL span F1 over IOB2 tags: micro, macro over types, and per type."""

    micro: Score
    macro: Average
    per_type: dict[str, Score]


@dataclass(frozen=True)
class NerScores:
    """Named-entity recognition: the four SemEval modes and the CoNLL metric."""

    modes: dict[str, NerMode]
    conll: ConllScore


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
class EntityScores:
    """Mention detection, coreference (MUC, B-cubed, CEAF-e, CoNLL-2012) and entity linking."""

    mentions: Score
    muc: CorefScore
    b_cubed: CorefScore
    ceaf_e: CorefScore
    conll_f1: float
    """The mean of the three F1, as the reference scorer computes it (an undefined MUC counts 0)."""
    links: Accuracy


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


@dataclass(frozen=True)
class ScoreReport:
    """Everything :func:`score` measured; ``None`` for the tasks that were not asked for."""

    task: str
    articles: int
    predicted_articles: int
    unaligned: int
    """Predicted spans that could not be aligned to their article (they match nothing)."""
    ner: NerScores | None = None
    entities: EntityScores | None = None
    events: EventScores | None = None
    quotes: QuoteScores | None = None

    def to_dict(self) -> dict[str, Any]:
        """The whole report as JSON-ready data (for ``seccoop score --json``)."""
        data = asdict(self)
        data["headline"] = self.headline()
        return data

    def headline(self) -> dict[str, float | None]:
        """One number per measure, flat (used by ``dataset/baselines.json``).

        ``None`` marks a measure with nothing to score (no gold and no predicted items).
        """
        out: dict[str, float | None] = {}

        def put(key: str, value: float, applicable: bool) -> None:
            out[key] = value if applicable else None

        if self.ner is not None:
            for mode, result in self.ner.modes.items():
                put(f"ner_{mode}_f1", result.micro.f1, result.micro.possible + result.micro.actual > 0)
            strict = self.ner.modes["strict"]
            put("ner_strict_macro_f1", strict.macro.f1, strict.macro.labels > 0)
            put("ner_conll_f1", self.ner.conll.micro.f1, self.ner.conll.micro.applicable)
        if self.entities is not None:
            ent = self.entities
            put("mention_f1", ent.mentions.f1, ent.mentions.applicable)
            put("coref_muc_f1", ent.muc.f1, ent.muc.applicable)
            put("coref_b3_f1", ent.b_cubed.f1, ent.b_cubed.applicable)
            put("coref_ceafe_f1", ent.ceaf_e.f1, ent.ceaf_e.applicable)
            # The mean is undefined when one of its parts is (MUC with no links at all).
            put("coref_conll_f1", ent.conll_f1, ent.muc.applicable and ent.b_cubed.applicable)
            put("link_accuracy", ent.links.value, ent.links.total > 0)
        if self.events is not None:
            for name, value in asdict(self.events).items():
                put(f"{name}_f1", value["f1"], value["gold"] + value["predicted"] > 0)
        if self.quotes is not None:
            q = self.quotes
            put("quote_content_exact_f1", q.content_exact.f1, q.content_exact.applicable)
            put("quote_content_overlap_f1", q.content_overlap.f1, q.content_overlap.applicable)
            put("quote_cue_f1", q.cue.f1, q.cue.applicable)
            put("quote_speaker_accuracy", q.speaker.value, q.speaker.total > 0)
        return out

    def to_table(self) -> str:
        """A plain-text report for people."""
        lines = [
            f"task {self.task}: {self.articles} gold article(s), {self.predicted_articles} predicted, "
            f"{self.unaligned} predicted span(s) not aligned to the text"
        ]
        if self.ner is not None:
            lines += ["", "NER (names)", _row("", "P", "R", "F1", "COR", "INC", "PAR", "MIS", "SPU")]
            for mode, result in self.ner.modes.items():
                m = result.micro
                lines.append(
                    _row(
                        mode,
                        m.precision,
                        m.recall,
                        m.f1,
                        m.correct,
                        m.incorrect,
                        m.partial,
                        m.missed,
                        m.spurious,
                    )
                )
            c = self.ner.conll.micro
            lines.append(
                _row(
                    "conll",
                    c.precision,
                    c.recall,
                    c.f1,
                    c.correct,
                    "",
                    "",
                    c.gold - c.correct,
                    c.predicted - c.correct,
                )
            )
            lines += ["", "NER per type (strict)", _row("", "P", "R", "F1", "gold", "pred")]
            strict = self.ner.modes["strict"]
            for label, t in strict.per_type.items():
                lines.append(_row(label, t.precision, t.recall, t.f1, t.possible, t.actual))
            lines.append(_row("macro", strict.macro.precision, strict.macro.recall, strict.macro.f1, "", ""))
        if self.entities is not None:
            e = self.entities
            lines += ["", "Entities", _row("", "P", "R", "F1")]
            lines.append(_row("mentions", e.mentions.precision, e.mentions.recall, e.mentions.f1))
            for label, cs in (("MUC", e.muc), ("B-cubed", e.b_cubed), ("CEAF-e", e.ceaf_e)):
                lines.append(_row(label, cs.precision, cs.recall, cs.f1))
            lines.append(_row("CoNLL-2012", "", "", e.conll_f1))
            lines.append(_accuracy_row("QID links", e.links))
        if self.events is not None:
            lines += ["", "Events", _row("", "P", "R", "F1", "gold", "pred")]
            for name, s in (
                ("trigger id", self.events.trigger_identification),
                ("trigger cls", self.events.trigger_classification),
                ("arg id", self.events.argument_identification),
                ("arg cls", self.events.argument_classification),
                ("arg id+trig", self.events.argument_identification_with_trigger),
                ("arg cls+trig", self.events.argument_classification_with_trigger),
            ):
                lines.append(_row(name, s.precision, s.recall, s.f1, s.gold, s.predicted))
        if self.quotes is not None:
            q = self.quotes
            lines += ["", "Quotes", _row("", "P", "R", "F1", "gold", "pred")]
            lines.append(
                _row(
                    "exact",
                    q.content_exact.precision,
                    q.content_exact.recall,
                    q.content_exact.f1,
                    q.content_exact.gold,
                    q.content_exact.predicted,
                )
            )
            lines.append(
                _row(
                    "overlap",
                    q.content_overlap.precision,
                    q.content_overlap.recall,
                    q.content_overlap.f1,
                    q.content_overlap.gold,
                    q.content_overlap.predicted,
                )
            )
            for kind in q.content_exact_by_kind:
                for label, s in (
                    (f"{kind} exact", q.content_exact_by_kind[kind]),
                    (f"{kind} overlap", q.content_overlap_by_kind[kind]),
                ):
                    lines.append(_row(label, s.precision, s.recall, s.f1, s.gold, s.predicted))
            lines.append(_row("cue", q.cue.precision, q.cue.recall, q.cue.f1, q.cue.gold, q.cue.predicted))
            lines.append(_accuracy_row("speaker", q.speaker))
        return "\n".join(lines)


def _accuracy_row(label: str, acc: Accuracy) -> str:
    value = f"{acc.value:.4f}" if acc.total else "n/a"
    return f"{label:<18}accuracy {value} ({acc.correct}/{acc.total})"


def _row(label: str, *cells: float | int | str) -> str:
    parts = [f"{label:<18}"]
    for cell in cells:
        if isinstance(cell, float):
            parts.append(f"{cell:>8.4f}")
        elif isinstance(cell, int):
            parts.append(f"{cell:>8d}")
        else:
            parts.append(f"{cell:>8}")
    return "".join(parts).rstrip()


# ---------------------------------------------------------------- NER


def _gold_names(record: Record) -> list[Name]:
    types = {e.id: e.type for e in record.entities}
    return [
        (m.start, m.end, types[m.entity]) for m in record.mentions if m.kind == "NAM" and m.entity in types
    ]


def _predicted_names(aligned: AlignedPrediction) -> tuple[list[Name], list[str]]:
    """Aligned predicted names, and the types of the names that could not be aligned."""
    names: list[Name] = []
    lost: list[str] = []
    for m in aligned.mentions:
        if m.kind != "NAM":
            continue
        if m.span is None:
            lost.append(m.type)
        else:
            names.append((m.span[0], m.span[1], m.type))
    return names, lost


def _semeval_counts(gold: Sequence[Name], pred: Sequence[Name], mode: str) -> list[int]:
    """(COR, INC, PAR, MIS, SPU) of one document in one SemEval-2013 mode.

    Both lists are taken in (start, end, type) order. First, pairs with identical boundaries
    (and, in strict and type modes, the same type) are matched: they are correct. Then each
    remaining prediction, left to right, takes the first remaining gold name it overlaps (shares
    at least one character with): incorrect in strict and exact modes, partial in partial mode;
    in type mode it takes the overlapping gold name of its own type with the closest boundaries
    (smallest |start difference| + |end difference|, ties to the first) and is correct, else the
    first overlapping one and is incorrect. Predictions left are spurious, gold names left missed.

    This is nervaluate's greedy procedure with two documented differences (see
    tests/test_score_reference.py): an exact pair is never broken up by an earlier prediction
    that merely overlaps the gold name (nervaluate's result depends on the order of the lists
    there, davidsbatista/NER-Evaluation#6, MantisAI/nervaluate#40; its maintainers call
    overlapping predictions unsupported, MantisAI/nervaluate#84), and any shared character is an
    overlap (nervaluate 1.2 requires the overlap to be at least 1% of the gold name, which
    differs only for names longer than 100 characters).
    """
    gold = sorted(gold)
    pred = sorted(pred)
    same_type = mode in ("strict", "type")
    taken = [False] * len(gold)
    buckets: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for gi, (s, e, t) in enumerate(gold):
        buckets[(s, e, t) if same_type else (s, e)].append(gi)
    cor = inc = par = spu = 0
    rest: list[Name] = []
    for s, e, t in pred:
        bucket = buckets.get((s, e, t) if same_type else (s, e))
        if bucket:
            taken[bucket.pop(0)] = True
            cor += 1
        else:
            rest.append((s, e, t))
    for s, e, t in rest:
        hits = [gi for gi, g in enumerate(gold) if not taken[gi] and g[0] < e and s < g[1]]
        if not hits:
            spu += 1
            continue
        if mode == "type":
            own = [gi for gi in hits if gold[gi][2] == t]
            if own:
                gi = min(own, key=lambda k: (abs(s - gold[k][0]) + abs(e - gold[k][1]), k))
                cor += 1
            else:
                gi = hits[0]
                inc += 1
        else:
            gi = hits[0]
            if mode == "partial":
                par += 1
            else:
                inc += 1
        taken[gi] = True
    return [cor, inc, par, taken.count(False), spu]


def _add(total: list[int], counts: Sequence[int]) -> None:
    for i, c in enumerate(counts):
        total[i] += c


def _ner_mode(
    docs: Sequence[tuple[list[Name], list[Name], list[str]]], mode: str, types: Sequence[str]
) -> NerMode:
    partial_credit = mode in ("partial", "type")
    micro = [0] * 5
    by_type = {t: [0] * 5 for t in types}
    for gold, pred, lost in docs:
        _add(micro, _semeval_counts(gold, pred, mode))
        micro[4] += len(lost)
        for t in types:
            counts = _semeval_counts([g for g in gold if g[2] == t], [p for p in pred if p[2] == t], mode)
            counts[4] += lost.count(t)
            _add(by_type[t], counts)
    per_type = {t: SemEvalScore.of(by_type[t], partial_credit) for t in types}
    return NerMode(SemEvalScore.of(micro, partial_credit), Average.of(list(per_type.values())), per_type)


def iob2_sentences(
    text: str, sentences: Iterable[Span], names: Iterable[Name]
) -> list[tuple[list[Token], list[str]]]:
    """Tokens and IOB2 tags of each sentence, for the outermost of ``names``.

    Tokens come from :func:`seccoop.tokens.tokenize` on the sentence. A name is projected onto
    the tokens of each sentence it overlaps (every token sharing a character with it), so a name
    that is not cut at token boundaries grows to whole tokens. Then the outermost names are kept:
    in order of first token, longest first (then type), a name is kept unless it overlaps a name
    already kept (nested and crossing names are dropped). Gold names lie on token boundaries and
    inside one sentence (the validator checks both), so for them this is exact.
    """
    name_list = list(names)
    out = []
    for s0, s1 in sentences:
        toks = tokenize(text, s0, s1)
        starts = [t.start for t in toks]
        ends = [t.end for t in toks]
        projected = []
        for s, e, label in name_list:
            first = bisect_right(ends, s)
            last = bisect_left(starts, e) - 1
            if first <= last:
                projected.append((first, -last, label))
        kept: list[tuple[int, int, str]] = []
        for first, neg_last, label in sorted(projected):
            last = -neg_last
            if all(last < a or first > b for a, b, _ in kept):
                kept.append((first, last, label))
        tags = ["O"] * len(toks)
        for first, last, label in kept:
            tags[first] = f"B-{label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{label}"
        out.append((toks, tags))
    return out


def _chunks(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(type, first, last) of the IOB2 chunks of a well-formed tag sequence."""
    out = []
    i = 0
    while i < len(tags):
        if tags[i].startswith("B-"):
            label = tags[i][2:]
            j = i
            while j + 1 < len(tags) and tags[j + 1] == f"I-{label}":
                j += 1
            out.append((label, i, j))
            i = j + 1
        else:
            i += 1
    return out


def _conll(records: Sequence[Record], preds: Sequence[list[Name]]) -> ConllScore:
    gold_chunks: set[tuple[Any, ...]] = set()
    pred_chunks: set[tuple[Any, ...]] = set()
    for a, (record, names) in enumerate(zip(records, preds, strict=True)):
        sentences = [(s.start, s.end) for s in record.sentences]
        for target, spans in ((gold_chunks, _gold_names(record)), (pred_chunks, names)):
            for k, (_toks, tags) in enumerate(iob2_sentences(record.text, sentences, spans)):
                target.update((label, a, k, first, last) for label, first, last in _chunks(tags))
    types = sorted({c[0] for c in gold_chunks | pred_chunks}, key=_type_order)
    per_type = {}
    for t in types:
        g = {c for c in gold_chunks if c[0] == t}
        p = {c for c in pred_chunks if c[0] == t}
        per_type[t] = Score.of(len(g & p), len(p), len(g))
    micro = Score.of(len(gold_chunks & pred_chunks), len(pred_chunks), len(gold_chunks))
    return ConllScore(micro, Average.of(list(per_type.values())), per_type)


def _type_order(label: str) -> tuple[int, str]:
    order = list(load_ontology().entity_types)
    return (order.index(label) if label in order else len(order), label)


def _score_ner(records: Sequence[Record], aligned: Sequence[AlignedPrediction]) -> NerScores:
    docs = []
    for record, pred in zip(records, aligned, strict=True):
        names, lost = _predicted_names(pred)
        docs.append((_gold_names(record), names, lost))
    types = sorted(
        {n[2] for g, p, _ in docs for n in (*g, *p)} | {t for *_, lost in docs for t in lost}, key=_type_order
    )
    modes = {mode: _ner_mode(docs, mode, types) for mode in NER_MODES}
    return NerScores(modes, _conll(records, [p for _, p, _ in docs]))


# ---------------------------------------------------------------- entities (coreference)


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
    weights = [[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key]
    return _max_assignment(weights)


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
    clusters: dict[str, set[Hashable]] = {}
    for m in record.mentions:
        clusters.setdefault(m.entity, set()).add((m.start, m.end))
    return list(clusters.values())


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


# ---------------------------------------------------------------- events


def _max_matching(left: int, right: int, edge: Callable[[int, int], bool]) -> list[int | None]:
    """A maximum one-to-one matching (augmenting paths, in index order): the partner of each left."""
    adjacency = [[j for j in range(right) if edge(i, j)] for i in range(left)]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adjacency[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(left):
        augment(i, set())
    partner: list[int | None] = [None] * left
    for j, i in owner.items():
        partner[i] = j
    return partner


def _matched(gold: Sequence[Any], pred: Sequence[Any], rule: Callable[[Any, Any], bool]) -> list[int | None]:
    """The partner of each gold item in a maximum matching under ``rule``."""
    return _max_matching(len(gold), len(pred), lambda i, j: rule(gold[i], pred[j]))


def _multiset_hits(gold: Iterable[Hashable], pred: Iterable[Hashable | None]) -> int:
    g = Counter(gold)
    p = Counter(x for x in pred if x is not None)
    return sum(min(c, p[k]) for k, c in g.items())


_GoldArg = tuple[str, Span, str, frozenset[Span]]
_PredArg = tuple[str, Span | None, str, Span | None]


def _event_arguments(record: Record, pred: AlignedPrediction) -> tuple[list[_GoldArg], list[_PredArg]]:
    spans_of: dict[str, set[Span]] = defaultdict(set)
    for m in record.mentions:
        spans_of[m.entity].add((m.start, m.end))
    value_span = {v.id: (v.start, v.end) for v in record.values}
    gold = []
    for event in record.events:
        trigger = (event.trigger.start, event.trigger.end)
        for arg in event.arguments:
            if isinstance(arg, EntityArgument):
                fillers = frozenset(spans_of.get(arg.entity, set()))
            else:
                fillers = frozenset({value_span[arg.value]} if arg.value in value_span else set())
            gold.append((event.type, trigger, arg.role, fillers))
    predicted = [(e.type, e.trigger, a.role, a.span) for e in pred.events for a in e.arguments]
    return gold, predicted


def _score_events(records: Sequence[Record], aligned: Sequence[AlignedPrediction]) -> EventScores:
    tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # correct, predicted, gold
    variants: dict[str, Callable[[_GoldArg, _PredArg], bool]] = {
        "argument_identification": lambda g, p: p[3] is not None and g[0] == p[0] and p[3] in g[3],
        "argument_classification": lambda g, p: (
            p[3] is not None and g[0] == p[0] and g[2] == p[2] and p[3] in g[3]
        ),
        "argument_identification_with_trigger": lambda g, p: (
            p[3] is not None and g[0] == p[0] and g[1] == p[1] and p[3] in g[3]
        ),
        "argument_classification_with_trigger": lambda g, p: (
            p[3] is not None and g[0] == p[0] and g[1] == p[1] and g[2] == p[2] and p[3] in g[3]
        ),
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
        for name, rule in variants.items():
            hits = sum(1 for x in _matched(gold_args, pred_args, rule) if x is not None)
            _add(tallies[name], (hits, len(pred_args), len(gold_args)))
    scores = {
        name: Score.of(*tallies[name])
        for name in ("trigger_identification", "trigger_classification", *variants)
    }
    return EventScores(**scores)


# ---------------------------------------------------------------- quotes

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
        spans_of: dict[str, set[Span]] = defaultdict(set)
        for m in record.mentions:
            spans_of[m.entity].add((m.start, m.end))
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
                        and p[2] in spans_of.get(g[2], set())
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


# ---------------------------------------------------------------- driver


def _empty(article_id: str) -> AlignedPrediction:
    return AlignedPrediction(article_id, (), (), (), ())


def score(
    gold: Sequence[Record], predictions: Sequence[ArticlePrediction], task: Task = "all"
) -> ScoreReport:
    """Score ``predictions`` against ``gold`` on one task, or on all of them.

    A gold article without a prediction is scored as an empty prediction. A prediction for an
    article that is not in ``gold``, or a second prediction for one article, raises
    ``ValueError`` (:func:`seccoop.predictions.validate_predictions` reports both as findings
    first). Text-only spans are aligned with :func:`seccoop.predictions.align_prediction`.
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; expected one of: {', '.join(TASKS)}")
    ids = {r.id for r in gold}
    by_id: dict[str, ArticlePrediction] = {}
    for p in predictions:
        if p.id not in ids:
            raise ValueError(f"prediction for {p.id!r}, which is not a gold article")
        if p.id in by_id:
            raise ValueError(f"two predictions for article {p.id!r}")
        by_id[p.id] = p
    records = list(gold)
    aligned = [align_prediction(by_id[r.id], r.text) if r.id in by_id else _empty(r.id) for r in records]
    unaligned = sum(len(a.unaligned) + len(a.bad_offsets) for a in aligned)

    def wanted(name: str) -> bool:
        return task in (name, "all")

    return ScoreReport(
        task=task,
        articles=len(records),
        predicted_articles=len(by_id),
        unaligned=unaligned,
        ner=_score_ner(records, aligned) if wanted("ner") else None,
        entities=_score_entities(records, aligned) if wanted("entities") else None,
        events=_score_events(records, aligned) if wanted("events") else None,
        quotes=_score_quotes(records, aligned) if wanted("quotes") else None,
    )


def gold_as_predictions(records: Iterable[Record]) -> list[ArticlePrediction]:
    """The gold annotations written as predictions, with offsets: a perfect system's output.

    Mentions carry their entity id as cluster label and the entity's QID; an argument or a
    speaker is the span of the mention (or value) the record names; a speaker without a named
    mention is the entity's first mention.
    """
    out = []
    for r in records:
        entities = {e.id: e for e in r.entities}
        mentions = {m.id: m for m in r.mentions}
        first_mention: dict[str, Mention] = {}
        for m in r.mentions:
            first_mention.setdefault(m.entity, m)
        values = {v.id: v for v in r.values}
        events = []
        for ev in r.events:
            args = []
            for a in ev.arguments:
                filler = mentions.get(a.mention) if isinstance(a, EntityArgument) else values.get(a.value)
                if filler is not None:
                    args.append(
                        ArgumentPrediction(role=a.role, start=filler.start, end=filler.end, text=filler.text)
                    )
            trigger = SpanPrediction(start=ev.trigger.start, end=ev.trigger.end, text=ev.trigger.text)
            events.append(EventPrediction(type=ev.type, trigger=trigger, arguments=args))
        quotes = []
        for q in r.quotes:
            said = mentions.get(q.speaker_mention) if q.speaker_mention else None
            if said is None and q.speaker is not None:
                said = first_mention.get(q.speaker)
            quotes.append(
                QuotePrediction(
                    kind=q.kind,
                    content=[SpanPrediction(start=c.start, end=c.end, text=c.text) for c in q.content],
                    cue=SpanPrediction(start=q.cue.start, end=q.cue.end, text=q.cue.text) if q.cue else None,
                    speaker=SpanPrediction(start=said.start, end=said.end, text=said.text) if said else None,
                )
            )
        out.append(
            ArticlePrediction(
                id=r.id,
                mentions=[
                    MentionPrediction(
                        type=entities[m.entity].type,
                        start=m.start,
                        end=m.end,
                        text=m.text,
                        kind=m.kind,
                        entity=m.entity,
                        wikidata=entities[m.entity].wikidata,
                    )
                    for m in r.mentions
                    if m.entity in entities
                ],
                values=[
                    ValuePrediction(
                        type=v.type, start=v.start, end=v.end, text=v.text, normalized=v.normalized
                    )
                    for v in r.values
                ],
                events=events,
                quotes=quotes,
            )
        )
    return out


# ---------------------------------------------------------------- files


@dataclass(frozen=True)
class ScoreRun:
    """The outcome of scoring a predictions file against a gold folder, for the CLI."""

    findings: tuple[Finding, ...]
    report: ScoreReport | None
    exit_code: int
    """0 scored; 1 the predictions have error findings; 2 usage or I/O trouble (incl. bad gold)."""


def load_gold(paths: Sequence[Path]) -> tuple[list[Record], tuple[Finding, ...]]:
    """Validate the gold records; return them, or no records and the error findings."""
    from seccoop.validate import validate_paths

    report = validate_paths(paths)
    if report.errors:
        return [], report.errors
    if not report.records:
        where = ", ".join(str(p) for p in paths)
        return [], (finding("io-error", f"no gold records found in {where}", file=where),)
    return report.models, ()


def score_files(predictions: Path, gold: Sequence[Path], task: Task = "all") -> ScoreRun:
    """Validate the gold, validate the predictions, and score them if both are sound.

    Gold that does not validate, or no gold at all, is exit 2 (score against a clean corpus:
    run ``seccoop validate``). Prediction findings at error level are exit 1 and nothing is
    scored. Warnings (unaligned spans, unpredicted articles) are returned with the report.
    """
    records, gold_errors = load_gold(gold)
    if gold_errors:
        return ScoreRun(gold_errors, None, 2)
    checked = validate_predictions(predictions, records)
    findings = tuple(sorted(checked.findings, key=sort_key))
    if checked.exit_code:
        return ScoreRun(findings, None, checked.exit_code)
    return ScoreRun(findings, score(records, list(checked.predictions), task), 0)


def report_json(report: ScoreReport) -> str:
    """The report as indented JSON (what ``seccoop score --json`` prints)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
