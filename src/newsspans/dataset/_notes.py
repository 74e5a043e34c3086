"""Counts stated in the hand-written notes of ``corpus/dataset.json`` that the release contradicts.

The card computes every count of documents, stories, annotators, languages and splits
(``_facts``); a note that states one ("Two English news articles", "Both documents", "one
split") goes stale when a document is added. The rule, kept simple so that it can be predicted:

- a *count statement* is a number — digits standing alone (not part of ``2024-08-06`` or
  ``5.0``) or a number word (``one`` to ``twenty``, ``single``, ``both`` = 2) — followed, within
  three words and with no punctuation, ``of`` or other number between, by a counted noun:
  document(s), article(s), text(s) (counted as documents), story/stories, event(s) (counted as
  stories), annotator(s), language(s), split(s);
- it is *stale* when its number differs from the release's figure for that noun (``_facts.figures``).

Every statement is read as a count of the whole release: "one article opens with a dateline" is
reported too, and is better written naming the document by its id. Numbers of anything else
("three layers", "18 OntoNotes types", "section 9") are not counts the build makes and are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

NUMBER_WORDS = {
    "single": 1, "one": 1, "two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
#: Counted nouns (singular and plural) -> the figure of ``_facts.figures`` they are counted against.
NOUNS = {
    **dict.fromkeys(("document", "documents", "article", "articles", "text", "texts"), "documents"),
    **dict.fromkeys(("story", "stories", "event", "events"), "stories"),
    **dict.fromkeys(("annotator", "annotators"), "annotators"),
    **dict.fromkeys(("language", "languages"), "languages"),
    **dict.fromkeys(("split", "splits"), "splits"),
}
#: Words between the number and the noun, at most.
GAP = 3
_TOKEN = re.compile(r"[^\W_][\w'’-]*|[^\w\s]")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class StaleCount:
    """A count statement of a note that the release contradicts (see the module docstring)."""

    file: str
    line: Optional[int]
    note: str
    phrase: str
    stated: int
    figure: str
    actual: int

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (f"{where}: warning: {self.note}: {self.phrase!r} states {self.stated}, this release has {self.actual} "
                f"{self.figure}; the card states this count, computed: reword the note without it")


def count_statements(text: str) -> list[tuple[str, int, str]]:
    """The count statements of ``text``: (phrase as written, number, figure name), in order."""
    tokens = list(_TOKEN.finditer(text))
    found = []
    for i, tok in enumerate(tokens):
        number = _number(tok.group())
        if number is None or not _standalone(text, tok.start(), tok.end()):
            continue
        for nxt in tokens[i + 1:i + 2 + GAP]:
            word = nxt.group().lower()
            if word in NOUNS:
                found.append((text[tok.start():nxt.end()], number, NOUNS[word]))
                break
            if not nxt.group()[0].isalnum() or word == "of" or _number(word) is not None:
                break
    return found


def _standalone(text: str, start: int, end: int) -> bool:
    """Whether the token at ``start:end`` is not part of a dotted, hyphenated or slashed number
    (``1.0.0``, ``5.0``, ``2024-08-06``, ``7,200``, ``1/2``)."""
    before = text[start - 1] if start else " "
    after = text[end:end + 2]
    return before not in ".-/,:" and not (len(after) == 2 and after[0] in ".-/,:" and after[1].isdigit())


def _number(token: str) -> Optional[int]:
    if _DIGITS.fullmatch(token):
        return int(token)
    return NUMBER_WORDS.get(token.lower())


def stale_counts(dataset: dict[str, Any], figures: dict[str, int], *, file: str, raw: str = "") -> list[StaleCount]:
    """Every count statement of the notes (the ``*_note`` fields of ``dataset``) whose number
    differs from ``figures``; located at the note's line in ``raw`` (the file's text) when given."""
    stale = []
    for key, value in dataset.items():
        if not key.endswith("_note") or not isinstance(value, str):
            continue
        line = _line_of(raw, key)
        for phrase, number, figure in count_statements(value):
            if number != figures[figure]:
                stale.append(StaleCount(file, line, key, phrase, number, figure, figures[figure]))
    return stale


def _line_of(raw: str, key: str) -> Optional[int]:
    at = raw.find(f'"{key}"')
    return raw.count("\n", 0, at) + 1 if at >= 0 else None
