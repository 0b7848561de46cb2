"""`seccoop render` in a real browser: headless Chromium (the Debian package, installed by .ci/run)
opens a rendered page from the file system, runs its scripts, and the DOM is read back."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from seccoop.check.validate import validate_paths
from seccoop.record.models import Record
from seccoop.review.render import render_site

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "dataset" / "articles"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed: apt-get install -y chromium (.ci/run installs it)"
    return found


def _browser(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    command = [
        _chromium(),
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


class _Elements(HTMLParser):
    """Every start tag of a document, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def with_class(self, name: str) -> list[dict[str, str]]:
        return [a for _, a in self.elements if name in a.get("class", "").split()]


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def record() -> Record:
    """The corpus article with the most mentions (any corpus has one)."""
    return max(validate_paths([ARTICLES]).models, key=lambda r: (len(r.mentions), r.id))


def _cluster(record: Record) -> str:
    """The entity with the most mentions: the one whose hover highlight is checked."""
    counts = Counter(m.entity for m in record.mentions)
    return max(sorted(counts), key=lambda e: counts[e])


def test_rendered_page_in_chromium_shows_every_annotation_and_highlights_a_cluster(
    record: Record, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    render_site(ARTICLES, out)
    page = out / f"{record.id}.html"
    entity = _cluster(record)
    url = f"{page.as_uri()}#hover={entity}"

    static = _parse(page.read_text(encoding="utf-8"))
    assert static.with_class("cluster-hl") == []  # the highlight below comes from the page's script

    result = _browser(["--dump-dom", url], tmp_path / "profile")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = _parse(result.stdout)
    assert {id_ for id_ in (a.get("data-id") for a in dom.with_class("mention"))} == {
        m.id for m in record.mentions
    }
    assert {a["data-id"] for a in dom.with_class("trigger")} == {ev.id for ev in record.events}
    assert {a["data-quote"] for a in dom.with_class("quote-content")} == {q.id for q in record.quotes}
    assert {a["data-id"] for a in dom.with_class("value")} == {v.id for v in record.values}

    # hovering a mention (the page dispatches a real mouseover for #hover=) highlights its cluster
    highlighted = {a["data-id"] for a in dom.with_class("cluster-hl")}
    assert highlighted == {m.id for m in record.mentions if m.entity == entity}
    assert len(highlighted) > 1
    body = next(attrs for tag, attrs in dom.elements if tag == "body")
    assert body.get("data-active-entity") == entity

    # every event argument and every speaker links to an element of the page
    ids = {a.get("id") for _, a in dom.elements}
    targets = [a["data-target"] for a in dom.with_class("filler")]
    assert targets and set(targets) <= ids

    # layer toggles and a legend are there; unticking a toggle hides its layer
    toggles = {a.get("data-layer") for tag, a in dom.elements if tag == "input"}
    assert toggles == {"mentions", "values", "events", "quotes"}
    assert dom.with_class("legend")
    assert "hide-values" not in body.get("class", "")
    result = _browser(["--dump-dom", f"{page.as_uri()}#hide=values,quotes"], tmp_path / "profile")
    hidden = next(attrs for tag, attrs in _parse(result.stdout).elements if tag == "body")
    assert set(hidden.get("class", "").split()) == {"hide-values", "hide-quotes"}

    shot = tmp_path / "page.png"
    result = _browser([f"--screenshot={shot}", "--window-size=1280,2000", url], tmp_path / "profile")
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_index_in_chromium_lists_every_article_with_its_status(tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_site(ARTICLES, out)
    result = _browser(["--dump-dom", (out / "index.html").as_uri()], tmp_path / "profile")
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [a for tag, a in _parse(result.stdout).elements if tag == "tr" and "data-article" in a]
    records = validate_paths([ARTICLES]).models
    assert sorted(a["data-article"] for a in rows) == sorted(r.id for r in records)
    for r in records:
        assert f'<td class="status">{r.annotation.status}</td>' in result.stdout
