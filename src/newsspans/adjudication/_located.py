"""The validator's problems of an adjudicated gold file, located where the items came from: the
decisions line that put an item in gold, or the layer line of an item all annotators agreed on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..validation import ERROR, Problem
from ._gold import Gold

_ITEM = re.compile(r"^(entities|quotes|claims)\[(\d+)\]")
_REF = re.compile(r"\b(entities|quotes|claims)\[(\d+)\]")


def locate(problem: Problem, gold: Gold) -> str:
    """``problem`` (of the gold file as it would be written) as one line at the item's origin."""
    match = _ITEM.match(problem.item or "")
    if match is None:
        return str(problem)
    origin = gold.origins[match[1]][int(match[2])]

    def ref(m: re.Match) -> str:
        found = gold.origins[m[1]]
        return found[int(m[2])].ref() if int(m[2]) < len(found) else m[0]

    part = problem.item[match.end():].lstrip(".")
    offsets = f" {problem.start}-{problem.end}" if problem.start is not None and problem.end is not None else ""
    fix = f" — {problem.fix}" if problem.fix else ""
    return f"{origin.where()}: {origin.what}{' ' + part if part else ''}{offsets}: [{problem.code}] {_REF.sub(ref, problem.message)}{fix}"


@dataclass
class Located:
    """The errors and the warnings of a gold file, each one located line."""

    errors: list[str]
    warnings: list[str]


def located(problems: list[Problem], gold: Gold) -> Located:
    """``problems`` split into errors and warnings, each located (``locate``)."""
    return Located([locate(p, gold) for p in problems if p.severity == ERROR],
                   [locate(p, gold) for p in problems if p.severity != ERROR])
