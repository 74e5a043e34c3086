"""What a comparison page holds: each column's text with its marks (the document page's marks,
anchored per column, with every item that disagrees marked), the list of disagreements linking to
the items, and the decisions of the decisions file with their takes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping, Optional, Sequence

from markupsafe import Markup

from ..adjudication import Decision
from ..corpus import LenientDocument
from ..labels import TAKE_EDIT, TAKE_NEITHER
from ..model import LAYERS, Document, RegistryEntry, Span
from ._disagreements import PART_OF_FIELD, Disagreement, by_item, shown_span
from ._document_marks import document_marks
from ._layers import Column, DocumentLayers
from ._links import anchor_of, column_anchor
from ._marks import Mark, render_marks
from ._placement import Placed

#: The part of an item its link points at (a quote: its content).
_MAIN_PART = {"entities": None, "quotes": "content", "claims": None}


@dataclass(frozen=True)
class ShownColumn:
    column: Column
    anchor: str  # the element id of the column
    text: Markup
    marked: int  # items marked as disagreeing


@dataclass(frozen=True)
class ItemLink:
    """An item of one side as a list shows it: its id, a short description and where it is drawn."""

    side: str
    ident: Optional[str]  # None: the side has no item there
    summary: str
    anchor: Optional[str]


@dataclass(frozen=True)
class ListedDisagreement:
    disagreement: Disagreement
    a: ItemLink
    b: ItemLink


@dataclass(frozen=True)
class ShownDecision:
    decision: Decision
    options: list[tuple[str, list[ItemLink]]]
    take: str  # "open", or the take in words
    edited: list[str]  # with the take "edit": the items taken


def item_summary(layer: str, item: Mapping[str, Any]) -> str:
    """An item (as its file holds it) in a few words: its label and text, and what it refers to."""
    if layer == "entities":
        return f"{item.get('label')} {shown_span(_span(item))}" + (f" → {item['entity_id']}" if item.get("entity_id") else "")
    if layer == "quotes":
        speaker = _span(item.get("speaker"))
        return f"{item.get('type')} {shown_span(_span(item.get('content')))}" + (
            f", speaker {shown_span(speaker)}" if speaker else "")
    return f"{item.get('label')} {shown_span(_span(item))}, claimant {item.get('claimant')}"


def _span(d: Any) -> Optional[Span]:
    if not isinstance(d, Mapping) or not all(k in d for k in ("start", "end", "text")):
        return None
    return Span(d["start"], d["end"], str(d["text"]))


def _by_part(found: Sequence[Disagreement]) -> dict[Optional[str], list[Disagreement]]:
    """An item's disagreements by the part of it they are drawn on (None: the whole item, or a
    quote's content, which carries them all)."""
    parts: dict[Optional[str], list[Disagreement]] = {None: list(found)}
    for d in found:
        for part in sorted({PART_OF_FIELD[f] for f in d.fields if f in PART_OF_FIELD}):
            parts.setdefault(part, []).append(d)
    return parts


def _marked(mark: Mark, side: str, found: Sequence[Disagreement]) -> Mark:
    notes = [d.note_for(side) for d in found]
    attrs = dict(mark.attrs)
    attrs["data-diff"] = " | ".join(notes)
    attrs["title"] = f"{attrs.get('title', '')} · ≠ " + "; ".join(notes)
    kind = "dis-missing" if any(d.missing for d in found) else "dis-attr"
    return replace(mark, classes=f"{mark.classes} dis {kind}", attrs=attrs)


def column_text(doc: Document, column: Column, k: int, registry: dict[str, RegistryEntry],
                disagreements: Sequence[Disagreement]) -> tuple[Markup, int]:
    """The text of column ``k`` with its marks, and how many of its items are marked."""
    ann = column.annotations
    ld = LenientDocument(Document(doc.meta, doc.text, ann), {layer: list(range(len(getattr(ann, layer)))) for layer in LAYERS})
    found = by_item(disagreements)
    where: dict[str, tuple[str, int, Optional[str]]] = {}
    for layer in LAYERS:
        for i, item in enumerate(getattr(ann, layer)):
            for part in (item.spans() if layer == "quotes" else {None: None}):
                where[anchor_of(layer, i, part)] = (layer, i, part)
    marks, marked = [], set()
    for mark in document_marks(ld, registry, Placed()):
        layer, i, part = where[mark.anchor]
        mine = found.get((column.side, layer, i))
        shown = _by_part(mine).get(None if part == "content" else part) if mine else None
        if shown:
            mark = _marked(mark, column.side, shown)
            marked.add((layer, i))
        marks.append(replace(mark, anchor=column_anchor(k, mark.anchor)))
    return render_marks(doc.text, marks), len(marked)


def shown_columns(doc: Document, layers: DocumentLayers, registry: dict[str, RegistryEntry]) -> list[ShownColumn]:
    out = []
    for k, column in enumerate(layers.columns):
        text, marked = column_text(doc, column, k, registry, layers.disagreements)
        out.append(ShownColumn(column, f"text-{k}", text, marked))
    return out


def _link(layers: DocumentLayers, side: str, layer: str, index: Optional[int]) -> ItemLink:
    k = next((k for k, c in enumerate(layers.columns) if c.side == side), None)
    if index is None or k is None:
        return ItemLink(side, None, "—", None)
    item = getattr(layers.columns[k].annotations, layer)[index]
    return ItemLink(side, item.id, item_summary(layer, item.to_dict()),
                    column_anchor(k, anchor_of(layer, index, _MAIN_PART[layer])))


def listed_disagreements(layers: DocumentLayers) -> dict[str, list[ListedDisagreement]]:
    """The disagreements by layer (only layers that have some), each with both items."""
    out: dict[str, list[ListedDisagreement]] = {}
    for d in layers.disagreements:
        out.setdefault(d.layer, []).append(ListedDisagreement(
            d, _link(layers, d.side_a, d.layer, d.index_a), _link(layers, d.side_b, d.layer, d.index_b)))
    return out


class _Positions:
    """Where each item id is in each side's layers (the first item with it), looked up once per
    side and layer rather than by a scan of the layer for every option of every decision."""

    def __init__(self, layers: DocumentLayers) -> None:
        self.columns = {}
        for k, c in enumerate(layers.columns):
            self.columns.setdefault(c.side, k)
        self._layers = layers
        self._ids: dict[tuple[int, str], dict[Any, int]] = {}

    def of(self, k: int, layer: str, ident: Any) -> Optional[int]:
        if (k, layer) not in self._ids:
            ids: dict[Any, int] = {}
            for i, x in enumerate(getattr(self._layers.columns[k].annotations, layer)):
                ids.setdefault(x.id, i)
            self._ids[(k, layer)] = ids
        try:
            return self._ids[(k, layer)].get(ident)
        except TypeError:  # an id that is no string (a list...): no item has it
            return None


def _option_link(positions: _Positions, side: str, layer: str, item: Mapping[str, Any]) -> ItemLink:
    """An item of a decision's options, linked to the item with its id in the side's current layer."""
    k = positions.columns.get(side)
    i = positions.of(k, layer, item.get("id")) if k is not None and layer in LAYERS else None
    anchor = column_anchor(k, anchor_of(layer, i, _MAIN_PART[layer])) if k is not None and i is not None else None
    return ItemLink(side, item.get("id"), item_summary(layer, item), anchor)


def shown_decisions(layers: DocumentLayers) -> list[ShownDecision]:
    out = []
    positions = _Positions(layers)
    for d in layers.decisions or []:
        options = [(side, [_option_link(positions, side, d.layer, x) for x in items]) for side, items in d.options.items()]
        edited = [item_summary(d.layer, x) for x in d.items or []] if d.take == TAKE_EDIT else []
        out.append(ShownDecision(d, options, _take(d.take), edited))
    return out


def _take(take: Optional[str]) -> str:
    if take is None:
        return "open"
    return {TAKE_NEITHER: "neither (no item)", TAKE_EDIT: "edit (the items below)"}.get(take, f"take {take}")
