"""Label Studio projects with a labeling config of their own, read through the ``labelstudio``
section of the mapping file (``newsspans import labelstudio tasks.json --mapping FILE``).

Label Studio's JSON export is a list of tasks. A task holds ``id`` (Label Studio's integer),
``data`` (the values its labeling config shows: ``{"text": "..."}``, anything uploaded with it)
and ``annotations``, each with a ``result`` list of items:

- a region of a ``<Labels>`` control: ``{"id", "from_name", "to_name", "type": "labels",
  "value": {"start", "end", "text", "labels": [...]}}``; ``from_name`` is the control's name,
  ``id`` the region's (random, ``"Dx_aB91ISN"``). Label Studio may leave ``value.text`` out; the
  offsets are then the only truth and the text is read at them. A region labelled in two
  ``<Labels>`` controls is two items with the same ``id``;
- a per-region value (``perRegion="true"``) of a ``<Choices>``, ``<TextArea>``... control: an item
  with the region's ``id``, ``"type": "choices"`` and ``value.choices``;
- a relation drawn between two regions: ``{"type": "relation", "from_id", "to_id", "direction":
  "right"|"left"|"bi", "labels": [...]}``, ``labels`` empty (or absent) when not labelled.

**Offsets** of a ``<Text>`` object count UTF-16 code units (JavaScript string indices, what the
browser counts) and are converted to code points (``labelstudio.Offsets``); an offset inside a
surrogate pair is refused. A task stating ``data.offset_unit`` (``codepoints``) is read in that unit.

**The mapping** (``labelstudio``): ``controls`` maps each labels control to ``entities``,
``quotes``, ``claims`` or ``drop``. An entity region's label goes through the import's label
mapper (the mapping's ``entities`` and ``unknown``). A quote region's label is a part
(``quote_parts``: content, speaker or cue); each speaker and cue region is tied to its content by
a relation, in either direction, labelled with a label ``relations`` maps to ``speaker`` or
``cue`` or not labelled (it then ties by the regions' parts); a content region is a quote, with or
without speaker and cue, and one speaker (cue) region may serve several contents. A claim region's
label is CFS, UFS or drop (``claim_labels``); its claimant is the author. A quote's type is the
per-region value of the choices control ``type.attribute`` on its content region, mapped by
``type.values`` (a value that is itself a type needs no entry), else ``type.default`` (``auto``,
the default: ``_mapping.auto_quote_type``).

**Documents.** A task's document is ``data.document_id``, else ``task-<id>`` from Label Studio's
task id; its text is ``data.text``, else the one string of ``data`` (besides ``document_id`` and
``offset_unit``). A document of the corpus must have exactly that text; one it lacks is created
with ``--new-documents`` (``ImportRun.new_document``).

**Ids.** A region id that is a NewsSpans id of its layer (``m4``, ``q2``, ``c1``) stays. An item
with the span (and label) of one of the file the import replaces (the gold, or the annotator's
layer) is that item: it keeps its id and what Label Studio does not carry (``entity_id``; a
quote's ``group_id``, ``cluster_id`` and, with the same speaker span, ``speaker_entity_id``; a
claim's ``claimant`` and ``cluster_id``). Any other item gets a fresh id. Items are listed in
text order.

**Not imported, never an error**, each counted (``Report.ignore``) and noted once per kind with
its first place: results of controls the mapping does not name or of types it does not read
(``textarea``, ``rating``, ``hypertextlabels``...), regions of controls mapped to ``drop`` and of
claim labels mapped to ``drop``, relations with labels the mapping does not name or between
regions that are not a content and its part (an entity and a speaker, say), and, with
``unknown: skip``, regions whose label the mapping does not name. With ``unknown: refuse`` (the
default) such labels refuse the import, each named once with its count and first place.

**Refused**, each at its task and result item: a result not in Label Studio's shape, a region with
other than one label, a relation to a region the result lacks, a relation labelled speaker (cue)
that does not tie a speaker (cue) region to a content region, a content with two speakers (cues),
a speaker or cue region tied to no content, a quote type choice on a region that is not a content,
or whose value the mapping does not map; then what the validator refuses, at the region.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from ..labels import AUTHOR_CLAIMANT, ID_PREFIXES, QUOTE_TYPES, local_id_pattern
from ..model import Annotations, Claim, EntityMention, Quote, Span
from ..paths import display_path
from ._mapping import DROP, Mapping, auto_quote_type
from .base import FormatError
from .importer import ErrorList, ImportRun, KnownItems, Parsed, Source, SourceMap
from .labelstudio import UTF16, Offsets, ResultAt, TaskLocation, checked_annotation, is_int, offset_unit_of, unit_hint

AUTO = "auto"
#: Keys of ``data`` that are never the text.
NOT_TEXT = ("document_id", "offset_unit")
#: The prefix of a document id made of Label Studio's task id.
TASK_PREFIX = "task-"
_LOCAL_ID = {layer: re.compile(local_id_pattern(prefix)) for layer, prefix in ID_PREFIXES.items()}

# What an import leaves out (``Report.ignore``), by kind.
LEFT_RESULTS = "Label Studio results"
LEFT_REGIONS = "Label Studio regions"
LEFT_RELATIONS = "Label Studio relations"


@dataclass(frozen=True)
class LabelStudioMapping:
    """The ``labelstudio`` section of a mapping file, read (see the module docstring)."""

    controls: dict[str, str] = field(default_factory=dict)
    quote_parts: dict[str, str] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)
    claim_labels: dict[str, str] = field(default_factory=dict)
    type_attribute: Optional[str] = None
    type_values: dict[str, str] = field(default_factory=dict)
    type_default: str = AUTO
    unknown: str = "refuse"
    #: How messages name the mapping file.
    shown: str = "the mapping"

    @classmethod
    def of(cls, mapping: Mapping) -> "LabelStudioMapping":
        section = mapping.labelstudio or {}
        kind = section.get("type", {})
        return cls(dict(section.get("controls", {})), dict(section.get("quote_parts", {})), dict(section.get("relations", {})),
                   dict(section.get("claim_labels", {})), kind.get("attribute"), dict(kind.get("values", {})),
                   kind.get("default", AUTO), mapping.unknown, display_path(mapping.path) if mapping.path else "the mapping")


@dataclass(frozen=True)
class MappedRegion:
    """A region of a control the mapping imports: ``target`` is what it is in NewsSpans (an entity
    type, a quote part, a claim label); ``title`` how messages name it."""

    index: int
    rid: str
    control: str
    layer: str
    label: str
    target: str
    span: Span
    title: str
    hint: Optional[str]


class _Bad(Exception):
    """A result item not in Label Studio's shape; ``path`` leads to the culprit inside the item."""

    def __init__(self, path: tuple[Any, ...], message: str):
        super().__init__(message)
        self.path = path


@dataclass
class _Tally:
    """How many of one kind of thing were left out, and where the first was."""

    n: int
    first: Callable[[], Source]


class MappedImport:
    """One Label Studio import through the mapping's ``labelstudio`` section: each task's document
    (``document``) and annotations (``parse``); ``finish`` notes what was left out and adds the
    labels the mapping does not name (with ``unknown: refuse``) to the run's errors."""

    def __init__(self, run: ImportRun, mapping: Mapping):
        self.run = run
        self.m = LabelStudioMapping.of(mapping)
        self.left: dict[tuple[str, str], _Tally] = {}  # (kind, why) -> tally
        self.unknown: dict[tuple[str, str, str], _Tally] = {}  # (control, label, section key) -> tally

    # -- the document --

    def document(self, value: dict[str, Any], *, loc: TaskLocation, src: Path) -> tuple[str, str]:
        """The task's document id and text; the document is created when new (``--new-documents``)."""
        data = value["data"]
        doc_id = data.get("document_id")
        if doc_id is None:
            own = value.get("id")
            if not is_int(own) and not (isinstance(own, str) and own):
                raise FormatError(loc.source([]).error("no document id: data.document_id is missing and the task has no id "
                                                       "(Label Studio's export gives every task one)"))
            doc_id, where = f"{TASK_PREFIX}{own}", lambda: loc.source(["id"])
        else:
            where = lambda: loc.source(["data", "document_id"])  # found only for an error
        text = self._text(data, loc)
        try:
            data_bytes = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise FormatError(loc.source(["data"]).error(f"the text holds a lone surrogate at {exc.start}; it cannot be "
                                                         "stored as UTF-8")) from None
        doc_id = self.run.new_document(doc_id, data_bytes, where, loc.short)
        return doc_id, self.run.text(doc_id, src)

    @staticmethod
    def _text(data: dict[str, Any], loc: TaskLocation) -> str:
        if "text" in data:
            if not isinstance(data["text"], str):
                raise FormatError(loc.source(["data", "text"]).error(
                    f"data.text must be the text, a string; got {json.dumps(data['text'])[:40]}"))
            return data["text"]
        found = [key for key, v in data.items() if isinstance(v, str) and key not in NOT_TEXT]
        if len(found) == 1:
            return data[found[0]]
        if not found:
            raise FormatError(loc.source(["data"]).error("data holds no text (data.text, or one string value)"))
        raise FormatError(loc.source(["data"]).error(
            f"data holds several strings ({', '.join(found)}), and no data.text to say which is the text; "
            "name the text's key \"text\" in the tasks"))

    # -- the annotations --

    def parse(self, value: dict[str, Any], *, text: str, document_id: str, where: TaskLocation, annotation: int,
              annotator: Optional[str] = None) -> Parsed:
        """The annotations of the task's annotation at index ``annotation`` through the mapping,
        with the result item each item and field came from; ``FormatError`` with every problem of
        the first stage that has any (the result's items, their links, the items they make)."""
        unit = offset_unit_of(value, where)
        at = ResultAt(where, checked_annotation(value, annotation, where))
        task = _Task(self, at, Offsets(text), unit)
        task.read(value["annotations"][annotation]["result"])
        task.link()
        return task.build(document_id, KnownItems.of_document(self.run, document_id, annotator))

    def leave_out(self, kind: str, why: str, where: str, source: Callable[[], Source]) -> None:
        """Count one thing not imported: ``kind`` (``LEFT_*``), ``why`` (the note's text), ``where``
        (the report's name for it), ``source`` (its place, for the note of the first)."""
        self.run.report.ignore(kind, where)
        tally = self.left.setdefault((kind, why), _Tally(0, source))
        tally.n += 1

    def unknown_label(self, control: str, label: str, key: str, source: Callable[[], Source]) -> None:
        tally = self.unknown.setdefault((control, label, key), _Tally(0, source))
        tally.n += 1

    def finish(self) -> None:
        """Note what was left out (per kind, at its first place); add each unknown label to the run's errors."""
        for (kind, why), tally in self.left.items():
            noun = {LEFT_RESULTS: "result", LEFT_REGIONS: "region", LEFT_RELATIONS: "relation"}[kind]
            many = f"{tally.n} {noun}s not imported (the first here)" if tally.n != 1 else f"1 {noun} not imported"
            self.run.report.notes.append(tally.first().error(f"{why}: {many}"))
        choices = {"quote_parts": "content, speaker or cue", "claim_labels": "CFS, UFS or \"drop\""}
        for (control, label, key), tally in sorted(self.unknown.items(), key=lambda x: x[0]):
            first = tally.first()
            regions = f"{tally.n} region{'s' if tally.n != 1 else ''}"
            self.run.errors.append(first.error(
                f"{first.label + ': ' if first.label else ''}unknown label {json.dumps(label, ensure_ascii=False)} of control "
                f"{control!r} ({regions}, the first here): {self.m.shown} does not name it in labelstudio.{key}; "
                f"map it to {choices[key]}, or set \"unknown\": \"skip\""))


class _Task:
    """The regions, per-region quote types and relations of one annotation, and the items they make."""

    def __init__(self, mapped: MappedImport, at: ResultAt, offsets: Offsets, unit: str):
        self.mapped, self.m, self.at, self.offsets, self.unit = mapped, mapped.m, at, offsets, unit
        self.regions: list[MappedRegion] = []
        self.keys: dict[tuple[str, str], int] = {}  # (control, region id) -> result index
        self.by_rid: dict[str, list[MappedRegion]] = {}
        self.elsewhere: set[str] = set()  # ids of regions in the result that are not imported
        self.types: dict[str, tuple[int, str]] = {}  # region id -> (result index, choice)
        self.relations: list[tuple[int, dict[str, Any]]] = []
        self.parts: dict[str, dict[str, MappedRegion]] = {}  # content region id -> part -> region
        self.tied: set[str] = set()
        self.reaches_elsewhere: set[str] = set()
        self.quote_types: dict[str, tuple[str, Callable[[], Source]]] = {}

    # -- stage 1: the result's items --

    def read(self, items: list[Any]) -> None:
        errors = ErrorList()
        for i, item in enumerate(items):
            try:
                self._item(i, item)
            except _Bad as exc:
                errors.add(self.at.source(i, *exc.path), str(exc))
        errors.raise_if_any()

    def _item(self, i: int, item: Any) -> None:
        if not isinstance(item, dict):
            raise _Bad((), "a result item must be an object")
        kind, control = item.get("type"), item.get("from_name")
        if kind == "relation":
            self.relations.append((i, item))
            return
        if not isinstance(kind, str) or not isinstance(control, str):
            raise _Bad((), "a result item needs a 'type' and a 'from_name' (the control's name), both strings")
        layer = self.m.controls.get(control)
        if kind == "choices" and control == self.m.type_attribute:
            self._choice(i, item, control)
        elif layer is None or kind != "labels":
            why = (f"control {control!r} ({kind}): not in labelstudio.controls" if layer is None else
                   f"control {control!r} is mapped to {layer}, but its results are {kind}, not labels regions of a text")
            self._elsewhere(item)
            self.mapped.leave_out(LEFT_RESULTS, why, f"{self.at.loc.name} result[{i}] ({control} {kind})", self.at.lazy(i))
        elif layer == DROP:
            self._elsewhere(item)
            self.mapped.leave_out(LEFT_REGIONS, f"control {control!r}: mapped to \"drop\"",
                                  f"{self.at.loc.name} result[{i}] ({control})", self.at.lazy(i))
        else:
            self._region(i, item, control, layer)

    def _elsewhere(self, item: dict[str, Any]) -> None:
        if isinstance(item.get("id"), str):
            self.elsewhere.add(item["id"])

    def _choice(self, i: int, item: dict[str, Any], control: str) -> None:
        rid, v = item.get("id"), item.get("value")
        choices = v.get("choices") if isinstance(v, dict) else None
        if not isinstance(rid, str) or not isinstance(choices, list) or len(choices) != 1 or not isinstance(choices[0], str):
            raise _Bad(("value",), f"{control} (the quote type) must hold one choice for a region (an 'id' and value.choices); "
                                   f"got {json.dumps(v, ensure_ascii=False)[:60]}")
        if rid in self.types:
            raise _Bad((), f"region {rid} has two {control} values (result[{self.types[rid][0]}])")
        self.types[rid] = (i, choices[0])

    def _region(self, i: int, item: dict[str, Any], control: str, layer: str) -> None:
        rid, v = item.get("id"), item.get("value")
        if not isinstance(rid, str) or not isinstance(v, dict):
            raise _Bad((), "a region needs an 'id' (a string) and a 'value' (an object)")
        labels = v.get("labels")
        if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
            raise _Bad(("value", "labels"), f"region {rid} must carry exactly one label of {control}; got "
                                            f"{json.dumps(labels, ensure_ascii=False)} (a span has one label: draw one region per label)")
        if (control, rid) in self.keys:
            raise _Bad((), f"region {rid} is labelled twice in {control} (result[{self.keys[(control, rid)]}])")
        self.keys[(control, rid)] = i
        label = labels[0]
        span, title, hint = self._span(v, rid, label)
        target = self._target(i, rid, control, layer, label, title, hint)
        if target is None:
            self.elsewhere.add(rid)
            return
        region = MappedRegion(i, rid, control, layer, label, target, span, title, hint)
        self.regions.append(region)
        self.by_rid.setdefault(rid, []).append(region)

    def _target(self, i: int, rid: str, control: str, layer: str, label: str, title: str, hint: Optional[str]) -> Optional[str]:
        """What the region's label is in NewsSpans, or None when it is not imported (counted)."""
        source = self.at.lazy(i, "value", "labels", label=title, hint=hint, name=f"region {rid}")
        if layer == "entities":
            return self.mapped.run.labels.map(label, source)
        table, key = (self.m.quote_parts, "quote_parts") if layer == "quotes" else (self.m.claim_labels, "claim_labels")
        target = table.get(label)
        where = f"{self.at.loc.name} region {rid} ({control} {label})"
        if target == DROP:
            self.mapped.leave_out(LEFT_REGIONS, f"label {label!r} of control {control!r}: mapped to \"drop\"", where, source)
            return None
        if target is None and self.m.unknown == "skip":
            self.mapped.leave_out(LEFT_REGIONS, f"label {label!r} of control {control!r}: not in labelstudio.{key} "
                                                "(skipped: \"unknown\": \"skip\")", where, source)
        elif target is None:
            self.mapped.unknown_label(control, label, key, source)
        return target

    def _span(self, v: dict[str, Any], rid: str, label: str) -> tuple[Span, str, Optional[str]]:
        """The region's span in code points, how messages name it, and a hint when its offsets are
        in the other unit. A region without ``text`` (Label Studio may leave it out) takes the
        text at its offsets, which must then be inside the text."""
        start, end, stored = v.get("start"), v.get("end"), v.get("text")
        if not is_int(start) or not is_int(end):
            raise _Bad(("value",), f"region {rid} needs integer start and end (offsets into the text)")
        a, b = (self.offsets.from_utf16(start), self.offsets.from_utf16(end)) if self.unit == UTF16 else (start, end)
        if a is None or b is None:
            raise _Bad(("value",), f"region {rid} {start}-{end} (UTF-16 code units): an offset falls inside a character "
                                   "(a surrogate pair)")
        title = f"region {rid} {label} {start}-{end} ({self.unit})"
        text = self.offsets.text
        if stored is None:
            if not 0 <= a < b <= len(text):
                raise _Bad(("value",), f"{title} carries no text and is not a span of the text")
            stored = text[a:b]
        elif not isinstance(stored, str):
            raise _Bad(("value", "text"), f"{title}: value.text must be the region's text")
        return Span(a, b, stored), title, unit_hint(self.offsets, self.unit, start, end, stored)

    # -- stage 2: relations, and the quote type of each content --

    def link(self) -> None:
        errors = ErrorList()
        faulted: set[str] = set()
        for i, rel in self.relations:
            try:
                self._relation(i, rel)
            except _Bad as exc:
                errors.add(self.at.source(i, *exc.path), str(exc))
                faulted.update(x for x in (rel.get("from_id"), rel.get("to_id")) if isinstance(x, str))
        settled = self.tied | faulted  # one error per mistake: a region of a refused relation is not untied too
        for region in self.regions:
            if region.layer == "quotes" and region.target != "content" and region.rid not in settled:
                self._untied(region, errors)
        for rid, (i, choice) in self.types.items():
            self._quote_type(rid, i, choice, errors)
        errors.raise_if_any()

    def _quote_region(self, rid: str) -> Optional[MappedRegion]:
        return next((r for r in self.by_rid.get(rid, ()) if r.layer == "quotes"), None)

    def _relation(self, i: int, rel: dict[str, Any]) -> None:
        src, dst, labels = rel.get("from_id"), rel.get("to_id"), rel.get("labels") or []
        if not isinstance(src, str) or not isinstance(dst, str):
            raise _Bad((), f"a relation's from_id and to_id must be region ids; got {src!r} -> {dst!r}")
        missing = [x for x in (src, dst) if x not in self.by_rid and x not in self.elsewhere]
        if missing:
            raise _Bad((), f"relation {src} -> {dst}: the result has no region {missing[0]}")
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise _Bad(("labels",), f"relation {src} -> {dst}: labels must be a list of strings")
        kinds = sorted({self.m.relations[x] for x in labels if x in self.m.relations})
        a, b = self._quote_region(src), self._quote_region(dst)
        name = f"{self.at.loc.name} relation {src} -> {dst}"
        if labels and not kinds:
            why = f"relation labelled {', '.join(map(repr, labels))}: not in labelstudio.relations"
            self.mapped.leave_out(LEFT_RELATIONS, why, name, self.at.lazy(i))
            return
        if a is None or b is None:
            for region, other in ((a, dst), (b, src)):
                if region is not None and other not in self.by_rid:
                    self.reaches_elsewhere.add(region.rid)
            why = "relation that does not join two imported quote regions (a content and its speaker or cue)"
            self.mapped.leave_out(LEFT_RELATIONS, why, name, self.at.lazy(i))
            return
        if len(kinds) > 1:
            raise _Bad(("labels",), f"relation {src} -> {dst} is labelled both {kinds[0]} and {kinds[1]} by the mapping")
        kind = kinds[0] if kinds else None
        content, other = (a, b) if a.target == "content" else (b, a)
        if content.target != "content" or other.target == "content":
            if kind is None:
                why = f"unlabelled relation between a {a.target} region and a {b.target} region"
                self.mapped.leave_out(LEFT_RELATIONS, why, name, self.at.lazy(i))
                return
            raise _Bad((), f"relation {src} -> {dst} is a {kind} relation: it ties a {kind} region to a content region, "
                           f"not a {a.target} region to a {b.target} region")
        if kind is not None and other.target != kind:
            raise _Bad((), f"relation {src} -> {dst} is a {kind} relation, but region {other.rid} ({other.label}) is a "
                           f"{other.target}; label the relation as a {other.target} relation, or the region as a {kind}")
        have = self.parts.setdefault(content.rid, {})
        part = other.target
        if part in have and have[part].rid != other.rid:
            raise _Bad((), f"quote {content.rid} already has a {part} (region {have[part].rid}); a quote has one {part}")
        have[part] = other
        self.tied.add(other.rid)

    def _untied(self, region: MappedRegion, errors: ErrorList) -> None:
        source = self.at.lazy(region.index, label=region.title, name=f"region {region.rid}")
        if region.rid in self.reaches_elsewhere:
            self.mapped.leave_out(LEFT_REGIONS, f"{region.target} region tied only to regions that are not imported",
                                  f"{self.at.loc.name} region {region.rid}", source)
            return
        named = ", ".join(f"{label!r}" for label, kind in self.m.relations.items() if kind == region.target)
        how = f"labelled {named} or not labelled" if named else "not labelled"
        errors.add(self.at.source(region.index), f"{region.target} region {region.rid} ({region.label}) is tied to no "
                                                 f"content region: draw a relation ({how}) between it and its content")

    def _quote_type(self, rid: str, i: int, choice: str, errors: ErrorList) -> None:
        attribute = self.m.type_attribute
        region = self._quote_region(rid)
        if region is None and rid in self.elsewhere and rid not in self.by_rid:
            why = f"{attribute} of a region that is not imported"
            self.mapped.leave_out(LEFT_RESULTS, why, f"{self.at.loc.name} result[{i}] ({attribute})", self.at.lazy(i))
            return
        if region is None or region.target != "content":
            what = (f"region {rid} is {'a ' + region.target if region else 'not a quote'} region" if rid in self.by_rid
                    else f"the result has no region {rid} (a per-region choice needs perRegion=\"true\")")
            errors.add(self.at.source(i, "id"), f"{attribute} (the quote type) applies to a quote's content region; {what}")
            return
        quote_type = self.m.type_values.get(choice, choice if choice in QUOTE_TYPES else None)
        if quote_type is None:
            errors.add(self.at.source(i, "value", "choices"), f"{attribute} {choice!r} of region {rid}: {self.m.shown} does "
                                                               f"not name it in labelstudio.type.values; map it to "
                                                               f"{', '.join(QUOTE_TYPES)}")
            return
        self.quote_types[rid] = (quote_type, self.at.lazy(i, "value", "choices", label=f"{attribute} of region {rid}"))

    # -- stage 3: the items --

    def build(self, document_id: str, known: KnownItems) -> Parsed:
        to_unit = (lambda a, b: (self.offsets.to_utf16(a), self.offsets.to_utf16(b))) \
            if self.unit == UTF16 and self.offsets.differ else None
        sources = SourceMap(lambda: self.at.loc.source([]), to_unit=to_unit)
        ids = _Ids(known, self.regions)
        layer = {name: sorted((r for r in self.regions if r.layer == name and (name != "quotes" or r.target == "content")),
                              key=lambda r: (r.span.start, r.span.end, r.index)) for name in ("entities", "quotes", "claims")}
        entities = [self._entity(k, r, ids, sources) for k, r in enumerate(layer["entities"])]
        quotes = [self._quote(k, r, ids, sources) for k, r in enumerate(layer["quotes"])]
        claims = [self._claim(k, r, ids, sources) for k, r in enumerate(layer["claims"])]
        if known.matched:
            n = sum(len(x) for x in layer.values())
            self.mapped.run.report.notes.append(self.at.loc.source([]).error(
                f"{known.matched} of {n} item(s) have the span of an item of the corpus (and its label), whose id and the "
                "fields Label Studio does not carry (entity_id, speaker_entity_id, group_id, cluster_id, claimant) they keep"))
        return Parsed(Annotations(document_id, tuple(entities), tuple(quotes), tuple(claims)), sources)

    def _source(self, r: MappedRegion) -> Callable[[], Source]:
        return self.at.lazy(r.index, "value", label=r.title, hint=r.hint, name=f"region {r.rid}")

    def _label_source(self, r: MappedRegion) -> Callable[[], Source]:
        return self.at.lazy(r.index, "value", "labels", label=r.title, name=f"region {r.rid}")

    def _entity(self, k: int, r: MappedRegion, ids: "_Ids", sources: SourceMap) -> EntityMention:
        old = ids.match("entities", (r.span.start, r.span.end, r.target))
        sources.add("entities", k, self._source(r), label=self._label_source(r))
        return EntityMention(ids.of("entities", r, old), r.span.start, r.span.end, r.span.text, r.target,
                             old.entity_id if old is not None else None)

    def _quote(self, k: int, r: MappedRegion, ids: "_Ids", sources: SourceMap) -> Quote:
        parts = self.parts.get(r.rid, {})
        speaker, cue = parts.get("speaker"), parts.get("cue")
        old = ids.match("quotes", (r.span.start, r.span.end))
        quote_type, type_source = self.quote_types.get(r.rid, (self._default_type(r.span), None))
        sources.add("quotes", k, self._source(r), content=self._source(r), type=type_source,
                    speaker=self._source(speaker) if speaker else None, cue=self._source(cue) if cue else None)
        speaker_span = speaker.span if speaker else None
        same_speaker = old is not None and speaker_span is not None and old.speaker is not None and \
            (old.speaker.start, old.speaker.end) == (speaker_span.start, speaker_span.end)
        return Quote(ids.of("quotes", r, old), quote_type, r.span, speaker_span, cue.span if cue else None,
                     old.speaker_entity_id if same_speaker else None, old.group_id if old else None,
                     old.cluster_id if old else None)

    def _default_type(self, span: Span) -> str:
        if self.m.type_default != AUTO:
            return self.m.type_default
        text = self.offsets.text
        # A span outside the text is reported by the validator; its type does not matter then.
        return auto_quote_type(text, span.start, span.end) if 0 <= span.start < span.end <= len(text) else "indirect"

    def _claim(self, k: int, r: MappedRegion, ids: "_Ids", sources: SourceMap) -> Claim:
        old = ids.match("claims", (r.span.start, r.span.end, r.target))
        sources.add("claims", k, self._source(r), label=self._label_source(r))
        return Claim(ids.of("claims", r, old), r.span.start, r.span.end, r.span.text, r.target,
                     old.claimant if old is not None else AUTHOR_CLAIMANT, old.cluster_id if old is not None else None)


class _Ids:
    """The ids of one annotation's items: a region id that is a NewsSpans id of its layer stays;
    else the id of the corpus item it matches (``importer.KnownItems``); else a fresh one."""

    def __init__(self, known: KnownItems, regions: list[MappedRegion]):
        self.known = known
        self.kept = {r.rid for r in regions if _LOCAL_ID[r.layer].fullmatch(r.rid)}
        for rid in self.kept:
            known.ids.take(rid)

    def match(self, layer: str, key: tuple) -> Any:
        return self.known.match(layer, key)

    def of(self, layer: str, r: MappedRegion, old: Any) -> str:
        if _LOCAL_ID[layer].fullmatch(r.rid):
            return r.rid
        if old is not None and old.id not in self.kept:
            return old.id
        return self.known.fresh_id(layer)
