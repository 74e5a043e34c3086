"""The one rule that makes entity suggestions flat (mentions never overlap, guideline 2.1): the
longer span wins, then the higher score, then the source earlier in ``SOURCE_ORDER``, then the
earlier span. Every suggester and the pipeline's merge use it."""

from __future__ import annotations

import bisect
from typing import Iterable

from ._model import Suggestion

#: The order of sources among equally long, equally scored suggestions: the registry's knowledge
#: first, then the rules, then a model (a source not listed comes last, by name).
SOURCE_ORDER = ("gazetteer", "demonyms", "rules-numeric", "spacy")


def source_rank(source: str) -> tuple[int, str]:
    """Where ``source`` (``gazetteer@1``, ``spacy:en_core_web_sm@3.8.0``) stands in ``SOURCE_ORDER``."""
    name = source.split("@")[0].split(":")[0]
    return (SOURCE_ORDER.index(name) if name in SOURCE_ORDER else len(SOURCE_ORDER), source)


def flatten(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """The entity suggestions kept by the rule (no two overlap), in text order (start, then end)."""
    def key(s: Suggestion) -> tuple:
        start, end = s.item["start"], s.item["end"]
        return (start - end, -s.score, source_rank(s.source), start)

    starts: list[int] = []  # the kept spans, sorted by start (they never overlap, so ends are sorted too)
    ends: list[int] = []
    kept: list[Suggestion] = []
    for s in sorted(suggestions, key=key):
        start, end = s.item["start"], s.item["end"]
        i = bisect.bisect_left(starts, start)
        if (i < len(starts) and starts[i] < end) or (i > 0 and ends[i - 1] > start):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kept.insert(i, s)
    return kept
