"""The gold records written as a predictions file: a perfect system's output, for sanity checks
(it scores 1.0 on every measure) and as a worked example of the predictions format."""

from __future__ import annotations

from pathlib import Path

from seccoop.bench.predictions import write_predictions_jsonl
from seccoop.bench.score import gold_as_predictions, load_gold
from seccoop.review._common import ReviewError

__all__ = ["write_gold_predictions"]


def write_gold_predictions(articles: Path, out: Path) -> int:
    """Write the gold of ``articles`` as JSON Lines to ``out``; return the number of lines."""
    records, errors = load_gold([articles])
    if errors:
        raise ReviewError(errors)
    write_predictions_jsonl(out, gold_as_predictions(records))
    return len(records)
