"""The corpus on disk: its layout, and reading its files into model objects or problems.

Layout of a corpus folder::

    dataset.json                 version (the one place), name, licence
    registry.json                the entity registry
    texts/<id>.txt               the document texts, byte for byte as received
    documents/<id>.json          per-document metadata
    annotations/<id>.json        standoff annotations: entities, quotes, claims

Reading never raises for bad input: every reader returns what it could read plus the problems
it found, and gives up on a unit (a file, a document) whose structure is broken so that no
dependent check runs on garbage.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union

from ..corpus import (ANNOTATIONS, DATASET, DOCUMENTS, REGISTRY, TEXTS, DocumentFiles, SymlinkRefused, document_ids,
                      may_hold_surrogates, read_document_files, read_file, replace_surrogates, symlinked_parts)
from ..model import LAYERS, Annotations, Claim, Document, DocumentMeta, EntityMention, Quote, RegistryEntry
from ..paths import display_path, sha256_hex
from . import _checks as checks
from . import _parallel
from ._jsonloc import json_path, locator
from ._parallel import default_workers
from ._problems import CorpusInvalid, Problem
from ._schemacheck import SchemaResult, check_schema


def _decode(path: Path, data: bytes, *, json_file: bool) -> tuple[Optional[str], list[Problem]]:
    if json_file and data.startswith(b"\xef\xbb\xbf"):
        return None, [Problem("E-FILE-BOM", "the file starts with a UTF-8 byte-order mark", file=display_path(path), line=1)]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [
            Problem("E-FILE-UTF8", f"byte {exc.start} (0x{data[exc.start]:02x}) is not UTF-8: {exc.reason}", file=display_path(path), line=line)
        ]


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


def symlink_problem(path: Union[str, Path], document_id: Optional[str] = None) -> Problem:
    """E-FILE-SYMLINK at the link ``path``, naming where it points."""
    try:
        target = f" (to {os.readlink(path)!r})"
    except OSError:
        target = ""
    return Problem("E-FILE-SYMLINK", f"a symbolic link{target}: a corpus file is never read through a link",
                   file=display_path(path), document_id=document_id)


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
    return read_json_bytes(data, path, kind, document_id)


class _KeyRepeats:
    """``object_pairs_hook`` of the parse: builds each object as ``json.loads`` does (the last of a
    repeated key wins) and notes whether any object repeated a key, which ``json.loads`` hides. The
    few repeated keys are then located by a pass over the text of that file only."""

    seen = False

    @classmethod
    def hook(cls, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        d = dict(pairs)
        if len(d) != len(pairs):
            cls.seen = True
        return d


_DECODER = json.JSONDecoder(object_pairs_hook=_KeyRepeats.hook)


def _long_number(raw: str) -> tuple[Optional[int], Optional[int], int]:
    """(line, column, digits) of the first number longer than Python converts (``int`` refuses more
    than ``sys.get_int_max_str_digits()`` digits, and ``json.loads`` with it)."""
    limit = sys.get_int_max_str_digits()
    m = re.search(r"[0-9]{%d,}" % (limit + 1), raw) if limit else None
    if m is None:
        return None, None, 0
    line = raw.count("\n", 0, m.start()) + 1
    return line, m.start() - (raw.rfind("\n", 0, m.start()) + 1) + 1, len(m.group())


def parse_json(raw: str, shown: str, document_id: Optional[str] = None) -> tuple[Any, list[Problem], bool]:
    """``(value, problems, parsed)`` of the JSON text ``raw`` of the file ``shown``. Beyond JSON
    syntax, it reports what ``json.loads`` hides or cannot take: a key repeated in an object
    (E-FILE-DUPLICATE-KEY: the last one would win in silence), a lone surrogate escape
    (E-FILE-SURROGATE, replaced by U+FFFD in ``value`` so that no later step chokes on it), a
    number too long for Python or a nesting too deep to parse (E-FILE-JSON, ``parsed`` False)."""
    _KeyRepeats.seen = False
    try:
        value = _DECODER.decode(raw)
    except json.JSONDecodeError as exc:
        return None, [Problem("E-FILE-JSON", exc.msg, file=shown, line=exc.lineno, column=exc.colno, document_id=document_id)], False
    except RecursionError:
        return None, [Problem("E-FILE-JSON", "nested too deeply to parse", file=shown, document_id=document_id)], False
    except ValueError:  # an integer of more digits than Python converts
        line, column, digits = _long_number(raw)
        what = f"a number of {digits} digits, more than Python reads ({sys.get_int_max_str_digits()})" if digits \
            else "a value Python cannot read"
        return None, [Problem("E-FILE-JSON", what, file=shown, line=line, column=column, document_id=document_id)], False
    problems: list[Problem] = []
    if _KeyRepeats.seen:
        loc = locator(raw)
        for path, at, earlier in loc.repeated_keys():
            problems.append(Problem(
                "E-FILE-DUPLICATE-KEY", f"the key {path[-1]!r} is repeated in its object (first on line "
                f"{loc.line_at(earlier)}); only this last value would be read", file=shown, line=loc.line_at(at),
                document_id=document_id, item=json_path(path), fix="merge the two values into one key, or remove one"))
    if may_hold_surrogates(raw):
        value, found = replace_surrogates(value)
        for path, escape in sorted(found, key=lambda x: locator(raw).offset(x[0])):
            problems.append(Problem(
                "E-FILE-SURROGATE", f"the lone surrogate escape {escape}: half of a UTF-16 pair, which UTF-8 cannot hold",
                file=shown, line=locator(raw).line(path), document_id=document_id, item=json_path(path) or "$",
                fix="write the character itself, or both halves of its UTF-16 pair"))
    return value, problems, True


def read_json_bytes(data: bytes, path: Path, kind: str, document_id: Optional[str] = None) -> JsonFile:
    """``read_json`` of bytes already read from ``path``."""
    raw, problems = _decode(path, data, json_file=True)
    if raw is None:
        return JsonFile(None, None, problems, SchemaResult(file_broken=True))
    value, problems, parsed = parse_json(raw, display_path(path), document_id)
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
                          registry: Optional[dict[str, RegistryEntry]]) -> list[Problem]:
    """Every problem of one annotation file's bytes against its document's ``text`` and the
    registry, by the validator's own code path (decode, schema, content checks), as if the file
    were at ``path``: what an importer checks before it writes. Cross-document checks and the
    unannotated-alias warning need the whole corpus and are left to ``newsspans validate``."""
    ann_file = read_json_bytes(data, Path(path), "annotation", document_id)
    if ann_file.value is None:
        return ann_file.problems
    doc_input = _document_input(document_id, text, ann_file, str(path), text_sha256="", meta=None,
                                meta_path="", meta_raw=None)
    return ann_file.problems + checks.check_document(doc_input, registry=registry, aliases=None, tally=None)


@dataclass
class Corpus:
    """A corpus folder, read file by file. ``digests`` collects the SHA-256 of every file read,
    by relative path; ``tally`` what the cross-document checks need."""

    root: Path
    digests: dict[str, str] = field(default_factory=dict)
    tally: checks.Tally = field(default_factory=checks.Tally)
    #: False skips the checks that can only warn (alias coverage, cross-document warnings): the
    #: build's gate needs the errors only, and reports in full when there is one.
    warnings: bool = True

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self._root_str = str(self.root)
        self._registry_raw: Optional[str] = None
        self._registry_ids: Optional[list[str]] = None
        self._aliases: Optional[checks.AliasIndex] = None
        self._incomplete = False  # a document could not be read whole: cross-document checks are off

    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _read_json(self, path: Path, kind: str, document_id: Optional[str] = None) -> JsonFile:
        found = read_json(path, kind, document_id)
        if found.raw is not None:
            self.digests[self._rel(path)] = sha256_hex(found.raw.encode("utf-8"))
        return found

    def layout_problems(self) -> list[Problem]:
        """Missing top-level files and folders; a corpus with any of these is not read further."""
        if not self.root.is_dir():
            return [Problem("E-FILE-MISSING", "no such corpus folder", file=display_path(self.root))]
        links = symlinked_parts(self.root)
        problems = [symlink_problem(self.path(name)) for name in links]
        for name in (DATASET, REGISTRY):
            if name not in links and not self.path(name).is_file():
                problems.append(Problem("E-FILE-MISSING", "required file is missing", file=display_path(self.path(name))))
        for name in (TEXTS, DOCUMENTS, ANNOTATIONS):
            if name not in links and not self.path(name).is_dir():
                problems.append(Problem("E-FILE-MISSING", "required folder is missing", file=display_path(self.path(name))))
        return problems

    def document_ids(self) -> list[str]:
        """Every document id that has a text, metadata or annotation file, sorted."""
        return document_ids(self.root)

    def read_dataset(self) -> tuple[Optional[dict[str, Any]], list[Problem]]:
        found = self._read_json(self.path(DATASET), "dataset")
        return found.value, found.problems

    def read_registry(self) -> tuple[Optional[dict[str, RegistryEntry]], list[Problem]]:
        """The registry by entity id; None (and the reference checks are skipped) when broken."""
        path = self.path(REGISTRY)
        found = self._read_json(path, "registry")
        if found.value is None or found.problems:
            return None, found.problems
        raw = found.raw
        entries = [RegistryEntry.from_dict(e) for e in found.value["entities"]]
        problems = checks.check_registry(entries, raw, display_path(path))
        registry = {e.entity_id: e for e in entries}
        self._registry_raw = raw
        self._registry_ids = [e.entity_id for e in entries]
        self._aliases = checks.AliasIndex(registry) if self.warnings else None  # only the warning uses it
        return registry, problems

    def read_document(self, doc_id: str, registry: Optional[dict[str, RegistryEntry]], *,
                      files: Optional[DocumentFiles] = None) -> tuple[Optional[Document], list[Problem]]:
        """Read one document's three files (or take ``files`` already read) and check them against
        each other and the registry.

        Returns the document only when it has no error at all. With ``registry`` None (the
        registry itself is broken) the reference checks are skipped.
        """
        root = self._root_str
        files = files if files is not None else read_document_files(root, doc_id)
        names = files.names
        contents = [files.text, files.meta, files.annotations]
        if None in contents:
            self._incomplete = True
            missing = zip(("E-DOC-NO-TEXT", "E-DOC-NO-META", "E-DOC-NO-ANNOTATION"), names,
                          ("no text file", "no metadata file", "no annotation file"), contents)
            return None, [symlink_problem(os.path.join(root, name), doc_id) if name in files.links else
                          Problem(code, f"{what} for this document", file=display_path(Path(root, name)), document_id=doc_id)
                          for code, name, what, data in missing if data is None]
        text_path, meta_path, ann_path = (os.path.join(root, name) for name in names)
        data, meta_bytes, ann_bytes = contents
        text_sha256 = sha256_hex(data)
        self.digests[names[0]] = text_sha256
        text, problems = _decode(text_path, data, json_file=False)
        problems = [replace(p, document_id=doc_id) for p in problems]
        meta_file = read_json_bytes(meta_bytes, meta_path, "document", doc_id)
        self.digests[names[1]] = sha256_hex(meta_bytes)
        problems += meta_file.problems
        ann_file = read_json_bytes(ann_bytes, ann_path, "annotation", doc_id)
        self.digests[names[2]] = sha256_hex(ann_bytes)
        problems += ann_file.problems
        if text is None or ann_file.value is None or ann_file.schema.broken_items:
            self._incomplete = True
        if text is None:
            return None, problems

        meta = DocumentMeta.from_dict(meta_file.value) if meta_file.value is not None else None
        doc_input = _document_input(doc_id, text, ann_file, ann_path, text_sha256=text_sha256, meta=meta,
                                    meta_path=meta_path, meta_raw=meta_file.raw)
        annotations = doc_input.annotations
        problems += checks.check_document(doc_input, registry=registry, aliases=self._aliases, tally=self.tally)
        if meta is None or annotations is None or any(p.severity == "error" for p in problems):
            return None, problems
        return Document(meta, text, annotations), problems

    def map_documents(self, registry: Optional[dict[str, RegistryEntry]], fn: Callable[..., Any], *,
                      workers: int = 1) -> Iterator[Any]:
        """``fn(corpus, registry, doc_ids)`` for consecutive chunks of the documents, in id order.

        ``fn`` reads its documents with ``corpus.read_document``. With ``workers`` > 1 and a corpus
        large enough to pay for it, the chunks run in that many processes (``fn`` must then be a
        module-level function); the results still come back in chunk order, and what the
        cross-document checks and the source digest need is merged back here, so the outcome is
        the same as a serial run.
        """
        ids = self.document_ids()
        chunks = _parallel.chunked(ids, _parallel.CHUNK_DOCUMENTS)
        if workers <= 1 or len(ids) < _parallel.PARALLEL_MIN_DOCUMENTS:
            for chunk in chunks:
                yield fn(self, registry, chunk)
            return
        results = _parallel.map_in_processes(_run_chunk, [(fn, c) for c in chunks], workers=workers, initializer=_init_worker,
                                             initargs=(self.root, registry is not None, self.warnings))
        for result, tally, digests, incomplete in results:
            self.digests.update(digests)
            self.tally.merge(tally)
            self._incomplete = self._incomplete or incomplete
            yield result

    def iter_documents(self, registry: Optional[dict[str, RegistryEntry]], *, workers: int = 1,
                       keep_documents: bool = True) -> Iterator[tuple[str, Optional[Document], list[Problem]]]:
        """``(doc_id, document or None, problems)`` for every document, in id order (see
        ``map_documents``). ``keep_documents=False`` returns no document objects (validation
        needs only the problems, and they are cheaper to send between processes)."""
        fn = _read_chunk if keep_documents else _check_chunk
        for results in self.map_documents(registry, fn, workers=workers):
            yield from results

    def cross_document_problems(self, registry: Optional[dict[str, RegistryEntry]]) -> list[Problem]:
        """Problems that need every document read first (call after ``iter_documents``)."""
        def read_raw(shown: str) -> str:
            try:
                return (read_file(shown) or b"").decode("utf-8", errors="replace")
            except OSError:  # gone or replaced by a link since it was read: located at line 1
                return ""

        if self._incomplete or not self.warnings:
            return []
        ids = self._registry_ids if registry is not None else None
        return checks.cross_document_problems(self.tally, ids, self._registry_raw, display_path(self.path(REGISTRY)), read_raw)

    def source_digest(self) -> str:
        """SHA-256 over the sorted (relative path, SHA-256) lines of every file read so far."""
        lines = "".join(f"{path}\t{digest}\n" for path, digest in sorted(self.digests.items()))
        return sha256_hex(lines.encode("utf-8"))


_WORKER: dict[str, Any] = {}


def _init_worker(root: Path, with_registry: bool, warnings: bool) -> None:
    corpus = Corpus(root, warnings=warnings)
    registry, _ = corpus.read_registry()
    _WORKER["corpus"] = corpus
    _WORKER["registry"] = registry if with_registry else None


def _run_chunk(task: tuple[Callable[..., Any], list[str]]):
    """Worker side of ``map_documents``: one chunk, and the state the parent merges."""
    fn, doc_ids = task
    corpus: Corpus = _WORKER["corpus"]
    corpus.digests, corpus.tally, corpus._incomplete = {}, checks.Tally(), False
    result = fn(corpus, _WORKER["registry"], doc_ids)
    return result, corpus.tally, corpus.digests, corpus._incomplete


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


def iter_problems(root: Path, *, workers: Optional[int] = None) -> Iterator[Problem]:
    """Every problem of the corpus at ``root``, file by file, document by document, in the same
    order whatever the number of ``workers`` (default: one per core)."""
    corpus = Corpus(Path(root))
    layout = corpus.layout_problems()
    if layout:
        yield from layout
        return
    _, problems = corpus.read_dataset()
    yield from problems
    registry, problems = corpus.read_registry()
    yield from problems
    workers = default_workers() if workers is None else workers
    for _, _, problems in corpus.iter_documents(registry, workers=workers, keep_documents=False):
        yield from problems
    yield from corpus.cross_document_problems(registry)
