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
in coreference, unmatched triggers, arguments, contents and cues.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from seccoop.bench.predictions import (
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
from seccoop.bench.score.coref import CorefScore, EntityScores, _score_entities, b_cubed, ceaf_e, muc
from seccoop.bench.score.events import EventScores, _score_events
from seccoop.bench.score.measures import Accuracy, Average, Score
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
from seccoop.check.diagnostics import Finding, finding, sort_key
from seccoop.record.models import EntityArgument, Mention, Record
from seccoop.record.plover import plover_gold

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


def _empty(article_id: str) -> AlignedPrediction:
    return AlignedPrediction(article_id, (), (), (), ())


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
    ids = {r.id for r in gold}
    by_id: dict[str, ArticlePrediction] = {}
    for p in predictions:
        if p.id not in ids:
            raise ValueError(f"prediction for {p.id!r}, which is not a gold article")
        if p.id in by_id:
            raise ValueError(f"two predictions for article {p.id!r}")
        by_id[p.id] = p
    records = [plover_gold(r) for r in gold] if plover else list(gold)
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
    predictions: Path, gold: Sequence[Path], task: Task = "all", *, plover: bool = False
) -> ScoreRun:
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
    return ScoreRun(findings, score(records, list(checked.predictions), task, plover=plover), 0)
