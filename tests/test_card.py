"""The dataset card: Hub metadata in the Hub's vocabulary, parsed by huggingface_hub, true to the data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from huggingface_hub import DatasetCard, DatasetCardData

from seccoop import __version__
from seccoop.hub.build import CONFIGS, DEFAULT_CONFIG, build_dataset, data_file, features
from seccoop.hub.card import size_category
from seccoop.hub.load import load_articles
from seccoop.record.models import Record
from tests.test_build import hf_offline, load, make_corpus

# Snapshot of the Hub's vocabularies (the subset that concerns this card), taken from:
# - licenses: huggingface/hub-docs docs/hub/repositories-licenses.md ("License identifier" column);
# - task_categories and task_ids: huggingface/huggingface.js packages/tasks/src/pipelines.ts
#   (PIPELINE_DATA keys of the NLP modality and their subtasks; datasetcard.md points there);
# - size_categories: huggingface/datasets src/datasets/utils/resources/size_categories.json;
# - annotations_creators, language_creators: huggingface/datasets .../resources/creators.json;
# - multilinguality: huggingface/datasets .../resources/multilingualities.json;
# - source_datasets: huggingface_hub DatasetCardData docstring ("original" and "extended").
HUB_LICENSES = {
    "apache-2.0", "mit", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
    "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
    "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
    "odc-by", "odbl", "pddl", "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0",
    "unknown", "other",
}  # fmt: skip
HUB_NLP_TASKS = {
    "text-classification": {
        "acceptability-classification", "entity-linking-classification", "fact-checking",
        "intent-classification", "language-identification", "multi-class-classification",
        "multi-label-classification", "multi-input-text-classification", "natural-language-inference",
        "semantic-similarity-classification", "sentiment-classification", "topic-classification",
        "semantic-similarity-scoring", "sentiment-scoring", "sentiment-analysis",
        "hate-speech-detection", "text-scoring",
    },
    "token-classification": {
        "named-entity-recognition", "part-of-speech", "parsing", "lemmatization",
        "word-sense-disambiguation", "coreference-resolution",
    },
    "table-question-answering": set(),
    "question-answering": {"extractive-qa", "open-domain-qa", "closed-domain-qa"},
    "zero-shot-classification": set(),
    "translation": set(),
    "summarization": {"news-articles-summarization", "news-articles-headline-generation"},
    "feature-extraction": set(),
    "text-generation": {"dialogue-modeling", "dialogue-generation", "conversational", "language-modeling"},
    "fill-mask": {"slot-filling", "masked-language-modeling"},
    "sentence-similarity": set(),
    "text-retrieval": {
        "document-retrieval", "utterance-retrieval", "entity-linking-retrieval", "fact-checking-retrieval",
    },
}  # fmt: skip
HUB_SIZE_CATEGORIES = [
    "unknown", "n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M", "100M<n<1B",
    "1B<n<10B", "10B<n<100B", "100B<n<1T", "n>1T",
]  # fmt: skip
HUB_ANNOTATIONS_CREATORS = {
    "found",
    "crowdsourced",
    "expert-generated",
    "machine-generated",
    "no-annotation",
    "other",
}
HUB_LANGUAGE_CREATORS = {"found", "crowdsourced", "expert-generated", "machine-generated", "other"}
HUB_MULTILINGUALITY = {"monolingual", "multilingual", "translation", "other"}
HUB_SOURCE_DATASETS = {"original", "extended"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Record]]:
    root = tmp_path_factory.mktemp("card")
    articles = make_corpus(root)
    out = root / "dataset" / "hf"
    with hf_offline(root / "build-cache"):
        build_dataset(articles, out)
    return out, load_articles(articles)


@pytest.fixture
def hf_cache(tmp_path: Path) -> Iterator[Path]:
    with hf_offline(tmp_path / "hf-cache") as cache:
        yield cache


def card_of(out: Path) -> DatasetCard:
    return DatasetCard.load(out / "README.md")


def test_snapshot_agrees_with_the_installed_datasets_resources() -> None:
    import datasets

    resources = Path(datasets.__file__).parent / "utils" / "resources"
    if not resources.is_dir():
        pytest.skip("this datasets release does not ship its metadata resources")
    creators = json.loads((resources / "creators.json").read_text(encoding="utf-8"))
    assert json.loads((resources / "size_categories.json").read_text(encoding="utf-8")) == HUB_SIZE_CATEGORIES
    assert set(creators["annotations"]) == HUB_ANNOTATIONS_CREATORS
    assert set(creators["language"]) == HUB_LANGUAGE_CREATORS
    assert set(json.loads((resources / "multilingualities.json").read_text(encoding="utf-8"))) == (
        HUB_MULTILINGUALITY
    )


def test_card_metadata_uses_the_hub_vocabulary(built: tuple[Path, list[Record]]) -> None:
    out, _ = built
    data = card_of(out).data
    assert isinstance(data, DatasetCardData)
    assert data.license in HUB_LICENSES
    assert data.license == "cc-by-4.0"
    assert data.language == ["en"]
    assert data.pretty_name == "SecCoop News"
    assert set(data.task_categories) <= set(HUB_NLP_TASKS)
    assert "token-classification" in data.task_categories
    allowed_ids = set().union(*(HUB_NLP_TASKS[t] for t in data.task_categories))
    assert set(data.task_ids) <= allowed_ids
    assert "named-entity-recognition" in data.task_ids
    assert data.size_categories == ["n<1K"]
    assert set(data.size_categories) <= set(HUB_SIZE_CATEGORIES)
    assert data.annotations_creators == ["machine-generated"]
    assert set(data.annotations_creators) <= HUB_ANNOTATIONS_CREATORS
    assert data.language_creators == ["found"]
    assert set(data.language_creators) <= HUB_LANGUAGE_CREATORS
    assert data.source_datasets == ["original"]
    assert set(data.source_datasets) <= HUB_SOURCE_DATASETS
    assert data.multilinguality == ["monolingual"]
    assert set(data.multilinguality) <= HUB_MULTILINGUALITY


def test_card_configs_and_dataset_info_match_the_data(
    built: tuple[Path, list[Record]], hf_cache: Path
) -> None:
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs

    out, _ = built
    data = card_of(out).data
    configs = MetadataConfigs.from_dataset_card_data(data)
    assert sorted(configs) == sorted(CONFIGS)
    assert configs.get_default_config_name() == DEFAULT_CONFIG
    infos = DatasetInfosDict.from_dataset_card_data(data)
    for config in CONFIGS:
        assert configs[config]["data_files"] == [{"split": "test", "path": data_file(config)}]
        assert (out / data_file(config)).is_file()
        dataset = load(out, config, hf_cache)
        info = infos[config]
        assert info.features == features(config) == dataset.features  # ClassLabel names included
        assert info.splits["test"].num_examples == dataset.num_rows
        assert info.download_size == (out / data_file(config)).stat().st_size
    ner_names = yaml.safe_load(card_of(out).content.split("---")[1])
    ner_info = next(i for i in ner_names["dataset_info"] if i["config_name"] == "ner")
    tags = next(f for f in ner_info["features"] if f["name"] == "ner_tags")
    assert list(tags["list"]["class_label"]["names"].values()) == features("ner")["ner_tags"].feature.names


def test_card_body_is_computed_from_the_data(built: tuple[Path, list[Record]]) -> None:
    out, records = built
    text = card_of(out).text
    for heading in (
        "Dataset summary",
        "Supported tasks and scoring",
        "Configurations and fields",
        "Statistics",
        "Data collection",
        "Annotation process",
        "Agreement",
        "Baselines",
        "Limitations and biases",
        "Licensing",
        "Citation",
        "Version history",
    ):
        assert f"\n## {heading}\n" in text
    for config in CONFIGS:
        assert f"### `{config}`" in text
    assert "### `articles` (default)" in text
    assert "`seccoop score --task ner`" in text
    assert f"| mentions | {sum(len(r.mentions) for r in records)} | NAM 23, NOM 2, PRO 1 |" in text
    assert "| nested names (only in `entities`) | 5 |  |" in text
    assert "Rows per config (split `test`): `articles` 2, `ner` 10, `events` 2," in text
    assert 'A name nested inside another name (for example "US" inside "US Embassy in Cotonou")' in text
    assert "- **Size.** 2 articles" in text
    assert "English only" in text
    assert "Agreement figures are pending" in text
    assert "Baseline scores are pending" in text
    assert "Status of the records in this build: draft 2." in text
    assert f"- {__version__}: this build; 2 articles" in text
    # The example rows come from the data.
    assert '"sentence_id": "s1"' in text
    assert '"tokens": ["Togo", "and", "Ghana", "agree", "on", "border", "patrols"]' in text


def test_card_is_honest_about_licences_and_invents_no_link(built: tuple[Path, list[Record]]) -> None:
    out, _ = built
    text = card_of(out).text
    licensing = text.split("\n## Licensing\n")[1].split("\n## ")[0]
    assert "CC BY 4.0" in licensing
    assert "belong to their publishers" in licensing
    assert "claims no licence for them and grants none" in licensing
    bibtex = text.split("```bibtex\n")[1].split("```")[0]
    assert bibtex.startswith("@misc{seccoop_news,")
    assert not re.search(r"\b(url|doi|howpublished)\s*=", bibtex)
    assert f"Version {__version__}" in bibtex
    assert not re.search(r"https?://", text.split("\n## Citation\n")[1])


def test_agreement_and_baselines_are_read_when_present(tmp_path: Path) -> None:
    articles = make_corpus(tmp_path)
    agreement = tmp_path / "agree.json"
    baselines = tmp_path / "base.json"
    agreement.write_text(
        json.dumps({"mentions": {"a": 12, "b": 11, "f1": 0.8696}, "events": {"a": 4, "b": 4, "f1": 1.0}}),
        encoding="utf-8",
    )
    baselines.write_text(json.dumps({"ner": {"spacy-sm": 0.41, "gold": 1.0}}), encoding="utf-8")
    with hf_offline(tmp_path / "cache"):
        build_dataset(articles, tmp_path / "hf", agreement=agreement, baselines=baselines)
    text = (tmp_path / "hf" / "README.md").read_text(encoding="utf-8")
    assert "|  | a | b | f1 |" in text
    assert "| mentions | 12 | 11 | 0.870 |" in text
    assert "| events | 4 | 4 | 1.000 |" in text
    assert "|  | spacy-sm | gold |" in text
    assert "| ner | 0.410 | 1.000 |" in text
    assert "pending" not in text.split("\n## Agreement\n")[1].split("\n## Limitations")[0]


def test_unreadable_agreement_file_stops_the_build(tmp_path: Path) -> None:
    from seccoop.hub.build import BuildError

    articles = make_corpus(tmp_path)
    (articles.parent / "agreement.json").write_text("{not json", encoding="utf-8")
    with (
        hf_offline(tmp_path / "cache"),
        pytest.raises(BuildError, match=r"agreement\.json: cannot read it as JSON"),
    ):
        build_dataset(articles, tmp_path / "hf")
    assert not (tmp_path / "hf").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".hf")] == []  # no staging left


@pytest.mark.parametrize(
    ("n", "bucket"),
    [(0, "n<1K"), (999, "n<1K"), (1_000, "1K<n<10K"), (99_999, "10K<n<100K"), (10**12, "n>1T")],
)
def test_size_category_uses_the_hub_buckets(n: int, bucket: str) -> None:
    assert size_category(n) == bucket
    assert bucket in HUB_SIZE_CATEGORIES
