"""JSON Schemas (Draft 2020-12) generated from the models, and their drift check.

The schemas in ``schemas/`` are the published contract: contributors read them, other tools
validate against them. They are generated from the pydantic models and committed;
``seccoop schemas --check`` fails with the regenerate command when they drift.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from seccoop.models import SCHEMA_VERSION, Record

__all__ = [
    "SCHEMA_FILES",
    "SchemaDrift",
    "check_schemas",
    "record_schema",
    "render_schema",
    "write_schemas",
]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
REGENERATE = "seccoop schemas --write"


def _generate(model: type[BaseModel], name: str, title: str, description: str) -> dict[str, Any]:
    body = model.model_json_schema(mode="validation")
    head = {
        "$schema": _DIALECT,
        "$id": f"urn:seccoop:schema:{name}:{SCHEMA_VERSION}",
        "title": title,
        "description": description,
    }
    body.pop("title", None)
    body.pop("description", None)
    return {**head, **body}


@cache
def record_schema() -> dict[str, Any]:
    """The JSON Schema of an article record."""
    return _generate(
        Record,
        "record",
        "SecCoop News article record",
        "One curated news article with hand-checked entities, values, events and quotes at exact "
        "character offsets (schema_version 1). Offsets are Python string indices (Unicode code "
        "points) into `text`, end-exclusive; every span repeats its surface. Generated from "
        "seccoop.models; do not edit by hand.",
    )


def _predictions_schema() -> dict[str, Any]:
    # imported here: the validator's start-up path needs only the record schema
    from seccoop.predictions import predictions_schema

    return predictions_schema()


def _schema_builders() -> dict[str, Callable[[], dict[str, Any]]]:
    return {"record.schema.json": record_schema, "predictions.schema.json": _predictions_schema}


SCHEMA_FILES = tuple(_schema_builders())


def render_schema(schema: dict[str, Any]) -> str:
    """Committed form of a schema: two-space indent, keys in generation order, final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class SchemaDrift:
    """A schema file that is missing or differs from what the models generate."""

    path: Path
    reason: str


def write_schemas(directory: Path) -> list[Path]:
    """Write every schema into ``directory`` (atomically, file by file); return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in _schema_builders().items():
        target = directory / name
        tmp = target.with_suffix(".tmp")
        tmp.write_text(render_schema(build()), encoding="utf-8")
        tmp.replace(target)
        written.append(target)
    return written


def check_schemas(directory: Path) -> list[SchemaDrift]:
    """Compare the committed schemas with freshly generated ones."""
    drifts = []
    for name, build in _schema_builders().items():
        target = directory / name
        if not target.is_file():
            drifts.append(SchemaDrift(target, "missing"))
        elif target.read_text(encoding="utf-8") != render_schema(build()):
            drifts.append(SchemaDrift(target, "differs from the models"))
    return drifts
