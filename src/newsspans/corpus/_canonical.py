"""Canonical JSON: the one way every corpus JSON file is written."""

from __future__ import annotations

import json
from typing import Any


def dumps_canonical(value: dict[str, Any]) -> str:
    """The canonical text of a corpus JSON file: diff-friendly, one list item per line.

    A top-level object with one key per line; a list value is written one item per line (each
    item compact on its line), so that a diff shows one changed annotation as one changed line
    and a problem's line number points at its item.
    """
    def compact(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))

    lines = []
    for key, v in value.items():
        if isinstance(v, list) and v:
            items = ",\n".join("    " + compact(x) for x in v)
            lines.append(f"  {compact(key)}: [\n{items}\n  ]")
        else:
            lines.append(f"  {compact(key)}: {compact(v)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
