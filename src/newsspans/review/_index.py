"""What the index page keeps of each document while the others are read: one small row (its
id, title, date, counts and validation status) and, for a document with annotator layers, its
agreement and number of disagreements; the document itself and its pages are gone by then."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, NamedTuple, Optional

from ..validation import ERROR, Problem
from ._layers import DocumentLayers, PairAgreement
from ._reading import DocumentReview


class Status(NamedTuple):
    """How many errors and warnings: what a validation status shows."""

    errors: int
    warnings: int


def status_of(problems: Iterable[Problem]) -> Status:
    problems = list(problems)
    errors = sum(1 for p in problems if p.severity == ERROR)
    return Status(errors, len(problems) - errors)


class IndexRow(NamedTuple):
    doc_id: str
    title: str
    published: str
    counts: tuple[int, int, int]  # entity mentions, quotes and claims shown
    status: Status
    readable: bool


class LayersRow(NamedTuple):
    """A document's line of the index's agreement table."""

    agreement: list[PairAgreement]
    unreadable: list[str]  # annotators whose layer file cannot be read
    disagreements: int


@dataclass
class SiteIndex:
    """The index's rows, by document id in reading order; a document read again (to show a
    cross-document problem) replaces its row."""

    rows: dict[str, IndexRow] = field(default_factory=dict)
    layers: dict[str, LayersRow] = field(default_factory=dict)

    def add(self, d: DocumentReview, layers: Optional[DocumentLayers]) -> None:
        self.rows[d.doc_id] = IndexRow(d.doc_id, d.title, d.published, d.counts, status_of(d.problems),
                                       d.lenient is not None)
        if layers is not None:
            self.layers[d.doc_id] = LayersRow(layers.agreement, layers.unreadable, len(layers.disagreements))

    def totals(self) -> list[int]:
        """Entity mentions, quotes and claims of every document."""
        return [sum(r.counts[k] for r in self.rows.values()) for k in range(3)]

    def status(self, corpus_problems: list[Problem]) -> Status:
        """The status of the whole corpus: its own problems and every document's."""
        own = status_of(corpus_problems)
        return Status(own.errors + sum(r.status.errors for r in self.rows.values()),
                      own.warnings + sum(r.status.warnings for r in self.rows.values()))
