"""Checks of ``annotators.json`` beyond its schema (which refuses an id that is no slug, and
the reserved names): ids defined once, entries sorted by id, and no e-mail address in a note."""

from __future__ import annotations

import re
from typing import Sequence

from .. import labels
from ..model import Annotator
from ._checks import descents
from ._jsonloc import line_of
from ._problems import Problem

#: What looks like an e-mail address (the rule of ``newsspans annotator add``, which refuses one).
EMAIL = re.compile(labels.EMAIL)


def check_annotators(annotators: Sequence[Annotator], raw: str, file: str) -> list[Problem]:
    """E-ID-DUPLICATE, E-ANNOTATOR-EMAIL and W-ANNOTATOR-ORDER of the entries of ``annotators.json``
    (its text ``raw``, shown as ``file``), in line order."""
    problems = []
    seen: dict[str, int] = {}
    for i, a in enumerate(annotators):
        where = {"file": file, "line": line_of(raw, ["annotators", i]), "item": f"annotators[{i}]"}
        if a.annotator_id in seen:
            first = line_of(raw, ["annotators", seen[a.annotator_id]])
            problems.append(Problem("E-ID-DUPLICATE", f"annotator_id {a.annotator_id!r} is already defined at line {first}",
                                    fix="merge the two entries into one", **where))
        else:
            seen[a.annotator_id] = i
        if a.note is not None and EMAIL.search(a.note):
            problems.append(Problem("E-ANNOTATOR-EMAIL", "the note holds an e-mail address",
                                    file=file, line=line_of(raw, ["annotators", i, "note"]), item=f"annotators[{i}].note",
                                    fix="remove it: say who or what annotated, and how, without an address"))
    for i, j in descents([(i, a.annotator_id) for i, a in enumerate(annotators)]):
        problems.append(Problem("W-ANNOTATOR-ORDER", f"{annotators[i].annotator_id!r} is listed after {annotators[j].annotator_id!r}",
                                file=file, line=line_of(raw, ["annotators", i]), item=f"annotators[{i}]",
                                fix=f"move it up, before annotators[{j}] (the entries are sorted by annotator_id)"))
    return sorted(problems, key=lambda p: p.line or 0)
