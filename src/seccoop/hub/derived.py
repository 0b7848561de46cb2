"""Everything derived from the records, regenerated in one order and checked in one pass.

``seccoop build`` calls :func:`build_all`; ``seccoop build --check`` calls :func:`check_all`.
The order matters and is fixed here, so that no contributor has to remember it:

1. the agreement figures: ``dataset/agreement.json`` and the 1.0.0 table of ``dataset/AGREEMENT.md``
   (all layers, from the 1.0.0 passes in dataset/passes/v1/a, b, or from dataset/passes/a, b where
   there is no v1 folder), and ``dataset/agreement-events.json`` with the event-layer table of the
   current passes (dataset/passes/a, b);
2. ``dataset/baselines.json`` (the baseline systems scored on the records; the card reads it);
3. ``dataset/hf/``: parquet per config, the card, Croissant (reads 1 and 2);
4. the README's statistics block and baseline table.

Checked but never rewritten by the build: the JSON Schemas (``seccoop schemas --write``) and the
Wikidata links of the records (``python scripts/link_wikidata.py``): links change the records,
the source of truth, so they are applied only when the contributor asks.

Records with ``annotation.status == "draft"`` are refused unless ``include_drafts`` is set: a
draft is work in progress and must not be published as if it were annotated.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from seccoop.bench.agreement import (
    EVENTS_TABLE_BEGIN,
    EVENTS_TABLE_END,
    compare_event_folders,
    compare_folders,
    render_events_markdown,
    render_markdown,
    splice_table,
    to_json,
)
from seccoop.bench.baseline import (
    LEADERBOARD_BEGIN,
    LEADERBOARD_END,
    PREDICTED_PER_TASK,
    leaderboard_markdown,
    write_baselines,
)
from seccoop.bench.schemas import REGENERATE as SCHEMAS_FIX
from seccoop.bench.schemas import check_schemas
from seccoop.check.diagnostics import render
from seccoop.check.validate import corpus_root
from seccoop.hub.build import BuildError, Corpus, build_dataset, check_build_result, validate_corpus
from seccoop.hub.stats import README_BEGIN, README_END, CorpusSummary
from seccoop.record.io import splice, write_text_atomic
from seccoop.record.models import Record
from seccoop.record.wikidata import apply_links

__all__ = ["DerivedPaths", "Stale", "build_all", "check_all", "drafts_in"]

LINK_FIX = "python scripts/link_wikidata.py"
AGREEMENT_FIX = "python scripts/agreement.py"


@dataclass(frozen=True)
class DerivedPaths:
    """Where the derived files of a corpus live; by default relative to its root (the folder with seeds/)."""

    articles: Path
    hf: Path
    root: Path

    @classmethod
    def of(cls, articles: Path, hf: Path) -> DerivedPaths:
        """The paths for records in ``articles`` and the Hugging Face build in ``hf``."""
        root = corpus_root(articles.absolute()) or articles.absolute().parent.parent
        return cls(articles, hf, root)

    @property
    def dataset(self) -> Path:
        return self.articles.parent

    @property
    def readme(self) -> Path:
        return self.root / "README.md"

    @property
    def baselines(self) -> Path:
        return self.dataset / "baselines.json"

    @property
    def agreement_json(self) -> Path:
        return self.dataset / "agreement.json"

    @property
    def agreement_md(self) -> Path:
        return self.dataset / "AGREEMENT.md"

    @property
    def passes(self) -> tuple[Path, Path]:
        """The two passes behind the current records."""
        return self.dataset / "passes" / "a", self.dataset / "passes" / "b"

    @property
    def passes_all_layers(self) -> tuple[Path, Path]:
        """The passes compared on every layer: the 1.0.0 passes where they are kept."""
        v1 = self.dataset / "passes" / "v1"
        return (v1 / "a", v1 / "b") if v1.is_dir() else self.passes

    @property
    def agreement_events_json(self) -> Path:
        return self.dataset / "agreement-events.json"

    @property
    def links(self) -> Path:
        return self.dataset / "wikidata-links.json"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"


@dataclass(frozen=True)
class Stale:
    """One derived item that is not current: what, why, and the one command that fixes it."""

    item: str
    reason: str
    fix: str

    def __str__(self) -> str:
        return f"{self.item}: {self.reason}; fix: {self.fix}"


def drafts_in(records: Sequence[Record]) -> list[str]:
    """The ids of the records whose status is ``draft``."""
    return [r.id for r in records if r.annotation.status == "draft"]


def _first_of(names: Sequence[str], shown: int = 10) -> str:
    """``names`` joined by commas, the first ``shown`` of them and how many more there are (a
    message about a thousand records names ten)."""
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


def _refuse_drafts(corpus: Corpus, include_drafts: bool) -> None:
    drafts = list(corpus.drafts)
    if drafts and not include_drafts:
        raise BuildError(
            f"{len(drafts)} record(s) have status 'draft' and would be published as annotated: "
            f"{_first_of(drafts)}. Finish the annotation and set annotation.status to 'single' "
            "(or 'double-annotated', 'adjudicated'), or build anyway with: seccoop build --include-drafts"
        )


def agreement_outputs(paths: DerivedPaths) -> dict[Path, str]:
    """The agreement files and their text: all layers of the 1.0.0 passes, and the event layer of
    the current passes (each only where its passes and the document exist)."""
    out: dict[Path, str] = {}
    if not paths.agreement_md.exists():
        return out
    document = paths.agreement_md.read_text(encoding="utf-8")
    pass_a, pass_b = paths.passes_all_layers
    if pass_a.is_dir() and pass_b.is_dir():
        articles = compare_folders(pass_a, pass_b)
        out[paths.agreement_json] = json.dumps(to_json(articles), indent=2) + "\n"
        document = splice_table(document, render_markdown(articles))
    pass_a, pass_b = paths.passes
    if pass_a.is_dir() and pass_b.is_dir() and EVENTS_TABLE_BEGIN in document:
        events = compare_event_folders(pass_a, pass_b)
        out[paths.agreement_events_json] = json.dumps(events.as_dict(), indent=2) + "\n"
        document = splice(document, EVENTS_TABLE_BEGIN, EVENTS_TABLE_END, render_events_markdown(events))
    out[paths.agreement_md] = document
    return out


def _baselines_text(paths: DerivedPaths, corpus: Corpus, jobs: int = 1) -> str:
    """The baselines file of the records; ``jobs`` worker processes predict (at most one per
    chunk of records: each loads its own copy of a model such as spaCy's pipeline)."""
    from concurrent.futures import BrokenExecutor

    from seccoop.bench.adapters import AdapterError

    workers = max(1, min(jobs, -(-len(corpus) // PREDICTED_PER_TASK)))
    with tempfile.TemporaryDirectory(prefix="seccoop-baselines-") as tmp:
        out = Path(tmp) / "baselines.json"
        previous = (
            json.loads(paths.baselines.read_text(encoding="utf-8")) if paths.baselines.exists() else None
        )
        try:
            run = write_baselines(
                [paths.articles],
                out,
                Path(tmp) / "predictions",
                previous=previous,
                records=corpus.iter_records(),
                jobs=workers,
            )
        except AdapterError as exc:
            raise BuildError(f"the baselines cannot be predicted: {exc}") from exc
        except BrokenExecutor as exc:
            raise BuildError(
                "a worker process predicting the baselines stopped (out of memory?); "
                "run again with fewer workers, e.g. --jobs 1"
            ) from exc
        if run.exit_code:
            raise BuildError("the baselines cannot be scored", run.findings)
        return out.read_text(encoding="utf-8")


def _readme_text(paths: DerivedPaths, summary: CorpusSummary, baselines: str) -> str | None:
    if not paths.readme.exists():
        return None
    text = paths.readme.read_text(encoding="utf-8")
    if README_BEGIN in text:
        text = splice(text, README_BEGIN, README_END, summary.table.render())
    if LEADERBOARD_BEGIN in text:
        text = splice(text, LEADERBOARD_BEGIN, LEADERBOARD_END, leaderboard_markdown(json.loads(baselines)))
    return text


def build_all(
    paths: DerivedPaths,
    *,
    include_drafts: bool = False,
    log: Callable[[str], None] = lambda _: None,
    jobs: int = 1,
) -> list[Path]:
    """Regenerate every derived file in order; return what was written. Raises `BuildError`.

    The records are validated once (``jobs`` worker processes), and every step takes them
    from that one validation; ``jobs`` worker processes also predict the baselines and build the
    Parquet rows."""
    corpus = validate_corpus(paths.articles, jobs=jobs)
    _refuse_drafts(corpus, include_drafts)
    written: list[Path] = []
    for path, text in agreement_outputs(paths).items():
        write_text_atomic(path, text)
        written.append(path)
        log(f"wrote {path}")
    baselines = _baselines_text(paths, corpus, jobs)
    write_text_atomic(paths.baselines, baselines)
    written.append(paths.baselines)
    log(f"wrote {paths.baselines}")
    result = build_dataset(
        paths.articles,
        paths.hf,
        agreement=paths.agreement_json,
        baselines=paths.baselines,
        jobs=jobs,
        corpus=corpus,
    )
    if result.warnings:
        log(render(result.warnings, "human"))
    rows = ", ".join(f"{config} {n}" for config, n in result.num_rows.items())
    log(f"built {paths.hf} from {result.records} record(s); rows: {rows}")
    written.append(paths.hf)
    readme = _readme_text(paths, result.summary, baselines)
    if readme is not None:
        write_text_atomic(paths.readme, readme)
        written.append(paths.readme)
        log(f"updated the statistics and the baseline table in {paths.readme}")
    return written


def _stale_links(paths: DerivedPaths, corpus: Corpus) -> list[Stale]:
    """Records whose entities lack a confirmed QID (or carry another one)."""
    if not paths.links.exists():
        return []
    table = json.loads(paths.links.read_text(encoding="utf-8"))
    out = []
    # in file order, as the validator lists the records
    order = sorted(range(len(corpus)), key=lambda i: corpus.paths[i])
    for path, record in zip((corpus.paths[i] for i in order), corpus.iter_records(order), strict=True):
        linked = apply_links(record, table)
        differ = [
            e.name for e, f in zip(record.entities, linked.entities, strict=True) if e.wikidata != f.wikidata
        ]
        if differ:
            names = ", ".join(differ[:5]) + (" ..." if len(differ) > 5 else "")
            out.append(Stale(str(path), f"Wikidata QIDs differ from the confirmed links ({names})", LINK_FIX))
    return out


def check_all(paths: DerivedPaths, *, include_drafts: bool = False, jobs: int = 1) -> list[Stale]:
    """Every derived item that is stale, each with the command that fixes it. Raises `BuildError`.

    The records are validated once (``jobs`` worker processes) for every check."""
    corpus = validate_corpus(paths.articles, jobs=jobs)
    _refuse_drafts(corpus, include_drafts)
    stale: list[Stale] = []
    for drift in check_schemas(paths.schemas) if paths.schemas.is_dir() else []:
        stale.append(Stale(str(drift.path), drift.reason, SCHEMAS_FIX))
    stale += _stale_links(paths, corpus)
    for path, text in agreement_outputs(paths).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(Stale(str(path), "differs from the annotation passes", AGREEMENT_FIX))
    baselines = _baselines_text(paths, corpus, jobs)
    current = paths.baselines.read_text(encoding="utf-8") if paths.baselines.exists() else None
    if current != baselines:
        stale.append(Stale(str(paths.baselines), "differs from the scores of the records", "seccoop build"))
    build_drift, result = check_build_result(
        paths.articles,
        paths.hf,
        agreement=paths.agreement_json,
        baselines=paths.baselines,
        jobs=jobs,
        corpus=corpus,
    )
    for line in build_drift:
        stale.append(Stale(f"{paths.hf}/{line.split(': ', 1)[0]}", line.split(": ", 1)[-1], "seccoop build"))
    readme = _readme_text(paths, result.summary, baselines)
    if readme is not None and readme != paths.readme.read_text(encoding="utf-8"):
        stale.append(Stale(str(paths.readme), "statistics or baseline table differ", "seccoop build"))
    return stale
