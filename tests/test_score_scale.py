"""The fast paths of the scorer at scale equal their straightforward definitions.

* tokens: :func:`token_offsets` (one split, offsets summed in C) and the local boundary
  questions (:func:`starts_token`, :func:`ends_token`, :func:`tokens_over`) against the
  tokenizer as it was written first: ``finditer`` of the pattern over ``text[lo:hi]``;
* CoNLL chunks: :func:`_outermost_chunks`, which tokenizes only around names, against
  :func:`iob2_sentences` (whole sentences tokenized) read back by :func:`_chunks`;
* SemEval counts: a document counted by set operations (:func:`_paired_alike`) against the
  greedy pairing of every mode (:func:`_add_document`);
* event arguments: the hashed-key edges against the all-pairs rule;
* predictions: validation stops at the finding cap and reads the file one line at a time.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

import seccoop.bench.predictions as predictions_module
from seccoop.bench.predictions import validate_predictions
from seccoop.bench.score.measures import _keyed_adjacency, _max_matching, _max_matching_of
from seccoop.bench.score.ner import (
    NER_MODES,
    Name,
    _add_document,
    _ArticleIndex,
    _chunks,
    _outermost_chunks,
    _paired_alike,
    _simple_chunks,
    iob2_sentences,
)
from seccoop.check.diagnostics import MAX_FINDINGS_PER_FILE
from seccoop.record.tokens import ends_token, starts_token, token_offsets, token_spans, tokens_over

# The tokenizer's pattern as first written, kept here as the reference.
_REFERENCE = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)*|[^\W_]+|\S")

# Characters that exercise every branch of the pattern: ASCII and other letters, digits (also
# non-ASCII ones), the separators of numbers and abbreviations, marks, and several whitespaces.
_ALPHABET = "aZé1٣.,:’-_ \n\t\u00a0U.S"
texts = st.text(alphabet=st.sampled_from(list(_ALPHABET)) | st.characters(), max_size=40)


def _reference(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    return [m.span() for m in _REFERENCE.finditer(text, lo, len(text) if hi is None else hi)]


@given(texts, st.integers(-3, 45), st.integers(-3, 45) | st.none())
def test_token_offsets_equal_the_reference(text: str, lo: int, hi: int | None) -> None:
    reference = _reference(text, lo, hi)
    assert token_spans(text, lo, hi) == reference
    starts, ends = token_offsets(text, lo, hi)
    assert list(zip(starts, ends, strict=True)) == reference


@given(texts, st.data())
def test_local_token_boundaries_equal_the_reference(text: str, data: st.DataObject) -> None:
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    reference = _reference(text, lo, hi)
    starts = {a for a, _ in reference}
    ends = {b for _, b in reference}
    for offset in range(-1, len(text) + 2):
        assert starts_token(text, offset, lo, hi) == (offset in starts)
        assert ends_token(text, offset, lo, hi) == (offset in ends)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    expected = [t for t in reference if t[1] > a and t[0] < b] if a < b else []
    assert tokens_over(text, a, b, lo, hi) == expected


@st.composite
def _articles(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], list[Name]]:
    text = draw(st.text(alphabet=st.sampled_from(list(_ALPHABET)), min_size=1, max_size=60))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)) | {0, len(text)})
    # disjoint sentences with gaps, or (rarely) overlapping ones
    pairs = [(a, b) for a, b in pairwise(cuts) if a < b]
    sentences = [p for p in pairs if draw(st.booleans())] or pairs
    if draw(st.integers(0, 9)) == 0:
        a = draw(st.integers(0, len(text) - 1))
        sentences.append((a, draw(st.integers(a + 1, len(text)))))
    names = []
    for _ in range(draw(st.integers(0, 10))):
        s = draw(st.integers(0, len(text) - 1))
        e = draw(st.integers(s + 1, min(len(text), s + 12)))
        names.append((s, e, draw(st.sampled_from(["PER", "ORG", "GPE"]))))
    return text, sentences, names


def _index(text: str, sentences: list[tuple[int, int]]) -> _ArticleIndex:
    spans = tuple(sorted(sentences))
    disjoint = all(a[1] <= b[0] for a, b in pairwise(spans))
    record = cast(Any, SimpleNamespace(text=text))
    return _ArticleIndex(record, spans, tuple(a for a, _ in spans), disjoint, (), frozenset(), {})


@given(_articles())
def test_outermost_chunks_equal_the_tags_of_whole_sentences(
    article: tuple[str, list[tuple[int, int]], list[Name]],
) -> None:
    text, sentences, names = article
    index = _index(text, sentences)
    expected = set()
    for k, (tokens, tags) in enumerate(iob2_sentences(text, index.sentences, names)):
        for label, first, last in _chunks(tags):
            expected.add((label, k, tokens[first].start, tokens[last].end))
    if index.disjoint:  # the validator forbids overlapping sentences; the scorer keeps its old
        # per-sentence projection for them, which need not agree with a single tagging
        assert _outermost_chunks(index, names) == expected
    # the column-wise test of simple gold names, when it answers, answers the same
    gold = replace(index, gold_names=tuple(sorted(names)))
    simple = _simple_chunks(gold)
    if simple is not None:
        assert simple == _outermost_chunks(gold, gold.gold_names)
    # memoised projections give the same chunks
    memo: dict[tuple[int, int], Any] = {}
    first = _outermost_chunks(index, names, memo)
    assert _outermost_chunks(index, list(reversed(names)), memo) == first


_names = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 6), st.sampled_from(["PER", "ORG", "GPE"])).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=12,
)


@given(_names, _names, st.booleans())
def test_documents_counted_by_sets_equal_the_greedy_pairing(
    gold: list[Name], pred: list[Name], subset: bool
) -> None:
    if subset:  # the usual system: some gold names, no others
        pred = [g for i, g in enumerate(gold) if i % 3] + pred[:1]
    gold, pred = sorted(gold), sorted(pred)
    micro = {mode: [0] * 5 for mode in NER_MODES}
    by_type: dict[str, defaultdict[str, list[int]]] = {m: defaultdict(lambda: [0] * 5) for m in NER_MODES}
    _add_document(gold, pred, micro, by_type)
    alike: tuple[Counter[str], Counter[str], Counter[str]] = (Counter(), Counter(), Counter())
    if not _paired_alike(gold, pred, alike):
        assert alike == (Counter(), Counter(), Counter())
        return
    cor, mis, spu = alike
    for mode in NER_MODES:
        assert micro[mode] == [cor.total(), 0, 0, mis.total(), spu.total()]
        for t, counts in by_type[mode].items():
            assert counts == [cor[t], 0, 0, mis[t], spu[t]]


def test_the_set_path_is_taken_by_the_usual_system() -> None:
    gold = [(0, 4, "PER"), (6, 9, "ORG"), (12, 20, "GPE")]
    alike: tuple[Counter[str], Counter[str], Counter[str]] = (Counter(), Counter(), Counter())
    assert _paired_alike(gold, [gold[0], gold[2], (30, 33, "ORG")], alike)
    assert alike == (Counter({"PER": 1, "GPE": 1}), Counter({"ORG": 1}), Counter({"ORG": 1}))
    # an overlap needs the greedy pairing
    assert not _paired_alike(gold, [(6, 8, "ORG")], (Counter(), Counter(), Counter()))


@given(
    st.lists(st.frozensets(st.integers(0, 5), max_size=3), max_size=8),
    st.lists(st.integers(0, 5) | st.none(), max_size=8),
)
def test_hashed_argument_edges_equal_the_all_pairs_rule(
    gold: list[frozenset[int]], pred: list[int | None]
) -> None:
    dense = _max_matching(len(gold), len(pred), lambda i, j: pred[j] is not None and pred[j] in gold[i])
    hashed = _max_matching_of(_keyed_adjacency(gold, pred))
    assert hashed == dense


def test_prediction_findings_stop_at_the_cap_and_lines_are_read_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = 5 * MAX_FINDINGS_PER_FILE
    path = tmp_path / "p.jsonl"
    path.write_text("{}\n" * lines, encoding="utf-8")
    read = 0
    lines_of = predictions_module._lines

    def counting(content: str) -> Iterator[tuple[int, int, str]]:
        nonlocal read
        for item in lines_of(content):
            read += 1
            yield item

    monkeypatch.setattr(predictions_module, "_lines", counting)
    report = validate_predictions(path, {"a": "text"})
    codes = Counter(f.code for f in report.findings)
    assert codes["missing-field"] == MAX_FINDINGS_PER_FILE
    assert codes["findings-truncated"] == 1
    # the line after the cap is looked at (to say where validation stopped), no further one
    assert read == MAX_FINDINGS_PER_FILE + 1
    assert report.lines == lines  # the rest are counted, not split out
    assert report.predictions == ()


def test_simple_gold_chunks_are_read_by_columns() -> None:
    text = "Ama Mensah met Kofi. Benin’s army left"
    index = _index(text, [(0, 20), (21, len(text))])
    gold = replace(index, gold_names=((0, 10, "PER"), (15, 19, "PER"), (21, 26, "GPE")))
    simple = _simple_chunks(gold)
    assert simple == {("PER", 0, 0, 10), ("PER", 0, 15, 19), ("GPE", 1, 21, 26)}
    assert simple == _outermost_chunks(gold, gold.gold_names)
    # a name inside a word, or nested names, are not simple
    assert _simple_chunks(replace(index, gold_names=((0, 2, "PER"),))) is None
    assert _simple_chunks(replace(index, gold_names=((0, 3, "PER"), (0, 10, "PER")))) is None


def _recursive_matching(adjacency: list[list[int]]) -> list[int | None]:
    """The matching as first written (recursive augmenting paths), kept as the reference."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adjacency[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(adjacency)):
        augment(i, set())
    partner: list[int | None] = [None] * len(adjacency)
    for j, i in owner.items():
        partner[i] = j
    return partner


@given(st.lists(st.lists(st.integers(0, 7), max_size=5).map(lambda xs: sorted(set(xs))), max_size=8))
def test_iterative_matching_equals_the_recursive_one(adjacency: list[list[int]]) -> None:
    assert _max_matching_of(adjacency) == _recursive_matching(adjacency)


def test_a_matching_deeper_than_the_recursion_limit() -> None:
    import sys

    n = sys.getrecursionlimit() + 500
    # left i tries right i - 1 first (held by left i - 1): the search runs down a chain n long
    adjacency = [[0]] + [[i - 1, i] for i in range(1, n)]
    with pytest.raises(RecursionError):
        _recursive_matching(adjacency)
    assert _max_matching_of(adjacency) == list(range(n))


@given(_articles())
def test_the_column_test_of_simple_names_implies_the_exact_one(
    article: tuple[str, list[tuple[int, int]], list[Name]],
) -> None:
    from seccoop.bench.score.ner import _simple_chunks_exact, _simple_names

    text, sentences, names = article
    index = replace(_index(text, sentences), gold_names=tuple(sorted(names)))
    if _simple_names(text, index.sentences, index.sentence_starts, index.disjoint, index.gold_names):
        assert _simple_chunks_exact(index) == _simple_chunks(index)
        assert _simple_chunks(index) == _outermost_chunks(index, index.gold_names)
