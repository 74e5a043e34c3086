"""``measure_agreement``: every metric between every pair of annotators of a document, and each
annotator against gold, read from a corpus folder."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Iterator, Optional, Sequence, Union

from ..corpus import chosen_documents, corpus_folder, layer_documents, read_annotators_lenient
from ..errors import BadInput
from ..labels import GOLD
from ..model import LAYERS
from ..validation import CHUNK_DOCUMENTS, PARALLEL_MIN_DOCUMENTS, chunked, default_workers, map_in_processes
from ._documents import Counts, Job, Pair, Task, counted_rows, init_worker, measure_documents, run_chunk
from ._rows import AgreementRow


def annotator_pairs(annotators: Sequence[str]) -> list[Pair]:
    """The pairs compared: every two annotators (by id), then each annotator against gold."""
    ids = sorted(set(annotators) - {GOLD})
    return [*itertools.combinations(ids, 2), *((a, GOLD) for a in ids)]


def _layers(layers: Optional[Sequence[str]]) -> tuple[str, ...]:
    if layers is None:
        return LAYERS
    unknown = sorted(set(layers) - set(LAYERS))
    if unknown:
        raise BadInput(f"unknown layer(s) {', '.join(unknown)}; the layers are {', '.join(LAYERS)}")
    return tuple(layer for layer in LAYERS if layer in layers)


def _counts(job: Job, chunks: list[list[Task]], workers: int) -> Iterator[Counts]:
    """The counts of each chunk, in order: in ``workers`` processes when there are enough
    documents to pay for them."""
    if workers <= 1 or sum(map(len, chunks)) < PARALLEL_MIN_DOCUMENTS:
        for chunk in chunks:
            yield measure_documents(job, chunk)
        return
    yield from map_in_processes(run_chunk, [c for c in chunks if c], workers=workers, initializer=init_worker, initargs=(job,))


def measure_agreement(root: Union[str, Path], *, documents: Optional[Sequence[str]] = None,
                      layers: Optional[Sequence[str]] = None, by_document: bool = False,
                      workers: Optional[int] = None) -> list[AgreementRow]:
    """Agreement between every pair of annotators of each document, and each annotator against
    gold, per layer and per label, in ``row_key`` order.

    Annotators are those of ``annotators.json`` that have a folder under ``layers/``; a pair is
    compared on the documents both annotated (gold annotates every document), ``documents`` (ids)
    limiting them. Rows are micro-aggregated over those documents (counts summed, then the value
    computed), or, with ``by_document``, one set of rows per document (``document_id`` set),
    leaving out ``cluster_link_f1`` (its links join documents: ``CORPUS_ONLY``).
    ``layers`` limits the layers (default: all three). A corpus without annotators gives no row.
    ``workers`` processes compare the documents, in chunks (default: one per core; 1: this process
    only, as with fewer than ``PARALLEL_MIN_DOCUMENTS`` documents); the rows do not depend on it.
    Raises ``BadInput`` for a folder that is not a corpus, an unknown document or layer, and
    ``NewsSpansError`` for a file that cannot be read.
    """
    root = corpus_folder(root)
    chosen_layers = _layers(layers)
    scope = chosen_documents(root, documents)
    listed = read_annotators_lenient(root)
    annotated = {a: set(docs) for a, docs in layer_documents(root).items() if a in listed and a != GOLD}
    annotated[GOLD] = set(scope)
    job = Job(root, tuple(annotator_pairs(list(annotated))), chosen_layers, by_document)
    annotators = sorted(set(annotated) - {GOLD})
    chunks = []
    for ids in chunked(scope, CHUNK_DOCUMENTS):  # a document that no annotator annotated is not compared
        tasks = [Task(doc_id, tuple(a for a in annotators if doc_id in annotated[a])) for doc_id in ids]
        chunks.append([task for task in tasks if task.annotators])
    counts = Counts()
    for chunk in _counts(job, chunks, default_workers() if workers is None else workers):
        counts.update(chunk)
    return counted_rows(counts)
