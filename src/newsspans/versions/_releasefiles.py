"""A release folder (``data/``, built by ``newsspans build``) read back as a corpus state: ids
lose their document prefix, class labels become names again (from the features embedded in the
Parquet). The documents are read a batch of rows at a time, in id order, as ``diff`` walks them:
each split's file is sorted by id, so the files are merged as they are read."""

from __future__ import annotations

import heapq
import json
from pathlib import Path
from typing import Any, Iterator, Optional

from ..errors import BadInput
from ..model import Annotations, Claim, Document, DocumentMeta, EntityMention, Quote, RegistryEntry, Span
from ..paths import display_path

#: Rows turned into documents at a time: what reading a release holds besides one row group.
BATCH_ROWS = 64


def _local(global_id: Optional[str]) -> Optional[str]:
    return None if global_id is None else global_id.rsplit(":", 1)[-1]


def features(path: Path) -> dict[str, Any]:
    """The ``datasets`` features embedded in the schema of the Parquet file at ``path``."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta.get(b"huggingface", b"{}")).get("info", {}).get("features", {})


def read_manifest(root: Path, *, spec: str) -> dict[str, Any]:
    """The release's ``manifest.json``; ``BadInput`` for a link in the folder or a manifest that
    does not parse."""
    for path in [root / "manifest.json", *root.glob("*"), *root.glob("*/*")]:
        if path.is_symlink():
            raise BadInput(f"{spec}: {display_path(path)} is a symbolic link, which a release folder never holds")
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise BadInput(f"{display_path(root)}/manifest.json does not parse: {exc}") from None
    if not isinstance(manifest, dict):
        raise BadInput(f"{display_path(root)}/manifest.json does not hold a release manifest")
    return manifest


def config_files(root: Path, config: str) -> list[Path]:
    """The Parquet files of one config, sorted; ``BadInput`` when there are none."""
    files = sorted((root / config).glob("*.parquet"))
    if not files:
        raise BadInput(f"{display_path(root)} holds no {config}/*.parquet: not a complete release folder")
    return files


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
        yield from batch.to_pylist()


def read_registry(files: list[Path], schema: dict[str, Any]) -> dict[str, RegistryEntry]:
    names = schema["type"]["names"]
    return {row["entity_id"]: RegistryEntry(row["entity_id"], row["name"], names[row["type"]], tuple(row["aliases"]), row["wikidata"])
            for path in files for row in _rows(path)}


class ReleaseDocuments:
    """The documents of a release's ``documents`` config, read in id order a batch at a time."""

    def __init__(self, files: list[Path], schema: dict[str, Any]):
        self.files = files
        self.schema = schema

    def _ids_sorted(self) -> bool:
        """Whether each file lists its documents by increasing id, no id twice in all (as the build
        writes them): then merging the files gives id order without holding them."""
        import pyarrow.parquet as pq

        seen: list[str] = []
        for path in self.files:
            ids = pq.read_table(path, columns=["id"]).column("id").to_pylist()
            if any(a >= b for a, b in zip(ids, ids[1:])):
                return False
            seen += ids
        return len(set(seen)) == len(seen)

    def _documents(self, path: Path) -> Iterator[tuple[str, Document]]:
        for row in _rows(path):
            yield row["id"], release_document(row, self.schema)

    def documents(self) -> Iterator[tuple[str, Optional[Document]]]:
        """``(id, document)`` in id order. Files that are not sorted by id (not as the build writes
        them) are read whole first, the last row of an id winning."""
        if self._ids_sorted():
            yield from heapq.merge(*(self._documents(path) for path in self.files), key=lambda x: x[0])
            return
        whole = {doc_id: doc for path in self.files for doc_id, doc in self._documents(path)}
        yield from sorted(whole.items())


def release_document(row: dict[str, Any], features: dict[str, Any]) -> Document:
    """The document of one row of the ``documents`` config."""
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
    meta = DocumentMeta(doc_id, row["title"], row["published"], row["source"], row["language"], row["story_id"], row["sha256"],
                        row.get("url"))  # a release from before the column has none
    return Document(meta, row["text"], Annotations(doc_id, entities, quotes, claims))
