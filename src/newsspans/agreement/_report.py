"""Agreement rows as text (aligned columns), JSON (stable keys) and Markdown, and the headline
table of the dataset card."""

from __future__ import annotations

import json
from typing import Optional, Sequence

from ._rows import CLUSTER_LINK_F1, DECIMALS, HEADLINE, AgreementRow

#: How an undefined value (nothing to compare) is shown in text and Markdown; JSON has null.
UNDEFINED = "-"
#: How the row over all labels is named in text and Markdown; JSON and the release have null.
ALL_LABELS = "(all)"

_COLUMNS = ("annotator_a", "annotator_b", "layer", "label", "metric", "value", "count_a", "count_b", "agreed", "documents")
_RIGHT = {"value", "count_a", "count_b", "agreed", "documents"}


def show_value(value: Optional[float]) -> str:
    return UNDEFINED if value is None else f"{value:.{DECIMALS}f}"


def _cells(row: AgreementRow, by_document: bool) -> list[str]:
    cells = [row.document_id or ""] if by_document else []
    return cells + [row.annotator_a, row.annotator_b, row.layer, row.label or ALL_LABELS, row.metric, show_value(row.value),
                    str(row.count_a), str(row.count_b), str(row.agreed), str(row.documents)]


def _by_document(rows: Sequence[AgreementRow]) -> bool:
    return any(r.document_id is not None for r in rows)


def format_text(rows: Sequence[AgreementRow]) -> str:
    """An aligned table, a blank line between pairs of annotators (and documents)."""
    by_document = _by_document(rows)
    header = (["document"] if by_document else []) + list(_COLUMNS)
    right = [False] * by_document + [c in _RIGHT for c in _COLUMNS]
    table = [_cells(r, by_document) for r in rows]
    widths = [max(len(x) for x in column) for column in zip(header, *table)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right)).rstrip()

    lines = [line(header)]
    previous = None
    for row, cells in zip(rows, table):
        group = (row.document_id, row.annotator_a, row.annotator_b)
        if previous is not None and group != previous:
            lines.append("")
        previous = group
        lines.append(line(cells))
    return "\n".join(lines) + "\n"


def format_json(rows: Sequence[AgreementRow]) -> str:
    """``{"rows": [...]}``, each row with the keys of ``AgreementRow`` in its field order."""
    return json.dumps({"rows": [r.to_dict() for r in rows]}, ensure_ascii=False, indent=2) + "\n"


def format_markdown(rows: Sequence[AgreementRow]) -> str:
    by_document = _by_document(rows)
    header = (["document"] if by_document else []) + list(_COLUMNS)
    align = ["---"] * by_document + ["---:" if c in _RIGHT else "---" for c in _COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_cells(r, by_document)) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def headline_table(rows: Sequence[AgreementRow]) -> str:
    """Markdown: per pair and layer, the headline metric (all labels) with its counts, alpha, and
    ``cluster_link_f1`` (an empty cell for a layer without cluster ids). ``rows`` are corpus rows
    (not per document)."""
    extra = {(r.annotator_a, r.annotator_b, r.layer, r.metric): r for r in rows
             if r.metric in ("alpha", CLUSTER_LINK_F1) and r.document_id is None and r.label is None}
    lines = ["| annotator a | annotator b | layer | metric | value | items a | items b | matched | alpha | tokens "
             "| cluster links F1 | documents |",
             "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.document_id is not None or r.label is not None or r.metric != HEADLINE[r.layer]:
            continue
        a = extra.get((r.annotator_a, r.annotator_b, r.layer, "alpha"))
        links = extra.get((r.annotator_a, r.annotator_b, r.layer, CLUSTER_LINK_F1))
        lines.append(f"| {r.annotator_a} | {r.annotator_b} | {r.layer} | `{r.metric}` | {show_value(r.value)} | {r.count_a} | "
                     f"{r.count_b} | {r.agreed} | {show_value(a.value if a else None)} | {a.count_a if a else 0} | "
                     f"{show_value(links.value) if links else ''} | {r.documents} |")
    return "\n".join(lines)
