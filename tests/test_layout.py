"""The library's layout: stages that import only the stages below them, and no import circles."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[1] / "src"
# What each stage may import (besides itself and the package root, which re-exports lazily).
ALLOWED = {
    "record": set(),
    "check": {"record"},
    "formats": {"record", "check"},
    "bench": {"record", "check"},
    "hub": {"record", "check", "bench"},
    "review": {"record", "check", "formats", "bench", "hub"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The seccoop modules that ``path`` imports at run time (``if TYPE_CHECKING:`` left out)."""
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.module and node.module.split(".")[0] == "seccoop":
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)

        def visit_Import(self, node: ast.Import) -> None:
            found.update(a.name for a in node.names if a.name.split(".")[0] == "seccoop")

    Visitor().visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in modules}


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in SRC.rglob("*.py")}
    modules = set(files)
    return {name: _imports(path, modules) - {name} for name, path in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_import_graph_is_read() -> None:
    graph = _graph()
    assert "seccoop.record.models" in graph["seccoop.check.validate"]
    assert "seccoop.bench.predictions" in graph["seccoop.bench.score"]


def test_no_import_circles() -> None:
    assert _cycles(_graph()) == []


def test_cycle_finder_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_lower_stages_never_import_higher_ones() -> None:
    wrong = []
    for module, deps in _graph().items():
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in ALLOWED:
            continue
        stage = parts[1]
        for dep in deps:
            dep_parts = dep.split(".")
            if len(dep_parts) < 2 or dep_parts[1] == stage:
                continue
            if dep_parts[1] not in ALLOWED[stage]:
                wrong.append(f"{module} imports {dep}")
    assert wrong == []


def test_every_stage_says_what_it_does_and_may_import() -> None:
    for stage in ALLOWED:
        init = SRC / "seccoop" / stage / "__init__.py"
        if not init.exists():
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, stage
        assert "import" in doc.lower(), stage


def test_the_validator_imports_no_higher_stage_and_no_heavy_library() -> None:
    code = (
        "import sys, seccoop.check.validate; "
        "print('\\n'.join(m for m in sys.modules if m.startswith(('seccoop.', 'datasets', 'pyarrow'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(loaded.stdout.split())
    assert "seccoop.check.validate" in modules
    assert not {m for m in modules if m.startswith(("datasets", "pyarrow", "seccoop.bench", "seccoop.hub"))}


# Modules only a rejected record needs: the JSON Schema (its generation and jsonschema), the strict
# re-parse, and difflib. A clean file must not pay for them at start-up.
_ERROR_PATH_ONLY = {"jsonschema", "seccoop.check.schema", "seccoop.record.strictjson", "difflib"}
_FIXTURES = Path(__file__).parent / "fixtures"


def _modules_after(*argv: str) -> tuple[int, set[str]]:
    """The exit code of ``seccoop ARGV`` in a fresh interpreter and the modules it had loaded."""
    code = (
        "import sys\n"
        "from seccoop.cli import main\n"
        "try:\n"
        "    code = main(sys.argv[1:])\n"
        "except SystemExit as exc:  # --version and --help exit from argparse\n"
        "    code = exc.code\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
        "sys.exit(code)\n"
    )
    run = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False)
    return run.returncode, {m for m in run.stdout.splitlines() if m}


def _top(modules: set[str], names: set[str]) -> set[str]:
    return {n for n in names if n in modules or any(m.startswith(n + ".") for m in modules)}


def test_validating_a_clean_record_leaves_the_error_path_unimported() -> None:
    code, modules = _modules_after("validate", str(_FIXTURES / "valid"))
    assert code == 0
    assert "seccoop.check.validate" in modules
    assert _top(modules, _ERROR_PATH_ONLY) == set()


def test_a_rejected_record_imports_what_explains_it() -> None:
    # the other side of the test above: the lazy modules are the ones the error path uses
    code, modules = _modules_after("validate", str(_FIXTURES / "invalid" / "wrong-type.json"))
    assert code == 1
    assert {"jsonschema", "seccoop.check.schema", "seccoop.record.strictjson"} <= modules


def test_version_and_help_import_neither_pydantic_nor_the_validator() -> None:
    for argv in (["--version"], ["--help"], ["validate", "--help"]):
        code, modules = _modules_after(*argv)
        assert code == 0
        assert "seccoop.cli" in modules
        assert _top(modules, {"pydantic", "seccoop.record", "seccoop.check", "importlib.metadata"}) == set()


def _plugins_after(env_value: str | None) -> str:
    """``repr`` of pydantic's plugin cache after ``seccoop validate`` in a fresh interpreter
    (None: discovery never ran), with PYDANTIC_DISABLE_PLUGINS unset or set to ``env_value``."""
    code = (
        "import sys\n"
        "from seccoop.cli import main\n"
        "code = main(['validate', sys.argv[1]])\n"
        "import pydantic.plugin._loader as loader\n"
        "print(repr(loader._plugins))\n"
        "sys.exit(code)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if env_value is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = env_value
    argv = [sys.executable, "-c", code, str(_FIXTURES / "valid")]
    run = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip().splitlines()[-1]


def test_the_command_skips_pydantic_plugin_discovery_unless_asked() -> None:
    assert _plugins_after(None) == "None"  # discovery (a scan of every distribution) never ran
    assert _plugins_after("") != "None"  # an empty value lets plugins in: discovery ran
