"""The semantic layer: checks on one record's model (offsets, surfaces, seed hash, references,
ontology rules, sentences, quotes, tokens, values, missed mentions).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from functools import cache
from itertools import pairwise

from seccoop.check.diagnostics import (
    MAX_FINDINGS_PER_FILE,
    Finding,
    finding,
    pointer_of,
)
from seccoop.check.files import corpus_root, inside
from seccoop.check.structure import LoadedRecord
from seccoop.record.io import read_regular
from seccoop.record.models import EntityArgument, Record, Span
from seccoop.record.ontology import load_ontology
from seccoop.record.tokens import TokenBoundaries

OPENING_MARKS = frozenset("“\"‘'«")


CLOSING_MARKS = frozenset("”\"’'»")


Path_ = list[str | int]


class _Collector:
    def __init__(self, loaded: LoadedRecord) -> None:
        self.loaded = loaded
        self.items: list[Finding] = []
        self.dropped = 0

    def add(self, code: str, message: str, path: Path_, hint: str | None = None) -> None:
        # Past the per-file cap only count: locating millions of findings in a huge file would
        # take longer than anyone can read them.
        if len(self.items) > MAX_FINDINGS_PER_FILE:
            self.dropped += 1
            return
        line, column = self.loaded.locator.locate(path)
        self.items.append(
            finding(
                code,
                message,
                file=self.loaded.file,
                pointer=pointer_of(path),
                line=line,
                column=column,
                hint=hint,
            )
        )


def _check_seed(loaded: LoadedRecord, out: _Collector) -> None:
    record = loaded.record
    root = corpus_root(loaded.path)
    try:
        seed = root / record.source.path if root else None
        found = seed is not None and (seed.is_file() or seed.is_symlink())
    except (OSError, ValueError):  # a name too long, a NUL byte: no such seed
        seed, found = None, False
    if seed is None or not found:
        out.add(
            "seed-missing",
            f"seed {record.source.path[:200]!r} not found"
            + (f" under {root}" if root else " (no folder above the record holds seeds/)"),
            ["source", "path"],
        )
        return
    if root is not None and not inside(seed, root):
        out.add(
            "unsafe-path",
            f"seed {record.source.path[:200]!r} lies or links outside the corpus",
            ["source", "path"],
        )
        return
    try:
        raw = read_regular(seed)
    except OSError as exc:
        out.add(
            "seed-missing",
            f"seed {record.source.path[:200]!r} cannot be read: {exc.strerror or exc}",
            ["source", "path"],
        )
        return
    digest = hashlib.sha256(raw).hexdigest()
    if digest != record.source.sha256:
        out.add(
            "seed-hash-mismatch",
            f"sha256 of {record.source.path} is {digest}, the record says {record.source.sha256}",
            ["source", "sha256"],
        )
    seed_text = raw.decode("utf-8", errors="replace")
    if seed_text != record.text:
        at = next(
            (i for i, (a, b) in enumerate(zip(seed_text, record.text, strict=False)) if a != b),
            min(len(seed_text), len(record.text)),
        )
        out.add(
            "text-mismatch",
            f"text differs from the seed at offset {at}: seed has {seed_text[at : at + 20]!r}, "
            f"the record has {record.text[at : at + 20]!r}",
            ["text"],
        )


_SPAN_LAYERS = ("zones", "sentences", "mentions", "non_mentions", "values")


def _check_spans(record: Record, out: _Collector) -> set[tuple[int, int]]:
    """Range, surface and whitespace of every span; return the (start, end) pairs that are bad."""
    text = record.text
    size = len(text)
    bad: set[tuple[int, int]] = set()
    # the common case (a good span) costs one slice and one comparison; paths are built only
    # for a span that has a finding
    groups: list[tuple[str, Sequence[Span], tuple[str, ...]]]
    groups = [(name, getattr(record, name), ()) for name in _SPAN_LAYERS]
    groups.append(("events", [event.trigger for event in record.events], ("trigger",)))
    for name, spans, suffix in groups:
        for i, span in enumerate(spans):
            start, end, surface = span.start, span.end, span.text
            if (
                start < end <= size
                and text[start:end] == surface
                and not (surface[0].isspace() or surface[-1].isspace())
            ):
                continue
            _check_span(text, [name, i, *suffix], span, out, bad)
    for i, quote in enumerate(record.quotes):
        for j, part in enumerate(quote.content):
            _check_span(text, ["quotes", i, "content", j], part, out, bad)
        if quote.cue is not None:
            _check_span(text, ["quotes", i, "cue"], quote.cue, out, bad)
    return bad


def _check_span(text: str, path: Path_, span: Span, out: _Collector, bad: set[tuple[int, int]]) -> None:
    if not (span.start < span.end <= len(text)):
        out.add(
            "span-out-of-range",
            f"span [{span.start}:{span.end}] is empty, reversed or past the end of the text "
            f"(length {len(text)})",
            path,
        )
        bad.add((span.start, span.end))
        return
    actual = text[span.start : span.end]
    if actual != span.text:
        out.add(
            "span-text-mismatch",
            f"text[{span.start}:{span.end}] is {actual!r}, the record says {span.text!r}",
            [*path, "text"],
        )
        bad.add((span.start, span.end))
    elif actual[0].isspace() or actual[-1].isspace():
        out.add("span-whitespace", f"span {actual!r} starts or ends on whitespace", path)


_ID_LAYERS = ("sentences", "entities", "mentions", "values", "events", "quotes")


def _check_ids(record: Record, out: _Collector) -> None:
    ids = [item.id for name in _ID_LAYERS for item in getattr(record, name)]
    if len(set(ids)) == len(ids):
        return  # the common case, decided in C
    seen: dict[str, Path_] = {}
    for name in _ID_LAYERS:
        for i, item in enumerate(getattr(record, name)):
            if item.id in seen:
                out.add(
                    "duplicate-id",
                    f"id {item.id!r} is used again; first at {pointer_of(seen[item.id])}",
                    [name, i, "id"],
                )
            else:
                seen[item.id] = [name, i]


@cache
def _event_rules() -> dict[str, tuple[frozenset[str], frozenset[str], tuple[str, ...]]]:
    """Per event type: its allowed roles and modes as sets, and its required roles."""
    ont = load_ontology()
    return {
        name: (frozenset(spec.roles), frozenset(spec.modes), spec.required)
        for name, spec in ont.event_types.items()
    }


@cache
def _role_accepts() -> dict[str, frozenset[str]]:
    return {name: frozenset(spec.accepts) for name, spec in load_ontology().roles.items()}


def _check_references(record: Record, out: _Collector) -> None:
    ont = load_ontology()
    rules = _event_rules()
    role_accepts = _role_accepts()
    entities = {e.id: e for e in record.entities}
    mentions = {m.id: m for m in record.mentions}
    values = {v.id: v for v in record.values}

    def dangling(ref: str, kind: str, path: Path_) -> None:
        out.add("dangling-reference", f"{ref!r} is not the id of any {kind} in the record", path)

    for i, entity in enumerate(record.entities):
        if entity.sector is not None and entity.type != "ORG":
            out.add(
                "sector-not-org",
                f"entity {entity.id} is {entity.type} but has sector {entity.sector!r}",
                ["entities", i, "sector"],
            )
    for i, mention in enumerate(record.mentions):
        if mention.entity not in entities:
            dangling(mention.entity, "entity", ["mentions", i, "entity"])
    for i, event in enumerate(record.events):
        allowed_roles, modes, required = rules[event.type]
        if event.mode is not None and event.mode not in modes:
            spec = ont.event_types[event.type]
            allowed = ", ".join(spec.modes) or "none (mode must be null)"
            out.add(
                "mode-not-allowed",
                f"mode {event.mode!r} is not a mode of {event.type}; allowed: {allowed}",
                ["events", i, "mode"],
            )
        roles_present = set()
        for j, arg in enumerate(event.arguments):
            role = arg.role
            roles_present.add(role)
            if role not in allowed_roles:
                out.add(
                    "role-not-allowed",
                    f"role {role!r} is not allowed for {event.type}; allowed: "
                    f"{', '.join(ont.event_types[event.type].roles)}",
                    ["events", i, "arguments", j, "role"],
                )
            if isinstance(arg, EntityArgument):
                filler_entity = entities.get(arg.entity)
                filler_mention = mentions.get(arg.mention)
                if filler_entity is None:
                    dangling(arg.entity, "entity", ["events", i, "arguments", j, "entity"])
                if filler_mention is None:
                    dangling(arg.mention, "mention", ["events", i, "arguments", j, "mention"])
                filler_type = filler_entity.type if filler_entity else None
                if filler_mention is not None and filler_mention.entity != arg.entity:
                    out.add(
                        "mention-entity-mismatch",
                        f"mention {arg.mention} ({filler_mention.text!r}) belongs to "
                        f"{filler_mention.entity}, not to {arg.entity}",
                        ["events", i, "arguments", j, "mention"],
                    )
            else:
                value = values.get(arg.value)
                if value is None:
                    dangling(arg.value, "value", ["events", i, "arguments", j, "value"])
                filler_type = value.type if value else None
            if filler_type is not None and filler_type not in role_accepts[role]:
                out.add(
                    "filler-type-mismatch",
                    f"role {role} is filled by a {filler_type}; it accepts "
                    f"{', '.join(ont.roles[role].accepts)}",
                    ["events", i, "arguments", j],
                )
        for role in required:
            if role not in roles_present:
                out.add(
                    "missing-required-role",
                    f"{event.type} event {event.id} has no {role} argument; required: {', '.join(required)}",
                    ["events", i, "arguments"],
                )
    for i, quote in enumerate(record.quotes):
        qpath: Path_ = ["quotes", i]
        speaker = None
        if quote.speaker is not None:
            speaker = entities.get(quote.speaker)
            if speaker is None:
                dangling(quote.speaker, "entity", [*qpath, "speaker"])
            elif speaker.type not in ont.speaker_types:
                out.add(
                    "speaker-type",
                    f"speaker {speaker.id} ({speaker.name!r}) is {speaker.type}; expected "
                    f"{', '.join(ont.speaker_types)}",
                    [*qpath, "speaker"],
                )
        if quote.speaker_mention is not None:
            said_by = mentions.get(quote.speaker_mention)
            if said_by is None:
                dangling(quote.speaker_mention, "mention", [*qpath, "speaker_mention"])
            elif said_by.entity != quote.speaker:
                out.add(
                    "mention-entity-mismatch",
                    f"speaker_mention {said_by.id} ({said_by.text!r}) belongs to {said_by.entity}, "
                    f"but the speaker is {quote.speaker}",
                    [*qpath, "speaker_mention"],
                )


def crossing_pairs(
    spans: Sequence[tuple[int, int]],
    skip: AbstractSet[tuple[int, int]] = frozenset(),
) -> list[tuple[int, int]]:
    """Pairs (j, k) of span indices where span j crosses the earlier-starting span k.

    A stack of open spans, in O(n log n): in order of start (longest first), each span closes
    the innermost open spans it lies after, then nests in the innermost remaining one or crosses
    it. A crossing span is reported once, against the innermost span it crosses, and is not opened.
    """
    out: list[tuple[int, int]] = []
    stack: list[tuple[int, int]] = []  # (end, index) of the open spans, innermost last
    order = sorted((start, -end, j) for j, (start, end) in enumerate(spans) if (start, end) not in skip)
    for start, negative_end, j in order:
        end = -negative_end
        while stack and stack[-1][0] <= start:
            stack.pop()
        if stack and stack[-1][0] < end:
            out.append((j, stack[-1][1]))
            continue
        stack.append((end, j))
    return out


def _check_layout(
    record: Record, bad: set[tuple[int, int]], tokens: TokenBoundaries, out: _Collector
) -> None:
    for name, code in (("sentences", "sentence-overlap"), ("zones", "zone-overlap")):
        items = getattr(record, name)
        ordered = sorted((x.start, x.end, j) for j, x in enumerate(items))
        for (_, a_end, k), (b_start, _, j) in pairwise(ordered):
            if b_start < a_end:
                a, b = items[k], items[j]
                out.add(code, f"[{b.start}:{b.end}] {b.text!r} overlaps [{a.start}:{a.end}]", [name, j])
    sentences = sorted((s.start, s.end) for s in record.sentences)
    starts = [s for s, _ in sentences]
    text = record.text
    size = len(text)
    is_start, is_end = tokens.is_start, tokens.is_end
    for name, kind, spans in (
        ("mentions", "mention", record.mentions),
        ("values", "value", record.values),
        ("events", "trigger", [e.trigger for e in record.events]),
    ):
        for i, span in enumerate(spans):
            start, end = span.start, span.end
            if (start, end) in bad:
                continue
            k = bisect_right(starts, start) - 1
            if not (k >= 0 and sentences[k][0] <= start and end <= sentences[k][1]):
                out.add(
                    "outside-sentence",
                    f"{kind} {span.text!r} at [{start}:{end}] is not inside one sentence",
                    [name, i, "trigger"] if kind == "trigger" else [name, i],
                )
            if kind == "value":
                continue
            # whitespace on both sides decides most spans; the tokenizer decides the rest
            starts_token = (
                start < size and not text[start].isspace() and (start == 0 or text[start - 1].isspace())
            ) or is_start(start)
            ends_token = (
                0 < end <= size and not text[end - 1].isspace() and (end == size or text[end].isspace())
            ) or is_end(end)
            if not (starts_token and ends_token):
                out.add(
                    "token-boundary",
                    f"{kind} {span.text!r} at [{start}:{end}] does not start and end on token boundaries",
                    [name, i, "trigger"] if kind == "trigger" else [name, i],
                )
    mentions = record.mentions
    keys = [(m.start, m.end) for m in mentions]
    for j, k in crossing_pairs(keys, skip=bad):
        a, b = mentions[k], mentions[j]
        out.add(
            "crossing-mentions",
            f"mention {b.id} {b.text!r} [{b.start}:{b.end}] crosses mention {a.id} {a.text!r} "
            f"[{a.start}:{a.end}]",
            ["mentions", j],
        )
    if len(set(keys)) == len(keys):
        return
    seen: dict[tuple[int, int], str] = {}
    for i, mention in enumerate(mentions):
        key = (mention.start, mention.end)
        if key in seen:
            out.add(
                "duplicate-mention-span",
                f"mention {mention.id} {mention.text!r} has the same span as mention {seen[key]}",
                ["mentions", i],
            )
        else:
            seen[key] = mention.id


def _check_argument_sentences(record: Record, bad: set[tuple[int, int]], out: _Collector) -> None:
    """Every argument's mention or value lies inside the sentence of its event's trigger (§5.6)."""
    sentences = sorted((s.start, s.end) for s in record.sentences)
    starts = [s for s, _ in sentences]

    def sentence_of(span: Span) -> tuple[int, int] | None:
        k = bisect_right(starts, span.start) - 1
        if k >= 0 and span.end <= sentences[k][1]:
            return sentences[k]
        return None

    mentions = {m.id: m for m in record.mentions}
    values = {v.id: v for v in record.values}
    for i, event in enumerate(record.events):
        if (event.trigger.start, event.trigger.end) in bad:
            continue
        sentence = sentence_of(event.trigger)
        if sentence is None:
            continue  # the trigger itself is reported as outside-sentence
        for j, arg in enumerate(event.arguments):
            if isinstance(arg, EntityArgument):
                filler: Span | None = mentions.get(arg.mention)
                key, ref = "mention", arg.mention
            else:
                filler = values.get(arg.value)
                key, ref = "value", arg.value
            if filler is None or (filler.start, filler.end) in bad:
                continue  # a dangling reference or a bad span is reported by its own check
            if not (sentence[0] <= filler.start and filler.end <= sentence[1]):
                out.add(
                    "argument-outside-sentence",
                    f"{arg.role} of {event.type} event {event.id} ({event.trigger.text!r} at "
                    f"[{event.trigger.start}:{event.trigger.end}]) is {key} {ref} {filler.text!r} at "
                    f"[{filler.start}:{filler.end}], outside the trigger's sentence "
                    f"[{sentence[0]}:{sentence[1]}]",
                    ["events", i, "arguments", j, key],
                )


def _check_event_clusters(record: Record, out: _Collector) -> None:
    """Event coreference (§5.9): ids used twice or more, one type, one non-null mode per cluster."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, event in enumerate(record.events):
        if event.cluster is not None:
            members[event.cluster].append(i)
    for cluster, indices in members.items():
        events = [record.events[i] for i in indices]
        if len(indices) == 1:
            out.add(
                "event-cluster-singleton",
                f"cluster {cluster!r} is used only by event {events[0].id}; a cluster links at least "
                "two events (null for an event reported once)",
                ["events", indices[0], "cluster"],
            )
            continue
        first = events[0]
        for i, event in zip(indices[1:], events[1:], strict=True):
            if event.type != first.type:
                out.add(
                    "event-cluster-type-mismatch",
                    f"event {event.id} in cluster {cluster!r} is {event.type}, but event {first.id} "
                    f"of the same cluster is {first.type}",
                    ["events", i, "type"],
                )
        moded = [(i, e) for i, e in zip(indices, events, strict=True) if e.mode is not None]
        for i, event in moded[1:]:
            if event.mode != moded[0][1].mode:
                out.add(
                    "event-cluster-mode-mismatch",
                    f"event {event.id} in cluster {cluster!r} has mode {event.mode!r}, but event "
                    f"{moded[0][1].id} of the same cluster has mode {moded[0][1].mode!r}",
                    ["events", i, "mode"],
                )


def _check_quotes(record: Record, bad: set[tuple[int, int]], out: _Collector) -> None:
    text = record.text
    for i, quote in enumerate(record.quotes):
        if quote.kind == "direct":
            for j, part in enumerate(quote.content):
                if (part.start, part.end) in bad:
                    continue
                before = text[part.start - 1] if part.start > 0 else ""
                after = text[part.end] if part.end < len(text) else ""
                if before not in OPENING_MARKS or after not in CLOSING_MARKS:
                    out.add(
                        "quote-outside-marks",
                        f"direct quote content {part.text!r} is preceded by {before!r} and followed by "
                        f"{after!r}; expected an opening and a closing quotation mark",
                        ["quotes", i, "content", j],
                    )
        if quote.cue is not None:
            for part in quote.content:
                if quote.cue.start < part.end and part.start < quote.cue.end:
                    out.add(
                        "cue-inside-content",
                        f"cue {quote.cue.text!r} overlaps the content {part.text!r}",
                        ["quotes", i, "cue"],
                    )
                    break


_DATE_PART = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_ok(normalized: str) -> bool:
    """Real calendar dates and months in a DATE normalization that already matches its pattern."""
    import datetime as dt

    for part in normalized.split("/"):
        if part == "..":
            continue  # the open end of an ISO 8601-2 interval (2021/.., ../2028)
        if _DATE_PART.match(part):
            try:
                dt.date.fromisoformat(part)
            except ValueError:
                return False
        elif len(part) == 7 and not 1 <= int(part[5:]) <= 12:
            return False
    return True


def _check_values(record: Record, out: _Collector) -> None:
    ont = load_ontology()
    for i, value in enumerate(record.values):
        if value.normalized is None:
            continue
        spec = ont.value_types[value.type]
        if not re.fullmatch(spec.pattern, value.normalized) or (
            value.type == "DATE" and not _date_ok(value.normalized)
        ):
            out.add(
                "bad-normalization",
                f"{value.type} value {value.text!r} is normalized as {value.normalized!r}, which "
                f"does not match {spec.pattern}",
                ["values", i, "normalized"],
            )


class _Cover:
    """For each entity, whether a span [s, e) lies inside one of its mentions: O(log n) a query."""

    def __init__(self, record: Record) -> None:
        by_entity: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for m in record.mentions:
            by_entity[m.entity].append((m.start, m.end))
        self._starts: dict[str, list[int]] = {}
        self._reach: dict[str, list[int]] = {}
        for entity, spans in by_entity.items():
            spans.sort()
            reach, furthest = [], -1
            for _, end in spans:
                furthest = max(furthest, end)
                reach.append(furthest)
            self._starts[entity] = [start for start, _ in spans]
            self._reach[entity] = reach

    def covers(self, entities: AbstractSet[str], s: int, e: int) -> bool:
        for entity in entities:
            k = bisect_right(self._starts.get(entity, []), s) - 1
            if k >= 0 and self._reach[entity][k] >= e:
                return True
        return False


def _uncovered_occurrences(
    text: str, names: Sequence[str], covered: AbstractSet[tuple[int, int]], tokens: TokenBoundaries
) -> Iterator[tuple[str, int, int]]:
    """Every (name, start, end) not in ``covered`` where a name stands in the text from a token
    start to a token end."""
    is_start, is_end = tokens.is_start, tokens.is_end
    for name in names:
        size = len(name)
        position = text.find(name)
        while position != -1:
            end = position + size
            if (position, end) not in covered and is_start(position) and is_end(end):
                yield name, position, end
            position = text.find(name, position + 1)


def _check_missed_mentions(record: Record, tokens: TokenBoundaries, out: _Collector) -> None:
    text = record.text
    names: dict[str, set[str]] = defaultdict(set)
    for m in record.mentions:
        if m.kind == "NAM" and m.text and m.end <= len(text):
            names[m.text].add(m.entity)
    if not names:
        return
    covered = {(m.start, m.end) for m in record.mentions}
    covered |= {(n.start, n.end) for n in record.non_mentions}
    cover: _Cover | None = None
    sentences: list[tuple[int, int]] = []
    starts: list[int] = []
    missed = []
    for name, s, e in _uncovered_occurrences(text, sorted(names), covered, tokens):
        if cover is None:  # built at the first occurrence that is not itself annotated
            cover = _Cover(record)
            sentences = sorted((s.start, s.end) for s in record.sentences)
            starts = [s for s, _ in sentences]
        if cover.covers(names[name], s, e):
            continue  # part of a longer name of the same entity ("Adu" in "Kofi Adu")
        k = bisect_right(starts, s) - 1
        if k < 0 or e > sentences[k][1]:
            continue  # boilerplate and other text outside sentences is not annotated
        missed.append((name, s, e))
    for name, s, e in sorted(missed):
        out.add(
            "possible-missed-mention",
            f"{name!r} at [{s}:{e}] is a mention elsewhere in this article but not here",
            ["mentions"],
        )


def check_record(loaded: LoadedRecord) -> list[Finding]:
    """Every semantic check of one record; returns the findings, unsorted."""
    out = _Collector(loaded)
    record = loaded.record
    _check_seed(loaded, out)
    if not unicodedata.is_normalized("NFC", record.text):
        out.add("text-not-nfc", "the text is not in Unicode normalization form NFC", ["text"])
    bad = _check_spans(record, out)
    _check_ids(record, out)
    _check_references(record, out)
    tokens = TokenBoundaries(record.text)  # one tokenizer, shared by the checks that need it
    _check_layout(record, bad, tokens, out)
    _check_argument_sentences(record, bad, out)
    _check_event_clusters(record, out)
    _check_quotes(record, bad, out)
    _check_values(record, out)
    _check_missed_mentions(record, tokens, out)
    return out.items
