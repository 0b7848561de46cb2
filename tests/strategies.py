"""Hypothesis strategies that build valid article records by construction, and corpus writers.

A record is grown sentence by sentence from chunks (plain words, entity names, numbers, event
triggers, quoted passages), so every offset, reference and ontology constraint holds by
construction; the tests then check that the validator agrees and that the laws hold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from seccoop.record.models import Record, dump_record
from seccoop.record.ontology import load_ontology

ONT = load_ontology()
ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "FAC", "PROGRAM")
_LOWER = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=7)
_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8).map(str.capitalize)


def entity_type_of(name: str) -> str:
    """Types are a function of the name, so a name never gets two types in one corpus."""
    return ENTITY_TYPES[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(ENTITY_TYPES)]


@dataclass
class _Builder:
    text: str = ""
    sentences: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    triggers: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, sentence)
    quoted: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, piece: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += piece
        return start, len(self.text)

    def span(self, start: int, end: int) -> dict[str, Any]:
        return {"start": start, "end": end, "text": self.text[start:end]}


@st.composite
def records(draw: st.DrawFn, record_id: str | None = None, max_sentences: int = 4) -> Record:
    """A valid record: random text, non-overlapping spans, consistent references."""
    rid = record_id or draw(st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True))
    names = draw(st.lists(_NAME, min_size=1, max_size=5, unique=True))
    entities = [
        {
            "id": f"e{i}",
            "type": entity_type_of(n),
            "name": n,
            "wikidata": None,
            "sector": draw(st.sampled_from([None, "GOV", "MIL"])) if entity_type_of(n) == "ORG" else None,
        }
        for i, n in enumerate(names, 1)
    ]
    b = _Builder()
    zones = []
    if draw(st.booleans()):
        zones.append({"kind": "boilerplate", **b.span(*b.add("Subscribe"))})
        b.add("\n\n")
    n_sentences = draw(st.integers(1, max_sentences))
    for si in range(n_sentences):
        sent_start = len(b.text)
        chunks = draw(
            st.lists(
                st.sampled_from(["word", "name", "number", "trigger", "quote"]),
                min_size=1,
                max_size=7,
            )
        )
        for ci, kind in enumerate(chunks):
            if ci:
                b.add(" ")
            if kind == "word":
                b.add(draw(_LOWER))
            elif kind == "name":
                k = draw(st.integers(0, len(entities) - 1))
                s, e = b.add(names[k])
                b.mentions.append(
                    {"entity": entities[k]["id"], "kind": "NAM", "sentence": si, **b.span(s, e)}
                )
            elif kind == "number":
                digits = str(draw(st.integers(1, 99999)))
                s, e = b.add(digits)
                vtype = "DATE" if len(digits) == 4 and draw(st.booleans()) else "QUANTITY"
                b.values.append({"type": vtype, "normalized": digits, "sentence": si, **b.span(s, e)})
            elif kind == "trigger":
                s, e = b.add(draw(_LOWER))
                b.triggers.append((s, e, si))
            else:
                b.add("“")
                s, e = b.add(" ".join(draw(st.lists(_LOWER, min_size=1, max_size=4))))
                b.add("”")
                b.quoted.append((s, e, si))
        b.add(".")
        b.sentences.append({"id": f"s{si + 1}", **b.span(sent_start, len(b.text))})
        b.add(draw(st.sampled_from([" ", "\n", "\n\n"])))
    mentions = [{"id": f"m{i}", **m} for i, m in enumerate(b.mentions, 1)]
    sentence_of = {f"m{i}": m["sentence"] for i, m in enumerate(b.mentions, 1)}
    sentence_of |= {f"v{i}": v["sentence"] for i, v in enumerate(b.values, 1)}
    mentions = [{k: m[k] for k in ("id", "entity", "start", "end", "text", "kind")} for m in mentions]
    values = [
        {
            "id": f"v{i}",
            "type": v["type"],
            "start": v["start"],
            "end": v["end"],
            "text": v["text"],
            "normalized": v["normalized"],
        }
        for i, v in enumerate(b.values, 1)
    ]
    by_type = {e["id"]: e["type"] for e in entities}
    actors = [m for m in mentions if by_type[m["entity"]] in ("PER", "ORG", "GPE")]
    events = []
    for i, (s, e, si) in enumerate(b.triggers, 1):
        # arguments come only from the trigger's sentence (guidelines §5.6)
        near = [m for m in actors if sentence_of[m["id"]] == si]
        if near:
            etype = draw(st.sampled_from(sorted(ONT.event_types)))
        else:
            etype = draw(st.sampled_from(["PROTEST", "MOBILIZE", "ASSAULT"]))
        spec = ONT.event_types[etype]
        args: list[dict[str, Any]] = []
        for role in spec.required:
            m = draw(st.sampled_from(near))
            args.append({"role": role, "entity": m["entity"], "mention": m["id"]})
        if "Time" in spec.roles and values and draw(st.booleans()):
            dates = [v for v in values if v["type"] == "DATE" and sentence_of[v["id"]] == si]
            if dates:
                args.append({"role": "Time", "value": draw(st.sampled_from(dates))["id"]})
        events.append(
            {
                "id": f"ev{i}",
                "type": etype,
                "mode": draw(st.sampled_from([None, *spec.modes])),
                "context": draw(st.lists(st.sampled_from(sorted(ONT.contexts)), max_size=2, unique=True)),
                "realis": draw(st.sampled_from(sorted(ONT.realis))),
                "trigger": b.span(s, e),
                "arguments": args,
            }
        )
    # event coreference: all events of a type may form one cluster (one mode, as §5.9 requires)
    by_event_type: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_event_type.setdefault(event["type"], []).append(event)
    clusters = 0
    for group in by_event_type.values():
        if len(group) >= 2 and draw(st.booleans()):
            clusters += 1
            for event in group:
                event["cluster"] = f"ec{clusters}"
                event["mode"] = group[0]["mode"]
    quotes = []
    for i, (s, e, _si) in enumerate(b.quoted, 1):
        speaker = draw(st.sampled_from([None, *actors])) if actors else None
        quotes.append(
            {
                "id": f"q{i}",
                "kind": "direct",
                "content": [b.span(s, e)],
                "cue": None,
                "speaker": speaker["entity"] if speaker else None,
                "speaker_mention": speaker["id"] if speaker else None,
            }
        )
    data = {
        "schema_version": 1,
        "id": rid,
        "source": {
            "path": f"seeds/{rid}.txt",
            "sha256": hashlib.sha256(b.text.encode()).hexdigest(),
        },
        "title": None,
        "publisher": None,
        "byline": None,
        "published": None,
        "url": None,
        "text": b.text,
        "zones": zones,
        "sentences": b.sentences,
        "entities": entities,
        "mentions": mentions,
        "non_mentions": [],
        "values": values,
        "events": events,
        "quotes": quotes,
        "annotation": {
            "annotators": ["hypothesis"],
            "adjudicator": None,
            "status": "draft",
            "notes": [],
        },
    }
    return Record.model_validate(data)


@st.composite
def corpora(draw: st.DrawFn, max_records: int = 3) -> list[Record]:
    """A list of valid records with distinct ids."""
    ids = draw(
        st.lists(
            st.from_regex(r"[a-z]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True),
            min_size=1,
            max_size=max_records,
            unique=True,
        )
    )
    return [draw(records(record_id=rid)) for rid in ids]


def write_corpus(root: Path, corpus: list[Record]) -> Path:
    """Write seeds and records under ``root`` (root/seeds, root/dataset/articles); return the articles dir."""
    articles = root / "dataset" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    for record in corpus:
        (root / record.source.path).write_bytes(record.text.encode("utf-8"))
        (articles / f"{record.id}.json").write_text(dump_record(record), encoding="utf-8")
    return articles


def json_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON document (the root first): keys of objects, indices of arrays."""
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += json_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += json_paths(value, (*prefix, index))
    return out
