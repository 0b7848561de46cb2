"""Breakdowns of a score for people improving a system: per article, per mention kind, per event
type and realis, and the list of errors (each false positive and false negative in context).

* ``per_article``: the headline measures of each article scored alone.
* ``mentions_by_kind``: mention detection (exact span) of the gold mentions of each kind (NAM,
  NOM, PRO) against the predicted mentions of that kind.
* ``triggers_by_type``: trigger classification (span and type) per PLOVER type.
* ``triggers_by_realis``: the share of gold triggers of each realis that a prediction classifies
  (span and type); predictions carry no realis, so this is a recall.

The error listing (:func:`errors`) names, per article, each name (strict: span and type), value
(strict span and type), and event trigger (span and type) that is missed (false negative) or
spurious (false positive), with the sentence-sized context around it; an unaligned prediction is
a false positive without a span.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from seccoop.bench.predictions import AlignedPrediction
from seccoop.bench.score.measures import Accuracy, Score, Span
from seccoop.record.models import Record
from seccoop.record.ontology import load_ontology

__all__ = ["Breakdowns", "ErrorItem", "breakdowns", "errors", "errors_table"]

_CONTEXT = 40


@dataclass(frozen=True)
class Breakdowns:
    """Scores broken down by article, mention kind, event type and realis."""

    per_article: dict[str, dict[str, float | None]]
    mentions_by_kind: dict[str, Score]
    triggers_by_type: dict[str, Score]
    triggers_by_realis: dict[str, Accuracy]


@dataclass(frozen=True)
class ErrorItem:
    """One false positive or false negative, in context."""

    article: str
    layer: str
    """``names``, ``values`` or ``triggers``."""
    error: str
    """``false-positive`` or ``false-negative``."""
    label: str
    start: int | None
    end: int | None
    text: str
    context: str
    """The text around the span, the span in [[double brackets]]; empty when unaligned."""


def _hits(gold: Sequence[tuple[object, ...]], pred: Sequence[tuple[object, ...]]) -> int:
    g, p = Counter(gold), Counter(pred)
    return sum(min(c, p[k]) for k, c in g.items())


def breakdowns(
    records: Sequence[Record],
    aligned: Sequence[AlignedPrediction],
    headline_of: Callable[[Sequence[Record], Sequence[AlignedPrediction]], dict[str, float | None]],
) -> Breakdowns:
    """The breakdowns of predictions ``aligned`` to ``records`` (``headline_of`` scores a subset)."""
    ontology = load_ontology()
    per_article = {r.id: headline_of([r], [a]) for r, a in zip(records, aligned, strict=True)}
    kinds = {k: [0, 0, 0] for k in ontology.mention_kinds}
    types = {t: [0, 0, 0] for t in ontology.event_types}
    realis = {k: [0, 0] for k in ontology.realis}
    for record, pred in zip(records, aligned, strict=True):
        for kind, tally in kinds.items():
            g = {(m.start, m.end) for m in record.mentions if m.kind == kind}
            p = {m.span for m in pred.mentions if m.kind == kind and m.span is not None}
            lost = sum(1 for m in pred.mentions if m.kind == kind and m.span is None)
            tally[0] += len(g & p)
            tally[1] += len(p) + lost
            tally[2] += len(g)
        predicted = [(*e.trigger, e.type) for e in pred.events if e.trigger is not None]
        for etype, tally in types.items():
            g_t = [(e.trigger.start, e.trigger.end, e.type) for e in record.events if e.type == etype]
            p_t = [t for t in predicted if t[2] == etype]
            tally[0] += _hits(g_t, p_t)
            tally[1] += len(p_t) + sum(1 for e in pred.events if e.trigger is None and e.type == etype)
            tally[2] += len(g_t)
        left = Counter(predicted)
        for e in record.events:
            key = (e.trigger.start, e.trigger.end, e.type)
            realis[e.realis][1] += 1
            if left[key] > 0:
                left[key] -= 1
                realis[e.realis][0] += 1
    return Breakdowns(
        per_article,
        {k: Score.of(*v) for k, v in kinds.items() if v[1] or v[2]},
        {t: Score.of(*v) for t, v in types.items() if v[1] or v[2]},
        {k: Accuracy.of(*v) for k, v in realis.items() if v[1]},
    )


def _context(text: str, span: Span | None) -> str:
    if span is None:
        return ""
    s, e = span
    left = text[max(0, s - _CONTEXT) : s]
    right = text[e : e + _CONTEXT]
    return " ".join(f"{left}[[{text[s:e]}]]{right}".split())


def _diff(
    article: Record,
    layer: str,
    gold: Sequence[tuple[Span, str]],
    pred: Sequence[tuple[Span | None, str, str]],
) -> list[ErrorItem]:
    """False negatives and positives of (span, label) items matched as multisets."""
    left = Counter(gold)
    out = []
    unmatched_pred = []
    for span, label, surface in pred:
        if span is not None and left[(span, label)] > 0:
            left[(span, label)] -= 1
        else:
            unmatched_pred.append((span, label, surface))
    for (span, label), n in sorted(left.items()):
        for _ in range(n):
            out.append(
                ErrorItem(
                    article.id,
                    layer,
                    "false-negative",
                    label,
                    span[0],
                    span[1],
                    article.text[span[0] : span[1]],
                    _context(article.text, span),
                )
            )
    for span, label, surface in unmatched_pred:
        out.append(
            ErrorItem(
                article.id,
                layer,
                "false-positive",
                label,
                span[0] if span else None,
                span[1] if span else None,
                surface,
                _context(article.text, span),
            )
        )
    return out


def errors(
    records: Sequence[Record],
    aligned: Sequence[AlignedPrediction],
    layers: Sequence[str] = ("names", "values", "triggers"),
) -> list[ErrorItem]:
    """Every false negative and false positive of names, values and triggers, in text order."""
    out: list[ErrorItem] = []
    for record, pred in zip(records, aligned, strict=True):
        types = {e.id: e.type for e in record.entities}
        text = record.text

        def surface(span: Span | None, text: str = text) -> str:
            return text[span[0] : span[1]] if span else "(unaligned)"

        out += _diff(
            record,
            "names",
            [
                ((m.start, m.end), types[m.entity])
                for m in record.mentions
                if m.kind == "NAM" and m.entity in types
            ],
            [(m.span, m.type, surface(m.span)) for m in pred.mentions if m.kind == "NAM"],
        )
        out += _diff(
            record,
            "values",
            [((v.start, v.end), v.type) for v in record.values],
            [(v.span, v.type, surface(v.span)) for v in pred.values],
        )
        out += _diff(
            record,
            "triggers",
            [((e.trigger.start, e.trigger.end), e.type) for e in record.events],
            [(e.trigger, e.type, surface(e.trigger)) for e in pred.events],
        )
    out = [x for x in out if x.layer in layers]
    out.sort(key=lambda x: (x.article, x.layer, x.start if x.start is not None else -1, x.error))
    return out


def errors_table(items: Sequence[ErrorItem]) -> str:
    """The error listing as plain text, one error per line."""
    if not items:
        return "no errors"
    lines = []
    for x in items:
        where = f"[{x.start}:{x.end}]" if x.start is not None else "[unaligned]"
        tag = "FN" if x.error == "false-negative" else "FP"
        shown = x.context or repr(x.text)
        lines.append(f"{x.article} {x.layer:<8} {tag} {x.label:<9} {where:<12} {shown}")
    return "\n".join(lines)
