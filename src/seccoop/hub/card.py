"""The dataset card (``README.md`` of the built dataset), generated from the records and the build.

The YAML front matter is assembled with `huggingface_hub.DatasetCardData` and filled with the
``configs`` and ``dataset_info`` blocks by the same `datasets` helpers that ``push_to_hub``
uses, so the Hub and `datasets.load_dataset` read exactly what the build wrote. The body follows
the Hub's dataset card template (summary, tasks and leaderboards, languages, structure, creation,
personal and sensitive information, considerations, licensing, citation, contributions); field
meanings come from the record's JSON Schema (:func:`seccoop.hub.configs.field_descriptions`),
facts from the records, links and release data from :mod:`seccoop.hub.metadata`. Nothing depends
on the time of the build, so the card is reproducible.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from seccoop.hub.configs import (
    ANNOTATION_LICENSE,
    CONFIG_SUMMARIES,
    DEFAULT_CONFIG,
    PRETTY_NAME,
    SPLIT,
    BuildError,
    ConfigTable,
    feature_paths,
    field_descriptions,
)
from seccoop.hub.metadata import ProjectMetadata, project_metadata
from seccoop.hub.stats import CorpusSummary
from seccoop.record.io import write_text_atomic
from seccoop.record.models import ANNOTATION_STATUSES
from seccoop.record.ontology import load_ontology

__all__ = [
    "ANNOTATION_LICENSE",
    "CONFIG_SUMMARIES",
    "EXAMPLES",
    "LICENSE_NAME",
    "PRETTY_NAME",
    "card_data",
    "render_card",
    "size_category",
    "write_card",
]

TASK_CATEGORIES = ("token-classification",)
# The annotations are CC BY 4.0, the article texts are not licensed by the project: the Hub's
# documented way for a licence outside its list is `license: other` with a name and details.
LICENSE_NAME = "cc-by-4.0-annotations-texts-not-relicensed"
LICENSE_DETAILS = (
    "The annotations (every field except the article texts, and every config built from them) are "
    "licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). The article texts belong "
    "to their publishers; SecCoop News claims and grants no licence for them: they are included "
    "unchanged for research on information extraction, and whoever reuses them must make sure "
    "their use is allowed."
)
TASK_IDS = ("named-entity-recognition", "coreference-resolution")
TAGS = ("event-extraction", "quote-attribution", "plover", "news", "africa", "security-cooperation")
# The Hub's size buckets (huggingface/datasets src/datasets/utils/resources/size_categories.json).
_SIZE_BUCKETS = (
    (10**3, "n<1K"),
    (10**4, "1K<n<10K"),
    (10**5, "10K<n<100K"),
    (10**6, "100K<n<1M"),
    (10**7, "1M<n<10M"),
    (10**8, "10M<n<100M"),
    (10**9, "100M<n<1B"),
    (10**10, "1B<n<10B"),
    (10**11, "10B<n<100B"),
    (10**12, "100B<n<1T"),
)


_TASKS = (
    (
        "Named entity recognition",
        "ner",
        "Names (NAM mentions) typed by their entity. `seccoop score --task ner` reports the "
        "SemEval-2013 strict, exact, partial and type modes (as nervaluate defines them) over all "
        "names, nested ones included, at character offsets, and the CoNLL span F1 over the IOB2 "
        "tags of this config (outermost names only).",
    ),
    (
        "Nested NER and mention detection",
        "spans",
        "Every name (nested ones included), nominal and pronoun as a typed character span. "
        "`seccoop score --task ner` scores all names at character offsets, nested ones "
        "included; mention detection (all kinds, exact spans) is reported by `--task entities`.",
    ),
    (
        "Entity mentions and coreference",
        "entities",
        "Mentions (NAM, NOM, PRO) grouped into typed clusters. `seccoop score --task entities` "
        "reports mention detection on exact spans, MUC, B-cubed and CEAF-e and their mean (the "
        "CoNLL-2012 score) over all mentions including singletons, and Wikidata link accuracy.",
    ),
    (
        "Event extraction",
        "events",
        "PLOVER events with role-labelled arguments. `seccoop score --task events` reports trigger "
        "identification and classification, and argument identification and classification with "
        "and without requiring the event's trigger to be right; an argument is credited when it "
        "names any mention of the gold entity.",
    ),
    (
        "Quote attribution",
        "quotes",
        "Quotes with kind, content spans, cue and speaker. `seccoop score --task quotes` reports "
        "content F1 (exact and overlap, overall and by kind), cue F1 and speaker attribution "
        "accuracy at the entity level.",
    ),
)


def size_category(num_examples: int) -> str:
    """The Hub's size bucket for a number of examples."""
    for bound, name in _SIZE_BUCKETS:
        if num_examples < bound:
            return name
    return "n>1T"


# ---------------------------------------------------------------- YAML front matter


def card_data(tables: Sequence[ConfigTable]) -> Any:
    """The card's metadata as a `huggingface_hub.DatasetCardData` (configs and dataset_info included)."""
    from datasets import DatasetInfo, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    data = DatasetCardData(
        pretty_name=PRETTY_NAME,
        license="other",
        license_name=LICENSE_NAME,
        license_details=LICENSE_DETAILS,
        language=["en"],
        task_categories=list(TASK_CATEGORIES),
        task_ids=list(TASK_IDS),
        size_categories=[size_category(max(t.num_rows for t in tables))],
        annotations_creators=["machine-generated"],
        language_creators=["found"],
        source_datasets=["original"],
        multilinguality=["monolingual"],
        tags=list(TAGS),
    )
    MetadataConfigs(
        {
            t.config: {
                "data_files": [{"split": SPLIT, "path": t.path}],
                **({"default": True} if t.config == DEFAULT_CONFIG else {}),
            }
            for t in tables
        }
    ).to_dataset_card_data(data)
    infos = {}
    for t in tables:
        splits = SplitDict()
        splits.add(SplitInfo(name=SPLIT, num_bytes=t.num_bytes, num_examples=t.num_rows))
        infos[t.config] = DatasetInfo(
            features=t.features, splits=splits, download_size=t.file_size, dataset_size=t.num_bytes
        )
    DatasetInfosDict(infos).to_dataset_card_data(data)
    return data


# ---------------------------------------------------------------- body helpers


def _shorten(value: Any, width: int = 100, scalars: int = 12, objects: int = 2) -> Any:
    """A copy of a row with long strings cut and long lists cut to their first items."""
    if isinstance(value, str):
        return value if len(value) <= width else value[: width - 1] + "…"
    if isinstance(value, list):
        keep = objects if any(isinstance(v, dict | list) for v in value) else scalars
        kept = [_shorten(v, width, scalars, objects) for v in value[:keep]]
        if len(value) > keep:
            kept.append(f"… {len(value) - keep} more")
        return kept
    if isinstance(value, dict):
        return {k: _shorten(v, width, scalars, objects) for k, v in value.items()}
    return value


def _json(value: Any, indent: str = "") -> str:
    """JSON with objects one key a line and lists of scalars on one line, for readable examples."""
    inner = indent + "  "
    flat = json.dumps(value, ensure_ascii=False)
    scalars_only = isinstance(value, dict) and not any(isinstance(v, dict | list) for v in value.values())
    if scalars_only and len(flat) <= 80:
        return flat
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        items = [inner + _json(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _table(header: Sequence[str], body: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in body]
    return lines


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if value is None:
        return "–"
    return str(value).replace("|", "\\|")


def _counts(counter: Counter[str], order: Iterable[str]) -> str:
    parts = [f"{name} {counter[name]}" for name in order if counter[name]]
    return ", ".join(parts) if parts else "none"


def _read_json(path: Path | None) -> Any:
    if path is None or not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"{path}: cannot read it as JSON: {exc}") from exc


def _render_json(data: Any) -> list[str]:
    """A table for agreement figures, baselines, {row: {column: number}} or {key: number}."""
    if isinstance(data, dict) and isinstance(data.get("systems"), list):
        from seccoop.bench.baseline import leaderboard_markdown

        described = [
            f"- `{s.get('name')}`: {s.get('description')}" for s in data["systems"] if isinstance(s, dict)
        ]
        return [*described, "", *leaderboard_markdown(data).splitlines()]
    if isinstance(data, dict) and isinstance(data.get("pooled"), list):
        rows = [r for r in data["pooled"] if isinstance(r, dict)]
        head = [str(data.get("description", "")), ""] if data.get("description") else []
        return head + _table(
            ["layer", "F1", "pass A", "pass B", "matched"],
            ([r.get("layer"), r.get("f1"), *(r.get(k, "–") for k in ("a", "b", "matched"))] for r in rows),
        )
    if isinstance(data, dict) and data and all(isinstance(v, dict) for v in data.values()):
        inner = [v for v in data.values() if isinstance(v, dict)]
        if all(not isinstance(x, dict | list) for v in inner for x in v.values()):
            columns = list(dict.fromkeys(k for v in inner for k in v))
            return _table(["", *columns], ([key, *(data[key].get(c) for c in columns)] for key in data))
    if isinstance(data, dict) and data and all(not isinstance(v, dict | list) for v in data.values()):
        return _table(["", "value"], data.items())
    return ["```json", json.dumps(data, ensure_ascii=False, indent=2), "```"]


def _events_agreement(data: Mapping[str, Any]) -> list[str]:
    """The event-layer agreement figures (``dataset/agreement-events.json``) as a table."""
    rows: list[tuple[str, Any]] = []
    triggers = data.get("triggers") or {}
    rows.append(("trigger spans, F1", triggers.get("f1")))
    for name in ("type", "realis", "mode"):
        x = data.get(name) or {}
        rows.append(
            (
                f"{name} on shared triggers, kappa / alpha",
                f"{_cell(x.get('kappa'))} / {_cell(x.get('alpha'))}",
            )
        )
    context = data.get("context") or {}
    rows.append(("context sets, mean Jaccard", context.get("jaccard")))
    for x in context.get("labels") or []:
        rows.append((f"context `{x.get('attribute')}`, kappa", x.get("kappa")))
    rows.append(("arguments (role and entity), F1", (data.get("arguments") or {}).get("f1")))
    for metric, x in (data.get("clusters") or {}).items():
        rows.append((f"event clusters, {metric} F1", (x or {}).get("f1")))
    return _table(["measure", "value"], rows)


# ---------------------------------------------------------------- body sections


def _statistics(summary: CorpusSummary, tables: Sequence[ConfigTable]) -> list[str]:
    ont = load_ontology()
    s = summary
    n_events = sum(s.events.values())
    body = [
        ["articles", s.articles, ""],
        ["characters of text", s.characters, ""],
        ["sentences", s.sentences, ""],
        ["tokens in sentences", s.tokens, ""],
        ["entities (clusters)", sum(s.entities.values()), _counts(s.entities, ont.entity_types)],
        ["mentions", sum(s.mentions.values()), _counts(s.mentions, ont.mention_kinds)],
        ["names tagged in `ner`", sum(s.names.values()), _counts(s.names, ont.entity_types)],
        ["nested names (in `spans` and `entities`, not in `ner`)", s.nested, ""],
        ["values", sum(s.values.values()), _counts(s.values, ont.value_types)],
        ["events", n_events, _counts(s.events, ont.event_types)],
        ["event realis", n_events, _counts(s.realis, ont.realis)],
        [
            "event arguments",
            sum(s.roles.values()),
            _counts(s.roles, ont.roles) + f"; {s.entity_arguments} filled by entities",
        ],
        [
            "quotes",
            sum(s.quotes.values()),
            _counts(s.quotes, ont.quote_kinds) + f"; {s.with_speaker} with a speaker",
        ],
    ]
    rows_per_config = ", ".join(f"`{t.config}` {t.num_rows}" for t in tables)
    return [
        *_table(["", "count", "by label"], body),
        "",
        f"Rows per config (split `{SPLIT}`): {rows_per_config}. Per-article counts: `seccoop stats`.",
    ]


def _configs_section(tables: Sequence[ConfigTable]) -> list[str]:
    lines: list[str] = []
    for t in tables:
        default = " (default)" if t.config == DEFAULT_CONFIG else ""
        meanings = field_descriptions(t.config)
        lines += [
            f"### `{t.config}`{default}",
            "",
            CONFIG_SUMMARIES[t.config],
            "",
            f"Files: `{t.path}` ({_plural(len(t.shards), 'Parquet shard')}), "
            f"{_plural(t.num_rows, 'row')}. Load it with "
            f'`load_dataset("dataset/hf", "{t.config}", split="{SPLIT}")`.',
            "",
            *_table(
                ["field", "type", "meaning"],
                ([f"`{p}`", _kind(f), meanings.get(p, "")] for p, f in feature_paths(t.features)),
            ),
            "",
        ]
        if t.config in EXAMPLES:
            purpose, code = EXAMPLES[t.config]
            lines += [f"{purpose}", "", "```python", code.rstrip("\n"), "```", ""]
        if t.first_row is not None:
            example = _json(_shorten(t.first_row))
            lines += [
                "<details><summary>The first row, shortened (class labels shown by name; "
                "<code>load_dataset</code> returns their integer ids)</summary>",
                "",
                "```json",
                example,
                "```",
                "",
                "</details>",
                "",
            ]
    return lines


def _kind(feature: Any) -> str:
    from datasets import ClassLabel, Value

    if isinstance(feature, ClassLabel):
        return f"class label ({feature.num_classes}): {', '.join(feature.names)}"
    if isinstance(feature, Value):
        return str(feature.dtype)
    return type(feature).__name__


# ---------------------------------------------------------------- examples, one per config

# Short runnable experiments, one per config; tests/test_card_examples.py extracts them from the
# generated card and runs them against the built dataset, offline, from a fresh cache.
EXAMPLES: dict[str, tuple[str, str]] = {
    "articles": (
        "Whole records: every offset indexes `text`; class label ids turn back into the JSON's strings.",
        """\
from datasets import load_dataset

articles = load_dataset("dataset/hf", "articles", split="test")
kind = articles.features["mentions"].feature["kind"]
record = articles[0]
for mention in record["mentions"][:5]:
    assert record["text"][mention["start"] : mention["end"]] == mention["text"]
    print(mention["id"], kind.int2str(mention["kind"]), mention["text"])
""",
    ),
    "ner": (
        "Token classification: tokens and IOB2 tags, with the label names a model head needs.",
        """\
from datasets import load_dataset

ner = load_dataset("dataset/hf", "ner", split="test")
names = ner.features["ner_tags"].feature.names
id2label = dict(enumerate(names))  # e.g. for AutoModelForTokenClassification
row = next(r for r in ner if any(r["ner_tags"]))
print([(token, id2label[tag]) for token, tag in zip(row["tokens"], row["ner_tags"]) if tag])
assert len(row["tokens"]) == len(row["ner_tags"]) == len(row["token_starts"])
""",
    ),
    "spans": (
        "Nested NER and mention detection: every name, nominal and pronoun as a typed character span.",
        """\
from datasets import load_dataset

spans = load_dataset("dataset/hf", "spans", split="test")
feature = spans.features["spans"].feature
gold = {
    (row["article_id"], s["start"], s["end"], feature["entity_type"].int2str(s["entity_type"]))
    for row in spans
    for s in row["spans"]
    if feature["kind"].int2str(s["kind"]) == "NAM"
}
nested = {g for g in gold if any(o != g and o[0] == g[0] and o[1] <= g[1] and g[2] <= o[2] for o in gold)}
print(len(gold), "names, of which", len(nested), "nested in another name")
""",
    ),
    "events": (
        "Event extraction: triggers with types, and each argument's role, span and filler type, no join.",
        """\
from datasets import load_dataset

events = load_dataset("dataset/hf", "events", split="test")
event = events.features["events"].feature
argument = event["arguments"].feature
for row in events.select(range(1)):
    for ev in row["events"][:3]:
        print(event["type"].int2str(ev["type"]), repr(ev["trigger"]["text"]))
        for arg in ev["arguments"]:
            if arg["entity"] is not None:
                filler = argument["entity_type"].int2str(arg["entity_type"])
            else:
                filler = argument["value_type"].int2str(arg["value_type"])
            print("   ", argument["role"].int2str(arg["role"]), repr(arg["text"]), filler)
            assert row["text"][arg["start"] : arg["end"]] == arg["text"]
""",
    ),
    "quotes": (
        "Quote attribution: content, cue and speaker (name, type and the mention the cue attaches to).",
        """\
from datasets import load_dataset

quotes = load_dataset("dataset/hf", "quotes", split="test")
quote = quotes.features["quotes"].feature
for row in quotes:
    for q in row["quotes"][:2]:
        content = " … ".join(part["text"] for part in q["content"])
        speaker = q["speaker_name"] or "(no speaker)"
        if q["speaker_type"] is not None:
            speaker += " / " + quote["speaker_type"].int2str(q["speaker_type"])
        print(quote["kind"].int2str(q["kind"]), speaker, "<-", content[:60])
""",
    ),
    "entities": (
        "Coreference: clusters of mentions as character spans, the input of MUC, B-cubed and CEAF-e.",
        """\
from datasets import load_dataset

entities = load_dataset("dataset/hf", "entities", split="test")
row = entities[0]
clusters = [[(m["start"], m["end"]) for m in e["mentions"]] for e in row["entities"]]
largest = max(row["entities"], key=lambda e: len(e["mentions"]))
print(largest["name"], [m["text"] for m in largest["mentions"]])
assert sum(map(len, clusters)) == len({span for cluster in clusters for span in cluster})
""",
    ),
}


# ---------------------------------------------------------------- body sections (creation, people)


_STATUSES = tuple(reversed(ANNOTATION_STATUSES))  # most checked first


def _annotation_section(summary: CorpusSummary) -> list[str]:
    status = summary.status
    twice = summary.twice
    adjudicated = summary.adjudicated
    annotators = sorted(summary.annotators)
    adjudicators = sorted(summary.adjudicators)
    n = summary.articles
    return [
        "Annotators work from the annotation guidelines (`dataset/GUIDELINES.md`); when an article "
        "is annotated twice, the two passes are made independently and an adjudicator settles "
        "every disagreement (each case is listed in `dataset/AGREEMENT.md`). The validator "
        "(`seccoop validate`) checks each record (offsets, surfaces, references, ontology rules) "
        "before it is merged.",
        "",
        f"From the records of this build: {twice} of {_plural(n, 'article')} name two or more "
        f"annotators, and {adjudicated} of {n} are adjudicated. Status of each record: "
        + ", ".join(f"{name} {status[name]}" for name in _STATUSES if status[name])
        + " (per article in the table above).",
        "",
        "**Who annotated, honestly:** the records name the annotators "
        + (", ".join(f"`{a}`" for a in annotators) or "(none)")
        + " and the adjudicator "
        + (", ".join(f"`{a}`" for a in adjudicators) or "(none)")
        + ". These are role names, not people. As `dataset/AGREEMENT.md` records, for this release "
        "both annotation passes, the adjudication (the role recorded as the adjudicator) and a "
        "later consistency review were made by separate sessions of an AI language model working "
        "only from the guidelines and the texts, not by human annotators (hence "
        "`annotations_creators: machine-generated`). Two instances of one model share biases, so "
        "the agreement below is an upper bound on what two human annotators would reach; a human "
        "review of the adjudicated records is planned.",
    ]


def _personal_section(summary: CorpusSummary) -> list[str]:
    people, linked, quoted = summary.people, summary.linked_people, summary.quoted_people
    handles, bylines, n = summary.handles, summary.bylines, summary.articles
    return [
        f"The texts are published news and name people: {people} PER "
        f"{'entity' if people == 1 else 'entities'} "
        f"(clusters, counted per article), {linked} of them linked to Wikidata; {quoted} "
        "quotes are attributed to a person. The people named are those the articles report on, "
        "quote or credit.",
        "",
        f"- {handles} of {_plural(n, 'text')} "
        + ("contains" if handles == 1 else "contain")
        + " a social-media handle (`@name`), kept because the texts are stored unchanged.",
        f"- {bylines} of {_plural(n, 'record')} "
        + ("names" if bylines == 1 else "name")
        + " an author in `byline`.",
        "- No other personal data is collected: no annotator data (the annotators are AI-model "
        "sessions) and no data about readers. The annotations describe what the articles say "
        "about people; they are not verified facts about them.",
        "",
        "Names, quotes and Wikidata links of public figures can be misused to build profiles; the "
        "corpus is meant for research on information extraction.",
    ]


_ARTICLE_COUNTS = ("sentences", "mentions", "events", "quotes")


def _articles_table(summary: CorpusSummary) -> list[str]:
    return [
        "One row per article, from the records: the seed file the text comes from, what the text "
        "states about its date and publisher (– where it states nothing: nothing is invented), the "
        "annotation status, and counts.",
        "",
        *_table(
            ["id", "source seed", "published", "publisher", "status", *_ARTICLE_COUNTS],
            summary.article_rows,
        ),
    ]


def _limitations(summary: CorpusSummary) -> list[str]:
    publishers = sorted(summary.publishers)
    named = summary.named_publisher
    n = summary.articles
    if not publishers:
        outlets = "no record names its outlet"
    elif named < n:
        outlets = (
            f"{named} of {_plural(n, 'record')} {'names its' if named == 1 else 'name their'} "
            f"outlet: {', '.join(publishers)}; the other texts name none"
        )
    else:
        outlets = f"the records name the outlets: {', '.join(publishers)}"
    return [
        f"- **Size.** {_plural(n, 'article')}: enough to test an extraction system end "
        "to end and to compare systems on exact, checked spans; far too few to train one or "
        "to support claims about news coverage in general.",
        "- **Perspective.** The texts report the views of their outlets and of the people and "
        f"institutions they quote ({outlets}). The events and quotes annotated are what the "
        "articles say, not verified facts, and the choice of articles reflects what was covered "
        "and collected, not a sample of the news.",
        "- **Language.** English only; security cooperation in Africa is also reported in French, "
        "Portuguese, Arabic, Swahili and other languages, which this corpus does not cover.",
        "- **Annotation scheme.** Entity types follow ACE with a PROGRAM extension, events follow "
        "PLOVER with SecCoop's own argument roles; systems trained on other schemes will disagree "
        "with the gold at the edges.",
        "- **Annotators.** AI-model sessions, not people (see Annotations); the gold may share the "
        "blind spots of the model that made it.",
    ]


_URL_LABELS = (
    ("Homepage", "homepage"),
    ("Repository", "repository"),
    ("Issues", "issues"),
    ("Contact", "contact"),
)


def _links(meta: ProjectMetadata) -> list[str]:
    urls = {k.lower(): v for k, v in meta.urls.items()}
    return [f"- **{label}:** {urls[key]}" for label, key in _URL_LABELS if key in urls]


def _citation(meta: ProjectMetadata) -> list[str]:
    urls = {k.lower(): v for k, v in meta.urls.items()}
    url = urls.get("homepage") or urls.get("repository")
    fields = [
        f"  title   = {{{PRETTY_NAME}: a checked corpus of news about security cooperation in Africa}},",
        "  author  = {{SecCoop News contributors}},",
        *([f"  year    = {{{meta.year}}},"] if meta.year else []),
        f"  version = {{{meta.version}}},",
        *([f"  url     = {{{url}}},"] if url else []),
        f"  note    = {{Version {meta.version}" + ("" if meta.release_date else ", not yet released") + "}",
    ]
    return ["```bibtex", "@misc{seccoop_news,", *fields, "}", "```"]


def _compatibility(meta: ProjectMetadata) -> list[str]:
    floor = meta.datasets_floor
    return [
        "Every config is Parquet with its features (class label names included) in the card's "
        "`dataset_info` and in the Parquet schema metadata, so `datasets.load_dataset` needs no "
        "loading script and works offline on a local copy.",
        "",
        (
            f"Supported `datasets` versions: {floor} and later (the `seccoop` package declares "
            f"`datasets>={floor}`). {COMPATIBILITY_NOTE}"
            if floor
            else COMPATIBILITY_NOTE
        ),
    ]


# The result of `python scripts/compat.py` (a script, since it installs packages from PyPI),
# recorded by hand when the script is rerun: which `datasets` releases load every config.
COMPATIBILITY_NOTE = (
    "`python scripts/compat.py --versions 2.21.0 3.6.0 4.0.0 5.2.0` (each in a fresh virtual "
    "environment, offline, from a fresh cache) found: with 4.0.0 and 5.2.0 every config loads "
    "with the card's features, and so do the Parquet files alone "
    '(`load_dataset("parquet", data_files=...)`). With 2.21.0 and 3.6.0 every config loads '
    "through the card (its `dataset_info` features are used) with the same rows, but the "
    "Parquet files alone do not: their schema metadata uses the `List` feature type of "
    "`datasets` 4 (3.6.0: `Feature type 'List' not found`). 2.14.0 does not import with the "
    "pyarrow that pip installs today. Hence the floor: `datasets>=4.0`."
)


def render_card(
    tables: Sequence[ConfigTable],
    summary: CorpusSummary,
    *,
    agreement: Path | None,
    baselines: Path | None,
) -> str:
    """The whole card: YAML front matter, then the Markdown body."""
    meta = project_metadata()
    yaml = card_data(tables).to_yaml()
    by_config: Mapping[str, ConfigTable] = {t.config: t for t in tables}
    agreement_data = _read_json(agreement)
    # The event-layer agreement of the current passes sits beside the all-layer figures.
    events_file = agreement.with_name("agreement-events.json") if agreement is not None else None
    events_data = _read_json(events_file) if events_file is not None and events_file.is_file() else None
    baseline_data = _read_json(baselines)
    n = summary.articles
    links = _links(meta)
    released = f", released {meta.release_date}" if meta.release_date else " (not yet released)"
    lines = [
        "---",
        yaml,
        "---",
        "",
        f"# {PRETTY_NAME}",
        "",
        f"A small, exact, checked corpus of {_plural(n, 'English news article')} "
        "about security and defence cooperation in Africa, annotated with entities (mentions, "
        "clusters, Wikidata links where confirmed), value expressions (dates, money, quantities), PLOVER "
        "events with arguments, and quotes with cue and speaker, all at exact character offsets.",
        "",
        f"**Version:** {meta.version}{released}. " + SECTIONS_NOTE,
        "",
        "## Dataset summary",
        "",
        "One JSON record per article is the source of truth; this dataset is built from those "
        "records by `seccoop build` after they pass `seccoop validate`. Every config has a single "
        f"split, `{SPLIT}`: the corpus is a benchmark for extraction systems, not training data.",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        "# from a local copy (a clone, or a download of the Hub repository); offline",
        f'articles = load_dataset("dataset/hf", split="{SPLIT}")  # the default config',
        f'ner = load_dataset("dataset/hf", "ner", split="{SPLIT}")',
        'print(ner.features["ner_tags"].feature.names[:3])  # class label ids -> names',
        "```",
        "",
        *(["Links:", "", *links, ""] if links else []),
        "## Supported tasks and leaderboards",
        "",
        "Predictions (JSON Lines, one object per article, spans with offsets or by their text) "
        "are scored against the gold records with `seccoop score --task <task> --predictions "
        "<file>`; matching is one-to-one and every score carries its counts.",
        "",
        *_table(
            ["task", "config", "what is predicted and how it is scored"],
            ([task, f"`{config}`", how] for task, config, how in _TASKS if config in by_config),
        ),
        "",
        "### Baselines",
        "",
        *(
            [
                f"Scores of baseline systems on the `{SPLIT}` split, computed with `seccoop score`:",
                "",
                *_render_json(baseline_data),
            ]
            if baseline_data is not None
            else ["Baseline scores are pending: they will be reported here once computed."]
        ),
        "",
        "## Languages",
        "",
        "English (`en`), as published by the outlets; the texts are not translated or edited.",
        "",
        "## Dataset structure",
        "",
        "Offsets are Python string indices (Unicode code points) into the article text, "
        "end-exclusive, and every span repeats its surface (`text[start:end] == span text`). "
        "Ids are strings and mean the same in every config. Every closed vocabulary is a "
        "`ClassLabel` with the same names in every config, the `articles` config included: "
        "`load_dataset` returns integer ids, `features[...].int2str` (or `.names`) gives back the "
        "label strings of the JSON records. A null value stays null (never a class id).",
        "",
        "### Compatibility",
        "",
        *_compatibility(meta),
        "",
        *_configs_section(tables),
        "### Articles",
        "",
        *_articles_table(summary),
        "",
        "### Statistics",
        "",
        *_statistics(summary, tables),
        "",
        "## Dataset creation",
        "",
        "### Curation rationale",
        "",
        "The corpus is made to measure how well extraction systems recover security and defence "
        "cooperation from news (who agrees to train, equip, visit or fight with whom, and who "
        "says so). It is small and exact rather than large: every span is checked by code, the "
        "guidelines follow established schemes (ACE entity types, PLOVER events), and every "
        "config says what the records say, so that scores are reproducible.",
        "",
        "### Source data",
        "",
        "The article texts are news articles as published online, stored byte for byte as seed "
        'files (with whatever page furniture, such as "Subscribe", the capture kept); a record '
        "keeps the seed's path and SHA-256 and its `text` is the seed decoded as UTF-8, "
        "unchanged. Title, publisher, byline, date and URL are filled only when the text itself "
        "states them; nothing is invented (see the table of articles). Zones that are not article "
        "body (headline, dateline, captions, boilerplate) are marked.",
        "",
        "### Annotations",
        "",
        *_annotation_section(summary),
        "",
        "#### Agreement",
        "",
        *(
            [
                "Inter-annotator agreement between the two independent annotations, before adjudication"
                + (" (the 1.0.0 passes, every layer):" if events_data is not None else ":"),
                "",
                *_render_json(agreement_data),
            ]
            if agreement_data is not None
            else ["Agreement figures are pending: they will be reported here once computed."]
        ),
        *(
            [
                "",
                "The event layer was re-annotated under guidelines revision 3 by two new independent "
                "passes; their agreement before adjudication (kappa: Cohen's; alpha: Krippendorff's, "
                "nominal; – marks an undefined value):",
                "",
                *_events_agreement(events_data),
            ]
            if isinstance(events_data, dict)
            else []
        ),
        "",
        "### Personal and sensitive information",
        "",
        *_personal_section(summary),
        "",
        "## Considerations for using the data",
        "",
        "### Limitations and biases",
        "",
        *_limitations(summary),
        "",
        "## Additional information",
        "",
        "### Licensing",
        "",
        "The annotations (every field of the records except `text`, and every config built from "
        "them) are released under the Creative Commons Attribution 4.0 International licence "
        "(CC BY 4.0).",
        "",
        "The article texts belong to their publishers. SecCoop News claims no licence for them and "
        "grants none: they are included unchanged only so that the annotations' offsets can be "
        "checked and used for research on information extraction. Anyone who reuses the texts is "
        "responsible for making sure their use is allowed where they are. Because of this split, "
        f"the card's metadata says `license: other` with `license_name: {LICENSE_NAME}` and "
        "states the split in `license_details`.",
        "",
        "### Citation",
        "",
        *_citation(meta),
        "",
        "### Contributions",
        "",
        "Articles and corrections are contributed as records that pass `seccoop validate` "
        "(the source repository's README and CONTRIBUTING.md give the steps); authors are credited "
        "as SecCoop News contributors. "
        + (
            "Questions and corrections: see the links above."
            if links
            else "The project has not published a homepage, repository or contact address yet."
        ),
        "",
        "### Version history",
        "",
        f"- {meta.version}: this build; {_plural(n, 'article')}, configs "
        + ", ".join(f"`{t.config}`" for t in tables)
        + ". The changes of every version are in the repository's CHANGELOG.md"
        + ("; this version's, by heading:" if meta.changes else "."),
        *(f"  - {heading}" for heading in meta.changes),
        "",
    ]
    return "\n".join(lines)


def write_card(
    out_dir: Path,
    tables: Sequence[ConfigTable],
    summary: CorpusSummary,
    *,
    agreement: Path | None,
    baselines: Path | None,
) -> Path:
    """Write ``out_dir/README.md``; return its path."""
    path = out_dir / "README.md"
    write_text_atomic(path, render_card(tables, summary, agreement=agreement, baselines=baselines))
    return path


SECTIONS_NOTE = (
    "Counts, tables, field meanings and per-article facts below are generated from the records, "
    "the record schema and the project metadata (`pyproject.toml`, CHANGELOG.md) by `seccoop build`. "
    "Paths such as `dataset/GUIDELINES.md` and `dataset/hf` name files of the source repository "
    "this dataset is built in, not files of the dataset folder itself."
)
