"""Label Studio: a tasks file (``tasks.json``) and its labeling config (``labeling-config.xml``).

**Offset unit.** Label Studio's browser counts text offsets in UTF-16 code units (JavaScript string
indices), while the corpus counts Python code points; the two differ after every character outside
the Basic Multilingual Plane (an emoji counts 2 units, 1 code point). The export writes UTF-16
offsets by default (``offset_unit="utf-16"``; ``"codepoints"`` for tools that count code points)
and records the unit in every task (``data.offset_unit``); the import converts back with the unit
the task states, and refuses an offset that falls inside a surrogate pair. Each conversion is
O(log n) (``Offsets``: the text is scanned once for its astral characters, then bisected), so a
long document with many regions exports and imports in time linear in its size.

One task per document: ``data`` holds ``text``, ``document_id`` and ``offset_unit``; its one
annotation's ``result`` holds, in the order of the corpus annotation file:

- an entity mention: a ``labels`` region of the control ``entity`` (id ``m4``), and its registry id
  as the per-region ``entity_id``: a ``Taxonomy`` choice (``[["PERSON", "masoud-pezeshkian"]]``) of
  the registry's ids under their types (``entity_id_choices``), or, without a registry, a text area;
- a quote: a ``labels`` region ``Quote`` of the control ``quote`` for the content (id ``q6``), with
  the per-region ``quote_type`` choice and the text areas ``speaker_entity_id``, ``group_id`` and
  ``cluster_id``; ``Speaker`` and ``Cue`` regions (ids ``q6.speaker``, ``q6.cue``) tied to the
  content by relations labelled ``speaker`` and ``cue``;
- a claim: a ``labels`` region ``CFS`` or ``UFS`` of the control ``claim`` (id ``c1``) with the text
  areas ``claimant`` and ``cluster_id``.

Each per-region control sits in a ``View`` shown only while a region it applies to is selected
(``visibleWhen="region-selected"``, ``whenTagName``, ``whenLabelValue``), so that no annotator fills in
a field on a region that cannot hold it. A problem names its task by its Label Studio ``id``
(``TaskLocation.short``), and a task without one by its index in the file.

**Suggestions** (``--suggestions``: ``corpus/suggestions/``) go into a task as one prediction,
``{"model_version", "score", "result"}``: the result encoded as an annotation's (same regions,
same offset unit), each labels region with its suggestion's ``score``, the prediction's ``score``
the mean of them, and ``model_version`` every source of the export's suggestions, sorted and joined
by ``+`` (one version for all tasks, as Label Studio's prelabeling picks one). A document without
suggestions gets no prediction; ``gold=False`` (``--no-gold``) writes tasks with no annotation.
Predictions are never imported: an annotator accepts one by submitting an annotation made from it.

A region added in Label Studio has a random id and gets a fresh NewsSpans id on import.
``data.document_id`` must be the id of a document of the corpus (never a path).

**Projects with a labeling config of their own** (other control and label names, no
``document_id``) are read through the ``labelstudio`` section of a mapping file (``--mapping FILE``):
which control is which layer, which labels are quote parts and claim labels, which relations tie
a speaker or cue to its content, where the quote type comes from; a task's document is then
``data.document_id`` or ``task-<id>``, created from ``data.text`` with ``--new-documents``
(``_labelstudio_mapped``, docs/import-labelstudio.md). Everything else below applies to both.

**What is imported.** A task's one annotation that was not cancelled, into the gold (or, with
``--annotator ID``, into that annotator's layer); a task with none, such as a task holding
predictions only, is skipped with a note and its document kept as it is.

**Annotators.** With an annotator map (``--annotator-map FILE``, ``--map-annotator USER=ID``:
Label Studio user id or e-mail address -> annotator id, or ``gold``), every annotation that was
not cancelled goes to the layer of the annotator its user (``completed_by``: an integer user id,
an object with ``id`` and/or ``email``, or an e-mail address) is mapped to: a task with several
annotations imports as several layers. An annotation whose user is not in the map, or with no
``completed_by``, and two annotations of one task by the same annotator are refused, located at
the task (its Label Studio ``id``; its index in the file when it has none) and naming the user id, never an e-mail address. Without a map, a
task with several annotations is refused with the user ids it holds and the options to pass.
``ground_truth`` and ``lead_time`` are not read.

An export with layers (``layers``: ``--layers``, ``--annotators ID ...``) writes one annotation
per annotator that has a layer of the document, in the order chosen (``gold`` first, as a
``ground_truth`` annotation, when asked), each with ``completed_by`` set to its annotator's user
id, and ``annotator-map.json`` beside ``tasks.json`` saying which user id is whose. Label Studio
keeps, of an imported annotation, only ``result``, ``was_cancelled``, ``ground_truth``,
``lead_time`` and ``completed_by``, which it resolves to a member of the organization (by id, or
by e-mail address for an object): so the export numbers the annotators 1, 2, ... (fine to import
back directly), or, given an annotator map, uses the map's Label Studio user ids, which a
server accepts; either way the same map imports the annotations back to their layers. Drafts (``drafts`` of a task or an annotation), region notes
(``meta.text`` of a result item), predictions and cancelled annotations are never imported: a note
names each, with its task and region. A control (``entity``, ``quote``, ``claim``) with no region
in the result is *absent*, and the corpus's annotations of that layer are kept (an empty result
changes nothing); ``--allow-deletions`` takes the result as the whole truth instead.

The import parses each task into the model, checking the Label Studio side (the result's
structure, offset units, which control a region belongs to, relations), then checks the result by
the validator's own code path (``importer.check``): every problem is reported at the task and
region it came from, with the line of ``tasks.json`` that holds it.

**Time and memory.** The export writes each task as it is encoded; the import reads ``tasks.json``
one task at a time (``_jsonarray``: a file that is not a list of tasks is refused as reading it
whole refuses it), finds a line only for a problem (in the task's own text), gives fresh ids in
O(1) each (``importer.FreshIds``) and keeps of each document only what it changes
(``importer.ImportRun``): time is linear in the export's size and memory holds one task.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Optional, Sequence, Union
from xml.sax.saxutils import quoteattr

from ..corpus import dumps_canonical
from ..labels import AUTHOR_CLAIMANT, CLAIM_LABELS, ENTITY_ID_LABELS, ENTITY_LABELS, GOLD, ID_PREFIXES, QUOTE_TYPES, local_id_pattern
from ..model import Annotations, Claim, Document, EntityMention, Quote, RegistryEntry, Span
from ..paths import display_path
from ..validation import line_of
from ._jsonarray import ArrayItem, NotAnArray, array_items
from ._layers import Layer, LayerSource
from ._suggestions import Suggested, SuggestionSource, Tally
from ._users import UserMap, UserRef, export_users
from .base import FormatError, Report
from .importer import ErrorList, FreshIds, ImportOptions, ImportRun, Parsed, Source, SourceMap

if TYPE_CHECKING:
    from ._labelstudio_mapped import MappedImport

TASKS = "tasks.json"
CONFIG = "labeling-config.xml"
#: Written beside ``tasks.json`` by an export with layers: Label Studio user id -> annotator id.
ANNOTATOR_MAP = "annotator-map.json"
UTF16, CODEPOINTS = "utf-16", "codepoints"
OFFSET_UNITS = (UTF16, CODEPOINTS)
TEXT = "text"
ENTITY, QUOTE, CLAIM = "entity", "quote", "claim"
CONTENT, SPEAKER, CUE = "Quote", "Speaker", "Cue"
ENTITY_ID = "entity_id"
_PER_REGION = {
    ENTITY: (ENTITY_ID,),
    QUOTE: ("quote_type", "speaker_entity_id", "group_id", "cluster_id"),
    CLAIM: ("claimant", "cluster_id"),
}
_LABELS_CONTROLS = (ENTITY, QUOTE, CLAIM)
_QUOTE_PARTS = (CONTENT, SPEAKER, CUE)
_PREFIX_OF = {ENTITY: ID_PREFIXES["entities"], QUOTE: ID_PREFIXES["quotes"], CLAIM: ID_PREFIXES["claims"]}
_LOCAL_ID = {p: re.compile(local_id_pattern(p)) for p in ID_PREFIXES.values()}


# --- offsets ----------------------------------------------------------------------------------


#: A character outside the Basic Multilingual Plane: one code point, two UTF-16 code units.
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class Offsets:
    """Code points <-> UTF-16 code units of one text, each conversion O(log n): the text is scanned
    once for its astral characters (the only ones that count differently), and an offset is moved
    by the number of them before it (``bisect``)."""

    def __init__(self, text: str):
        self.text = text
        #: The code-point position of each astral character, and the UTF-16 position of each.
        self.astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self.units = [p + k for k, p in enumerate(self.astral)]

    @property
    def differ(self) -> bool:
        """Whether the two units count this text differently (it has an astral character)."""
        return bool(self.astral)

    def to_utf16(self, offset: int) -> int:
        """A code-point offset as a UTF-16 code-unit offset."""
        return offset + bisect_left(self.astral, offset) if offset > 0 else offset

    def from_utf16(self, offset: int) -> Optional[int]:
        """The code-point offset of a UTF-16 code-unit offset, or None when it falls inside a
        surrogate pair. An offset outside the text stays as far outside it (the span check reports it)."""
        if offset <= 0 or not self.astral:
            return offset
        before = bisect_left(self.units, offset)  # astral characters that start before the offset
        if before and self.units[before - 1] + 1 == offset:
            return None
        return offset - before


def to_utf16(text: str, offsets: Iterable[int]) -> list[int]:
    """Code-point offsets into ``text`` as UTF-16 code-unit offsets."""
    index = Offsets(text)
    return [index.to_utf16(i) for i in offsets]


def from_utf16(text: str, offset: int) -> Optional[int]:
    """The code-point offset of a UTF-16 code-unit offset into ``text`` (``Offsets.from_utf16``)."""
    return Offsets(text).from_utf16(offset)


# --- writing ----------------------------------------------------------------------------------


def labeling_config(*, offset_unit: str = UTF16, registry: Optional[Mapping[str, RegistryEntry]] = None) -> str:
    """The Label Studio labeling config, generated from ``newsspans.labels``: the three labels
    controls, then each per-region field in a ``View`` shown only while a region it applies to is
    selected (``visibleWhen="region-selected"`` with ``whenTagName``/``whenLabelValue``): the
    registry id for a mention of a type that names a referent, the quote fields for a ``Quote``
    region, the claimant for a claim, the cluster for either. With ``registry`` (holding an
    entry), the registry id is chosen from a ``Taxonomy`` of the registry's ids under their types
    (``entity_id_choices``); without, it is typed."""
    def labels(name: str, values: Iterable[str]) -> list[str]:
        return [f'  <Labels name="{name}" toName="{TEXT}">'] + [f"    <Label value={quoteattr(v)}/>" for v in values] + ["  </Labels>"]

    def area(name: str, hint: str) -> str:
        return f'    <TextArea name="{name}" toName="{TEXT}" perRegion="true" maxSubmissions="1" editable="true" placeholder={quoteattr(hint)}/>'

    def shown_for(labels_: Iterable[str], tag: Optional[str] = None) -> str:
        when_tag = f' whenTagName="{tag}"' if tag else ""
        return f'  <View visibleWhen="region-selected"{when_tag} whenLabelValue={quoteattr(",".join(labels_))}>'

    entity_id = entity_id_choices(registry) if registry else [area(ENTITY_ID, "registry id of an entity mention")]
    return "\n".join([
        "<View>",
        f"  <!-- NewsSpans {TASKS}: start/end offsets count {'UTF-16 code units (as the browser does)' if offset_unit == UTF16 else 'Unicode code points'}. -->",
        *labels(ENTITY, ENTITY_LABELS),
        *labels(QUOTE, (CONTENT, SPEAKER, CUE)),
        *labels(CLAIM, CLAIM_LABELS),
        "  <Relations>",
        '    <Relation value="speaker"/>',
        '    <Relation value="cue"/>',
        "  </Relations>",
        f'  <Text name="{TEXT}" value="$text"/>',
        "  <!-- Each per-region field shows only while a region it applies to is selected. -->",
        shown_for(ENTITY_ID_LABELS, ENTITY),
        *entity_id,
        "  </View>",
        shown_for([CONTENT], QUOTE),
        f'    <Choices name="quote_type" toName="{TEXT}" perRegion="true" choice="single">',
        *[f"      <Choice value={quoteattr(t)}/>" for t in QUOTE_TYPES],
        "    </Choices>",
        area("speaker_entity_id", "registry id of the quote's speaker"),
        area("group_id", "g<n>: parts of one split statement"),
        "  </View>",
        shown_for(CLAIM_LABELS, CLAIM),
        area("claimant", f"{AUTHOR_CLAIMANT} or a registry id"),
        "  </View>",
        shown_for([CONTENT, *CLAIM_LABELS]),  # a quote's or a claim's: no one tag, so by their (distinct) labels
        area("cluster_id", "same statement in several documents"),
        "  </View>",
        "</View>",
        "",
    ])


def entity_id_choices(registry: Mapping[str, RegistryEntry]) -> list[str]:
    """The ``Taxonomy`` an annotator picks a mention's registry id from: the registry's types, each
    holding the ids of its entries, sorted (``leafsOnly``: an id, never a type). A ``Taxonomy``
    rather than ``Choices``: its dropdown has a search box and opens one type at a time, so a
    registry of thousands of entries stays usable, where thousands of radio buttons would not;
    its result is the path to the choice, ``[["PERSON", "masoud-pezeshkian"]]``."""
    by_type: dict[str, list[str]] = {}
    for e in registry.values():
        by_type.setdefault(e.type, []).append(e.entity_id)
    lines = [f'    <Taxonomy name="{ENTITY_ID}" toName="{TEXT}" perRegion="true" leafsOnly="true" showFullPath="true" '
             'placeholder="registry id (type to search)">']
    for entity_type in [t for t in ENTITY_ID_LABELS if t in by_type]:
        lines.append(f"      <Choice value={quoteattr(entity_type)}>")
        lines += [f"        <Choice value={quoteattr(i)}/>" for i in sorted(by_type[entity_type])]
        lines.append("      </Choice>")
    return [*lines, "    </Taxonomy>"]


def task(doc: Document, *, offset_unit: str = UTF16, layers: Optional[Sequence[Layer]] = None,
         users: Optional[Mapping[str, int]] = None, suggested: Optional[Suggested] = None,
         model_version: Optional[str] = None, gold: bool = True,
         registry: Optional[Mapping[str, RegistryEntry]] = None) -> dict[str, Any]:
    """The Label Studio task of one document, with its annotation as one completed annotation; with
    ``layers``, one completed annotation per layer instead, each by its annotator's user id
    (``users``; by default 1, 2, ... in the order of ``layers``). With ``suggested`` (holding at
    least one item), one prediction of ``model_version`` too: the suggestions as regions, each with
    its score, and their mean score; without ``gold``, no annotation (predictions only). With
    ``registry`` (holding an entry), a mention's registry id is the ``Taxonomy`` choice of
    ``labeling_config(registry=...)``; without, a text area's text."""
    offsets = Offsets(doc.text) if offset_unit == UTF16 else None
    taxonomy = registry or None
    if layers is not None and users is None:
        users = export_users([layer.annotator for layer in layers], None)
    value: dict[str, Any] = {"data": {TEXT: doc.text, "document_id": doc.id, "offset_unit": offset_unit}}
    value["annotations"] = _annotations(doc, offsets, layers, users, taxonomy) if gold else []
    if suggested is not None and suggested.count:
        value["predictions"] = [{"model_version": model_version or "", "score": suggested.mean_score,
                                 "result": _result(suggested.annotations, offsets, taxonomy,
                                                                    scores=suggested.provenance)}]
    return value


def _annotations(doc: Document, offsets: Optional[Offsets], layers: Optional[Sequence[Layer]],
                 users: Optional[Mapping[str, int]], taxonomy: Optional[Mapping[str, RegistryEntry]]) -> list[dict[str, Any]]:
    if layers is None:
        return [{"result": _result(doc.annotations, offsets, taxonomy), "was_cancelled": False, "ground_truth": False}]
    return [{"result": _result(layer.annotations, offsets, taxonomy), "was_cancelled": False,
             "ground_truth": layer.annotator == GOLD, "completed_by": users[layer.annotator]}
            for layer in layers]


def _result(ann: Annotations, offsets: Optional[Offsets], taxonomy: Optional[Mapping[str, RegistryEntry]] = None, *,
            scores: Optional[Mapping[str, tuple[str, float]]] = None) -> list[dict[str, Any]]:
    """The result list of one annotation: its regions, per-region values and relations (``offsets``:
    converting to UTF-16 code units, or None to write code points). With ``scores`` (a prediction's:
    item id -> (source, score)), each item's labels regions carry its ``score``. With ``taxonomy``
    (the registry), a registry id is the taxonomy path ``[type, id]`` (the registry's type of the
    entry; the mention's label for an id the registry lacks)."""
    result: list[dict[str, Any]] = []

    def region(rid: str, control: str, label: str, span: Span) -> dict[str, Any]:
        start, end = (offsets.to_utf16(span.start), offsets.to_utf16(span.end)) if offsets else (span.start, span.end)
        item = {"id": rid, "from_name": control, "to_name": TEXT, "type": "labels",
                "value": {"start": start, "end": end, "text": span.text, "labels": [label]}}
        if scores is not None:
            item["score"] = scores[rid.partition(".")[0]][1]
        result.append(item)
        return item

    def extra(of: dict[str, Any], name: str, value: Optional[str]) -> None:
        if value is None:
            return
        v = of["value"]
        if name == "quote_type":
            kind, payload = "choices", {"choices": [value]}
        elif name == ENTITY_ID and taxonomy is not None:
            entry = taxonomy.get(value)
            kind, payload = "taxonomy", {"taxonomy": [[entry.type if entry else v["labels"][0], value]]}
        else:
            kind, payload = "textarea", {"text": [value]}
        result.append({"id": of["id"], "from_name": name, "to_name": TEXT, "type": kind,
                       "value": {"start": v["start"], "end": v["end"], **payload}})

    for m in ann.entities:
        extra(region(m.id, ENTITY, m.label, m.span), ENTITY_ID, m.entity_id)
    for q in ann.quotes:
        content = region(q.id, QUOTE, CONTENT, q.content)
        extra(content, "quote_type", q.type)
        extra(content, "speaker_entity_id", q.speaker_entity_id)
        extra(content, "group_id", q.group_id)
        extra(content, "cluster_id", q.cluster_id)
        for part, span, label in (("speaker", q.speaker, SPEAKER), ("cue", q.cue, CUE)):
            if span is not None:
                region(f"{q.id}.{part}", QUOTE, label, span)
                result.append({"from_id": f"{q.id}.{part}", "to_id": q.id, "type": "relation", "direction": "right", "labels": [part]})
    for c in ann.claims:
        r = region(c.id, CLAIM, c.label, c.span)
        extra(r, "claimant", c.claimant)
        extra(r, "cluster_id", c.cluster_id)
    return result


def export(documents: Iterable[tuple[str, Document]], *, out: Path, offset_unit: str = UTF16,
           layers: Optional[LayerSource] = None, users: Optional[UserMap] = None,
           suggestions: Optional[SuggestionSource] = None, gold: bool = True,
           registry: Optional[Mapping[str, RegistryEntry]] = None, **_: object) -> Report:
    """Write ``tasks.json`` (every document) and ``labeling-config.xml`` into ``out``; with
    ``layers``, one annotation per layer and ``annotator-map.json`` (``completed_by`` user ids:
    ``users``' when given, else 1, 2, ... in the order of ``layers.annotators``). With
    ``suggestions``, each task whose document has suggestions gets them as one prediction; without
    ``gold``, tasks hold no annotation. With ``registry``, a mention's registry id is chosen from
    the registry's ids (``entity_id_choices``)."""
    if offset_unit not in OFFSET_UNITS:
        raise FormatError(f"unknown offset unit {offset_unit!r}; choose one of {', '.join(OFFSET_UNITS)}")
    report = Report()
    user_ids = export_users(layers.annotators, users) if layers is not None else None
    tally = Tally()
    path = out / TASKS
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("[")
        for k, (_split, doc) in enumerate(documents):
            fh.write(",\n" if k else "\n")
            chosen = layers.of(doc) if layers is not None and gold else None
            suggested = suggestions.of(doc) if suggestions is not None else None
            tally.add(suggested)
            _write_json(fh, task(doc, offset_unit=offset_unit, layers=chosen, users=user_ids, suggested=suggested, gold=gold,
                                 model_version=suggestions.model_version if suggestions else None, registry=registry),
                        whole=len(doc.text) < _STREAMED_FROM)
            if gold:
                for ann in [x.annotations for x in chosen] if chosen is not None else [doc.annotations]:
                    report.add_all(ann)
        fh.write("\n]\n")
    if suggestions is not None:
        report.notes.append(tally.note(f"as predictions (model_version {suggestions.model_version})"))
    (out / CONFIG).write_text(labeling_config(offset_unit=offset_unit, registry=registry), encoding="utf-8", newline="\n")
    report.files += [path, out / CONFIG]
    if user_ids is not None:
        (out / ANNOTATOR_MAP).write_text(dumps_canonical({str(u): a for a, u in sorted(user_ids.items(), key=lambda x: x[1])}),
                                         encoding="utf-8", newline="\n")
        report.files.append(out / ANNOTATOR_MAP)
        report.notes.append(f"{ANNOTATOR_MAP} beside {TASKS} names the annotator of each completed_by user id; pass it to "
                            "`newsspans import labelstudio --annotator-map` to import the annotations back as layers")
    return report


#: What ``json.dumps(value, ensure_ascii=False, indent=1)`` writes, chunk by chunk.
_TASK_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=1)
#: The text length from which a document's task is written as it is encoded.
_STREAMED_FROM = 20_000


def _write_json(fh: Any, value: Any, *, whole: bool = False, batch: int = 4096) -> None:
    """Write ``json.dumps(value, ensure_ascii=False, indent=1)`` to ``fh``: ``whole`` (fastest,
    for a news-length document's task), or as it is encoded, ``batch`` chunks at a time, so that
    a long document's task (tens of MB) is never held whole."""
    if whole:
        fh.write(json.dumps(value, ensure_ascii=False, indent=1))
        return
    chunks: list[str] = []
    for chunk in _TASK_ENCODER.iterencode(value):
        chunks.append(chunk)
        if len(chunks) >= batch:
            fh.write("".join(chunks))
            chunks.clear()
    fh.write("".join(chunks))


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskLocation:
    """Where one task is in the tasks file, to name the file, line and task of its parts."""

    file: str = "<task>"
    #: The tasks file's text (with ``line``: the task's own), where lines are found (None: no lines).
    raw: Optional[str] = None
    index: int = 0
    document: str = "?"
    #: The task's own ``id`` in Label Studio, when it has one.
    task_id: Optional[Union[int, str]] = None
    #: When set, ``raw`` is this task's own JSON text, which starts at this line of the file
    #: (None: ``raw`` is the whole tasks file, a list of which this task is item ``index``).
    line: Optional[int] = None

    @property
    def short(self) -> str:
        """The task as Label Studio numbers it, ``task id 17``; a task without an ``id`` (one not
        yet imported into Label Studio, such as our own export's) by its position in the file,
        counted from 0 and said so: ``task at index 3``."""
        if self.task_id is None:
            return f"task at index {self.index}"
        shown = self.task_id if isinstance(self.task_id, int) or self.task_id.isalnum() else repr(self.task_id)
        return f"task id {shown}"

    @property
    def name(self) -> str:
        """``task id 17 (document 000_x)``, or ``task at index 3 (document 000_x)`` (``short``)."""
        return f"{self.short} (document {self.document})"

    def source(self, path: list[Any], label: str = "", hint: Optional[str] = None, name: str = "") -> Source:
        """The source of the value at ``path`` inside the task."""
        # ``line_of`` indexes the text once and answers every lookup from the index.
        if self.raw is None:
            line = None
        elif self.line is None:
            line = line_of(self.raw, [self.index, *path])
        else:
            line = self.line - 1 + line_of(self.raw, path)
        return Source(self.file, line, label, context=self.name, hint=hint, name=name)


@dataclass(frozen=True)
class ResultAt:
    """Paths into the result list of one annotation of a task (``annotation``: its index)."""

    loc: TaskLocation
    annotation: int

    def source(self, i: int, *rest: Any, label: str = "", hint: Optional[str] = None, name: str = "") -> Source:
        return self.loc.source(["annotations", self.annotation, "result", i, *rest], label, hint, name)

    def lazy(self, i: int, *rest: Any, label: str = "", hint: Optional[str] = None, name: str = "") -> Callable[[], Source]:
        """``source``, found only when a problem needs it."""
        return lambda: self.source(i, *rest, label=label, hint=hint, name=name)


class _Malformed(Exception):
    """A result item not in the shape NewsSpans reads; ``path`` leads to the culprit inside the item."""

    def __init__(self, path: tuple[Any, ...], message: str):
        super().__init__(message)
        self.path = path


@dataclass
class _Region:
    index: int  # in the result list
    control: str
    label: str
    span: Span  # code points
    title: str  # how a problem names it: region m1 0-24 (utf-16)
    hint: Optional[str]  # when its text is found at its offsets read in the other unit


@dataclass
class _Result:
    """The result list of one annotation, read item by item."""

    regions: dict[str, _Region] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    extras: dict[str, dict[str, tuple[int, Optional[str]]]] = field(default_factory=dict)  # region -> control -> (index, value)
    relations: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def parse_task(value: dict[str, Any], *, text: str, document_id: str, where: Optional[TaskLocation] = None,
               used_ids: Iterable[str] = (), annotation: Optional[int] = None) -> Parsed:
    """The annotations of one exported task (of its annotation at index ``annotation``; by
    default its one annotation that was not cancelled), with the region each item and field came from.

    Checks the Label Studio side only, stage by stage (the annotation and its result items, the
    per-region values and relations between regions, the items they make) and raises
    ``FormatError`` with every problem of the first stage that has any, each naming the file,
    line and task (``where``); what the validator checks is left to ``importer.check``."""
    loc = where or TaskLocation(document=document_id)
    unit = offset_unit_of(value, loc)
    at = ResultAt(loc, _the_annotation(value, loc) if annotation is None else checked_annotation(value, annotation, loc))
    offsets = Offsets(text)
    result = _read_result(value["annotations"][at.annotation]["result"], offsets=offsets, unit=unit, at=at)
    parts = _link(result, at)
    return _TaskAssembly(result, parts, at, used_ids=set(used_ids), offsets=offsets, unit=unit).build(document_id)


# -- stage 1: the annotation and its result items --


def offset_unit_of(value: dict[str, Any], loc: TaskLocation) -> str:
    """The offset unit a task states (``data.offset_unit``; default UTF-16, what the browser counts)."""
    unit = value.get("data", {}).get("offset_unit", UTF16)
    if unit not in OFFSET_UNITS:
        raise FormatError(loc.source(["data", "offset_unit"]).error(f"unknown offset unit {unit!r}; use {' or '.join(OFFSET_UNITS)}"))
    return unit


def _live_annotations(value: dict[str, Any], loc: TaskLocation) -> list[int]:
    """The indices of the task's annotations that were not cancelled (none when it has no list)."""
    annotations = value.get("annotations", [])
    if not isinstance(annotations, list):
        raise FormatError(loc.source(["annotations"]).error(f"the task's annotations must be a list; got {_short(annotations)}"))
    for i, a in enumerate(annotations):
        if not isinstance(a, dict):
            raise FormatError(loc.source(["annotations", i]).error(f"an annotation must be an object; got {_short(a)}"))
    return [i for i, a in enumerate(annotations) if not a.get("was_cancelled")]


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _the_annotation(value: dict[str, Any], loc: TaskLocation) -> int:
    """The index of the one annotation that was not cancelled, which has a result list."""
    if not isinstance(value.get("annotations"), list):
        raise FormatError(loc.source(["annotations"]).error("the task has no annotations list"))
    annotations = value["annotations"]
    live = _live_annotations(value, loc)
    if len(live) != 1:
        raise FormatError(loc.source(["annotations"]).error(_several(annotations, live)))
    return checked_annotation(value, live[0], loc)


def checked_annotation(value: dict[str, Any], index: int, loc: TaskLocation) -> int:
    """``index``, once the task's annotation at ``index`` is known to hold a result list."""
    if not isinstance(value["annotations"][index].get("result"), list):
        raise FormatError(loc.source(["annotations", index]).error("the annotation has no result list"))
    return index


def _several(annotations: list[Any], live: list[int], *, annotator: Optional[str] = None, written_map: Optional[Path] = None) -> str:
    """Why a task with other than one annotation cannot be imported without an annotator map, and
    what to pass: the user ids of its annotations (never an e-mail address)."""
    head = f"the task holds {len(live)} annotations that were not cancelled"
    if not live:
        return f"{head}; keep exactly one"
    users = [_user_or_none(annotations[i]) for i in live]
    ids = [u.user_id for u in users if u is not None and u.user_id is not None]
    named = [u.name for u in users if u is not None]
    unnamed = len(users) - len(named)
    who = [f"by {' and '.join(named)}"] * bool(named) + [f"{unnamed} without completed_by"] * bool(unnamed)
    head += f" ({'; '.join(who)})"
    if annotator is not None:
        head += f", and --annotator {annotator} takes one per task"
    if len(ids) == len(live) and len(set(ids)) == len(ids):
        file = f"--annotator-map {display_path(written_map)}" if written_map is not None else "--annotator-map FILE"
        return f"{head}; import each as its annotator's layer: {' '.join(f'--map-annotator {u}=ID' for u in ids)} (or {file})"
    return (f"{head}; keep one in Label Studio, or import each as its annotator's layer: give each its own user "
            "(completed_by) and map the users with --map-annotator USER=ID")


def _user_or_none(annotation: dict[str, Any]) -> Optional[UserRef]:
    try:
        return UserRef.of(annotation.get("completed_by"))
    except ValueError:
        return None


def _read_result(items: list[Any], *, offsets: Offsets, unit: str, at: ResultAt) -> _Result:
    result = _Result()
    errors = ErrorList()
    for i, item in enumerate(items):
        try:
            _read_item(i, item, result, offsets=offsets, unit=unit)
        except _Malformed as exc:
            errors.add(at.source(i, *exc.path), str(exc))
    errors.raise_if_any()
    return result


def _read_item(i: int, item: Any, result: _Result, *, offsets: Offsets, unit: str) -> None:
    if not isinstance(item, dict):
        raise _Malformed((), "a result item must be an object")
    kind = item.get("type")
    if kind == "relation":
        result.relations.append((i, item))
        return
    rid, control, v = item.get("id"), item.get("from_name"), item.get("value")
    if not isinstance(rid, str) or not isinstance(v, dict):
        raise _Malformed((), "a result item needs an 'id' (a string) and a 'value' (an object)")
    if not isinstance(control, str):
        raise _Malformed(("from_name",), f"from_name must name a control of the labeling config; got {control!r}")
    if kind == "labels":
        _read_region(i, rid, control, v, result, offsets=offsets, unit=unit)
    elif kind in ("textarea", "choices", "taxonomy"):
        _read_per_region(i, rid, control, kind, v, result)
    else:
        raise _Malformed(("type",), f"result type {kind!r} is not used by NewsSpans (labels, textarea, choices, taxonomy, relation)")


def _read_region(i: int, rid: str, control: str, v: dict[str, Any], result: _Result, *, offsets: Offsets, unit: str) -> None:
    if control not in _LABELS_CONTROLS:
        raise _Malformed(("from_name",), f"unknown labels control {control!r}; use {ENTITY}, {QUOTE} or {CLAIM}")
    labels = v.get("labels")
    if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
        raise _Malformed(("value", "labels"), f"region {rid} must carry exactly one label of {control}; got {labels!r}")
    if control == QUOTE and labels[0] not in _QUOTE_PARTS:
        raise _Malformed(("value", "labels"), f"region {rid} of {QUOTE} must be labelled {', '.join(_QUOTE_PARTS)}; got {labels!r}")
    if rid in result.regions:
        raise _Malformed((), f"region {rid} is labelled twice (result[{result.regions[rid].index}]); give each span its own region")
    span, name, hint = _span(v, offsets=offsets, unit=unit, rid=rid)
    result.regions[rid] = _Region(i, control, labels[0], span, name, hint)
    result.order.append(rid)


def _read_per_region(i: int, rid: str, control: str, kind: str, v: dict[str, Any], result: _Result) -> None:
    names = {n for names in _PER_REGION.values() for n in names}
    if control not in names:
        raise _Malformed(("from_name",), f"unknown per-region control {control!r}; known: {', '.join(sorted(names))}")
    values = _taxonomy_leaves(v, control, rid) if kind == "taxonomy" else v.get("text" if kind == "textarea" else "choices")
    if not isinstance(values, list) or len(values) > 1 or not all(isinstance(x, str) for x in values):
        raise _Malformed(("value",), f"{control} of region {rid} must hold one value")
    if control in result.extras.get(rid, {}):
        raise _Malformed((), f"region {rid} has two {control} values")
    found = values[0].strip() if values else ""
    result.extras.setdefault(rid, {})[control] = (i, found or None)


def _taxonomy_leaves(v: dict[str, Any], control: str, rid: str) -> list[str]:
    """The chosen leaves of a taxonomy value (``{"taxonomy": [["PERSON", "masoud-pezeshkian"]]}``:
    each choice is its path from the top, the registry id last); a type chosen without an id under
    it is refused."""
    paths = v.get("taxonomy")
    if not isinstance(paths, list) or not all(isinstance(p, list) and p and all(isinstance(x, str) for x in p) for p in paths):
        raise _Malformed(("value", "taxonomy"), f"{control} of region {rid} must be a list of taxonomy paths (lists of strings)")
    if any(len(p) == 1 and p[0] in ENTITY_ID_LABELS for p in paths):
        raise _Malformed(("value", "taxonomy"), f"{control} of region {rid} is a type, not an entity: choose an id under it")
    return [p[-1] for p in paths]


def _span(v: dict[str, Any], *, offsets: Offsets, unit: str, rid: str) -> tuple[Span, str, Optional[str]]:
    """The region's span in code points, its name, and a hint when its offsets are in the other unit."""
    start, end, stored = v.get("start"), v.get("end"), v.get("text")
    if not is_int(start) or not is_int(end) or not isinstance(stored, str):
        raise _Malformed(("value",), f"region {rid} needs integer start and end and its text")
    converted = (offsets.from_utf16(start), offsets.from_utf16(end)) if unit == UTF16 else (start, end)
    if converted[0] is None or converted[1] is None:
        raise _Malformed(("value",), f"region {rid} {start}-{end} (UTF-16 code units): an offset falls inside a character (a surrogate pair)")
    return Span(converted[0], converted[1], stored), f"region {rid} {start}-{end} ({unit})", unit_hint(offsets, unit, start, end, stored)


def is_int(value: Any) -> bool:
    """Whether ``value`` is a JSON integer (``True`` is not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def unit_hint(offsets: Offsets, unit: str, start: int, end: int, stored: str) -> Optional[str]:
    """When ``stored`` is not at the offsets read in ``unit`` but is in the other unit, say so."""
    text = offsets.text

    def holds(a: Optional[int], b: Optional[int]) -> bool:
        return a is not None and b is not None and 0 <= a < b <= len(text) and text[a:b] == stored

    if not offsets.differ:
        return None  # both units count alike
    other = CODEPOINTS if unit == UTF16 else UTF16
    here = (offsets.from_utf16(start), offsets.from_utf16(end)) if unit == UTF16 else (start, end)
    there = (start, end) if other == CODEPOINTS else (offsets.from_utf16(start), offsets.from_utf16(end))
    if holds(*here) or not holds(*there):
        return None
    return f"the offsets match in {other}: set data.offset_unit to {other!r} for this task"


# -- stage 2: per-region values and relations --


def _link(result: _Result, at: ResultAt) -> dict[str, dict[str, str]]:
    """Check that each per-region value and relation belongs to a region it applies to; returns the
    speaker and cue region of each quote content region."""
    errors = ErrorList()
    _check_per_region(result, at, errors)
    parts = _relations(result, at, errors)
    tied = {part for got in parts.values() for part in got.values()}
    for rid in result.order:
        r = result.regions[rid]
        if r.control == QUOTE and r.label != CONTENT and rid not in tied:
            errors.add(at.source(r.index), f"{r.label} region {rid} is tied to no {CONTENT} region; draw a {r.label.lower()} relation to it")
    errors.raise_if_any()
    return parts


def _check_per_region(result: _Result, at: ResultAt, errors: ErrorList) -> None:
    for rid, controls in result.extras.items():
        if rid not in result.regions:
            i = next(iter(controls.values()))[0]
            errors.add(at.source(i, "id"), f"per-region value for {rid}, but there is no region {rid}")
            continue
        r = result.regions[rid]
        for name, (i, _) in controls.items():
            if name not in _PER_REGION[r.control] or (r.control == QUOTE and r.label != CONTENT):
                errors.add(at.source(i, "from_name"), f"{name} does not apply to region {rid} ({r.control} {r.label})")


def _relations(result: _Result, at: ResultAt, errors: ErrorList) -> dict[str, dict[str, str]]:
    parts: dict[str, dict[str, str]] = {}  # content id -> part -> region id
    part_of: dict[str, str] = {}
    regions = result.regions
    for i, rel in result.relations:
        src, dst, labels = rel.get("from_id"), rel.get("to_id"), rel.get("labels")
        if not isinstance(src, str) or not isinstance(dst, str):
            errors.add(at.source(i), f"a relation's from_id and to_id must be region ids; got {src!r} -> {dst!r}")
            continue
        if src not in regions or dst not in regions:
            errors.add(at.source(i), f"relation {src} -> {dst}: no such region")
            continue
        if not isinstance(labels, list) or len(labels) != 1 or labels[0] not in ("speaker", "cue"):
            errors.add(at.source(i, "labels"), f"relation {src} -> {dst} must be labelled speaker or cue; got {labels!r}")
            continue
        part = labels[0]
        expected = SPEAKER if part == "speaker" else CUE
        if (regions[src].control, regions[src].label) != (QUOTE, expected) or (regions[dst].control, regions[dst].label) != (QUOTE, CONTENT):
            errors.add(at.source(i), f"a {part} relation goes from a {expected} region to a {CONTENT} region; {src} -> {dst} does not")
        elif src in part_of:
            errors.add(at.source(i), f"{expected} region {src} is already tied to {part_of[src]}")
        elif part in parts.get(dst, {}):
            errors.add(at.source(i), f"quote {dst} already has a {part} ({parts[dst][part]})")
        else:
            parts.setdefault(dst, {})[part] = src
            part_of[src] = dst
    return parts


# -- stage 3: the items --


class _TaskAssembly:
    """The model's items made of the regions of one task, and their sources."""

    def __init__(self, result: _Result, parts: dict[str, dict[str, str]], at: ResultAt, *, used_ids: set[str], offsets: Offsets, unit: str):
        self.result, self.parts, self.at = result, parts, at
        self.errors = ErrorList()
        to_unit = (lambda a, b: (offsets.to_utf16(a), offsets.to_utf16(b))) if unit == UTF16 and offsets.differ else None
        self.sources = SourceMap(lambda: at.loc.source([]), to_unit=to_unit)
        self.local = self._local_ids(used_ids)

    def build(self, document_id: str) -> Parsed:
        entities: list[EntityMention] = []
        quotes: list[Quote] = []
        claims: list[Claim] = []
        for rid in self.result.order:
            r = self.result.regions[rid]
            if r.control == ENTITY:
                entities.append(self.entity(r, rid, len(entities)))
            elif r.control == QUOTE and r.label == CONTENT:
                quotes.append(self.quote(r, rid, len(quotes)))
            elif r.control == CLAIM:
                claims.append(self.claim(r, rid, len(claims)))
        self.errors.raise_if_any()
        return Parsed(Annotations(document_id, tuple(entities), tuple(quotes), tuple(claims)), self.sources)

    def _local_ids(self, used_ids: set[str]) -> dict[str, str]:
        """A region id that is a NewsSpans id of its layer stays; any other gets a fresh one."""
        regions = self.result.regions
        kept = {rid for rid in self.result.order if _LOCAL_ID[_PREFIX_OF[regions[rid].control]].fullmatch(rid)}
        ids = FreshIds(used_ids | kept)
        local: dict[str, str] = {}
        for rid in self.result.order:
            r = regions[rid]
            if r.control == QUOTE and r.label != CONTENT:
                continue
            local[rid] = rid if rid in kept else ids.fresh(_PREFIX_OF[r.control])
        return local

    def region(self, rid: str) -> Callable[[], Source]:
        r = self.result.regions[rid]
        return self.at.lazy(r.index, "value", label=r.title, hint=r.hint, name=f"region {rid}")

    def value(self, rid: str, name: str, *, required: bool = False) -> tuple[Optional[str], Optional[Callable[[], Source]]]:
        """The per-region value ``name`` of region ``rid``, and its source."""
        found = self.result.extras.get(rid, {}).get(name)
        if found is None or found[1] is None:
            if required:
                self.errors.add(self.at.source(self.result.regions[rid].index), f"region {rid} has no {name}")
            return None, None
        i, v = found
        return v, self.at.lazy(i, "value", label=f"{name} of region {rid}")

    def entity(self, r: _Region, rid: str, position: int) -> EntityMention:
        entity_id, id_source = self.value(rid, "entity_id")
        self.sources.add("entities", position, self.region(rid), entity_id=id_source,
                         label=self.at.lazy(r.index, "value", "labels", label=r.title))
        return EntityMention(self.local[rid], r.span.start, r.span.end, r.span.text, r.label, entity_id)

    def quote(self, r: _Region, rid: str, position: int) -> Quote:
        got = self.parts.get(rid, {})
        quote_type, type_source = self.value(rid, "quote_type", required=True)
        speaker_entity_id, speaker_source = self.value(rid, "speaker_entity_id")
        group_id, group_source = self.value(rid, "group_id")
        cluster_id, cluster_source = self.value(rid, "cluster_id")
        part = {name: self.region(got[name]) if name in got else None for name in ("speaker", "cue")}
        self.sources.add("quotes", position, self.region(rid), content=self.region(rid), **part, type=type_source,
                         speaker_entity_id=speaker_source, group_id=group_source, cluster_id=cluster_source)
        spans = {name: self.result.regions[got[name]].span if name in got else None for name in ("speaker", "cue")}
        return Quote(self.local[rid], quote_type, r.span, spans["speaker"], spans["cue"], speaker_entity_id, group_id, cluster_id)

    def claim(self, r: _Region, rid: str, position: int) -> Claim:
        claimant, claimant_source = self.value(rid, "claimant")
        cluster_id, cluster_source = self.value(rid, "cluster_id")
        self.sources.add("claims", position, self.region(rid), claimant=claimant_source, cluster_id=cluster_source,
                         label=self.at.lazy(r.index, "value", "labels", label=r.title))
        return Claim(self.local[rid], r.span.start, r.span.end, r.span.text, r.label, claimant or AUTHOR_CLAIMANT, cluster_id)


# -- the import --


def import_(src: Path, *, corpus: Path, registry: dict[str, RegistryEntry], options: Optional[ImportOptions] = None) -> Report:
    """Read a Label Studio JSON export (a list of tasks), check each task by the validator's code
    path, compare the result with the corpus and write the changed annotation files, all or
    nothing (see ``ImportOptions``). Raises ``FormatError`` naming the file, line and task of every
    problem, ``ImportRefused`` for an import that would delete too much.

    Not imported, and each reported in a note with its task (and region): drafts, region notes
    (``meta.text``), predictions, cancelled annotations; a task with no annotation that was not
    cancelled (predictions only, say) is skipped and its document kept as it is. With a mapping
    that has a ``labelstudio`` section, tasks are read through it (``_labelstudio_mapped``)."""
    path, tasks = _task_stream(Path(src))
    run = ImportRun(corpus, registry, options)
    mapped = None
    if run.options.mapping is not None and run.options.mapping.labelstudio is not None:
        from ._labelstudio_mapped import MappedImport  # it reads tasks with this module's helpers

        mapped = MappedImport(run, run.options.mapping)
    for k, item in enumerate(tasks):
        with run.document():
            _import_task(run, item.value, TaskLocation(display_path(path), item.text, k, line=item.line), path, mapped)
    if mapped is not None:
        mapped.finish()
    return run.finish()


def _task_stream(src: Path) -> tuple[Path, Iterator[ArrayItem]]:
    """The tasks file and its tasks, read one at a time (``_jsonarray``): memory holds one task,
    not the export. The first task is read at once, so that a file that is not a list of tasks
    at all is refused before anything else, as when the file was read whole."""
    path = src / TASKS if src.is_dir() else src
    if not path.is_file():
        raise FormatError(f"{display_path(path)}: no such file")
    tasks = _streamed(path)
    first = next(tasks, None)
    return path, tasks if first is None else chain([first], tasks)


def _streamed(path: Path) -> Iterator[ArrayItem]:
    """The tasks of ``path`` one at a time; ``FormatError`` when it is not a list of tasks."""
    try:
        yield from array_items(path)
    except NotAnArray:
        _read_tasks(path)  # reads the file whole to raise exactly what is wrong, and where
        raise FormatError(f"{display_path(path)}: not a Label Studio export: not a list of tasks") from None
    except OSError as exc:
        raise FormatError(f"{display_path(path)}: cannot be read: {exc.strerror or exc}") from None


def _read_tasks(src: Path) -> list[Any]:
    """The tasks of the file ``src``, read whole: ``FormatError`` naming what is wrong (the line and
    column where the file stops being JSON, as ``json.loads`` finds them)."""
    shown = display_path(src)
    try:
        tasks = json.loads(src.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FormatError(f"{shown}: byte {exc.start} is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"{shown}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise FormatError(f"{shown}: not a Label Studio export: {exc}") from None
    except RecursionError:
        raise FormatError(f"{shown}: not a Label Studio export: values nested too deeply") from None
    except OSError as exc:
        raise FormatError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    if not isinstance(tasks, list):
        raise FormatError(f"{shown}:1: expected a list of tasks (Label Studio's JSON export)")
    return tasks


def _import_task(run: ImportRun, value: Any, loc: TaskLocation, src: Path, mapped: Optional["MappedImport"] = None) -> None:
    """Import one task: our own export's, or, with ``mapped`` (a ``_labelstudio_mapped.MappedImport``),
    a task of a project with a labeling config of its own, read through the mapping."""
    if not isinstance(value, dict) or not isinstance(value.get("data"), dict):
        raise FormatError(loc.source([]).error("a task must be an object with 'data'"))
    own_id = value.get("id")
    if isinstance(own_id, (int, str)) and not isinstance(own_id, bool):
        loc = replace(loc, task_id=own_id)
    if mapped is None:
        doc_id, text = _task_document(run, value, loc, src)
    else:
        doc_id, text = mapped.document(value, loc=loc, src=src)
    loc = replace(loc, document=doc_id)
    live = _live_annotations(value, loc)
    _note_unread(run.report, value, loc)
    if not live:
        predictions = value.get("predictions")
        why = " (it holds predictions only, which are never taken as annotations)" if predictions else ""
        run.report.ignore("tasks without an annotation", loc.name)
        run.report.notes.append(loc.source([]).error(
            f"no annotation that was not cancelled{why}: the task is skipped and its document kept as it is"))
        return
    for index, annotator in _attribute(run.options, value, live, loc, src):
        run.check_annotator(annotator)
        with run.document():  # every error of every annotation
            if mapped is None:
                parsed = parse_task(value, text=text, document_id=doc_id, where=loc, used_ids=run.used_ids(doc_id, annotator),
                                    annotation=index)
            else:
                parsed = mapped.parse(value, text=text, document_id=doc_id, where=loc, annotation=index, annotator=annotator)
            _note_region_notes(run.report, value["annotations"][index]["result"], ResultAt(loc, index))
            run.accept(parsed, text, annotator=annotator)


def _task_document(run: ImportRun, value: dict[str, Any], loc: TaskLocation, src: Path) -> tuple[str, str]:
    """The document of a task of our own export (``data.document_id``, a document of the corpus) and its text."""
    doc_id = value["data"].get("document_id")
    if doc_id is None:
        raise FormatError(loc.source(["data"]).error(
            "data.document_id is missing; tasks must come from `newsspans export labelstudio`, or be read through the "
            "labelstudio section of a mapping file (--mapping FILE, docs/import-labelstudio.md)"))
    doc_id = run.document_id(doc_id, lambda: loc.source(["data", "document_id"]), loc.short)
    text = run.text(doc_id, src)
    if value["data"].get(TEXT) != text:
        raise FormatError(replace(loc, document=doc_id).source(["data", TEXT]).error(
            "data.text differs from the corpus text; texts are never edited"))
    return doc_id, text


def _attribute(options: ImportOptions, value: dict[str, Any], live: list[int], loc: TaskLocation,
               src: Path) -> list[tuple[int, Optional[str]]]:
    """Whose each annotation of the task that was not cancelled is: ``(index, annotator)``, None
    for the gold. Without an annotator map, the task's one annotation is the gold's (or
    ``--annotator``'s); with one, each annotation is its user's annotator's."""
    annotations = value["annotations"]
    if not options.users:
        if len(live) == 1:
            return [(live[0], options.annotator)]
        written = src.parent / ANNOTATOR_MAP
        raise FormatError(loc.source(["annotations"]).error(
            _several(annotations, live, annotator=options.annotator, written_map=written if written.is_file() else None)))
    errors = ErrorList()
    taken: dict[str, tuple[int, str]] = {}
    found = []
    for i in live:
        try:
            user = UserRef.of(annotations[i].get("completed_by"))
        except ValueError as exc:
            errors.add(loc.source(["annotations", i, "completed_by"]), f"annotation {i}: {exc}")
            continue
        if user is None:
            errors.add(loc.source(["annotations", i]), f"annotation {i} has no completed_by, so the annotator map cannot "
                                                       "tell whose it is; set it in Label Studio's export, or import the task's one annotation without a map")
            continue
        who = options.users.annotator_of(user)
        if who is None:
            how = f"--map-annotator {user.user_id}=ID" if user.user_id is not None else "its e-mail address in --annotator-map FILE"
            errors.add(loc.source(["annotations", i, "completed_by"]),
                       f"annotation {i}: {user.name} is not in the annotator map; map it to an annotator: {how}")
        elif who in taken:
            first, first_user = taken[who]
            other = " (or map their users to different annotators)" if first_user != user.name else ""
            errors.add(loc.source(["annotations", i]), f"annotations {first} ({first_user}) and {i} ({user.name}) are both {who}'s; "
                                                       f"an annotator has one annotation per task: keep one in Label Studio{other}")
        else:
            taken[who] = (i, user.name)
            found.append((i, None if who == GOLD else who))
    errors.raise_if_any()
    return found


def _count(value: Any) -> int:
    """How many things a drafts or predictions value holds (a list: its items; else one, when not empty)."""
    return len(value) if isinstance(value, list) else int(bool(value))


def _note_unread(report: Report, value: dict[str, Any], loc: TaskLocation) -> None:
    """Note the drafts, predictions and cancelled annotations of a task: none is imported."""
    annotations = value.get("annotations") if isinstance(value.get("annotations"), list) else []
    found = [("drafts", ["drafts"], _count(value.get("drafts")),
              "unsubmitted work: submit it in Label Studio and export again"),
             ("predictions", ["predictions"], _count(value.get("predictions")), "never taken as annotations")]
    for i, a in enumerate(annotations):
        found.append(("drafts", ["annotations", i, "drafts"], _count(a.get("drafts")),
                      "unsubmitted work: submit it in Label Studio and export again"))
        if a.get("was_cancelled"):
            found.append(("cancelled annotations", ["annotations", i], 1, "skipped in Label Studio"))
    for what, path, n, why in found:
        if n:
            for _ in range(n):
                report.ignore(what, loc.name)
            name = what if n != 1 else what[:-1]
            report.notes.append(loc.source(path).error(f"{n} {name} not imported ({why})"))


def _note_region_notes(report: Report, items: list[Any], at: ResultAt) -> None:
    """Note the regions that carry a note (``meta.text``): notes are not part of the corpus."""
    noted = []
    for i, item in enumerate(items):
        meta = item.get("meta") if isinstance(item, dict) else None
        note = meta.get("text") if isinstance(meta, dict) else None
        if isinstance(note, list):
            note = " ".join(x for x in note if isinstance(x, str))
        if isinstance(note, str) and note.strip():
            rid = item.get("id") if isinstance(item.get("id"), str) else f"result[{i}]"
            report.ignore("region notes", f"{at.loc.name} region {rid}")
            noted.append((i, f"region {rid} ({_short(note.strip(), 40)})"))
    if noted:
        n = len(noted)
        report.notes.append(at.source(noted[0][0], "meta").error(
            f"{n} region note{'s' if n != 1 else ''} not imported (notes are not part of the corpus): "
            + ", ".join(text for _, text in noted)))
