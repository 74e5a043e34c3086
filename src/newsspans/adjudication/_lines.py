"""``corpus/decisions/<document id>.jsonl``: one decision per line, read and written.

A line is a JSON object with the keys of ``schema/decision.schema.json``, in this order::

    {"decision": "d1", "layer": "entities", "options": {"a": [...], "b": [...]}, "take": null, "items": null, "reason": null}

Reading checks the file as ``newsspans validate`` does (``newsspans.validation.check_decisions``:
each line against the schema, unique ids, options naming annotators, a take that can be applied,
items exactly with ``edit``), every problem at its line. Writing gives each decision one compact
line, as ``dumps_canonical`` writes an item.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import AbstractSet, Any, Optional

from ..corpus import SymlinkRefused, decisions_file, read_file
from ..labels import DECISION_PREFIX
from ..paths import display_path
from ..validation import ERROR, check_decisions


@dataclass(frozen=True)
class Decision:
    """One line of a decisions file. ``line`` is where it was read (None: a new decision)."""

    decision: str
    layer: str
    options: dict[str, list[dict[str, Any]]]
    take: Optional[str] = None
    items: Optional[list[dict[str, Any]]] = None
    reason: Optional[str] = None
    line: Optional[int] = field(default=None, compare=False)

    @property
    def number(self) -> int:
        return int(self.decision[len(DECISION_PREFIX):])

    @property
    def decided(self) -> bool:
        return self.take is not None

    @property
    def written_on(self) -> bool:
        """Whether anyone wrote in it: a take, items or a reason (so it is never dropped)."""
        return self.take is not None or self.items is not None or self.reason is not None

    def to_dict(self) -> dict[str, Any]:
        return {"decision": self.decision, "layer": self.layer, "options": self.options, "take": self.take,
                "items": self.items, "reason": self.reason}

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(", ", ": "))


def dumps_decisions(decisions: list[Decision]) -> bytes:
    """The decisions file holding ``decisions``, one per line, in the order given."""
    return "".join(d.dumps() + "\n" for d in decisions).encode("utf-8")


@dataclass
class DecisionsFile:
    """A document's decisions file as read: its bytes (None: no file), its decisions, and every
    problem found, one located line each."""

    path: Path
    data: Optional[bytes]
    decisions: list[Decision]
    errors: list[str]

    @property
    def shown(self) -> str:
        return display_path(self.path)


def read_decisions(corpus: Path, doc_id: str, *, annotator_ids: AbstractSet[str]) -> DecisionsFile:
    """The decisions file of ``doc_id`` (none when there is no file), every problem reported."""
    path = Path(corpus) / decisions_file(doc_id)
    found = DecisionsFile(path, None, [], [])
    try:
        found.data = read_file(path)
    except SymlinkRefused:
        found.errors.append(f"{found.shown}: a symbolic link, which a corpus never follows — replace it by the file itself")
        return found
    if found.data is None:
        if os.path.lexists(path):
            found.errors.append(f"{found.shown}: not a regular file — remove it")
        return found
    problems = check_decisions(found.data, path=path, document_id=doc_id, annotator_ids=annotator_ids)
    found.errors = [str(p) for p in problems if p.severity == ERROR]
    if found.errors:
        return found
    for number, line in enumerate(found.data.decode("utf-8").split("\n"), start=1):
        if line:
            v = json.loads(line)
            found.decisions.append(Decision(v["decision"], v["layer"], v["options"], v["take"], v["items"], v["reason"],
                                            line=number))
    return found
