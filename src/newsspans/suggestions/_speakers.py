"""Speakers of suggested quotes: the minimal mention of the source next to a cue (guidelines 4.3).

A source is found in the attribution clause, on one side of the cue:

- **before** it (the subject: "Smith said", "the minister has repeatedly said", "Smith, on his part,
  affirmed"): adverbs and auxiliaries between the subject and the cue are skipped ("also",
  "reportedly", "has", any lower-case word in -ly), and so is one parenthetical between commas,
  unless it is a name alone, which is the speaker ("Acme's chief, Jane Doe, said" -> ``Jane Doe``).
  A negation there ("did not say") means there is no quote.
- **after** it (the inverted order: "says Sergei Shoigu", "according to a report").

What counts as the source, first match wins:

1. **A name**: an entity mention of a speaker type (``SPEAKER_LABELS``) from the mentions given, or
   else a registry alias of an entry of such a type, whole-word. Titles before a name stay out, as
   for entities ("Foreign Minister Jane Doe" -> ``Jane Doe``); the id is the mention's ``entity_id``,
   or the alias's entry when only one entry has it.
2. **A pronoun** (he, she, they, we, I): the span is the pronoun; for he and she the id is the
   ``entity_id`` of the nearest PERSON name before it (the simplest resolution; they, we and I get
   none).
3. **A description**: a determiner and at most ``MAX_DESCRIPTION_WORDS`` words ("the Iranian
   President", "a spokesman", "the report"), with a prepositional phrase it ends in ("a spokesman for
   the ministry") when the words before the cue run that way; after a cue it stops at the first
   preposition ("a report of a meeting" -> ``a report``). A name that ends the description is taken
   instead ("the news agency IRNA" -> ``IRNA``). Without a determiner, one to three words that open
   the clause (before a cue) or follow the cue, the first capitalised ("Officials") or the last a
   lower-case plural ("officials said", "according to analysts"). Descriptions get no id: resolving
   them needs more context than a rule has.
4. **A coordination** of two of these ("Shoygu and Pezeshkian", "The Commission and its leaders")
   is kept whole; its id is the one id when both names have it, the name's id when the other part is
   a description that starts with a possessive ("its leaders"), else none.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from ..model import RegistryEntry
from ..validation import AliasIndex
from ._cues import FORMS

#: Entity types whose mentions can be the source of a quote.
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE"})
#: Names that may close a description as its appositive ("the news agency IRNA").
APPOSITIVE_LABELS = frozenset({"PERSON", "ORG"})
_APPOSITIVE_GAP = re.compile(r",[^\S\n]+")
MAX_DESCRIPTION_WORDS = 6
#: Words of a title before a name after a cue ("said newly elected President Jane Doe").
MAX_TITLE_WORDS = 5
#: Words between a subject and its cue that are skipped, at most ``MAX_SKIPPED``.
SKIPPED = frozenset({
    "also", "reportedly", "repeatedly", "has", "have", "had", "was", "were", "is", "are", "will", "would",
    "could", "should", "may", "might", "can", "later", "then", "again", "further", "once", "earlier",
    "already", "still", "too", "himself", "herself", "themselves", "itself", "been", "did", "does", "do",
})
MAX_SKIPPED = 4
NEGATIONS = frozenset({"not", "never", "n't", "neither", "nor", "no"})
PRONOUNS = frozenset({"he", "she", "they", "we"})
DETERMINERS = frozenset({"the", "a", "an", "this", "these", "those", "his", "her", "its", "their", "our", "my",
                         "your", "another", "one", "two", "three", "several", "many", "some"})
POSSESSIVES = frozenset({"his", "her", "its", "their", "our", "my", "your"})
PREPOSITIONS = frozenset({"of", "for", "at", "in", "from", "with", "on", "to", "by", "about", "near", "inside"})
#: Words that cannot be inside a description: a description crossing one is no description.
NOT_IN_DESCRIPTION = frozenset({
    "that", "which", "who", "whom", "whose", "and", "or", "but", "while", "when", "where", "as", "because",
    "if", "it", "there", "here", "not", "than", "so", "also", "he", "she", "they", "we", "i", "you",
}) | SKIPPED
#: Words a description after a cue stops before.
STOPS_AFTER = PREPOSITIONS | NOT_IN_DESCRIPTION | frozenset({"according", "during", "after", "before", "amid",
                                                               "over", "under", "via", "told", "said"})
#: Capitalised words that never open a bare description.
NOT_BARE = frozenset({"It", "There", "This", "That", "These", "Those", "What", "Which", "Who", "Here", "And",
                      "But", "So", "Then", "Meanwhile", "However", "Also", "When", "While", "If", "As", "The", "A",
                      "An", "In", "On", "At", "For", "From", "By", "With", "He", "She", "They", "We", "I", "You"})
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")


@dataclass(frozen=True)
class Speaker:
    """A source: its offsets, its registry id when known, and its kind (``name``, ``pronoun``,
    ``description`` or ``coordination``)."""

    start: int
    end: int
    entity_id: Optional[str]
    kind: str


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    label: str
    entity_id: Optional[str]


class _Cache:
    """The alias index of the last registry seen (compiling it is the costly part)."""

    registry: object = None
    size: int = -1
    index: Optional[AliasIndex] = None


def _alias_index(registry: Mapping[str, RegistryEntry]) -> Optional[AliasIndex]:
    wanted = {k: e for k, e in registry.items() if e.type in SPEAKER_LABELS}
    if not wanted:
        return None
    if _Cache.registry is not registry or _Cache.size != len(registry):
        _Cache.registry, _Cache.size, _Cache.index = registry, len(registry), AliasIndex(wanted)
    return _Cache.index


def collect_names(text: str, mentions: Sequence[Mapping], registry: Mapping[str, RegistryEntry]) -> list[Name]:
    """The names of the text: the mentions of speaker types (their ids kept only when the registry
    knows them), then the registry aliases that no mention overlaps, whole-word."""
    names = []
    for m in mentions:
        if m.get("label") not in SPEAKER_LABELS:
            continue
        entity_id = m.get("entity_id")
        if entity_id is not None and registry and entity_id not in registry:
            entity_id = None
        names.append(Name(m["start"], m["end"], m["label"], entity_id))
    taken = _coverage(text, names)
    index = _alias_index(registry)
    for start, end, alias in index.find(text) if index else ():
        if _touches_word(text, start, end) or 1 in taken[start:end]:
            continue
        owners = [registry[i] for i in index.owners[alias] if i in registry and registry[i].type in SPEAKER_LABELS]
        if not owners:
            continue
        entity_id = owners[0].entity_id if len(owners) == 1 else None
        names.append(Name(start, end, owners[0].type, entity_id))
        taken[start:end] = b"\x01" * (end - start)
    return sorted(names, key=lambda n: (n.start, -n.end))


def _coverage(text: str, names: Sequence[Name]) -> bytearray:
    """One byte per character of ``text``: 1 where a name covers it."""
    covered = bytearray(len(text))
    for n in names:
        covered[n.start:n.end] = b"\x01" * max(0, min(n.end, len(text)) - n.start)
    return covered


def _touches_word(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum())


class SpeakerFinder:
    """Finds the source next to a cue in one document (the rules in this module's docstring)."""

    def __init__(self, text: str, names: Sequence[Name]):
        self.text = text
        self.words = [m.span() for m in _WORD.finditer(text)]
        self._word_ends = [w[1] for w in self.words]
        self._word_starts = [w[0] for w in self.words]
        self.by_end: dict[int, Name] = {}
        self.by_start: dict[int, Name] = {}
        for n in names:
            if n.end not in self.by_end or self.by_end[n.end].start > n.start:
                self.by_end[n.end] = n
            if n.start not in self.by_start or self.by_start[n.start].end < n.end:
                self.by_start[n.start] = n
        self._names = sorted(names, key=lambda n: (n.start, -n.end))
        self._covered = _coverage(text, names)
        self._name_starts = [n.start for n in self._names]
        persons = sorted((n.start, n.entity_id) for n in names if n.label == "PERSON" and n.entity_id)
        self._person_starts = [p[0] for p in persons]
        self._person_ids = [p[1] for p in persons]

    def covers(self, start: int, end: int) -> bool:
        """Whether a name overlaps ``[start, end)`` (a cue inside a name is no cue: "Mara Tell")."""
        return 1 in self._covered[start:end]

    def first_name(self, start: int, end: int, labels: frozenset = APPOSITIVE_LABELS) -> Optional[Speaker]:
        """The first name of a person or organisation inside ``[start, end)``."""
        k = bisect.bisect_left(self._name_starts, start)
        while k < len(self._names) and self._names[k].start < end:
            n = self._names[k]
            if n.end <= end and n.label in labels:
                return Speaker(n.start, n.end, n.entity_id, "name")
            k += 1
        return None

    # -- words ------------------------------------------------------------------------------------

    def word_ending_at(self, i: int, floor: int) -> Optional[tuple[int, int]]:
        k = bisect.bisect_left(self._word_ends, i)
        if k < len(self.words) and self.words[k][1] == i and self.words[k][0] >= floor:
            return self.words[k]
        return None

    def word_starting_at(self, i: int, ceiling: int) -> Optional[tuple[int, int]]:
        k = bisect.bisect_left(self._word_starts, i)
        if k < len(self.words) and self.words[k][0] == i and self.words[k][1] <= ceiling:
            return self.words[k]
        return None

    def back_ws(self, i: int, floor: int) -> int:
        while i > floor and self.text[i - 1].isspace():
            i -= 1
        return i

    def fwd_ws(self, i: int, ceiling: int) -> int:
        while i < ceiling and self.text[i].isspace():
            i += 1
        return i

    def _lower(self, w: tuple[int, int]) -> str:
        return self.text[w[0]:w[1]].lower()

    def pronoun_id(self, at: int, word: str) -> Optional[str]:
        if word not in ("he", "she"):
            return None
        k = bisect.bisect_left(self._person_starts, at)
        return self._person_ids[k - 1] if k else None

    # -- before the cue ---------------------------------------------------------------------------

    def before(self, pos: int, floor: int) -> Optional[Speaker]:
        """The subject ending before ``pos`` (a cue's start), not before ``floor``; None when there
        is none or the cue is negated."""
        i = self._skip_back(self.back_ws(pos, floor), floor)
        if i is None:
            return None
        if i > floor and self.text[i - 1] == ",":  # "Smith, on his part, affirmed"
            j = self.text.rfind(",", floor, i - 1)
            inner = self.text[j + 1:i - 1] if j >= 0 else ""
            if j < 0 or len(_WORD.findall(inner)) > 8 or any(c in inner for c in ".;:!?\"\u201c\u201d"):
                return None
            appositive = self.by_end.get(self.back_ws(i - 1, floor))
            if appositive is not None and appositive.label in APPOSITIVE_LABELS and not self.text[j + 1:appositive.start].strip():
                return Speaker(appositive.start, appositive.end, appositive.entity_id, "name")  # "its head, Jane Doe, said"
            i = self.back_ws(j, floor)
        return self.ending_at(i, floor)

    def _skip_back(self, i: int, floor: int) -> Optional[int]:
        for _ in range(MAX_SKIPPED + 1):
            w = self.word_ending_at(i, floor)
            if w is None:
                return i
            word = self.text[w[0]:w[1]]
            lower = word.lower()
            if lower in NEGATIONS or lower.endswith("n't"):
                return None
            if not (lower in SKIPPED or (word.islower() and lower.endswith("ly") and len(word) > 4)):
                return i
            i = self.back_ws(w[0], floor)
        return None

    def ending_at(self, i: int, floor: int) -> Optional[Speaker]:
        """The name, pronoun, description or coordination that ends at ``i``."""
        found = self._name_or_description_ending_at(i, floor)
        if found is None:
            w = self.word_ending_at(i, floor)
            word = self.text[w[0]:w[1]] if w else ""
            if word.lower() in PRONOUNS or word == "I":
                return Speaker(w[0], w[1], self.pronoun_id(w[0], word.lower()), "pronoun")
            return None
        return self._coordinated(found, floor)

    def _name_or_description_ending_at(self, i: int, floor: int) -> Optional[Speaker]:
        name = self.by_end.get(i)
        if name is not None and name.start >= floor:
            prev = self.word_ending_at(self.back_ws(name.start, floor), floor)
            if prev is not None and self._lower(prev) == "the":
                prev = self.word_ending_at(self.back_ws(prev[0], floor), floor)
            if prev is None or self._lower(prev) not in PREPOSITIONS:
                return Speaker(name.start, name.end, name.entity_id, "name")
        return self._description_ending_at(i, floor)  # the name is the object of a preposition

    def _description_ending_at(self, i: int, floor: int) -> Optional[Speaker]:
        k = bisect.bisect_left(self._word_ends, i)
        if k >= len(self.words) or self.words[k][1] != i or self._lower(self.words[k]) in NOT_IN_DESCRIPTION | DETERMINERS:
            return None
        count, first = 0, k
        while k >= 0 and count < MAX_DESCRIPTION_WORDS + 2:  # a prepositional phrase may add two words
            w = self.words[k]
            lower = self._lower(w)
            if w[0] < floor or lower in NOT_IN_DESCRIPTION or lower in FORMS:
                return None
            count += 1
            prev = self.words[k - 1] if k else None
            if lower in DETERMINERS and count > 1:
                before = self._lower(prev) if prev and prev[0] >= floor and self._plain_gap(prev[1], w[0]) else None
                if before not in PREPOSITIONS:  # else the determiner opens the object of a preposition
                    return Speaker(w[0], i, None, "description")
            if prev is None or prev[0] < floor or not self._plain_gap(prev[1], w[0]):
                return self._bare(self.words[k:first + 1], i)
            k -= 1
        return None

    def _bare(self, words: list[tuple[int, int]], end: int) -> Optional[Speaker]:
        first = self.text[words[0][0]:words[0][1]]
        last = self.text[words[-1][0]:words[-1][1]]
        if len(words) > 3 or first in NOT_BARE:
            return None
        if first[:1].isupper() or (last.islower() and last.endswith("s") and not last.endswith("ss")):
            return Speaker(words[0][0], end, None, "description")
        return None

    def _plain_gap(self, a: int, b: int) -> bool:
        """True when only spaces (no line break, no punctuation) lie between ``a`` and ``b``."""
        gap = self.text[a:b]
        return bool(gap) and gap.isspace() and "\n" not in gap

    def _coordinated(self, right: Speaker, floor: int) -> Speaker:
        j = self.back_ws(right.start, floor)
        w = self.word_ending_at(j, floor)
        if w is None or self._lower(w) != "and" or not self._plain_gap(w[1], right.start):
            return right
        left = self._name_or_description_ending_at(self.back_ws(w[0], floor), floor)
        if left is None:
            return right
        start = left.start
        det = self.word_ending_at(self.back_ws(start, floor), floor)
        if left.kind == "name" and det is not None and self._lower(det) == "the" and self._plain_gap(det[1], start):
            start = det[0]  # the whole coordinated subject: "The Commission and its leaders"
        return Speaker(start, right.end, self._coordinated_id(left, right), "coordination")

    def _coordinated_id(self, left: Speaker, right: Speaker) -> Optional[str]:
        names = [s for s in (left, right) if s.kind == "name"]
        if len(names) == 2:
            return left.entity_id if left.entity_id == right.entity_id else None
        other = right if names and names[0] is left else left
        if names and other.kind == "description":
            w = self.word_starting_at(other.start, other.end)
            if w and self._lower(w) in POSSESSIVES:
                return names[0].entity_id
        return None

    # -- after the cue ----------------------------------------------------------------------------

    def after(self, pos: int, ceiling: int) -> Optional[Speaker]:
        """The source starting right after ``pos`` (a cue's end), ending by ``ceiling``."""
        i = self.fwd_ws(pos, ceiling)
        found = self._name_after(i, ceiling)
        if found is not None:
            return found
        w = self.word_starting_at(i, ceiling)
        if w is None:
            return None
        word = self.text[w[0]:w[1]]
        if word.lower() in PRONOUNS or word == "I":
            return Speaker(w[0], w[1], self.pronoun_id(w[0], word.lower()), "pronoun")
        return self._description_after(i, ceiling)

    def appositive_of(self, speaker: Speaker, ceiling: int) -> Optional[Speaker]:
        """The name in apposition right after a description ("said her coach, Jane Doe, …": Jane
        Doe), ending by ``ceiling`` and followed by punctuation; None when there is none."""
        match = _APPOSITIVE_GAP.match(self.text, speaker.end, ceiling)
        name = self.by_start.get(match.end()) if match else None
        if name is None or name.label not in APPOSITIVE_LABELS or name.end > ceiling:
            return None
        if name.end < len(self.text) and self.text[name.end].isalnum():
            return None
        return Speaker(name.start, name.end, name.entity_id, "name") if self.text[name.end:name.end + 1] in ",.;" else None

    def _name_after(self, i: int, ceiling: int) -> Optional[Speaker]:
        """A name at ``i``, or after at most ``MAX_TITLE_WORDS`` title words ("newly elected Foreign
        Minister"), none of them a determiner or a stop word."""
        for _ in range(MAX_TITLE_WORDS + 1):
            name = self.by_start.get(i)
            if name is not None and name.end <= ceiling:
                return Speaker(name.start, name.end, name.entity_id, "name")
            w = self.word_starting_at(i, ceiling)
            if w is None or self._lower(w) in STOPS_AFTER or self._lower(w) in DETERMINERS or self._lower(w) in FORMS:
                return None
            nxt = self.fwd_ws(w[1], ceiling)
            if not self._plain_gap(w[1], nxt):
                return None
            i = nxt
        return None

    def _description_after(self, i: int, ceiling: int) -> Optional[Speaker]:
        words = []
        k = bisect.bisect_left(self._word_starts, i)
        while k < len(self.words) and len(words) < MAX_DESCRIPTION_WORDS + 1:
            w = self.words[k]
            if w[1] > ceiling or (words and not self._plain_gap(words[-1][1], w[0])):
                break
            lower = self._lower(w)
            if words and (lower in STOPS_AFTER or lower in FORMS):
                break
            name = self.by_start.get(w[0])
            if words and name is not None and name.label in APPOSITIVE_LABELS and name.end <= ceiling:
                return Speaker(name.start, name.end, name.entity_id, "name")
            words.append(w)
            k += 1
        if not words or len(words) > MAX_DESCRIPTION_WORDS:
            return None
        head = self._lower(words[0])
        if head in DETERMINERS:
            return Speaker(words[0][0], words[-1][1], None, "description") if len(words) > 1 else None
        if head in STOPS_AFTER or len(words) > 3:
            return None
        first = self.text[words[0][0]:words[0][1]]
        last = self.text[words[-1][0]:words[-1][1]]
        if (first[:1].isupper() and first not in NOT_BARE) or (last.islower() and last.endswith("s")):
            return Speaker(words[0][0], words[-1][1], None, "description")
        return None
