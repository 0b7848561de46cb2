"""Croissant 1.0 metadata (``croissant.json``) of the built dataset, from the declared features.

One ``cr:FileObject`` per Parquet shard (with its SHA-256), one ``cr:FileSet`` per config that
includes all its shards (``data/<config>/test-*.parquet``, any number of them), and one
``cr:RecordSet`` per config, read from its file set, whose fields mirror the config's
`datasets.Features`: a nested feature becomes a field with
``subField``s that read the column through a ``jsonPath`` transform, a list sets
``repeated: true`` (the Croissant 1.0 spelling), and a ``ClassLabel`` is an ``sc:Integer`` whose
description lists the label names. The layout follows the Croissant files the Hugging Face
dataset viewer publishes (mlcommons/croissant ``datasets/1.0/huggingface-*``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from seccoop.hub.configs import (
    ANNOTATION_LICENSE,
    CONFIG_SUMMARIES,
    PRETTY_NAME,
    SPLIT,
    ConfigTable,
    field_descriptions,
)
from seccoop.hub.metadata import project_metadata
from seccoop.record.io import write_text_atomic

__all__ = ["CONFORMS_TO", "croissant", "render_croissant", "write_croissant"]

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
_LICENSE_URL = {"cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/"}
# The Croissant 1.0 @context, as in the specification's example datasets.
_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
_DATA_TYPES = {
    "string": "sc:Text",
    "large_string": "sc:Text",
    "bool": "sc:Boolean",
    "int8": "sc:Integer",
    "int16": "sc:Integer",
    "int32": "sc:Integer",
    "int64": "sc:Integer",
    "float32": "sc:Float",
    "float64": "sc:Float",
}


def _file_id(config: str) -> str:
    return f"parquet-{config}"


def _shard_id(config: str, index: int) -> str:
    return f"parquet-{config}-{index:05d}"


def _field(
    config: str, path: list[str], feature: Any, json_path: list[str], meanings: dict[str, str], key: str = ""
) -> dict[str, Any]:
    """The Croissant field of a feature at ``path`` (column first) of a config.

    ``key`` is the field's path in the notation of `field_descriptions` (``events[].type``),
    whose meaning becomes the field's description.
    """
    from datasets import ClassLabel, List, Value

    field_id = "/".join([config, *path])
    key = key or path[-1]
    if isinstance(feature, List):
        inner = _field(config, path, feature.feature, json_path, meanings, key + "[]")
        inner["repeated"] = True
        return inner
    out: dict[str, Any] = {"@type": "cr:Field", "@id": field_id, "name": path[-1]}
    if isinstance(feature, dict):
        out["subField"] = [
            _field(config, [*path, name], sub, [*json_path, name], meanings, f"{key}.{name}")
            for name, sub in feature.items()
        ]
        return out
    meaning = meanings.get(key) or meanings.get(key.removesuffix("[]"))
    if isinstance(feature, ClassLabel):
        out["description"] = (
            "Class label id; names: "
            + ", ".join(f"{i} {name}" for i, name in enumerate(feature.names))
            + (f". {meaning}" if meaning else "")
        )
        out["dataType"] = "sc:Integer"
    elif isinstance(feature, Value) and feature.dtype in _DATA_TYPES:
        if meaning:
            out["description"] = meaning
        out["dataType"] = _DATA_TYPES[feature.dtype]
    else:
        raise ValueError(f"{field_id}: no Croissant data type for feature {feature!r}")
    source: dict[str, Any] = {"fileSet": {"@id": _file_id(config)}, "extract": {"column": path[0]}}
    if json_path:
        steps = [{"jsonPath": step} for step in json_path]
        source["transform"] = steps[0] if len(steps) == 1 else steps
    out["source"] = source
    return out


def croissant(tables: Sequence[ConfigTable], articles: int) -> dict[str, Any]:
    """The Croissant JSON-LD document of a build."""
    meta = project_metadata()
    urls = {k.lower(): v for k, v in meta.urls.items()}
    homepage = urls.get("homepage") or urls.get("repository")
    n = articles
    distribution: list[dict[str, Any]] = []
    for t in tables:
        distribution += [
            {
                "@type": "cr:FileObject",
                "@id": _shard_id(t.config, index),
                "name": _shard_id(t.config, index),
                "description": f"Parquet shard {index + 1} of {len(t.shards)} of the `{t.config}` "
                f"config, split `{SPLIT}`.",
                "contentUrl": shard.path,
                "contentSize": f"{shard.file_size} B",
                "encodingFormat": "application/x-parquet",
                "sha256": shard.sha256,
            }
            for index, shard in enumerate(t.shards)
        ]
        distribution.append(
            {
                "@type": "cr:FileSet",
                "@id": _file_id(t.config),
                "name": _file_id(t.config),
                "description": f"The Parquet shards of the `{t.config}` config, split `{SPLIT}`, "
                "in row order.",
                "encodingFormat": "application/x-parquet",
                "includes": f"{t.path}.parquet",
            }
        )
    record_sets = [
        {
            "@type": "cr:RecordSet",
            "@id": t.config,
            "name": t.config,
            "description": CONFIG_SUMMARIES[t.config],
            "field": [
                _field(t.config, [name], feature, [], field_descriptions(t.config))
                for name, feature in t.features.items()
            ],
        }
        for t in tables
    ]
    return {
        "@context": _CONTEXT,
        "@type": "sc:Dataset",
        "name": "seccoop-news",
        "description": (
            f"{PRETTY_NAME}: a hand-checked corpus of {n} English news article(s) "
            "about security and defence cooperation in Africa, with entities, values, PLOVER "
            "events and quotes at exact character offsets. The annotations are CC BY 4.0; the "
            "article texts belong to their publishers and are included for research, with no "
            "licence claimed or granted for them."
        ),
        "conformsTo": CONFORMS_TO,
        "citeAs": (
            "@misc{seccoop_news, title = {" + PRETTY_NAME + ": a checked corpus of news "
            "about security cooperation in Africa}, author = {{SecCoop News contributors}}, "
            + (f"year = {{{meta.year}}}, " if meta.year else "")
            + f"version = {{{meta.version}}}, "
            + (f"url = {{{homepage}}}, " if homepage else "")
            + "note = {Version "
            + meta.version
            + ("" if meta.release_date else ", not yet released")
            + "}}"
        ),
        "creator": {"@type": "sc:Organization", "name": "SecCoop News contributors"},
        "license": _LICENSE_URL[ANNOTATION_LICENSE],
        "version": meta.version,
        **({"datePublished": meta.release_date} if meta.release_date else {}),
        **({"url": homepage} if homepage else {}),
        "inLanguage": "en",
        "keywords": ["named entity recognition", "event extraction", "quote attribution", "PLOVER"],
        "distribution": distribution,
        "recordSet": record_sets,
    }


def render_croissant(tables: Sequence[ConfigTable], articles: int) -> str:
    """The Croissant document as committed: two-space indent, keys in generation order."""
    return json.dumps(croissant(tables, articles), ensure_ascii=False, indent=2) + "\n"


def write_croissant(out_dir: Path, tables: Sequence[ConfigTable], articles: int) -> Path:
    """Write ``out_dir/croissant.json``; return its path."""
    path = out_dir / "croissant.json"
    write_text_atomic(path, render_croissant(tables, articles))
    return path
