"""Run a rule-based baseline on the gold articles' texts and write its predictions (JSON Lines).

Usage: python scripts/baseline.py [--gold dataset/articles] [--system rules] [--output FILE]
Score the file with: seccoop score --task all --predictions FILE
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from seccoop.bench.baseline import SYSTEMS, run_baseline
from seccoop.check.diagnostics import render

ROOT = Path(__file__).resolve().parents[1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gold", nargs="+", default=[str(ROOT / "dataset/articles")], help="gold records")
    parser.add_argument("--system", choices=sorted(SYSTEMS), default="rules")
    parser.add_argument("--output", help="predictions file (default: build/baselines/<system>.jsonl)")
    args = parser.parse_args(argv)
    output = Path(args.output) if args.output else ROOT / "build" / "baselines" / f"{args.system}.jsonl"
    run = run_baseline([Path(p) for p in args.gold], output, args.system)
    if run.findings:
        print(render(run.findings, "human"), file=sys.stderr)
    for path in run.written:
        print(f"wrote {path}")
    return run.exit_code


if __name__ == "__main__":
    sys.exit(main())
