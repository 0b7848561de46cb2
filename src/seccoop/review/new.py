"""``seccoop new``: scaffold a record (or an anchor draft) for a new seed text.

The scaffold holds the text, the seed's path and SHA-256, proposed zones and sentences (to be
checked by hand), empty annotation layers and ``status: draft``. Nothing existing is overwritten.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from seccoop.check.files import corpus_root
from seccoop.record.anchor import occurrence_of, split_sentences
from seccoop.record.canonical import canonical_text
from seccoop.record.io import write_text_atomic
from seccoop.record.models import Record
from seccoop.review._common import problem

__all__ = ["Scaffold", "propose_zones", "scaffold"]

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


_BOILERPLATE = frozenset({"contact us", "subscribe", "keep reading", "advertisement", "share", "read more"})
_DATELINE = re.compile(r"^(?:published|updated|date)\b", re.IGNORECASE)


def propose_zones(text: str) -> list[tuple[int, int, str]]:
    """Zones to check by hand: page furniture (boilerplate), a "Published ..." line (dateline) and
    a first short line without final punctuation (headline), among the first lines of the text."""
    zones: list[tuple[int, int, str]] = []
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    for index, line in enumerate(lines[:8]):
        content = line.group().strip()
        start = line.start() + line.group().index(content)
        span = (start, start + len(content))
        if content.lower() in _BOILERPLATE:
            zones.append((*span, "boilerplate"))
        elif _DATELINE.match(content) and len(content) < 60:
            zones.append((*span, "dateline"))
        elif (
            not any(kind == "headline" for _, _, kind in zones)
            and index < len(lines) - 1
            and len(content) <= 150
            and content[-1] not in '.!?:"”’'
        ):
            zones.append((*span, "headline"))
    return zones


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
        zones = [
            {"kind": kind, "text": text[a:b], "occurrence": occurrence_of(text, a, b)}
            for a, b, kind in propose_zones(text)
        ]
        body = {
            **data,
            "zones": zones,
            "sentences": "auto",
            **{k: v for k, v in _LAYERS.items() if k != "zones"},
        }
        del body["source"]["sha256"]
        body["annotation"] = annotation
        content = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    else:
        target = out or root / "dataset" / "articles" / f"{rid}.json"
        proposed = propose_zones(text)
        skip = [(a, b) for a, b, kind in proposed if kind == "boilerplate"]
        sentences = split_sentences(text, skip, [(a, b) for a, b, kind in proposed if kind != "boilerplate"])
        zones = [{"kind": kind, "start": a, "end": b, "text": text[a:b]} for a, b, kind in proposed]
        record = Record.model_validate(
            {
                **data,
                "text": text,
                "zones": zones,
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
