"""What an import changes in what the source says, only when asked: ``--trim`` (span edges that
break the guidelines) and ``--create-entities`` (registry entries for mentions without an id).
Every change is counted and listed in the report, each at the source's place.

**Trim** (guidelines 1 and 4.2): every span loses leading and trailing whitespace, no-break spaces
included; a direct quote's content also loses the quotation marks at its edges (and the
punctuation after a closing mark at its end: ``"We won,"`` becomes ``We won,``), since the guidelines
keep them outside. Nothing else moves: a span that would be empty is left as it is, for the
validator to report.

**Create entities**: a mention of a type that names a referent (``labels.ENTITY_ID_LABELS``) without
an ``entity_id`` is linked to the registry entry of its type that has its text as an alias, when
there is exactly one (when there are several, none is chosen: the validator's error names them);
when there is none, a new entry is created (id: the text as a slug, made unique; name
and alias: the text; the type; no Wikidata id), once per text and type in the import. The new
entries are written to ``registry.json`` in the import's one write and listed for review.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

from ..labels import ENTITY_ID_LABELS, slugify
from ..model import Annotations, EntityMention, Quote, RegistryEntry, Span
from ..validation import QUOTATION_MARKS

_PUNCT_AFTER_MARK = ".,;:!?"


def _trim_span(text: str, start: int, end: int, *, marks: bool) -> tuple[int, int]:
    """``start``, ``end`` without edge whitespace (and, with ``marks``, edge quotation marks)."""
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if marks and e - s >= 2 and text[s] in QUOTATION_MARKS:
        close = e - 1
        while close > s and text[close] in _PUNCT_AFTER_MARK:
            close -= 1
        if text[close] in QUOTATION_MARKS and close > s + 1:
            s, e = s + 1, close
    return (s, e) if e > s else (start, end)


@dataclass
class Trimmer:
    """Trims the spans of annotations against one text; ``changes`` lists each trim, as
    ``(layer, position, field, old (start, end), new (start, end))``."""

    text: str
    changes: list[tuple[str, int, str, tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def span(self, layer: str, k: int, name: str, span: Optional[Span], *, marks: bool = False) -> Optional[Span]:
        if span is None:
            return None
        s, e = _trim_span(self.text, span.start, span.end, marks=marks)
        if (s, e) == (span.start, span.end):
            return span
        self.changes.append((layer, k, name, (span.start, span.end), (s, e)))
        return Span(s, e, self.text[s:e])

    def flat(self, layer: str, k: int, item: Any) -> Any:
        new = self.span(layer, k, "span", Span(item.start, item.end, item.text))
        return item if new is None or (new.start, new.end) == (item.start, item.end) else \
            replace(item, start=new.start, end=new.end, text=new.text)

    def quote(self, k: int, q: Quote) -> Quote:
        return replace(q, content=self.span("quotes", k, "content", q.content, marks=q.type == "direct"),
                       speaker=self.span("quotes", k, "speaker", q.speaker), cue=self.span("quotes", k, "cue", q.cue))

    def annotations(self, ann: Annotations) -> Annotations:
        return replace(ann, entities=tuple(self.flat("entities", k, m) for k, m in enumerate(ann.entities)),
                       quotes=tuple(self.quote(k, q) for k, q in enumerate(ann.quotes)),
                       claims=tuple(self.flat("claims", k, c) for k, c in enumerate(ann.claims)))


def slug(text: str) -> str:
    """A registry id made of a surface form (``labels.slugify``), ``entity`` when it has no ASCII spelling."""
    return slugify(text) or "entity"


@dataclass
class EntityMaker:
    """Links or creates the registry entries of mentions without an id, for one import."""

    registry: dict[str, RegistryEntry]
    created: dict[tuple[str, str], RegistryEntry] = field(default_factory=dict)  # (text, type) -> entry
    linked: list[tuple[str, str, str]] = field(default_factory=list)  # (text, type, id) linked to an existing entry

    def entity_id(self, text: str, label: str) -> Optional[str]:
        """The id for a ``label`` mention of ``text``: the one entry of its type with that alias, a
        new entry when none has it, None when several have (the validator's error names them)."""
        if (text, label) in self.created:
            return self.created[(text, label)].entity_id
        having = [e.entity_id for e in self.registry.values() if e.type == label and text in e.aliases]
        if len(having) > 1:
            return None
        if len(having) == 1:
            self.linked.append((text, label, having[0]))
            return having[0]
        base = slug(text)
        new_id, n = base, 1
        while new_id in self.registry:
            n += 1
            new_id = f"{base}-{n}"
        entry = RegistryEntry(new_id, text, label, (text,), None)
        self.registry[new_id] = entry
        self.created[(text, label)] = entry
        return new_id

    def annotations(self, ann: Annotations, on_link: Callable[[int, EntityMention, str], None]) -> Annotations:
        """``ann`` with an id for every mention that needs one and has none (``on_link`` told of each)."""
        entities = []
        for k, m in enumerate(ann.entities):
            found = self.entity_id(m.text, m.label) if m.entity_id is None and m.label in ENTITY_ID_LABELS else None
            if found is not None:
                m = replace(m, entity_id=found)
                on_link(k, m, found)
            entities.append(m)
        return replace(ann, entities=tuple(entities))
