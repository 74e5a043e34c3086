"""A decisions file brought up to date with the layers, keeping what was decided.

A line of the file whose ``layer`` and ``options`` equal a current disagreement unit keeps its id,
``take``, ``items`` and ``reason``. A current unit without a line gets a new line, numbered above
the highest decision id of the file. A line that matches no current unit is dropped when nobody
wrote in it (``take``, ``items`` and ``reason`` all null), and is *stale* otherwise: the layers it
was decided on changed, so the run is refused with its location rather than losing the decision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..labels import DECISION_PREFIX
from ._lines import Decision, DecisionsFile
from ._units import Unit


def _key(layer: str, options: dict[str, Any]) -> str:
    return json.dumps([layer, options], sort_keys=True, ensure_ascii=False)


@dataclass
class Merged:
    """The decisions file's new lines in text order, each with its unit; the lines dropped, the
    ids of the lines added, and the stale lines (one located error each)."""

    decisions: list[Decision] = field(default_factory=list)
    units: dict[str, Unit] = field(default_factory=dict)
    dropped: list[Decision] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _stale(found: DecisionsFile, d: Decision) -> str:
    what = f"take {d.take!r}" if d.decided else "not decided, but with items or a reason written"
    return (f"{found.shown}:{d.line}: {d.decision} ({d.layer}, {what}): the layers changed since, and its options are "
            "no longer where the layers disagree — delete the line to decide again on the current items (the next run "
            "writes them), or restore the layers it was decided on")


def merge(found: DecisionsFile, units: list[Unit]) -> Merged:
    """The lines of ``found`` matched with the disagreement ``units`` (in text order)."""
    out = Merged()
    by_key = {_key(u.layer, u.options): u for u in units}
    kept: dict[str, Decision] = {}
    for d in found.decisions:
        key = _key(d.layer, d.options)
        if key in kept:
            out.errors.append(f"{found.shown}:{d.line}: {d.decision} repeats the options of {kept[key].decision} "
                              f"(line {kept[key].line}) — keep one of the two lines")
        elif key in by_key:
            kept[key] = d
        elif d.written_on:
            out.errors.append(_stale(found, d))
        else:
            out.dropped.append(d)
    top = max((d.number for d in found.decisions), default=0)
    for unit in units:
        d = kept.get(_key(unit.layer, unit.options))
        if d is None:
            top += 1
            d = Decision(f"{DECISION_PREFIX}{top}", unit.layer, unit.options)
            out.added.append(d.decision)
        out.decisions.append(d)
        out.units[d.decision] = unit
    return out
