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
    missing contributes none)."""
    ids: set[str] = set()
    for folder, suffix in DOCUMENT_FOLDERS:
        try:
            with os.scandir(os.path.join(root, folder)) as it:
                ids.update(e.name[: -len(suffix)] for e in it if e.name.endswith(suffix) and e.is_file())
        except (FileNotFoundError, NotADirectoryError):
            continue
    return sorted(ids)


def is_corpus(folder: Path) -> bool:
    return folder.is_dir() and all((folder / part).exists() for part in CORPUS_PARTS)
