"""The syntax layer: bytes to JSON (UTF-8 without BOM, strict JSON, duplicate keys), with line
and column, and a readable ``schema_version``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from seccoop.check.diagnostics import (
    Finding,
    Locator,
    finding,
)
from seccoop.record.models import SCHEMA_VERSION


def short(value: Any, limit: int = 60) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def parse_json(raw: bytes, file: str) -> tuple[Any, str | None, list[Finding]]:
    """Decode and parse; return (data, text, findings)."""
    # imported here: only a file the fast path rejects is parsed again, strictly
    from seccoop.record.strictjson import DuplicateKeyError, loads

    if raw.startswith(b"\xef\xbb\xbf"):
        return (
            None,
            None,
            [
                finding(
                    "encoding-error",
                    "the file starts with a UTF-8 byte-order mark (EF BB BF); expected plain UTF-8",
                    file=file,
                    line=1,
                    column=1,
                )
            ],
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return (
            None,
            None,
            [
                finding(
                    "encoding-error",
                    f"byte {raw[exc.start : exc.start + 1]!r} at offset {exc.start} is not valid UTF-8",
                    file=file,
                    line=line,
                    column=column,
                )
            ],
        )
    try:
        data = loads(text)
    except DuplicateKeyError as exc:
        occurrences = [m.start() for m in re.finditer(re.escape(json.dumps(exc.key)) + r"\s*:", text)]
        locator = Locator(text)
        line, column = locator.line_col(occurrences[1]) if len(occurrences) > 1 else (0, 0)
        return (
            None,
            text,
            [
                finding(
                    "duplicate-key",
                    f"key {json.dumps(exc.key, ensure_ascii=False)} appears twice in one object",
                    file=file,
                    line=line,
                    column=column,
                )
            ],
        )
    except json.JSONDecodeError as exc:
        return (
            None,
            text,
            [finding("json-syntax", exc.msg, file=file, line=exc.lineno, column=exc.colno)],
        )
    except ValueError as exc:
        return None, text, [finding("json-syntax", str(exc), file=file)]
    except RecursionError:
        return (
            None,
            text,
            [finding("json-syntax", "the JSON is nested too deeply to be a record", file=file)],
        )
    return data, text, []


def check_version(data: Any, file: str, locator: Locator) -> Finding | None:
    if not isinstance(data, dict) or "schema_version" not in data:
        return None
    version = data["schema_version"]
    if isinstance(version, int) and not isinstance(version, bool) and version != SCHEMA_VERSION:
        line, column = locator.locate(["schema_version"])
        return finding(
            "unsupported-schema-version",
            f"schema_version is {version}; this seccoop reads schema_version {SCHEMA_VERSION} "
            "and has no migration from it",
            file=file,
            pointer="/schema_version",
            line=line,
            column=column,
        )
    return None
