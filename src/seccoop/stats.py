"""Corpus statistics: counts per layer and type per article, as a Markdown table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from seccoop.models import Record

__all__ = ["ArticleStats", "article_stats", "render_stats"]


@dataclass(frozen=True)
class ArticleStats:
    """Counts of one article's annotation layers."""

    id: str
    characters: int
    sentences: int
    entities: Counter[str]
    mentions: Counter[str]
    values: Counter[str]
    events: Counter[str]
    quotes: Counter[str]

    @property
    def totals(self) -> dict[str, int]:
        """Total count per layer."""
        return {
            "sentences": self.sentences,
            "entities": sum(self.entities.values()),
            "mentions": sum(self.mentions.values()),
            "values": sum(self.values.values()),
            "events": sum(self.events.values()),
            "quotes": sum(self.quotes.values()),
        }


def article_stats(record: Record) -> ArticleStats:
    """Count the layers of one record; mentions are counted by kind, the rest by type."""
    return ArticleStats(
        id=record.id,
        characters=len(record.text),
        sentences=len(record.sentences),
        entities=Counter(e.type for e in record.entities),
        mentions=Counter(m.kind for m in record.mentions),
        values=Counter(v.type for v in record.values),
        events=Counter(e.type for e in record.events),
        quotes=Counter(q.kind for q in record.quotes),
    )


def _breakdown(counter: Counter[str]) -> str:
    return " ".join(f"{k} {v}" for k, v in sorted(counter.items())) or "–"


def render_stats(records: Sequence[Record]) -> str:
    """A Markdown table of totals per article, then one of the breakdown by type."""
    stats = [article_stats(r) for r in sorted(records, key=lambda r: r.id)]
    layers = ["sentences", "entities", "mentions", "values", "events", "quotes"]
    lines = [
        "| article | characters | " + " | ".join(layers) + " |",
        "|---|---:|" + "---:|" * len(layers),
    ]
    total: Counter[str] = Counter()
    for s in stats:
        totals = s.totals
        total.update(totals)
        total["characters"] += s.characters
        lines.append(f"| {s.id} | {s.characters} | " + " | ".join(str(totals[k]) for k in layers) + " |")
    lines.append(f"| **all** | {total['characters']} | " + " | ".join(str(total[k]) for k in layers) + " |")
    lines += [
        "",
        "| article | entities by type | mentions by kind | values by type | events by type "
        "| quotes by kind |",
        "|---|---|---|---|---|---|",
    ]
    for s in stats:
        lines.append(
            f"| {s.id} | {_breakdown(s.entities)} | {_breakdown(s.mentions)} | {_breakdown(s.values)} | "
            f"{_breakdown(s.events)} | {_breakdown(s.quotes)} |"
        )
    return "\n".join(lines) + "\n"
