"""Which `datasets` releases read the built dataset: load every config in a fresh venv per release.

Usage: python scripts/compat.py [--versions 4.0.0 5.2.0] [--hf dataset/hf] [--work DIR]

For each version, a virtual environment is created (``python -m venv``), ``datasets==<version>``
is installed into it from PyPI, and a child process in that environment loads every config of
the card with ``load_dataset(<hf>, <config>, split="test", cache_dir=<fresh>)`` offline, checks
that the loaded features equal the card's ``dataset_info`` features and that the rows equal the
ones the running interpreter's `datasets` loads. The default versions are the floor declared in
pyproject.toml (``datasets>=X``) and the newest release pip finds. This is a script, not a test:
it installs packages from the network. Exit 0 when every version given loads every config.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# Runs inside each venv: prints one JSON object {config: rows or error}.
_CHILD = r"""
import json, sys
import datasets
from datasets import Features, load_dataset
from huggingface_hub import DatasetCard

hf, cache = sys.argv[1], sys.argv[2]
card = DatasetCard.load(hf + "/README.md").data.to_dict()
paths = {c["config_name"]: [f["path"] for f in c["data_files"]] for c in card["configs"]}
out = {"datasets": datasets.__version__, "configs": {}}
for info in card["dataset_info"]:
    config = info["config_name"]
    try:
        ds = load_dataset(hf, config, split="test", cache_dir=cache)
        declared = Features._from_yaml_list(info["features"])
        out["configs"][config] = {
            "rows": ds.to_list(),
            "features_match_card": ds.features == declared,
        }
    except Exception as exc:  # report, do not stop: the next config may load
        out["configs"][config] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        continue
    # The bare Parquet files, without the card: features come from the Parquet schema metadata.
    try:
        files = [hf + "/" + p for p in paths[config]]
        bare = load_dataset("parquet", data_files={"test": files}, split="test", cache_dir=cache)
        out["configs"][config]["bare_parquet"] = "ok" if bare.features == declared else "other features"
    except Exception as exc:
        out["configs"][config]["bare_parquet"] = f"{type(exc).__name__}: {exc}"[:200]
print(json.dumps(out, default=str))
"""


def declared_floor() -> str:
    """The X of ``datasets>=X`` in pyproject.toml's runtime dependencies."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for dep in deps:
        match = re.fullmatch(r"datasets\s*>=\s*([0-9.]+)(,.*)?", dep)
        if match:
            return match.group(1)
    raise SystemExit("pyproject.toml declares no datasets>=X")


def newest() -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "datasets"], capture_output=True, text=True
    )
    match = re.search(r"datasets \(([^)]+)\)", result.stdout)
    if not match:
        raise SystemExit(f"pip cannot list datasets releases: {result.stderr.strip()}")
    return match.group(1)


def run_version(version: str, hf: Path, work: Path) -> dict:
    venv = work / f"datasets-{version}"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"datasets=={version}"],
            capture_output=True,
            text=True,
        )
        if pip.returncode != 0:
            return {"datasets": version, "error": pip.stderr.strip().splitlines()[-1:]}
    with tempfile.TemporaryDirectory(prefix="compat-cache-") as cache:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": cache}
        env.pop("PYTHONPATH", None)
        result = subprocess.run(
            [str(venv / "bin" / "python"), "-c", _CHILD, str(hf), cache],
            capture_output=True,
            text=True,
            env=env,
        )
    if result.returncode != 0:
        return {"datasets": version, "error": result.stderr.strip().splitlines()[-1:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--versions", nargs="*", help="datasets versions (default: the floor and the newest)")
    parser.add_argument("--hf", type=Path, default=ROOT / "dataset" / "hf")
    parser.add_argument("--work", type=Path, help="where the venvs go (default: a temporary folder)")
    args = parser.parse_args()
    versions = args.versions or [declared_floor(), newest()]
    work = args.work or Path(tempfile.mkdtemp(prefix="seccoop-compat-"))
    work.mkdir(parents=True, exist_ok=True)
    reference: dict[str, Any] = {}  # the first version's rows of each config
    ok = True
    for version in versions:
        result = run_version(version, args.hf.resolve(), work)
        if "error" in result:
            print(f"datasets {version}: cannot run: {result['error']}")
            ok = False
            continue
        for config, got in result["configs"].items():
            if "error" in got:
                print(f"datasets {result['datasets']}: {config}: FAILS: {got['error']}")
                ok = False
                continue
            same = reference.setdefault(config, got["rows"]) == got["rows"]
            good = got["features_match_card"] and same
            ok = ok and good
            print(
                f"datasets {result['datasets']}: {config}: {'ok' if good else 'DIFFERS'} "
                f"({len(got['rows'])} rows, features as in the card: {got['features_match_card']}, "
                f"rows equal to the first version's: {same}; the Parquet file alone, without the "
                f"card: {got.get('bare_parquet')})"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
