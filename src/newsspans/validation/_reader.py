"""The corpus on disk: its layout, and reading its files into model objects or problems.

Layout of a corpus folder::

    dataset.json                 version (the one place), name, licence
    registry.json                the entity registry
    texts/<id>.txt               the document texts, byte for byte as received
    documents/<id>.json          per-document metadata
    annotations/<id>.json        standoff annotations: entities, quotes, claims (gold)

and, all optional: ``annotators.json`` (who made the layers), ``layers/<annotator>/<id>.json``
(each annotator's annotation of a document, checked as gold's file is, against the same text, in
the same worker), ``decisions/<id>.jsonl`` (adjudication decisions, one per line) and
``suggestions/<id>.json`` (``newsspans suggest``'s pre-annotation: checked, in the same worker, as an
annotation file is, with the exceptions that fit suggestions; read only by a ``Corpus`` made with
``suggestions=True``, as ``validate`` and the build make it).

Reading never raises for bad input: every reader returns what it could read plus the problems
it found, and gives up on a unit (a file, a document) whose structure is broken so that no
dependent check runs on garbage.
"""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import AbstractSet, Any, Callable, Iterator, Optional, Union

from .. import progress
from ..corpus import (ANNOTATORS, DATASET, REGISTRY, DocumentFiles, SymlinkRefused, decisions_file, layer_file, read_file,
                      suggestions_file)
from ..model import LAYERS, Annotations, Annotator, Claim, Document, DocumentMeta, EntityMention, Quote, RegistryEntry
from ..errors import NewsSpansError
from ..labels import GOLD
from ..paths import display_path, sha256_hex
from . import _checks as checks
from . import _parallel
from ._annotators import check_annotators
from ._decisions import check_decisions
from ._digests import FoldedDigests
from ._files import Chunk, FolderFiles, PackedFiles, open_files
from ._parallel import default_workers, paused_gc
from ._parse import decode as _decode
from ._parse import parse_json, symlink_problem
from ._problems import CorpusInvalid, Problem
from ._schemacheck import SchemaResult, check_schema
from ._sources import NO_SOURCES, SourceIndex, index_problems


@dataclass
class JsonFile:
    """A JSON file read and checked against the schema of its kind."""

    #: The parsed value; None when the file did not decode or parse, or its top level broke the schema.
    value: Any
    #: The decoded text; None when it did not decode.
    raw: Optional[str]
    problems: list[Problem]
    #: How far schema violations reach (items of an annotation layer left out, or the whole file).
    schema: SchemaResult


def read_json(path: Path, kind: str, document_id: Optional[str] = None) -> JsonFile:
    """Read the JSON file at ``path`` (never through a symbolic link) and check it against the
    schema of ``kind``."""
    try:
        data = read_file(path)
    except SymlinkRefused:
        return JsonFile(None, None, [symlink_problem(path, document_id)], SchemaResult(file_broken=True))
    if data is None:
        problem = Problem("E-FILE-MISSING", "required file is missing", file=display_path(path), document_id=document_id)
        return JsonFile(None, None, [problem], SchemaResult(file_broken=True))
    return read_json_bytes(data, display_path(path), kind, document_id)


def read_json_bytes(data: bytes, path: Union[str, Path], kind: str, document_id: Optional[str] = None) -> JsonFile:
    """``read_json`` of bytes already read from ``path``, a path as shown to the user
    (``display_path``: every caller has it already)."""
    raw, problems = _decode(path, data, json_file=True)
    if raw is None:
        return JsonFile(None, None, problems, SchemaResult(file_broken=True))
    value, problems, parsed = parse_json(raw, str(path), document_id)
    if not parsed:
        return JsonFile(None, raw, problems, SchemaResult(file_broken=True))
    result = check_schema(value, raw, path, kind, document_id)
    problems += result.problems
    return JsonFile(None if result.file_broken else value, raw, problems, result)


_ITEM_CLASSES = {"entities": EntityMention, "quotes": Quote, "claims": Claim}


def _annotations(value: dict[str, Any], broken: set[tuple[str, int]]) -> tuple[Annotations, dict[str, list[int]]]:
    """The annotations that passed their schema, with each kept item's position in the file."""
    indices: dict[str, list[int]] = {}
    layers: dict[str, tuple] = {}
    for layer in LAYERS:
        keep = [i for i in range(len(value[layer])) if (layer, i) not in broken]
        indices[layer] = keep
        layers[layer] = tuple(_ITEM_CLASSES[layer].from_dict(value[layer][i]) for i in keep)
    return Annotations(value["document_id"], **layers, issued=value["issued"]), indices


def _document_input(doc_id: str, text: str, ann_file: JsonFile, ann_path: str, *, text_sha256: str,
                    meta: Optional[DocumentMeta], meta_path: str, meta_raw: Optional[str]) -> checks.DocumentInput:
    annotations, indices = (None, {})
    if ann_file.value is not None:
        annotations, indices = _annotations(ann_file.value, ann_file.schema.broken_items)
    return checks.DocumentInput(
        doc_id=doc_id, text=text, text_sha256=text_sha256, meta=meta, meta_path=meta_path, meta_raw=meta_raw,
        annotations=annotations, indices=indices, ann_path=ann_path, ann_raw=ann_file.raw,
        broken_layers=frozenset(layer for layer, _ in ann_file.schema.broken_items))


def check_annotation_file(data: bytes, *, path: Union[str, Path], text: str, document_id: str,
                          registry: Optional[dict[str, RegistryEntry]], annotator: Optional[str] = None) -> list[Problem]:
    """Every problem of one annotation file's bytes against its document's ``text`` and the
    registry, by the validator's own code path (decode, schema, content checks), as if the file
    were at ``path``: what an importer checks before it writes. ``annotator`` names whose layer
    the file is (``layers/<annotator>/``; default: gold's file), which leaves out the gold-only
    alias check. Cross-document checks and the unannotated-alias warning need the whole corpus and
    are left to ``newsspans validate``."""
    ann_file = read_json_bytes(data, display_path(path), "annotation", document_id)
    if ann_file.value is None:
        return ann_file.problems
    doc_input = _document_input(document_id, text, ann_file, str(path), text_sha256="", meta=None,
                                meta_path="", meta_raw=None)
    return ann_file.problems + checks.check_document(doc_input, registry=registry, aliases=None, tally=None,
                                                     source=annotator or GOLD)


@dataclass
class AnnotatorsRead:
    """``annotators.json`` as read: the annotators by id (None when the file is broken; empty when
    the corpus has none) and the file's problems."""

    annotators: Optional[dict[str, Annotator]]
    problems: list[Problem]
    #: Whether a caller took the problems (``Corpus.read_annotators``); if not,
    #: ``cross_document_problems`` reports them.
    reported: bool = False
    #: The annotator ids (None when the file is broken): what the checks naming annotators need.
    ids: Optional[frozenset[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.ids = None if self.annotators is None else frozenset(self.annotators)

    @classmethod
    def known_ids(cls, ids: Optional[AbstractSet[str]]) -> "AnnotatorsRead":
        """What a worker process knows of annotators.json, which the parent read: its ids."""
        found = cls(None, [], reported=True)
        found.ids = None if ids is None else frozenset(ids)
        return found


@dataclass
class Beside:
    """What ``read_document`` read beside gold, for a caller that uses it (the build measures
    agreement and suggestions in the same pass): each annotator's layer, the suggestions file's
    value (None when there is none or it broke its schema), whether it has a decisions file. Meaningful when the document has no error."""

    layers: dict[str, Annotations] = field(default_factory=dict)
    suggestions: Any = None
    #: Whether the document has an adjudication decisions file.
    decisions: bool = False


@dataclass
class Corpus:
    """A corpus, read file by file: a corpus folder, or a packed corpus (``newsspans pack``) at a
    path or an fsspec URL (``_files``). ``digests`` collects the SHA-256 of every file read, by its
    path in the corpus (the same in both forms); ``tally`` what the cross-document checks need."""

    root: Union[str, Path]
    digests: dict[str, str] = field(default_factory=dict)
    tally: checks.Tally = field(default_factory=checks.Tally)
    #: False skips the checks that can only warn (alias coverage, cross-document warnings): the
    #: build's gate needs the errors only, and reports in full when there is one.
    warnings: bool = True
    #: True also reads and checks the suggestions files (``suggestions/<id>.json``), which then count
    #: in ``source_digest``; ``validate`` and the build read them (the card reports how good they are).
    suggestions: bool = False

    def __post_init__(self) -> None:
        self.files: Union[FolderFiles, PackedFiles] = open_files(self.root)
        self.root = self.files.root
        self._root_str = str(self.root)
        self._chunk_problems: list[Problem] = []  # what loading the chunks found (a damaged shard)
        self._folded = FoldedDigests()  # the digests of the files the chunks read (``merge_chunk``)
        self.beside = Beside()
        self._registry_raw: Optional[str] = None
        self._registry_ids: Optional[list[str]] = None
        self._aliases: Optional[checks.AliasIndex] = None
        self._incomplete = False  # a document could not be read whole: cross-document checks are off
        self._annotators: Optional[AnnotatorsRead] = None  # read once, when first needed
        self._index: Optional[SourceIndex] = None  # layers/, decisions/ (suggestions/), listed once, when first needed

    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)

    def _read_json(self, name: str, kind: str) -> JsonFile:
        """A corpus-level JSON file (``dataset.json``...), its digest recorded."""
        shown = self.files.shown(name)
        try:
            data = self.files.read(name)
        except SymlinkRefused:
            return JsonFile(None, None, [symlink_problem(shown)], SchemaResult(file_broken=True))
        if data is None:
            problem = Problem("E-FILE-MISSING", "required file is missing", file=shown)
            return JsonFile(None, None, [problem], SchemaResult(file_broken=True))
        found = read_json_bytes(data, shown, kind)
        if found.raw is not None:
            self.digests[name] = sha256_hex(data)
        return found

    def layout_problems(self) -> list[Problem]:
        """Missing top-level files and folders (a damaged packed manifest); a corpus with any of
        these is not read further."""
        return self.files.layout_problems()

    def document_ids(self) -> list[str]:
        """Every document id that has a text, metadata or annotation file, sorted (a corpus folder's)."""
        return self.files.document_ids()

    def read_dataset(self) -> tuple[Optional[dict[str, Any]], list[Problem]]:
        found = self._read_json(DATASET, "dataset")
        return found.value, found.problems

    def read_registry(self) -> tuple[Optional[dict[str, RegistryEntry]], list[Problem]]:
        """The registry by entity id; None (and the reference checks are skipped) when broken."""
        found = self._read_json(REGISTRY, "registry")
        if found.value is None or found.problems:
            return None, found.problems
        raw = found.raw
        entries = [RegistryEntry.from_dict(e) for e in found.value["entities"]]
        problems = checks.check_registry(entries, raw, self.files.shown(REGISTRY))
        registry = {e.entity_id: e for e in entries}
        self._registry_raw = raw
        self._registry_ids = [e.entity_id for e in entries]
        self._aliases = checks.AliasIndex(registry) if self.warnings else None  # only the warning uses it
        return registry, problems

    def read_annotators(self) -> tuple[Optional[dict[str, Annotator]], list[Problem]]:
        """The annotators of ``annotators.json`` by id (none when the corpus has no such file; None,
        and the checks naming annotators are skipped, when it is broken) and the file's problems.
        A caller that does not call it gets those problems from ``cross_document_problems``."""
        found = self._annotators_read()
        found.reported = True
        return found.annotators, found.problems

    def annotator_ids(self) -> Optional[frozenset[str]]:
        """The ids of annotators.json (None when it is broken; its problems are still reported by
        ``cross_document_problems``)."""
        return self._annotators_read().ids

    def layer_folders(self) -> list[str]:
        """The annotator folders under ``layers/`` (a folder's listing, a packed corpus's manifest)."""
        return list(self._sources().folders)

    def _annotators_read(self) -> AnnotatorsRead:
        if self._annotators is None:
            self._annotators = self._read_annotators_file()
        return self._annotators

    def _read_annotators_file(self) -> AnnotatorsRead:
        kind = self.files.kind(ANNOTATORS)
        if kind == "missing":
            return AnnotatorsRead({}, [])  # optional: no annotators
        if kind == "folder":
            return AnnotatorsRead(None, [Problem("E-FILE-KIND", f"a folder where the corpus has the file {ANNOTATORS}",
                                                 file=self.files.shown(ANNOTATORS))])
        found = self._read_json(ANNOTATORS, "annotators")
        if found.value is None or found.problems:
            return AnnotatorsRead(None, found.problems)
        entries = [Annotator.from_dict(a) for a in found.value["annotators"]]
        return AnnotatorsRead({a.annotator_id: a for a in entries},
                              check_annotators(entries, found.raw, self.files.shown(ANNOTATORS)))

    def _sources(self, doc_ids: Optional[list[str]] = None) -> SourceIndex:
        """The layer, decisions (and suggestions) files by document, listed once (``doc_ids``: the
        documents, when the caller has just listed them)."""
        if self._index is None:
            if doc_ids is None and not self.files.packed:
                doc_ids = self.document_ids()
            self._index = self.files.list_sources(doc_ids or [], self.suggestions)
        return self._index

    def read_document(self, doc_id: str, registry: Optional[dict[str, RegistryEntry]], *,
                      files: Optional[DocumentFiles] = None) -> tuple[Optional[Document], list[Problem]]:
        """Read one document's three files (or take ``files`` already read), its annotators' layer
        files, its decisions file and (``suggestions``) its suggestions file, and check them against
        each other and the registry.

        Returns the document only when it has no error at all. With ``registry`` None (the
        registry itself is broken) the reference checks are skipped.
        """
        self.beside = Beside()
        files = files if files is not None else self.files.document_files(doc_id)
        names = files.names
        contents = [files.text, files.meta, files.annotations]
        if None in contents:
            self._incomplete = True
            missing = zip(("E-DOC-NO-TEXT", "E-DOC-NO-META", "E-DOC-NO-ANNOTATION"), names,
                          ("no text file", "no metadata file", "no annotation file"), contents)
            return None, [symlink_problem(self.files.shown(name), doc_id) if name in files.links else
                          Problem(code, f"{what} for this document", file=self.files.shown(name), document_id=doc_id)
                          for code, name, what, data in missing if data is None]
        text_path, meta_path, ann_path = (self.files.shown(name) for name in names)
        data, meta_bytes, ann_bytes = contents
        text_sha256 = sha256_hex(data)
        self.digests[names[0]] = text_sha256
        text, problems = _decode(text_path, data, json_file=False)
        problems = [replace(p, document_id=doc_id) for p in problems]
        if text is not None:
            problems += checks.check_text(text, file=text_path, document_id=doc_id)
        meta_file = read_json_bytes(meta_bytes, meta_path, "document", doc_id)
        self.digests[names[1]] = sha256_hex(meta_bytes)
        problems += meta_file.problems
        ann_file = read_json_bytes(ann_bytes, ann_path, "annotation", doc_id)
        self.digests[names[2]] = sha256_hex(ann_bytes)
        problems += ann_file.problems
        if text is None or ann_file.value is None or ann_file.schema.broken_items:
            self._incomplete = True
        if text is None:
            return None, problems + self._source_problems(doc_id, None, registry)

        meta = DocumentMeta.from_dict(meta_file.value) if meta_file.value is not None else None
        doc_input = _document_input(doc_id, text, ann_file, ann_path, text_sha256=text_sha256, meta=meta,
                                    meta_path=meta_path, meta_raw=meta_file.raw)
        annotations = doc_input.annotations
        problems += checks.check_document(doc_input, registry=registry, aliases=self._aliases, tally=self._tally())
        problems += self._source_problems(doc_id, text, registry)
        if meta is None or annotations is None or any(p.severity == "error" for p in problems):
            return None, problems
        return Document(meta, text, annotations), problems

    def _source_problems(self, doc_id: str, text: Optional[str], registry: Optional[dict[str, RegistryEntry]]) -> list[Problem]:
        """The problems of the document's layer files, decisions file and suggestions file (none for
        nearly every document)."""
        sources = self._sources().of(doc_id)
        if sources is NO_SOURCES:
            return []
        self.beside.decisions = sources.decisions
        problems = []
        for annotator in sources.layers:
            problems += self._check_layer(doc_id, annotator, text, registry)
        if sources.decisions:
            problems += self._check_decisions(doc_id)
        if sources.suggestions:
            problems += self._check_suggestions(doc_id, text, registry)
        return problems

    def _read_source(self, rel: str, doc_id: str) -> tuple[Optional[bytes], list[Problem]]:
        """The bytes of the file ``rel`` of the document (its digest recorded), or its problem."""
        path = self.files.shown(rel)
        try:
            data = self.files.read(rel)
        except SymlinkRefused:
            return None, [symlink_problem(path, doc_id)]
        if data is None:  # listed, then removed or replaced by a folder
            return None, [Problem("E-FILE-MISSING", "the file is gone since the folder was listed", file=display_path(path),
                                  document_id=doc_id)]
        self.digests[rel] = sha256_hex(data)
        return data, []

    def _check_layer(self, doc_id: str, annotator: str, text: Optional[str],
                     registry: Optional[dict[str, RegistryEntry]]) -> list[Problem]:
        """Every check of gold's annotation file, on ``annotator``'s layer of the document (no
        content check when the text did not decode)."""
        rel = layer_file(annotator, doc_id)
        data, problems = self._read_source(rel, doc_id)
        if data is None:
            self._incomplete = True
            return problems
        path = self.files.shown(rel)
        layer = read_json_bytes(data, path, "annotation", doc_id)
        if layer.value is None or layer.schema.broken_items:
            self._incomplete = True
        if text is None or layer.value is None:
            return layer.problems
        doc_input = _document_input(doc_id, text, layer, path, text_sha256="", meta=None, meta_path="", meta_raw=None)
        if doc_input.annotations is not None:
            self.beside.layers[annotator] = doc_input.annotations
        return layer.problems + checks.check_document(doc_input, registry=registry, aliases=self._aliases,
                                                      tally=self._tally(), source=annotator)

    def _tally(self) -> Optional[checks.Tally]:
        """Where the checks gather what the cross-document checks need: only these warn, so a
        corpus read without warnings (the build's gate) gathers nothing. Its tally held every
        cluster id's uses, which grew the build's memory with the corpus."""
        return self.tally if self.warnings else None

    def _check_suggestions(self, doc_id: str, text: Optional[str], registry: Optional[dict[str, RegistryEntry]]) -> list[Problem]:
        """The document's suggestions file: the ``suggestion`` schema, then every check of an
        annotation file (the model objects ignore ``source`` and ``score``) but E-ENT-ID-MISSING and
        the alias checks; no part in the cross-document checks, so a broken file leaves them on."""
        rel = suggestions_file(doc_id)
        data, problems = self._read_source(rel, doc_id)
        if data is None:
            return problems
        path = self.files.shown(rel)
        found = read_json_bytes(data, path, "suggestion", doc_id)
        problems = found.problems + self._suggestion_annotator(found.value, path, doc_id)
        self.beside.suggestions = found.value
        if text is None or found.value is None:
            return problems
        doc_input = _document_input(doc_id, text, found, path, text_sha256="", meta=None, meta_path="", meta_raw=None)
        return problems + checks.check_document(doc_input, registry=registry, aliases=None, tally=None, suggested=True)

    def _suggestion_annotator(self, value: Any, path: str, doc_id: str) -> list[Problem]:
        """E-SUGGESTION-ANNOTATOR when the file names an annotator annotators.json does not list
        (not judged when annotators.json is broken)."""
        annotator = value.get("annotator") if isinstance(value, dict) else None
        ids = self._annotators_read().ids
        if not isinstance(annotator, str) or ids is None or annotator in ids:
            return []
        listed = f"listed: {', '.join(sorted(ids))}" if ids else "the corpus lists no annotator"
        return [Problem("E-SUGGESTION-ANNOTATOR", f"the suggestions are attributed to {annotator!r}, not in annotators.json "
                        f"({listed})", file=display_path(path), document_id=doc_id,
                        fix=f"run newsspans suggest again, or add it: newsspans annotator add {annotator} --kind model")]

    def _check_decisions(self, doc_id: str) -> list[Problem]:
        rel = decisions_file(doc_id)
        data, problems = self._read_source(rel, doc_id)
        if data is None:
            return problems
        return check_decisions(data, path=self.files.shown(rel), document_id=doc_id,
                               annotator_ids=self._annotators_read().ids)

    def map_documents(self, registry: Optional[dict[str, RegistryEntry]], fn: Callable[..., Any], *,
                      workers: int = 1, engine: Any = None) -> Iterator[Any]:
        """``fn(corpus, registry, doc_ids)`` for consecutive chunks of the documents, in id order:
        runs of sorted ids of a corpus folder, the blocks of a packed corpus's shards (``_files``).

        ``fn`` reads its documents with ``corpus.read_document``. With ``workers`` > 1 and a corpus
        large enough to pay for it, the chunks run in that many processes, or, given an ``engine``
        (``_dask.DaskEngine``), as its tasks (``fn`` must then be a module-level function); each
        reads its chunk itself. The results still come back in chunk order, and what the
        cross-document checks and the source digest need is merged back here, so the outcome is the
        same as a serial run.
        """
        ids = None if self.files.packed else self.document_ids()
        index = self._sources(ids)
        annotators = self._annotators_read()  # before any document: its decisions file names annotators
        chunks = self.files.chunks(index, ids or [], _parallel.CHUNK_DOCUMENTS)
        spec = WorkerSpec(self.files, registry is not None, self.warnings, self.suggestions, annotators.ids,
                          self.digests.get(REGISTRY))
        size = len(ids) if ids is not None else self.files.manifest().get("documents", 0)
        progress.stage(size)
        if engine is not None:
            results = engine.map(run_chunk, [(spec, fn, c) for c in chunks])
        elif workers <= 1 or size < _parallel.PARALLEL_MIN_DOCUMENTS or len(chunks) < 2:
            local = self._local_worker()
            results = (_run(local, registry, fn, c) for c in chunks)
        else:
            results = _parallel.map_in_processes(run_chunk, [(spec, fn, c) for c in chunks], workers=workers,
                                                 initializer=_no_setup, initargs=())
        for state in results:
            self.merge_chunk(state)
            yield state.result
            progress.advance(state.documents)  # once the caller is done with them

    def merge_chunk(self, state: "ChunkState") -> None:
        """Merge what a chunk's worker found into this corpus's digests (folded: ``_digests``),
        tally and listing."""
        self._folded.add(state.digests)  # kept compressed: a dict of three files per document grew with the corpus
        self.tally.merge(state.tally)
        self._incomplete = self._incomplete or state.incomplete
        self._chunk_problems += state.problems
        if self.files.packed and self._index is not None:
            self._index.merge(state.index)

    def _local_worker(self) -> "Corpus":
        """A corpus that checks chunks in this process, sharing this one's files and registry."""
        worker = Corpus(self.root, warnings=self.warnings, suggestions=self.suggestions)
        worker.files = self.files
        worker._aliases, worker._annotators = self._aliases, self._annotators_read()
        return worker

    def iter_documents(self, registry: Optional[dict[str, RegistryEntry]], *, workers: int = 1,
                       keep_documents: bool = True, engine: Any = None) -> Iterator[tuple[str, Optional[Document], list[Problem]]]:
        """``(doc_id, document or None, problems)`` for every document, in id order (see
        ``map_documents``). ``keep_documents=False`` returns no document objects (validation
        needs only the problems, and they are cheaper to send between processes)."""
        fn = _read_chunk if keep_documents else _check_chunk
        for results in self.map_documents(registry, fn, workers=workers, engine=engine):
            yield from results

    def cross_document_problems(self, registry: Optional[dict[str, RegistryEntry]]) -> list[Problem]:
        """Problems that need every document read first (call after ``iter_documents``): those of
        ``annotators.json`` when ``read_annotators`` did not hand them out, those of the listing of
        ``layers/`` and ``decisions/`` (a folder named like no annotator, a file of a document the
        corpus does not have), then the cross-document warnings."""
        def read_raw(shown: str) -> str:
            try:
                return (self.files.read_shown(shown) or b"").decode("utf-8", errors="replace")
            except OSError:  # gone or replaced by a link since it was read: located at line 1
                return ""

        annotators = self._annotators_read()
        problems = [] if annotators.reported else list(annotators.problems)
        annotators.reported = True
        problems += self._chunk_problems
        index = self._sources()
        problems += index_problems(index, self.files.shown, annotators.ids)
        if self._incomplete or index.orphan_layers or not self.warnings:
            return problems
        ids = self._registry_ids if registry is not None else None
        return problems + checks.cross_document_problems(self.tally, ids, self._registry_raw,
                                                         self.files.shown(REGISTRY), read_raw)

    def files_read(self, folder: str) -> int:
        """How many files of the top-level ``folder`` (``suggestions``...) were read."""
        return sum(rel.startswith(f"{folder}/") for rel in self.digests) + self._folded.counts[folder]

    def digests_read(self) -> Iterator[tuple[str, str]]:
        """``(relative path, SHA-256)`` of every file read so far: the corpus-level files and those
        the chunks read (the latter decompressed as they are iterated, in path order)."""
        yield from sorted(self.digests.items())
        for line in self._folded.lines():
            path, digest = line.rstrip("\n").split("\t")
            yield path, digest

    def source_digest(self) -> str:
        """SHA-256 over the sorted (relative path, SHA-256) lines of every file read so far: dataset,
        registry, annotators.json, and each document's text, metadata, annotation, layer and
        decisions files, and (``suggestions``) suggestions files. An optional file the corpus does
        not have adds no line."""
        hasher = hashlib.sha256()
        mine = (f"{path}\t{digest}\n" for path, digest in sorted(self.digests.items()))
        for line in heapq.merge(mine, self._folded.lines()):
            hasher.update(line.encode("utf-8"))
        return hasher.hexdigest()


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker process needs to check chunks of a corpus: its files (picklable: a worker on
    another machine opens them itself), whether the registry is usable, the reader's options and
    the annotator ids (the parent read annotators.json)."""

    files: Any
    with_registry: bool
    warnings: bool
    suggestions: bool
    annotator_ids: Optional[frozenset[str]]
    #: The SHA-256 of registry.json as the parent read it: a worker that reads another refuses to
    #: go on, and a worker that lives on (a cluster's) reads it again for a new build.
    registry_sha256: Optional[str] = None

    def key(self) -> tuple:
        return (type(self.files).__name__, str(self.files.root), self.with_registry, self.warnings, self.suggestions,
                self.annotator_ids, self.registry_sha256)


@dataclass
class ChunkState:
    """What a chunk's worker sends back: ``fn``'s result, and the state the parent merges."""

    result: Any
    tally: checks.Tally
    digests: dict[str, str]
    incomplete: bool
    index: SourceIndex
    problems: list[Problem]
    documents: int = 0  # how many the chunk holds


#: Per worker process: the corpus and registry of the last spec seen (read once, not per chunk).
_WORKER: dict[str, Any] = {}


def _no_setup() -> None:
    pass


def _worker_corpus(spec: WorkerSpec) -> tuple["Corpus", Optional[dict[str, RegistryEntry]]]:
    if _WORKER.get("key") != spec.key():
        corpus = Corpus(spec.files.root if not spec.files.packed else spec.files.location, warnings=spec.warnings,
                        suggestions=spec.suggestions)
        corpus.files = spec.files  # a packed corpus's manifest as the parent read it
        registry, _ = corpus.read_registry()
        if spec.registry_sha256 is not None and corpus.digests.get(REGISTRY) != spec.registry_sha256:
            raise NewsSpansError(f"{corpus.files.shown(REGISTRY)} changed while the corpus was read (is another program "
                                 "writing it?); run the command again once it is done")
        corpus._annotators = AnnotatorsRead.known_ids(spec.annotator_ids)  # the parent read the file
        _WORKER.update(key=spec.key(), corpus=corpus, registry=registry if spec.with_registry else None)
    return _WORKER["corpus"], _WORKER["registry"]


def run_chunk(task: tuple[WorkerSpec, Callable[..., Any], Chunk]) -> ChunkState:
    """Worker side of ``map_documents`` (a process of the pool, or a Dask task): one chunk."""
    spec, fn, chunk = task
    corpus, registry = _worker_corpus(spec)
    return _run(corpus, registry, fn, chunk)


def _run(corpus: "Corpus", registry, fn: Callable[..., Any], chunk: Chunk) -> ChunkState:
    """``fn`` over one chunk, read by ``corpus`` (its state reset first), and the state to merge."""
    corpus.digests, corpus.tally, corpus._incomplete = {}, checks.Tally(), False
    with paused_gc():
        loaded = corpus.files.load(chunk, corpus.suggestions)
        corpus._index = loaded.index
        result = fn(corpus, registry, loaded.doc_ids)
    return ChunkState(result, corpus.tally, corpus.digests, corpus._incomplete or loaded.incomplete, loaded.index,
                      loaded.problems, len(loaded.doc_ids))


def _read_chunk(corpus: "Corpus", registry, doc_ids: list[str]):
    return [(doc_id, *corpus.read_document(doc_id, registry)) for doc_id in doc_ids]


def _check_chunk(corpus: "Corpus", registry, doc_ids: list[str]):
    return [(doc_id, None, corpus.read_document(doc_id, registry)[1]) for doc_id in doc_ids]


def validate(root: Path) -> list[Problem]:
    """Every problem of the corpus at ``root``; raises ``CorpusInvalid`` (holding them all) when
    any is an error. The same code path as ``iter_problems``, which yields them one by one."""
    problems = list(iter_problems(root))
    if any(p.severity == "error" for p in problems):
        raise CorpusInvalid(problems)
    return problems


def iter_problems(root: Union[str, Path], *, workers: Optional[int] = None, engine: Any = None) -> Iterator[Problem]:
    """Every problem of the corpus at ``root`` (a folder, or a packed corpus at a path or an fsspec
    URL), file by file, document by document, in the same order whatever the number of
    ``workers`` (default: one per core) or the ``engine`` (``DaskEngine``: its workers check the chunks)."""
    corpus = Corpus(root, suggestions=True)
    layout = corpus.layout_problems()
    if layout:
        yield from layout
        return
    _, problems = corpus.read_dataset()
    yield from problems
    registry, problems = corpus.read_registry()
    yield from problems
    _, problems = corpus.read_annotators()
    yield from problems
    workers = default_workers() if workers is None else workers
    for _, _, problems in corpus.iter_documents(registry, workers=workers, keep_documents=False, engine=engine):
        yield from problems
    yield from corpus.cross_document_problems(registry)
