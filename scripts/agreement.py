"""Compute inter-annotator agreement of dataset/passes/a and /b; write dataset/agreement.json and
the table in dataset/AGREEMENT.md. Usage: python scripts/agreement.py [--check]"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from seccoop.bench.agreement import compare_folders, render_markdown, splice_table, to_json
from seccoop.record.io import write_text_atomic

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the committed files are stale")
    args = parser.parse_args()
    articles = compare_folders(ROOT / "dataset/passes/a", ROOT / "dataset/passes/b")
    outputs = {
        ROOT / "dataset/agreement.json": json.dumps(to_json(articles), indent=2) + "\n",
        ROOT / "dataset/AGREEMENT.md": splice_table(
            (ROOT / "dataset/AGREEMENT.md").read_text(encoding="utf-8"), render_markdown(articles)
        ),
    }
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path} is stale; regenerate with: python scripts/agreement.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        write_text_atomic(path, text)
    print(render_markdown(articles), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
