"""Quote suggestions: direct quotes from quotation marks, indirect and mixed quotes where a pattern
is reliable, each with its cue (``_cues``) and speaker (``_speakers``), by the guidelines' section 4.

**Quoted passages** are the pairs of double quotation marks on one line that
``tokenize.quoted_passages`` finds (straight marks alternate, curly marks pair “ with ”). A curly
pair with a second “ inside starts at the last one; a pair with a space just inside a mark is
skipped (for straight marks it is a misreading of unbalanced ones, and a direct content touches its
marks); a passage inside another is no quote of its own. A passage of fewer than ``MIN_WORDS`` words
is never a quote (scare quotes, names: "Murmansk-BN,"). A reported clause that holds a mark of no
passage inside it (an unbalanced mark) gives no quote.

**Patterns.** From the passages (source ``quotes-direct@1``):

- ``direct-before``: the passage follows its attribution: "X said: “…”" (the cue at most
  ``MAX_ATTRIBUTION_WORDS`` words before the colon), "X said, “…”" or "said X, “…”" (nothing but the
  speaker between the cue and the comma), "said “…”". ``direct-accuse``: "accused X of “…”"
  (guidelines 4.2). ``direct-colon``: a colon after a speech act that is a cue only there
  ("attacked the West: “…”"), or after a clause with a subject and no cue at all (the cue is null;
  the passage needs ``MIN_WORDS_COLON`` words).
- ``direct-after``: the passage opens its clause (sentence start, after a comma or colon) and its
  attribution follows: ", she said", "” he added", "”says Sergei Shoigu": the clause's first cue,
  with at most ``MAX_ATTRIBUTION_WORDS`` words (the speaker, its title) before it, and a speaker.
  After a passage ending in ? or !, the next sentence on the line may hold it ("“Why?” Smith asked.").
- ``mixed-after``: that attribution after a passage in the middle of a clause: the content is the
  clause up to the closing mark ("The plan is “a disaster,” she said" -> ``The plan is “a disaster,”``).
- ``direct-continued``: a passage that is a whole sentence right after a sentence holding a direct
  quote, on the same line ("“…,” she said. “…”"): the same speaker, no cue of its own, no group.

From clauses (source ``quotes-indirect@1``; each needs a speaker):

- ``that``: "<speaker> <cue> [at most MAX_ATTRIBUTION_WORDS words] that <clause>" -> the clause,
  without "that" and final punctuation, to its end (the sentence's end, a semicolon, a dash or ",
  according to"); mixed when passages lie inside it, direct when it is exactly one passage.
- ``clause-after``: "<clause>, <speaker> <cue>" and "<clause>, <cue> <speaker>" when the attribution
  ends the sentence or only a phrase follows it ("…, the minister said on Monday";
  ``_ADJUNCT_STARTS``), and the clause has ``MIN_WORDS_COLON`` words and no cue of its own.
- ``according``: "According to <source>, <clause>" and "<clause>, according to <source>", the latter
  only when no reporting verb precedes it in the clause ("he added, according to the report" is a
  relayed quote: guidelines 4.5).
- ``as``: "<speaker> described X as “…”" -> mixed, ``X as “…”`` (guidelines 4.2).
- ``call-for``: "<speaker> called for <noun phrase>" ("urging for") -> the noun phrase, to the next
  punctuation.
- ``said``: "<speaker> said <clause>" without "that", when the clause's first word can open a clause
  (``_NOT_CLAUSE_START``: no preposition, adverb, "to") and it has ``MIN_WORDS_SAID`` words.

A participle cue hanging on a clause (", urging for …", "while describing …", or any participle with
no subject before it) takes that clause's speaker: the source of the sentence's nearest earlier
non-participle cue, else the sentence's first person or organisation.

**Scores** are fixed per pattern (``SCORES``): our estimate, from the guidelines and the pattern's
form, of how often it is right, never fitted to a corpus: a direct quote with its attribution next
to the marks is rarely wrong, a clause pattern's boundaries often are. A description speaker lowers
the score by ``PENALTY_DESCRIPTION``, a missing speaker by ``PENALTY_NO_SPEAKER``; a colon quote
without a cue scores ``SCORE_COLON_NO_CUE``.

**Split statements** ("“…,” she said, “…”": the second passage follows the first one's attribution,
which ends with a comma or colon) are two quotes with one ``group_id`` (g1, g2, … in text order)
and the same speaker and cue.

**No overlaps**: candidates are taken by score (then position); one whose content overlaps a kept
content, whose speaker or cue overlaps its own content, or whose cue a kept quote of another
statement already uses, is dropped. A group that loses a part loses its ``group_id``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

from ..model import RegistryEntry
from ..tokenize import quoted_passages, split_sentences, tokenize
from ._cues import Cue, CueIndex, find_cues
from ._model import Suggestion
from ._speakers import PREPOSITIONS, Speaker, SpeakerFinder, collect_names

SOURCE_DIRECT = "quotes-direct@1"
SOURCE_INDIRECT = "quotes-indirect@1"
MIN_WORDS = 2
MIN_WORDS_COLON = 4
MIN_WORDS_SAID = 4
MAX_ATTRIBUTION_WORDS = 6
SCORES = {
    "direct-before": 0.9, "direct-after": 0.9, "direct-accuse": 0.8, "direct-colon": 0.7, "direct-continued": 0.6,
    "mixed-after": 0.6, "that": 0.6, "clause-after": 0.5, "according": 0.5, "as": 0.5, "call-for": 0.4, "said": 0.35,
}
PENALTY_DESCRIPTION = 0.05
PENALTY_NO_SPEAKER = 0.3
#: Score of a direct quote introduced by a colon without a speech-act verb (the cue is null).
SCORE_COLON_NO_CUE = 0.6
_DOUBLE_MARKS = "\"\u201c\u201d\u201e\u201f\u00ab\u00bb"
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_CLAUSE_STOP = re.compile(r";|\s[\u2014\u2013]\s|\s--\s|,\s*according\s+to\b", re.IGNORECASE)
_ACCUSE_TAIL = re.compile(r"(?:\s+[^\W_][\w'\u2019\-.]*){0,3}\s+of\s*")
_AS_TAIL = re.compile(r"\bas(?:\s+[^\s.;:!?]+){0,4}\s*$")
_INTRO_PUNCT = re.compile(r"[\s,]*")
_PHRASE_END = re.compile(r"[,;:.!?\"\u201c\u201d()]")
#: Words that open a phrase which may follow a closing attribution ("…, she said on Monday").
_ADJUNCT_STARTS = PREPOSITIONS | frozenset({"during", "after", "before", "according", "while", "amid", "when",
                                            "as", "adding", "saying", "in", "last", "earlier", "later", "this",
                                            "today", "yesterday"})
#: Words that cannot open the clause of a "said" without "that".
_NOT_CLAUSE_START = PREPOSITIONS | frozenset({
    "that", "to", "so", "yes", "no", "goodbye", "nothing", "little", "much", "more", "something", "anything",
    "earlier", "last", "this", "next", "yesterday", "today", "tomorrow", "recently", "according", "during",
    "after", "before", "amid", "over", "under", "via", "and", "or", "but", "while", "when", "where", "as",
    "because", "if", "than", "also", "again", "once", "then", "not", "so", "hello", "thanks", "sorry",
})


@dataclass
class _Candidate:
    type: str
    content: tuple[int, int]
    speaker: Optional[Speaker]
    cue: Optional[Cue]
    pattern: str
    partner: Optional["_Candidate"] = field(default=None, repr=False)  # the first part of its statement
    score: float = 0.0

    def __post_init__(self) -> None:
        base = SCORE_COLON_NO_CUE if self.pattern == "direct-colon" and self.cue is None else SCORES[self.pattern]
        if self.speaker is None:
            base -= PENALTY_NO_SPEAKER
        elif self.speaker.kind == "description":
            base -= PENALTY_DESCRIPTION
        self.score = round(base, 2)


def suggest_quotes(text: str, *, registry: Mapping[str, RegistryEntry], mentions: Sequence[Suggestion]) -> list[Suggestion]:
    """The quotes of ``text`` (rules in this module's docstring), in text order, never overlapping.
    ``mentions`` are the entity suggestions already made for the text (their PERSON, ORG and GPE
    mentions are the names a speaker can be); ``registry`` gives the aliases and ids of the rest."""
    items = [s.item for s in mentions if s.layer == "entities"]
    doc = _Doc(text, items, registry)
    candidates = _from_passages(doc)
    for pattern in (_that_clauses, _clauses_attributed, _according_to, _as_frames, _call_for, _said_clauses):
        candidates += pattern(doc)
    return _suggestions(text, _resolve(candidates))


class _Doc:
    """One document as the patterns see it: sentences, passages, cues, the speaker finder."""

    def __init__(self, text: str, mentions: Sequence[Mapping], registry: Mapping[str, RegistryEntry]):
        self.text = text
        spans = [(m["start"], m["end"]) for m in mentions]
        self.sentences = split_sentences(text, tokenize(text), protected=spans)
        self._sentence_starts = [s[0] for s in self.sentences]
        self.passages = _passages(text)
        self._passage_starts = [p[0] for p in self.passages]
        names = collect_names(text, mentions, registry)
        self.finder = SpeakerFinder(text, names)
        self.cues = CueIndex(c for c in find_cues(text) if not self.in_passage(c.start) and not self.finder.covers(c.start, c.end))

    def sentence_of(self, pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(self._sentence_starts, pos) - 1
        return self.sentences[max(k, 0)] if self.sentences else (0, len(self.text))

    def in_passage(self, pos: int) -> Optional[tuple[int, int]]:
        k = bisect.bisect_right(self._passage_starts, pos) - 1
        if k >= 0 and self.passages[k][0] <= pos < self.passages[k][1]:
            return self.passages[k]
        return None

    def passages_within(self, start: int, end: int) -> list[tuple[int, int]]:
        k = bisect.bisect_left(self._passage_starts, start)
        out = []
        while k < len(self.passages) and self.passages[k][0] < end:
            if self.passages[k][1] <= end:
                out.append(self.passages[k])
            k += 1
        return out

    def clause_floor(self, pos: int, *, past_passages: bool = True) -> int:
        """Where the clause that holds ``pos`` starts: its sentence's start, or the end of the
        last colon (and, with ``past_passages``, passage) before ``pos`` in the sentence."""
        start = self.sentence_of(pos)[0]
        for p in self.passages_within(start, pos) if past_passages else ():
            start = max(start, p[1])
        colon = self.text.rfind(":", start, pos)
        return colon + 1 if colon >= 0 and not self.in_passage(colon) else start

    def trimmed(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def words(self, start: int, end: int) -> int:
        return len(_WORD.findall(self.text, start, end))

    def subject_of(self, cue: Cue, floor: Optional[int] = None) -> Optional[Speaker]:
        """The speaker of a cue: the subject before it, else the source right after it; for a
        participle hanging on a clause (", urging for"), that clause's speaker."""
        floor = self.clause_floor(cue.start) if floor is None else floor
        if cue.participle and self._hangs(cue, floor):
            return self._main_speaker(cue)
        found = self.finder.before(cue.start, floor)
        if found is None and cue.participle:  # a participle's subject is the clause's it hangs on
            return self._main_speaker(cue)
        if found is None:
            found = self.finder.after(cue.end, self.phrase_end(cue.end))
        return found

    def _hangs(self, cue: Cue, floor: int) -> bool:
        before = self.text[floor:cue.start].rstrip()
        return before.endswith(",") or bool(re.search(r"(?<![^\W_])(?:while|and|when|after|before)$", before, re.IGNORECASE))

    def _main_speaker(self, cue: Cue) -> Optional[Speaker]:
        start = self.sentence_of(cue.start)[0]
        for other in reversed(self.cues.within(start, cue.start)):
            if not other.participle and other.kind != "according":
                floor = max([start] + [p[1] for p in self.passages_within(start, other.start)])
                found = self.finder.before(other.start, floor) or self.finder.after(other.end, self.phrase_end(other.end))
                if found is not None:
                    return found
        return self.finder.first_name(start, cue.start)

    def phrase_end(self, pos: int) -> int:
        """The end of the phrase after ``pos``: the next punctuation or the sentence's end."""
        end = self.sentence_of(pos)[1]
        match = _PHRASE_END.search(self.text, pos, end)
        return match.start() if match else end


def _passages(text: str) -> list[tuple[int, int]]:
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


# -- quotation marks -------------------------------------------------------------------------------


def _from_passages(doc: _Doc) -> list[_Candidate]:
    out: list[_Candidate] = []
    previous: Optional[_Candidate] = None
    for k, (o, c) in enumerate(doc.passages):
        content = doc.trimmed(o + 1, c - 1)
        if doc.words(*content) < MIN_WORDS:
            previous = None
            continue
        sentence = doc.sentence_of(o)
        floor = max([sentence[0]] + [p[1] for p in doc.passages[:k] if p[1] <= o])
        nxt = doc.passages[k + 1][0] if k + 1 < len(doc.passages) else len(doc.text)
        found = _direct_before(doc, content, floor, o) or _direct_after(doc, content, floor, o, c, min(nxt, sentence[1]))
        if found is not None and previous is not None and _continues(doc, previous, found, o):
            found.speaker, found.cue, found.partner = previous.speaker, previous.cue, previous
        elif found is None and previous is not None and _next_quoted_sentence(doc, previous, (o, c)):
            found = _Candidate("direct", content, previous.speaker, None, "direct-continued")
        if found is not None:
            out.append(found)
        previous = found
    return out


def _continues(doc: _Doc, first: _Candidate, second: _Candidate, o: int) -> bool:
    """Whether ``second`` continues the statement of ``first`` across its attribution."""
    if first.type != "direct" or second.type != "direct" or first.cue is None or first.pattern != "direct-after":
        return False
    between = doc.text[first.content[1]:o]
    return bool(second.cue == first.cue and between.rstrip()[-1:] in (",", ":"))


def _next_quoted_sentence(doc: _Doc, previous: _Candidate, passage: tuple[int, int]) -> bool:
    """Whether ``passage`` is a whole sentence right after the sentence of the direct quote
    ``previous``, on its line ("“…,” she said. “…”")."""
    if previous.type != "direct" or previous.speaker is None:
        return False
    sentence = doc.sentence_of(passage[0])
    if doc.trimmed(*sentence)[0] != passage[0] or doc.text[passage[1]:sentence[1]].strip() not in ("", ".", "!", "?"):
        return False
    before = doc.sentence_of(sentence[0] - 1) if sentence[0] else None
    return (before is not None and before != sentence and before[0] <= previous.content[0] < before[1]
            and "\n" not in doc.text[before[1]:sentence[0]])


def _direct_before(doc: _Doc, content: tuple[int, int], floor: int, o: int) -> Optional[_Candidate]:
    """A passage after its attribution ("X said: “…”", "accused X of “…”")."""
    end = doc.trimmed(floor, o)[1]
    if end <= floor:
        return None
    last = doc.text[end - 1]
    verbs = doc.cues.within(floor, end, ("verb", "colon", "accuse"))
    if last == ":":
        return _colon_intro(doc, content, floor, end, verbs)
    reporting = [q for q in verbs if q.kind in ("verb", "accuse")]
    if not reporting:
        return None
    cue = reporting[-1]
    tail = doc.text[cue.end:end]
    if cue.kind == "accuse" and _ACCUSE_TAIL.fullmatch(tail):
        return _Candidate("direct", content, doc.subject_of(cue, floor), cue, "direct-accuse")
    if cue.kind != "verb":
        return None
    if last == ",":
        tail = tail[:-1]
        after = doc.finder.after(cue.end, end - 1)
        if tail.strip() and (after is None or doc.trimmed(cue.end, end - 1) != (after.start, after.end)):
            return None
        return _Candidate("direct", content, doc.subject_of(cue, floor) or after, cue, "direct-before")
    if not tail.strip():
        return _Candidate("direct", content, doc.subject_of(cue, floor), cue, "direct-before")
    return None


def _colon_intro(doc: _Doc, content: tuple[int, int], floor: int, colon: int, verbs: list[Cue]) -> Optional[_Candidate]:
    """A passage opened by a colon: the clause's last speech act within reach is the cue, else its
    subject alone is the speaker (guidelines 4.4: the cue is null)."""
    cue = verbs[-1] if verbs else None
    if cue is not None and doc.words(cue.end, colon - 1) <= MAX_ATTRIBUTION_WORDS \
            and not re.search(r"[.;!?\"\u201c\u201d]", doc.text[cue.end:colon - 1]):
        pattern = "direct-before" if cue.kind == "verb" else "direct-colon"
        return _Candidate("direct", content, doc.subject_of(cue, floor), cue, pattern)
    if doc.words(*content) < MIN_WORDS_COLON:
        return None
    start = doc.trimmed(floor, colon)[0]
    speaker = doc.finder.after(start, colon - 1)
    if speaker is None:
        return None
    return _Candidate("direct", content, speaker, None, "direct-colon")


def _direct_after(doc: _Doc, content: tuple[int, int], floor: int, o: int, c: int, end: int) -> Optional[_Candidate]:
    """A passage followed by its attribution (", she said"): direct when the passage opens its
    clause, else mixed (the clause up to the closing mark)."""
    start = c
    if not doc.text[c:end].strip() and doc.text[content[1] - 1] in "?!":
        start, end = _next_sentence(doc, c)
    found = _attribution_after(doc, start, end)
    if found is None:
        return None
    cue, speaker = found
    before = doc.text[floor:o].strip()
    if not before or before[-1] in ",:":
        return _Candidate("direct", content, speaker, cue, "direct-after")
    clause = doc.trimmed(floor, c)
    if doc.words(clause[0], o) < 1:
        return None
    return _Candidate("mixed", clause, speaker, cue, "mixed-after")


def _next_sentence(doc: _Doc, c: int) -> tuple[int, int]:
    sentence = doc.sentence_of(c)
    if sentence[1] > c:
        return c, c
    nxt = doc.sentence_of(doc.trimmed(c, len(doc.text))[0])
    if nxt[0] < c or "\n" in doc.text[c:nxt[0]]:
        return c, c
    stop = min([nxt[1]] + [p[0] for p in doc.passages_within(nxt[0], nxt[1])])
    return c, stop


def _attribution_after(doc: _Doc, start: int, end: int) -> Optional[tuple[Cue, Speaker]]:
    """The cue and speaker of an attribution that opens ``[start, end)``."""
    i = _INTRO_PUNCT.match(doc.text, start, end).end()
    cues = doc.cues.within(i, end, ("verb",))
    if not cues:
        return None
    cue = cues[0]
    lead = doc.text[i:cue.start]
    if doc.words(i, cue.start) > MAX_ATTRIBUTION_WORDS or re.search(r"[,;:!?\"\u201c\u201d()]", lead):
        return None
    if lead.strip():
        speaker = doc.finder.before(cue.start, i)
        if speaker is None or not all(w[:1].isupper() for w in _WORD.findall(doc.text, i, speaker.start)):
            return None
        return cue, speaker
    speaker = doc.finder.after(cue.end, doc.phrase_end(cue.end))
    return (cue, speaker) if speaker is not None else None


# -- clauses ---------------------------------------------------------------------------------------


def _clause(doc: _Doc, start: int) -> Optional[tuple[int, int]]:
    """The reported clause from ``start``: to its sentence's end, a semicolon, a dash or ", according
    to", without final punctuation (kept when it is inside a closing quotation mark)."""
    end = doc.sentence_of(start)[1]
    for match in _CLAUSE_STOP.finditer(doc.text, start, end):
        if not doc.in_passage(match.start()):
            end = match.start()
            break
    start, end = doc.trimmed(start, end)
    while end > start and (doc.text[end - 1] in ".!?,:" or doc.text[end - 1].isspace()):
        end -= 1
    return (start, end) if end > start else None


def _typed(doc: _Doc, content: tuple[int, int]) -> Optional[tuple[str, tuple[int, int]]]:
    """The type of a reported clause and its content: direct when it is one passage, mixed when it
    holds passages, else indirect; None when it holds a quotation mark of no passage inside it (an
    unbalanced mark, or a passage that crosses the clause's edge)."""
    inside = doc.passages_within(*content)
    if len(inside) == 1 and doc.trimmed(*content) == inside[0]:
        return "direct", doc.trimmed(inside[0][0] + 1, inside[0][1] - 1)
    marks = sum(1 for ch in doc.text[content[0]:content[1]] if ch in _DOUBLE_MARKS)
    if marks != 2 * len(inside):
        return None
    return ("mixed" if inside else "indirect"), content


def _that_clauses(doc: _Doc) -> list[_Candidate]:
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("verb",)):
        that = _that_after(doc, cue)
        if that is None:
            continue
        clause = _clause(doc, that)
        speaker = doc.subject_of(cue)
        if clause is None or speaker is None or doc.words(*clause) < MIN_WORDS:
            continue
        typed = _typed(doc, clause)
        if typed is not None:
            out.append(_Candidate(*typed, speaker, cue, "that"))
    return out


def _that_after(doc: _Doc, cue: Cue) -> Optional[int]:
    """Where the clause after "<cue> [words] that" starts, or None."""
    end = doc.sentence_of(cue.start)[1]
    pos = cue.end
    for match in list(_WORD.finditer(doc.text, cue.end, end))[:MAX_ATTRIBUTION_WORDS + 1]:
        if re.search(r"[.;:!?\"\u201c\u201d()]", doc.text[pos:match.start()]):
            return None
        if match.group().lower() == "that":
            return match.end()
        pos = match.end()
    return None


def _clauses_attributed(doc: _Doc) -> list[_Candidate]:
    """"<clause>, <speaker> <cue>" and "<clause>, <cue> <speaker>" closing a sentence (or followed
    only by a prepositional phrase: "…, the minister said on Monday")."""
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("verb",)):
        floor = doc.clause_floor(cue.start, past_passages=False)
        comma = doc.text.rfind(",", floor, cue.start)
        if cue.participle or comma < 0 or doc.in_passage(comma):
            continue
        found = _attribution_after(doc, comma, doc.sentence_of(cue.start)[1])
        if found is None or found[0] != cue or not _ends_clause(doc, max(cue.end, found[1].end)):
            continue
        clause = doc.trimmed(floor, comma)
        if doc.words(*clause) < MIN_WORDS_COLON or doc.cues.within(clause[0], clause[1], ("verb", "phrasal", "according")):
            continue
        typed = _typed(doc, clause)
        if typed is not None:
            out.append(_Candidate(*typed, found[1], cue, "clause-after"))
    return out


def _ends_clause(doc: _Doc, pos: int) -> bool:
    """Whether nothing but punctuation or a prepositional phrase follows ``pos`` in its sentence."""
    end = doc.sentence_of(pos)[1]
    rest = doc.text[pos:end].strip()
    if not rest or rest[0] in ".,;!?":
        return True
    first = _WORD.match(rest)
    return bool(first) and first.group().lower() in _ADJUNCT_STARTS


def _according_to(doc: _Doc) -> list[_Candidate]:
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("according",)):
        floor = doc.clause_floor(cue.start, past_passages=False)
        if doc.text[floor:cue.start].strip():
            found = _according_after_clause(doc, cue, floor)
        else:
            found = _according_before_clause(doc, cue)
        if found is not None:
            out.append(found)
    return out


def _according_after_clause(doc: _Doc, cue: Cue, floor: int) -> Optional[_Candidate]:
    """"<clause>, according to <source>": only when no reporting verb precedes in the clause."""
    if doc.cues.within(floor, cue.start, ("verb", "phrasal", "as", "accuse")):
        return None
    speaker = doc.finder.after(cue.end, doc.phrase_end(cue.end))
    clause = doc.trimmed(floor, cue.start)
    while clause[1] > clause[0] and doc.text[clause[1] - 1] in ",;":
        clause = doc.trimmed(clause[0], clause[1] - 1)
    typed = _typed(doc, clause)
    if speaker is None or typed is None or doc.words(*clause) < MIN_WORDS_COLON:
        return None
    return _Candidate(*typed, speaker, cue, "according")


def _according_before_clause(doc: _Doc, cue: Cue) -> Optional[_Candidate]:
    """"According to <source>, <clause>"."""
    comma = doc.phrase_end(cue.end)
    if doc.text[comma:comma + 1] != ",":
        return None
    speaker = doc.finder.after(cue.end, comma)
    clause = _clause(doc, comma + 1)
    typed = None if clause is None else _typed(doc, clause)
    if speaker is None or typed is None or doc.words(*clause) < MIN_WORDS_COLON:
        return None
    return _Candidate(*typed, speaker, cue, "according")


def _as_frames(doc: _Doc) -> list[_Candidate]:
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("as",)):
        end = doc.sentence_of(cue.start)[1]
        for o, c in doc.passages_within(cue.end, end)[:1]:
            between = doc.text[cue.end:o]
            if re.search(r"[.;:!?]", between) or doc.words(cue.end, o) > 15 or not _AS_TAIL.search(between):
                continue
            speaker = doc.subject_of(cue)
            if speaker is not None:
                out.append(_Candidate("mixed", doc.trimmed(cue.end, c), speaker, cue, "as"))
    return out


def _call_for(doc: _Doc) -> list[_Candidate]:
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("phrasal",)):
        content = doc.trimmed(cue.end, doc.phrase_end(cue.end))
        n = doc.words(*content)
        if n < MIN_WORDS or n > 25 or doc.in_passage(content[1]):
            continue
        speaker = doc.subject_of(cue)
        typed = _typed(doc, content)
        if speaker is not None and typed is not None:
            out.append(_Candidate(typed[0], content, speaker, cue, "call-for"))
    return out


def _said_clauses(doc: _Doc) -> list[_Candidate]:
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("verb",)):
        if cue.lemma != "say" or cue.participle:
            continue
        first = _WORD.match(doc.text, doc.trimmed(cue.end, len(doc.text))[0])
        if first is None or first.start() == cue.end or first.group().lower() in _NOT_CLAUSE_START:
            continue
        if first.group().lower().endswith("ly") or first.group().lower() in PREPOSITIONS:
            continue
        clause = _clause(doc, first.start())
        speaker = doc.finder.before(cue.start, doc.clause_floor(cue.start))
        typed = None if clause is None else _typed(doc, clause)
        if typed is None or speaker is None or doc.words(*clause) < MIN_WORDS_SAID:
            continue
        out.append(_Candidate(*typed, speaker, cue, "said"))
    return out


# -- the result ------------------------------------------------------------------------------------


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """The candidates kept, in text order: by score, never overlapping in content, one statement
    per cue; a group that lost a part is dissolved."""
    kept: list[_Candidate] = []
    spans: list[tuple[int, int]] = []
    cues: dict[tuple[int, int], _Candidate] = {}
    for cand in sorted(candidates, key=lambda q: (-q.score, q.content)):
        if not _well_formed(cand):
            continue
        i = bisect.bisect_left(spans, cand.content)
        if any(s < cand.content[1] and cand.content[0] < e for s, e in spans[max(0, i - 1):i + 1]):
            continue
        key = (cand.cue.start, cand.cue.end) if cand.cue else None
        owner = cues.get(key) if key else None
        if owner is not None and _statement(owner) is not _statement(cand):
            continue
        kept.append(cand)
        spans.insert(i, cand.content)
        if key:
            cues.setdefault(key, cand)
    ids = {id(q) for q in kept}
    for q in kept:
        if q.partner is not None and id(q.partner) not in ids:
            q.partner = None
    return sorted(kept, key=lambda q: q.content)


def _statement(q: _Candidate) -> _Candidate:
    return q.partner if q.partner is not None else q


def _well_formed(q: _Candidate) -> bool:
    """Content not empty; speaker and cue outside the content (``E-QUOTE-OVERLAP``)."""
    s, e = q.content
    if e <= s:
        return False
    for part in (q.speaker, q.cue):
        if part is not None and part.start < e and s < part.end:
            return False
    return True


def _suggestions(text: str, quotes: list[_Candidate]) -> list[Suggestion]:
    groups: dict[int, str] = {}
    for q in quotes:
        if q.partner is not None:
            groups.setdefault(id(q.partner), f"g{len(groups) + 1}")
    out = []
    for q in quotes:
        group = groups.get(id(_statement(q))) if q.partner is not None or id(q) in groups else None
        item = {
            "type": q.type,
            "content": _span(text, *q.content),
            "speaker": None if q.speaker is None else _span(text, q.speaker.start, q.speaker.end),
            "cue": None if q.cue is None else _span(text, q.cue.start, q.cue.end),
            "speaker_entity_id": None if q.speaker is None else q.speaker.entity_id,
            "group_id": group,
            "cluster_id": None,
        }
        source = SOURCE_DIRECT if q.pattern.startswith(("direct", "mixed-after")) else SOURCE_INDIRECT
        out.append(Suggestion("quotes", item, source, q.score))
    return out


def _span(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}
