"""JSON Schemas (Draft 2020-12) generated from the models, and their drift check.

The schemas in ``schemas/`` are the published contract: contributors read them, other tools
validate against them. They are generated from the pydantic models and committed;
``seccoop schemas --check`` fails with the regenerate command when they drift.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from seccoop.record.models import SCHEMA_VERSION, Record

__all__ = [
    "REGENERATE",
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
        "seccoop.record.models; do not edit by hand.",
    )


def render_schema(schema: dict[str, Any]) -> str:
    """Committed form of a schema: two-space indent, keys in generation order, final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class SchemaDrift:
    """A schema file that is missing or differs from what the models generate."""

    path: Path
    reason: str


def write_schemas(directory: Path, builders: Mapping[str, Callable[[], dict[str, Any]]]) -> list[Path]:
    """Write each schema of ``builders`` (file name to builder) into ``directory``, atomically."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in builders.items():
        target = directory / name
        tmp = target.with_suffix(".tmp")
        tmp.write_text(render_schema(build()), encoding="utf-8")
        tmp.replace(target)
        written.append(target)
    return written


def check_schemas(directory: Path, builders: Mapping[str, Callable[[], dict[str, Any]]]) -> list[SchemaDrift]:
    """Compare the committed schemas of ``builders`` with freshly generated ones."""
    drifts = []
    for name, build in builders.items():
        target = directory / name
        if not target.is_file():
            drifts.append(SchemaDrift(target, "missing"))
        elif target.read_text(encoding="utf-8") != render_schema(build()):
            drifts.append(SchemaDrift(target, "differs from the models"))
    return drifts
