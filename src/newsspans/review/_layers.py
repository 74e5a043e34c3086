"""A document's annotator layers as its comparison page shows them, read document by document
(``LayerReader``).

The annotators are taken as ``newsspans agree`` takes them: the entries of ``annotators.json`` that
have a layer file of the document (a folder under ``layers/`` named like no listed annotator is left
out; ``newsspans validate`` reports it). The page compares the annotators' layers with each other;
when only one of them has a readable layer, it is compared with gold instead. Gold is shown as its
own column when it is compared or holds any item. The per-document agreement is what
``measure_agreement(by_document=True)`` gives, on the documents whose files all read; it is
measured by its own per-document step (``agreement.add_document``) on the layers already read for
the page, so each layer file is read once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from ..adjudication import Decision, read_decisions
from ..agreement import HEADLINE, AgreementRow, Counts, Job, add_document, annotator_pairs, counted_rows
from ..corpus import LenientDocument, decision_documents, layer_documents, read_annotators_lenient, read_layer_lenient
from ..labels import GOLD
from ..model import LAYERS, Annotations, Annotator
from ._disagreements import Disagreement, find_disagreements


@dataclass(frozen=True)
class Column:
    """One side shown: an annotator's layer or gold (``kind`` ``gold``), compared or only shown."""

    side: str
    kind: str
    note: Optional[str]
    annotations: Annotations
    compared: bool


@dataclass
class PairAgreement:
    """The headline metric of each layer between two sides on one document (``AgreementRow``s by layer)."""

    annotator_a: str
    annotator_b: str
    rows: dict[str, AgreementRow] = field(default_factory=dict)


@dataclass
class DocumentLayers:
    """What the comparison page of one document shows."""

    doc_id: str
    columns: list[Column]
    unreadable: list[str]  # annotators whose layer file cannot be read
    disagreements: list[Disagreement]
    decisions: Optional[list[Decision]]  # None: the document has no decisions file
    decision_errors: list[str] = field(default_factory=list)  # why the decisions file cannot be read (then no decisions)
    decisions_file: str = ""  # its path as shown
    agreement: list[PairAgreement] = field(default_factory=list)

    @property
    def compared(self) -> list[str]:
        return [c.side for c in self.columns if c.compared]

    @property
    def annotators(self) -> list[str]:
        return [c.side for c in self.columns if c.kind != GOLD] + self.unreadable


def _document_layers(root: Path, ld: LenientDocument, annotators: Sequence[str], listed: dict[str, Annotator],
                     decided: bool) -> DocumentLayers:
    doc_id = ld.document.id
    read = {a: read_layer_lenient(root, a, doc_id) for a in annotators}
    layers = {a: layer for a, layer in read.items() if layer is not None}
    gold = ld.document.annotations
    compared = dict(layers) if len(layers) != 1 else {**layers, GOLD: gold}
    columns = [Column(a, listed[a].kind, listed[a].note, layer, a in compared) for a, layer in layers.items()]
    if GOLD in compared or any(getattr(gold, layer) for layer in LAYERS):
        columns.append(Column(GOLD, GOLD, None, gold, GOLD in compared))
    out = DocumentLayers(doc_id, columns, [a for a, layer in read.items() if layer is None], find_disagreements(compared),
                         None)
    if decided:
        found = read_decisions(root, doc_id, annotator_ids=set(listed))
        out.decisions, out.decision_errors, out.decisions_file = found.decisions, found.errors, found.shown
    return out


def _add_agreement(layers: DocumentLayers, rows: Sequence[AgreementRow]) -> None:
    for r in rows:
        if r.label is not None or r.metric != HEADLINE[r.layer]:
            continue
        pairs = layers.agreement
        if not pairs or (pairs[-1].annotator_a, pairs[-1].annotator_b) != (r.annotator_a, r.annotator_b):
            pairs.append(PairAgreement(r.annotator_a, r.annotator_b))
        pairs[-1].rows[r.layer] = r


class LayerReader:
    """The comparison of one document after another: the annotators, the folders under
    ``layers/`` and the decisions files are listed once, when it is made."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listed = read_annotators_lenient(root)
        annotated = {a: ids for a, ids in layer_documents(root).items() if a in self._listed and a != GOLD}
        self._by_doc: dict[str, list[str]] = {}
        for annotator, doc_ids in annotated.items():
            for doc_id in doc_ids:
                self._by_doc.setdefault(doc_id, []).append(annotator)
        self._decided = set(decision_documents(root))
        # measure_agreement's pairs: every annotator with a layer folder, then each against gold
        self._job = Job(root, tuple(annotator_pairs(list(annotated))), LAYERS, True)

    def of(self, doc_id: str, ld: Optional[LenientDocument]) -> Optional[DocumentLayers]:
        """The comparison of document ``doc_id`` (``ld``: the document read leniently, None when
        unreadable), or None when it has none (unreadable, or no layer of a listed annotator)."""
        if ld is None or doc_id not in self._by_doc:
            return None
        out = _document_layers(self.root, ld, sorted(self._by_doc[doc_id]), self._listed, doc_id in self._decided)
        if not out.unreadable:
            counts = Counts()
            sides = {GOLD: ld.document.annotations, **{c.side: c.annotations for c in out.columns if c.side != GOLD}}
            add_document(counts, self._job, doc_id, ld.document.text, sides)
            _add_agreement(out, counted_rows(counts))
        return out
