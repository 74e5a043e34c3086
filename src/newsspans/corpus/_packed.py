"""The packed corpus: a second on-disk form of a corpus folder for large collections, and
``pack``/``unpack`` between the two, byte for byte.

A corpus folder holds several files per document (its text, metadata, gold, and any layers,
decisions and suggestions): three million files at a million documents. A packed corpus holds
the same bytes in few files::

    packed.json                  the manifest: format, version, every folder, the shards
    dataset.json                 as in the folder, byte for byte
    registry.json                as in the folder
    annotators.json              as in the folder, when it has one
    shard-00000.jsonl            one line per document, in document id order
    shard-00001.jsonl            ...

Each shard line is one JSON object, ``{"id": <document id>, "files": {<path>: <content>, ...}}``:
every file of that document by its path in the folder (``texts/<id>.txt``,
``documents/<id>.json``, ``annotations/<id>.json``, ``layers/<annotator>/<id>.json``,
``decisions/<id>.jsonl``, ``suggestions/<id>.json``), sorted, its content the file's text (UTF-8
decoded exactly), or ``{"base64": ...}`` for bytes that are not UTF-8 (a corpus is packed as it is,
valid or not: ``validate`` judges it). A shard is cut before the line that would take it past
``shard_bytes`` (so a shard holds at least one document), a pure function of the lines; the
manifest records each shard's documents, first and last id, size and SHA-256, and every folder of
the corpus (empty ones too), so that ``unpack`` gives back the folder exactly.

``pack`` refuses a corpus folder holding anything else (another file, a symbolic link, the
leftovers of an interrupted write), naming it: nothing is left behind silently. Both write their
output folder whole or not at all (``atomic.staged_dir``), and refuse an output that exists and is
not an empty folder.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Union

from ..atomic import refuse_unless_new, staged_dir
from ..errors import BadInput, NewsSpansError
from ..labels import DOCUMENT_ID, SLUG, unanchored
from ..paths import display_path
from ._layout import (ANNOTATIONS, ANNOTATORS, DATASET, DECISIONS, DOCUMENTS, LAYERS_DIR, REGISTRY, SUGGESTIONS, TEXTS,
                      corpus_folder)

MANIFEST = "packed.json"
FORMAT = "newsspans-packed"
VERSION = 1
#: The default bound of a shard's size (bytes): big enough for few files, small enough to move.
SHARD_BYTES = 64 * 1024 * 1024
#: Lines per block: the unit a worker reads, checks and converts on its own (a shard is
#: read whole only by ``unpack``), whatever the shard's size; the manifest records each block.
BLOCK_DOCUMENTS = 500
#: The corpus-level files, copied as they are.
TOP_FILES = (DATASET, REGISTRY, ANNOTATORS)


_ID, _ANNOTATOR = unanchored(DOCUMENT_ID), unanchored(SLUG)
#: Each per-document file's path; the named group is the document id.
_DOCUMENT_FILE = re.compile(
    rf"(?:{TEXTS}/(?P<t>{_ID})\.txt|{DOCUMENTS}/(?P<d>{_ID})\.json|{ANNOTATIONS}/(?P<a>{_ID})\.json"
    rf"|{LAYERS_DIR}/{_ANNOTATOR}/(?P<l>{_ID})\.json|{DECISIONS}/(?P<c>{_ID})\.jsonl|{SUGGESTIONS}/(?P<s>{_ID})\.json)")
#: The folders a corpus may hold.
_FOLDER = re.compile(rf"(?:{TEXTS}|{DOCUMENTS}|{ANNOTATIONS}|{LAYERS_DIR}|{LAYERS_DIR}/{_ANNOTATOR}|{DECISIONS}|{SUGGESTIONS})")


def document_of(rel: str) -> Optional[str]:
    """The document id a corpus file belongs to, from its path; None for any other path."""
    match = _DOCUMENT_FILE.fullmatch(rel)
    return None if match is None else next(v for v in match.groupdict().values() if v is not None)


@dataclass(frozen=True)
class Shard:
    """One shard as the manifest records it."""

    file: str
    documents: int
    first: str
    last: str
    bytes: int
    sha256: str
    #: Its runs of ``BLOCK_DOCUMENTS`` lines (the last one fewer): each one's first document, byte
    #: offset, bytes, lines and SHA-256, so that a worker reads and checks a block alone.
    blocks: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "documents": self.documents, "first": self.first, "last": self.last,
                "bytes": self.bytes, "sha256": self.sha256, "blocks": list(self.blocks)}


@dataclass
class PackResult:
    """What ``pack`` or ``unpack`` wrote: the output folder, the documents and files carried, the shards."""

    out: Path
    documents: int
    files: int
    shards: list[Shard] = field(default_factory=list)


# --- pack -------------------------------------------------------------------------------------------

def _walk(root: Path) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The corpus's folders, its per-document files by document id, and its top-level files;
    ``BadInput`` naming anything else found."""
    folders: list[str] = []
    by_doc: dict[str, list[str]] = {}
    top: list[str] = []
    stray: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        kept = []
        for name in sorted(dirnames):
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if os.path.islink(os.path.join(dirpath, name)) or not _FOLDER.fullmatch(rel):
                stray.append(rel + "/")
            else:
                folders.append(rel)
                kept.append(name)
        dirnames[:] = kept  # os.walk goes into these only
        for name in sorted(filenames):
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            doc_id = document_of(rel)
            if os.path.islink(os.path.join(dirpath, name)) or not (doc_id or rel in TOP_FILES):
                stray.append(rel)
            elif doc_id:
                by_doc.setdefault(doc_id, []).append(rel)
            else:
                top.append(rel)
    if stray:
        shown = ", ".join(stray[:5]) + (f" and {len(stray) - 5} more" if len(stray) > 5 else "")
        raise BadInput(f"{display_path(root)} holds what a corpus does not ({shown}): a symbolic link, a leftover of an "
                       "interrupted write (run any write command first) or another file; move it away, then pack")
    return sorted(folders), by_doc, sorted(top)


def _content(data: bytes) -> Any:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def _line(doc_id: str, files: dict[str, bytes]) -> bytes:
    """A document's shard line."""
    content = {rel: _content(files[rel]) for rel in sorted(files)}
    return (json.dumps({"id": doc_id, "files": content}, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class _ShardWriter:
    """Writes lines into ``shard-NNNNN.jsonl`` files of ``folder``, cutting before a line that would
    take a shard past ``limit`` bytes."""

    def __init__(self, folder: Path, limit: int):
        self.folder, self.limit = folder, limit
        self.shards: list[Shard] = []
        self._fh: Any = None
        self._count, self._first, self._last = 0, "", ""
        self._size = 0
        self._hash = hashlib.sha256()
        self._blocks: list[dict[str, Any]] = []
        self._block_hash = hashlib.sha256()

    def add(self, doc_id: str, line: bytes) -> None:
        if self._fh is not None and self._size + len(line) > self.limit:
            self.close()
        if self._fh is None:
            self._fh = (self.folder / f"shard-{len(self.shards):05d}.jsonl").open("wb")
            self._count, self._first, self._size, self._hash, self._blocks = 0, doc_id, 0, hashlib.sha256(), []
        if self._count % BLOCK_DOCUMENTS == 0:
            self._end_block()
            self._blocks.append({"first": doc_id, "offset": self._size, "bytes": 0, "lines": 0, "sha256": ""})
            self._block_hash = hashlib.sha256()
        self._fh.write(line)
        self._hash.update(line)
        self._block_hash.update(line)
        self._blocks[-1]["bytes"] += len(line)
        self._blocks[-1]["lines"] += 1
        self._size += len(line)
        self._count += 1
        self._last = doc_id

    def _end_block(self) -> None:
        if self._blocks:
            self._blocks[-1]["sha256"] = self._block_hash.hexdigest()

    def close(self) -> None:
        if self._fh is None:
            return
        self._fh.close()
        self._end_block()
        name = f"shard-{len(self.shards):05d}.jsonl"
        self.shards.append(Shard(name, self._count, self._first, self._last, self._size, self._hash.hexdigest(),
                                 tuple(self._blocks)))
        self._fh = None


def pack(*, corpus: Union[str, Path], out: Union[str, Path], shard_bytes: int = SHARD_BYTES) -> PackResult:
    """Write the corpus folder ``corpus`` as a packed corpus in the new folder ``out`` (module
    docstring), whole or not at all. ``BadInput`` for a folder that is not a corpus or holds
    anything a corpus does not, an output that is not new, a shard bound below 1."""
    root, out = corpus_folder(corpus), Path(out)
    if shard_bytes < 1:
        raise BadInput(f"--shard-bytes must be at least 1, got {shard_bytes}")
    refuse_unless_new(out, BadInput)
    folders, by_doc, top = _walk(root)
    documents = ((doc_id, {rel: (root / rel).read_bytes() for rel in by_doc[doc_id]}) for doc_id in sorted(by_doc))
    with staged_dir(out, purpose="pack") as tmp:
        shards = write_packed(tmp, top={rel: (root / rel).read_bytes() for rel in top}, folders=folders,
                              documents=documents, shard_bytes=shard_bytes)
    return PackResult(out, len(by_doc), sum(map(len, by_doc.values())) + len(top), shards)


def write_packed(folder: Path, *, top: dict[str, bytes], folders: list[str],
                 documents: Iterable[tuple[str, dict[str, bytes]]], shard_bytes: int = SHARD_BYTES) -> list[Shard]:
    """Write a packed corpus into the empty folder ``folder``: the corpus-level files ``top``
    (path -> bytes), the corpus ``folders`` (sorted), and ``documents`` (id and files, path ->
    bytes, in id order) as shards; the one writer of the format (``pack`` and the synthetic
    corpora use it). The caller makes the write atomic."""
    for rel in sorted(top):
        (folder / rel).write_bytes(top[rel])
    writer = _ShardWriter(folder, shard_bytes)
    count = 0
    for doc_id, files in documents:
        writer.add(doc_id, _line(doc_id, files))
        count += 1
    writer.close()
    manifest = {"format": FORMAT, "version": VERSION, "documents": count, "files": sorted(top), "folders": folders,
                "shards": [s.to_dict() for s in writer.shards]}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return writer.shards


# --- reading a packed corpus -----------------------------------------------------------------------

def is_url(location: Union[str, Path]) -> bool:
    """Whether ``location`` is an fsspec URL (``file://...``, ``s3://...``) rather than a path."""
    return isinstance(location, str) and "://" in location


def is_packed(location: Union[str, Path]) -> bool:
    """Whether ``location`` (a path or an fsspec URL) is a packed corpus: it holds ``packed.json``
    (a URL is always taken as one: a corpus folder is read from a local path only)."""
    return is_url(location) or os.path.isfile(os.path.join(location, MANIFEST))


class PackedReader:
    """A packed corpus at a local path or an fsspec URL (``file://``, ``memory://``, or any
    filesystem installed, such as ``s3://`` with s3fs): its files, and its shards line by line.
    Picklable (it opens the filesystem again where it is unpickled), so that workers on other
    machines read the shards themselves."""

    def __init__(self, location: Union[str, Path]):
        self.location = str(location)
        self._fs: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"location": self.location, "_fs": None}

    def _open(self) -> tuple[Any, str]:
        if self._fs is None:
            from fsspec.core import url_to_fs

            self._fs, self._base = url_to_fs(self.location)
        return self._fs, self._base

    def shown(self, name: str) -> str:
        """How a file of the packed corpus is shown in messages: a path as a user types it, or the URL."""
        if is_url(self.location):
            return self.location.rstrip("/") + "/" + name
        return display_path(os.path.join(self.location, name))

    def read(self, name: str) -> Optional[bytes]:
        """The bytes of the file ``name`` (``dataset.json``, a shard...), None when there is none."""
        fs, base = self._open()
        try:
            with fs.open(f"{base.rstrip('/')}/{name}", "rb") as fh:
                return fh.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def manifest(self) -> dict[str, Any]:
        """The manifest; ``BadInput`` when there is none or it is not one this version reads."""
        try:
            data = self.read(MANIFEST)
        except OSError as exc:
            raise BadInput(f"{self.shown(MANIFEST)}: cannot be read: {exc}") from None
        if data is None:
            raise BadInput(f"{self.shown('')} is not a packed corpus (no {MANIFEST}; `newsspans pack` makes one)")
        try:
            value = json.loads(data.decode("utf-8"))
        except ValueError as exc:
            raise BadInput(f"{self.shown(MANIFEST)}: cannot be read: {exc}") from None
        if not isinstance(value, dict) or value.get("format") != FORMAT or value.get("version") != VERSION:
            raise BadInput(f"{self.shown(MANIFEST)}: not a {FORMAT} manifest of version {VERSION}")
        return value

    def documents(self, shard: dict[str, Any], previous: Optional[str] = None) -> Iterator[tuple[int, str, dict[str, bytes]]]:
        """``(line number, document id, files)`` of each line of ``shard`` (a manifest entry),
        streamed; ``NewsSpansError`` naming the shard and line of anything that is not as ``pack``
        writes it (a line that is not a document, a path not of its document, documents out of
        order, after ``previous`` too), and, once the shard is read, a SHA-256 or line count that
        is not the manifest's: a caller writing what it yields writes it whole or not at all."""
        fs, base = self._open()
        shown = self.shown(shard["file"])
        digest, number = hashlib.sha256(), 0
        try:
            fh = fs.open(f"{base.rstrip('/')}/{shard['file']}", "rb")
        except FileNotFoundError:
            raise NewsSpansError(f"{shown}: the shard is missing") from None
        with fh:
            for raw in fh:
                digest.update(raw)
                number += 1
                where = f"{shown}:{number}"
                doc_id, files = _line_files(raw, where)
                if previous is not None and doc_id <= previous:
                    raise NewsSpansError(f"{where}: document {doc_id} is not after {previous}; shards hold documents in id order")
                previous = doc_id
                yield number, doc_id, files
        if digest.hexdigest() != shard.get("sha256") or number != shard.get("documents"):
            raise NewsSpansError(f"{shown}: its SHA-256 or its {number} line(s) are not the manifest's; the shard was "
                                 "changed or cut (pack the corpus again)")


def block_documents(reader: "PackedReader", shard: dict[str, Any], block: dict[str, Any]) -> Iterator[tuple[int, str, dict[str, bytes]]]:
    """``(line number in the shard, document id, files)`` of each line of one block of ``shard``
    (manifest entries), read alone; ``NewsSpansError`` naming the shard and line of anything that
    is not as ``pack`` writes it, checked as ``PackedReader.documents`` checks a whole shard: each
    line, then the block's lines and SHA-256 against the manifest (and nothing after the last block)."""
    fs, base = reader._open()
    shown = reader.shown(shard["file"])
    blocks = shard["blocks"]
    position = next(i for i, b in enumerate(blocks) if b is block)
    first_line = 1 + sum(b["lines"] for b in blocks[:position])
    last = position == len(blocks) - 1
    try:
        with fs.open(f"{base.rstrip('/')}/{shard['file']}", "rb") as fh:
            fh.seek(block["offset"])
            data = fh.read(block["bytes"] + (1 if last else 0))  # one more: anything after the shard's last block
    except FileNotFoundError:
        raise NewsSpansError(f"{shown}: the shard is missing") from None
    mine, after = data[: block["bytes"]], data[block["bytes"]:]
    previous, number = None, first_line - 1
    pieces = mine.split(b"\n")  # the last piece is empty unless the block ends inside a line
    lines = [piece + b"\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    for number, raw in enumerate(lines, first_line):
        where = f"{shown}:{number}"
        doc_id, files = _line_files(raw, where)
        if (previous is None and doc_id != block["first"]) or (previous is not None and doc_id <= previous):
            raise NewsSpansError(f"{where}: document {doc_id} is not where the manifest puts it, or not in id order")
        previous = doc_id
        yield number, doc_id, files
    if after:
        raise NewsSpansError(f"{shown}:{number + 1}: a line after the last one the manifest records")
    if number - first_line + 1 != block["lines"] or hashlib.sha256(mine).hexdigest() != block["sha256"]:
        raise NewsSpansError(f"{shown}:{first_line}: the {block['lines']} line(s) from here are not the manifest's "
                             "(their bytes or SHA-256 differ): the shard was changed or cut (pack the corpus again)")


def check_blocks(manifest: dict[str, Any]) -> Optional[str]:
    """What is wrong with the manifest's shards and blocks (None when nothing): each shard's
    blocks must tile it in order, their lines add up to its documents, and the blocks' first
    documents increase from shard to shard (what lets workers read blocks alone)."""
    previous = None
    try:
        for shard in manifest["shards"]:
            offset = lines = 0
            for block in shard["blocks"]:
                if block["offset"] != offset or not 0 < block["lines"] <= BLOCK_DOCUMENTS or block["bytes"] < block["lines"]:
                    return f"{shard['file']}: its blocks do not tile it"
                if previous is not None and not block["first"] > previous:
                    return f"{shard['file']}: its blocks' documents are not in id order"
                offset, lines, previous = offset + block["bytes"], lines + block["lines"], block["first"]
            if offset != shard["bytes"] or lines != shard["documents"]:
                return f"{shard['file']}: its blocks do not add up to its bytes and documents"
    except (KeyError, TypeError):
        return "a shard or block entry lacks a field (file, bytes, documents, blocks: first, offset, bytes, lines, sha256)"
    return None


def read_manifest(packed: Union[str, Path]) -> dict[str, Any]:
    """The manifest of the packed corpus at ``packed`` (``PackedReader.manifest``)."""
    return PackedReader(packed).manifest()


def _file_bytes(content: Any, where: str) -> bytes:
    if isinstance(content, str):
        return content.encode("utf-8")
    if isinstance(content, dict) and set(content) == {"base64"} and isinstance(content["base64"], str):
        try:
            return base64.b64decode(content["base64"], validate=True)
        except ValueError:
            pass
    raise NewsSpansError(f"{where}: a file's content must be text or {{\"base64\": ...}}")


def iter_documents(packed: Union[str, Path], manifest: Optional[dict[str, Any]] = None) -> Iterator[tuple[str, dict[str, bytes]]]:
    """Each document of the packed corpus, in id order: its id and its files (path -> bytes), a
    shard streamed line by line (``PackedReader.documents``)."""
    reader = PackedReader(packed)
    manifest = manifest or reader.manifest()
    previous = None
    for shard in manifest.get("shards", []):
        for _number, doc_id, files in reader.documents(shard, previous):
            previous = doc_id
            yield doc_id, files


def _line_files(raw: bytes, where: str) -> tuple[str, dict[str, bytes]]:
    """The document id and files (path -> bytes) of one shard line, ``raw`` with its line end;
    ``NewsSpansError`` at ``where`` for a line that is cut, not UTF-8 or not a document line."""
    if not raw.endswith(b"\n"):
        raise NewsSpansError(f"{where}: the line is cut (no line end)")
    try:
        doc_id, files = _document_line(raw.decode("utf-8"), where)
    except UnicodeDecodeError:
        raise NewsSpansError(f"{where}: the line is not UTF-8") from None
    return doc_id, {rel: _file_bytes(content, f"{where}: {rel}") for rel, content in files.items()}


def _document_line(raw: str, where: str) -> tuple[str, dict[str, Any]]:
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise NewsSpansError(f"{where}: not JSON: {exc}") from None
    if not isinstance(value, dict) or set(value) != {"id", "files"} or not isinstance(value["files"], dict):
        raise NewsSpansError(f"{where}: a document line is {{\"id\": ..., \"files\": {{path: content}}}}")
    doc_id = value["id"]
    for rel in value["files"]:
        if document_of(rel) != doc_id:
            raise NewsSpansError(f"{where}: {rel!r} is not a file of document {doc_id!r}")
    return doc_id, value["files"]


def unpack(*, packed: Union[str, Path], out: Union[str, Path]) -> PackResult:
    """Write the packed corpus ``packed`` back as a corpus folder in the new folder ``out``, byte for
    byte as it was packed, whole or not at all. ``BadInput`` for no packed corpus or an output
    that is not new; ``NewsSpansError`` naming the shard and line of a damaged shard."""
    packed, out = Path(packed), Path(out)
    manifest = read_manifest(packed)
    refuse_unless_new(out, BadInput)
    documents = files = 0
    with staged_dir(out, purpose="unpack") as tmp:
        for rel in manifest.get("folders", []):
            if not _FOLDER.fullmatch(rel):
                raise NewsSpansError(f"{display_path(packed / MANIFEST)}: {rel!r} is not a corpus folder")
            (tmp / rel).mkdir(parents=True, exist_ok=True)
        for rel in manifest.get("files", []):
            if rel not in TOP_FILES:
                raise NewsSpansError(f"{display_path(packed / MANIFEST)}: {rel!r} is not a corpus file")
            (tmp / rel).write_bytes((packed / rel).read_bytes())
            files += 1
        for _doc_id, found in iter_documents(packed, manifest):
            for rel, data in found.items():
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                (tmp / rel).write_bytes(data)
            documents, files = documents + 1, files + len(found)
    return PackResult(out, documents, files, [])
