"""What a comparison page marks: between every two sides it compares (the annotators' layers of one
document), each item that has no exact counterpart in the other side's layer.

Items are paired by ``newsspans.agreement.match_spans``, the one matching rule of ``newsspans agree``
(mentions and claims by their span, quotes by their content; character Jaccard >= 0.5, one to one),
so the page and the agreement tables judge alike. An item left unmatched is *missing* in the other
side; a matched pair that differs in any field but ``id`` is an *attribute* disagreement, one
``Difference`` per field (offsets and text, label or type, ``entity_id``, speaker, cue,
``speaker_entity_id``, claimant, ``cluster_id``, quote group). A ``group_id`` names a group only
inside its own file, so quote groups are compared by their members: two matched quotes are grouped
alike when the quotes grouped with the one are matched with the quotes grouped with the other.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Sequence

from ..agreement import match_spans
from ..model import LAYERS, Annotations, Span

SNIPPET = 60  # code points of a span's text shown in a description


@dataclass(frozen=True)
class Difference:
    """One field in which two matched items differ, with each side's value as shown."""

    field: str
    a: str
    b: str


@dataclass(frozen=True)
class Disagreement:
    """Item ``index_a`` of ``side_a``'s layer against item ``index_b`` of ``side_b``'s (an index is
    None when that side has no counterpart), at ``[start, end)`` (the span of the first item given)."""

    layer: str
    side_a: str
    side_b: str
    index_a: Optional[int]
    index_b: Optional[int]
    start: int
    end: int
    differences: tuple[Difference, ...] = ()

    @property
    def missing(self) -> bool:
        return self.index_a is None or self.index_b is None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(d.field for d in self.differences)

    def summary(self) -> str:
        """What differs, for the list under the texts (the list's columns name the sides)."""
        if self.missing:
            return f"missing in {self.side_a if self.index_a is None else self.side_b}"
        return "; ".join(f"{d.field}: {d.a} ({self.side_a}) vs {d.b} ({self.side_b})" for d in self.differences)

    def note_for(self, side: str) -> str:
        """What the item of ``side`` is marked with: what the other side has instead."""
        mine_is_a = side == self.side_a
        other = self.side_b if mine_is_a else self.side_a
        if self.missing:
            return f"missing in {other}"
        return "; ".join(f"{d.field} differs ({other} has {d.b if mine_is_a else d.a})" for d in self.differences)


def shown_span(span: Optional[Span]) -> str:
    """A span as a description shows it: its text (shortened) and offsets; ``none`` for no span."""
    if span is None:
        return "none"
    text = " ".join(span.text.split())
    text = text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"
    return f"“{text}” [{span.start}, {span.end})"


def _value(x: Optional[str]) -> str:
    return "none" if x is None else x


#: Per layer: the span the matching uses, and each compared field with how its value is shown.
Field = tuple[str, Callable[[Any], Any], Callable[[Any], str]]
MATCHED_SPAN: dict[str, Callable[[Any], Span]] = {
    "entities": lambda m: m.span, "quotes": lambda q: q.content, "claims": lambda c: c.span}
FIELDS: dict[str, tuple[Field, ...]] = {
    "entities": (("span", lambda m: m.span, shown_span), ("label", lambda m: m.label, str),
                 ("entity_id", lambda m: m.entity_id, _value)),
    "quotes": (("content", lambda q: q.content, shown_span), ("type", lambda q: q.type, str),
               ("speaker", lambda q: q.speaker, shown_span), ("cue", lambda q: q.cue, shown_span),
               ("speaker_entity_id", lambda q: q.speaker_entity_id, _value),
               ("cluster_id", lambda q: q.cluster_id, _value)),
    "claims": (("span", lambda c: c.span, shown_span), ("label", lambda c: c.label, str),
               ("claimant", lambda c: c.claimant, str), ("cluster_id", lambda c: c.cluster_id, _value)),
}
#: The quote parts a difference in a field is drawn on (the content carries every difference).
PART_OF_FIELD = {"speaker": "speaker", "speaker_entity_id": "speaker", "cue": "cue"}


def _group_partners(quotes: Sequence[Any]) -> list[frozenset[int]]:
    """For each quote, the other quotes of its group (by position)."""
    groups: dict[str, set[int]] = {}
    for i, q in enumerate(quotes):
        if q.group_id is not None:
            groups.setdefault(q.group_id, set()).add(i)
    return [frozenset(groups[q.group_id] - {i}) if q.group_id is not None else frozenset() for i, q in enumerate(quotes)]


def _shown_group(quotes: Sequence[Any], partners: frozenset[int]) -> str:
    return "with " + ", ".join(quotes[k].id for k in sorted(partners)) if partners else "none"


def _pair(layer: str, side_a: str, side_b: str, a: Sequence[Any], b: Sequence[Any]) -> list[Disagreement]:
    """The disagreements of one layer between two sides."""
    span = MATCHED_SPAN[layer]
    matches = match_spans([span(x) for x in a], [span(y) for y in b])
    a_to_b = {m.index_a: m.index_b for m in matches}
    b_matched = set(a_to_b.values())
    groups = (_group_partners(a), _group_partners(b)) if layer == "quotes" else None
    out = []
    for i, x in enumerate(a):
        if i not in a_to_b:
            out.append(Disagreement(layer, side_a, side_b, i, None, span(x).start, span(x).end))
            continue
        j = a_to_b[i]
        y = b[j]
        diffs = [Difference(name, show(get(x)), show(get(y))) for name, get, show in FIELDS[layer] if get(x) != get(y)]
        if groups is not None and frozenset(a_to_b.get(k, -1) for k in groups[0][i]) != groups[1][j]:
            diffs.append(Difference("group", _shown_group(a, groups[0][i]), _shown_group(b, groups[1][j])))
        if diffs:
            out.append(Disagreement(layer, side_a, side_b, i, j, span(x).start, span(x).end, tuple(diffs)))
    for j, y in enumerate(b):
        if j not in b_matched:
            out.append(Disagreement(layer, side_a, side_b, None, j, span(y).start, span(y).end))
    return out


def find_disagreements(sides: Mapping[str, Annotations]) -> list[Disagreement]:
    """Every disagreement between every two of ``sides`` (name -> annotation, in the order given),
    by layer, then position in the text, then pair."""
    names = list(sides)
    pairs = list(itertools.combinations(names, 2))
    found = [d for layer in LAYERS for a, b in pairs
             for d in _pair(layer, a, b, getattr(sides[a], layer), getattr(sides[b], layer))]
    return sorted(found, key=lambda d: (LAYERS.index(d.layer), d.start, d.end, pairs.index((d.side_a, d.side_b)),
                                        -1 if d.index_a is None else d.index_a, -1 if d.index_b is None else d.index_b))


def by_item(disagreements: Sequence[Disagreement]) -> dict[tuple[str, str, int], list[Disagreement]]:
    """The disagreements of each item, by (side, layer, position in the side's layer)."""
    out: dict[tuple[str, str, int], list[Disagreement]] = {}
    for d in disagreements:
        for side, index in ((d.side_a, d.index_a), (d.side_b, d.index_b)):
            if index is not None:
                out.setdefault((side, d.layer, index), []).append(d)
    return out
