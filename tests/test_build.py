"""The Hugging Face build: configs load offline with their declared features and say what the records say.

Every test that calls ``load_dataset`` runs inside `hf_offline`: a fresh ``HF_DATASETS_CACHE``
set in the environment before `datasets` is used, ``HF_HUB_OFFLINE=1``, and ``cache_dir=`` too.
The helpers here are shared with the card, Croissant and property tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from pydantic import BaseModel
from seqeval.metrics.sequence_labeling import get_entities

from seccoop.hub.build import (
    CONFIGS,
    REGENERATE,
    BuildError,
    build_dataset,
    check_build,
    data_file,
    features,
    iob2_tags,
    ner_labels,
    outermost_names,
    rows,
)
from seccoop.hub.configs import feature_paths, field_descriptions
from seccoop.hub.load import LoadError, load_articles, load_hf, record_from_article_row
from seccoop.record.models import EntityArgument, Mention, Record
from seccoop.record.ontology import load_ontology
from seccoop.record.tokens import tokenize

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS_FILES = (
    (FIXTURES / "valid" / "border-patrols.json", FIXTURES / "seeds" / "border-patrols.txt"),
    (
        FIXTURES / "hf" / "dataset" / "articles" / "nested-names.json",
        FIXTURES / "hf" / "seeds" / "nested-names.txt",
    ),
)


# ---------------------------------------------------------------- shared helpers


@contextmanager
def hf_offline(cache: Path) -> Iterator[Path]:
    """A fresh datasets cache and offline Hub for one block (environment first, then config)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_DATASETS_CACHE", str(cache))
        mp.setenv("HF_HOME", str(cache.parent / "hf-home"))
        mp.setenv("HF_HUB_OFFLINE", "1")
        # If an earlier test imported datasets, its config was read then: point it here too.
        import datasets.config
        import huggingface_hub.constants

        mp.setattr(datasets.config, "HF_DATASETS_CACHE", cache)
        mp.setattr(datasets.config, "HF_HUB_OFFLINE", True)
        mp.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
        yield cache


def load(out_dir: Path, config: str | None, cache: Path, **kwargs: Any) -> Any:
    """``load_dataset(str(out_dir), config, split="test")`` from a given cache folder."""
    import datasets

    return datasets.load_dataset(str(out_dir), config, split="test", cache_dir=str(cache), **kwargs)


def make_corpus(root: Path) -> Path:
    """root/seeds and root/dataset/articles with the valid and the nested-names fixtures."""
    articles = root / "dataset" / "articles"
    articles.mkdir(parents=True)
    (root / "seeds").mkdir()
    for record, seed in CORPUS_FILES:
        shutil.copy(record, articles / record.name)
        shutil.copy(seed, root / "seeds" / seed.name)
    return articles


def expected_rows(config: str, records: list[Record]) -> list[dict[str, Any]]:
    """The rows of a config as `load_dataset` returns them (class labels as ids)."""
    feats = features(config)
    return [feats.encode_example(row) for row in rows(config, records)]


def decode(feature: Any, value: Any) -> Any:
    """A loaded value with every class label id turned back into its name."""
    from datasets import ClassLabel, List

    if value is None:
        return None
    if isinstance(feature, dict):
        return {k: decode(feature[k], v) for k, v in value.items()}
    if isinstance(feature, List):
        return [decode(feature.feature, v) for v in value]
    if isinstance(feature, ClassLabel):
        return feature.int2str(value)
    return value


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def spans_from_tags(tokens: list[str], starts: list[int], ends: list[int], tags: list[str]) -> list[tuple]:
    """(start, end, type) of the entities seqeval reads from IOB2 tags: an independent decoder."""
    return [(starts[i], ends[j], label) for label, i, j in get_entities(tags)]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Record]]:
    """The fixture corpus built once for this module: (articles dir, output dir, records)."""
    root = tmp_path_factory.mktemp("built")
    articles = make_corpus(root)
    out = root / "dataset" / "hf"
    with hf_offline(root / "build-cache"):
        build_dataset(articles, out)
    return articles, out, load_articles(articles)


@pytest.fixture
def hf_cache(tmp_path: Path) -> Iterator[Path]:
    with hf_offline(tmp_path / "hf-cache") as cache:
        yield cache


# ---------------------------------------------------------------- features


def test_features_are_built_from_the_ontology() -> None:
    ont = load_ontology()
    labels = ner_labels()
    assert labels[:3] == ("O", "B-PER", "I-PER")
    assert labels == ("O", *(f"{p}-{t}" for t in ont.entity_types for p in "BI"))
    assert features("ner")["ner_tags"].feature.names == list(labels)
    event = features("events")["events"].feature
    assert event["type"].names == list(ont.event_types)
    assert event["realis"].names == list(ont.realis)
    assert event["context"].feature.names == list(ont.contexts)
    assert event["arguments"].feature["role"].names == list(ont.roles)
    assert event["arguments"].feature["value_type"].names == list(ont.value_types)
    assert event["arguments"].feature["entity_type"].names == list(ont.entity_types)
    assert event["mode"].names == list(ont.modes)
    assert features("quotes")["quotes"].feature["kind"].names == list(ont.quote_kinds)
    entity = features("entities")["entities"].feature
    assert entity["type"].names == list(ont.entity_types)
    assert entity["sector"].names == list(ont.org_sectors)
    assert entity["mentions"].feature["kind"].names == list(ont.mention_kinds)
    with pytest.raises(ValueError, match="unknown config 'nope'"):
        features("nope")


def _model_shape(annotation: Any) -> Any:
    """The nested key structure of a pydantic annotation: dict for models, [x] for lists."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list:
        return [_model_shape(args[0])]
    if origin in (typing.Union, types.UnionType):
        shapes = [_model_shape(a) for a in args if a is not type(None)]
        if all(isinstance(s, dict) for s in shapes):  # Argument: one struct with every key
            return {k: v for s in shapes for k, v in s.items()}
        return shapes[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {name: _model_shape(f.annotation) for name, f in annotation.model_fields.items()}
    return None


def _feature_shape(feature: Any) -> Any:
    from datasets import List

    if isinstance(feature, dict):
        return {name: _feature_shape(sub) for name, sub in feature.items()}
    if isinstance(feature, List):
        return [_feature_shape(feature.feature)]
    return None


def test_articles_features_mirror_the_record_model() -> None:
    assert _feature_shape(features("articles")) == _model_shape(Record)
    assert list(features("articles")) == list(Record.model_fields)


def test_a_field_has_one_representation_in_every_config() -> None:
    """The same leaf name under the same parent has the same feature in every config."""
    seen: dict[str, tuple[str, Any]] = {}
    for config in CONFIGS:
        for path, feature in feature_paths(features(config)):
            if config == "entities":
                path = path.replace("entities[].mentions[]", "mentions[]")
            if path in seen:
                first, kept = seen[path]
                assert feature == kept, f"{path}: {first} has {kept!r}, {config} has {feature!r}"
            else:
                seen[path] = (config, feature)
    # Ids are strings everywhere, never a struct: the same as in the JSON record.
    argument = features("events")["events"].feature["arguments"].feature
    assert (
        argument["mention"]
        == argument["entity"]
        == argument["value"]
        == features("articles")["events"].feature["arguments"].feature["mention"]
    )
    assert features("quotes")["quotes"].feature["speaker_mention"].dtype == "string"


def test_every_closed_vocabulary_is_a_class_label() -> None:
    from datasets import ClassLabel

    ont = load_ontology()
    for config in CONFIGS:
        for path, feature in feature_paths(features(config)):
            leaf = path.removesuffix("[]").rsplit(".", 1)[-1]
            if leaf in (
                "type",
                "kind",
                "mode",
                "context",
                "realis",
                "role",
                "sector",
                "status",
            ) or leaf.endswith(("_type", "_kind")):
                assert isinstance(feature, ClassLabel), f"{config}: {path} is {feature!r}"
    assert features("articles")["events"].feature["mode"].names == list(ont.modes)


@pytest.mark.parametrize("config", CONFIGS)
def test_every_field_has_a_meaning(config: str) -> None:
    described = field_descriptions(config)
    paths = [path for path, _ in feature_paths(features(config))]
    assert [p for p in paths if not described.get(p)] == []
    assert set(described) == set(paths)


def test_spans_rows_hold_every_mention_once_with_token_ranges(tmp_path: Path) -> None:
    records = load_articles(make_corpus(tmp_path))
    table = rows("spans", records)
    got = {(row["article_id"], s["id"]) for row in table for s in row["spans"]}
    assert got == {(r.id, m.id) for r in records for m in r.mentions}
    assert sum(len(row["spans"]) for row in table) == len(got)
    texts = {r.id: r.text for r in records}
    for row in table:
        text = texts[row["article_id"]]
        assert text[row["start"] : row["end"]] == row["text"]
        for s in row["spans"]:
            assert text[s["start"] : s["end"]] == s["text"]
            if s["token_start"] is not None and s["token_end"] is not None:
                assert row["token_starts"][s["token_start"]] == s["start"]
                assert row["token_ends"][s["token_end"] - 1] == s["end"]
            if s["kind"] == "NAM":  # names always sit on token boundaries (the build checks it)
                assert s["token_start"] is not None and s["token_end"] is not None


# ---------------------------------------------------------------- loading


@pytest.mark.parametrize("config", CONFIGS)
def test_every_config_loads_with_declared_features_and_rows(
    config: str, built: tuple[Path, Path, list[Record]], hf_cache: Path
) -> None:
    _, out, records = built
    expected = expected_rows(config, records)
    dataset = load(out, config, hf_cache)
    assert dataset.features == features(config)
    assert dataset.num_rows == len(expected)
    assert dataset.to_list() == expected
    stream = load(out, config, hf_cache, streaming=True)
    assert stream.features == features(config)
    assert list(stream) == expected


def test_default_config_is_articles_and_rows_are_the_records(
    built: tuple[Path, Path, list[Record]], hf_cache: Path
) -> None:
    _, out, records = built
    dataset = load(out, None, hf_cache)
    assert dataset.features == features("articles")
    assert [record_from_article_row(row) for row in dataset] == records


def test_ner_tags_golden(built: tuple[Path, Path, list[Record]], hf_cache: Path) -> None:
    _, out, _ = built
    names = features("ner")["ner_tags"].feature.names
    by_id = {(r["article_id"], r["sentence_id"]): r for r in load(out, "ner", hf_cache)}
    s3 = by_id["border-patrols", "s3"]
    assert list(zip(s3["tokens"], [names[t] for t in s3["ner_tags"]], strict=True)) == [
        ("Ghana", "B-GPE"), ("’", "O"), ("s", "O"), ("defence", "O"), ("minister", "O"), (",", "O"),
        ("Ama", "B-PER"), ("Mensah", "I-PER"), (",", "O"), ("visited", "O"), ("Lomé", "B-GPE"),
        ("on", "O"), ("Friday", "O"), ("and", "O"), ("met", "O"), ("President", "O"), ("Kofi", "B-PER"),
        ("Adu", "I-PER"), ("of", "O"), ("Togo", "B-GPE"), (".", "O"),
    ]  # fmt: skip
    assert s3["token_starts"][6:8] == [96, 100]
    assert s3["token_ends"][6:8] == [99, 106]
    # "US" and "Cotonou" inside "US Embassy in Cotonou", "Benin" inside "Benin Navy": not tagged.
    s3 = by_id["nested-names", "s3"]
    assert [names[t] for t in s3["ner_tags"]] == [
        "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O", "B-ORG", "I-ORG", "O", "O", "O",
    ]  # fmt: skip
    assert [names[t] for t in by_id["nested-names", "s4"]["ner_tags"]][:2] == ["O", "B-GPE"]


def test_ner_tags_decode_to_the_outermost_names(
    built: tuple[Path, Path, list[Record]], hf_cache: Path
) -> None:
    _, out, records = built
    types_ = {(r.id, e.id): e.type for r in records for e in r.entities}
    names = features("ner")["ner_tags"].feature.names
    decoded: set[tuple] = set()
    for row in load(out, "ner", hf_cache):
        tags = [names[t] for t in row["ner_tags"]]
        decoded |= {
            (row["article_id"], *s)
            for s in spans_from_tags(row["tokens"], row["token_starts"], row["token_ends"], tags)
        }
    gold = {
        (r.id, m.start, m.end, types_[r.id, m.entity]) for r in records for m in outermost_names(r.mentions)
    }
    assert decoded == gold
    nested = {(r.id, m.start, m.end) for r in records for m in r.mentions if m.kind == "NAM"} - {
        g[:3] for g in gold
    }
    assert nested == {("nested-names", s, e) for s, e in [(0, 2), (14, 21), (72, 74), (86, 93), (117, 122)]}


def test_nested_names_stay_in_the_entities_and_events_configs(
    built: tuple[Path, Path, list[Record]], hf_cache: Path
) -> None:
    _, out, _ = built
    entities = {r["article_id"]: decode(features("entities"), r) for r in load(out, "entities", hf_cache)}
    us = next(e for e in entities["nested-names"]["entities"] if e["id"] == "e2")
    assert [(m["start"], m["end"], m["kind"]) for m in us["mentions"]] == [
        (0, 2, "NAM"),
        (72, 74, "NAM"),
        (144, 146, "NAM"),
    ]
    events = {r["article_id"]: decode(features("events"), r) for r in load(out, "events", hf_cache)}
    place = events["nested-names"]["events"][0]["arguments"][2]
    assert place == {
        "role": "Place",
        "entity": "e3",
        "mention": "m8",
        "value": None,
        "start": 86,
        "end": 93,
        "text": "Cotonou",
        "entity_type": "GPE",
        "entity_name": "Cotonou",
        "mention_kind": "NAM",
        "value_type": None,
        "normalized": None,
    }
    spans = [decode(features("spans"), r) for r in load(out, "spans", hf_cache)]
    nested = {(s["start"], s["end"]) for row in spans for s in row["spans"] if s["kind"] == "NAM"}
    assert {(0, 2), (14, 21), (72, 74), (86, 93), (117, 122)} <= nested


def test_task_configs_say_what_the_records_say(
    built: tuple[Path, Path, list[Record]], hf_cache: Path
) -> None:
    """Each field of the per-article configs checked against the record it comes from."""
    _, out, records = built

    def span(s: Any) -> dict[str, Any] | None:
        return None if s is None else {"start": s.start, "end": s.end, "text": s.text}

    def ref(m: Any) -> dict[str, Any] | None:
        return None if m is None else {"id": m.id, **span(m)}

    configs = ("events", "quotes", "entities")
    loaded = {c: [decode(features(c), r) for r in load(out, c, hf_cache)] for c in configs}
    for i, r in enumerate(records):
        entities = {e.id: e for e in r.entities}
        mentions = {m.id: m for m in r.mentions}
        values = {v.id: v for v in r.values}
        for config in configs:
            assert (loaded[config][i]["article_id"], loaded[config][i]["text"]) == (r.id, r.text)
        for got, ev in zip(loaded["events"][i]["events"], r.events, strict=True):
            assert (got["id"], got["type"], got["mode"], got["context"], got["realis"]) == (
                ev.id, ev.type, ev.mode, ev.context, ev.realis,
            )  # fmt: skip
            assert got["trigger"] == span(ev.trigger)
            for a, arg in zip(got["arguments"], ev.arguments, strict=True):
                assert a["role"] == arg.role
                if isinstance(arg, EntityArgument):
                    m, e = mentions[arg.mention], entities[arg.entity]
                    assert (a["entity"], a["mention"], a["value"]) == (arg.entity, arg.mention, None)
                    assert (a["entity_type"], a["entity_name"], a["mention_kind"]) == (e.type, e.name, m.kind)
                    assert (a["value_type"], a["normalized"]) == (None, None)
                    filler: Any = m
                else:
                    v = values[arg.value]
                    assert (a["entity"], a["mention"], a["value"]) == (None, None, arg.value)
                    assert (a["value_type"], a["normalized"]) == (v.type, v.normalized)
                    assert (a["entity_type"], a["entity_name"], a["mention_kind"]) == (None, None, None)
                    filler = v
                assert {k: a[k] for k in ("start", "end", "text")} == span(filler)
                assert r.text[a["start"] : a["end"]] == a["text"]
        for got, q in zip(loaded["quotes"][i]["quotes"], r.quotes, strict=True):
            assert (got["id"], got["kind"], got["speaker"]) == (q.id, q.kind, q.speaker)
            assert got["content"] == [span(c) for c in q.content]
            assert got["cue"] == span(q.cue)
            speaker = entities.get(q.speaker or "")
            assert got["speaker_name"] == (speaker.name if speaker else None)
            assert got["speaker_type"] == (speaker.type if speaker else None)
            assert got["speaker_mention"] == q.speaker_mention
            said = span(mentions.get(q.speaker_mention or "")) or dict.fromkeys(("start", "end", "text"))
            assert (got["speaker_start"], got["speaker_end"], got["speaker_text"]) == tuple(said.values())
        for got, e in zip(loaded["entities"][i]["entities"], r.entities, strict=True):
            assert (got["id"], got["type"], got["name"], got["wikidata"], got["sector"]) == (
                e.id, e.type, e.name, e.wikidata, e.sector,
            )  # fmt: skip
            own = [m for m in r.mentions if m.entity == e.id]
            assert got["mentions"] == [{**ref(m), "kind": m.kind} for m in own]
    assert sum(len(e["mentions"]) for row in loaded["entities"] for e in row["entities"]) == sum(
        len(r.mentions) for r in records
    )


def test_ner_rows_cover_every_sentence_with_the_shared_tokenizer(
    built: tuple[Path, Path, list[Record]], hf_cache: Path
) -> None:
    _, out, records = built
    ner = load(out, "ner", hf_cache)
    expected = [
        (r.id, s.id, [(t.text, t.start, t.end) for t in tokenize(r.text, s.start, s.end)])
        for r in records
        for s in sorted(r.sentences, key=lambda s: s.start)
    ]
    got = [
        (
            row["article_id"],
            row["sentence_id"],
            list(zip(row["tokens"], row["token_starts"], row["token_ends"], strict=True)),
        )
        for row in ner
    ]
    assert got == expected


def test_ner_config_agrees_with_the_scorer_iob2(
    built: tuple[Path, Path, list[Record]], hf_cache: Path
) -> None:
    """The scorer's CoNLL metric re-derives IOB2 tags from the records: they must be these."""
    score = pytest.importorskip("seccoop.bench.score")
    _, out, records = built
    names = features("ner")["ner_tags"].feature.names
    loaded = [(row["tokens"], [names[t] for t in row["ner_tags"]]) for row in load(out, "ner", hf_cache)]
    derived = []
    for r in records:
        types_ = {e.id: e.type for e in r.entities}
        sentences = sorted((s.start, s.end) for s in r.sentences)
        gold = [(m.start, m.end, types_[m.entity]) for m in r.mentions if m.kind == "NAM"]
        for tokens, tags in score.iob2_sentences(r.text, sentences, gold):
            derived.append(([t.text for t in tokens], tags))
    assert loaded == derived


# ---------------------------------------------------------------- atomic, deterministic, checked


def test_failed_build_leaves_the_previous_output_intact(tmp_path: Path) -> None:
    articles = make_corpus(tmp_path)
    out = tmp_path / "dataset" / "hf"
    with hf_offline(tmp_path / "cache"):
        build_dataset(articles, out)
        before = snapshot(out)
        record = json.loads((articles / "border-patrols.json").read_text(encoding="utf-8"))
        record["mentions"][0]["text"] = "Togoo"
        (articles / "border-patrols.json").write_text(json.dumps(record), encoding="utf-8")
        with pytest.raises(BuildError) as caught:
            build_dataset(articles, out)
    assert "span-text-mismatch" in {f.code for f in caught.value.findings}
    assert all(f.file.endswith("border-patrols.json") for f in caught.value.findings if f.severity == "error")
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["articles", "hf"]


def test_crash_while_writing_leaves_the_previous_output_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = make_corpus(tmp_path)
    out = tmp_path / "dataset" / "hf"
    with hf_offline(tmp_path / "cache"):
        build_dataset(articles, out)
        before = snapshot(out)

        def crash(*_args: Any, **_kwargs: Any) -> Path:
            raise RuntimeError("disk full")

        monkeypatch.setattr("seccoop.hub.croissant.write_croissant", crash)
        with pytest.raises(RuntimeError, match="disk full"):
            build_dataset(articles, out)
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["articles", "hf"]


def test_build_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    articles = make_corpus(tmp_path)
    other = tmp_path / "docs"
    other.mkdir()
    (other / "notes.md").write_text("notes\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"refusing to replace .*docs: it holds notes\.md"):
        build_dataset(articles, other)
    assert snapshot(other) == {"notes.md": b"notes\n"}
    with pytest.raises(BuildError, match="holds the records"):
        build_dataset(articles, articles.parent)
    assert sorted(p.name for p in articles.iterdir()) == ["border-patrols.json", "nested-names.json"]


def test_empty_corpus_does_not_build(tmp_path: Path) -> None:
    articles = tmp_path / "dataset" / "articles"
    articles.mkdir(parents=True)
    with pytest.raises(BuildError) as caught:
        build_dataset(articles, tmp_path / "dataset" / "hf")
    assert not (tmp_path / "dataset" / "hf").exists()
    assert caught.value.findings  # the validator's io-error for an empty folder


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    articles = make_corpus(tmp_path)
    with hf_offline(tmp_path / "cache"):
        first = build_dataset(articles, tmp_path / "one")
        second = build_dataset(articles, tmp_path / "two")
    assert (
        first.files
        == second.files
        == tuple(sorted(["README.md", "croissant.json", *(data_file(c) for c in CONFIGS)]))
    )
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    for config in CONFIGS:
        a = pq.read_table(tmp_path / "one" / data_file(config))
        b = pq.read_table(tmp_path / "two" / data_file(config))
        assert a.equals(b, check_metadata=True)
    assert first.num_rows == {"articles": 2, "ner": 10, "spans": 10, "events": 2, "quotes": 2, "entities": 2}
    assert first.records == 2
    assert first.warnings == ()


def test_check_build_lists_what_is_stale(tmp_path: Path) -> None:
    articles = make_corpus(tmp_path)
    out = tmp_path / "dataset" / "hf"
    with hf_offline(tmp_path / "cache"):
        build_dataset(articles, out)
        assert check_build(articles, out) == []
        (out / "README.md").write_text("edited by hand\n", encoding="utf-8")
        (out / data_file("ner")).unlink()
        (out / "data" / "old").mkdir()
        (out / "data" / "old" / "x.parquet").write_bytes(b"x")
        assert check_build(articles, out) == [
            "README.md: differs",
            "data/ner/test-00000-of-00001.parquet: missing",
            "data/old/x.parquet: not produced by the build",
        ]
        # A change of the records makes the generated files stale.
        build_dataset(articles, out)
        record = json.loads((articles / "nested-names.json").read_text(encoding="utf-8"))
        record["annotation"]["status"] = "adjudicated"
        record["annotation"]["adjudicator"] = "someone"
        (articles / "nested-names.json").write_text(json.dumps(record), encoding="utf-8")
        # croissant.json only quotes the parquet's checksum, which --check does not compare
        assert check_build(articles, out) == [
            "README.md: differs",
            "data/articles/test-00000-of-00001.parquet: differs",
        ]
    assert REGENERATE == "seccoop build"


def test_check_build_ignores_what_only_library_versions_change(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    articles = make_corpus(tmp_path)
    out = tmp_path / "dataset" / "hf"
    with hf_offline(tmp_path / "cache"):
        build_dataset(articles, out)
        parquet = out / data_file("ner")
        table = pq.read_table(parquet)
        pq.write_table(table, parquet, compression="gzip")  # other bytes, same table
        croissant = json.loads((out / "croissant.json").read_text(encoding="utf-8"))
        for node in croissant["distribution"]:
            if "sha256" in node:
                node["sha256"] = "0" * 64
        (out / "croissant.json").write_text(json.dumps(croissant), encoding="utf-8")
        assert check_build(articles, out) == []
        pq.write_table(table.slice(0, 1), parquet)  # other rows
        assert check_build(articles, out) == ["data/ner/test-00000-of-00001.parquet: differs"]


def test_side_files_feed_the_card_and_default_next_to_the_articles(tmp_path: Path) -> None:
    articles = make_corpus(tmp_path)
    (articles.parent / "agreement.json").write_text(json.dumps({"mentions": {"f1": 0.9}}), encoding="utf-8")
    with hf_offline(tmp_path / "cache"):
        build_dataset(articles, tmp_path / "default")
        build_dataset(articles, tmp_path / "other", agreement=tmp_path / "missing.json")
    assert "| mentions | 0.900 |" in (tmp_path / "default" / "README.md").read_text(encoding="utf-8")
    assert "Agreement figures are pending" in (tmp_path / "other" / "README.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- NER encoding units


def _mention(mid: str, start: int, end: int, text: str, kind: str = "NAM") -> Mention:
    return Mention(id=mid, entity="e1", start=start, end=end, text=text, kind=kind)


def test_outermost_names_drop_nested_names_and_non_names() -> None:
    outer = _mention("m1", 0, 21, "US Embassy in Cotonou")
    mentions = [
        _mention("m2", 0, 2, "US"),
        outer,
        _mention("m3", 14, 21, "Cotonou"),
        _mention("m4", 22, 25, "its", "PRO"),
    ]
    assert outermost_names(mentions) == [outer]


def test_iob2_tags_need_token_boundaries() -> None:
    tokens = tokenize("Kofi Adu of Togo.")
    assert iob2_tags(tokens, [(0, 8, "PER"), (12, 16, "GPE")]) == ["B-PER", "I-PER", "O", "B-GPE", "O"]
    assert iob2_tags(tokens, [(0, 3, "PER")]) is None


# ---------------------------------------------------------------- loader API


def test_load_articles_returns_valid_records() -> None:
    records = load_articles(FIXTURES / "valid")
    assert [r.id for r in records] == ["border-patrols"]
    assert load_articles(str(FIXTURES / "valid" / "border-patrols.json")) == records


def test_load_articles_raises_with_the_findings() -> None:
    with pytest.raises(LoadError) as caught:
        load_articles(FIXTURES / "invalid" / "span-text-mismatch.json")
    assert "span-text-mismatch" in {f.code for f in caught.value.findings}
    assert "span-text-mismatch" in str(caught.value)


def test_load_articles_names_an_unsupported_schema_version(tmp_path: Path) -> None:
    record = json.loads((FIXTURES / "valid" / "border-patrols.json").read_text(encoding="utf-8"))
    record["schema_version"] = 2
    path = tmp_path / "border-patrols.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(LoadError, match=r"schema_version is 2; this seccoop reads schema_version 1"):
        load_articles(path)
    row = {**record, "schema_version": 2}
    with pytest.raises(ValueError, match="schema_version is 2"):
        record_from_article_row(row)


def test_load_hf_wraps_load_dataset(built: tuple[Path, Path, list[Record]], hf_cache: Path) -> None:
    _, out, records = built
    dataset = load_hf("quotes", out, split="test", cache_dir=str(hf_cache))
    assert dataset.features == features("quotes")
    assert dataset.num_rows == len(records)
    default = load_hf(path=out, split="test", cache_dir=str(hf_cache))
    assert default.features == features("articles")


def test_modules_import_datasets_lazily() -> None:
    code = (
        "import sys, seccoop.check.validate, seccoop.hub.build, seccoop.hub.card, seccoop.hub.croissant, "
        "seccoop.hub.load; "
        "print(sorted(m for m in ('datasets', 'pyarrow', 'huggingface_hub') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
