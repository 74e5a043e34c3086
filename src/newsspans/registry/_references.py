"""Where a corpus file refers to a registry entry: the one list of those places.

The schemas (``schema/annotation.schema.json``, ``suggestion``, ``decision``) give a registry id
three places in an item: an entity mention's ``entity_id``, a quote's ``speaker_entity_id`` and a
claim's ``claimant`` (unless it is ``author``, the article's own voice). Gold, the annotators'
layers and the suggestions hold such items in their three layers; a decisions file holds them in
each decision's ``options`` (an annotator's items) and ``items`` (the edit). A ``cluster_id`` or
``group_id`` is not a registry id (it names a statement, not an entity), so it never follows one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from ..labels import AUTHOR_CLAIMANT
from ..model import LAYERS

#: Per layer: the field of an item holding a registry id, and what such a use is called.
ID_FIELDS: dict[str, str] = {"entities": "entity_id", "quotes": "speaker_entity_id", "claims": "claimant"}
USE_KINDS: dict[str, str] = {"entities": "mention", "quotes": "speaker", "claims": "claimant"}


@dataclass(frozen=True)
class Reference:
    """One registry id at ``path`` (a JSON path into the file's value, or into one line of a
    decisions file), in an item of ``layer``."""

    path: tuple[Any, ...]
    layer: str
    entity_id: str
    item: dict[str, Any]

    @property
    def kind(self) -> str:
        return USE_KINDS[self.layer]


def _in_items(items: Any, layer: str, prefix: tuple[Any, ...]) -> Iterator[Reference]:
    if not isinstance(items, list):
        return
    name = ID_FIELDS[layer]
    for k, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        value = item.get(name)
        if isinstance(value, str) and not (layer == "claims" and value == AUTHOR_CLAIMANT):
            yield Reference((*prefix, k, name), layer, value, item)


def annotation_references(value: Any) -> Iterator[Reference]:
    """Every registry id in an annotation, layer or suggestions file's value, in file order."""
    if not isinstance(value, dict):
        return
    for layer in LAYERS:
        yield from _in_items(value.get(layer), layer, (layer,))


def decision_references(value: Any) -> Iterator[Reference]:
    """Every registry id in one decision (a line of a decisions file): its options, then its items."""
    if not isinstance(value, dict) or value.get("layer") not in LAYERS:
        return
    layer = value["layer"]
    options = value.get("options")
    if isinstance(options, dict):
        for annotator, items in options.items():
            yield from _in_items(items, layer, ("options", annotator))
    yield from _in_items(value.get("items"), layer, ("items",))


def repoint(references: list[Reference], renamed: Mapping[str, str]) -> int:
    """Set each reference whose id ``renamed`` maps to its new id (the items are changed in place);
    returns how many changed."""
    changed = 0
    for ref in references:
        new = renamed.get(ref.entity_id)
        if new is not None:
            ref.item[ref.path[-1]] = new
            changed += 1
    return changed
