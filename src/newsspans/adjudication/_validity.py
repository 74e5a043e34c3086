"""Whether the items of a decision that takes ``edit`` can go into gold: exact spans, labels and
types in the inventories, registry ids with the registry's type. They are checked by the
validator's own code path as an annotation file holding only them, and each problem becomes one
line located at the decision's line. (What a decision line can say on its own, a take that names
one of its options and items exactly with ``edit``, is checked by ``check_decisions``.)"""

from __future__ import annotations

import re
from typing import Any, Optional

from ..corpus import dumps_canonical
from ..labels import ID_PREFIXES, TAKE_EDIT
from ..model import LAYERS, RegistryEntry
from ..validation import ERROR, check_annotation_file
from ._lines import Decision

_REF = re.compile(r"\b(?:entities|quotes|claims)\[(\d+)\]")


def check_edit(d: Decision, *, shown: str, text: str, doc_id: str,
               registry: Optional[dict[str, RegistryEntry]]) -> list[str]:
    """The problems of the edited items of ``d``, a line of the decisions file ``shown`` (none when
    it takes no ``edit``, or its items are right)."""
    if d.take != TAKE_EDIT or d.items is None:
        return []
    where = f"{shown}:{d.line}: {d.decision}"
    prefix = ID_PREFIXES[d.layer]
    items = [{"id": f"{prefix}{k + 1}", **item} for k, item in enumerate(d.items or [])]
    value: dict[str, Any] = {"document_id": doc_id, "issued": {layer: 0 for layer in LAYERS}}
    value.update({layer: (items if layer == d.layer else []) for layer in LAYERS})
    value["issued"][d.layer] = len(items)
    data = dumps_canonical(value).encode("utf-8")
    problems = check_annotation_file(data, path=where, text=text, document_id=doc_id, registry=registry)
    out = []
    for p in problems:
        if p.severity != ERROR:
            continue
        item = _REF.sub(r"items[\1]", p.item or "")
        offsets = f" {p.start}-{p.end}" if p.start is not None and p.end is not None else ""
        message = _REF.sub(r"items[\1]", p.message)
        fix = f" — {p.fix}" if p.fix else ""
        out.append(f"{where} {item or 'items'}{offsets}: [{p.code}] {message}{fix}")
    return out
