"""The units of alpha: tokens, and the value each annotation gives each token.

The tokens of a document, for one pair of annotations, are ``newsspans.tokenize.tokenize`` of its
text split at every start and end of every span of either annotation (``span_boundaries``): the
rule of the release's ``tokens`` config, applied to the two annotations compared, so that every
token lies wholly inside or wholly outside every span. A token is covered by a span when it lies
inside it (``span.start <= token.start`` and ``token.end <= span.end``), as in the ``ner_tags``.

What every pair of a document shares is computed once per document: its tokens without
boundaries (``BaseTokens``) and, per annotation, its spans' boundaries and each base token's value
(``Painted``). A pair's tokens are the base tokens with those that a boundary of the pair falls
inside replaced by their pieces (``Split``); a token's value depends only on the token and the
annotation, so the values of the pair's tokens are the painted values with the pieces painted anew.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence, TypeVar

from ..labels import CLAIM_LABELS, OUTSIDE
from ..model import Annotations
from ..tokenize import Token, span_boundaries, split_tokens, tokenize

#: The value of a token inside the content of a quote.
INSIDE_QUOTE = "QUOTE"


T = TypeVar("T")


@dataclass(frozen=True)
class Split:
    """Base token ``index``, which boundaries fall inside, and its ``pieces`` (``split_tokens``)."""

    index: int
    pieces: list[Token]


@dataclass(frozen=True)
class BaseTokens:
    """``tokenize(text)`` of a document (no boundaries), computed once and split per pair."""

    text: str
    tokens: Sequence[Token]
    starts: list[int]

    @classmethod
    def of(cls, text: str, tokens: Optional[Sequence[Token]] = None) -> "BaseTokens":
        """The base tokens of ``text``; ``tokens``, when given, is ``tokenize(text)``."""
        tokens = tokenize(text) if tokens is None else tokens
        return cls(text, tokens, [t.start for t in tokens])

    def splits(self, cuts: Iterable[int]) -> list[Split]:
        """The tokens that an offset of ``cuts`` falls strictly inside, in text order, each split
        at those offsets exactly as ``tokenize(text, boundaries=cuts)`` splits it."""
        inside: dict[int, list[int]] = {}
        for cut in cuts:
            k = bisect.bisect_right(self.starts, cut) - 1  # the last token that starts at or before the cut
            if k >= 0 and self.tokens[k].start < cut < self.tokens[k].end:
                inside.setdefault(k, []).append(cut)
        return [Split(k, split_tokens(self.text, [(self.tokens[k].start, self.tokens[k].end)], boundaries=inside[k]))
                for k in sorted(inside)]


def splice(items: Sequence[T], splits: Sequence[Split], pieces: Callable[[Split], list[T]]) -> list[T]:
    """``items`` (one per base token) with the item of each split token replaced by ``pieces(split)``."""
    if not splits:
        return list(items)
    out: list[T] = []
    last = 0
    for split in splits:
        out += items[last : split.index]
        out += pieces(split)
        last = split.index + 1
    out += items[last:]
    return out


def pair_tokens(text: str, a: Annotations, b: Annotations, *, base: Optional[Sequence[Token]] = None) -> list[Token]:
    """The tokens compared between annotations ``a`` and ``b`` of ``text``: ``tokenize(text,
    boundaries=...)`` at the spans' boundaries. ``base``, when given, is ``tokenize(text)`` (no
    boundaries), computed once per document and split here exactly as ``tokenize`` splits it."""
    cuts = span_boundaries(a) | span_boundaries(b)
    if base is None:
        return tokenize(text, boundaries=cuts)
    tokens = BaseTokens.of(text, base)
    return splice(tokens.tokens, tokens.splits(cuts), lambda split: split.pieces)


def _paint(tokens: Sequence[Token], spans: Iterable[tuple[Any, Any, str]], keep: Callable[[str, str], bool]) -> list[str]:
    """Each token's value: ``O``, or the value of a span ``(start, end, value)`` that covers it.
    Spans are painted in the given order; ``keep(old, new)`` says whether a token already covered
    keeps its value when another span covers it too."""
    starts = [t.start for t in tokens]
    values = [OUTSIDE] * len(tokens)
    for start, end, value in spans:
        k = bisect.bisect_left(starts, start)
        while k < len(tokens) and tokens[k].end <= end:
            if values[k] == OUTSIDE or not keep(values[k], value):
                values[k] = value
            k += 1
    return values


def entity_values(tokens: Sequence[Token], ann: Annotations) -> list[str]:
    """The entity label of each token, ``O`` outside every mention. Mentions never overlap in a
    valid corpus; where they do, the mention that starts first (then the longer) gives the label."""
    mentions = sorted(ann.entities, key=lambda m: (m.start, -m.end, m.label))
    return _paint(tokens, ((m.start, m.end, m.label) for m in mentions), keep=lambda old, new: True)


def quote_values(tokens: Sequence[Token], ann: Annotations) -> list[str]:
    """``QUOTE`` for each token inside the content of a quote, ``O`` elsewhere."""
    return _paint(tokens, ((q.content.start, q.content.end, INSIDE_QUOTE) for q in ann.quotes), keep=lambda old, new: True)


def _rank(label: str) -> int:
    return CLAIM_LABELS.index(label) if label in CLAIM_LABELS else -1


def claim_values(tokens: Sequence[Token], ann: Annotations) -> list[str]:
    """The claim label of each token, ``O`` outside every claim. A token inside two claims takes
    the higher label (CFS over UFS), as the ``sentences`` config's ``claim_label`` does."""
    return _paint(tokens, ((c.start, c.end, c.label) for c in ann.claims),
                  keep=lambda old, new: _rank(old) >= _rank(new))


TOKEN_VALUES: dict[str, Callable[[Sequence[Token], Annotations], list[str]]] = {
    "entities": entity_values, "quotes": quote_values, "claims": claim_values,
}


@dataclass(frozen=True)
class Painted:
    """One annotation of a document, with what every pair it is in shares: its spans' boundaries,
    and its value of each base token per layer painted (``values``)."""

    annotations: Annotations
    boundaries: frozenset[int]
    values: dict[str, list[str]]

    @classmethod
    def of(cls, base: BaseTokens, annotations: Annotations, layers: Iterable[str]) -> "Painted":
        return cls(annotations, frozenset(span_boundaries(annotations)),
                   {layer: TOKEN_VALUES[layer](base.tokens, annotations) for layer in layers})

    def pair_values(self, layer: str, splits: Sequence[Split]) -> list[str]:
        """The values of ``layer`` on the tokens of a pair: the painted ones, and the pieces of the
        ``splits`` painted anew (``TOKEN_VALUES``)."""
        return splice(self.values[layer], splits, lambda split: TOKEN_VALUES[layer](split.pieces, self.annotations))
