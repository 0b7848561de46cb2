"""Event-coreference scores (MUC, B-cubed, CEAF-e over event mentions) and scoring in PLOVER
coding (`seccoop score --plover`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seccoop.bench.predictions import ArticlePrediction, dumps_predictions
from seccoop.bench.score import gold_as_predictions, score
from seccoop.bench.score.event_coref import event_clusters
from seccoop.cli import main
from seccoop.record.models import Record
from seccoop.record.plover import COOPERATIVE, plover_gold
from tests.test_plover import CORPUS, hand_made

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
BASE = Record.model_validate_json((VALID / "border-patrols.json").read_text(encoding="utf-8"))
# "visited" and "met" as one event in the gold (modes visit and null are compatible)
GOLD = BASE.model_copy(
    update={"events": [e.model_copy(update={"cluster": "ec1"}) for e in BASE.events[:2]] + BASE.events[2:]}
)


def with_labels(labels: list[str | None], drop: int | None = None) -> ArticlePrediction:
    data: dict[str, Any] = gold_as_predictions([GOLD])[0].model_dump()
    for event, label in zip(data["events"], labels, strict=True):
        event["cluster"] = label
    if drop is not None:
        del data["events"][drop]
    return ArticlePrediction.model_validate(data)


def test_perfect_clusters_score_one() -> None:
    report = score([GOLD], gold_as_predictions([GOLD]), "events")
    assert report.events is not None and report.events.clusters is not None
    c = report.events.clusters
    assert (c.muc.f1, c.b_cubed.f1, c.ceaf_e.f1, c.conll_f1) == (1.0, 1.0, 1.0, 1.0)
    headline = report.headline()
    assert headline["event_coref_muc_f1"] == headline["event_coref_conll_f1"] == 1.0


def test_clusters_by_hand() -> None:
    # key {a, b} {c} {d}; response {a} {b, c} {d}
    report = score([GOLD], [with_labels([None, "x", "x", None])], "events")
    assert report.events is not None and report.events.clusters is not None
    c = report.events.clusters
    assert (c.muc.recall, c.muc.precision) == (0.0, 0.0)  # the one link is cut, the other wrong
    assert c.b_cubed.recall == pytest.approx(3 / 4) and c.b_cubed.precision == pytest.approx(3 / 4)
    # φ4: {a,b}~{a} 2/3, {c}~{b,c} 2/3, {d}~{d} 1
    assert c.ceaf_e.recall == pytest.approx(7 / 9) and c.ceaf_e.precision == pytest.approx(7 / 9)


def test_a_missed_trigger_lowers_recall_only() -> None:
    report = score([GOLD], [with_labels(["x", "x", None, None], drop=3)], "events")
    assert report.events is not None and report.events.clusters is not None
    c = report.events.clusters
    assert c.b_cubed.precision == 1.0 and c.b_cubed.recall == pytest.approx(3 / 4)
    assert c.muc.f1 == 1.0  # the link is found; a singleton has no links


def test_clusters_partition_their_mentions() -> None:
    assert event_clusters([("a", "x"), ("b", None), ("a", "y"), ("c", "x")]) == [{"a", "c"}, {"b"}]


def test_singletons_only_leave_muc_undefined() -> None:
    report = score([BASE], gold_as_predictions([BASE]), "events")
    headline = report.headline()
    assert headline["event_coref_muc_f1"] is None and headline["event_coref_conll_f1"] is None
    assert headline["event_coref_b3_f1"] == 1.0


def test_predictions_schema_accepts_a_cluster_label() -> None:
    line = dumps_predictions([with_labels(["x", "x", None, None])])
    assert json.loads(line.splitlines()[0])["events"][0]["cluster"] == "x"


def test_plover_coded_predictions_score_one_in_plover_mode() -> None:
    record = hand_made()
    perfect_plover = gold_as_predictions([plover_gold(record)])
    report = score([record], perfect_plover, "events", plover=True)
    assert report.plover and report.events is not None
    assert report.events.trigger_classification.f1 == 1.0
    assert report.events.argument_classification_with_trigger.f1 == 1.0
    # the same predictions without --plover: the converted and the merged events count against them
    plain = score([record], perfect_plover, "events")
    assert plain.events is not None and plain.events.trigger_classification.f1 < 1.0


@pytest.mark.parametrize("record", CORPUS, ids=lambda r: r.id)
def test_seccoop_coding_differs_from_plover_exactly_where_d1_d2_apply(record: Record) -> None:
    report = score([record], gold_as_predictions([record]), "events", plover=True)
    assert report.events is not None
    recoded = any(
        e.realis == "generic" or (e.realis == "future" and (e.type in COOPERATIVE or e.type == "RETREAT"))
        for e in record.events
    )
    assert (report.events.trigger_classification.f1 < 1.0) == recoded


def test_cli_scores_in_plover_coding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plover.jsonl"
    path.write_text(dumps_predictions(gold_as_predictions([plover_gold(BASE)])), encoding="utf-8")
    code = main(["score", "--task", "events", "--plover", "--predictions", str(path), "--gold", str(VALID)])
    assert code == 0
    out = capsys.readouterr().out
    assert "events in PLOVER coding" in out and "ev B-cubed" in out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.frozensets(st.integers(0, 30), min_size=1, max_size=5), max_size=8),
    st.lists(st.frozensets(st.integers(0, 30), min_size=1, max_size=5), max_size=8),
)
def test_ceaf_e_by_overlapping_groups_equals_the_dense_assignment(
    key: list[frozenset[int]], response: list[frozenset[int]]
) -> None:
    # the block decomposition must give the optimum of the one dense matrix of all pairs
    from seccoop.bench.score.coref import _ceaf_e, _max_assignment

    dense = _max_assignment([[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key])
    assert abs(_ceaf_e(key, response) - dense) < 1e-9
