"""Laws of the Hugging Face build on generated corpora.

- build → load_dataset → rows equal what the source records say, for every config, and the
  ``articles`` rows turn back into the very records;
- the IOB2 tags decode (with seqeval, an independent decoder) to exactly the outermost names;
- building twice gives byte-identical files (hence equal tables).

``load_dataset`` is slow, so the examples that call it are few (2-core CI machine).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from seccoop.hub.build import CONFIGS, build_dataset, features, iob2_tags, outermost_names
from seccoop.hub.load import record_from_article_row
from seccoop.record.models import Mention, Record
from seccoop.record.ontology import load_ontology
from seccoop.record.tokens import tokenize
from tests.strategies import corpora, write_corpus
from tests.test_build import expected_rows, hf_offline, load, snapshot, spans_from_tags

ENTITY_TYPES = tuple(load_ontology().entity_types)


@settings(max_examples=10)
@given(corpora())
def test_build_then_load_gives_back_the_records(corpus: list[Record]) -> None:
    records = sorted(corpus, key=lambda r: r.id)
    types = {(r.id, e.id): e.type for r in records for e in r.entities}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        articles = write_corpus(root, corpus)
        out = root / "dataset" / "hf"
        with hf_offline(root / "cache") as cache:
            result = build_dataset(articles, out)
            loaded = {config: load(out, config, cache) for config in CONFIGS}
            streamed_ner = list(load(out, "ner", cache, streaming=True))
        for config, dataset in loaded.items():
            assert dataset.features == features(config)
            assert dataset.to_list() == expected_rows(config, records), config
            assert result.num_rows[config] == dataset.num_rows
        assert streamed_ner == loaded["ner"].to_list()
        assert [record_from_article_row(row) for row in loaded["articles"]] == records
        names = features("ner")["ner_tags"].feature.names
        decoded = {
            (row["article_id"], *span)
            for row in loaded["ner"]
            for span in spans_from_tags(
                row["tokens"], row["token_starts"], row["token_ends"], [names[t] for t in row["ner_tags"]]
            )
        }
    gold = {
        (r.id, m.start, m.end, types[r.id, m.entity]) for r in records for m in outermost_names(r.mentions)
    }
    assert decoded == gold


@settings(max_examples=10)
@given(corpora(max_records=2))
def test_two_builds_give_the_same_bytes(corpus: list[Record]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        articles = write_corpus(root, corpus)
        with hf_offline(root / "cache"):
            build_dataset(articles, root / "one")
            build_dataset(articles, root / "two")
        assert snapshot(root / "one") == snapshot(root / "two")


@st.composite
def named_sentences(draw: st.DrawFn) -> tuple[str, list[Mention]]:
    """A sentence of words with NAM mentions over token ranges that nest or are disjoint."""
    words = draw(st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=5), min_size=1, max_size=10))
    text = " ".join(words)
    tokens = tokenize(text)
    n = len(tokens)
    ranges = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).map(sorted), max_size=8, unique_by=tuple
        )
    )
    kept: list[tuple[int, int]] = []
    for i, j in ranges:
        laminar = all(j < a or b < i or (a <= i and j <= b) or (i <= a and b <= j) for a, b in kept)
        if laminar and (i, j) not in kept:
            kept.append((i, j))
    mentions = [
        Mention(
            id=f"m{k}",
            entity=f"e{k}",
            start=tokens[i].start,
            end=tokens[j].end,
            text=text[tokens[i].start : tokens[j].end],
            kind="NAM",
        )
        for k, (i, j) in enumerate(kept, 1)
    ]
    return text, mentions


def _types(mentions: list[Mention]) -> dict[str, str]:
    return {m.entity: ENTITY_TYPES[int(m.entity[1:]) % len(ENTITY_TYPES)] for m in mentions}


@example(
    (
        "aa bb cc",
        [
            Mention(id="m1", entity="e1", start=0, end=8, text="aa bb cc", kind="NAM"),
            Mention(id="m2", entity="e2", start=3, end=5, text="bb", kind="NAM"),
        ],
    )
)
@given(named_sentences())
def test_iob2_tags_decode_to_exactly_the_outermost_names(sentence: tuple[str, list[Mention]]) -> None:
    text, mentions = sentence
    outer = outermost_names(mentions)
    nested_in_another = {
        m.id for m in mentions for o in mentions if o is not m and o.start <= m.start and m.end <= o.end
    }
    assert {m.id for m in outer} == {m.id for m in mentions} - nested_in_another
    tokens = tokenize(text)
    types = _types(mentions)
    tags = iob2_tags(tokens, [(m.start, m.end, types[m.entity]) for m in outer])
    assert tags is not None
    decoded = spans_from_tags(
        [t.text for t in tokens], [t.start for t in tokens], [t.end for t in tokens], tags
    )
    assert decoded == [(m.start, m.end, types[m.entity]) for m in outer]
