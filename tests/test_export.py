"""Interchange formats: round-trip laws, what each format drops, golden files, and import errors.

The laws: for brat and Label Studio, import(export(records), records) == records, and the import
takes from the base record exactly the parts that the export says the format drops (every other
part is perturbed or removed in the base and must come back from the files). CoNLL tags decode
to exactly the outermost names; a spaCy DocBin gives back its ents and span groups.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seccoop.formats.export import (
    EXPORT_FORMATS,
    LOSSES,
    ConversionError,
    MissingExtraError,
    export_corpus,
    export_records,
    import_corpus,
    import_records,
)
from seccoop.record.models import EntityArgument, Record, dump_record
from seccoop.record.ontology import load_ontology
from seccoop.record.tokens import tokenize
from tests.strategies import corpora, entity_type_of, records, write_corpus

ONT = load_ontology()
FIXTURES = Path(__file__).parent / "fixtures"
BORDER = Record.model_validate_json((FIXTURES / "valid" / "border-patrols.json").read_text(encoding="utf-8"))
GOLDEN = FIXTURES / "export" / "border-patrols"
UPDATE = "SECCOOP_UPDATE_GOLDEN=1 python -m pytest tests/test_export.py -k golden"
LAWS = settings(max_examples=40, deadline=None)
ACTOR_TYPES = ("PER", "ORG", "GPE")


# ---------------------------------------------------------------- richer records


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@st.composite
def rich_records(draw: st.DrawFn) -> Record:
    """A record from ``records()`` with every layer the formats must carry made non-trivial.

    Adds names nested in longer names, nominals wrapping a name, pronouns, Wikidata QIDs, null
    normalizations, repeated roles, two events on one trigger, interrupted quotes, cues, all
    quote kinds and speakers without a mention; new mentions go to the end of the list.
    """
    d = draw(records()).model_dump(mode="json")
    text = d["text"]
    entities, mentions = d["entities"], d["mentions"]
    spans = {(m["start"], m["end"]) for m in mentions}
    occupied = [(x["start"], x["end"]) for x in mentions + d["values"]]
    occupied += [(e["trigger"]["start"], e["trigger"]["end"]) for e in d["events"]]
    occupied += [(c["start"], c["end"]) for q in d["quotes"] for c in q["content"]]
    in_sentence = [(s["start"], s["end"]) for s in d["sentences"]]
    free = [
        (t.start, t.end)
        for t in tokenize(text)
        if t.text.isalpha()
        and t.text.islower()
        and any(a <= t.start and t.end <= b for a, b in in_sentence)
        and not any(_overlaps((t.start, t.end), o) for o in occupied)
    ]

    def new_mention(entity: str, start: int, end: int, kind: str) -> None:
        mentions.append(
            {
                "id": f"m{len(mentions) + 1}",
                "entity": entity,
                "start": start,
                "end": end,
                "text": text[start:end],
                "kind": kind,
            }
        )
        spans.add((start, end))

    # a longer name over two adjacent names: the two become nested
    by_start = sorted(mentions, key=lambda m: m["start"])
    used: set[str] = set()
    for a, b in itertools.pairwise(by_start):
        if (
            a["id"] in used
            or b["id"] in used
            or text[a["end"] : b["start"]] != " "
            or not draw(st.booleans())
        ):
            continue
        name = text[a["start"] : b["end"]]
        entities.append(
            {
                "id": f"e{len(entities) + 1}",
                "type": entity_type_of(name),
                "name": name,
                "wikidata": None,
                "sector": None,
            }
        )
        new_mention(entities[-1]["id"], a["start"], b["end"], "NAM")
        used |= {a["id"], b["id"]}
    # a nominal wrapping a name ("word Name"), and pronouns on free words
    for w in list(free):
        follower = next((m for m in by_start if m["start"] == w[1] + 1), None)
        if follower is not None and (w[0], follower["end"]) not in spans and draw(st.booleans()):
            new_mention(follower["entity"], w[0], follower["end"], "NOM")
            free.remove(w)
    for w in list(free):
        if draw(st.integers(0, 3)) == 0:
            new_mention(draw(st.sampled_from(entities))["id"], w[0], w[1], "PRO")
            free.remove(w)
    for e in entities:
        if draw(st.booleans()):
            e["wikidata"] = f"Q{draw(st.integers(1, 10**9))}"
    for v in d["values"]:
        if draw(st.booleans()):
            v["normalized"] = None
    types = {e["id"]: e["type"] for e in entities}
    actors = [m for m in mentions if types[m["entity"]] in ACTOR_TYPES]
    for ev in d["events"]:
        if len(actors) > 0 and draw(st.booleans()):
            m = draw(st.sampled_from(actors))
            ev["arguments"].append({"role": "Source", "entity": m["entity"], "mention": m["id"]})
    if d["events"] and draw(st.booleans()):
        twin = dict(d["events"][0], id=f"ev{len(d['events']) + 1}", arguments=[])
        twin["type"] = "MOBILIZE" if twin["type"] != "MOBILIZE" else "PROTEST"
        twin["mode"] = None
        d["events"].append(twin)
    for q in d["quotes"]:
        c = q["content"][0]
        words = [t for t in tokenize(text, c["start"], c["end"])]
        if len(words) >= 3 and draw(st.booleans()):
            first, last = words[0], words[-1]
            q["content"] = [
                {"start": first.start, "end": first.end, "text": first.text},
                {"start": last.start, "end": last.end, "text": last.text},
            ]
        if len(free) > 0 and draw(st.booleans()):
            s, e = free.pop(draw(st.integers(0, len(free) - 1)))
            q["cue"] = {"start": s, "end": e, "text": text[s:e]}
        q["kind"] = draw(st.sampled_from(sorted(ONT.quote_kinds)))
        if q["speaker_mention"] is not None and draw(st.booleans()):
            q["speaker_mention"] = None
        elif q["speaker"] is None and draw(st.booleans()):
            q["speaker"] = draw(st.sampled_from(entities))["id"]
    return Record.model_validate(d)


# ---------------------------------------------------------------- mutations of the base record


def _rename(record: Record, layer: str, prefix: str = "x") -> Record:
    """Rename every id of ``layer`` (and the references to it) by adding a prefix."""
    new = {x.id: f"{prefix}{x.id}" for x in getattr(record, layer)}
    update: dict[str, Any] = {layer: [x.model_copy(update={"id": new[x.id]}) for x in getattr(record, layer)]}
    if layer in ("mentions", "values"):
        events = []
        for ev in record.events:
            args = []
            for a in ev.arguments:
                if layer == "mentions" and isinstance(a, EntityArgument):
                    a = a.model_copy(update={"mention": new[a.mention]})
                elif layer == "values" and not isinstance(a, EntityArgument):
                    a = a.model_copy(update={"value": new[a.value]})
                args.append(a)
            events.append(ev.model_copy(update={"arguments": args}))
        update["events"] = events
    if layer == "mentions":
        update["quotes"] = [
            q.model_copy(update={"speaker_mention": new.get(q.speaker_mention or "")}) for q in record.quotes
        ]
    return record.model_copy(update=update)


def _unmentioned(record: Record) -> set[str]:
    return {e.id for e in record.entities} - {m.entity for m in record.mentions}


# Each path a format may drop, and a change of exactly that part of a record.
DROPPED_MUTATORS: dict[str, Callable[[Record], Record]] = {
    "source": lambda r: r.model_copy(
        update={"source": r.source.model_copy(update={"path": "seeds/elsewhere.txt"})}
    ),
    "title": lambda r: r.model_copy(update={"title": "A title"}),
    "publisher": lambda r: r.model_copy(update={"publisher": "A publisher"}),
    "byline": lambda r: r.model_copy(update={"byline": "A. Author"}),
    "published": lambda r: r.model_copy(update={"published": "2001-02-03"}),
    "url": lambda r: r.model_copy(update={"url": "https://example.org/article"}),
    "zones": lambda r: Record.model_validate(
        {
            **r.model_dump(),
            "zones": [] if r.zones else [{"kind": "boilerplate", "start": 0, "end": 1, "text": r.text[0]}],
        }
    ),
    "sentences": lambda r: r.model_copy(update={"sentences": r.sentences[:-1]}),
    "non_mentions": lambda r: Record.model_validate(
        {**r.model_dump(), "non_mentions": [{"start": 0, "end": 1, "text": r.text[0], "reason": "a test"}]}
    ),
    "annotation": lambda r: r.model_copy(
        update={"annotation": r.annotation.model_copy(update={"status": "adjudicated", "notes": ["changed"]})}
    ),
    "mentions.id": lambda r: _rename(r, "mentions"),
    "values.id": lambda r: _rename(r, "values"),
    "events.id": lambda r: _rename(r, "events"),
    "quotes.id": lambda r: _rename(r, "quotes"),
    "entities[order]": lambda r: r.model_copy(update={"entities": list(reversed(r.entities))}),
    "entities[unmentioned]": lambda r: r.model_copy(
        update={
            "entities": [
                e.model_copy(update={"name": e.name + " Z"}) if e.id in _unmentioned(r) else e
                for e in r.entities
            ]
        }
    ),
}
ID_PATHS = {"mentions.id", "values.id", "events.id", "quotes.id"}
# What the law test compares: the paths it does NOT mutate in the base are the carried layers.
COMPARED_BY_FORMAT = {"brat": set(DROPPED_MUTATORS), "labelstudio": set(DROPPED_MUTATORS) - ID_PATHS}


def _apply_dropped(record: Record, fields: frozenset[str]) -> Record:
    for path in sorted(fields):
        record = DROPPED_MUTATORS[path](record)
    return record


def _rotate(value: str, vocabulary: list[str]) -> str:
    return vocabulary[(vocabulary.index(value) + 1) % len(vocabulary)]


def _perturb_entities(record: Record) -> list[Any]:
    """Change every carried attribute of the mentioned entities, keeping their ids."""
    unmentioned = _unmentioned(record)
    types = list(ONT.entity_types)
    return [
        e
        if e.id in unmentioned
        else e.model_copy(
            update={
                "type": _rotate(e.type, types),
                "name": e.name + " Y",
                "wikidata": None if e.wikidata else "Q42",
                "sector": None if e.sector else "GOV",
            }
        )
        for e in record.entities
    ]


def _perturb_carried(record: Record) -> Record:
    """brat: change every carried attribute but keep the spans that ids are matched by."""
    kinds, realis, quote_kinds = list(ONT.mention_kinds), list(ONT.realis), list(ONT.quote_kinds)
    # Reassigning mentions to another entity that has mentions moves no entity in or out of the
    # "unmentioned" rows, which the base supplies.
    other_entity = record.mentions[0].entity if record.mentions else None
    return record.model_copy(
        update={
            "entities": _perturb_entities(record),
            "mentions": [
                m.model_copy(update={"kind": _rotate(m.kind, kinds), "entity": other_entity})
                for m in record.mentions
            ],
            "values": [
                v.model_copy(update={"normalized": None if v.normalized else "2000", "type": "PERCENT"})
                for v in record.values
            ],
            "events": [
                e.model_copy(
                    update={"realis": _rotate(e.realis, realis), "mode": None, "context": [], "arguments": []}
                )
                for e in record.events
            ],
            "quotes": [
                q.model_copy(
                    update={
                        "kind": _rotate(q.kind, quote_kinds),
                        "cue": None,
                        "speaker": None,
                        "speaker_mention": None,
                    }
                )
                for q in record.quotes
            ],
        }
    )


def _strip_carried(record: Record) -> Record:
    """Label Studio carries ids too: the base keeps no mention, value, event or quote at all."""
    return record.model_copy(
        update={
            "entities": _perturb_entities(record),
            "mentions": [],
            "values": [],
            "events": [],
            "quotes": [],
        }
    )


# ---------------------------------------------------------------- brat and Label Studio laws


def _source(fmt: str, out: Path) -> Path:
    return out if fmt == "brat" else out / "tasks.json"


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
@LAWS
@given(record=rich_records())
def test_export_then_import_is_the_identity(fmt: str, record: Record) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        export_records([record], fmt, Path(tmp))
        assert import_records(fmt, _source(fmt, Path(tmp)), [record]) == [record]


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
@LAWS
@given(record=rich_records())
def test_import_takes_exactly_the_dropped_parts_from_the_base(fmt: str, record: Record) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = export_records([record], fmt, Path(tmp))
        # The dropped list names exactly the parts this test takes from the base record.
        assert result.dropped_fields == COMPARED_BY_FORMAT[fmt]
        expected = _apply_dropped(record, result.dropped_fields)
        perturb = _perturb_carried if fmt == "brat" else _strip_carried
        base = perturb(expected)
        assert import_records(fmt, _source(fmt, Path(tmp)), [base]) == [expected]


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
def test_fixture_round_trips(fmt: str, tmp_path: Path) -> None:
    result = export_records([BORDER], fmt, tmp_path)
    assert all(p.exists() for p in result.files)
    assert import_records(fmt, _source(fmt, tmp_path), [BORDER]) == [BORDER]


@settings(max_examples=8, deadline=None)
@given(corpus=corpora(max_records=3))
def test_corpus_export_and_import_rewrite_the_same_files(corpus: list[Record]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        articles = write_corpus(root, corpus)
        for fmt in ("brat", "labelstudio"):
            out, again = root / f"export-{fmt}", root / f"import-{fmt}"
            export_corpus(fmt, articles, out)
            result = import_corpus(fmt, _source(fmt, out), articles, again)
            assert sorted(p.name for p in result.files) == sorted(f"{r.id}.json" for r in corpus)
            for record in corpus:
                assert (again / f"{record.id}.json").read_text(encoding="utf-8") == dump_record(record)


# ---------------------------------------------------------------- CoNLL


def _outermost(record: Record) -> set[tuple[int, int, str]]:
    """Independent of the exporter: NAM mentions not contained in another NAM mention."""
    types = {e.id: e.type for e in record.entities}
    names = [m for m in record.mentions if m.kind == "NAM"]
    return {
        (m.start, m.end, types[m.entity])
        for m in names
        if not any(o is not m and o.start <= m.start and m.end <= o.end for o in names)
    }


def _read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Articles -> sentences -> (token, tag), checking the CoNLL-2003 layout on the way."""
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line == "-DOCSTART- -X- -X- O":
            assert not sentence
            docs.append([])
        elif line == "":
            if sentence:
                docs[-1].append(sentence)
                sentence = []
        else:
            token, pos, chunk, tag = line.split(" ")
            assert (pos, chunk) == ("-X-", "-X-")
            sentence.append((token, tag))
    assert not sentence
    return docs


@LAWS
@given(corpus=st.lists(rich_records(), min_size=1, max_size=3, unique_by=lambda r: r.id))
def test_conll_tags_decode_to_the_outermost_names(corpus: list[Record]) -> None:
    from seqeval.metrics.sequence_labeling import get_entities

    with tempfile.TemporaryDirectory() as tmp:
        result = export_records(corpus, "conll", Path(tmp))
        docs = _read_conll(result.files[0])
    assert len(docs) == len(corpus)
    for record, doc in zip(corpus, docs, strict=True):
        sentences = [
            tokenize(record.text, s.start, s.end) for s in sorted(record.sentences, key=lambda s: s.start)
        ]
        sentences = [s for s in sentences if s]
        assert [[t for t, _ in s] for s in doc] == [[t.text for t in s] for s in sentences]
        decoded = set()
        for toks, rows in zip(sentences, doc, strict=True):
            tags = [tag for _, tag in rows]
            for i, tag in enumerate(tags):  # IOB2: an I- tag continues an entity of its type
                if tag.startswith("I-"):
                    assert i > 0 and tags[i - 1][2:] == tag[2:] and tags[i - 1] != "O"
            decoded |= {(toks[i].start, toks[j].end, label) for label, i, j in get_entities(tags)}
        assert decoded == _outermost(record)


def test_conll_drops_what_it_says() -> None:
    fields = {f for loss in LOSSES["conll"] for f in loss.fields}
    assert {"events", "quotes", "values", "mentions[NOM]", "mentions[PRO]", "mentions[nested]"} <= fields


# ---------------------------------------------------------------- spaCy


@LAWS
@given(corpus=st.lists(rich_records(), min_size=1, max_size=3, unique_by=lambda r: r.id))
def test_spacy_docbin_round_trips_ents_and_span_groups(corpus: list[Record]) -> None:
    # spaCy is an optional extra of the package and a test dependency: this test always runs.
    import spacy
    from spacy.tokens import DocBin

    with tempfile.TemporaryDirectory() as tmp:
        result = export_records(corpus, "spacy", Path(tmp))
        docs = list(DocBin().from_disk(result.files[0]).get_docs(spacy.blank("en").vocab))
    assert len(docs) == len(corpus)
    for record, doc in zip(corpus, docs, strict=True):
        types = {e.id: e for e in record.entities}
        assert doc.text == record.text
        assert doc.user_data["seccoop_id"] == record.id
        assert {(e.start_char, e.end_char, e.label_) for e in doc.ents} == _outermost(record)
        assert [(s.start_char, s.end_char, s.label_, s.id_, s.kb_id_) for s in doc.spans["mentions"]] == [
            (m.start, m.end, types[m.entity].type, m.entity, types[m.entity].wikidata or "")
            for m in record.mentions
        ]
        assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["values"]] == [
            (v.start, v.end, v.type) for v in record.values
        ]
        starts = {t.idx for t in doc if t.is_sent_start}
        assert {s.start for s in record.sentences} <= starts


def test_spacy_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)
    monkeypatch.setitem(sys.modules, "spacy.tokens", None)
    monkeypatch.setitem(sys.modules, "spacy.vocab", None)
    with pytest.raises(MissingExtraError, match="pip install spacy"):
        export_records([BORDER], "spacy", tmp_path)


# ---------------------------------------------------------------- golden files


GOLDEN_FILES = {
    "conll": ["seccoop.conll"],
    "brat": ["annotation.conf", "tools.conf", "border-patrols.txt", "border-patrols.ann"],
    "labelstudio": ["tasks.json", "label_config.xml"],
}


@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
def test_golden_exports_of_the_fixture(fmt: str, tmp_path: Path) -> None:
    export_records([BORDER], fmt, tmp_path)
    for name in GOLDEN_FILES[fmt]:
        golden = GOLDEN / fmt / name
        produced = (tmp_path / name).read_bytes()
        if os.environ.get("SECCOOP_UPDATE_GOLDEN") == "1":
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(produced)
        assert golden.exists(), f"{golden} is missing; regenerate with: {UPDATE}"
        assert produced == golden.read_bytes(), f"{golden} is stale; regenerate with: {UPDATE}"


def test_every_format_has_a_loss_table() -> None:
    assert set(LOSSES) == set(EXPORT_FORMATS)


def test_annotation_conf_covers_the_ontology() -> None:
    from seccoop.formats.brat import annotation_conf

    conf = annotation_conf()
    for name in [*ONT.entity_types, *ONT.value_types, *ONT.contexts]:
        assert f"\n{name}\n" in conf or f"\n{name}\t" in conf
    for name, spec in ONT.event_types.items():
        line = next(ln for ln in conf.splitlines() if ln.startswith(f"{name}\t"))
        for role in spec.roles:
            assert f"{role}{'+' if role in spec.required else '*'}:" in line


# ---------------------------------------------------------------- edits made in the tools


def _brat(tmp_path: Path, record: Record = BORDER) -> Path:
    export_records([record], "brat", tmp_path)
    return tmp_path / f"{record.id}.ann"


def test_brat_new_mention_joins_a_cluster_through_coref(tmp_path: Path) -> None:
    ann = _brat(tmp_path)
    # "President" (a nominal for Kofi Adu, e5) added in brat, linked by Coref to T8 "Kofi Adu"
    start = BORDER.text.index("President")
    ann.write_text(
        ann.read_text(encoding="utf-8")
        + f"T99\tPER {start} {start + 9}\tPresident\nA99\tKind T99 NOM\n*\tCoref T8 T99\n",
        encoding="utf-8",
    )
    [record] = import_records("brat", tmp_path, [BORDER])
    new = record.mentions[-1]
    assert (new.id, new.entity, new.kind, new.text) == ("m15", "e5", "NOM", "President")
    assert record.model_copy(update={"mentions": record.mentions[:-1]}) == BORDER


def test_brat_new_cluster_becomes_a_new_entity(tmp_path: Path) -> None:
    ann = _brat(tmp_path)
    start = BORDER.text.index("joint patrols")
    ann.write_text(
        ann.read_text(encoding="utf-8") + f"T99\tORG {start} {start + 5}\tjoint\nA99\tKind T99 NOM\n",
        encoding="utf-8",
    )
    [record] = import_records("brat", tmp_path, [BORDER])
    assert record.entities[-1].model_dump() == {
        "id": "e7",
        "type": "ORG",
        "name": "joint",
        "wikidata": None,
        "sector": None,
    }


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda a: a.replace("A1\tKind T1 NAM\n", ""), "needs exactly one Kind"),
        (lambda a: a.replace("SecCoop:e3\tAma Mensah", "SecCoop:e3\tAma Mensa", 1), "disagree on its name"),
        (lambda a: a.replace("T1\tGPE", "T1\tCOUNTRY"), "not in the SecCoop schema"),
        (lambda a: a.replace("T1\tGPE 11 15\tTogo", "T1\tGPE 11 15\tTogs"), "does not match"),
        (lambda a: a.replace("E1\tCONSULT:T19 Source:T6", "E1\tCONSULT:T19 Agent:T6"), "role 'Agent'"),
        (lambda a: a.replace("A15\tRealis E1 actual", "A15\tRealis E1 maybe"), "has the value 'maybe'"),
        (lambda a: a + "R9\tQuoteCue Arg1:T23 Arg2:T99\n", "not in the SecCoop schema"),
    ],
)
def test_brat_problems_are_reported(tmp_path: Path, edit: Callable[[str], str], message: str) -> None:
    ann = _brat(tmp_path)
    ann.write_text(edit(ann.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ConversionError, match=message):
        import_records("brat", tmp_path, [BORDER])


def test_brat_rejects_a_changed_text(tmp_path: Path) -> None:
    _brat(tmp_path)
    (tmp_path / "border-patrols.txt").write_text(BORDER.text.replace("Togo", "Toga"), encoding="utf-8")
    with pytest.raises(ConversionError, match="text differs"):
        import_records("brat", tmp_path, [BORDER])


def test_brat_splits_spans_at_line_breaks_and_joins_them_back(tmp_path: Path) -> None:
    start, end = BORDER.text.index("joint patrols."), BORDER.text.index(" officers")
    content = {"start": start, "end": end, "text": BORDER.text[start:end]}
    quote = {
        "id": "q3",
        "kind": "mixed",
        "content": [content],
        "cue": None,
        "speaker": "e3",
        "speaker_mention": None,
    }
    record = Record.model_validate({**BORDER.model_dump(), "quotes": [*BORDER.model_dump()["quotes"], quote]})
    ann = _brat(tmp_path, record).read_text(encoding="utf-8")
    assert f"Quote {start} {start + 14};{start + 15} {end}\tjoint patrols. “We will train 200" in ann
    assert "SecCoop:e3" in ann.split("Quote", 3)[-1]
    assert import_records("brat", tmp_path, [record]) == [record]


def _studio(tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    export_records([BORDER], "labelstudio", tmp_path)
    path = tmp_path / "tasks.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_labelstudio_regions_drawn_in_the_tool(tmp_path: Path) -> None:
    path, tasks = _studio(tmp_path)
    start = BORDER.text.index("President")
    result = tasks[0]["annotations"][0]["result"]
    value = {"start": start, "end": start + 9, "text": "President"}
    result += [
        {
            "id": "-Kx81",
            "from_name": "mention",
            "to_name": "text",
            "type": "labels",
            "value": {**value, "labels": ["PER"]},
        },
        {
            "id": "-Kx81",
            "from_name": "kind",
            "to_name": "text",
            "type": "choices",
            "value": {**value, "choices": ["NOM"]},
        },
        # drawn from Kofi Adu (m8) back to the new region: a left arrow
        {"from_id": "m8", "to_id": "-Kx81", "type": "relation", "direction": "left", "labels": ["coref"]},
    ]
    path.write_text(json.dumps(tasks), encoding="utf-8")
    [record] = import_records("labelstudio", path, [BORDER])
    new = record.mentions[-1]
    assert (new.id, new.entity, new.kind) == ("m15", "e5", "NOM")


def test_labelstudio_uses_the_latest_annotation(tmp_path: Path) -> None:
    path, tasks = _studio(tmp_path)
    old = {"result": [], "updated_at": "2020-01-01T00:00:00Z"}
    tasks[0]["annotations"][0]["updated_at"] = "2024-01-01T00:00:00Z"
    tasks[0]["annotations"].insert(0, old)
    path.write_text(json.dumps(tasks), encoding="utf-8")
    assert import_records("labelstudio", path, [BORDER]) == [BORDER]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t["data"].update(text=t["data"]["text"] + "!"), "differs"),
        (lambda t: t["data"].update(article_id="nope"), "no base record"),
        (lambda t: t["annotations"][0]["result"][0]["value"].update(text="Toga"), "is not text"),
        (lambda t: t["annotations"][0]["result"][1]["value"].update(choices=["XYZ"]), "not in the schema"),
        (
            lambda t: t["annotations"][0]["result"].append(
                {"type": "relation", "from_id": "ev1", "to_id": "m1", "labels": ["Agent"]}
            ),
            "'Agent'",
        ),
    ],
)
def test_labelstudio_problems_are_reported(tmp_path: Path, edit: Callable[[Any], Any], message: str) -> None:
    path, tasks = _studio(tmp_path)
    edit(tasks[0])
    path.write_text(json.dumps(tasks), encoding="utf-8")
    with pytest.raises(ConversionError, match=message):
        import_records("labelstudio", path, [BORDER])


def test_export_refuses_broken_records(tmp_path: Path) -> None:
    broken = BORDER.model_copy(update={"mentions": [BORDER.mentions[0].model_copy(update={"text": "Toga"})]})
    with pytest.raises(ConversionError, match="the record says 'Toga'"):
        export_records([broken], "brat", tmp_path)
    assert not list(tmp_path.iterdir())


def test_unknown_format_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export_records([BORDER], "xml", tmp_path)
    with pytest.raises(ValueError, match="unknown import format"):
        import_records("conll", tmp_path, [BORDER])


def test_corpus_functions_report_missing_folders_and_invalid_records(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        export_corpus("conll", tmp_path / "nowhere", tmp_path / "out")
    with pytest.raises(FileNotFoundError):
        import_records("brat", tmp_path / "nowhere", [BORDER])
    with pytest.raises(FileNotFoundError):
        import_records("labelstudio", tmp_path / "nowhere.json", [BORDER])
    articles = write_corpus(tmp_path, [BORDER])
    (tmp_path / "seeds" / "border-patrols.txt").write_text("changed", encoding="utf-8")
    with pytest.raises(ConversionError, match="seed"):
        export_corpus("conll", articles, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_summary_lists_files_losses_and_notes(tmp_path: Path) -> None:
    lines = export_records([BORDER], "conll", tmp_path).summary()
    assert lines[0] == "wrote 1 file(s) in conll format"
    assert any(line.startswith("conll drops events:") for line in lines)


# ---------------------------------------------------------------- event clusters (issue 11)

CLUSTERED = BORDER.model_copy(
    update={
        "events": [e.model_copy(update={"cluster": "ec3"}) for e in BORDER.events[:2]] + BORDER.events[2:]
    }
)


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
def test_event_clusters_survive_the_round_trip(tmp_path: Path, fmt: str) -> None:
    export_records([CLUSTERED], fmt, tmp_path)
    src = tmp_path if fmt == "brat" else tmp_path / "tasks.json"
    (back,) = import_records(fmt, src, [CLUSTERED])
    assert [e.cluster for e in back.events] == ["ec3", "ec3", None, None]


def test_brat_writes_the_cluster_as_a_note_on_the_event(tmp_path: Path) -> None:
    export_records([CLUSTERED], "brat", tmp_path)
    ann = (tmp_path / "border-patrols.ann").read_text(encoding="utf-8")
    notes = [line.split("\t") for line in ann.splitlines() if line.startswith("#")]
    assert [(n[1], n[2]) for n in notes if n[1].split()[1].startswith("E")] == [
        ("AnnotatorNotes E1", "ec3"),
        ("AnnotatorNotes E2", "ec3"),
    ]
