"""Where the reader's bytes come from: a corpus folder (``FolderFiles``) or a packed corpus
(``PackedFiles``, at a path or an fsspec URL). The reader (``_reader.Corpus``) asks for files by
their path in the corpus (``texts/<id>.txt``...) and shows them by ``shown``; only these classes
know the form.

The unit of work is a chunk: consecutive documents in id order, fixed by the corpus alone. A
folder's chunks are runs of ``CHUNK_DOCUMENTS`` sorted ids; a packed corpus's chunks are the blocks
of its shards (``corpus.BLOCK_DOCUMENTS`` lines each, recorded in its manifest), each read alone by
the worker that checks it, so memory does not grow with a shard's size. ``load`` readies a chunk in the process that checks
it and returns its documents and the layer, decisions and suggestions files they have.

A file of a packed corpus is shown as ``<shard>:<line>[<path in the corpus>]``, for example
``packed/shard-00003.jsonl:17[annotations/x.json]``: the shard, the document's line in it, and the
file that line holds; a line and column after it are the file's own. What is not as ``pack``
writes it (a damaged line, a shard whose SHA-256 is not the manifest's) is an ``E-PACKED`` problem;
the documents of a shard after a damaged line are not read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from ..corpus import (ANNOTATIONS, DATASET, DOCUMENTS, REGISTRY, TEXTS, DocumentFiles, PackedReader, block_documents,
                      check_blocks, document_of, is_packed, layer_file, read_document_files, read_file, symlinked_parts)
from ..corpus import document_ids as folder_document_ids
from ..errors import BadInput, NewsSpansError
from ..paths import display_path
from ._parallel import CHUNK_DOCUMENTS, chunked
from ._parse import symlink_problem
from ._problems import Problem
from ._sources import DocumentSources, SourceIndex, list_sources

#: The location of a packed corpus's file: shard, line, path in the corpus.
_PACKED_LOCATION = re.compile(r"(?P<shard>.*):(?P<line>[0-9]+)\[(?P<rel>[^\]]*)\]")


@dataclass
class Chunk:
    """What a worker needs to check a chunk: its documents (a folder's) or its shard (a packed
    corpus's), and the layer, decisions and suggestions files of its documents (a folder's; a
    packed corpus's are in its shard)."""

    index: int
    doc_ids: Sequence[str] = ()
    #: A packed corpus's chunk: the shard and its block (``corpus.BLOCK_DOCUMENTS`` lines).
    shard: int = 0
    block: int = 0
    sources: dict[str, DocumentSources] = field(default_factory=dict)


@dataclass
class Loaded:
    """A chunk readied for checking: its documents in id order, their other files, and what its
    loading found (files of documents the corpus does not have, damage)."""

    doc_ids: list[str]
    index: SourceIndex
    problems: list[Problem] = field(default_factory=list)
    #: Whether a part of the chunk could not be read (the cross-document checks are then off).
    incomplete: bool = False


def _shown_prefix(root: str) -> Optional[str]:
    """What ``display_path`` shows of every path inside ``root`` before the path's own part
    ("" for the working directory itself), or None when that depends on the path (the working
    directory is inside the corpus)."""
    if "://" in root:
        return None
    cwd, absolute = os.getcwd(), os.path.abspath(root)
    if cwd == absolute:
        return ""
    if cwd.startswith(absolute.rstrip(os.sep) + os.sep):
        return None
    return display_path(root)


class FolderFiles:
    """A corpus folder, read file by file, never through a symbolic link."""

    packed = False

    def __init__(self, root: Union[str, Path]):
        self.root = Path(root)
        self._root = str(self.root)
        self._shown_root = _shown_prefix(self._root)

    def path(self, rel: str) -> str:
        return os.path.join(self._root, rel)

    def shown(self, rel: str) -> str:
        """``display_path`` of the file (``rel`` is a path inside the corpus): the root's shown form
        joined to ``rel``, computed once rather than per file."""
        if self._shown_root is None:
            return display_path(self.path(rel))
        return os.path.join(self._shown_root, rel)

    def read(self, rel: str) -> Optional[bytes]:
        """The file's bytes; None when there is none; ``SymlinkRefused`` for a link."""
        return read_file(self.path(rel))

    def read_shown(self, shown: str) -> Optional[bytes]:
        """The bytes of a file named as ``shown`` names it."""
        return read_file(shown)

    def kind(self, rel: str) -> str:
        """"missing", "link", "folder" or "file"."""
        path = self.path(rel)
        if not os.path.lexists(path):
            return "missing"
        if os.path.islink(path):
            return "link"
        return "folder" if os.path.isdir(path) else "file"

    def layout_problems(self) -> list[Problem]:
        if not self.root.is_dir():
            return [Problem("E-FILE-MISSING", "no such corpus folder", file=display_path(self.root))]
        links = symlinked_parts(self.root)
        problems = [symlink_problem(self.path(name)) for name in links]
        for name in (DATASET, REGISTRY):
            if name not in links and not os.path.isfile(self.path(name)):
                problems.append(Problem("E-FILE-MISSING", "required file is missing", file=self.shown(name)))
        for name in (TEXTS, DOCUMENTS, ANNOTATIONS):
            if name not in links and not os.path.isdir(self.path(name)):
                problems.append(Problem("E-FILE-MISSING", "required folder is missing", file=self.shown(name)))
        return problems

    def document_ids(self) -> list[str]:
        return folder_document_ids(self.root)

    def document_files(self, doc_id: str) -> DocumentFiles:
        return read_document_files(self._root, doc_id)

    def list_sources(self, doc_ids: Sequence[str], suggestions: bool) -> SourceIndex:
        return list_sources(self._root, doc_ids, suggestions)

    def chunks(self, index: SourceIndex, doc_ids: Sequence[str], size: int = CHUNK_DOCUMENTS) -> list[Chunk]:
        return [Chunk(i, doc_ids=c, sources=index.chunk(c)) for i, c in enumerate(chunked(doc_ids, size))]

    def load(self, chunk: Chunk, suggestions: bool) -> Loaded:
        return Loaded(list(chunk.doc_ids), SourceIndex(by_document=dict(chunk.sources)))


class PackedFiles:
    """A packed corpus (``newsspans pack``) at a path or an fsspec URL: the corpus-level files from
    its folder, each document's files from its shard line, a shard at a time."""

    packed = True

    def __init__(self, location: Union[str, Path]):
        self.reader = PackedReader(location)
        self.location = self.reader.location
        self._manifest: Optional[dict[str, Any]] = None
        self._files: dict[str, bytes] = {}  # the loaded chunk's files, by path in the corpus
        self._where: dict[str, str] = {}  # the loaded chunk's document ids -> "<shard>:<line>"
        self._cached: Optional[tuple[str, dict[int, dict[str, bytes]]]] = None  # read_shown's last shard

    def __getstate__(self) -> dict[str, Any]:
        return {"reader": self.reader, "location": self.location, "_manifest": self._manifest, "_files": {},
                "_where": {}, "_cached": None}

    @property
    def root(self) -> Path:
        return Path(self.location)

    def manifest(self) -> dict[str, Any]:
        if self._manifest is None:
            self._manifest = self.reader.manifest()
        return self._manifest

    def shown(self, rel: str) -> str:
        doc_id = document_of(rel)
        if doc_id is not None and doc_id in self._where:
            return f"{self._where[doc_id]}[{rel}]"
        return self.reader.shown(rel)

    def read(self, rel: str) -> Optional[bytes]:
        if document_of(rel) is not None:
            return self._files.get(rel)
        if rel not in self.manifest().get("files", []):
            return None
        return self.reader.read(rel)

    def read_shown(self, shown: str) -> Optional[bytes]:
        """The bytes of a file as ``shown`` names it: a corpus-level file, or a shard line's file
        (the shard is read again, once for the files of one shard asked in a row)."""
        match = _PACKED_LOCATION.fullmatch(shown)
        if match is None:
            return self.reader.read(os.path.basename(shown))
        shard_shown, line = match["shard"], int(match["line"])
        if self._cached is None or self._cached[0] != shard_shown:
            shard = next((s for s in self.manifest().get("shards", []) if self.reader.shown(s["file"]) == shard_shown), None)
            lines: dict[int, dict[str, bytes]] = {}
            if shard is not None:
                try:
                    lines = {number: files for number, _, files in self.reader.documents(shard)}
                except NewsSpansError:
                    pass
            self._cached = (shard_shown, lines)
        return self._cached[1].get(line, {}).get(match["rel"])

    def kind(self, rel: str) -> str:
        return "file" if rel in self.manifest().get("files", []) else "missing"

    def layout_problems(self) -> list[Problem]:
        try:
            manifest = self.manifest()
        except BadInput as exc:
            return [Problem("E-PACKED", str(exc).split(": ", 1)[-1], file=self.reader.shown("packed.json"))]
        wrong = check_blocks(manifest)
        if wrong is not None:
            return [Problem("E-PACKED", wrong, file=self.reader.shown("packed.json"))]
        problems = []
        for name in (DATASET, REGISTRY):
            if name not in manifest.get("files", []):
                problems.append(Problem("E-FILE-MISSING", "required file is missing (not in the packed corpus)",
                                        file=self.reader.shown(name)))
        return problems

    def document_ids(self) -> list[str]:
        raise NewsSpansError("a packed corpus's documents are listed shard by shard (Corpus.map_documents)")

    def document_files(self, doc_id: str) -> DocumentFiles:
        names = (f"{TEXTS}/{doc_id}.txt", f"{DOCUMENTS}/{doc_id}.json", f"{ANNOTATIONS}/{doc_id}.json")
        return DocumentFiles(doc_id, names, *(self._files.get(n) for n in names))

    def list_sources(self, doc_ids: Sequence[str], suggestions: bool) -> SourceIndex:
        """The corpus-wide part of the listing: the annotator folders (the manifest's); each
        shard's files are listed when it is loaded."""
        prefix = "layers/"
        folders = sorted(f[len(prefix):] for f in self.manifest().get("folders", [])
                         if f.startswith(prefix) and "/" not in f[len(prefix):])
        return SourceIndex(folders=folders)

    def chunks(self, index: SourceIndex, doc_ids: Sequence[str], size: int = CHUNK_DOCUMENTS) -> list[Chunk]:
        shards = self.manifest().get("shards", [])
        pairs = [(s, b) for s, shard in enumerate(shards) for b in range(len(shard["blocks"]))]
        return [Chunk(i, shard=s, block=b) for i, (s, b) in enumerate(pairs)]

    def load(self, chunk: Chunk, suggestions: bool) -> Loaded:
        """Read the chunk's block of its shard: its documents (those with a text, metadata or
        annotation file), the other files they have, the files of documents the corpus does not
        have, and any damage (an ``E-PACKED`` problem; the lines after it are not read)."""
        shard = self.manifest()["shards"][chunk.shard]
        self._files, self._where = {}, {}
        loaded = Loaded([], SourceIndex())
        shown = self.reader.shown(shard["file"])
        try:
            for number, doc_id, files in block_documents(self.reader, shard, shard["blocks"][chunk.block]):
                self._where[doc_id] = f"{shown}:{number}"
                self._files.update(files)
                _list_document(doc_id, files, loaded, suggestions)
        except NewsSpansError as exc:
            loaded.problems.append(_packed_problem(str(exc)))
            loaded.incomplete = True
        return loaded


def _list_document(doc_id: str, files: dict[str, bytes], loaded: Loaded, suggestions: bool) -> None:
    """Add one shard line's document to ``loaded``: a document when it has one of its three files,
    else its other files are of a document the corpus does not have."""
    own = (f"{TEXTS}/{doc_id}.txt", f"{DOCUMENTS}/{doc_id}.json", f"{ANNOTATIONS}/{doc_id}.json")
    known = any(n in files for n in own)
    layers = tuple(sorted(rel.split("/")[1] for rel in files if rel.startswith("layers/")))
    decisions = f"decisions/{doc_id}.jsonl" in files
    suggested = suggestions and f"suggestions/{doc_id}.json" in files
    index = loaded.index
    if known:
        loaded.doc_ids.append(doc_id)
        if layers or decisions or suggested:
            index.by_document[doc_id] = DocumentSources(layers, decisions, suggested)
        return
    index.orphan_layers += [layer_file(a, doc_id) for a in layers]
    if decisions:
        index.orphan_decisions.append(f"decisions/{doc_id}.jsonl")
    if suggested:
        index.orphan_suggestions.append(f"suggestions/{doc_id}.json")


def _packed_problem(message: str) -> Problem:
    """E-PACKED from a ``PackedReader`` message ``<shard>[:<line>]: <what>``."""
    where, _, what = message.partition(": ")
    file, _, line = where.rpartition(":")
    if line.isdigit():
        return Problem("E-PACKED", what, file=file, line=int(line))
    return Problem("E-PACKED", what, file=where)


def open_files(location: Union[str, Path]) -> Union[FolderFiles, PackedFiles]:
    """The files of the corpus at ``location``: a packed corpus when it holds ``packed.json`` (or
    is an fsspec URL), else a corpus folder."""
    return PackedFiles(location) if is_packed(location) else FolderFiles(location)
