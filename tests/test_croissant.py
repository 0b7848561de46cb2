"""Croissant 1.0 metadata: mlcroissant validates it offline, and it describes the files and features."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from seccoop.hub.build import CONFIGS, build_dataset, data_file, features
from seccoop.hub.croissant import CONFORMS_TO
from tests.test_build import hf_offline, load, make_corpus

# The one warning mlcroissant gives: a build has no publication date (a date would make two
# builds of the same records differ), and none is invented.
EXPECTED_WARNINGS = {'Property "https://schema.org/datePublished" is recommended, but does not exist.'}
# Third-party deprecations that nothing on our side can avoid; only these messages, from these
# modules, are let through. rdflib 7's own JSON-LD parser (which mlcroissant calls) builds a
# ConjunctiveGraph that rdflib deprecates; mlcroissant's Parquet reader calls
# DataFrame.reset_index(inplace=True), which pandas 3 deprecates.
RDFLIB_JSONLD_DEPRECATION = (
    "ignore:ConjunctiveGraph is deprecated, use Dataset instead.:DeprecationWarning:"
    "rdflib.plugins.parsers.jsonld"
)
PANDAS_INPLACE_DEPRECATION = (
    "ignore:The inplace keyword in DataFrame.reset_index is deprecated:pandas.errors.Pandas4Warning:"
    "mlcroissant._src.operation_graph.operations.read"
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("croissant")
    articles = make_corpus(root)
    target = root / "dataset" / "hf"
    with hf_offline(root / "build-cache"):
        build_dataset(articles, target)
    return target


def _document(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "croissant.json").read_text(encoding="utf-8"))
    return data


def test_mlcroissant_validate_command_passes(out: Path, tmp_path: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf-home")}
    done = subprocess.run(
        [sys.executable, "-m", "mlcroissant.scripts.validate", "--jsonld", str(out / "croissant.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Done." in done.stderr
    assert "error" not in done.stderr.lower()


@pytest.mark.filterwarnings(RDFLIB_JSONLD_DEPRECATION)
def test_mlcroissant_python_api_finds_no_errors(out: Path) -> None:
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=out / "croissant.json")  # raises mlc.ValidationError on errors
    issues = dataset.metadata.ctx.issues
    assert issues.errors == set()
    assert {w.split("] ", 1)[-1] for w in issues.warnings} == EXPECTED_WARNINGS
    assert [r.name for r in dataset.metadata.record_sets] == list(CONFIGS)


def test_one_file_object_per_parquet_with_its_checksum(out: Path) -> None:
    doc = _document(out)
    assert doc["conformsTo"] == CONFORMS_TO
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    files = {d["contentUrl"]: d for d in doc["distribution"] if d["@type"] == "cr:FileObject"}
    assert sorted(files) == sorted(data_file(c) for c in CONFIGS)
    sets = {d["@id"]: d for d in doc["distribution"] if d["@type"] == "cr:FileSet"}
    assert sorted(sets) == sorted(f"parquet-{c}" for c in CONFIGS)
    for config in CONFIGS:  # each config's file set includes exactly its shards
        included = sorted(
            p.relative_to(out).as_posix() for p in out.glob(sets[f"parquet-{config}"]["includes"])
        )
        assert included == [data_file(config)]
    for path, entry in files.items():
        raw = (out / path).read_bytes()
        assert entry["@type"] == "cr:FileObject"
        assert entry["encodingFormat"] == "application/x-parquet"
        assert entry["sha256"] == hashlib.sha256(raw).hexdigest()
        assert entry["contentSize"] == f"{len(raw)} B"


def _shape(field: dict[str, Any]) -> Any:
    """A field's nesting: sub-field shapes by name, wrapped in a list when repeated."""
    shape = (
        {sub["name"]: _shape(sub) for sub in field["subField"]} if "subField" in field else field["dataType"]
    )
    return [shape] if field.get("repeated") else shape


def _feature_shape(feature: Any) -> Any:
    from datasets import ClassLabel, List

    if isinstance(feature, dict):
        return {name: _feature_shape(sub) for name, sub in feature.items()}
    if isinstance(feature, List):
        return [_feature_shape(feature.feature)]
    if isinstance(feature, ClassLabel):
        return "sc:Integer"
    return "sc:Text" if feature.dtype == "string" else "sc:Integer"


def test_record_sets_mirror_the_features(out: Path) -> None:
    doc = _document(out)
    record_sets = {rs["@id"]: rs for rs in doc["recordSet"]}
    assert list(record_sets) == list(CONFIGS)
    for config in CONFIGS:
        fields = record_sets[config]["field"]
        assert {f["name"]: _shape(f) for f in fields} == _feature_shape(features(config))
        for field in fields:
            assert field["@id"] == f"{config}/{field['name']}"
    tags = next(f for f in record_sets["ner"]["field"] if f["name"] == "ner_tags")
    assert tags["description"].startswith("Class label id; names: 0 O, 1 B-PER, 2 I-PER,")
    filler_start = next(
        sub
        for f in record_sets["events"]["field"]
        if f["name"] == "events"
        for arg in f["subField"]
        if arg["name"] == "arguments"
        for sub in arg["subField"]
        if sub["name"] == "start"
    )
    assert filler_start["source"] == {
        "fileSet": {"@id": "parquet-events"},
        "extract": {"column": "events"},
        "transform": [{"jsonPath": "arguments"}, {"jsonPath": "start"}],
    }


@pytest.mark.filterwarnings(RDFLIB_JSONLD_DEPRECATION)
@pytest.mark.filterwarnings(PANDAS_INPLACE_DEPRECATION)
def test_mlcroissant_reads_the_flat_ner_records(out: Path, tmp_path: Path) -> None:
    """The ner record set read by mlcroissant equals the rows load_dataset gives."""
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=out / "croissant.json")
    got = [
        {
            key.split("/", 1)[1]: [v.decode() if isinstance(v, bytes) else v for v in value]
            if isinstance(value, list)
            else value.decode()
            for key, value in record.items()
        }
        for record in itertools.islice(dataset.records("ner"), 100)
    ]
    with hf_offline(tmp_path / "hf-cache") as cache:
        expected = load(out, "ner", cache).to_list()
    assert got == expected
