"""The registry gazetteer: every registry alias found in a text, as entity suggestions with the
registry's type and id (``validation.AliasIndex`` finds them, as it does for ``W-ENT-UNANNOTATED``).

The rules (guidelines 2.1 and 3.4; docs/suggestions.md):

- **Case-sensitive, whole words.** An alias is taken where no letter or digit touches it, with two
  exceptions for glued words (guidelines 1 and 2.1: names are cut out of glued tokens):

  - *glued on the left*: an alias that starts with a capital letter right after a lower-case word
    ("presidentMasoud Pezeshkian" -> ``Masoud Pezeshkian``). The letters before it must be all lower
    case back to the start of their word, so "McDonald" never gives "Donald".
  - *glued on the right*: an alias followed by one of the short words that a lost space most often
    leaves glued (``GLUED_WORDS``: "Iranwhile", "Ukraineas", "corridora"), and by no other letter.
    Any other continuation is a longer word, and the alias is skipped: "Iran" in "Iranian",
    "Russia" in "Russians", "West" in "Western" (guideline 3.4, exception 1: a derived word).

- **Longest match, flat.** At each position the longest alias that passes the rules is taken; where
  taken aliases overlap, the longer one wins (then the earlier one), so the suggestions never
  overlap: "Russian Security Council" and never "Russian" inside it.
- **"the" stays outside** because the registry's aliases are the gold's surface forms, which never
  start with a determiner (an alias with "The" as a fixed part, like "The Hague", is kept whole).
- **An alias of several entries**: when they all have one type, the first of them in registry
  order (sorted by ``entity_id``) is suggested, with a low score (``SCORE_AMBIGUOUS``); when their
  types differ, nothing is suggested there.
- **Score**: ``SCORE_MULTIWORD`` for an alias of several words, ``SCORE_WORD`` for one word of four
  or more characters, ``SCORE_SHORT`` for a shorter one ("EU", "U.S."), lowered by ``GLUED_PENALTY``
  for a match cut out of a glued word.
"""

from __future__ import annotations

from typing import Iterator, Mapping, Optional

from ..model import RegistryEntry
from ..validation import AliasIndex
from ._flat import flatten
from ._model import Suggestion

SOURCE = "gazetteer@2"

SCORE_MULTIWORD = 0.9
SCORE_WORD = 0.85
SCORE_SHORT = 0.7
SCORE_AMBIGUOUS = 0.4
GLUED_PENALTY = 0.15

#: Words that a lost space leaves glued to the name before them ("Iranwhile"): an alias followed
#: by one of these (and then no letter) is cut out of the glued token.
GLUED_WORDS = frozenset("""a after against amid and as at before but by during for from had has have he in into it its
of on or over said says she since so than that the their then they this to told under until was were when where which
while who will with would""".split())


class Gazetteer:
    """The registry's aliases, ready to be found in many texts (build once per registry)."""

    def __init__(self, registry: Mapping[str, RegistryEntry], index: Optional[AliasIndex] = None):
        self.registry = registry
        self.index = index if index is not None else AliasIndex(dict(registry))
        owners = self.index.owners
        #: For each alias, the shorter aliases it starts with, longest first: what to try when the
        #: longest alias at a position fails the word rules.
        self.prefixes: dict[str, list[str]] = {}
        for alias in owners:
            shorter = [alias[:n] for n in range(len(alias) - 1, 0, -1) if alias[:n] in owners]
            if shorter:
                self.prefixes[alias] = shorter
        self.targets: dict[str, Optional[tuple[str, str, float]]] = {a: self._target(a) for a in owners}

    def _target(self, alias: str) -> Optional[tuple[str, str, float]]:
        """(label, entity_id, score) of an alias, or None when its owners' types differ."""
        entries = [self.registry[o] for o in self.index.owners[alias] if o in self.registry]
        if not entries or len({e.type for e in entries}) > 1:
            return None
        first = min(entries, key=lambda e: e.entity_id)
        if len(entries) > 1:
            return first.type, first.entity_id, SCORE_AMBIGUOUS
        words = len(alias.split())
        score = SCORE_MULTIWORD if words > 1 else SCORE_WORD if len(alias) >= 4 else SCORE_SHORT
        return first.type, first.entity_id, score

    def suggest(self, text: str) -> list[Suggestion]:
        """The aliases of ``text`` as a flat list of suggestions, in text order."""
        return flatten(self._candidates(text))

    def _candidates(self, text: str) -> Iterator[Suggestion]:
        """At each position where an alias starts, the longest alias there that stands as a word."""
        for start, _, longest in self.index.find(text):
            for alias in (longest, *self.prefixes.get(longest, ())):
                end = start + len(alias)
                glued = word_edges(text, start, end)
                target = self.targets[alias]
                if glued is None or target is None:
                    continue
                label, entity_id, score = target
                item = {"start": start, "end": end, "text": alias, "label": label, "entity_id": entity_id}
                yield Suggestion("entities", item, SOURCE, round(score - GLUED_PENALTY, 6) if glued else score)
                break


def word_edges(text: str, start: int, end: int) -> Optional[bool]:
    """Whether ``text[start:end]`` stands as a word: None when it does not, else whether it was cut
    out of a glued word (see the module's rules)."""
    glued = False
    if start > 0 and text[start - 1].isalnum():
        i = start
        while i > 0 and text[i - 1].isalpha() and text[i - 1].islower():
            i -= 1
        if not (text[start].isupper() and i < start and (i == 0 or not text[i - 1].isalnum())):
            return None
        glued = True
    if end < len(text) and text[end].isalnum():
        j = end
        while j < len(text) and text[j].isalnum():
            j += 1
        if text[end:j] not in GLUED_WORDS:
            return None
        glued = True
    return glued


def suggest_gazetteer(text: str, *, registry: Mapping[str, RegistryEntry],
                      gazetteer: Optional[Gazetteer] = None) -> list[Suggestion]:
    """Every registry alias in ``text`` as a flat list of entity suggestions (the module's rules),
    in text order. Pass ``gazetteer`` (``Gazetteer(registry)``) to reuse it over many texts."""
    return (gazetteer or Gazetteer(registry)).suggest(text)

