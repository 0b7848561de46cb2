"""The structure layer: the record against the published JSON Schema (JSON pointers), then the
pydantic model; a file that passes becomes a :class:`LoadedRecord`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
from jsonschema.exceptions import ValidationError, best_match
from pydantic import ValidationError as PydanticValidationError

from seccoop.check.diagnostics import (
    Finding,
    Locator,
    finding,
    pointer_of,
)
from seccoop.check.files import safe_target, unsafe_link
from seccoop.check.schema import record_schema
from seccoop.check.syntax import check_version, json_type, parse_json, short
from seccoop.record.models import SCHEMA_VERSION, Record
from seccoop.record.strictjson import schema_validator


@dataclass(frozen=True)
class LoadedRecord:
    """A record that passed the file, syntax and structure layers, with what locates its parts."""

    file: str
    path: Path
    record: Record
    locator: Locator


@cache
def _schema_validator() -> jsonschema.protocols.Validator:
    return schema_validator(record_schema())


def _fitting_branch(errors: list[ValidationError]) -> list[ValidationError]:
    """The errors of the anyOf branch whose fields fit the object (no unknown field), if one does.

    An event argument with a misspelled role fails both branches (entity and value fillers);
    the branch whose fields the object has says what is wrong (the role), not "unknown field".
    """
    branches: dict[object, list[ValidationError]] = {}
    for e in errors:
        branches.setdefault(e.relative_schema_path[0] if e.relative_schema_path else None, []).append(e)
    fitting = [
        errs for errs in branches.values() if not any(e.validator == "additionalProperties" for e in errs)
    ]
    return fitting[0] if len(fitting) == 1 else []


def _deepest(error: ValidationError) -> ValidationError:
    while error.validator in ("anyOf", "oneOf") and error.context:
        # For `X | null`, the interesting failure is X's, not "is not null".
        candidates = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        candidates = _fitting_branch(candidates) or candidates
        chosen = best_match(candidates or error.context)
        if chosen is None:
            break
        error = chosen
    return error


def _structure_finding(error: ValidationError, file: str, locator: Locator) -> Finding:
    error = _deepest(error)
    path: list[str | int] = list(error.absolute_path)
    where = pointer_of(path) or "the record"
    keyword = error.validator
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "type":
        code = "wrong-type"
        expected = error.validator_value
        message = f"{where} is {json_type(instance)} {short(instance)}, expected {expected}"
    elif keyword == "required":
        code = "missing-field"
        missing = [k for k in error.validator_value if isinstance(instance, dict) and k not in instance]
        message = f"{where} lacks the required field(s) {', '.join(map(json.dumps, missing))}"
    elif keyword == "additionalProperties":
        code = "unknown-field"
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(k for k in instance if k not in allowed) if isinstance(instance, dict) else []
        if extra:
            path = [*path, extra[0]]
        message = (
            f"unknown field(s) {', '.join(map(json.dumps, extra))} in {where}; allowed: {', '.join(allowed)}"
        )
    elif keyword in ("enum", "const"):
        if path == ["schema_version"]:
            code = "unsupported-schema-version"
            message = f"schema_version is {short(instance)}, expected {SCHEMA_VERSION}"
        else:
            code = "not-in-vocabulary"
            allowed_values = error.validator_value if keyword == "enum" else [error.validator_value]
            message = (
                f"{where} is {short(instance)}, expected one of: {', '.join(str(v) for v in allowed_values)}"
            )
    else:
        code = "constraint-violation"
        message = f"{where}: {short(instance)} breaks `{keyword}`: {error.message[:200]}"
    line, column = locator.locate(path)
    return finding(code, message, file=file, pointer=pointer_of(path), line=line, column=column)


def load_record_file(path: Path, display: str | None = None) -> tuple[LoadedRecord | None, list[Finding]]:
    """Run the file, syntax and structure layers on one file."""
    file = display or str(path)
    if unsafe_link(path):
        return None, [
            finding(
                "unsafe-path",
                f"{file} is a symlink to {safe_target(path)}, outside the corpus",
                file=file,
            )
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [finding("io-error", f"cannot read {file}: {exc.strerror or exc}", file=file)]
    data, text, findings = parse_json(raw, file)
    if findings or text is None:
        return None, findings
    locator = Locator(text)
    version = check_version(data, file, locator)
    if version is not None:
        return None, [version]
    try:
        errors = list(_schema_validator().iter_errors(data))
    except RecursionError:
        return None, [finding("constraint-violation", "the JSON is nested too deeply", file=file)]
    if errors:
        # jsonschema reports each missing property separately; one finding per message is enough
        unique = {_structure_finding(e, file, locator): None for e in errors}
        return None, list(unique)
    try:
        record = Record.model_validate(data)
    except PydanticValidationError as exc:
        out = []
        for err in exc.errors():
            path_ = [p for p in err["loc"] if isinstance(p, str | int)]
            line, column = locator.locate(path_)
            out.append(
                finding(
                    "constraint-violation",
                    f"{pointer_of(path_) or 'the record'}: {err['msg']}",
                    file=file,
                    pointer=pointer_of(path_),
                    line=line,
                    column=column,
                )
            )
        return None, out
    return LoadedRecord(file, path, record, locator), []
