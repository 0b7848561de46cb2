"""Hostile inputs from issue 9, one test each: no traceback, a clear message, the right exit code.

Exit codes: 0 clean, 1 findings at error level (or a refused draft/import), 2 usage or I/O
trouble. Every reproducer the fuzzing found is here; scripts/fuzz.py keeps looking for more.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from seccoop.bench.predictions import _short, validate_predictions
from seccoop.check.diagnostics import MAX_FINDINGS_PER_FILE, Locator, render
from seccoop.check.validate import validate_paths
from seccoop.cli import main
from seccoop.record.io import MAX_INPUT_BYTES, RefusedFile, read_regular, write_text_atomic
from seccoop.record.models import Record, dump_record

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid" / "border-patrols.json"
SRC = Path(__file__).resolve().parents[1] / "src"


def _corpus(root: Path) -> Path:
    """root/seeds + root/dataset/articles with the valid fixture; returns the record's path."""
    record = Record.model_validate_json(VALID.read_bytes())
    (root / "seeds").mkdir(parents=True)
    (root / record.source.path).parent.mkdir(parents=True, exist_ok=True)
    (root / record.source.path).write_bytes(record.text.encode("utf-8"))
    articles = root / "dataset" / "articles"
    articles.mkdir(parents=True)
    path = articles / f"{record.id}.json"
    path.write_text(dump_record(record), encoding="utf-8")
    return path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


# ---------------------------------------------------------------- validate


def test_lone_surrogate_is_printed_escaped(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"schema_version": 1, "id": "\\ud800"}', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
    run = subprocess.run(
        [sys.executable, "-m", "seccoop.cli", "validate", str(path)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert b"Traceback" not in run.stderr


def test_a_300_character_seed_path_is_a_finding(tmp_path: Path) -> None:
    path = _corpus(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["source"]["path"] = "seeds/" + "x" * 300 + ".txt"
    path.write_text(json.dumps(data), encoding="utf-8")
    codes = {f.code for f in validate_paths([path]).findings}
    assert "seed-missing" in codes


def test_nul_in_the_seed_path_is_a_finding(tmp_path: Path) -> None:
    path = _corpus(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["source"]["path"] = "seeds/a\u0000b.txt"
    path.write_text(json.dumps(data), encoding="utf-8")
    # the schema's path pattern refuses it already; either way a finding, never a crash
    assert {f.code for f in validate_paths([path]).findings} & {"seed-missing", "constraint-violation"}


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("depth", [987, 990, 5000])
def test_deeply_nested_arrays_are_findings(tmp_path: Path, depth: int) -> None:
    deep = "[" * depth + "]" * depth
    text = VALID.read_text(encoding="utf-8").replace('"zones": [', '"zones": [' + deep + ",", 1)
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    report = validate_paths([path])
    assert report.findings and report.exit_code == 1


def test_locator_survives_deep_nesting() -> None:
    text = '{"a": ' + "[" * 3000 + "]" * 3000 + ', "b": 1}'
    locator = Locator(text)
    assert locator.locate(["b"]) >= (1, 1)


def test_fifo_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    report = validate_paths([fifo])
    assert [f.code for f in report.findings] == ["io-error"]
    assert "not a regular file" in report.findings[0].message
    assert report.exit_code == 2


def test_devices_are_refused() -> None:
    with pytest.raises(RefusedFile):
        read_regular(Path("/dev/zero"))


def test_files_over_the_limit_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)  # sparse: no disk used
    report = validate_paths([big])
    assert [f.code for f in report.findings] == ["io-error"]
    assert "over the limit" in report.findings[0].message
    assert report.exit_code == 2


def test_symlinked_folder_inside_the_tree_is_refused(tmp_path: Path) -> None:
    path = _corpus(tmp_path / "repo")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(path, outside / path.name)
    link = tmp_path / "repo" / "dataset" / "linked"
    link.symlink_to(outside, target_is_directory=True)
    report = validate_paths([link / path.name])
    assert [f.code for f in report.findings] == ["unsafe-path"]


def test_findings_without_a_line_say_so(tmp_path: Path) -> None:
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    findings = validate_paths([fifo]).findings
    assert "(line unknown)" in render(findings, "human")
    assert json.loads(render(findings, "json"))[0]["line"] is None


def test_duplicate_key_is_found_on_an_otherwise_valid_record(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8").replace('"url":', '"url": null, "url":', 1)
    path = tmp_path / "border-patrols.json"
    path.write_text(text, encoding="utf-8")
    assert "duplicate-key" in {f.code for f in validate_paths([path]).findings}


def test_jobs_give_the_same_report_as_a_serial_run(tmp_path: Path) -> None:
    path = _corpus(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    for n in range(20):
        copy = dict(data, id=f"copy-{n}")
        if n % 3 == 0:
            copy["mentions"] = copy["mentions"][1:]
        (path.parent / f"copy-{n}.json").write_text(json.dumps(copy), encoding="utf-8")
    (path.parent / "broken.json").write_text("{", encoding="utf-8")
    serial = validate_paths([path.parent], keep_records=False, jobs=1)
    parallel = validate_paths([path.parent], keep_records=False, jobs=2)
    assert serial.findings and serial.findings == parallel.findings
    kept = validate_paths([path.parent], jobs=2)
    assert [r.record for r in kept.records] == [r.record for r in validate_paths([path.parent]).records]


# ---------------------------------------------------------------- anchor


def _draft(root: Path, source: object) -> Path:
    draft = json.loads((FIXTURES / "drafts" / "border-patrols.draft.json").read_text(encoding="utf-8"))
    draft["source"] = source
    path = root / "draft.json"
    path.write_text(json.dumps(draft), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "content",
    ["[]", '{"source": null}', '{"source": {"path": 5}}', "[" * 5000 + "]" * 5000, "{", '"x"'],
)
def test_anchor_on_wrong_shapes(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    _corpus(tmp_path)
    draft = tmp_path / "draft.json"
    draft.write_text(content, encoding="utf-8")
    code, _ = _run(["anchor", str(draft), "-o", str(tmp_path / "out.json"), "--root", str(tmp_path)], capsys)
    assert code == 1
    assert not (tmp_path / "out.json").exists()


def test_anchor_on_bad_zones_and_deep_nesting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _corpus(tmp_path)
    draft = json.loads((FIXTURES / "drafts" / "border-patrols.draft.json").read_text(encoding="utf-8"))
    draft["sentences"] = "auto"
    draft["zones"] = [5, {"start": "x"}, None]
    text = json.dumps(draft)[:-1] + ', "deep": ' + "[" * 990 + "]" * 990 + "}"
    path = tmp_path / "draft.json"
    path.write_text(text, encoding="utf-8")
    code, _ = _run(["anchor", str(path), "-o", str(tmp_path / "out.json"), "--root", str(tmp_path)], capsys)
    assert code in (0, 1)


@pytest.mark.parametrize(
    "seed",
    ["../../../../etc/hostname", "/etc/hostname", "seeds/../../outside.txt", "seeds/" + "x" * 300, "seeds"],
)
def test_anchor_reads_only_regular_files_inside_seeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: str
) -> None:
    _corpus(tmp_path / "repo")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    draft = _draft(tmp_path, {"path": seed})
    out = tmp_path / "repo" / "out.json"
    code, output = _run(["anchor", str(draft), "-o", str(out), "--root", str(tmp_path / "repo")], capsys)
    assert code == 1
    assert not out.exists()
    assert "secret" not in output


def test_anchor_refuses_a_seed_linked_out_of_seeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _corpus(tmp_path / "repo")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "repo" / "seeds" / "link.txt").symlink_to(tmp_path / "outside.txt")
    draft = _draft(tmp_path, {"path": "seeds/link.txt"})
    out = tmp_path / "repo" / "out.json"
    code, _ = _run(["anchor", str(draft), "-o", str(out), "--root", str(tmp_path / "repo")], capsys)
    assert code == 1 and not out.exists()


def test_anchor_reading_dev_zero_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run(["anchor", "/dev/zero", "-o", str(tmp_path / "out.json")], capsys)
    assert code == 2
    assert "not a regular file" in output


def test_anchor_to_an_unwritable_output_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _corpus(tmp_path)
    draft = _draft(tmp_path, {"path": "seeds/border-patrols.txt"})
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    for out in (tmp_path / "a-file" / "out.json", tmp_path / "seeds"):
        code, _ = _run(["anchor", str(draft), "-o", str(out), "--root", str(tmp_path)], capsys)
        assert code == 2


# ---------------------------------------------------------------- predictions


def test_short_survives_deep_nesting() -> None:
    assert _short(_nested(990))


def test_predictions_stop_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("{}\n" * 100_000, encoding="utf-8")
    report = validate_predictions(path, {"x": "text"})
    assert len(report.findings) <= MAX_FINDINGS_PER_FILE + 1
    assert report.findings[-1].code == "findings-truncated"
    assert "stopped" in report.findings[-1].message


# ---------------------------------------------------------------- import


def _export(tmp_path: Path, fmt: str) -> tuple[Path, Path]:
    _corpus(tmp_path)
    articles = tmp_path / "dataset" / "articles"
    out = tmp_path / fmt
    assert main(["export", "--format", fmt, "--articles", str(articles), "--out", str(out)]) == 0
    return articles, out


def test_brat_non_utf8_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles, out = _export(tmp_path, "brat")
    ann = next(out.glob("*.ann"))
    ann.write_bytes(ann.read_bytes() + b"\nT999\tPER 0 3\t\xff\xfe\n")
    capsys.readouterr()
    code, output = _run(["import", "--format", "brat", str(out), "--articles", str(articles)], capsys)
    assert code == 1 and "UTF-8" in output


def test_brat_refuses_an_ann_linked_out_of_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles, out = _export(tmp_path, "brat")
    ann = next(out.glob("*.ann"))
    secret = tmp_path / "secret.txt"
    secret.write_text("T1\tPER 0 5\tsecret line\n", encoding="utf-8")
    ann.unlink()
    ann.symlink_to(secret)
    capsys.readouterr()
    code, output = _run(["import", "--format", "brat", str(out), "--articles", str(articles)], capsys)
    assert code == 1 and "symlink" in output and "secret line" not in output


@pytest.mark.parametrize(
    "tasks",
    [
        '[{"data": {"text": "T"}, "annotations": 5}]',
        "5",
        "[" * 5000 + "]" * 5000,
        '[{"data": 5}]',
        "\udcff",
    ],
)
def test_labelstudio_wrong_shapes(tmp_path: Path, capsys: pytest.CaptureFixture[str], tasks: str) -> None:
    articles, _ = _export(tmp_path, "labelstudio")
    path = tmp_path / "tasks.json"
    path.write_bytes(tasks.encode("utf-8", errors="surrogateescape"))
    capsys.readouterr()
    code, _ = _run(["import", "--format", "labelstudio", str(path), "--articles", str(articles)], capsys)
    assert code == 1


def test_labelstudio_annotation_shapes_inside_a_task(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles, out = _export(tmp_path, "labelstudio")
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    rng = random.Random(0)
    for trial in range(20):
        broken = json.loads(json.dumps(tasks))
        result = broken[0]["annotations"][0]["result"]
        item = result[rng.randrange(len(result))]
        key = rng.choice(sorted(item))
        item[key] = rng.choice([None, 5, "x", [], {}, [[[]]]])
        path = tmp_path / f"t{trial}.json"
        path.write_text(json.dumps(broken), encoding="utf-8")
        code, _ = _run(["import", "--format", "labelstudio", str(path), "--articles", str(articles)], capsys)
        assert code in (0, 1)


def test_import_keeps_the_mode_of_the_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles, out = _export(tmp_path, "brat")
    record = next(articles.glob("*.json"))
    record.chmod(0o644)
    capsys.readouterr()
    code, _ = _run(["import", "--format", "brat", str(out), "--articles", str(articles)], capsys)
    assert code == 0
    assert record.stat().st_mode & 0o777 == 0o644


def test_new_files_are_0644(tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    write_text_atomic(path, "x")
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o640)
    write_text_atomic(path, "y")
    assert path.stat().st_mode & 0o777 == 0o640


# ---------------------------------------------------------------- build


def test_build_out_under_a_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _corpus(tmp_path)
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    articles = tmp_path / "dataset" / "articles"
    argv = [
        "build",
        "--articles",
        str(articles),
        "--out",
        str(tmp_path / "a-file" / "hf"),
        "--include-drafts",
    ]
    code, _ = _run(argv, capsys)
    assert code == 2


# ---------------------------------------------------------------- kill tests


def _snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_killed_builds_leave_the_old_or_the_new_output(tmp_path: Path) -> None:
    _corpus(tmp_path)
    articles = tmp_path / "dataset" / "articles"
    out = tmp_path / "dataset" / "hf"
    env = {**os.environ, "PYTHONPATH": str(SRC), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    argv = [sys.executable, "-m", "seccoop.cli", "build", "--articles", str(articles), "--out", str(out)]
    argv.append("--include-drafts")  # the fixture is a draft; the kill test is about the swap
    subprocess.run(argv, env=env, check=True, capture_output=True)
    old = _snapshot(out)
    record = next(articles.glob("*.json"))
    data = json.loads(record.read_text(encoding="utf-8"))
    data["annotation"]["notes"] = [*data["annotation"]["notes"], "changed"]
    record.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    rng = random.Random(9)
    states = set()
    for _ in range(4):
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 6.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _snapshot(out)
        assert now, "dataset/hf vanished"
        states.add("old" if now == old else "new")
        if now != old:
            assert "README.md" in now and any(name.endswith(".parquet") for name in now)
    subprocess.run(argv, env=env, check=True, capture_output=True)
    assert _snapshot(out) != old
    assert not list(out.parent.glob(".hf.build-*")), "stale staging folders are cleaned up"


_POOL_SCRIPT = """
import os, sys, time
from seccoop.record.pool import process_pool
pool = process_pool(2, fork=sys.argv[1] == "fork")
busy = [pool.submit(time.sleep, 2) for _ in range(2)]  # no idle worker: the pool starts two
for future in busy:
    future.result(timeout=60)
print(" ".join(map(str, sorted(pool._processes))), flush=True)
time.sleep(120)
"""


def _exited(pid: int) -> bool:
    """Gone, or a zombie that only waits for its parent to collect it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return True
    return any(line.split()[1] in ("Z", "X") for line in status.splitlines() if line.startswith("State:"))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads process states from /proc")
@pytest.mark.parametrize("start", ["forkserver", "fork"])
def test_workers_exit_when_the_process_that_started_them_is_killed(start: str) -> None:
    from seccoop.record.pool import WATCH_SECONDS

    env = {**os.environ, "PYTHONPATH": str(SRC)}
    argv = [sys.executable, "-c", _POOL_SCRIPT, start]
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        workers = [int(pid) for pid in proc.stdout.readline().split()]  # "" if the script failed
        assert len(workers) == 2 and not any(_exited(pid) for pid in workers)
        proc.send_signal(signal.SIGKILL)  # no `finally`, no pool shutdown
        proc.wait()
    deadline = time.monotonic() + 10 * WATCH_SECONDS + 10
    while not all(_exited(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert all(_exited(pid) for pid in workers), "workers outlived the process that started them"


def test_killed_imports_leave_the_old_or_the_new_records(tmp_path: Path) -> None:
    articles, out = _export(tmp_path, "brat")
    first = next(articles.glob("*.json"))
    data = json.loads(first.read_text(encoding="utf-8"))
    data["id"] = "second-copy"
    (articles / "second-copy.json").write_text(json.dumps(data), encoding="utf-8")
    # compact JSON: the import rewrites every record in the committed form, so each file changes
    first.write_text(json.dumps(json.loads(first.read_text(encoding="utf-8"))), encoding="utf-8")
    shutil.rmtree(out)
    assert main(["export", "--format", "brat", "--articles", str(articles), "--out", str(out)]) == 0
    old = _snapshot(articles)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    argv = [sys.executable, "-m", "seccoop.cli", "import", "--format", "brat", str(out), "--articles"]
    reference = tmp_path / "reference"
    shutil.copytree(articles, reference)
    subprocess.run([*argv, str(reference)], env=env, check=True, capture_output=True)
    new = _snapshot(reference)
    assert new != old and set(new) == set(old)
    rng = random.Random(11)
    for _ in range(4):
        proc = subprocess.Popen(
            [*argv, str(articles)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _snapshot(articles) in (old, new)
        if _snapshot(articles) == new:
            break


def test_a_concurrent_build_fails_with_a_clear_message(tmp_path: Path) -> None:
    import fcntl

    from seccoop.hub.build import BuildError, build_dataset

    _corpus(tmp_path)
    articles = tmp_path / "dataset" / "articles"
    out = tmp_path / "dataset" / "hf"
    stale = tmp_path / "dataset" / ".hf.build-left-by-a-killed-build"
    stale.mkdir()
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another build holds the lock
        with pytest.raises(BuildError, match="another seccoop build"):
            build_dataset(articles, out)
        assert not out.exists() and stale.exists()
    finally:
        os.close(fd)
