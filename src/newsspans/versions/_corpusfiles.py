"""The files of one corpus state, read a document at a time: a corpus folder, or a corpus folder
of a git revision read straight from git (its listing once, then each document's files as they
are needed). ``_snapshot.corpus_snapshot`` reads either the same way, and ``diff`` walks their
documents in id order without holding them.

A revision is read as ``git archive`` would extract it and the folder readers would read that:
links are listed and never read, a folder that is a link holds nothing, a submodule is no file.
"""

from __future__ import annotations

import contextlib
import posixpath
from collections import deque
from pathlib import Path
from typing import Any, Iterator, Optional

from ..corpus import (ANNOTATIONS, CORPUS_PARTS, DOCUMENT_FOLDERS, DOCUMENTS, TEXTS, DocumentFiles, document_ids,
                      lenient_document, load_json, parse_json_leniently, read_document_files, read_file, symlinked_parts)
from ..errors import BadInput
from ..model import Document
from ..paths import display_path
from ._gitobjects import BlobReader, Entry, list_tree

SCHEMA = "schema"
ANNOTATION_SCHEMA = "annotation.schema.json"
SCHEMA_SUFFIX = ".schema.json"
#: Documents whose files are asked of git ahead of the one being read (3 files each: within
#: ``BlobReader.MAX_AHEAD``).
AHEAD = 64


class CorpusFiles:
    """What reading a corpus state needs of its files. ``schema_files`` are those of the
    ``schema/`` folder next to the corpus: None when it has no annotation schema."""

    def shown(self, rel: str) -> str:
        """How the file ``rel`` (relative to the corpus) is named to the user."""
        raise NotImplementedError

    def links(self) -> list[str]:
        raise NotImplementedError

    def load_json(self, rel: str) -> Any:
        raise NotImplementedError

    def document_ids(self) -> list[str]:
        raise NotImplementedError

    def document_files(self, doc_id: str) -> DocumentFiles:
        raise NotImplementedError

    def schema_files(self) -> Optional[list[tuple[str, Optional[bytes]]]]:
        raise NotImplementedError

    def documents(self) -> Iterator[tuple[str, Optional[Document]]]:
        """``(id, document)`` of every document in id order, read one at a time; None for one
        whose text or annotation file cannot be read (``corpus.lenient_document``)."""
        for doc_id in self.document_ids():
            doc = lenient_document(self.document_files(doc_id))
            yield doc_id, None if doc is None else doc.document


class FolderFiles(CorpusFiles):
    """A corpus folder on disk (read never through a link)."""

    def __init__(self, root: Path):
        self.root = root

    def shown(self, rel: str) -> str:
        return display_path(self.root / rel)

    def links(self) -> list[str]:
        return symlinked_parts(self.root)

    def load_json(self, rel: str) -> Any:
        return load_json(self.root / rel)

    def document_ids(self) -> list[str]:
        return document_ids(self.root)

    def document_files(self, doc_id: str) -> DocumentFiles:
        return read_document_files(self.root, doc_id)

    def schema_files(self) -> Optional[list[tuple[str, Optional[bytes]]]]:
        schema_dir = self.root.parent / SCHEMA
        if schema_dir.is_symlink() or not (schema_dir / ANNOTATION_SCHEMA).is_file():
            return None
        found = []
        for path in sorted(schema_dir.glob(f"*{SCHEMA_SUFFIX}")):
            with contextlib.suppress(OSError):  # never through a link
                found.append((path.name, read_file(path)))
        return found


def join(*parts: str) -> str:
    """Repository-relative paths joined ("" is the repository root)."""
    return "/".join(p for p in parts if p)


class RevisionTree:
    """What reading the folder ``path`` of a revision needs, from one streamed ``git ls-tree``: the
    entries of the folder, of the folders on the way to it, of its ``corpus/`` and ``schema/``
    and of the top ``schema/`` (``entries``), and the files of the document folders of the
    folder or of its ``corpus/`` (``folders``: folder -> file name -> entry; a name per file, not
    a path). ``attributes``: whether a ``.gitattributes`` file of the revision may apply."""

    def __init__(self, repo: Path, commit: str, path: str):
        self.repo, self.commit, self.path = repo, commit, path
        on_the_way = [join(*path.split("/")[:k]) for k in range(1, path.count("/") + 2)] if path else []
        self.on_the_way = on_the_way
        keep = {path, join(path, "corpus"), join(path, SCHEMA), SCHEMA}
        documents = {join(base, folder) for base in (path, join(path, "corpus")) for folder, _ in DOCUMENT_FOLDERS}
        self.entries: dict[str, Entry] = {}
        self.folders: dict[str, dict[str, Entry]] = {folder: {} for folder in documents}
        self.attributes = False
        specs = [path or ".", SCHEMA, ".gitattributes", *(join(p, ".gitattributes") for p in on_the_way)]
        for rel, entry in list_tree(repo, commit, specs):
            parent, _, name = rel.rpartition("/")
            self.attributes = self.attributes or name == ".gitattributes"
            if parent in documents:
                if entry.kind == "blob":
                    self.folders[parent][name] = entry
            elif parent in keep or rel in keep or rel in on_the_way:
                self.entries[rel] = entry

    def entry(self, rel: str) -> Optional[Entry]:
        """The entry at ``rel`` (the root is a folder)."""
        return Entry("040000", "tree", "") if rel == "" else self.entries.get(rel)

    def first_link(self) -> Optional[str]:
        """The first folder on the way to ``path`` (or ``path``) that is a link."""
        return next((p for p in self.on_the_way if (e := self.entries.get(p)) is not None and e.is_link), None)

    def is_release(self, rel: str) -> bool:
        manifest, documents = self.entry(join(rel, "manifest.json")), self.entry(join(rel, DOCUMENTS))
        return manifest is not None and not manifest.is_dir and documents is not None and (documents.is_dir or documents.is_link)

    def is_corpus(self, rel: str) -> bool:
        folder = self.entry(rel)
        return folder is not None and folder.is_dir and all(self.entry(join(rel, part)) is not None for part in CORPUS_PARTS)

    def corpus_root(self) -> Optional[str]:
        """The corpus folder ``path`` names (itself, or its ``corpus/``); None for a release or
        for neither (``_snapshot.read_folder``'s order)."""
        if self.is_release(self.path):
            return None
        for rel in (self.path, join(self.path, "corpus")):
            if self.is_corpus(rel):
                return rel
        return None

    def schema_dir(self, root: str) -> str:
        return join(posixpath.dirname(root), SCHEMA)

    def files(self, root: str) -> Iterator[str]:
        """The paths of every file a reader of the corpus at ``root`` may read."""
        for part in CORPUS_PARTS:
            yield join(root, part)
        for folder, _ in DOCUMENT_FOLDERS:
            yield from (join(root, folder, name) for name in self.folders.get(join(root, folder), ()))
        schema = self.schema_dir(root)
        yield from (rel for rel in self.entries if posixpath.dirname(rel) == schema)


class RevisionFiles(CorpusFiles):
    """The corpus at ``root`` of a listed revision, its files read from git as they are needed:
    single files from ``blobs``, a walk of the documents from a reader of its own (so that two
    walks, even of the same state, never take each other's answers)."""

    def __init__(self, tree: RevisionTree, root: str, blobs: BlobReader):
        self.tree, self.root, self.blobs = tree, root, blobs

    def shown(self, rel: str) -> str:
        return join(self.root, rel)

    def _blob(self, rel: str, data: Optional[bytes]) -> bytes:
        """The bytes of the listed file ``rel`` (relative to the repository root): ``BadInput`` when
        git has not its object (a broken repository, a partial clone), which is never a missing file."""
        if data is None:
            raise BadInput(f"{rel} at {self.tree.commit[:12]}: git lists the file but has not its object "
                           "(a broken repository or a partial clone)")
        return data

    def links(self) -> list[str]:
        return [part for part in CORPUS_PARTS if (e := self.tree.entry(join(self.root, part))) is not None and e.is_link]

    def load_json(self, rel: str) -> Any:
        entry = self.tree.entry(join(self.root, rel))
        if entry is None or not entry.is_file:
            return None
        return parse_json_leniently(self._blob(join(self.root, rel), self.blobs.read([entry.oid])[0]))

    def document_ids(self) -> list[str]:
        ids: set[str] = set()
        for folder, suffix in DOCUMENT_FOLDERS:
            entry = self.tree.entry(join(self.root, folder))
            if entry is None or not entry.is_link:
                ids.update(name[: -len(suffix)] for name in self.tree.folders.get(join(self.root, folder), ()) if name.endswith(suffix))
        return sorted(ids)

    def _entries(self, doc_id: str) -> tuple[tuple[str, str, str], list[Optional[Entry]]]:
        """The names (relative to the corpus) of a document's three files and their entries."""
        names = (f"{TEXTS}/{doc_id}.txt", f"{DOCUMENTS}/{doc_id}.json", f"{ANNOTATIONS}/{doc_id}.json")
        entries = [self.tree.folders.get(join(self.root, folder), {}).get(name[len(folder) + 1:])
                   for name, (folder, _) in zip(names, DOCUMENT_FOLDERS)]
        return names, entries

    @staticmethod
    def _wanted(entries: list[Optional[Entry]]) -> list[str]:
        """The blobs to read of a document's entries: its regular files (a link is never read)."""
        return [e.oid for e in entries if e is not None and e.is_file]

    def _files(self, doc_id: str, names: tuple[str, str, str], entries: list[Optional[Entry]],
               read: list[Optional[bytes]]) -> DocumentFiles:
        data = iter(read)
        contents = [self._blob(join(self.root, name), next(data)) if e is not None and e.is_file else None
                    for name, e in zip(names, entries)]
        links = tuple(name for name, e in zip(names, entries) if e is not None and e.is_link)
        return DocumentFiles(doc_id, names, *contents, links=links)

    def document_files(self, doc_id: str) -> DocumentFiles:
        names, entries = self._entries(doc_id)
        wanted = self._wanted(entries)
        return self._files(doc_id, names, entries, self.blobs.read(wanted) if wanted else [])

    def documents(self) -> Iterator[tuple[str, Optional[Document]]]:
        """As ``CorpusFiles.documents``, the files of the next documents asked of git ahead
        (``AHEAD`` documents), so that git reads them while this one is parsed."""
        ids = iter(self.document_ids())
        pending: deque[tuple[str, tuple[str, str, str], list[Optional[Entry]], int]] = deque()
        with BlobReader(self.tree.repo) as blobs:

            def ask() -> None:
                doc_id = next(ids, None)
                if doc_id is not None:
                    names, entries = self._entries(doc_id)
                    wanted = self._wanted(entries)
                    blobs.request(wanted)
                    pending.append((doc_id, names, entries, len(wanted)))

            for _ in range(AHEAD):
                ask()
            while pending:
                doc_id, names, entries, count = pending.popleft()
                files = self._files(doc_id, names, entries, blobs.receive(count))
                ask()
                doc = lenient_document(files)
                yield doc_id, None if doc is None else doc.document

    def schema_files(self) -> Optional[list[tuple[str, Optional[bytes]]]]:
        schema_dir = self.tree.schema_dir(self.root)
        folder, annotation = self.tree.entry(schema_dir), self.tree.entry(join(schema_dir, ANNOTATION_SCHEMA))
        if folder is None or not folder.is_dir or annotation is None or not annotation.is_file:
            return None
        found = []
        for rel in sorted(rel for rel in self.tree.entries if posixpath.dirname(rel) == schema_dir):
            entry, name = self.tree.entries[rel], posixpath.basename(rel)
            if name.endswith(SCHEMA_SUFFIX) and not entry.is_link:
                found.append((name, self._blob(rel, self.blobs.read([entry.oid])[0]) if entry.is_file else None))
        return found
