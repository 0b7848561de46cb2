"""The code meets the project's own tooling: ruff (lint and format) and mypy (the library and the scripts)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["src", "tests", "scripts", "dataset/passes"]


@pytest.mark.parametrize("command", [["ruff", "check", *PATHS], ["ruff", "format", "--check", *PATHS]])
def test_ruff(command: list[str]) -> None:
    assert shutil.which("ruff"), "ruff is a test dependency"
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "src/seccoop", "scripts"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
