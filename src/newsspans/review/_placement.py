"""Where each validation problem is shown: on which document page, on which annotation (and
which part of a quote), at its own offsets, or in the list only; registry problems also on the
page of the entity they concern."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import AbstractSet, Any, Iterable, Optional

from ..corpus import ANNOTATIONS, DECISIONS, DOCUMENTS, LAYERS_DIR, REGISTRY, TEXTS, LenientDocument
from ..model import RegistryEntry
from ..validation import Problem
from ._links import anchor_of, problem_anchor

_ITEM = re.compile(r"^(entities|quotes|claims)\[(\d+)\](?:\.(\w+))?")
#: (layer, position in the annotation file, quote part or None): one drawn span.
Target = tuple[str, int, Optional[str]]


def indexed(ld: LenientDocument, layer: str) -> list[tuple[int, Any]]:
    """(position in the annotation file, item) for each readable item of a layer."""
    return list(zip(ld.positions[layer], getattr(ld.document.annotations, layer)))


def problem_document(p: Problem, doc_ids: AbstractSet[str]) -> Optional[str]:
    """The document a problem concerns: its ``document_id``, else the stem of a per-document file."""
    if p.document_id is not None:
        return p.document_id
    if p.file:
        path = Path(p.file)
        if path.parent.name in (TEXTS, DOCUMENTS, ANNOTATIONS) and path.stem in doc_ids:
            return path.stem
    return None


def of_layers(p: Problem) -> bool:
    """Whether a problem concerns an annotator's layer file or a decisions file (not gold's files)."""
    if not p.file:
        return False
    path = Path(p.file)
    return path.parent.parent.name == LAYERS_DIR or path.parent.name == DECISIONS


def problem_target(p: Problem) -> Optional[Target]:
    """The annotation a problem's ``item`` names, for annotation-file problems."""
    if not p.item or (p.file and Path(p.file).parent.name != ANNOTATIONS):
        return None
    m = _ITEM.match(p.item)
    if m is None:
        return None
    layer, index, sub = m.group(1), int(m.group(2)), m.group(3)
    part = None
    if layer == "quotes":
        part = sub if sub in ("content", "speaker", "cue") else ("speaker" if sub == "speaker_entity_id" else "content")
    return layer, index, part


@dataclass
class Placed:
    """The problems of one document page, by where they are drawn."""

    by_target: dict[Target, list[Problem]] = field(default_factory=lambda: defaultdict(list))
    at_offsets: list[Problem] = field(default_factory=list)
    listed: list[tuple[Problem, Optional[str]]] = field(default_factory=list)  # (problem, anchor it is shown at)


def place_problems(ld: LenientDocument, problems: Iterable[Problem]) -> Placed:
    """Decide where each problem of a document is shown."""
    placed = Placed()
    length = len(ld.document.text)
    spans = target_spans(ld)
    for p in problems:
        target = problem_target(p)
        if target is not None and target in spans and 0 <= spans[target][0] < spans[target][1] <= length:
            placed.by_target[target].append(p)
            placed.listed.append((p, anchor_of(*target)))
        elif p.start is not None and p.end is not None and 0 <= p.start < p.end <= length and not of_layers(p):
            placed.listed.append((p, problem_anchor(len(placed.at_offsets))))
            placed.at_offsets.append(p)
        else:
            placed.listed.append((p, None))
    return placed


def target_spans(ld: LenientDocument) -> dict[Target, tuple[int, int]]:
    """The extent of every span a problem can be drawn on."""
    spans: dict[Target, tuple[int, int]] = {}
    for i, m in indexed(ld, "entities"):
        spans[("entities", i, None)] = (m.start, m.end)
    for i, q in indexed(ld, "quotes"):
        for part, s in q.spans().items():
            spans[("quotes", i, part)] = (s.start, s.end)
        if q.speaker is None:  # a speaker problem with no speaker span is shown on the content
            spans[("quotes", i, "speaker")] = (q.content.start, q.content.end)
    for i, c in indexed(ld, "claims"):
        spans[("claims", i, None)] = (c.start, c.end)
    return spans


def registry_problems(problems: Iterable[Problem], registry: dict[str, RegistryEntry]) -> dict[str, list[Problem]]:
    """The problems of ``registry.json`` items, by the entity id of the item they name.

    ``registry`` holds the first entry of each id in file order; an item flagged E-ID-DUPLICATE
    is a later entry of an id already seen, so the positions of the others are still known.
    """
    problems = [p for p in problems if p.file and Path(p.file).name == REGISTRY and _ITEM.match(p.item or "")]
    duplicates = {_position(p) for p in problems if p.code == "E-ID-DUPLICATE"}
    ids = iter(registry)
    positions = [None if k in duplicates else next(ids, None) for k in range(len(registry) + len(duplicates))]
    by_entity: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        k = _position(p)
        if 0 <= k < len(positions) and positions[k] is not None:
            by_entity[positions[k]].append(p)
    return by_entity


def _position(p: Problem) -> int:
    m = _ITEM.match(p.item or "")
    return int(m.group(2)) if m and m.group(1) == "entities" else -1
