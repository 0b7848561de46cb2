"""Project metadata for the card and Croissant, from one place: ``pyproject.toml`` and CHANGELOG.md.

Links (homepage, repository, contact) are the ``[project.urls]`` of ``pyproject.toml``; a link
that is not set there is omitted, never guessed. The oldest supported `datasets` is the ``X`` of
the runtime dependency ``datasets>=X``. The release date is the date of CHANGELOG.md's top
versioned section, ``## [X.Y.Z] - YYYY-MM-DD``; a section not yet released says so instead of a
date (``## [X.Y.Z] - not yet tagged``), and the card's citation then has no year.

`release_drift` is the release rule that ``seccoop build --check`` enforces: the package version
(``seccoop.__version__``), the top versioned section of CHANGELOG.md, the card and the Croissant
file name the same version.

Outside a source checkout (an installed wheel) the same facts come from the installed
distribution's metadata, and the changelog is absent.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CARD_VERSION",
    "CHANGELOG_VERSION",
    "ProjectMetadata",
    "changelog_changes",
    "changelog_release",
    "project_metadata",
    "release_drift",
]

_CHECKOUT = Path(__file__).resolve().parents[3]
# "## [1.2.0] - 2026-12-01" or "## [1.2.0] - not yet tagged"; "## [Unreleased]" is skipped.
CHANGELOG_VERSION = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\](?: - (?P<rest>.*))?$", re.MULTILINE)
# The card states its version in one line of its summary, which this reads back.
CARD_VERSION = re.compile(r"^\*\*Version:\*\* (\S+?)[.,;]?(?: |$)", re.MULTILINE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FLOOR = re.compile(r"^datasets\s*>=\s*(?P<version>[0-9][0-9.]*)")


@dataclass(frozen=True)
class ProjectMetadata:
    """What the card may state about the project beyond the records."""

    version: str
    urls: dict[str, str] = field(default_factory=dict)
    datasets_floor: str | None = None
    changelog_version: str | None = None
    release_date: str | None = None
    changes: tuple[str, ...] = ()
    """The subsection headings of the top versioned CHANGELOG section: what this version changed."""

    @property
    def year(self) -> str | None:
        """The release year, from the CHANGELOG's release date; None before the release."""
        return self.release_date[:4] if self.release_date else None


def changelog_release(text: str) -> tuple[str | None, str | None]:
    """(version, date) of the top versioned section of a changelog; date None if not released."""
    match = CHANGELOG_VERSION.search(text)
    if match is None:
        return None, None
    rest = (match.group("rest") or "").strip()
    return match.group("version"), rest if _DATE.match(rest) else None


def changelog_changes(text: str) -> tuple[str, ...]:
    """The ``### `` headings of the top versioned section of a changelog, in order."""
    match = CHANGELOG_VERSION.search(text)
    if match is None:
        return ()
    section = text[match.end() :]
    following = re.search(r"^## ", section, flags=re.MULTILINE)
    if following is not None:
        section = section[: following.start()]
    return tuple(h.strip() for h in re.findall(r"^### (.+)$", section, flags=re.MULTILINE))


def _floor(dependencies: list[str]) -> str | None:
    for dep in dependencies:
        match = _FLOOR.match(dep.strip())
        if match:
            return match.group("version")
    return None


def project_metadata(root: Path | None = None) -> ProjectMetadata:
    """The metadata of the source checkout at ``root`` (default: the one this package runs from)."""
    from seccoop import __version__

    root = root or _CHECKOUT
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        urls = {str(k): str(v) for k, v in project.get("urls", {}).items()}
        floor = _floor(list(project.get("dependencies", [])))
    else:
        urls, floor = _installed()
    changelog = root / "CHANGELOG.md"
    changelog_text = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    version, date = changelog_release(changelog_text) if changelog_text else (None, None)
    changes = changelog_changes(changelog_text)
    return ProjectMetadata(
        version=__version__,
        urls=urls,
        datasets_floor=floor,
        changelog_version=version,
        release_date=date,
        changes=changes,
    )


def _installed() -> tuple[dict[str, str], str | None]:
    from importlib import metadata

    try:
        dist = metadata.distribution("seccoop")
    except metadata.PackageNotFoundError:
        return {}, None
    urls = {}
    for entry in dist.metadata.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls[label.strip()] = url.strip()
    return urls, _floor(list(dist.requires or []))


def release_drift(hf_dir: Path, root: Path | None = None) -> list[str]:
    """How the package version, CHANGELOG.md, the card and Croissant disagree, as "file: reason".

    The card and Croissant are named relative to ``hf_dir``, as `check_build` names them.
    """
    meta = project_metadata(root)
    problems: list[str] = []
    if meta.changelog_version is None:
        problems.append(
            "CHANGELOG.md: no versioned section '## [X.Y.Z] - YYYY-MM-DD' (or '- not yet tagged')"
        )
    elif meta.changelog_version != meta.version:
        problems.append(
            f"CHANGELOG.md: top versioned section is {meta.changelog_version}, "
            f"seccoop.__version__ is {meta.version}"
        )
    card = hf_dir / "README.md"
    if card.is_file():
        match = CARD_VERSION.search(card.read_text(encoding="utf-8"))
        stated = match.group(1) if match else None
        if stated != meta.version:
            problems.append(f"README.md: version is {stated}, seccoop.__version__ is {meta.version}")
    croissant = hf_dir / "croissant.json"
    if croissant.is_file():
        try:
            stated = json.loads(croissant.read_text(encoding="utf-8")).get("version")
        except ValueError:
            stated = None
        if stated != meta.version:
            problems.append(f"croissant.json: version is {stated}, seccoop.__version__ is {meta.version}")
    return problems
