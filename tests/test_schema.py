"""The published JSON Schemas: committed, in sync with the models, valid Draft 2020-12."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from seccoop.bench import schemas as schema_module
from seccoop.check.schema import _generate
from seccoop.cli import main
from seccoop.record.models import Record

SCHEMAS = Path(__file__).parents[1] / "schemas"


def test_committed_schemas_match_the_models() -> None:
    assert schema_module.check_schemas(SCHEMAS) == []


def test_every_schema_is_a_valid_draft_2020_12_schema() -> None:
    for name in schema_module.SCHEMA_FILES:
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].startswith("urn:seccoop:schema:")
        assert schema["title"] and schema["description"]
        jsonschema.Draft202012Validator.check_schema(schema)


def test_valid_fixture_matches_the_published_schema() -> None:
    schema = json.loads((SCHEMAS / "record.schema.json").read_text(encoding="utf-8"))
    record = json.loads(
        (Path(__file__).parent / "fixtures" / "valid" / "border-patrols.json").read_text(encoding="utf-8")
    )
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(record)


def test_drift_is_detected_after_a_model_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    schema_module.write_schemas(tmp_path)
    assert schema_module.check_schemas(tmp_path) == []

    class Changed(Record):
        extra_field: int

    def changed() -> dict[str, Any]:
        return _generate(Changed, "record", "t", "d")

    monkeypatch.setattr(schema_module, "record_schema", changed)
    drifts = schema_module.check_schemas(tmp_path)
    assert [d.path.name for d in drifts] == ["record.schema.json"]
    assert main(["schemas", "--check", "--dir", str(tmp_path)]) == 1
    assert "seccoop schemas --write" in capsys.readouterr().err


def test_write_then_check_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas", "--write", "--dir", str(tmp_path)]) == 0
    assert main(["schemas", "--check", "--dir", str(tmp_path)]) == 0
    (tmp_path / "record.schema.json").unlink()
    assert main(["schemas", "--check", "--dir", str(tmp_path)]) == 1
    assert "missing" in capsys.readouterr().err
