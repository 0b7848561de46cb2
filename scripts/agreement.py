"""Compute the inter-annotator agreement files that `seccoop build` also writes: all layers of the
1.0.0 passes (dataset/passes/v1/a, b -> dataset/agreement.json and its table in
dataset/AGREEMENT.md) and the event layer of the current passes (dataset/passes/a, b ->
dataset/agreement-events.json and its table). Usage: python scripts/agreement.py [--check]

With --events PASS_A_DIR PASS_B_DIR, compare the event layer of two folders of full records
instead (trigger F1; kappa and alpha for type, realis and mode; context; argument F1; event
clusters by MUC, B-cubed and CEAF-e), print a table and, with --json OUT.json, write the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from seccoop.bench.agreement import (
    compare_event_folders,
    render_events_markdown,
)
from seccoop.hub.derived import DerivedPaths, agreement_outputs
from seccoop.record.io import write_text_atomic

ROOT = Path(__file__).resolve().parents[1]


def _events(dir_a: Path, dir_b: Path, out: Path | None) -> int:
    try:
        agreement = compare_event_folders(dir_a, dir_b)
    except (OSError, ValueError, ValidationError) as exc:
        # ValidationError is a ValueError; both name the record that cannot be compared
        print(f"agreement: {exc}", file=sys.stderr)
        return 2
    if out is not None:
        write_text_atomic(out, json.dumps(agreement.as_dict(), indent=2) + "\n")
    print(render_events_markdown(agreement), end="")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail if the committed files are stale")
    parser.add_argument(
        "--events",
        nargs=2,
        type=Path,
        metavar=("PASS_A_DIR", "PASS_B_DIR"),
        help="compare the event layer of two folders of records (same file names)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT.json", help="with --events: write the figures here")
    args = parser.parse_args()
    if args.events:
        if args.check:
            parser.error("--check applies to the committed agreement files, not to --events")
        return _events(args.events[0], args.events[1], args.json)
    if args.json:
        parser.error("--json needs --events")
    outputs = agreement_outputs(DerivedPaths.of(ROOT / "dataset/articles", ROOT / "dataset/hf"))
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path} is stale; regenerate with: python scripts/agreement.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        write_text_atomic(path, text)
    for path in outputs:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
