"""Inter-annotator agreement between two independent passes over the same articles.

Per layer, agreement is the F1 of one pass against the other (symmetric): mention spans (and
spans with type and kind), value spans (and with type and normalization), event triggers (and
with type), event arguments (role and filler, crediting any mention of the same entity), quote
content spans, cues, speakers (entity-level, on quotes matched by content overlap) and entity
clusters (B-cubed and MUC F1 on the mentions both passes share). The per-article lists of
disagreements drive adjudication.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seccoop.bench.score.measures import entity_spans
from seccoop.record.io import splice
from seccoop.record.models import EntityArgument, Record

__all__ = [
    "ArticleAgreement",
    "LayerAgreement",
    "compare_folders",
    "compare_records",
    "pool",
    "render_markdown",
    "splice_table",
    "to_json",
]


@dataclass(frozen=True)
class LayerAgreement:
    """Counts for one layer: items in pass A, in pass B, and matched."""

    layer: str
    a: int
    b: int
    matched: int

    @property
    def f1(self) -> float:
        """2·matched / (a + b); 1.0 when both passes are empty."""
        return 1.0 if self.a + self.b == 0 else 2 * self.matched / (self.a + self.b)


@dataclass(frozen=True)
class ArticleAgreement:
    """All layers of one article, with what only one pass has."""

    id: str
    layers: tuple[LayerAgreement, ...]
    disagreements: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def _set_layer(
    name: str,
    a: Iterable[Hashable],
    b: Iterable[Hashable],
    show: Callable[[Any], str],
    out: dict[str, tuple[list[str], list[str]]],
) -> LayerAgreement:
    sa, sb = set(a), set(b)
    out[name] = (sorted(show(x) for x in sa - sb), sorted(show(x) for x in sb - sa))
    return LayerAgreement(name, len(sa), len(sb), len(sa & sb))


def _arguments(
    record: Record,
) -> list[tuple[tuple[int, int], str, frozenset[tuple[int, int]], str]]:
    spans = entity_spans(record)
    values = {v.id: (v.start, v.end) for v in record.values}
    mentions = {m.id: m for m in record.mentions}
    out = []
    for event in record.events:
        trigger = (event.trigger.start, event.trigger.end)
        for arg in event.arguments:
            if isinstance(arg, EntityArgument):
                m = mentions.get(arg.mention)
                label = m.text if m else arg.entity
                out.append((trigger, arg.role, spans.get(arg.entity, frozenset()), label))
            else:
                out.append((trigger, arg.role, frozenset({values.get(arg.value, (-1, -1))}), arg.value))
    return out


def _match_arguments(record_a: Record, record_b: Record) -> tuple[LayerAgreement, list[str], list[str]]:
    """Greedy one-to-one matching: same trigger span, same role, fillers sharing a span."""
    args_a, args_b = _arguments(record_a), _arguments(record_b)
    used: set[int] = set()
    only_a = []
    for trig, role, fill, label in args_a:
        hit = next(
            (
                j
                for j, (t2, r2, f2, _) in enumerate(args_b)
                if j not in used and t2 == trig and r2 == role and fill & f2
            ),
            None,
        )
        if hit is None:
            only_a.append(f"{record_a.text[trig[0] : trig[1]]} {role}={label}")
        else:
            used.add(hit)
    only_b = [
        f"{record_b.text[t[0] : t[1]]} {r}={lab}" for j, (t, r, _, lab) in enumerate(args_b) if j not in used
    ]
    return (
        LayerAgreement("event arguments", len(args_a), len(args_b), len(used)),
        sorted(only_a),
        sorted(only_b),
    )


def _speakers(record_a: Record, record_b: Record) -> tuple[LayerAgreement, list[str], list[str]]:
    """Speaker agreement on quotes matched one to one by overlapping content.

    Pairs are taken greedily by content overlap, and among equal overlaps agreeing speakers
    first (two passes that both split "A and B emphasized that ..." into two quotes agree).
    """
    spans_a, spans_b = entity_spans(record_a), entity_spans(record_b)
    names_a = {e.id: e.name for e in record_a.entities}
    names_b = {e.id: e.name for e in record_b.entities}

    def speaker_spans(
        spans: dict[str, frozenset[tuple[int, int]]], sid: str | None
    ) -> frozenset[tuple[int, int]] | None:
        return spans.get(sid, frozenset()) if sid else None

    def agree(qa: Any, qb: Any) -> bool:
        sa, sb = speaker_spans(spans_a, qa.speaker), speaker_spans(spans_b, qb.speaker)
        return (sa is None and sb is None) or (sa is not None and sb is not None and bool(sa & sb))

    pairs = []
    for i, qa in enumerate(record_a.quotes):
        for j, qb in enumerate(record_b.quotes):
            overlap = sum(
                max(0, min(x.end, y.end) - max(x.start, y.start)) for x in qa.content for y in qb.content
            )
            if overlap:
                pairs.append((-overlap, not agree(qa, qb), i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = agreeing = 0
    diffs_a, diffs_b = [], []
    for _, disagree, i, j in sorted(pairs):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        matched += 1
        if not disagree:
            agreeing += 1
            continue
        qa, qb = record_a.quotes[i], record_b.quotes[j]
        snippet = qa.content[0].text[:40]
        diffs_a.append(f"{snippet!r}: {names_a.get(qa.speaker or '')}")
        diffs_b.append(f"{snippet!r}: {names_b.get(qb.speaker or '')}")
    # Agreeing attributions over matched quotes, counted on both sides: an accuracy.
    return LayerAgreement("quote speakers", matched, matched, agreeing), diffs_a, diffs_b


def _b_cubed_muc(record_a: Record, record_b: Record) -> tuple[LayerAgreement, LayerAgreement]:
    """B-cubed and MUC F1 of the clusters, restricted to the mention spans both passes share."""
    ka = {(m.start, m.end): m.entity for m in record_a.mentions}
    kb = {(m.start, m.end): m.entity for m in record_b.mentions}
    shared = sorted(set(ka) & set(kb))

    clusters_a = _clusters(shared, ka)
    clusters_b = _clusters(shared, kb)
    scale = 10**6
    from seccoop.bench.score import b_cubed, muc  # one implementation of the coreference metrics

    b3 = b_cubed(clusters_a, clusters_b)
    m = muc(clusters_a, clusters_b)
    return (
        LayerAgreement("clusters B-cubed (shared mentions)", scale, scale, round(b3.f1 * scale)),
        LayerAgreement("clusters MUC (shared mentions)", scale, scale, round(m.f1 * scale)),
    )


def _clusters(
    keys: Sequence[tuple[int, int]], owner: dict[tuple[int, int], str]
) -> list[set[tuple[int, int]]]:
    groups: dict[str, set[tuple[int, int]]] = {}
    for k in keys:
        groups.setdefault(owner[k], set()).add(k)
    return list(groups.values())


def compare_records(a: Record, b: Record) -> ArticleAgreement:
    """Agreement of two passes over the same article (pass A taken as reference for listings)."""
    if a.text != b.text:
        raise ValueError(f"{a.id} and {b.id} are not annotations of the same text")
    out: dict[str, tuple[list[str], list[str]]] = {}
    types_a = {e.id: e.type for e in a.entities}
    types_b = {e.id: e.type for e in b.entities}
    text = a.text

    def show_span(key: tuple[int, ...]) -> str:
        extra = " ".join(str(k) for k in key[2:])
        return f"{text[key[0] : key[1]]!r}@{key[0]}" + (f" {extra}" if extra else "")

    layers = [
        _set_layer(
            "mention spans",
            ((m.start, m.end) for m in a.mentions),
            ((m.start, m.end) for m in b.mentions),
            show_span,
            out,
        ),
        _set_layer(
            "mentions with type and kind",
            ((m.start, m.end, types_a.get(m.entity), m.kind) for m in a.mentions),
            ((m.start, m.end, types_b.get(m.entity), m.kind) for m in b.mentions),
            show_span,
            out,
        ),
        _set_layer(
            "value spans",
            ((v.start, v.end) for v in a.values),
            ((v.start, v.end) for v in b.values),
            show_span,
            out,
        ),
        _set_layer(
            "values with type and normalization",
            ((v.start, v.end, v.type, v.normalized) for v in a.values),
            ((v.start, v.end, v.type, v.normalized) for v in b.values),
            show_span,
            out,
        ),
        _set_layer(
            "trigger spans",
            ((e.trigger.start, e.trigger.end) for e in a.events),
            ((e.trigger.start, e.trigger.end) for e in b.events),
            show_span,
            out,
        ),
        _set_layer(
            "triggers with type",
            ((e.trigger.start, e.trigger.end, e.type) for e in a.events),
            ((e.trigger.start, e.trigger.end, e.type) for e in b.events),
            show_span,
            out,
        ),
        _set_layer(
            "triggers with type, mode and realis",
            ((e.trigger.start, e.trigger.end, e.type, e.mode, e.realis) for e in a.events),
            ((e.trigger.start, e.trigger.end, e.type, e.mode, e.realis) for e in b.events),
            show_span,
            out,
        ),
    ]
    args, only_a, only_b = _match_arguments(a, b)
    layers.append(args)
    out["event arguments"] = (only_a, only_b)
    layers += [
        _set_layer(
            "quote content spans",
            ((c.start, c.end) for q in a.quotes for c in q.content),
            ((c.start, c.end) for q in b.quotes for c in q.content),
            show_span,
            out,
        ),
        _set_layer(
            "quote content with kind",
            ((c.start, c.end, q.kind) for q in a.quotes for c in q.content),
            ((c.start, c.end, q.kind) for q in b.quotes for c in q.content),
            show_span,
            out,
        ),
        _set_layer(
            "quote cues",
            ((q.cue.start, q.cue.end) for q in a.quotes if q.cue),
            ((q.cue.start, q.cue.end) for q in b.quotes if q.cue),
            show_span,
            out,
        ),
    ]
    speakers, sa, sb = _speakers(a, b)
    layers.append(speakers)
    out["quote speakers"] = (sa, sb)
    layers += list(_b_cubed_muc(a, b))
    layers.append(
        _set_layer(
            "zones",
            ((z.start, z.end, z.kind) for z in a.zones),
            ((z.start, z.end, z.kind) for z in b.zones),
            show_span,
            out,
        )
    )
    return ArticleAgreement(a.id, tuple(layers), out)


def pool(articles: Sequence[ArticleAgreement]) -> tuple[LayerAgreement, ...]:
    """Corpus-level agreement: counts summed over articles, layer by layer."""
    if not articles:
        return ()
    pooled = []
    for i, layer in enumerate(articles[0].layers):
        rows = [art.layers[i] for art in articles]
        pooled.append(
            LayerAgreement(
                layer.layer,
                sum(r.a for r in rows),
                sum(r.b for r in rows),
                sum(r.matched for r in rows),
            )
        )
    return tuple(pooled)


def render_markdown(articles: Sequence[ArticleAgreement]) -> str:
    """A Markdown table: F1 per layer per article and pooled (counts for the span layers)."""
    header = "| layer | " + " | ".join(a.id for a in articles) + " | all (A / B / matched) |"
    lines = [header, "|---|" + "---:|" * (len(articles) + 1)]
    for i, layer in enumerate(pool(articles)):
        cells = [f"{art.layers[i].f1:.3f}" for art in articles]
        clustered = layer.layer.startswith("clusters")
        total = (
            f"{layer.f1:.3f}" if clustered else f"{layer.f1:.3f} ({layer.a} / {layer.b} / {layer.matched})"
        )
        lines.append(f"| {layer.layer} | " + " | ".join(cells) + f" | {total} |")
    return "\n".join(lines) + "\n"


def compare_folders(dir_a: Path, dir_b: Path) -> list[ArticleAgreement]:
    """Compare every record of ``dir_a`` with the record of the same file name in ``dir_b``."""
    out = []
    for path_a in sorted(dir_a.glob("*.json")):
        a = Record.model_validate_json(path_a.read_text(encoding="utf-8"))
        b = Record.model_validate_json((dir_b / path_a.name).read_text(encoding="utf-8"))
        out.append(compare_records(a, b))
    return out


def to_json(articles: Sequence[ArticleAgreement]) -> dict[str, Any]:
    """Agreement figures for machines (the dataset card reads this): pooled and per article."""

    def rows(layers: Sequence[LayerAgreement]) -> list[dict[str, Any]]:
        # Cluster rows carry a score, not counts (their counts are a scaled mean of article F1s).
        return [
            {"layer": x.layer, "f1": round(x.f1, 4)}
            | ({} if x.layer.startswith("clusters") else {"a": x.a, "b": x.b, "matched": x.matched})
            for x in layers
        ]

    return {
        "description": "Agreement of two independent annotation passes before adjudication "
        "(F1 of one pass against the other; speakers: accuracy on matched quotes; clusters: "
        "B-cubed and MUC F1 on shared mentions, averaged over articles).",
        "pooled": rows(pool(articles)),
        "articles": {art.id: rows(art.layers) for art in articles},
    }


TABLE_BEGIN = "<!-- agreement:begin (generated by scripts/agreement.py) -->"
TABLE_END = "<!-- agreement:end -->"


def splice_table(document: str, table: str) -> str:
    """Replace the generated table between the markers of ``document``."""
    return splice(document, TABLE_BEGIN, TABLE_END, table)
