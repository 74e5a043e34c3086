"""Disagreement units: the annotators' items of one layer, grouped where their spans overlap.

Two items of *different* annotators are connected when their spans overlap (entity mentions: the
mention; quotes: the content; claims: the claim); a unit is a connected group, with every
annotator's items in it (an annotator with none has an empty list). Items of one annotator are
connected only through another annotator's item. A unit in which every annotator has exactly one
item, and those items are equal in every field but ``id``, is agreed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from ..model import LAYERS, Annotations


def span_of(layer: str, item: Mapping[str, Any]) -> tuple[int, int]:
    """The span that places an item of ``layer`` (a quote by its content) as (start, end)."""
    span = item["content"] if layer == "quotes" else item
    return span["start"], span["end"]


def without_id(item: Mapping[str, Any]) -> dict[str, Any]:
    """The item's fields but ``id``, in their order."""
    return {k: v for k, v in item.items() if k != "id"}


def item_key(item: Mapping[str, Any]) -> str:
    """What two items equal in every field but ``id`` share (the key order does not matter)."""
    return json.dumps(without_id(item), sort_keys=True, ensure_ascii=False)


def text_order(layer: str, item: Mapping[str, Any]) -> tuple[int, int, str]:
    """The sort key of an item in text order (guidelines 4.7, 5.5, 7): start, then end, then its
    fields, so that the order is the same on every run."""
    return (*span_of(layer, item), item_key(item))


@dataclass(frozen=True)
class Unit:
    """One place where the layers are compared: each annotator's items there, in text order
    (``options``, as their layers hold them, ids included), and each item's position in its layer
    file (``positions``)."""

    layer: str
    options: dict[str, list[dict[str, Any]]]
    positions: dict[str, list[int]]

    @property
    def start(self) -> int:
        return min(span_of(self.layer, x)[0] for items in self.options.values() for x in items)

    @property
    def end(self) -> int:
        return max(span_of(self.layer, x)[1] for items in self.options.values() for x in items)

    @property
    def agreed(self) -> bool:
        """Every annotator has exactly one item here, and the items are equal but for their ids."""
        items = list(self.options.values())
        return all(len(x) == 1 for x in items) and len({item_key(x[0]) for x in items}) == 1

    def order(self) -> tuple[int, int, int]:
        return self.start, self.end, LAYERS.index(self.layer)


class _Components:
    """Union-find over item numbers."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def find_units(layer: str, layers: Mapping[str, Annotations]) -> list[Unit]:
    """The units of ``layer`` over the annotators' ``layers`` (annotator id -> their annotation of
    the document), in text order."""
    annotators = sorted(layers)
    flat = [(a, k, x.to_dict()) for a in annotators for k, x in enumerate(getattr(layers[a], layer))]
    comps = _Components(len(flat))
    by_start = sorted(range(len(flat)), key=lambda i: span_of(layer, flat[i][2]))
    active: list[int] = []  # items whose span reaches past the current start
    for i in by_start:
        start, end = span_of(layer, flat[i][2])
        active = [j for j in active if span_of(layer, flat[j][2])[1] > start]
        for j in active:
            if flat[j][0] != flat[i][0]:
                comps.union(i, j)
        active.append(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(flat)):
        groups.setdefault(comps.find(i), []).append(i)
    units = []
    for members in groups.values():
        members.sort(key=lambda i: text_order(layer, flat[i][2]))
        options = {a: [flat[i][2] for i in members if flat[i][0] == a] for a in annotators}
        positions = {a: [flat[i][1] for i in members if flat[i][0] == a] for a in annotators}
        units.append(Unit(layer, options, positions))
    return sorted(units, key=Unit.order)
