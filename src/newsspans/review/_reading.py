"""Reading the corpus for the review pages, one document at a time and each file once: the
validator judges the bytes of a document's files (``Corpus.read_document``) and the lenient reader
builds what the page shows from the same bytes (``lenient_document``), so the problems shown are
exactly the ones ``newsspans validate`` reports. The problems that need the whole corpus come
after the last document (``cross_document_problems``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import AbstractSet, Optional

from ..corpus import LenientDocument, lenient_document, read_document_files, read_registry_lenient
from ..model import RegistryEntry
from ..validation import Corpus, Problem
from ._placement import problem_document


@dataclass
class DocumentReview:
    """One document as its page shows it: read leniently (None when its text or annotation file
    cannot be read), its decoded text (None when it does not decode) and its problems."""

    doc_id: str
    lenient: Optional[LenientDocument]
    text: Optional[str]
    problems: list[Problem]

    @property
    def title(self) -> str:
        return (self.lenient.document.meta.title or "") if self.lenient else self.doc_id

    @property
    def published(self) -> str:
        return (self.lenient.document.meta.published or "") if self.lenient else ""

    @property
    def counts(self) -> tuple[int, int, int]:
        """Entity mentions, quotes and claims shown."""
        if self.lenient is None:
            return 0, 0, 0
        ann = self.lenient.document.annotations
        return len(ann.entities), len(ann.quotes), len(ann.claims)


@dataclass
class CorpusStart:
    """What is read before the documents: the corpus's name and dataset version, the registry
    (the validator's, None when broken, and the one shown: when broken, what can be read of it)
    and the problems of ``dataset.json`` and ``registry.json``."""

    name: str
    version: Optional[str]
    registry: Optional[dict[str, RegistryEntry]]
    shown: dict[str, RegistryEntry]
    problems: list[Problem]


def read_start(corpus: Corpus) -> CorpusStart:
    """Read and check ``dataset.json`` and the registry (the layout already checked), as
    ``newsspans validate`` does."""
    dataset, problems = corpus.read_dataset()
    version = dataset.get("version") if isinstance(dataset, dict) else None
    registry, found = corpus.read_registry()
    shown = registry if registry is not None else read_registry_lenient(corpus.root)
    return CorpusStart(corpus.root.resolve().name, version if isinstance(version, str) else None, registry, shown,
                       problems + found)


def read_document_review(corpus: Corpus, doc_id: str, *, registry: Optional[dict[str, RegistryEntry]]) -> DocumentReview:
    """Read and check one document's files, once each (the cross-document problems come later)."""
    files = read_document_files(corpus.root, doc_id)
    _, problems = corpus.read_document(doc_id, registry, files=files)
    corpus.digests.clear()  # the files' checksums: not shown, and they would pile up document after document
    lenient = lenient_document(files)
    if lenient is not None:
        return DocumentReview(doc_id, lenient, lenient.document.text, problems)
    try:
        text = files.text.decode("utf-8") if files.text is not None else None
    except UnicodeDecodeError:
        text = None
    return DocumentReview(doc_id, None, text, problems)


def cross_document_problems(corpus: Corpus, *, registry: Optional[dict[str, RegistryEntry]],
                            doc_ids: AbstractSet[str]) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """The problems that need every document read first (call after reading them all): those of
    a document (of ``doc_ids``) by its id, in order, and the others."""
    by_doc: dict[str, list[Problem]] = {}
    others = []
    for p in corpus.cross_document_problems(registry):
        doc_id = problem_document(p, doc_ids)
        if doc_id in doc_ids:
            by_doc.setdefault(doc_id, []).append(p)
        else:
            others.append(p)
    return by_doc, others
