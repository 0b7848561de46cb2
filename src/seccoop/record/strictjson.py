"""Strict JSON reading shared by the record and the predictions validators.

`loads` rejects what Python's json module would silently accept (repeated keys, NaN and
Infinity); `schema_validator` applies a JSON Schema the way the strict models read data: an
integer is not 1.0, and a pattern's `$` matches only at the very end, as in ECMA-262.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported only where a schema is applied: start-up stays fast
    import jsonschema
    from jsonschema.exceptions import ValidationError

__all__ = ["DuplicateKeyError", "loads", "schema_validator"]


class DuplicateKeyError(ValueError):
    """An object repeats a key (json.loads would keep the last one silently)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKeyError(key)
        seen[key] = value
    return seen


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads(text: str) -> Any:
    """Parse JSON; raise DuplicateKeyError, json.JSONDecodeError, ValueError or RecursionError."""
    return json.loads(text, object_pairs_hook=_pairs_hook, parse_constant=_reject_constant)


def _strict_integer(_checker: Any, instance: Any) -> bool:
    # JSON Schema counts 1.0 as an integer; the models (strict) do not, and neither do we.
    return isinstance(instance, int) and not isinstance(instance, bool)


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    # JSON Schema patterns are ECMA-262: `$` matches only at the very end. Python's `$` also
    # matches before a final newline, so "e1\n" would pass `^[a-z0-9]+$`; the models reject it.
    from jsonschema.exceptions import ValidationError

    if not isinstance(instance, str):
        return
    ends_with_dollar = pattern.endswith("$") and not pattern.endswith("\\$")
    python_pattern = pattern[:-1] + r"\Z" if ends_with_dollar else pattern
    if not re.search(python_pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def schema_validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    """A Draft 2020-12 validator with strict integers, ECMA-262 `$` and format checking."""
    import jsonschema

    base = jsonschema.Draft202012Validator
    cls = jsonschema.validators.extend(
        base,
        validators={"pattern": _ecma_pattern},
        type_checker=base.TYPE_CHECKER.redefine("integer", _strict_integer),
    )
    validator: jsonschema.protocols.Validator = cls(schema, format_checker=jsonschema.FormatChecker())
    return validator
