"""The benchmark scorer: gold records against system predictions, task by task.

Four tasks, each a frozen result type; :func:`score` runs one or all of them.

``ner``
    Gold names are the NAM mentions, typed by their entity; predicted names are predicted
    mentions of kind NAM. Nested names all count in the span metrics (SemEval-2013 Task 9.1's
    strict, exact, partial and type modes as nervaluate defines them: Segura-Bedmar et al. 2013;
    Batista 2018, "Named-Entity evaluation metrics based on entity-level"), one document per
    article, character offsets. The CoNLL metric (Tjong Kim Sang & De Meulder 2003; conlleval,
    seqeval) is the span F1 over IOB2 tags: one sequence per gold sentence, tokens from
    :func:`seccoop.record.tokens.tokenize`, outermost names only (IOB2 cannot hold nested ones), as in
    the NER config of the Hugging Face dataset. See :func:`iob2_sentences`.
``values``
    Dates, times, durations, money, quantities and percentages as in TempEval-3's temporal
    expression task: strict and relaxed span F1, type and normalization accuracy and F1 over the
    relaxed matches (:mod:`seccoop.bench.score.values`).
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
:func:`seccoop.bench.predictions.align_prediction`) count as predictions that match nothing: spurious
names in the span metrics (the CoNLL metric has no tokens to tag for them), mentions of their own
in coreference, unmatched triggers, arguments, contents and cues; the CoNLL metric counts them
as predicted chunks that match nothing (seqeval, which sees only tags, cannot).

A predictions line carries only the layers of the tasks it is scored on: a task reads
``mentions`` (ner, entities), ``values``, ``events`` or ``quotes``; an absent layer is scored as
empty for its tasks only, and the report counts such lines (``not_predicted``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Literal, get_args

from seccoop.bench.predictions import (
    LAYERS,
    AlignedPrediction,
    ArgumentPrediction,
    ArticlePrediction,
    EventPrediction,
    MentionPrediction,
    PredictionsReport,
    QuotePrediction,
    SpanPrediction,
    ValuePrediction,
    align_prediction,
    validate_predictions,
)
from seccoop.bench.score.bootstrap import (
    DEFAULT_RESAMPLES,
    Comparison,
    Difference,
    bootstrap_intervals,
    compare_aligned,
)
from seccoop.bench.score.breakdowns import Breakdowns, ErrorItem, breakdowns, errors, errors_table
from seccoop.bench.score.coref import CorefScore, EntityScores, _score_entities, b_cubed, ceaf_e, muc
from seccoop.bench.score.events import EventScores, _score_events
from seccoop.bench.score.measures import Accuracy, Average, Interval, Intervals, Score
from seccoop.bench.score.ner import (
    NER_MODES,
    ConllScore,
    NerMode,
    NerScores,
    SemEvalScore,
    _score_ner,
    iob2_sentences,
)
from seccoop.bench.score.quotes import QuoteScores, _score_quotes
from seccoop.bench.score.report import ScoreReport, report_json
from seccoop.bench.score.values import ValueScores, _score_values
from seccoop.check.diagnostics import Finding, finding
from seccoop.record.models import EntityArgument, Mention, Record
from seccoop.record.plover import plover_gold

__all__ = [
    "DEFAULT_RESAMPLES",
    "NER_MODES",
    "TASKS",
    "TASK_LAYERS",
    "Accuracy",
    "Average",
    "Breakdowns",
    "CompareRun",
    "Comparison",
    "ConllScore",
    "CorefScore",
    "Difference",
    "EntityScores",
    "ErrorItem",
    "EventScores",
    "Interval",
    "Intervals",
    "NerMode",
    "NerScores",
    "QuoteScores",
    "Score",
    "ScoreReport",
    "ScoreRun",
    "SemEvalScore",
    "Task",
    "ValueScores",
    "align_all",
    "b_cubed",
    "ceaf_e",
    "compare_files",
    "comparison_json",
    "comparison_table",
    "errors_table",
    "gold_as_predictions",
    "iob2_sentences",
    "load_gold",
    "muc",
    "report_json",
    "score",
    "score_aligned",
    "score_files",
    "task_layers",
]

Task = Literal["ner", "entities", "values", "events", "quotes", "all"]


TASKS: tuple[str, ...] = get_args(Task)

TASK_LAYERS: dict[str, str] = {
    "ner": "mentions",
    "entities": "mentions",
    "values": "values",
    "events": "events",
    "quotes": "quotes",
}
"""The layer of a predictions line each task reads."""


def _empty(article_id: str) -> AlignedPrediction:
    return AlignedPrediction(article_id, (), (), (), (), missing=LAYERS)


def align_all(
    gold: Sequence[Record], predictions: Sequence[ArticlePrediction], layers: Collection[str] = LAYERS
) -> list[AlignedPrediction]:
    """Each gold article's prediction aligned to its text (an empty one when it has none).

    Only ``layers`` are aligned (see :func:`seccoop.bench.predictions.align_prediction`). A
    prediction for an article that is not in ``gold``, or a second prediction for one article,
    raises ``ValueError``.
    """
    ids = {r.id for r in gold}
    by_id: dict[str, ArticlePrediction] = {}
    for p in predictions:
        if p.id not in ids:
            raise ValueError(f"prediction for {p.id!r}, which is not a gold article")
        if p.id in by_id:
            raise ValueError(f"two predictions for article {p.id!r}")
        by_id[p.id] = p
    return [
        align_prediction(by_id[r.id], r.text, layers=layers) if r.id in by_id else _empty(r.id) for r in gold
    ]


def task_layers(task: Task) -> tuple[str, ...]:
    """The layers of a predictions line that ``task`` reads (all of them for ``all``)."""
    return LAYERS if task == "all" else (TASK_LAYERS[task],)


def score(
    gold: Sequence[Record],
    predictions: Sequence[ArticlePrediction],
    task: Task = "all",
    *,
    plover: bool = False,
) -> ScoreReport:
    """Score ``predictions`` against ``gold`` on one task, or on all of them.

    A gold article without a prediction is scored as an empty prediction. A prediction for an
    article that is not in ``gold``, or a second prediction for one article, raises
    ``ValueError`` (:func:`seccoop.bench.predictions.validate_predictions` reports both as findings
    first). Text-only spans are aligned with :func:`seccoop.bench.predictions.align_prediction`.

    With ``plover``, predicted events are in PLOVER coding and are scored against the gold's
    PLOVER view (:func:`seccoop.record.plover.plover_gold`: future cooperative acts as AGREE,
    promised acts merged into their pledge, no generic events), on the same trigger spans.
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; expected one of: {', '.join(TASKS)}")
    records = [plover_gold(r) for r in gold] if plover else list(gold)
    return score_aligned(records, align_all(records, predictions, task_layers(task)), task, plover=plover)


def score_aligned(
    records: Sequence[Record],
    aligned: Sequence[AlignedPrediction],
    task: Task = "all",
    *,
    plover: bool = False,
) -> ScoreReport:
    """Score predictions already aligned to ``records`` (one per record, in the same order).

    Records may repeat (a bootstrap resample); an empty prediction has the id of its record and
    no spans (see :func:`align_all`). ``plover`` marks records that are already PLOVER views.
    The report counts the unaligned and normalised spans of the layers the task reads
    (:func:`task_layers`); a prediction aligned without them raises ``ValueError``.
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; expected one of: {', '.join(TASKS)}")

    def wanted(name: str) -> bool:
        return task in (name, "all")

    layers = task_layers(task)
    for a in aligned:
        if not set(layers) <= set(a.layers):
            raise ValueError(
                f"the prediction for {a.id!r} was aligned without its layer(s) {', '.join(layers)}"
            )
    prefixes = tuple(f"/{layer}/" for layer in layers)

    not_predicted = {
        name: sum(1 for a in aligned if layer in a.missing)
        for name, layer in TASK_LAYERS.items()
        if wanted(name)
    }
    return ScoreReport(
        task=task,
        articles=len(records),
        predicted_articles=sum(1 for a in aligned if len(a.missing) < len(LAYERS)),
        unaligned=sum(1 for a in aligned for p in (*a.unaligned, *a.bad_offsets) if p.startswith(prefixes)),
        normalised=sum(1 for a in aligned for p in a.normalised if p.startswith(prefixes)),
        not_predicted={k: v for k, v in not_predicted.items() if v},
        ner=_score_ner(records, aligned) if wanted("ner") else None,
        entities=_score_entities(records, aligned) if wanted("entities") else None,
        values=_score_values(records, aligned) if wanted("values") else None,
        events=_score_events(records, aligned) if wanted("events") else None,
        quotes=_score_quotes(records, aligned) if wanted("quotes") else None,
        plover=plover,
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
            events.append(EventPrediction(type=ev.type, trigger=trigger, arguments=args, cluster=ev.cluster))
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


@dataclass(frozen=True)
class ScoreRun:
    """The outcome of scoring a predictions file against a gold folder, for the CLI."""

    findings: tuple[Finding, ...]
    report: ScoreReport | None
    exit_code: int
    """0 scored; 1 the predictions have error findings; 2 usage or I/O trouble (incl. bad gold)."""
    skipped: tuple[str, ...] = ()
    """Articles predicted but not in the gold, left out (``ignore_extra``)."""


def load_gold(paths: Sequence[Path]) -> tuple[list[Record], tuple[Finding, ...]]:
    """Validate the gold records; return them, or no records and the error findings."""
    from seccoop.check.validate import validate_paths

    report = validate_paths(paths)
    if report.errors:
        return [], report.errors
    if not report.records:
        where = ", ".join(str(p) for p in paths)
        return [], (finding("io-error", f"no gold records found in {where}", file=where),)
    return report.models, ()


def score_files(
    predictions: Path,
    gold: Sequence[Path],
    task: Task = "all",
    *,
    plover: bool = False,
    ignore_extra: bool = False,
    resamples: int = 0,
    seed: int = 0,
    details: bool = False,
) -> ScoreRun:
    """Validate the gold, validate the predictions, and score them if both are sound.

    Gold that does not validate, or no gold at all, is exit 2 (score against a clean corpus:
    run ``seccoop validate``). Prediction findings at error level are exit 1 and nothing is
    scored. Warnings (unaligned spans, unpredicted articles) are returned with the report, in
    the order the validator gives them (line findings first). With ``ignore_extra`` (scoring a
    subset of the corpus), lines for articles outside ``gold`` are left out and listed in
    ``skipped``. With ``resamples`` > 0 the report carries bootstrap intervals of its headline
    measures (:mod:`seccoop.bench.score.bootstrap`, seeded by ``seed``). With ``details`` it
    carries the breakdowns and the error listing (:mod:`seccoop.bench.score.breakdowns`).
    """
    records, gold_errors = load_gold(gold)
    if gold_errors:
        return ScoreRun(gold_errors, None, 2)
    checked = validate_predictions(predictions, records, ignore_extra=ignore_extra)
    if checked.exit_code:
        return ScoreRun(checked.findings, None, checked.exit_code, checked.skipped)
    if plover:
        records = [plover_gold(r) for r in records]
    aligned = _reuse_aligned(records, checked)
    report = score_aligned(records, aligned, task, plover=plover)
    if resamples > 0:
        intervals = bootstrap_intervals(
            records, aligned, partial(score_aligned, task=task, plover=plover), resamples=resamples, seed=seed
        )
        report = replace(report, intervals=intervals)
    if details:
        parts = breakdowns(records, aligned, lambda r, a: score_aligned(r, a, task, plover=plover).headline())
        layers = [layer for layer, t in _ERROR_LAYERS.items() if task in (t, "all")]
        report = replace(report, breakdowns=parts, errors=tuple(errors(records, aligned, layers)))
    return ScoreRun(checked.findings, report, 0, checked.skipped)


_ERROR_LAYERS = {"names": "ner", "values": "values", "triggers": "events"}


def _reuse_aligned(records: Sequence[Record], checked: PredictionsReport) -> list[AlignedPrediction]:
    """The alignments validation made, one per record (an empty one for an article without a
    line): alignment depends only on the article's text, which a PLOVER view keeps."""
    by_id = {a.id: a for a in checked.aligned}
    return [by_id.get(r.id) or _empty(r.id) for r in records]


@dataclass(frozen=True)
class CompareRun:
    """The outcome of comparing two predictions files on one gold corpus, for the CLI."""

    findings: tuple[Finding, ...]
    comparison: Comparison | None
    exit_code: int
    skipped: tuple[str, ...] = ()


def compare_files(
    predictions_a: Path,
    predictions_b: Path,
    gold: Sequence[Path],
    task: Task = "all",
    *,
    ignore_extra: bool = False,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> CompareRun:
    """Validate both predictions files and compare them by a paired bootstrap (A − B).

    Exit codes as :func:`score_files`; the findings of both files are returned.
    """
    records, gold_errors = load_gold(gold)
    if gold_errors:
        return CompareRun(gold_errors, None, 2)
    checked = [
        validate_predictions(p, records, ignore_extra=ignore_extra) for p in (predictions_a, predictions_b)
    ]
    findings = tuple(f for c in checked for f in c.findings)
    skipped = tuple(dict.fromkeys(i for c in checked for i in c.skipped))
    worst = max(c.exit_code for c in checked)
    if worst:
        return CompareRun(findings, None, worst, skipped)
    a, b = (_reuse_aligned(records, c) for c in checked)
    comparison = compare_aligned(
        records,
        a,
        b,
        partial(score_aligned, task=task),
        resamples=max(1, resamples),
        seed=seed,
    )
    return CompareRun(findings, comparison, 0, skipped)


def comparison_table(comparison: Comparison, names: tuple[str, str] = ("A", "B")) -> str:
    """The paired comparison as a plain-text table."""
    a, b = names
    lines = [
        f"{a} - {b}: paired bootstrap, {comparison.resamples} resamples of {comparison.unit}s, "
        f"seed {comparison.seed}, {comparison.level:.0%} percentile intervals, two-sided p",
        f"{'measure':<42}{'A':>8}{'B':>8}{'A-B':>9}  {'interval':<19}{'p':>7}",
    ]

    def cell(value: float | None, width: int = 8, sign: bool = False) -> str:
        if value is None:
            return f"{'n/a':>{width}}"
        return f"{value:>+{width}.4f}" if sign else f"{value:>{width}.4f}"

    for key, d in comparison.measures.items():
        interval = f"[{cell(d.low, 7, True)}, {cell(d.high, 7, True)}]" if d.low is not None else f"{'':19}"
        diff = cell(d.difference, 9, True)
        lines.append(f"{key:<42}{cell(d.a)}{cell(d.b)}{diff}  {interval:<19}{cell(d.p_value, 7)}")
    return "\n".join(lines)


def comparison_json(comparison: Comparison) -> str:
    """The paired comparison as indented JSON (what ``seccoop compare --json`` prints)."""
    import json
    from dataclasses import asdict

    return json.dumps(asdict(comparison), ensure_ascii=False, indent=2)
