"""Direct and mixed quote candidates from the quoted passages (source ``quotes-direct@2``).

``direct_quotes`` walks the passages of a ``QuoteDoc`` in text order and tries, for each passage of
at least ``MIN_WORDS`` words, the patterns ``direct-before``, ``direct-accuse`` and ``direct-colon``
(the attribution precedes the passage), then ``direct-after`` and ``mixed-after`` (it follows);
a passage that continues the previous one's statement across its attribution becomes the second
part of a split statement, and a whole quoted sentence right after a direct quote becomes
``direct-continued``. ``attribution_after`` (the cue and speaker that open a stretch of text:
", she said") is shared with the clause patterns of ``_quote_indirect``. The rules are in
``_quotes``' docstring.
"""

from __future__ import annotations

import re
from typing import Optional

from ._cues import Cue
from ._quote_candidates import MAX_ATTRIBUTION_WORDS, MIN_WORDS, MIN_WORDS_COLON, Candidate
from ._quote_doc import WORD, QuoteDoc
from ._speakers import Speaker

_ACCUSE_TAIL = re.compile(r"(?:\s+[^\W_][\w'\u2019\-.]*){0,3}\s+of\s*")
_INTRO_PUNCT = re.compile(r"[\s,]*")


def direct_quotes(doc: QuoteDoc) -> list[Candidate]:
    """The candidates of the quoted passages, in text order, split statements linked by ``partner``."""
    out: list[Candidate] = []
    previous: Optional[Candidate] = None
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
        elif found is None and previous is not None and _resumes(doc, previous, o):
            found = Candidate("direct", content, previous.speaker, previous.cue, "direct-after")
            found.partner = previous
        elif found is None and previous is not None and _next_quoted_sentence(doc, previous, (o, c)):
            found = Candidate("direct", content, previous.speaker, None, "direct-continued")
        if found is not None:
            out.append(found)
        previous = found
    return out


def _continues(doc: QuoteDoc, first: Candidate, second: Candidate, o: int) -> bool:
    """Whether ``second`` continues the statement of ``first`` across its attribution."""
    if first.type != "direct" or second.type != "direct" or first.cue is None or first.pattern != "direct-after":
        return False
    between = doc.text[first.content[1]:o]
    return bool(second.cue == first.cue and between.rstrip()[-1:] in (",", ":"))


#: How many words may follow the cue in the attribution that splits a statement ("“…,” she told
#: reporters after the ceremony, “…”").
MAX_SPLIT_WORDS = 8


def _resumes(doc: QuoteDoc, first: Candidate, o: int) -> bool:
    """Whether the passage at ``o`` resumes the statement of ``first`` after an attribution that
    ends with a comma, in the same sentence, its cue followed by an object or an adjunct."""
    if first.type != "direct" or first.cue is None or first.pattern != "direct-after" or first.partner is not None:
        return False
    between = doc.text[first.cue.end:o]
    return (first.content[1] < first.cue.start and between.rstrip()[-1:] == ","
            and not re.search(r"[.;:!?\"\u201c\u201d]", between.rstrip()[:-1])
            and doc.words(first.cue.end, o) <= MAX_SPLIT_WORDS and doc.sentence_of(o) == doc.sentence_of(first.cue.start))


def _next_quoted_sentence(doc: QuoteDoc, previous: Candidate, passage: tuple[int, int]) -> bool:
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


def _direct_before(doc: QuoteDoc, content: tuple[int, int], floor: int, o: int) -> Optional[Candidate]:
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
        return Candidate("direct", content, doc.subject_of(cue, floor), cue, "direct-accuse")
    if cue.kind != "verb":
        return None
    if last == ",":
        tail = tail[:-1]
        after = doc.finder.after(cue.end, end - 1)
        if tail.strip() and (after is None or doc.trimmed(cue.end, end - 1) != (after.start, after.end)):
            return None
        return Candidate("direct", content, doc.subject_of(cue, floor) or after, cue, "direct-before")
    if not tail.strip():
        return Candidate("direct", content, doc.subject_of(cue, floor), cue, "direct-before")
    return None


def _colon_intro(doc: QuoteDoc, content: tuple[int, int], floor: int, colon: int, verbs: list[Cue]) -> Optional[Candidate]:
    """A passage opened by a colon: the clause's last speech act within reach is the cue, else its
    subject alone is the speaker (guidelines 4.4: the cue is null)."""
    cue = verbs[-1] if verbs else None
    if cue is not None and doc.words(cue.end, colon - 1) <= MAX_ATTRIBUTION_WORDS \
            and not re.search(r"[.;!?\"\u201c\u201d]", doc.text[cue.end:colon - 1]):
        pattern = "direct-before" if cue.kind == "verb" else "direct-colon"
        return Candidate("direct", content, doc.subject_of(cue, floor), cue, pattern)
    if doc.words(*content) < MIN_WORDS_COLON:
        return None
    start = doc.trimmed(floor, colon)[0]
    speaker = doc.finder.after(start, colon - 1)
    if speaker is None:
        return None
    return Candidate("direct", content, speaker, None, "direct-colon")


def _direct_after(doc: QuoteDoc, content: tuple[int, int], floor: int, o: int, c: int, end: int) -> Optional[Candidate]:
    """A passage followed by its attribution (", she said"): direct when the passage opens its
    clause, else mixed (the clause up to the closing mark)."""
    start = c
    if not doc.text[c:end].strip() and doc.text[content[1] - 1] in "?!":
        start, end = _next_sentence(doc, c)
    found = attribution_after(doc, start, end)
    if found is None:
        return None
    cue, speaker = found
    before = doc.text[floor:o].strip()
    if not before or before[-1] in ",:":
        return Candidate("direct", content, speaker, cue, "direct-after")
    clause = doc.trimmed(floor, c)
    if doc.words(clause[0], o) < 1:
        return None
    return Candidate("mixed", clause, speaker, cue, "mixed-after")


def _next_sentence(doc: QuoteDoc, c: int) -> tuple[int, int]:
    sentence = doc.sentence_of(c)
    if sentence[1] > c:
        return c, c
    nxt = doc.sentence_of(doc.trimmed(c, len(doc.text))[0])
    if nxt[0] < c or "\n" in doc.text[c:nxt[0]]:
        return c, c
    stop = min([nxt[1]] + [p[0] for p in doc.passages_within(nxt[0], nxt[1])])
    return c, stop


def attribution_after(doc: QuoteDoc, start: int, end: int) -> Optional[tuple[Cue, Speaker]]:
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
        if speaker is None or not _title_words(doc, speaker, WORD.findall(doc.text, i, speaker.start)):
            return None
        return cue, speaker
    speaker = doc.finder.after(cue.end, doc.phrase_end(cue.end))
    if speaker is not None and speaker.kind == "description":
        speaker = doc.finder.appositive_of(speaker, doc.sentence_of(cue.end)[1]) or speaker
    return (cue, speaker) if speaker is not None else None


#: Words that never belong to a title before a speaker's name ("and analysts at Reuters said").
_NOT_TITLE = frozenset({"the", "a", "an", "and", "or", "but", "at", "of", "in", "for", "with", "from", "by", "to",
                        "as", "while", "his", "her", "its", "their", "our", "my", "your", "on", "who", "which"})


def _title_words(doc: QuoteDoc, speaker: Speaker, words: list[str]) -> bool:
    """Whether ``words`` before a speaker can be its title: capitalised words ("Foreign Minister"),
    or lower-case ones before a name ("chief executive Jane Doe"), after a "the" of the name's."""
    if words[:1] in (["the"], ["The"]) and speaker.kind == "name":
        words = words[1:]
    if all(w[:1].isupper() for w in words):
        return True
    return speaker.kind == "name" and not any(w.lower() in _NOT_TITLE for w in words)
