"""The runtime dependencies in pyproject.toml are exactly the third-party packages src/seccoop imports."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# Packages that only an optional feature imports, each with the extra that installs it.
OPTIONAL = {"spacy": "spacy"}


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert match, requirement
    return match.group(0).lower().replace("-", "_")


def imported_packages() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "seccoop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "seccoop"}


def test_runtime_dependencies_are_what_the_package_imports() -> None:
    runtime = {_name(r) for r in PROJECT["dependencies"]}
    assert runtime == imported_packages() - set(OPTIONAL)


def test_optional_imports_have_their_extra_and_test_tools_stay_in_extras() -> None:
    extras = {name: {_name(r) for r in reqs} for name, reqs in PROJECT["optional-dependencies"].items()}
    for package, extra in OPTIONAL.items():
        assert package in extras[extra]
    runtime = {_name(r) for r in PROJECT["dependencies"]}
    tools = {"hypothesis", "pytest", "ruff", "mypy", "spacy", "seqeval", "nervaluate", "mlcroissant"}
    assert not runtime & tools
    assert {"hypothesis", "pytest"} <= extras["test"]
