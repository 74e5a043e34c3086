"""The adjudicated gold of one document: the agreed items and the decided ones, in text order,
quote groups renumbered (``_groups``), with stable ids.

Ids: an item equal in every field but ``id`` to an item of the current gold keeps that item's id
(each current id is kept once); then an item with the same span as a current gold item not yet
matched keeps that one's (the same annotation with an attribute changed: a label, a speaker, a
cluster); every other item gets a new id, ``Annotations.next_id``: above
the file's ``issued`` counter and every id the file holds, so no id ever comes back. ``issued``
is raised with them (``Annotations.updated``), never lowered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable, Sequence

from ..labels import TAKE_EDIT, TAKE_NEITHER
from ..model import LAYERS, Annotations, Claim, EntityMention, Quote
from ._groups import EDIT_SCOPE, layer_scope, regroup
from ._lines import Decision
from ._units import Unit, item_key, text_order, without_id

_KINDS = {"entities": EntityMention, "quotes": Quote, "claims": Claim}


@dataclass(frozen=True)
class Origin:
    """Where a gold item comes from, to locate a problem of it: ``where`` finds the file and line
    (a decisions line, or an agreed item's line in a layer file); ``what`` names the item there."""

    where: Callable[[], str]
    what: str
    scopes: tuple[Hashable, ...]

    def ref(self) -> str:
        return self.what


@dataclass(frozen=True)
class Candidate:
    layer: str
    item: dict[str, Any]  # without id
    origin: Origin


def agreed_candidate(unit: Unit, locate: Callable[[str, str, int], str]) -> Candidate:
    """The item of an agreed unit; ``locate(annotator, layer, position)`` gives ``file:line``."""
    first = next(iter(unit.options))
    ids = ", ".join(f"{a} {items[0]['id']}" for a, items in unit.options.items())
    origin = Origin(lambda: locate(first, unit.layer, unit.positions[first][0]), f"agreed item ({ids})",
                    tuple(layer_scope(a) for a in unit.options))
    return Candidate(unit.layer, without_id(unit.options[first][0]), origin)


def decided_candidates(d: Decision, shown: str) -> list[Candidate]:
    """The items the decided line ``d`` (of the decisions file ``shown``) puts in gold."""
    def where() -> str:
        return f"{shown}:{d.line}"

    if d.take == TAKE_NEITHER:
        return []
    if d.take == TAKE_EDIT:
        return [Candidate(d.layer, dict(x), Origin(where, f"{d.decision} items[{k}]", (EDIT_SCOPE,)))
                for k, x in enumerate(d.items or [])]
    return [Candidate(d.layer, without_id(x), Origin(where, f"{d.decision} ({d.take} {x['id']})", (layer_scope(d.take),)))
            for x in d.options[d.take]]


def _span(layer: str, item: dict[str, Any]) -> tuple[int, int]:
    """The span that makes an item the same annotation: a mention's or claim's, a quote's content."""
    span = item["content"] if layer == "quotes" else item
    return span["start"], span["end"]


def _ids(layer: str, items: Sequence[dict[str, Any]], current: Annotations, used: list[str]) -> list[str]:
    """Each item's id: first, an item equal to a current gold item (every field but id) keeps its
    id; then an item with the same span as a current gold item left over (an attribute changed:
    the same annotation, changed) keeps that one's; every other item gets a new id."""
    current_items = [x.to_dict() for x in getattr(current, layer)]
    ids = [""] * len(items)
    for key in (item_key, lambda x: _span(layer, x)):
        pool: dict[Any, list[str]] = {}
        for x in current_items:
            if x["id"] not in ids:
                pool.setdefault(key(x), []).append(x["id"])
        for i, x in enumerate(items):
            if not ids[i] and pool.get(key(x)):
                ids[i] = pool[key(x)].pop(0)
    for i, found in enumerate(ids):
        if not found:
            ids[i] = current.next_id(layer, used)
            used.append(ids[i])
    return ids


@dataclass
class Gold:
    """The adjudicated annotations, and each item's origin (``origins[layer][k]``)."""

    annotations: Annotations
    origins: dict[str, list[Origin]]


def build_gold(candidates: Sequence[Candidate], *, current: Annotations, used: Sequence[str]) -> Gold:
    """Gold from ``candidates``, with ids stable against ``current`` (the gold as it is); ``used``:
    every id the current gold file holds, read or not."""
    layers: dict[str, list[Any]] = {}
    origins: dict[str, list[Origin]] = {}
    taken = list(used)
    for layer in LAYERS:
        mine = sorted((c for c in candidates if c.layer == layer), key=lambda c: text_order(layer, c.item))
        items = [c.item for c in mine]
        if layer == "quotes":
            items = regroup(items, [c.origin.scopes for c in mine], [q.to_dict() for q in current.quotes])
            order = sorted(range(len(items)), key=lambda i: text_order(layer, items[i]))
            items, mine = [items[i] for i in order], [mine[i] for i in order]
        ids = _ids(layer, items, current, taken)
        layers[layer] = [_KINDS[layer].from_dict({"id": i, **x}) for i, x in zip(ids, items)]
        origins[layer] = [c.origin for c in mine]
    return Gold(current.updated(**layers), origins)
