"""The evaluation rows as text (aligned columns), JSON (stable keys) and Markdown, as ``newsspans
agree`` prints its rows (``agreement.show_value``: undefined values as '-', null in JSON)."""

from __future__ import annotations

import json
from typing import Sequence

from ..agreement import ALL_LABELS, show_value
from ._evaluate import EvaluationRow

_COLUMNS = ("layer", "label", "metric", "precision", "recall", "f1", "suggested", "gold", "matched", "documents")
_RIGHT = frozenset(_COLUMNS[3:])


def _cells(row: EvaluationRow) -> list[str]:
    return [row.layer, row.label or ALL_LABELS, row.metric, show_value(row.precision), show_value(row.recall),
            show_value(row.f1), str(row.suggested), str(row.gold), str(row.matched), str(row.documents)]


def format_text(rows: Sequence[EvaluationRow]) -> str:
    """An aligned table, a blank line between layers."""
    table = [_cells(r) for r in rows]
    widths = [max(len(x) for x in column) for column in zip(_COLUMNS, *table)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if name in _RIGHT else c.ljust(w) for c, w, name in zip(cells, widths, _COLUMNS)).rstrip()

    lines = [line(_COLUMNS)]
    for k, (row, cells) in enumerate(zip(rows, table)):
        if k and row.layer != rows[k - 1].layer:
            lines.append("")
        lines.append(line(cells))
    return "\n".join(lines) + "\n"


def format_json(rows: Sequence[EvaluationRow]) -> str:
    """``{"rows": [...]}``, each row with the keys of ``EvaluationRow`` in its field order."""
    return json.dumps({"rows": [r.to_dict() for r in rows]}, ensure_ascii=False, indent=2) + "\n"


def format_markdown(rows: Sequence[EvaluationRow]) -> str:
    lines = ["| " + " | ".join(_COLUMNS) + " |", "|" + "|".join("---:" if c in _RIGHT else "---" for c in _COLUMNS) + "|"]
    lines += ["| " + " | ".join(_cells(r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"
