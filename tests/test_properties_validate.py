"""Property tests of the validator: generated valid records validate clean and round-trip."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given

from seccoop.models import Record, dump_record
from seccoop.validate import validate_paths
from tests.strategies import corpora, records, write_corpus


@given(corpora())
def test_generated_corpus_validates_clean(corpus: list[Record]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        articles = write_corpus(Path(tmp), corpus)
        report = validate_paths([articles])
    assert report.findings == (), [f.message for f in report.findings]
    assert report.exit_code == 0
    assert report.files == len(corpus)


@given(records())
def test_dump_load_dump_is_identity(record: Record) -> None:
    text = dump_record(record)
    again = Record.model_validate_json(text)
    assert again == record
    assert dump_record(again) == text
    assert json.loads(text)["text"] == record.text
