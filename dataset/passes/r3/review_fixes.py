"""Revision 3: the findings of the independent reviews, applied as code.

Two reviewers who saw neither revision-3 pass checked the records against revision 3 of the
guidelines: one the event layer after adjudication (two context errors), one the entity, value and
quote layers (the new quote-cue test, narrator words, unnamed organizations, sectors, nominal spans,
open intervals); the 2026-11 review's single findings are here too. Run once from the repository
root, after dataset/passes/r3/adjudicate.py: ``python dataset/passes/r3/review_fixes.py``. Each edit
is listed in dataset/AGREEMENT.md (section "Revision 3"); each one checks the text before it changes
anything, so a record that no longer looks as expected stops the script instead of being edited
blindly. Offsets are computed from the text, never typed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from seccoop.record.models import Record, dump_record

ARTICLES = Path("dataset/articles")


def _load(name: str) -> dict:
    return json.loads((ARTICLES / f"{name}.json").read_text(encoding="utf-8"))


def _save(name: str, data: dict) -> None:
    record = Record.model_validate(data)
    (ARTICLES / f"{name}.json").write_text(dump_record(record), encoding="utf-8")


def _span(text: str, surface: str, after: int = 0) -> dict:
    start = text.index(surface, after)
    return {"start": start, "end": start + len(surface), "text": surface}


def _next_id(items: list[dict], prefix: str) -> str:
    return f"{prefix}{max(int(i['id'][len(prefix) :]) for i in items) + 1}"


def volatile_region() -> None:
    """pentagon: "volatile region" does not refer back to East Africa; it is not a mention."""
    name = "us-kenya-defense-partnership-pentagon"
    r = _load(name)
    gone = [m for m in r["mentions"] if m["text"] == "volatile region"]
    if not gone:
        return
    if len(gone) != 1:
        sys.exit(f"{name}: expected one 'volatile region' mention, found {len(gone)}")
    mid = gone[0]["id"]
    used = [e["id"] for e in r["events"] for a in e["arguments"] if a.get("mention") == mid]
    used += [q["id"] for q in r["quotes"] if q.get("speaker_mention") == mid]
    if used:
        sys.exit(f"{name}: 'volatile region' ({mid}) is used by {used}; adjudicate that first")
    r["mentions"] = [m for m in r["mentions"] if m["id"] != mid]
    _save(name, r)


def framework_it() -> None:
    """kenya-pact: "It will help guide our bilateral defense relationship" — "It" is the framework."""
    name = "us-kenya-defense-cooperation-pact"
    r = _load(name)
    text = r["text"]
    anchor = text.index('adding: "It will help guide')
    span = _span(text, "It", anchor)
    if any(m["start"] == span["start"] for m in r["mentions"]):
        return
    framework = next(e["id"] for e in r["entities"] if e["name"] == "Defence Cooperation Agreements")
    mention = {**span, "id": _next_id(r["mentions"], "m"), "entity": framework, "kind": "PRO"}
    r["mentions"] = sorted([*r["mentions"], mention], key=lambda m: (m["start"], -m["end"]))
    _save(name, r)


def _split_quote(name: str, quote_id: str, parts: list[str]) -> None:
    r = _load(name)
    text = r["text"]
    quote = next(q for q in r["quotes"] if q["id"] == quote_id)
    whole = quote["content"]
    lo = whole[0]["start"]
    spans = []
    for surface in parts:
        span = _span(text, surface, lo)
        if span["end"] > whole[-1]["end"]:
            sys.exit(f"{name} {quote_id}: {surface!r} is not inside the quote")
        spans.append(span)
        lo = span["end"]
    quote["content"] = spans
    _save(name, r)


def narrator_words() -> None:
    """Narrator words between quoted passages, and a narrator's relative clause, leave the content."""
    _split_quote(
        "us-algeria-benin-arms-control-visit",
        "q5",
        [
            "America, “collaborates in managing these programs with the regional Office of Security "
            "Cooperation in Accra, Ghana,”",
            "“in addition to providing support for joint military exercises, US Embassy Cotonou’s "
            "Security Cooperation team supports US Department of Defence (DoD) training, development, "
            "and aid programmes in Benin such as the State Partnership Program, IMET, ACSS, ACOTA, FMF, "
            "Section 1206, GPOI, Africa Partnership Station, the Combating Terrorism Fellowship "
            "Programme, and any other security cooperation programs that involve Benin.”",
        ],
    )
    _split_quote(
        "rwanda-benin-military-assistance",
        "q1",
        ["to be in negotiations with Rwanda", "about military and logistical cooperation"],
    )


def _event(r: dict, trigger: str, before: str) -> dict:
    """The event whose trigger is ``trigger`` right after the text ``before``."""
    start = r["text"].index(before + trigger) + len(before)
    hits = [e for e in r["events"] if e["trigger"]["start"] == start and e["trigger"]["text"] == trigger]
    if len(hits) != 1:
        sys.exit(f"{r['id']}: no single event {trigger!r} at {start}")
    return hits[0]


def event_contexts() -> None:
    """Event review: an embassy's material act and a state's CONCEDE towards another state are
    `diplomatic` too (guidelines §5.5, "diplomatic on interactions between states")."""
    name = "us-algeria-benin-arms-control-visit"
    r = _load(name)
    _event(r, "supports", "Security Cooperation team ")["context"] = ["diplomatic", "military"]
    _save(name, r)
    name = "us-kenya-defense-cooperation-pact"
    r = _load(name)
    _event(r, "decision", "France's ")["context"] = ["diplomatic", "military"]
    _save(name, r)


def _value(r: dict, surface: str, after: str) -> dict:
    start = r["text"].index(after + surface) + len(after)
    return next(v for v in r["values"] if v["start"] == start and v["text"] == surface)


def open_intervals() -> None:
    """ "Since 2021" and "which lasts through 2028" are open intervals (guidelines §4)."""
    name = "rwanda-benin-military-assistance"
    r = _load(name)
    _value(r, "2021", "Since ")["normalized"] = "2021/.."
    r["annotation"]["notes"] = [
        n.replace("'Since 2021' -> DATE '2021'", "'Since 2021' -> DATE '2021/..' (an open interval)")
        for n in r["annotation"]["notes"]
    ]
    _save(name, r)
    name = "us-kenya-defense-cooperation-pact"
    r = _load(name)
    _value(r, "2028", "lasts through ")["normalized"] = "../2028"
    _save(name, r)


def junta() -> None:
    """rwanda: "the junta there" (Mali's) is an unnamed organization: always an entity (§3.2)."""
    name = "rwanda-benin-military-assistance"
    r = _load(name)
    text = r["text"]
    if any(e["name"] == "Mali's junta" for e in r["entities"]):
        return
    span = _span(text, "junta", text.index("tensions with the junta there"))
    entity = {
        "id": _next_id(r["entities"], "e"),
        "type": "ORG",
        "name": "Mali's junta",
        "wikidata": None,
        "sector": "MIL",
    }
    mention = {**span, "id": _next_id(r["mentions"], "m"), "entity": entity["id"], "kind": "NOM"}
    r["entities"].append(entity)
    r["mentions"] = sorted([*r["mentions"], mention], key=lambda m: (m["start"], -m["end"]))
    _save(name, r)


def sectors() -> None:
    """Sectors only from the text (§3.1, case 8): the Accra office's is unknown; the embassy's
    Security Cooperation team is a unit of the embassy, so GOV."""
    name = "us-algeria-benin-arms-control-visit"
    r = _load(name)
    for e in r["entities"]:
        if e["name"] == "Office of Security Cooperation in Accra":
            e["sector"] = None
        elif e["name"] == "Security Cooperation team of US Embassy Cotonou":
            e["sector"] = "GOV"
    _save(name, r)


def nominal_span() -> None:
    """Participial and adverbial pre-modifiers stay outside a nominal's span (§3.3)."""
    name = "us-kenya-defense-cooperation-pact"
    r = _load(name)
    m = next((m for m in r["mentions"] if m["text"] == "democratically elected government"), None)
    if m is None:
        return
    m.update(_span(r["text"], "government", m["start"]))
    _save(name, r)


def _add_quote(r: dict, cue: str, cue_after: str, content: str, speaker: str, speaker_at: str) -> None:
    """An indirect quote: cue right after ``cue_after``, content the next occurrence of ``content``,
    speaker the mention ``speaker`` that starts where the text ``speaker_at`` starts."""
    text = r["text"]
    cue_span = _span(text, cue, text.index(cue_after + cue))
    if any(q["cue"] and q["cue"]["start"] == cue_span["start"] for q in r["quotes"]):
        return
    content_span = _span(text, content, cue_span["end"])
    s_start = text.index(speaker_at)
    said = next(m for m in r["mentions"] if m["start"] == s_start and m["text"] == speaker)
    r["quotes"].append(
        {
            "id": "new",
            "kind": "indirect",
            "content": [content_span],
            "cue": cue_span,
            "speaker": said["entity"],
            "speaker_mention": said["id"],
        }
    )


def _renumber_quotes(r: dict) -> None:
    r["quotes"].sort(key=lambda q: (q["content"][0]["start"], q["content"][0]["end"]))
    for i, q in enumerate(r["quotes"], 1):
        q["id"] = f"q{i}"


def evaluative_cues() -> None:
    """The revision-3 quote-cue test (§6): highlight, underscore, voice with a speaker subject and a
    content complement are cues of indirect quotes."""
    name = "us-kenya-defense-cooperation-pact"
    r = _load(name)
    _add_quote(
        r,
        "highlighting",
        "Haiti mission, ",
        "the U.S. and Kenya's shared commitment to peace, "
        "security, and stability in the region and worldwide",
        "Lloyd Austin",
        "Lloyd Austin pledged $100 million",
    )
    _add_quote(
        r,
        "underscoring",
        "Manda Bay, ",
        "the importance of their strategic alliance",
        "Austin",
        "Austin also expressed his gratitude",
    )
    _add_quote(
        r,
        "voicing",
        "",
        "the nation's commitment to preserving Niger's democratically elected government",
        "He",
        "He stressed the U.S. call",
    )
    _renumber_quotes(r)
    _save(name, r)
    name = "us-kenya-defense-partnership-pentagon"
    r = _load(name)
    _add_quote(
        r,
        "highlights",
        "us defense secretary ",
        "crucial partnership with kenya",
        "us defense secretary",
        "us defense secretary highlights",
    )
    _add_quote(
        r,
        "Highlights",
        "US Defense Secretary ",
        "Crucial Partnership with Kenya",
        "US Defense Secretary",
        "US Defense Secretary Highlights",
    )
    _add_quote(r, "Highlighting", "", "Kenya’s strategic significance", "Austin", "Austin commended")
    _renumber_quotes(r)
    _save(name, r)


OLD_NOTE = (
    "Annotated twice, independently (passes in dataset/passes/a and /b), and adjudicated; the "
    "agreement figures and every adjudicated decision are in dataset/AGREEMENT.md."
)
NEW_NOTE = (
    "Annotated twice, independently, and adjudicated: every layer for 1.0.0 (passes in "
    "dataset/passes/v1/a and /b), the event layer again under guidelines revision 3 (passes in "
    "dataset/passes/a and /b, which keep the other layers as given); the agreement figures and every "
    "adjudicated decision are in dataset/AGREEMENT.md."
)


def provenance_note() -> None:
    """The note on double annotation names both rounds of passes."""
    for path in sorted(ARTICLES.glob("*.json")):
        r = _load(path.stem)
        if OLD_NOTE in r["annotation"]["notes"]:
            r["annotation"]["notes"] = [NEW_NOTE if n == OLD_NOTE else n for n in r["annotation"]["notes"]]
            _save(path.stem, r)


if __name__ == "__main__":
    volatile_region()
    framework_it()
    narrator_words()
    event_contexts()
    open_intervals()
    junta()
    sectors()
    nominal_span()
    evaluative_cues()
    provenance_note()
