"""What a suggester returns: an item as an annotation file holds it (without an id), with where it
came from and how sure that source is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Suggestion:
    """One suggested item of ``layer`` (``entities``, ``quotes`` or ``claims``): ``item`` has the
    keys of the layer's items in an annotation file except ``id`` (spans with their ``text``);
    ``source`` names the rule or model with a version (``gazetteer@1``, ``spacy:en_core_web_sm@3.7.1``);
    ``score`` is from 0 to 1."""

    layer: str
    item: dict[str, Any]
    source: str
    score: float
