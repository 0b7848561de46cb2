"""Run every baseline system on the gold articles, score its predictions file exactly as
`seccoop score` does, and write the scores to dataset/baselines.json (read by the dataset card).

Usage: python scripts/baseline_scores.py [--gold dataset/articles] [--output dataset/baselines.json]
                                         [--predictions-dir build/baselines] [--readme README.md]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from seccoop.bench.baseline import LEADERBOARD_BEGIN, LEADERBOARD_END, leaderboard_markdown, write_baselines
from seccoop.check.diagnostics import render
from seccoop.record.io import splice, write_text_atomic

ROOT = Path(__file__).resolve().parents[1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gold", nargs="+", default=[str(ROOT / "dataset/articles")], help="gold records")
    parser.add_argument("--output", default=str(ROOT / "dataset/baselines.json"))
    parser.add_argument("--predictions-dir", default=str(ROOT / "build/baselines"))
    parser.add_argument(
        "--readme", metavar="FILE", help="also update the leaderboard block of FILE (README.md)"
    )
    args = parser.parse_args(argv)
    run = write_baselines([Path(p) for p in args.gold], Path(args.output), Path(args.predictions_dir))
    if run.findings:
        print(render(run.findings, "human"), file=sys.stderr)
    for path in run.written:
        print(f"wrote {path}")
    if run.exit_code == 0 and args.readme:
        readme = Path(args.readme)
        table = leaderboard_markdown(json.loads(Path(args.output).read_text(encoding="utf-8")))
        write_text_atomic(
            readme, splice(readme.read_text(encoding="utf-8"), LEADERBOARD_BEGIN, LEADERBOARD_END, table)
        )
        print(f"updated the leaderboard in {readme}")
    return run.exit_code


if __name__ == "__main__":
    sys.exit(main())
