"""What a corpus holds, counted as the build reads it: ``newsspans stats`` and ``newsspans ls``.

The documents are read by the validator's ``Corpus``, the build's reader and gate, in chunks (on
several processes for a large corpus), and each becomes a small ``DocumentSummary``: its
metadata, its split, and the number of items per label of gold and of each annotator's layer.
Summaries stream in id order; the documents themselves are never held. A document with an error
is counted as the build counts it, not at all: it is listed in ``StatsTally.left_out`` and the
callers say so. ``StatsTally`` sums the summaries into the tables of ``stats``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional, Union

from ..agreement import LABELS
from ..errors import BadInput
from ..labels import GOLD
from ..model import LAYERS, Annotations, DocumentMeta
from ..paths import display_path
from ..validation import ERROR, Corpus, CorpusInvalid, Problem, default_workers
from ._splits import SPLITS, split_of

#: The attribute that is each layer's label (an entity's type, a quote's type, a claim's label).
_LABEL_OF = {"entities": "label", "quotes": "type", "claims": "label"}


def label_counts(annotations: Annotations) -> dict[str, dict[str, int]]:
    """Per layer, the number of items per label (labels with no item left out)."""
    return {layer: dict(Counter(getattr(item, _LABEL_OF[layer]) for item in getattr(annotations, layer)))
            for layer in LAYERS}


@dataclass(frozen=True)
class DocumentSummary:
    """One document as ``stats`` and ``ls`` see it. ``meta`` and ``split`` are None, and
    ``counts`` empty, when the document has an error (``errors`` > 0): the build would refuse it."""

    id: str
    meta: Optional[DocumentMeta]
    split: Optional[str]
    errors: int
    #: Per source (``gold``, then each annotator with a layer of it), per layer, items per label.
    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    @property
    def annotators(self) -> list[str]:
        """The annotators with a layer of this document, sorted."""
        return sorted(s for s in self.counts if s != GOLD)

    def total(self, layer: str, source: str = GOLD) -> Optional[int]:
        """How many items ``source`` has in ``layer`` (None when the document was not counted)."""
        if source not in self.counts:
            return None
        return sum(self.counts[source][layer].values())

    def to_dict(self) -> dict[str, Any]:
        """The ``ls`` record: id, the metadata, split, annotators, gold's counts and the errors."""
        meta = self.meta.to_dict() if self.meta is not None else {}
        keys = ("title", "published", "source", "url", "language", "story_id")
        return {"id": self.id, **{k: meta.get(k) for k in keys}, "split": self.split, "annotators": self.annotators,
                **{layer: self.total(layer) for layer in LAYERS}, "errors": self.errors}


def _summary(doc_id: str, doc: Any, problems: list[Problem], layers: dict[str, Annotations]) -> DocumentSummary:
    errors = sum(p.severity == ERROR for p in problems)
    if doc is None or errors:
        return DocumentSummary(doc_id, None, None, max(errors, 1))
    counts = {GOLD: label_counts(doc.annotations), **{a: label_counts(layers[a]) for a in sorted(layers)}}
    return DocumentSummary(doc_id, doc.meta, split_of(doc.meta.story_id), 0, counts)


def _summarize_chunk(corpus: Corpus, registry: Any, doc_ids: list[str]) -> list[DocumentSummary]:
    """A chunk's summaries (``Corpus.map_documents``: in a worker process for a large corpus)."""
    out = []
    for doc_id in doc_ids:
        doc, problems = corpus.read_document(doc_id, registry)
        out.append(_summary(doc_id, doc, problems, corpus.beside.layers))
    return out


@dataclass
class StatsTally:
    """The sums of ``stats``, added a summary at a time (``add``)."""

    #: The annotators of annotators.json by id, with their kind.
    kinds: dict[str, str] = field(default_factory=dict)
    documents: int = 0
    #: The documents with an error, not counted (in id order).
    left_out: list[str] = field(default_factory=list)
    #: The errors the build would refuse the corpus for: in the documents and in the corpus's own files.
    errors: int = 0
    splits: dict[str, Counter] = field(default_factory=lambda: {s: Counter() for s in SPLITS})
    labels: dict[tuple[str, str], Counter] = field(default_factory=dict)
    sources: dict[str, Counter] = field(default_factory=dict)

    def add(self, s: DocumentSummary) -> None:
        self.errors += s.errors
        if s.meta is None:
            self.left_out.append(s.id)
            return
        self.documents += 1
        split = self.splits[s.split]
        split["documents"] += 1
        for source, layers in s.counts.items():
            counter = self.sources.setdefault(source, Counter())
            counter["documents"] += 1
            for layer, by_label in layers.items():
                counter[layer] += sum(by_label.values())
                if source == GOLD:
                    split[layer] += sum(by_label.values())
                    for label, n in by_label.items():
                        self.labels.setdefault((layer, label), Counter())[s.split] += n

    def label_rows(self) -> list[dict[str, Any]]:
        """Gold's items per layer and label (every label of the inventory), in all and per split."""
        rows = []
        for layer in LAYERS:
            for label in LABELS[layer]:
                per_split = self.labels.get((layer, label), Counter())
                rows.append({"layer": layer, "label": label, "count": sum(per_split.values()),
                             **{split: per_split[split] for split in SPLITS}})
        return rows

    def split_rows(self) -> list[dict[str, Any]]:
        """Per split: documents, and gold's items per layer."""
        return [{"split": split, "documents": c["documents"], **{layer: c[layer] for layer in LAYERS}}
                for split, c in self.splits.items()]

    def annotator_rows(self) -> list[dict[str, Any]]:
        """Gold, then every annotator (of annotators.json, or with layers): documents annotated and items per layer."""
        ids = sorted(set(self.kinds) | (set(self.sources) - {GOLD}))
        rows = []
        for source in [GOLD, *ids]:
            c = self.sources.get(source, Counter())
            kind = GOLD if source == GOLD else self.kinds.get(source)
            rows.append({"annotator": source, "kind": kind, "documents": c["documents"], **{layer: c[layer] for layer in LAYERS}})
        return rows

    def totals(self) -> dict[str, Any]:
        """The corpus in one record: documents (and those left out), gold's items per layer, annotators and layers."""
        gold = self.sources.get(GOLD, Counter())
        layers = sum(c["documents"] for source, c in self.sources.items() if source != GOLD)
        return {"documents": self.documents, "left_out": len(self.left_out), **{layer: gold[layer] for layer in LAYERS},
                "annotators": len(self.annotator_rows()) - 1, "layers": layers, "errors": self.errors}


@dataclass
class CorpusSummary:
    """``summarize``'s result: the summaries, streamed (``__iter__``, once), and the tally they add
    up to, complete once they have all been taken (``finish``)."""

    tally: StatsTally
    _corpus: Corpus
    _registry: Any
    _workers: int
    _started: bool = False

    def __iter__(self) -> Iterator[DocumentSummary]:
        if self._started:
            raise RuntimeError("the summaries of a corpus are streamed once")
        self._started = True
        for chunk in self._corpus.map_documents(self._registry, _summarize_chunk, workers=self._workers):
            for s in chunk:
                self.tally.add(s)
                yield s
        late = self._corpus.cross_document_problems(self._registry)
        self.tally.errors += sum(p.severity == ERROR for p in late)

    def finish(self) -> StatsTally:
        """Every summary counted (when none was taken yet); the complete tally."""
        if not self._started:
            for _ in self:
                pass
        return self.tally


def summarize(corpus: Union[str, Path], *, workers: Optional[int] = None) -> CorpusSummary:
    """The documents of the corpus at ``corpus`` (a folder or a packed corpus) as summaries, read by
    the build's reader on ``workers`` processes (default: one per core; the result does not depend
    on it). ``CorpusInvalid`` when the corpus's own files (dataset.json, registry.json,
    annotators.json) have errors: nothing can then be counted as the build would."""
    if isinstance(corpus, Path) and not corpus.is_dir():
        raise BadInput(f"{display_path(corpus)}: no such corpus folder")
    reader = Corpus(corpus, warnings=False)
    layout = reader.layout_problems()
    if layout:
        raise CorpusInvalid(layout)
    problems = reader.read_dataset()[1]
    registry, found = reader.read_registry()
    annotators, more = reader.read_annotators()
    problems += found + more
    if any(p.severity == ERROR for p in problems):
        raise CorpusInvalid(problems)
    kinds = {a.annotator_id: a.kind for a in (annotators or {}).values()}
    return CorpusSummary(StatsTally(kinds=kinds), reader, registry, default_workers() if workers is None else workers)
