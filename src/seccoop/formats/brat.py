"""brat standoff: ``<id>.txt`` and ``<id>.ann`` per article, with an ``annotation.conf``.

The mapping (``.ann`` line kinds as in brat's standoff format):

- a mention is a text-bound annotation ``T`` typed with its entity type, an attribute
  ``Kind`` (NAM, NOM, PRO), a normalization ``SecCoop:<entity id>`` whose text is the entity's
  canonical name (the cluster), a normalization ``Wikidata:<QID>`` when the entity has one, and
  an attribute ``Sector`` for an ORG with a sector. Mentions linked by ``Coref`` (an equivalence
  ``*`` or a relation) are read as one cluster, so new mentions can join a cluster without a
  normalization;
- a value is a ``T`` typed with its value type; an ``AnnotatorNotes`` note holds its normalized
  form (no note: null);
- an event is a trigger ``T`` typed with its event type and an ``E`` line with ``Role:T``
  arguments (a repeated role gets brat's numeric suffix: ``Source2``), and attributes ``Realis``,
  ``Mode`` and one binary attribute per PLOVER context; an event in an event-coreference cluster
  has an ``AnnotatorNotes`` note on its ``E`` line holding the cluster id (``ec1``);
- a quote is a ``T`` of type ``Quote`` over its content spans (discontinuous: ``start end;start
  end``) with an attribute ``QuoteKind``; its cue is a ``Cue`` ``T`` linked by a ``QuoteCue``
  relation, its speaker mention is linked by a ``Speaker`` relation, and a speaker without a
  mention is a ``SecCoop:<entity id>`` normalization on the quote.

A span that contains a line break is written as fragments around the break (a ``.ann`` line
cannot hold one); import joins fragments that only line breaks separate.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seccoop.formats._base import (
    LINE_BREAKS,
    Cluster,
    ConversionError,
    IdAllocator,
    UnionFind,
    carriage_return_note,
    join_fragments,
    line_fragments,
    rebuild_record,
    settle_entities,
)
from seccoop.record.io import read_regular, write_text_atomic
from seccoop.record.models import EntityArgument, Record
from seccoop.record.ontology import Ontology, load_ontology

__all__ = ["annotation_conf", "export_brat", "import_brat", "tools_conf"]

QUOTE = "Quote"
CUE = "Cue"
KIND = "Kind"
SECTOR = "Sector"
REALIS = "Realis"
MODE = "Mode"
QUOTE_KIND = "QuoteKind"
QUOTE_CUE = "QuoteCue"
SPEAKER = "Speaker"
COREF = "Coref"
SECCOOP_DB = "SecCoop"
WIKIDATA_DB = "Wikidata"
NOTES = "AnnotatorNotes"

_ID = re.compile(r"^([A-Za-z]+|#[A-Za-z]*)([0-9]+)(.*?)$")
_ROLE_SUFFIX = re.compile(r"\d+$")
_NORM = re.compile(r"^(\S+) (\S+) (\S+?):(\S+)$")


# ---------------------------------------------------------------- configuration


def annotation_conf(ont: Ontology | None = None) -> str:
    """The brat ``annotation.conf`` for the SecCoop schema, generated from the ontology."""
    ont = ont or load_ontology()
    entity_types = list(ont.entity_types)
    value_types = list(ont.value_types)
    all_spans = "|".join(entity_types)
    lines = [
        "# SecCoop News annotation schema for brat, generated from the SecCoop ontology "
        f"(version {ont.version}).",
        "# Regenerate with `seccoop export --format brat`; do not edit by hand.",
        "",
        "[entities]",
        "",
        *entity_types,
        "----------------------------------------",
        *value_types,
        "----------------------------------------",
        QUOTE,
        CUE,
        "",
        "[relations]",
        "",
        f"{SPEAKER}\tArg1:{QUOTE}, Arg2:{'|'.join(ont.speaker_types)}",
        f"{QUOTE_CUE}\tArg1:{QUOTE}, Arg2:{CUE}",
        f"{COREF}\tArg1:{all_spans}, Arg2:{all_spans}, <REL-TYPE>:symmetric-transitive",
        "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
    ]
    for name, spec in ont.event_types.items():
        args = []
        for role in spec.roles:
            mark = "+" if role in spec.required else "*"
            args.append(f"{role}{mark}:{'|'.join(ont.roles[role].accepts)}")
        lines.append(f"{name}\t{', '.join(args)}")
    lines += [
        "",
        "[attributes]",
        "",
        f"{KIND}\tArg:{all_spans}, Value:{'|'.join(ont.mention_kinds)}",
        f"{SECTOR}\tArg:ORG, Value:{'|'.join(ont.org_sectors)}",
        f"{QUOTE_KIND}\tArg:{QUOTE}, Value:{'|'.join(ont.quote_kinds)}",
        f"{REALIS}\tArg:<EVENT>, Value:{'|'.join(ont.realis)}",
        f"{MODE}\tArg:<EVENT>, Value:{'|'.join(ont.modes)}",
        "# PLOVER contexts: one binary attribute each",
        *(f"{context}\tArg:<EVENT>" for context in ont.contexts),
        "",
    ]
    return "\n".join(lines)


def tools_conf() -> str:
    """The brat ``tools.conf``: newline sentence splitting and the two normalization databases."""
    return "\n".join(
        [
            "# SecCoop News tool settings for brat; regenerate with `seccoop export --format brat`.",
            "",
            "[options]",
            "",
            "Sentences\tsplitter:newline",
            "",
            "[normalization]",
            "",
            "# SecCoop:<entity id> names the entity cluster of a mention (the text is its canonical name).",
            f"{SECCOOP_DB}",
            f"{WIKIDATA_DB}\t<URL>:https://www.wikidata.org/, <URLBASE>:https://www.wikidata.org/wiki/%s",
            "",
        ]
    )


# ---------------------------------------------------------------- export


class _AnnWriter:
    """Numbers brat ids and formats ``.ann`` lines for one document."""

    def __init__(self, record: Record, problems: list[str]) -> None:
        self.record = record
        self.text = record.text
        self.problems = problems
        self.lines: list[str] = []
        self._counts: Counter[str] = Counter()

    def _next(self, prefix: str) -> str:
        self._counts[prefix] += 1
        return f"{prefix}{self._counts[prefix]}"

    def _field(self, value: str, where: str) -> str:
        if any(c in LINE_BREAKS for c in value):
            self.problems.append(
                f"{self.record.id}: {where} {value!r} contains a line break, which .ann cannot hold"
            )
        return value

    def textbound(self, type_: str, spans: Sequence[tuple[int, int]], where: str) -> str:
        fragments = [f for start, end in spans for f in line_fragments(self.text, start, end)]
        for i, (s1, e1) in enumerate(fragments):
            for s2, e2 in fragments[i + 1 :]:
                if s2 <= e1 and s1 <= e2:
                    self.problems.append(
                        f"{self.record.id}: {where} has spans [{s1}:{e1}] and [{s2}:{e2}] that touch "
                        "or overlap; brat cannot hold them as one annotation"
                    )
        if not fragments:
            self.problems.append(f"{self.record.id}: {where} covers only line breaks")
        tid = self._next("T")
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        surface = " ".join(self.text[s:e] for s, e in fragments)
        self.lines.append(f"{tid}\t{type_} {offsets}\t{surface}")
        return tid

    def attribute(self, name: str, target: str, value: str | None = None) -> None:
        tail = "" if value is None else f" {value}"
        self.lines.append(f"{self._next('A')}\t{name} {target}{tail}")

    def normalization(self, target: str, db: str, key: str, text: str, where: str) -> None:
        self.lines.append(f"{self._next('N')}\tReference {target} {db}:{key}\t{self._field(text, where)}")

    def note(self, target: str, text: str, where: str) -> None:
        self.lines.append(f"{self._next('#')}\t{NOTES} {target}\t{self._field(text, where)}")

    def relation(self, type_: str, arg1: str, arg2: str) -> None:
        self.lines.append(f"{self._next('R')}\t{type_} Arg1:{arg1} Arg2:{arg2}")

    def event(self, type_: str, trigger: str, args: Sequence[tuple[str, str]]) -> str:
        eid = self._next("E")
        parts = [f"{type_}:{trigger}", *(f"{role}:{target}" for role, target in args)]
        self.lines.append(f"{eid}\t{' '.join(parts)}")
        return eid


def _ann(record: Record, problems: list[str]) -> str:
    w = _AnnWriter(record, problems)
    entities = {e.id: e for e in record.entities}
    mention_entity = {m.id: m.entity for m in record.mentions}
    tids: dict[str, str] = {}
    for m in record.mentions:
        e = entities[m.entity]
        tid = w.textbound(e.type, [(m.start, m.end)], f"mention {m.id}")
        tids[m.id] = tid
        w.attribute(KIND, tid, m.kind)
        w.normalization(tid, SECCOOP_DB, e.id, e.name, f"entity {e.id} name")
        if e.wikidata is not None:
            w.normalization(tid, WIKIDATA_DB, e.wikidata, e.name, f"entity {e.id} name")
        if e.sector is not None:
            w.attribute(SECTOR, tid, e.sector)
    for v in record.values:
        tid = w.textbound(v.type, [(v.start, v.end)], f"value {v.id}")
        tids[v.id] = tid
        if v.normalized is not None:
            w.note(tid, v.normalized, f"value {v.id} normalization")
    for ev in record.events:
        trigger = w.textbound(ev.type, [(ev.trigger.start, ev.trigger.end)], f"event {ev.id} trigger")
        seen: Counter[str] = Counter()
        args = []
        for a in ev.arguments:
            seen[a.role] += 1
            role = a.role if seen[a.role] == 1 else f"{a.role}{seen[a.role]}"
            args.append((role, tids[a.mention if isinstance(a, EntityArgument) else a.value]))
        eid = w.event(ev.type, trigger, args)
        w.attribute(REALIS, eid, ev.realis)
        if ev.mode is not None:
            w.attribute(MODE, eid, ev.mode)
        for context in ev.context:
            w.attribute(context, eid)
        if ev.cluster is not None:
            w.note(eid, ev.cluster, f"event {ev.id} cluster")
    for q in record.quotes:
        tid = w.textbound(QUOTE, [(c.start, c.end) for c in q.content], f"quote {q.id}")
        w.attribute(QUOTE_KIND, tid, q.kind)
        if q.cue is not None:
            w.relation(QUOTE_CUE, tid, w.textbound(CUE, [(q.cue.start, q.cue.end)], f"quote {q.id} cue"))
        if q.speaker_mention is not None:
            w.relation(SPEAKER, tid, tids[q.speaker_mention])
        if q.speaker is not None and (
            q.speaker_mention is None or mention_entity[q.speaker_mention] != q.speaker
        ):
            name = entities[q.speaker].name
            w.normalization(tid, SECCOOP_DB, q.speaker, name, f"entity {q.speaker} name")
    return "".join(line + "\n" for line in w.lines)


def export_brat(records: Sequence[Record], out_dir: Path) -> tuple[list[Path], list[str]]:
    """Write ``annotation.conf``, ``tools.conf`` and ``<id>.txt`` + ``<id>.ann`` per record."""
    problems: list[str] = []
    documents = [(r, _ann(r, problems)) for r in records]
    if problems:
        raise ConversionError(tuple(problems))
    files = [out_dir / "annotation.conf", out_dir / "tools.conf"]
    write_text_atomic(files[0], annotation_conf())
    write_text_atomic(files[1], tools_conf())
    for record, ann in documents:
        txt, ann_path = out_dir / f"{record.id}.txt", out_dir / f"{record.id}.ann"
        write_text_atomic(txt, record.text)
        write_text_atomic(ann_path, ann)
        files += [txt, ann_path]
    return files, [carriage_return_note(r, "brat") for r in records if "\r" in r.text]


# ---------------------------------------------------------------- reading .ann files


@dataclass
class _Ann:
    """The parsed lines of one ``.ann`` file, in file order."""

    textbounds: dict[str, tuple[str, list[tuple[int, int]]]] = field(default_factory=dict)
    attributes: list[tuple[str, str, str, str | None]] = field(
        default_factory=list
    )  # id, name, target, value
    norms: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # id, target, db, key, text
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # target, type, text
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, type, arg1, arg2
    events: dict[str, tuple[str, str, list[tuple[str, str]]]] = field(default_factory=dict)
    equivs: list[tuple[str, list[str]]] = field(default_factory=list)


def _parse_ann(content: str, text: str, where: str, problems: list[str]) -> _Ann:
    ann = _Ann()
    ids: set[str] = set()
    for number, raw in enumerate(content.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        at = f"{where}:{number}"
        aid, sep, rest = line.partition("\t")
        if not sep or not (aid == "*" or _ID.match(aid)):
            problems.append(f"{at}: not a brat annotation line: {line!r}")
            continue
        if aid != "*":
            if aid in ids:
                problems.append(f"{at}: duplicate id {aid}")
                continue
            ids.add(aid)
        data, _, tail = rest.partition("\t")
        kind = aid[0]
        try:
            if kind == "T":
                type_, _, offsets = data.partition(" ")
                fragments = []
                for part in offsets.split(";"):
                    s, e = part.split()
                    fragments.append((int(s), int(e)))
                if any(not 0 <= s < e <= len(text) for s, e in fragments):
                    problems.append(f"{at}: {aid} offsets {offsets!r} are out of range")
                    continue
                surface = " ".join(text[s:e] for s, e in fragments)
                if not tail.startswith(surface) or tail[len(surface) :][:1] not in ("", " ", "\t"):
                    problems.append(f"{at}: {aid} text {tail!r} does not match text[{offsets}] = {surface!r}")
                    continue
                ann.textbounds[aid] = (type_, fragments)
            elif kind in "AM":
                parts = data.split()
                if len(parts) not in (2, 3):
                    raise ValueError(data)
                ann.attributes.append((aid, parts[0], parts[1], parts[2] if len(parts) == 3 else None))
            elif kind == "N":
                m = _NORM.match(data.strip())
                if m is None:
                    raise ValueError(data)
                ann.norms.append((aid, m.group(2), m.group(3), m.group(4), tail))
            elif kind == "R":
                type_, arg1, arg2 = data.split()
                if not (arg1.startswith("Arg1:") and arg2.startswith("Arg2:")):
                    raise ValueError(data)
                ann.relations.append((aid, type_, arg1[5:], arg2[5:]))
            elif kind == "E":
                head, *args = data.split()
                type_, trigger = head.split(":")
                pairs = []
                for arg in args:
                    role, target = arg.split(":")
                    pairs.append((role, target))
                ann.events[aid] = (type_, trigger, pairs)
            elif kind == "#":
                type_, target = data.split()
                ann.notes.append((target, type_, tail))
            elif kind == "*":
                type_, *members = data.split()
                ann.equivs.append((type_, members))
            else:
                problems.append(f"{at}: unknown annotation kind {aid!r}")
        except ValueError:
            problems.append(f"{at}: cannot read {kind} line {line!r}")
    return ann


# ---------------------------------------------------------------- import


class _BaseMatcher:
    """Gives back a base item's id to the imported item that has the same key.

    Each base item has a list of keys, most specific first (an event: its trigger span and
    type, then its trigger span alone). ``take`` tries the first key against every unclaimed
    item, then the second, and so on; each base id is given back once.
    """

    def __init__(self, items: Sequence[tuple[str, Sequence[Any]]]) -> None:
        self._items = list(items)
        self._used: set[int] = set()

    def take(self, keys: Sequence[Any]) -> str | None:
        for level, key in enumerate(keys):
            for i, (item_id, item_keys) in enumerate(self._items):
                if i not in self._used and item_keys[level] == key:
                    self._used.add(i)
                    return item_id
        return None


def _one_span(text: str, fragments: list[tuple[int, int]], at: str, problems: list[str]) -> tuple[int, int]:
    spans = join_fragments(text, fragments)
    if len(spans) != 1:
        problems.append(f"{at} must be one continuous span, not {len(spans)} pieces")
    return spans[0]


def _record_from_ann(base: Record, ann: _Ann, where: str, ont: Ontology) -> Record:
    text = base.text
    problems: list[str] = []

    def at(aid: str) -> str:
        return f"{where}: {aid}"

    mentions_t: list[str] = []
    values_t: list[str] = []
    triggers_t: dict[str, str] = {}
    quotes_t: list[str] = []
    cues_t: set[str] = set()
    for tid, (type_, _) in ann.textbounds.items():
        if type_ in ont.entity_types:
            mentions_t.append(tid)
        elif type_ in ont.value_types:
            values_t.append(tid)
        elif type_ in ont.event_types:
            triggers_t[tid] = type_
        elif type_ == QUOTE:
            quotes_t.append(tid)
        elif type_ == CUE:
            cues_t.add(tid)
        else:
            problems.append(f"{at(tid)} has type {type_!r}, which is not in the SecCoop schema")
    mention_set, value_set, quote_set = set(mentions_t), set(values_t), set(quotes_t)

    attrs: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    allowed_on = {
        KIND: mention_set,
        SECTOR: mention_set,
        QUOTE_KIND: quote_set,
        REALIS: set(ann.events),
        MODE: set(ann.events),
        **{c: set(ann.events) for c in ont.contexts},
    }
    vocab = {
        KIND: ont.mention_kinds,
        SECTOR: ont.org_sectors,
        QUOTE_KIND: ont.quote_kinds,
        REALIS: ont.realis,
        MODE: ont.modes,
    }
    for aid, name, target, value in ann.attributes:
        if name not in allowed_on or target not in allowed_on[name]:
            problems.append(f"{at(aid)}: attribute {name!r} on {target} is not in the SecCoop schema")
        elif (name in vocab) != (value is not None) or (name in vocab and value not in vocab[name]):
            problems.append(f"{at(aid)}: attribute {name} of {target} has the value {value!r}")
        else:
            attrs[target].append((name, value))

    def single(target: str, name: str, required: bool) -> str | None:
        found = [v for n, v in attrs[target] if n == name]
        if len(found) > 1 or (required and not found):
            need = "exactly one" if required else "at most one"
            problems.append(f"{at(target)} needs {need} {name} attribute, has {len(found)}")
        return found[0] if found else None

    seccoop: dict[str, tuple[str, str]] = {}
    wikidata: dict[str, str] = {}
    for nid, target, db, key, name in ann.norms:
        if db == SECCOOP_DB and target in mention_set | quote_set and target not in seccoop:
            seccoop[target] = (key, name)
        elif db == WIKIDATA_DB and target in mention_set and target not in wikidata:
            wikidata[target] = key
        else:
            problems.append(
                f"{at(nid)}: normalization {db}:{key} on {target} is not in the SecCoop schema or repeats one"
            )

    alloc = IdAllocator(
        taken=[s.id for s in base.sentences],
        reserved=[
            x.id
            for layer in (base.entities, base.mentions, base.values, base.events, base.quotes)
            for x in layer
        ],
    )

    # mentions and clusters
    uf = UnionFind()
    for tid in mentions_t:
        uf.add(tid)
    first_with_id: dict[str, str] = {}
    for tid in mentions_t:
        if tid in seccoop:
            uf.union(first_with_id.setdefault(seccoop[tid][0], tid), tid)
    links = [(t, members) for t, members in ann.equivs]
    links += [(t, [a1, a2]) for _, t, a1, a2 in ann.relations if t == COREF]
    for type_, members in links:
        if type_ != COREF or not set(members) <= mention_set:
            problems.append(
                f"{where}: equivalence {type_} {' '.join(members)} must be Coref between mentions"
            )
            continue
        for member in members[1:]:
            uf.union(members[0], member)
    roots: dict[str, int] = {}
    clusters: list[Cluster] = []
    spans: dict[str, tuple[int, int]] = {}
    kinds: dict[str, str | None] = {}
    for tid in mentions_t:
        type_, fragments = ann.textbounds[tid]
        spans[tid] = _one_span(text, fragments, f"{at(tid)} (a mention)", problems)
        kinds[tid] = single(tid, KIND, required=True)
        root = uf.find(tid)
        if root not in roots:
            roots[root] = len(clusters)
            clusters.append(Cluster())
        c = clusters[roots[root]]
        c.say("types", type_, tid)
        if tid in seccoop:
            c.say("ids", seccoop[tid][0], tid)
            c.say("names", seccoop[tid][1] or None, tid)
        c.say("wikidata", wikidata.get(tid), tid)
        c.say("sectors", single(tid, SECTOR, required=False), tid)
        c.surfaces.append((kinds[tid] or "", text[spans[tid][0] : spans[tid][1]]))
    speakers = {seccoop[t][0]: at(t) for t in quotes_t if t in seccoop}
    entities, cluster_ids = settle_entities(base, clusters, speakers, alloc, problems)

    matcher = _BaseMatcher([(m.id, [(m.start, m.end)]) for m in base.mentions])
    mention_ids: dict[str, str] = {}
    entity_of: dict[str, str] = {}
    mentions = []
    for tid in mentions_t:
        start, end = spans[tid]
        mid = alloc.claim(matcher.take([(start, end)]), "m")
        mention_ids[tid], entity_of[tid] = mid, cluster_ids[roots[uf.find(tid)]]
        mentions.append(
            {
                "id": mid,
                "entity": entity_of[tid],
                "start": start,
                "end": end,
                "text": text[start:end],
                "kind": kinds[tid],
            }
        )

    # values
    value_notes: dict[str, list[str]] = defaultdict(list)
    event_notes: dict[str, list[str]] = defaultdict(list)
    for target, type_, note in ann.notes:
        if type_ == NOTES and target in value_set:
            value_notes[target].append(note.strip())
        elif type_ == NOTES and target in ann.events:
            event_notes[target].append(note.strip())
    matcher = _BaseMatcher([(v.id, [(v.start, v.end)]) for v in base.values])
    value_ids: dict[str, str] = {}
    values = []
    for tid in values_t:
        type_, fragments = ann.textbounds[tid]
        start, end = _one_span(text, fragments, f"{at(tid)} (a value)", problems)
        notes = value_notes[tid]
        if len(notes) > 1:
            problems.append(f"{at(tid)} has {len(notes)} notes; its one note is its normalized form")
        value_ids[tid] = alloc.claim(matcher.take([(start, end)]), "v")
        values.append(
            {
                "id": value_ids[tid],
                "type": type_,
                "start": start,
                "end": end,
                "text": text[start:end],
                "normalized": (notes[0] or None) if notes else None,
            }
        )

    # events
    matcher = _BaseMatcher(
        [
            (e.id, [(e.trigger.start, e.trigger.end, e.type), (e.trigger.start, e.trigger.end)])
            for e in base.events
        ]
    )
    used_triggers: set[str] = set()
    events = []
    for eid, (type_, trigger, pairs) in ann.events.items():
        if triggers_t.get(trigger) != type_:
            problems.append(f"{at(eid)}: its trigger {trigger} is not a {type_} trigger")
            continue
        used_triggers.add(trigger)
        start, end = _one_span(text, ann.textbounds[trigger][1], f"{at(trigger)} (a trigger)", problems)
        arguments: list[dict[str, str]] = []
        for role_key, target in pairs:
            role = _ROLE_SUFFIX.sub("", role_key)
            if role not in ont.roles:
                problems.append(f"{at(eid)}: role {role_key!r} is not in the SecCoop schema")
            elif target in mention_ids:
                arguments.append({"role": role, "entity": entity_of[target], "mention": mention_ids[target]})
            elif target in value_ids:
                arguments.append({"role": role, "value": value_ids[target]})
            else:
                problems.append(f"{at(eid)}: argument {role_key}:{target} is neither a mention nor a value")
        wanted = matcher.take([(start, end, type_), (start, end)])
        if len(event_notes[eid]) > 1:
            problems.append(f"{at(eid)} has {len(event_notes[eid])} notes; its one note is its cluster id")
        events.append(
            {
                "id": alloc.claim(wanted, "ev"),
                "type": type_,
                "mode": single(eid, MODE, required=False),
                "context": [n for n, v in attrs[eid] if n in ont.contexts and v is None],
                "realis": single(eid, REALIS, required=True),
                "trigger": {"start": start, "end": end, "text": text[start:end]},
                "arguments": arguments,
                "cluster": (event_notes[eid][0] or None) if event_notes[eid] else None,
            }
        )
    for tid in triggers_t.keys() - used_triggers:
        problems.append(f"{at(tid)} is typed as an event but no E line uses it as a trigger")

    # quotes
    cue_of: dict[str, list[str]] = defaultdict(list)
    speaker_of: dict[str, list[str]] = defaultdict(list)
    used_cues: set[str] = set()
    for rid, type_, arg1, arg2 in ann.relations:
        if type_ == QUOTE_CUE and arg1 in quote_set and arg2 in cues_t:
            cue_of[arg1].append(arg2)
            used_cues.add(arg2)
        elif type_ == SPEAKER and arg1 in quote_set and arg2 in mention_set:
            speaker_of[arg1].append(arg2)
        elif type_ != COREF:
            problems.append(f"{at(rid)}: relation {type_} {arg1} -> {arg2} is not in the SecCoop schema")
    for tid in cues_t - used_cues:
        problems.append(f"{at(tid)} is a Cue that no QuoteCue relation attaches to a quote")
    matcher = _BaseMatcher([(q.id, [tuple((c.start, c.end) for c in q.content)]) for q in base.quotes])
    quotes = []
    for tid in quotes_t:
        content = join_fragments(text, ann.textbounds[tid][1])
        cue = None
        if len(cue_of[tid]) > 1 or len(speaker_of[tid]) > 1:
            problems.append(f"{at(tid)}: a quote has at most one cue and one speaker mention")
        if cue_of[tid]:
            cs, ce = _one_span(
                text, ann.textbounds[cue_of[tid][0]][1], f"{at(cue_of[tid][0])} (a cue)", problems
            )
            cue = {"start": cs, "end": ce, "text": text[cs:ce]}
        speaker_t = speaker_of[tid][0] if speaker_of[tid] else None
        speaker = seccoop[tid][0] if tid in seccoop else entity_of.get(speaker_t or "")
        quotes.append(
            {
                "id": alloc.claim(matcher.take([tuple(content)]), "q"),
                "kind": single(tid, QUOTE_KIND, required=True),
                "content": [{"start": s, "end": e, "text": text[s:e]} for s, e in content],
                "cue": cue,
                "speaker": speaker,
                "speaker_mention": mention_ids.get(speaker_t or ""),
            }
        )
    if problems:
        raise ConversionError(tuple(problems))
    layers = {
        "entities": entities,
        "mentions": mentions,
        "values": values,
        "events": events,
        "quotes": quotes,
    }
    return rebuild_record(base, layers)


def _leaves(path: Path, folder: Path) -> bool:
    """Whether ``path`` exists and, links resolved, lies outside ``folder``."""
    try:
        if not (path.exists() or path.is_symlink()):
            return False
        return not path.resolve().is_relative_to(folder)
    except (OSError, RuntimeError, ValueError):
        return True


def import_brat(src: Path, base_records: Sequence[Record]) -> list[Record]:
    """Read every ``<id>.ann`` in ``src`` back into a record, on top of the base record ``<id>``."""
    if not src.exists():
        raise FileNotFoundError(f"{src}: no such folder of brat .ann files")
    if not src.is_dir():
        raise ConversionError((f"{src}: not a folder of brat .ann files",))
    ont = load_ontology()
    bases = {r.id: r for r in base_records}
    problems: list[str] = []
    records: list[Record] = []
    folder = src.resolve()
    for path in sorted(src.glob("*.ann")):
        base = bases.get(path.stem)
        if base is None:
            problems.append(f"{path}: there is no base record with id {path.stem!r}")
            continue
        txt = path.with_suffix(".txt")
        if any(_leaves(p, folder) for p in (path, txt)):
            problems.append(f"{path}: it or its .txt is a symlink out of {src}; refused")
            continue
        try:
            if txt.exists() and read_regular(txt).decode("utf-8") != base.text:
                problems.append(f"{txt}: the text differs from the record's text; brat must not change it")
                continue
            content = read_regular(path).decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{path} or its .txt: not UTF-8 (byte offset {exc.start})")
            continue
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        where = str(path)
        parse_problems: list[str] = []
        try:
            ann = _parse_ann(content, base.text, where, parse_problems)
            if parse_problems:
                problems += parse_problems
                continue
            records.append(_record_from_ann(base, ann, where, ont))
        except ConversionError as exc:
            problems += exc.problems
        except (TypeError, KeyError, AttributeError, ValueError, IndexError, RecursionError) as exc:
            # foreign data of an unexpected shape: say where, never a traceback
            problems.append(f"{where}: unexpected content ({type(exc).__name__}: {exc})"[:300])
    if problems:
        raise ConversionError(tuple(problems))
    return records
