"""``seccoop new``: scaffold a record (or an anchor draft) for a new seed text.

The scaffold holds the text, the seed's path and SHA-256, proposed sentences (to be checked by
hand), no zones, empty annotation layers and ``status: draft``. Nothing existing is overwritten.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from seccoop.check.files import corpus_root
from seccoop.record.anchor import split_sentences
from seccoop.record.canonical import canonical_text
from seccoop.record.io import write_text_atomic
from seccoop.record.models import Record
from seccoop.review._common import problem

__all__ = ["Scaffold", "scaffold"]

Scaffold = tuple[Path, str]


def _slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def _empty(record_id: str, seed_path: str, sha256: str) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": record_id,
        "source": {"path": seed_path, "sha256": sha256},
        "title": None,
        "publisher": None,
        "byline": None,
        "published": None,
        "url": None,
    }


_LAYERS: dict[str, Any] = {
    "zones": [],
    "entities": [],
    "mentions": [],
    "non_mentions": [],
    "values": [],
    "events": [],
    "quotes": [],
}


def scaffold(
    seed: Path, out: Path | None = None, *, draft: bool = False, record_id: str | None = None
) -> Scaffold:
    """Write the scaffold for ``seed``; return (path written, its id). Raises `ReviewError`.

    Without ``out`` the record goes to ``dataset/articles/<id>.json`` under the corpus root (the
    folder holding seeds/); with ``draft`` it is an anchor draft (spans given by their surface,
    ``"sentences": "auto"``) for ``seccoop anchor``.
    """
    where = str(seed)
    root = corpus_root(seed)
    if seed.suffix != ".txt" or root is None or seed.absolute().parent != root / "seeds":
        raise problem(
            "bad-input",
            f"{seed} is not a .txt file directly in a seeds/ folder",
            file=where,
            hint="Put the article text in seeds/<name>.txt (never edit an existing seed).",
        )
    try:
        raw = seed.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise problem("io-error", f"cannot read {seed}: {exc.strerror or exc}", file=where) from None
    except UnicodeDecodeError as exc:
        raise problem(
            "encoding-error", f"{seed} is not UTF-8: {exc.reason} at byte {exc.start}", file=where
        ) from None
    rid = record_id or _slug(seed.stem)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rid):
        raise problem(
            "bad-input", f"{rid!r} is not a valid record id (a slug such as my-article)", file=where
        )
    seed_path = f"seeds/{seed.name}"
    data = _empty(rid, seed_path, hashlib.sha256(raw).hexdigest())
    annotation: dict[str, Any] = {"annotators": [], "adjudicator": None, "status": "draft", "notes": []}
    if draft:
        target = out or root / "drafts" / f"{rid}.draft.json"
        body = {
            **data,
            "zones": [],
            "sentences": "auto",
            **{k: v for k, v in _LAYERS.items() if k != "zones"},
        }
        del body["source"]["sha256"]
        body["annotation"] = annotation
        content = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    else:
        target = out or root / "dataset" / "articles" / f"{rid}.json"
        sentences = split_sentences(text, [])
        record = Record.model_validate(
            {
                **data,
                "text": text,
                "zones": [],
                "sentences": sentences,
                **{k: v for k, v in _LAYERS.items() if k != "zones"},
                "annotation": annotation,
            }
        )
        content = canonical_text(record)
    if target.exists() or target.is_symlink():
        raise problem(
            "would-overwrite", f"{target} exists; seccoop new never overwrites a file", file=str(target)
        )
    try:
        write_text_atomic(target, content)
    except OSError as exc:
        raise problem("io-error", f"cannot write {target}: {exc.strerror or exc}", file=str(target)) from None
    return target, rid
