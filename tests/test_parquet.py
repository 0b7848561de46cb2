"""The build at scale: Arrow batches equal to `datasets`' own encoding, shards, jobs, one validation.

`RowEncoder` must give the tables `datasets.Dataset.from_list(rows, features=...)` gives (same
schema with the "huggingface" features metadata, same rows); the shards must be named as the Hub
names them, keep the row order and load with `load_dataset`; a build with worker processes must
be byte-identical to a serial one; ``seccoop build --check`` validates the records once.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import seccoop.check.validate
import seccoop.hub.build
from seccoop.hub.build import (
    CONFIGS,
    BuildError,
    build_dataset,
    check_build,
    data_file,
    data_pattern,
    features,
    rows,
    validate_corpus,
)
from seccoop.hub.derived import DerivedPaths, check_all
from seccoop.hub.load import load_articles
from seccoop.hub.parquet import RowEncoder
from seccoop.record.models import Record
from tests.test_build import hf_offline, load, make_corpus, snapshot

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "dataset" / "articles"
SYNTHETIC_ARTICLES = 6  # a synthetic corpus of this size, not the real one


def _synth() -> ModuleType:
    scripts = ROOT / "scripts"
    sys.path.insert(0, str(scripts))
    try:
        spec = importlib.util.spec_from_file_location("synth", scripts / "synth.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["synth"] = module
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(scripts))
    return module


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The articles folder of a small synthetic corpus (scripts/synth.py)."""
    root = tmp_path_factory.mktemp("synthetic")
    _synth().write_corpus(root, SYNTHETIC_ARTICLES, seed=9)
    return root / "dataset" / "articles"


def _from_list(config: str, records: list[Record]) -> pa.Table:
    import datasets

    return datasets.Dataset.from_list(rows(config, records), features=features(config)).data.table


@pytest.mark.parametrize("corpus", ["real", "synthetic"])
@pytest.mark.parametrize("config", CONFIGS)
def test_arrow_batches_equal_the_datasets_encoding(config: str, corpus: str, synthetic: Path) -> None:
    records = load_articles(ARTICLES if corpus == "real" else synthetic)
    expected = _from_list(config, records)
    got = pa.Table.from_batches([RowEncoder(features(config)).batch(rows(config, records))])
    assert got.schema.equals(expected.schema, check_metadata=True)
    assert b"huggingface" in (got.schema.metadata or {})
    assert got.equals(expected)
    # the same, a few records per batch, as the build streams them
    encoder = RowEncoder(features(config))
    batches = [encoder.batch(rows(config, records[i : i + 2])) for i in range(0, len(records), 2)]
    assert pa.Table.from_batches(batches, schema=expected.schema).equals(expected)


def test_a_label_outside_the_vocabulary_is_a_build_error() -> None:
    row = rows("ner", load_articles(ARTICLES)[:1])[0]
    row["ner_tags"] = ["B-NOT-A-TYPE", *row["ner_tags"][1:]]
    with pytest.raises(BuildError, match="B-NOT-A-TYPE"):
        RowEncoder(features("ner")).batch([row])


def test_null_labels_and_null_lists_stay_null() -> None:
    row: dict[str, Any] = {name: None for name in ("article_id", "text")} | {
        "events": [{"id": "e1", "mode": None, "type": None, "context": None, "realis": None}]
    }
    table = pa.Table.from_batches([RowEncoder(features("events")).batch([row])])
    event = table.to_pylist()[0]["events"][0]
    assert event["mode"] is None and event["type"] is None and event["context"] is None
    assert _features_encoded("events", row) == table.to_pylist()[0]


def _features_encoded(config: str, row: dict[str, Any]) -> Any:
    import datasets

    return datasets.Dataset.from_list([row], features=features(config)).to_list()[0]


def _shards(out: Path, config: str) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.glob(data_pattern(config)))


def test_shards_have_hub_names_keep_row_order_and_load(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    with hf_offline(tmp_path / "cache") as cache:
        build_dataset(synthetic, tmp_path / "one")
        monkeypatch.setattr(seccoop.hub.build, "RECORDS_PER_BATCH", 1)
        result = build_dataset(synthetic, tmp_path / "many", max_shard_size=1)  # one batch per shard
        for config in CONFIGS:
            names = _shards(tmp_path / "many", config)
            count = len(names)
            assert count == SYNTHETIC_ARTICLES  # a record's rows are one batch, one shard here
            assert names == [data_file(config, i, count) for i in range(count)]
            assert names[0].endswith(f"test-00000-of-{count:05d}.parquet")
            assert _shards(tmp_path / "one", config) == [data_file(config)]
            whole = pq.read_table(tmp_path / "one" / data_file(config))
            parts = [pq.read_table(tmp_path / "many" / name) for name in names]
            assert pa.concat_tables(parts).equals(whole)  # same rows, same order
            assert all(p.schema.equals(whole.schema, check_metadata=True) for p in parts)
            assert result.num_rows[config] == whole.num_rows
            loaded = load(tmp_path / "many", config, cache)
            assert loaded.features == features(config)
            assert loaded.to_list() == load(tmp_path / "one", config, cache).to_list()
        croissant = json.loads((tmp_path / "many" / "croissant.json").read_text(encoding="utf-8"))
        files = [d["contentUrl"] for d in croissant["distribution"] if d["@type"] == "cr:FileObject"]
        assert sorted(files) == sorted(n for c in CONFIGS for n in _shards(tmp_path / "many", c))
        card = (tmp_path / "many" / "README.md").read_text(encoding="utf-8")
        assert f"path: {data_pattern('ner')}" in card
        assert f"({SYNTHETIC_ARTICLES} Parquet shards)" in card
        # --check of a sharded build: up to date, and a missing shard is reported
        drift = check_build(synthetic, tmp_path / "many")  # built with another shard size
        assert f"{data_file('ner')}: missing" in drift
        assert f"{data_file('ner', 1, SYNTHETIC_ARTICLES)}: not produced by the build" in drift
        (tmp_path / "one" / data_file("quotes")).unlink()
        assert check_build(synthetic, tmp_path / "one") == [f"{data_file('quotes')}: missing"]


def test_worker_processes_build_the_same_bytes(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seccoop.hub.build, "RECORDS_PER_BATCH", 2)  # several chunks for the workers
    with hf_offline(tmp_path / "cache"):
        serial = build_dataset(synthetic, tmp_path / "serial", jobs=1)
        parallel = build_dataset(synthetic, tmp_path / "parallel", jobs=2)
    assert (serial.records, serial.num_rows, serial.files) == (
        parallel.records,
        parallel.num_rows,
        parallel.files,
    )
    assert snapshot(tmp_path / "serial") == snapshot(tmp_path / "parallel")


def test_a_record_changed_under_a_parallel_build_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = make_corpus(tmp_path)
    corpus = validate_corpus(articles)
    changed = corpus.paths[-1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same id, other file
    monkeypatch.setattr(seccoop.hub.build, "RECORDS_PER_BATCH", 1)
    with hf_offline(tmp_path / "cache"), pytest.raises(BuildError, match="changed during the build"):
        build_dataset(articles, tmp_path / "hf", corpus=corpus, jobs=2)
    assert not (tmp_path / "hf").exists()


def test_build_check_validates_the_records_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[Path]] = []
    real = seccoop.check.validate.validate_paths

    def counting(paths: list[Path], **kwargs: Any) -> Any:
        calls.append([Path(p) for p in paths])
        return real(paths, **kwargs)

    monkeypatch.setattr(seccoop.check.validate, "validate_paths", counting)
    monkeypatch.setattr(seccoop.hub.build, "validate_paths", counting)
    assert check_all(DerivedPaths.of(ARTICLES, ROOT / "dataset" / "hf")) == []
    assert [c for c in calls if ARTICLES in c] == [[ARTICLES]]


def test_a_config_without_rows_still_has_one_shard_with_its_schema(tmp_path: Path) -> None:
    from seccoop.hub.parquet import ShardWriter

    encoder = RowEncoder(features("ner"))
    writer = ShardWriter(tmp_path, "ner", encoder, max_shard_size=1)
    writer.write(encoder.batch([]))
    shards = writer.finish()
    assert [s.path for s in shards] == [data_file("ner")]
    table = pq.read_table(tmp_path / data_file("ner"))
    assert table.num_rows == 0
    assert table.schema.equals(encoder.schema, check_metadata=False)
    assert table.schema.metadata[b"huggingface"] == encoder.schema.metadata[b"huggingface"]
    assert not list((tmp_path / "data" / "ner").glob(".part-*"))


def test_build_check_compares_parquet_as_tables_group_by_group(tmp_path: Path) -> None:
    """`build --check` compares shards written by another pyarrow as tables: equal data with
    other bytes is current, any other value or schema metadata is stale, and files grouped in
    other row groups are compared whole."""
    import pyarrow.parquet as pq

    from seccoop.hub.build import _same_content

    table = pa.table({"id": ["a", "b", "c", "d", "e"], "n": [1, 2, 3, 4, 5]}).replace_schema_metadata(
        {"huggingface": "{}"}
    )

    def written(name: str, t: pa.Table, **options: Any) -> Path:
        path = tmp_path / name
        pq.write_table(t, path, **options)
        return path

    base = written("base.parquet", table, row_group_size=2, compression="snappy")
    other_bytes = written("zstd.parquet", table, row_group_size=2, compression="zstd")
    assert base.read_bytes() != other_bytes.read_bytes()
    assert _same_content("x.parquet", other_bytes, base)
    assert _same_content("x.parquet", written("groups.parquet", table, row_group_size=3), base)
    changed = table.set_column(1, "n", pa.array([1, 2, 3, 4, 6]))
    assert not _same_content("x.parquet", written("changed.parquet", changed, row_group_size=2), base)
    relabelled = table.replace_schema_metadata({"huggingface": '{"x": 1}'})
    assert not _same_content("x.parquet", written("meta.parquet", relabelled, row_group_size=2), base)
    # the key-value metadata a writer adds (datasets' content-defined chunking) is not the table's
    path = tmp_path / "cdc.parquet"
    with pq.ParquetWriter(path, table.schema, compression="snappy") as writer:
        for start in range(0, table.num_rows, 2):
            writer.write_table(table.slice(start, 2))
        writer.add_key_value_metadata({"content_defined_chunking": "{}"})
    assert pq.ParquetFile(path).read_row_group(0).schema.metadata != table.schema.metadata
    assert _same_content("x.parquet", path, base)
    not_parquet = tmp_path / "broken.parquet"
    not_parquet.write_bytes(b"PAR1 not a table")
    assert not _same_content("x.parquet", not_parquet, base)
