"""``seccoop render``: a static HTML viewer of the records, for reviewers.

An index page (statistics and annotation status per article) and one page per article: the text
with mentions coloured by entity type (hovering a mention highlights its whole cluster), values,
event triggers and quotes (content and cue) in place; tables of the events (type, mode, realis,
arguments linked to their fillers), quotes (content, cue, speaker), values and clusters; a legend
and a toggle per layer. Everything is inline (CSS and a few lines of JavaScript): no server, no
network, no CDN. Every annotated element carries data attributes (``data-id``, ``data-entity``,
``data-type``, ``data-quote``) so that tests and scripts can read the page. Opening a page with
``#hover=<entity id>`` highlights that cluster as hovering would, and ``#hide=values,quotes`` unticks
those layer toggles (both used for screenshots and tests).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path

from seccoop.check.validate import validate_paths
from seccoop.record.io import write_text_atomic
from seccoop.record.models import EntityArgument, Quote, Record, ValueArgument
from seccoop.record.ontology import load_ontology
from seccoop.review._common import ReviewError, problem

__all__ = ["render_article", "render_index", "render_site"]

_PALETTE = (
    "#f4a6a6",
    "#a6c8f4",
    "#a6f4b5",
    "#f4e1a6",
    "#d7a6f4",
    "#a6f4ee",
    "#f4c6a6",
    "#c9d1a6",
    "#e6b8d0",
)

_CSS = "\n".join(
    (
        "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}",
        "h1{font-size:1.4rem}",
        "table{border-collapse:collapse;margin:1rem 0}",
        "td,th{border:1px solid #ccc;padding:.2rem .5rem;vertical-align:top;text-align:left}",
        "th{background:#f3f3f3}",
        ".text{white-space:pre-wrap;line-height:2.1;font-size:1.05rem}",
        ".text{border:1px solid #ddd;padding:1rem;background:#fff}",
        ".mention{border-radius:3px;padding:0 1px;cursor:pointer}",
        ".mention.cluster-hl{outline:2px solid #c00;box-shadow:0 0 0 3px #fdd}",
        ".value,.legend-value{border-bottom:3px double #2a7}",
        ".trigger,.legend-trigger{font-weight:bold;border-bottom:3px solid #d60;}",
        ".quote-content,.legend-quote{background:rgba(255,235,120,.35)}",
        ".cue,.legend-cue{text-decoration:underline wavy #a0a}",
        ".legend span.swatch{display:inline-block;padding:0 .4rem;margin:.1rem;border-radius:3px}",
        ".controls label{margin-right:1rem}",
        ".status{font-weight:bold}",
        "body.hide-mentions .mention{background:none!important;outline:none;box-shadow:none}",
        "body.hide-values .value{border-bottom:none}",
        "body.hide-events .trigger{font-weight:normal;border-bottom:none}",
        "body.hide-quotes .quote-content{background:none}",
        "body.hide-quotes .cue{text-decoration:none}",
        "a.filler{color:#036}",
        "tr.target{background:#ffd}",
    )
)

_SCRIPT = """
(function(){
  function clear(){document.querySelectorAll('.cluster-hl').forEach(function(e){
    e.classList.remove('cluster-hl');});
    document.body.removeAttribute('data-active-entity');}
  function highlight(entity){clear();document.body.setAttribute('data-active-entity',entity);
    document.querySelectorAll('.mention[data-entity="'+entity+'"]').forEach(function(e){e.classList.add('cluster-hl');});}
  document.querySelectorAll('.mention').forEach(function(m){
    m.addEventListener('mouseover',function(ev){ev.stopPropagation();highlight(m.getAttribute('data-entity'));});
    m.addEventListener('mouseout',clear);});
  document.querySelectorAll('input[data-layer]').forEach(function(box){
    box.addEventListener('change',function(){document.body.classList.toggle('hide-'+box.getAttribute('data-layer'),
      !box.checked);});});
  var h=/hide=([a-z,]+)/.exec(location.hash);
  if(h){h[1].split(',').forEach(function(layer){
    var box=document.querySelector('input[data-layer="'+layer+'"]');
    if(box){box.checked=false;box.dispatchEvent(new Event('change'));}});}
  var m=/hover=([A-Za-z0-9_-]+)/.exec(location.hash);
  if(m){var first=document.querySelector('.mention[data-entity="'+m[1]+'"]');
    if(first){first.dispatchEvent(new MouseEvent('mouseover',{bubbles:true}));}}
})();
"""


@dataclass(order=True, frozen=True)
class _Tag:
    start: int
    neg_end: int
    order: int
    open: str
    close: str

    @property
    def end(self) -> int:
        return -self.neg_end


def _nest(text: str, tags: list[_Tag]) -> str:
    """Text with the tags inserted as properly nested elements; a tag that crosses an open one is
    split at the crossing (both pieces carry the same attributes)."""
    heap = list(tags)
    heapq.heapify(heap)
    out: list[str] = []
    stack: list[_Tag] = []
    pos = 0
    while heap:
        tag = heapq.heappop(heap)
        while stack and stack[-1].end <= tag.start:
            top = stack.pop()
            out.append(escape(text[pos : top.end]) + top.close)
            pos = top.end
        out.append(escape(text[pos : tag.start]))
        pos = tag.start
        if stack and tag.end > stack[-1].end:
            limit = stack[-1].end
            heapq.heappush(
                heap,
                _Tag(
                    limit,
                    tag.neg_end,
                    tag.order,
                    tag.open.replace("<span ", '<span data-part="2" ', 1),
                    tag.close,
                ),
            )
            tag = _Tag(tag.start, -limit, tag.order, tag.open, tag.close)
        if tag.start == tag.end:
            continue
        out.append(tag.open)
        stack.append(tag)
    while stack:
        top = stack.pop()
        out.append(escape(text[pos : top.end]) + top.close)
        pos = top.end
    out.append(escape(text[pos:]))
    return "".join(out)


def _colours() -> dict[str, str]:
    return {t: _PALETTE[i % len(_PALETTE)] for i, t in enumerate(load_ontology().entity_types)}


def _page(title: str, body: str, body_attrs: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body{body_attrs}>\n{body}\n<script>{_SCRIPT}</script></body></html>\n"
    )


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _open(element: str, attrs: Mapping[str, object]) -> str:
    """An opening tag with escaped attributes (None values left out)."""
    rendered = " ".join(f'{k}="{_attr(v)}"' for k, v in attrs.items() if v is not None)
    return f"<{element} {rendered}>"


def _table(cls: str, header: tuple[str, ...], rows: list[str]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    return f'<table class="{cls}"><tr>{head}</tr>{"".join(rows)}</table>'


def _cells(*cells: str) -> str:
    return "".join(f"<td>{c}</td>" for c in cells)


def _link(target: str, label: str) -> str:
    return (
        _open("a", {"class": "filler", "href": f"#{target}", "data-target": target}) + f"{escape(label)}</a>"
    )


def _text_tags(record: Record) -> list[_Tag]:
    colours = _colours()
    entities = {e.id: e for e in record.entities}
    tags: list[_Tag] = []
    for q in record.quotes:
        for span in q.content:
            attrs = {
                "class": "quote-content",
                "data-quote": q.id,
                "data-kind": q.kind,
                "title": f"quote {q.id}",
            }
            tags.append(_Tag(span.start, -span.end, 0, _open("span", attrs), "</span>"))
        if q.cue is not None:
            attrs = {"class": "cue", "data-quote": q.id, "title": f"cue of {q.id}"}
            tags.append(_Tag(q.cue.start, -q.cue.end, 1, _open("span", attrs), "</span>"))
    for m in record.mentions:
        entity = entities.get(m.entity)
        etype = entity.type if entity else "?"
        attrs = {
            "class": f"mention type-{etype} kind-{m.kind}",
            "id": m.id,
            "data-id": m.id,
            "data-entity": m.entity,
            "data-type": etype,
            "style": f"background:{colours.get(etype, '#ddd')}",
            "title": f"{m.id}: {entity.name if entity else m.entity} ({etype}, {m.kind})",
        }
        tags.append(_Tag(m.start, -m.end, 2, _open("span", attrs), "</span>"))
    for v in record.values:
        attrs = {
            "class": "value",
            "id": v.id,
            "data-id": v.id,
            "data-type": v.type,
            "title": f"{v.type} {v.normalized}",
        }
        tags.append(_Tag(v.start, -v.end, 3, _open("span", attrs), "</span>"))
    for ev in record.events:
        attrs = {
            "class": "trigger",
            "data-id": ev.id,
            "data-event-type": ev.type,
            "data-realis": ev.realis,
            "title": f"{ev.id}: {ev.type} ({ev.realis})",
        }
        link = _open("a", {"class": "trigger-link", "href": f"#row-{ev.id}"})
        tags.append(_Tag(ev.trigger.start, -ev.trigger.end, 4, _open("span", attrs) + link, "</a></span>"))
    return tags


def render_article(record: Record) -> str:
    """The HTML page of one article."""
    colours = _colours()
    entities = {e.id: e for e in record.entities}
    mentions = {m.id: m for m in record.mentions}
    values = {v.id: v for v in record.values}
    text_html = _nest(record.text, _text_tags(record))

    def filler(argument: EntityArgument | ValueArgument) -> str:
        if isinstance(argument, EntityArgument):
            m = mentions.get(argument.mention)
            return _link(argument.mention, m.text if m else argument.mention)
        v = values.get(argument.value)
        return _link(argument.value, v.text if v else argument.value)

    def speaker(q: Quote) -> str:
        name = entities[q.speaker].name if q.speaker in entities else str(q.speaker or "—")
        return _link(q.speaker_mention, name) if q.speaker_mention else escape(name)

    used = [t for t in colours if any(e.type == t for e in record.entities)]
    legend = " ".join(f'<span class="swatch" style="background:{colours[t]}">{t}</span>' for t in used)
    legend += (
        ' <span class="swatch legend-value">value</span>'
        ' <span class="swatch legend-trigger">event trigger</span>'
        ' <span class="swatch legend-quote">quote content</span> <span class="swatch legend-cue">cue</span>'
    )
    controls = " ".join(
        f'<label><input type="checkbox" checked data-layer="{layer}"> {layer}</label>'
        for layer in ("mentions", "values", "events", "quotes")
    )
    event_rows = [
        f'<tr id="row-{_attr(ev.id)}">'
        + _cells(
            escape(ev.id),
            escape(ev.trigger.text),
            ev.type,
            escape(ev.mode or ""),
            ev.realis,
            escape(", ".join(ev.context)),
            "<br>".join(f"{escape(a.role)}: {filler(a)}" for a in ev.arguments),
        )
        + "</tr>"
        for ev in record.events
    ]
    quote_rows = [
        "<tr>"
        + _cells(
            escape(q.id),
            q.kind,
            escape(" … ".join(s.text for s in q.content)),
            escape(q.cue.text) if q.cue else "—",
            speaker(q),
        )
        + "</tr>"
        for q in record.quotes
    ]
    value_rows = [
        "<tr>" + _cells(escape(v.id), escape(v.text), v.type, escape(v.normalized or "—")) + "</tr>"
        for v in record.values
    ]
    counts = Counter(m.entity for m in record.mentions)
    entity_rows = [
        f'<tr data-entity="{_attr(e.id)}">'
        + _cells(escape(e.id), escape(e.name), e.type, escape(e.sector or ""), escape(e.wikidata or ""))
        + f"<td>{counts[e.id]}</td></tr>"
        for e in record.entities
    ]
    meta = " · ".join(
        f"{name}: {escape(str(getattr(record, name)))}"
        for name in ("title", "publisher", "byline", "published", "url")
        if getattr(record, name) is not None
    )
    status = record.annotation.status
    parts = [
        '<p><a href="index.html">← all articles</a></p>',
        f"<h1>{escape(record.id)}</h1>",
        f'<p>status: <span class="status" data-status="{status}">{status}</span>'
        f" · source: {escape(record.source.path)}{' · ' + meta if meta else ''}</p>",
        f'<p class="legend">{legend}</p>',
        f'<p class="controls">show: {controls}</p>',
        f'<div class="text" id="text">{text_html}</div>',
        f"<h2>Events ({len(record.events)})</h2>",
        _table("events", ("id", "trigger", "type", "mode", "realis", "context", "arguments"), event_rows),
        f"<h2>Quotes ({len(record.quotes)})</h2>",
        _table("quotes", ("id", "kind", "content", "cue", "speaker"), quote_rows),
        f"<h2>Values ({len(record.values)})</h2>",
        _table("values", ("id", "text", "type", "normalized"), value_rows),
        f"<h2>Clusters ({len(record.entities)})</h2>",
        _table("entities", ("id", "name", "type", "sector", "Wikidata", "mentions"), entity_rows),
    ]
    return _page(record.id, "\n".join(parts), f' data-article="{_attr(record.id)}"')


def render_index(records: list[Record], note: str = "") -> str:
    """The index page: one row of statistics and the status per article."""
    layers = ("entities", "mentions", "values", "events", "quotes")
    rows = [
        f'<tr data-article="{_attr(r.id)}"><td><a href="{_attr(r.id)}.html">{escape(r.id)}</a></td>'
        f'<td class="status">{r.annotation.status}</td><td>{len(r.text)}</td>'
        + "".join(f"<td>{len(getattr(r, layer))}</td>" for layer in layers)
        + "</tr>"
        for r in records
    ]
    totals = [sum(len(r.text) for r in records)] + [sum(len(getattr(r, x)) for r in records) for x in layers]
    rows.append("<tr><th>all</th><th></th>" + "".join(f"<th>{n}</th>" for n in totals) + "</tr>")
    header = ("article", "status", "characters", "clusters", "mentions", "values", "events", "quotes")
    body = f"<h1>SecCoop News: {len(records)} article(s)</h1>"
    body += f"<p>{escape(note)}</p>" if note else ""
    return _page("SecCoop News", body + _table("index", header, rows))


def render_site(articles: Path, out: Path, *, changed_from: str | None = None) -> list[Path]:
    """Write index.html and one page per article to ``out``; return the files written.

    With ``changed_from`` (a git revision), only the articles whose annotations changed since then.
    Raises `ReviewError` if the records have errors or the revision cannot be read.
    """
    report = validate_paths([articles])
    if report.errors:
        raise ReviewError(report.errors)
    if not report.records:
        raise problem("bad-input", f"no records in {articles}", file=str(articles))
    records = sorted(report.models, key=lambda r: r.id)
    note = ""
    if changed_from is not None:
        from seccoop.review.diff import diff_revisions

        changed = {c.article for c in diff_revisions(f"{changed_from}..", articles)}
        records = [r for r in records if r.id in changed]
        note = f"Only the articles changed since {changed_from}."
    if out.exists() and not out.is_dir():
        raise problem("bad-input", f"{out} exists and is not a folder", file=str(out))
    written = []
    for record in records:
        path = out / f"{record.id}.html"
        write_text_atomic(path, render_article(record))
        written.append(path)
    index = out / "index.html"
    write_text_atomic(index, render_index(records, note))
    written.append(index)
    return written
