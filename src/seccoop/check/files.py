"""The file layer: which paths are records, and whether a file may be read (no symlink out of
the corpus).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from seccoop.check.diagnostics import (
    Finding,
    finding,
)


def corpus_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path``'s folder that holds a ``seeds/`` folder."""
    start = path.absolute().parent
    for folder in (start, *start.parents):
        if (folder / "seeds").is_dir():
            return folder
    return None


def inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def unsafe_link(path: Path) -> bool:
    """A symlink (at the file or a folder on its way) whose target leaves the corpus."""
    if not path.is_symlink():
        return False
    anchor = corpus_root(path) or path.absolute().parent
    return not inside(path, anchor)


def safe_target(path: Path) -> str:
    try:
        return str(path.readlink())
    except OSError:
        return "an unreadable target"


def expand_paths(paths: Sequence[Path]) -> tuple[list[Path], list[Finding]]:
    files: list[Path] = []
    findings: list[Finding] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            found = sorted(path.glob("*.json"))
            if not found:
                findings.append(finding("io-error", f"folder {path} holds no *.json records", file=str(path)))
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            findings.append(finding("io-error", f"{path} does not exist", file=str(path)))
    return files, findings
