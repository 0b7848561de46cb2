"""Small file helpers shared by the commands that write files: atomic writes only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["splice", "write_text_atomic"]


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def splice(document: str, begin: str, end: str, content: str) -> str:
    """Replace what stands between the marker lines ``begin`` and ``end`` of ``document``.

    Used for generated blocks inside hand-written Markdown (the README's statistics, the table of
    AGREEMENT.md). Raises ValueError when a marker is missing.
    """
    head, found_begin, rest = document.partition(begin)
    _, found_end, tail = rest.partition(end)
    if not (found_begin and found_end):
        raise ValueError(f"markers {begin!r} ... {end!r} not found")
    return f"{head}{begin}\n{content}{end}{tail}"
