"""The build streams the records: what it adds up equals what the whole list of records gives.

The card's statistics, the README's table and the baseline scores are folded record by record
(`seccoop.hub.stats.CorpusSummary`, `seccoop.bench.baseline.StreamedScore`); here they are
compared with the same figures computed from the full list of models, on the real corpus and on
a synthetic one, and the build is shown to hold no more records than one chunk at a time.
"""

from __future__ import annotations

import gc
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import seccoop.bench.baseline
import seccoop.hub.build
from seccoop.bench.baseline import SYSTEMS, StreamedScore, write_baselines
from seccoop.bench.predictions import ArticlePrediction, MentionPrediction
from seccoop.bench.score import align_all, gold_as_predictions, score_aligned
from seccoop.hub.build import build_dataset, validate_corpus
from seccoop.hub.configs import outermost_names
from seccoop.hub.load import load_articles
from seccoop.hub.parquet import ShardWriter
from seccoop.hub.stats import CorpusSummary, render_stats
from seccoop.record.models import EntityArgument, Record
from seccoop.record.tokens import tokenize
from tests.test_build import hf_offline
from tests.test_parquet import ARTICLES, synthetic  # noqa: F401  (the fixture)


def _records(corpus: str, synthetic: Path) -> list[Record]:  # noqa: F811
    return sorted(load_articles(ARTICLES if corpus == "real" else synthetic), key=lambda r: r.id)


def _reference(records: Sequence[Record]) -> dict[str, Any]:
    """The card's figures as computed from the whole list of records (each text tokenized again)."""
    people = [(r, e) for r in records for e in r.entities if e.type == "PER"]
    names: Counter[str] = Counter()
    for r in records:
        types = {e.id: e.type for e in r.entities}
        names.update(types[m.entity] for m in outermost_names(r.mentions))
    return {
        "articles": len(records),
        "characters": sum(len(r.text) for r in records),
        "sentences": sum(len(r.sentences) for r in records),
        "tokens": sum(len(tokenize(r.text, s.start, s.end)) for r in records for s in r.sentences),
        "entities": Counter(e.type for r in records for e in r.entities),
        "mentions": Counter(m.kind for r in records for m in r.mentions),
        "values": Counter(v.type for r in records for v in r.values),
        "events": Counter(e.type for r in records for e in r.events),
        "quotes": Counter(q.kind for r in records for q in r.quotes),
        "names": names,
        "nested": sum(1 for r in records for m in r.mentions if m.kind == "NAM") - sum(names.values()),
        "realis": Counter(e.realis for r in records for e in r.events),
        "roles": Counter(a.role for r in records for e in r.events for a in e.arguments),
        "entity_arguments": sum(
            1 for r in records for e in r.events for a in e.arguments if isinstance(a, EntityArgument)
        ),
        "with_speaker": sum(1 for r in records for q in r.quotes if q.speaker is not None),
        "status": Counter(r.annotation.status for r in records),
        "annotators": {a for r in records for a in r.annotation.annotators},
        "people": len(people),
        "linked_people": sum(1 for _, e in people if e.wikidata),
        "quoted_people": sum(
            1
            for r in records
            for q in r.quotes
            if q.speaker is not None and any(e.id == q.speaker and e.type == "PER" for e in r.entities)
        ),
        "bylines": sum(1 for r in records if r.byline),
        "publishers": {r.publisher for r in records if r.publisher},
        "article_ids": [f"`{r.id}`" for r in records],
    }


@pytest.mark.parametrize("corpus", ["real", "synthetic"])
def test_streamed_statistics_equal_those_of_the_whole_list(
    corpus: str,
    synthetic: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles = ARTICLES if corpus == "real" else synthetic
    monkeypatch.setattr(seccoop.hub.build, "RECORDS_PER_BATCH", 3)  # several chunks
    with hf_offline(tmp_path / "cache"):
        summary = build_dataset(articles, tmp_path / "hf").summary
    records = _records(corpus, synthetic)
    expected = _reference(records)
    got = {key: getattr(summary, key) for key in expected if key != "article_ids"}
    got["article_ids"] = [row[0] for row in summary.article_rows]
    assert got == expected
    assert summary.table.render() == render_stats(records)


def _systems(records: Sequence[Record]) -> dict[str, list[ArticlePrediction]]:
    """Predictions to score: the rules baseline, the gold itself, and a gold that lost names."""
    perfect = gold_as_predictions(records)
    lossy = [
        p.model_copy(update={"mentions": [m for i, m in enumerate(p.mentions or []) if i % 5 != 2]})
        for p in perfect
    ]
    unaligned = [  # a name not in the text (unaligned, spurious), and no other layer predicted
        ArticlePrediction(id=r.id, mentions=[MentionPrediction(type="PER", text="Zqxwv Kjhg", kind="NAM")])
        for r in records
    ]
    return {
        "rules": [SYSTEMS["rules"].predict(r.id, r.text) for r in records],
        "gold": perfect,
        "lossy": lossy,
        "unaligned": unaligned,
    }


@pytest.mark.parametrize("corpus", ["real", "synthetic"])
def test_streamed_scores_equal_the_scores_of_the_whole_list(corpus: str, synthetic: Path) -> None:  # noqa: F811
    records = _records(corpus, synthetic)
    for name, predictions in _systems(records).items():
        aligned = align_all(records, predictions)
        whole = score_aligned(records, aligned, "all")
        streamed = StreamedScore()
        for record, one in zip(records, aligned, strict=True):
            streamed.add(record, one)
        assert streamed.report() == whole, name
        assert streamed.report().headline() == whole.headline(), name


def test_the_baselines_file_of_streamed_records_equals_the_scored_files(
    synthetic: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    scored = write_baselines([synthetic], tmp_path / "scored.json", tmp_path / "a")
    corpus = validate_corpus(synthetic)
    records = corpus.iter_records()
    streamed = write_baselines([synthetic], tmp_path / "streamed.json", tmp_path / "b", records=records)
    assert scored.exit_code == streamed.exit_code == 0
    assert json.loads((tmp_path / "streamed.json").read_text("utf-8"))["articles"] == len(corpus)
    assert (tmp_path / "streamed.json").read_bytes() == (tmp_path / "scored.json").read_bytes()
    assert next(records, None) is None  # the records were read once, as a stream


def _live_records() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Record))


def test_the_build_holds_one_chunk_of_records_at_a_time(
    synthetic: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chunk = 2
    monkeypatch.setattr(seccoop.hub.build, "RECORDS_PER_BATCH", chunk)
    corpus = validate_corpus(synthetic)
    assert len(corpus) > 2 * chunk  # else holding every record would pass too
    assert not any(isinstance(v, Record) for v in vars(corpus).values())
    baseline = _live_records()
    live: list[int] = []
    write = ShardWriter.write

    def counting(self: ShardWriter, batch: Any) -> None:
        live.append(_live_records() - baseline)
        write(self, batch)

    monkeypatch.setattr(ShardWriter, "write", counting)
    with hf_offline(tmp_path / "cache"):
        result = build_dataset(synthetic, tmp_path / "hf", corpus=corpus)
    assert result.records == len(corpus) and live
    assert max(live) <= chunk
    assert _live_records() - baseline == 0
    assert isinstance(result.summary, CorpusSummary) and result.summary.articles == len(corpus)


def test_streamed_baselines_keep_no_record_once_scored(
    synthetic: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    corpus = validate_corpus(synthetic)
    baseline = _live_records()
    run = write_baselines([synthetic], tmp_path / "b.json", tmp_path / "p", records=corpus.iter_records())
    assert run.exit_code == 0
    # the scorer caches an index per record (which holds the record): the stream drops each one
    assert _live_records() - baseline == 0


def test_parallel_baselines_write_the_files_of_a_serial_run(
    synthetic: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import seccoop.record.pool

    pools: list[int] = []
    start = seccoop.record.pool.process_pool

    def counted(workers: int, **kwargs: Any) -> Any:
        pools.append(workers)
        return start(workers, **kwargs)

    monkeypatch.setattr(seccoop.record.pool, "process_pool", counted)
    monkeypatch.setattr(seccoop.bench.baseline, "PREDICTED_PER_TASK", 1)
    corpus = validate_corpus(synthetic)
    jobs = 2
    assert len(corpus) > 2 * jobs  # more chunks than the workers hold at once: the queue refills
    outputs = {}
    for n in (1, jobs):
        out = tmp_path / f"jobs-{n}"
        records = corpus.iter_records()
        run = write_baselines([synthetic], out / "b.json", out / "p", records=records, jobs=n)
        assert run.exit_code == 0
        outputs[n] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert pools == [jobs]  # the serial run made no pool, the parallel one one
    assert outputs[1] == outputs[jobs]
    assert len(outputs[1]) == 1 + sum(1 for s in SYSTEMS.values() if s.available())


def test_the_build_gives_the_baselines_workers_and_explains_a_lost_one(
    synthetic: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from concurrent.futures.process import BrokenProcessPool

    import seccoop.hub.derived as derived
    from seccoop.hub.configs import BuildError

    asked: list[int] = []

    def broken(*args: Any, jobs: int = 1, **kwargs: Any) -> Any:
        asked.append(jobs)
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(derived, "write_baselines", broken)
    monkeypatch.setattr(derived, "PREDICTED_PER_TASK", 2)
    corpus = validate_corpus(synthetic)
    paths = derived.DerivedPaths.of(synthetic, synthetic.parent / "hf")
    for jobs in (1, 2, 64):
        with pytest.raises(BuildError, match="--jobs 1"):
            derived._baselines_text(paths, corpus, jobs)
    # no more workers than chunks of records (each may load a model)
    assert asked == [1, 2, -(-len(corpus) // 2)]
