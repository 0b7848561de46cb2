"""Event-layer agreement: kappa and alpha against hand-computed values and the `krippendorff`
package, the measures on edited copies of the valid fixture, and the script's --events mode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seccoop.bench.agreement import cohen_kappa, compare_events, krippendorff_alpha
from seccoop.record.models import Record

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
GOLD = Record.model_validate_json((FIXTURES / "valid" / "border-patrols.json").read_text(encoding="utf-8"))


def edited(edit: Any) -> Record:
    data = GOLD.model_dump(mode="json")
    edit(data)
    return Record.model_validate(data)


def test_kappa_by_hand() -> None:
    # 10 items: both "x" 4 times, both "y" 3 times, A "x" B "y" 2 times, A "y" B "x" once.
    pairs = [("x", "x")] * 4 + [("y", "y")] * 3 + [("x", "y")] * 2 + [("y", "x")]
    # p_o = 0.7; A: x 6, y 4; B: x 5, y 5; p_e = (6·5 + 4·5) / 100 = 0.5; κ = 0.2 / 0.5
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_alpha_by_hand() -> None:
    # the same pairs: n = 20 values, x 11, y 9; 3 disagreeing units → Σ o_ck (c≠k) = 6
    # Σ n_c n_k (c≠k) = 2·11·9 = 198; α = 1 − 19·6/198
    pairs = [("x", "x")] * 4 + [("y", "y")] * 3 + [("x", "y")] * 2 + [("y", "x")]
    assert krippendorff_alpha(pairs) == pytest.approx(1 - 19 * 6 / 198)


def test_undefined_measures_are_none() -> None:
    assert cohen_kappa([]) is None and krippendorff_alpha([]) is None
    assert cohen_kappa([("x", "x")] * 3) is None
    assert krippendorff_alpha([("x", "x")] * 3) is None


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=1, max_size=30))
def test_alpha_equals_the_krippendorff_package(pairs: list[tuple[str, str]]) -> None:
    ours = krippendorff_alpha(pairs)
    codes = {"a": 0, "b": 1, "c": 2}
    data = np.array([[codes[a] for a, _ in pairs], [codes[b] for _, b in pairs]], dtype=float)
    if len({x for p in pairs for x in p}) == 1:
        assert ours is None  # the package divides by zero here
        return
    assert ours == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def test_a_pass_against_itself_agrees_perfectly() -> None:
    both = edited(lambda d: [e.update(cluster="ec1") for e in d["events"][:2]])
    result = compare_events([(both, both)])
    assert result.triggers.f1 == 1.0 and result.arguments.f1 == 1.0
    assert result.type.kappa == 1.0 and result.type.alpha == 1.0
    assert result.context_jaccard == 1.0
    assert [(c.metric, c.f1) for c in result.clusters] == [("muc", 1.0), ("b_cubed", 1.0), ("ceaf_e", 1.0)]


def test_disagreements_are_counted() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["events"][0]["type"] = "SUPPORT"  # "visited": CONSULT in A, SUPPORT in B
        d["events"][0]["mode"] = None
        d["events"][1]["context"] = ["diplomatic", "military"]  # Jaccard 1/2
        d["events"][3]["realis"] = "actual"
        d["events"][2]["arguments"] = []  # ev3 loses its Source
        del d["events"][3]  # and ev4 goes: 4 triggers in A, 3 in B
        for e in d["events"][:2]:
            e["cluster"] = "ec1"

    result = compare_events([(GOLD, edited(edit))])
    assert (result.triggers.a, result.triggers.b, result.triggers.matched) == (4, 3, 3)
    assert (result.type.items, result.type.agreeing) == (3, 2)
    assert (result.mode.items, result.mode.agreeing) == (3, 2)  # "visit" against null
    assert result.realis.agreeing == 3  # ev4's realis is not compared: it has no match
    assert result.context_jaccard == pytest.approx((1 + 0.5 + 1) / 3)
    assert (result.arguments.a, result.arguments.b, result.arguments.matched) == (8, 5, 5)
    # key: {visited} {met} {pledged}; response: {visited, met} {pledged}
    scores = {c.metric: c for c in result.clusters}
    assert scores["muc"].recall == 0.0 and scores["muc"].precision == 0.0
    assert scores["b_cubed"].recall == 1.0 and scores["b_cubed"].precision == pytest.approx(
        (0.5 + 0.5 + 1) / 3
    )
    assert scores["ceaf_e"].f1 == pytest.approx(
        2 * (2 / 3 + 1) / (3 + 2) * 1
    )  # Σφ4 = 2/3 + 1; P = Σ/2, R = Σ/3


def test_texts_must_match() -> None:
    other = edited(lambda d: d.update(text=d["text"] + "x"))
    with pytest.raises(ValueError, match="same text"):
        compare_events([(GOLD, other)])


def test_script_writes_event_agreement(tmp_path: Path) -> None:
    out = tmp_path / "events.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "agreement.py"),
            "--events",
            str(ROOT / "dataset" / "passes" / "a"),
            str(ROOT / "dataset" / "passes" / "b"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert 0 < data["triggers"]["f1"] <= 1
    assert set(data["clusters"]) == {"muc", "b_cubed", "ceaf_e"}
    assert "trigger F1" in result.stdout


def test_script_reports_a_missing_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "agreement.py"), "--events", str(tmp_path), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
