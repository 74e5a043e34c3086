"""The marks of one document: every entity mention, quote part, claim and located problem as a
``Mark`` with its details as data attributes (which the page's script and CSS read)."""

from __future__ import annotations

from typing import Callable, Optional

from ..corpus import LenientDocument
from ..model import RegistryEntry
from ..validation import Problem
from ._links import anchor_of, problem_anchor
from ._marks import Mark
from ._placement import Placed, indexed
from ._style import QUOTE_HUES

#: Nesting preference for spans of the same extent (outer first).
RANK = {"claims": 0, "content": 1, "speaker": 2, "cue": 2, "entities": 3, "problem": 4}
#: The registry name of an entity id ("" for none or an unknown id).
Namer = Callable[[Optional[str]], str]


def document_marks(ld: LenientDocument, registry: dict[str, RegistryEntry], placed: Placed) -> list[Mark]:
    """Every span of the document as a mark."""
    def name(entity_id: Optional[str]) -> str:
        e = registry.get(entity_id) if entity_id else None
        return e.name if e else ""

    return [*_entity_marks(ld, name, placed), *_quote_marks(ld, name, placed), *_claim_marks(ld, name, placed),
            *_problem_marks(placed)]


def _problem_attrs(problems: list[Problem]) -> dict[str, str]:
    if not problems:
        return {}
    return {
        "data-problems": " | ".join(f"[{p.code}] {p.message}" + (f" — {p.fix}" if p.fix else "") for p in problems),
        "data-codes": " ".join(sorted({p.code for p in problems})),
    }


def _title(*parts: Optional[str]) -> str:
    return " · ".join(p for p in parts if p)


def _bad(classes: str, problems: list[Problem]) -> str:
    return classes + (" bad" if problems else "")


def _entity_marks(ld: LenientDocument, name: Namer, placed: Placed) -> list[Mark]:
    marks = []
    for i, m in indexed(ld, "entities"):
        probs = placed.by_target.get(("entities", i, None), [])
        attrs = {"data-layer": "entity", "data-id": m.id, "data-label": m.label, "data-tag": m.label,
                 "data-entity": m.entity_id or "", "data-name": name(m.entity_id),
                 "title": _title(f"entity {m.id}", m.label, m.entity_id, name(m.entity_id)), **_problem_attrs(probs)}
        marks.append(Mark(m.start, m.end, _bad("ent", probs), attrs, anchor_of("entities", i), RANK["entities"]))
    return marks


def _quote_marks(ld: LenientDocument, name: Namer, placed: Placed) -> list[Mark]:
    marks = []
    for k, (i, q) in enumerate(indexed(ld, "quotes")):
        hue = f"qc{k % len(QUOTE_HUES)}"
        for part, span in q.spans().items():
            probs = placed.by_target.get(("quotes", i, part), [])
            if part == "content" and q.speaker is None:
                probs = probs + placed.by_target.get(("quotes", i, "speaker"), [])
            tag = f"{q.id} {q.type}" if part == "content" else f"{q.id} {part}"
            attrs = {"data-layer": "quote", "data-id": q.id, "data-part": part, "data-label": q.type, "data-tag": tag,
                     "data-q": q.id, "data-entity": q.speaker_entity_id or "", "data-name": name(q.speaker_entity_id),
                     "title": _title(f"quote {q.id} {part}", q.type, q.speaker_entity_id, name(q.speaker_entity_id)),
                     **_problem_attrs(probs)}
            marks.append(Mark(span.start, span.end, _bad(f"q q-{part} {hue}", probs), attrs,
                              anchor_of("quotes", i, part), RANK[part]))
    return marks


def _claim_marks(ld: LenientDocument, name: Namer, placed: Placed) -> list[Mark]:
    marks = []
    for i, c in indexed(ld, "claims"):
        probs = placed.by_target.get(("claims", i, None), [])
        attrs = {"data-layer": "claim", "data-id": c.id, "data-label": c.label,
                 "data-tag": f"{c.id} {c.label} · {c.claimant}", "data-claimant": c.claimant, "data-name": name(c.claimant),
                 "title": _title(f"claim {c.id}", c.label, f"claimant {c.claimant}", name(c.claimant)),
                 **_problem_attrs(probs)}
        marks.append(Mark(c.start, c.end, _bad("clm", probs), attrs, anchor_of("claims", i), RANK["claims"]))
    return marks


def _problem_marks(placed: Placed) -> list[Mark]:
    marks = []
    for k, p in enumerate(placed.at_offsets):
        attrs = {"data-layer": "problem", "data-id": p.item or p.code, "data-label": p.code, "data-tag": p.code,
                 "title": str(p), **_problem_attrs([p])}
        assert p.start is not None and p.end is not None  # place_problems only puts located problems here
        marks.append(Mark(p.start, p.end, "prob", attrs, problem_anchor(k), RANK["problem"]))
    return marks
