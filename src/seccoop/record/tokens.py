"""The tokenizer shared by the validator's boundary check and the NER export.

It is deliberately fine-grained: every punctuation mark is its own token (so "Benin’s" is
"Benin", "’", "s" and "US-Benin" is "US", "-", "Benin"), except dotted abbreviations ("U.S.")
and numbers with separators ("1,000"; "4.5"). Because the validator rejects any mention or
trigger whose ends are not token boundaries, no annotated name is lost in the IOB2 export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

__all__ = [
    "Token",
    "TokenBoundaries",
    "boundaries",
    "ends_token",
    "starts_token",
    "token_offsets",
    "token_spans",
    "tokenize",
    "tokens_over",
]

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)*|[^\W_]+|\S")
# The same pattern as one group: ``split`` returns gap, token, gap, token, ..., gap, found by the
# same left-to-right search as ``finditer`` (no alternative matches the empty string, and the
# pattern has no anchor or look-behind, so a slice tokenizes as ``finditer(text, start, end)``).
_SPLIT = re.compile(f"({_TOKEN.pattern})")


@dataclass(frozen=True)
class Token:
    """A token with its code-point offsets into the text (end exclusive)."""

    text: str
    start: int
    end: int


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]``, with offsets into the whole ``text``."""
    stop = len(text) if end is None else end
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, stop)]


def token_offsets(text: str, start: int = 0, end: int | None = None) -> tuple[list[int], list[int]]:
    """The start offsets and the end offsets of the tokens of ``text[start:end]`` (two lists in
    token order): :func:`tokenize` without a Python object per token.

    The regular expression splits the stretch once and the offsets are the running sums of the
    pieces' lengths, so the work per token is done in C (for scoring at scale).
    """
    stop = len(text) if end is None else end
    if start < 0 or stop > len(text):
        # finditer's clamping of pos and endpos, which slicing does not share for negative values
        start, stop = max(0, start), min(len(text), stop)
    if start >= stop:
        return [], []
    pieces = _SPLIT.split(text if start == 0 and stop == len(text) else text[start:stop])
    # pieces: gap, token, gap, ..., token, gap; the running sums are where each piece starts
    at = list(accumulate(map(len, pieces), initial=start))
    return at[1:-1:2], at[2::2]


def token_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The (start, end) offsets of the tokens of ``text[start:end]``: :func:`tokenize` without
    building a :class:`Token` per token (for scoring, which needs only the offsets)."""
    return list(zip(*token_offsets(text, start, end), strict=True))


def _stretch(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """A stretch of ``text[lo:hi]`` holding ``[start, end)`` whose tokens are those of
    ``text[lo:hi]`` tokenized alone: it begins at ``lo`` or after a space or newline (no token
    holds whitespace, so the left-to-right search is there in step) and ends at ``hi`` or at a
    space or newline (a token ending before the cut ends the same with or without it)."""
    left = max(lo, text.rfind(" ", lo, start) + 1, text.rfind("\n", lo, start) + 1)
    right = min((k for k in (text.find(" ", end, hi), text.find("\n", end, hi)) if k >= 0), default=hi)
    return left, right


def tokens_over(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """The (start, end) offsets of the tokens of ``text[lo:hi]`` (tokenized alone, as
    :func:`tokenize` does with ``lo`` and ``hi``) that share a character with ``[start, end)``,
    tokenizing only around that stretch."""
    stop = len(text) if hi is None else hi
    start, end = max(start, lo), min(end, stop)
    if start >= end:
        return []
    left, right = _stretch(text, start, end, lo, stop)
    return [m.span() for m in _TOKEN.finditer(text, left, right) if m.end() > start and m.start() < end]


def starts_token(text: str, offset: int, lo: int = 0, hi: int | None = None) -> bool:
    """Whether a token of ``text[lo:hi]`` (tokenized alone) starts at ``offset``.

    Decided from the two characters around ``offset`` when they settle it (as
    :meth:`TokenBoundaries.is_start` does), else by tokenizing the stretch that holds it.
    """
    stop = len(text) if hi is None else hi
    if not lo <= offset < stop or text[offset].isspace():
        return False
    if offset == lo or text[offset - 1].isspace():
        return True  # tokenizing starts at lo and restarts after whitespace
    before, at = text[offset - 1], text[offset]
    if at.isalpha():
        if before.isalpha():
            return False  # letters inside one word: only [^\W_]+ covers them, greedily
        if not before.isalnum() and before != ".":
            return True  # a word after a mark that no abbreviation or number ends with
    left, right = _stretch(text, offset, offset + 1, lo, stop)
    return any(m.start() == offset for m in _TOKEN.finditer(text, left, right))


def ends_token(text: str, offset: int, lo: int = 0, hi: int | None = None) -> bool:
    """Whether a token of ``text[lo:hi]`` (tokenized alone) ends at ``offset``."""
    stop = len(text) if hi is None else hi
    if not lo < offset <= stop or text[offset - 1].isspace():
        return False
    if offset == stop or text[offset].isspace():
        return True  # no token runs into whitespace or past hi
    before, at = text[offset - 1], text[offset]
    if before.isalpha():
        if at.isalpha():
            return False
        if not at.isalnum() and at != ".":
            return True  # [^\W_]+ stops before a mark; only abbreviations take a "."
        if at == "." and offset - 2 >= lo and text[offset - 2].isalpha():
            return True  # two letters in a row are no abbreviation: a word, then its full stop
    left, right = _stretch(text, offset - 1, offset, lo, stop)
    return any(m.end() == offset for m in _TOKEN.finditer(text, left, right))


def boundaries(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """The sets of token start offsets and token end offsets of ``text``."""
    toks = tokenize(text)
    return frozenset(t.start for t in toks), frozenset(t.end for t in toks)


class TokenBoundaries:
    """Whether an offset is a token start or end, tokenizing only around the offsets asked about.

    No token contains a space or a newline, so the tokens of ``text`` between two of them are
    those of that stretch alone: a question tokenizes only the stretch that holds its offset
    (cached while the stretch is long). Same answers as :func:`boundaries`, in time and memory
    proportional to what is asked, not to the text.
    """

    _CACHE_FROM = 256  # stretches at least this long are kept; shorter ones are cheap to redo

    def __init__(self, text: str) -> None:
        self.text = text
        self._stretches: dict[int, tuple[bytearray, bytearray]] = {}

    def _flags(self, offset: int) -> tuple[int, bytearray, bytearray]:
        text = self.text
        left = max(text.rfind(" ", 0, offset), text.rfind("\n", 0, offset)) + 1
        cached = self._stretches.get(left)
        if cached is not None:
            return left, cached[0], cached[1]
        right = min(
            (k for k in (text.find(" ", offset), text.find("\n", offset)) if k >= 0), default=len(text)
        )
        starts = bytearray(right - left + 1)
        ends = bytearray(right - left + 1)
        for match in _TOKEN.finditer(text, left, right):
            starts[match.start() - left] = 1
            ends[match.end() - left] = 1
        if right - left >= self._CACHE_FROM:
            self._stretches[left] = (starts, ends)
        return left, starts, ends

    def is_start(self, offset: int) -> bool:
        """Whether a token starts at ``offset``."""
        text = self.text
        if not 0 <= offset < len(text) or text[offset].isspace():
            return False
        if offset == 0 or text[offset - 1].isspace():
            return True  # tokenizing restarts after whitespace
        if text[offset - 1].isalpha() and text[offset].isalpha():
            return False  # letters inside one word: only [^\W_]+ covers them, greedily
        if text[offset].isalpha() and not text[offset - 1].isalnum() and text[offset - 1] != ".":
            return True  # a word after a mark that no abbreviation or number ends with
        left, starts, _ = self._flags(offset)
        return bool(starts[offset - left])

    def is_end(self, offset: int) -> bool:
        """Whether a token ends at ``offset``."""
        text = self.text
        if not 0 < offset <= len(text) or text[offset - 1].isspace():
            return False
        if offset == len(text) or text[offset].isspace():
            return True  # no token runs into whitespace
        if text[offset - 1].isalpha() and text[offset].isalpha():
            return False
        if text[offset - 1].isalpha() and not text[offset].isalnum() and text[offset] != ".":
            return True  # [^\W_]+ stops before a mark; only abbreviations take a "."
        # the stretch that holds the last character of the token
        left, _, ends = self._flags(offset - 1)
        return offset - left < len(ends) and bool(ends[offset - left])
