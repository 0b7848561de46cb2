"""The file layer: which paths are records, and whether a file may be read (no symlink out of
the corpus at any level, regular files only, bounded size).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from seccoop.check.diagnostics import (
    Finding,
    finding,
)


@lru_cache(maxsize=256)
def _root_of_folder(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        try:
            if (candidate / "seeds").is_dir():
                return candidate
        except OSError:
            continue
    return None


@lru_cache(maxsize=1024)
def _resolved_folder(folder: Path) -> Path:
    return folder.resolve()


def resolved(path: Path) -> Path:
    """``path.resolve()``, resolving each folder once per run: a path whose last part is not a
    link resolves to its folder's resolution plus its name. (Raises what ``resolve`` raises.)"""
    if path.name in ("", ".", "..") or path.is_symlink():
        return path.resolve()
    return _resolved_folder(path.absolute().parent) / path.name


def clear_caches() -> None:
    """Forget resolved folders and corpus roots (a new run may see a changed tree)."""
    _resolved_folder.cache_clear()
    _root_of_folder.cache_clear()


def corpus_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path``'s folder that holds a ``seeds/`` folder."""
    try:
        return _root_of_folder(path.absolute().parent)
    except OSError:
        return None


def inside(child: Path, parent: Path) -> bool:
    """Whether ``child``, with every link resolved, lies inside ``parent`` (resolved)."""
    try:
        resolved(child).relative_to(_resolved_folder(parent))
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def unsafe_link(path: Path, anchor: Path | None = None) -> bool:
    """A symlink, at the file or any folder on its way, whose target leaves ``anchor``.

    ``anchor`` defaults to the corpus root (the folder holding ``seeds/``), else the file's own
    folder. Links that stay inside are fine; the check costs one ``resolve`` per file.
    """
    base = anchor or corpus_root(path) or path.absolute().parent
    absolute = path.absolute()
    try:
        absolute.relative_to(base.absolute())
    except ValueError:
        # the path names the file from elsewhere (../x.json): only a link at the file counts
        return path.is_symlink() and not inside(path, path.absolute().parent)
    return not inside(path, base)


def safe_target(path: Path) -> str:
    """Where a link points, for a message; never raises."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return "an unreadable target"


def expand_paths(paths: Sequence[Path]) -> tuple[list[Path], list[Finding]]:
    """The record files named by ``paths`` (folders give their ``*.json``), and io findings."""
    files: list[Path] = []
    findings: list[Finding] = []
    for path in paths:
        try:
            is_folder = path.is_dir() and not path.is_symlink()
            exists = path.exists() or path.is_symlink()
        except OSError as exc:
            findings.append(finding("io-error", f"cannot read {path}: {exc.strerror or exc}", file=str(path)))
            continue
        if is_folder:
            try:
                found = sorted(path / name for name in os.listdir(path) if name.endswith(".json"))
            except OSError as exc:
                findings.append(
                    finding("io-error", f"cannot list {path}: {exc.strerror or exc}", file=str(path))
                )
                continue
            if not found:
                findings.append(finding("io-error", f"folder {path} holds no *.json records", file=str(path)))
            files.extend(found)
        elif exists:
            files.append(path)
        else:
            findings.append(finding("io-error", f"{path} does not exist", file=str(path)))
    return files, findings
