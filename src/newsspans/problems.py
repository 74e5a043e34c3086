"""Problems as values: a stable code, a severity and a full location.

Every check yields ``Problem`` values; the build's gate and the CLI print them through the
same ``str()``. ``CODES`` is the catalogue of every code: severity, a one-line title, and how to
fix it; ``docs/checks.md`` is generated from it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Optional

from .errors import NewsSpansError

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    title: str
    fix: str


_CODES = (
    Code("E-FILE-MISSING", ERROR, "a required corpus file or folder is missing", "create it (see the corpus layout in the README)"),
    Code("E-FILE-UTF8", ERROR, "a file is not valid UTF-8", "re-save the file as UTF-8"),
    Code("E-FILE-BOM", ERROR, "a JSON file starts with a byte-order mark", "save the file as UTF-8 without a BOM"),
    Code("E-FILE-JSON", ERROR, "a JSON file does not parse", "fix the JSON syntax at the given line and column"),
    Code("E-SCHEMA", ERROR, "a JSON file does not match its JSON Schema", "change the value at the given JSON path (schemas: schema/*.schema.json)"),
    Code("E-DOC-NO-TEXT", ERROR, "a document has metadata or annotations but no text file", "add corpus/texts/<id>.txt or remove the orphan files"),
    Code("E-DOC-NO-META", ERROR, "a document has no metadata file", "add corpus/documents/<id>.json (newsspans add writes it)"),
    Code("E-DOC-NO-ANNOTATION", ERROR, "a document has no annotation file", "add corpus/annotations/<id>.json (newsspans add writes an empty one)"),
    Code("E-DOC-ID", ERROR, "the id inside a file differs from its file name", "make the id equal the file's stem"),
    Code("E-TEXT-SHA256", ERROR, "the text's SHA-256 differs from the one recorded in its metadata (edited after annotation?)", "restore the received text, or re-check every span and record the new SHA-256"),
    Code("E-SPAN-ORDER", ERROR, "a span has start >= end", "give the span a start before its end (end is exclusive)"),
    Code("E-SPAN-BOUNDS", ERROR, "a span ends past the end of the text", "correct the offsets (code points, end exclusive)"),
    Code("E-SPAN-TEXT", ERROR, "a span's stored text differs from the document text at its offsets", "correct the offsets or the stored text; the suggested offsets are the nearest exact occurrence"),
    Code("E-ID-DUPLICATE", ERROR, "an id is used twice", "give each item its own id; never reuse an id"),
    Code("E-REF-ENTITY", ERROR, "an entity id is not in the registry", "add the entity to corpus/registry.json or correct the id"),
)

CODES: dict[str, Code] = {c.code: c for c in _CODES}


@dataclass(frozen=True)
class Problem:
    """One problem, located as precisely as the check can: file, line, document, item, offsets."""

    code: str
    message: str
    file: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None
    document_id: Optional[str] = None
    item: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    fix: Optional[str] = None

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def __str__(self) -> str:
        where = self.file or "<corpus>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [f"{where}: [{self.code}]"]
        if self.item:
            parts.append(self.item)
        if self.start is not None and self.end is not None:
            parts.append(f"{self.start}-{self.end}:")
        elif self.item:
            parts[-1] += ":"
        text = " ".join(parts) + " " + self.message
        if self.fix:
            text += f" — {self.fix}"
        return text

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity
        return d


class CorpusInvalid(NewsSpansError):
    """The corpus has errors; ``problems`` holds every problem found, errors and warnings."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(1 for p in problems if p.severity == ERROR)
        super().__init__(f"the corpus has {errors} error(s)")


def summary(problems: list[Problem]) -> str:
    """The closing lines of a report: counts per code, then PASSED or FAILED."""
    counts: dict[str, int] = {}
    for p in problems:
        counts[p.code] = counts.get(p.code, 0) + 1
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    lines = [f"  {code} ({CODES[code].severity}): {n}" for code, n in sorted(counts.items())]
    verdict = "*** FAILED ***" if errors else "*** PASSED ***"
    lines.append(f"{verdict} with {errors} error(s) and {warnings} warning(s)")
    return "\n".join(lines)
