"""Quotation marks for the quote suggester: the quoted passages that can hold a quote.

``quote_passages`` takes the pairs of double quotation marks on one line that
``tokenize.quoted_passages`` finds (straight marks alternate, curly marks pair “ with ”) and keeps
those that can hold a quote: a curly pair with a second “ inside starts at the last one; a pair with
a space just inside a mark is skipped (for straight marks it is a misreading of unbalanced ones, and
a direct content touches its marks); an empty pair is skipped; a passage inside another is no quote
of its own. ``DOUBLE_MARKS`` are the marks whose count tells a clause that holds an unbalanced one.
"""

from __future__ import annotations

from ..tokenize import quoted_passages

#: Every double quotation mark: straight, curly, low and guillemets.
DOUBLE_MARKS = "\"\u201c\u201d\u201e\u201f\u00ab\u00bb"


def quote_passages(text: str) -> list[tuple[int, int]]:
    """The quoted passages (marks included) that can hold a quote, in text order, none inside another."""
    out = []
    for start, end in quoted_passages(text):
        if text[start] == "\u201c":
            start = max(start, text.rfind("\u201c", start, end - 1))
        if text[start + 1:start + 2].isspace() or text[end - 2:end - 1].isspace():
            continue  # straight marks paired across an unbalanced one; a direct content touches its marks
        if end - start > 2:
            out.append((start, end))
    out.sort(key=lambda p: (p[0], -p[1]))
    kept: list[tuple[int, int]] = []
    for p in out:
        if not kept or p[0] >= kept[-1][1]:
            kept.append(p)
    return kept
