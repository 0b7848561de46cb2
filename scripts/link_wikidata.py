"""Apply the confirmed Wikidata QIDs of dataset/wikidata-links.json to dataset/articles/*.json.

Usage: python scripts/link_wikidata.py [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from seccoop.check.validate import validate_paths
from seccoop.record.io import write_text_atomic
from seccoop.record.models import dump_record
from seccoop.record.wikidata import apply_links

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if a record lacks a confirmed QID")
    args = parser.parse_args()
    table = json.loads((ROOT / "dataset" / "wikidata-links.json").read_text(encoding="utf-8"))
    report = validate_paths([ROOT / "dataset" / "articles"])
    if report.exit_code:
        print("the records do not validate; run seccoop validate", file=sys.stderr)
        return report.exit_code
    stale = []
    for loaded in report.records:
        text = dump_record(apply_links(loaded.record, table))
        if loaded.path.read_text(encoding="utf-8") != text:
            stale.append(loaded.path)
            if not args.check:
                write_text_atomic(loaded.path, text)
    for path in stale:
        print(f"{'stale' if args.check else 'updated'}: {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
