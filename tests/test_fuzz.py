"""A modest fuzzing run: mutated records, predictions, brat and Label Studio files, drafts and
arguments through the CLI give no traceback and no wrong exit code (scripts/fuzz.py runs more)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(SCRIPTS))
    try:
        spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SCRIPTS))
    return module


def test_two_hundred_fuzzed_inputs_give_no_traceback_and_right_exit_codes() -> None:
    fuzz = _load("fuzz")
    summary = fuzz.fuzz(200, seed=0, memory=False)
    assert len(summary.outcomes) == 200
    assert {o.mutator for o in summary.outcomes} == set(fuzz.MUTATORS)
    assert [f"{o.mutator}: {o.problem} {o.argv}" for o in summary.problems] == []


def test_synthetic_corpora_are_deterministic_and_valid(tmp_path: Path) -> None:
    from seccoop.check.validate import validate_paths

    synth = _load("synth")
    articles = 5  # a synthetic corpus of this size, not the real one
    first = synth.write_corpus(tmp_path / "a", articles, seed=3)
    second = synth.write_corpus(tmp_path / "b", articles, seed=3)
    files = sorted(p.name for p in first.iterdir())
    assert files == sorted(p.name for p in second.iterdir())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    report = validate_paths([first])
    assert report.findings == ()
    assert report.files == len(files) == articles


def test_a_partial_benchmark_run_replaces_only_the_sections_it_measured() -> None:
    bench = _load("bench")
    old = [
        "# Benchmarks",
        "- date: old",
        "",
        "## Start-up",
        "",
        "old start",
        "",
        "## NER scoring",
        "old ner",
        "",
    ]
    old += [bench.FUZZ_HEADING, "fuzz", bench.PLANS_HEADING, "- plan"]
    new = bench._dated(
        ["# Benchmarks", "- date: new", "", "## NER scoring", "new ner", ""], "2026-11-30 20:00 UTC"
    )
    merged = bench.splice_sections(old, new)
    text = "\n".join(merged)
    assert "- date: new" in text and "- date: old" not in text
    assert "old start" in text and "new ner" in text and "old ner" not in text
    assert text.index("## Start-up") < text.index("## NER scoring")  # the old order is kept
    assert "Measured 2026-11-30 20:00 UTC." in text and "fuzz" not in text and "- plan" not in text
