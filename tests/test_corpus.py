"""The committed corpus and everything generated from it: valid, and in sync with its sources."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from seccoop.bench.baseline import LEADERBOARD_BEGIN, LEADERBOARD_END, leaderboard_markdown, write_baselines
from seccoop.bench.schemas import check_schemas
from seccoop.bench.score import gold_as_predictions, score
from seccoop.check.validate import validate_paths
from seccoop.formats.export import export_records, import_records
from seccoop.hub.build import check_build
from seccoop.record.io import splice

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "dataset" / "articles"


def test_corpus_validates_with_no_findings() -> None:
    report = validate_paths([ARTICLES])
    assert report.files == 4
    assert report.findings == (), [f.message for f in report.findings]


def test_every_seed_has_exactly_one_record() -> None:
    report = validate_paths([ARTICLES])
    seeds = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert sorted(Path(r.record.source.path).name for r in report.records) == seeds


def test_annotation_passes_validate_and_cover_the_corpus() -> None:
    for name in ("a", "b"):
        report = validate_paths([ROOT / "dataset" / "passes" / name])
        assert report.exit_code == 0, name
        assert sorted(p.name for p in (ROOT / "dataset/passes" / name).glob("*.json")) == sorted(
            p.name for p in ARTICLES.glob("*.json")
        )


def test_every_record_is_adjudicated_and_explains_its_null_metadata() -> None:
    for loaded in validate_paths([ARTICLES]).records:
        record = loaded.record
        assert record.annotation.status == "adjudicated"
        for field in ("title", "publisher", "byline", "published", "url"):
            if getattr(record, field) is None:
                assert any(n.lower().startswith(field) for n in record.annotation.notes), (record.id, field)


def test_published_schemas_are_current() -> None:
    assert check_schemas(ROOT / "schemas") == []


def test_built_dataset_is_current() -> None:
    assert check_build(ARTICLES, ROOT / "dataset" / "hf") == []


def test_agreement_figures_are_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "agreement.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
def test_real_articles_round_trip_losslessly(fmt: str, tmp_path: Path) -> None:
    records = [loaded.record for loaded in validate_paths([ARTICLES]).records]
    export_records(records, fmt, tmp_path / fmt)
    source = tmp_path / fmt if fmt == "brat" else tmp_path / fmt / "tasks.json"
    assert import_records(fmt, source, records) == records


def test_gold_scored_against_itself_is_perfect_on_every_metric() -> None:
    records = [loaded.record for loaded in validate_paths([ARTICLES]).records]
    report = score(records, gold_as_predictions(records), "all")
    headline = report.headline()
    measured = {k: v for k, v in headline.items() if v is not None}
    assert len(measured) > 20
    assert measured == dict.fromkeys(measured, 1.0)
    assert headline["link_accuracy"] == 1.0  # confirmed QIDs are in the gold
    assert all(v is not None for v in headline.values())


def test_records_carry_exactly_the_confirmed_wikidata_links() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "link_wikidata.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_baseline_scores_and_leaderboard_are_current(tmp_path: Path) -> None:
    run = write_baselines([ARTICLES], tmp_path / "baselines.json", tmp_path / "predictions")
    assert run.exit_code == 0
    committed = (ROOT / "dataset" / "baselines.json").read_text(encoding="utf-8")
    assert (tmp_path / "baselines.json").read_text(encoding="utf-8") == committed, (
        "stale baselines; regenerate with: python scripts/baseline_scores.py"
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = leaderboard_markdown(json.loads(committed))
    assert splice(readme, LEADERBOARD_BEGIN, LEADERBOARD_END, table) == readme
