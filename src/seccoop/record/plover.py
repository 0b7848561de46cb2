"""The PLOVER view of a record's events: the mechanical rules D1–D4 of the guidelines.

``dataset/GUIDELINES.md`` ("Departures from PLOVER") lists each deliberate difference between
SecCoop and PLOVER with the rule that maps a record back to PLOVER's coding, using only the
events' ``type``, ``mode``, ``context``, ``realis``, ``arguments``, ``trigger``, ``cluster`` and the
sentence layer. Events are processed in the order of their trigger offsets, and the rules apply
in the order D2, D1, D3, D4:

- D2 (realis): ``generic`` events are left out; ``hypothetical`` appends ``hypothetical`` and
  ``negated`` appends ``negation`` to the context (or, with ``drop_negated``, the event is left
  out, as PLOVER allows); ``future`` is handled by D1.
- D1 (future cooperative acts): a ``future`` CONSULT, SUPPORT, COOPERATE or AID becomes AGREE
  and a ``future`` RETREAT becomes CONCEDE (mode null, no auxiliary); any other ``future`` event
  keeps its type and gets the auxiliary ``future`` in its context. Then each ``actual`` AGREE or
  CONCEDE absorbs the first event of its sentence, starting at or after its trigger's end, that
  was converted to its type and not absorbed yet: that event is dropped, its Target arguments
  join the announcing event if it has no Target, and its contexts are added.
- D3 (roles) and D4 (``link``) are fields of the exported records
  (:mod:`seccoop.formats.plover`); the scorer's PLOVER mode (:func:`plover_gold`) scores trigger
  spans with these types.

This lives with the record model because both the exporter and the scorer use it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from seccoop.record.models import Argument, Event, Record

__all__ = ["ANNOUNCING", "COOPERATIVE", "PloverEvent", "plover_events", "plover_gold"]

COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
ANNOUNCING = frozenset({"AGREE", "CONCEDE"})


@dataclass
class PloverEvent:
    """One event of the PLOVER view: the source event, its PLOVER type, mode, context and
    arguments (with the Targets of a merged promised act), and the ids of the merged events."""

    event: Event
    sentence: int | None
    type: str
    mode: str | None
    context: list[str]
    arguments: list[Argument]
    converted: bool = False
    merged: list[str] = field(default_factory=list)


def _sentence_index(record: Record) -> Callable[[int, int], int | None]:
    spans = sorted((s.start, s.end) for s in record.sentences)
    starts = [s for s, _ in spans]

    def index(start: int, end: int) -> int | None:
        k = bisect_right(starts, start) - 1
        return k if k >= 0 and end <= spans[k][1] else None

    return index


def plover_events(record: Record, *, drop_negated: bool = False) -> list[PloverEvent]:
    """The events of the PLOVER view of one record, in trigger order (D2, D1; D3 and D4 are the
    fields the exporter writes from them)."""
    sentence_of = _sentence_index(record)
    drafts: list[PloverEvent] = []
    for event in sorted(record.events, key=lambda e: (e.trigger.start, e.trigger.end, e.id)):
        context = list(event.context)
        # D2: realis
        if event.realis == "generic" or (event.realis == "negated" and drop_negated):
            continue
        if event.realis == "hypothetical":
            context.append("hypothetical")
        elif event.realis == "negated":
            context.append("negation")
        draft = PloverEvent(
            event,
            sentence_of(event.trigger.start, event.trigger.end),
            event.type,
            event.mode,
            context,
            list(event.arguments),
        )
        # D1, step 1: future acts
        if event.realis == "future":
            if event.type in COOPERATIVE:
                draft.type, draft.mode, draft.converted = "AGREE", None, True
            elif event.type == "RETREAT":
                draft.type, draft.mode, draft.converted = "CONCEDE", None, True
            else:
                draft.context.append("future")
        drafts.append(draft)
    # D1, step 2: merge a converted promised act into the act that announces it
    absorbed: set[int] = set()
    for a in drafts:
        if a.event.realis != "actual" or a.type not in ANNOUNCING or a.sentence is None:
            continue
        for j, e in enumerate(drafts):
            if (
                j not in absorbed
                and e.converted
                and e.type == a.type
                and e.sentence == a.sentence
                and e.event.trigger.start >= a.event.trigger.end
            ):
                absorbed.add(j)
                a.merged.append(e.event.id)
                if not any(arg.role == "Target" for arg in a.arguments):
                    a.arguments += [arg for arg in e.arguments if arg.role == "Target"]
                a.context += [c for c in e.context if c not in a.context]
                break
    return [d for j, d in enumerate(drafts) if j not in absorbed]


def plover_gold(record: Record, *, drop_negated: bool = False) -> Record:
    """The record with its events replaced by the PLOVER view's: PLOVER type and mode on the
    same triggers, merged promised acts left out, generic events left out (for scoring in
    PLOVER coding). Contexts are kept as annotated; the copy is not re-validated."""
    events = [
        view.event.model_copy(update={"type": view.type, "mode": view.mode, "arguments": view.arguments})
        for view in plover_events(record, drop_negated=drop_negated)
    ]
    return record.model_copy(update={"events": events})
