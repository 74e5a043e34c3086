"""The one matching rule of every "overlap" and "matched" metric: one-to-one, greedy by
character Jaccard, highest first, ties broken by position, kept at Jaccard >= 0.5.

The Jaccard of two spans is the number of characters they share over the number of characters
either covers: ``|a ∩ b| / |a ∪ b|`` on the character offsets ``[start, end)``. It is computed
exactly (as a fraction), so that equal values tie exactly and the matching never depends on
floating-point rounding.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

#: The lowest Jaccard at which two spans match.
MATCH_THRESHOLD = Fraction(1, 2)
_ONE = Fraction(1)


@dataclass(frozen=True)
class Match:
    """Item ``index_a`` of the first sequence matched with item ``index_b`` of the second, at
    character Jaccard ``jaccard`` (exact)."""

    index_a: int
    index_b: int
    jaccard: Fraction


def _length(start: int, end: int) -> int:
    return max(0, end - start)


def jaccard(a: Any, b: Any) -> Fraction:
    """The character Jaccard of two spans (anything with ``start`` and ``end``): shared characters
    over covered characters; 1 for two equal empty spans, 0 for other spans that share nothing."""
    shared = _length(max(a.start, b.start), min(a.end, b.end))
    union = _length(a.start, a.end) + _length(b.start, b.end) - shared
    if union == 0:
        return Fraction(1) if (a.start, a.end) == (b.start, b.end) else Fraction(0)
    return Fraction(shared, union)


def match_spans(a: Sequence[Any], b: Sequence[Any], *, threshold: Fraction = MATCH_THRESHOLD) -> list[Match]:
    """Match the spans of ``a`` with those of ``b`` (anything with ``start`` and ``end``: entity
    mentions, claims, a quote's ``content``), one to one.

    Every pair at Jaccard >= ``threshold`` is a candidate; candidates are taken highest Jaccard
    first, ties broken by position (the start, then the end, of the span of ``a``, then of the span
    of ``b``, then the items' indexes), and a candidate is kept when neither of its items is
    matched yet. Returns the matches sorted by ``index_a``.
    """
    if threshold is not MATCH_THRESHOLD:
        threshold = Fraction(threshold)
        if threshold <= 0:
            raise ValueError("the matching threshold must be above 0 (spans that share nothing never match)")
    num, den = threshold.numerator, threshold.denominator
    ys = sorted((y.start, y.end, j) for j, y in enumerate(b))
    starts = [y[0] for y in ys]
    candidates = []
    for i, x in enumerate(a):
        xs, xe = x.start, x.end
        xl = xe - xs if xe > xs else 0
        # Only spans that start before x ends can share a character with it (or, for an empty x,
        # be equal to it); and a span that starts d characters before x covers at least d
        # characters x does not, so at Jaccard >= num/den (at most xl * den/num characters covered
        # in all) d <= xl * (den - num) / num.
        first = bisect.bisect_left(starts, xs - xl * (den - num) // num)
        stop = bisect.bisect_right(starts, max(xs, xe - 1))
        for k in range(first, stop):
            ys_, ye, j = ys[k]
            shared = (ye if ye < xe else xe) - (ys_ if ys_ > xs else xs)
            if shared < 0:
                shared = 0
            union = xl + (ye - ys_ if ye > ys_ else 0) - shared
            if union == 0:
                if (xs, xe) != (ys_, ye):
                    continue
                score = _ONE
            elif shared * den < num * union:  # below the threshold (integers: exact and fast)
                continue
            else:
                score = _ONE if shared == union else Fraction(shared, union)
            candidates.append((xs, xe, ys_, ye, i, j, score))
    if len({c[4] for c in candidates}) == len(candidates) == len({c[5] for c in candidates}):
        # No item is in two candidates: each is kept whatever the order (and they are by index_a).
        return [Match(index_a=i, index_b=j, jaccard=score) for *_, i, j, score in candidates]
    candidates.sort()  # by position (unique: the indexes end the tuple before the score)
    candidates.sort(key=lambda c: c[6], reverse=True)  # then highest Jaccard first; stable, so ties keep position order
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    matches = []
    for *_, i, j, score in candidates:
        if i not in taken_a and j not in taken_b:
            taken_a.add(i)
            taken_b.add(j)
            matches.append(Match(index_a=i, index_b=j, jaccard=score))
    return sorted(matches, key=lambda m: m.index_a)
