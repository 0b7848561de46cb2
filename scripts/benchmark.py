"""Speed and memory benchmark of the validator and the build on a synthetic corpus.

The corpus is the real records copied N times under new ids (each with its own seed copy), so
every check runs on realistic annotation density. Also validates one 50 MB file. Targets (on the
2-core CI machine): validating 100 articles under 10 s, building them under 60 s, and a 50 MB
file (about 700,000 mentions) under 60 s, each with peak memory under 2 GiB. Exit 1 when a target
is missed. On a 50 MB file the JSON Schema layer (the jsonschema library) takes most of the time.

Usage: python scripts/benchmark.py [--copies 25] [--skip-build]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from seccoop.check.validate import validate_paths
from seccoop.hub.build import build_dataset
from seccoop.record.models import dump_record

ROOT = Path(__file__).resolve().parents[1]
GIB = 1024**3


def _synthetic_corpus(root: Path, copies: int) -> Path:
    articles = root / "dataset" / "articles"
    articles.mkdir(parents=True)
    (root / "seeds").mkdir()
    originals = validate_paths([ROOT / "dataset" / "articles"]).records
    for n in range(copies):
        for loaded in originals:
            rid = f"{loaded.record.id}-copy{n}"
            seed = f"seeds/{rid}.txt"
            (root / seed).write_bytes(loaded.record.text.encode("utf-8"))
            data = loaded.record.model_dump(mode="json") | {"id": rid}
            data["source"] = {"path": seed, "sha256": loaded.record.source.sha256}
            record = type(loaded.record).model_validate(data)
            (articles / f"{rid}.json").write_text(dump_record(record), encoding="utf-8")
    return articles


def _measure(label: str, target_s: float, action: Callable[[], Any]) -> bool:
    start = time.perf_counter()
    action()
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    ok = elapsed <= target_s and peak <= 2 * GIB
    print(
        f"{label:40} {elapsed:8.2f} s (target {target_s:.0f} s)  "
        f"peak RSS {peak / GIB:.2f} GiB  {'ok' if ok else 'MISSED'}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=25, help="copies of the 4 real articles (default 25)")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        articles = _synthetic_corpus(root, args.copies)
        n = args.copies * 4

        def validate() -> None:
            report = validate_paths([articles])
            assert report.exit_code == 0, report.findings[:3]

        results.append(_measure(f"validate {n} articles", 10 * n / 100, validate))
        if not args.skip_build:
            results.append(
                _measure(f"build {n} articles", 60 * n / 100, lambda: build_dataset(articles, root / "hf"))
            )
        big = root / "big.json"
        record = json.loads(
            (ROOT / "dataset/articles/us-kenya-defense-cooperation-pact.json").read_text("utf-8")
        )
        record["mentions"] = record["mentions"] * (
            50 * 1024 * 1024 // len(json.dumps(record["mentions"])) + 1
        )
        big.write_text(json.dumps(record), encoding="utf-8")
        results.append(
            _measure(f"validate one {big.stat().st_size // 2**20} MB file", 60, lambda: validate_paths([big]))
        )
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
