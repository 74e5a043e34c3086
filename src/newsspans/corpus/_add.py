"""Bring received texts into a corpus: byte for byte, with metadata and an empty annotation file,
all of them or none (every text is checked first, then every file written in one step)."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Optional, Sequence, Union, overload

from ..errors import NewsSpansError
from ..labels import DOCUMENT_ID, SLUG
from ..model import Annotations, DocumentMeta
from ..paths import display_path, sha256_hex
from ..atomic import write_files
from ._canonical import dumps_canonical
from ._layout import ANNOTATIONS, DOCUMENTS, TEXTS

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
    corpus = Path(corpus)
    if not re.match(SLUG, story_id):
        raise NewsSpansError(f"story id {story_id!r} must be a lowercase slug such as 2024-08-06-some-event")
    ids = list(doc_ids) if doc_ids is not None else [None] * len(text_files)
    metas: list[DocumentMeta] = []
    files: dict[str, bytes] = {}
    seen: dict[str, Path] = {}
    for given, doc_id in zip(text_files, ids):
        text_file = Path(given)
        meta, data = _prepare(text_file, corpus=corpus, story_id=story_id, language=language, doc_id=doc_id)
        if meta.id in seen:
            raise NewsSpansError(f"{display_path(seen[meta.id])} and {display_path(text_file)} would both be document "
                                 f"{meta.id!r}; nothing was written")
        seen[meta.id] = text_file
        metas.append(meta)
        files[f"{TEXTS}/{meta.id}.txt"] = data
        files[f"{DOCUMENTS}/{meta.id}.json"] = dumps_canonical(meta.to_dict()).encode("utf-8")
        files[f"{ANNOTATIONS}/{meta.id}.json"] = dumps_canonical(Annotations(meta.id).to_dict()).encode("utf-8")
    if not files:
        return metas
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
    return metas


def _prepare(text_file: Path, *, corpus: Path, story_id: str, language: str,
             doc_id: Optional[str]) -> tuple[DocumentMeta, bytes]:
    """Check one text (nothing written): its metadata and bytes, or ``NewsSpansError``."""
    doc_id = doc_id or text_file.stem
    if not re.match(DOCUMENT_ID, doc_id):
        raise NewsSpansError(f"document id {doc_id!r} must match {DOCUMENT_ID}")
    if not text_file.is_file():
        raise NewsSpansError(f"{display_path(text_file)}: no such file; nothing was written")
    data = text_file.read_bytes()
    meta = new_document_meta(doc_id, data, corpus=corpus, story_id=story_id, language=language, shown=display_path(text_file))
    return replace(meta, source=text_file.name), data


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
        raise NewsSpansError(f"{shown or doc_id}: byte {exc.start} is not UTF-8; texts must be UTF-8 "
                             "(nothing was written)") from None
    targets = (corpus / TEXTS / f"{doc_id}.txt", corpus / DOCUMENTS / f"{doc_id}.json", corpus / ANNOTATIONS / f"{doc_id}.json")
    existing = [display_path(p) for p in targets if os.path.lexists(p)]
    if existing:
        raise NewsSpansError(f"document {doc_id!r} already exists ({', '.join(existing)}); nothing was written")
    title, published = parse_dateline(text)
    return DocumentMeta(doc_id, title, published, f"{doc_id}.txt", language, story_id, sha256_hex(data))
