"""No input, however broken, produces a traceback: random bytes, wrong shapes, BOMs, huge files."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from seccoop.check.diagnostics import CATALOG
from seccoop.check.validate import validate_paths

VALID = Path(__file__).parent / "fixtures" / "valid" / "border-patrols.json"
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


def _validate_bytes(raw: bytes, name: str = "x.json") -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(raw)
        report = validate_paths([path])
    codes = {f.code for f in report.findings}
    assert codes <= set(CATALOG)
    assert report.exit_code in (0, 1, 2)
    return codes


@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    codes = _validate_bytes(raw)
    assert codes, "random bytes cannot be a valid record"


@given(JSON_VALUES)
def test_random_json_values(value: object) -> None:
    codes = _validate_bytes(json.dumps(value).encode())
    assert codes


@given(st.sampled_from(["[]", "null", "1", '"record"', "{}", "[{}]", "NaN", '{"a": Infinity}', "[" * 5000]))
def test_wrong_shapes(text: str) -> None:
    assert _validate_bytes(text.encode()) & {"wrong-type", "missing-field", "json-syntax"}


def test_bom_is_reported_not_crashed() -> None:
    assert _validate_bytes(b"\xef\xbb\xbf" + VALID.read_bytes()) == {"encoding-error"}


def test_latin1_is_reported_with_position() -> None:
    raw = VALID.read_bytes().replace("Lomé".encode(), "Lomé".encode("latin-1"), 1)
    assert _validate_bytes(raw) == {"encoding-error"}


def test_fifty_megabyte_files() -> None:
    size = 50 * 1024 * 1024
    big_list = b"[" + b"0," * (size // 2) + b"0]"
    assert _validate_bytes(big_list) == {"wrong-type"}
    record = json.loads(VALID.read_text(encoding="utf-8"))
    record["id"] = "x"
    record["text"] = "a" * size
    # no seeds/ next to the temporary file, and the spans no longer match the text
    assert _validate_bytes(json.dumps(record).encode()) == {"seed-missing", "span-text-mismatch"}


def test_symlink_out_of_the_repository(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("{}", encoding="utf-8")
    corpus = tmp_path / "repo"
    (corpus / "seeds").mkdir(parents=True)
    (corpus / "dataset").mkdir()
    os.symlink(outside, corpus / "dataset" / "x.json")
    report = validate_paths([corpus / "dataset"])
    assert [f.code for f in report.findings] == ["unsafe-path"]


def test_directory_named_like_a_record(tmp_path: Path) -> None:
    (tmp_path / "dir.json").mkdir()
    report = validate_paths([tmp_path / "dir.json"])
    assert [f.code for f in report.findings] == ["io-error"]
    assert report.exit_code == 2
