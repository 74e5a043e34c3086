"""What the entity pages list: every mention, quote speaker and claimant that refers to a
registry entity, with a little of the text around it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..corpus import LenientDocument
from ..model import Document, RegistryEntry
from ._links import anchor_of
from ._placement import indexed

CONTEXT = 70  # code points of context on each side of a mention on an entity page


@dataclass
class Mention:
    doc_id: str
    doc_title: str
    anchor: str
    role: str  # "mention", "speaker of", "claimant of"
    ident: str
    label: str
    before: str
    text: str
    after: str


def _context(doc: Document, start: int, end: int) -> tuple[str, str, str]:
    text = doc.text
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    return text[max(0, start - CONTEXT) : start], text[start:end], text[end : end + CONTEXT]


def collect_mentions(ld: LenientDocument, registry: dict[str, RegistryEntry]) -> Iterable[tuple[str, Mention]]:
    """(entity_id, mention) for every reference to a registry entity in the document."""
    doc = ld.document
    title = doc.meta.title or doc.id
    for i, m in indexed(ld, "entities"):
        if m.entity_id in registry:
            yield m.entity_id, Mention(doc.id, title, anchor_of("entities", i), "mention", m.id, m.label,
                                       *_context(doc, m.start, m.end))
    for i, q in indexed(ld, "quotes"):
        if q.speaker_entity_id in registry:
            span = q.speaker or q.content
            part = "speaker" if q.speaker else "content"
            yield q.speaker_entity_id, Mention(doc.id, title, anchor_of("quotes", i, part), "speaker of", q.id, q.type,
                                               *_context(doc, span.start, span.end))
    for i, c in indexed(ld, "claims"):
        if c.claimant in registry:
            yield c.claimant, Mention(doc.id, title, anchor_of("claims", i), "claimant of", c.id, c.label,
                                      *_context(doc, c.start, c.end))
