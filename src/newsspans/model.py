"""The corpus data model: frozen dataclasses, one per kind of record.

Offsets are Python code points into the document text, end exclusive; every span stores its
``text`` beside its offsets as a guard (``doc.text[span.start:span.end] == span.text``).
``from_dict`` expects a record that already passed its JSON Schema (see ``newsspans.checks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

#: The layers of an annotation file, in file order.
LAYERS = ("entities", "quotes", "claims")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def from_dict(cls, d: Optional[dict[str, Any]]) -> Optional["Span"]:
        return None if d is None else cls(d["start"], d["end"], d["text"])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class EntityMention:
    id: str
    start: int
    end: int
    text: str
    label: str
    entity_id: Optional[str]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "EntityMention":
        return cls(d["id"], d["start"], d["end"], d["text"], d["label"], d["entity_id"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "entity_id": self.entity_id,
        }

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


@dataclass(frozen=True)
class Quote:
    id: str
    type: str
    content: Span
    speaker: Optional[Span]
    cue: Optional[Span]
    speaker_entity_id: Optional[str]
    group_id: Optional[str]
    cluster_id: Optional[str]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quote":
        return cls(
            d["id"],
            d["type"],
            Span.from_dict(d["content"]),
            Span.from_dict(d["speaker"]),
            Span.from_dict(d["cue"]),
            d["speaker_entity_id"],
            d["group_id"],
            d["cluster_id"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "content": self.content.to_dict(),
            "speaker": None if self.speaker is None else self.speaker.to_dict(),
            "cue": None if self.cue is None else self.cue.to_dict(),
            "speaker_entity_id": self.speaker_entity_id,
            "group_id": self.group_id,
            "cluster_id": self.cluster_id,
        }

    def spans(self) -> dict[str, Span]:
        """The quote's spans by part name (content, speaker, cue), leaving out absent parts."""
        parts = {"content": self.content, "speaker": self.speaker, "cue": self.cue}
        return {name: span for name, span in parts.items() if span is not None}


@dataclass(frozen=True)
class Claim:
    id: str
    start: int
    end: int
    text: str
    label: str
    claimant: str
    cluster_id: Optional[str]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        return cls(d["id"], d["start"], d["end"], d["text"], d["label"], d["claimant"], d["cluster_id"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "claimant": self.claimant,
            "cluster_id": self.cluster_id,
        }

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


@dataclass(frozen=True)
class Annotations:
    """The standoff annotation file of one document: three layers."""

    document_id: str
    entities: tuple[EntityMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Annotations":
        return cls(
            d["document_id"],
            tuple(EntityMention.from_dict(x) for x in d["entities"]),
            tuple(Quote.from_dict(x) for x in d["quotes"]),
            tuple(Claim.from_dict(x) for x in d["claims"]),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "entities": [x.to_dict() for x in self.entities],
            "quotes": [x.to_dict() for x in self.quotes],
            "claims": [x.to_dict() for x in self.claims],
        }


@dataclass(frozen=True)
class DocumentMeta:
    """Per-document metadata (``corpus/documents/<id>.json``)."""

    id: str
    title: Optional[str]
    published: Optional[str]
    source: str
    language: str
    story_id: str
    sha256: str

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DocumentMeta":
        return cls(d["id"], d["title"], d["published"], d["source"], d["language"], d["story_id"], d["sha256"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "source": self.source,
            "language": self.language,
            "story_id": self.story_id,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class Document:
    """A document as the build sees it: metadata, the text as stored, and its annotations."""

    meta: DocumentMeta
    text: str
    annotations: Annotations

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class RegistryEntry:
    entity_id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    wikidata: Optional[str]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RegistryEntry":
        return cls(d["entity_id"], d["name"], d["type"], tuple(d["aliases"]), d["wikidata"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "wikidata": self.wikidata,
        }
