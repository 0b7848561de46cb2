"""The structure layer: the record against the pydantic models (the fast path); a record they
reject is explained by the published JSON Schema (JSON pointers). A file that passes becomes a
:class:`LoadedRecord`. The models and the schema accept the same documents (a differential
property test keeps them equal), so jsonschema, the slow part, runs only on rejected records.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from seccoop.check.diagnostics import (
    Finding,
    Locator,
    finding,
    pointer_of,
)
from seccoop.check.files import safe_target, unsafe_link
from seccoop.check.syntax import check_version, json_type, parse_json, short
from seccoop.record.canonical import same_serialization
from seccoop.record.io import read_regular
from seccoop.record.models import SCHEMA_VERSION, Record

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError


@dataclass(frozen=True)
class LoadedRecord:
    """A record that passed the file, syntax and structure layers, with what locates its parts."""

    file: str
    path: Path
    record: Record
    locator: Locator
    # True when the file is byte for byte what the serializer writes for ``record`` in the
    # file's own layer order (known for free on the fast path; False means "not known")
    as_written: bool = False


@cache
def _schema_validator() -> jsonschema.protocols.Validator:
    # imported here: jsonschema and the schema generation cost a clean run nothing
    from seccoop.check.schema import record_schema
    from seccoop.record.strictjson import schema_validator

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
    from jsonschema.exceptions import best_match

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


def _explain(data: Any, error: PydanticValidationError, file: str, locator: Locator) -> list[Finding]:
    """Findings for a document the models reject: the JSON Schema's words where it has them."""
    try:
        errors = list(_schema_validator().iter_errors(data))
    except RecursionError:
        return [finding("constraint-violation", "the JSON is nested too deeply to be a record", file=file)]
    if errors:
        # jsonschema reports each missing property separately; one finding per message is enough
        return list({_structure_finding(e, file, locator): None for e in errors})
    out = []
    for err in error.errors():
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
    return out


def load_record_file(path: Path, display: str | None = None) -> tuple[LoadedRecord | None, list[Finding]]:
    """Run the file, syntax and structure layers on one file."""
    file = display or str(path)
    if unsafe_link(path):
        return None, [
            finding(
                "unsafe-path",
                f"{file} is or passes through a symlink to {safe_target(path)}, outside the corpus",
                file=file,
            )
        ]
    try:
        raw = read_regular(path)
    except OSError as exc:
        return None, [finding("io-error", f"cannot read {file}: {exc.strerror or exc}", file=file)]
    fast = _fast_load(raw)
    if fast is not None:
        return LoadedRecord(file, path, fast[1], Locator(fast[0]), fast[2]), []
    data, text, findings = parse_json(raw, file)
    if findings or text is None:
        return None, findings
    locator = Locator(text)
    version = check_version(data, file, locator)
    if version is not None:
        return None, [version]
    try:
        record = Record.model_validate_json(raw)
    except PydanticValidationError as exc:
        return None, _explain(data, exc, file, locator)
    except RecursionError:
        message = "the JSON is nested too deeply to be a record"
        return None, [finding("constraint-violation", message, file=file)]
    return LoadedRecord(file, path, record, locator), []


# A key is a string followed by a colon; this also matches `":` inside string values, so it
# counts at least every key of the document.
_KEY_END = re.compile(rb'"[ \t\r\n]*:')


def _models_in(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_models_in(arg) for arg in get_args(annotation))


@cache
def _shape(cls: type[BaseModel]) -> tuple[bool, tuple[str, ...]]:
    """Whether every field of ``cls`` is required, and its fields that can hold models."""
    fields = cls.model_fields
    nested = tuple(name for name, info in fields.items() if _models_in(info.annotation))
    return all(info.is_required() for info in fields.values()), nested


def _keys_in(model: BaseModel) -> int:
    """How many distinct keys the document of ``model`` had (the fields that were given)."""
    cls = type(model)
    all_required, nested = _shape(cls)
    given = cls.model_fields if all_required else model.model_fields_set
    count = len(given)
    for name in nested:
        if name not in given:
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            count += _keys_in(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    size = _leaf_size(type(item))
                    count += size if size is not None else _keys_in(item)
    return count


@cache
def _leaf_size(cls: type[BaseModel]) -> int | None:
    """The number of keys of every document of ``cls`` if that is fixed (all required, no models)."""
    all_required, nested = _shape(cls)
    return len(cls.model_fields) if all_required and not nested else None


def _fast_load(raw: bytes) -> tuple[str, Record, bool] | None:
    """The record, when the models accept ``raw`` and it has no repeated key; else None. The
    flag says whether ``raw`` is exactly the serializer's output for the record.

    Duplicate keys (which the models' parser would silently merge) are ruled out at once when
    the file is exactly what the serializer writes for the record (it writes each key once);
    otherwise by counting:
    the document has at least as many keys as the model has given fields, and at most as many
    as ``":`` occurrences; when the two counts agree there is no room for a repeated key.
    Anything else goes the slow way, which finds and explains the problem.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        text = raw.decode("utf-8")
        record = Record.model_validate_json(raw)
    except (UnicodeDecodeError, PydanticValidationError, RecursionError):
        return None
    if same_serialization(record, raw):
        return text, record, True
    if len(_KEY_END.findall(raw)) != _keys_in(record):
        return None
    return text, record, False
