"""Reading a corpus folder without judging it: what review pages and comparisons need, errors
and all. (``newsspans.validation`` judges a corpus; this only reads.)"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from ..model import Annotations, Claim, Document, DocumentMeta, EntityMention, Quote, RegistryEntry
from ._layout import ANNOTATIONS, DOCUMENTS, REGISTRY, TEXTS


@dataclass
class LenientDocument:
    """A document read without judging it: ``positions[layer][k]`` is the position in the
    annotation file of ``document.annotations.<layer>[k]`` (items that do not have the shape of
    their kind are left out, so positions can skip)."""

    document: Document
    positions: dict[str, list[int]]


def load_json(path: Path) -> Any:
    """The parsed JSON file at ``path``, or None when it cannot be read, decoded or parsed."""
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
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


@dataclass(frozen=True)
class DocumentFiles:
    """The bytes of one document's three files, as read from disk (None for a missing file), by
    the relative paths they were read from. Both readers start here: the validator judges these
    bytes, ``lenient_document`` builds what it can from them."""

    document_id: str
    names: tuple[str, str, str]  # text, metadata, annotations: paths relative to the corpus root
    text: Optional[bytes]
    meta: Optional[bytes]
    annotations: Optional[bytes]


def read_document_files(root: Union[str, Path], doc_id: str) -> DocumentFiles:
    """Read the three files of document ``doc_id`` of the corpus at ``root``, once each."""
    names = (f"{TEXTS}/{doc_id}.txt", f"{DOCUMENTS}/{doc_id}.json", f"{ANNOTATIONS}/{doc_id}.json")
    contents: list[Optional[bytes]] = []
    for name in names:
        # Plain strings, not pathlib: this runs once per document.
        try:
            with open(os.path.join(root, name), "rb") as f:
                contents.append(f.read())
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            contents.append(None)
    return DocumentFiles(doc_id, names, *contents)


def _parse_json(data: Optional[bytes]) -> Any:
    try:
        return None if data is None else json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


def read_document_lenient(root: Path, doc_id: str) -> Optional[LenientDocument]:
    """The document as far as its files can be read, errors and all; None when its text or its
    annotation file cannot be read at all. (``newsspans.validation`` judges it; this only reads.)"""
    return lenient_document(read_document_files(root, doc_id))


def lenient_document(files: DocumentFiles) -> Optional[LenientDocument]:
    """``read_document_lenient`` of files already read."""
    doc_id = files.document_id
    try:
        text = files.text.decode("utf-8") if files.text is not None else None
    except UnicodeDecodeError:
        return None
    ann = _parse_json(files.annotations)
    if text is None or not isinstance(ann, dict):
        return None
    meta_value = _parse_json(files.meta)
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
    value = load_json(root / REGISTRY)
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
