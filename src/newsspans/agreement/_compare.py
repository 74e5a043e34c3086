"""Every metric between two annotations of one document, as counts (``Tally``) per
(layer, label, metric); label None is the row over all labels. ``cluster_link_f1`` gives the
document's cluster memberships (``LinkTally``), counted into links once documents are added up."""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from ..model import Annotations, Claim, EntityMention, Quote
from ..tokenize import Token
from ._links import link_tally
from ._match import match_spans
from ._rows import CLUSTER_LINK_F1
from ._tally import Tally, agreement_tally, alpha_tally, exact_tally
from ._tokens import TOKEN_VALUES, pair_tokens

Key = tuple[str, Optional[str], str]


def _offsets(span: Any) -> Optional[tuple[int, int]]:
    return None if span is None else (span.start, span.end)


def _matched(a: Sequence[Any], b: Sequence[Any], span: Callable[[Any], Any]) -> list[tuple[Any, Any]]:
    """The matched pairs (item of a, item of b) of the matching rule, on the spans ``span`` gives."""
    return [(a[m.index_a], b[m.index_b]) for m in match_spans([span(x) for x in a], [span(y) for y in b])]


def _either_set(field: str) -> Callable[[Any, Any], bool]:
    return lambda x, y: getattr(x, field) is not None or getattr(y, field) is not None


def _equal(field: str) -> Callable[[Any, Any], bool]:
    return lambda x, y: getattr(x, field) == getattr(y, field)


def _labels(a: Sequence[Any], b: Sequence[Any], field: str) -> list[str]:
    return sorted({getattr(x, field) for x in (*a, *b)})


def _entities(document: str, a: Sequence[EntityMention], b: Sequence[EntityMention]) -> dict[Key, Tally]:
    out: dict[Key, Tally] = {}
    same_id, has_id = _equal("entity_id"), _either_set("entity_id")
    pairs = _matched(a, b, lambda m: m)
    out["entities", None, "exact_typed_f1"] = exact_tally(((m.start, m.end, m.label) for m in a), ((m.start, m.end, m.label) for m in b))
    out["entities", None, "exact_untyped_f1"] = exact_tally(((m.start, m.end) for m in a), ((m.start, m.end) for m in b))
    out["entities", None, "overlap_f1"] = Tally(len(a), len(b), len(pairs))
    out["entities", None, "label_agreement"] = agreement_tally(pairs, _equal("label"))
    out["entities", None, "entity_id_agreement"] = agreement_tally(pairs, same_id, has_id)
    for label in _labels(a, b, "label"):
        la, lb = [m for m in a if m.label == label], [m for m in b if m.label == label]
        label_pairs = _matched(la, lb, lambda m: m)
        out["entities", label, "exact_typed_f1"] = exact_tally(((m.start, m.end) for m in la), ((m.start, m.end) for m in lb))
        out["entities", label, "overlap_f1"] = Tally(len(la), len(lb), len(label_pairs))
        out["entities", label, "entity_id_agreement"] = agreement_tally(label_pairs, same_id, has_id)
    return out


def _quote_parts(out: dict[Key, Tally], label: Optional[str], pairs: list[tuple[Quote, Quote]]) -> None:
    out["quotes", label, "speaker_agreement"] = agreement_tally(pairs, lambda x, y: _offsets(x.speaker) == _offsets(y.speaker))
    out["quotes", label, "cue_agreement"] = agreement_tally(pairs, lambda x, y: _offsets(x.cue) == _offsets(y.cue))
    out["quotes", label, "speaker_entity_id_agreement"] = agreement_tally(
        pairs, _equal("speaker_entity_id"), _either_set("speaker_entity_id"))


def _quotes(document: str, a: Sequence[Quote], b: Sequence[Quote]) -> dict[Key, Tally]:
    out: dict[Key, Tally] = {}
    pairs = _matched(a, b, lambda q: q.content)
    out["quotes", None, "overlap_f1"] = Tally(len(a), len(b), len(pairs))
    out["quotes", None, "type_agreement"] = agreement_tally(pairs, _equal("type"))
    _quote_parts(out, None, pairs)
    out["quotes", None, CLUSTER_LINK_F1] = link_tally(document, a, b, pairs)
    for label in _labels(a, b, "type"):
        la, lb = [q for q in a if q.type == label], [q for q in b if q.type == label]
        label_pairs = _matched(la, lb, lambda q: q.content)
        out["quotes", label, "overlap_f1"] = Tally(len(la), len(lb), len(label_pairs))
        _quote_parts(out, label, label_pairs)
    return out


def _claims(document: str, a: Sequence[Claim], b: Sequence[Claim]) -> dict[Key, Tally]:
    out: dict[Key, Tally] = {}
    pairs = _matched(a, b, lambda c: c)
    out["claims", None, "overlap_f1"] = Tally(len(a), len(b), len(pairs))
    out["claims", None, "label_agreement"] = agreement_tally(pairs, _equal("label"))
    out["claims", None, "claimant_agreement"] = agreement_tally(pairs, _equal("claimant"))
    out["claims", None, CLUSTER_LINK_F1] = link_tally(document, a, b, pairs)
    for label in _labels(a, b, "label"):
        la, lb = [c for c in a if c.label == label], [c for c in b if c.label == label]
        label_pairs = _matched(la, lb, lambda c: c)
        out["claims", label, "overlap_f1"] = Tally(len(la), len(lb), len(label_pairs))
        out["claims", label, "claimant_agreement"] = agreement_tally(label_pairs, _equal("claimant"))
    return out


_LAYER = {"entities": _entities, "quotes": _quotes, "claims": _claims}


def compare(text: str, a: Annotations, b: Annotations, *, layers: Sequence[str], document: str,
            base: Optional[Sequence[Token]] = None) -> dict[Key, Tally]:
    """Every metric of ``layers`` between annotations ``a`` and ``b`` of the document ``text``
    (alpha included, on the tokens both are compared on; ``base`` as in ``pair_tokens``).
    ``document`` (its id) tells the documents apart in the cluster memberships."""
    out: dict[Key, Tally] = {}
    for layer in layers:
        out.update(_LAYER[layer](document, getattr(a, layer), getattr(b, layer)))
    tokens = pair_tokens(text, a, b, base=base)
    for layer in layers:
        values = TOKEN_VALUES[layer]
        out[layer, None, "alpha"] = alpha_tally(values(tokens, a), values(tokens, b))
    return out
