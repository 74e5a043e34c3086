"""Checks of a decisions file (``decisions/<id>.jsonl``): one JSON object per line, each checked
against the decision schema and for what the schema cannot say, every problem at its line.

Whether a decision is stale (its options no longer what the layers hold) is for ``newsspans
adjudicate`` to say; this checks the file on its own and against ``annotators.json``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import AbstractSet, Any, Optional, Union

from ..labels import TAKE_EDIT, TAKE_NEITHER
from ..paths import display_path
from ._parse import decode, parse_json
from ._problems import Problem
from ._schemacheck import check_schema


def check_decisions(data: bytes, *, path: Union[str, Path], document_id: str,
                    annotator_ids: Optional[AbstractSet[str]]) -> list[Problem]:
    """Every problem of the decisions file of ``document_id`` read as ``data`` from ``path``.
    ``annotator_ids`` None (annotators.json is broken) leaves out E-DECISION-ANNOTATOR."""
    raw, problems = decode(Path(path), data, json_file=True)
    if raw is None:
        return [replace(p, document_id=document_id) for p in problems]
    lines = raw.split("\n")
    if lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    checker = _Lines(display_path(path), Path(path), document_id, annotator_ids)
    for number, line in enumerate(lines, 1):
        problems += checker.check(number, line)
    return problems


class _Lines:
    """The checks of each line, and what they remember from line to line (the decision ids)."""

    def __init__(self, shown: str, path: Path, document_id: str, annotator_ids: Optional[AbstractSet[str]]):
        self.shown, self.path, self.document_id, self.annotator_ids = shown, path, document_id, annotator_ids
        self.seen: dict[str, int] = {}  # decision id -> line

    def problem(self, code: str, message: str, number: int, item: Optional[str] = None, fix: Optional[str] = None) -> Problem:
        return Problem(code, message, file=self.shown, line=number, document_id=self.document_id, item=item, fix=fix)

    def check(self, number: int, line: str) -> list[Problem]:
        if not line.strip():
            return [self.problem("E-FILE-JSON", "an empty line: a decisions file holds one decision per line, with no "
                                 "blank line between them", number, fix="remove the line")]
        value, found, parsed = parse_json(line, self.shown, self.document_id)
        found = [replace(p, line=number) for p in found]
        if not parsed:
            return found
        result = check_schema(value, line, self.path, "decision", self.document_id)
        found += [replace(p, line=number) for p in result.problems]
        if found:
            return found  # one mistake, one problem: the checks below need a decision of the schema's shape
        return self.decision(number, value)

    def decision(self, number: int, d: dict[str, Any]) -> list[Problem]:
        problems = []
        decision_id, options, take = d["decision"], d["options"], d["take"]
        if decision_id in self.seen:
            problems.append(self.problem("E-ID-DUPLICATE", f"decision id {decision_id!r} is already used at line "
                                         f"{self.seen[decision_id]}", number, "decision", "give each decision its own id"))
        else:
            self.seen[decision_id] = number
        if self.annotator_ids is not None:
            for name in options:
                if name not in self.annotator_ids:
                    problems.append(self.problem("E-DECISION-ANNOTATOR", f"the option {name!r} names no annotator of "
                                                 "annotators.json", number, f"options.{name}",
                                                 "correct the name, or add the annotator to annotators.json"))
        if take is not None and take not in options and take not in (TAKE_NEITHER, TAKE_EDIT):
            choices = ", ".join([*(repr(a) for a in options), repr(TAKE_NEITHER), repr(TAKE_EDIT)])
            problems.append(self.problem("E-DECISION-TAKE", f"take {take!r} is none of null, {choices}", number, "take",
                                         "take an annotator of options, 'neither', 'edit' (with items), or null "
                                         "(not decided yet)"))
        if take == TAKE_EDIT and d["items"] is None:
            problems.append(self.problem("E-DECISION-ITEMS", f"take '{TAKE_EDIT}' without items", number, "items",
                                         "write the corrected items (without ids), or take something else"))
        elif take != TAKE_EDIT and d["items"] is not None:
            problems.append(self.problem("E-DECISION-ITEMS", f"items given with take {json.dumps(take)} (they are read only with "
                                         f"take '{TAKE_EDIT}')", number, "items", f"set items to null, or take '{TAKE_EDIT}'"))
        return problems
