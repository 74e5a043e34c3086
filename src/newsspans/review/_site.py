"""Writing the pages into the staged output folder: each page as soon as it is made, into its
file (``atomic.SyncedFiles``: synced a batch at a time), so that no more than one document's pages
are ever held in memory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Mapping, Optional

from ..atomic import SyncedFiles
from ..model import RegistryEntry
from ..validation import Problem
from ._layers import DocumentLayers
from ._links import page_name
from ._mentions import MentionStore
from ._pages import comparison_page, document_page, entity_page, unreadable_page
from ._reading import DocumentReview


class Site:
    """The folders and files of the review site under ``root`` (a new, empty folder)."""

    def __init__(self, root: Path, files: SyncedFiles, *, registry: Mapping[str, RegistryEntry],
                 version: Optional[str]) -> None:
        self.root, self.files = root, files
        self.registry, self.version = dict(registry), version
        (root / "documents").mkdir()
        (root / "entities").mkdir()
        self.comparisons = 0  # comparison pages written (a document's, once)

    def write(self, rel: str, page: Iterable[str]) -> None:
        # backslashreplace: a file name that is not UTF-8 reaches the page as lone surrogates (the
        # corpus's JSON strings never do: the validator reports them and they are read as U+FFFD)
        self.files.write_text(self.root / rel, page, errors="backslashreplace")

    def document(self, d: DocumentReview, layers: Optional[DocumentLayers], *, again: bool = False) -> None:
        """Write the page of a document and, when it has annotator ``layers``, its comparison page;
        ``again``: in place of the ones written earlier (the document has problems found since)."""
        name = page_name(d.doc_id)
        if again:
            for folder in ("documents", "layers"):
                (self.root / folder / name).unlink(missing_ok=True)
        self.write(f"documents/{name}", unreadable_page(d) if d.lenient is None else
                   document_page(d, registry=self.registry, version=self.version, layers=layers))
        if layers is None:
            return
        if not again:
            self.comparisons += 1
            os.makedirs(self.root / "layers", exist_ok=True)
        self.write(f"layers/{name}", comparison_page(d, layers, registry=self.registry, version=self.version))

    def entities(self, mentions: MentionStore, problems: Mapping[str, list[Problem]]) -> None:
        """The page of every registry entity, its references read back from ``mentions``."""
        for entry in self.registry.values():
            page = entity_page(entry, mentions.of(entry.entity_id), counts=mentions.counts(entry.entity_id),
                               problems=problems.get(entry.entity_id, []))
            self.write(f"entities/{page_name(entry.entity_id)}", page)
