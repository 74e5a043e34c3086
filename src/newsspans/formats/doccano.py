"""doccano: the JSONL export of a sequence-labeling project (``newsspans import doccano SRC``).

doccano writes one record per line (pandas ``to_json(orient="records", lines=True)``): the
example's ``id`` (doccano's integer), its ``text``, the metadata it was uploaded with (spread into
the record: an uploaded ``document_id`` comes back as a top-level key), and the spans, in one of two
shapes:

- a sequence-labeling project: ``"label": [[start, end, "LABEL"], ...]`` (sorted);
- with relation labeling on: ``"entities": [{"id", "start_offset", "end_offset", "label"}, ...]`` and
  ``"relations": [{"id", "from_id", "to_id", "type"}, ...]``.

Older doccano versions wrote ``"labels": [[start, end, "LABEL"], ...]`` (1.x) and an integer
``doc_id`` (0.x); both are read. ``"annotations"`` holding numeric label ids (1.x's plain
"JSONL" export) cannot be read without the project's label list, and is refused.

**Offsets.** doccano's editor (``v-annotator``, since doccano 1.6) counts offsets in UTF-16 code
units, JavaScript string indices: in "🚒 firemen", "firemen" is 3-10 in doccano and 2-9 in Python
(doccano issue 2290). The corpus counts code points, so each offset is converted (``labelstudio.Offsets``); an
offset that falls inside a surrogate pair is refused. The two units differ only after a character
outside the Basic Multilingual Plane; a document with such characters gets a note, since the file
does not say its unit: doccano before 1.6 counted code points, and a project created with "Count
grapheme clusters as one character" counts grapheme clusters; neither is read correctly after
such a character. Offsets are checked against the text in doccano's unit: integers,
``0 <= start < end <= length``.

**Documents.** The document id is, in this order: a string ``document_id`` (top-level, as doccano
exports the metadata it was uploaded with), a string ``doc_id``, ``meta.document_id`` (exports that
keep the metadata under ``meta``); they must agree. Without any, ``doccano-<id>`` from doccano's
integer ``id`` (or 0.x's integer ``doc_id``). A ``null`` counts as absent (pandas writes one where a
record lacks a key that others have). The record's text is the document's text
(``ImportRun.new_document``): a document of the corpus must have exactly that text, byte for byte;
one the corpus lacks is created with ``--new-documents``.

**Spans.** Each label goes through the import's label mapping (``ImportRun.labels``); a dropped or
skipped label makes no mention. Mentions are built as the file says: nothing is trimmed or moved,
and what breaks the guidelines (overlapping mentions, whitespace at an edge) is reported by the
validator, located at the record's line and the span as the file writes it (``[12, 18, "PER"]``,
``entity 7 [12, 18, "PER"]``). A span with the offsets and label of a mention of the file the import
replaces (the gold, or ``--annotator``'s layer) is that mention: it keeps its id and ``entity_id``
(doccano has no entity ids); any other gets a fresh id and no ``entity_id``.

**Not imported**, each counted in a note: ``relations`` (not imported yet), ``Comments`` and ``cats``
(an intent-detection project's categories).

**Files.** SRC is a ``.jsonl`` file or a folder of them (read in name order). A project with
collaborative annotation off exports one file per user (``admin.jsonl``, ...), in a zip archive
to unpack first: each file is one annotator's work and imports into that annotator's layer with
``--annotator ID``. Lines may end in CRLF; the file may start with a byte-order mark; blank lines
are skipped. A line is split at ``\\n`` only (a JSON string may hold U+2028).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..model import Annotations, EntityMention, RegistryEntry
from ..paths import display_path
from .base import FormatError, Report
from .importer import ErrorList, ImportOptions, ImportRun, KnownItems, Parsed, Source, SourceMap
from .labelstudio import Offsets

SUFFIX = ".jsonl"
#: The prefix of a document id made of doccano's own integer id.
ID_PREFIX = "doccano-"
#: The record keys that hold spans, in the order they are looked for.
SPAN_KEYS = ("label", "labels", "entities")
#: Record keys doccano exports that are not imported: key -> how a note names their items.
UNREAD = {"relations": ("relations", "relation"), "Comments": ("comments", "comment"),
          "cats": ("document categories", "document category")}
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class DoccanoSpan:
    """One span of a record as the file has it: offsets in doccano's unit (UTF-16 code units), the
    label, and how messages name it (``[12, 18, "PER"]``)."""

    start: int
    end: int
    label: str
    name: str


@dataclass(frozen=True)
class Record:
    """One line of a doccano file: where it is, its document id and text, and its spans."""

    source: Source
    document_id: str
    text: str
    spans: tuple[DoccanoSpan, ...]


# --- reading the file -------------------------------------------------------------------------


def source_files(src: Path) -> list[Path]:
    """The ``.jsonl`` files of ``src``: the file itself, or a folder's, in name order."""
    shown = display_path(src)
    if src.is_file():
        if src.suffix.lower() == ".zip":
            raise FormatError(f"{shown}: a zip archive (doccano's download); unpack it and import the .jsonl files inside "
                              "(one per user when collaborative annotation is off: each with --annotator ID)")
        return [src]
    if not src.is_dir():
        raise FormatError(f"{shown}: no such file or folder")
    files = sorted(p for p in src.iterdir() if p.suffix == SUFFIX and p.is_file() and not p.name.startswith("."))
    if not files:
        raise FormatError(f"{shown}: no {SUFFIX} files (doccano's JSONL export of a sequence-labeling project)")
    return files


def read_lines(path: Path) -> list[tuple[int, str]]:
    """The non-blank lines of a doccano file with their numbers: UTF-8, an initial byte-order mark
    dropped, split at ``\\n`` only, a trailing ``\\r`` removed. Raises ``FormatError``."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    data = data[len(_BOM):] if data.startswith(_BOM) else data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FormatError(f"{shown}:{line}: byte {exc.start} is not UTF-8; doccano writes UTF-8") from None
    lines = [(number, raw.removesuffix("\r")) for number, raw in enumerate(text.split("\n"), start=1)]
    return [(number, raw) for number, raw in lines if raw.strip()]


class _DuplicateKey(Exception):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for key, item in pairs:
        if key in value:
            raise _DuplicateKey(key)
        value[key] = item
    return value


def parse_line(raw: str, source: Source) -> dict[str, Any]:
    """The record of one line, a JSON object; ``FormatError`` located at the line otherwise."""
    try:
        value = json.loads(raw, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise FormatError(source.error(f"not JSON: {exc.msg} (column {exc.colno}); each line of a doccano "
                                       "JSONL export is one JSON object")) from None
    except _DuplicateKey as exc:
        raise FormatError(source.error(f"the key {exc.args[0]!r} appears twice in one object")) from None
    except (ValueError, RecursionError) as exc:  # an integer of thousands of digits, deep nesting
        raise FormatError(source.error(f"not a doccano record: {exc}")) from None
    if isinstance(value, list):
        raise FormatError(source.error("a JSON array (doccano's JSON export): export the project as JSONL, one record a line"))
    if not isinstance(value, dict):
        raise FormatError(source.error(f"expected a JSON object (a record), got {type(value).__name__}"))
    return value


# --- one record -------------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def document_id_of(value: dict[str, Any], source: Source) -> str:
    """The document id a record names (the module docstring gives the rule); ``FormatError`` when
    its fields disagree or name none."""
    found: dict[str, str] = {}
    meta = value.get("meta")
    candidates = [("document_id", value.get("document_id")), ("doc_id", value.get("doc_id")),
                  ("meta.document_id", meta.get("document_id") if isinstance(meta, dict) else None)]
    for name, given in candidates:
        if isinstance(given, str):
            found[name] = given
        elif given is not None and not (name == "doc_id" and _is_int(given)):  # 0.x: doccano's own integer id
            raise FormatError(source.error(f"{name} {given!r} is not a string; a document id is a string such as \"001_example\""))
    if len(set(found.values())) > 1:
        named = ", ".join(f"{name} {v!r}" for name, v in found.items())
        raise FormatError(source.error(f"the record names two documents: {named}"))
    if found:
        return next(iter(found.values()))
    number = value["id"] if "id" in value else value.get("doc_id")
    if _is_int(number) and number >= 0:
        return f"{ID_PREFIX}{number}"
    raise FormatError(source.error("no document id: upload each text to doccano with a \"document_id\" (the corpus's "
                                   "id, or the new document's), or keep doccano's integer \"id\" in the export"))


def text_of(value: dict[str, Any], source: Source) -> str:
    text = value.get("text")
    if not isinstance(text, str):
        what = "no \"text\"" if text is None else f"\"text\" is a {type(text).__name__}, not a string"
        raise FormatError(source.error(f"{what}; a record of a sequence-labeling project holds its text"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise FormatError(source.error(f"the text holds a lone surrogate (\\u{ord(text[exc.start]):04x} without its "
                                       f"pair) at {exc.start}; it cannot be stored as UTF-8")) from None
    return text


def _span_key(value: dict[str, Any], source: Source) -> str:
    keys = [key for key in SPAN_KEYS if value.get(key) is not None]
    if len(keys) > 1:
        raise FormatError(source.error(f"the record has both {keys[0]!r} and {keys[1]!r}; a doccano export has one"))
    if keys:
        return keys[0]
    if "annotations" in value:
        raise FormatError(source.error("'annotations' holds numeric label ids (doccano 1.x's plain JSONL export), "
                                       "which name no label; export the project as \"JSONL (Text label)\""))
    raise FormatError(source.error("no spans: a record of a sequence-labeling export has \"label\": [[start, end, "
                                   "\"LABEL\"], ...] (or \"entities\" with relation labeling); [] for none"))


def _item(key: str, k: int, item: Any) -> tuple[Any, Any, Any, str]:
    """start, end, label and the span's name, as the file has them; ``ValueError`` for another shape."""
    if isinstance(item, list) and len(item) == 3:
        return item[0], item[1], item[2], _json(item)
    if isinstance(item, dict) and {"start_offset", "end_offset", "label"} <= item.keys():
        start, end, label = item["start_offset"], item["end_offset"], item["label"]
        own = item.get("id")
        triple = _json([start, end, label])
        return start, end, label, (f"entity {own} {triple}" if _is_int(own) or isinstance(own, str) else f"{key}[{k}] {triple}")
    raise ValueError(f"{key}[{k}] is not [start, end, \"LABEL\"] nor {{\"start_offset\", \"end_offset\", \"label\"}}: "
                     f"{_short(item)}; is this a sequence-labeling export?")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json(value: Any) -> str:
    """``value`` as JSON, as the file writes it; escaped where it holds a lone surrogate (unprintable)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if text.isascii() or _encodable(text) else json.dumps(value)


def _short(value: Any, limit: int = 60) -> str:
    text = _json(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def spans_of(value: dict[str, Any], text: str, source: Source) -> tuple[DoccanoSpan, ...]:
    """The record's spans, each checked against the text in doccano's unit (UTF-16 code units);
    ``FormatError`` naming every bad span."""
    key = _span_key(value, source)
    items = value[key]
    if not isinstance(items, list):
        raise FormatError(source.error(f"{key!r} is a {type(items).__name__}, not a list of spans"))
    units = len(text) + len(Offsets(text).astral)
    errors = ErrorList()
    spans = []
    for k, item in enumerate(items):
        try:
            start, end, label, name = _item(key, k, item)
            problem = _span_problem(start, end, label, units)
        except ValueError as exc:
            errors.add(source, str(exc))
            continue
        if problem:
            errors.add(source, f"{name}: {problem}")
        else:
            spans.append(DoccanoSpan(start, end, label, name))
    errors.raise_if_any()
    return tuple(spans)


def _span_problem(start: Any, end: Any, label: Any, units: int) -> Optional[str]:
    if not _is_int(start) or not _is_int(end):
        return "start and end must be integers (character offsets)"
    if not isinstance(label, str) or not label.strip():
        return "the label must be a non-empty string"
    if not label.isascii() and not _encodable(label):
        return "the label holds a lone surrogate; it cannot be written as UTF-8"
    if start < 0 or end > units:
        return f"outside the text (0-{units} in UTF-16 code units, doccano's unit)"
    if start >= end:
        return "start must be below end (end is exclusive)"
    return None


def read_record(value: dict[str, Any], source: Source) -> Record:
    """A record's document id, text and spans, checked as far as the file alone allows."""
    text = text_of(value, source)
    return Record(source, document_id_of(value, source), text, spans_of(value, text, source))


# --- the import -------------------------------------------------------------------------------


def import_(src: Path, *, corpus: Path, registry: dict[str, RegistryEntry], options: Optional[ImportOptions] = None) -> Report:
    """Read a doccano JSONL export (a file, or a folder of them), build each record's entity
    mentions, check them by the validator's code path, compare the result with the corpus and write
    the changed files, all or nothing (``ImportRun``): the gold, or ``options.annotator``'s layer;
    with ``options.new_documents``, the documents the corpus lacks are created from the records'
    texts. Raises ``FormatError`` naming the file and line of every problem."""
    src = Path(src)
    options = options or ImportOptions()
    files = source_files(src)
    run = ImportRun(corpus, registry, options)
    records = 0
    for path in files:
        lines: list[tuple[int, str]] = []
        with run.document():
            lines = read_lines(path)
        if not lines:
            run.report.notes.append(f"{display_path(path)}: no records; nothing imported from it")
        for number, raw in lines:
            records += 1
            with run.document():
                _import_line(run, path, number, raw)
    if not records and not run.errors:
        raise FormatError(f"{display_path(src)}: no records to import")
    return run.finish()


def _import_line(run: ImportRun, path: Path, number: int, raw: str) -> None:
    shown = display_path(path)
    source = Source(shown, number)
    value = parse_line(raw, source)
    record = read_record(value, source)
    _refuse_line_ends(run, record)
    annotator = run.options.annotator
    doc_id = run.new_document(record.document_id, record.text.encode("utf-8"), source, f"{shown}:{number}",
                              annotator=annotator)
    parsed = build(record, document_id=doc_id, run=run, annotator=annotator)
    _note_unread(run.report, value, source)
    run.accept(parsed, record.text, annotator=annotator)


def _refuse_line_ends(run: ImportRun, record: Record) -> None:
    """A corpus document whose text differs from the record's in line ends only: say so (the
    general refusal, ``ImportRun.new_document``, says only that they differ)."""
    doc_id = record.document_id
    if doc_id not in run.text_ids():
        return
    corpus_text = run.text(doc_id, Path(record.source.file))
    if corpus_text != record.text and corpus_text.replace("\r\n", "\n") == record.text.replace("\r\n", "\n"):
        ends = "CRLF" if "\r\n" in corpus_text else "LF"
        raise FormatError(record.source.error(
            f"the text of document {doc_id} differs from the corpus's in its line ends only (the corpus has {ends}); "
            "texts are never edited: upload the corpus text to doccano byte for byte"))


def _note_unread(report: Report, value: dict[str, Any], source: Source) -> None:
    """Count, with a note, what the record holds that is not imported (relations, comments, categories)."""
    for key, (what, one) in UNREAD.items():
        items = value.get(key)
        n = len(items) if isinstance(items, list) else 0
        if not n:
            continue
        for k, item in enumerate(items):
            own = item.get("id") if isinstance(item, dict) else None
            report.ignore(what, f"{source.where} {key}[{k}]" + (f" (id {own})" if own is not None else ""))
        why = "NewsSpans does not import doccano relations yet" if key == "relations" else "not part of the corpus"
        report.notes.append(source.error(f"{n} {what if n != 1 else one} not imported ({why})"))


def build(record: Record, *, document_id: str, run: ImportRun, annotator: Optional[str] = None) -> Parsed:
    """The record's entity mentions, in text order, each label mapped (``run.labels``), and where
    each came from. A mention with the offsets and label of one in the file the import replaces
    keeps that one's id and ``entity_id``; another gets a fresh id."""
    text = record.text
    offsets = Offsets(text)
    placed = sorted((start, end, k) for k, (start, end) in enumerate(code_points(offsets, record)))
    known = KnownItems.of_document(run, document_id, annotator)
    to_unit = (lambda s, e: (offsets.to_utf16(s), offsets.to_utf16(e))) if offsets.differ else None
    sources = SourceMap(record.source, to_unit=to_unit)
    mentions: list[EntityMention] = []
    for start, end, k in placed:
        span = record.spans[k]
        source = Source(record.source.file, record.source.line, span.name)
        label = run.labels.map(span.label, source)
        if label is None:
            continue
        sources.add("entities", len(mentions), source)
        mentions.append(known.mention(start, end, text, label))
    _note_offsets(run.report, offsets, record)
    if known.matched:
        run.report.notes.append(record.source.error(
            f"{known.matched} of {len(mentions)} mention(s) have the offsets and label of a mention of the corpus, whose id "
            "and entity_id they keep"))
    return Parsed(Annotations(document_id, entities=tuple(mentions)), sources)


def code_points(offsets: Offsets, record: Record) -> list[tuple[int, int]]:
    """Each span's offsets in code points; ``FormatError`` naming every span with an offset inside
    a surrogate pair (the export counts in another unit)."""
    errors = ErrorList()
    found = []
    for span in record.spans:
        start, end = offsets.from_utf16(span.start), offsets.from_utf16(span.end)
        if start is None or end is None:
            errors.add(record.source, f"{span.name}: an offset falls inside a character outside the Basic Multilingual "
                                      "Plane (between the two UTF-16 code units of its surrogate pair); doccano 1.6 and "
                                      "later count UTF-16 code units, so this export counts otherwise (code points before "
                                      "doccano 1.6, grapheme clusters in grapheme mode), which NewsSpans does not read")
        found.append((start or 0, end or 0))
    errors.raise_if_any()
    return found


def _note_offsets(report: Report, offsets: Offsets, record: Record) -> None:
    """Say, for a text where the units differ, which unit the offsets were read in."""
    if offsets.differ and record.spans:
        n = len(offsets.astral)
        report.notes.append(record.source.error(
            f"the text has {n} character{'s' if n != 1 else ''} outside the Basic Multilingual Plane: offsets read as "
            "UTF-16 code units (doccano 1.6 and later) and converted to code points; check the spans after "
            f"{'them' if n != 1 else 'it'} if the export is from an older doccano or a project in grapheme mode"))
