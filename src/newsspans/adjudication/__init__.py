"""Adjudication: the annotators' layers of a document compared unit by unit, what they all agree
on taken into gold, every disagreement written as one line of ``corpus/decisions/<id>.jsonl``
for a person to decide (take one annotator's items, ``neither``, or ``edit``), and the decisions
applied to write the gold with stable ids. ``docs/adjudication.md`` describes the workflow.

``_units`` (disagreement units) -> ``_lines``/``_merge`` (the decisions file, kept up to date) ->
``_validity`` (a decided line can be applied) -> ``_groups``/``_gold``/``_located`` (the gold,
its ids and quote groups, its problems located) -> ``_document``/``_run`` (one document, a run).
"""

from ._lines import Decision, dumps_decisions, read_decisions
from ._result import AdjudicationRefused, AdjudicationResult, DocumentResult, GoldResult
from ._run import adjudicate
from ._units import Unit, find_units

__all__ = [
    "AdjudicationRefused",
    "AdjudicationResult",
    "Decision",
    "DocumentResult",
    "GoldResult",
    "Unit",
    "adjudicate",
    "dumps_decisions",
    "find_units",
    "read_decisions",
]
