"""The on-disk layout of a corpus folder::

    dataset.json                 version (the one place), name, licence
    registry.json                the entity registry
    texts/<id>.txt               the document texts, byte for byte as received
    documents/<id>.json          per-document metadata
    annotations/<id>.json        standoff annotations: entities, quotes, claims
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

TEXTS = "texts"
DOCUMENTS = "documents"
ANNOTATIONS = "annotations"
REGISTRY = "registry.json"
DATASET = "dataset.json"

#: Each per-document folder with the suffix of its files.
DOCUMENT_FOLDERS = ((TEXTS, ".txt"), (DOCUMENTS, ".json"), (ANNOTATIONS, ".json"))
#: What a folder must hold to be a corpus.
CORPUS_PARTS = (DATASET, REGISTRY, TEXTS, DOCUMENTS, ANNOTATIONS)


def document_ids(root: Union[str, Path]) -> list[str]:
    """Every document id that has a text, metadata or annotation file, sorted (a folder that is
    missing contributes none). A symbolic link named as a document file counts, so that the
    readers can refuse it (they never follow one); a folder that is a link is not listed."""
    ids: set[str] = set()
    for folder, suffix in DOCUMENT_FOLDERS:
        path = os.path.join(root, folder)
        if os.path.islink(path):
            continue
        try:
            with os.scandir(path) as it:
                ids.update(e.name[: -len(suffix)] for e in it
                           if e.name.endswith(suffix) and (e.is_file(follow_symlinks=False) or e.is_symlink()))
        except (FileNotFoundError, NotADirectoryError):
            continue
    return sorted(ids)


def symlinked_parts(folder: Path) -> list[str]:
    """The parts of the corpus folder (``CORPUS_PARTS``) that are symbolic links."""
    return [part for part in CORPUS_PARTS if os.path.islink(os.path.join(folder, part))]


def is_corpus(folder: Path) -> bool:
    """Whether ``folder`` has every part of a corpus (a part that is a symbolic link counts: it is
    there, and the readers refuse it)."""
    return folder.is_dir() and all(os.path.lexists(os.path.join(folder, part)) for part in CORPUS_PARTS)
