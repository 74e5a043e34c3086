"""``stats`` and ``ls`` as text, Markdown, JSON and JSON Lines.

Tables of a fixed size (per label, split, annotator) are aligned for the terminal; rows per
document are streamed as they come: tab-separated text with a header line (for ``cut`` and
``awk``), Markdown, one JSON document written piece by piece, or JSON Lines. A value the
document does not have is ``-`` in text and Markdown, null in JSON.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator, Optional, Sequence, TextIO

from ..model import LAYERS
from ._summary import DocumentSummary, StatsTally

#: The views of ``stats --by``; without it, the totals and the first three.
STATS_VIEWS = ("label", "split", "annotator", "document")
#: The columns of ``ls``, in text; JSON has every key of ``DocumentSummary.to_dict``.
LS_COLUMNS = ("id", "title", "published", "source", "split", "annotators", *LAYERS, "errors")
#: The columns of ``stats --by document``.
DOCUMENT_COLUMNS = ("document", "split", *LAYERS, "layers", "errors")
UNKNOWN = "-"


def _cell(value: Any) -> str:
    """A value as one cell of a line: ``-`` for none, a list comma-joined, tabs and line breaks as spaces."""
    if value is None:
        return UNKNOWN
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value)) or UNKNOWN
    return " ".join(str(value).replace("\t", " ").splitlines()) if isinstance(value, str) else str(value)


def _markdown_cell(value: Any) -> str:
    return _cell(value).replace("|", "\\|")


def aligned(rows: Sequence[dict[str, Any]]) -> str:
    """Rows (dicts with the same keys) as an aligned table with a header; numbers to the right."""
    header = list(rows[0])
    cells = [[_cell(r[k]) for k in header] for r in rows]
    right = [all(isinstance(r[k], int) for r in rows) for k in header]
    widths = [max(len(x) for x in column) for column in zip(header, *cells)]
    lines = ["  ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(line, widths, right)).rstrip()
             for line in [header, *cells]]
    return "\n".join(lines) + "\n"


def markdown(rows: Sequence[dict[str, Any]]) -> str:
    header = list(rows[0])
    align = ["---:" if all(isinstance(r[k], int) for r in rows) else "---" for k in header]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_markdown_cell(r[k]) for k in header) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _view_rows(tally: StatsTally, view: str) -> list[dict[str, Any]]:
    return {"label": tally.label_rows, "split": tally.split_rows, "annotator": tally.annotator_rows}[view]()


def format_stats(tally: StatsTally, *, by: Optional[str], fmt: str) -> str:
    """The tables of ``stats`` (``by``: one view of ``STATS_VIEWS`` but ``document``, or None for
    the totals and every view) in ``fmt``: ``text``, ``markdown`` or ``json``."""
    views = [by] if by else ["label", "split", "annotator"]
    if fmt == "json":
        value = {"rows": _view_rows(tally, by)} if by else \
            {"totals": tally.totals(), "left_out": tally.left_out, **{f"by_{v}": _view_rows(tally, v) for v in views}}
        return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    table = markdown if fmt == "markdown" else aligned
    parts = [] if by else [("### Totals\n\n" if fmt == "markdown" else "") + table([tally.totals()])]
    for view in views:
        heading = f"### By {view}\n\n" if fmt == "markdown" and not by else ""
        parts.append(heading + table(_view_rows(tally, view)))
    return "\n".join(parts)


def document_row(s: DocumentSummary) -> dict[str, Any]:
    """A row of ``stats --by document``: gold's items per layer, the annotator layers, the errors."""
    return {"document": s.id, "split": s.split, **{layer: s.total(layer) for layer in LAYERS},
            "layers": len(s.annotators) if s.meta is not None else None, "errors": s.errors}


def write_rows(rows: Iterable[dict[str, Any]], out: TextIO, *, fmt: str, columns: Sequence[str], key: str = "rows") -> int:
    """Write ``rows`` as they come, in ``fmt``: ``text`` (tab-separated, under a header of
    ``columns``), ``markdown``, ``json`` (``{key: [...]}``, every key of each row) or ``jsonl``
    (one row per line). Returns how many rows were written."""
    n = 0
    if fmt == "json":
        out.write(f"{{{json.dumps(key)}: [")
        for n, row in enumerate(rows, 1):
            out.write(("," if n > 1 else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        out.write("\n]}\n" if n else "]}\n")
        return n
    if fmt == "markdown":
        out.write("| " + " | ".join(columns) + " |\n|" + "|".join("---" for _ in columns) + "|\n")
    elif fmt == "text":
        out.write("\t".join(columns) + "\n")
    for n, row in enumerate(rows, 1):
        out.write(_line(row, fmt, columns))
    return n


def _line(row: dict[str, Any], fmt: str, columns: Sequence[str]) -> str:
    if fmt == "jsonl":
        return json.dumps(row, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return "| " + " | ".join(_markdown_cell(row[k]) for k in columns) + " |\n"
    return "\t".join(_cell(row[k]) for k in columns) + "\n"


def left_out_note(tally: StatsTally, command: str) -> Iterator[str]:
    """The lines that say the figures are not the whole corpus (none when they are)."""
    if tally.left_out:
        shown = ", ".join(tally.left_out[:5]) + (f" and {len(tally.left_out) - 5} more" if len(tally.left_out) > 5 else "")
        yield (f"{command}: {len(tally.left_out)} document(s) with errors are not counted, as the build would not "
               f"release them: {shown} (run newsspans validate)")
    elif tally.errors:
        yield f"{command}: the corpus has {tally.errors} error(s) the build refuses it for (run newsspans validate)"
