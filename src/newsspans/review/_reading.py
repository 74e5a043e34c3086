"""Reading the corpus for the review pages, each file once: the validator judges the bytes of a
document's files (``Corpus.read_document``) and the lenient reader builds what the page shows
from the same bytes (``lenient_document``), so the problems shown are exactly the ones
``newsspans validate`` reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from ..corpus import LenientDocument, lenient_document, read_document_files, read_registry_lenient
from ..model import RegistryEntry
from ..validation import ERROR, Corpus, Problem
from ._layers import DocumentLayers, read_layers
from ._mentions import Mention, collect_mentions
from ._placement import problem_document, registry_problems


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
class CorpusReview:
    """Everything the pages show: documents, the registry, the problems that belong to no
    document, and every reference to a registry entity."""

    name: str
    version: Optional[str]
    registry: dict[str, RegistryEntry]
    documents: list[DocumentReview]
    corpus_problems: list[Problem]
    mentions: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    #: The comparison of the annotators' layers of each document that has any, by document id.
    layers: dict[str, DocumentLayers] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return self.corpus_problems + [p for d in self.documents for p in d.problems]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    def entity_problems(self) -> dict[str, list[Problem]]:
        """The registry's problems by the entity they concern."""
        return registry_problems(self.corpus_problems, self.registry)


def read_review(corpus: Corpus) -> CorpusReview:
    """Read and check the corpus (its layout already checked), as ``newsspans validate`` does."""
    dataset, problems = corpus.read_dataset()
    version = dataset.get("version") if isinstance(dataset, dict) else None
    registry, found = corpus.read_registry()
    problems += found
    documents = [_read_document(corpus, doc_id, registry) for doc_id in corpus.document_ids()]
    by_id = {d.doc_id: d for d in documents}
    for p in corpus.cross_document_problems(registry):
        doc_id = problem_document(p, set(by_id))
        (by_id[doc_id].problems if doc_id in by_id else problems).append(p)
    # The validator's registry, or when it is broken, what can be read of it.
    shown = registry if registry is not None else read_registry_lenient(corpus.root)
    review = CorpusReview(corpus.root.resolve().name, version if isinstance(version, str) else None, shown,
                          documents, problems)
    for d in documents:
        for entity_id, mention in collect_mentions(d.lenient, shown) if d.lenient else ():
            review.mentions[entity_id].append(mention)
    review.layers = read_layers(corpus.root, {d.doc_id: d.lenient for d in documents})
    return review


def _read_document(corpus: Corpus, doc_id: str, registry: Optional[dict[str, RegistryEntry]]) -> DocumentReview:
    files = read_document_files(corpus.root, doc_id)
    _, problems = corpus.read_document(doc_id, registry, files=files)
    lenient = lenient_document(files)
    if lenient is not None:
        return DocumentReview(doc_id, lenient, lenient.document.text, problems)
    try:
        text = files.text.decode("utf-8") if files.text is not None else None
    except UnicodeDecodeError:
        text = None
    return DocumentReview(doc_id, None, text, problems)
