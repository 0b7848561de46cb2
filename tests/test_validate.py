"""The validator against its fixtures: one invalid fixture per code, the valid folder, all formats."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from seccoop.check.diagnostics import CATALOG
from seccoop.check.validate import validate_paths
from seccoop.cli import main
from seccoop.record.canonical import canonical_text
from seccoop.record.models import Record, dump_record

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"

# A fixture for `findings-truncated` necessarily also yields the findings it truncates.
COMPANIONS = {"findings-truncated": {"missing-field", "unknown-field"}}


def fixture_paths(code: str) -> list[Path]:
    """The files to validate for a code: the file, or every JSON file in the code's folder."""
    single = INVALID / f"{code}.json"
    if single.exists() or single.is_symlink():
        return [single]
    folder = INVALID / code
    return sorted(p for p in folder.rglob("*.json") if "seeds" not in p.parts)


def fixture_codes() -> list[str]:
    return sorted(p.stem if p.suffix == ".json" else p.name for p in INVALID.iterdir() if p.name != "seeds")


# Codes a record can raise; the predictions codes have their fixtures in fixtures/predictions/.
RECORD_CODES = sorted(code for code, spec in CATALOG.items() if spec.subject == "record")


def test_every_record_code_has_a_fixture() -> None:
    assert fixture_codes() == RECORD_CODES


@pytest.mark.parametrize("code", RECORD_CODES)
def test_fixture_yields_exactly_its_code(code: str) -> None:
    report = validate_paths(fixture_paths(code))
    codes = {f.code for f in report.findings}
    assert code in codes
    assert codes - {code} <= COMPANIONS.get(code, set())
    severities = {CATALOG[c].severity for c in codes}
    expected_exit = 2 if code == "io-error" else (1 if "error" in severities else 0)
    assert report.exit_code == expected_exit


@pytest.mark.parametrize("code", RECORD_CODES)
def test_findings_are_located_and_quote_the_value(code: str) -> None:
    report = validate_paths(fixture_paths(code))
    for f in report.findings:
        assert f.file
        assert f.message
        assert f.hint
        if CATALOG[f.code].layer in ("structure", "semantics"):
            assert f.line > 0, f
            document = json.loads(Path(f.file).read_text(encoding="utf-8"))
            assert resolve_pointer(document, f.pointer) is not MISSING, f


MISSING = object()


def resolve_pointer(document: object, pointer: str) -> object:
    node = document
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return MISSING
    return node


def test_valid_folder_is_clean() -> None:
    report = validate_paths([VALID])
    assert report.findings == ()
    assert report.exit_code == 0
    assert report.files == len(list(VALID.glob("*.json")))


def test_span_mismatch_message_quotes_both_surfaces() -> None:
    (finding,) = validate_paths([INVALID / "span-text-mismatch.json"]).findings
    assert finding.pointer == "/mentions/1/text"
    assert '"Ghanna"' in finding.message.replace("'", '"')
    assert '"Ghana"' in finding.message.replace("'", '"')
    assert finding.line == json_line_of(INVALID / "span-text-mismatch.json", '"text": "Ghanna"')


def json_line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_json_syntax_has_line_and_column() -> None:
    (finding,) = validate_paths([INVALID / "json-syntax.json"]).findings
    assert (finding.line, finding.column) == (4, 1)


@pytest.mark.parametrize("fmt", ["human", "json", "github"])
@pytest.mark.parametrize("code", ["span-text-mismatch", "missing-required-role", "json-syntax"])
def test_cli_names_the_code_in_every_format(fmt: str, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    exit_code = main(["validate", "--format", fmt, str(INVALID / f"{code}.json")])
    out = capsys.readouterr().out
    assert exit_code == 1
    if fmt == "json":
        findings = json.loads(out)
        assert [f["code"] for f in findings] == [code]
        assert findings[0]["file"].endswith(f"{code}.json")
    elif fmt == "github":
        first = out.splitlines()[0]
        assert first.startswith(f"::error file={INVALID / f'{code}.json'},line=")
        assert f"title={code}::" in first
    else:
        assert f"[{code}]" in out
        assert out.rstrip().splitlines()[-1].startswith("FAILED: 1 file(s) checked, 1 error(s)")


@pytest.mark.parametrize("fmt", ["human", "json", "github"])
def test_cli_valid_exits_zero(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", fmt, str(VALID)]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        assert json.loads(out) == []


def test_console_script_runs_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "seccoop.cli", "validate", str(INVALID / "json-syntax.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "[json-syntax]" in result.stdout


def test_missing_path_is_io_trouble(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.json")]) == 2
    assert "[io-error]" in capsys.readouterr().out


def test_usage_error_exits_two() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--format", "yaml"])
    assert exc.value.code == 2


def test_validate_start_up_imports_only_the_validator() -> None:
    code = (
        "import sys; from seccoop.cli import main; main(['validate', 'tests/fixtures/valid']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('seccoop', 'datasets', 'spacy')))"
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.strip().splitlines()[-1].strip("[]").replace("'", "").split(", "))
    assert not loaded & {
        "datasets",
        "spacy",
        "seccoop.bench.score",
        "seccoop.formats.export",
        "seccoop.bench.predictions",
    }
    assert "seccoop.check.validate" in loaded


def _valid_with(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> set[str]:
    """The codes the validator reports for the valid fixture after one edit (seeds copied along)."""
    record = json.loads((VALID / "border-patrols.json").read_text(encoding="utf-8"))
    mutate(record)
    (tmp_path / "seeds").mkdir()
    shutil.copy(FIXTURES / "seeds" / "border-patrols.txt", tmp_path / "seeds")
    (tmp_path / "articles").mkdir()
    try:  # written in canonical form when the edit leaves a valid model, so layout is not a finding
        text = canonical_text(Record.model_validate(record))
    except ValueError:
        text = json.dumps(record)
    (tmp_path / "articles" / "border-patrols.json").write_text(text, encoding="utf-8")
    return {f.code for f in validate_paths([tmp_path / "articles"]).findings}


def _normalize_friday(normalized: str) -> Callable[[dict[str, Any]], None]:
    def mutate(record: dict[str, Any]) -> None:
        next(v for v in record["values"] if v["text"] == "Friday")["normalized"] = normalized

    return mutate


@pytest.mark.parametrize(
    "normalized", ["2021/..", "2021-05/..", "../2028", "../2028-01-31", "2023-03-04/2023-03-06"]
)
def test_open_intervals_are_dates(tmp_path: Path, normalized: str) -> None:
    assert _valid_with(tmp_path, _normalize_friday(normalized)) == set()


@pytest.mark.parametrize(
    "normalized", ["..", "../..", "2021/../2022", "2021/", "../2028-02-30", "2021-13/.."]
)
def test_malformed_open_intervals_are_caught(tmp_path: Path, normalized: str) -> None:
    assert _valid_with(tmp_path, _normalize_friday(normalized)) == {"bad-normalization"}


def test_a_cluster_may_join_a_mode_and_no_mode(tmp_path: Path) -> None:
    def visit_and_meeting(record: dict[str, Any]) -> None:
        for event in record["events"][:2]:  # "visited" (mode visit) and "met" (mode null)
            event["cluster"] = "ec1"
        assert [e["mode"] for e in record["events"][:2]] == ["visit", None]

    assert _valid_with(tmp_path, visit_and_meeting) == set()


@pytest.mark.parametrize("cluster", ["ec0", "ec", "EC1", "c1", "ec01"])
def test_cluster_ids_follow_the_pattern(tmp_path: Path, cluster: str) -> None:
    def set_cluster(record: dict[str, Any]) -> None:
        for event in record["events"][:2]:
            event["cluster"] = cluster

    assert _valid_with(tmp_path, set_cluster) == {"constraint-violation"}


def test_dump_writes_a_cluster_only_when_it_is_set() -> None:
    record = Record.model_validate_json((VALID / "border-patrols.json").read_text(encoding="utf-8"))
    assert all(e.cluster is None for e in record.events)
    assert '"cluster"' not in dump_record(record)
    linked = record.model_copy(
        update={
            "events": [e.model_copy(update={"cluster": "ec1"}) for e in record.events[:2]] + record.events[2:]
        }
    )
    dumped = json.loads(dump_record(linked))
    assert [e.get("cluster", "absent") for e in dumped["events"]] == ["ec1", "ec1", "absent", "absent"]
    assert Record.model_validate(dumped) == linked
