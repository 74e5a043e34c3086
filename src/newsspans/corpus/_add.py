"""Bring a received text into a corpus: byte for byte, with metadata and an empty annotation file."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Optional

from ..errors import NewsSpansError
from ..labels import DOCUMENT_ID, SLUG
from ..model import Annotations, DocumentMeta
from ..paths import display_path, sha256_hex
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


def add_document(text_file: Path, *, corpus: Path, story_id: str, language: str = "en", doc_id: Optional[str] = None) -> DocumentMeta:
    """Copy ``text_file`` into ``corpus/texts/`` unchanged and write its metadata and an empty
    annotation file. The document id is the file's stem unless ``doc_id`` is given.
    Refuses (``NewsSpansError``) to overwrite anything.
    """
    text_file, corpus = Path(text_file), Path(corpus)
    doc_id = doc_id or text_file.stem
    if not re.match(DOCUMENT_ID, doc_id):
        raise NewsSpansError(f"document id {doc_id!r} must match {DOCUMENT_ID}")
    if not re.match(SLUG, story_id):
        raise NewsSpansError(f"story id {story_id!r} must be a lowercase slug such as 2024-08-06-some-event")
    if not text_file.is_file():
        raise NewsSpansError(f"{display_path(text_file)}: no such file")
    data = text_file.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NewsSpansError(f"{display_path(text_file)}: byte {exc.start} is not UTF-8; texts must be UTF-8") from None
    targets = {
        TEXTS: corpus / TEXTS / f"{doc_id}.txt",
        DOCUMENTS: corpus / DOCUMENTS / f"{doc_id}.json",
        ANNOTATIONS: corpus / ANNOTATIONS / f"{doc_id}.json",
    }
    existing = [display_path(p) for p in targets.values() if p.exists()]
    if existing:
        raise NewsSpansError(f"document {doc_id!r} already exists ({', '.join(existing)}); nothing was written")
    title, published = parse_dateline(text)
    meta = DocumentMeta(doc_id, title, published, text_file.name, language, story_id, sha256_hex(data))
    for path in targets.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    targets[TEXTS].write_bytes(data)
    targets[DOCUMENTS].write_text(dumps_canonical(meta.to_dict()), encoding="utf-8")
    targets[ANNOTATIONS].write_text(dumps_canonical(Annotations(doc_id).to_dict()), encoding="utf-8")
    return meta
