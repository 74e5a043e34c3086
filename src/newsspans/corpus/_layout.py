"""The on-disk layout of a corpus folder::

    dataset.json                 version (the one place), name, licence
    registry.json                the entity registry
    texts/<id>.txt               the document texts, byte for byte as received
    documents/<id>.json          per-document metadata
    annotations/<id>.json        standoff annotations: entities, quotes, claims (the gold)

and, for a corpus annotated by several annotators (all optional)::

    annotators.json              who made the layers: id, kind (human/model), an optional note
    layers/<annotator>/<id>.json each annotator's own annotation of a document, same format as gold
    decisions/<id>.jsonl         adjudication: one decision per line on where the layers disagree

and, optional too, the suggestions (``newsspans suggest``; never gold; checked by validate, reported by the build's card)::

    suggestions/<id>.json        pre-annotation: the gold's format, each item with its source and score
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence, Union

from ..errors import BadInput
from ..paths import display_path

TEXTS = "texts"
DOCUMENTS = "documents"
ANNOTATIONS = "annotations"
REGISTRY = "registry.json"
DATASET = "dataset.json"
ANNOTATORS = "annotators.json"
LAYERS_DIR = "layers"
DECISIONS = "decisions"
DECISIONS_SUFFIX = ".jsonl"
SUGGESTIONS = "suggestions"

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


def corpus_folder(root: Union[str, Path]) -> Path:
    """``root`` as a ``Path``, or ``BadInput`` when it is no folder or lacks a part of a corpus
    (named): the check of every command that works on a corpus."""
    root = Path(root)
    if not root.is_dir():
        raise BadInput(f"{display_path(root)}: no such corpus folder")
    missing = [part for part in CORPUS_PARTS if not os.path.lexists(root / part)]
    if missing:
        raise BadInput(f"{display_path(root)} is not a corpus folder (no {', '.join(missing)})")
    return root


def chosen_documents(root: Union[str, Path], documents: Optional[Sequence[str]]) -> list[str]:
    """The documents a command works on, sorted: ``documents`` (every document of the corpus at
    ``root`` when None); ``BadInput`` naming those the corpus does not have."""
    known = document_ids(root)
    if documents is None:
        return known
    unknown = sorted(set(documents) - set(known))
    if unknown:
        raise BadInput(f"{display_path(Path(root))} has no document {', '.join(unknown)}")
    return sorted(set(documents))


def symlinked_parts(folder: Path) -> list[str]:
    """The parts of the corpus folder (``CORPUS_PARTS``) that are symbolic links."""
    return [part for part in CORPUS_PARTS if os.path.islink(os.path.join(folder, part))]


def is_corpus(folder: Path) -> bool:
    """Whether ``folder`` has every part of a corpus (a part that is a symbolic link counts: it is
    there, and the readers refuse it)."""
    return folder.is_dir() and all(os.path.lexists(os.path.join(folder, part)) for part in CORPUS_PARTS)


def layer_file(annotator_id: str, doc_id: str) -> str:
    """The path, relative to the corpus root, of annotator ``annotator_id``'s layer of ``doc_id``."""
    return f"{LAYERS_DIR}/{annotator_id}/{doc_id}.json"


def decisions_file(doc_id: str) -> str:
    """The path, relative to the corpus root, of the adjudication decisions of ``doc_id``."""
    return f"{DECISIONS}/{doc_id}{DECISIONS_SUFFIX}"


def suggestions_file(doc_id: str) -> str:
    """The path, relative to the corpus root, of the suggestions of ``doc_id``."""
    return f"{SUGGESTIONS}/{doc_id}.json"


def _names(path: str, suffix: str, *, folders: bool = False) -> list[str]:
    """The names in folder ``path`` (never through a link) ending in ``suffix``, without it: regular
    files and links to be refused, or (``folders``) real folders; none when there is no folder."""
    if os.path.islink(path):
        return []
    try:
        with os.scandir(path) as it:
            if folders:
                return sorted(e.name for e in it if e.is_dir(follow_symlinks=False))
            return sorted(e.name[: -len(suffix)] for e in it
                          if e.name.endswith(suffix) and (e.is_file(follow_symlinks=False) or e.is_symlink()))
    except (FileNotFoundError, NotADirectoryError):
        return []


def layer_documents(root: Union[str, Path]) -> dict[str, list[str]]:
    """Every annotator folder under ``layers/`` with the document ids of its layer files, sorted
    (folders named like no annotator included, so that the validator can report them)."""
    base = os.path.join(root, LAYERS_DIR)
    return {a: _names(os.path.join(base, a), ".json") for a in _names(base, "", folders=True)}


def decision_documents(root: Union[str, Path]) -> list[str]:
    """The document ids that have a decisions file, sorted."""
    return _names(os.path.join(root, DECISIONS), DECISIONS_SUFFIX)


def suggestion_documents(root: Union[str, Path]) -> list[str]:
    """The document ids that have a suggestions file, sorted."""
    return _names(os.path.join(root, SUGGESTIONS), ".json")
