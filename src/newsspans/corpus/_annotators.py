"""``corpus/annotators.json``: who made the annotators' layers, and adding one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..atomic import write_files
from ..errors import NewsSpansError
from ..labels import ANNOTATOR_KINDS, EMAIL, RESERVED_ANNOTATOR_IDS, SLUG
from ..model import Annotator
from ..paths import display_path
from ._canonical import dumps_canonical
from ._layout import ANNOTATORS
from ._read import load_json, read_annotators_lenient

_EMAIL = re.compile(EMAIL)


def check_annotator_id(annotator_id: str) -> None:
    """``NewsSpansError`` unless ``annotator_id`` can name an annotator: a lowercase slug, not a
    reserved name (``gold``, ``neither``, ``edit``)."""
    if not isinstance(annotator_id, str) or not re.match(SLUG, annotator_id):
        raise NewsSpansError(f"annotator id {annotator_id!r} must be a lowercase slug such as annotator-1 "
                             "(never an e-mail address)")
    if annotator_id in RESERVED_ANNOTATOR_IDS:
        raise NewsSpansError(f"annotator id {annotator_id!r} is reserved ({', '.join(RESERVED_ANNOTATOR_IDS)}: the gold "
                             "layer and the adjudication takes); choose another")


def dumps_annotators(annotators: list[Annotator]) -> str:
    """The canonical text of ``annotators.json``: one entry per line, sorted by id."""
    return dumps_canonical({"annotators": [a.to_dict() for a in sorted(annotators, key=lambda a: a.annotator_id)]})


def annotators_with(*, corpus: Path, annotator_id: str, kind: str, note: Optional[str] = None) -> bytes:
    """The bytes ``corpus/annotators.json`` has with the annotator added (for a write of one's own,
    so that it can join other files), every entry it has kept. ``NewsSpansError`` for a bad id, kind
    or note, an id already listed, or a file that cannot be read or holds an entry that is not one
    (nothing is ever dropped from it)."""
    corpus = Path(corpus)
    check_annotator_id(annotator_id)
    if kind not in ANNOTATOR_KINDS:
        raise NewsSpansError(f"annotator kind {kind!r} must be one of {', '.join(ANNOTATOR_KINDS)}")
    if note is not None and (not note.strip() or _EMAIL.search(note)):
        raise NewsSpansError("an annotator's note must be non-empty text without an e-mail address")
    path = corpus / ANNOTATORS
    known = read_annotators_lenient(corpus)
    if path.exists():
        value = load_json(path)
        items = value.get("annotators") if isinstance(value, dict) else None
        if not isinstance(items, list) or len(items) != len(known):
            raise NewsSpansError(f"{display_path(path)} cannot be read as a list of annotators; run `newsspans validate` "
                                 "and fix it first")
    if annotator_id in known:
        raise NewsSpansError(f"annotator {annotator_id!r} is already in {display_path(path)}; nothing was written")
    return dumps_annotators([*known.values(), Annotator(annotator_id, kind, note)]).encode("utf-8")


def add_annotator(*, corpus: Path, annotator_id: str, kind: str, note: Optional[str] = None) -> Annotator:
    """Add an annotator to ``corpus/annotators.json`` (created when missing), in one atomic write."""
    data = annotators_with(corpus=corpus, annotator_id=annotator_id, kind=kind, note=note)
    write_files(Path(corpus), {ANNOTATORS: data})
    return Annotator(annotator_id, kind, note)
