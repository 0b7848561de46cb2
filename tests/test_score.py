"""The scorer: laws (a perfect prediction scores 1.0), defined empty cases, worked examples."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seccoop.bench.predictions import ArticlePrediction, dumps_predictions
from seccoop.bench.score import (
    NER_MODES,
    TASKS,
    ScoreReport,
    b_cubed,
    ceaf_e,
    gold_as_predictions,
    iob2_sentences,
    muc,
    report_json,
    score,
    score_files,
)
from seccoop.bench.score.coref import _max_assignment
from seccoop.record.models import Record
from tests.strategies import corpora

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
GOLD = Record.model_validate_json((VALID / "border-patrols.json").read_text(encoding="utf-8"))


def perfect() -> dict[str, Any]:
    return gold_as_predictions([GOLD])[0].model_dump()


def predict(data: dict[str, Any]) -> ArticlePrediction:
    return ArticlePrediction.model_validate(data)


def make_record(
    text: str,
    names: list[tuple[int, int, str]],
    *,
    entity_of: list[str] | None = None,
    sentences: list[tuple[int, int]] | None = None,
) -> Record:
    """A bare record with NAM mentions; each mention its own entity unless ``entity_of`` says."""
    owners = entity_of or [f"e{i}" for i in range(len(names))]
    types: dict[str, str] = {}
    for owner, (_s, _e, t) in zip(owners, names, strict=True):
        types.setdefault(owner, t)
    data = {
        "schema_version": 1,
        "id": "x",
        "source": {"path": "seeds/x.txt", "sha256": hashlib.sha256(text.encode()).hexdigest()},
        "title": None, "publisher": None, "byline": None, "published": None, "url": None,
        "text": text,
        "zones": [],
        "sentences": [
            {"id": f"s{i}", "start": s, "end": e, "text": text[s:e]}
            for i, (s, e) in enumerate(sentences or [(0, len(text))])
        ],
        "entities": [
            {"id": k, "type": t, "name": k, "wikidata": None, "sector": None} for k, t in types.items()
        ],
        "mentions": [
            {"id": f"m{i}", "entity": owner, "kind": "NAM", "start": s, "end": e, "text": text[s:e]}
            for i, (owner, (s, e, _t)) in enumerate(zip(owners, names, strict=True))
        ],
        "non_mentions": [], "values": [], "events": [], "quotes": [],
        "annotation": {"annotators": ["t"], "adjudicator": None, "status": "draft", "notes": []},
    }  # fmt: skip
    return Record.model_validate(data)


def names_prediction(text: str, names: list[tuple[int, int, str]], article: str = "x") -> ArticlePrediction:
    mentions = [{"type": t, "start": s, "end": e, "text": text[s:e]} for s, e, t in names]
    return predict({"id": article, "mentions": mentions, "values": [], "events": [], "quotes": []})


# ---------------------------------------------------------------- laws


def test_gold_against_itself_scores_one_on_the_fixture() -> None:
    report = score([GOLD], gold_as_predictions([GOLD]))
    headline = report.headline()
    assert headline.pop("link_accuracy") is None  # the fixture links no entity: nothing to score
    # nor any event: MUC, and so the CoNLL mean, have no link to score
    assert headline.pop("event_coref_muc_f1") is headline.pop("event_coref_conll_f1") is None
    assert set(headline.values()) == {1.0}
    assert report.unaligned == 0


def test_gold_against_itself_scores_one_with_links() -> None:
    qids = {"e1": "Q945", "e2": "Q117"}
    entities = [e.model_copy(update={"wikidata": qids.get(e.id)}) for e in GOLD.entities]
    gold = GOLD.model_copy(update={"entities": entities})
    report = score([gold], gold_as_predictions([gold]))
    assert set(report.headline().values()) == {1.0, None}  # None: event links (the fixture has none)
    assert report.entities is not None
    assert (report.entities.links.correct, report.entities.links.total) == (6, 6)


@settings(max_examples=30)
@given(corpora())
def test_gold_against_itself_scores_one_or_nothing_to_score(corpus: list[Record]) -> None:
    report = score(corpus, gold_as_predictions(corpus))
    assert set(report.headline().values()) <= {1.0, None}
    assert report.ner is not None
    names = sum(1 for r in corpus for m in r.mentions if m.kind == "NAM")
    assert report.ner.modes["strict"].micro.correct == names


@settings(max_examples=30)
@given(corpora(), st.randoms(use_true_random=False))
def test_scores_are_probabilities_and_tasks_agree(corpus: list[Record], rng: Any) -> None:
    predictions = gold_as_predictions(corpus)
    # Drop a random part of every layer: scores stay within [0, 1] and tasks score independently.
    thinned = []
    for p in predictions:
        data = p.model_dump()
        for layer in ("mentions", "values", "events", "quotes"):
            data[layer] = [x for x in data[layer] if rng.random() < 0.6]
        thinned.append(predict(data))
    full = score(corpus, thinned, "all")
    for task in ("ner", "entities", "events", "quotes"):
        alone = score(corpus, thinned, task)
        assert getattr(alone, task) == getattr(full, task)
    for value in full.headline().values():
        assert value is None or 0.0 <= value <= 1.0


# ---------------------------------------------------------------- empty cases


def test_empty_gold_and_empty_predictions_score_zero_not_one() -> None:
    report = score([], [], "all")
    assert (report.articles, report.predicted_articles) == (0, 0)
    assert set(report.headline().values()) == {None}
    assert report.ner is not None and report.entities is not None
    for mode in NER_MODES:
        micro = report.ner.modes[mode].micro
        assert (micro.precision, micro.recall, micro.f1) == (0.0, 0.0, 0.0)
        assert report.ner.modes[mode].macro.labels == 0 and report.ner.modes[mode].macro.f1 == 0.0
    assert report.entities.conll_f1 == 0.0
    json.dumps(report.to_dict())
    assert "0 gold article(s)" in report.to_table()


def test_no_names_in_gold_nor_predictions() -> None:
    gold = make_record("nothing here.", [])
    report = score([gold], [names_prediction(gold.text, [])], "ner")
    assert report.ner is not None
    assert report.ner.conll.micro.f1 == 0.0 and report.ner.conll.macro.labels == 0
    assert report.headline()["ner_strict_f1"] is None


def test_missing_prediction_is_an_empty_prediction() -> None:
    report = score([GOLD], [], "all")
    assert report.predicted_articles == 0
    headline = report.headline()
    assert headline["ner_strict_f1"] == 0.0 and headline["quote_speaker_accuracy"] == 0.0
    assert report.ner is not None
    strict = report.ner.modes["strict"].micro
    assert (strict.precision, strict.recall, strict.missed) == (0.0, 0.0, 12)


def test_predictions_where_gold_has_nothing() -> None:
    gold = make_record("Abc met Def.", [])
    report = score([gold], [names_prediction(gold.text, [(0, 3, "PER")])], "ner")
    assert report.ner is not None
    strict = report.ner.modes["strict"].micro
    assert (strict.spurious, strict.precision, strict.recall, strict.f1) == (1, 0.0, 0.0, 0.0)
    assert report.headline()["ner_strict_f1"] == 0.0


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="not a gold article"):
        score([GOLD], [predict({**perfect(), "id": "nope"})])
    with pytest.raises(ValueError, match="two predictions"):
        score([GOLD], gold_as_predictions([GOLD, GOLD]))
    with pytest.raises(ValueError, match="unknown task"):
        score([GOLD], [], "coref")  # type: ignore[arg-type]
    assert TASKS == ("ner", "entities", "values", "events", "quotes", "all")


# ---------------------------------------------------------------- NER


def word(k: int, n: int = 1) -> tuple[int, int]:
    """Span of words k..k+n-1 in a text of four-letter words separated by spaces."""
    return 5 * k, 5 * (k + n) - 1


def test_the_six_semeval_scenarios() -> None:
    """Batista (2018), scenarios I-VI, as the nervaluate README tabulates them."""
    text = " ".join(["abcd"] * 14)
    gold = [
        (*word(0), "LOC"),
        (*word(4), "LOC"),
        (*word(6), "PER"),
        (*word(8, 2), "LOC"),
        (*word(11, 2), "PER"),
    ]
    pred = [(*word(0), "LOC"), (*word(2), "ORG"), (*word(6), "ORG"), (*word(8), "LOC"), (*word(12), "ORG")]
    # I exact; II spurious; III missed; IV wrong type; V same type, overlap; VI wrong type, overlap
    report = score([make_record(text, gold)], [names_prediction(text, pred)], "ner")
    assert report.ner is not None
    expected = {
        "strict": (1, 3, 0, 1, 1, 0.2),
        "exact": (2, 2, 0, 1, 1, 0.4),
        "partial": (2, 0, 2, 1, 1, 0.6),
        "type": (2, 2, 0, 1, 1, 0.4),
    }
    for mode, (cor, inc, par, mis, spu, p) in expected.items():
        m = report.ner.modes[mode].micro
        assert (m.correct, m.incorrect, m.partial, m.missed, m.spurious) == (cor, inc, par, mis, spu), mode
        assert m.precision == pytest.approx(p) and m.recall == pytest.approx(p)
        assert (m.possible, m.actual) == (5, 5)
    per_type = report.ner.modes["strict"].per_type
    assert list(per_type) == ["PER", "ORG", "LOC"]  # ontology order
    assert (per_type["PER"].missed, per_type["ORG"].spurious) == (2, 3)
    conll = report.ner.conll
    assert (conll.micro.correct, conll.micro.predicted, conll.micro.gold) == (1, 5, 5)


def test_nested_names_count_in_span_metrics_outermost_in_conll() -> None:
    text = "the University of Ghana said so."
    gold_names = [(4, 23, "ORG"), (18, 23, "GPE")]
    gold = make_record(text, gold_names)
    report = score([gold], [names_prediction(text, [(4, 23, "ORG")])], "ner")
    assert report.ner is not None
    strict = report.ner.modes["strict"].micro
    assert (strict.correct, strict.missed, strict.recall) == (1, 1, 0.5)
    assert report.ner.conll.micro.f1 == 1.0  # the CoNLL view holds the outermost name only
    ((_, tags),) = iob2_sentences(text, [(0, len(text))], gold_names)
    assert tags == ["O", "B-ORG", "I-ORG", "I-ORG", "O", "O", "O"]


@settings(max_examples=25)
@given(corpora())
def test_gold_tags_are_those_of_the_hf_ner_config(corpus: list[Record]) -> None:
    from seccoop.hub.build import iob2_tags, outermost_names
    from seccoop.record.tokens import tokenize

    for r in corpus:
        types = {e.id: e.type for e in r.entities}
        names = [(m.start, m.end, types[m.entity]) for m in r.mentions if m.kind == "NAM"]
        ours = [tags for _, tags in iob2_sentences(r.text, [(s.start, s.end) for s in r.sentences], names)]
        outer = [(m.start, m.end, types[m.entity]) for m in outermost_names(r.mentions)]
        theirs = [
            iob2_tags(
                tokenize(r.text, s.start, s.end), [n for n in outer if s.start <= n[0] and n[1] <= s.end]
            )
            for s in r.sentences
        ]
        assert ours == theirs


def test_conll_projects_predictions_onto_tokens_and_sentences() -> None:
    text = "Ghana’s army met. Togo and Benin agreed."
    toks_tags = iob2_sentences(text, [(0, 17), (18, 40)], [(0, 7, "GPE"), (12, 25, "GPE")])
    assert [tags for _, tags in toks_tags] == [
        # "Ghana’" grows to the whole tokens Ghana ’ s; the crossing name is cut at the sentence end
        ["B-GPE", "I-GPE", "I-GPE", "O", "B-GPE", "I-GPE"],
        ["B-GPE", "I-GPE", "O", "O", "O"],
    ]


def test_unaligned_names_are_spurious_of_their_type() -> None:
    pred = predict({**perfect(), "mentions": [*perfect()["mentions"], {"type": "ORG", "text": "NATO"}]})
    report = score([GOLD], [pred], "ner")
    assert report.ner is not None and report.unaligned == 1
    for mode in NER_MODES:
        assert report.ner.modes[mode].micro.spurious == 1
        assert report.ner.modes[mode].per_type["ORG"].spurious == 1
    # Nothing to tag in IOB2, but a false positive all the same (seqeval cannot see it).
    assert report.ner.conll.micro.predicted == 13 and report.ner.conll.micro.correct == 12
    assert report.ner.conll.per_type["ORG"].predicted == 1


# ---------------------------------------------------------------- entities


def test_coreference_worked_example() -> None:
    """Pradhan et al. (2014), section 3: key {a,b,c},{d,e,f,g}; response {a,b},{c,d},{f,g,h,i}."""
    key = [set("abc"), set("defg")]
    response = [set("ab"), set("cd"), set("fghi")]
    m = muc(key, response)  # R = (1 + 1) / (2 + 3); P = (1 + 0 + 1) / (1 + 1 + 3)
    assert (m.recall, m.precision) == (pytest.approx(0.4), pytest.approx(0.4))
    b = b_cubed(key, response)  # R = (5/3 + 5/4) / 7; P = (2 + 1 + 1) / 8
    assert (b.recall, b.precision) == (pytest.approx(35 / 84), pytest.approx(0.5))
    c = ceaf_e(key, response)  # best alignment: abc-ab (0.8) and defg-fghi (0.5)
    assert (c.recall, c.precision) == (pytest.approx(1.3 / 2), pytest.approx(1.3 / 3))


def test_coreference_corner_cases() -> None:
    singletons = [{1}, {2}]
    assert muc(singletons, singletons).applicable is False  # no links: MUC has nothing to score
    assert b_cubed(singletons, singletons).f1 == 1.0
    assert ceaf_e(singletons, singletons).f1 == 1.0
    assert b_cubed([{1, 2}], []).recall == 0.0
    assert muc([], []).f1 == 0.0 and ceaf_e([], [{1}]).precision == 0.0


@settings(max_examples=40)
@given(st.lists(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=6), min_size=1, max_size=6)
       .filter(lambda rows: len({len(r) for r in rows}) == 1))  # fmt: skip
def test_kuhn_munkres_matches_scipy(rows: list[list[float]]) -> None:
    from scipy.optimize import linear_sum_assignment

    r, c = linear_sum_assignment(rows, maximize=True)
    assert _max_assignment(rows) == pytest.approx(sum(rows[i][j] for i, j in zip(r, c, strict=True)))


def test_entity_scores_on_the_fixture() -> None:
    data = perfect()
    for m in data["mentions"]:
        m["entity"] = None  # no clustering: every mention is a singleton
    report = score([GOLD], [predict(data)], "entities")
    ent = report.entities
    assert ent is not None
    assert ent.mentions.f1 == 1.0
    assert ent.muc.recall == 0.0 and ent.muc.precision_denominator == 0
    # Each of the 6 gold clusters keeps one mention's worth of recall: R = 6 / 14.
    assert ent.b_cubed.precision == 1.0 and ent.b_cubed.recall == pytest.approx(6 / 14)
    assert ent.conll_f1 == pytest.approx((ent.muc.f1 + ent.b_cubed.f1 + ent.ceaf_e.f1) / 3)


def test_links_propagate_through_predicted_clusters() -> None:
    entities = [e.model_copy(update={"wikidata": "Q945" if e.id == "e1" else None}) for e in GOLD.entities]
    gold = GOLD.model_copy(update={"entities": entities})
    data = perfect()
    togo = [m for m in data["mentions"] if m["entity"] == "e1"]
    assert len(togo) == 3
    togo[0]["wikidata"] = "Q945"  # only the first mention carries the QID
    togo[2]["entity"] = "other"  # the last one is put in another cluster
    report = score([gold], [predict(data)], "entities")
    assert report.entities is not None
    assert (report.entities.links.correct, report.entities.links.total) == (2, 3)


# ---------------------------------------------------------------- events


def event_prediction(edit: Any) -> ArticlePrediction:
    data = perfect()
    edit(data["events"])
    return predict(data)


def test_argument_credit_for_any_mention_of_the_entity() -> None:
    def she_visits(events: list[dict[str, Any]]) -> None:
        events[0]["arguments"][0].update(start=167, end=170, text="She")  # Source: e3 via "She"

    report = score([GOLD], [event_prediction(she_visits)], "events")
    assert report.events is not None
    assert report.events.argument_classification_with_trigger.f1 == 1.0


def test_wrong_role_trigger_or_filler() -> None:
    def edit(events: list[dict[str, Any]]) -> None:
        events[0]["arguments"][0]["role"] = "Target"  # wrong role, right filler
        events[1]["trigger"] = {"start": 124, "end": 130, "text": "Friday"}  # wrong trigger span
        events[2]["type"] = "SUPPORT"  # wrong type: its argument cannot be credited either
        events[3]["arguments"][1].update(start=20, end=25, text="Ghana")  # wrong filler

    report = score([GOLD], [event_prediction(edit)], "events")
    ev = report.events
    assert ev is not None
    assert (ev.trigger_identification.correct, ev.trigger_classification.correct) == (3, 2)
    assert ev.argument_identification.correct == 6  # 8 minus ev3's Source and ev4's Amount
    assert ev.argument_classification.correct == 5  # and minus ev1's Source (wrong role)
    assert ev.argument_identification_with_trigger.correct == 4  # and minus ev2's two arguments
    assert ev.argument_classification_with_trigger.correct == 3
    assert ev.argument_classification.predicted == ev.argument_classification.gold == 8


# ---------------------------------------------------------------- quotes


def test_quote_measures() -> None:
    data = perfect()
    q1, q2 = data["quotes"]
    q1["content"] = [{"start": 210, "end": 226, "text": "We will train 20"}]  # overlap, not exact
    q1["speaker"] = {"start": 167, "end": 170, "text": "She"}  # another mention of the speaker
    q2["kind"] = "direct"  # wrong kind
    q2["cue"] = None
    q2["speaker"] = {"start": 275, "end": 279, "text": "Togo"}  # the wrong entity
    report = score([GOLD], [predict(data)], "quotes")
    q = report.quotes
    assert q is not None
    assert (q.content_exact.correct, q.content_overlap.correct) == (1, 2)
    assert q.content_exact_by_kind["direct"].correct == 0
    assert (q.content_overlap_by_kind["direct"].predicted, q.content_overlap_by_kind["direct"].correct) == (
        2,
        1,
    )
    assert q.content_overlap_by_kind["indirect"].recall == 0.0
    assert (q.cue.correct, q.cue.predicted, q.cue.gold) == (1, 1, 2)
    assert (q.speaker.correct, q.speaker.total) == (1, 2)


# ---------------------------------------------------------------- report and files


def test_report_renders() -> None:
    report = score([GOLD], gold_as_predictions([GOLD]))
    data = json.loads(report_json(report))
    assert data["task"] == "all" and data["headline"]["ner_strict_f1"] == 1.0
    assert set(data["ner"]["modes"]) == set(NER_MODES)
    table = report.to_table()
    for heading in ("NER (names)", "Entities", "Events", "Quotes", "CoNLL-2012", "n/a (0/0)"):
        assert heading in table
    only = score([GOLD], gold_as_predictions([GOLD]), "quotes")
    assert isinstance(only, ScoreReport) and only.ner is None and "NER" not in only.to_table()


def test_score_files_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(dumps_predictions(gold_as_predictions([GOLD])), encoding="utf-8")
    run = score_files(good, [VALID], "ner")
    assert run.exit_code == 0 and run.findings == ()
    assert run.report is not None and run.report.headline()["ner_strict_f1"] == 1.0

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "border-patrols", "mentions": [{}]}\n', encoding="utf-8")
    run = score_files(bad, [VALID])
    assert (run.exit_code, run.report) == (1, None)
    assert {f.code for f in run.findings} >= {"missing-field"}

    run = score_files(tmp_path / "absent.jsonl", [VALID])
    assert (run.exit_code, [f.code for f in run.findings]) == (2, ["io-error"])

    run = score_files(good, [tmp_path / "no-gold-here"])
    assert run.exit_code == 2 and run.report is None

    invalid_gold = FIXTURES / "invalid" / "span-text-mismatch.json"
    if invalid_gold.exists():
        assert score_files(good, [invalid_gold]).exit_code == 2

    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    run = score_files(empty, [VALID])
    assert (run.exit_code, [f.code for f in run.findings]) == (1, ["empty-predictions"])
