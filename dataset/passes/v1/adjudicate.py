"""Adjudication of the two independent passes (v1.0.0): pass A plus the decisions below.

This script documents, as code, how `dataset/articles/*.json` were first produced from
`dataset/passes/a/` and `dataset/passes/b/`; every edit names the decision (D-number) listed in
`dataset/AGREEMENT.md`. It was run once; since then the records in dataset/articles are the
source of truth and are edited directly. Offsets are found from surfaces, never typed.

Run from the repository root: ``python dataset/passes/adjudicate.py``, then
``python scripts/link_wikidata.py`` (the confirmed Wikidata links were added after adjudication).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from seccoop.record.io import write_text_atomic
from seccoop.record.models import Record, dump_record

ROOT = Path(__file__).resolve().parents[3]
PASS_A = ROOT / "dataset" / "passes" / "v1" / "a"
OUT = ROOT / "dataset" / "articles"
Rec = dict[str, Any]
METADATA_NOTE = re.compile(r"^(title|publisher|byline|published|url|wikidata)\b", re.IGNORECASE)


def span(rec: Rec, surface: str, at: int | None = None, near: str | None = None) -> dict[str, Any]:
    """The span of ``surface`` starting at ``at``, or inside the unique context ``near``."""
    text = rec["text"]
    if near is not None:
        (base,) = [m.start() for m in re.finditer(re.escape(near), text)]
        at = base + near.index(surface)
    assert at is not None and text[at : at + len(surface)] == surface, (surface, at)
    return {"start": at, "end": at + len(surface), "text": surface}


def mention(rec: Rec, start: int, surface: str | None = None) -> Rec:
    (m,) = [m for m in rec["mentions"] if m["start"] == start and (surface is None or m["text"] == surface)]
    return m


def event(rec: Rec, trigger_start: int) -> Rec:
    (e,) = [e for e in rec["events"] if e["trigger"]["start"] == trigger_start]
    return e


def drop_event(rec: Rec, trigger_start: int) -> None:
    event(rec, trigger_start)
    rec["events"] = [e for e in rec["events"] if e["trigger"]["start"] != trigger_start]


def ent_arg(rec: Rec, role: str, mention_start: int, surface: str | None = None) -> Rec:
    m = mention(rec, mention_start, surface)
    return {"role": role, "entity": m["entity"], "mention": m["id"]}


def val_arg(rec: Rec, role: str, value_start: int) -> Rec:
    (v,) = [v for v in rec["values"] if v["start"] == value_start]
    return {"role": role, "value": v["id"]}


def set_args(rec: Rec, trigger_start: int, args: list[Rec]) -> None:
    event(rec, trigger_start)["arguments"] = args


def next_id(rec: Rec, prefix: str, table: str) -> str:
    numbers = [int(x["id"][len(prefix) :]) for x in rec[table] if x["id"][len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def add_event(
    rec: Rec, etype: str, mode: str | None, context: list[str], realis: str, trigger: Rec, args: list[Rec]
) -> None:
    rec["events"].append(
        {
            "id": next_id(rec, "ev", "events"),
            "type": etype,
            "mode": mode,
            "context": context,
            "realis": realis,
            "trigger": trigger,
            "arguments": args,
        }
    )
    rec["events"].sort(key=lambda e: e["trigger"]["start"])


def add_entity(rec: Rec, etype: str, name: str, sector: str | None, mentions: list[Rec]) -> str:
    eid = next_id(rec, "e", "entities")
    rec["entities"].append({"id": eid, "type": etype, "name": name, "wikidata": None, "sector": sector})
    for sp in mentions:
        rec["mentions"].append({"id": next_id(rec, "m", "mentions"), "entity": eid, **sp, "kind": "NOM"})
    rec["mentions"].sort(key=lambda m: (m["start"], -m["end"]))
    return eid


def drop_mention(rec: Rec, start: int, surface: str) -> None:
    m = mention(rec, start, surface)
    rec["mentions"] = [x for x in rec["mentions"] if x["id"] != m["id"]]


def rwanda_benin(rec: Rec) -> None:
    drop_event(rec, 2371)  # D1: 'discussions' is the purpose of 'traveled', not a new event
    drop_event(rec, 2392)  # D1: 'strengthening' is the purpose of the discussions
    # D2: 'ready to work with Benin' signals willingness to cooperate: AGREE, beside COOPERATE 'work'
    add_event(
        rec,
        "AGREE",
        None,
        ["military"],
        "actual",
        span(rec, "ready", near="We are ready"),
        [ent_arg(rec, "Source", 650, "We"), ent_arg(rec, "Target", 676, "Benin")],
    )
    # D3: a country whose territory is attacked is the Target of the ASSAULT
    set_args(rec, 264, [ent_arg(rec, "Target", 221, "Burkina Faso")])
    set_args(rec, 432, [ent_arg(rec, "Target", s) for s in (367, 374, 380, 391)])
    set_args(rec, 1482, [ent_arg(rec, "Target", s) for s in (1435, 1442, 1456)])
    args = [a for a in event(rec, 1991)["arguments"] if a["role"] != "Place"]
    set_args(rec, 1991, [ent_arg(rec, "Target", 2007, "Benin"), *args])
    # D4: Rwanda deploys the troops: Source is the country, through 'Rwandan'
    set_args(rec, 2102, [ent_arg(rec, "Source", 2116, "Rwandan"), ent_arg(rec, "Place", 2148, "Benin")])
    # D5: coordinated subjects of a joint event are all Sources
    set_args(rec, 1621, [ent_arg(rec, "Source", 1604, "Talon"), ent_arg(rec, "Source", 1614, "Kagame")])
    # Review (D21-D33, after adjudication): consistency with the decisions above
    set_args(rec, 102, [a for a in event(rec, 102)["arguments"] if a["role"] != "Target"])  # D21 (D18)
    drop_event(rec, 636)  # D22 (D1): the cooperation is the topic of the negotiations


def us_algeria_benin(rec: Rec) -> None:
    drop_event(rec, 1088)  # D6: the briefing's giver is not stated; CONSULT needs a Source
    # D7: 'providing support for joint military exercises' is AID beside COOPERATE 'exercises'
    add_event(
        rec,
        "AID",
        None,
        ["military"],
        "actual",
        span(rec, "providing", near="addition to providing"),
        [ent_arg(rec, "Source", 1723), ent_arg(rec, "Target", 1834, "Benin")],
    )
    # D8: the fragment continuing the State Department's statement keeps that speaker (pass A)
    # Review: D23 (D5) the shared commitment of the United States and Benin: two Sources
    keep = [a for a in event(rec, 1217)["arguments"] if a["role"] not in ("Source", "Target")]
    set_args(rec, 1217, [ent_arg(rec, "Source", 1235), ent_arg(rec, "Source", 1253, "Benin"), *keep])
    drop_event(rec, 896)  # D24 (D1): 'assistance' is what the meeting is to discuss
    drop_event(rec, 1124)  # D25 (D6): who receives the support is not stated; AID needs a Target


def us_kenya_pentagon(rec: Rec) -> None:
    # D9: participles such as 'recently signed' are not part of a nominal's span
    m = mention(rec, 503)
    m.update(span(rec, "five-year defense cooperation framework", at=519))
    drop_event(rec, 775)  # D10: 'countering various threats' is too vague for ASSAULT
    # D5: the United States and Kenya signed it together: both Sources
    args = [a for a in event(rec, 512)["arguments"] if a["role"] not in ("Source", "Target")]
    set_args(rec, 512, [ent_arg(rec, "Source", 432), ent_arg(rec, "Source", 450, "Kenya"), *args])
    # D11: Kenya, not Duale, is the one who will support Ukraine (Duale pledged Kenya's support)
    args = [a for a in event(rec, 2390)["arguments"] if a["role"] != "Source"]
    set_args(rec, 2390, [ent_arg(rec, "Source", 2268, "Kenya"), *args])
    # Review: D26 (D5) the meeting of Austin and Duale: two Sources
    keep = [a for a in event(rec, 253)["arguments"] if a["role"] not in ("Source", "Target")]
    set_args(rec, 253, [ent_arg(rec, "Source", 299), ent_arg(rec, "Source", 340), *keep])
    set_args(rec, 2260, [a for a in event(rec, 2260)["arguments"] if a["role"] != "Target"])  # D27 (D18)
    # D28: 'the al-Shabaab terrorist group' is a nominal of al-Shabaab (the name nested), like
    # 'the Islamist extremist group'
    group = span(rec, "al-Shabaab terrorist group", at=1033)
    rec["mentions"].append(
        {"id": next_id(rec, "m", "mentions"), "entity": mention(rec, 1033)["entity"], **group, "kind": "NOM"}
    )
    rec["mentions"].sort(key=lambda m: (m["start"], -m["end"]))


def us_kenya_pact(rec: Rec) -> None:
    drop_mention(rec, 2324, "it")  # D12: 'it' may be the signing or the framework: left out
    # D13: the Haiti mission and the U.S. forces are entities: beneficiary and guest of events
    mission = add_entity(
        rec,
        "ORG",
        "multinational security support mission in Haiti",
        "IGO",
        [span(rec, "multinational security support mission", at=692), span(rec, "Haiti mission", at=1030)],
    )
    add_entity(rec, "ORG", "U.S. forces", "MIL", [span(rec, "U.S. forces", at=1462)])
    mission_mentions = sorted((m["start"], m["id"]) for m in rec["mentions"] if m["entity"] == mission)
    drop_event(rec, 2184)  # D14: 'their meeting' refers back to the visit
    # D15: Kenya is to *lead* the mission: the verb is the trigger
    drop_event(rec, 723)
    add_event(
        rec,
        "AID",
        None,
        ["peacekeeping"],
        "hypothetical",
        span(rec, "lead", near="Kenya to lead"),
        [ent_arg(rec, "Source", 676, "Kenya"), ent_arg(rec, "Target", 734, "Haiti")],
    )
    # D16: 'reaffirmed the U.S. commitment' is an AGREE event, not a quote
    rec["quotes"] = [q for q in rec["quotes"] if not (q["cue"] and q["cue"]["text"] == "reaffirmed")]
    # D17: France's announced decision is CONCEDE (Sunday); the withdrawal itself stays RETREAT future
    add_event(
        rec,
        "CONCEDE",
        None,
        ["military", "diplomatic"],
        "actual",
        span(rec, "decision", near="France's decision"),
        [
            ent_arg(rec, "Source", 1756, "France"),
            ent_arg(rec, "Place", 1798, "Niger"),
            val_arg(rec, "Time", 1807),
        ],
    )
    # D5: joint signing: both parties are Sources
    for trig, a, b in ((55, 12, 36), (247, 169, 232), (424, 409, 395)):
        keep = [x for x in event(rec, trig)["arguments"] if x["role"] not in ("Source", "Target")]
        set_args(
            rec,
            trig,
            [
                ent_arg(rec, "Source", a, None if trig != 55 else "U.S. defense secretary"),
                ent_arg(rec, "Source", b, None if trig != 55 else "Kenyan counterpart"),
                *keep,
            ],
        )
    # D13: the mission and the forces as fillers
    set_args(
        rec,
        762,
        [
            ent_arg(rec, "Source", 757, "U.S."),
            {"role": "Target", "entity": mission, "mention": mission_mentions[0][1]},
        ],
    )
    args = [a for a in event(rec, 1011)["arguments"] if a["role"] != "Target"]
    set_args(rec, 1011, [*args, {"role": "Target", "entity": mission, "mention": mission_mentions[1][1]}])
    args = [a for a in event(rec, 1454)["arguments"] if a["role"] != "Target"]
    set_args(rec, 1454, [*args, ent_arg(rec, "Target", 1462, "U.S. forces")])
    # D18: a pledge's Target is whom the promise is made to; the text does not say
    for trig in (788, 987):
        set_args(rec, trig, [a for a in event(rec, trig)["arguments"] if a["role"] != "Target"])
    # D19: fill Place where the text states it
    event(rec, 886)["arguments"].append(ent_arg(rec, "Place", 932, "Caribbean nation"))
    event(rec, 1903)["arguments"].append(ent_arg(rec, "Place", 1954, "Niger"))
    # D20: the ousted government is not an argument of 'took power' in its clause
    set_args(rec, 1992, [a for a in event(rec, 1992)["arguments"] if a["role"] != "Target"])
    # Review, after adjudication:
    drop_mention(rec, 1324, "It")  # D29 (D12): 'It will help guide …' may be the signing or the framework
    # D30 (D3): Haiti, plagued by the gang violence, is its Target
    set_args(rec, 902, [ent_arg(rec, "Target", 932, "Caribbean nation")])
    drop_event(rec, 886)  # D31 (D1): 'combat the gang violence' is the purpose of the deployment
    # D32 (as in 000): the shared commitment of the U.S. and Kenya is AGREE with two Sources
    add_event(
        rec,
        "AGREE",
        None,
        ["diplomatic"],
        "actual",
        span(rec, "commitment", near="Kenya's shared commitment"),
        [ent_arg(rec, "Source", 1062, "U.S."), ent_arg(rec, "Source", 1071, "Kenya")],
    )


EDITS = {
    "rwanda-benin-military-assistance": rwanda_benin,
    "us-algeria-benin-arms-control-visit": us_algeria_benin,
    "us-kenya-defense-partnership-pentagon": us_kenya_pentagon,
    "us-kenya-defense-cooperation-pact": us_kenya_pact,
}


def main() -> None:
    """Write the adjudicated records into dataset/articles/."""
    for rid, edit in EDITS.items():
        rec = json.loads((PASS_A / f"{rid}.json").read_text(encoding="utf-8"))
        edit(rec)
        # events and quotes are referenced by nothing: number them in text order, without gaps
        rec["events"].sort(key=lambda e: (e["trigger"]["start"], e["trigger"]["end"]))
        for n, ev in enumerate(rec["events"], 1):
            ev["id"] = f"ev{n}"
        rec["quotes"].sort(key=lambda q: q["content"][0]["start"])
        for n, q in enumerate(rec["quotes"], 1):
            q["id"] = f"q{n}"
        # D33: pass A's metadata notes predate the Wikidata links; drop what they say about them
        notes = [
            n.replace(" Entity wikidata fields are null (no look-up was made).", "")
            for n in rec["annotation"]["notes"]
            if METADATA_NOTE.match(n)
        ]
        notes.append(
            "Annotated twice, independently (passes in dataset/passes/a and /b), and adjudicated; the "
            "agreement figures and every adjudicated decision are in dataset/AGREEMENT.md."
        )
        rec["annotation"] = {
            "annotators": ["annotator-A", "annotator-B"],
            "adjudicator": "maintainer",
            "status": "adjudicated",
            "notes": notes,
        }
        write_text_atomic(OUT / f"{rid}.json", dump_record(Record.model_validate(rec)))


if __name__ == "__main__":
    main()
