"""The README never lies: its Python blocks run, its commands exist, its statistics are current."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from seccoop.check.validate import validate_paths
from seccoop.cli import _parser
from seccoop.hub.stats import README_BEGIN, README_END, render_stats
from seccoop.record.io import splice

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_python_block_runs(index: int, tmp_path: Path) -> None:
    env = {**os.environ, "HF_DATASETS_CACHE": str(tmp_path / "cache"), "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", PYTHON_BLOCKS[index]], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_readme_has_python_examples() -> None:
    assert len(PYTHON_BLOCKS) >= 2


def test_every_seccoop_command_in_the_readme_parses() -> None:
    commands = [
        line.split("#")[0].strip()
        for block in SHELL_BLOCKS
        for line in block.splitlines()
        if line.strip().startswith("seccoop ")
    ]
    assert commands
    parser = _parser()
    for command in commands:
        parser.parse_args(command.split()[1:])


def test_setup_commands_and_ci_agree() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = next(line for block in SHELL_BLOCKS for line in block.splitlines() if "pytest" in line)
    assert test_command.strip() in ci


def test_statistics_block_is_current() -> None:
    records = [loaded.record for loaded in validate_paths([ROOT / "dataset" / "articles"]).records]
    expected = splice(README, README_BEGIN, README_END, render_stats(records))
    assert expected == README, "stale statistics; regenerate with: seccoop stats --readme README.md"
