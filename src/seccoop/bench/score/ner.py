"""The ``ner`` task: names in the four SemEval-2013 modes (as nervaluate) and the CoNLL span F1
over IOB2 tags (as conlleval and seqeval)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import compress, islice, repeat
from operator import add, attrgetter, eq, ge, itemgetter, le, lt, not_, or_, sub
from typing import Any, Literal, cast, get_args

from seccoop.bench.predictions import (
    AlignedPrediction,
)
from seccoop.bench.score.measures import Average, Name, Score, Span, _add, _div, _f1
from seccoop.record.models import Record
from seccoop.record.ontology import load_ontology
from seccoop.record.tokens import Token, ends_token, starts_token, tokenize, tokens_over

NerModeName = Literal["strict", "exact", "partial", "type"]


NER_MODES: tuple[str, ...] = get_args(NerModeName)


@dataclass(frozen=True)
class SemEvalScore:
    """Counts and scores of one SemEval-2013 mode (COR, INC, PAR, MIS, SPU).

    POSSIBLE = COR + INC + PAR + MIS (the gold names), ACTUAL = COR + INC + PAR + SPU (the
    predicted ones). Strict and exact: P = COR / ACTUAL, R = COR / POSSIBLE. Partial and type:
    P = (COR + 0.5 PAR) / ACTUAL, R = (COR + 0.5 PAR) / POSSIBLE.
    """

    correct: int
    incorrect: int
    partial: int
    missed: int
    spurious: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, counts: Sequence[int], partial_credit: bool) -> SemEvalScore:
        """Scores of (COR, INC, PAR, MIS, SPU) counts."""
        cor, inc, par, mis, spu = counts
        hits = cor + 0.5 * par if partial_credit else cor
        p, r = _div(hits, cor + inc + par + spu), _div(hits, cor + inc + par + mis)
        return cls(cor, inc, par, mis, spu, p, r, _f1(p, r))

    @property
    def possible(self) -> int:
        """COR + INC + PAR + MIS: the number of gold names."""
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        """COR + INC + PAR + SPU: the number of predicted names."""
        return self.correct + self.incorrect + self.partial + self.spurious


@dataclass(frozen=True)
class NerMode:
    """One SemEval mode: micro (summed counts), macro over types, and per type."""

    micro: SemEvalScore
    macro: Average
    per_type: dict[str, SemEvalScore]


@dataclass(frozen=True)
class ConllScore:
    """CoNLL span F1 over IOB2 tags: micro, macro over types, and per type."""

    micro: Score
    macro: Average
    per_type: dict[str, Score]


@dataclass(frozen=True)
class NerScores:
    """Named-entity recognition: the four SemEval modes and the CoNLL metric."""

    modes: dict[str, NerMode]
    conll: ConllScore


_ID_TYPE = attrgetter("id", "type")
_GOLD_FIELDS = attrgetter("start", "end", "kind", "entity")
_SPAN = attrgetter("start", "end")


def _gold_names(record: Record) -> list[Name]:
    """The NAM mentions of entities of the record, typed by their entity, in record order.

    Column by column: each mention's fields are read once, then filtered and typed by ``map``
    and ``compress`` (in C, no Python step per mention)."""
    mentions = record.mentions
    if not mentions:
        return []
    types = dict(map(_ID_TYPE, record.entities))
    starts, ends, kinds, entities = zip(*map(_GOLD_FIELDS, mentions), strict=True)
    labels: list[str | None] = list(map(types.get, entities))
    names = list(compress(zip(starts, ends, labels, strict=True), map(eq, kinds, repeat("NAM"))))
    if None in labels:  # a mention of an entity the record does not list
        names = [n for n in names if n[2] is not None]
    return cast(list[Name], names)


def _predicted_names(aligned: AlignedPrediction) -> tuple[list[Name], list[str]]:
    """Aligned predicted names, and the types of the names that could not be aligned."""
    mentions = aligned.mentions
    if not mentions:
        return [], []
    types, kinds, spans, _, _ = zip(*mentions, strict=True)
    if None not in spans:  # all aligned: by columns
        starts, ends = zip(*spans, strict=True)
        return list(compress(zip(starts, ends, types, strict=True), map(eq, kinds, repeat("NAM")))), []
    names: list[Name] = []
    lost: list[str] = []
    for m in mentions:
        if m.kind != "NAM":
            continue
        if m.span is None:
            lost.append(m.type)
        else:
            names.append((m.span[0], m.span[1], m.type))
    return names, lost


def _semeval_counts(
    gold: Sequence[Name], pred: Sequence[Name], mode: str, presorted: bool = False
) -> list[int]:
    """(COR, INC, PAR, MIS, SPU) of one document in one SemEval-2013 mode.

    Both lists are taken in (start, end, type) order. First, pairs with identical boundaries
    (and, in strict and type modes, the same type) are matched: they are correct. Then each
    remaining prediction, left to right, takes the first remaining gold name it overlaps (shares
    at least one character with): incorrect in strict and exact modes, partial in partial mode;
    in type mode it takes the overlapping gold name of its own type with the closest boundaries
    (smallest |start difference| + |end difference|, ties to the first) and is correct, else the
    first overlapping one and is incorrect. Predictions left are spurious, gold names left missed.

    This is nervaluate's greedy procedure with two documented differences (see
    tests/test_score_reference.py): an exact pair is never broken up by an earlier prediction
    that merely overlaps the gold name (nervaluate's result depends on the order of the lists
    there, davidsbatista/NER-Evaluation#6, MantisAI/nervaluate#40; its maintainers call
    overlapping predictions unsupported, MantisAI/nervaluate#84), and any shared character is an
    overlap (nervaluate 1.2 requires the overlap to be at least 1% of the gold name, which
    differs only for names longer than 100 characters).
    """
    return _semeval_modes(gold, pred, (mode,), presorted)[0]


def _semeval_modes(
    gold: Sequence[Name], pred: Sequence[Name], modes: Sequence[str], presorted: bool = False
) -> list[list[int]]:
    """:func:`_semeval_counts` of several modes that pair exact names alike (strict and type, or
    exact and partial), sharing the exact pairing."""
    if not presorted:
        gold = sorted(gold)
        pred = sorted(pred)
    taken = [False] * len(gold)
    buckets: dict[tuple[Any, ...], list[int]] = {}
    # Equal gold names are interchangeable, so which of them an exact pair takes does not matter.
    if modes[0] in ("strict", "type"):
        for gi, g in enumerate(gold):
            buckets.setdefault(g, []).append(gi)
        keys: Iterable[tuple[Any, ...]] = pred
    else:
        for gi, g in enumerate(gold):
            buckets.setdefault(g[:2], []).append(gi)
        keys = [q[:2] for q in pred]
    cor = 0
    rest: list[Name] = []
    for key, q in zip(keys, pred, strict=True):
        bucket = buckets.get(key)
        if bucket:
            taken[bucket.pop()] = True
            cor += 1
        else:
            rest.append(q)
    if not rest:
        missed = taken.count(False)
        return [[cor, 0, 0, missed, 0] for _ in modes]
    starts = [g[0] for g in gold]
    longest = max((g[1] - g[0] for g in gold), default=0)
    return [_rest_counts(gold, rest, list(taken), cor, starts, longest, mode) for mode in modes]


def _rest_counts(
    gold: Sequence[Name],
    rest: Sequence[Name],
    taken: list[bool],
    cor: int,
    starts: Sequence[int],
    longest: int,
    mode: str,
) -> list[int]:
    """The second, overlap phase of :func:`_semeval_counts` for one mode."""
    inc = par = spu = 0
    for s, e, t in rest:
        # Only gold names starting in (s - longest, e) can overlap [s, e): scan that window, in order.
        lo = bisect_left(starts, s - longest + 1)
        hi = bisect_left(starts, e)
        hits = [gi for gi in range(lo, hi) if not taken[gi] and s < gold[gi][1]]
        if not hits:
            spu += 1
            continue
        if mode == "type":
            own = [gi for gi in hits if gold[gi][2] == t]
            if own:
                gi = min(own, key=lambda k: (abs(s - gold[k][0]) + abs(e - gold[k][1]), k))
                cor += 1
            else:
                gi = hits[0]
                inc += 1
        else:
            gi = hits[0]
            if mode == "partial":
                par += 1
            else:
                inc += 1
        taken[gi] = True
    return [cor, inc, par, taken.count(False), spu]


def _mode_of(micro: list[int], by_type: dict[str, list[int]], mode: str) -> NerMode:
    partial_credit = mode in ("partial", "type")
    per_type = {t: SemEvalScore.of(c, partial_credit) for t, c in by_type.items()}
    return NerMode(SemEvalScore.of(micro, partial_credit), Average.of(list(per_type.values())), per_type)


def _as_partial(counts: list[int]) -> list[int]:
    """Partial-mode counts from exact-mode counts: the matching is the same, INC becomes PAR."""
    cor, inc, _par, mis, spu = counts
    return [cor, 0, inc, mis, spu]


def iob2_sentences(
    text: str, sentences: Iterable[Span], names: Iterable[Name]
) -> list[tuple[list[Token], list[str]]]:
    """Tokens and IOB2 tags of each sentence, for the outermost of ``names``.

    Tokens come from :func:`seccoop.record.tokens.tokenize` on the sentence. A name is projected onto
    the tokens of each sentence it overlaps (every token sharing a character with it), so a name
    that is not cut at token boundaries grows to whole tokens. Then the outermost names are kept:
    in order of first token, longest first (then type), a name is kept unless it overlaps a name
    already kept (nested and crossing names are dropped). Gold names lie on token boundaries and
    inside one sentence (the validator checks both), so for them this is exact.
    """
    name_list = list(names)
    out = []
    for s0, s1 in sentences:
        toks = tokenize(text, s0, s1)
        starts = [t.start for t in toks]
        ends = [t.end for t in toks]
        projected = []
        for s, e, label in name_list:
            first = bisect_right(ends, s)
            last = bisect_left(starts, e) - 1
            if first <= last:
                projected.append((first, -last, label))
        kept: list[tuple[int, int, str]] = []
        for first, neg_last, label in sorted(projected):
            last = -neg_last
            if all(last < a or first > b for a, b, _ in kept):
                kept.append((first, last, label))
        tags = ["O"] * len(toks)
        for first, last, label in kept:
            tags[first] = f"B-{label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{label}"
        out.append((toks, tags))
    return out


def _chunks(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(type, first, last) of the IOB2 chunks of a well-formed tag sequence."""
    out = []
    i = 0
    while i < len(tags):
        if tags[i].startswith("B-"):
            label = tags[i][2:]
            j = i
            while j + 1 < len(tags) and tags[j + 1] == f"I-{label}":
                j += 1
            out.append((label, i, j))
            i = j + 1
        else:
            i += 1
    return out


_Chunk = tuple[str, int, int, int]
"""(type, sentence, start offset of its first token, end offset of its last token) of a name in
IOB2: a chunk of :func:`_chunks` with its token indices written as the tokens' offsets (tokens
are disjoint and in order, so the two say the same)."""


@dataclass(frozen=True)
class _ArticleIndex:
    """What the CoNLL measure needs of one gold article, computed once per record."""

    record: Record
    """Held so that the ``id`` the index is cached under is never reused while cached."""
    sentences: tuple[Span, ...]
    """Sorted."""
    sentence_starts: tuple[int, ...]
    disjoint: bool
    """No two sentences overlap (the validator's ``sentence-overlap`` rule)."""
    gold_names: tuple[Name, ...]
    """Sorted."""
    gold_chunks: frozenset[_Chunk]
    """The gold chunks, when the names are not :attr:`simple` (then see :attr:`chunks`)."""
    projections: dict[Span, _Projection]
    """Where each gold name's (start, end) lands in IOB2 (see :func:`_outermost_chunks`)."""
    simple: bool = False
    """Each gold name lands in one sentence and is kept as its own chunk (none nested, crossing
    or repeated): then any subset of the gold names is its own chunks too."""

    @cached_property
    def chunks(self) -> frozenset[_Chunk]:
        """The gold chunks. Those of simple names are the names themselves, built on first use
        only (scoring a system that predicts simple names never needs them)."""
        if not self.simple:
            return self.gold_chunks
        return _chunks_of(self.sentence_starts, self.gold_names)


_INDEX: OrderedDict[int, _ArticleIndex] = OrderedDict()
_INDEX_SIZE = 16384


def article_index(record: Record) -> _ArticleIndex:
    """The record's sentences and gold chunks, once per record object (least recently used out)."""
    found = _INDEX.get(id(record))
    if found is not None and found.record is record:
        _INDEX.move_to_end(id(record))
        return found
    sentences = tuple(sorted(map(_SPAN, record.sentences)))
    sentence_starts = tuple(map(itemgetter(0), sentences))
    disjoint = all(map(le, map(itemgetter(1), sentences), sentence_starts[1:]))
    names = tuple(sorted(_gold_names(record)))
    if names and _simple_names(record.text, sentences, sentence_starts, disjoint, names):
        index = _ArticleIndex(record, sentences, sentence_starts, disjoint, names, frozenset(), {}, True)
    else:
        partial = _ArticleIndex(record, sentences, sentence_starts, disjoint, names, frozenset(), {})
        projections: dict[Span, _Projection] = {}
        simple_chunks = _simple_chunks_exact(partial)
        if simple_chunks is not None:
            index = replace(partial, gold_chunks=simple_chunks, simple=True)
        else:
            chunks = frozenset(_outermost_chunks(partial, partial.gold_names, projections))
            simple = len(chunks) == len(names) and all(len(p) == 1 for p in projections.values())
            index = replace(partial, gold_chunks=chunks, projections=projections, simple=simple)
    _INDEX[id(record)] = index
    if len(_INDEX) > _INDEX_SIZE:
        _INDEX.popitem(last=False)
    return index


# A name whose first character is a token start for sure, from the character before it and its
# first one (pairs, one per name): whitespace before a non-space, or an ASCII letter after a mark
# that neither a word, a number nor an abbreviation ends with. The alternatives exclude each other
# (by the first character), and the repetition is possessive: linear time, no backtracking.
_HEADS = re.compile(r"(?:\s\S|[^\w\s.][A-Za-z])*+")
# A name whose end is a token end for sure, from its last two characters and the one after it
# (triples): whitespace after a non-space; a mark after an ASCII letter; or a full stop after two
# ASCII letters (no abbreviation has two letters in a row). Exclusive by the third character.
_TAILS = re.compile(r"(?:.\S\s|.[A-Za-z][^\w\s.]|[A-Za-z][A-Za-z]\.)*+", re.DOTALL)


def _simple_names(
    text: str,
    sentences: Sequence[Span],
    sentence_starts: Sequence[int],
    disjoint: bool,
    names: Sequence[Name],
) -> bool:
    """Whether each of ``names`` (sorted) is its own IOB2 chunk by the usual rule and none
    overlaps another: inside one sentence of disjoint ``sentences``, its ends on token
    boundaries decided by the characters around them (see :data:`_HEADS`, :data:`_TAILS`).

    Tested column by column over the whole list (``map``, ``join`` and one regular expression
    match each for the starts and the ends, in C): no Python step per name. It is sufficient,
    not necessary: names next to rarer marks (or at a sentence start without a space before
    it) answer False here and are decided exactly by :func:`_simple_chunks_exact`.
    """
    if not disjoint or not names:
        return False
    starts, ends, _ = zip(*names, strict=True)
    if starts[0] < 0 or max(ends) > len(text):
        return False
    if not (all(map(lt, starts, ends)) and all(map(le, ends, islice(starts, 1, None)))):
        return False  # an empty name, or two that overlap (or repeat)
    # the end of the sentence each name starts in (-1 before the first sentence)
    stops = (-1, *map(itemgetter(1), sentences))
    if not all(map(le, ends, map(stops.__getitem__, map(bisect_right, repeat(sentence_starts), starts)))):
        return False
    padded = f" {text} "  # padded[i + 1] is text[i]; a space stands for what is before or after the text
    heads = "".join(map(padded.__getitem__, map(slice, starts, map(add, starts, repeat(2)))))
    if _HEADS.fullmatch(heads) is None:
        return False
    tails = "".join(map(padded.__getitem__, map(slice, map(sub, ends, repeat(1)), map(add, ends, repeat(2)))))
    return _TAILS.fullmatch(tails) is not None


def _chunks_of(sentence_starts: Sequence[int], names: Sequence[Name]) -> frozenset[_Chunk]:
    """The chunks of names that are each their own chunk (:func:`_simple_names`)."""
    if not names:
        return frozenset()
    starts, ends, labels = zip(*names, strict=True)
    sentence = map(sub, map(bisect_right, repeat(sentence_starts), starts), repeat(1))
    return frozenset(zip(labels, sentence, starts, ends, strict=True))


def _simple_chunks(index: _ArticleIndex) -> frozenset[_Chunk] | None:
    """The gold chunks when every gold name is its own chunk by the usual rule of
    :func:`_project` (one sentence, whitespace or the sentence's ends around it) and no two
    overlap; else None. :func:`_simple_names` first, then :func:`_simple_chunks_exact`."""
    names = index.gold_names
    if _simple_names(index.record.text, index.sentences, index.sentence_starts, index.disjoint, names):
        return _chunks_of(index.sentence_starts, names)
    return _simple_chunks_exact(index)


def _simple_chunks_exact(index: _ArticleIndex) -> frozenset[_Chunk] | None:
    """:func:`_simple_chunks`, asking the tokenizer around names next to marks (the exact test
    behind the sufficient one of :func:`_simple_names`), column by column where it can."""
    names = index.gold_names
    if not index.disjoint or not names:
        return None
    starts = list(map(itemgetter(0), names))
    ends = list(map(itemgetter(1), names))
    sentence = list(map(bisect_right, repeat(index.sentence_starts), starts))
    if min(sentence) < 1:
        return None  # a name before the first sentence
    k = list(map(sub, sentence, repeat(1)))
    s0 = list(map(index.sentence_starts.__getitem__, k))
    s1 = list(map(itemgetter(1), map(index.sentences.__getitem__, k)))
    text = index.record.text + " "  # the character after a name that ends the text is no letter
    original = index.record.text
    spaced = str.isspace
    if not (
        all(map(lt, starts, ends))
        and all(map(le, ends, s1))
        and all(map(ge, starts[1:], ends[:-1]))  # sorted names, none overlapping the one before
        and not any(map(spaced, map(text.__getitem__, starts)))
        and not any(map(spaced, map(text.__getitem__, map(sub, ends, repeat(1)))))
    ):
        return None
    at_start = map(or_, map(eq, starts, s0), map(spaced, map(text.__getitem__, map(sub, starts, repeat(1)))))
    at_end = map(or_, map(eq, ends, s1), map(spaced, map(text.__getitem__, ends)))
    # the few names next to a mark: ask the tokenizer around them
    for i in compress(range(len(names)), map(not_, at_start)):
        if not starts_token(original, starts[i], s0[i], s1[i]):
            return None
    for i in compress(range(len(names)), map(not_, at_end)):
        if not ends_token(original, ends[i], s0[i], s1[i]):
            return None
    return frozenset(zip(map(itemgetter(2), names), k, starts, ends, strict=True))


def clear_token_cache() -> None:
    """Forget the cached article indexes (for benchmarks that time a cold start)."""
    _INDEX.clear()


def forget_article(record: Record) -> None:
    """Forget the cached index of ``record`` (and with it the record): a caller that scores a
    corpus one record at a time calls it when done with each, so that memory does not grow."""
    found = _INDEX.get(id(record))
    if found is not None and found.record is record:
        del _INDEX[id(record)]


_Projection = tuple[tuple[int, int, int], ...]
"""Where a name lands in IOB2: (sentence, first token start, -(last token end)) per sentence."""


def _project(index: _ArticleIndex, s: int, e: int) -> _Projection:
    """The tokens of each sentence that the name ``[s, e)`` shares a character with."""
    text = index.record.text
    sentences = index.sentences
    if index.disjoint:
        k = bisect_right(index.sentence_starts, s) - 1
        if k >= 0:
            s0, s1 = sentences[k]
            # The usual name: cut at token boundaries inside one sentence, whitespace around it.
            if (
                s < e <= s1
                and (
                    ((s == s0 or text[s - 1].isspace()) and not text[s].isspace())
                    or starts_token(text, s, s0, s1)
                )
                and (
                    ((e == s1 or text[e].isspace()) and not text[e - 1].isspace())
                    or ends_token(text, e, s0, s1)
                )
            ):
                return ((k, s, -e),)
    # Not on token boundaries, or across sentences: every token sharing a character counts.
    out = []
    k = bisect_left(index.sentence_starts, e) - 1
    while k >= 0 and sentences[k][1] > s:
        s0, s1 = sentences[k]
        spans = tokens_over(text, s, e, s0, s1)
        if spans:
            out.append((k, spans[0][0], -spans[-1][1]))
        k -= 1
    return tuple(out)


def _outermost_chunks(
    index: _ArticleIndex, names: Iterable[Name], memo: dict[Span, _Projection] | None = None
) -> set[_Chunk]:
    """The IOB2 chunks of the outermost ``names``, as :func:`iob2_sentences` would tag them and
    :func:`_chunks` read them back, without building the tags or tokenizing whole sentences.

    A name cut at token boundaries inside one sentence is its own chunk: the boundaries are
    checked around its two ends (:func:`seccoop.record.tokens.starts_token`). Any other name is
    projected onto the tokens it shares a character with in each sentence it overlaps
    (:func:`seccoop.record.tokens.tokens_over`). Either way only the text around the names is
    tokenized, as the sentence alone would be. ``memo`` keeps the projection of each (start,
    end) (the gold names' are kept with the article: most predicted names are among them).
    """
    if memo is None:
        memo = {}
    known = index.projections
    text, sentences, sentence_starts = index.record.text, index.sentences, index.sentence_starts
    projected: list[tuple[int, int, int, str]] = []  # sentence, first token start, -last token end, type
    for s, e, label in names:
        where = known.get((s, e))
        if where is None:
            where = memo.get((s, e))
            if where is None:
                if index.disjoint and (k := bisect_right(sentence_starts, s) - 1) >= 0:
                    # _project's usual case, inlined: one sentence, whitespace or its ends around
                    s0, s1 = sentences[k]
                    if (
                        s < e <= s1
                        and (s == s0 or text[s - 1].isspace())
                        and (e == s1 or text[e].isspace())
                        and not text[s].isspace()
                        and not text[e - 1].isspace()
                    ):
                        memo[s, e] = ((k, s, -e),)
                        projected.append((k, s, -e, label))
                        continue
                where = memo[s, e] = _project(index, s, e)
        for k, first, neg_last in where:
            projected.append((k, first, neg_last, label))
    projected.sort()
    out: set[_Chunk] = set()
    sentence, reach = -1, -1
    for k, first, neg_last, label in projected:
        # Kept names of a sentence are disjoint and in token order: only the last one can overlap,
        # and a name starting at or after its last token's end starts on a later token.
        if k != sentence:
            sentence, reach = k, -1
        if first >= reach:
            reach = -neg_last
            out.add((label, k, first, reach))
    return out


def _conll(records: Sequence[Record], preds: Sequence[list[Name]], lost: Sequence[str] = ()) -> ConllScore:
    """CoNLL span F1; ``lost`` are the types of predicted names that could not be aligned.

    They count as predicted chunks that match nothing (false positives), as in every other
    measure: seqeval, which sees only tags, cannot see them, so on such input this measure is
    lower than seqeval's on the aligned names' tags (on aligned input the two are equal).
    Each article is tokenized once (:func:`article_index`).
    """
    correct: Counter[str] = Counter()
    predicted: Counter[str] = Counter(lost)
    gold: Counter[str] = Counter()
    for record, names in zip(records, preds, strict=True):
        index = article_index(record)
        mine = _outermost_chunks(index, names)
        gold.update(map(itemgetter(0), index.gold_chunks))
        predicted.update(map(itemgetter(0), mine))
        correct.update(map(itemgetter(0), mine & index.gold_chunks))
    return _conll_of(correct, predicted, gold)


def _conll_of(correct: Counter[str], predicted: Counter[str], gold: Counter[str]) -> ConllScore:
    """The CoNLL scores of chunk counts by type."""
    types = sorted(set(gold) | set(predicted), key=_type_order)
    per_type = {t: Score.of(correct[t], predicted[t], gold[t]) for t in types}
    micro = Score.of(sum(correct.values()), sum(predicted.values()), sum(gold.values()))
    return ConllScore(micro, Average.of(list(per_type.values())), per_type)


def _type_order(label: str) -> tuple[int, str]:
    order = list(load_ontology().entity_types)
    return (order.index(label) if label in order else len(order), label)


def _score_ner(records: Sequence[Record], aligned: Sequence[AlignedPrediction]) -> NerScores:
    micro = {mode: [0] * 5 for mode in NER_MODES}
    by_type: dict[str, defaultdict[str, list[int]]] = {
        mode: defaultdict(lambda: [0] * 5) for mode in NER_MODES
    }
    # Types of names, gathered as flat lists (extended by ``map``, in C) and counted once at the
    # end. Documents paired without any overlap (see _pairing) have the same counts in every mode:
    # their correct names, their gold names (missed = gold - correct) and their spurious ones.
    correct: list[str] = []
    gold_paired: list[str] = []
    spurious: list[str] = []
    conll_correct: list[str] = []  # CoNLL chunks
    conll_predicted: list[str] = []
    conll_gold: list[str] = []
    for record, pred in zip(records, aligned, strict=True):
        names, lost = _predicted_names(pred)
        index = article_index(record)
        gold = index.gold_names
        if lost:
            spurious += lost  # unaligned names are spurious, of their type, in every mode
            conll_predicted += lost  # and predicted chunks that match nothing
        paired = _pairing(gold, names)
        if paired is None:
            names.sort()
            _add_document(gold, names, micro, by_type)
        else:
            common, rest = paired
            correct += map(_TYPE, common)
            gold_paired += map(_TYPE, gold)
            if rest:
                spurious += map(_TYPE, rest)
        if not index.simple:
            conll_gold += map(_FIRST, index.gold_chunks)
            mine = _outermost_chunks(index, names)
            conll_predicted += map(_FIRST, mine)
            conll_correct += map(_FIRST, mine & index.gold_chunks)
            continue
        conll_gold += map(_TYPE, gold)
        if paired is not None and not paired[1]:
            # A subset of gold names that are each their own chunk: so is each of them.
            conll_predicted += map(_TYPE, names)
            conll_correct += map(_TYPE, names)
            continue
        names.sort()
        if _simple_names(record.text, index.sentences, index.sentence_starts, index.disjoint, names):
            # Each prediction is its own chunk too: the chunks that agree are the equal names.
            conll_predicted += map(_TYPE, names)
            conll_correct += map(_TYPE, paired[0] if paired is not None else set(names) & set(gold))
        else:
            mine = _outermost_chunks(index, names)
            conll_predicted += map(_FIRST, mine)
            conll_correct += map(_FIRST, mine & index.chunks)
    found = Counter(correct)
    alike = (found, Counter(gold_paired) - found, Counter(spurious))
    for mode in NER_MODES:
        for field, types in zip((0, 3, 4), alike, strict=True):
            micro[mode][field] += sum(types.values())
            for t, n in types.items():
                by_type[mode][t][field] += n
    order = sorted(by_type["strict"], key=_type_order)
    modes = {mode: _mode_of(micro[mode], {t: by_type[mode][t] for t in order}, mode) for mode in NER_MODES}
    return NerScores(modes, _conll_of(Counter(conll_correct), Counter(conll_predicted), Counter(conll_gold)))


_BOUNDS = itemgetter(0, 1)
_TYPE = itemgetter(2)
_FIRST = itemgetter(0)


_SUBSET = 2
""":func:`_paired_alike`'s answer when, besides, every prediction is a gold name."""


def _paired_alike(
    gold: Sequence[Name], pred: Sequence[Name], alike: tuple[Counter[str], Counter[str], Counter[str]]
) -> int:
    """Count a document whose names pair the same in every SemEval mode, and say whether it did.

    When :func:`_pairing` pairs the document, the types of its correct, missed and spurious
    names go to ``alike`` and the caller skips :func:`_add_document`. Returns 0 when the
    document needs the greedy pairing, :data:`_SUBSET` when it did not and every prediction is
    a gold name, else 1.
    """
    paired = _pairing(gold, pred)
    if paired is None:
        return 0
    common, rest = paired
    alike[0].update(map(_TYPE, common))
    alike[1].update(map(_TYPE, set(gold) - set(common)))
    alike[2].update(map(_TYPE, rest))
    return 1 if rest else _SUBSET


def _pairing(gold: Sequence[Name], pred: Sequence[Name]) -> tuple[Iterable[Name], AbstractSet[Name]] | None:
    """The correct and the spurious names of a document whose names pair the same in every
    SemEval mode, or None when it needs the greedy pairing (:func:`_add_document`).

    When no name repeats and no prediction left over by the exact (start, end, type) pairing
    overlaps a gold name left over by it (and, if any prediction is left over, no two gold or two
    predicted names share their boundaries), every mode pairs the same names and has no
    incorrect or partial match: the pairs are correct, the gold names left missed, the
    predictions left spurious, overall and within each type. Decided with set operations (in C).
    """
    pred_set = set(pred)
    if len(pred_set) != len(pred):
        return None
    gold_set = set(gold)
    if len(gold_set) != len(gold):
        return None
    if pred_set <= gold_set:
        return pred_set, frozenset()
    common = gold_set & pred_set
    rest_pred = pred_set - common
    # With unique boundaries, a leftover prediction shares no boundaries with a paired gold
    # name, so exact mode (which pairs on boundaries alone) pairs what strict mode pairs.
    if len(set(map(_BOUNDS, gold))) != len(gold) or len(set(map(_BOUNDS, pred))) != len(pred):
        return None
    rest_gold = gold_set - common
    if rest_gold and _any_overlap(sorted(rest_gold), rest_pred):
        return None
    return common, rest_pred


def _any_overlap(gold: Sequence[Name], pred: Iterable[Name]) -> bool:
    """Whether a name of ``pred`` shares a character with one of ``gold`` (sorted)."""
    starts = [g[0] for g in gold]
    longest = max(g[1] - g[0] for g in gold)
    for s, e, _ in pred:
        lo = bisect_left(starts, s - longest + 1)
        hi = bisect_left(starts, e)
        if any(s < gold[gi][1] for gi in range(lo, hi)):
            return True
    return False


def _add_document(
    gold: Sequence[Name],
    pred: Sequence[Name],
    micro: dict[str, list[int]],
    by_type: dict[str, defaultdict[str, list[int]]],
) -> None:
    """Add one document's counts in every mode (names sorted), by nervaluate's greedy pairing."""
    strict, typed = _semeval_modes(gold, pred, ("strict", "type"), presorted=True)
    exact = _semeval_counts(gold, pred, "exact", presorted=True)
    # Exact and partial modes pair the names alike (partial only credits an overlap as PAR, not
    # INC), so the partial counts are derived from the exact ones instead of matched again.
    for mode, counts in (
        ("strict", strict),
        ("type", typed),
        ("exact", exact),
        ("partial", _as_partial(exact)),
    ):
        _add(micro[mode], counts)
    gold_by_type: dict[str, list[Name]] = defaultdict(list)
    pred_by_type: dict[str, list[Name]] = defaultdict(list)
    for g in gold:
        gold_by_type[g[2]].append(g)
    for q in pred:
        pred_by_type[q[2]].append(q)
    # A type with no gold and no predicted name in a document adds nothing there.
    for t in set(gold_by_type) | set(pred_by_type):
        strict, typed = _semeval_modes(gold_by_type[t], pred_by_type[t], ("strict", "type"), presorted=True)
        # Within one type, exact mode pairs names as strict mode does (the types always agree).
        for mode, counts in (
            ("strict", strict),
            ("type", typed),
            ("exact", strict),
            ("partial", _as_partial(strict)),
        ):
            _add(by_type[mode][t], counts)
