"""``measure_agreement``: every metric between every pair of annotators of a document, and each
annotator against gold, read from a corpus folder."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Optional, Sequence, Union

from ..corpus import (CORPUS_PARTS, document_ids, is_corpus, layer_documents, layer_file, read_annotators_lenient,
                      read_document_lenient, read_layer_lenient)
from ..errors import BadInput, NewsSpansError
from ..labels import GOLD
from ..model import LAYERS, Annotations
from ..paths import display_path
from ..tokenize import tokenize
from ._compare import Key, compare
from ._rows import CORPUS_ONLY, METRICS, AgreementRow, rounded, row_key
from ._tally import Tally

Pair = tuple[str, str]


def annotator_pairs(annotators: Sequence[str]) -> list[Pair]:
    """The pairs compared: every two annotators (by id), then each annotator against gold."""
    ids = sorted(set(annotators) - {GOLD})
    return [*itertools.combinations(ids, 2), *((a, GOLD) for a in ids)]


def _scope(root: Path, documents: Optional[Sequence[str]]) -> list[str]:
    known = document_ids(root)
    if documents is None:
        return known
    unknown = sorted(set(documents) - set(known))
    if unknown:
        raise BadInput(f"{display_path(root)} has no document {', '.join(unknown)}")
    return sorted(set(documents))


def _layers(layers: Optional[Sequence[str]]) -> tuple[str, ...]:
    if layers is None:
        return LAYERS
    unknown = sorted(set(layers) - set(LAYERS))
    if unknown:
        raise BadInput(f"unknown layer(s) {', '.join(unknown)}; the layers are {', '.join(LAYERS)}")
    return tuple(layer for layer in LAYERS if layer in layers)


def _read(root: Path, doc_id: str, annotators: Sequence[str]) -> tuple[str, dict[str, Annotations]]:
    """The text of ``doc_id`` and every annotation of it (gold and the layers of ``annotators``)."""
    doc = read_document_lenient(root, doc_id)
    if doc is None:
        raise NewsSpansError(f"{display_path(root)}: document {doc_id}'s text or gold annotation file cannot be read; "
                             "run `newsspans validate` and fix it first")
    sides = {GOLD: doc.document.annotations}
    for annotator in annotators:
        layer = read_layer_lenient(root, annotator, doc_id)
        if layer is None:
            path = root / layer_file(annotator, doc_id)
            raise NewsSpansError(f"{display_path(path)} cannot be read as an annotation file; run `newsspans validate` and fix it first")
        sides[annotator] = layer
    return doc.document.text, sides


def _rows(pair: Pair, tallies: dict[Key, Tally], documents: int, document_id: Optional[str]) -> list[AgreementRow]:
    """The rows of ``tallies``; per document (``document_id`` set), without the ``CORPUS_ONLY`` metrics."""
    a, b = pair
    return [AgreementRow(annotator_a=a, annotator_b=b, layer=layer, label=label, metric=metric,
                         value=rounded(t.value(METRICS[layer][metric])), count_a=t.count_a, count_b=t.count_b,
                         agreed=t.agreed, documents=documents, document_id=document_id)
            for (layer, label, metric), t in tallies.items() if document_id is None or metric not in CORPUS_ONLY]


def measure_agreement(root: Union[str, Path], *, documents: Optional[Sequence[str]] = None,
                      layers: Optional[Sequence[str]] = None, by_document: bool = False) -> list[AgreementRow]:
    """Agreement between every pair of annotators of each document, and each annotator against
    gold, per layer and per label, in ``row_key`` order.

    Annotators are those of ``annotators.json`` that have a folder under ``layers/``; a pair is
    compared on the documents both annotated (gold annotates every document), ``documents`` (ids)
    limiting them. Rows are micro-aggregated over those documents (counts summed, then the value
    computed), or, with ``by_document``, one set of rows per document (``document_id`` set),
    leaving out ``cluster_link_f1`` (its links join documents: ``CORPUS_ONLY``).
    ``layers`` limits the layers (default: all three). A corpus without annotators gives no row.
    Raises ``BadInput`` for a folder that is not a corpus, an unknown document or layer, and
    ``NewsSpansError`` for a file that cannot be read.
    """
    root = Path(root)
    if not root.is_dir():
        raise BadInput(f"{display_path(root)}: no such corpus folder")
    if not is_corpus(root):
        missing = [p for p in CORPUS_PARTS if not os.path.lexists(root / p)]
        raise BadInput(f"{display_path(root)} is not a corpus folder (no {', '.join(missing)})")
    chosen_layers = _layers(layers)
    scope = _scope(root, documents)
    listed = read_annotators_lenient(root)
    annotated = {a: set(docs) for a, docs in layer_documents(root).items() if a in listed and a != GOLD}
    annotated[GOLD] = set(scope)
    pairs = annotator_pairs(list(annotated))
    totals: dict[Pair, dict[Key, Tally]] = {pair: {} for pair in pairs}
    counted: dict[Pair, int] = {pair: 0 for pair in pairs}
    rows: list[AgreementRow] = []
    for doc_id in scope:
        present = [a for a in annotated if a != GOLD and doc_id in annotated[a]]
        if not present:
            continue
        text, sides = _read(root, doc_id, present)
        base = tokenize(text)  # split per pair at the spans' boundaries
        for pair in pairs:
            if pair[0] not in present or (pair[1] != GOLD and pair[1] not in present):
                continue
            tallies = compare(text, sides[pair[0]], sides[pair[1]], layers=chosen_layers, document=doc_id, base=base)
            counted[pair] += 1
            if by_document:
                rows += _rows(pair, tallies, 1, doc_id)
                continue
            total = totals[pair]
            for key, tally in tallies.items():  # each tally is new: the first of a key is the total
                if key in total:
                    total[key].add(tally)
                else:
                    total[key] = tally
    if not by_document:
        for pair in pairs:
            if counted[pair]:
                rows += _rows(pair, totals[pair], counted[pair], None)
    return sorted(rows, key=row_key)
