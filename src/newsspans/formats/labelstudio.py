"""Label Studio: a tasks file (``tasks.json``) and its labeling config (``labeling-config.xml``).

**Offset unit.** Label Studio's browser counts text offsets in UTF-16 code units (JavaScript string
indices), while the corpus counts Python code points; the two differ after every character outside
the Basic Multilingual Plane (an emoji counts 2 units, 1 code point). The export writes UTF-16
offsets by default (``offset_unit="utf-16"``; ``"codepoints"`` for tools that count code points)
and records the unit in every task (``data.offset_unit``); the import converts back with the unit
the task states, and refuses an offset that falls inside a surrogate pair.

One task per document: ``data`` holds ``text``, ``document_id`` and ``offset_unit``; its one
annotation's ``result`` holds, in the order of the corpus annotation file:

- an entity mention: a ``labels`` region of the control ``entity`` (id ``m4``), and its registry id
  as the per-region text area ``entity_id``;
- a quote: a ``labels`` region ``Quote`` of the control ``quote`` for the content (id ``q6``), with
  the per-region ``quote_type`` choice and the text areas ``speaker_entity_id``, ``group_id`` and
  ``cluster_id``; ``Speaker`` and ``Cue`` regions (ids ``q6.speaker``, ``q6.cue``) tied to the
  content by relations labelled ``speaker`` and ``cue``;
- a claim: a ``labels`` region ``CFS`` or ``UFS`` of the control ``claim`` (id ``c1``) with the text
  areas ``claimant`` and ``cluster_id``.

A region added in Label Studio has a random id and gets a fresh NewsSpans id on import. A task
must hold exactly one annotation that was not cancelled; predictions are not read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Optional
from xml.sax.saxutils import quoteattr

from ..labels import (
    AUTHOR_CLAIMANT,
    CLAIM_LABELS,
    ENTITY_LABELS,
    GROUP_PREFIX,
    ID_PREFIXES,
    QUOTE_TYPES,
    SLUG,
    local_id_pattern,
)
from ..model import Annotations, Claim, Document, EntityMention, Quote, RegistryEntry, Span
from ..paths import display_path
from ..validation import line_of
from .base import FormatError, Report, annotation_path, corpus_text, ids_in, next_id, write_annotations

TASKS = "tasks.json"
CONFIG = "labeling-config.xml"
UTF16, CODEPOINTS = "utf-16", "codepoints"
OFFSET_UNITS = (UTF16, CODEPOINTS)
TEXT = "text"
ENTITY, QUOTE, CLAIM = "entity", "quote", "claim"
CONTENT, SPEAKER, CUE = "Quote", "Speaker", "Cue"
_PER_REGION = {
    ENTITY: ("entity_id",),
    QUOTE: ("quote_type", "speaker_entity_id", "group_id", "cluster_id"),
    CLAIM: ("claimant", "cluster_id"),
}
_LOCAL_ID = {p: re.compile(local_id_pattern(p)) for p in ID_PREFIXES.values()}
_SLUG = re.compile(SLUG)
_GROUP = re.compile(local_id_pattern(GROUP_PREFIX))


# --- offsets ----------------------------------------------------------------------------------


def _astral(text: str) -> bool:
    return any(ord(ch) > 0xFFFF for ch in text)


def to_utf16(text: str, offsets: Iterable[int]) -> list[int]:
    """Code-point offsets into ``text`` as UTF-16 code-unit offsets."""
    offsets = list(offsets)
    if not _astral(text):
        return offsets
    units = [0]
    for ch in text:
        units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return [units[i] for i in offsets]


def from_utf16(text: str, offset: int) -> Optional[int]:
    """The code-point offset of a UTF-16 code-unit offset, or None when it falls inside a surrogate
    pair or past the end."""
    if not _astral(text):
        return offset if 0 <= offset <= len(text) else None
    unit = 0
    for i, ch in enumerate(text):
        if unit == offset:
            return i
        if unit > offset:
            return None
        unit += 2 if ord(ch) > 0xFFFF else 1
    return len(text) if unit == offset else None


# --- writing ----------------------------------------------------------------------------------


def labeling_config(*, offset_unit: str = UTF16) -> str:
    """The Label Studio labeling config, generated from ``newsspans.labels``."""
    def labels(name: str, values: Iterable[str]) -> list[str]:
        return [f'  <Labels name="{name}" toName="{TEXT}">'] + [f"    <Label value={quoteattr(v)}/>" for v in values] + ["  </Labels>"]

    def area(name: str, hint: str) -> str:
        return f'    <TextArea name="{name}" toName="{TEXT}" perRegion="true" maxSubmissions="1" editable="true" placeholder={quoteattr(hint)}/>'

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
        '  <View visibleWhen="region-selected">',
        area("entity_id", "registry id of an entity mention"),
        f'    <Choices name="quote_type" toName="{TEXT}" perRegion="true" choice="single">',
        *[f"      <Choice value={quoteattr(t)}/>" for t in QUOTE_TYPES],
        "    </Choices>",
        area("speaker_entity_id", "registry id of the quote's speaker"),
        area("group_id", "g<n>: parts of one split statement"),
        area("cluster_id", "same statement in several documents"),
        area("claimant", f"{AUTHOR_CLAIMANT} or a registry id"),
        "  </View>",
        "</View>",
        "",
    ])


def task(doc: Document, *, offset_unit: str = UTF16) -> dict[str, Any]:
    """The Label Studio task of one document, with its annotation as one completed annotation."""
    text = doc.text
    ann = doc.annotations
    result: list[dict[str, Any]] = []

    def region(rid: str, control: str, label: str, span: Span) -> dict[str, Any]:
        start, end = to_utf16(text, (span.start, span.end)) if offset_unit == UTF16 else (span.start, span.end)
        item = {"id": rid, "from_name": control, "to_name": TEXT, "type": "labels",
                "value": {"start": start, "end": end, "text": span.text, "labels": [label]}}
        result.append(item)
        return item

    def extra(of: dict[str, Any], name: str, value: Optional[str]) -> None:
        if value is None:
            return
        v = of["value"]
        kind, payload = ("choices", {"choices": [value]}) if name == "quote_type" else ("textarea", {"text": [value]})
        result.append({"id": of["id"], "from_name": name, "to_name": TEXT, "type": kind,
                       "value": {"start": v["start"], "end": v["end"], **payload}})

    for m in ann.entities:
        extra(region(m.id, ENTITY, m.label, m.span), "entity_id", m.entity_id)
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
    return {
        "data": {TEXT: text, "document_id": doc.id, "offset_unit": offset_unit},
        "annotations": [{"result": result, "was_cancelled": False, "ground_truth": False}],
    }


def export(documents: Iterable[tuple[str, Document]], *, out: Path, offset_unit: str = UTF16, **_: object) -> Report:
    """Write ``tasks.json`` (every document) and ``labeling-config.xml`` into ``out``."""
    if offset_unit not in OFFSET_UNITS:
        raise FormatError(f"unknown offset unit {offset_unit!r}; choose one of {', '.join(OFFSET_UNITS)}")
    report = Report()
    path = out / TASKS
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("[")
        for k, (_split, doc) in enumerate(documents):
            fh.write(",\n" if k else "\n")
            fh.write(json.dumps(task(doc, offset_unit=offset_unit), ensure_ascii=False, indent=1))
            report.add_all(doc.annotations)
        fh.write("\n]\n")
    (out / CONFIG).write_text(labeling_config(offset_unit=offset_unit), encoding="utf-8", newline="\n")
    report.files += [path, out / CONFIG]
    return report


# --- reading ----------------------------------------------------------------------------------


def parse_task(value: dict[str, Any], *, text: str, document_id: str, registry: dict[str, RegistryEntry],
               where: Any, used_ids: Iterable[str] = ()) -> Annotations:
    """The annotations of one exported task. ``where(path, message)`` makes the ``FormatError`` that
    names the file, line and task of a problem (``path``: the JSON path inside the task)."""
    unit = value.get("data", {}).get("offset_unit", UTF16)
    if unit not in OFFSET_UNITS:
        raise where(["data", "offset_unit"], f"unknown offset unit {unit!r}; use {' or '.join(OFFSET_UNITS)}")
    annotations = value.get("annotations")
    if not isinstance(annotations, list):
        raise where(["annotations"], "the task has no annotations list")
    live = [(i, a) for i, a in enumerate(annotations) if isinstance(a, dict) and not a.get("was_cancelled")]
    if len(live) != 1:
        raise where(["annotations"], f"the task holds {len(live)} annotations that were not cancelled; "
                                     "keep exactly one (NewsSpans has one annotation per document)")
    a_index, annotation = live[0]
    result = annotation.get("result")
    if not isinstance(result, list):
        raise where(["annotations", a_index], "the annotation has no result list")

    regions: dict[str, tuple[int, str, str, Span]] = {}  # id -> (index, control, label, span)
    order: list[str] = []
    extras: dict[str, dict[str, tuple[int, Optional[str]]]] = {}
    relations: list[tuple[int, dict[str, Any]]] = []

    def at(i: int, *rest: Any) -> list[Any]:
        return ["annotations", a_index, "result", i, *rest]

    for i, item in enumerate(result):
        if not isinstance(item, dict):
            raise where(at(i), "a result item must be an object")
        kind = item.get("type")
        if kind == "relation":
            relations.append((i, item))
            continue
        rid, control, v = item.get("id"), item.get("from_name"), item.get("value")
        if not isinstance(rid, str) or not isinstance(v, dict):
            raise where(at(i), "a result item needs an 'id' and a 'value'")
        if kind == "labels":
            if control not in (ENTITY, QUOTE, CLAIM):
                raise where(at(i, "from_name"), f"unknown labels control {control!r}; use {ENTITY}, {QUOTE} or {CLAIM}")
            labels = v.get("labels")
            allowed = {ENTITY: ENTITY_LABELS, QUOTE: (CONTENT, SPEAKER, CUE), CLAIM: CLAIM_LABELS}[control]
            if not isinstance(labels, list) or len(labels) != 1 or labels[0] not in allowed:
                raise where(at(i, "value", "labels"), f"region {rid} must carry exactly one label of {control}: {', '.join(allowed)}; got {labels!r}")
            if rid in regions:
                raise where(at(i), f"region {rid} is labelled twice (result[{regions[rid][0]}]); give each span its own region")
            span = _span(v, text=text, unit=unit, rid=rid, where=lambda m, i=i: where(at(i, "value"), m))
            regions[rid] = (i, control, labels[0], span)
            order.append(rid)
        elif kind in ("textarea", "choices"):
            names = {n for names in _PER_REGION.values() for n in names}
            if control not in names:
                raise where(at(i, "from_name"), f"unknown per-region control {control!r}; known: {', '.join(sorted(names))}")
            values = v.get("text" if kind == "textarea" else "choices")
            if not isinstance(values, list) or len(values) > 1 or not all(isinstance(x, str) for x in values):
                raise where(at(i, "value"), f"{control} of region {rid} must hold one value")
            found = values[0].strip() if values else ""
            if control in extras.get(rid, {}):
                raise where(at(i), f"region {rid} has two {control} values")
            extras.setdefault(rid, {})[control] = (i, found or None)
        else:
            raise where(at(i, "type"), f"result type {kind!r} is not used by NewsSpans (labels, textarea, choices, relation)")

    for rid, controls in extras.items():
        if rid not in regions:
            i = next(iter(controls.values()))[0]
            raise where(at(i, "id"), f"per-region value for {rid}, but there is no region {rid}")
        control = regions[rid][1]
        label = regions[rid][2]
        for name, (i, _) in controls.items():
            if name not in _PER_REGION[control] or (control == QUOTE and label != CONTENT):
                raise where(at(i, "from_name"), f"{name} does not apply to region {rid} ({control} {label})")

    parts: dict[str, dict[str, str]] = {}  # content id -> part -> region id
    part_of: dict[str, str] = {}
    for i, rel in relations:
        src, dst, labels = rel.get("from_id"), rel.get("to_id"), rel.get("labels")
        if src not in regions or dst not in regions:
            raise where(at(i), f"relation {src} -> {dst}: no such region")
        if not isinstance(labels, list) or len(labels) != 1 or labels[0] not in ("speaker", "cue"):
            raise where(at(i, "labels"), f"relation {src} -> {dst} must be labelled speaker or cue; got {labels!r}")
        part = labels[0]
        expected = SPEAKER if part == "speaker" else CUE
        if regions[src][1:3] != (QUOTE, expected) or regions[dst][1:3] != (QUOTE, CONTENT):
            raise where(at(i), f"a {part} relation goes from a {expected} region to a {CONTENT} region; {src} -> {dst} does not")
        if src in part_of:
            raise where(at(i), f"{expected} region {src} is already tied to {part_of[src]}")
        if part in parts.get(dst, {}):
            raise where(at(i), f"quote {dst} already has a {part} ({parts[dst][part]})")
        parts.setdefault(dst, {})[part] = src
        part_of[src] = dst
    for rid in order:
        i, control, label, _ = regions[rid]
        if control == QUOTE and label != CONTENT and rid not in part_of:
            raise where(at(i), f"{label} region {rid} is tied to no {CONTENT} region; draw a {label.lower()} relation to it")

    prefix_of = {ENTITY: "m", QUOTE: "q", CLAIM: "c"}
    used = set(used_ids) | {rid for rid in order if _LOCAL_ID[prefix_of[regions[rid][1]]].match(rid)}
    local: dict[str, str] = {}
    for rid in order:
        control, label = regions[rid][1], regions[rid][2]
        if control == QUOTE and label != CONTENT:
            continue
        prefix = prefix_of[control]
        if _LOCAL_ID[prefix].match(rid):
            local[rid] = rid
        else:
            local[rid] = next_id(prefix, used)
            used.add(local[rid])

    def value(rid: str, name: str, *, pattern: Optional[re.Pattern] = None, choices=None, registry_id: bool = False,
              required: bool = False) -> Optional[str]:
        found = extras.get(rid, {}).get(name)
        if found is None or found[1] is None:
            if required:
                raise where(at(regions[rid][0]), f"region {rid} has no {name}")
            return None
        i, v = found
        if choices is not None and v not in choices:
            raise where(at(i, "value"), f"{name} of {rid} is {v!r}; expected {'|'.join(choices)}")
        if pattern is not None and not pattern.match(v):
            raise where(at(i, "value"), f"{name} of {rid} is {v!r}; expected {pattern.pattern}")
        if registry_id and v not in registry:
            raise where(at(i, "value"), f"{name} of {rid}: {v!r} is not in the registry (corpus/registry.json)")
        return v

    entities, quotes, claims = [], [], []
    for rid in order:
        i, control, label, span = regions[rid]
        if control == ENTITY:
            entities.append(EntityMention(local[rid], span.start, span.end, span.text, label,
                                          value(rid, "entity_id", pattern=_SLUG, registry_id=True)))
        elif control == QUOTE and label == CONTENT:
            got = parts.get(rid, {})
            quotes.append(Quote(
                local[rid], value(rid, "quote_type", choices=QUOTE_TYPES, required=True), span,
                regions[got["speaker"]][3] if "speaker" in got else None,
                regions[got["cue"]][3] if "cue" in got else None,
                value(rid, "speaker_entity_id", pattern=_SLUG, registry_id=True),
                value(rid, "group_id", pattern=_GROUP),
                value(rid, "cluster_id", pattern=_SLUG),
            ))
        elif control == CLAIM:
            claimant = value(rid, "claimant", pattern=_SLUG) or AUTHOR_CLAIMANT
            if claimant != AUTHOR_CLAIMANT and claimant not in registry:
                raise where(at(extras[rid]["claimant"][0], "value"), f"claimant of {rid}: {claimant!r} is neither {AUTHOR_CLAIMANT!r} nor in the registry")
            claims.append(Claim(local[rid], span.start, span.end, span.text, label, claimant, value(rid, "cluster_id", pattern=_SLUG)))
    return Annotations(document_id, tuple(entities), tuple(quotes), tuple(claims))


def _span(v: dict[str, Any], *, text: str, unit: str, rid: str, where: Any) -> Span:
    start, end, stored = v.get("start"), v.get("end"), v.get("text")
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(stored, str):
        raise where(f"region {rid} needs integer start and end and its text")
    if unit == UTF16:
        cp_start, cp_end = from_utf16(text, start), from_utf16(text, end)
        if cp_start is None or cp_end is None:
            raise where(f"region {rid} {start}-{end} (UTF-16 code units): an offset falls inside a character "
                        "(a surrogate pair) or past the end of the text")
    else:
        cp_start, cp_end = start, end
    if not 0 <= cp_start < cp_end <= len(text):
        raise where(f"region {rid} {start}-{end} ({unit}): offsets outside the text")
    found = text[cp_start:cp_end]
    if found != stored:
        hint = ""
        other = CODEPOINTS if unit == UTF16 else UTF16
        alt = (start, end) if other == CODEPOINTS else (from_utf16(text, start), from_utf16(text, end))
        if None not in alt and 0 <= alt[0] < alt[1] <= len(text) and text[alt[0]:alt[1]] == stored:
            hint = f" — the offsets match in {other}: set data.offset_unit to {other!r} for this task"
        raise where(f"region {rid} {start}-{end} ({unit}): text {stored!r} != document text {found!r}{hint}")
    return Span(cp_start, cp_end, stored)


def import_(src: Path, *, corpus: Path, registry: dict[str, RegistryEntry]) -> Report:
    """Read a Label Studio JSON export (a list of tasks) and write the corpus annotation files of its
    documents, all or nothing. Raises ``FormatError`` naming the file, line and task of a problem."""
    src, corpus = Path(src), Path(corpus)
    if src.is_dir():
        src = src / TASKS
    shown = display_path(src)
    if not src.is_file():
        raise FormatError(f"{shown}: no such file")
    try:
        raw = src.read_bytes().decode("utf-8")
        tasks = json.loads(raw)
    except UnicodeDecodeError as exc:
        raise FormatError(f"{shown}: byte {exc.start} is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"{shown}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if not isinstance(tasks, list):
        raise FormatError(f"{shown}:1: expected a list of tasks (Label Studio's JSON export)")
    results: list[Annotations] = []
    seen: dict[str, int] = {}
    report = Report()
    for k, value in enumerate(tasks):
        def where(path: list[Any], message: str, k: int = k, doc: str = "?") -> FormatError:
            return FormatError(f"{shown}:{line_of(raw, [k, *path])}: task {k} (document {doc}): {message}")

        if not isinstance(value, dict) or not isinstance(value.get("data"), dict):
            raise where([], "a task must be an object with 'data'")
        doc_id = value["data"].get("document_id")
        if not isinstance(doc_id, str):
            raise where(["data"], "data.document_id is missing; tasks must come from `newsspans export labelstudio`")
        if doc_id in seen:
            raise where(["data", "document_id"], f"document {doc_id} is already in task {seen[doc_id]}")
        seen[doc_id] = k
        text = corpus_text(corpus, doc_id, src)
        task_where = lambda path, message, k=k, doc=doc_id: where(path, message, k, doc)  # noqa: E731
        if value["data"].get(TEXT) != text:
            raise task_where(["data", TEXT], "data.text differs from the corpus text; texts are never edited")
        ann = parse_task(value, text=text, document_id=doc_id, registry=registry, where=task_where,
                         used_ids=ids_in(annotation_path(corpus, doc_id)))
        results.append(ann)
        report.add_all(ann)
    report.files = write_annotations(corpus, results)
    return report
