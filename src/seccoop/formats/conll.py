"""CoNLL-2003-style NER export: one token a line, IOB2 tags over the outermost names.

Each article opens with ``-DOCSTART- -X- -X- O`` and a blank line; each sentence's tokens
follow, one a line as ``token -X- -X- tag`` (the corpus has no POS or chunk tags, so those
columns hold CoNLL-2003's ``-X-`` placeholder), and a blank line ends every sentence. Tokens
come from :func:`seccoop.record.tokens.tokenize`, the tokenizer whose boundaries the validator
enforces for mentions, so every name falls on token boundaries. Tags are ``B-<type>`` /
``I-<type>`` with the entity type of the outermost NAM mentions (see
:func:`~seccoop.formats._base.outermost_names`), and ``O`` elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from seccoop.formats._base import ConversionError, outermost_names
from seccoop.record.io import write_text_atomic
from seccoop.record.models import Record
from seccoop.record.tokens import Token, tokenize

__all__ = ["CONLL_FILE", "DOCSTART", "export_conll", "sentence_tokens"]

CONLL_FILE = "seccoop.conll"
DOCSTART = "-DOCSTART- -X- -X- O"
_PLACEHOLDER = "-X-"


def sentence_tokens(record: Record) -> list[list[Token]]:
    """The tokens of each sentence, sentences in text order: exactly what the export writes."""
    ordered = sorted(record.sentences, key=lambda s: (s.start, s.end))
    return [toks for s in ordered if (toks := tokenize(record.text, s.start, s.end))]


def _tags(
    record: Record, sentences: list[list[Token]], problems: list[str], notes: list[str]
) -> list[list[str]]:
    tags = [["O"] * len(toks) for toks in sentences]
    starts = {t.start: (i, j) for i, toks in enumerate(sentences) for j, t in enumerate(toks)}
    ends = {t.end: (i, j) for i, toks in enumerate(sentences) for j, t in enumerate(toks)}
    types = {e.id: e.type for e in record.entities}
    kept, crossing = outermost_names(record)
    for m in crossing:
        notes.append(f"{record.id}: name {m.id} {m.text!r} crosses another name and is not tagged")
    for m in kept:
        first, last = starts.get(m.start), ends.get(m.end)
        if first is None or last is None or first[0] != last[0]:
            problems.append(
                f"{record.id}: name {m.id} {m.text!r} at [{m.start}:{m.end}] does not start and end on "
                "token boundaries inside one sentence"
            )
            continue
        sentence, j0 = first
        label = types[m.entity]
        tags[sentence][j0] = f"B-{label}"
        for j in range(j0 + 1, last[1] + 1):
            tags[sentence][j] = f"I-{label}"
    return tags


def export_conll(records: Sequence[Record], out_dir: Path) -> tuple[list[Path], list[str]]:
    """Write every record into one ``seccoop.conll`` file, articles in the order given."""
    problems: list[str] = []
    notes: list[str] = []
    lines: list[str] = []
    for record in records:
        sentences = sentence_tokens(record)
        tags = _tags(record, sentences, problems, notes)
        lines += [DOCSTART, ""]
        for toks, sentence_tags in zip(sentences, tags, strict=True):
            lines += [
                f"{t.text} {_PLACEHOLDER} {_PLACEHOLDER} {tag}"
                for t, tag in zip(toks, sentence_tags, strict=True)
            ]
            lines.append("")
    if problems:
        raise ConversionError(tuple(problems))
    path = out_dir / CONLL_FILE
    write_text_atomic(path, "".join(line + "\n" for line in lines))
    return [path], notes
