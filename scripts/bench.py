"""Speed and memory of seccoop, as ratios to references measured side by side, into BENCHMARKS.md.

Every figure runs in a fresh child process (CPU seconds and peak RSS of that process alone),
next to its reference on the same files in the same run; the median of ``--reps`` runs is kept.
Corpora are synthetic (scripts/synth.py): the real corpus's sizes and densities, valid by
construction. Measured:

* start-up: ``seccoop validate`` of one record vs ``python -c pass``;
* validation throughput (one core) at each size vs ``json.loads`` and ``Record.model_validate_json``
  on the same files, the peak memory at each size, and the speed with all cores (``--jobs``);
* ``seccoop build`` and ``datasets.load_dataset`` of the built folder at each size;
* NER scoring of ~100,000 sentences vs seqeval and nervaluate on the same names (equal scores);
* one record whose text is 1, 5 and 20 MB.

Usage: python scripts/bench.py [--quick] [--out BENCHMARKS.md]
(--quick: 200 and 1,000 articles, one run each, smaller big records; for a smoke test.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth
from seccoop.record.io import MAX_INPUT_BYTES
from seccoop.record.models import Record

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

_PRELUDE = """
import json, resource, sys, time
from pathlib import Path
t0, w0 = time.process_time(), time.perf_counter()
def peak():
    # VmHWM is this process's own high-water mark; ru_maxrss on Linux keeps the parent's across
    # exec, so a child started by a big parent would report the parent's size
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
def done(**extra):
    out = {"cpu": time.process_time() - t0, "wall": time.perf_counter() - w0, "rss": peak()}
    out.update(extra)
    print(json.dumps(out))
"""

CHILD: dict[str, str] = {
    "validate": """
from seccoop.check.validate import validate_paths
t0 = time.process_time(); w0 = time.perf_counter()
r = validate_paths([Path(sys.argv[1])], keep_records=False, jobs=int(sys.argv[2]))
done(files=r.files, findings=len(r.findings))
""",
    "validate-all-cores": """
from seccoop.check.validate import validate_paths
t0 = time.process_time(); w0 = time.perf_counter()
r = validate_paths([Path(sys.argv[1])], keep_records=False, jobs=int(sys.argv[2]))
ch = resource.getrusage(resource.RUSAGE_CHILDREN)
done(files=r.files, findings=len(r.findings), children_cpu=ch.ru_utime + ch.ru_stime)
""",
    "validate-stages": """
# Where one record's validation time goes: the same calls validate_paths makes per file, timed
# one by one (CPU), on every file of the corpus in one process.
from seccoop.check.contribution import check_canonical, check_metadata_notes
from seccoop.check.corpus import corpus_entry
from seccoop.check.files import clear_caches, unsafe_link
from seccoop.check.semantic import check_record
from seccoop.check.structure import load_record_file
from seccoop.record.canonical import same_serialization
from seccoop.record.io import read_regular
from seccoop.record.models import Record
files = sorted(Path(sys.argv[1]).glob("*.json"))
clear_caches()
Record.model_validate_json(files[0].read_bytes())  # the validator is built once, not timed
stages = dict.fromkeys(("links", "read", "parse", "serializer", "load_total", "semantic", "other"), 0.0)
t0 = time.process_time(); w0 = time.perf_counter()
clock = time.process_time
for f in files:
    a = clock(); unsafe_link(f); b = clock(); raw = read_regular(f); c = clock()
    model = Record.model_validate_json(raw); d = clock(); same_serialization(model, raw); e = clock()
    loaded, _ = load_record_file(f); g = clock()
    findings = check_record(loaded); h = clock()
    findings += check_metadata_notes(loaded); findings += check_canonical(loaded); corpus_entry(loaded)
    i = clock()
    for key, value in zip(stages, (b - a, c - b, d - c, e - d, g - e, h - g, i - h)):
        stages[key] += value
done(files=len(files), **stages)
""",
    "json.loads": """
files = sorted(Path(sys.argv[1]).glob("*.json"))
t0 = time.process_time(); w0 = time.perf_counter()
for f in files:
    json.loads(f.read_bytes())
done(files=len(files))
""",
    "model_validate_json": """
from seccoop.record.models import Record
files = sorted(Path(sys.argv[1]).glob("*.json"))
t0 = time.process_time(); w0 = time.perf_counter()
for f in files:
    Record.model_validate_json(f.read_bytes())
done(files=len(files))
""",
    "build": """
from seccoop.hub.build import build_dataset
t0 = time.process_time(); w0 = time.perf_counter()
r = build_dataset(Path(sys.argv[1]), Path(sys.argv[2]), jobs=1)
done(records=r.records)
""",
    "whole-build": """
# `seccoop build` as a user runs it, in a copy of the repository (cwd); the baselines step is
# timed apart by wrapping the function that runs it
import seccoop.hub.derived as derived
from seccoop.cli import main
baselines = [0.0]
inner = derived._baselines_text
def timed(*args, **kwargs):
    start = time.process_time()
    try:
        return inner(*args, **kwargs)
    finally:
        baselines[0] += time.process_time() - start
derived._baselines_text = timed
t0 = time.process_time(); w0 = time.perf_counter()
code = main(["build", "--jobs", sys.argv[1], "--include-drafts"])
if code:
    raise SystemExit(f"seccoop build exited {code}")
done(baselines=baselines[0])
""",
    "load_dataset": """
import datasets
datasets.disable_progress_bars()
t0 = time.process_time(); w0 = time.perf_counter()
rows = 0
for config in ("articles", "ner"):
    rows += len(datasets.load_dataset(sys.argv[1], config, split="test", cache_dir=sys.argv[2]))
done(rows=rows)
""",
}


def child(name: str, *args: str, cwd: Path | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter (in ``cwd``); its last stdout line is the JSON result."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    run = subprocess.run(
        [sys.executable, "-c", _PRELUDE + CHILD[name], *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"{name} failed: {run.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def median_of(reps: int, measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    runs = [measure() for _ in range(reps)]
    keys = [k for k, v in runs[0].items() if isinstance(v, int | float)]
    return {k: statistics.median(r[k] for r in runs) for k in keys}


@dataclass
class Report:
    lines: list[str]

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)
        for line in lines:
            print(line, flush=True)


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


# The part of start-up that is pydantic's own: importing it and building and using one one-field
# model, with plugin discovery off as the seccoop command has it (PYDANTIC_DISABLE_PLUGINS).
_PYDANTIC_ALONE = (
    "import os\n"
    "os.environ.setdefault('PYDANTIC_DISABLE_PLUGINS', '__all__')\n"
    "from pydantic import BaseModel, ConfigDict\n"
    "class M(BaseModel):\n"
    "    model_config = ConfigDict(strict=True)\n"
    "    a: int\n"
    "M.model_validate_json(b'{\"a\": 1}')\n"
)


def interleaved_cpu(commands: dict[str, list[str]], env: dict[str, str], reps: int) -> dict[str, float]:
    """Median CPU seconds of each command, run in rounds (one of each per round) after a warm-up.

    Rounds keep a burst of load on the shared machine from landing on one command only.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():
        subprocess.run(argv, env=env, capture_output=True, check=False)
    for _ in range(reps):
        for name, argv in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(argv, env=env, capture_output=True, check=False)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times[name].append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return {name: statistics.median(ts) for name, ts in times.items()}


def bench_startup(report: Report, corpus: Path, reps: int) -> None:
    one = sorted(corpus.glob("*.json"))[0]
    # Bytecode cached, as after `pip install` (which compiles it): a PYTHONDONTWRITEBYTECODE
    # environment would otherwise compile seccoop's source on every run, which no user pays.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPATH": str(SRC), "PYTHONPYCACHEPREFIX": str(corpus.parent / "pycache")}
    cpu = interleaved_cpu(
        {
            "bare": [sys.executable, "-c", "pass"],
            "pydantic": [sys.executable, "-c", _PYDANTIC_ALONE],
            "validate": [sys.executable, "-m", "seccoop.cli", "validate", "--jobs", "1", str(one)],
        },
        env,
        reps,
    )
    bare, floor, validate = cpu["bare"], cpu["pydantic"], cpu["validate"]
    report.add(
        "## Start-up",
        "",
        f"CPU seconds, median of {reps} rounds (one run of each command per round, after a warm-up), "
        "bytecode cached as after `pip install`. The middle row is pydantic's own share, which "
        "`seccoop validate` cannot go below: import and one one-field model, with plugin discovery off "
        "as the `seccoop` command has it (`PYDANTIC_DISABLE_PLUGINS`; discovery reads the entry points "
        "of every installed distribution).",
        "",
        "| command | CPU s (median) | over bare Python | target |",
        "|---|---:|---:|---|",
        f"| `python -c pass` | {bare:.3f} | — | |",
        f"| pydantic alone (import, one model) | {floor:.3f} | +{floor - bare:.3f} s | |",
        f"| `seccoop validate` of one record | {validate:.3f} | +{validate - bare:.3f} s | within 0.3 s: "
        f"{'met' if validate - bare <= 0.3 else 'NOT met'} (seccoop's own share +{validate - floor:.3f} s) |",
        "",
    )


def bench_validate(report: Report, corpora: dict[int, Path], reps: int) -> None:
    report.add(
        "## Validation throughput (one core)",
        "",
        "CPU seconds of the child process, median of the runs; articles per CPU second. The references "
        "read the same files: `json.loads` (parse only) and `Record.model_validate_json` (pydantic, "
        "parse and structure, no semantic checks).",
        "",
        "| articles | seccoop validate | json.loads | model_validate_json | validate / mvj speed | "
        "peak RSS validate | peak RSS mvj |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    )
    results = {}
    for size, folder in corpora.items():
        v = median_of(reps, partial(child, "validate", str(folder), "1"))
        j = median_of(reps, partial(child, "json.loads", str(folder)))
        m = median_of(reps, partial(child, "model_validate_json", str(folder)))
        assert v["findings"] == 0, "the synthetic corpus must validate clean"
        results[size] = v
        report.add(
            f"| {size:,} | {size / v['cpu']:,.0f}/s | {size / j['cpu']:,.0f}/s | {size / m['cpu']:,.0f}/s | "
            f"{m['cpu'] / v['cpu']:.2f}× | {mib(v['rss'])} | {mib(m['rss'])} |"
        )
    sizes = sorted(results)
    rate = min(size / results[size]["cpu"] for size in sizes)
    growth = (results[sizes[-1]]["rss"] - results[sizes[0]]["rss"]) / max(1, sizes[-1] - sizes[0])
    report.add(
        "",
        f"Targets: ≥ 1,000 articles/s on one core: {'met' if rate >= 1000 else 'NOT met'} "
        f"(lowest {rate:,.0f}/s). Memory flat in the number of articles: "
        f"{growth / 1024:.1f} KiB more peak RSS per added article between {sizes[0]:,} and {sizes[-1]:,} "
        f"({'flat' if growth < 10 * 1024 else 'NOT flat'}).",
        "",
    )
    size, folder = sizes[0], corpora[sizes[0]]
    stages = median_of(reps, lambda: child("validate-stages", str(folder)))
    per = {key: 1000 * value / size for key, value in stages.items()}
    report.add(
        f"Where the time goes, per record (CPU ms, {size:,} articles, median of the runs): each step "
        "that `validate_paths` takes per file, timed on its own in one process. The first four are "
        "the parts of loading a file; the loading row is a whole `load_record_file` call.",
        "",
        "| step | ms per record | relative to the parse |",
        "|---|---:|---:|",
        *(
            f"| {label} | {per[key]:.2f} | {per[key] / per['parse']:.2f}× |"
            for key, label in (
                ("links", "symlink check of the path"),
                ("read", "reading the file (size-bounded, regular files only)"),
                ("parse", "`Record.model_validate_json` (pydantic-core)"),
                ("serializer", "canonical layout and repeated keys (pydantic-core serializer)"),
                ("load_total", "loading, whole (the four above, decoding, locator)"),
                ("semantic", "semantic checks (`check_record`: seed hash, spans, references, tokens)"),
                ("other", "metadata notes, canonical order, corpus summary"),
            )
        ),
        "",
    )
    size, folder = sizes[-1], corpora[sizes[-1]]
    jobs = os.cpu_count() or 1
    par = child("validate-all-cores", str(folder), str(jobs))
    report.add(
        f"All cores: `seccoop validate --jobs {jobs}` on {size:,} articles took {par['wall']:.1f} s wall "
        f"({size / par['wall']:,.0f} articles/s; one core: {size / results[size]['wall']:,.0f}/s wall).",
        "",
    )


def bench_build(report: Report, corpora: dict[int, Path], reps: int, tmp: Path) -> None:
    report.add(
        "## Build and load",
        "",
        "`build_dataset` (validation once; then the records read again one chunk at a time, none "
        "kept: rows streamed as Arrow record batches into Parquet shards, the card's statistics "
        "added up from per-record counts; card, Croissant) in one process (`jobs=1`); peak RSS is "
        "the build process's high-water mark.",
        "",
        "| articles | `seccoop build` CPU s | per article | peak RSS | `load_dataset` (articles + ner) CPU s "
        "| rows |",
        "|---:|---:|---:|---:|---:|---:|",
    )
    for size, folder in corpora.items():
        out = tmp / f"hf-{size}"
        b = median_of(reps, partial(child, "build", str(folder), str(out)))
        cache = tmp / f"cache-{size}"
        shutil.rmtree(cache, ignore_errors=True)
        ld = child("load_dataset", str(out), str(cache))
        report.add(
            f"| {size:,} | {b['cpu']:.1f} | {1000 * b['cpu'] / size:.1f} ms | {b['rss'] / 2**20:,.0f} MiB "
            f"| {ld['cpu']:.1f} "
            f"| {ld['rows']:,} |"
        )
        shutil.rmtree(cache, ignore_errors=True)
    report.add("")


def _repository_copy(corpus: Path, out: Path) -> Path:
    """A copy of the repository whose records and seeds are those of the synthetic ``corpus``
    (its ``dataset/articles`` folder), without the built dataset: what `seccoop build` reads."""
    skip = {".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "tests"}
    shutil.copytree(ROOT, out, symlinks=True, ignore=lambda _dir, names: [n for n in names if n in skip])
    for folder in (out / "dataset" / "articles", out / "seeds", out / "dataset" / "hf"):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(corpus, out / "dataset" / "articles")
    shutil.copytree(corpus.parent.parent / "seeds", out / "seeds")
    return out


def bench_whole_build(report: Report, corpora: dict[int, Path], tmp: Path) -> None:
    systems = "the rule baselines and spaCy's small pipeline" if _has_spacy() else "the rule baselines"
    report.add(
        "## The whole `seccoop build` command",
        "",
        "`seccoop build --include-drafts` (synthetic records are drafts) in a copy of the "
        "repository whose records and seeds are the synthetic corpus: every derived file (agreement, "
        f"baselines predicted and scored: {systems}; the Hugging Face dataset; the README tables). "
        "CPU and peak RSS are the main process's (with `--jobs 2` the worker processes' CPU is not "
        "in it: compare the wall times); the baselines column is the main process's CPU spent "
        "predicting and scoring them. One run per row.",
        "",
        "| articles | `--jobs` | CPU s | wall s | per article (wall) | of which baselines (CPU) | peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    )
    for size, folder in corpora.items():
        for jobs in (1, 2):
            repo = _repository_copy(folder, tmp / f"repo-{size}-{jobs}")
            r = child("whole-build", str(jobs), cwd=repo)
            report.add(
                f"| {size:,} | {jobs} | {r['cpu']:.1f} | {r['wall']:.1f} | {1000 * r['wall'] / size:.1f} ms "
                f"| {r['baselines']:.1f} s | {r['rss'] / 2**20:,.0f} MiB |"
            )
            shutil.rmtree(repo, ignore_errors=True)
    report.add("")


def _has_spacy() -> bool:
    from seccoop.bench.baseline import SYSTEMS

    return all(system.available() for system in SYSTEMS.values())


def bench_ner(report: Report, sentences: int, reps: int) -> None:
    from nervaluate import Evaluator
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    from seccoop.bench.predictions import ArticlePrediction
    from seccoop.bench.score import gold_as_predictions, iob2_sentences, score
    from seccoop.bench.score.ner import clear_token_cache
    from seccoop.record.models import Record

    per_article = 30
    articles = max(1, sentences // per_article)
    records = [
        Record.model_validate(synth.synth_record(f"ner-{n:06d}", 5, per_article)) for n in range(articles)
    ]
    perfect = gold_as_predictions(records)
    predictions = []
    for p in perfect:  # a system that misses every seventh name
        data = p.model_dump(mode="json")
        data["mentions"] = [m for i, m in enumerate(data.get("mentions") or []) if i % 7 != 3]
        predictions.append(ArticlePrediction.model_validate(data))

    def names_of(record: Record, mentions: list[Any]) -> list[tuple[int, int, str]]:
        types = {e.id: e.type for e in record.entities}
        out = []
        for m in mentions:
            if getattr(m, "kind", "NAM") != "NAM":
                continue
            label = types.get(getattr(m, "entity", "")) or getattr(m, "type", None)
            if label is not None and m.start is not None:
                out.append((m.start, m.end, label))
        return out

    gold_tags: list[list[str]] = []
    pred_tags: list[list[str]] = []
    for record, p in zip(records, predictions, strict=True):
        spans = [(s.start, s.end) for s in record.sentences]
        gold = iob2_sentences(record.text, spans, names_of(record, list(record.mentions)))
        pred = iob2_sentences(record.text, spans, names_of(record, list(p.mentions or [])))
        gold_tags += [tags for _, tags in gold]
        pred_tags += [tags for _, tags in pred]

    def timed(action: Callable[[], Any], cold: bool = False) -> tuple[float, Any]:
        times, value = [], None
        for _ in range(reps):
            if cold:
                clear_token_cache()  # every run starts cold: nothing kept from the one before
            # Every side starts from a collected heap, so that no one pays for the garbage
            # collection of what was built before it (the corpus, the tags); the collector stays on.
            gc.collect()
            start = time.process_time()
            value = action()
            times.append(time.process_time() - start)
        return statistics.median(times), value

    ours_s, ours = timed(lambda: score(records, predictions, "ner"), cold=True)
    seqeval_s, seqeval_f1 = timed(lambda: f1_score(gold_tags, pred_tags, mode="strict", scheme=IOB2))
    nerv_s, nerv = timed(
        lambda: Evaluator(
            gold_tags,
            pred_tags,
            tags=sorted({t[2:] for s in gold_tags for t in s if t != "O"}),
            loader="list",
        ).evaluate()
    )
    ours_f1 = _find_f1(ours)
    # nervaluate >= 1.0 returns a dict; 0.x a tuple (results, results by tag, ...)
    nerv_f1 = nerv["overall"]["strict"].f1 if isinstance(nerv, dict) else nerv[0]["strict"]["f1"]
    report.add(
        "## NER scoring",
        "",
        f"{len(gold_tags):,} sentences ({articles:,} synthetic articles), a system that misses one name in "
        "seven. seccoop's time is the whole `score(..., 'ner')` call, cold (alignment, tokenization, CoNLL "
        "and SemEval modes; nothing cached from an earlier run); seqeval and nervaluate get the IOB2 tags "
        "ready-made.",
        "",
        "| scorer | CPU s (median) | micro F1 | seccoop speed ratio |",
        "|---|---:|---:|---:|",
        f"| seccoop score --task ner | {ours_s:.2f} | {ours_f1} | 1.00× |",
        f"| seqeval (strict, IOB2) | {seqeval_s:.2f} | {seqeval_f1:.4f} | {seqeval_s / ours_s:.2f}× |",
        f"| nervaluate (strict) | {nerv_s:.2f} | {nerv_f1 if nerv_f1 is None else f'{nerv_f1:.4f}'} | "
        f"{nerv_s / ours_s:.2f}× |",
        "",
        f"Target ≥ 10× seqeval's speed: {'met' if seqeval_s / ours_s >= 10 else 'NOT met'}.",
        "",
    )


def _find_f1(report: Any) -> str:
    """The CoNLL micro F1 in a score report, as text (its shape belongs to the scorer)."""
    try:
        data = json.loads(json.dumps(report, default=lambda o: getattr(o, "__dict__", str(o))))
    except (TypeError, ValueError):
        return "?"
    found: list[float] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, float) and path.endswith("f1") and "conll" in path.lower():
            found.append(node)

    walk(data, "")
    return f"{found[0]:.4f}" if found else "see report"


def bench_big(report: Report, sizes_mb: list[float], tmp: Path) -> None:
    report.add(
        "## One large record",
        "",
        "One synthetic record whose text has the given size (same densities as the articles), "
        "validated alone.",
        "",
        "| text | CPU s | CPU s per MB | peak RSS |",
        "|---:|---:|---:|---:|",
    )
    per_mb = []
    for size in sizes_mb:
        root = tmp / f"big-{size}"
        if root.exists():
            shutil.rmtree(root)
        folder = root / "dataset" / "articles"
        folder.mkdir(parents=True)
        (root / "seeds").mkdir()
        rid = f"big-{str(size).replace('.', '-')}"
        record = synth.synth_record(rid, 1, int(size * 1_000_000 / 95))
        (root / "seeds" / f"{rid}.txt").write_bytes(record["text"].encode("utf-8"))
        # canonical form, as a contributor's file after `seccoop fmt` (else a not-canonical warning)
        (folder / f"{rid}.json").write_text(synth.canonical_text(Record.model_validate(record)), "utf-8")
        mb = len(record["text"].encode("utf-8")) / 1e6
        size_of_file = (folder / f"{rid}.json").stat().st_size
        if size_of_file > MAX_INPUT_BYTES:
            report.add(
                f"| {mb:.1f} MB | refused | — | — (the record file is {size_of_file / 1e6:.0f} MB, over the "
                f"{MAX_INPUT_BYTES / 2**20:.0f} MiB input limit: `io-error`, exit 2) |"
            )
            shutil.rmtree(root)
            continue
        v = child("validate", str(folder), "1")
        assert v["findings"] == 0
        per_mb.append(v["cpu"] / mb)
        report.add(
            f"| {mb:.1f} MB (file {size_of_file / 1e6:.0f} MB) | {v['cpu']:.2f} | {v['cpu'] / mb:.2f} | "
            f"{mib(v['rss'])} |"
        )
        shutil.rmtree(root)
    ratio = per_mb[-1] / per_mb[0]
    report.add(
        "",
        f"Time linear in the size of one record: CPU per MB at the largest size is {ratio:.2f}× that at "
        f"the smallest ({'linear' if ratio < 1.5 else 'NOT linear'}).",
        "",
    )


PLANS_HEADING = "## Targets not met: gaps and plans"
FUZZ_HEADING = "## Fuzzing"


def fuzz_section(summary: Path) -> list[str]:
    """The output of ``scripts/fuzz.py`` (run separately: it takes long) as a section."""
    lines = summary.read_text(encoding="utf-8").strip().splitlines()
    # the summary only: not the progress lines or an exit status a wrapper appended
    text = "\n".join(line for line in lines if not line.startswith(("... ", "rc=")))
    return [
        FUZZ_HEADING,
        "",
        f"Output of `python scripts/fuzz.py {_fuzz_args(text)}` (run in the background, "
        "beside other work; its wall time is not a speed figure)"
        + (
            ". Per-input memory was not traced in this run (`--no-memory`, several times faster); the "
            "whole run's peak RSS bounds every input's:"
            if "--no-memory" in _fuzz_args(text)
            else ":"
        ),
        "",
        "```",
        text,
        "```",
        "",
    ]


def _fuzz_args(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    count = first.split()[1] if first.startswith("examples:") else "N"
    return f"--examples {count}" + (
        " --no-memory" if "largest peak: 0.0 MiB" in text or "not traced" in text else ""
    )


PLANS = {
    "## Start-up": "Start-up: pydantic's own share (the middle row) is most of it: importing "
    "pydantic (about 0.15 s here, with the importlib.metadata import its plugin loader makes even when "
    "plugins are off) and building one model. The `seccoop` command already turns pydantic's plugin "
    "discovery off (`PYDANTIC_DISABLE_PLUGINS`, unless the user sets it; about 30 ms: a scan of the "
    "entry points of every installed distribution) and builds only the chosen command's argument "
    "parser. seccoop's own share, measured in one process: importing its record and check modules "
    "about 50 ms (15 pydantic model classes and the ontology), building the one Record validator "
    "about 17 ms (deferred to first use), and the run itself about 14 ms. Plan: the remaining gap is "
    "smaller than the noise between runs on this machine; below it, only fewer model classes (one "
    "class per span kind shares a schema) or a pydantic release with a cheaper import.",
    "## Validation throughput": "Validation speed (about 20 articles/s and 0.37 MiB more per "
    "article before issue 9; memory now flat). The table of steps above shows where a record's time "
    "goes. The parse (`model_validate_json`, compiled) is the reference column itself, so 1,000 "
    "articles/s on one core is faster than the parse alone on this machine: no validator that "
    "parses with the models can meet it here. For 0.5x of `model_validate_json`, everything after "
    "the parse must cost no more than the parse; the canonical-layout check (compiled serializer, "
    "which also rules out repeated keys) is about half a parse and the semantic checks (pure Python "
    "over some 300 spans and references per record, already one pass per layer with set and bisect "
    "lookups) about one parse, so pure-Python checks cannot get there. Plan: move the per-span, "
    "token and reference checks into compiled code over column arrays (a small Rust extension "
    "built with PyO3, or Cython), and skip the serializer for files whose bytes hash to a record "
    "already checked (a cache for unchanged records in pull requests). Meanwhile `--jobs` (default: "
    "every core) scales with the cores, because files are checked independently.",
    "## NER scoring": "NER scoring: the cold call aligns only the mentions layer, reads the names "
    "column by column (map/compress and set operations in C), checks gold token boundaries with one "
    "regular expression over the names' edges (the tokenizer decides only unclear cases) and counts "
    "the modes from flat lists; about 194,000 Python calls per call. What is left is reading the "
    "fields of some 500,000 pydantic mention objects (0.3-0.5 s alone) and allocating the name "
    "tuples. Plan: the gold records keep their names as columns (starts, ends, types), built once "
    "per record and cached, so a cold call reads arrays instead of models; or a compiled path.",
    "## One large record": "One large record: see the per-MB column; the missed-mention check scans "
    "the text once per distinct name (str.find in C), which is linear in the text for a fixed set "
    "of names.",
}


def plans(lines: list[str]) -> list[str]:
    """A closing section: for each section with a target not met, its gap (above) and the plan."""
    out: list[str] = []
    section = ""
    missed: list[str] = []
    for line in lines:
        if line.startswith("## "):
            section = line
        if ("NOT met" in line or "NOT flat" in line or "NOT linear" in line) and section not in missed:
            missed.append(section)
    for section in missed:
        for heading, plan in PLANS.items():
            if section.startswith(heading):
                out += [f"- {plan}"]
    return [PLANS_HEADING, "", *out, ""] if out else []


def _sections(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The lines before the first ``## `` heading, and each section's lines by its heading."""
    head: list[str] = []
    sections: dict[str, list[str]] = {}
    current: list[str] = head
    for line in lines:
        if line.startswith("## "):
            current = sections.setdefault(line, [])
        current.append(line)
    return head, sections


def _dated(lines: list[str], when: str) -> list[str]:
    """Each measured section says when it was measured (sections of several runs can be mixed)."""
    out: list[str] = []
    for line in lines:
        out.append(line)
        if line.startswith("## ") and line not in (FUZZ_HEADING, PLANS_HEADING):
            out += ["", f"Measured {when}."]
    return out


def splice_sections(old: list[str], new: list[str]) -> list[str]:
    """``old`` with the sections that ``new`` measured replaced (``--only``): the header of the
    new run, then every section in the old order, new ones last; the closing sections (fuzzing,
    gaps and plans) are dropped here and written again by the caller."""
    _, old_sections = _sections(old)
    head, new_sections = _sections(new)
    whole_run = [line for line in new if line.startswith("Whole run:")]
    merged = {**old_sections, **new_sections}
    out = [line for line in head if not line.startswith("Whole run:")]
    out += [
        "Sections not measured by the latest run (`--only`) are kept from earlier runs; each section "
        "says when it was measured.",
        "",
    ]
    for heading, body in merged.items():
        if heading in (FUZZ_HEADING, PLANS_HEADING) or heading.startswith("## How this file was made"):
            continue
        out += [line for line in body if not line.startswith("Whole run:")]
    return out + whole_run + [""]


def versions() -> str:
    names = ["pydantic", "pydantic-core", "jsonschema", "datasets", "pyarrow", "seqeval", "nervaluate"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--reps", type=int, default=None, help="runs per figure (default 3; --quick 1)")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument(
        "--plans-only",
        action="store_true",
        help="only (re)write the closing sections of --out (fuzzing, gaps and plans)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("startup", "validate", "build", "whole-build", "ner", "big"),
        help="run only these sections (default: all)",
    )
    parser.add_argument("--fuzz-summary", type=Path, help="the saved output of scripts/fuzz.py, to include")
    args = parser.parse_args(argv)
    if args.plans_only:
        lines = args.out.read_text(encoding="utf-8").split("\n")
        for heading in (FUZZ_HEADING, PLANS_HEADING):
            if heading in lines:
                lines = lines[: lines.index(heading)]
        if args.fuzz_summary is not None:
            lines += fuzz_section(args.fuzz_summary)
        args.out.write_text("\n".join([*lines, *plans(lines)]), encoding="utf-8")
        return 0
    reps = args.reps or (1 if args.quick else 3)
    sizes = [200, 1000] if args.quick else [1000, 10000]
    big = [0.5, 1.0, 2.0] if args.quick else [1.0, 5.0, 20.0]
    ner_sentences = 10_000 if args.quick else 100_000
    started = time.perf_counter()
    run_started = dt.datetime.now(dt.UTC)
    report = Report([])
    load = os.getloadavg()
    report.add(
        "# Benchmarks",
        "",
        "Generated by `python scripts/bench.py`"
        + (" --quick" if args.quick else "")
        + "; do not edit by hand.",
        "",
        f"- date: {run_started:%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPU(s), "
        f"{platform.system()} {platform.release()}; "
        f"load average at start {load[0]:.1f} (the machine is shared: other processes were using the cores, "
        "so wall times are noisy; the figures are CPU seconds of the measured process, medians of "
        f"{reps} run(s))",
        f"- Python {platform.python_version()}; {versions()}",
        "",
    )
    with tempfile.TemporaryDirectory(prefix="seccoop-bench-") as name:
        tmp = Path(name)
        only = set(args.only or ("startup", "validate", "build", "whole-build", "ner", "big"))
        if args.skip_build:
            only -= {"build", "whole-build"}
        corpora = {}
        if only & {"startup", "validate", "build", "whole-build"}:
            for size in sizes:
                corpora[size] = synth.write_corpus(tmp / f"corpus-{size}", size, seed=size)
        if "startup" in only:
            bench_startup(report, corpora[sizes[0]], max(5, reps))
        if "validate" in only:
            bench_validate(report, corpora, reps)
        if "build" in only:
            bench_build(report, corpora, 1, tmp)
        if "whole-build" in only:
            # the smaller size only: spaCy's pipeline costs about a quarter of a second per article
            bench_whole_build(report, {sizes[0]: corpora[sizes[0]]}, tmp)
        if "ner" in only:
            bench_ner(report, ner_sentences, reps)
        if "big" in only:
            bench_big(report, big, tmp)
    report.add(f"Whole run: {time.perf_counter() - started:.0f} s wall.", "")
    lines = _dated(report.lines, f"{run_started:%Y-%m-%d %H:%M} UTC")
    if args.only and args.out.exists():
        lines = splice_sections(args.out.read_text(encoding="utf-8").split("\n"), lines)
    if args.fuzz_summary is not None:
        lines += fuzz_section(args.fuzz_summary)
    lines += plans(lines)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
