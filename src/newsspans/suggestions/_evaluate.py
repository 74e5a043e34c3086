"""``evaluate_suggestions``: precision, recall and F1 of the suggestions against gold, per layer and
label, on the documents that have gold (an annotation file with at least one item).

Entities: ``exact_typed`` (same offsets and label) and ``overlap`` (``agreement.match_spans``, the
one matching rule of ``newsspans agree``: over all labels it ignores the label, per label both sides
keep that label only). Quotes: ``overlap`` of the contents; ``with_speaker``, the same counting only
the matched pairs whose speakers agree (quote attribution end to end: a quote found with its
speaker); and, on the matched pairs, the agreement of their ``speaker`` and ``cue`` (same offsets, or
both absent). Claims: ``overlap``.
A row's counts add up over the documents (micro average); docs/suggestions.md shows the figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from ..agreement import LABELS, match_spans, rounded
from ..corpus import chosen_documents, corpus_folder, read_document_lenient
from ..errors import NewsSpansError
from ..model import LAYERS, Annotations, Span
from ..paths import display_path
from ._model import Suggestion
from ._run import make_suggester
from ._store import read_suggestions

#: The metrics of each layer, in report order.
METRICS = {"entities": ("exact_typed", "overlap"), "quotes": ("overlap", "with_speaker", "speaker_agreement", "cue_agreement"),
           "claims": ("overlap",)}
_LABEL_FIELD = {"entities": "label", "quotes": "type", "claims": "label"}


@dataclass(frozen=True)
class EvaluationRow:
    """One metric of the suggestions against gold on one layer, over all labels (``label`` None) or
    one. ``suggested`` and ``gold`` count the items of each side and ``matched`` the pairs matched;
    precision = matched / suggested, recall = matched / gold, F1 = 2 matched / (suggested + gold),
    each None when undefined (rounded like agreement values). For an agreement on matched quotes
    (``speaker_agreement``, ``cue_agreement``) both counts are the matched quotes compared and
    ``matched`` those that agree, so the three values are that share."""

    layer: str
    label: Optional[str]
    metric: str
    precision: Optional[float]
    recall: Optional[float]
    f1: Optional[float]
    suggested: int
    gold: int
    matched: int
    documents: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Key = tuple[str, Optional[str], str]


def _span(d: dict[str, Any]) -> Span:
    return Span(d["start"], d["end"], d["text"])


def _offsets(span: Any) -> Optional[tuple[int, int]]:
    return None if span is None else (span["start"], span["end"]) if isinstance(span, dict) else (span.start, span.end)


def _add(tally: dict[Key, list[int]], key: Key, suggested: int, gold: int, matched: int) -> None:
    counts = tally[key]
    counts[0] += suggested
    counts[1] += gold
    counts[2] += matched


def _by_label(layer: str, items: Sequence[Any], as_dict: bool) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for k, x in enumerate(items):
        out[x[_LABEL_FIELD[layer]] if as_dict else getattr(x, _LABEL_FIELD[layer])].append(k)
    return out


def _same(part: str, suggested: dict[str, Any], gold: Any) -> bool:
    return _offsets(suggested[part]) == _offsets(getattr(gold, part))


def _layer(tally: dict[Key, list[int]], layer: str, suggested: list[dict[str, Any]], gold: Sequence[Any]) -> None:
    """Add one document's counts of ``layer``: ``suggested`` items (dicts) against ``gold`` (model items)."""
    content = (lambda x: x["content"]) if layer == "quotes" else (lambda x: x)
    s_spans = [_span(content(x)) for x in suggested]
    g_spans = [g.content if layer == "quotes" else g.span for g in gold]
    pairs = match_spans(s_spans, g_spans)
    _add(tally, (layer, None, "overlap"), len(s_spans), len(g_spans), len(pairs))
    s_labels, g_labels = _by_label(layer, suggested, True), _by_label(layer, gold, False)
    exact_all = 0
    for label in set(s_labels) | set(g_labels):
        s_k, g_k = s_labels.get(label, []), g_labels.get(label, [])
        matched = match_spans([s_spans[k] for k in s_k], [g_spans[k] for k in g_k])
        _add(tally, (layer, label, "overlap"), len(s_k), len(g_k), len(matched))
        if layer == "quotes":
            attributed = sum(_same("speaker", suggested[s_k[m.index_a]], gold[g_k[m.index_b]]) for m in matched)
            _add(tally, (layer, label, "with_speaker"), len(s_k), len(g_k), attributed)
        if layer == "entities":
            same = Counter(_offsets(s_spans[k]) for k in s_k) & Counter(_offsets(g_spans[k]) for k in g_k)
            exact_all += sum(same.values())
            _add(tally, (layer, label, "exact_typed"), len(s_k), len(g_k), sum(same.values()))
    if layer == "entities":
        _add(tally, (layer, None, "exact_typed"), len(s_spans), len(g_spans), exact_all)
    if layer == "quotes":
        agreed = {part: sum(_same(part, suggested[m.index_a], gold[m.index_b]) for m in pairs) for part in ("speaker", "cue")}
        _add(tally, (layer, None, "with_speaker"), len(s_spans), len(g_spans), agreed["speaker"])
        for part in ("speaker", "cue"):
            _add(tally, (layer, None, f"{part}_agreement"), len(pairs), len(pairs), agreed[part])


def _value(numerator: int, denominator: int) -> Optional[float]:
    return rounded(Fraction(numerator, denominator)) if denominator else None


def _label_order(layer: str, label: Optional[str]) -> tuple[int, int, str]:
    if label is None:
        return (0, 0, "")
    inventory = LABELS[layer]
    return (1, inventory.index(label), "") if label in inventory else (2, 0, label)


def rows_of(tally: dict[Key, list[int]], documents: int) -> list[EvaluationRow]:
    """The rows of summed counts, in report order: layer, all labels then each in inventory order, metric."""
    rows = [EvaluationRow(layer, label, metric, _value(m, s), _value(m, g), _value(2 * m, s + g), s, g, m, documents)
            for (layer, label, metric), (s, g, m) in tally.items()]
    return sorted(rows, key=lambda r: (LAYERS.index(r.layer), _label_order(r.layer, r.label), METRICS[r.layer].index(r.metric)))


def compare_document(tally: dict[Key, list[int]], suggestions: Sequence[Suggestion], gold: Annotations) -> None:
    """Add the counts of one document's suggestions against its gold."""
    for layer in LAYERS:
        _layer(tally, layer, [s.item for s in suggestions if s.layer == layer], getattr(gold, layer))


def new_tally() -> dict[Key, list[int]]:
    tally: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for layer in LAYERS:
        for metric in METRICS[layer]:
            tally[layer, None, metric]  # every layer's rows over all labels, even with no item on either side
    return tally


def evaluate_suggestions(*, corpus: Union[str, Path], documents: Optional[Sequence[str]] = None,
                         sources: Optional[Sequence[str]] = None, model: Optional[str] = None, stored: bool = False,
                         label_map: Union[None, str, Path] = None) -> list[EvaluationRow]:
    """Precision, recall and F1 of the suggestions of ``sources`` (and ``model``, as ``suggest``)
    against gold on ``documents`` (default: all) that have gold, computed in memory, or with
    ``stored`` read from ``suggestions/`` (then ``sources`` and ``model`` do not apply). Nothing is
    written. Raises ``BadInput`` as ``suggest``, ``NewsSpansError`` for a file that cannot be read."""
    root = corpus_folder(corpus)
    doc_ids = chosen_documents(root, documents)
    suggester = None if stored else make_suggester(root, sources, model, label_map)
    return _evaluated(root, doc_ids, suggester).rows


@dataclass(frozen=True)
class StoredEvaluation:
    """The evaluation of stored suggestions (``rows``) and the sources that made them, sorted."""

    rows: list[EvaluationRow]
    sources: list[str]


def evaluate_stored(*, corpus: Union[str, Path], documents: Sequence[str]) -> StoredEvaluation:
    """``evaluate_suggestions(stored=True)`` of ``documents``, with the sources of their suggestions,
    each suggestions file read once (what the build's card reports)."""
    return _evaluated(corpus_folder(corpus), list(documents), None)


class EvaluationTally:
    """Counts of suggestions against gold added up document by document, over chunks in
    worker processes too (picklable; ``merge`` adds a later chunk's): what ``result`` turns into
    the evaluation."""

    def __init__(self) -> None:
        self.counts: dict[Key, list[int]] = new_tally()
        self.documents = 0
        self.sources: set[str] = set()

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "counts": dict(self.counts)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.counts = defaultdict(lambda: [0, 0, 0], state["counts"])

    def add(self, suggestions: Sequence[Suggestion], gold: Annotations) -> None:
        """One document's suggestions against its gold (a document not annotated yet counts for nothing)."""
        if not (gold.entities or gold.quotes or gold.claims):
            return
        compare_document(self.counts, suggestions, gold)
        self.sources.update(s.source for s in suggestions)
        self.documents += 1

    def merge(self, other: "EvaluationTally") -> None:
        for key, (s, g, m) in other.counts.items():
            mine = self.counts.setdefault(key, [0, 0, 0])
            mine[0], mine[1], mine[2] = mine[0] + s, mine[1] + g, mine[2] + m
        self.sources |= other.sources
        self.documents += other.documents

    def result(self) -> StoredEvaluation:
        return StoredEvaluation(rows_of(self.counts, self.documents), sorted(self.sources))


def _evaluated(root: Path, doc_ids: Sequence[str], suggester: Any) -> StoredEvaluation:
    """The evaluation over ``doc_ids`` that have gold of the suggestions of ``suggester``, or (None) of
    the stored ones, with their sources."""
    tally = EvaluationTally()
    for doc_id in doc_ids:
        doc = read_document_lenient(root, doc_id)
        if doc is None:
            raise NewsSpansError(f"{display_path(root)}: document {doc_id}'s text or gold annotation file cannot be read; "
                                 "run `newsspans validate` and fix it first")
        gold = doc.document.annotations
        if not (gold.entities or gold.quotes or gold.claims):
            continue  # not annotated yet
        found = read_suggestions(root, doc_id) if suggester is None else suggester.suggest(doc.document.text)
        tally.add(found, gold)
    return tally.result()
