"""The dataset card: Hub metadata in the Hub's vocabulary, parsed by huggingface_hub, true to the data."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from huggingface_hub import DatasetCard, DatasetCardData

from seccoop import __version__
from seccoop.check.schema import record_schema
from seccoop.hub.build import CONFIGS, DEFAULT_CONFIG, build_dataset, data_file, data_pattern, features
from seccoop.hub.card import LICENSE_NAME, size_category
from seccoop.hub.configs import feature_paths, field_descriptions
from seccoop.hub.load import load_articles
from seccoop.hub.metadata import changelog_release, project_metadata, release_drift
from seccoop.record.models import Record
from tests.test_build import hf_offline, load, make_corpus

ROOT = Path(__file__).resolve().parents[1]

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
    # Mixed licensing, the Hub's documented way: `other` with a name and the details.
    assert data.license == "other"
    assert data.license_name == LICENSE_NAME
    assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", data.license_name)
    assert "CC BY 4.0" in data.license_details
    assert "claims and grants no licence" in data.license_details
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
        assert configs[config]["data_files"] == [{"split": "test", "path": data_pattern(config)}]
        shards = sorted(out.glob(data_pattern(config)))
        assert [p.relative_to(out).as_posix() for p in shards] == [data_file(config)]
        dataset = load(out, config, hf_cache)
        info = infos[config]
        assert info.features == features(config) == dataset.features  # ClassLabel names included
        assert info.splits["test"].num_examples == dataset.num_rows
        assert info.download_size == sum(p.stat().st_size for p in shards)
    ner_names = yaml.safe_load(card_of(out).content.split("---")[1])
    ner_info = next(i for i in ner_names["dataset_info"] if i["config_name"] == "ner")
    tags = next(f for f in ner_info["features"] if f["name"] == "ner_tags")
    assert list(tags["list"]["class_label"]["names"].values()) == features("ner")["ner_tags"].feature.names


SECTIONS = (
    "## Dataset summary",
    "## Supported tasks and leaderboards",
    "### Baselines",
    "## Languages",
    "## Dataset structure",
    "### Compatibility",
    "### Articles",
    "### Statistics",
    "## Dataset creation",
    "### Curation rationale",
    "### Source data",
    "### Annotations",
    "#### Agreement",
    "### Personal and sensitive information",
    "## Considerations for using the data",
    "### Limitations and biases",
    "## Additional information",
    "### Licensing",
    "### Citation",
    "### Contributions",
    "### Version history",
)


def test_card_has_every_section_in_order(built: tuple[Path, list[Record]]) -> None:
    out, _ = built
    text = card_of(out).text
    positions = [text.find(f"\n{heading}\n") for heading in SECTIONS]
    assert -1 not in positions, [h for h, i in zip(SECTIONS, positions, strict=True) if i == -1]
    assert positions == sorted(positions)


def _field_tables(text: str) -> dict[str, dict[str, tuple[str, str]]]:
    """{config: {field path: (type, meaning)}} read back from the card's field tables."""
    tables: dict[str, dict[str, tuple[str, str]]] = {}
    for config in CONFIGS:
        section = text.split(f"\n### `{config}`")[1].split("\n### ")[0]
        rows = re.findall(r"^\| `([^`]+)` \| (.*?) \| (.*?) \|$", section, re.MULTILINE)
        tables[config] = {path: (kind, meaning) for path, kind, meaning in rows}
    return tables


def test_every_field_has_its_schema_meaning(built: tuple[Path, list[Record]]) -> None:
    out, _ = built
    tables = _field_tables(card_of(out).text)
    for config in CONFIGS:
        expected = field_descriptions(config)
        assert list(tables[config]) == [p for p, _ in feature_paths(features(config))]
        assert {p: m for p, (_, m) in tables[config].items()} == {
            p: m.replace("|", "\\|") for p, m in expected.items()
        }
    # One source of truth: a record field's meaning is the JSON Schema's description.
    schema = record_schema()
    assert tables["articles"]["title"][1] == schema["properties"]["title"]["description"]
    assert tables["events"]["events[].arguments[].entity_type"][1].startswith("For an entity filler")


def test_card_body_is_computed_from_the_data(built: tuple[Path, list[Record]]) -> None:
    out, records = built
    text = card_of(out).text
    for config in CONFIGS:
        assert f"### `{config}`" in text
    assert "### `articles` (default)" in text
    assert "`seccoop score --task ner`" in text
    assert f"| mentions | {sum(len(r.mentions) for r in records)} | NAM 23, NOM 2, PRO 1 |" in text
    assert "| nested names (in `spans` and `entities`, not in `ner`) | 5 |  |" in text
    assert "Rows per config (split `test`): `articles` 2, `ner` 10, `spans` 10, `events` 2," in text
    assert 'A name nested inside another name (for example "US" inside "US Embassy in Cotonou")' in text
    assert "- **Size.** 2 articles" in text
    assert "English only" in text
    assert "Agreement figures are pending" in text
    assert "Baseline scores are pending" in text
    assert "Status of each record: draft 2" in text
    assert "0 of 2 articles name two or more annotators, and 0 of 2 are adjudicated" in text
    assert f"**Version:** {__version__}" in text
    assert f"- {__version__}: this build; 2 articles" in text
    # The example rows come from the data.
    assert '"sentence_id": "s1"' in text
    assert '"tokens": ["Togo", "and", "Ghana", "agree", "on", "border", "patrols"]' in text
    # One row per article in the table of articles, with what the record states.
    for r in records:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{r.id}` |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1:5] == [
            f"`{r.source.path}`",
            r.published or "–",
            r.publisher or "–",
            r.annotation.status,
        ]
        assert cells[5:] == [str(len(x)) for x in (r.sentences, r.mentions, r.events, r.quotes)]


def test_card_states_no_outlet_or_person_the_records_do_not(built: tuple[Path, list[Record]]) -> None:
    out, records = built
    text = card_of(out).text
    publishers = {r.publisher for r in records if r.publisher}
    perspective = next(line for line in text.splitlines() if line.startswith("- **Perspective.**"))
    if publishers:
        assert all(p in perspective for p in publishers)
    else:
        assert "no record names its outlet" in perspective
    # Outlet names of the real corpus must not leak into a card of other records.
    for outlet in ("Anadolu Agency", "AFP", "Reuters"):
        assert (outlet in text) == any(outlet in r.text for r in records)
    people = sum(1 for r in records for e in r.entities if e.type == "PER")
    personal = text.split("\n### Personal and sensitive information\n")[1].split("\n## ")[0]
    assert f"name people: {people} PER entities" in personal
    # The adjudicator recorded is a role, not presented as a person.
    annotations = text.split("\n### Annotations\n")[1].split("\n#### Agreement")[0]
    assert "These are role names, not people" in annotations
    assert "not by human annotators" in annotations


def test_card_is_honest_about_licences_and_invents_no_link(built: tuple[Path, list[Record]]) -> None:
    out, _ = built
    text = card_of(out).text
    licensing = text.split("\n### Licensing\n")[1].split("\n### ")[0]
    assert "CC BY 4.0" in licensing
    assert "belong to their publishers" in licensing
    assert "claims no licence for them and grants none" in licensing
    assert "`license: other`" in licensing
    bibtex = text.split("```bibtex\n")[1].split("```")[0]
    assert bibtex.startswith("@misc{seccoop_news,")
    meta = project_metadata()
    assert f"version = {{{__version__}}}" in bibtex
    # Links only from pyproject.toml's [project.urls]; none set means none in the card.
    if not meta.urls:
        assert not re.search(r"\b(url|doi|howpublished)\s*=", bibtex)
        assert not re.search(r"https?://", text.split("\n## Dataset summary\n")[1].split("## Supported")[0])
        assert not re.search(r"https?://", text.split("\n### Citation\n")[1])
        assert "has not published a homepage, repository or contact address" in text
    assert ("year    = {" in bibtex) == (meta.release_date is not None)


def test_metadata_comes_from_pyproject_and_changelog(tmp_path: Path) -> None:
    from seccoop.hub.card import _citation, _links

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["pydantic>=2", "datasets>=3.1,<6"]\n'
        '[project.urls]\nHomepage = "https://example.org/seccoop"\n',
        encoding="utf-8",
    )
    (tmp_path / "CHANGELOG.md").write_text(
        f"# Changelog\n\n## [Unreleased]\n\n## [{__version__}] - 2031-02-03\n\n## [0.1.0] - 2030-01-01\n",
        encoding="utf-8",
    )
    meta = project_metadata(tmp_path)
    assert (meta.datasets_floor, meta.changelog_version, meta.release_date, meta.year) == (
        "3.1",
        __version__,
        "2031-02-03",
        "2031",
    )
    assert _links(meta) == ["- **Homepage:** https://example.org/seccoop"]
    bibtex = "\n".join(_citation(meta))
    assert "year    = {2031}" in bibtex
    assert "url     = {https://example.org/seccoop}" in bibtex
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert _links(project_metadata(tmp_path)) == []
    assert changelog_release("## [Unreleased]\n\n## [2.0.0] - not yet tagged\n") == ("2.0.0", None)


def test_release_drift_names_each_disagreement(built: tuple[Path, list[Record]], tmp_path: Path) -> None:
    out, _ = built
    (tmp_path / "CHANGELOG.md").write_text(f"## [{__version__}] - not yet tagged\n", encoding="utf-8")
    assert release_drift(out, tmp_path) == []
    (tmp_path / "CHANGELOG.md").write_text("## [Unreleased]\n\n## [0.0.1] - 2020-01-01\n", encoding="utf-8")
    assert release_drift(out, tmp_path) == [
        f"CHANGELOG.md: top versioned section is 0.0.1, seccoop.__version__ is {__version__}"
    ]
    stale = tmp_path / "hf"
    shutil.copytree(out, stale)
    card = stale / "README.md"
    card.write_text(
        card.read_text(encoding="utf-8").replace(f"**Version:** {__version__}", "**Version:** 0.0.1"),
        encoding="utf-8",
    )
    croissant = stale / "croissant.json"
    croissant.write_text(
        croissant.read_text(encoding="utf-8").replace(f'"version": "{__version__}"', '"version": "0.0.1"'),
        encoding="utf-8",
    )
    problems = release_drift(stale, tmp_path)
    assert [p.split(":")[0] for p in problems] == ["CHANGELOG.md", "README.md", "croissant.json"]


def test_build_check_fails_when_the_changelog_names_another_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import seccoop.hub.metadata
    from seccoop.hub.build import check_build

    articles = make_corpus(tmp_path)
    out = tmp_path / "hf"
    with hf_offline(tmp_path / "cache"):
        build_dataset(articles, out)
        assert check_build(articles, out) == []
        checkout = tmp_path / "checkout"
        checkout.mkdir()
        (checkout / "CHANGELOG.md").write_text(
            "## [Unreleased]\n\n## [9.9.9] - 2030-01-01\n", encoding="utf-8"
        )
        monkeypatch.setattr(seccoop.hub.metadata, "_CHECKOUT", checkout)
        drift = check_build(articles, out)
    assert f"CHANGELOG.md: top versioned section is 9.9.9, seccoop.__version__ is {__version__}" in drift


def test_committed_build_and_changelog_name_the_package_version() -> None:
    assert release_drift(ROOT / "dataset" / "hf", ROOT) == []
    version, _ = changelog_release((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert version == __version__


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
    assert "pending" not in text.split("\n#### Agreement\n")[1].split("\n### Personal")[0]


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
