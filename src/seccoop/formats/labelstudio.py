"""Label Studio: JSON tasks (one per article) and a labeling config, both from the ontology.

A task is ``{"data": {"text": ..., "article_id": ...}, "annotations": [{"result": [...]}]}``.
Every annotated span is a ``labels`` region over ``data.text`` whose region id is the record
id of the item, so ids survive the round trip. Regions, by control (``from_name``):

- ``mention`` (label: entity type), with the per-region choice ``kind`` (NAM, NOM, PRO).
  Mentions of one entity are chained by ``coref`` relations (each mention to the one before
  it); the first mention of an entity carries the entity's id, name and Wikidata QID in the
  per-region text areas ``entity``, ``name`` and ``wikidata`` and its sector in the choice
  ``sector``. A cluster without an id becomes a new entity.
- ``value`` (label: value type), with the per-region text area ``normalized``.
- ``event`` (label: event type) on the trigger, with per-region choices ``mode``, ``context``
  (several) and ``realis`` and the per-region text area ``cluster`` (the event-coreference
  cluster id, ``ec1``, when the event has one); each argument is a relation from the trigger
  to a mention or value region, labelled with its role.
- ``quote`` (label: quote kind) on the first content span; further content spans are regions
  linked by ``continues`` relations; the cue is a ``cue`` region linked by a ``cue`` relation;
  the speaker mention is linked by a ``speaker`` relation, and a speaker without a mention is
  the per-region text area ``speaker`` (an entity id). Regions that are parts of a quote have
  ids starting with ``_``, which no record id does.

Offsets are Python string indices (code points), as Label Studio stores them for text.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seccoop.formats._base import (
    Cluster,
    ConversionError,
    IdAllocator,
    UnionFind,
    carriage_return_note,
    rebuild_record,
    settle_entities,
)
from seccoop.record.io import read_regular_text, write_text_atomic
from seccoop.record.models import EntityArgument, Record
from seccoop.record.ontology import Ontology, load_ontology

__all__ = ["CONFIG_FILE", "TASKS_FILE", "export_labelstudio", "import_labelstudio", "labeling_config"]

TASKS_FILE = "tasks.json"
CONFIG_FILE = "label_config.xml"
TEXT = "text"
MENTION, VALUE, EVENT, QUOTE, CUE = "mention", "value", "event", "quote", "cue"
COREF, CONTINUES, SPEAKER = "coref", "continues", "speaker"
CUE_LABEL = "Cue"


# ---------------------------------------------------------------- labeling config


def labeling_config(ont: Ontology | None = None) -> str:
    """The Label Studio labeling config (XML) for the SecCoop schema, from the ontology."""
    ont = ont or load_ontology()
    view = ET.Element("View")
    ET.SubElement(view, "Style").text = ".htx-text { white-space: pre-wrap; }"
    ET.SubElement(view, "Header", value="SecCoop News: mentions, values, events and quotes")
    relations = ET.SubElement(view, "Relations", choice="multiple")
    for role in [*ont.roles, COREF, CONTINUES, CUE, SPEAKER]:
        ET.SubElement(relations, "Relation", value=role)

    def labels(name: str, vocabulary: dict[str, str]) -> None:
        control = ET.SubElement(view, "Labels", name=name, toName=TEXT)
        for value, hint in vocabulary.items():
            ET.SubElement(control, "Label", value=value, hint=hint)

    labels(MENTION, ont.entity_types)
    labels(VALUE, {k: v.description for k, v in ont.value_types.items()})
    labels(EVENT, {k: v.description for k, v in ont.event_types.items()})
    labels(QUOTE, ont.quote_kinds)
    labels(CUE, {CUE_LABEL: "The reporting verb or phrase of a quote (said, emphasized that)."})
    ET.SubElement(view, "Text", name=TEXT, value="$text", granularity="symbol")

    def per_region(tag: str, name: str, when: str, values: Sequence[str] = (), **extra: str) -> None:
        attributes = {
            "name": name,
            "toName": TEXT,
            "perRegion": "true",
            "visibleWhen": "region-selected",
            "whenTagName": when,
            **extra,
        }
        control = ET.SubElement(view, tag, attributes)
        for value in values:
            ET.SubElement(control, "Choice", value=value)

    per_region("Choices", "kind", MENTION, list(ont.mention_kinds), choice="single")
    per_region(
        "TextArea",
        "entity",
        MENTION,
        placeholder="entity id (first mention of an entity)",
        maxSubmissions="1",
    )
    per_region("TextArea", "name", MENTION, placeholder="canonical name", maxSubmissions="1")
    per_region("TextArea", "wikidata", MENTION, placeholder="Wikidata QID", maxSubmissions="1")
    per_region("Choices", "sector", MENTION, list(ont.org_sectors), choice="single")
    per_region("TextArea", "normalized", VALUE, placeholder="normalized value", maxSubmissions="1")
    per_region("Choices", "mode", EVENT, list(ont.modes), choice="single")
    per_region("Choices", "context", EVENT, list(ont.contexts), choice="multiple")
    per_region("Choices", "realis", EVENT, list(ont.realis), choice="single")
    per_region("TextArea", "cluster", EVENT, placeholder="event cluster id (ec1, ...)", maxSubmissions="1")
    per_region(
        "TextArea", "speaker", QUOTE, placeholder="speaker entity id (no speaker mention)", maxSubmissions="1"
    )
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"


# ---------------------------------------------------------------- export


def _region(rid: str, control: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    value = {"start": start, "end": end, "text": text[start:end], "labels": [label]}
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": "labels", "value": value}


def _extra(rid: str, control: str, start: int, end: int, kind: str, payload: list[str]) -> dict[str, Any]:
    key = "choices" if kind == "choices" else "text"
    value: dict[str, Any] = {"start": start, "end": end, key: payload}
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": kind, "value": value}


def _relation(source: str, target: str, label: str) -> dict[str, Any]:
    return {"from_id": source, "to_id": target, "type": "relation", "direction": "right", "labels": [label]}


def _task(record: Record) -> dict[str, Any]:
    text = record.text
    entities = {e.id: e for e in record.entities}
    mention_entity = {m.id: m.entity for m in record.mentions}
    result: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    last_of: dict[str, str] = {}
    for m in record.mentions:
        e = entities[m.entity]
        result.append(_region(m.id, MENTION, m.start, m.end, text, e.type))
        result.append(_extra(m.id, "kind", m.start, m.end, "choices", [m.kind]))
        if e.id in last_of:
            relations.append(_relation(m.id, last_of[e.id], COREF))
        else:
            result.append(_extra(m.id, "entity", m.start, m.end, "textarea", [e.id]))
            result.append(_extra(m.id, "name", m.start, m.end, "textarea", [e.name]))
            if e.wikidata is not None:
                result.append(_extra(m.id, "wikidata", m.start, m.end, "textarea", [e.wikidata]))
            if e.sector is not None:
                result.append(_extra(m.id, "sector", m.start, m.end, "choices", [e.sector]))
        last_of[e.id] = m.id
    for v in record.values:
        result.append(_region(v.id, VALUE, v.start, v.end, text, v.type))
        if v.normalized is not None:
            result.append(_extra(v.id, "normalized", v.start, v.end, "textarea", [v.normalized]))
    for ev in record.events:
        s, e_ = ev.trigger.start, ev.trigger.end
        result.append(_region(ev.id, EVENT, s, e_, text, ev.type))
        result.append(_extra(ev.id, "realis", s, e_, "choices", [ev.realis]))
        if ev.mode is not None:
            result.append(_extra(ev.id, "mode", s, e_, "choices", [ev.mode]))
        if ev.context:
            result.append(_extra(ev.id, "context", s, e_, "choices", list(ev.context)))
        if ev.cluster is not None:
            result.append(_extra(ev.id, "cluster", s, e_, "textarea", [ev.cluster]))
        for a in ev.arguments:
            relations.append(
                _relation(ev.id, a.mention if isinstance(a, EntityArgument) else a.value, a.role)
            )
    for q in record.quotes:
        head = q.content[0]
        result.append(_region(q.id, QUOTE, head.start, head.end, text, q.kind))
        previous = q.id
        for k, part in enumerate(q.content[1:], 2):
            part_id = f"_{q.id}_{k}"
            result.append(_region(part_id, QUOTE, part.start, part.end, text, q.kind))
            relations.append(_relation(previous, part_id, CONTINUES))
            previous = part_id
        if q.cue is not None:
            cue_id = f"_{q.id}_cue"
            result.append(_region(cue_id, CUE, q.cue.start, q.cue.end, text, CUE_LABEL))
            relations.append(_relation(q.id, cue_id, CUE))
        if q.speaker_mention is not None:
            relations.append(_relation(q.id, q.speaker_mention, SPEAKER))
        if q.speaker is not None and (
            q.speaker_mention is None or mention_entity.get(q.speaker_mention) != q.speaker
        ):
            result.append(_extra(q.id, "speaker", head.start, head.end, "textarea", [q.speaker]))
    return {"data": {"text": text, "article_id": record.id}, "annotations": [{"result": result + relations}]}


def export_labelstudio(records: Sequence[Record], out_dir: Path) -> tuple[list[Path], list[str]]:
    """Write ``tasks.json`` (one task per record) and ``label_config.xml``."""
    tasks = [_task(r) for r in records]
    files = [out_dir / TASKS_FILE, out_dir / CONFIG_FILE]
    write_text_atomic(files[0], json.dumps(tasks, ensure_ascii=False, indent=2) + "\n")
    write_text_atomic(files[1], labeling_config())
    return files, [carriage_return_note(r, "Label Studio") for r in records if "\r" in r.text]


# ---------------------------------------------------------------- import


@dataclass
class _Region:
    rid: str
    control: str
    label: str
    start: int
    end: int
    extras: dict[str, list[str]] = field(default_factory=dict)


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def _annotation(task: dict[str, Any], where: str, problems: list[str]) -> list[Any] | None:
    given = task.get("annotations")
    annotations = [
        a
        for a in (given if isinstance(given, list) else [])
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    if not annotations:
        problems.append(f"{where}: the task has no annotation")
        return None
    chosen = [a for a in annotations if a.get("ground_truth")] or annotations
    chosen.sort(key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))
    result = chosen[-1].get("result")
    if not isinstance(result, list):
        problems.append(f"{where}: the annotation has no result list")
        return None
    return result


def _regions(
    result: list[Any], text: str, where: str, problems: list[str]
) -> tuple[dict[str, _Region], list[tuple[str, str, str]]]:
    regions: dict[str, _Region] = {}
    extras: list[tuple[str, str, list[str]]] = []
    relations: list[tuple[str, str, str]] = []
    for n, item in enumerate(result):
        at = f"{where}: result[{n}]"
        if not isinstance(item, dict):
            problems.append(f"{at} is not an object")
            continue
        kind = item.get("type")
        if kind == "relation":
            source, target = str(item.get("from_id")), str(item.get("to_id"))
            if item.get("direction") == "left":
                source, target = target, source
            for label in item.get("labels") or []:
                relations.append((source, target, str(label)))
            continue
        value = item.get("value")
        rid = item.get("id")
        if not isinstance(value, dict) or not isinstance(rid, str):
            problems.append(f"{at} has no id or value")
            continue
        if kind == "labels":
            start, end, labels = value.get("start"), value.get("end"), value.get("labels")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                problems.append(f"{at} ({rid}) has bad offsets {start!r}, {end!r}")
                continue
            if "text" in value and value["text"] != text[start:end]:
                problems.append(
                    f"{at} ({rid}) text {value['text']!r} is not text[{start}:{end}] = {text[start:end]!r}"
                )
                continue
            if not isinstance(labels, list) or len(labels) != 1:
                problems.append(f"{at} ({rid}) needs exactly one label, has {labels!r}")
                continue
            if rid in regions:
                problems.append(f"{at}: region id {rid} is labelled twice")
                continue
            regions[rid] = _Region(rid, str(item.get("from_name")), str(labels[0]), start, end)
        elif kind in ("choices", "textarea"):
            payload = value.get("choices" if kind == "choices" else "text")
            if isinstance(payload, str):
                payload = [payload]
            if not isinstance(payload, list):
                problems.append(f"{at} ({rid}) has no {kind} value")
                continue
            entries = [str(p).strip() for p in payload if str(p).strip()]
            extras.append((rid, str(item.get("from_name")), entries))
        else:
            problems.append(f"{at} has the result type {kind!r}, which the SecCoop config does not use")
    for rid, control, entries in extras:
        if rid not in regions:
            problems.append(f"{where}: {control} is given for region {rid}, which has no label")
        elif entries:
            regions[rid].extras[control] = entries
    for source, target, label in relations:
        for end_id in (source, target):
            if end_id not in regions:
                problems.append(f"{where}: relation {label} refers to region {end_id}, which has no label")
    relations = [r for r in relations if r[0] in regions and r[1] in regions]
    return regions, relations


def _record_from_task(base: Record, result: list[Any], where: str, ont: Ontology) -> Record:
    text = base.text
    problems: list[str] = []
    regions, relations = _regions(result, text, where, problems)
    controls: dict[str, dict[str, tuple[str, ...]]] = {
        MENTION: {"kind": (), "entity": (), "name": (), "wikidata": (), "sector": ()},
        VALUE: {"normalized": ()},
        EVENT: {"mode": (), "context": (), "realis": (), "cluster": ()},
        QUOTE: {"speaker": ()},
        CUE: {},
    }
    vocab: dict[str, Collection[str]] = {
        MENTION: ont.entity_types,
        VALUE: ont.value_types,
        EVENT: ont.event_types,
        QUOTE: ont.quote_kinds,
        CUE: {CUE_LABEL: ""},
    }
    choice_vocab = {
        "kind": ont.mention_kinds,
        "sector": ont.org_sectors,
        "mode": ont.modes,
        "context": ont.contexts,
        "realis": ont.realis,
    }
    for r in regions.values():
        if r.control not in controls:
            problems.append(
                f"{where}: region {r.rid} comes from the control {r.control!r}, not in the SecCoop config"
            )
            continue
        if r.label not in vocab[r.control]:
            problems.append(
                f"{where}: region {r.rid} has the {r.control} label {r.label!r}, which is not in the schema"
            )
        for name, entries in r.extras.items():
            if name not in controls[r.control]:
                problems.append(f"{where}: region {r.rid} ({r.control}) cannot have {name}")
            elif name != "context" and len(entries) > 1:
                problems.append(f"{where}: region {r.rid} has {len(entries)} {name} values, expected one")
            elif name in choice_vocab and any(e not in choice_vocab[name] for e in entries):
                problems.append(
                    f"{where}: region {r.rid} has the {name} {entries!r}, which is not in the schema"
                )
    of = {name: [r for r in regions.values() if r.control == name] for name in controls}

    def one(r: _Region, name: str) -> str | None:
        entries = r.extras.get(name)
        return entries[0] if entries else None

    by_label: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for source, target, label in relations:
        by_label[label].append((source, target))
    mention_ids = {r.rid for r in of[MENTION]}
    value_ids = {r.rid for r in of[VALUE]}
    quote_ids = {r.rid for r in of[QUOTE]}

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
    first_with_id: dict[str, str] = {}
    for r in of[MENTION]:
        uf.add(r.rid)
        declared = one(r, "entity")
        if declared is not None:
            uf.union(first_with_id.setdefault(declared, r.rid), r.rid)
    for source, target in by_label[COREF]:
        if source in mention_ids and target in mention_ids:
            uf.union(target, source)
        else:
            problems.append(f"{where}: coref relation {source} -> {target} must link two mentions")
    roots: dict[str, int] = {}
    clusters: list[Cluster] = []
    for r in of[MENTION]:
        root = uf.find(r.rid)
        if root not in roots:
            roots[root] = len(clusters)
            clusters.append(Cluster())
        c = clusters[roots[root]]
        where_r = f"region {r.rid}"
        c.say("types", r.label, where_r)
        c.say("ids", one(r, "entity"), where_r)
        c.say("names", one(r, "name"), where_r)
        c.say("wikidata", one(r, "wikidata"), where_r)
        c.say("sectors", one(r, "sector"), where_r)
        c.surfaces.append((one(r, "kind") or "", text[r.start : r.end]))
        if one(r, "kind") is None:
            problems.append(f"{where}: mention region {r.rid} has no kind")
    speakers = {s: f"region {r.rid}" for r in of[QUOTE] if (s := one(r, "speaker")) is not None}
    entities, cluster_ids = settle_entities(base, clusters, speakers, alloc, problems)
    record_id: dict[str, str] = {}
    entity_of: dict[str, str] = {}
    mentions = []
    for r in of[MENTION]:
        record_id[r.rid] = alloc.claim(r.rid, "m")
        entity_of[r.rid] = cluster_ids[roots[uf.find(r.rid)]]
        mentions.append(
            {
                "id": record_id[r.rid],
                "entity": entity_of[r.rid],
                "start": r.start,
                "end": r.end,
                "text": text[r.start : r.end],
                "kind": one(r, "kind"),
            }
        )

    values = []
    for r in of[VALUE]:
        record_id[r.rid] = alloc.claim(r.rid, "v")
        values.append(
            {
                "id": record_id[r.rid],
                "type": r.label,
                "start": r.start,
                "end": r.end,
                "text": text[r.start : r.end],
                "normalized": one(r, "normalized"),
            }
        )

    # Arguments keep the order of their relations in the result.
    arguments: dict[str, list[dict[str, str]]] = defaultdict(list)
    known = {COREF, CONTINUES, CUE, SPEAKER}
    for source, target, label in relations:
        if label in known:
            continue
        if label not in ont.roles:
            problems.append(f"{where}: relation label {label!r} ({source} -> {target}) is not in the schema")
        elif regions[source].control != EVENT:
            problems.append(f"{where}: role {label} goes from {source}, which is not an event trigger")
        elif target in mention_ids:
            arguments[source].append(
                {"role": label, "entity": entity_of[target], "mention": record_id[target]}
            )
        elif target in value_ids:
            arguments[source].append({"role": label, "value": record_id[target]})
        else:
            problems.append(
                f"{where}: role {label} of {source} points at {target}, neither a mention nor a value"
            )
    events = []
    for r in of[EVENT]:
        events.append(
            {
                "id": alloc.claim(r.rid, "ev"),
                "type": r.label,
                "mode": one(r, "mode"),
                "context": r.extras.get("context", []),
                "realis": one(r, "realis"),
                "trigger": {"start": r.start, "end": r.end, "text": text[r.start : r.end]},
                "arguments": arguments[r.rid],
                "cluster": one(r, "cluster") or None,
            }
        )
        if one(r, "realis") is None:
            problems.append(f"{where}: event region {r.rid} has no realis")

    continues: dict[str, list[str]] = defaultdict(list)
    has_previous: set[str] = set()
    for source, target in by_label[CONTINUES]:
        if source in quote_ids and target in quote_ids:
            continues[source].append(target)
            has_previous.add(target)
        else:
            problems.append(f"{where}: continues relation {source} -> {target} must link two quote regions")
    heads = quote_ids - has_previous
    cue_of: dict[str, list[str]] = defaultdict(list)
    for source, target in by_label[CUE]:
        if source in heads and regions[target].control == CUE:
            cue_of[source].append(target)
        else:
            problems.append(
                f"{where}: cue relation {source} -> {target} must go from a quote's head to a cue"
            )
    speaker_of: dict[str, list[str]] = defaultdict(list)
    for source, target in by_label[SPEAKER]:
        if source in heads and target in mention_ids:
            speaker_of[source].append(target)
        else:
            problems.append(
                f"{where}: speaker relation {source} -> {target} must go from a quote's head to a mention"
            )
    quotes = []
    for r in of[QUOTE]:
        if r.rid in has_previous:
            continue
        chain = [r]
        while continues[chain[-1].rid]:
            nexts = continues[chain[-1].rid]
            if len(nexts) > 1 or regions[nexts[0]] in chain:
                problems.append(f"{where}: the content of quote {r.rid} does not form one chain")
                break
            chain.append(regions[nexts[0]])
        if len(cue_of[r.rid]) > 1 or len(speaker_of[r.rid]) > 1:
            problems.append(f"{where}: quote {r.rid} has more than one cue or speaker mention")
        cue = None
        if cue_of[r.rid]:
            cue_region = regions[cue_of[r.rid][0]]
            cs, ce = cue_region.start, cue_region.end
            cue = {"start": cs, "end": ce, "text": text[cs:ce]}
        speaker_mention = speaker_of[r.rid][0] if speaker_of[r.rid] else None
        speaker = one(r, "speaker") or (entity_of[speaker_mention] if speaker_mention else None)
        quotes.append(
            {
                "id": alloc.claim(r.rid, "q"),
                "kind": r.label,
                "content": [{"start": p.start, "end": p.end, "text": text[p.start : p.end]} for p in chain],
                "cue": cue,
                "speaker": speaker,
                "speaker_mention": record_id.get(speaker_mention or ""),
            }
        )
    for cue_region in of[CUE]:
        if not any(cue_region.rid in targets for targets in cue_of.values()):
            problems.append(f"{where}: cue region {cue_region.rid} belongs to no quote")
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


def import_labelstudio(src: Path, base_records: Sequence[Record]) -> list[Record]:
    """Read Label Studio JSON tasks (a file, or a folder holding ``tasks.json``) into records."""
    path = src / TASKS_FILE if src.is_dir() else src
    folder = src if src.is_dir() else src.absolute().parent
    if not _inside(path, folder):
        raise ConversionError((f"{path}: a symlink out of {folder}; refused",))
    try:
        tasks = json.loads(read_regular_text(path))
    except UnicodeDecodeError as exc:
        raise ConversionError((f"{path}: not UTF-8 (byte offset {exc.start})",)) from None
    except ValueError as exc:
        raise ConversionError((f"{path}: not JSON: {str(exc)[:200]}",)) from None
    except RecursionError:
        raise ConversionError((f"{path}: the JSON is nested too deeply to be Label Studio tasks",)) from None
    if not isinstance(tasks, list):
        raise ConversionError((f"{path}: expected a JSON list of Label Studio tasks",))
    ont = load_ontology()
    bases = {r.id: r for r in base_records}
    by_text: dict[str, list[Record]] = defaultdict(list)
    for r in base_records:
        by_text[r.text].append(r)
    problems: list[str] = []
    records: list[Record] = []
    for n, task in enumerate(tasks):
        where = f"{path}: task {n}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            problems.append(f"{where}: no data.text")
            continue
        article = data.get("article_id")
        if isinstance(article, str):
            base = bases.get(article)
            where = f"{path}: task {n} ({article})"
        else:
            same = by_text.get(data["text"], [])
            base = same[0] if len(same) == 1 else None
        if base is None:
            problems.append(f"{where}: no base record for this task")
            continue
        if data["text"] != base.text:
            problems.append(f"{where}: data.text differs from the record's text")
            continue
        try:
            result = _annotation(task, where, problems)
            if result is None:
                continue
            records.append(_record_from_task(base, result, where, ont))
        except ConversionError as exc:
            problems += exc.problems
        except RecursionError:
            problems.append(f"{where}: nested too deeply to be a Label Studio annotation")
        except (TypeError, KeyError, AttributeError, ValueError, IndexError) as exc:
            # foreign data of an unexpected shape: say where, never a traceback
            problems.append(
                f"{where}: unexpected shape of the annotation ({type(exc).__name__}: {exc})"[:300]
            )
    if problems:
        raise ConversionError(tuple(problems))
    return records
