"""Revision 3: the adjudicated event layer, built from pass A plus every decision, as code.

The decisions are listed in dataset/AGREEMENT.md ("Revision 3"). Run from the repository root,
once, then dataset/passes/r3/review_fixes.py: ``python dataset/passes/r3/adjudicate.py``. It
writes dataset/articles/<id>.json (pass A's record, whose non-event layers are the 1.0.0 records,
with the adjudicated events). Offsets are taken from the passes' files (computed there by code)
and looked up by surface here; nothing is typed.
"""

import json
from pathlib import Path

from seccoop.record.models import Record, dump_record

ROOT = Path(__file__).resolve().parents[3]
A = ROOT / "dataset/passes/a"
Bp = ROOT / "dataset/passes/b"
OUT = ROOT / "dataset/articles"


def find(evs, text, start):
    r = [e for e in evs if e["trigger"]["text"] == text and e["trigger"]["start"] == start]
    assert len(r) == 1, (text, start)
    return r[0]


def ment(d, mid):
    m = next(m for m in d["mentions"] if m["id"] == mid)
    return m


def set_arg(d, ev, role, entity_of_mention, new_mid, add=False):
    m = ment(d, new_mid)
    if add:
        ev["arguments"].append({"role": role, "entity": m["entity"], "mention": new_mid})
        return
    hits = [a for a in ev["arguments"] if a["role"] == role and a.get("entity") == m["entity"]]
    assert len(hits) == 1, (ev["trigger"], role)
    hits[0]["mention"] = new_mid


def drop_arg(ev, role, key, val):
    n = len(ev["arguments"])
    ev["arguments"] = [a for a in ev["arguments"] if not (a["role"] == role and a.get(key) == val)]
    assert len(ev["arguments"]) == n - 1, (ev["trigger"], role, val)


def ctx(ev, lst):
    ev["context"] = lst


def finish(d):
    evs = sorted(d["events"], key=lambda e: (e["trigger"]["start"], e["trigger"]["end"]))
    cmap = {}
    for i, e in enumerate(evs, 1):
        e["id"] = f"ev{i}"
        c = e.get("cluster")
        if c is not None:
            if c not in cmap:
                cmap[c] = f"ec{len(cmap) + 1}"
            e["cluster"] = cmap[c]
        else:
            e["cluster"] = None
    d["events"] = evs
    for e in evs:
        assert d["text"][e["trigger"]["start"] : e["trigger"]["end"]] == e["trigger"]["text"]
    return d


def load(n):
    return json.loads((A / n).read_text(encoding="utf-8"))


def loadb(n):
    return json.loads((Bp / n).read_text(encoding="utf-8"))


def save(n, d):
    (OUT / n).write_text(dump_record(Record.model_validate(finish(d))), encoding="utf-8")


# ---------- 000 us-algeria-benin-arms-control-visit
n = "us-algeria-benin-arms-control-visit.json"
d = load(n)
E = d["events"]
for t, s in [("travelled", 279), ("discussed", 314), ("met", 455), ("visit", 714)]:
    ctx(find(E, t, s), ["diplomatic", "military"])  # B (G1: consultation on security between states; case 28)
drop_arg(find(E, "discussed", 314), "Time", "value", "v2")  # B (X3: adjuncts of one conjunct)
save(n, d)

# ---------- 001 rwanda-benin-military-assistance
n = "rwanda-benin-military-assistance.json"
d = load(n)
E = d["events"]
drop_arg(find(E, "pledged", 102), "Time", "value", "v1")  # B (X3)
for t, s in [("spillover", 432), ("struggle", 1322), ("attacks", 1482), ("incursions", 1991), ("wars", 2039)]:
    ctx(find(E, t, s), ["terrorism"])  # B (X2: military needs a state party using force)
for t, s in [("reinforced", 2494), ("dispatched", 2664)]:
    ctx(find(E, t, s), ["military"])  # B (case 12: this paragraph shows no terrorism)
ctx(find(E, "traveled", 2338), ["diplomatic", "military"])  # B (X4)
# shared errors: closest mention (§5.6.4)
set_arg(d, find(E, "increased", 1371), "Place", None, "m36")
set_arg(d, find(E, "declared", 2569), "Place", None, "m63")
ctx(find(E, "ready", 657), ["diplomatic", "military", "terrorism"])  # shared: G4 (pledge to another state)
save(n, d)

# ---------- 002 us-kenya-defense-partnership-pentagon
n = "us-kenya-defense-partnership-pentagon.json"
d = load(n)
E = d["events"]
set_arg(d, find(E, "countering", 1018), "Source", None, "m26")  # B (X6: tie on start -> earlier end)
ev = find(E, "supporting", 2390)  # B (case 27: Kenya's stance)
ev["arguments"] = [a for a in ev["arguments"] if a["role"] != "Source"]
ev["arguments"].insert(0, {"role": "Source", "entity": ment(d, "m52")["entity"], "mention": "m52"})
save(n, d)

# ---------- 003 us-kenya-defense-cooperation-pact
n = "us-kenya-defense-cooperation-pact.json"
d = load(n)
E = d["events"]
# support@762 (A) kept; support@715 (B) rejected; describing (B) rejected -> nothing to do on A's file
ctx(find(E, "pledged", 788), ["diplomatic", "peacekeeping", "crime"])  # shared: G4
ctx(find(E, "highlighting", 1045), ["diplomatic", "military", "peacekeeping"])  # A+B (G1, G4)
ev = find(E, "highlighting", 1045)
set_arg(d, ev, "Target", None, "m34", add=True)  # X5: Kenya only
ev = find(E, "underscoring", 1488)
set_arg(d, ev, "Target", None, "m42", add=True)  # X5: Kenya only
ev = find(E, "call", 1903)
ctx(ev, ["diplomatic", "pro_democracy"])  # B (X7)
drop_arg(ev, "Target", "mention", "m59")  # B
save(n, d)
print("built")
