"""Contributor commands: new, anchor, fmt, diff, render, build's drafts rule, the CLI's usability.

Bad input to any of them gives a coded message in the validator's style (never a traceback) and
leaves existing files untouched."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from seccoop.bench.predictions import read_predictions_jsonl
from seccoop.bench.score import score
from seccoop.check.diagnostics import CATALOG
from seccoop.check.validate import validate_paths
from seccoop.cli import _parser, main
from seccoop.record.anchor import AnchorError, anchor_draft
from seccoop.record.canonical import (
    _fast_text,
    canonical_record,
    canonical_text,
    in_canonical_order,
    is_canonical,
    renumber_ids,
)
from seccoop.record.models import Record, dump_record
from seccoop.review.diff import diff_records, render_diff
from tests.strategies import json_paths, records

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid" / "border-patrols.json"
DRAFT = FIXTURES / "drafts" / "border-patrols.draft.json"
SEED = FIXTURES / "seeds" / "border-patrols.txt"
COMMAND_CODES = sorted(code for code, spec in CATALOG.items() if spec.subject == "command")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus root with the fixture seed and the valid fixture record (status draft)."""
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds")
    articles = tmp_path / "dataset" / "articles"
    articles.mkdir(parents=True)
    shutil.copy(VALID, articles)
    return tmp_path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _load(path: Path) -> Record:
    return Record.model_validate_json(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ CLI usability


def test_seccoop_alone_prints_help_with_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([], capsys)
    assert code == 2
    assert "exit codes:" in out and "validate" in out and "render" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from seccoop import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"seccoop {__version__}"


def _subcommands(parser: Any) -> dict[str, Any]:
    return dict(next(a for a in parser._actions if a.dest == "command").choices)


def test_the_parser_built_for_one_command_is_that_command_of_the_whole_parser() -> None:
    # main() builds only the chosen command's parser (start-up); it must be the same parser
    whole = _subcommands(_parser())
    assert whole
    for name, sub in whole.items():
        alone = _subcommands(_parser(name))
        assert list(alone) == [name]

        def shape(p: Any) -> list[tuple[Any, ...]]:
            return [(a.option_strings, a.dest, a.default, a.choices, a.nargs, a.required) for a in p._actions]

        assert shape(alone[name]) == shape(sub), name
        assert alone[name].get_default("func") is sub.get_default("func")


def test_an_unknown_command_is_refused_with_the_list_of_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'no-such-command'" in err
    assert "'validate'" in err and "'build'" in err


def test_every_option_of_every_command_has_help_text() -> None:
    parser = _parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands
    for name, sub in commands.items():
        assert "exit codes:" in (sub.epilog or ""), name
        for action in sub._actions:
            assert action.help, f"seccoop {name} {action.option_strings or action.dest} has no help"


def test_strict_makes_warnings_fail_and_github_format_annotates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warning_only = FIXTURES / "invalid" / "possible-missed-mention.json"
    assert _run(["validate", str(warning_only)], capsys)[0] == 0
    code, out, _ = _run(["validate", "--strict", "--format", "github", str(warning_only)], capsys)
    assert code == 1 and "::warning file=" in out
    code, out, _ = _run(
        ["validate", "--strict", "--format", "github", str(FIXTURES / "invalid" / "span-text-mismatch.json")],
        capsys,
    )
    assert code == 1 and "::error file=" in out and "title=span-text-mismatch" in out


def test_a_misspelled_role_is_not_in_vocabulary_naming_the_allowed_roles(corpus: Path) -> None:
    record = json.loads(VALID.read_text(encoding="utf-8"))
    record["events"][0]["arguments"][0]["role"] = "Sourse"
    path = corpus / "dataset" / "articles" / "border-patrols.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (finding,) = validate_paths([path]).findings
    assert finding.code == "not-in-vocabulary"
    assert finding.pointer == "/events/0/arguments/0/role"
    assert "Sourse" in finding.message and "Source" in finding.message and "Target" in finding.message


def test_export_predictions_is_the_gold_and_scores_perfectly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = ROOT / "dataset" / "articles"
    code, _out, _ = _run(
        ["export", "--format", "predictions", "--articles", str(articles), "--out", str(tmp_path)], capsys
    )
    assert code == 0
    predictions = read_predictions_jsonl(tmp_path / "gold.predictions.jsonl")
    records = validate_paths([articles]).models
    assert sorted(p.id for p in predictions) == sorted(r.id for r in records)
    headline = score(records, predictions, "all").headline()
    assert {v for v in headline.values() if v is not None} == {1.0}


# ------------------------------------------------------------------ new


def test_new_scaffolds_a_valid_draft_record_and_never_overwrites(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = corpus / "seeds" / "border-patrols.txt"
    shutil.copy(seed, corpus / "seeds" / "another-one.txt")
    code, _out, _ = _run(["new", str(corpus / "seeds" / "another-one.txt")], capsys)
    assert code == 0
    path = corpus / "dataset" / "articles" / "another-one.json"
    record = _load(path)
    assert record.text == seed.read_text(encoding="utf-8")
    assert record.source.path == "seeds/another-one.txt" and record.annotation.status == "draft"
    assert record.sentences and record.mentions == [] and record.events == []
    assert [(z.kind, z.text) for z in record.zones] == [
        ("boilerplate", "Subscribe"),
        ("headline", "Togo and Ghana agree on border patrols"),
    ]
    assert not any(s.start < z.end and z.start < s.end for s in record.sentences for z in record.zones[:1])
    assert validate_paths([path]).findings == ()
    before = path.read_bytes()
    code, _, err = _run(["new", str(corpus / "seeds" / "another-one.txt")], capsys)
    assert code == 1 and "[would-overwrite]" in err
    assert path.read_bytes() == before

    code, _, _ = _run(["new", str(corpus / "seeds" / "another-one.txt"), "--draft"], capsys)
    draft = json.loads((corpus / "drafts" / "another-one.draft.json").read_text(encoding="utf-8"))
    assert code == 0 and draft["sentences"] == "auto" and "text" not in draft


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda root: root / "notes.md", "bad-input"),
        (lambda root: root / "seeds" / "absent.txt", "io-error"),
    ],
)
def test_new_reports_bad_seeds(
    corpus: Path, make: Callable[[Path], Path], code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "notes.md").write_text("not a seed\n", encoding="utf-8")
    exit_code, _, err = _run(["new", str(make(corpus))], capsys)
    assert exit_code in (1, 2) and f"[{code}]" in err and "hint:" in err


# ------------------------------------------------------------------ anchor


def _draft() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DRAFT.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("order", ["text-first", "offsets-first"])
def test_anchor_refuses_typed_offsets_whatever_the_key_order(order: str) -> None:
    draft = _draft()
    mention = draft["mentions"][2]
    typed = {"start": 0, "end": 5}
    draft["mentions"][2] = {**mention, **typed} if order == "text-first" else {**typed, **mention}
    with pytest.raises(AnchorError) as exc:
        anchor_draft(draft, FIXTURES)
    (problem,) = exc.value.problems
    assert getattr(problem, "code", None) == "draft-typed-offset"
    assert problem.startswith("/mentions/2:")


def test_anchor_counts_occurrences_on_token_boundaries(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "g.txt").write_text(
        "Ghanaian troops met Ghana officials in Ghana.\n", encoding="utf-8"
    )
    base = {"schema_version": 1, "id": "g", "source": {"path": "seeds/g.txt"}}
    record = anchor_draft({**base, "values": [{"text": "Ghana", "occurrence": 2}]}, tmp_path)
    assert record["values"][0]["start"] == record["text"].rindex("Ghana")
    with pytest.raises(AnchorError) as exc:
        anchor_draft({**base, "values": [{"text": "Ghana", "occurrence": 3}]}, tmp_path)
    assert "occurs 2 times" in exc.value.problems[0]
    with pytest.raises(AnchorError) as exc:
        anchor_draft({**base, "values": [{"text": "Ghan"}]}, tmp_path)
    assert getattr(exc.value.problems[0], "code", None) == "draft-span-not-found"


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda d: d["mentions"][0].update(start=3), "draft-typed-offset"),
        (lambda d: d["mentions"][0].update(text=""), "draft-bad-span"),
        (lambda d: d["mentions"][0].update(text="Timbuktu"), "draft-span-not-found"),
        (lambda d: d["mentions"][0].pop("occurrence"), "draft-span-ambiguous"),
        (lambda d: d.update(source=[]), "draft-invalid"),
    ],
)
def test_anchor_reports_coded_problems_and_keeps_the_output(
    corpus: Path, edit: Callable[[dict[str, Any]], Any], code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = _draft()
    edit(draft)
    draft_path = corpus / "x.draft.json"
    draft_path.write_text(json.dumps(draft), encoding="utf-8")
    out = corpus / "dataset" / "articles" / "border-patrols.json"
    before = out.read_bytes()
    exit_code, _, err = _run(["anchor", str(draft_path), "-o", str(out), "--force"], capsys)
    assert exit_code == 1 and f"[{code}]" in err and "hint:" in err
    assert out.read_bytes() == before


def test_anchor_writes_a_canonical_record_and_refuses_to_overwrite(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = corpus / "dataset" / "articles" / "border-patrols.json"
    before = out.read_bytes()
    code, _, err = _run(["anchor", str(DRAFT), "-o", str(out)], capsys)
    assert code == 1 and "[would-overwrite]" in err and out.read_bytes() == before
    fresh = corpus / "dataset" / "articles" / "fresh.json"
    code, _, _ = _run(["anchor", str(DRAFT), "-o", str(fresh)], capsys)
    assert code == 0
    assert fresh.read_text(encoding="utf-8") == canonical_text(_load(fresh))


def test_anchor_reports_unreadable_drafts(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = corpus / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    assert "[draft-invalid]" in _run(["anchor", str(bad), "-o", str(corpus / "o.json")], capsys)[2]
    assert (
        "[io-error]" in _run(["anchor", str(corpus / "absent.json"), "-o", str(corpus / "o.json")], capsys)[2]
    )
    assert not (corpus / "o.json").exists()


# ------------------------------------------------------------------ fmt


def test_fmt_is_idempotent_keeps_content_and_check_writes_nothing(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus / "dataset" / "articles" / "border-patrols.json"
    original = _load(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["mentions"].reverse()
    messy = json.dumps(data, indent=4, ensure_ascii=True) + "\n"
    path.write_text(messy, encoding="utf-8")
    assert {f.code for f in validate_paths([path]).findings} == {"not-canonical"}

    code, _, err = _run(["fmt", "--check", str(path)], capsys)
    assert code == 1 and "seccoop fmt" in err and path.read_text(encoding="utf-8") == messy
    assert _run(["fmt", str(path)], capsys)[0] == 0
    once = path.read_text(encoding="utf-8")
    assert _run(["fmt", "--check", str(path)], capsys)[0] == 0
    assert _run(["fmt", str(path)], capsys)[0] == 0 and path.read_text(encoding="utf-8") == once
    assert _load(path) == original
    assert validate_paths([path]).findings == ()


def test_renumbered_ids_keep_every_annotation() -> None:
    record = _load(VALID)
    renumbered = renumber_ids(record)
    assert [m.id for m in renumbered.mentions] == [f"m{i}" for i in range(1, len(record.mentions) + 1)]
    assert diff_records(record, renumbered) == []
    assert renumber_ids(renumbered) == renumbered


def test_fmt_leaves_broken_files_untouched(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = corpus / "dataset" / "articles" / "broken.json"
    broken.write_text('{"schema_version": 1, "id": "broken",', encoding="utf-8")
    before = broken.read_bytes()
    code, _, err = _run(["fmt", str(broken)], capsys)
    assert code == 1 and "[json-syntax]" in err and broken.read_bytes() == before


# ------------------------------------------------------------------ diff


def test_diff_reports_each_layer_with_context(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = json.loads(VALID.read_text(encoding="utf-8"))
    new = json.loads(VALID.read_text(encoding="utf-8"))
    new["mentions"] = [m for m in new["mentions"] if m["id"] != "m14"]
    new["values"][3]["normalized"] = "201"
    new["events"][0]["realis"] = "future"
    new["events"][1]["arguments"].pop()
    new["quotes"][0]["kind"] = "indirect" if new["quotes"][0]["kind"] != "indirect" else "direct"
    new["entities"][4]["name"] = "K. Adu"
    for name, data in (("old", old), ("new", new)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "border-patrols.json").write_text(json.dumps(data), encoding="utf-8")
    old_record, new_record = (_load(tmp_path / n / "border-patrols.json") for n in ("old", "new"))
    changes = diff_records(old_record, new_record)
    layers = {(c.layer, c.kind) for c in changes}
    assert {
        ("mentions", "removed"),
        ("values", "changed"),
        ("events", "changed"),
        ("arguments", "removed"),
        ("quotes", "changed"),
        ("clusters", "added"),
        ("clusters", "removed"),
    } <= layers
    removed = next(c for c in changes if c.layer == "mentions" and c.kind == "removed")
    assert removed.surface == "Ghana" and removed.before and removed.after is not None

    code, out, _ = _run(
        ["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "markdown"], capsys
    )
    assert code == 0 and out.startswith("## Annotation changes") and "**Ghana**" in out
    code, out, _ = _run(["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "json"], capsys)
    assert code == 0 and len(json.loads(out)) == len(changes)
    assert render_diff([], "human") == "no annotation changed\n"


def test_diff_between_git_revisions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    articles = repo / "dataset" / "articles"
    articles.mkdir(parents=True)
    env = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shutil.copy(VALID, articles)
    subprocess.run(["git", *env, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", *env, "-C", str(repo), "commit", "-qm", "a"], check=True)
    data = json.loads(VALID.read_text(encoding="utf-8"))
    data["values"][0]["normalized"] = "2024-05-04"
    (articles / "border-patrols.json").write_text(json.dumps(data), encoding="utf-8")
    subprocess.run(["git", *env, "-C", str(repo), "commit", "-qam", "b"], check=True)
    code, out, _ = _run(["diff", "--rev", "HEAD~1..HEAD", "--articles", str(articles)], capsys)
    assert code == 0 and "~ values" in out and "2024-05-04" in out
    code, _, err = _run(["diff", "--rev", "no-such-rev..HEAD", "--articles", str(articles)], capsys)
    assert code == 1 and "[git-error]" in err


def test_diff_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "[bad-input]" in _run(["diff", str(VALID)], capsys)[2]
    assert "[io-error]" in _run(["diff", str(VALID), str(tmp_path / "absent.json")], capsys)[2]
    assert "[bad-input]" in _run(["diff", str(VALID), str(tmp_path)], capsys)[2]
    assert "[git-error]" in _run(["diff", "--rev", "HEAD"], capsys)[2]


# ------------------------------------------------------------------ render, build


def test_render_refuses_invalid_records_and_reports_them(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "invalid" / "span-text-mismatch.json", corpus / "dataset" / "articles")
    code, _, err = _run(
        ["render", "--articles", str(corpus / "dataset" / "articles"), "--out", str(corpus / "r")], capsys
    )
    assert code == 1 and "[span-text-mismatch]" in err and not (corpus / "r").exists()
    (corpus / "dataset" / "articles" / "span-text-mismatch.json").unlink()
    code, _, err = _run(["render", "--articles", str(corpus / "dataset"), "--out", str(corpus / "r")], capsys)
    assert code == 2 and "[io-error]" in err  # a folder with no records


def test_a_refusal_of_many_drafts_names_ten_and_counts_the_rest() -> None:
    from seccoop.hub.derived import _first_of

    names = [f"draft-{i}" for i in range(25)]
    message = _first_of(names)
    assert message.startswith("draft-0, draft-1,") and "draft-9 and 15 more" in message
    assert "draft-10" not in message
    assert _first_of(names[:10]) == ", ".join(names[:10])


def test_build_refuses_drafts_unless_asked(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles, hf = corpus / "dataset" / "articles", corpus / "dataset" / "hf"
    code, _, err = _run(["build", "--articles", str(articles), "--out", str(hf)], capsys)
    assert (
        code == 1 and "[draft-not-published]" in err and "--include-drafts" in err and "border-patrols" in err
    )
    assert not hf.exists()
    code, _out, _ = _run(["build", "--articles", str(articles), "--out", str(hf), "--include-drafts"], capsys)
    assert code == 0 and (hf / "README.md").exists() and (corpus / "dataset" / "baselines.json").exists()
    code, _, err = _run(
        ["build", "--check", "--articles", str(articles), "--out", str(hf), "--include-drafts"], capsys
    )
    assert code == 0, err
    (corpus / "dataset" / "baselines.json").write_text("{}\n", encoding="utf-8")
    code, _, err = _run(
        ["build", "--check", "--articles", str(articles), "--out", str(hf), "--include-drafts"], capsys
    )
    assert code == 1 and "stale: " in err and "baselines.json" in err and "fix: seccoop build" in err


def _draft_with(root: Path, edit: Callable[[dict[str, Any]], Any]) -> str:
    draft = _draft()
    edit(draft)
    path = root / "edited.draft.json"
    path.write_text(json.dumps(draft), encoding="utf-8")
    return str(path)


def _new_twice(root: Path) -> list[str]:
    seed = str(root / "seeds" / "border-patrols.txt")
    assert main(["new", seed, "--id", "twice"]) == 0
    return ["new", seed, "--id", "twice"]


def _unreadable_draft(root: Path) -> str:
    (root / "bad.json").write_text("[", encoding="utf-8")
    return str(root / "bad.json")


_ANCHOR_OUT = ["-o", "dataset/articles/out.json"]
SCENARIOS: dict[str, Callable[[Path], list[str]]] = {
    "draft-invalid": lambda root: ["anchor", _unreadable_draft(root), *_ANCHOR_OUT],
    "draft-bad-span": lambda root: [
        "anchor", _draft_with(root, lambda d: d["mentions"][0].update(text=7)), *_ANCHOR_OUT
    ],
    "draft-span-not-found": lambda root: [
        "anchor", _draft_with(root, lambda d: d["values"][0].update(text="3 June")), *_ANCHOR_OUT
    ],
    "draft-span-ambiguous": lambda root: [
        "anchor", _draft_with(root, lambda d: d["mentions"][1].pop("occurrence")), *_ANCHOR_OUT
    ],
    "draft-typed-offset": lambda root: [
        "anchor", _draft_with(root, lambda d: d["zones"][0].update(end=9)), *_ANCHOR_OUT
    ],
    "would-overwrite": _new_twice,
    "git-error": lambda root: ["diff", "--rev", "HEAD"],
    "draft-not-published": lambda root: ["build"],
    "bad-input": lambda root: ["diff", "dataset/articles/border-patrols.json"],
}  # fmt: skip


def test_every_command_code_has_a_scenario() -> None:
    assert sorted(SCENARIOS) == COMMAND_CODES


@pytest.mark.parametrize("code", COMMAND_CODES)
def test_command_code_scenario(
    code: str, corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus)
    argv = SCENARIOS[code](corpus)
    capsys.readouterr()
    exit_code, _, err = _run(argv, capsys)
    assert exit_code == 1, err
    assert f"error [{code}]" in err and "hint:" in err


# ------------------------------------------------------------------ workflow files


def _commands_in(text: str) -> list[str]:
    return [
        line.split("run:", 1)[-1].strip()
        for line in text.splitlines()
        if "seccoop " in line and not line.lstrip().startswith("#")
    ]


def test_workflow_and_hooks_use_commands_that_exist() -> None:
    workflow = (ROOT / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8")
    yaml.safe_load(workflow)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [h["entry"] for h in hooks] + [h["entry"] for r in config["repos"] for h in r["hooks"]]
    commands = [c for c in _commands_in(workflow) if c.startswith("seccoop ")] + entries
    required = ["validate --strict --format github", "fmt --check", "build --check", "schemas --check"]
    for needed in [*required, "diff --rev", "render --changed-from"]:
        assert any(needed in c for c in commands), needed
    parser = _parser()
    for command in commands:
        words = [w.strip('"') for w in command.split()[1:] if not w.startswith((">", '"$GITHUB'))]
        parser.parse_args([w for w in words if w])
    assert "bash .ci/run" in workflow


def test_the_interpreter_runs_the_cli_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "seccoop.cli", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("seccoop ")


# ------------------------------------------------------------------ robustness

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10**6) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def _mutated(base: Any, data: st.DataObject) -> Any:
    document = json.loads(json.dumps(base))
    path = data.draw(st.sampled_from(json_paths(document)[1:]))
    node = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = data.draw(_JSON)
    return document


@settings(max_examples=40)
@given(st.data())
def test_review_commands_never_trace_back_or_touch_existing_files(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "seeds").mkdir()
        shutil.copy(SEED, root / "seeds")
        articles = root / "dataset" / "articles"
        articles.mkdir(parents=True)
        record_path = articles / "border-patrols.json"
        record_path.write_text(
            json.dumps(_mutated(json.loads(VALID.read_text("utf-8")), data)), encoding="utf-8"
        )
        draft_path = root / "x.draft.json"
        draft_path.write_text(json.dumps(_mutated(_draft(), data)), encoding="utf-8")
        existing = root / "dataset" / "articles" / "existing.json"
        existing.write_text("keep me\n", encoding="utf-8")
        runs = [
            ["anchor", str(draft_path), "-o", str(existing)],
            ["anchor", str(draft_path), "-o", str(root / "out.json")],
            ["fmt", "--check", str(record_path)],
            ["diff", str(VALID), str(record_path)],
            ["render", "--articles", str(articles), "--out", str(root / "site")],
        ]
        for argv in runs:
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
            assert code in (0, 1, 2), argv
            assert "Traceback" not in out.getvalue() + err.getvalue()
            assert code == 0 or "[" in err.getvalue(), (argv, err.getvalue())
        assert existing.read_text(encoding="utf-8") == "keep me\n"


@given(records())
def test_canonical_form_is_idempotent_and_keeps_the_record(record: Record) -> None:
    text = canonical_text(record)
    again = Record.model_validate_json(text)
    assert canonical_text(again) == text
    assert dump_record(canonical_record(record)) == text
    assert diff_records(record, again) == []
    for layer in ("mentions", "values", "zones", "sentences"):
        assert sorted(map(repr, getattr(record, layer))) == sorted(map(repr, getattr(again, layer)))


@given(records(), st.text(), st.lists(st.text(), max_size=3), st.data())
def test_the_compiled_canonical_check_agrees_with_the_canonical_text(
    record: Record, title: str, notes: list[str], data: st.DataObject
) -> None:
    """The validator's fast canonical check (pydantic-core's serializer, an order check) gives
    exactly the answer of comparing the file with canonical_text: any string content (quotes,
    backslashes, control characters, non-ASCII), any layer order."""
    annotation = record.annotation.model_copy(update={"notes": notes})
    record = record.model_copy(update={"title": title, "annotation": annotation})
    assert _fast_text(record) == dump_record(record).encode("utf-8")
    mentions = data.draw(st.permutations(record.mentions))
    events = data.draw(st.permutations(record.events))
    shuffled = record.model_copy(update={"mentions": mentions, "events": events})
    for candidate in (record, shuffled, canonical_record(record)):
        raw = dump_record(candidate).encode("utf-8")
        expected = canonical_text(candidate).encode("utf-8") == raw
        assert is_canonical(candidate, raw) == expected
        assert in_canonical_order(candidate) == (candidate == canonical_record(candidate))
