"""The values task (TempEval-3 style), bootstrap intervals and the paired comparison.

The values measures are checked against an independent computation written here from
TempEval-3's definitions (UzZaman et al. 2013): strict = equal spans, relaxed = overlapping spans,
attribute accuracy over relaxed matches, attribute F1 = relaxed F1 x accuracy, each count the
most one-to-one pairs under its rule, found by scipy's assignment solver (no code shared with the
scorer).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from seccoop import load_articles
from seccoop.bench.predictions import ArticlePrediction, align_prediction, dumps_predictions
from seccoop.bench.score import (
    TASKS,
    compare_files,
    gold_as_predictions,
    score,
    score_aligned,
    score_files,
)
from seccoop.bench.score.bootstrap import compare_aligned, percentile_interval, resamples_of
from seccoop.bench.score.measures import entity_spans
from seccoop.record.models import Record
from tests.strategies import corpora

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
GOLD = Record.model_validate_json((VALID / "border-patrols.json").read_text(encoding="utf-8"))
VALUE_TYPES = ("DATE", "TIME", "DURATION", "MONEY", "QUANTITY", "PERCENT")


ARTICLES = FIXTURES.parents[1] / "dataset" / "articles"


@pytest.fixture(scope="module")
def corpus() -> list[Record]:
    """The real gold corpus (its invariants, never its size, are asserted)."""
    return load_articles(ARTICLES)


def perfect(record: Record = GOLD) -> dict[str, Any]:
    return gold_as_predictions([record])[0].model_dump()


# ---------------------------------------------------------------- an independent computation


def f1(correct: int, predicted: int, gold: int) -> float:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def reference_values(gold: list[tuple[int, int, str, Any]], pred: list[tuple[int, int, str, Any]]) -> dict:
    """Each count is the most one-to-one pairs under its rule, found by scipy's assignment solver
    on a 0/1 matrix (an implementation that shares nothing with the scorer)."""

    def most(rule: Any) -> int:
        if not gold or not pred:
            return 0
        weights = np.array([[1.0 if rule(g, p) else 0.0 for p in pred] for g in gold])
        rows, cols = linear_sum_assignment(weights, maximize=True)
        return int(weights[rows, cols].sum())

    def overlap(g: Any, p: Any) -> bool:
        return g[0] < p[1] and p[0] < g[1]

    strict = most(lambda g, p: g[:2] == p[:2])
    relaxed = most(overlap)
    typed = most(lambda g, p: overlap(g, p) and g[2] == p[2])
    normal = most(lambda g, p: overlap(g, p) and g[3] == p[3])
    n_p, n_g = len(pred), len(gold)
    return {
        "strict": f1(strict, n_p, n_g),
        "relaxed": f1(relaxed, n_p, n_g),
        "type_accuracy": typed / relaxed if relaxed else 0.0,
        "type": f1(typed, n_p, n_g),
        "normalization": f1(normal, n_p, n_g),
    }


def values_record(text: str, values: list[tuple[int, int, str, str | None]]) -> Record:
    data = json.loads(GOLD.model_dump_json())
    data.update(text=text, entities=[], mentions=[], events=[], quotes=[], non_mentions=[], zones=[])
    data["sentences"] = [{"id": "s0", "start": 0, "end": len(text), "text": text}]
    data["values"] = [
        {"id": f"v{i}", "type": t, "start": s, "end": e, "text": text[s:e], "normalized": n}
        for i, (s, e, t, n) in enumerate(values)
    ]
    return Record.model_validate(data)


TEXT = "abcdefghij klmnopqrst uvwxyz0123 456789ABCD EFGHIJKLMN"


@st.composite
def value_lists(draw: st.DrawFn, most: int) -> list[tuple[int, int, str, str | None]]:
    out = []
    for _ in range(draw(st.integers(0, most))):
        s = draw(st.integers(0, len(TEXT) - 2))
        e = draw(st.integers(s + 1, min(len(TEXT), s + 8)))
        if not TEXT[s:e].strip() or TEXT[s:e] != TEXT[s:e].strip():
            continue
        out.append((s, e, draw(st.sampled_from(VALUE_TYPES[:2])), draw(st.sampled_from(["1", "2", None]))))
    return out


@settings(max_examples=60, deadline=None)
@given(value_lists(4), value_lists(4))
@example(  # two predictions overlap one gold value; only one has its type
    gold=[(1, 2, "DATE", "1")],
    pred=[(0, 3, "DATE", "1"), (0, 1, "DATE", "1"), (0, 2, "TIME", "1")],
)
def test_values_measures_equal_an_independent_computation(gold: list, pred: list) -> None:
    record = values_record(TEXT, gold)
    line = {
        "id": record.id,
        "values": [
            {"type": t, "start": s, "end": e, "text": TEXT[s:e], "normalized": n} for s, e, t, n in pred
        ],
    }
    report = score([record], [ArticlePrediction.model_validate(line)], "values")
    assert report.values is not None
    ref = reference_values(gold, pred)
    v = report.values
    assert v.strict.f1 == pytest.approx(ref["strict"], abs=1e-12)
    assert v.relaxed.f1 == pytest.approx(ref["relaxed"], abs=1e-12)
    assert v.type_accuracy.value == pytest.approx(ref["type_accuracy"], abs=1e-12)
    assert v.type.f1 == pytest.approx(ref["type"], abs=1e-12)
    assert v.normalization.f1 == pytest.approx(ref["normalization"], abs=1e-12)


def test_gold_scores_one_on_values_and_every_measure(corpus: list[Record]) -> None:
    headline = score(corpus, gold_as_predictions(corpus), "all").headline()
    assert {k: v for k, v in headline.items() if v is not None and v != 1.0} == {}
    with_values = [r for r in corpus if r.values]
    if with_values:
        assert score(with_values, gold_as_predictions(with_values), "values").headline() == {
            "value_strict_f1": 1.0,
            "value_relaxed_f1": 1.0,
            "value_type_f1": 1.0,
            "value_normalization_f1": 1.0,
        }


def test_a_perturbed_value_changes_exactly_the_values_measures(corpus: list[Record]) -> None:
    record = next(r for r in corpus if r.values)
    base = perfect(record)
    right = score([record], [ArticlePrediction.model_validate(base)], "all").headline()
    wrong_type = next(t for t in VALUE_TYPES if t != base["values"][0]["type"])
    for edit in (
        {"type": wrong_type},
        {"normalized": "9999"},
        {"type": wrong_type, "normalized": None if base["values"][0]["normalized"] else "1"},
    ):
        data = json.loads(json.dumps(base))
        data["values"][0].update(edit)
        changed = score([record], [ArticlePrediction.model_validate(data)], "all").headline()
        moved = {k for k in right if right[k] != changed[k]}
        assert moved and all(k.startswith("value_") for k in moved), moved
    data = {**base, "values": []}
    empty = score([record], [ArticlePrediction.model_validate(data)], "all").headline()
    assert {k for k in right if right[k] != empty[k]} == {k for k in right if k.startswith("value_")}


def test_values_worked_example() -> None:
    #        0123456789012345678901234567890
    text = "On 5 May 2023 we paid $10 million."
    record = values_record(text, [(3, 13, "DATE", "2023-05-05"), (22, 33, "MONEY", "USD 10000000")])
    line = {
        "id": record.id,
        "values": [
            {"type": "DATE", "text": "5 May 2023", "normalized": "2023-05-05"},  # strict, all right
            {"type": "QUANTITY", "text": "$10", "normalized": "10"},  # relaxed only, wrong attributes
            {"type": "DATE", "text": "paid"},  # spurious
            {"type": "DATE", "text": "June"},  # unaligned: spurious
        ],
    }
    v = score([record], [ArticlePrediction.model_validate(line)], "values").values
    assert v is not None
    assert (v.strict.correct, v.relaxed.correct, v.strict.predicted, v.strict.gold) == (1, 2, 4, 2)
    assert (v.type_accuracy.correct, v.type_accuracy.total) == (1, 2)
    assert (v.normalization_accuracy.correct, v.normalization_accuracy.total) == (1, 2)
    assert v.type.f1 == pytest.approx(v.relaxed.f1 * 0.5)
    assert v.strict_by_type["MONEY"].correct == 0 and v.relaxed_by_type["DATE"].correct == 1


def test_values_task_is_listed_and_scored_alone() -> None:
    assert "values" in TASKS
    report = score([GOLD], gold_as_predictions([GOLD]), "values")
    assert report.ner is None and report.values is not None


# ---------------------------------------------------------------- one helper for entity spans


def test_entity_spans_groups_every_mention(corpus: list[Record]) -> None:
    for record in corpus:
        spans = entity_spans(record)
        assert sum(len(v) for v in spans.values()) == len(
            {(m.entity, m.start, m.end) for m in record.mentions}
        )
        for m in record.mentions:
            assert (m.start, m.end) in spans[m.entity]


# ---------------------------------------------------------------- bootstrap and compare


def test_percentile_interval_and_resamples() -> None:
    assert percentile_interval([], 0.95) == (None, None)
    assert percentile_interval([float(i) for i in range(1000)], 0.95) == (25.0, 974.0)
    assert resamples_of(4, 50, 7) == resamples_of(4, 50, 7)
    assert resamples_of(4, 50, 7) != resamples_of(4, 50, 8)
    assert all(len(s) == 4 and all(0 <= i < 4 for i in s) for s in resamples_of(4, 50, 7))


def _rules_like(corpus: list[Record]) -> list[ArticlePrediction]:
    """A weaker system: the gold with every second name and value dropped."""
    out = []
    for data in (p.model_dump() for p in gold_as_predictions(corpus)):
        data["mentions"] = data["mentions"][::2]
        data["values"] = data["values"][::2]
        out.append(ArticlePrediction.model_validate(data))
    return out


def test_intervals_are_deterministic_and_hold_the_value(tmp_path: Path, corpus: list[Record]) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(dumps_predictions(_rules_like(corpus)), encoding="utf-8")
    gold = [ARTICLES]
    one = score_files(path, gold, "ner", resamples=200, seed=3)
    two = score_files(path, gold, "ner", resamples=200, seed=3)
    assert one.report is not None and two.report is not None
    assert one.report.intervals == two.report.intervals
    intervals = one.report.intervals
    assert intervals is not None and intervals.resamples == 200 and intervals.unit == "article"
    for key, interval in intervals.measures.items():
        assert interval.value == one.report.headline()[key]
        if interval.low is not None and interval.high is not None:
            assert 0.0 <= interval.low <= interval.high <= 1.0
    assert "bootstrap intervals" in one.report.to_table()
    assert "intervals" in json.loads(json.dumps(one.report.to_dict()))


def test_a_system_compared_with_itself_differs_by_zero(corpus: list[Record]) -> None:
    aligned = [align_prediction(p, r.text) for p, r in zip(_rules_like(corpus), corpus, strict=True)]
    comparison = compare_aligned(
        corpus, aligned, aligned, lambda r, a: score_aligned(r, a, "all"), resamples=100, seed=1
    )
    for d in comparison.measures.values():
        if d.difference is not None:
            assert (d.difference, d.low, d.high, d.p_value) == (0.0, 0.0, 0.0, 1.0)


def test_compare_files_gold_against_a_weaker_system(tmp_path: Path, corpus: list[Record]) -> None:
    gold_path, weak_path = tmp_path / "gold.jsonl", tmp_path / "weak.jsonl"
    gold_path.write_text(dumps_predictions(gold_as_predictions(corpus)), encoding="utf-8")
    weak_path.write_text(dumps_predictions(_rules_like(corpus)), encoding="utf-8")
    gold = [ARTICLES]
    run = compare_files(gold_path, weak_path, gold, "ner", resamples=100, seed=0)
    assert run.exit_code == 0 and run.comparison is not None
    d = run.comparison.measures["ner_strict_f1"]
    assert d.difference is not None and d.difference > 0
    assert d.low is not None and d.high is not None and d.low <= d.difference <= d.high
    assert d.p_value is not None and 0 < d.p_value <= 1
    again = compare_files(gold_path, weak_path, gold, "ner", resamples=100, seed=0)
    assert again.comparison == run.comparison


@settings(max_examples=10, deadline=None)
@given(corpora(), st.integers(0, 2**16))
def test_intervals_hold_on_generated_corpora(generated: list[Record], seed: int) -> None:
    from seccoop.bench.score.bootstrap import bootstrap_intervals

    aligned = [
        align_prediction(p, r.text) for p, r in zip(gold_as_predictions(generated), generated, strict=True)
    ]
    intervals = bootstrap_intervals(
        generated, aligned, lambda r, a: score_aligned(r, a, "all"), resamples=20, seed=seed
    )
    for interval in intervals.measures.values():
        if interval.value is not None and interval.low is not None:
            assert interval.low == interval.high == interval.value == 1.0


# ---------------------------------------------------------------- breakdowns and errors


def test_breakdowns_and_errors_of_a_weaker_system(tmp_path: Path, corpus: list[Record]) -> None:
    weak = _rules_like(corpus)
    path = tmp_path / "weak.jsonl"
    path.write_text(dumps_predictions(weak), encoding="utf-8")
    run = score_files(path, [ARTICLES], "all", details=True)
    assert run.report is not None and run.report.breakdowns is not None and run.report.errors is not None
    b = run.report.breakdowns
    assert list(b.per_article) == [r.id for r in corpus]
    for record, line in zip(corpus, weak, strict=True):
        assert b.per_article[record.id] == score([record], [line], "all").headline()
    names = sum(1 for r in corpus for m in r.mentions if m.kind == "NAM")
    assert b.mentions_by_kind["NAM"].gold == names
    assert sum(a.total for a in b.triggers_by_realis.values()) == sum(len(r.events) for r in corpus)
    assert all(a.value == 1.0 for a in b.triggers_by_realis.values())  # events were kept whole
    # Every dropped name and value is one false negative, with its context; nothing is spurious.
    missed = {(x.layer, x.article, x.start, x.end) for x in run.report.errors}
    assert all(x.error == "false-negative" and "[[" in x.context for x in run.report.errors)
    ner = run.report.ner
    assert ner is not None and len([x for x in missed if x[0] == "names"]) == ner.modes["strict"].micro.missed
    assert "Errors (" in run.report.to_table() and "Per article" in run.report.to_table()
    gold_path = path.with_name("gold.jsonl")
    gold_path.write_text(dumps_predictions(gold_as_predictions(corpus)), encoding="utf-8")
    perfect_run = score_files(gold_path, [ARTICLES], "all", details=True)
    assert perfect_run.report is not None and perfect_run.report.errors == ()


def test_cli_score_errors_compare_and_subset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from seccoop.cli import main

    corpus = load_articles(ARTICLES)
    path = tmp_path / "gold.jsonl"
    path.write_text(dumps_predictions(gold_as_predictions(corpus)), encoding="utf-8")
    assert (
        main(["score", "--predictions", str(path), "--task", "values", "--errors", "--bootstrap", "50"]) == 0
    )
    out = capsys.readouterr().out
    assert "Values" in out and "no errors" in out and "bootstrap intervals" in out
    assert main(["compare", str(path), str(path), "--task", "ner", "--bootstrap", "20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["measures"]["ner_strict_f1"]["difference"] == 0.0 and data["resamples"] == 20
    one = sorted(ARTICLES.glob("*.json"))[0]
    assert main(["score", "--predictions", str(path), "--gold", str(one), "--task", "ner"]) == 0
    captured = capsys.readouterr()
    assert "left out" in captured.err and "1 gold article(s)" in captured.out
    assert main(["score", "--predictions", str(path), "--gold", str(one), "--ignore-extra"]) == 0
    assert "left out" not in capsys.readouterr().err
