"""The card never lies either: every Python block of the generated card runs against the built dataset.

Each block is taken from the committed card (``dataset/hf/README.md``) and run in a fresh
interpreter, from the repository root, offline, with a fresh ``datasets`` cache; the blocks of
a card built from the test fixtures run against that build, so the examples hold for any valid
corpus, not only for the committed one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from seccoop.hub.card import EXAMPLES
from seccoop.hub.configs import CONFIGS
from seccoop.record.ontology import load_ontology
from tests.test_build import hf_offline, make_corpus

ROOT = Path(__file__).resolve().parents[1]


def blocks(card: str) -> dict[str, str]:
    """{config or "summary": the Python block of that config's section} of a rendered card."""
    found = {"summary": re.findall(r"```python\n(.*?)```", card.split("\n## Supported")[0], re.DOTALL)[0]}
    for config in CONFIGS:
        section = card.split(f"\n### `{config}`")[1].split("\n### ")[0]
        code = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
        assert len(code) == 1, f"{config}: expected one Python example, found {len(code)}"
        found[config] = code[0]
    return found


def run(code: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HF_DATASETS_CACHE": str(cache),
        "HF_HOME": str(cache.parent / "hf-home"),
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
    }
    env.pop("PYTHONPATH", None)  # the examples need `datasets` only, not seccoop
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


COMMITTED = blocks((ROOT / "dataset" / "hf" / "README.md").read_text(encoding="utf-8"))


def test_every_config_has_an_example_and_the_card_shows_it_verbatim() -> None:
    assert set(EXAMPLES) == set(CONFIGS)
    for config, (_, code) in EXAMPLES.items():
        assert COMMITTED[config] == code


@pytest.mark.parametrize("name", ["summary", *CONFIGS])
def test_committed_card_example_runs(name: str, tmp_path: Path) -> None:
    result = run(COMMITTED[name], ROOT, tmp_path / "cache")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip()


def test_event_example_reaches_every_argument_type_without_a_join(tmp_path: Path) -> None:
    code = COMMITTED["events"]
    assert re.findall(r'load_dataset\("dataset/hf", "(\w+)"', code) == ["events"]
    result = run(code, ROOT, tmp_path / "cache")
    assert result.returncode == 0, result.stderr[-3000:]
    ont = load_ontology()
    types = set(ont.entity_types) | set(ont.value_types)
    argument_lines = [line for line in result.stdout.splitlines() if line.startswith("    ")]
    assert argument_lines
    assert all(line.rsplit(" ", 1)[-1] in types for line in argument_lines)


def test_examples_run_on_a_build_of_other_records(tmp_path: Path) -> None:
    from seccoop.hub.build import build_dataset

    root = tmp_path / "corpus"
    articles = make_corpus(root)
    with hf_offline(tmp_path / "build-cache"):
        build_dataset(articles, root / "dataset" / "hf")
    fixture_blocks = blocks((root / "dataset" / "hf" / "README.md").read_text(encoding="utf-8"))
    code = "\n".join(f"exec({block!r})" for block in fixture_blocks.values())
    result = run(code, root, tmp_path / "cache")
    assert result.returncode == 0, result.stderr[-3000:]
