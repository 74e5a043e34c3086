"""The corpus data model: frozen dataclasses, one per kind of record.

Offsets are Python code points into the document text, end exclusive; every span stores its
``text`` beside its offsets as a guard (``doc.text[span.start:span.end] == span.text``).
``from_dict`` expects a record that already passed its JSON Schema (see ``newsspans.checks``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

from .labels import ID_PREFIXES

#: The layers of an annotation file, in file order.
LAYERS = ("entities", "quotes", "claims")


def id_number(layer: str, local_id: Any) -> Optional[int]:
    """The number of a local id of ``layer`` (``"m12"`` -> 12 for entities), or None when
    ``local_id`` is not an id of that layer (another prefix, a leading zero, not a string)."""
    prefix = ID_PREFIXES[layer]
    if not isinstance(local_id, str) or not local_id.startswith(prefix):
        return None
    digits = local_id[len(prefix):]
    if not digits.isascii() or not digits.isdigit() or digits[0] == "0":
        return None
    return int(digits)


def highest_id_numbers(layers: Mapping[str, Iterable[Any]]) -> dict[str, int]:
    """The highest id number in use per layer (0 for a layer without ids), given each layer's items
    (anything with an ``id``) or ids; what is not an id of the layer is ignored."""
    out = {}
    for layer in LAYERS:
        prefix = ID_PREFIXES[layer]
        cut = len(prefix)
        best = 0
        for x in layers.get(layer, ()):
            i = x if isinstance(x, str) else getattr(x, "id", None)
            if type(i) is not str or not i.startswith(prefix):
                continue
            digits = i[cut:]
            if digits.isdigit() and digits.isascii() and digits[0] != "0":  # as id_number, inline: once per item
                n = int(digits)
                if n > best:
                    best = n
        out[layer] = best
    return out


#: Makes an instance of a frozen dataclass without its ``__init__``: the ``from_dict`` of the
#: records read once per item of every file fill its ``__dict__`` with every field, which is what
#: the generated ``__init__`` does one ``object.__setattr__`` at a time, at twice the cost (the
#: classes have no ``__post_init__``; ``tests/test_model.py`` checks that both make equal objects).
_new = object.__new__


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def from_dict(cls, d: Optional[dict[str, Any]]) -> Optional["Span"]:
        if d is None:
            return None
        span = _new(cls)  # as cls(...) makes it, at half the cost (see _new)
        span.__dict__.update(start=d["start"], end=d["end"], text=d["text"])
        return span

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
        m = _new(cls)
        m.__dict__.update(id=d["id"], start=d["start"], end=d["end"], text=d["text"], label=d["label"],
                          entity_id=d["entity_id"])
        return m

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
        q = _new(cls)
        q.__dict__.update(id=d["id"], type=d["type"], content=Span.from_dict(d["content"]),
                          speaker=Span.from_dict(d["speaker"]), cue=Span.from_dict(d["cue"]),
                          speaker_entity_id=d["speaker_entity_id"], group_id=d["group_id"], cluster_id=d["cluster_id"])
        return q

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
        c = _new(cls)
        c.__dict__.update(id=d["id"], start=d["start"], end=d["end"], text=d["text"], label=d["label"],
                          claimant=d["claimant"], cluster_id=d["cluster_id"])
        return c

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
    """The standoff annotation file of one document: three layers, and ``issued``.

    ``issued`` maps each layer to the highest id number ever issued in the file (``m53`` -> 53),
    so that an id, once deleted, is never issued again: a new item takes ``next_id(layer)``, one
    above it, and ``updated`` raises it with the items. It defaults to the highest number in use
    per layer (what a file that never lost its last item records); a layer missing from a given
    mapping, or given no non-negative integer, gets that default too. ``issued_recorded`` tells
    whether a mapping was given (read from a file) rather than derived. Do not mutate it.
    """

    document_id: str
    entities: tuple[EntityMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    issued: Optional[Mapping[str, int]] = field(default=None, hash=False)
    _issued_given: bool = field(default=False, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        given = self.issued if isinstance(self.issued, Mapping) else None
        highest = None
        issued = {}
        for layer in LAYERS:
            value = None if given is None else given.get(layer)
            if type(value) is not int or value < 0:
                highest = highest or self.highest_ids()
                value = highest[layer]
            issued[layer] = value
        object.__setattr__(self, "issued", issued)
        object.__setattr__(self, "_issued_given", given is not None)

    @property
    def issued_recorded(self) -> bool:
        """True when ``issued`` was given (read from a file), False when derived from the ids."""
        return self._issued_given

    def highest_ids(self) -> dict[str, int]:
        """The highest id number in use per layer (0 for an empty layer)."""
        return highest_id_numbers({"entities": self.entities, "quotes": self.quotes, "claims": self.claims})

    def next_id(self, layer: str, used: Iterable[str] = ()) -> str:
        """A fresh id for a new item of ``layer``: one above ``issued[layer]``, above every id of
        the layer in use, and above the ids in ``used`` (ids already handed out for items not yet
        added, when issuing several in a row). Deleted ids are never issued again. Build the new
        state with ``updated``, which raises ``issued`` to cover the new ids."""
        numbers = (id_number(layer, i) for i in used)
        top = max([self.issued[layer], self.highest_ids()[layer], *(n for n in numbers if n is not None)])
        return f"{ID_PREFIXES[layer]}{top + 1}"

    def updated(self, **layers: Iterable[Any]) -> "Annotations":
        """A copy with the given layers (``entities=…``, ``quotes=…``, ``claims=…``) replaced and
        ``issued`` raised to cover their ids, never lowered: the next state of this file, as an
        import or an edit writes it."""
        unknown = set(layers) - set(LAYERS)
        if unknown:
            raise TypeError(f"unknown layer(s): {', '.join(sorted(unknown))}")
        items = {layer: tuple(layers.get(layer, getattr(self, layer))) for layer in LAYERS}
        highest = highest_id_numbers(items)
        issued = {layer: max(self.issued[layer], highest[layer]) for layer in LAYERS}
        return Annotations(self.document_id, items["entities"], items["quotes"], items["claims"], issued=issued)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Annotations":
        return cls(
            d["document_id"],
            tuple(EntityMention.from_dict(x) for x in d["entities"]),
            tuple(Quote.from_dict(x) for x in d["quotes"]),
            tuple(Claim.from_dict(x) for x in d["claims"]),
            issued=d.get("issued"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "issued": {layer: self.issued[layer] for layer in LAYERS},
            "entities": [x.to_dict() for x in self.entities],
            "quotes": [x.to_dict() for x in self.quotes],
            "claims": [x.to_dict() for x in self.claims],
        }


@dataclass(frozen=True)
class DocumentMeta:
    """Per-document metadata (``corpus/documents/<id>.json``). ``url``, where the text was
    published, is optional in the file (written only when known), so that metadata written before
    it existed stays valid."""

    id: str
    title: Optional[str]
    published: Optional[str]
    source: str
    language: str
    story_id: str
    sha256: str
    url: Optional[str] = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DocumentMeta":
        return cls(d["id"], d["title"], d["published"], d["source"], d["language"], d["story_id"], d["sha256"],
                   d.get("url"))

    def to_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "source": self.source,
            "language": self.language,
            "story_id": self.story_id,
            "sha256": self.sha256,
        }
        if self.url is not None:
            d["url"] = self.url
        return d


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


@dataclass(frozen=True)
class Annotator:
    """Who made a layer (``corpus/annotators.json``): never an e-mail address."""

    annotator_id: str
    kind: str  # one of labels.ANNOTATOR_KINDS
    note: Optional[str] = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Annotator":
        return cls(d["annotator_id"], d["kind"], d["note"])

    def to_dict(self) -> dict[str, Any]:
        return {"annotator_id": self.annotator_id, "kind": self.kind, "note": self.note}
