"""The ``seccoop`` command line: a thin layer that parses arguments, calls one library
function per command and turns its result into output and an exit code."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]

DEFAULT_ARTICLES = Path("dataset/articles")
DEFAULT_HF = Path("dataset/hf")


def _jobs(args: argparse.Namespace) -> int:
    if args.jobs is not None:
        return int(args.jobs)
    from seccoop.check.validate import default_jobs

    return default_jobs()


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number of processes")
    return number


def _cmd_validate(args: argparse.Namespace) -> int:
    from seccoop.check.diagnostics import render, summary_line
    from seccoop.check.validate import validate_paths

    paths = [Path(p) for p in args.paths] or [DEFAULT_ARTICLES]
    report = validate_paths(paths, keep_records=False, jobs=_jobs(args))
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
    from seccoop.record.io import read_regular_text, write_text_atomic
    from seccoop.record.models import Record, dump_record

    draft_path = Path(args.draft)
    try:
        draft = json.loads(read_regular_text(draft_path))
    except OSError as exc:
        print(f"{draft_path}: cannot read the draft: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except (ValueError, RecursionError) as exc:
        print(f"{draft_path}: the draft is not a JSON document: {str(exc)[:200]}", file=sys.stderr)
        return 1
    out = Path(args.output)
    root = Path(args.root) if args.root else corpus_root(out.absolute()) or Path.cwd()
    try:
        record = anchor_draft(draft, root)
    except AnchorError as exc:
        for problem in exc.problems:
            print(f"{draft_path}: {problem}", file=sys.stderr)
        return 1
    try:
        try:
            text = dump_record(Record.model_validate(record))
        except ValidationError:
            text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        text.encode("utf-8")
    except (RecursionError, UnicodeEncodeError) as exc:
        print(f"{draft_path}: the draft cannot be written as a record: {str(exc)[:200]}", file=sys.stderr)
        return 1
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
            result = build_dataset(articles, out, jobs=_jobs(args))
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


def _cmd_score(args: argparse.Namespace) -> int:
    from seccoop.bench.score import report_json, score_files
    from seccoop.check.diagnostics import render

    gold = [Path(p) for p in args.gold] if args.gold else [DEFAULT_ARTICLES]
    run = score_files(Path(args.predictions), gold, args.task)
    if run.findings:
        print(render(run.findings, "human"), file=sys.stderr)
    if run.report is not None:
        print(report_json(run.report) if args.json else run.report.to_table())
    return run.exit_code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="seccoop", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="validate article records (default: dataset/articles/)")
    p.add_argument("paths", nargs="*", help="record files or folders of records")
    p.add_argument("--format", choices=("human", "json", "github"), default="human")
    p.add_argument("--jobs", type=_positive, help="worker processes (default: the number of CPUs)")
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
    p.add_argument("--jobs", type=_positive, help="worker processes (default: the number of CPUs)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("score", help="score a system's predictions against the gold records")
    p.add_argument("--task", choices=("ner", "entities", "events", "quotes", "all"), default="all")
    p.add_argument(
        "--predictions", required=True, metavar="FILE", help="JSON Lines (schemas/predictions.schema.json)"
    )
    p.add_argument("--gold", nargs="+", metavar="PATH", help="gold records (default: dataset/articles)")
    p.add_argument("--json", action="store_true", help="print the whole report as JSON")
    p.set_defaults(func=_cmd_score)

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


def _tolerant_output() -> None:
    # A message may quote a lone surrogate or bytes a file name could not decode: print them
    # escaped rather than die with UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``seccoop`` console script; returns the exit code.

    Exit codes: 0 clean, 1 findings at error level, 2 usage or I/O trouble (any OSError that a
    command did not report itself, such as an unwritable output, ends here with exit 2).
    """
    _tolerant_output()
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except OSError as exc:
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"seccoop {args.command}:{where} {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"seccoop {args.command}: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
