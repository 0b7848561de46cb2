"""Inter-annotator agreement between two independent passes over the same articles.

Per layer, agreement is the F1 of one pass against the other (symmetric): mention spans (and
spans with type and kind), value spans (and with type and normalization), event triggers (and
with type), event arguments (role and filler, crediting any mention of the same entity), quote
content spans, cues, speakers (entity-level, on quotes matched by content overlap) and entity
clusters (B-cubed and MUC F1 on the mentions both passes share). The per-article lists of
disagreements drive adjudication.

The event layer has its own, fuller comparison (:func:`compare_events`): trigger F1, Cohen's
kappa and Krippendorff's alpha for type, realis and mode on matched triggers, context
agreement, argument F1, and event-coreference agreement (MUC, B-cubed, CEAF-e).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seccoop.bench.score.measures import entity_spans
from seccoop.record.io import splice
from seccoop.record.models import EntityArgument, Record

__all__ = [
    "EVENTS_TABLE_BEGIN",
    "EVENTS_TABLE_END",
    "ArticleAgreement",
    "ClusterAgreement",
    "EventAgreement",
    "LayerAgreement",
    "NominalAgreement",
    "cohen_kappa",
    "compare_event_folders",
    "compare_events",
    "compare_folders",
    "compare_records",
    "krippendorff_alpha",
    "pool",
    "render_events_markdown",
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
EVENTS_TABLE_BEGIN = "<!-- agreement-events:begin (generated by seccoop build) -->"
EVENTS_TABLE_END = "<!-- agreement-events:end -->"


def splice_table(document: str, table: str) -> str:
    """Replace the generated table between the markers of ``document``."""
    return splice(document, TABLE_BEGIN, TABLE_END, table)


# ---------------------------------------------------------------- the event layer


Label = Hashable


def cohen_kappa(pairs: Sequence[tuple[Label, Label]]) -> float | None:
    """Cohen's kappa of two coders' nominal labels on the same items (Cohen 1960).

    κ = (p_o − p_e) / (1 − p_e), with p_e from each coder's own label distribution. ``None`` when
    undefined: no items, or chance agreement 1 (both coders used one and the same label).
    """
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    count_a = Counter(a for a, _ in pairs)
    count_b = Counter(b for _, b in pairs)
    expected = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(pairs: Sequence[tuple[Label, Label]]) -> float | None:
    """Krippendorff's alpha for nominal data, two coders, no missing values (Krippendorff 2011).

    α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k over the coincidence matrix of the n = 2N
    pairable values. ``None`` when undefined: no items, or a single label in all values.
    """
    n = 2 * len(pairs)
    if n == 0:
        return None
    disagreeing = 2 * sum(1 for a, b in pairs if a != b)  # o_ck + o_kc for each unit that differs
    totals = Counter([a for a, _ in pairs] + [b for _, b in pairs])
    expected = n * n - sum(c * c for c in totals.values())  # Σ_{c≠k} n_c·n_k
    if expected == 0:
        return None
    return 1 - (n - 1) * disagreeing / expected


@dataclass(frozen=True)
class NominalAgreement:
    """Agreement on one nominal attribute of paired items: observed, Cohen's kappa, alpha."""

    attribute: str
    items: int
    agreeing: int
    kappa: float | None
    alpha: float | None

    @property
    def observed(self) -> float | None:
        """The proportion of items with the same label; ``None`` with no items."""
        return self.agreeing / self.items if self.items else None

    @classmethod
    def of(cls, attribute: str, pairs: Sequence[tuple[Label, Label]]) -> NominalAgreement:
        """All three measures over the same pairs."""
        agreeing = sum(1 for a, b in pairs if a == b)
        return cls(attribute, len(pairs), agreeing, cohen_kappa(pairs), krippendorff_alpha(pairs))

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (4 decimals)."""
        return {
            "attribute": self.attribute,
            "items": self.items,
            "agreeing": self.agreeing,
            "observed": _round(self.observed),
            "kappa": _round(self.kappa),
            "alpha": _round(self.alpha),
        }


@dataclass(frozen=True)
class ClusterAgreement:
    """One coreference metric of pass B's event clusters against pass A's (F1 is symmetric)."""

    metric: str
    precision: float
    recall: float
    f1: float | None
    """``None`` when there is nothing to score (MUC with singletons only on both sides)."""


@dataclass(frozen=True)
class EventAgreement:
    """Agreement of two passes on the event layer, pooled over articles.

    Triggers are matched by exact span; the attributes are compared on the matched triggers;
    arguments by trigger span, role and filler entity (any mention of the same entity); event
    clusters by MUC, B-cubed and CEAF-e over the matched triggers, an event without a cluster
    being a singleton.
    """

    articles: int
    triggers: LayerAgreement
    type: NominalAgreement
    realis: NominalAgreement
    mode: NominalAgreement
    context_jaccard: float | None
    """Mean Jaccard similarity of the context sets of matched triggers (two empty sets: 1)."""
    context_labels: tuple[NominalAgreement, ...]
    """Per PLOVER context used by either pass: kappa and alpha on its presence (yes/no)."""
    arguments: LayerAgreement
    clusters: tuple[ClusterAgreement, ...]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every figure, with counts."""

        def layer(x: LayerAgreement) -> dict[str, Any]:
            return {"a": x.a, "b": x.b, "matched": x.matched, "f1": round(x.f1, 4)}

        return {
            "description": "Agreement of two annotation passes on the event layer: trigger F1 "
            "(exact span); type, realis and mode on matched triggers (observed agreement, Cohen's "
            "kappa, Krippendorff's alpha, nominal; a null mode is the label 'null'); context as the "
            "mean Jaccard of the context sets and per label presence; argument F1 (trigger span, "
            "role and filler entity); event clusters as MUC, B-cubed and CEAF-e over the matched "
            "triggers (an event without a cluster is a singleton). null: undefined.",
            "articles": self.articles,
            "triggers": layer(self.triggers),
            "type": self.type.as_dict(),
            "realis": self.realis.as_dict(),
            "mode": self.mode.as_dict(),
            "context": {
                "jaccard": _round(self.context_jaccard),
                "labels": [c.as_dict() for c in self.context_labels],
            },
            "arguments": layer(self.arguments),
            "clusters": {
                c.metric: {
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": _round(c.f1),
                }
                for c in self.clusters
            },
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def compare_events(pairs: Sequence[tuple[Record, Record]]) -> EventAgreement:
    """Event-layer agreement of pass A and pass B over the same articles (pairs of records)."""
    from seccoop.bench.score.coref import b_cubed, ceaf_e, muc
    from seccoop.bench.score.event_coref import event_clusters

    trigger_counts = [0, 0, 0]
    argument_counts = [0, 0, 0]
    matched: list[tuple[Any, Any]] = []
    key: list[set[Hashable]] = []
    response: list[set[Hashable]] = []
    for a, b in pairs:
        if a.text != b.text:
            raise ValueError(f"{a.id} and {b.id} are not annotations of the same text")
        by_span_a = {(e.trigger.start, e.trigger.end): e for e in a.events}
        by_span_b = {(e.trigger.start, e.trigger.end): e for e in b.events}
        shared = sorted(by_span_a.keys() & by_span_b.keys())
        trigger_counts[0] += len(by_span_a)
        trigger_counts[1] += len(by_span_b)
        trigger_counts[2] += len(shared)
        matched += [(by_span_a[s], by_span_b[s]) for s in shared]
        args, _, _ = _match_arguments(a, b)
        argument_counts[0] += args.a
        argument_counts[1] += args.b
        argument_counts[2] += args.matched
        for side, out in ((by_span_a, key), (by_span_b, response)):
            out.extend(event_clusters(((a.id, *s), side[s].cluster) for s in shared))
    contexts = sorted({c for ea, eb in matched for c in (*ea.context, *eb.context)})
    jaccards = [
        len(set(ea.context) & set(eb.context)) / len(set(ea.context) | set(eb.context))
        if ea.context or eb.context
        else 1.0
        for ea, eb in matched
    ]
    clusters = []
    # One call over all articles: mentions are keyed by article, so clusters never cross articles
    # and the sums equal the per-article numerators and denominators added up.
    for name, metric in (("muc", muc), ("b_cubed", b_cubed), ("ceaf_e", ceaf_e)):
        got = metric(key, response)
        clusters.append(ClusterAgreement(name, got.precision, got.recall, got.f1 if got.applicable else None))
    return EventAgreement(
        articles=len(pairs),
        triggers=LayerAgreement("trigger spans", *trigger_counts),
        type=NominalAgreement.of("type", [(ea.type, eb.type) for ea, eb in matched]),
        realis=NominalAgreement.of("realis", [(ea.realis, eb.realis) for ea, eb in matched]),
        mode=NominalAgreement.of("mode", [(ea.mode or "null", eb.mode or "null") for ea, eb in matched]),
        context_jaccard=sum(jaccards) / len(jaccards) if jaccards else None,
        context_labels=tuple(
            NominalAgreement.of(c, [(c in ea.context, c in eb.context) for ea, eb in matched])
            for c in contexts
        ),
        arguments=LayerAgreement("event arguments", *argument_counts),
        clusters=tuple(clusters),
    )


def compare_event_folders(dir_a: Path, dir_b: Path) -> EventAgreement:
    """:func:`compare_events` over the records of ``dir_a`` and the same file names in ``dir_b``.

    Raises ``FileNotFoundError`` when a record of ``dir_a`` has no counterpart in ``dir_b`` or
    ``dir_a`` holds no record.
    """
    paths = sorted(dir_a.glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"{dir_a}: no records (*.json)")
    pairs = []
    for path_a in paths:
        path_b = dir_b / path_a.name
        if not path_b.is_file():
            raise FileNotFoundError(f"{path_b}: pass B has no record for {path_a.name}")
        a = Record.model_validate_json(path_a.read_text(encoding="utf-8"))
        b = Record.model_validate_json(path_b.read_text(encoding="utf-8"))
        pairs.append((a, b))
    return compare_events(pairs)


def render_events_markdown(agreement: EventAgreement) -> str:
    """The event-layer agreement as a small Markdown table."""

    def num(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    t, g = agreement.triggers, agreement.arguments
    lines = [
        "| measure | value |",
        "|---|---:|",
        f"| trigger F1 (exact span; A / B / matched {t.a} / {t.b} / {t.matched}) | {num(t.f1)} |",
    ]
    for x in (agreement.type, agreement.realis, agreement.mode):
        lines.append(
            f"| {x.attribute} on matched triggers: observed / kappa / alpha | "
            f"{num(x.observed)} / {num(x.kappa)} / {num(x.alpha)} |"
        )
    lines.append(f"| context: mean Jaccard on matched triggers | {num(agreement.context_jaccard)} |")
    for x in agreement.context_labels:
        lines.append(f"| context `{x.attribute}`: kappa / alpha | {num(x.kappa)} / {num(x.alpha)} |")
    lines.append(f"| argument F1 (role and entity; {g.a} / {g.b} / {g.matched}) | {num(g.f1)} |")
    for c in agreement.clusters:
        lines.append(f"| event clusters {c.metric} F1 | {num(c.f1)} |")
    return "\n".join(lines) + "\n"
