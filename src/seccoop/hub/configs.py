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
from seccoop.record.models import Mention
from seccoop.record.ontology import load_ontology
from seccoop.record.tokens import Token

if TYPE_CHECKING:
    from datasets import Features

__all__ = [
    "ANNOTATION_LICENSE",
    "CONFIGS",
    "CONFIG_SUMMARIES",
    "DEFAULT_CONFIG",
    "PRETTY_NAME",
    "SPLIT",
    "BuildError",
    "ConfigTable",
    "Row",
    "check_config",
    "data_file",
    "features",
    "iob2_tags",
    "ner_labels",
    "outermost_names",
]
CONFIGS: tuple[str, ...] = ("articles", "ner", "events", "quotes", "entities")


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


@dataclass(frozen=True)
class ConfigTable:
    """One config as written: its features, rows and Parquet file (for the card and Croissant)."""

    config: str
    features: Features
    rows: tuple[Row, ...]
    num_bytes: int
    path: str
    file_size: int
    sha256: str

    @property
    def num_rows(self) -> int:
        """Number of rows (examples) of the config's single split."""
        return len(self.rows)


def data_file(config: str) -> str:
    """The Parquet file of a config, relative to the output folder."""
    check_config(config)
    return f"data/{config}/{SPLIT}-00000-of-00001.parquet"


def check_config(config: str) -> None:
    if config not in CONFIGS:
        raise ValueError(f"unknown config {config!r}; expected one of: {', '.join(CONFIGS)}")


def ner_labels() -> tuple[str, ...]:
    """IOB2 tag names: O, then B- and I- for every entity type, in ontology order."""
    return ("O", *(f"{prefix}-{t}" for t in load_ontology().entity_types for prefix in ("B", "I")))


def features(config: str) -> Features:
    """The declared ``datasets.Features`` of a config, built from the ontology."""
    check_config(config)
    import datasets

    ont = load_ontology()
    string, int32 = datasets.Value("string"), datasets.Value("int32")
    List, ClassLabel = datasets.List, datasets.ClassLabel

    def span(**extra: Any) -> dict[str, Any]:
        return {"start": int32, "end": int32, "text": string, **extra}

    def ref(**extra: Any) -> dict[str, Any]:
        return {"id": string, **span(), **extra}

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
            "zones": List(span(kind=string)),
            "sentences": List(span(id=string)),
            "entities": List(
                {"id": string, "type": string, "name": string, "wikidata": string, "sector": string}
            ),
            "mentions": List(span(id=string, entity=string, kind=string)),
            "non_mentions": List(span(reason=string)),
            "values": List(span(id=string, type=string, normalized=string)),
            "events": List(
                {
                    "id": string,
                    "type": string,
                    "mode": string,
                    "context": List(string),
                    "realis": string,
                    "trigger": span(),
                    "arguments": List({"role": string, "entity": string, "mention": string, "value": string}),
                    "cluster": string,
                }
            ),
            "quotes": List(
                {
                    "id": string,
                    "kind": string,
                    "content": List(span()),
                    "cue": span(),
                    "speaker": string,
                    "speaker_mention": string,
                }
            ),
            "annotation": {
                "annotators": List(string),
                "adjudicator": string,
                "status": string,
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
            "ner_tags": List(ClassLabel(names=list(ner_labels()))),
        }
    elif config == "events":
        spec = {
            "id": string,
            "text": string,
            "events": List(
                {
                    "id": string,
                    "type": ClassLabel(names=list(ont.event_types)),
                    "mode": string,
                    "context": List(ClassLabel(names=list(ont.contexts))),
                    "realis": ClassLabel(names=list(ont.realis)),
                    "trigger": span(),
                    "arguments": List(
                        {
                            "role": ClassLabel(names=list(ont.roles)),
                            "entity": string,
                            "mention": ref(),
                            "value": ref(type=ClassLabel(names=list(ont.value_types)), normalized=string),
                        }
                    ),
                    "cluster": string,
                }
            ),
        }
    elif config == "quotes":
        spec = {
            "id": string,
            "text": string,
            "quotes": List(
                {
                    "id": string,
                    "kind": ClassLabel(names=list(ont.quote_kinds)),
                    "content": List(span()),
                    "cue": span(),
                    "speaker": string,
                    "speaker_name": string,
                    "speaker_mention": ref(),
                }
            ),
        }
    else:  # entities
        spec = {
            "id": string,
            "text": string,
            "entities": List(
                {
                    "id": string,
                    "type": ClassLabel(names=list(ont.entity_types)),
                    "name": string,
                    "wikidata": string,
                    "sector": ClassLabel(names=list(ont.org_sectors)),
                    "mentions": List(ref(kind=ClassLabel(names=list(ont.mention_kinds)))),
                }
            ),
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
    "mentions, non-mentions, values, events, quotes, annotation), label values as strings exactly "
    "as in the JSON record. Offsets are code-point indices into `text`, end-exclusive.",
    "ner": "One row per sentence: the tokens of `seccoop.record.tokens` with their character offsets into "
    "the article text, and IOB2 `ner_tags` over the outermost name (NAM) mentions. A name nested "
    'inside another name (for example "US" inside "US Embassy in Cotonou") is not tagged '
    "here; it is kept, with every nominal and pronoun mention, in the `entities` config.",
    "events": "One row per article: the text and its PLOVER events with trigger span, type, mode, "
    "contexts, realis, and arguments whose filler is an entity (id and the mention that realises "
    "it) or a value (span, type and normalized form), and the event-coreference `cluster` id (null "
    "for an event reported once).",
    "quotes": "One row per article: the text and its direct, indirect and mixed quotes with their "
    "content spans, cue, and speaker (entity id, canonical name and the mention the cue attaches "
    "to).",
    "entities": "One row per article: the text and its entity clusters (type, canonical name, "
    "Wikidata QID when confirmed, ORG sector) with all their mentions (span and kind: name, "
    "nominal, pronoun).",
}
