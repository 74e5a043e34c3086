"""The per-document work of ``measure_agreement``: read a document's annotations, compare every
pair of them, and add the counts up over a chunk of documents, in this process or in a worker
process (``run_chunk``). Chunks added up in order (``Counts.update``) give what one pass over every
document gives, cluster links included (``LinkTally``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from ..corpus import layer_file, read_document_lenient, read_layer_lenient
from ..errors import NewsSpansError
from ..labels import GOLD
from ..model import Annotations
from ..paths import display_path
from ._compare import Key, Side, compare
from ._rows import CORPUS_ONLY, METRICS, AgreementRow, rounded
from ._tally import Tally
from ._tokens import BaseTokens

Pair = tuple[str, str]


@dataclass(frozen=True)
class Job:
    """What is measured: the corpus at ``root``, the ``pairs`` of annotators, the ``layers``, and
    whether per document (``by_document``)."""

    root: Optional[Path]
    pairs: tuple[Pair, ...]
    layers: tuple[str, ...]
    by_document: bool


@dataclass(frozen=True)
class Task:
    """A document to measure, and the annotators (not gold) who annotated it."""

    document_id: str
    annotators: tuple[str, ...]


@dataclass
class Counts:
    """What documents give: per pair, the tallies added up (``totals``) and the number of
    documents (``counted``); with ``by_document``, each document's rows (``rows``) instead."""

    totals: dict[Pair, dict[Key, Tally]] = field(default_factory=dict)
    counted: dict[Pair, int] = field(default_factory=dict)
    rows: list[AgreementRow] = field(default_factory=list)

    def add(self, pair: Pair, tallies: dict[Key, Tally], documents: int = 1) -> None:
        """Add the ``tallies`` of ``documents`` documents; they are taken over (the first of a key
        becomes the total), so the caller must not use them again."""
        total = self.totals.setdefault(pair, {})
        for key, tally in tallies.items():
            if key in total:
                total[key].add(tally)
            else:
                total[key] = tally
        self.counted[pair] = self.counted.get(pair, 0) + documents

    def update(self, other: "Counts") -> None:
        """Add the counts of the documents that follow (those of ``other``, taken over)."""
        for pair, tallies in other.totals.items():
            self.add(pair, tallies, other.counted[pair])
        self.rows += other.rows


def tally_rows(pair: Pair, tallies: dict[Key, Tally], documents: int, document_id: Optional[str]) -> list[AgreementRow]:
    """The rows of ``tallies``; per document (``document_id`` set), without the ``CORPUS_ONLY`` metrics."""
    a, b = pair
    return [AgreementRow(annotator_a=a, annotator_b=b, layer=layer, label=label, metric=metric,
                         value=rounded(t.value(METRICS[layer][metric])), count_a=t.count_a, count_b=t.count_b,
                         agreed=t.agreed, documents=documents, document_id=document_id)
            for (layer, label, metric), t in tallies.items() if document_id is None or metric not in CORPUS_ONLY]


@dataclass(frozen=True)
class _Sides:
    text: str
    annotations: dict[str, Annotations]  # gold's and each annotator's, by annotator id


def _read(root: Path, task: Task) -> _Sides:
    """The text of the document and every annotation of it (gold and the layers of its annotators)."""
    doc = read_document_lenient(root, task.document_id)
    if doc is None:
        raise NewsSpansError(f"{display_path(root)}: document {task.document_id}'s text or gold annotation file cannot be "
                             "read; run `newsspans validate` and fix it first")
    sides = {GOLD: doc.document.annotations}
    for annotator in task.annotators:
        layer = read_layer_lenient(root, annotator, task.document_id)
        if layer is None:
            path = root / layer_file(annotator, task.document_id)
            raise NewsSpansError(f"{display_path(path)} cannot be read as an annotation file; run `newsspans validate` and fix it first")
        sides[annotator] = layer
    return _Sides(doc.document.text, sides)


def measure_documents(job: Job, tasks: Sequence[Task]) -> Counts:
    """The counts of ``tasks`` (documents in order): every pair of ``job`` whose two sides
    annotated the document (gold annotates every one)."""
    counts = Counts()
    for task in tasks:
        sides = _read(job.root, task)
        add_document(counts, job, task.document_id, sides.text, sides.annotations)
    return counts


def add_document(counts: Counts, job: Job, document_id: str, text: str, annotations: dict[str, Annotations]) -> None:
    """Add to ``counts`` every pair of ``job`` whose two sides annotated the document
    (``annotations``: gold's and each annotator's, by annotator id): the one per-document step,
    whoever read the document (``measure_agreement``, or the build's pass over the corpus)."""
    base = BaseTokens.of(text)  # split per pair at the spans' boundaries
    prepared = {side: Side.of(base, ann, job.layers) for side, ann in annotations.items()}
    for pair in job.pairs:
        if pair[0] not in prepared or pair[1] not in prepared:
            continue
        tallies = compare(base, prepared[pair[0]], prepared[pair[1]], layers=job.layers, document=document_id)
        if job.by_document:
            counts.rows += tally_rows(pair, tallies, 1, document_id)
        else:
            counts.add(pair, tallies)


def counted_rows(counts: Counts) -> list[AgreementRow]:
    """The rows of ``counts`` (every document added), in ``row_key`` order."""
    from ._rows import row_key

    rows = counts.rows + [row for pair, tallies in counts.totals.items()
                          for row in tally_rows(pair, tallies, counts.counted[pair], None)]
    return sorted(rows, key=row_key)


_WORKER: dict[str, Job] = {}


def init_worker(job: Job) -> None:
    """Set up a worker process for ``run_chunk``."""
    _WORKER["job"] = job


def run_chunk(tasks: Sequence[Task]) -> Counts:
    """Worker side: the counts of one chunk of documents."""
    return measure_documents(_WORKER["job"], tasks)
