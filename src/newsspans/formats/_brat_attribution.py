"""brat corpora with an attribution schema of their own: ``newsspans import brat SRC --mapping FILE``
where the mapping has a ``brat`` section (``_mapping.MAPPING_SCHEMA``). Without one, a brat folder is
read as NewsSpans' own export (``brat.py``).

A quote-attribution corpus such as PolNeAR annotates, in each ``.ann`` file (brat's general
syntax, ``_brat_read``), text-bound ``Source``, ``Cue`` and ``Content`` spans and an event linking
them, its trigger a span of its own::

    T1  Source 0 9          Ada Varga
    T2  Cue 10 14           said
    T3  Content 15 32;33 48 the ferry was late and the crew tired
    T4  Attribution 10 14   said
    E1  Attribution:T4 Source:T1 Cue:T2 Content:T3

The mapping says which event types are quotes (``quote_events``), which quote part each argument
role is (``roles``: ``Content2``, brat's numbering of a repeated role, is ``Content``), what a
trigger is (``trigger``: a part, or ``none``), and where a quote's type comes from (``type``: an
attribute of the event with its values mapped, else ``default``, a type or ``auto``: from the
content's quotation marks, ``_mapping.auto_quote_type``).

**What becomes what.** Each quote event gives a quote; a content of several fragments (a
discontinuous span, or several content arguments) gives one quote per fragment, all sharing a
fresh ``group_id`` and the same speaker and cue. A speaker span several events share is each
quote's speaker. The speaker's registry id (``speaker_entity_id``) is a ``NewsSpans``
normalization of the speaker span or of the event, if any; else null. Every text-bound annotation
that no quote event uses, and that is not a quote part by its type (a role or event type of the
mapping, a trigger), is an entity mention of its type through the label mapping (``entities``,
``unknown``; ``LabelMapper``), its registry id a ``NewsSpans`` normalization, if any. No claims:
a ``Claim`` type is an entity label like any other. Every item gets a fresh id (a foreign
corpus's notes are free text, not NewsSpans ids) and is located at its line.

**Refused** (every problem named at its line, nothing written): a discontinuous speaker, cue or
entity mention (each is one span of the text); a discontinuous span whose text field is not its
fragments' texts joined by a space (brat's rule), or whose fragments overlap or leave the text; a
quote event with no content, with two speakers or two cues, with an argument that is not a
text-bound span, or with a role the mapping does not name (unless ``unknown: skip``); a type
attribute whose value the mapping does not map; a reference to an annotation the file lacks.

**Not imported, counted** (``Report.ignore``, and a note per file): events of other types;
triggers with ``trigger: none``; quote-part spans no quote event uses; relations and equivalences
(NewsSpans has none); attributes the mapping does not read; normalizations other than the
registry ids it reads; annotator notes. Span edges are never moved here (``--trim`` does that).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..labels import GROUP_PREFIX, ID_PREFIXES, QUOTE_TYPES
from ..model import Annotations, EntityMention, Quote, Span
from ..paths import display_path
from ._brat_read import DISCONT_SEP, Attached, Event, Line, Standoff, TextBound, read_standoff
from ._mapping import LabelMapper, Mapping, auto_quote_type
from .base import Report
from .importer import ErrorList, FreshIds, Parsed, Source, SourceMap

#: The normalization database whose keys are registry ids.
DB = "NewsSpans"
AUTO = "auto"
NO_TRIGGER = "none"
_NUMBERED = re.compile(r"[0-9]+$")


@dataclass(frozen=True)
class Scheme:
    """A mapping's ``brat`` section, read: the event types that are quotes, the part each role is,
    the trigger's part (None: not imported), the quote type's attribute, value map and default;
    and, from the rest of the mapping, the entity types it names and its ``unknown`` policy."""

    quote_events: frozenset[str]
    roles: dict[str, str]
    trigger: Optional[str]
    type_attribute: Optional[str]
    type_values: Optional[dict[str, str]]
    type_default: str
    entity_types: frozenset[str]
    skip_unknown: bool
    #: How messages name the mapping file.
    shown: str

    @classmethod
    def of(cls, mapping: Optional[Mapping]) -> Optional["Scheme"]:
        """The scheme of ``mapping``'s ``brat`` section; None without one (NewsSpans' own brat files)."""
        if mapping is None or mapping.brat is None:
            return None
        section = mapping.brat
        quote_type = section.get("type", {})
        trigger = section.get("trigger", NO_TRIGGER)
        return cls(frozenset(section["quote_events"]), dict(section["roles"]), None if trigger == NO_TRIGGER else trigger,
                   quote_type.get("attribute"), quote_type.get("values"), quote_type.get("default", AUTO),
                   frozenset(mapping.entities), mapping.unknown == "skip",
                   display_path(mapping.path) if mapping.path is not None else "the mapping")

    def part(self, role: str) -> Optional[str]:
        """The quote part an argument role is: by its name, else by its name without brat's number."""
        return self.roles.get(role, self.roles.get(_NUMBERED.sub("", role)))


def parse_attribution(ann_text: str, *, document_id: str, text: str, scheme: Scheme, labels: LabelMapper, report: Report,
                      file: str = "<ann>", used_ids: Iterable[str] = (), used_groups: Iterable[str] = ()) -> Parsed:
    """The entity mentions and quotes of one ``.ann`` file of a corpus with its own schema, read
    through ``scheme`` over the document's ``text``, with the line each item and field came from.

    Raises ``FormatError`` with every problem of the first stage that has any (line syntax,
    references, the items), each naming the file and line; what the validator checks is left to
    ``importer.check``. New ids avoid ``used_ids``, new group ids ``used_groups``. What the file
    holds that is not imported is counted in ``report`` (``ignore`` and a note); entity labels
    are mapped, and counted, by ``labels``."""
    found = read_standoff(ann_text, file=file)
    _check_references(found)
    assembly = _Assembly(found, scheme, text=text, labels=labels)
    parsed = assembly.build(document_id, used_ids=set(used_ids), used_groups=set(used_groups))
    assembly.unread.add_to(report, file)
    return parsed


# -- stage 2: references between annotations --


def _check_references(found: Standoff) -> None:
    """Every id an annotation refers to is one of the file's (a text-bound span, an event or a relation)."""
    errors = ErrorList()
    relations = {r.line.id for r in found.relations}
    for event in found.events.values():
        for name, target in ((f"trigger {event.trigger}", event.trigger), *((f"argument {r}:{t}", t) for r, t in event.args)):
            if not found.has(target):
                errors.add(found.source(event.line), f"{name}: no such annotation")
    for item in (*found.relations, *found.equivalences):
        for target in item.targets:
            if not found.has(target):
                errors.add(found.source(item.line), f"argument {target}: no such annotation")
    for item in (*found.attributes, *found.normalizations, *found.notes):
        if not found.has(item.target) and item.target not in relations:
            errors.add(found.source(item.line), f"{item.target}: no such annotation")
    errors.raise_if_any()


# -- stage 3: the items --


@dataclass
class _QuoteDraft:
    """A quote before its id: one per content fragment of a quote event."""

    type: str
    content: Span
    speaker: Optional[Span]
    cue: Optional[Span]
    speaker_entity_id: Optional[str]
    event: str
    split: bool
    sources: dict[str, Source]


@dataclass
class _MentionDraft:
    """An entity mention before its id."""

    span: Span
    label: str
    entity_id: Optional[str]
    source: Source
    id_source: Optional[Source]


@dataclass
class _Unread:
    """What a file holds that is not imported: per kind, each line, what it is and why."""

    lines: dict[str, list[tuple[Line, str]]] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)

    def add(self, what: str, line: Line, kind: str, why: str) -> None:
        self.lines.setdefault(what, []).append((line, kind))
        self.why.setdefault(what, why)

    def add_to(self, report: Report, file: str) -> None:
        """Each item in ``report.ignored``, and one note per kind with its count by type."""
        for what, found in self.lines.items():
            for line, _ in found:
                report.ignore(what, f"{file}:{line.number} {line.label or line.id}")
            kinds = ", ".join(f"{kind}: {n}" for kind, n in sorted(Counter(kind for _, kind in found).items()))
            report.notes.append(Source(file, None).error(f"{what} not imported: {len(found)} ({kinds}); {self.why[what]}"))


class _Assembly:
    """The entity mentions and quotes made of the annotations of one ``.ann`` file."""

    def __init__(self, found: Standoff, scheme: Scheme, *, text: str, labels: LabelMapper):
        self.found, self.scheme, self.text, self.labels = found, scheme, text, labels
        self.errors = ErrorList()
        self.unread = _Unread()
        #: Text-bound spans a quote event refers to (never entities), and those that became a part.
        self.referred: dict[str, tuple[str, str]] = {}  # id -> (what, why) if it is not imported
        self.parts: set[str] = set()
        self.refused: set[str] = set()  # spans already reported as discontinuous
        self.read_lines: set[int] = set()  # attribute and normalization lines the items read
        self.triggers = {e.trigger for e in found.events.values()}
        self.event_types = {e.type for e in found.events.values()}
        self.attributes: dict[tuple[str, str], list[Attached]] = {}  # (target, name) -> attributes
        for a in found.attributes:
            self.attributes.setdefault((a.target, a.name), []).append(a)
        self.ids: dict[str, list[Attached]] = {}  # target -> its registry id normalizations
        for n in found.normalizations:
            if n.name == DB:
                self.ids.setdefault(n.target, []).append(n)
        self.id_errors: set[int] = set()  # normalization lines already reported
        self.read_fragments: dict[str, list[tuple[int, int, Span]]] = {}

    def build(self, document_id: str, *, used_ids: set[str], used_groups: set[str]) -> Parsed:
        quotes: list[_QuoteDraft] = []
        for aid in self.found.order:
            event = self.found.events.get(aid)
            if event is not None and event.type in self.scheme.quote_events:
                quotes += self.quote(event)
            elif event is not None:
                self.unread.add("events of other types", event.line, event.type,
                                f"their types are not among brat.quote_events of {self.scheme.shown}")
        mentions = [m for m in map(self.textbound, self.found.order) if m is not None]
        self.count_attached()
        self.errors.raise_if_any()
        return _items(document_id, self.found.file, mentions, quotes, used_ids=used_ids, used_groups=used_groups)

    def source(self, line: Line, label: Optional[str] = None) -> Source:
        return self.found.source(line, label)

    # -- quotes --

    def quote(self, event: Event) -> list[_QuoteDraft]:
        """One draft per content fragment of a quote event (none when it has errors)."""
        known = len(self.errors.lines)
        parts = self.event_parts(event)
        where = self.source(event.line)
        for part in ("speaker", "cue"):
            if len(parts[part]) > 1:
                self.errors.add(where, f"{len(parts[part])} {part} spans ({', '.join(r for r, _ in parts[part])}); "
                                       f"a quote has one {part}")
        if not parts["content"] and len(self.errors.lines) == known:  # else an argument's error says why
            roles = sorted(r for r, p in self.scheme.roles.items() if p == "content")
            self.errors.add(where, f"no content: none of its arguments has a role that {self.scheme.shown} maps to content "
                                   f"({', '.join(roles) or 'none does'})")
        speaker = self.contiguous(parts["speaker"], "speaker", event)
        cue = self.contiguous(parts["cue"], "cue", event)
        fragments = [(tid, k, n, span) for _, tid in parts["content"] for k, n, span in self.fragments(tid)]
        speaker_id, speaker_id_source = self.speaker_id(event, parts["speaker"])
        given_type, type_source = self.attribute_type(event)
        drafts = []
        for tid, k, n, span in fragments:
            tb = self.found.textbound[tid]
            label = tb.line.label if n == 1 else f"{tb.line.label} (fragment {k} of {n})"
            content_source = self.source(tb.line, label)
            quote_type = given_type or self.default_type(span)
            sources = {"item": where, "content": content_source, "type": type_source, "speaker_entity_id": speaker_id_source,
                       "speaker": speaker[1] if speaker else None, "cue": cue[1] if cue else None}
            drafts.append(_QuoteDraft(quote_type, span, speaker[0] if speaker else None, cue[0] if cue else None,
                                      speaker_id, event.line.id, len(fragments) > 1, sources))
        return drafts

    def event_parts(self, event: Event) -> dict[str, list[tuple[str, str]]]:
        """The event's spans by part, each ``(role, id)``; the spans it leaves out are counted."""
        parts: dict[str, list[tuple[str, str]]] = {"content": [], "speaker": [], "cue": []}
        for role, target, is_trigger in [(event.type, event.trigger, True), *((r, t, False) for r, t in event.args)]:
            name = "trigger" if is_trigger else f"argument {role}:{target}"
            if target not in self.found.textbound:
                self.errors.add(self.source(event.line), f"{name} is {'an event' if target in self.found.events else 'a relation'}, "
                                                         "not a text-bound span: a quote's parts are spans of the text")
                continue
            part = self.scheme.trigger if is_trigger else self.scheme.part(role)
            if part is not None:
                parts[part].append((role, target))
                self.parts.add(target)
            elif is_trigger:
                self.referred.setdefault(target, ("quote event triggers", f"brat.trigger of {self.scheme.shown} is none"))
            elif self.scheme.skip_unknown:
                self.referred.setdefault(target, ("arguments of roles not in the mapping", f"their roles are not in brat.roles of "
                                                  f"{self.scheme.shown} (unknown: skip)"))
            else:
                self.errors.add(self.source(event.line), f"{name}: role {role!r} is not in brat.roles of {self.scheme.shown}; "
                                                         "map it to content, speaker or cue, or set \"unknown\": \"skip\" "
                                                         "to leave such arguments out (counted)")
        return parts

    def contiguous(self, found: list[tuple[str, str]], part: str, event: Event) -> Optional[tuple[Span, Source]]:
        """The speaker or cue span (the first, if several) and its source; None for none or a discontinuous one."""
        if not found:
            return None
        tb = self.found.textbound[found[0][1]]
        if tb.discontinuous:
            self.refuse_split(tb, f"the {part} of {event.line.id}, is discontinuous ({_fragments_text(tb)}): a quote's "
                                  f"{part} is one span of the text; only a content may be split (one quote per fragment)")
            return None
        start, end = tb.fragments[0]
        return Span(start, end, tb.text), self.source(tb.line)

    def refuse_split(self, tb: TextBound, message: str) -> None:
        if tb.line.id not in self.refused:
            self.refused.add(tb.line.id)
            self.errors.add(self.source(tb.line), f"{tb.line.id} ({tb.type}), {message}")

    def fragments(self, tid: str) -> list[tuple[int, int, Span]]:
        """A content span's fragments, ``(k, of n, span)`` in text order (read once per span)."""
        if tid not in self.read_fragments:
            self.read_fragments[tid] = self.read_content(self.found.textbound[tid])
        return self.read_fragments[tid]

    def read_content(self, tb: TextBound) -> list[tuple[int, int, Span]]:
        """A discontinuous span's text field must be its fragments' texts joined by a space (brat's rule)."""
        if not tb.discontinuous:
            start, end = tb.fragments[0]
            return [(1, 1, Span(start, end, tb.text))]
        ordered = sorted(tb.fragments)
        where = self.source(tb.line)
        outside = [f"{s}-{e}" for s, e in ordered if not 0 <= s < e <= len(self.text)]
        if outside:
            self.errors.add(where, f"fragment {outside[0]} is empty or outside the text ({len(self.text)} characters)")
            return []
        if any(a[1] > b[0] for a, b in zip(ordered, ordered[1:])):
            self.errors.add(where, f"fragments overlap ({_fragments_text(tb)})")
            return []
        joined = DISCONT_SEP.join(self.text[s:e] for s, e in tb.fragments)
        if joined != tb.text:
            self.errors.add(where, f"text {tb.text!r} is not the text of its fragments joined by a space, as brat writes "
                                   f"it: the document has {joined!r} there; the .txt is not the text that was annotated")
            return []
        return [(k, len(ordered), Span(s, e, self.text[s:e])) for k, (s, e) in enumerate(ordered, start=1)]

    def attribute_type(self, event: Event) -> tuple[Optional[str], Optional[Source]]:
        """The quote type the event's type attribute gives, mapped, and its source; None without one."""
        attribute = self.scheme.type_attribute
        found = self.attributes.get((event.line.id, attribute), []) if attribute else []
        if not found:
            return None, None
        self.read_lines.update(a.line.number for a in found)
        where = self.source(found[0].line)
        value, values = found[0].value, self.scheme.type_values
        if len(found) > 1:
            self.errors.add(self.source(found[1].line), f"{event.line.id} already has a {attribute} (line {found[0].line.number})")
        elif value is None:
            self.errors.add(where, f"{attribute} of {event.line.id} has no value, so it tells no quote type")
        elif values is not None and value in values:
            return values[value], where
        elif values is not None:
            self.errors.add(where, f"value {value!r} of {attribute} is not in brat.type.values of {self.scheme.shown}; "
                                   f"map it to one of {', '.join(QUOTE_TYPES)}")
        elif value in QUOTE_TYPES:
            return value, where
        else:
            self.errors.add(where, f"value {value!r} of {attribute} is not a quote type ({', '.join(QUOTE_TYPES)}); "
                                   f"map the values in brat.type.values of {self.scheme.shown}")
        return None, where

    def default_type(self, span: Span) -> str:
        """brat.type.default: a type, or ``auto``, from the content's quotation marks."""
        if self.scheme.type_default != AUTO:
            return self.scheme.type_default
        inside = 0 <= span.start < span.end <= len(self.text)  # else the validator refuses the span
        return auto_quote_type(self.text, span.start, span.end) if inside else "indirect"

    def speaker_id(self, event: Event, speaker: list[tuple[str, str]]) -> tuple[Optional[str], Optional[Source]]:
        """The registry id of the quote's speaker: a NewsSpans normalization of its span or its event."""
        on_span = self.registry_id(speaker[0][1]) if speaker else (None, None)
        on_event = self.registry_id(event.line.id)
        if on_span[0] is not None and on_event[0] is not None:
            self.errors.add(on_event[1], f"the speaker of {event.line.id} has a registry id on both the event and the speaker span")
        return on_span if on_span[0] is not None else on_event

    def registry_id(self, target: str) -> tuple[Optional[str], Optional[Source]]:
        """The registry id of ``target`` (a ``NewsSpans`` normalization of it), and its source."""
        found = self.ids.get(target)
        if not found:
            return None, None
        self.read_lines.update(n.line.number for n in found)
        if len(found) > 1 and found[1].line.number not in self.id_errors:
            self.id_errors.add(found[1].line.number)
            self.errors.add(self.source(found[1].line), f"{target} already has a {DB} normalization (line {found[0].line.number})")
        return found[0].value, self.source(found[0].line)

    # -- entity mentions, and spans not imported --

    def textbound(self, aid: str) -> Optional[_MentionDraft]:
        """The entity mention a text-bound span no quote event uses is, if any."""
        tb = self.found.textbound.get(aid)
        if tb is None or aid in self.parts:
            return None
        if aid in self.referred:
            what, why = self.referred[aid]
            self.unread.add(what, tb.line, tb.type, why)
            return None
        if tb.type not in self.scheme.entity_types and (aid in self.triggers or tb.type in self.event_types - self.scheme.quote_events):
            self.unread.add("triggers of events of other types", tb.line, tb.type,
                            f"their events' types are not among brat.quote_events of {self.scheme.shown}")
            return None
        if self.is_part_type(tb):
            self.unread.add("unlinked quote parts", tb.line, tb.type,
                            f"spans of a quote part's type (a role or quote event type of {self.scheme.shown}) that no "
                            "quote event links")
            return None
        where = self.source(tb.line)
        label = self.labels.map(tb.type, where)
        if label is None:
            return None
        if tb.discontinuous:
            self.refuse_split(tb, f"an entity mention of type {label}, is discontinuous ({_fragments_text(tb)}): a mention "
                                  f"is one span of the text; split it into mentions in brat, or map {tb.type} to drop")
            return None
        entity_id, id_source = self.registry_id(aid)
        start, end = tb.fragments[0]
        return _MentionDraft(Span(start, end, tb.text), label, entity_id, where, id_source)

    def is_part_type(self, tb: TextBound) -> bool:
        """A span that is a quote part by its type (a role or quote event type of the mapping),
        unless the mapping names its type as an entity label."""
        if tb.type in self.scheme.entity_types:
            return False
        return tb.type in self.scheme.quote_events or self.scheme.part(tb.type) is not None

    def count_attached(self) -> None:
        """Count relations, equivalences, unread attributes and normalizations, and notes; refuse a
        registry id on a content or cue span."""
        shown = self.scheme.shown
        for item in self.found.relations:
            self.unread.add("relations", item.line, item.name, "NewsSpans has no relations between annotations")
        for item in self.found.equivalences:
            self.unread.add("equivalences", item.line, item.name, "NewsSpans has no relations between annotations")
        for item in self.found.attributes:
            if item.line.number not in self.read_lines:
                self.unread.add("attributes", item.line, item.name,
                                f"the only attribute read is brat.type.attribute of {shown}, on a quote event" if
                                self.scheme.type_attribute else f"{shown} reads no attribute (brat.type.attribute)")
        for item in self.found.normalizations:
            if item.line.number in self.read_lines:
                continue
            if item.name == DB and item.target in self.parts:
                self.errors.add(self.source(item.line), f"a registry id belongs on an entity mention, a speaker span or a "
                                                        f"quote event, not on {item.target} (a content or cue span)")
                continue
            self.unread.add("normalizations", item.line, item.name,
                            f"NewsSpans reads only registry ids ({DB}:ID) on the entity mentions, speakers and quote "
                            "events it imports")
        for item in self.found.notes:
            self.unread.add("annotator notes", item.line, item.name,
                            "free text in a corpus of its own, never taken as NewsSpans ids: every item gets a fresh id")


def _fragments_text(tb: TextBound) -> str:
    return ";".join(f"{s}-{e}" for s, e in tb.fragments)


def _items(document_id: str, file: str, mentions: list[_MentionDraft], quotes: list[_QuoteDraft], *,
           used_ids: set[str], used_groups: set[str]) -> Parsed:
    """The annotations, each layer in text order with fresh ids numbered in that order, and the
    fragments of each split content sharing a fresh group id."""
    sources = SourceMap(Source(file, None))
    ids, group_ids = FreshIds(used_ids), FreshIds(used_groups)
    entities = []
    for m in sorted(mentions, key=lambda m: (m.span.start, m.span.end)):
        mention_id = ids.fresh(ID_PREFIXES["entities"])
        sources.add("entities", len(entities), m.source, label=m.source, entity_id=m.id_source)
        entities.append(EntityMention(mention_id, m.span.start, m.span.end, m.span.text, m.label, m.entity_id))
    groups: dict[str, str] = {}
    items = []
    for q in sorted(quotes, key=lambda q: (q.content.start, q.content.end)):
        quote_id = ids.fresh(ID_PREFIXES["quotes"])
        group_id = None
        if q.split:
            if q.event not in groups:
                groups[q.event] = group_ids.fresh(GROUP_PREFIX)
            group_id = groups[q.event]
        fields = {name: s for name, s in q.sources.items() if name != "item"}
        sources.add("quotes", len(items), q.sources["item"], **fields, group_id=q.sources["content"] if group_id else None)
        items.append(Quote(quote_id, q.type, q.content, q.speaker, q.cue, q.speaker_entity_id, group_id, None))
    return Parsed(Annotations(document_id, tuple(entities), tuple(items)), sources)
