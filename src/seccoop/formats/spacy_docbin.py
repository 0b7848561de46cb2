"""spaCy export: one ``DocBin`` (``seccoop.spacy``) with a ``Doc`` per article.

spaCy is an optional extra: it is imported only here, when this format is asked for, and a
missing install raises :class:`~seccoop.formats._base.MissingExtraError` with the command that
fixes it. The ``Doc`` is built from the project's tokenizer (:mod:`seccoop.record.tokens`), with the
whitespace between tokens kept as spaCy keeps it (one trailing space on a token, any other
whitespace as a whitespace token), so ``doc.text == record.text`` and every offset carries
over. ``doc.ents`` holds the outermost NAM mentions (label: entity type, ``kb_id_``: Wikidata
QID); the span group ``mentions`` holds every mention, nested ones included (label: entity
type, ``id_``: the entity id, so clusters survive; ``kb_id_``: QID); the span group ``values``
holds the values (label: value type). Sentence starts follow the record's sentences, and
``doc.user_data["seccoop_id"]`` is the record id. No model is loaded: a plain ``Vocab`` is enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from seccoop.formats._base import ConversionError, MissingExtraError, outermost_names
from seccoop.record.models import Record
from seccoop.record.tokens import tokenize

__all__ = ["DOCBIN_FILE", "export_spacy", "words_and_spaces"]

DOCBIN_FILE = "seccoop.spacy"
INSTALL_HINT = "the spacy format needs spaCy, an optional dependency: pip install spacy"


def words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """Words and trailing-space flags for ``spacy.tokens.Doc`` that rebuild ``text`` exactly."""
    words: list[str] = []
    spaces: list[bool] = []
    position = 0

    def gap(until: int) -> None:
        stretch = text[position:until]
        if not stretch:
            return
        if words and not spaces[-1] and stretch[0] == " ":
            spaces[-1] = True
            stretch = stretch[1:]
        if stretch:
            words.append(stretch)
            spaces.append(False)

    for token in tokenize(text):
        gap(token.start)
        words.append(token.text)
        spaces.append(False)
        position = token.end
    gap(len(text))
    return words, spaces


def _doc(record: Record, vocab: Any, problems: list[str], notes: list[str]) -> Any:
    from spacy.tokens import Doc

    words, spaces = words_and_spaces(record.text)
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != record.text:  # pragma: no cover - words_and_spaces guarantees it
        problems.append(f"{record.id}: the spaCy Doc does not reproduce the text")
        return doc
    starts = {s.start for s in record.sentences}
    inside = [(s.start, s.end) for s in record.sentences]
    previous_inside = True
    for i, token in enumerate(doc):
        if token.is_space:
            token.is_sent_start = i == 0
            continue
        is_inside = any(a <= token.idx < b for a, b in inside)
        token.is_sent_start = i == 0 or token.idx in starts or (not is_inside and previous_inside)
        previous_inside = is_inside
    entities = {e.id: e for e in record.entities}

    def span(start: int, end: int, what: str, **kwargs: Any) -> Any:
        found = doc.char_span(start, end, **kwargs)
        if found is None:
            found = doc.char_span(start, end, alignment_mode="expand", **kwargs)
            widened = "nothing" if found is None else repr(found.text)
            notes.append(
                f"{record.id}: {what} [{start}:{end}] does not fall on token boundaries; the spaCy "
                f"span is widened to {widened}"
            )
        return found

    kept, crossing = outermost_names(record)
    for m in crossing:
        notes.append(f"{record.id}: name {m.id} {m.text!r} crosses another name and is not in doc.ents")
    ents = []
    for m in kept:
        e = entities[m.entity]
        ent = doc.char_span(m.start, m.end, label=e.type, kb_id=e.wikidata or "", span_id=e.id)
        if ent is None:
            problems.append(f"{record.id}: name {m.id} {m.text!r} does not fall on token boundaries")
        else:
            ents.append(ent)
    if not problems:
        doc.ents = ents
    doc.spans["mentions"] = [
        span(
            m.start,
            m.end,
            f"mention {m.id}",
            label=entities[m.entity].type,
            kb_id=entities[m.entity].wikidata or "",
            span_id=m.entity,
        )
        for m in record.mentions
    ]
    doc.spans["values"] = [span(v.start, v.end, f"value {v.id}", label=v.type) for v in record.values]
    doc.user_data["seccoop_id"] = record.id
    return doc


def export_spacy(records: Sequence[Record], out_dir: Path) -> tuple[list[Path], list[str]]:
    """Write every record as a ``Doc`` into one ``DocBin`` file, ``seccoop.spacy``."""
    try:
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab
    except ImportError as exc:
        raise MissingExtraError(INSTALL_HINT) from exc
    vocab = Vocab()
    problems: list[str] = []
    notes: list[str] = []
    docbin = DocBin(store_user_data=True)
    for record in records:
        docbin.add(_doc(record, vocab, problems, notes))
    if problems:
        raise ConversionError(tuple(problems))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / DOCBIN_FILE
    tmp = out_dir / f".{DOCBIN_FILE}.tmp"
    tmp.write_bytes(docbin.to_bytes())
    tmp.replace(path)
    return [path], notes
