"""One state of the corpus, read from a corpus folder, a release folder or a git revision.

``diff`` and ``release`` compare two ``Snapshot`` values. A spec names the state:

- a corpus folder (``dataset.json``, ``registry.json``, ``texts/``, ``documents/``,
  ``annotations/``), or a project folder holding ``corpus/``;
- a release folder built by ``newsspans build`` (``manifest.json`` and Parquet per config);
- in a git checkout, a revision (``v1.0.0``, ``HEAD~3``, a commit), optionally with a path:
  ``REV:PATH`` (default path ``corpus``). The revision's files are read with ``git archive``
  into a temporary folder: the work tree, the index and the refs are never touched.

An existing folder wins over a revision of the same name. Reading never modifies anything.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from .corpus import ANNOTATIONS, DATASET, DOCUMENTS, REGISTRY, TEXTS, display_path
from .errors import NewsSpansError
from .model import Annotations, Claim, Document, DocumentMeta, EntityMention, Quote, RegistryEntry, Span

#: The layers of an annotation file, in file order.
LAYERS = ("entities", "quotes", "claims")
#: Keys of no meaning to a schema comparison.
_DOC_KEYS = {"description", "title", "$comment", "examples"}
_CORPUS_PARTS = ("dataset.json", "registry.json", "texts", "documents", "annotations")


class BadInput(NewsSpansError):
    """The user named something that is not a corpus, a release or a revision (exit status 2)."""


@dataclass
class Snapshot:
    """A corpus state. ``labels`` maps a layer to its label names in ``ClassLabel`` order, and
    ``schema`` is a comparable fingerprint of the file schemas (corpus) or features (release);
    both are None when the source does not say."""

    spec: str
    kind: str  # "corpus" or "release"
    version: Optional[str]
    documents: dict[str, Document] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    registry: dict[str, RegistryEntry] = field(default_factory=dict)
    labels: Optional[dict[str, tuple[str, ...]]] = None
    schema: Optional[dict[str, Any]] = None
    dataset: Optional[dict[str, Any]] = None  # corpus/dataset.json, for a corpus

    def describe(self) -> str:
        return f"{self.spec} ({self.kind}{', version ' + self.version if self.version else ''})"


def _strip_docs(value: Any) -> Any:
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


def is_corpus(folder: Path) -> bool:
    return folder.is_dir() and all((folder / part).exists() for part in _CORPUS_PARTS)


def is_release(folder: Path) -> bool:
    return (folder / "manifest.json").is_file() and (folder / "documents").is_dir()


@dataclass
class LenientDocument:
    """A document read without judging it: ``positions[layer][k]`` is the position in the
    annotation file of ``document.annotations.<layer>[k]`` (items that do not have the shape of
    their kind are left out, so positions can skip)."""

    document: Document
    positions: dict[str, list[int]]


def document_ids(root: Path) -> list[str]:
    """Every document id with a text, metadata or annotation file, sorted."""
    ids: set[str] = set()
    for folder, suffix in ((TEXTS, ".txt"), (DOCUMENTS, ".json"), (ANNOTATIONS, ".json")):
        if (root / folder).is_dir():
            ids.update(p.name[: -len(suffix)] for p in (root / folder).iterdir() if p.name.endswith(suffix) and p.is_file())
    return sorted(ids)


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None


def _build(kind: Any, value: Any) -> Any:
    try:
        item = kind.from_dict(value)
    except (KeyError, TypeError, AttributeError, IndexError):
        return None
    if kind is DocumentMeta:
        return item
    spans = [item] if kind is not Quote else list(item.spans().values())
    ok = all(isinstance(s.start, int) and isinstance(s.end, int) and isinstance(s.text, str) for s in spans)
    return item if ok and isinstance(getattr(item, "id", None), str) else None


def read_document_lenient(root: Path, doc_id: str) -> Optional[LenientDocument]:
    """The document as far as its files can be read, errors and all; None when its text or its
    annotation file cannot be read at all. (``newsspans.corpus`` judges it; this only reads.)"""
    try:
        text = (root / TEXTS / f"{doc_id}.txt").read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    ann = _load_json(root / ANNOTATIONS / f"{doc_id}.json")
    if not isinstance(ann, dict):
        return None
    meta_value = _load_json(root / DOCUMENTS / f"{doc_id}.json")
    meta = _build(DocumentMeta, meta_value) if isinstance(meta_value, dict) else None
    if not isinstance(meta, DocumentMeta) or not all(isinstance(v, (str, type(None))) for v in vars(meta).values()):
        meta = DocumentMeta(doc_id, None, None, f"{doc_id}.txt", "", "", "")
    layers: dict[str, list[Any]] = {}
    positions: dict[str, list[int]] = {}
    for layer, kind in (("entities", EntityMention), ("quotes", Quote), ("claims", Claim)):
        items = ann.get(layer) if isinstance(ann.get(layer), list) else []
        built = [(i, _build(kind, v)) for i, v in enumerate(items) if isinstance(v, dict)]
        layers[layer] = [x for _, x in built if x is not None]
        positions[layer] = [i for i, x in built if x is not None]
    annotations = Annotations(doc_id, tuple(layers["entities"]), tuple(layers["quotes"]), tuple(layers["claims"]))
    return LenientDocument(Document(meta, text, annotations), positions)


def read_registry_lenient(root: Path) -> dict[str, RegistryEntry]:
    """The registry entries that have the shape of one, in file order (first of a duplicate id wins)."""
    value = _load_json(root / REGISTRY)
    entries: dict[str, RegistryEntry] = {}
    items = value.get("entities") if isinstance(value, dict) else None
    for item in items if isinstance(items, list) else []:
        try:
            e = RegistryEntry.from_dict(item)
        except (KeyError, TypeError, AttributeError):
            continue
        if isinstance(e.entity_id, str) and e.entity_id not in entries:
            entries[e.entity_id] = e
    return entries


def read_corpus(root: Path, *, spec: str) -> Snapshot:
    """Read every readable document of a corpus folder, errors and all (judging them is the
    validator's business); a document whose text or annotation file does not parse is listed in
    ``unreadable``."""
    dataset = _load_json(root / DATASET)
    dataset = dataset if isinstance(dataset, dict) else None
    version = dataset.get("version") if dataset else None
    snap = Snapshot(spec, "corpus", version if isinstance(version, str) else None,
                    registry=read_registry_lenient(root), dataset=dataset)
    for doc_id in document_ids(root):
        doc = read_document_lenient(root, doc_id)
        if doc is None:
            snap.unreadable.append(doc_id)
        else:
            snap.documents[doc_id] = doc.document
    schema_dir = root.parent / "schema"
    if (schema_dir / "annotation.schema.json").is_file():
        schemas = {}
        for path in sorted(schema_dir.glob("*.schema.json")):
            with contextlib.suppress(OSError, ValueError):
                schemas[path.name] = _strip_docs(json.loads(path.read_text(encoding="utf-8")))
        snap.schema = schemas
        if "annotation.schema.json" in schemas:
            snap.labels = _schema_labels(schemas["annotation.schema.json"])
    return snap


def _local(global_id: Optional[str]) -> Optional[str]:
    return None if global_id is None else global_id.rsplit(":", 1)[-1]


def _span(d: Optional[dict[str, Any]]) -> Optional[Span]:
    return None if d is None else Span(d["start"], d["end"], d["text"])


def _features(path: Path) -> dict[str, Any]:
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta.get(b"huggingface", b"{}")).get("info", {}).get("features", {})


def read_release(root: Path, *, spec: str) -> Snapshot:
    """Read a release folder (``data/``) back into model objects: ids lose their document
    prefix, class labels become names again (from the features embedded in the Parquet)."""
    import pyarrow.parquet as pq

    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(f"{display_path(root)}/manifest.json does not parse: {exc}") from None
    snap = Snapshot(spec, "release", manifest.get("version"))
    schema: dict[str, Any] = {}
    for config in ("documents", "registry"):
        files = sorted((root / config).glob("*.parquet"))
        if not files:
            raise BadInput(f"{display_path(root)} holds no {config}/*.parquet: not a complete release folder")
        schema[config] = _features(files[0])
        for path in files:
            for batch in pq.ParquetFile(path).iter_batches(batch_size=1000):
                for row in batch.to_pylist():
                    if config == "registry":
                        names = schema[config]["type"]["names"]
                        snap.registry[row["entity_id"]] = RegistryEntry(
                            row["entity_id"], row["name"], names[row["type"]], tuple(row["aliases"]), row["wikidata"])
                    else:
                        doc = _release_document(row, schema[config])
                        snap.documents[doc.id] = doc
    for config in ("entities", "quotes", "claims"):
        files = sorted((root / config).glob("*.parquet"))
        if files:
            schema[config] = _features(files[0])
    snap.schema = schema
    f = schema["documents"]
    snap.labels = {
        "entities": tuple(f["entities"]["feature"]["label"]["names"]),
        "quotes": tuple(f["quotes"]["feature"]["type"]["names"]),
        "claims": tuple(f["claims"]["feature"]["label"]["names"]),
    }
    return snap


def _release_document(row: dict[str, Any], features: dict[str, Any]) -> Document:
    doc_id = row["id"]
    ent_names = features["entities"]["feature"]["label"]["names"]
    quote_names = features["quotes"]["feature"]["type"]["names"]
    claim_names = features["claims"]["feature"]["label"]["names"]
    entities = tuple(
        EntityMention(_local(m["id"]), m["start"], m["end"], m["text"], ent_names[m["label"]], m["entity_id"])
        for m in row["entities"]
    )
    quotes = tuple(
        Quote(_local(q["id"]), quote_names[q["type"]], _span(q["content"]), _span(q["speaker"]), _span(q["cue"]),
              q["speaker_entity_id"], _local(q["group_id"]), q["cluster_id"])
        for q in row["quotes"]
    )
    claims = tuple(
        Claim(_local(c["id"]), c["start"], c["end"], c["text"], claim_names[c["label"]], c["claimant"], c["cluster_id"])
        for c in row["claims"]
    )
    meta = DocumentMeta(doc_id, row["title"], row["published"], row["source"], row["language"], row["story_id"], row["sha256"])
    return Document(meta, row["text"], Annotations(doc_id, entities, quotes, claims))


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


def _git(repo: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=not binary, check=False)
    except FileNotFoundError:
        raise BadInput("git is not installed, so revisions cannot be read") from None


def git_toplevel(path: Path) -> Optional[Path]:
    """The root of the git work tree holding ``path``, or None."""
    folder = path if path.is_dir() else path.parent
    try:
        r = _git(folder, "rev-parse", "--show-toplevel")
    except BadInput:
        return None
    return Path(r.stdout.strip()) if r.returncode == 0 else None


def resolve_revision(repo: Path, rev: str) -> Optional[str]:
    """The commit id that ``rev`` names in the repository at ``repo``, or None."""
    if rev.startswith("-"):
        return None
    r = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    return r.stdout.strip() if r.returncode == 0 else None


def show_file(repo: Path, commit: str, path: str) -> Optional[str]:
    """The text of ``path`` (relative to the repository root) at ``commit``, or None."""
    r = _git(repo, "show", f"{commit}:{path}")
    return r.stdout if r.returncode == 0 else None


def extract_revision(repo: Path, commit: str, paths: list[str], dest: Path) -> list[str]:
    """Write ``paths`` (relative to the repository root) as they are at ``commit`` into ``dest``;
    returns the paths that exist there."""
    present = []
    for path in paths:
        r = _git(repo, "archive", "--format=tar", commit, "--", path, binary=True)
        if r.returncode != 0:
            continue
        with tarfile.open(fileobj=io.BytesIO(r.stdout)) as tar:
            try:
                tar.extractall(dest, filter="data")
            except TypeError:  # Python without extraction filters
                tar.extractall(dest)
        present.append(path)
    return present


@contextlib.contextmanager
def open_snapshot(spec: str, *, repo: Optional[Path] = None, default_path: str = "corpus") -> Iterator[Snapshot]:
    """Read the state ``spec`` names (see the module docstring); revisions are looked up in the
    git checkout holding ``repo`` (default: the working directory)."""
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
    commit = resolve_revision(top, rev)
    if commit is None:
        raise BadInput(f"{spec}: no such folder, and {rev!r} is not a revision of the git checkout {top}")
    with tempfile.TemporaryDirectory(prefix="newsspans-rev-") as tmp:
        present = extract_revision(top, commit, [path, "schema"], Path(tmp))
        if path not in present:
            raise BadInput(f"{spec}: revision {rev} ({commit[:12]}) has no {path}/")
        yield read_folder(Path(tmp) / path, spec=spec)
