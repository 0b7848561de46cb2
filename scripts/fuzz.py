"""Fuzz the command line: mutated records, predictions, brat and Label Studio files, drafts and
arguments go through ``seccoop`` in this process; every traceback, wrong exit code, slow input
and memory-hungry input is reported.

The run is deterministic for a given ``--seed``. Each example picks a mutator, writes its input
into a scratch corpus (made by scripts/synth.py plus the valid test fixture), runs the matching
command through ``seccoop.cli.main`` and checks: no exception escapes, the exit code is one the
command may give (0, 1, 2; exactly 2 where the input is I/O trouble), the time and the peak of
Python memory (tracemalloc) stay under the bounds.

Usage: python scripts/fuzz.py --examples N [--seed 0] [--max-seconds 10] [--max-mib 2048]
Exit 1 when any problem is found. The test suite runs a modest number of examples.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth
from seccoop.cli import main as cli_main

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
OK_CODES = frozenset({0, 1, 2})


@dataclass
class Outcome:
    """One example's result."""

    mutator: str
    argv: list[str]
    code: int | None
    seconds: float
    peak_mib: float
    problem: str | None = None


@dataclass
class Summary:
    """All the examples' results."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.problem]

    def lines(self, max_seconds: float, max_mib: float) -> list[str]:
        by_mutator = Counter(o.mutator for o in self.outcomes)
        tracebacks = sum(1 for o in self.outcomes if o.problem and o.problem.startswith("traceback"))
        wrong = sum(1 for o in self.outcomes if o.problem and o.problem.startswith("exit"))
        slow = [o for o in self.outcomes if o.seconds > max_seconds]
        big = [o for o in self.outcomes if o.peak_mib > max_mib]
        slowest = max(self.outcomes, key=lambda o: o.seconds, default=None)
        biggest = max(self.outcomes, key=lambda o: o.peak_mib, default=None)
        out = [
            "examples: {} ({})".format(
                len(self.outcomes), ", ".join(f"{k} {v}" for k, v in sorted(by_mutator.items()))
            ),
            f"tracebacks: {tracebacks}",
            f"wrong exit codes: {wrong}",
            f"inputs over {max_seconds:g} s: {len(slow)}; over {max_mib:g} MiB: {len(big)}",
        ]
        if slowest is not None and biggest is not None:
            peak = f"{biggest.peak_mib:.1f} MiB ({biggest.mutator})" if biggest.peak_mib else "not traced"
            out.append(f"slowest input: {slowest.seconds:.2f} s ({slowest.mutator}); largest peak: {peak}")
        codes = Counter(o.code for o in self.outcomes)
        out.append("exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items(), key=str)))
        for o in self.problems[:20]:
            out.append(f"PROBLEM [{o.mutator}] {o.problem} argv={o.argv}")
        return out


# ---------------------------------------------------------------- mutations of JSON values


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


ODD_VALUES: list[Callable[[random.Random], Any]] = [
    lambda r: None,
    lambda r: r.choice([True, False]),
    lambda r: r.randint(-(2**70), 2**70),
    lambda r: r.random() * 1e6,
    lambda r: "",
    lambda r: "\ud800",
    lambda r: "x" * r.choice([1, 300, 5000]),
    lambda r: "../../../../etc/hostname",
    lambda r: "/etc/hostname",
    lambda r: [],
    lambda r: {},
    lambda r: [None, 5, "x"],
    lambda r: {"start": -1, "end": 10**12, "text": "x"},
    lambda r: r.randint(-5, 5),
]


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if len(path) > 12:  # inside a nesting mutation already: go no deeper
        return out
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:6]):
            out += _paths(value, (*path, i))
    return out


def _set(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = node
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return node


def mutate_value(rng: random.Random, data: Any) -> str:
    """A JSON text derived from ``data`` by a few structural mutations."""
    data = json.loads(json.dumps(data))
    for _ in range(rng.randint(1, 3)):
        paths = _paths(data)
        path = rng.choice(paths)
        op = rng.randrange(6)
        if op == 0:
            data = _set(data, path, rng.choice(ODD_VALUES)(rng))
        elif op == 1 and path:
            parent = data
            for step in path[:-1]:
                parent = parent[step]
            del parent[path[-1]]
        elif op == 2:
            data = _set(data, path, _nested(rng.choice([50, 987, 990, 3000])))
        elif op == 3 and path and isinstance(path[-1], str):
            parent = data
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1] + rng.choice(["x", "_", " "])] = 1
        elif op == 4:
            data = _set(data, path, rng.choice([[data], {"a": data}, "data"]) if not path else 7)
        else:
            continue
    try:
        text = json.dumps(data, ensure_ascii=rng.random() < 0.5)
    except (RecursionError, ValueError):
        text = "[" * 3000 + "]" * 3000
    return text


def mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    """Byte-level damage: flips, cuts, BOMs, invalid UTF-8, duplicated keys."""
    op = rng.randrange(6)
    if op == 0 and raw:
        i = rng.randrange(len(raw))
        return raw[:i] + bytes([rng.randrange(256)]) + raw[i + 1 :]
    if op == 1:
        return raw[: rng.randrange(len(raw) + 1)]
    if op == 2:
        return b"\xef\xbb\xbf" + raw
    if op == 3:
        return raw.replace(b'"', b"\xff", 1)
    if op == 4:
        return raw.replace(b'"id":', b'"id": "a", "id":', 1)
    return raw + rng.choice([b"\x00", b"]", b"}", b"\n{}", b" " * 10])


# ---------------------------------------------------------------- the scratch corpus


class Scratch:
    """A corpus in a temporary folder: seeds, records, a draft, predictions, brat and LS exports."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.articles = synth.write_corpus(root, 3, seed=7, sentences=12)
        valid = json.loads((FIXTURES / "valid" / "border-patrols.json").read_text(encoding="utf-8"))
        (root / valid["source"]["path"]).write_bytes(valid["text"].encode("utf-8"))
        (self.articles / "border-patrols.json").write_text(json.dumps(valid, ensure_ascii=False), "utf-8")
        self.records = {
            p.name: json.loads(p.read_text(encoding="utf-8")) for p in self.articles.glob("*.json")
        }
        self.draft = json.loads(
            (FIXTURES / "drafts" / "border-patrols.draft.json").read_text(encoding="utf-8")
        )
        self.predictions = [
            json.dumps(
                {"id": r["id"], "mentions": [{"text": m["text"], "type": "GPE"} for m in r["mentions"][:3]]}
            )
            for r in self.records.values()
        ]
        self.work = root / "work"
        self.work.mkdir()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli_main(
                ["export", "--format", "brat", "--articles", str(self.articles), "--out", str(root / "brat")]
            )
            cli_main(
                [
                    "export",
                    "--format",
                    "labelstudio",
                    "--articles",
                    str(self.articles),
                    "--out",
                    str(root / "ls"),
                ]
            )
        self.brat = {p.name: p.read_bytes() for p in (root / "brat").iterdir() if p.is_file()}
        self.tasks = json.loads((root / "ls" / "tasks.json").read_text(encoding="utf-8"))

    def fresh(self) -> Path:
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir()
        return self.work


# ---------------------------------------------------------------- mutators: (argv, allowed codes)

Mutator = Callable[[random.Random, Scratch], tuple[list[str], frozenset[int]]]


def m_record(rng: random.Random, s: Scratch) -> tuple[list[str], frozenset[int]]:
    name, record = rng.choice(sorted(s.records.items()))
    text = mutate_value(rng, record)
    raw = (
        mutate_bytes(rng, text.encode("utf-8", "surrogatepass"))
        if rng.random() < 0.3
        else text.encode("utf-8", "surrogatepass")
    )
    target = s.articles / f"fuzz-{name}"
    target.write_bytes(raw)
    try:
        fmt = rng.choice(["human", "json", "github"])
        return ["validate", "--jobs", "1", "--format", fmt, str(target)], OK_CODES
    finally:
        pass


def m_io(rng: random.Random, s: Scratch) -> tuple[list[str], frozenset[int]]:
    work = s.fresh()
    kind = rng.randrange(4)
    if kind == 0:
        path = work / "x.json"
        os.mkfifo(path)
    elif kind == 1:
        path = work / "dir.json"
        path.mkdir()
    elif kind == 2:
        path = work / "missing.json"
    else:
        path = Path("/dev/zero")
    return ["validate", "--jobs", "1", str(path)], frozenset({2})


def m_predictions(rng: random.Random, s: Scratch) -> tuple[list[str], frozenset[int]]:
    work = s.fresh()
    lines = list(s.predictions)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        op = rng.randrange(4)
        if op == 0:
            try:
                lines[i] = mutate_value(rng, json.loads(lines[i]))
            except (ValueError, RecursionError):  # an earlier mutation broke the line already
                lines[i] = "{" + lines[i]
        elif op == 1:
            lines[i] = mutate_bytes(rng, lines[i].encode()).decode("utf-8", "replace")
        elif op == 2:
            lines += ["{}"] * rng.choice([1, 300, 3000])
        else:
            lines.append(lines[i])
    path = work / "p.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    task = rng.choice(["ner", "entities", "events", "quotes", "all"])
    return ["score", "--task", task, "--predictions", str(path), "--gold", str(s.articles)], OK_CODES


def m_brat(rng: random.Random, s: Scratch) -> tuple[list[str], frozenset[int]]:
    work = s.fresh()
    folder = work / "brat"
    folder.mkdir()
    for name, raw in s.brat.items():
        (folder / name).write_bytes(raw)
    anns = sorted(p for p in folder.glob("*.ann"))
    victim = rng.choice(anns)
    lines = victim.read_bytes().split(b"\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        op = rng.randrange(5)
        if op == 0:
            lines[i] = mutate_bytes(rng, lines[i])
        elif op == 1:
            del lines[i]
        elif op == 2:
            parts = lines[i].split(b"\t")
            parts[rng.randrange(len(parts))] = rng.choice([b"", b"X 1 2", b"-5", b"T999", b"\xff", b"1;2"])
            lines[i] = b"\t".join(parts)
        elif op == 3:
            lines.insert(
                i, rng.choice([b"R1\tRel Arg1:T1 Arg2:T404", b"E1\tAGREE:T1", b"A1\tNeg E9", b"#1\tNote"])
            )
        else:
            lines[i] = lines[i] * 2
    victim.write_bytes(b"\n".join(lines))
    if rng.random() < 0.1:
        victim.unlink()
        victim.symlink_to("/etc/hostname")
    out = work / "out"
    return [
        "import",
        "--format",
        "brat",
        str(folder),
        "--articles",
        str(s.articles),
        "--out",
        str(out),
    ], OK_CODES


def m_labelstudio(rng: random.Random, s: Scratch) -> tuple[list[str], frozenset[int]]:
    work = s.fresh()
    path = work / "tasks.json"
    text = mutate_value(rng, s.tasks)
    raw = text.encode("utf-8", "surrogatepass")
    path.write_bytes(mutate_bytes(rng, raw) if rng.random() < 0.2 else raw)
    out = work / "out"
    return [
        "import",
        "--format",
        "labelstudio",
        str(path),
        "--articles",
        str(s.articles),
        "--out",
        str(out),
    ], OK_CODES


def m_draft(rng: random.Random, s: Scratch) -> tuple[list[str], frozenset[int]]:
    work = s.fresh()
    draft = dict(s.draft)
    path = work / "draft.json"
    raw = mutate_value(rng, draft).encode("utf-8", "surrogatepass")
    path.write_bytes(mutate_bytes(rng, raw) if rng.random() < 0.2 else raw)
    seeds = s.root / "seeds"
    if not (seeds / "border-patrols.txt").exists():
        shutil.copy(FIXTURES / "seeds" / "border-patrols.txt", seeds / "border-patrols.txt")
    out = rng.choice([work / "out.json", work / "missing" / "deep" / "out.json", work, s.root / "seeds"])
    return ["anchor", str(path), "-o", str(out), "--root", str(s.root)], OK_CODES


WORDS = [
    "validate",
    "score",
    "export",
    "import",
    "anchor",
    "stats",
    "schemas",
    "build",
    "--format",
    "json",
    "human",
    "brat",
    "labelstudio",
    "conll",
    "--jobs",
    "0",
    "-1",
    "2",
    "x",
    "--task",
    "ner",
    "--gold",
    "--predictions",
    "--articles",
    "--out",
    "--check",
    "--root",
    "-o",
    "/dev/null",
    "/nonexistent",
    "",
    "\udcff",
    "--help-me",
    "-",
    "--",
    "seeds",
]


def m_args(rng: random.Random, s: Scratch) -> tuple[list[str], frozenset[int]]:
    work = s.fresh()
    argv = [rng.choice(WORDS) for _ in range(rng.randint(0, 6))]
    # never a full build or an export into the repository: point outputs at the scratch folder
    argv = [str(work / "o") if a in ("x", "-") else a for a in argv]
    if "build" in argv and "--out" not in argv:
        argv += ["--articles", str(work / "none"), "--out", str(work / "hf")]
    if any(a in argv for a in ("export", "stats", "schemas")):
        argv = ["validate", str(work / "none")]
    return argv, OK_CODES


MUTATORS: dict[str, Mutator] = {
    "record": m_record,
    "io": m_io,
    "predictions": m_predictions,
    "brat": m_brat,
    "labelstudio": m_labelstudio,
    "draft": m_draft,
    "args": m_args,
}


def _run_one(name: str, argv: list[str], allowed: frozenset[int]) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    if tracemalloc.is_tracing():
        tracemalloc.reset_peak()
    start = time.perf_counter()
    code: int | None
    problem = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:
        code = None
        last = traceback.extract_tb(exc.__traceback__)[-1]
        problem = (
            f"traceback {type(exc).__name__}: {str(exc)[:120]} at {Path(last.filename).name}:{last.lineno}"
        )
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if tracemalloc.is_tracing() else 0.0
    if problem is None and code not in allowed:
        problem = f"exit code {code}, expected one of {sorted(allowed)}"
    if problem is None and "Traceback" in out.getvalue() + err.getvalue():
        problem = "traceback printed"
    return Outcome(name, argv, code, seconds, peak, problem)


def _run_chunk(task: tuple[list[tuple[int, float]], bool]) -> list[Outcome]:
    """Run the examples (index, seed) in a scratch corpus of this process's own."""
    items, memory = task
    names = sorted(MUTATORS)
    outcomes = []
    if memory:
        tracemalloc.start()
    with tempfile.TemporaryDirectory(prefix="seccoop-fuzz-") as tmp:
        scratch = Scratch(Path(tmp))
        for n, example_seed in items:
            name = names[n % len(names)]
            argv, allowed = MUTATORS[name](random.Random(example_seed), scratch)
            outcomes.append(_run_one(name, argv, allowed))
            for extra in scratch.articles.glob("fuzz-*"):
                extra.unlink()
    tracemalloc.stop()
    return outcomes


def fuzz(
    examples: int,
    seed: int = 0,
    on_progress: Callable[[int], None] | None = None,
    *,
    memory: bool = True,
    jobs: int = 1,
) -> Summary:
    """Run ``examples`` mutated inputs, deterministic in ``seed`` (whatever ``jobs`` is: the
    inputs are drawn here, and each worker process runs a share of them in its own scratch
    corpus).

    ``memory`` measures each input's peak of Python allocations (tracemalloc, about 2x slower).
    """
    rng = random.Random(seed)
    items = [(n, rng.random()) for n in range(examples)]
    summary = Summary()
    batch = 100
    chunks = [(items[i : i + batch], memory) for i in range(0, len(items), batch)]
    done = 0
    if jobs <= 1:
        results: Iterator[list[Outcome]] = map(_run_chunk, chunks)
        for outcomes in results:
            summary.outcomes.extend(outcomes)
            done += len(outcomes)
            if on_progress is not None:
                on_progress(done)
        return summary
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for outcomes in pool.map(_run_chunk, chunks):
            summary.outcomes.extend(outcomes)
            done += len(outcomes)
            if on_progress is not None:
                on_progress(done)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=10.0)
    parser.add_argument("--max-mib", type=float, default=2048.0)
    parser.add_argument("--no-memory", action="store_true", help="do not trace memory (faster)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (same inputs, same report)")
    args = parser.parse_args(argv)
    start = time.perf_counter()

    def progress(done: int) -> None:
        if done % 500 == 0 or done == args.examples:
            print(f"... {done} examples, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)

    summary = fuzz(args.examples, args.seed, progress, memory=not args.no_memory, jobs=args.jobs)
    for line in summary.lines(args.max_seconds, args.max_mib):
        print(line)
    import resource

    rss = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )
    # the whole run's peak bounds every input's: under the bound here means under it for each
    print(f"peak RSS of the whole run: {rss:,.0f} MiB")
    print(f"wall time: {time.perf_counter() - start:.1f} s")
    bad = summary.problems or [
        o for o in summary.outcomes if o.seconds > args.max_seconds or o.peak_mib > args.max_mib
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
