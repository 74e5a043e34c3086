"""The units of alpha: tokens, and the value each annotation gives each token.

The tokens of a document, for one pair of annotations, are ``newsspans.tokenize.tokenize`` of its
text split at every start and end of every span of either annotation (``span_boundaries``): the
rule of the release's ``tokens`` config, applied to the two annotations compared, so that every
token lies wholly inside or wholly outside every span. A token is covered by a span when it lies
inside it (``span.start <= token.start`` and ``token.end <= span.end``), as in the ``ner_tags``.
"""

from __future__ import annotations

import bisect
from typing import Any, Callable, Iterable, Optional, Sequence

from ..labels import CLAIM_LABELS, OUTSIDE
from ..model import Annotations
from ..tokenize import Token, span_boundaries, split_tokens, tokenize

#: The value of a token inside the content of a quote.
INSIDE_QUOTE = "QUOTE"


def pair_tokens(text: str, a: Annotations, b: Annotations, *, base: Optional[Sequence[Token]] = None) -> list[Token]:
    """The tokens compared between annotations ``a`` and ``b`` of ``text``: ``tokenize(text,
    boundaries=...)`` at the spans' boundaries. ``base``, when given, is ``tokenize(text)`` (no
    boundaries), computed once per document and split here exactly as ``tokenize`` splits it."""
    cuts = span_boundaries(a) | span_boundaries(b)
    if base is None:
        return tokenize(text, boundaries=cuts)
    return split_tokens(text, ((t.start, t.end) for t in base), boundaries=cuts)


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
