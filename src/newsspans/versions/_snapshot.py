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
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from ..corpus import (DATASET, document_ids, is_corpus, load_json, parse_json_leniently, read_document_lenient,
                      read_file, read_registry_lenient, symlinked_parts)
from ..errors import BadInput
from ..model import Annotations, Claim, Document, DocumentMeta, EntityMention, Quote, RegistryEntry, Span
from ..paths import display_path
from ._git import extract_revision, git_toplevel, resolve_revision

#: Keys of no meaning to a schema comparison.
_DOC_KEYS = {"description", "title", "$comment", "examples"}


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


def read_corpus(root: Path, *, spec: str) -> Snapshot:
    """Read every readable document of a corpus folder, errors and all (judging them is the
    validator's business); a document whose text or annotation file does not parse, or is a
    symbolic link, is listed in ``unreadable``. A top-level part that is a link is refused."""
    links = symlinked_parts(root)
    if links:
        raise BadInput(f"{spec}: {display_path(root / links[0])} is a symbolic link, which a corpus never follows "
                       "(run `newsspans validate`)")
    dataset = load_json(root / DATASET)
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
    if not schema_dir.is_symlink() and (schema_dir / "annotation.schema.json").is_file():
        schemas = {}
        for path in sorted(schema_dir.glob("*.schema.json")):
            with contextlib.suppress(OSError):
                value = parse_json_leniently(read_file(path))  # never through a link
                if value is not None:
                    schemas[path.name] = _strip_docs(value)
        snap.schema = schemas
        if "annotation.schema.json" in schemas:
            snap.labels = _schema_labels(schemas["annotation.schema.json"])
    return snap


def _local(global_id: Optional[str]) -> Optional[str]:
    return None if global_id is None else global_id.rsplit(":", 1)[-1]


def _features(path: Path) -> dict[str, Any]:
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta.get(b"huggingface", b"{}")).get("info", {}).get("features", {})


def read_release(root: Path, *, spec: str) -> Snapshot:
    """Read a release folder (``data/``) back into model objects: ids lose their document
    prefix, class labels become names again (from the features embedded in the Parquet)."""
    import pyarrow.parquet as pq

    for path in [root / "manifest.json", *root.glob("*"), *root.glob("*/*")]:
        if path.is_symlink():
            raise BadInput(f"{spec}: {display_path(path)} is a symbolic link, which a release folder never holds")
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise BadInput(f"{display_path(root)}/manifest.json does not parse: {exc}") from None
    if not isinstance(manifest, dict):
        raise BadInput(f"{display_path(root)}/manifest.json does not hold a release manifest")
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
        Quote(_local(q["id"]), quote_names[q["type"]], Span.from_dict(q["content"]), Span.from_dict(q["speaker"]), Span.from_dict(q["cue"]),
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
        step = Path(tmp)
        for part in Path(path).parts:
            step = step / part
            if step.is_symlink():
                raise BadInput(f"{spec}: {step.relative_to(tmp).as_posix()} is a symbolic link in revision {rev} "
                               f"({commit[:12]}), which is never followed")
        yield read_folder(Path(tmp) / path, spec=spec)
