"""The prediction format: its JSON Schema, JSON Lines helpers, validator findings and aligner."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings

from seccoop.bench.predictions import (
    PREDICTION_CODES,
    PREDICTIONS_SCHEMA_ID,
    ArticlePrediction,
    align_prediction,
    dump_prediction,
    dumps_predictions,
    predictions_schema,
    read_predictions_jsonl,
    validate_predictions,
    write_predictions_jsonl,
)
from seccoop.bench.score import gold_as_predictions, score
from seccoop.check.diagnostics import CATALOG
from seccoop.check.schema import render_schema
from seccoop.record.models import Record
from seccoop.record.ontology import load_ontology
from tests.strategies import corpora

FIXTURES = Path(__file__).parent / "fixtures"
PREDICTION_FIXTURES = FIXTURES / "predictions"
SCHEMAS = Path(__file__).parents[1] / "schemas"
GOLD = Record.model_validate_json((FIXTURES / "valid" / "border-patrols.json").read_text(encoding="utf-8"))
TEXT = GOLD.text

# Keywords the published schema may use: the subset that structured-output engines support.
ALLOWED_KEYWORDS = {
    "$schema", "$id", "$defs", "$ref", "title", "description", "type", "properties", "required",
    "additionalProperties", "items", "enum", "const", "anyOf", "pattern", "minimum", "minLength",
    "minItems",
}  # fmt: skip


def perfect() -> ArticlePrediction:
    return gold_as_predictions([GOLD])[0]


def without_offsets(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: without_offsets(v) for k, v in data.items() if k not in ("start", "end")}
    if isinstance(data, list):
        return [without_offsets(v) for v in data]
    return data


def text_only(prediction: ArticlePrediction) -> ArticlePrediction:
    return ArticlePrediction.model_validate(without_offsets(prediction.model_dump()))


def write_lines(tmp_path: Path, *lines: str, name: str = "p.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def codes_of(path: Path) -> list[str]:
    return [f.code for f in validate_predictions(path, [GOLD]).findings]


# ---------------------------------------------------------------- schema


def keywords(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(keywords(v) for v in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    out = set()
    for key, value in node.items():
        if key in ("properties", "$defs"):
            out |= set().union(*(keywords(v) for v in value.values())) if value else set()
        else:
            out.add(key)
            out |= keywords(value)
    return out


def test_schema_head_and_dialect() -> None:
    schema = predictions_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == PREDICTIONS_SCHEMA_ID == "urn:seccoop:schema:predictions:1"
    assert schema["title"] and schema["description"]
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("all_required", [False, True])
def test_schema_uses_only_structured_output_keywords(all_required: bool) -> None:
    schema = predictions_schema(all_required=all_required)
    assert keywords(schema) <= ALLOWED_KEYWORDS
    for definition in schema["$defs"].values():
        assert definition["additionalProperties"] is False
        assert definition["description"]


def test_all_required_variant_requires_every_property() -> None:
    schema = predictions_schema(all_required=True)
    for node in [schema, *schema["$defs"].values()]:
        assert node["required"] == list(node["properties"])
    # A response with explicit nulls also satisfies the published schema.
    line = json.loads(dump_prediction(perfect()))
    for mention in line["mentions"]:
        mention.setdefault("wikidata", None)
    jsonschema.Draft202012Validator(predictions_schema()).validate(line)


def test_schema_vocabularies_come_from_the_ontology() -> None:
    ont = load_ontology()
    defs = predictions_schema()["$defs"]
    assert defs["MentionPrediction"]["properties"]["type"]["enum"] == list(ont.entity_types)
    assert defs["MentionPrediction"]["properties"]["kind"]["enum"] == list(ont.mention_kinds)
    assert defs["ValuePrediction"]["properties"]["type"]["enum"] == list(ont.value_types)
    assert defs["EventPrediction"]["properties"]["type"]["enum"] == list(ont.event_types)
    assert defs["ArgumentPrediction"]["properties"]["role"]["enum"] == list(ont.roles)
    assert defs["QuotePrediction"]["properties"]["kind"]["enum"] == list(ont.quote_kinds)


def test_published_schema_file_is_current() -> None:
    path = SCHEMAS / "predictions.schema.json"
    assert path.read_text(encoding="utf-8") == render_schema(predictions_schema()), (
        "regenerate with: seccoop schemas --write"
    )


def test_perfect_and_text_only_lines_match_schema_and_models() -> None:
    validator = jsonschema.Draft202012Validator(predictions_schema())
    for prediction in (perfect(), text_only(perfect())):
        line = json.loads(dump_prediction(prediction))
        validator.validate(line)
        assert ArticlePrediction.model_validate(line) == prediction


# ---------------------------------------------------------------- JSON Lines


def test_jsonl_round_trip(tmp_path: Path) -> None:
    predictions = [perfect(), text_only(perfect()).model_copy(update={"id": "other"})]
    path = tmp_path / "out" / "p.jsonl"
    write_predictions_jsonl(path, predictions)
    text = path.read_text(encoding="utf-8")
    assert text == dumps_predictions(predictions)
    assert text.count("\n") == 2 and all(json.loads(line) for line in text.splitlines())
    assert read_predictions_jsonl(path) == predictions


def test_dump_leaves_out_null_optionals_but_keeps_null_cue_and_speaker() -> None:
    prediction = ArticlePrediction.model_validate(
        {
            "id": "x",
            "mentions": [{"type": "GPE", "text": "Togo"}],
            "values": [],
            "events": [],
            "quotes": [{"kind": "direct", "content": [{"text": "a"}], "cue": None, "speaker": None}],
        }
    )
    line = json.loads(dump_prediction(prediction))
    assert line["mentions"] == [{"type": "GPE", "text": "Togo", "kind": "NAM"}]
    assert line["quotes"][0] == {"kind": "direct", "content": [{"text": "a"}], "cue": None, "speaker": None}


def test_read_raises_on_a_bad_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path, '{"id": "x", "values": 1}')
    with pytest.raises(ValueError, match=r"p\.jsonl:1"):
        read_predictions_jsonl(path)


@settings(max_examples=20)
@given(corpora())
def test_generated_gold_round_trips_through_jsonl(corpus: list[Record]) -> None:
    predictions = gold_as_predictions(corpus)
    lines = dumps_predictions(predictions).splitlines()
    assert [ArticlePrediction.model_validate_json(line) for line in lines] == predictions


# ---------------------------------------------------------------- validation findings


def test_prediction_codes_are_in_the_one_catalog() -> None:
    assert len(PREDICTION_CODES) == 5
    for code, spec in PREDICTION_CODES.items():
        assert CATALOG[code] is spec
        assert code == code.lower() and " " not in code
        assert spec.title and spec.hint


def test_every_prediction_code_has_a_fixture() -> None:
    assert sorted(PREDICTION_CODES) == sorted(p.stem for p in PREDICTION_FIXTURES.glob("*.jsonl"))


@pytest.mark.parametrize("code", sorted(PREDICTION_CODES))
def test_prediction_fixture_yields_exactly_its_code(code: str) -> None:
    # The fixture of a missing article predicts another one, which only --gold on a subset skips.
    ignore = code == "article-not-predicted"
    report = validate_predictions(PREDICTION_FIXTURES / f"{code}.jsonl", [GOLD], ignore_extra=ignore)
    assert {f.code for f in report.findings} == {code}
    assert report.exit_code == (1 if PREDICTION_CODES[code].severity == "error" else 0)


def test_clean_file_has_no_findings(tmp_path: Path) -> None:
    path = write_lines(tmp_path, dump_prediction(perfect()), "", "   ")
    report = validate_predictions(path, [GOLD])
    assert report.findings == ()
    assert report.exit_code == 0
    assert report.predictions == (perfect(),)
    assert report.lines == 1


def test_json_syntax_is_located_by_line_and_column(tmp_path: Path) -> None:
    path = write_lines(tmp_path, dump_prediction(perfect()), '{"id": "border-patrols",,}')
    (f,) = [f for f in validate_predictions(path, [GOLD]).findings if f.severity == "error"]
    assert (f.code, f.line, f.column) == ("json-syntax", 2, 25)


@pytest.mark.parametrize(
    ("edit", "code", "pointer"),
    [
        (lambda d: d["mentions"][0].update(start="11"), "wrong-type", "/mentions/0/start"),
        (lambda d: d["mentions"][0].update(start=11.0), "wrong-type", "/mentions/0/start"),
        (lambda d: d["quotes"][0].pop("cue"), "missing-field", "/quotes/0"),
        (lambda d: d["events"][0].update(realis="actual"), "unknown-field", "/events/0/realis"),
        (lambda d: d["mentions"][0].update(type="NORP"), "not-in-vocabulary", "/mentions/0/type"),
        (lambda d: d["events"][0]["arguments"][0].update(role="Agent"), "not-in-vocabulary",
         "/events/0/arguments/0/role"),
        (lambda d: d["mentions"][0].update(wikidata="Q0"), "constraint-violation", "/mentions/0/wikidata"),
        (lambda d: d["mentions"][0].pop("end"), "constraint-violation", "/mentions/0"),
        (lambda d: d["quotes"][0].update(content=[]), "constraint-violation", "/quotes/0/content"),
        (lambda d: d["mentions"][0].update(end=16), "span-text-mismatch", "/mentions/0"),
        (lambda d: d["values"][0].update(start=2000, end=2010), "span-out-of-range", "/values/0"),
        (lambda d: d["quotes"][0]["cue"].update(start=20, end=24), "span-text-mismatch", "/quotes/0/cue"),
    ],
)  # fmt: skip
def test_line_findings(tmp_path: Path, edit: Any, code: str, pointer: str) -> None:
    data = json.loads(dump_prediction(perfect()))
    edit(data)
    path = write_lines(tmp_path, json.dumps(data, ensure_ascii=False))
    report = validate_predictions(path, [GOLD])
    assert code in {f.code for f in report.findings}, report.findings
    f = next(f for f in report.findings if f.code == code)
    assert (f.line, f.pointer, f.severity) == (1, pointer, "error")
    assert f.column > 0 and f.message and f.hint
    assert report.exit_code == 1
    assert report.predictions == ()


def test_each_missing_field_finding_is_reported_once(tmp_path: Path) -> None:
    path = write_lines(tmp_path, '{"id": "border-patrols", "quotes": [{"content": [{"text": "a"}]}]}')
    missing = [f for f in validate_predictions(path, [GOLD]).findings if f.code == "missing-field"]
    assert len(missing) == 1
    assert all(name in missing[0].message for name in ('"kind"', '"cue"', '"speaker"'))


def test_a_line_carries_only_the_layers_of_its_tasks(tmp_path: Path) -> None:
    names = {"id": GOLD.id, "mentions": json.loads(dump_prediction(perfect()))["mentions"]}
    path = write_lines(tmp_path, json.dumps(names))
    report = validate_predictions(path, [GOLD])
    assert report.findings == () and report.predictions[0].layers() == ("mentions",)
    scored = score([GOLD], list(report.predictions), "all")
    assert scored.headline()["ner_strict_f1"] == 1.0
    assert scored.not_predicted == {"values": 1, "events": 1, "quotes": 1}
    assert scored.values is not None and scored.values.relaxed.correct == 0


def test_duplicate_key_bom_and_bad_utf8(tmp_path: Path) -> None:
    assert "duplicate-key" in codes_of(write_lines(tmp_path, '{"id": "a", "id": "b"}'))
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + dump_prediction(perfect()).encode())
    assert codes_of(bom) == ["encoding-error"]
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "\xff"}\n')
    assert codes_of(bad) == ["encoding-error"]


def test_missing_file_is_an_io_error(tmp_path: Path) -> None:
    report = validate_predictions(tmp_path / "absent.jsonl", [GOLD])
    assert [f.code for f in report.findings] == ["io-error"]
    assert report.exit_code == 2


def test_non_object_lines_and_deep_nesting_do_not_raise(tmp_path: Path) -> None:
    path = write_lines(tmp_path, "[1, 2]", "null", "NaN", "[" * 5000 + "]" * 5000)
    codes = codes_of(path)
    assert "wrong-type" in codes and "json-syntax" in codes


def test_gold_may_be_a_map_of_texts(tmp_path: Path) -> None:
    path = write_lines(tmp_path, dump_prediction(text_only(perfect())))
    assert validate_predictions(path, {GOLD.id: TEXT}).findings == ()


# ---------------------------------------------------------------- alignment


def mentions_only(*texts: str) -> ArticlePrediction:
    mentions = [{"type": "GPE", "text": t} for t in texts]
    return ArticlePrediction.model_validate(
        {"id": GOLD.id, "mentions": mentions, "values": [], "events": [], "quotes": []}
    )


def test_text_only_mentions_take_occurrences_left_to_right() -> None:
    togo = [m.start() for m in re.finditer("Togo", TEXT)]
    assert togo == [11, 161, 275]
    aligned = align_prediction(mentions_only("Togo", "Togo", "Togo", "Togo"), TEXT)
    assert [m.span for m in aligned.mentions] == [(11, 15), (161, 165), (275, 279), (11, 15)]
    assert aligned.unaligned == ()


def test_offsets_reserve_their_occurrence_first() -> None:
    data = mentions_only("Togo", "Togo").model_dump()
    data["mentions"][1].update(start=11, end=15)
    aligned = align_prediction(ArticlePrediction.model_validate(data), TEXT)
    assert [m.span for m in aligned.mentions] == [(161, 165), (11, 15)]


def test_a_repeated_short_name_avoids_the_full_name() -> None:
    aligned = align_prediction(mentions_only("Ama Mensah", "Mensah", "Kofi Adu", "Adu"), TEXT)
    assert [m.span for m in aligned.mentions] == [(96, 106), (248, 254), (149, 157), (261, 264)]


def test_token_boundaries_are_preferred() -> None:
    text = "The USA and the US agreed."
    assert align_prediction(mentions_only("US"), text).mentions[0].span == (16, 18)
    assert align_prediction(mentions_only("gree"), text).mentions[0].span == (20, 24)


def test_arguments_cues_and_speakers_take_the_nearest_occurrence() -> None:
    aligned = align_prediction(text_only(perfect()), TEXT)
    train = next(e for e in aligned.events if e.trigger == (218, 223))
    # "Mensah" nearest "train" is the one at 248, not the one inside "Ama Mensah" at 100
    assert [a.span for a in train.arguments] == [(248, 254), (224, 227)]
    assert [(q.cue, q.speaker) for q in aligned.quotes] == [
        ((255, 259), (248, 254)),
        ((265, 269), (261, 264)),
    ]


def test_unaligned_spans_are_reported_and_scored_as_spurious(tmp_path: Path) -> None:
    data = json.loads(dump_prediction(text_only(perfect())))
    data["mentions"].append({"type": "GPE", "text": "Benin"})
    data["events"][0]["arguments"].append({"role": "Target", "text": "Cotonou"})
    prediction = ArticlePrediction.model_validate(data)
    aligned = align_prediction(prediction, TEXT)
    assert aligned.unaligned == ("/mentions/14", "/events/0/arguments/3")
    report = score([GOLD], [prediction])
    assert report.unaligned == 2
    assert report.ner is not None and report.events is not None
    strict = report.ner.modes["strict"].micro
    assert (strict.correct, strict.spurious, strict.actual) == (12, 1, 13)
    assert report.events.argument_identification.predicted == 9
    assert report.events.argument_identification.correct == 8
    path = write_lines(tmp_path, json.dumps(data, ensure_ascii=False))
    found = validate_predictions(path, [GOLD]).findings
    assert [(f.code, f.pointer, f.severity) for f in found] == [
        ("unaligned-span", "/mentions/14", "warning"),
        ("unaligned-span", "/events/0/arguments/3", "warning"),
    ]


def test_text_only_gold_scores_perfectly_on_the_fixture() -> None:
    report = score([GOLD], [text_only(perfect())])
    assert report.unaligned == 0
    assert {k: v for k, v in report.headline().items() if v != 1.0} == {
        "link_accuracy": None,
        "event_coref_muc_f1": None,
        "event_coref_conll_f1": None,
    }


@settings(max_examples=25)
@given(corpora())
def test_text_only_names_align_to_the_gold_offsets(corpus: list[Record]) -> None:
    # Generated names occur only where they are mentions, so in text order they align exactly.
    for record, prediction in zip(corpus, gold_as_predictions(corpus), strict=True):
        data = prediction.model_dump()
        data["mentions"] = without_offsets(data["mentions"])
        aligned = align_prediction(ArticlePrediction.model_validate(data), record.text)
        assert [m.span for m in aligned.mentions] == [(m.start, m.end) for m in record.mentions]


# ---------------------------------------------------------------- the alignment contract


def test_the_schema_states_the_alignment_rule() -> None:
    from seccoop.bench.predictions import ALIGNMENT_RULE

    assert ALIGNMENT_RULE in predictions_schema()["description"]
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "typographic" in readme and "leftmost" in readme


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Ghana's defence minister", "Ghana’s defence minister"),  # straight for curly apostrophe
        ('"We will train', "“We will train"),  # straight for curly quotes
        ("Togo  and Ghana", "Togo and Ghana"),  # a run of spaces
        ("Accra,\n3 May 2024", "Accra, 3 May 2024"),  # a newline for a space
    ],
)
def test_typographic_variants_align_and_are_counted(surface: str, expected: str) -> None:
    from seccoop.bench.predictions import ArticlePrediction as AP

    aligned = align_prediction(
        AP.model_validate({"id": GOLD.id, "values": [{"type": "DATE", "text": surface}]}), TEXT
    )
    span = aligned.values[0].span
    assert span is not None and TEXT[span[0] : span[1]] == expected
    assert aligned.normalised == ("/values/0",) and aligned.unaligned == ()


def test_exact_occurrences_need_no_normalisation() -> None:
    from seccoop.bench.predictions import normalise_typography

    aligned = align_prediction(mentions_only("Ghana’s"), TEXT)
    assert aligned.normalised == () and aligned.mentions[0].span is not None
    folded, starts, ends = normalise_typography("a\u2019  b\u2014c")
    assert folded == "a' b-c" and starts == [0, 1, 2, 4, 5, 6] and ends == [1, 2, 4, 5, 6, 7]


def test_malformed_file_reports_its_errors_without_missing_article_warnings(tmp_path: Path) -> None:
    path = write_lines(tmp_path, "{not json", '{"id": "border-patrols", "mentions": 3}')
    codes = codes_of(path)
    assert "article-not-predicted" not in codes and set(codes) >= {"json-syntax", "wrong-type"}


def test_empty_file_is_a_finding(tmp_path: Path) -> None:
    for content in ("", "\n  \n"):
        path = tmp_path / "e.jsonl"
        path.write_text(content, encoding="utf-8")
        report = validate_predictions(path, [GOLD])
        assert [f.code for f in report.findings] == ["empty-predictions"] and report.exit_code == 1


def test_a_subset_of_the_gold_skips_other_articles(tmp_path: Path) -> None:
    other = json.loads(dump_prediction(perfect()))
    other["id"] = "another-article"
    path = write_lines(tmp_path, dump_prediction(perfect()), json.dumps(other))
    assert codes_of(path) == ["unknown-article"]
    report = validate_predictions(path, [GOLD], ignore_extra=True)
    assert report.findings == () and report.skipped == ("another-article",)
    assert [p.id for p in report.predictions] == [GOLD.id]
