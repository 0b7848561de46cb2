"""The committed corpus and everything generated from it: valid, and in sync with its sources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from seccoop.bench.score import gold_as_predictions, score
from seccoop.check.validate import validate_paths
from seccoop.formats.export import export_records, import_records
from seccoop.hub.derived import DerivedPaths, check_all

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "dataset" / "articles"


def test_corpus_validates_with_no_findings() -> None:
    report = validate_paths([ARTICLES])
    assert report.files == len(list(ARTICLES.glob("*.json"))) > 0
    assert report.findings == (), [f"{f.file} [{f.code}] {f.message}" for f in report.findings]


def test_every_seed_has_exactly_one_record() -> None:
    report = validate_paths([ARTICLES])
    seeds = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert sorted(Path(r.record.source.path).name for r in report.records) == seeds


def test_annotation_passes_validate_and_match_the_record_status() -> None:
    """Both passes exist for exactly the records that claim two passes; every pass validates."""
    passes = ROOT / "dataset" / "passes"
    for name in ("a", "b"):
        report = validate_paths([passes / name])
        assert report.exit_code == 0, name
    two_passes = {"double-annotated", "adjudicated"}
    for loaded in validate_paths([ARTICLES]).records:
        has = [(passes / name / loaded.path.name).exists() for name in ("a", "b")]
        assert has == [loaded.record.annotation.status in two_passes] * 2, (loaded.path.name, has)
    records = {p.name for p in ARTICLES.glob("*.json")}
    for name in ("a", "b"):
        assert {p.name for p in (passes / name).glob("*.json")} <= records, name


def test_adjudicated_records_name_their_adjudicator() -> None:
    for loaded in validate_paths([ARTICLES]).records:
        annotation = loaded.record.annotation
        if annotation.status == "adjudicated":
            assert annotation.adjudicator, loaded.path.name


def test_everything_generated_is_current() -> None:
    """Schemas, Wikidata links, agreement, baselines, dataset/hf and the README blocks:
    `seccoop build --check` lists each stale item with the command that fixes it."""
    stale = check_all(DerivedPaths.of(ARTICLES, ROOT / "dataset" / "hf"))
    assert stale == [], "\n".join(str(item) for item in stale)


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
