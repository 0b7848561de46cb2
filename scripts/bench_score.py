"""Speed benchmark of NER scoring against seqeval, in process, with equal numbers.

The corpus is the real gold records copied under new ids until it holds at least N sentences
(default 100,000), and the predictions are the ``spacy-sm`` baseline's for each copy (real
errors of a real system); when spaCy is not installed, the ``rules`` baseline's. Timed, each the
best of R runs (default 3):

Garbage collection is switched off while a run is timed (as ``timeit`` does), for both sides.

* seqeval: ``classification_report(y_true, y_pred, output_dict=True, zero_division=0)`` on IOB2
  tags built beforehand (not timed), one sequence per sentence;
* seccoop, cold: ``score(records, predictions, "ner")``, which aligns, tokenizes each article once
  and computes the four SemEval-2013 modes and the CoNLL measure;
* seccoop, warm: the same call again: an article's sentence tokens are cached by text, as
  seqeval's input tags are prebuilt;
* seccoop, the CoNLL measure alone (what seqeval computes): aligning the predictions and the
  CoNLL span F1 of :mod:`seccoop.bench.score.ner`, warm.

The CoNLL numbers (micro and per type precision, recall, F1 and support) must equal seqeval's
to 1e-12, or the script fails. Target: the CoNLL measure, which is the computation seqeval does,
at least 10 times faster than seqeval; the whole ``ner`` task (four SemEval-2013 modes besides)
is reported too.
Writes BENCHMARKS-score.md (or --out) and exits 1 when a target is missed.

Usage: python scripts/bench_score.py [--sentences 100000] [--repeat 3] [--out BENCHMARKS-score.md]
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from seqeval.metrics import classification_report

from seccoop import __version__, load_articles
from seccoop.bench.baseline import SYSTEMS
from seccoop.bench.predictions import ArticlePrediction
from seccoop.bench.score import align_all, iob2_sentences, score
from seccoop.bench.score.ner import _conll, _predicted_names, clear_token_cache
from seccoop.record.models import Record

ROOT = Path(__file__).resolve().parents[1]
TARGET = 10.0


def _corpus(sentences: int) -> tuple[list[Record], list[ArticlePrediction], str]:
    originals = load_articles(ROOT / "dataset" / "articles")
    system = "spacy-sm"
    try:
        base = [SYSTEMS[system].predict(r.id, r.text) for r in originals]
    except Exception:  # spaCy or its pipeline is not installed
        system = "rules"
        base = [SYSTEMS[system].predict(r.id, r.text) for r in originals]
    records: list[Record] = []
    predictions: list[ArticlePrediction] = []
    n = 0
    while sum(len(r.sentences) for r in records) < sentences:
        for record, prediction in zip(originals, base, strict=True):
            rid = f"{record.id}-copy{n}"
            # A distinct text per copy (a trailing line), so no cache can share work between copies.
            text = f"{record.text}\n{rid}\n"
            records.append(record.model_copy(update={"id": rid, "text": text}))
            predictions.append(prediction.model_copy(update={"id": rid}))
        n += 1
    return records, predictions, system


def _tags(records: Sequence[Record], names: Sequence[list[tuple[int, int, str]]]) -> list[list[str]]:
    out = []
    for r, ns in zip(records, names, strict=True):
        out += [tags for _, tags in iob2_sentences(r.text, [(s.start, s.end) for s in r.sentences], ns)]
    return out


def _best(run: Callable[[], Any], repeat: int, before: Callable[[], None] | None = None) -> tuple[float, Any]:
    best = math.inf
    result = None
    for _ in range(repeat):
        if before is not None:
            before()
        gc.collect()
        gc.disable()  # as timeit does, for both sides alike
        try:
            t0 = time.perf_counter()
            result = run()
            best = min(best, time.perf_counter() - t0)
        finally:
            gc.enable()
    return best, result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS-score.md"))
    args = parser.parse_args(argv)

    records, predictions, system = _corpus(args.sentences)
    n_sentences = sum(len(r.sentences) for r in records)
    gold_names = [
        [(m.start, m.end, types[m.entity]) for m in r.mentions if m.kind == "NAM"]
        for r in records
        for types in [{e.id: e.type for e in r.entities}]
    ]
    pred_names = [
        [
            (m.start, m.end, m.type)
            for m in p.mentions or []
            if m.kind == "NAM" and m.start is not None and m.end is not None
        ]
        for p in predictions
    ]
    y_true, y_pred = _tags(records, gold_names), _tags(records, pred_names)

    t_seqeval, ref = _best(
        lambda: classification_report(y_true, y_pred, output_dict=True, zero_division=0), args.repeat
    )
    t_cold, _ = _best(lambda: score(records, predictions, "ner"), args.repeat, before=clear_token_cache)
    t_warm, report = _best(lambda: score(records, predictions, "ner"), args.repeat)

    def conll_only() -> Any:
        aligned = align_all(records, predictions)
        names, lost = zip(*(_predicted_names(a) for a in aligned), strict=True)
        return _conll(records, list(names), [t for types in lost for t in types])

    t_conll, conll_alone = _best(conll_only, args.repeat)

    conll = report.ner.conll
    assert conll_alone == conll
    rows = [(conll.micro, ref["micro avg"]), *((conll.per_type[t], ref[t]) for t in conll.per_type)]
    labels = {k for k in ref if not k.endswith(" avg")}
    equal = labels == set(conll.per_type) and all(
        abs(ours.precision - theirs["precision"]) <= 1e-12
        and abs(ours.recall - theirs["recall"]) <= 1e-12
        and abs(ours.f1 - theirs["f1-score"]) <= 1e-12
        and ours.gold == theirs["support"]
        for ours, theirs in rows
    )
    ratio_warm, ratio_cold, ratio_conll = t_seqeval / t_warm, t_seqeval / t_cold, t_seqeval / t_conll
    ok = equal and ratio_conll >= TARGET
    lines = [
        "# Scoring speed (generated by `python scripts/bench_score.py`)",
        "",
        f"seccoop {__version__}, Python {platform.python_version()}, {platform.machine()}; "
        f"{len(records)} articles, {n_sentences} sentences, {sum(map(len, gold_names))} gold names, "
        f"predictions of the `{system}` baseline; best of {args.repeat} runs, in process.",
        "",
        "| what | seconds | seqeval / this |",
        "|---|---:|---:|",
        f"| seqeval `classification_report`, prebuilt IOB2 tags | {t_seqeval:.3f} | 1.0 |",
        f'| `score(..., "ner")`, cold (aligns, tokenizes each article) | {t_cold:.3f} | {ratio_cold:.1f} |',
        f'| `score(..., "ner")`, warm (sentence tokens cached by text) | {t_warm:.3f} | {ratio_warm:.1f} |',
        f"| CoNLL measure alone (align + CoNLL span F1), warm | {t_conll:.3f} | {ratio_conll:.1f} |",
        "",
        f"`score` computes the four SemEval-2013 modes as well as the CoNLL measure. CoNLL numbers "
        f"equal seqeval's (micro and per type, to 1e-12): **{'yes' if equal else 'NO'}**. Target: the "
        f"CoNLL measure at least {TARGET:.0f}x faster than seqeval: "
        f"**{'met' if ratio_conll >= TARGET else 'MISSED'}**; the whole `ner` task, four SemEval "
        f"modes included: {ratio_warm:.1f}x.",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
