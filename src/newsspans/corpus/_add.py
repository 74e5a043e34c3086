"""Bring received texts into a corpus: byte for byte, with metadata and an empty annotation file,
all of them or none (every text is checked first, then every file written in one step).

The metadata the text does not state can be given (``DocumentInfo``: title, publication date,
URL, source); a text holding a byte-order mark or a NUL character (``_controls``) is refused unless
the caller keeps that kind, and then stored byte for byte all the same and reported back.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import AbstractSet, Optional, Sequence, Union, overload

from ..errors import BadInput, NewsSpansError
from ..labels import DOCUMENT_ID, SLUG, URL
from ..model import Annotations, DocumentMeta
from ..paths import display_path, sha256_hex
from ..atomic import write_files
from ._canonical import dumps_canonical
from ._controls import TextControl, text_controls
from ._layout import ANNOTATIONS, DOCUMENTS, TEXTS

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
#: How each kind of control character is kept, in ``add``'s refusal.
KEEP_FLAGS = {"bom": "--allow-bom", "nul": "--allow-nul"}


@dataclass(frozen=True)
class DocumentInfo:
    """Metadata given for the texts added, beside what a dateline states (which it overrides):
    ``title`` and ``url`` name one document; ``published`` (ISO 8601, YYYY-MM-DD) and ``source``
    (the outlet or archive; default: the file name the text was received as) may be shared."""

    title: Optional[str] = None
    published: Optional[str] = None
    url: Optional[str] = None
    source: Optional[str] = None

    def check(self, texts: int) -> None:
        """``BadInput`` naming the first value the metadata schema would refuse, or a title or URL
        given for ``texts`` > 1 documents."""
        for name, value in (("title", self.title), ("source", self.source)):
            if value is not None and not value.strip():
                raise BadInput(f"--{name} is empty")
        if self.published is not None and not _is_iso_date(self.published):
            raise BadInput(f"--published {self.published!r} is not an ISO 8601 date (YYYY-MM-DD, such as 2024-08-06)")
        if self.url is not None and not re.match(URL, self.url):
            raise BadInput(f"--url {self.url!r} is not an absolute URL (such as https://example.org/news/1), or holds "
                           "whitespace")
        one = [f"--{name}" for name, value in (("title", self.title), ("url", self.url)) if value is not None]
        if one and texts > 1:
            raise BadInput(f"{' and '.join(one)} name{'s' * (len(one) == 1)} one document: add the {texts} texts one by one")

    def apply(self, meta: DocumentMeta) -> DocumentMeta:
        """``meta`` with the values given here in place of its own."""
        given = {k: v for k, v in (("title", self.title), ("published", self.published), ("url", self.url),
                                   ("source", self.source)) if v is not None}
        return replace(meta, **given)


@dataclass(frozen=True)
class Added:
    """A document ``add`` wrote: its metadata, and the control characters its text holds, kept."""

    meta: DocumentMeta
    kept: tuple[TextControl, ...] = ()


def _is_iso_date(value: str) -> bool:
    """Whether ``value`` is a calendar date written YYYY-MM-DD (the schema's ``date`` format)."""
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True

_DATELINE = re.compile(
    r"^\s*date (?P<iso>\d{4}-\d{2}-\d{2}) (?P<title>.+?) "
    r"(?P<long>(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), [A-Z][a-z]+ \d{1,2}, \d{4}) "
    r"\d{1,2}:\d{2}(?::\d{2})? [AP]M\s*$"
)


def parse_dateline(text: str) -> tuple[Optional[str], Optional[str]]:
    """``(title, published)`` from a first line such as
    ``" date 2024-08-06 <title> Tuesday, August 6, 2024 7:28:33 PM"``; ``(None, None)`` when the
    first line is no such dateline, or when its two dates disagree. The text is not changed.
    """
    first = text.split("\n", 1)[0]
    match = _DATELINE.match(first)
    if not match:
        return None, None
    try:
        iso = date.fromisoformat(match["iso"])
        long = datetime.strptime(match["long"], "%A, %B %d, %Y").date()
    except ValueError:
        return None, None
    if iso != long:
        return None, None
    return match["title"].strip(), iso.isoformat()


@overload
def add_document(text_file: Path, *, corpus: Path, story_id: str, language: str = "en",
                 doc_id: Optional[str] = None) -> DocumentMeta: ...
@overload
def add_document(text_file: Sequence[Path], *, corpus: Path, story_id: str, language: str = "en",
                 doc_id: None = None) -> list[DocumentMeta]: ...


def add_document(text_file, *, corpus, story_id, language="en", doc_id=None):
    """Copy ``text_file`` into ``corpus/texts/`` unchanged and write its metadata and an empty
    annotation file. The document id is the file's stem unless ``doc_id`` is given. Given a list
    of files, adds them all or none (``add_documents``) and returns their metadata.
    Refuses (``NewsSpansError``) to overwrite anything.
    """
    if isinstance(text_file, (list, tuple)):
        if doc_id is not None:
            raise NewsSpansError("doc_id names one document: give one text file with it")
        return add_documents(text_file, corpus=corpus, story_id=story_id, language=language)
    return add_documents([text_file], corpus=corpus, story_id=story_id, language=language, doc_ids=[doc_id])[0]


def add_documents(text_files: Sequence[Union[str, Path]], *, corpus: Path, story_id: str, language: str = "en",
                  doc_ids: Optional[Sequence[Optional[str]]] = None) -> list[DocumentMeta]:
    """Add every text of ``text_files`` (as ``add_document``), all or none: each is checked first
    (id, story id, UTF-8, nothing to overwrite, no id twice), then the three files of every text
    are written in one step (``atomic.write_files``), so a failure at any point (a full disk, a
    kill) leaves the corpus as it was."""
    return [a.meta for a in add_texts(text_files, corpus=corpus, story_id=story_id, language=language, doc_ids=doc_ids)]


def add_texts(text_files: Sequence[Union[str, Path]], *, corpus: Path, story_id: str, language: str = "en",
              doc_ids: Optional[Sequence[Optional[str]]] = None, info: DocumentInfo = DocumentInfo(),
              keep: AbstractSet[str] = frozenset()) -> list[Added]:
    """``add_documents`` with metadata given (``info``, checked first: ``BadInput``) and the
    control characters of ``keep`` (``"bom"``, ``"nul"``) allowed: a text holding another is
    refused (``NewsSpansError`` naming the file and the offset; nothing written). Returns each
    document added with the control characters its text holds, stored byte for byte."""
    corpus = Path(corpus)
    if not re.match(SLUG, story_id):
        raise NewsSpansError(f"story id {story_id!r} must be a lowercase slug such as 2024-08-06-some-event")
    info.check(len(text_files))
    ids = list(doc_ids) if doc_ids is not None else [None] * len(text_files)
    added: list[Added] = []
    files: dict[str, bytes] = {}
    seen: dict[str, Path] = {}
    for given, doc_id in zip(text_files, ids):
        text_file = Path(given)
        one = _prepare(text_file, corpus=corpus, story_id=story_id, language=language, doc_id=doc_id, keep=keep)
        meta, data = info.apply(one.meta), one.data
        if meta.id in seen:
            raise NewsSpansError(f"{display_path(seen[meta.id])} and {display_path(text_file)} would both be document "
                                 f"{meta.id!r}; nothing was written")
        seen[meta.id] = text_file
        added.append(Added(meta, one.kept))
        files[f"{TEXTS}/{meta.id}.txt"] = data
        files[f"{DOCUMENTS}/{meta.id}.json"] = dumps_canonical(meta.to_dict()).encode("utf-8")
        files[f"{ANNOTATIONS}/{meta.id}.json"] = dumps_canonical(Annotations(meta.id).to_dict()).encode("utf-8")
    if files:
        _write_new(corpus, files)
    return added


def _write_new(corpus: Path, files: dict[str, bytes]) -> None:
    """Write the new documents' ``files`` in one step, creating the corpus folders they need (and
    removing those again when the write fails)."""
    created = [corpus / folder for folder in (TEXTS, DOCUMENTS, ANNOTATIONS) if not (corpus / folder).is_dir()]
    try:
        for folder in created:
            folder.mkdir(parents=True)
        write_files(corpus, files, exclusive=True)  # checked above; checked again in turn with other writers
    except BaseException:
        for folder in reversed(created):  # only folders this call made, and only when still empty
            try:
                folder.rmdir()
            except OSError:
                pass
        raise


@dataclass(frozen=True)
class _Prepared:
    meta: DocumentMeta
    data: bytes
    kept: tuple[TextControl, ...]


def _prepare(text_file: Path, *, corpus: Path, story_id: str, language: str,
             doc_id: Optional[str], keep: AbstractSet[str]) -> _Prepared:
    """Check one text (nothing written): its metadata, bytes and the control characters kept, or
    ``NewsSpansError``."""
    doc_id = doc_id or text_file.stem
    if not re.match(DOCUMENT_ID, doc_id):
        raise NewsSpansError(f"document id {doc_id!r} must match {DOCUMENT_ID}")
    if not text_file.is_file():
        raise NewsSpansError(f"{display_path(text_file)}: no such file; nothing was written")
    data = text_file.read_bytes()
    shown = display_path(text_file)
    meta = new_document_meta(doc_id, data, corpus=corpus, story_id=story_id, language=language, shown=shown)
    controls = text_controls(data.decode("utf-8"))  # new_document_meta checked it decodes
    refused = [c for c in controls if c.kind not in keep]
    if refused:
        c = refused[0]
        raise NewsSpansError(f"{shown}: the text holds {c.describe()}; remove it, or pass {KEEP_FLAGS[c.kind]} to "
                             "store the text byte for byte with it (nothing was written)")
    return _Prepared(replace(meta, source=text_file.name), data, tuple(controls))


def new_document_meta(doc_id: str, data: bytes, *, corpus: Path, story_id: str, language: str = "en",
                      shown: Optional[str] = None) -> DocumentMeta:
    """The metadata ``add`` gives the new document ``doc_id`` whose text is ``data`` (stored byte for
    byte as ``texts/<id>.txt``): title and date from a dateline, the SHA-256. ``NewsSpansError``
    (nothing written) for a bad id or story id, a text that is not UTF-8 (``shown`` names where it
    came from), or a document that exists already."""
    if not re.match(DOCUMENT_ID, doc_id):
        raise NewsSpansError(f"document id {doc_id!r} must match {DOCUMENT_ID}")
    if not re.match(SLUG, story_id):
        raise NewsSpansError(f"story id {story_id!r} must be a lowercase slug such as 2024-08-06-some-event")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf16 = " (it starts with a UTF-16 byte-order mark: save it as UTF-8)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise NewsSpansError(f"{shown or doc_id}: byte {exc.start} is not UTF-8{utf16}; texts must be UTF-8 "
                             "(nothing was written)") from None
    targets = (corpus / TEXTS / f"{doc_id}.txt", corpus / DOCUMENTS / f"{doc_id}.json", corpus / ANNOTATIONS / f"{doc_id}.json")
    existing = [display_path(p) for p in targets if os.path.lexists(p)]
    if existing:
        raise NewsSpansError(f"document {doc_id!r} already exists ({', '.join(existing)}); nothing was written")
    title, published = parse_dateline(text)
    return DocumentMeta(doc_id, title, published, f"{doc_id}.txt", language, story_id, sha256_hex(data))
