"""What every importer shares: where each built item came from in the tool's file, the check of the
built annotations by the validator's own code path with its problems located back in that file,
and an import run that reports every error of every document and writes all or nothing.

An importer parses its tool's file into ``newsspans.model.Annotations``, checking only what is
about the tool's own format, and records in a ``SourceMap`` the ``Source`` (file, line, the
tool's name for it) of every item and field it builds. ``check`` serializes the annotations as
they will be written and runs ``newsspans.validation.check_annotation_file`` over them: each
``Problem`` keeps its code, message and fix, and its ``item`` (``entities[3]``,
``quotes[2].speaker``) is translated back to the line of the tool's file it came from.

``ImportRun`` runs one import: every document of the source is read (every error of every
document kept), its id checked (``document_id``: the id pattern, matched whole, and a document of
the corpus; only such an id ever names a file), merged with the corpus (``accept``: a layer the
source holds nothing of keeps the corpus's annotations unless ``allow_deletions``; ``issued``
never goes down), checked by the validator, and compared with the corpus as
``newsspans.versions.diff`` compares them (``diff_layer``: the report's ``changes``); of a document
accepted only its changes and, when its file changes, the new file are kept (nothing of one it
leaves as it is), so memory does not hold every document read. ``finish`` then refuses an import that would
empty a document layer or delete more than ``max_deletions`` of it (``ImportRefused``), and
writes the annotation files that change through ``newsspans.atomic.write_files``, all or nothing,
unless it is a dry run. An interrupted earlier write is finished first (``finish_writes``).

**Annotators' layers.** Each document read goes to a *target*: the gold
(``annotations/<document>.json``), or an annotator's layer (``layers/<annotator>/<document>.json``,
``accept(..., annotator=ID)``) of an annotator listed in ``annotators.json``. A layer is read,
merged, checked, compared and written exactly as the gold is, against its own current file: the
ids it keeps, the ``issued`` counters that never go down and the fresh ids a new item takes are
the layer file's. The report names an annotator's layer of a document ``<annotator>/<document>``.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from .. import progress
from ..corpus import (ANNOTATIONS, DOCUMENTS, LAYERS_DIR, REGISTRY, TEXTS, DocumentFiles, LenientDocument, SymlinkRefused, dumps_canonical,
                      layer_file, lenient_document, new_document_meta, read_document_files, read_file)
from ..errors import NewsSpansError
from ..labels import DOCUMENT_ID, ID_PREFIXES, SLUG, unanchored
from ..model import LAYERS, Annotations, Document, DocumentMeta, EntityMention, RegistryEntry
from ..paths import display_path
from ..atomic import finish_writes, staging, write_files
from ..validation import ERROR, Problem, check_annotation_file, line_of
from ..versions import Change, diff_layer
from ._layers import check_option_annotator, listed_annotators, not_listed, refuse_linked
from ._mapping import LabelMapper, Mapping
from ._repair import EntityMaker, Trimmer, slug
from ._users import UserMap
from .base import LAYER_NAMES, FormatError, Report

# --- where things came from -------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where an item, or one of its fields, came from in a tool's file."""

    file: str
    line: Optional[int]
    #: What the tool calls it: ``T4 PERSON 79-96``, ``region m1 0-24 (utf-16)``, ``A1 QuoteType E1``.
    label: str = ""
    #: What encloses it in the file, if anything: ``task at index 0 (document 000_x)``.
    context: str = ""
    #: The tool side's own suggestion when this span is wrong (a wrong offset unit, say).
    hint: Optional[str] = None
    #: How another item's message refers to it, when shorter than the label: ``T4``, ``region m1``.
    name: str = ""

    @property
    def where(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def ref(self) -> str:
        """How a problem of another item refers to it: its name and line."""
        name = self.name or self.label
        return name if self.line is None else f"{name} (line {self.line})"

    def error(self, message: str) -> str:
        """A format error located here: ``file:line: [context: ]message``."""
        return f"{self.where}: {self.context + ': ' if self.context else ''}{message}"


class ErrorList:
    """The format errors of one file, each located; raised together."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, source: Source, message: str) -> None:
        self.lines.append(source.error(message))

    def raise_if_any(self) -> None:
        if self.lines:
            raise FormatError.of(self.lines)


#: A source, or a function that finds it when it is needed (a line number can cost a scan of the file).
SourceLike = Union[Source, Callable[[], Source]]


def _resolve(source: SourceLike) -> Source:
    return source if isinstance(source, Source) else source()


_ITEM = re.compile(r"^(entities|quotes|claims)\[(\d+)\](?:\.(\w+))?")
_ITEM_REF = re.compile(r"\b(entities|quotes|claims)\[(\d+)\]")
_FIX_OFFSETS = re.compile(r"(did you mean )(\d+)-(\d+)")
#: Problems the validator puts on a whole item although one field of it is the cause.
_FIELD_OF_CODE = {"E-ID-DUPLICATE": "id"}
#: Problems of a span's offsets, where the tool side's hint applies.
_SPAN_CODES = {"E-SPAN-TEXT", "E-SPAN-BOUNDS", "E-SPAN-ORDER"}


class SourceMap:
    """The ``Source`` of each built item, ``(layer, position)``, and of its fields,
    ``(layer, position, field)``; anything unmapped is located at ``whole`` (the file, the task).
    Each may be given as a function that finds it, called only for an item with a problem.

    ``to_unit(start, end)`` converts code-point offsets into the tool's offset unit, for the
    offsets a fix suggests (None: the tool counts code points)."""

    def __init__(self, whole: SourceLike, *, to_unit: Optional[Callable[[int, int], tuple[int, int]]] = None):
        self._whole = whole
        self.to_unit = to_unit
        self._sources: dict[tuple, SourceLike] = {}

    @property
    def whole(self) -> Source:
        return _resolve(self._whole)

    def add(self, layer: str, position: int, source: SourceLike, **fields: Optional[SourceLike]) -> None:
        self._sources[(layer, position)] = source
        for name, found in fields.items():
            if found is not None:
                self._sources[(layer, position, name)] = found

    def locate(self, layer: str, position: int, field_name: Optional[str] = None) -> Source:
        found = self._sources.get((layer, position, field_name)) if field_name else None
        if found is None:
            found = self._sources.get((layer, position), self._whole)
        return _resolve(found)

    def relocate(self, problem: Problem, ann: Annotations) -> Problem:
        """``problem`` (found in the serialized ``ann``) located in the tool's file instead."""
        match = _ITEM.match(problem.item or "")
        message = _ITEM_REF.sub(lambda m: self.locate(m[1], int(m[2])).ref(), problem.message)
        if match is None:
            source = self.whole
        else:
            layer, position = match[1], int(match[2])
            source = self.locate(layer, position, match[3] or _FIELD_OF_CODE.get(problem.code))
            if problem.code == "E-ID-DUPLICATE":  # "at line N" of the annotation file, which the tool's user never saw
                message = re.sub(r"at line \d+", f"by {self._first_with_same_id(ann, layer, position).ref()}", message)
        item = f"{source.context}: {source.label}" if source.context else source.label
        return Problem(problem.code, message, file=source.file, line=source.line, document_id=problem.document_id,
                       item=item or None, fix=self._fix(problem, source))

    def _first_with_same_id(self, ann: Annotations, layer: str, position: int) -> Source:
        wanted = getattr(ann, layer)[position].id
        for other in LAYERS:
            for k, x in enumerate(getattr(ann, other)):
                if x.id == wanted:
                    return self.locate(other, k, "id")
        return self.whole

    def _fix(self, problem: Problem, source: Source) -> Optional[str]:
        fix = problem.fix
        if fix and self.to_unit is not None:
            fix = _FIX_OFFSETS.sub(lambda m: m[1] + "-".join(map(str, self.to_unit(int(m[2]), int(m[3])))), fix)
        if source.hint and problem.code in _SPAN_CODES:
            fix = source.hint + (f" (else: {fix})" if fix else "")
        return fix


@dataclass
class Parsed:
    """A tool file's annotations, and where each of their items came from."""

    annotations: Annotations
    sources: SourceMap


# --- the validator's code path ----------------------------------------------------------------


def check(parsed: Parsed, *, text: str, registry: Optional[dict[str, RegistryEntry]],
          path: Union[str, Path] = "<imported>", annotator: Optional[str] = None) -> list[Problem]:
    """Check ``parsed`` over its document's ``text`` as the validator checks the annotation file it
    will be written as (at ``path``: the gold's, or ``annotator``'s layer). Raises ``FormatError`` holding every error, located in the
    tool's file; returns the warnings, located likewise."""
    ann = parsed.annotations
    data = dumps_canonical(ann.to_dict()).encode("utf-8")
    problems = check_annotation_file(data, path=path, text=text, document_id=ann.document_id, registry=registry,
                                     annotator=annotator)
    located = sorted((parsed.sources.relocate(p, ann) for p in problems), key=lambda p: p.line or 0)
    errors = [p for p in located if p.severity == ERROR]
    if errors:
        raise FormatError.of([str(p) for p in errors], problems=errors)
    return located


#: How many corpus states an import keeps at most (``ImportRun.corpus_state``): a document's is
#: dropped once it is accepted, and these bound those of documents that failed before.
_STATES_KEPT = 16

#: The default of ``ImportOptions.max_deletions`` (``--max-deletions``).
DEFAULT_MAX_DELETIONS = 0.5


@dataclass(frozen=True)
class ImportOptions:
    """How an import treats the corpus.

    ``dry_run``: compare and report, write nothing. ``allow_deletions``: take the source as the
    whole truth about each document it holds (a layer it holds nothing of is emptied) and lift the
    deletion limit. ``max_deletions``: without ``allow_deletions``, a document layer that would
    lose all its annotations, or more than this share of them (0 to 1), refuses the import.

    Whose annotation the source is (none of them: the gold): ``annotator``, one annotator's
    (``--annotator ID``); ``users``, the annotator of each Label Studio user (``completed_by``);
    ``layers``, one folder per annotator (brat).

    ``mapping``, ``new_documents``, ``story_id``, ``language``, ``trim``, ``create_entities``: see
    their comments."""

    dry_run: bool = False
    allow_deletions: bool = False
    max_deletions: float = DEFAULT_MAX_DELETIONS
    annotator: Optional[str] = None
    users: Optional[UserMap] = None
    layers: bool = False
    #: What the source's labels are (``--mapping FILE``); None: the 18 types only (``_mapping``).
    mapping: Optional[Mapping] = None
    #: Create the documents the source brings with their texts that the corpus does not have
    #: (``--new-documents``), as ``add`` does, with ``story_id`` (default: each its own story,
    #: the id made a slug) and ``language``.
    new_documents: bool = False
    story_id: Optional[str] = None
    language: str = "en"
    #: Trim span edges that break the guidelines (``--trim``), and link or create the registry
    #: entries of mentions without an id (``--create-entities``); each change listed (``_repair``).
    trim: bool = False
    create_entities: bool = False
    #: CoNLL: the column of the entity tags (1 is the token's; default: the last).
    tag_column: Optional[int] = None

    def __post_init__(self) -> None:
        share = self.max_deletions
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
            raise FormatError(f"max_deletions must be a share between 0 and 1, got {share!r}")
        if self.annotator is not None:
            check_option_annotator(self.annotator)
            if self.users or self.layers:
                raise FormatError("--annotator takes the whole source as one annotator's; it cannot be combined with "
                                  + ("--annotator-map or --map-annotator" if self.users else "--layers"))


class ImportRefused(FormatError):
    """An import that would delete too much of the corpus; nothing was written. ``report`` holds
    what the import would change, ``refusals`` one line per document layer refused."""

    def __init__(self, message: str, *, report: Report, refusals: list[str]):
        super().__init__(message)
        self.report = report
        self.refusals = refusals


@dataclass
class _CorpusState:
    """One document's annotation file as the corpus holds it: its bytes and text, what lenient
    reading makes of it (None: unreadable or missing), its annotations with their ``issued``
    counters (empty when unreadable), and every id it uses."""

    files: DocumentFiles
    found: Optional[LenientDocument]
    annotations: Annotations
    raw: str
    ids: set[str]

    @classmethod
    def read(cls, corpus: Path, doc_id: str, annotator: Optional[str] = None) -> "_CorpusState":
        """The gold annotation file of ``doc_id``, or ``annotator``'s layer file of it."""
        files = read_document_files(corpus, doc_id)
        if annotator is not None:
            files = _layer_files(corpus, files, annotator)
        found = lenient_document(files)
        try:
            raw = files.annotations.decode("utf-8") if files.annotations is not None else ""
            value = json.loads(raw) if raw else None
        except (ValueError, RecursionError):
            raw, value = "", None
        value = value if isinstance(value, dict) else {}
        ids = {x["id"] for layer in LAYERS for x in value.get(layer, []) if isinstance(x, dict) and isinstance(x.get("id"), str)} \
            if all(isinstance(value.get(layer, []), list) for layer in LAYERS) else set()
        if found is None:
            return cls(files, None, Annotations(doc_id), raw, ids)
        # The lenient reader keeps the file's ``issued`` counters (derived from the ids when malformed).
        return cls(files, found, found.document.annotations, raw, ids)


def _layer_files(corpus: Path, files: DocumentFiles, annotator: str) -> DocumentFiles:
    """A document's files with ``annotator``'s layer file in place of the gold's."""
    refuse_linked(corpus, annotator)
    rel = layer_file(annotator, files.document_id)
    links = [n for n in files.links if n != files.names[2]]
    try:
        data = read_file(corpus / rel)
    except SymlinkRefused:
        data = None
        links.append(rel)
    return replace(files, names=(files.names[0], files.names[1], rel), annotations=data, links=tuple(links))


def target_file(doc_id: str, annotator: Optional[str] = None) -> str:
    """The corpus file an import writes, relative to the corpus: the gold, or an annotator's layer."""
    return f"{ANNOTATIONS}/{doc_id}.json" if annotator is None else layer_file(annotator, doc_id)


def part_key(doc_id: str, annotator: Optional[str] = None) -> str:
    """How a report names what an import writes: ``<document>``, or ``<annotator>/<document>``."""
    return doc_id if annotator is None else f"{annotator}/{doc_id}"


def item_key(layer: str, item: Any) -> tuple:
    """How ``KnownItems`` finds an item again: its offsets and label (a quote: its content's offsets)."""
    if layer == "quotes":
        return (item.content.start, item.content.end)
    return (item.start, item.end, item.label)


class KnownItems:
    """For a format that carries no NewsSpans ids (CoNLL, doccano, a mapped Label Studio project):
    an item with the key (``item_key``) of one in the file the import replaces (the gold, or the
    annotator's layer) is that item, and keeps its id and the fields the format does not carry;
    any other takes a fresh id, never one in ``used`` (``ids``). ``matched`` counts the former."""

    def __init__(self, held: Annotations, used: Iterable[str]):
        self.held = {layer: {item_key(layer, x): x for x in getattr(held, layer)} for layer in LAYERS}
        self.ids = FreshIds(used)
        self.matched = 0

    @classmethod
    def of_document(cls, run: "ImportRun", doc_id: str, annotator: Optional[str] = None) -> "KnownItems":
        return cls(run.corpus_state(doc_id, annotator).annotations, run.used_ids(doc_id, annotator))

    def match(self, layer: str, key: tuple) -> Any:
        """The held item of ``layer`` at ``key`` that no other item matched yet, or None."""
        found = self.held[layer].pop(key, None)
        self.matched += found is not None
        return found

    def fresh_id(self, layer: str) -> str:
        return self.ids.fresh(ID_PREFIXES[layer])

    def mention(self, start: int, end: int, text: str, label: str) -> EntityMention:
        """The mention of ``text[start:end]`` typed ``label``: the held one there, or a new one."""
        same = self.match("entities", (start, end, label))
        if same is not None:
            return EntityMention(same.id, start, end, text[start:end], label, same.entity_id)
        return EntityMention(self.fresh_id("entities"), start, end, text[start:end], label, None)


@dataclass
class _Pending:
    """One document read from the source, reduced to what ``finish`` needs, so that an import holds
    no document whole once it is read: what the import changes in it (``versions.diff_layer``),
    how many items each layer of the corpus file had, and the file to write when it changes."""

    changes: list[Change]
    had: dict[str, int]  # layer -> items in the corpus's file
    data: Optional[bytes]  # the annotation file as it will be written; None when it is unchanged
    rel: str  # the file, relative to the corpus (``target_file``)


class ImportRun:
    """One import: documents read one by one, every error of every document kept; at the end the
    result is compared with the corpus, checked against the deletion limit and written all or
    nothing (``newsspans.atomic.write_files``), unless there is any error or it is a dry run."""

    def __init__(self, corpus: Path, registry: dict[str, RegistryEntry], options: Optional[ImportOptions] = None):
        self.corpus = Path(corpus)
        self.registry = registry
        self.options = options or ImportOptions()
        self.errors: list[str] = []
        self.problems: list[Problem] = []
        self.pending: dict[str, _Pending] = {}
        self.report = Report(dry_run=self.options.dry_run)
        self._first_read: dict[tuple[Optional[str], str], str] = {}
        self._states: dict[tuple[Optional[str], str], _CorpusState] = {}
        self._text_ids: Optional[set[str]] = None
        self._listed = set(listed_annotators(self.corpus))
        self._unlisted: dict[str, None] = {}
        #: The entity labels of the source through the mapping: every importer maps labels with it.
        self.labels = LabelMapper(self.options.mapping)
        #: The texts, metadata and empty gold files of the documents the import creates.
        self.new_files: dict[str, bytes] = {}
        self._new_texts: dict[str, str] = {}
        self._last_text: tuple[Optional[str], str] = (None, "")
        self.registry = dict(registry)  # grows with --create-entities
        self._entities = EntityMaker(self.registry) if self.options.create_entities else None
        if self.options.annotator is not None and self.options.annotator not in self._listed:
            raise FormatError(not_listed(self.corpus, self.options.annotator))
        if finish_writes(self.corpus):
            self.report.notes.append(f"{display_path(self.corpus)}: an interrupted earlier write was completed first")

    def check_annotator(self, annotator: Optional[str]) -> None:
        """Note an annotator the corpus does not list; ``finish`` refuses the import, naming each."""
        if annotator is not None and annotator not in self._listed:
            self._unlisted[annotator] = None

    @contextmanager
    def document(self) -> Iterator[None]:
        """A block that reads one document: its ``FormatError`` is kept and the run goes on."""
        try:
            yield
        except FormatError as exc:
            self.errors += exc.errors
            self.problems += exc.problems

    def document_id(self, doc_id: object, source: SourceLike, part: str, *, annotator: Optional[str] = None) -> str:
        """``doc_id`` (as the tool's file names it, at ``source``, in the ``part`` of the source named
        so: a file, a task) when it is the id of a document of the corpus that no other part of the
        source holds (for ``annotator``: for that annotator); raises ``FormatError`` otherwise. Only
        such an id ever names a file, so nothing outside ``corpus/annotations/`` and
        ``corpus/layers/`` is ever written. ``source`` may be a function that finds it, called
        only for an error (finding a line can cost a scan of the source)."""
        if not isinstance(doc_id, str) or not DOCUMENT_ID_RE.fullmatch(doc_id):
            raise FormatError(_resolve(source).error(f"{doc_id!r} is not a document id (letters, digits, '_', '.' and '-', "
                                                     "starting with a letter or digit)"))
        if doc_id not in self.text_ids():
            path = self.corpus / TEXTS / f"{doc_id}.txt"
            raise FormatError(_resolve(source).error(f"no document {doc_id!r} in the corpus ({display_path(path)} is missing); "
                                                     "add the text with `newsspans add` first"))
        if (annotator, doc_id) in self._first_read:
            raise FormatError(_resolve(source).error(f"document {doc_id} is already in {self._first_read[(annotator, doc_id)]}"))
        self._first_read[(annotator, doc_id)] = part
        return doc_id

    def text_ids(self) -> set[str]:
        """The ids of the corpus documents that have a text (listed once, exact case)."""
        if self._text_ids is None:
            try:
                with os.scandir(self.corpus / TEXTS) as it:
                    self._text_ids = {e.name[:-4] for e in it if e.name.endswith(".txt") and e.is_file(follow_symlinks=False)}
            except OSError:
                self._text_ids = set()
        return self._text_ids

    def text(self, doc_id: str, source: Path) -> str:
        """The text of ``doc_id``: created by this import, or the corpus's (the last one read is kept,
        so that ``new_document``'s comparison and the importer's reading read the file once)."""
        if doc_id in self._new_texts:
            return self._new_texts[doc_id]
        if self._last_text[0] != doc_id:
            self._last_text = (doc_id, corpus_text(self.corpus, doc_id, source))
        return self._last_text[1]

    def new_document(self, doc_id: object, data: bytes, source: SourceLike, part: str, *, annotator: Optional[str] = None) -> str:
        """The document ``doc_id`` that the source brings with its text ``data`` (at ``source``, in
        ``part``). A document of the corpus must have exactly that text (texts are never edited);
        one the corpus does not have is created, with ``new_documents``, as ``add`` creates it
        (the text byte for byte, its metadata, an empty gold file), in the import's one write;
        without, refused. ``annotator``: whose annotations of it the source holds. Raises ``FormatError``."""
        if isinstance(doc_id, str) and doc_id in self.text_ids():  # the corpus's, or created by this import
            doc_id = self.document_id(doc_id, source, part, annotator=annotator)
            if self.text(doc_id, Path(part)).encode("utf-8") != data:
                raise FormatError(_resolve(source).error(f"the text of document {doc_id} differs from the corpus's "
                                                         f"({display_path(self.corpus / TEXTS / (doc_id + '.txt'))}); texts are never "
                                                         "edited, and offsets refer to the corpus text"))
            return doc_id
        if not isinstance(doc_id, str) or not DOCUMENT_ID_RE.fullmatch(doc_id):
            return self.document_id(doc_id, source, part)  # raises, naming the id pattern
        if not self.options.new_documents:
            raise FormatError(_resolve(source).error(f"no document {doc_id!r} in the corpus; import with --new-documents to create "
                                                     "it from the source's text (as `newsspans add` does), or add the text first"))
        story = self.options.story_id or slug(doc_id)
        try:
            meta = new_document_meta(doc_id, data, corpus=self.corpus, story_id=story, language=self.options.language,
                                     shown=part)
        except NewsSpansError as exc:
            raise FormatError(_resolve(source).error(str(exc))) from None
        self._first_read[(annotator, doc_id)] = part
        self.text_ids().add(doc_id)
        self._new_texts[doc_id] = data.decode("utf-8")
        self.new_files[f"{TEXTS}/{doc_id}.txt"] = data
        self.new_files[f"{DOCUMENTS}/{doc_id}.json"] = dumps_canonical(meta.to_dict()).encode("utf-8")
        self.new_files[f"{ANNOTATIONS}/{doc_id}.json"] = dumps_canonical(Annotations(doc_id).to_dict()).encode("utf-8")
        self.report.notes.append(f"{part}: new document {doc_id} (story {story}), created with its text as `newsspans add` does")
        return doc_id

    def corpus_state(self, doc_id: str, annotator: Optional[str] = None) -> "_CorpusState":
        """The document's annotation file (``annotator``'s layer file) as the corpus holds it (read
        once per import)."""
        if (annotator, doc_id) not in self._states:
            while len(self._states) >= _STATES_KEPT:  # those of documents that failed before ``accept``
                del self._states[next(iter(self._states))]
            self._states[(annotator, doc_id)] = _CorpusState.read(self.corpus, doc_id, annotator)
        return self._states[(annotator, doc_id)]

    def used_ids(self, doc_id: str, annotator: Optional[str] = None) -> set[str]:
        """Ids a new item of ``doc_id`` must not take: those of the annotation file it replaces (gold,
        or ``annotator``'s layer), and every id the file records as issued (``m53`` stands for
        ``issued.entities`` = 53)."""
        state = self.corpus_state(doc_id, annotator)
        issued = state.annotations.issued
        return state.ids | {f"{ID_PREFIXES[layer]}{issued[layer]}" for layer in LAYERS}

    def accept(self, parsed: Parsed, text: str, *, annotator: Optional[str] = None) -> None:
        """Check ``parsed`` (raising its errors) and keep it for writing, as the gold or as
        ``annotator``'s layer; warnings become notes.

        The result is the corpus's annotation file updated with the layers the source holds
        (``Annotations.updated``: its ``issued`` counters never go down). A layer of which the
        source holds nothing keeps the corpus's annotations (unless ``allow_deletions``): a tool's
        file with no quotes in it never empties a document's quotes by accident."""
        doc_id = parsed.annotations.document_id
        self.check_annotator(annotator)
        parsed = self._repaired(parsed, text)
        rel = target_file(doc_id, annotator)
        key = part_key(doc_id, annotator)
        path = self.corpus / rel
        state = self.corpus_state(doc_id, annotator)
        if state.found is None and state.files.annotations is not None:
            self.report.notes.append(f"{display_path(path)}: cannot be read; the import replaces it whole")
        self.report.add_all(parsed.annotations)
        parsed = self._merge(parsed, state, path, key)
        warnings = check(parsed, text=text, registry=self.registry, path=path, annotator=annotator)
        new = parsed.annotations
        old = state.found.document if state.found is not None else Document(
            DocumentMeta(doc_id, None, None, f"{doc_id}.txt", "", "", ""), text, state.annotations)
        old, data = replace(old, annotations=state.annotations), dumps_canonical(new.to_dict()).encode("utf-8")
        changes = [c for layer in LAYERS for c in diff_layer(key, layer, old, replace(old, annotations=new))]
        if changes or data != state.files.annotations:  # a document the import leaves as it is needs nothing more
            self.pending[key] = _Pending(changes, {layer: len(getattr(state.annotations, layer)) for layer in LAYERS},
                                         data if data != state.files.annotations else None, rel)
        self._states.pop((annotator, doc_id), None)  # read once per import: never needed again
        self.report.documents.append(key)
        self.report.notes += [str(p) for p in warnings]
        progress.advance()

    def _repaired(self, parsed: Parsed, text: str) -> Parsed:
        """``parsed`` trimmed and with entity ids, as the options ask; each change noted at its source."""
        ann = parsed.annotations
        if self.options.trim:
            trimmer = Trimmer(text)
            ann = trimmer.annotations(ann)
            for layer, k, name, old, new in trimmer.changes:
                where = parsed.sources.locate(layer, k, None if name == "span" else name)
                what = "" if name == "span" else f" {name}"
                self.report.notes.append(where.error(f"{where.label}:{what} trimmed {old[0]}-{old[1]} to {new[0]}-{new[1]} "
                                                     f"{text[new[0]:new[1]]!r} (--trim)"))
                self.report.trimmed += 1
        if self._entities is not None:
            def linked(k: int, m: EntityMention, entity_id: str) -> None:
                where = parsed.sources.locate("entities", k)
                self.report.notes.append(where.error(f"{where.label}: {m.label} {m.text!r} given the registry id "
                                                     f"{entity_id!r} (--create-entities)"))
            ann = self._entities.annotations(ann, linked)
        return parsed if ann is parsed.annotations else Parsed(ann, parsed.sources)

    def _merge(self, parsed: Parsed, state: "_CorpusState", path: Path, key: str) -> Parsed:
        """The corpus file updated with ``parsed``'s layers: every layer with ``allow_deletions`` (or
        when the corpus file cannot be read), else those of which the source holds anything."""
        ann, old = parsed.annotations, state.annotations
        if self.options.allow_deletions or state.found is None:
            absent: list[str] = []
        else:
            absent = [layer for layer in LAYERS if not getattr(ann, layer) and getattr(old, layer)]
        merged = old.updated(**{layer: getattr(ann, layer) for layer in LAYERS if layer not in absent})
        if not absent:
            return Parsed(merged, parsed.sources)
        assert state.found is not None
        shown = display_path(path)
        for layer in absent:
            for k, position in enumerate(state.found.positions[layer]):
                item = getattr(old, layer)[k]
                parsed.sources.add(layer, k, _corpus_source(shown, state.raw, [layer, position], f"{layer}[{position}] {item.id}"))
            self.report.kept[(key, LAYER_NAMES[layer])] = len(getattr(old, layer))
        kept = [f"{len(getattr(old, layer))} {LAYER_NAMES[layer]}" for layer in absent]
        self.report.notes.append(parsed.sources.whole.error(
            f"holds no {_listing([LAYER_NAMES[layer] for layer in absent], 'or')}: the corpus's {_listing(kept, 'and')} "
            "are kept (with --allow-deletions, a layer absent from the source is emptied)"))
        return Parsed(merged, parsed.sources)

    def finish(self) -> Report:
        """Compare the result with the corpus and write every changed annotation file, all or
        nothing; raise every error (``FormatError``) or the refusal (``ImportRefused``) and write
        nothing; with ``dry_run``, write nothing either way."""
        errors = [not_listed(self.corpus, a) for a in self._unlisted] + self.errors
        try:
            self.labels.finish(self.report)
        except FormatError as exc:
            errors += exc.errors
        if errors:
            raise FormatError.of(errors, problems=self.problems)
        report = self.report
        # What ``versions.diff`` of the corpus and the import gives: each document's changes, by document.
        report.changes = [c for key in sorted(self.pending) for c in self.pending[key].changes]
        report.rewritten = [d for d, p in self.pending.items() if p.data is not None]
        targets = {**self.new_files, **{p.rel: p.data for p in self.pending.values() if p.data is not None}}
        if self._entities is not None and self._entities.created:
            self._check_registry_whole()
            targets[REGISTRY] = dumps_canonical({"entities": [e.to_dict() for e in sorted(
                self.registry.values(), key=lambda e: e.entity_id)]}).encode("utf-8")
            report.created_entities = [e.entity_id for e in self._entities.created.values()]
            report.notes.append("new registry entries, for review (name, aliases and Wikidata id are the text's "
                                "surface form and none): " + ", ".join(
                                    f"{e.entity_id} ({e.type} {e.name!r})" for e in self._entities.created.values()))
        report.files = [self.corpus / rel for rel in targets]
        report.refusals = self._refusals()
        if report.refusals and not self.options.dry_run:
            raise ImportRefused(refusal_message(report.refusals, self.options.max_deletions), report=report, refusals=report.refusals)
        if targets and not self.options.dry_run:
            for rel in targets:  # only checked ids name files; say so once more before writing
                if not (_TARGET_RE.fullmatch(rel) or (rel in self.new_files and _NEW_RE.fullmatch(rel)) or rel == REGISTRY):
                    raise FormatError(f"refusing to write {rel}: not a document's gold or layer file")
            write_corpus_files(self.corpus, targets)
        return report

    def _check_registry_whole(self) -> None:
        """``FormatError`` unless registry.json holds exactly the entries read (a rewrite must drop none)."""
        path = self.corpus / REGISTRY
        try:
            value = json.loads(path.read_bytes().decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            value = None
        items = value.get("entities") if isinstance(value, dict) else None
        if not isinstance(items, list) or len(items) != len(self.registry) - len(self._entities.created):
            raise FormatError(f"{display_path(path)}: cannot be read whole, so --create-entities cannot add to it; "
                              "run `newsspans validate` and fix it first (nothing was written)")

    def _refusals(self) -> list[str]:
        """One line per document layer that would lose all its annotations, or more than the share
        allowed, unless deletions are allowed."""
        if self.options.allow_deletions:
            return []
        refusals = []
        counts = self.report.counts()
        for doc_id, pending in self.pending.items():
            for layer in LAYERS:
                had = pending.had[layer]
                removed = counts.get(doc_id, {}).get(layer, {}).get("removed", 0)
                if had and removed and (removed == had or removed / had > self.options.max_deletions):
                    what = "all" if removed == had else f"{removed / had:.0%}"
                    refusals.append(f"{doc_id} {LAYER_NAMES[layer]}: {removed} of {had} removed ({what})")
        return refusals


def refusal_message(refusals: list[str], share: float) -> str:
    """The one message of a refused import: each document layer with its counts, and the way out."""
    n = len(refusals)
    return (f"refused, nothing was written: {n} document layer{'s' if n != 1 else ''} would lose all "
            f"{'their' if n != 1 else 'its'} annotations or more than {share:.0%} of them (--max-deletions {share:g}):"
            + "".join(f"\n  {r}" for r in refusals)
            + "\nreview the changes listed (--dry-run shows them and writes nothing), then pass --allow-deletions "
              "to import them anyway")


def _listing(items: list[str], last: str) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def _corpus_source(file: str, raw: str, path: list, label: str) -> Callable[[], Source]:
    """Where an item kept from the corpus annotation file is, found when a problem needs it."""
    return lambda: Source(file, line_of(raw, path) if raw else None, label)


# --- the corpus side --------------------------------------------------------------------------

#: Document ids (``newsspans.labels.DOCUMENT_ID``); use ``fullmatch``: ``$`` accepts a trailing newline.
DOCUMENT_ID_RE = re.compile(DOCUMENT_ID)
#: The files an import may write: ``annotations/<document>.json``, ``layers/<annotator>/<document>.json``.
_TARGET_RE = re.compile(rf"(?:{ANNOTATIONS}|{LAYERS_DIR}/{unanchored(SLUG)})/{unanchored(DOCUMENT_ID)}\.json")
#: The files of a new document: its text and metadata (and its gold file, above).
_NEW_RE = re.compile(rf"(?:{TEXTS}/{unanchored(DOCUMENT_ID)}\.txt|{DOCUMENTS}/{unanchored(DOCUMENT_ID)}\.json)")


def write_corpus_files(corpus: Path, files: dict[str, bytes]) -> None:
    """Write annotation files (``annotations/``, ``layers/<annotator>/``) all or nothing: a layer
    folder that does not exist yet is staged whole beside its place and put there in the same
    step (``layers/`` itself when missing), so a refused or killed write leaves no empty folder."""
    layers = corpus / LAYERS_DIR
    new = sorted({rel.split("/")[1] for rel in files if rel.startswith(LAYERS_DIR + "/") and not (layers / rel.split("/")[1]).is_dir()})
    for annotator in new:
        refuse_linked(corpus, annotator)
    if not new:
        write_files(corpus, files)
        return
    with ExitStack() as stack:
        if layers.is_dir():
            staged = {a: stack.enter_context(staging(layers / a, purpose="import")) for a in new}
            folders = {f"{LAYERS_DIR}/{a}": staged[a] for a in new}
        else:
            top = stack.enter_context(staging(layers, purpose="import"))
            staged = {a: top / a for a in new}
            folders = {LAYERS_DIR: top}
        rest = {}
        for rel, data in files.items():
            parts = rel.split("/")
            if parts[0] == LAYERS_DIR and parts[1] in staged:
                staged[parts[1]].mkdir(exist_ok=True)
                (staged[parts[1]] / parts[2]).write_bytes(data)
            else:
                rest[rel] = data
        write_files(corpus, rest, folders=folders)


_NUMBER = re.compile(r"[0-9]{1,18}")


def _highest(prefix: str, used: Iterable[str]) -> int:
    """The highest number of an id ``<prefix><number>`` in ``used`` (0 for none; ASCII digits
    only: ``str.isdigit`` also accepts ``²``, which ``int`` refuses)."""
    cut = len(prefix)
    return max((int(i[cut:]) for i in used if isinstance(i, str) and i.startswith(prefix) and _NUMBER.fullmatch(i[cut:])),
               default=0)


class FreshIds:
    """The ids in use in one annotation file, and fresh ones handed out (the one place an import
    makes local ids): a fresh id with a prefix is one past the highest number of that prefix in
    use, each in O(1) instead of a pass over every id in use (a document with thousands of regions
    drawn in Label Studio would otherwise cost thousands x thousands). The highest number of a
    prefix is found once, at its first fresh id, and kept up as ids are taken."""

    def __init__(self, used: Iterable[str] = ()):
        self.used: set[str] = set(used)
        self._top: dict[str, int] = {}

    def __contains__(self, local_id: object) -> bool:
        return local_id in self.used

    def take(self, local_id: str) -> None:
        """Count ``local_id`` as in use (an id an item keeps)."""
        self.used.add(local_id)
        for prefix in self._top:
            self._top[prefix] = max(self._top[prefix], _highest(prefix, (local_id,)))

    def fresh(self, prefix: str) -> str:
        """One past the highest number of an id ``<prefix><number>`` in use, then in use."""
        if prefix not in self._top:
            self._top[prefix] = _highest(prefix, self.used)
        self._top[prefix] += 1
        new = f"{prefix}{self._top[prefix]}"
        self.used.add(new)
        return new


def corpus_text(corpus: Path, doc_id: str, source: Path) -> str:
    path = corpus / TEXTS / f"{doc_id}.txt"
    if path.is_symlink():
        raise FormatError(f"{display_path(path)} is a symbolic link; the corpus holds only regular files, "
                          "and a link is never followed (`newsspans validate` reports it)")
    if not path.is_file():
        raise FormatError(f"{display_path(source)}: no document {doc_id!r} in the corpus ({display_path(path)} is missing); "
                          "add the text with `newsspans add` first")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{display_path(path)}: byte {exc.start} is not UTF-8") from None
    except OSError as exc:
        raise FormatError(f"{display_path(path)}: cannot be read: {exc.strerror or exc}") from None
