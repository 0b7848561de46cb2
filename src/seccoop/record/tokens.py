"""The tokenizer shared by the validator's boundary check and the NER export.

It is deliberately fine-grained: every punctuation mark is its own token (so "Benin’s" is
"Benin", "’", "s" and "US-Benin" is "US", "-", "Benin"), except dotted abbreviations ("U.S.")
and numbers with separators ("1,000"; "4.5"). Because the validator rejects any mention or
trigger whose ends are not token boundaries, no annotated name is lost in the IOB2 export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "boundaries", "boundary_flags", "tokenize"]

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\d+(?:[.,:]\d+)*|[^\W_]+|\S")


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


def boundaries(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """The sets of token start offsets and token end offsets of ``text``."""
    toks = tokenize(text)
    return frozenset(t.start for t in toks), frozenset(t.end for t in toks)


def boundary_flags(text: str) -> tuple[bytearray, bytearray]:
    """Token starts and ends as flags by offset (``starts[i]`` is 1 where a token starts).

    The same boundaries as :func:`boundaries`, in two bytes per character of ``text`` whatever
    its number of tokens (sets of offsets take dozens of bytes per token).
    """
    starts = bytearray(len(text) + 1)
    ends = bytearray(len(text) + 1)
    for match in _TOKEN.finditer(text):
        starts[match.start()] = 1
        ends[match.end()] = 1
    return starts, ends
