"""CONTRIBUTING.md never lies: its commands, run literally on a copy of the repository for a
made-up article, give a green corpus test run and one more article in the built dataset; its
example draft anchors into a valid record."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from seccoop.check.validate import validate_paths
from seccoop.record.anchor import anchor_draft
from seccoop.record.models import Record

ROOT = Path(__file__).resolve().parents[1]
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def _block(name: str) -> str:
    found = re.search(
        rf"<!-- contributing:{name}:begin -->\n```\w+\n(.*?)```\n<!-- contributing:{name}:end -->",
        CONTRIBUTING,
        re.DOTALL,
    )
    assert found, f"CONTRIBUTING.md has no {name} block"
    return found.group(1)


COMMANDS = [line.strip() for line in _block("commands").splitlines() if line.strip()]

# A FICTIONAL article, made up for this test only: the countries, the lake and the admiral do
# not exist. It is written into the temporary copy and never committed to seeds/.
FICTIONAL_SEED = (
    "Zembara and Kalvoria begin joint lake patrols\n"
    "The navies of Zembara and Kalvoria began joint patrols on Lake Orun on Monday, officials said. "
    "Admiral Tara Osei said the patrols would deter smugglers. Kalvoria will send 12 boats.\n"
)


def _annotate(draft: dict[str, object]) -> dict[str, object]:
    """What an annotator does to the draft `seccoop new` wrote: the layers, the status, the notes."""
    entities = [
        ("e1", "GPE", "Zembara"),
        ("e2", "GPE", "Kalvoria"),
        ("e3", "LOC", "Lake Orun"),
        ("e4", "PER", "Tara Osei"),
    ]
    return {
        **draft,
        "title": "Zembara and Kalvoria begin joint lake patrols",
        "zones": [{"kind": "headline", "text": "Zembara and Kalvoria begin joint lake patrols"}],
        "entities": [
            {"id": i, "type": t, "name": n, "wikidata": None, "sector": None} for i, t, n in entities
        ],
        "mentions": [
            {"id": "m1", "entity": "e1", "text": "Zembara", "occurrence": 1, "kind": "NAM"},
            {"id": "m2", "entity": "e2", "text": "Kalvoria", "occurrence": 1, "kind": "NAM"},
            {"id": "m3", "entity": "e1", "text": "Zembara", "occurrence": 2, "kind": "NAM"},
            {"id": "m4", "entity": "e2", "text": "Kalvoria", "occurrence": 2, "kind": "NAM"},
            {"id": "m5", "entity": "e3", "text": "Lake Orun", "kind": "NAM"},
            {"id": "m6", "entity": "e4", "text": "Tara Osei", "kind": "NAM"},
            {"id": "m7", "entity": "e2", "text": "Kalvoria", "occurrence": 3, "kind": "NAM"},
        ],
        "values": [
            {"id": "v1", "type": "DATE", "text": "Monday", "normalized": None},
            {"id": "v2", "type": "QUANTITY", "text": "12", "normalized": "12"},
        ],
        "events": [
            {
                "id": "ev1",
                "type": "COOPERATE",
                "mode": None,
                "context": ["military"],
                "realis": "actual",
                "trigger": {"text": "patrols", "in": "began joint patrols"},
                "arguments": [
                    {"role": "Source", "entity": "e1", "mention": "m3"},
                    {"role": "Target", "entity": "e2", "mention": "m4"},
                    {"role": "Place", "entity": "e3", "mention": "m5"},
                    {"role": "Time", "value": "v1"},
                ],
            }
        ],
        "quotes": [
            {
                "id": "q1",
                "kind": "indirect",
                "content": [{"text": "the patrols would deter smugglers"}],
                "cue": {"text": "said", "in": "Osei said"},
                "speaker": "e4",
                "speaker_mention": "m6",
            }
        ],
        "annotation": {
            "annotators": ["test-annotator"],
            "adjudicator": None,
            "status": "single",
            "notes": [
                "publisher: null - the text names no outlet.",
                "byline: null - the text credits no author.",
                "published: null - the text states no date.",
                "url: null - the text states no address.",
            ],
        },
    }


def _copy_repository(target: Path) -> None:
    ignore = shutil.ignore_patterns(
        ".git", "__pycache__", "*.egg-info", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis",
        "build", "drafts",
    )  # fmt: skip
    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)


def _environment(repo: Path, shims: Path) -> dict[str, str]:
    """Run the copy's own code: `seccoop` and `python3` resolve to this interpreter and repo/src."""
    shims.mkdir()
    (shims / "python3").symlink_to(sys.executable)
    seccoop = shims / "seccoop"
    seccoop.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m seccoop.cli "$@"\n', encoding="utf-8")
    seccoop.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "GIT_"))}
    return env | {
        "PATH": f"{shims}{os.pathsep}{env.get('PATH', '')}",
        "PYTHONPATH": str(repo / "src"),
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }


def _run(command: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, shell=True, cwd=repo, env=env, capture_output=True, text=True)


def test_contributing_commands_add_a_new_article(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _copy_repository(repo)
    env = _environment(repo, tmp_path / "bin")
    for setup in ("git init -q", "git add -A", "git commit -qm base"):
        assert _run(setup, repo, env).returncode == 0, setup
    before = len(list((repo / "dataset" / "articles").glob("*.json")))
    (repo / "seeds" / "my-article.txt").write_text(FICTIONAL_SEED, encoding="utf-8")

    assert any(c.startswith("seccoop new ") for c in COMMANDS)
    for command in COMMANDS:
        result = _run(command, repo, env)
        assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        assert "Traceback" not in result.stderr, command
        if command.startswith("seccoop new "):
            draft_path = repo / "drafts" / "my-article.draft.json"
            draft = json.loads(draft_path.read_text(encoding="utf-8"))
            draft_path.write_text(json.dumps(_annotate(draft), indent=2), encoding="utf-8")
        if command.startswith("seccoop diff"):
            assert "my-article" in result.stdout and "added" in result.stdout
        if command.startswith("seccoop render"):
            page = repo / "build" / "render" / "my-article.html"
            assert page.exists() and "Tara Osei" in page.read_text(encoding="utf-8")

    added = repo / "dataset" / "articles" / "my-article.json"
    record = Record.model_validate_json(added.read_text(encoding="utf-8"))
    assert record.text == FICTIONAL_SEED and len(record.mentions) == 7
    loader = (
        "import sys\nfrom datasets import load_dataset\n"
        "ds = load_dataset(sys.argv[1], 'articles', split='test', cache_dir=sys.argv[2])\n"
        "print(ds.num_rows, 'my-article' in ds['id'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", loader, str(repo / "dataset" / "hf"), str(tmp_path / "fresh-cache")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == [str(before + 1), "True"]


def test_the_example_draft_anchors_into_a_valid_record(tmp_path: Path) -> None:
    draft = json.loads(_block("draft"))
    record = Record.model_validate(anchor_draft(draft, ROOT / "tests" / "fixtures"))
    (tmp_path / "seeds").mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "seeds" / "border-patrols.txt", tmp_path / "seeds")
    from seccoop.record.canonical import canonical_text

    path = tmp_path / "articles" / f"{record.id}.json"
    path.parent.mkdir()
    path.write_text(canonical_text(record), encoding="utf-8")
    report = validate_paths([path])
    assert report.findings == (), [f"[{f.code}] {f.message}" for f in report.findings]
    assert record.annotation.status == "single"
