"""Every metric between two annotations of one document, as counts (``Tally``) per
(layer, label, metric); label None is the row over all labels. ``cluster_link_f1`` gives the
document's cluster memberships (``LinkTally``), counted into links once documents are added up.

What does not depend on the other annotation is computed once per annotation of a document
(``Side``), whatever the number of pairs it is in: its items of each label, the offsets exact
matching compares, and its tokens' values (``Painted``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence

from ..model import Annotations
from ._links import link_tally
from ._match import match_spans
from ._rows import CLUSTER_LINK_F1
from ._tally import Tally, agreement_tally, alpha_tally, exact_tally
from ._tokens import BaseTokens, Painted

Key = tuple[str, Optional[str], str]

#: The field that holds each layer's label (the per-label rows), and the span each layer matches on.
_LABEL = {"entities": "label", "quotes": "type", "claims": "label"}
_SPAN: dict[str, Callable[[Any], Any]] = {"entities": lambda m: m, "quotes": lambda q: q.content, "claims": lambda c: c}


@dataclass(frozen=True)
class Items:
    """An annotation's items of one layer (``every``) or of one label, with the spans they match
    on and the number of each ``(start, end)`` offsets (what exact matching compares)."""

    items: list[Any]
    spans: list[Any]
    offsets: Counter

    @classmethod
    def of(cls, layer: str, items: Iterable[Any]) -> "Items":
        items = list(items)
        spans = [_SPAN[layer](x) for x in items]
        return cls(items, spans, Counter((s.start, s.end) for s in spans) if layer == "entities" else Counter())


@dataclass(frozen=True)
class LayerItems:
    """An annotation's items of one layer (``every``), and those of each label (``by_label``)."""

    every: Items
    by_label: dict[str, Items]

    @classmethod
    def of(cls, layer: str, items: Sequence[Any]) -> "LayerItems":
        groups: dict[str, list[Any]] = {}
        for x in items:
            groups.setdefault(getattr(x, _LABEL[layer]), []).append(x)
        return cls(Items.of(layer, items), {label: Items.of(layer, group) for label, group in groups.items()})

    def label(self, label: str) -> Items:
        return self.by_label.get(label) or _NONE


_NONE = Items([], [], Counter())


@dataclass(frozen=True)
class Side:
    """One annotation of a document, prepared for every pair it is compared in."""

    painted: Painted
    layers: dict[str, LayerItems]

    @classmethod
    def of(cls, base: BaseTokens, annotations: Annotations, layers: Sequence[str]) -> "Side":
        return cls(Painted.of(base, annotations, layers),
                   {layer: LayerItems.of(layer, getattr(annotations, layer)) for layer in layers})


def _offsets(span: Any) -> Optional[tuple[int, int]]:
    return None if span is None else (span.start, span.end)


def _matched(a: Items, b: Items) -> list[tuple[Any, Any]]:
    """The matched pairs (item of a, item of b) of the matching rule."""
    return [(a.items[m.index_a], b.items[m.index_b]) for m in match_spans(a.spans, b.spans)]


def _either_set(field: str) -> Callable[[Any, Any], bool]:
    return lambda x, y: getattr(x, field) is not None or getattr(y, field) is not None


def _equal(field: str) -> Callable[[Any, Any], bool]:
    return lambda x, y: getattr(x, field) == getattr(y, field)


def _labels(a: LayerItems, b: LayerItems) -> list[str]:
    return sorted(set(a.by_label) | set(b.by_label))


def _entities(document: str, a: LayerItems, b: LayerItems) -> dict[Key, Tally]:
    out: dict[Key, Tally] = {}
    same_id, has_id = _equal("entity_id"), _either_set("entity_id")
    pairs = _matched(a.every, b.every)
    typed = Tally(len(a.every.items), len(b.every.items), 0)  # a typed key matches only within its label
    out["entities", None, "exact_typed_f1"] = typed
    out["entities", None, "exact_untyped_f1"] = exact_tally(a.every.offsets, b.every.offsets)
    out["entities", None, "overlap_f1"] = Tally(len(a.every.items), len(b.every.items), len(pairs))
    out["entities", None, "label_agreement"] = agreement_tally(pairs, _equal("label"))
    out["entities", None, "entity_id_agreement"] = agreement_tally(pairs, same_id, has_id)
    for label in _labels(a, b):
        la, lb = a.label(label), b.label(label)
        label_pairs = _matched(la, lb)
        exact = out["entities", label, "exact_typed_f1"] = exact_tally(la.offsets, lb.offsets)
        typed.agreed += exact.agreed
        out["entities", label, "overlap_f1"] = Tally(len(la.items), len(lb.items), len(label_pairs))
        out["entities", label, "entity_id_agreement"] = agreement_tally(label_pairs, same_id, has_id)
    return out


def _quote_parts(out: dict[Key, Tally], label: Optional[str], pairs: list[tuple[Any, Any]]) -> None:
    out["quotes", label, "speaker_agreement"] = agreement_tally(pairs, lambda x, y: _offsets(x.speaker) == _offsets(y.speaker))
    out["quotes", label, "cue_agreement"] = agreement_tally(pairs, lambda x, y: _offsets(x.cue) == _offsets(y.cue))
    out["quotes", label, "speaker_entity_id_agreement"] = agreement_tally(
        pairs, _equal("speaker_entity_id"), _either_set("speaker_entity_id"))


def _quotes(document: str, a: LayerItems, b: LayerItems) -> dict[Key, Tally]:
    out: dict[Key, Tally] = {}
    pairs = _matched(a.every, b.every)
    out["quotes", None, "overlap_f1"] = Tally(len(a.every.items), len(b.every.items), len(pairs))
    out["quotes", None, "type_agreement"] = agreement_tally(pairs, _equal("type"))
    _quote_parts(out, None, pairs)
    out["quotes", None, CLUSTER_LINK_F1] = link_tally(document, a.every.items, b.every.items, pairs)
    for label in _labels(a, b):
        la, lb = a.label(label), b.label(label)
        label_pairs = _matched(la, lb)
        out["quotes", label, "overlap_f1"] = Tally(len(la.items), len(lb.items), len(label_pairs))
        _quote_parts(out, label, label_pairs)
    return out


def _claims(document: str, a: LayerItems, b: LayerItems) -> dict[Key, Tally]:
    out: dict[Key, Tally] = {}
    pairs = _matched(a.every, b.every)
    out["claims", None, "overlap_f1"] = Tally(len(a.every.items), len(b.every.items), len(pairs))
    out["claims", None, "label_agreement"] = agreement_tally(pairs, _equal("label"))
    out["claims", None, "claimant_agreement"] = agreement_tally(pairs, _equal("claimant"))
    out["claims", None, CLUSTER_LINK_F1] = link_tally(document, a.every.items, b.every.items, pairs)
    for label in _labels(a, b):
        la, lb = a.label(label), b.label(label)
        label_pairs = _matched(la, lb)
        out["claims", label, "overlap_f1"] = Tally(len(la.items), len(lb.items), len(label_pairs))
        out["claims", label, "claimant_agreement"] = agreement_tally(label_pairs, _equal("claimant"))
    return out


_LAYER = {"entities": _entities, "quotes": _quotes, "claims": _claims}


def compare(base: BaseTokens, a: Side, b: Side, *, layers: Sequence[str], document: str) -> dict[Key, Tally]:
    """Every metric of ``layers`` between annotations ``a`` and ``b`` (each ``Side.of`` the
    document's ``base`` tokens and ``layers``) (alpha included, on the tokens both are compared on: ``pair_tokens``).
    ``document`` (its id) tells the documents apart in the cluster memberships."""
    out: dict[Key, Tally] = {}
    for layer in layers:
        out.update(_LAYER[layer](document, a.layers[layer], b.layers[layer]))
    splits = base.splits(a.painted.boundaries | b.painted.boundaries)
    for layer in layers:
        out[layer, None, "alpha"] = alpha_tally(a.painted.pair_values(layer, splits), b.painted.pair_values(layer, splits))
    return out
