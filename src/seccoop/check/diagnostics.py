"""Findings: the one catalog of diagnostic codes, the finding value, and its output formats.

Checks never print. They return :class:`Finding` values with a stable kebab-case code from
:data:`CATALOG`, a severity, a location (file, line, column, JSON pointer), a message that quotes
the bad value and says what was expected, and a hint. The CLI sorts and renders them.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = [
    "CATALOG",
    "MAX_FINDINGS_PER_FILE",
    "CodeSpec",
    "Finding",
    "Locator",
    "Severity",
    "errors_of",
    "exit_code_of",
    "finding",
    "render",
    "summary_line",
]

Severity = Literal["error", "warning"]

MAX_FINDINGS_PER_FILE = 200
"""The cap on the findings listed per file (validator and predictions); the rest are counted."""


@dataclass(frozen=True)
class CodeSpec:
    """What a code means, how severe it is, and the default hint for fixing it."""

    severity: Severity
    layer: Literal["file", "syntax", "structure", "semantics", "corpus", "command"]
    title: str
    hint: str
    subject: Literal["record", "predictions", "command"] = "record"


CATALOG: dict[str, CodeSpec] = {
    # file layer
    "io-error": CodeSpec(
        "error",
        "file",
        "The path cannot be read.",
        "Check that the path exists and is a readable file.",
    ),
    "unsafe-path": CodeSpec(
        "error",
        "file",
        "A symlink points outside the folder being validated.",
        "Replace the link with the file itself; records and seeds must live in the repository.",
    ),
    "encoding-error": CodeSpec(
        "error",
        "file",
        "The file is not plain UTF-8 (bad bytes or a byte-order mark).",
        "Save the file as UTF-8 without a BOM.",
    ),
    # syntax layer
    "json-syntax": CodeSpec(
        "error",
        "syntax",
        "The file is not valid JSON.",
        "Fix the JSON at the line and column given.",
    ),
    "duplicate-key": CodeSpec(
        "error",
        "syntax",
        "An object has the same key twice; JSON parsers would silently keep only one.",
        "Remove or merge the repeated key.",
    ),
    "findings-truncated": CodeSpec(
        "warning",
        "file",
        "The file has too many findings; only the first ones are listed.",
        "Fix the listed findings and validate again to see the rest.",
    ),
    # structure layer (JSON Schema)
    "unsupported-schema-version": CodeSpec(
        "error",
        "structure",
        "The record declares a schema_version this version of seccoop cannot read.",
        "Upgrade seccoop, or migrate the record to the current schema_version.",
    ),
    "wrong-type": CodeSpec(
        "error", "structure", "A value has the wrong JSON type.", "See schemas/record.schema.json."
    ),
    "missing-field": CodeSpec(
        "error",
        "structure",
        "A required field is absent.",
        "Add the field; use null where the text does not say (and explain it in annotation.notes).",
    ),
    "unknown-field": CodeSpec(
        "error",
        "structure",
        "A field is not part of the schema.",
        "Remove it, or check its spelling against schemas/record.schema.json.",
    ),
    "not-in-vocabulary": CodeSpec(
        "error",
        "structure",
        "A label is not in its closed vocabulary (the ontology, for annotation labels).",
        "Use one of the labels listed in src/seccoop/record/ontology.json (see dataset/GUIDELINES.md).",
    ),
    "constraint-violation": CodeSpec(
        "error",
        "structure",
        "A value breaks a constraint of the schema (pattern, minimum, length, format).",
        "See the field's description in schemas/record.schema.json.",
    ),
    # semantics layer
    "seed-missing": CodeSpec(
        "error",
        "semantics",
        "The seed file named by source.path does not exist.",
        "source.path is relative to the corpus root, the nearest folder above the record that holds seeds/.",
    ),
    "seed-hash-mismatch": CodeSpec(
        "error",
        "semantics",
        "The seed file's SHA-256 differs from source.sha256.",
        "Seeds are never edited; if the seed really changed, re-anchor the record and update the hash.",
    ),
    "text-mismatch": CodeSpec(
        "error",
        "semantics",
        "The record's text differs from the seed file decoded as UTF-8.",
        "Copy the seed text unchanged into `text`.",
    ),
    "text-not-nfc": CodeSpec(
        "error",
        "semantics",
        "The text is not in Unicode normalization form NFC.",
        "Normalize the seed to NFC before annotating, or offsets will not be portable.",
    ),
    "span-out-of-range": CodeSpec(
        "error",
        "semantics",
        "A span is empty, reversed or reaches past the end of the text.",
        "Recompute the offsets with code from the surface, never by hand.",
    ),
    "span-text-mismatch": CodeSpec(
        "error",
        "semantics",
        "text[start:end] differs from the surface the record gives.",
        "Recompute the offsets with code from the surface, never by hand.",
    ),
    "span-whitespace": CodeSpec(
        "error", "semantics", "A span starts or ends on whitespace.", "Trim the span."
    ),
    "duplicate-id": CodeSpec(
        "error",
        "semantics",
        "Two objects in the record share an id.",
        "Give every object its own id.",
    ),
    "dangling-reference": CodeSpec(
        "error",
        "semantics",
        "A reference names an id that does not exist (or an object of the wrong kind).",
        "Point the reference at an existing entity, mention or value.",
    ),
    "sector-not-org": CodeSpec(
        "error",
        "semantics",
        "Only ORG entities have a sector.",
        "Set sector to null or the type to ORG.",
    ),
    "mode-not-allowed": CodeSpec(
        "error",
        "semantics",
        "The mode is not a mode of this PLOVER event type.",
        "Use one of the event type's modes from the ontology, or null.",
    ),
    "role-not-allowed": CodeSpec(
        "error",
        "semantics",
        "The role is not allowed for this event type.",
        "Use one of the roles the ontology allows for the event type.",
    ),
    "missing-required-role": CodeSpec(
        "error",
        "semantics",
        "An event lacks a role its type requires.",
        "Add the argument, or reconsider the event type.",
    ),
    "filler-type-mismatch": CodeSpec(
        "error",
        "semantics",
        "A role is filled by an entity or value of a type it does not accept.",
        "See the role's accepted types in the ontology (Place is GPE/LOC/FAC, Time is a DATE value, ...).",
    ),
    "argument-outside-sentence": CodeSpec(
        "error",
        "semantics",
        "An argument's mention or value is not inside the sentence of the event's trigger.",
        "Fill the role with a mention or value in the trigger's sentence (the closest mention of the "
        "entity), or leave the role out (guidelines §5.6).",
    ),
    "event-cluster-singleton": CodeSpec(
        "error",
        "semantics",
        "An event cluster id is used by only one event.",
        "Give the cluster id to every report of the same event, or set cluster to null for an event "
        "reported once (guidelines §5.9).",
    ),
    "event-cluster-type-mismatch": CodeSpec(
        "error",
        "semantics",
        "Events of one cluster have different types.",
        "All reports of one event have the same type; fix the type or split the cluster (guidelines §5.9).",
    ),
    "event-cluster-mode-mismatch": CodeSpec(
        "error",
        "semantics",
        "Events of one cluster have different non-null modes.",
        "A report may lack the mode another has, but two modes must not differ; fix the mode or split "
        "the cluster (guidelines §5.9).",
    ),
    "mention-entity-mismatch": CodeSpec(
        "error",
        "semantics",
        "The mention given for an argument or speaker belongs to another entity.",
        "Name a mention of the same entity.",
    ),
    "crossing-mentions": CodeSpec(
        "error",
        "semantics",
        "Two mentions overlap without one containing the other.",
        "Mentions nest or stay apart; a crossing pair would lose one name in the NER export.",
    ),
    "duplicate-mention-span": CodeSpec(
        "error",
        "semantics",
        "Two mentions cover exactly the same span.",
        "Keep one mention per span; a span refers to one entity.",
    ),
    "token-boundary": CodeSpec(
        "error",
        "semantics",
        "A mention or trigger starts or ends inside a token of the NER tokenizer.",
        "Cut the span at token boundaries (seccoop.record.tokens.tokenize); it would be lost in the NER "
        "export.",
    ),
    "quote-outside-marks": CodeSpec(
        "error",
        "semantics",
        "The content of a direct quote is not enclosed in quotation marks.",
        "A direct quote's content is exactly what stands between its quotation marks.",
    ),
    "cue-inside-content": CodeSpec(
        "error",
        "semantics",
        "The cue of a quote overlaps its content.",
        "The cue (said, stressed that) lies outside the quoted content.",
    ),
    "speaker-type": CodeSpec(
        "error",
        "semantics",
        "A speaker is not a PER, ORG or GPE entity.",
        "Attribute the quote to a person, an organization or a government.",
    ),
    "sentence-overlap": CodeSpec(
        "error", "semantics", "Two sentence spans overlap.", "Sentences partition the running text."
    ),
    "zone-overlap": CodeSpec("error", "semantics", "Two zones overlap.", "Zones do not overlap."),
    "outside-sentence": CodeSpec(
        "error",
        "semantics",
        "A mention, value or trigger does not lie inside one sentence.",
        "Add or fix the sentence span that contains it.",
    ),
    "bad-normalization": CodeSpec(
        "error",
        "semantics",
        "A value's normalized form does not match its type's pattern.",
        "See the value type's pattern in the ontology (DATE 2023-03-09, MONEY USD 100000000, ...).",
    ),
    "possible-missed-mention": CodeSpec(
        "warning",
        "semantics",
        "A name annotated as a mention elsewhere in the article is not annotated here.",
        "Annotate the occurrence, or list it in non_mentions with the reason it is not a mention.",
    ),
    # corpus layer
    "duplicate-record-id": CodeSpec(
        "error", "corpus", "Two records share an id.", "Record ids are unique across the corpus."
    ),
    "id-file-mismatch": CodeSpec(
        "error",
        "corpus",
        "The record's id differs from its file name.",
        "Name the file <id>.json, or change the id.",
    ),
    # contribution rules: what a record offered for the corpus must also satisfy
    "unexplained-null-metadata": CodeSpec(
        "warning",
        "semantics",
        "A record that is not a draft has a null title, publisher, byline, published or url with no "
        "note saying why.",
        "Add a note to annotation.notes that starts with the field name, e.g. "
        '"byline: null - the text credits no author."',
    ),
    "not-canonical": CodeSpec(
        "warning",
        "syntax",
        "The record file is not in the canonical form (key order, layers sorted by offset, "
        "two-space indent).",
        "Run: seccoop fmt <file> (the content does not change; only the layout).",
    ),
    "type-conflict-across-articles": CodeSpec(
        "warning",
        "corpus",
        "The same name is typed differently in two articles.",
        "Check both; if both are right (metonymy), say so in the guidelines' ambiguous cases.",
    ),
    # commands (seccoop new, anchor, fmt, diff, render, build): problems with their input, each
    # tested in tests/test_review.py
    "draft-invalid": CodeSpec(
        "error",
        "command",
        "The draft cannot be anchored: it is not a JSON object, or its seed cannot be read.",
        "Start from the draft that `seccoop new SEED --draft FILE` writes; see CONTRIBUTING.md.",
        "command",
    ),
    "draft-bad-span": CodeSpec(
        "error",
        "command",
        "A span of the draft has no surface text.",
        'Write every span as {"text": "surface"}, adding "occurrence": k or "in": "context" if needed.',
        "command",
    ),
    "draft-span-not-found": CodeSpec(
        "error",
        "command",
        "A span's surface (or its k-th occurrence) does not occur in the text as whole tokens.",
        "Copy the surface exactly from the seed; occurrences inside longer words do not count.",
        "command",
    ),
    "draft-span-ambiguous": CodeSpec(
        "error",
        "command",
        "A span's surface occurs several times and the draft does not say which.",
        'Add "occurrence": k (from 1) or "in": "a longer context that occurs once".',
        "command",
    ),
    "draft-typed-offset": CodeSpec(
        "error",
        "command",
        "A draft gives start or end offsets; offsets are computed by `seccoop anchor`, never typed.",
        'Remove "start" and "end"; give the surface as "text" (with "occurrence" or "in").',
        "command",
    ),
    "would-overwrite": CodeSpec(
        "error",
        "command",
        "The command would overwrite an existing file.",
        "Choose another output path, or remove the file first if you really mean to replace it.",
        "command",
    ),
    "git-error": CodeSpec(
        "error",
        "command",
        "A git revision or range cannot be read.",
        "Give revisions as A..B (e.g. origin/main..HEAD) inside a git repository.",
        "command",
    ),
    "draft-not-published": CodeSpec(
        "error",
        "command",
        "`seccoop build` refuses records whose annotation.status is draft.",
        "Finish the annotation and set the status to single (or better), or pass --include-drafts.",
        "command",
    ),
    "bad-input": CodeSpec(
        "error",
        "command",
        "An input of the command is not what it expects (not a record, not a seed, a wrong path).",
        "See the command's --help.",
        "command",
    ),
    # predictions (seccoop score): codes that only a predictions file can raise
    "unknown-article": CodeSpec(
        "error",
        "corpus",
        "A prediction names an article id that is not in the gold corpus.",
        "Use the ids of the gold records (the file names in dataset/articles without .json).",
        "predictions",
    ),
    "duplicate-prediction": CodeSpec(
        "error",
        "corpus",
        "Two lines of the predictions file are for the same article.",
        "Write one line per article; merge the two predictions.",
        "predictions",
    ),
    "unaligned-span": CodeSpec(
        "warning",
        "semantics",
        "A text-only span does not occur in the article, so it cannot be aligned; it is scored "
        "as a spurious prediction.",
        "Copy the surface exactly as it stands in the article text (same quotes, dashes, spaces).",
        "predictions",
    ),
    "empty-predictions": CodeSpec(
        "error",
        "file",
        "The predictions file holds no prediction line (it is empty or blank).",
        "Write one JSON object per article, one per line (schemas/predictions.schema.json).",
        "predictions",
    ),
    "article-not-predicted": CodeSpec(
        "warning",
        "corpus",
        "A gold article has no line in the predictions file; it is scored as an empty prediction.",
        "Write a line for every article, with empty lists where the system found nothing.",
        "predictions",
    ),
}

_SEVERITY_ORDER = {"error": 0, "warning": 1}


@dataclass(frozen=True, order=True)
class Finding:
    """One diagnostic: what is wrong, where, and how to fix it."""

    file: str
    line: int
    column: int
    pointer: str
    code: str
    severity: Severity
    message: str
    hint: str

    def as_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict."""
        return asdict(self)


def finding(
    code: str,
    message: str,
    *,
    file: str,
    pointer: str = "",
    line: int = 0,
    column: int = 0,
    hint: str | None = None,
) -> Finding:
    """Build a finding for a catalog code; the severity and default hint come from the catalog."""
    spec = CATALOG[code]
    return Finding(
        file=file,
        line=line,
        column=column,
        pointer=pointer,
        code=code,
        severity=spec.severity,
        message=message,
        hint=hint if hint is not None else spec.hint,
    )


def _escape_pointer(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(path: Iterable[str | int]) -> str:
    """The RFC 6901 JSON pointer of a path of keys and indices."""
    return "".join("/" + _escape_pointer(p) for p in path)


_DECODER = json.JSONDecoder()  # module-level: a Locator stays picklable (sent back by workers)


class Locator:
    """Maps JSON pointers of a valid JSON document to (line, column), walking only what is asked.

    Siblings on the way are skipped with the C JSON scanner, so a large file costs one pass. The
    line index is built on the first question, so a clean file never pays for it.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[int] | None = None
        self._asked = 0
        self._cache: dict[str, int] = {"": self._ws(0)}
        # offsets of the elements of each array met so far, by the array's pointer: a walk to
        # element j resumes from the last known element, so many findings in one long array
        # cost one pass over it, not one pass each
        self._elements: dict[str, list[int]] = {}

    @property
    def text(self) -> str:
        """The document the locator walks."""
        return self._text

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        if self._lines is None:
            self._asked += 1
            if self._asked <= 8:  # a few questions: count, without building the index
                line_start = self._text.rfind("\n", 0, offset) + 1
                return self._text.count("\n", 0, offset) + 1, offset - line_start + 1
            self._lines = [m.start() for m in re.finditer("\n", self._text)]
        newlines = self._lines
        line_index = bisect_right(newlines, offset - 1)
        line_start = newlines[line_index - 1] + 1 if line_index else 0
        return line_index + 1, offset - line_start + 1

    def _ws(self, i: int) -> int:
        text = self._text
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        return i

    def _skip(self, i: int) -> int:
        _, end = _DECODER.raw_decode(self._text, i)
        return self._ws(end)

    def _member(self, i: int, name: str) -> int | None:
        text = self._text
        i = self._ws(i + 1)
        while text[i] != "}":
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            i = self._ws(self._ws(i) + 1)  # past ':'
            if key == name:
                return i
            i = self._skip(i)
            if text[i] == ",":
                i = self._ws(i + 1)
        return None

    def _element(self, pointer: str, i: int, index: int) -> int | None:
        text = self._text
        known = self._elements.setdefault(pointer, [])
        if not known:
            first = self._ws(i + 1)
            if text[first] == "]":
                return None
            known.append(first)
        while len(known) <= index:
            j = self._skip(known[-1])
            if text[j] != ",":
                return None
            known.append(self._ws(j + 1))
        return known[index]

    def offset(self, path: Sequence[str | int]) -> int:
        """Character offset of the value at ``path`` (the deepest existing ancestor if absent)."""
        pointer = ""
        i = self._cache[""]
        try:
            for step in path:
                child = f"{pointer}/{_escape_pointer(step)}"
                if child in self._cache:
                    pointer, i = child, self._cache[child]
                    continue
                char = self._text[i]
                if char == "{":
                    found = self._member(i, str(step))
                elif char == "[" and isinstance(step, int):
                    found = self._element(pointer, i, step)
                else:
                    found = None
                if found is None:
                    break
                pointer, i = child, found
                self._cache[pointer] = i
        except (IndexError, ValueError, RecursionError):
            pass  # a value nested too deeply for the scanner: point at its deepest known ancestor
        return i

    def locate(self, path: Sequence[str | int]) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path``."""
        return self.line_col(self.offset(path))


def render(findings: Sequence[Finding], fmt: str) -> str:
    """Render findings as ``human`` lines, a ``json`` document, or ``github`` workflow commands."""
    if fmt == "json":
        # line and column 0 mean "unknown": JSON says so with null rather than a fake position
        rows = [f.as_dict() | {"line": f.line or None, "column": f.column or None} for f in findings]
        return json.dumps(rows, ensure_ascii=False, indent=2)
    lines = []
    for f in findings:
        if fmt == "github":
            command = "error" if f.severity == "error" else "warning"
            msg = f"[{f.code}] {f.pointer or '/'}: {f.message} Hint: {f.hint}"
            msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            loc = f"file={f.file}"
            if f.line:
                loc += f",line={f.line}"
                if f.column:
                    loc += f",col={f.column}"
            lines.append(f"::{command} {loc},title={f.code}::{msg}")
        else:
            where = f.file + (f":{f.line}" if f.line else " (line unknown)")
            where += f":{f.column}" if f.line and f.column else ""
            pointer = f" {f.pointer}" if f.pointer else ""
            lines.append(f"{where}{pointer} {f.severity} [{f.code}] {f.message}\n    hint: {f.hint}")
    return "\n".join(lines)


def errors_of(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings at error level."""
    return tuple(f for f in findings if f.severity == "error")


def exit_code_of(findings: Sequence[Finding]) -> int:
    """0 clean (warnings allowed), 1 error findings, 2 I/O trouble (an ``io-error``)."""
    if any(f.code == "io-error" for f in findings):
        return 2
    return 1 if errors_of(findings) else 0


def summary_line(findings: Sequence[Finding], files: int) -> str:
    """One closing line: how many files, errors and warnings."""
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    status = "ok" if errors == 0 else "FAILED"
    return f"{status}: {files} file(s) checked, {errors} error(s), {warnings} warning(s)"


def sort_key(f: Finding) -> tuple[str, int, int, str, int, str]:
    """Order findings by file, position, pointer, severity and code."""
    return (f.file, f.line, f.column, f.pointer, _SEVERITY_ORDER[f.severity], f.code)
