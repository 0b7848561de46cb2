"""The NER scores against the reference tools: seqeval 1.2.2 (CoNLL) and nervaluate (SemEval-2013).

On generated gold names (nested and crossing ones included) and generated predictions, every
number of :func:`seccoop.bench.score.score` for the ``ner`` task equals the tools' to 1e-9:

* seqeval's default (conlleval-compatible) mode and its ``mode="strict", scheme=IOB2``: micro,
  macro and per-type precision, recall and F1 over the IOB2 tags of
  :func:`seccoop.bench.score.iob2_sentences` (``zero_division=0``: seqeval's default ``"warn"`` gives the
  same numbers but warns). Our tags are always well-formed IOB2, so the two modes agree.
* nervaluate's ``Evaluator`` with the ``dict`` loader (end offsets inclusive, so ``end - 1``),
  one document per article, entities sorted by (start, end, type): the COR/INC/PAR/MIS/SPU
  counts and precision, recall and F1 of all four modes, overall and per type.

Where the tools depart from their own definitions we do not copy them; the generated inputs
avoid those corners and the tests at the end assert the documented differences:

1. nervaluate matches greedily in list order, so with overlapping predictions a prediction that
   merely overlaps a gold name can take it before the prediction that matches it exactly
   (davidsbatista/NER-Evaluation#6, MantisAI/nervaluate#40; the maintainers call overlapping
   predictions unsupported input, MantisAI/nervaluate#84). We match exact pairs first. Generated
   predictions therefore never overlap each other (gold names may).
2. nervaluate (1.2.1 here) counts an overlap only when it covers at least ``min_overlap_percentage``
   (≥ 1, default 1) percent of the gold name, so a one-character overlap with a gold name longer
   than 100 characters is no overlap there; for us any shared character is one. Generated names
   are shorter than 100 characters.
3. seqeval's macro average over no labels at all is NaN (numpy's mean of an empty slice, with a
   RuntimeWarning); ours is 0.0, the same convention as every other empty ratio.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from seccoop.bench.predictions import ArticlePrediction
from seccoop.bench.score import NER_MODES, NerScores, iob2_sentences, score
from seccoop.record.models import Record
from seccoop.record.ontology import load_ontology
from seccoop.record.tokens import tokenize
from tests.strategies import corpora

TYPES = list(load_ontology().entity_types)
NERVALUATE_MODES = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
Name = tuple[int, int, str]


# ---------------------------------------------------------------- generated cases


def _token_spans(record: Record) -> list[tuple[int, int]]:
    """Candidate name spans: 1 to 3 consecutive tokens inside one sentence, under 100 characters."""
    out = []
    for sentence in record.sentences:
        toks = tokenize(record.text, sentence.start, sentence.end)
        for i in range(len(toks)):
            for j in range(i, min(i + 3, len(toks))):
                if toks[j].end - toks[i].start < 100:
                    out.append((toks[i].start, toks[j].end))
    return out


@st.composite
def ner_cases(draw: st.DrawFn) -> tuple[list[Record], list[ArticlePrediction]]:
    """Gold records with random (possibly nested) names, and non-overlapping predicted names."""
    gold_records = []
    predictions = []
    for record in draw(corpora(max_records=3)):
        spans = _token_spans(record)
        gold_spans = draw(st.lists(st.sampled_from(spans), max_size=8, unique=True)) if spans else []
        gold: list[Name] = [(s, e, draw(st.sampled_from(TYPES))) for s, e in gold_spans]
        candidates: list[Name] = []
        for s, e, t in gold:
            how = draw(st.sampled_from(["copy", "retype", "shift", "grow", "char", "drop"]))
            if how == "copy":
                candidates.append((s, e, t))
            elif how == "retype":
                candidates.append((s, e, draw(st.sampled_from(TYPES))))
            elif how in ("shift", "grow") and spans:
                near = [c for c in spans if c != (s, e) and c[0] < e and s < c[1]]
                if near:
                    c = draw(st.sampled_from(near))
                    candidates.append((*c, t if how == "shift" else draw(st.sampled_from(TYPES))))
            elif how == "char" and e - s > 1:
                cut = draw(st.integers(s + 1, e - 1))
                candidates.append((s, cut, t) if draw(st.booleans()) else (cut, e, t))
        if spans:
            extra = draw(st.lists(st.sampled_from(spans), max_size=3))
            candidates += [(s, e, draw(st.sampled_from(TYPES))) for s, e in extra]
        order = draw(st.permutations(range(len(candidates)))) if candidates else []
        predicted: list[Name] = []
        for k in order:
            s, e, t = candidates[k]
            if all(e <= ps or pe <= s for ps, pe, _ in predicted):
                predicted.append((s, e, t))
        gold_records.append(_with_names(record, gold))
        predictions.append(
            ArticlePrediction.model_validate(
                {
                    "id": record.id,
                    "mentions": [
                        {"type": t, "start": s, "end": e, "text": record.text[s:e]} for s, e, t in predicted
                    ],
                    "values": [],
                    "events": [],
                    "quotes": [],
                }
            )
        )
    return gold_records, predictions


def _with_names(record: Record, names: list[Name]) -> Record:
    data = record.model_dump()
    data["entities"] = [
        {"id": f"g{i}", "type": t, "name": record.text[s:e], "wikidata": None, "sector": None}
        for i, (s, e, t) in enumerate(names)
    ]
    data["mentions"] = [
        {"id": f"n{i}", "entity": f"g{i}", "kind": "NAM", "start": s, "end": e, "text": record.text[s:e]}
        for i, (s, e, _t) in enumerate(names)
    ]
    data["events"] = []
    data["quotes"] = []
    return Record.model_validate(data)


# ---------------------------------------------------------------- reference runs


def _names(
    records: list[Record], predictions: list[ArticlePrediction]
) -> tuple[list[list[Name]], list[list[Name]]]:
    gold = []
    for r in records:
        types = {e.id: e.type for e in r.entities}
        gold.append(sorted((m.start, m.end, types[m.entity]) for m in r.mentions if m.kind == "NAM"))
    by_id = {p.id: p for p in predictions}
    pred = []
    for r in records:
        p = by_id.get(r.id)
        ms = p.mentions if p else []
        pred.append(sorted((m.start, m.end, m.type) for m in ms if m.start is not None and m.end is not None))
    return gold, pred


def _tags(records: list[Record], names: list[list[Name]]) -> list[list[str]]:
    out = []
    for r, ns in zip(records, names, strict=True):
        sentences = [(s.start, s.end) for s in r.sentences]
        out += [tags for _, tags in iob2_sentences(r.text, sentences, ns)]
    return out


def _nervaluate(gold: list[list[Name]], pred: list[list[Name]]) -> dict[str, Any]:
    def docs(names: list[list[Name]]) -> list[list[dict[str, Any]]]:
        return [[{"label": t, "start": s, "end": e - 1} for s, e, t in doc] for doc in names]

    return Evaluator(docs(gold), docs(pred), tags=TYPES, loader="dict").evaluate()


def assert_matches_nervaluate(ner: NerScores, gold: list[list[Name]], pred: list[list[Name]]) -> None:
    reference = _nervaluate(gold, pred)
    for mode, theirs in NERVALUATE_MODES.items():
        pairs = [(ner.modes[mode].micro, reference["overall"][theirs])]
        assert set(ner.modes[mode].per_type) == set(reference["entities"])
        pairs += [
            (ner.modes[mode].per_type[t], reference["entities"][t][theirs]) for t in reference["entities"]
        ]
        for ours, ref in pairs:
            counts = (ours.correct, ours.incorrect, ours.partial, ours.missed, ours.spurious)
            assert counts == (ref.correct, ref.incorrect, ref.partial, ref.missed, ref.spurious), mode
            assert (ours.possible, ours.actual) == (ref.possible, ref.actual)
            for a, b in ((ours.precision, ref.precision), (ours.recall, ref.recall), (ours.f1, ref.f1)):
                assert math.isclose(a, b, abs_tol=1e-9), (mode, a, b)


def assert_matches_seqeval(ner: NerScores, y_true: list[list[str]], y_pred: list[list[str]]) -> None:
    conll = ner.conll
    if all(tag == "O" for seq in (*y_true, *y_pred) for tag in seq):
        # seqeval warns and averages an empty slice here (difference 3): ours is all zeros.
        assert (conll.micro.f1, conll.macro.f1, conll.per_type) == (0.0, 0.0, {})
        return
    for options in ({}, {"mode": "strict", "scheme": IOB2}):
        report = classification_report(y_true, y_pred, output_dict=True, zero_division=0, **options)
        labels = {k for k in report if not k.endswith(" avg")}
        assert labels == set(conll.per_type)
        rows = [(conll.micro, report["micro avg"])]
        rows += [(conll.per_type[t], report[t]) for t in labels]
        for ours, ref in rows:
            assert math.isclose(ours.precision, ref["precision"], abs_tol=1e-9)
            assert math.isclose(ours.recall, ref["recall"], abs_tol=1e-9)
            assert math.isclose(ours.f1, ref["f1-score"], abs_tol=1e-9)
            assert ours.gold == ref["support"]
        if labels:
            macro = report["macro avg"]
            assert math.isclose(conll.macro.precision, macro["precision"], abs_tol=1e-9)
            assert math.isclose(conll.macro.recall, macro["recall"], abs_tol=1e-9)
            assert math.isclose(conll.macro.f1, macro["f1-score"], abs_tol=1e-9)


# ---------------------------------------------------------------- agreement


@settings(max_examples=60)
@given(ner_cases())
def test_ner_agrees_with_nervaluate_and_seqeval(case: tuple[list[Record], list[ArticlePrediction]]) -> None:
    records, predictions = case
    ner = score(records, predictions, "ner").ner
    assert ner is not None
    gold, pred = _names(records, predictions)
    assert_matches_nervaluate(ner, gold, pred)
    assert_matches_seqeval(ner, _tags(records, gold), _tags(records, pred))


@settings(max_examples=20)
@given(ner_cases())
def test_gold_against_itself_agrees_too(case: tuple[list[Record], list[ArticlePrediction]]) -> None:
    records, _ = case
    perfect = [
        ArticlePrediction.model_validate(
            {
                "id": r.id,
                "mentions": [
                    {"type": {e.id: e.type for e in r.entities}[m.entity], "start": m.start, "end": m.end,
                     "text": m.text}
                    for m in r.mentions
                ],
                "values": [], "events": [], "quotes": [],
            }
        )
        for r in records
    ]  # fmt: skip
    ner = score(records, perfect, "ner").ner
    assert ner is not None
    gold, pred = _names(records, perfect)
    assert_matches_nervaluate(ner, gold, pred)
    for mode in NER_MODES:
        micro = ner.modes[mode].micro
        assert micro.f1 == (1.0 if micro.possible else 0.0)


def test_fixed_example_against_both_tools() -> None:
    text = "Ama Mensah met Kofi Adu of Togo in Lomé on Friday ."
    gold_names: list[Name] = [(0, 10, "PER"), (15, 23, "PER"), (27, 31, "GPE"), (35, 39, "GPE")]
    pred_names: list[Name] = [(0, 3, "PER"), (15, 31, "PER"), (35, 39, "LOC"), (43, 49, "GPE")]
    record = _named_record(text, gold_names)
    prediction = _prediction(text, pred_names)
    ner = score([record], [prediction], "ner").ner
    assert ner is not None
    gold, pred = _names([record], [prediction])
    assert_matches_nervaluate(ner, gold, pred)
    assert_matches_seqeval(ner, _tags([record], gold), _tags([record], pred))
    strict = ner.modes["strict"].micro
    assert (strict.correct, strict.incorrect, strict.missed, strict.spurious) == (0, 3, 1, 1)
    assert ner.modes["type"].micro.correct == 2


# ---------------------------------------------------------------- documented differences


def test_difference_1_order_of_overlapping_predictions() -> None:
    gold = [[(0, 10, "PER")]]
    pred = [[(0, 4, "PER"), (0, 10, "PER")]]  # sorted by (start, end): the partial one comes first
    reference = _nervaluate(gold, pred)["overall"]["strict"]
    assert (reference.correct, reference.incorrect, reference.spurious) == (0, 1, 1)
    text = "Ama Mensah said so ."
    record = _named_record(text, gold[0])
    ner = score([record], [_prediction(text, pred[0])], "ner").ner
    assert ner is not None
    ours = ner.modes["strict"].micro
    assert (ours.correct, ours.incorrect, ours.spurious) == (1, 0, 1)  # the exact pair is kept


def test_difference_2_overlap_threshold_on_long_names() -> None:
    text = "A" * 120 + " said so ."
    gold = [(0, 120, "ORG")]
    pred = [(119, 124, "ORG")]  # shares one character with a 120-character name
    reference = _nervaluate([gold], [pred])["overall"]["partial"]
    assert (reference.partial, reference.missed, reference.spurious) == (0, 1, 1)
    ner = score([_named_record(text, gold)], [_prediction(text, pred)], "ner").ner
    assert ner is not None
    ours = ner.modes["partial"].micro
    assert (ours.partial, ours.missed, ours.spurious) == (1, 0, 0)


def test_difference_3_macro_average_over_no_labels() -> None:
    y = [["O", "O"]]
    with pytest.warns(RuntimeWarning):
        report = classification_report(y, y, output_dict=True, zero_division=0)
    assert np.isnan(report["macro avg"]["f1-score"])
    text = "no names here ."
    ner = score([_named_record(text, [])], [_prediction(text, [])], "ner").ner
    assert ner is not None and ner.conll.macro.f1 == 0.0 and ner.conll.macro.labels == 0


def _named_record(text: str, names: list[Name]) -> Record:
    """A one-sentence record holding ``names``."""
    data = {
        "schema_version": 1,
        "id": "doc",
        "source": {"path": "seeds/doc.txt", "sha256": hashlib.sha256(text.encode()).hexdigest()},
        "title": None, "publisher": None, "byline": None, "published": None, "url": None,
        "text": text,
        "zones": [],
        "sentences": [{"id": "s1", "start": 0, "end": len(text), "text": text}],
        "entities": [], "mentions": [], "non_mentions": [], "values": [], "events": [], "quotes": [],
        "annotation": {"annotators": ["t"], "adjudicator": None, "status": "draft", "notes": []},
    }  # fmt: skip
    return _with_names(Record.model_validate(data), names)


def _prediction(text: str, names: list[Name]) -> ArticlePrediction:
    return ArticlePrediction.model_validate(
        {
            "id": "doc",
            "mentions": [{"type": t, "start": s, "end": e, "text": text[s:e]} for s, e, t in names],
            "values": [], "events": [], "quotes": [],
        }
    )  # fmt: skip
