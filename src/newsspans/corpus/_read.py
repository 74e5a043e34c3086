"""Reading a corpus folder without judging it: what review pages and comparisons need, errors
and all. (``newsspans.validation`` judges a corpus; this only reads.)"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from ..model import Annotations, Annotator, Claim, Document, DocumentMeta, EntityMention, Quote, RegistryEntry
from ._layout import ANNOTATIONS, ANNOTATORS, DOCUMENTS, REGISTRY, TEXTS, layer_file

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class SymlinkRefused(OSError):
    """A corpus file or folder is a symbolic link: never followed (it could lead anywhere, and its
    target would be read, validated, rendered and released as if it were part of the corpus)."""

    def __init__(self, path: Union[str, Path]):
        super().__init__(errno.ELOOP, "a symbolic link, which a corpus never follows", str(path))


def read_file(path: Union[str, Path]) -> Optional[bytes]:
    """The bytes of the regular file at ``path``, never through a symbolic link: None when there is
    no regular file there (missing, a folder, a FIFO...), ``SymlinkRefused`` when it is a link."""
    if not _NOFOLLOW and os.path.islink(path):  # a system without O_NOFOLLOW: look first
        raise SymlinkRefused(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            raise SymlinkRefused(path) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        chunks = []
        while True:  # to the end, even if the file grew since fstat
            chunk = os.read(fd, max(st.st_size + 1, 1 << 16))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


# -- JSON that Python cannot take as it is -------------------------------------------------------

#: No corpus file nests deeper than a few levels; a value nested deeper than this is not looked into
#: (reading or explaining it would recurse as deep).
MAX_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")
#: What a lone surrogate is replaced with once reported: U+FFFD, the replacement character.
REPLACEMENT = "\ufffd"


def too_deep(value: Any, limit: int = MAX_DEPTH) -> Optional[list[Any]]:
    """The path of the first value of ``value`` nested more than ``limit`` levels deep, or None.
    Iterative, so that any depth that parsed can be measured."""
    stack: list[tuple[Any, list[Any]]] = [(value, [])]
    while stack:
        node, path = stack.pop()
        if len(path) > limit:
            return path
        if isinstance(node, dict):
            stack.extend((v, [*path, k]) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, [*path, i]) for i, v in enumerate(node) if isinstance(v, (dict, list)))
    return None


def may_hold_surrogates(raw: str) -> bool:
    """False when the JSON text ``raw`` cannot decode to a lone surrogate (the common case, one
    scan): only a ``\\uD800``-``\\uDFFF`` escape makes one, as UTF-8 cannot encode it."""
    return "\\ud" in raw or "\\uD" in raw


def replace_surrogates(value: Any) -> tuple[Any, list[tuple[list[Any], str]]]:
    """``value`` (parsed JSON) with every lone surrogate (``"\\ud800"``: half a UTF-16 pair, which
    no UTF-8 file, page or Parquet column can hold) replaced by U+FFFD, in place; and for each
    string or key that held one, its path (a key's path ends with the key, as replaced) and its
    first lone surrogate as an escape (``\\ud800``). Iterative."""
    found: list[tuple[list[Any], str]] = []

    def fixed(text: str, path: list[Any]) -> str:
        found.append((path, f"\\u{ord(_SURROGATE.search(text).group()):04x}"))  # type: ignore[union-attr]
        return _SURROGATE.sub(REPLACEMENT, text)

    if isinstance(value, str):
        return (fixed(value, []) if _SURROGATE.search(value) else value), found
    stack: list[tuple[Any, list[Any]]] = [(value, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key in list(node):
                item = node[key]
                if isinstance(key, str) and _SURROGATE.search(key):
                    del node[key]
                    key = fixed(key, [*path, _SURROGATE.sub(REPLACEMENT, key)])
                    node[key] = item
                if isinstance(item, str):
                    if _SURROGATE.search(item):
                        node[key] = fixed(item, [*path, key])
                elif isinstance(item, (dict, list)):
                    stack.append((item, [*path, key]))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, str):
                    if _SURROGATE.search(item):
                        node[i] = fixed(item, [*path, i])
                elif isinstance(item, (dict, list)):
                    stack.append((item, [*path, i]))
    return value, found


def parse_json_leniently(data: Optional[bytes]) -> Any:
    """The JSON value of ``data`` as far as a reader that does not judge it can use it: None when it
    does not decode or parse (or nests too deeply to read); lone surrogates replaced by U+FFFD (the
    validator reports them)."""
    if data is None:
        return None
    try:
        raw = data.decode("utf-8")
        value = json.loads(raw)
    except (ValueError, RecursionError):  # ValueError: bad JSON, UTF-8, or an integer Python will not read
        return None
    # Each level of nesting opens with a bracket: text with no more than MAX_DEPTH of them cannot nest too deeply.
    if raw.count("{") + raw.count("[") > MAX_DEPTH and too_deep(value) is not None:
        return None
    return replace_surrogates(value)[0] if may_hold_surrogates(raw) else value


@dataclass
class LenientDocument:
    """A document read without judging it: ``positions[layer][k]`` is the position in the
    annotation file of ``document.annotations.<layer>[k]`` (items that do not have the shape of
    their kind are left out, so positions can skip)."""

    document: Document
    positions: dict[str, list[int]]


def load_json(path: Path) -> Any:
    """The parsed JSON file at ``path`` (read as ``parse_json_leniently`` does), or None when it
    cannot be read (a symbolic link is not), decoded or parsed."""
    try:
        return parse_json_leniently(read_file(path))
    except OSError:
        return None


def _str(x: Any) -> bool:
    return type(x) is str


def _opt_str(x: Any) -> bool:
    return x is None or type(x) is str


def _span_ok(s: Any) -> bool:
    return type(s.start) is int and type(s.end) is int and type(s.text) is str


#: What an item needs besides its spans and id to be shown: the type of every other field.
_FIELDS_OK = {
    EntityMention: lambda m: _str(m.label) and _opt_str(m.entity_id),
    Quote: lambda q: q.content is not None and _str(q.type) and _opt_str(q.speaker_entity_id) and _opt_str(q.group_id)
    and _opt_str(q.cluster_id),
    Claim: lambda c: _str(c.label) and _str(c.claimant) and _opt_str(c.cluster_id),
}


def _build(kind: Any, value: Any) -> Any:
    try:
        item = kind.from_dict(value)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError):
        return None
    if kind is DocumentMeta:
        return item
    try:
        spans = [item] if kind is not Quote else list(item.spans().values())
    except AttributeError:
        return None
    ok = all(_span_ok(s) for s in spans) and _FIELDS_OK[kind](item)
    return item if ok and _str(getattr(item, "id", None)) else None


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
    #: The names (of ``names``) that are symbolic links: not read (their content is None).
    links: tuple[str, ...] = ()


def read_document_files(root: Union[str, Path], doc_id: str) -> DocumentFiles:
    """Read the three files of document ``doc_id`` of the corpus at ``root``, once each, never
    through a symbolic link (a link is listed in ``links`` and read as no file)."""
    names = (f"{TEXTS}/{doc_id}.txt", f"{DOCUMENTS}/{doc_id}.json", f"{ANNOTATIONS}/{doc_id}.json")
    contents: list[Optional[bytes]] = []
    links: list[str] = []
    for name in names:
        # Plain strings, not pathlib: this runs once per document.
        try:
            contents.append(read_file(os.path.join(root, name)))
        except SymlinkRefused:
            contents.append(None)
            links.append(name)
    return DocumentFiles(doc_id, names, *contents, links=tuple(links))



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
    ann = parse_json_leniently(files.annotations)
    if text is None or not isinstance(ann, dict):
        return None
    meta_value = parse_json_leniently(files.meta)
    meta = _build(DocumentMeta, meta_value) if isinstance(meta_value, dict) else None
    if not isinstance(meta, DocumentMeta) or not _str(meta.id) or not all(_opt_str(v) for v in vars(meta).values()):
        meta = DocumentMeta(doc_id, None, None, f"{doc_id}.txt", "", "", "")
    annotations, positions = _lenient_annotations(doc_id, ann)
    return LenientDocument(Document(meta, text, annotations), positions)


def _lenient_annotations(doc_id: str, ann: dict[str, Any]) -> tuple[Annotations, dict[str, list[int]]]:
    """The items of a parsed annotation file that have the shape of one, and each one's position
    in its layer's list."""
    layers: dict[str, list[Any]] = {}
    positions: dict[str, list[int]] = {}
    for layer, kind in (("entities", EntityMention), ("quotes", Quote), ("claims", Claim)):
        items = ann.get(layer) if isinstance(ann.get(layer), list) else []
        built = [(i, _build(kind, v)) for i, v in enumerate(items) if isinstance(v, dict)]
        layers[layer] = [x for _, x in built if x is not None]
        positions[layer] = [i for i, x in built if x is not None]
    annotations = Annotations(doc_id, tuple(layers["entities"]), tuple(layers["quotes"]), tuple(layers["claims"]),
                              issued=ann.get("issued"))  # the file's counters; derived from the ids when absent or malformed
    return annotations, positions


def read_layer_lenient(root: Union[str, Path], annotator_id: str, doc_id: str) -> Optional[Annotations]:
    """Annotator ``annotator_id``'s layer of ``doc_id`` as far as it can be read (as
    ``read_document_lenient``), or None when there is no such file or it is not a JSON object."""
    try:
        data = read_file(os.path.join(root, layer_file(annotator_id, doc_id)))
    except SymlinkRefused:
        return None
    ann = parse_json_leniently(data)
    return _lenient_annotations(doc_id, ann)[0] if isinstance(ann, dict) else None


def read_annotators_lenient(root: Union[str, Path]) -> dict[str, Annotator]:
    """The entries of ``annotators.json`` that have the shape of one, in file order (first of a
    duplicate id wins); none when the corpus has no such file."""
    value = load_json(Path(root) / ANNOTATORS) if os.path.lexists(os.path.join(root, ANNOTATORS)) else None
    out: dict[str, Annotator] = {}
    items = value.get("annotators") if isinstance(value, dict) else None
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        a = Annotator(item.get("annotator_id"), item.get("kind"), item.get("note"))
        if _str(a.annotator_id) and _str(a.kind) and _opt_str(a.note) and a.annotator_id not in out:
            out[a.annotator_id] = a
    return out


def read_registry_lenient(root: Path) -> dict[str, RegistryEntry]:
    """The registry entries that have the shape of one, in file order (first of a duplicate id wins)."""
    return registry_lenient(load_json(root / REGISTRY))


def registry_lenient(value: Any) -> dict[str, RegistryEntry]:
    """``read_registry_lenient`` of a registry file already parsed (``parse_json_leniently``; None
    for one that could not be read): the files of a git revision are not read from a folder."""
    entries: dict[str, RegistryEntry] = {}
    items = value.get("entities") if isinstance(value, dict) else None
    for item in items if isinstance(items, list) else []:
        try:
            e = RegistryEntry.from_dict(item)
        except (KeyError, TypeError, AttributeError, ValueError):
            continue
        shaped = _str(e.entity_id) and _str(e.name) and _str(e.type) and _opt_str(e.wikidata) and all(map(_str, e.aliases))
        if shaped and e.entity_id not in entries:
            entries[e.entity_id] = e
    return entries
