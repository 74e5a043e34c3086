"""Take a document out of a corpus: every file the layout keeps for it, all or none.

A document is its text, metadata and gold annotation file, and, where the corpus has them, each
annotator's layer of it, its adjudication decisions and its suggestions (``_layout``). ``remove``
lists them all, then removes them in one step through the journal of ``atomic.write_files``: a
kill at any instant leaves the document whole or gone, never half of it. Registry entries stay
(another document may use them; ``newsspans validate`` warns of one no document uses any more).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from ..atomic import write_files
from ..errors import BadInput
from ..paths import display_path
from ._layout import (DOCUMENT_FOLDERS, chosen_documents, corpus_folder, decisions_file, layer_documents, layer_file,
                      suggestions_file)


@dataclass(frozen=True)
class Removed:
    """What ``remove_document`` removed: the document id and its files, relative to the corpus."""

    document_id: str
    files: tuple[str, ...]


def files_of_document(root: Path, doc_id: str) -> list[str]:
    """Every file of the corpus at ``root`` that belongs to the document ``doc_id`` (relative paths,
    sorted): those of ``DOCUMENT_FOLDERS``, its layer in every annotator folder, its decisions and
    its suggestions file, as far as they exist."""
    candidates = [f"{folder}/{doc_id}{suffix}" for folder, suffix in DOCUMENT_FOLDERS]
    candidates += [layer_file(a, doc_id) for a, ids in layer_documents(root).items() if doc_id in ids]
    candidates += [decisions_file(doc_id), suggestions_file(doc_id)]
    return sorted(rel for rel in candidates if os.path.lexists(root / rel))


def _linked_folder(root: Path, rel: str) -> str:
    """The folder on the way to ``rel`` (below ``root``) that is a symbolic link, or ''."""
    parts = Path(rel).parts[:-1]
    for i in range(1, len(parts) + 1):
        folder = Path(*parts[:i])
        if os.path.islink(root / folder):
            return folder.as_posix()
    return ""


def remove_document(*, corpus: Union[str, Path], doc_id: str) -> Removed:
    """Remove the document ``doc_id`` from the corpus folder ``corpus``: every file of it
    (``files_of_document``), all in one step or none. ``BadInput`` (nothing removed) for a folder that
    is no corpus, a document it does not have, or a file reached through a folder that is a
    symbolic link (removing it would change what lies outside the corpus)."""
    root = corpus_folder(corpus)
    chosen_documents(root, [doc_id])  # refuses an unknown id, naming it
    files = files_of_document(root, doc_id)
    for rel in files:
        linked = _linked_folder(root, rel)
        if linked:
            raise BadInput(f"{display_path(root / linked)} is a symbolic link: {display_path(root / rel)} is not removed "
                           "through it; nothing was removed")
    write_files(root, {}, removals=files)
    return Removed(doc_id, tuple(files))
