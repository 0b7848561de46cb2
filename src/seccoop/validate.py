"""The validator: file, syntax, structure, semantic and corpus checks, returning findings.

Layers, in order, per file: the file can be read safely (no symlink out of the corpus) and is
UTF-8 without BOM; it parses as JSON (line and column); it declares a readable schema_version;
it matches the published JSON Schema (JSON pointer); then the semantic checks run on the model
(offsets, surfaces, seed hash, references, ontology rules, sentences, quotes, tokens). Last,
corpus checks compare the records with each other. Nothing here prints; nothing raises on bad
input.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match
from pydantic import ValidationError as PydanticValidationError

from seccoop.diagnostics import (
    Finding,
    Locator,
    errors_of,
    exit_code_of,
    finding,
    pointer_of,
    sort_key,
)
from seccoop.models import SCHEMA_VERSION, EntityArgument, Record, Span
from seccoop.ontology import load_ontology
from seccoop.schema import record_schema
from seccoop.strictjson import DuplicateKeyError, loads, schema_validator
from seccoop.tokens import boundaries

__all__ = [
    "MAX_FINDINGS_PER_FILE",
    "LoadedRecord",
    "Report",
    "check_corpus",
    "check_record",
    "corpus_root",
    "crossing_pairs",
    "load_record_file",
    "validate_paths",
]

MAX_FINDINGS_PER_FILE = 200
OPENING_MARKS = frozenset("“\"‘'«")
CLOSING_MARKS = frozenset("”\"’'»")
Path_ = list[str | int]


@dataclass(frozen=True)
class LoadedRecord:
    """A record that passed the file, syntax and structure layers, with what locates its parts."""

    file: str
    path: Path
    record: Record
    locator: Locator


@dataclass(frozen=True)
class Report:
    """The outcome of validating some paths: sorted findings and the records that loaded."""

    findings: tuple[Finding, ...]
    files: int
    records: tuple[LoadedRecord, ...] = field(default=())

    @property
    def exit_code(self) -> int:
        """0 clean (warnings allowed), 1 error findings, 2 I/O trouble."""
        return exit_code_of(self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings at error level."""
        return errors_of(self.findings)

    @property
    def models(self) -> list[Record]:
        """The records that loaded, as models, in file order."""
        return [loaded.record for loaded in self.records]


# ---------------------------------------------------------------- file and syntax layers


def corpus_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path``'s folder that holds a ``seeds/`` folder."""
    start = path.absolute().parent
    for folder in (start, *start.parents):
        if (folder / "seeds").is_dir():
            return folder
    return None


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _unsafe_link(path: Path) -> bool:
    """A symlink (at the file or a folder on its way) whose target leaves the corpus."""
    if not path.is_symlink():
        return False
    anchor = corpus_root(path) or path.absolute().parent
    return not _inside(path, anchor)


def _short(value: Any, limit: int = 60) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _parse(raw: bytes, file: str) -> tuple[Any, str | None, list[Finding]]:
    """Decode and parse; return (data, text, findings)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return (
            None,
            None,
            [
                finding(
                    "encoding-error",
                    "the file starts with a UTF-8 byte-order mark (EF BB BF); expected plain UTF-8",
                    file=file,
                    line=1,
                    column=1,
                )
            ],
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return (
            None,
            None,
            [
                finding(
                    "encoding-error",
                    f"byte {raw[exc.start : exc.start + 1]!r} at offset {exc.start} is not valid UTF-8",
                    file=file,
                    line=line,
                    column=column,
                )
            ],
        )
    try:
        data = loads(text)
    except DuplicateKeyError as exc:
        occurrences = [m.start() for m in re.finditer(re.escape(json.dumps(exc.key)) + r"\s*:", text)]
        locator = Locator(text)
        line, column = locator.line_col(occurrences[1]) if len(occurrences) > 1 else (0, 0)
        return (
            None,
            text,
            [
                finding(
                    "duplicate-key",
                    f"key {json.dumps(exc.key, ensure_ascii=False)} appears twice in one object",
                    file=file,
                    line=line,
                    column=column,
                )
            ],
        )
    except json.JSONDecodeError as exc:
        return (
            None,
            text,
            [finding("json-syntax", exc.msg, file=file, line=exc.lineno, column=exc.colno)],
        )
    except ValueError as exc:
        return None, text, [finding("json-syntax", str(exc), file=file)]
    except RecursionError:
        return (
            None,
            text,
            [finding("json-syntax", "the JSON is nested too deeply to be a record", file=file)],
        )
    return data, text, []


# ---------------------------------------------------------------- structure layer


@cache
def _schema_validator() -> jsonschema.protocols.Validator:
    return schema_validator(record_schema())


def _deepest(error: ValidationError) -> ValidationError:
    while error.validator in ("anyOf", "oneOf") and error.context:
        # For `X | null`, the interesting failure is X's, not "is not null".
        candidates = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        chosen = best_match(candidates or error.context)
        if chosen is None:
            break
        error = chosen
    return error


def _structure_finding(error: ValidationError, file: str, locator: Locator) -> Finding:
    error = _deepest(error)
    path: Path_ = list(error.absolute_path)
    where = pointer_of(path) or "the record"
    keyword = error.validator
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "type":
        code = "wrong-type"
        expected = error.validator_value
        message = f"{where} is {_json_type(instance)} {_short(instance)}, expected {expected}"
    elif keyword == "required":
        code = "missing-field"
        missing = [k for k in error.validator_value if isinstance(instance, dict) and k not in instance]
        message = f"{where} lacks the required field(s) {', '.join(map(json.dumps, missing))}"
    elif keyword == "additionalProperties":
        code = "unknown-field"
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(k for k in instance if k not in allowed) if isinstance(instance, dict) else []
        if extra:
            path = [*path, extra[0]]
        message = (
            f"unknown field(s) {', '.join(map(json.dumps, extra))} in {where}; allowed: {', '.join(allowed)}"
        )
    elif keyword in ("enum", "const"):
        if path == ["schema_version"]:
            code = "unsupported-schema-version"
            message = f"schema_version is {_short(instance)}, expected {SCHEMA_VERSION}"
        else:
            code = "not-in-vocabulary"
            allowed_values = error.validator_value if keyword == "enum" else [error.validator_value]
            message = (
                f"{where} is {_short(instance)}, expected one of: {', '.join(str(v) for v in allowed_values)}"
            )
    else:
        code = "constraint-violation"
        message = f"{where}: {_short(instance)} breaks `{keyword}`: {error.message[:200]}"
    line, column = locator.locate(path)
    return finding(code, message, file=file, pointer=pointer_of(path), line=line, column=column)


def _check_version(data: Any, file: str, locator: Locator) -> Finding | None:
    if not isinstance(data, dict) or "schema_version" not in data:
        return None
    version = data["schema_version"]
    if isinstance(version, int) and not isinstance(version, bool) and version != SCHEMA_VERSION:
        line, column = locator.locate(["schema_version"])
        return finding(
            "unsupported-schema-version",
            f"schema_version is {version}; this seccoop reads schema_version {SCHEMA_VERSION} "
            "and has no migration from it",
            file=file,
            pointer="/schema_version",
            line=line,
            column=column,
        )
    return None


def load_record_file(path: Path, display: str | None = None) -> tuple[LoadedRecord | None, list[Finding]]:
    """Run the file, syntax and structure layers on one file."""
    file = display or str(path)
    if _unsafe_link(path):
        return None, [
            finding(
                "unsafe-path",
                f"{file} is a symlink to {_safe_target(path)}, outside the corpus",
                file=file,
            )
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [finding("io-error", f"cannot read {file}: {exc.strerror or exc}", file=file)]
    data, text, findings = _parse(raw, file)
    if findings or text is None:
        return None, findings
    locator = Locator(text)
    version = _check_version(data, file, locator)
    if version is not None:
        return None, [version]
    try:
        errors = list(_schema_validator().iter_errors(data))
    except RecursionError:
        return None, [finding("constraint-violation", "the JSON is nested too deeply", file=file)]
    if errors:
        # jsonschema reports each missing property separately; one finding per message is enough
        unique = {_structure_finding(e, file, locator): None for e in errors}
        return None, list(unique)
    try:
        record = Record.model_validate(data)
    except PydanticValidationError as exc:
        out = []
        for err in exc.errors():
            path_ = [p for p in err["loc"] if isinstance(p, str | int)]
            line, column = locator.locate(path_)
            out.append(
                finding(
                    "constraint-violation",
                    f"{pointer_of(path_) or 'the record'}: {err['msg']}",
                    file=file,
                    pointer=pointer_of(path_),
                    line=line,
                    column=column,
                )
            )
        return None, out
    return LoadedRecord(file, path, record, locator), []


def _safe_target(path: Path) -> str:
    try:
        return str(path.readlink())
    except OSError:
        return "an unreadable target"


# ---------------------------------------------------------------- semantic layer


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


def _spans(record: Record) -> Iterator[tuple[Path_, Span]]:
    for name in ("zones", "sentences", "mentions", "non_mentions", "values"):
        for i, span in enumerate(getattr(record, name)):
            yield [name, i], span
    for i, event in enumerate(record.events):
        yield ["events", i, "trigger"], event.trigger
    for i, quote in enumerate(record.quotes):
        for j, part in enumerate(quote.content):
            yield ["quotes", i, "content", j], part
        if quote.cue is not None:
            yield ["quotes", i, "cue"], quote.cue


def _check_seed(loaded: LoadedRecord, out: _Collector) -> None:
    record = loaded.record
    root = corpus_root(loaded.path)
    seed = root / record.source.path if root else None
    if seed is None or not seed.is_file():
        out.add(
            "seed-missing",
            f"seed {record.source.path!r} not found"
            + (f" under {root}" if root else " (no folder above the record holds seeds/)"),
            ["source", "path"],
        )
        return
    if root is not None and not _inside(seed, root):
        out.add(
            "unsafe-path",
            f"seed {record.source.path!r} links outside the corpus",
            ["source", "path"],
        )
        return
    try:
        raw = seed.read_bytes()
    except OSError as exc:
        out.add("seed-missing", f"seed {record.source.path!r} cannot be read: {exc}", ["source", "path"])
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


def _check_spans(record: Record, out: _Collector) -> set[tuple[int, int]]:
    """Range, surface and whitespace of every span; return the (start, end) pairs that are bad."""
    text = record.text
    bad: set[tuple[int, int]] = set()
    for path, span in _spans(record):
        if not (span.start < span.end <= len(text)):
            out.add(
                "span-out-of-range",
                f"span [{span.start}:{span.end}] is empty, reversed or past the end of the text "
                f"(length {len(text)})",
                path,
            )
            bad.add((span.start, span.end))
            continue
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
    return bad


def _check_ids(record: Record, out: _Collector) -> None:
    seen: dict[str, Path_] = {}
    for name in ("sentences", "entities", "mentions", "values", "events", "quotes"):
        for i, item in enumerate(getattr(record, name)):
            if item.id in seen:
                out.add(
                    "duplicate-id",
                    f"id {item.id!r} is used again; first at {pointer_of(seen[item.id])}",
                    [name, i, "id"],
                )
            else:
                seen[item.id] = [name, i]


def _check_references(record: Record, out: _Collector) -> None:
    ont = load_ontology()
    entities = {e.id: e for e in record.entities}
    mentions = {m.id: m for m in record.mentions}
    values = {v.id: v for v in record.values}

    def resolve(table: dict[str, Any], ref: str, kind: str, path: Path_) -> Any:
        if ref not in table:
            out.add("dangling-reference", f"{ref!r} is not the id of any {kind} in the record", path)
            return None
        return table[ref]

    for i, entity in enumerate(record.entities):
        if entity.sector is not None and entity.type != "ORG":
            out.add(
                "sector-not-org",
                f"entity {entity.id} is {entity.type} but has sector {entity.sector!r}",
                ["entities", i, "sector"],
            )
    for i, mention in enumerate(record.mentions):
        resolve(entities, mention.entity, "entity", ["mentions", i, "entity"])
    for i, event in enumerate(record.events):
        spec = ont.event_types[event.type]
        if event.mode is not None and event.mode not in spec.modes:
            allowed = ", ".join(spec.modes) or "none (mode must be null)"
            out.add(
                "mode-not-allowed",
                f"mode {event.mode!r} is not a mode of {event.type}; allowed: {allowed}",
                ["events", i, "mode"],
            )
        roles_present = set()
        for j, arg in enumerate(event.arguments):
            apath: Path_ = ["events", i, "arguments", j]
            roles_present.add(arg.role)
            if arg.role not in spec.roles:
                out.add(
                    "role-not-allowed",
                    f"role {arg.role!r} is not allowed for {event.type}; allowed: {', '.join(spec.roles)}",
                    [*apath, "role"],
                )
            accepts = ont.roles[arg.role].accepts
            if isinstance(arg, EntityArgument):
                entity = resolve(entities, arg.entity, "entity", [*apath, "entity"])
                mention = resolve(mentions, arg.mention, "mention", [*apath, "mention"])
                filler_type = entity.type if entity else None
                if mention is not None and mention.entity != arg.entity:
                    out.add(
                        "mention-entity-mismatch",
                        f"mention {arg.mention} ({mention.text!r}) belongs to {mention.entity}, "
                        f"not to {arg.entity}",
                        [*apath, "mention"],
                    )
            else:
                value = resolve(values, arg.value, "value", [*apath, "value"])
                filler_type = value.type if value else None
            if filler_type is not None and filler_type not in accepts:
                out.add(
                    "filler-type-mismatch",
                    f"role {arg.role} is filled by a {filler_type}; it accepts {', '.join(accepts)}",
                    apath,
                )
        for role in spec.required:
            if role not in roles_present:
                out.add(
                    "missing-required-role",
                    f"{event.type} event {event.id} has no {role} argument; required: "
                    f"{', '.join(spec.required)}",
                    ["events", i, "arguments"],
                )
    for i, quote in enumerate(record.quotes):
        qpath: Path_ = ["quotes", i]
        speaker = None
        if quote.speaker is not None:
            speaker = resolve(entities, quote.speaker, "entity", [*qpath, "speaker"])
            if speaker is not None and speaker.type not in ont.speaker_types:
                out.add(
                    "speaker-type",
                    f"speaker {speaker.id} ({speaker.name!r}) is {speaker.type}; expected "
                    f"{', '.join(ont.speaker_types)}",
                    [*qpath, "speaker"],
                )
        if quote.speaker_mention is not None:
            mention = resolve(mentions, quote.speaker_mention, "mention", [*qpath, "speaker_mention"])
            if mention is not None and mention.entity != quote.speaker:
                out.add(
                    "mention-entity-mismatch",
                    f"speaker_mention {mention.id} ({mention.text!r}) belongs to {mention.entity}, "
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
    stack: list[int] = []
    order = sorted(
        (j for j in range(len(spans)) if spans[j] not in skip), key=lambda j: (spans[j][0], -spans[j][1])
    )
    for j in order:
        start, end = spans[j]
        while stack and spans[stack[-1]][1] <= start:
            stack.pop()
        if stack and spans[stack[-1]][1] < end:
            out.append((j, stack[-1]))
            continue
        stack.append(j)
    return out


def _check_layout(record: Record, bad: set[tuple[int, int]], out: _Collector) -> None:
    text = record.text
    for name, code in (("sentences", "sentence-overlap"), ("zones", "zone-overlap")):
        ordered = sorted(enumerate(getattr(record, name)), key=lambda p: (p[1].start, p[1].end))
        for (_, a), (j, b) in pairwise(ordered):
            if b.start < a.end:
                out.add(code, f"[{b.start}:{b.end}] {b.text!r} overlaps [{a.start}:{a.end}]", [name, j])
    sentences = sorted((s.start, s.end) for s in record.sentences)
    starts = [s for s, _ in sentences]
    token_starts, token_ends = boundaries(text)

    def inside_sentence(span: Span) -> bool:
        k = bisect_right(starts, span.start) - 1
        return k >= 0 and sentences[k][0] <= span.start and span.end <= sentences[k][1]

    located: list[tuple[Path_, Span, str]] = [
        (["mentions", i], m, "mention") for i, m in enumerate(record.mentions)
    ]
    located += [(["values", i], v, "value") for i, v in enumerate(record.values)]
    located += [(["events", i, "trigger"], e.trigger, "trigger") for i, e in enumerate(record.events)]
    for path, span, kind in located:
        if (span.start, span.end) in bad:
            continue
        if not inside_sentence(span):
            out.add(
                "outside-sentence",
                f"{kind} {span.text!r} at [{span.start}:{span.end}] is not inside one sentence",
                path,
            )
        if kind != "value" and (span.start not in token_starts or span.end not in token_ends):
            out.add(
                "token-boundary",
                f"{kind} {span.text!r} at [{span.start}:{span.end}] does not start and end on token "
                "boundaries",
                path,
            )
    mentions = record.mentions
    for j, k in crossing_pairs([(m.start, m.end) for m in mentions], skip=bad):
        a, b = mentions[k], mentions[j]
        out.add(
            "crossing-mentions",
            f"mention {b.id} {b.text!r} [{b.start}:{b.end}] crosses mention {a.id} {a.text!r} "
            f"[{a.start}:{a.end}]",
            ["mentions", j],
        )
    seen: dict[tuple[int, int], str] = {}
    for i, mention in enumerate(record.mentions):
        key = (mention.start, mention.end)
        if key in seen:
            out.add(
                "duplicate-mention-span",
                f"mention {mention.id} {mention.text!r} has the same span as mention {seen[key]}",
                ["mentions", i],
            )
        else:
            seen[key] = mention.id


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
    import datetime as dt

    for part in normalized.split("/"):
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


def _check_missed_mentions(record: Record, out: _Collector) -> None:
    text = record.text
    names: dict[str, set[str]] = defaultdict(set)
    for m in record.mentions:
        if m.kind == "NAM":
            names[m.text].add(m.entity)
    spans = sorted({(m.start, m.end, m.entity) for m in record.mentions})
    covered = {(m.start, m.end) for m in record.mentions}
    covered |= {(n.start, n.end) for n in record.non_mentions}
    sentences = sorted((s.start, s.end) for s in record.sentences)
    starts = [s for s, _ in sentences]
    token_starts, token_ends = boundaries(text)
    for name, entities in sorted(names.items()):
        for match in re.finditer(re.escape(name), text):
            s, e = match.span()
            if (s, e) in covered or s not in token_starts or e not in token_ends:
                continue
            if any(
                a <= s and e <= b and owner in entities
                for a, b, owner in spans[: bisect_right(spans, (s, math.inf))]
            ):
                continue  # part of a longer name of the same entity ("Adu" in "Kofi Adu")
            k = bisect_right(starts, s) - 1
            if k < 0 or e > sentences[k][1]:
                continue  # boilerplate and other text outside sentences is not annotated
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
    if unicodedata.normalize("NFC", record.text) != record.text:
        out.add("text-not-nfc", "the text is not in Unicode normalization form NFC", ["text"])
    bad = _check_spans(record, out)
    _check_ids(record, out)
    _check_references(record, out)
    _check_layout(record, bad, out)
    _check_quotes(record, bad, out)
    _check_values(record, out)
    _check_missed_mentions(record, out)
    return out.items


# ---------------------------------------------------------------- corpus layer


def check_corpus(records: Sequence[LoadedRecord]) -> list[Finding]:
    """Checks across records: ids unique, file name equals id, one type per name."""
    out: list[Finding] = []
    first_by_id: dict[str, str] = {}
    for loaded in records:
        line, column = loaded.locator.locate(["id"])
        rid = loaded.record.id
        if rid in first_by_id:
            out.append(
                finding(
                    "duplicate-record-id",
                    f"id {rid!r} is also the id of {first_by_id[rid]}",
                    file=loaded.file,
                    pointer="/id",
                    line=line,
                    column=column,
                )
            )
        else:
            first_by_id[rid] = loaded.file
        if loaded.path.stem != rid:
            out.append(
                finding(
                    "id-file-mismatch",
                    f"id is {rid!r} but the file is named {loaded.path.name!r}; expected {rid}.json",
                    file=loaded.file,
                    pointer="/id",
                    line=line,
                    column=column,
                )
            )
    types: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for loaded in records:
        entities = {e.id: e for e in loaded.record.entities}
        for m in loaded.record.mentions:
            if m.kind == "NAM" and m.entity in entities:
                types[m.text].setdefault(entities[m.entity].type, (loaded.record.id, loaded.file))
    for name, by_type in sorted(types.items()):
        if len(by_type) > 1:
            (t1, (a1, _)), (t2, (a2, f2)) = sorted(by_type.items())[:2]
            if a1 == a2:
                continue  # metonymy inside one article is the annotator's documented choice
            out.append(
                finding(
                    "type-conflict-across-articles",
                    f"{name!r} is {t1} in {a1} but {t2} in {a2}",
                    file=f2,
                )
            )
    return out


# ---------------------------------------------------------------- driver


def _expand(paths: Sequence[Path]) -> tuple[list[Path], list[Finding]]:
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


def _cap(findings: list[Finding], file: str) -> list[Finding]:
    if len(findings) <= MAX_FINDINGS_PER_FILE:
        return findings
    kept = sorted(findings, key=sort_key)[:MAX_FINDINGS_PER_FILE]
    kept.append(
        finding(
            "findings-truncated",
            f"more than {MAX_FINDINGS_PER_FILE} findings; only the first {MAX_FINDINGS_PER_FILE} are listed",
            file=file,
        )
    )
    return kept


def validate_paths(paths: Sequence[Path]) -> Report:
    """Validate record files and folders of records; never raises on bad input."""
    files, findings = _expand(paths)
    loaded_records: list[LoadedRecord] = []
    for path in files:
        loaded, file_findings = load_record_file(path)
        if loaded is not None:
            file_findings = check_record(loaded)
            loaded_records.append(loaded)
        findings.extend(_cap(file_findings, str(path)))
    findings.extend(check_corpus(loaded_records))
    return Report(tuple(sorted(findings, key=sort_key)), len(files), tuple(loaded_records))
