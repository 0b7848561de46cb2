"""The PLOVER view (guidelines, "Departures from PLOVER", D1–D4): each rule on a hand-made record,
invariants on the real corpus, and `seccoop export --format plover`."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from seccoop.cli import main
from seccoop.formats.export import LOSSES, export_records
from seccoop.formats.plover import PLOVER_FILE, plover_records
from seccoop.record.models import Record
from seccoop.record.plover import COOPERATIVE

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [
    Record.model_validate_json(p.read_text(encoding="utf-8"))
    for p in sorted((ROOT / "dataset" / "articles").glob("*.json"))
]

SENTENCES = [
    "Ghana pledged to aid Togo.",
    "Ghana will meet Togo.",
    "Ghana may attack Togo.",
    "Ghana did not retreat.",
    "Attacks happen.",
    "Ghana decided on 2024-05-01 to withdraw.",
    "Ghana will threaten Togo in Accra.",
    "Ghana met Togo.",
]


def hand_made() -> Record:
    text = " ".join(SENTENCES) + "\n"
    starts = [text.index(s) for s in SENTENCES]
    sentences = [
        {"id": f"s{i}", "start": s, "end": s + len(t), "text": t}
        for i, (s, t) in enumerate(zip(starts, SENTENCES, strict=True), 1)
    ]
    names = {"Ghana": "e1", "Togo": "e2", "Accra": "e3"}
    mentions = [
        {
            "id": f"m{i}",
            "entity": names[m.group()],
            "start": m.start(),
            "end": m.end(),
            "text": m.group(),
            "kind": "NAM",
        }
        for i, m in enumerate(re.finditer("Ghana|Togo|Accra", text), 1)
    ]

    def mention(sentence: int, name: str) -> str:
        s = sentences[sentence - 1]
        return next(m["id"] for m in mentions if m["text"] == name and s["start"] <= m["start"] < s["end"])

    def trigger(sentence: int, word: str) -> dict[str, Any]:
        start = text.index(word, sentences[sentence - 1]["start"])
        return {"start": start, "end": start + len(word), "text": word}

    def arg(role: str, sentence: int, name: str) -> dict[str, str]:
        return {"role": role, "entity": names[name], "mention": mention(sentence, name)}

    date = text.index("2024-05-01")
    specs: list[tuple[str, str, str | None, list[str], str, int, str, list[dict[str, str]], str | None]] = [
        ("ev1", "AGREE", None, ["military"], "actual", 1, "pledged", [arg("Source", 1, "Ghana")], None),
        (
            "ev2",
            "AID",
            None,
            ["economic"],
            "future",
            1,
            "aid",
            [arg("Source", 1, "Ghana"), arg("Target", 1, "Togo")],
            None,
        ),
        (
            "ev3",
            "CONSULT",
            "visit",
            [],
            "future",
            2,
            "meet",
            [arg("Source", 2, "Ghana"), arg("Target", 2, "Togo")],
            "ec1",
        ),
        (
            "ev4",
            "ASSAULT",
            None,
            [],
            "hypothetical",
            3,
            "attack",
            [arg("Source", 3, "Ghana"), arg("Target", 3, "Togo")],
            None,
        ),
        ("ev5", "RETREAT", "withdraw", [], "negated", 4, "retreat", [arg("Source", 4, "Ghana")], None),
        ("ev6", "ASSAULT", None, [], "generic", 5, "Attacks", [], None),
        (
            "ev7",
            "CONCEDE",
            None,
            [],
            "actual",
            6,
            "decided",
            [arg("Source", 6, "Ghana"), {"role": "Time", "value": "v1"}],
            None,
        ),
        (
            "ev8",
            "RETREAT",
            "withdraw",
            ["military"],
            "future",
            6,
            "withdraw",
            [arg("Source", 6, "Ghana")],
            None,
        ),
        (
            "ev9",
            "THREATEN",
            None,
            [],
            "future",
            7,
            "threaten",
            [arg("Source", 7, "Ghana"), arg("Target", 7, "Togo"), arg("Place", 7, "Accra")],
            None,
        ),
        (
            "ev10",
            "CONSULT",
            None,
            [],
            "actual",
            8,
            "met",
            [arg("Source", 8, "Ghana"), arg("Target", 8, "Togo")],
            "ec1",
        ),
    ]
    events = [
        {
            "id": i,
            "type": t,
            "mode": mode,
            "context": ctx,
            "realis": realis,
            "trigger": trigger(s, word),
            "arguments": args,
            "cluster": cluster,
        }
        for i, t, mode, ctx, realis, s, word, args, cluster in specs
    ]
    return Record.model_validate(
        {
            "schema_version": 1,
            "id": "hand-made",
            "source": {"path": "seeds/hand-made.txt", "sha256": hashlib.sha256(text.encode()).hexdigest()},
            "title": None,
            "publisher": None,
            "byline": None,
            "published": "2024-05-03",
            "url": None,
            "text": text,
            "zones": [],
            "sentences": sentences,
            "entities": [
                {"id": e, "type": "GPE", "name": n, "wikidata": None, "sector": None}
                for n, e in names.items()
            ],
            "mentions": mentions,
            "non_mentions": [],
            "values": [
                {
                    "id": "v1",
                    "type": "DATE",
                    "start": date,
                    "end": date + 10,
                    "text": "2024-05-01",
                    "normalized": "2024-05-01",
                }
            ],
            "events": events,
            "quotes": [],
            "annotation": {"annotators": ["test"], "adjudicator": None, "status": "draft", "notes": []},
        }
    )


def by_event(view: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["seccoop_args"]["event"]: item for item in view}


def test_each_rule_on_a_hand_made_record() -> None:
    view = by_event(plover_records(hand_made()))
    assert list(view) == ["ev1", "ev3", "ev4", "ev5", "ev7", "ev9", "ev10"]  # trigger order
    # D1: the promised aid merges into the pledge: recipient and contexts join
    assert view["ev1"]["event"] == ["AGREE"] and view["ev1"]["seccoop_args"]["merged"] == ["ev2"]
    assert (view["ev1"]["actor"], view["ev1"]["recipient"]) == (["Ghana"], ["Togo"])
    assert view["ev1"]["context"] == ["military", "economic"]
    # D1: a future meeting with no announcing act in its sentence is AGREE, no mode, no auxiliary
    assert (view["ev3"]["event"], view["ev3"]["mode"], view["ev3"]["context"]) == (["AGREE"], [], [])
    # D2: hypothetical and negated go to the context; generic is not exported
    assert view["ev4"]["context"] == ["hypothetical"]
    assert (view["ev5"]["event"], view["ev5"]["mode"], view["ev5"]["context"]) == (
        ["RETREAT"],
        ["withdraw"],
        ["negation"],
    )
    # D1: an announced future withdrawal merges into CONCEDE; D3: a full ISO Time is the date
    assert view["ev7"]["event"] == ["CONCEDE"] and view["ev7"]["seccoop_args"]["merged"] == ["ev8"]
    assert view["ev7"]["context"] == ["military"] and view["ev7"]["date"] == "2024-05-01"
    assert view["ev7"]["seccoop_args"]["Time"][0]["normalized"] == "2024-05-01"
    # D1: a future act of another type keeps its type with the auxiliary; D3: Place is event_loc
    assert (view["ev9"]["event"], view["ev9"]["context"], view["ev9"]["event_loc"]) == (
        ["THREATEN"],
        ["future"],
        ["Accra"],
    )
    assert view["ev9"]["date"] == "2024-05-03"  # no Time: the publication date
    # D4: link is the cluster id, absent for singletons
    assert view["ev3"]["link"] == view["ev10"]["link"] == "ec1"
    assert "link" not in view["ev1"]
    assert view["ev10"]["id"] == "hand-made/ev10"
    assert view["ev10"]["seccoop_args"]["trigger"] == {
        "start": hand_made().events[9].trigger.start,
        "end": hand_made().events[9].trigger.end,
    }


def test_negated_events_can_be_dropped() -> None:
    assert "ev5" not in by_event(plover_records(hand_made(), drop_negated=True))


@pytest.mark.parametrize("record", CORPUS, ids=lambda r: r.id)
def test_corpus_view_invariants(record: Record) -> None:
    view = plover_records(record)
    events = {e.id: e for e in record.events}
    exported = [item["seccoop_args"]["event"] for item in view]
    merged = [m for item in view for m in item["seccoop_args"]["merged"]]
    # every non-generic event is in the view exactly once: as a record or merged into one
    assert sorted(exported + merged) == sorted(e.id for e in record.events if e.realis != "generic")
    for item in view:
        event = events[item["seccoop_args"]["event"]]
        assert item["event_text"] == event.trigger.text
        assert item.get("link") == event.cluster
        if event.realis == "future" and event.type in COOPERATIVE:
            assert item["event"] == ["AGREE"] and item["mode"] == []
        if event.realis == "negated":
            assert "negation" in item["context"]
        if event.realis == "hypothetical":
            assert "hypothetical" in item["context"]
        for m in item["seccoop_args"]["merged"]:
            absorbed = events[m]
            assert absorbed.realis == "future" and absorbed.trigger.start >= event.trigger.end
            assert item["event"] == ["AGREE" if absorbed.type in COOPERATIVE else "CONCEDE"]
    # a future cooperative act that was merged became part of an AGREE
    for e in record.events:
        if e.realis == "future" and e.type in COOPERATIVE and e.id in merged:
            owner = next(item for item in view if e.id in item["seccoop_args"]["merged"])
            assert owner["event"] == ["AGREE"]
    assert not any(item["seccoop_args"]["event"] in merged for item in view)
    assert all("negation" not in i["context"] for i in plover_records(record, drop_negated=True))


def test_export_writes_json_lines(tmp_path: Path) -> None:
    result = export_records([hand_made()], "plover", tmp_path)
    assert result.files == (tmp_path / PLOVER_FILE,)
    lines = (tmp_path / PLOVER_FILE).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == plover_records(hand_made())
    assert result.dropped == LOSSES["plover"]


def test_cli_exports_plover(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixture = ROOT / "tests" / "fixtures" / "valid"
    assert (
        main(
            [
                "export",
                "--format",
                "plover",
                "--articles",
                str(fixture),
                "--out",
                str(tmp_path),
                "--drop-negated",
            ]
        )
        == 0
    )
    assert "plover drops" in capsys.readouterr().out
    lines = (tmp_path / PLOVER_FILE).read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(line)["id"].startswith("border-patrols/") for line in lines)
