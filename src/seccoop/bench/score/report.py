"""The score report: every measure of a run, its headline numbers, a table for people and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from seccoop.bench.score.breakdowns import Breakdowns, ErrorItem, errors_table
from seccoop.bench.score.coref import EntityScores
from seccoop.bench.score.events import EventScores
from seccoop.bench.score.measures import Accuracy, Intervals
from seccoop.bench.score.ner import NerScores
from seccoop.bench.score.quotes import QuoteScores
from seccoop.bench.score.values import ValueScores


@dataclass(frozen=True)
class ScoreReport:
    """Everything :func:`score` measured; ``None`` for the tasks that were not asked for."""

    task: str
    articles: int
    predicted_articles: int
    unaligned: int
    """Predicted spans that could not be aligned to their article (they match nothing), in the
    layers the task reads."""
    normalised: int = 0
    """Text-only spans aligned only after typographic normalisation (curly quotes, dashes, spaces),
    in the layers the task reads."""
    not_predicted: dict[str, int] = field(default_factory=dict)
    """Per task scored: gold articles whose line lacks the task's layer (or that have no line)."""
    ner: NerScores | None = None
    entities: EntityScores | None = None
    values: ValueScores | None = None
    events: EventScores | None = None
    quotes: QuoteScores | None = None
    intervals: Intervals | None = None
    """Bootstrap confidence intervals of the headline measures (:mod:`.bootstrap`), if asked for."""
    breakdowns: Breakdowns | None = None
    """Per article, mention kind, event type and realis (:mod:`.breakdowns`), if asked for."""
    errors: tuple[ErrorItem, ...] | None = None
    """Each false positive and false negative in context (:func:`.breakdowns.errors`), if asked for."""
    plover: bool = False
    """Whether events were scored in PLOVER coding against the gold's PLOVER view."""

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
        if self.values is not None:
            v = self.values
            put("value_strict_f1", v.strict.f1, v.strict.applicable)
            put("value_relaxed_f1", v.relaxed.f1, v.relaxed.applicable)
            put("value_type_f1", v.type.f1, v.type.applicable)
            put("value_normalization_f1", v.normalization.f1, v.normalization.applicable)
        if self.events is not None:
            for name, value in asdict(self.events).items():
                if name != "clusters":
                    put(f"{name}_f1", value["f1"], value["gold"] + value["predicted"] > 0)
            clusters = self.events.clusters
            if clusters is not None:
                put("event_coref_muc_f1", clusters.muc.f1, clusters.muc.applicable)
                put("event_coref_b3_f1", clusters.b_cubed.f1, clusters.b_cubed.applicable)
                put("event_coref_ceafe_f1", clusters.ceaf_e.f1, clusters.ceaf_e.applicable)
                put(
                    "event_coref_conll_f1",
                    clusters.conll_f1,
                    clusters.muc.applicable and clusters.b_cubed.applicable,
                )
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
            f"{self.unaligned} predicted span(s) not aligned to the text, "
            f"{self.normalised} aligned after typographic normalisation"
            + ("; events in PLOVER coding" if self.plover else "")
        ]
        for task, n in self.not_predicted.items():
            lines.append(f"task {task}: {n} article(s) without a prediction of this layer (scored as empty)")
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
        if self.values is not None:
            v = self.values
            lines += ["", "Values", _row("", "P", "R", "F1", "gold", "pred")]
            for label, s in (
                ("strict", v.strict),
                ("relaxed", v.relaxed),
                ("type", v.type),
                ("normalization", v.normalization),
            ):
                lines.append(_row(label, s.precision, s.recall, s.f1, s.gold, s.predicted))
            lines.append(_accuracy_row("type (matched)", v.type_accuracy))
            lines.append(_accuracy_row("norm. (matched)", v.normalization_accuracy))
            for label, s in v.strict_by_type.items():
                lines.append(_row(f"{label} strict", s.precision, s.recall, s.f1, s.gold, s.predicted))
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
            if self.events.clusters is not None:
                ec = self.events.clusters
                for label, cs in (("ev MUC", ec.muc), ("ev B-cubed", ec.b_cubed), ("ev CEAF-e", ec.ceaf_e)):
                    lines.append(_row(label, cs.precision, cs.recall, cs.f1, "", ""))
                lines.append(_row("ev CoNLL", "", "", ec.conll_f1, "", ""))
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
        if self.breakdowns is not None:
            b = self.breakdowns
            if b.mentions_by_kind and self.entities is not None:
                lines += ["", "Mentions by kind (exact span)", _row("", "P", "R", "F1", "gold", "pred")]
                for kind, s in b.mentions_by_kind.items():
                    lines.append(_row(kind, s.precision, s.recall, s.f1, s.gold, s.predicted))
            if b.triggers_by_type and self.events is not None:
                lines += ["", "Triggers by type (span and type)", _row("", "P", "R", "F1", "gold", "pred")]
                for etype, s in b.triggers_by_type.items():
                    lines.append(_row(etype, s.precision, s.recall, s.f1, s.gold, s.predicted))
            if b.triggers_by_realis and self.events is not None:
                lines += ["", "Gold triggers found by realis (span and type)"]
                lines += [_accuracy_row(k, a) for k, a in b.triggers_by_realis.items()]
            if b.per_article:
                keys = [k for k in next(iter(b.per_article.values())) if k in _ARTICLE_KEYS]
                lines += ["", "Per article", "article".ljust(42) + "".join(f"{k[:25]:>27}" for k in keys)]
                for article, head in b.per_article.items():
                    lines.append(article[:41].ljust(42) + "".join(f"{_cell(head[k]):>27}" for k in keys))
        if self.errors is not None:
            lines += [
                "",
                f"Errors ({len(self.errors)}: FN missed, FP spurious or wrong type)",
                errors_table(self.errors),
            ]
        if self.intervals is not None:
            iv = self.intervals
            lines += [
                "",
                f"Headline measures with {iv.level:.0%} bootstrap intervals "
                f"({iv.resamples} resamples of {iv.unit}s, seed {iv.seed}, percentile)",
            ]
            for key, interval in iv.measures.items():
                lines.append(
                    f"{key:<42}{_cell(interval.value)}  [{_cell(interval.low)}, {_cell(interval.high)}]"
                )
        return "\n".join(lines)


_ARTICLE_KEYS = (
    "ner_strict_f1",
    "coref_conll_f1",
    "value_strict_f1",
    "trigger_classification_f1",
    "quote_content_overlap_f1",
)


def _cell(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:.4f}"


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


def report_json(report: ScoreReport) -> str:
    """The report as indented JSON (what ``seccoop score --json`` prints)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
