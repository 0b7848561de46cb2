"""The configs of the Hugging Face package, described once: names, features, summaries, paths.

The build (rows and Parquet), the card and Croissant all read this module, so a config is
declared in one place. Features are built from the ontology, never inferred from the data;
`datasets` is imported inside functions, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seccoop.check.diagnostics import Finding
from seccoop.record.models import ANNOTATION_STATUSES, Mention
from seccoop.record.ontology import load_ontology
from seccoop.record.tokens import Token

if TYPE_CHECKING:
    from datasets import Features

__all__ = [
    "ANNOTATION_LICENSE",
    "ANNOTATION_STATUSES",
    "CONFIGS",
    "CONFIG_SUMMARIES",
    "DEFAULT_CONFIG",
    "MAX_SHARD_SIZE",
    "PRETTY_NAME",
    "SPLIT",
    "BuildError",
    "ConfigTable",
    "Row",
    "Shard",
    "check_config",
    "data_file",
    "data_pattern",
    "feature_paths",
    "features",
    "field_descriptions",
    "iob2_tags",
    "labels",
    "ner_labels",
    "outermost_names",
]
CONFIGS: tuple[str, ...] = ("articles", "ner", "spans", "events", "quotes", "entities")


DEFAULT_CONFIG = "articles"


SPLIT = "test"


Row = dict[str, Any]


class BuildError(Exception):
    """The build did not run: invalid records (with the validator's findings), a name that cannot
    be tagged, an unreadable agreement or baselines file, or an output folder it must not replace.
    """

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.findings: tuple[Finding, ...] = tuple(findings)


# The largest Arrow size (uncompressed bytes) of one Parquet shard: `datasets`' own default for
# push_to_hub and save_to_disk (``datasets.config.MAX_SHARD_SIZE``, "500MB"). A config whose
# rows are larger is written as several shards ``test-00000-of-000NN.parquet``, ... in row order.
MAX_SHARD_SIZE = 500 * 10**6


@dataclass(frozen=True)
class Shard:
    """One Parquet file of a config: its path relative to the output folder, size and SHA-256."""

    path: str
    file_size: int
    sha256: str


@dataclass(frozen=True)
class ConfigTable:
    """One config as written (for the card and Croissant): features, row count, first row, shards."""

    config: str
    features: Features
    num_rows: int
    """Number of rows (examples) of the config's single split."""
    num_bytes: int
    """Arrow size of the rows (uncompressed), as `datasets` reports ``num_bytes``."""
    shards: tuple[Shard, ...]
    first_row: Row | None = None
    """The first row, labels as names (the card shows it), or None for an empty config."""

    @property
    def path(self) -> str:
        """The pattern that names every shard of the config (the card's ``data_files``)."""
        return data_pattern(self.config)

    @property
    def file_size(self) -> int:
        """Bytes of all the config's Parquet files together (the card's ``download_size``)."""
        return sum(s.file_size for s in self.shards)


def data_file(config: str, shard: int = 0, shards: int = 1) -> str:
    """The Parquet file of shard ``shard`` of ``shards`` of a config, relative to the output folder.

    The names are those `datasets` and the Hub use: ``data/<config>/test-00000-of-00001.parquet``.
    """
    check_config(config)
    if not 0 <= shard < shards:
        raise ValueError(f"shard {shard} is not one of {shards} shard(s)")
    return f"data/{config}/{SPLIT}-{shard:05d}-of-{shards:05d}.parquet"


def data_pattern(config: str) -> str:
    """The glob that matches every shard of a config (as push_to_hub writes in a card)."""
    check_config(config)
    return f"data/{config}/{SPLIT}-*"


def check_config(config: str) -> None:
    if config not in CONFIGS:
        raise ValueError(f"unknown config {config!r}; expected one of: {', '.join(CONFIGS)}")


def ner_labels() -> tuple[str, ...]:
    """IOB2 tag names: O, then B- and I- for every entity type, in ontology order."""
    return ("O", *(f"{prefix}-{t}" for t in load_ontology().entity_types for prefix in ("B", "I")))


def _labels(names: Iterable[str]) -> Any:
    from datasets import ClassLabel

    return ClassLabel(names=list(names))


def labels() -> dict[str, Any]:
    """Every closed vocabulary as a ``ClassLabel``, by name; each config uses these same ones."""
    ont = load_ontology()
    return {
        "entity_type": _labels(ont.entity_types),
        "sector": _labels(ont.org_sectors),
        "mention_kind": _labels(ont.mention_kinds),
        "value_type": _labels(ont.value_types),
        "event_type": _labels(ont.event_types),
        "mode": _labels(ont.modes),
        "context": _labels(ont.contexts),
        "realis": _labels(ont.realis),
        "role": _labels(ont.roles),
        "quote_kind": _labels(ont.quote_kinds),
        "zone_kind": _labels(ont.zone_kinds),
        "status": _labels(ANNOTATION_STATUSES),
    }


def features(config: str) -> Features:
    """The declared ``datasets.Features`` of a config, built from the ontology.

    A field has one representation in every config that has it: a closed vocabulary is the same
    ``ClassLabel`` everywhere (``articles`` included), an id is a string, a span is
    ``start``/``end``/``text``. The task configs add, next to the ids, what the ids point to
    (an argument's filler text, offsets, entity type and name), so they need no join.
    """
    check_config(config)
    import datasets

    string, int32 = datasets.Value("string"), datasets.Value("int32")
    List = datasets.List
    lab = labels()

    def span(**extra: Any) -> dict[str, Any]:
        return {"start": int32, "end": int32, "text": string, **extra}

    def ref(**extra: Any) -> dict[str, Any]:
        return {"id": string, **span(), **extra}

    def event(**arguments: Any) -> dict[str, Any]:
        return {
            "id": string,
            "type": lab["event_type"],
            "mode": lab["mode"],
            "context": List(lab["context"]),
            "realis": lab["realis"],
            "trigger": span(),
            "arguments": List(
                {"role": lab["role"], "entity": string, "mention": string, "value": string, **arguments}
            ),
            "cluster": string,
        }

    def entity(**extra: Any) -> dict[str, Any]:
        return {
            "id": string,
            "type": lab["entity_type"],
            "name": string,
            "wikidata": string,
            "sector": lab["sector"],
            **extra,
        }

    def quote(**speaker: Any) -> dict[str, Any]:
        return {
            "id": string,
            "kind": lab["quote_kind"],
            "content": List(span()),
            "cue": span(),
            "speaker": string,
            "speaker_mention": string,
            **speaker,
        }

    if config == "articles":
        spec: dict[str, Any] = {
            "schema_version": int32,
            "id": string,
            "source": {"path": string, "sha256": string},
            "title": string,
            "publisher": string,
            "byline": string,
            "published": string,
            "url": string,
            "text": string,
            "zones": List(span(kind=lab["zone_kind"])),
            "sentences": List(span(id=string)),
            "entities": List(entity()),
            "mentions": List(span(id=string, entity=string, kind=lab["mention_kind"])),
            "non_mentions": List(span(reason=string)),
            "values": List(span(id=string, type=lab["value_type"], normalized=string)),
            "events": List(event()),
            "quotes": List(quote()),
            "annotation": {
                "annotators": List(string),
                "adjudicator": string,
                "status": lab["status"],
                "notes": List(string),
            },
        }
    elif config == "ner":
        spec = {
            "article_id": string,
            "sentence_id": string,
            "tokens": List(string),
            "token_starts": List(int32),
            "token_ends": List(int32),
            "ner_tags": List(_labels(ner_labels())),
        }
    elif config == "spans":
        spec = {
            "article_id": string,
            "sentence_id": string,
            "start": int32,
            "end": int32,
            "text": string,
            "tokens": List(string),
            "token_starts": List(int32),
            "token_ends": List(int32),
            "spans": List(
                {
                    **ref(),
                    "token_start": int32,
                    "token_end": int32,
                    "kind": lab["mention_kind"],
                    "entity": string,
                    "entity_type": lab["entity_type"],
                    "entity_name": string,
                }
            ),
        }
    elif config == "events":
        spec = {
            "article_id": string,
            "text": string,
            "events": List(
                event(
                    start=int32,
                    end=int32,
                    text=string,
                    entity_type=lab["entity_type"],
                    entity_name=string,
                    mention_kind=lab["mention_kind"],
                    value_type=lab["value_type"],
                    normalized=string,
                )
            ),
        }
    elif config == "quotes":
        spec = {
            "article_id": string,
            "text": string,
            "quotes": List(
                quote(
                    speaker_name=string,
                    speaker_type=lab["entity_type"],
                    speaker_start=int32,
                    speaker_end=int32,
                    speaker_text=string,
                )
            ),
        }
    else:  # entities
        spec = {
            "article_id": string,
            "text": string,
            "entities": List(entity(mentions=List(ref(kind=lab["mention_kind"])))),
        }
    return datasets.Features(spec)


def outermost_names(mentions: Iterable[Mention]) -> list[Mention]:
    """The NAM mentions not nested in another NAM mention, in text order.

    A name inside a longer name ("US" in "US Embassy in Cotonou") is left out. Names do not
    cross; if two ever did, the one that starts first (the longer one on a tie) is kept.
    """
    names = sorted((m for m in mentions if m.kind == "NAM"), key=lambda m: (m.start, -m.end))
    kept: list[Mention] = []
    for mention in names:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def iob2_tags(tokens: Sequence[Token], spans: Sequence[tuple[int, int, str]]) -> list[str] | None:
    """IOB2 tags of ``tokens`` for non-overlapping (start, end, type) spans.

    Returns None when a span does not start and end on token boundaries.
    """
    tags = ["O"] * len(tokens)
    first = {t.start: i for i, t in enumerate(tokens)}
    last = {t.end: i for i, t in enumerate(tokens)}
    for start, end, label in spans:
        i, j = first.get(start), last.get(end)
        if i is None or j is None or j < i:
            return None
        tags[i] = f"B-{label}"
        for k in range(i + 1, j + 1):
            tags[k] = f"I-{label}"
    return tags


PRETTY_NAME = "SecCoop News"


ANNOTATION_LICENSE = "cc-by-4.0"


CONFIG_SUMMARIES = {
    "articles": "One row per article: the whole curated record (text, zones, sentences, entities, "
    "mentions, non-mentions, values, events, quotes, annotation), field by field as in the JSON "
    "record; ids are strings that point into the same row, and every closed vocabulary is the "
    "same `ClassLabel` as in the task configs (the JSON's label strings are its names). Offsets "
    "are code-point indices into `text`, end-exclusive.",
    "ner": "One row per sentence: the tokens of `seccoop.record.tokens` with their character offsets into "
    "the article text, and IOB2 `ner_tags` over the outermost name (NAM) mentions. A name nested "
    'inside another name (for example "US" inside "US Embassy in Cotonou") is not tagged '
    "here; it is in the `spans` config, with every nominal and pronoun mention.",
    "spans": "One row per sentence, for nested NER and mention detection: the sentence's tokens "
    "(as in `ner`) and every mention inside it (names, nested ones included, nominals and "
    "pronouns) as a character span into the article text, with its token range, kind, entity "
    "id, entity type and canonical name.",
    "events": "One row per article: the text and its PLOVER events with trigger span, type, mode, "
    "contexts, realis and role-labelled arguments. Each argument keeps the record's ids "
    "(`entity` and `mention`, or `value`) and carries its filler: the span (offsets and text), "
    "and the entity's type, canonical name and mention kind, or the value's type and normalized "
    "form, so no join with another config is needed; and the event-coreference `cluster` id "
    "(null for an event reported once).",
    "quotes": "One row per article: the text and its direct, indirect and mixed quotes with their "
    "content spans and cue, and the speaker: entity id and mention id as in the record, plus "
    "the speaker's canonical name, entity type and the span of the mention the cue attaches to.",
    "entities": "One row per article, for coreference: the text and its entity clusters (type, "
    "canonical name, Wikidata QID when confirmed, ORG sector) with all their mentions (span and "
    "kind: name, nominal, pronoun).",
}


# What the task configs add to the record's fields; every other field's meaning is the JSON
# Schema description of the record field it copies (see `field_descriptions`).
_DERIVED_DESCRIPTIONS: dict[str, str] = {
    "article_id": "The `id` of the article (the record) the row comes from.",
    "text": "The article text, the seed file decoded as UTF-8; every offset in the row indexes it.",
    "sentence_id": "The id of the sentence in the record.",
    "start": "Start offset of the sentence in the article text.",
    "end": "End offset of the sentence in the article text, exclusive.",
    "tokens": "The tokens of the sentence (`seccoop.record.tokens`).",
    "token_starts": "Start offset of each token in the article text.",
    "token_ends": "End offset of each token in the article text, exclusive.",
    "ner_tags": "IOB2 tag of each token over the outermost names, typed by their entity's type.",
    "spans[].id": "The mention's id in the record.",
    "spans[].start": "Start offset of the mention in the article text.",
    "spans[].end": "End offset of the mention in the article text, exclusive.",
    "spans[].text": "The mention's surface, exactly as in the text.",
    "spans[].token_start": "Index in `tokens` of the mention's first token, or null when the "
    "mention does not start on a token boundary.",
    "spans[].token_end": "Index in `tokens` one past the mention's last token, or null when the "
    "mention does not end on a token boundary.",
    "spans[].entity_type": "The type of the entity the mention refers to.",
    "spans[].entity_name": "The canonical name of the entity the mention refers to.",
    "events[].arguments[].start": "Start offset of the filler (the entity's mention or the value).",
    "events[].arguments[].end": "End offset of the filler, exclusive.",
    "events[].arguments[].text": "The filler's surface, exactly as in the text.",
    "events[].arguments[].entity_type": "For an entity filler, the entity's type; null for a value.",
    "events[].arguments[].entity_name": "For an entity filler, the entity's canonical name; null "
    "for a value.",
    "events[].arguments[].mention_kind": "For an entity filler, the kind of the mention (NAM, NOM, "
    "PRO); null for a value.",
    "events[].arguments[].value_type": "For a value filler, the value's type; null for an entity.",
    "events[].arguments[].normalized": "For a value filler, its normalized form (null when it "
    "cannot be resolved, and for an entity).",
    "quotes[].speaker_name": "The speaker's canonical name, or null when there is no speaker.",
    "quotes[].speaker_type": "The speaker's entity type, or null when there is no speaker.",
    "quotes[].speaker_start": "Start offset of `speaker_mention`, or null.",
    "quotes[].speaker_end": "End offset of `speaker_mention`, exclusive, or null.",
    "quotes[].speaker_text": "The surface of `speaker_mention`, or null.",
}


def _schema_descriptions() -> dict[str, str]:
    """Description of every field of the record, by path (``events[].arguments[].role``),
    read from the published JSON Schema of the record."""
    from seccoop.check.schema import record_schema

    schema = record_schema()
    defs = schema["$defs"]
    out: dict[str, str] = {}

    def resolve(node: dict[str, Any]) -> list[dict[str, Any]]:
        if "$ref" in node:
            return resolve(defs[node["$ref"].rsplit("/", 1)[-1]])
        if "anyOf" in node or "oneOf" in node:
            return [r for branch in node.get("anyOf", node.get("oneOf", [])) for r in resolve(branch)]
        return [node]

    def walk(node: dict[str, Any], path: str) -> None:
        for part in resolve(node):
            if part.get("type") == "array" and "items" in part:
                walk(part["items"], path + "[]")
            for name, sub in part.get("properties", {}).items():
                child = f"{path}.{name}" if path else name
                description = sub.get("description") or next(
                    (r["description"] for r in resolve(sub) if r.get("description")), None
                )
                if description and child not in out:
                    out[child] = description
                walk(sub, child)

    walk(schema, "")
    return out


def feature_paths(feature: Any, path: str = "") -> Iterable[tuple[str, Any]]:
    """Every leaf of a feature (a ``Value`` or ``ClassLabel``) with its path, in order."""
    from datasets import List

    if isinstance(feature, dict):
        for name, sub in feature.items():
            yield from feature_paths(sub, f"{path}.{name}" if path else name)
    elif isinstance(feature, List):
        yield from feature_paths(feature.feature, f"{path}[]")
    else:
        yield path, feature


def field_descriptions(config: str) -> dict[str, str]:
    """The meaning of every leaf field of a config, by path, from one source each: the record's
    JSON Schema for a field copied from the record, `_DERIVED_DESCRIPTIONS` for what a task
    config adds. A field with neither is missing from the result (a test checks none is)."""
    record = _schema_descriptions()
    out: dict[str, str] = {}
    for path, _ in feature_paths(features(config)):
        candidates = [path, path.removesuffix("[]")]
        if config == "entities" and path.startswith("entities[].mentions[]."):
            candidates.append(path.replace("entities[].mentions[]", "mentions[]"))
        if config == "spans" and path.startswith("spans[]."):
            candidates.append(path.replace("spans[]", "mentions[]"))
        found = None
        if config != "articles":
            found = next((_DERIVED_DESCRIPTIONS[c] for c in candidates if c in _DERIVED_DESCRIPTIONS), None)
        if found is None:
            found = next((record[c] for c in candidates if c in record), None)
        if found is not None:
            out[path] = found
    return out
