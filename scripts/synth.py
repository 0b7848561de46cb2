"""Deterministic synthetic corpora for benchmarks and fuzzing: N articles, valid by construction.

Each article is made of template sentences about invented actors (names built from syllables, so
no real text is copied and no name occurs inside another), with the real corpus's sizes and
densities: about 3 KB of text, 60-80 mentions, 10-30 events, a few values and quotes. Every name
occurrence is a mention, every span is computed from the text it was written into, so
``seccoop validate`` finds nothing. The same arguments give byte-identical files.

Usage: python scripts/synth.py OUT --articles N [--sentences 30] [--seed 0]
       (OUT receives seeds/ and dataset/articles/; validate with seccoop validate OUT/dataset/articles)
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from functools import cache
from pathlib import Path
from typing import Any

from seccoop.record.canonical import canonical_text
from seccoop.record.models import Record

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "tu",
    "ve",
    "zan",
    "dor",
    "pel",
    "sim",
    "gar",
    "nor",
    "bel",
    "tis",
    "ruk",
    "hal",
    "mon",
    "dey",
    "fiu",
    "las",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


@cache
def _names() -> dict[str, list[str]]:
    """Names shared by every article, one type per name and no word in two names."""
    rng = random.Random("names")
    used: set[str] = set()
    pools: dict[str, list[str]] = {}
    for type_, count, parts in (("GPE", 60, 3), ("PER", 80, 2), ("ORG", 40, 2), ("LOC", 30, 3)):
        pools[type_] = []
        while len(pools[type_]) < count:
            if type_ == "PER":
                name = f"{_word(rng, 2)} {_word(rng, 2)}"
            elif type_ == "ORG":
                name = f"{_word(rng, parts)} Defence Agency"
            else:
                name = _word(rng, parts)
            words = set(name.split()) - {"Defence", "Agency"}
            if words & used:
                continue
            used |= words
            pools[type_].append(name)
    return pools


class _Article:
    def __init__(self, rid: str, rng: random.Random) -> None:
        self.rid = rid
        self.rng = rng
        # the text is built as a list of sentences (appending to one string would copy it each
        # time: quadratic for a 20 MB record); every span lies in the sentence just written
        self.parts: list[str] = []
        self.length = 0
        self.last = ""
        self.last_start = 0
        self.sentences: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []
        self.values: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self.entities: list[dict[str, Any]] = []
        self.pool: dict[str, list[tuple[str, str]]] = {}
        for type_, count in (("GPE", 8), ("PER", 6), ("ORG", 5), ("LOC", 3)):
            self.pool[type_] = []
            for name in rng.sample(_names()[type_], count):
                eid = f"e{len(self.entities) + 1}"
                self.entities.append(
                    {
                        "id": eid,
                        "type": type_,
                        "name": name,
                        "wikidata": None,
                        "sector": "GOV" if type_ == "ORG" else None,
                    }
                )
                self.pool[type_].append((eid, name))

    # pieces of a sentence: literal text, or (kind, payload) to record a span where it lands
    def _sentence(self, pieces: list[Any]) -> dict[str, int]:
        if self.parts:
            gap = "\n" if self.rng.random() < 0.3 else " "
            self.parts.append(gap)
            self.length += len(gap)
        start = self.length
        text = ""
        marks: dict[str, int] = {}
        for piece in pieces:
            if isinstance(piece, str):
                text += piece
                continue
            label, surface = piece
            marks[label] = start + len(text)
            text += surface
            marks[label + "_end"] = start + len(text)
        self.parts.append(text)
        self.length += len(text)
        self.last, self.last_start = text, start
        self.sentences.append(
            {"id": f"s{len(self.sentences) + 1}", "start": start, "end": self.length, "text": text}
        )
        return marks

    def _slice(self, start: int, end: int) -> str:
        return self.last[start - self.last_start : end - self.last_start]

    def _mention(self, eid: str, start: int, end: int, kind: str = "NAM") -> str:
        mid = f"m{len(self.mentions) + 1}"
        self.mentions.append(
            {
                "id": mid,
                "start": start,
                "end": end,
                "text": self._slice(start, end),
                "entity": eid,
                "kind": kind,
            }
        )
        return mid

    def _value(self, type_: str, start: int, end: int, normalized: str) -> str:
        vid = f"v{len(self.values) + 1}"
        self.values.append(
            {
                "id": vid,
                "start": start,
                "end": end,
                "text": self._slice(start, end),
                "type": type_,
                "normalized": normalized,
            }
        )
        return vid

    def _event(self, type_: str, trigger: tuple[int, int], args: list[dict[str, str]]) -> None:
        start, end = trigger
        self.events.append(
            {
                "id": f"ev{len(self.events) + 1}",
                "type": type_,
                "mode": None,
                "context": [],
                "realis": "actual",
                "trigger": {"start": start, "end": end, "text": self._slice(start, end)},
                "arguments": args,
            }
        )

    def pick(self, type_: str) -> tuple[str, str]:
        return self.rng.choice(self.pool[type_])

    def add_sentence(self) -> None:
        rng = self.rng
        choice = rng.randrange(4)
        if choice == 0:
            (s, sn), (t, tn), (p, pn) = self.pick("GPE"), self.pick("ORG"), self.pick("LOC")
            day, month, year = rng.randint(1, 28), rng.randrange(12), rng.randint(2015, 2024)
            date = f"{day} {MONTHS[month]} {year}"
            m = self._sentence(
                [
                    ("s", sn),
                    " ",
                    ("tr", "agreed"),
                    " to support the ",
                    ("t", tn),
                    " in ",
                    ("p", pn),
                    " on ",
                    ("d", date),
                    ".",
                ]
            )
            sm, tm, pm = (self._mention(e, m[k], m[k + "_end"]) for e, k in ((s, "s"), (t, "t"), (p, "p")))
            v = self._value("DATE", m["d"], m["d_end"], f"{year}-{month + 1:02d}-{day:02d}")
            args = [
                {"role": "Source", "entity": s, "mention": sm},
                {"role": "Target", "entity": t, "mention": tm},
                {"role": "Place", "entity": p, "mention": pm},
                {"role": "Time", "value": v},
            ]
            self._event("AGREE", (m["tr"], m["tr_end"]), args)
        elif choice == 1:
            (s, sn), (p, pn) = self.pick("GPE"), self.pick("GPE")
            if s == p:
                return self.add_sentence()
            count = rng.randint(20, 5000)
            m = self._sentence(
                [
                    ("s", sn),
                    " ",
                    ("tr", "deployed"),
                    " ",
                    ("n", f"{count} soldiers"),
                    " to ",
                    ("p", pn),
                    " after weeks of talks with local leaders.",
                ]
            )
            sm = self._mention(s, m["s"], m["s_end"])
            pm = self._mention(p, m["p"], m["p_end"])
            v = self._value("QUANTITY", m["n"], m["n_end"], str(count))
            args = [
                {"role": "Source", "entity": s, "mention": sm},
                {"role": "Place", "entity": p, "mention": pm},
                {"role": "Amount", "value": v},
            ]
            self._event("MOBILIZE", (m["tr"], m["tr_end"]), args)
        elif choice == 2:
            (sp, spn), (g, gn) = self.pick("PER"), self.pick("GPE")
            words = " ".join(
                rng.choice(["we", "will", "work", "together", "on", "security", "and", "trade"])
                for _ in range(rng.randint(4, 12))
            )
            m = self._sentence(
                [
                    "“",
                    ("c", f"{words.capitalize()} with "),
                    ("g", gn),
                    ",",
                    "” ",
                    ("cue", "said"),
                    " ",
                    ("sp", spn),
                    ", who leads the delegation.",
                ]
            )
            content_end = m["g_end"] + 1
            self._mention(g, m["g"], m["g_end"])
            spm = self._mention(sp, m["sp"], m["sp_end"])
            self.quotes.append(
                {
                    "id": f"q{len(self.quotes) + 1}",
                    "kind": "direct",
                    "content": [
                        {"start": m["c"], "end": content_end, "text": self._slice(m["c"], content_end)}
                    ],
                    "cue": {"start": m["cue"], "end": m["cue_end"], "text": "said"},
                    "speaker": sp,
                    "speaker_mention": spm,
                }
            )
        else:
            (a, an), (b, bn), (o, on) = self.pick("PER"), self.pick("GPE"), self.pick("ORG")
            m = self._sentence(
                [
                    ("a", an),
                    " ",
                    ("tr", "met"),
                    " officials of ",
                    ("b", bn),
                    " and the ",
                    ("o", on),
                    "; ",
                    ("pro", "he"),
                    " praised their work.",
                ]
            )
            am = self._mention(a, m["a"], m["a_end"])
            bm = self._mention(b, m["b"], m["b_end"])
            self._mention(o, m["o"], m["o_end"])
            self._mention(a, m["pro"], m["pro_end"], "PRO")
            args = [
                {"role": "Source", "entity": a, "mention": am},
                {"role": "Target", "entity": b, "mention": bm},
            ]
            self._event("CONSULT", (m["tr"], m["tr_end"]), args)
        return None

    def record(self, seed_path: str) -> dict[str, Any]:
        text = "".join(self.parts)
        raw = text.encode("utf-8")
        # only entities that have a mention: clusters without mentions are not annotated
        used = {m["entity"] for m in self.mentions}
        return {
            "schema_version": 1,
            "id": self.rid,
            "source": {"path": seed_path, "sha256": hashlib.sha256(raw).hexdigest()},
            "title": None,
            "publisher": None,
            "byline": None,
            "published": None,
            "url": None,
            "text": text,
            "zones": [],
            "sentences": self.sentences,
            "entities": [e for e in self.entities if e["id"] in used],
            "mentions": self.mentions,
            "non_mentions": [],
            "values": self.values,
            "events": self.events,
            "quotes": self.quotes,
            "annotation": {"annotators": ["synthetic"], "adjudicator": None, "status": "draft", "notes": []},
        }


def synth_record(rid: str, seed: int, sentences: int) -> dict[str, Any]:
    """One synthetic record (as JSON data) with ``sentences`` sentences; deterministic in its arguments."""
    rng = random.Random(f"{seed}:{rid}")
    article = _Article(rid, rng)
    for _ in range(sentences):
        article.add_sentence()
    return article.record(f"seeds/{rid}.txt")


def write_corpus(out: Path, articles: int, *, seed: int = 0, sentences: int = 30) -> Path:
    """Write ``articles`` records and their seeds under ``out``; return the records' folder."""
    folder = out / "dataset" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    (out / "seeds").mkdir(exist_ok=True)
    for n in range(articles):
        rid = f"synthetic-{seed}-{n:06d}"
        record = synth_record(rid, seed, sentences)
        (out / "seeds" / f"{rid}.txt").write_bytes(record["text"].encode("utf-8"))
        # the canonical layout, as `seccoop fmt` writes it: the validator flags any other
        text = canonical_text(Record.model_validate(record))
        (folder / f"{rid}.json").write_text(text, "utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument(
        "--sentences", type=int, default=30, help="sentences per article (~100 characters each)"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    folder = write_corpus(args.out, args.articles, seed=args.seed, sentences=args.sentences)
    print(f"wrote {args.articles} article(s) to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
