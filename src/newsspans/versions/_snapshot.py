"""One state of the corpus, read from a corpus folder, a release folder or a git revision.

``diff`` and ``release`` compare two ``Snapshot`` values. A spec names the state:

- a corpus folder (``dataset.json``, ``registry.json``, ``texts/``, ``documents/``,
  ``annotations/``), or a project folder holding ``corpus/``;
- a release folder built by ``newsspans build`` (``manifest.json`` and Parquet per config);
- in a git checkout, a revision (``v1.0.0``, ``HEAD~3``, a commit), optionally with a path:
  ``REV:PATH`` (default path ``corpus``); ``v<version>`` without such a tag names the commit that
  set that version in ``dataset.json`` (``_tags.resolve_version``), so a clone without the tags
  still finds every version. A revision's corpus is read straight from git, a
  document's files at a time (``_corpusfiles.RevisionFiles``); a release folder, or a corpus whose
  bytes git would convert on the way out (line ends, filters: ``_gitobjects.checkout_converts``),
  is written with ``git archive`` into a temporary folder and read from there. The work tree, the
  index and the refs are never touched.

An existing folder wins over a revision of the same name. Reading never modifies anything.

A snapshot of a folder or a revision holds its registry, labels and schemas, not its documents:
``Snapshot.iter_documents`` reads them one at a time, in id order, each time it is walked (so
``diff`` holds one document of each side, not two corpora). A snapshot made of documents in
memory (``Snapshot(..., documents=...)``) walks those.
"""

from __future__ import annotations

import contextlib
import posixpath
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional, Protocol

from ..corpus import DATASET, is_corpus, parse_json_leniently, registry_lenient
from ..errors import BadInput
from ..model import Document, RegistryEntry
from ..paths import display_path
from ._corpusfiles import SCHEMA, CorpusFiles, FolderFiles, RevisionFiles, RevisionTree
from ._git import extract_revision, git_toplevel, resolve_revision
from ._gitobjects import BlobReader, checkout_converts
from ._releasefiles import ReleaseDocuments, config_files, features, read_manifest, read_registry
from ._tags import resolve_version

#: Keys of no meaning to a schema comparison.
_DOC_KEYS = {"description", "title", "$comment", "examples"}


class DocumentSource(Protocol):
    def documents(self) -> Iterator[tuple[str, Optional[Document]]]:
        """``(id, document)`` in id order; None for a document that cannot be read."""


@dataclass
class Snapshot:
    """A corpus state. ``labels`` maps a layer to its label names in ``ClassLabel`` order, and
    ``schema`` is a comparable fingerprint of the file schemas (corpus) or features (release);
    both are None when the source does not say. The documents are read from ``source`` as
    ``iter_documents`` walks them; without a source they are ``documents``. ``unreadable`` lists
    the documents that could not be read (of a source: found by the last walk)."""

    spec: str
    kind: str  # "corpus" or "release"
    version: Optional[str]
    documents: dict[str, Document] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    registry: dict[str, RegistryEntry] = field(default_factory=dict)
    labels: Optional[dict[str, tuple[str, ...]]] = None
    schema: Optional[dict[str, Any]] = None
    dataset: Optional[dict[str, Any]] = None  # corpus/dataset.json, for a corpus
    source: Optional[DocumentSource] = field(default=None, repr=False, compare=False)

    def describe(self) -> str:
        return f"{self.spec} ({self.kind}{', version ' + self.version if self.version else ''})"

    def iter_documents(self) -> Iterator[tuple[str, Optional[Document]]]:
        """``(id, document)`` of every document in id order, None for one that cannot be read:
        read one at a time from ``source`` (``unreadable`` is set to those it could not read when
        the walk ends), else taken from ``documents``."""
        if self.source is None:
            skip = set(self.unreadable)
            for doc_id in sorted(set(self.documents) | skip):
                yield doc_id, None if doc_id in skip else self.documents[doc_id]
            return
        unreadable = []
        for doc_id, doc in self.source.documents():
            if doc is None:
                unreadable.append(doc_id)
            yield doc_id, doc
        self.unreadable = unreadable


def _strip_docs(value: Any) -> Any:
    """``value`` without documentation keys (recursive: read with ``parse_json_leniently``, which
    refuses a value nested deeper than ``MAX_DEPTH``)."""
    if isinstance(value, dict):
        return {k: _strip_docs(v) for k, v in value.items() if k not in _DOC_KEYS}
    if isinstance(value, list):
        return [_strip_docs(v) for v in value]
    return value


def _schema_labels(annotation_schema: dict[str, Any]) -> Optional[dict[str, tuple[str, ...]]]:
    defs = annotation_schema.get("$defs", {})
    try:
        return {
            "entities": tuple(defs["entity"]["properties"]["label"]["enum"]),
            "quotes": tuple(defs["quote"]["properties"]["type"]["enum"]),
            "claims": tuple(defs["claim"]["properties"]["label"]["enum"]),
        }
    except (KeyError, TypeError):
        return None


def is_release(folder: Path) -> bool:
    return (folder / "manifest.json").is_file() and (folder / "documents").is_dir()


def corpus_snapshot(files: CorpusFiles, *, spec: str) -> Snapshot:
    """The state of a corpus whose files are ``files``: its registry, dataset and schemas read
    now, its documents as the snapshot is walked, errors and all (judging them is the validator's
    business); a document whose text or annotation file does not parse, or is a symbolic link, is
    listed in ``unreadable``. A top-level part that is a link is refused."""
    links = files.links()
    if links:
        raise BadInput(f"{spec}: {files.shown(links[0])} is a symbolic link, which a corpus never follows "
                       "(run `newsspans validate`)")
    dataset = files.load_json(DATASET)
    dataset = dataset if isinstance(dataset, dict) else None
    version = dataset.get("version") if dataset else None
    snap = Snapshot(spec, "corpus", version if isinstance(version, str) else None,
                    registry=registry_lenient(files.load_json("registry.json")), dataset=dataset, source=files)
    found = files.schema_files()
    if found is not None:
        schemas = {}
        for name, data in found:
            value = parse_json_leniently(data)
            if value is not None:
                schemas[name] = _strip_docs(value)
        snap.schema = schemas
        if "annotation.schema.json" in schemas:
            snap.labels = _schema_labels(schemas["annotation.schema.json"])
    return snap


def read_corpus(root: Path, *, spec: str) -> Snapshot:
    """The state of the corpus folder ``root`` (see ``corpus_snapshot``)."""
    return corpus_snapshot(FolderFiles(root), spec=spec)


def read_release(root: Path, *, spec: str) -> Snapshot:
    """The state of a release folder (``data/``): its manifest, registry and features read now,
    its documents as the snapshot is walked (``_releasefiles``)."""
    snap = Snapshot(spec, "release", read_manifest(root, spec=spec).get("version"))
    documents, registry = config_files(root, "documents"), config_files(root, "registry")
    schema: dict[str, Any] = {"documents": features(documents[0]), "registry": features(registry[0])}
    snap.registry = read_registry(registry, schema["registry"])
    snap.source = ReleaseDocuments(documents, schema["documents"])
    for config in ("entities", "quotes", "claims"):
        files = sorted((root / config).glob("*.parquet"))
        if files:
            schema[config] = features(files[0])
    snap.schema = schema
    f = schema["documents"]
    snap.labels = {
        "entities": tuple(f["entities"]["feature"]["label"]["names"]),
        "quotes": tuple(f["quotes"]["feature"]["type"]["names"]),
        "claims": tuple(f["claims"]["feature"]["label"]["names"]),
    }
    return snap


def read_folder(folder: Path, *, spec: str) -> Snapshot:
    if is_release(folder):
        return read_release(folder, spec=spec)
    if is_corpus(folder):
        return read_corpus(folder, spec=spec)
    if is_corpus(folder / "corpus"):
        return read_corpus(folder / "corpus", spec=spec)
    raise BadInput(
        f"{display_path(folder)} is neither a corpus folder (dataset.json, registry.json, texts/, documents/, "
        "annotations/) nor a release folder (manifest.json and Parquet per config)"
    )


@contextlib.contextmanager
def open_snapshot(spec: str, *, repo: Optional[Path] = None, default_path: str = "corpus") -> Iterator[Snapshot]:
    """The state ``spec`` names (see the module docstring), to be walked inside the block;
    revisions are looked up in the git checkout holding ``repo`` (default: the working directory)."""
    folder = Path(spec)
    if folder.is_dir():
        yield read_folder(folder, spec=spec)
        return
    if folder.exists():
        raise BadInput(f"{spec} is a file, not a corpus folder, a release folder or a revision")
    top = git_toplevel(Path(repo or Path.cwd()).resolve())
    if top is None:
        raise BadInput(f"{spec}: no such folder (and not in a git checkout, so not a revision either)")
    rev, sep, path = spec.partition(":")
    path = (path if sep else default_path).strip("/") or default_path
    commit = resolve_revision(top, rev) or resolve_version(top, rev, dataset=_dataset_path(path))
    if commit is None:
        raise BadInput(f"{spec}: no such folder, and {rev!r} is not a revision of the git checkout {top}"
                       + (" (no such tag, and no commit whose corpus/dataset.json has that version)"
                          if rev.startswith("v") and rev[1:2].isdigit() else ""))
    with _open_revision(top, commit, path, spec=spec, rev=rev) as snap:
        yield snap


def _dataset_path(path: str) -> str:
    """The ``dataset.json`` whose history dates the versions of the folder ``path`` of a revision:
    its own for a corpus, the project's (``corpus/``) for a release folder or a project root."""
    where = posixpath.normpath(path)
    return "corpus/dataset.json" if where in (".", "data") else f"{where}/dataset.json"


@contextlib.contextmanager
def _open_revision(top: Path, commit: str, path: str, *, spec: str, rev: str) -> Iterator[Snapshot]:
    """The state of ``path`` at ``commit``: a corpus read from git as it is walked, or (a release,
    bytes git converts, not a corpus) written into a temporary folder and read from there."""
    where = posixpath.normpath(path)
    missing = BadInput(f"{spec}: revision {rev} ({commit[:12]}) has no {path}/")
    if where.startswith("../") or where == "..":  # outside the repository: git is not asked
        raise missing
    tree = RevisionTree(top, commit, "" if where == "." else where)
    if where != "." and tree.entry(where) is None:
        raise missing
    link = tree.first_link()
    if link is not None:
        raise BadInput(f"{spec}: {link} is a symbolic link in revision {rev} ({commit[:12]}), which is never followed")
    root = tree.corpus_root()
    if root is not None and not tree.attributes and not checkout_converts(top, tree.files(root)):
        with BlobReader(top) as blobs:
            yield corpus_snapshot(RevisionFiles(tree, root, blobs), spec=spec)
        return
    with tempfile.TemporaryDirectory(prefix="newsspans-rev-") as tmp:
        # Only what the revision has is asked for: git archive fails for a path it does not have.
        extract_revision(top, commit, [path] + ([SCHEMA] if tree.entry(SCHEMA) is not None else []), Path(tmp))
        yield read_folder(Path(tmp) / path, spec=spec)
