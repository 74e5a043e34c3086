"""The reported clause of an indirect or mixed quote: where it ends, what type it is.

``reported_clause`` runs from a start to its sentence's end, a semicolon, a dash or ", according
to", without final punctuation; ``typed_clause`` tells a clause that is one quoted passage (direct)
from one that holds passages (mixed) or none (indirect), and refuses one that holds an unbalanced
quotation mark; ``ends_clause`` tells whether an attribution closes its sentence, or only a phrase
(``ADJUNCT_STARTS``: "…, the minister said on Monday") follows it.
"""

from __future__ import annotations

import re
from typing import Optional

from ._quote_doc import WORD, QuoteDoc
from ._quote_marks import DOUBLE_MARKS
from ._speakers import PREPOSITIONS

_CLAUSE_STOP = re.compile(r";|\s[\u2014\u2013]\s|\s--\s|,\s*according\s+to\b", re.IGNORECASE)
#: Words that open a phrase which may follow a closing attribution ("…, she said on Monday").
ADJUNCT_STARTS = PREPOSITIONS | frozenset({"during", "after", "before", "according", "while", "amid", "when",
                                           "as", "adding", "saying", "in", "last", "earlier", "later", "this",
                                           "today", "yesterday"})


#: A dateline opening a sentence ("MILAN, Oct. 3, 2025 — "): a place in capitals, what follows it,
#: a dash. It is no part of a reported clause.
_DATELINE = re.compile(r"[A-Z][A-Z.'\- ]*[A-Z.],[^\n\u2014\u2013]{0,40}?\s(?:\u2014|\u2013|--?)\s+")


def after_dateline(doc: QuoteDoc, start: int, end: int) -> int:
    """``start``, or the end of the dateline that opens ``[start, end)``."""
    dateline = _DATELINE.match(doc.text, doc.trimmed(start, end)[0], end)
    return start if dateline is None else dateline.end()


def reported_clause(doc: QuoteDoc, start: int) -> Optional[tuple[int, int]]:
    """The reported clause from ``start`` (after a dateline): to its sentence's end, a semicolon, a
    dash or ", according to", without final punctuation (kept when it is inside a closing quotation
    mark)."""
    end = doc.sentence_of(start)[1]
    start = after_dateline(doc, start, end)
    for match in _CLAUSE_STOP.finditer(doc.text, start, end):
        if not doc.in_passage(match.start()):
            end = match.start()
            break
    start, end = doc.trimmed(start, end)
    while end > start and (doc.text[end - 1] in ".!?,:" or doc.text[end - 1].isspace()):
        end -= 1
    return (start, end) if end > start else None


def typed_clause(doc: QuoteDoc, content: tuple[int, int]) -> Optional[tuple[str, tuple[int, int]]]:
    """The type of a reported clause and its content: direct when it is one passage, mixed when it
    holds passages, else indirect; None when it holds a quotation mark of no passage inside it (an
    unbalanced mark, or a passage that crosses the clause's edge)."""
    inside = doc.passages_within(*content)
    if len(inside) == 1 and doc.trimmed(*content) == inside[0]:
        return "direct", doc.trimmed(inside[0][0] + 1, inside[0][1] - 1)
    marks = sum(1 for ch in doc.text[content[0]:content[1]] if ch in DOUBLE_MARKS)
    if marks != 2 * len(inside):
        return None
    return ("mixed" if inside else "indirect"), content


def ends_clause(doc: QuoteDoc, pos: int) -> bool:
    """Whether nothing but punctuation or a prepositional phrase follows ``pos`` in its sentence."""
    end = doc.sentence_of(pos)[1]
    rest = doc.text[pos:end].strip()
    if not rest or rest[0] in ".,;!?":
        return True
    first = WORD.match(rest)
    return bool(first) and first.group().lower() in ADJUNCT_STARTS
