"""Indirect and mixed quote candidates from clause patterns (source ``quotes-indirect@2``).

``indirect_quotes`` runs the patterns in a fixed order: ``that`` ("<speaker> <cue> that <clause>"),
``clause-after`` ("<clause>, <speaker> <cue>"), ``according`` ("according to <source>" before or
after its clause), ``as`` ("<speaker> described X as “…”"), ``call-for`` ("<speaker> called for
<noun phrase>") and ``said`` ("<speaker> said <clause>" without "that"; ``NOT_CLAUSE_START`` are the
words that cannot open that clause). Each needs a speaker. Clause boundaries and types come from
``_quote_clauses``; the rules are in ``_quotes``' docstring.
"""

from __future__ import annotations

import re
from typing import Optional

from ._cues import CALL_VERBS, Cue
from ._quote_candidates import MAX_ATTRIBUTION_WORDS, MIN_WORDS, MIN_WORDS_COLON, MIN_WORDS_SAID, Candidate
from ._quote_clauses import after_dateline, ends_clause, reported_clause, typed_clause
from ._quote_direct import attribution_after
from ._quote_doc import WORD, QuoteDoc
from ._speakers import PREPOSITIONS

_AS_TAIL = re.compile(r"\bas(?:\s+[^\s.;:!?]+){0,4}\s*$")
#: The object of "called X “…”": one to five words, not a particle ("called on", "called off").
_CALL_TAIL = re.compile(r"(?!\s+(?:on|up|off|in|for|back|out|to|as|it)\b)(?:\s+[^\s.;:!?,]+){1,5}\s*")
#: A phrase that goes on after the closing mark of an "as" frame ("as “a new chapter” in relations …").
_AS_PHRASE = re.compile(r"\s+(?:in|for|of|to|with|between|on|at|from|by|among|against|toward|towards)\b")
#: Words that cannot open the clause of a "said" without "that".
NOT_CLAUSE_START = PREPOSITIONS | frozenset({
    "that", "to", "so", "yes", "no", "goodbye", "nothing", "little", "much", "more", "something", "anything",
    "earlier", "last", "this", "next", "yesterday", "today", "tomorrow", "recently", "according", "during",
    "after", "before", "amid", "over", "under", "via", "and", "or", "but", "while", "when", "where", "as",
    "because", "if", "than", "also", "again", "once", "then", "not", "so", "hello", "thanks", "sorry",
})


def indirect_quotes(doc: QuoteDoc) -> list[Candidate]:
    """The candidates of every clause pattern, pattern by pattern (``that`` first, ``said`` last)."""
    out: list[Candidate] = []
    for pattern in (_that_clauses, _clauses_attributed, _according_to, _as_frames, _call_for, _said_clauses):
        out += pattern(doc)
    return out


def _that_clauses(doc: QuoteDoc) -> list[Candidate]:
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("verb",)):
        that = _that_after(doc, cue)
        if that is None:
            continue
        clause = reported_clause(doc, that)
        speaker = doc.subject_of(cue)
        if clause is None or speaker is None or doc.words(*clause) < MIN_WORDS:
            continue
        typed = typed_clause(doc, clause)
        if typed is not None:
            out.append(Candidate(*typed, speaker, cue, "that"))
    return out


def _that_after(doc: QuoteDoc, cue: Cue) -> Optional[int]:
    """Where the clause after "<cue> [words] that" starts, or None."""
    end = doc.sentence_of(cue.start)[1]
    pos = cue.end
    for match in list(WORD.finditer(doc.text, cue.end, end))[:MAX_ATTRIBUTION_WORDS + 1]:
        if re.search(r"[.;:!?\"\u201c\u201d()]", doc.text[pos:match.start()]):
            return None
        if match.group().lower() == "that":
            return match.end()
        pos = match.end()
    return None


def _clauses_attributed(doc: QuoteDoc) -> list[Candidate]:
    """"<clause>, <speaker> <cue>" and "<clause>, <cue> <speaker>" closing a sentence (or followed
    only by a prepositional phrase: "…, the minister said on Monday")."""
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("verb",)):
        floor = doc.clause_floor(cue.start, past_passages=False)
        comma = doc.text.rfind(",", floor, cue.start)
        if cue.participle or comma < 0 or doc.in_passage(comma):
            continue
        found = attribution_after(doc, comma, doc.sentence_of(cue.start)[1])
        if found is None or found[0] != cue or not ends_clause(doc, max(cue.end, found[1].end)):
            continue
        clause = doc.trimmed(after_dateline(doc, floor, comma), comma)
        if doc.words(*clause) < MIN_WORDS_COLON or doc.cues.within(clause[0], clause[1], ("verb", "phrasal", "according")):
            continue
        typed = typed_clause(doc, clause)
        if typed is not None:
            out.append(Candidate(*typed, found[1], cue, "clause-after"))
    return out


def _according_to(doc: QuoteDoc) -> list[Candidate]:
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


def _according_after_clause(doc: QuoteDoc, cue: Cue, floor: int) -> Optional[Candidate]:
    """"<clause>, according to <source>": only when no reporting verb precedes in the clause."""
    if doc.cues.within(floor, cue.start, ("verb", "phrasal", "as", "accuse")):
        return None
    speaker = doc.finder.after(cue.end, doc.phrase_end(cue.end))
    clause = doc.trimmed(floor, cue.start)
    while clause[1] > clause[0] and doc.text[clause[1] - 1] in ",;":
        clause = doc.trimmed(clause[0], clause[1] - 1)
    typed = typed_clause(doc, clause)
    if speaker is None or typed is None or doc.words(*clause) < MIN_WORDS_COLON:
        return None
    return Candidate(*typed, speaker, cue, "according")


def _according_before_clause(doc: QuoteDoc, cue: Cue) -> Optional[Candidate]:
    """"According to <source>, <clause>"."""
    comma = doc.phrase_end(cue.end)
    if doc.text[comma:comma + 1] != ",":
        return None
    speaker = doc.finder.after(cue.end, comma)
    clause = reported_clause(doc, comma + 1)
    typed = None if clause is None else typed_clause(doc, clause)
    if speaker is None or typed is None or doc.words(*clause) < MIN_WORDS_COLON:
        return None
    return Candidate(*typed, speaker, cue, "according")


def _as_frames(doc: QuoteDoc) -> list[Candidate]:
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("as",)):
        end = doc.sentence_of(cue.start)[1]
        for o, c in doc.passages_within(cue.end, end)[:1]:
            between = doc.text[cue.end:o]
            tail = _CALL_TAIL.fullmatch(between) if cue.lemma in CALL_VERBS else _AS_TAIL.search(between)
            if re.search(r"[.;:!?]", between) or doc.words(cue.end, o) > 15 or not tail:
                continue
            speaker = doc.subject_of(cue)
            if speaker is not None:
                out.append(Candidate("mixed", doc.trimmed(cue.end, _as_end(doc, c)), speaker, cue, "as"))
    return out


def _as_end(doc: QuoteDoc, c: int) -> int:
    """Where the content of an "as" frame ends: the closing mark, or the end of a phrase that goes on
    after it ("as “a new chapter” in relations between the two countries.")."""
    if not _AS_PHRASE.match(doc.text, c):
        return c
    end = doc.phrase_end(c)
    return c if doc.in_passage(end) or doc.passages_within(c, end) else doc.trimmed(c, end)[1]


def _call_for(doc: QuoteDoc) -> list[Candidate]:
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("phrasal",)):
        content = doc.trimmed(cue.end, doc.phrase_end(cue.end))
        n = doc.words(*content)
        if n < MIN_WORDS or n > 25 or doc.in_passage(content[1]):
            continue
        speaker = doc.subject_of(cue)
        typed = typed_clause(doc, content)
        if speaker is not None and typed is not None:
            out.append(Candidate(typed[0], content, speaker, cue, "call-for"))
    return out


def _said_clauses(doc: QuoteDoc) -> list[Candidate]:
    out = []
    for cue in doc.cues.within(0, len(doc.text), ("verb",)):
        if cue.lemma != "say" or cue.participle:
            continue
        first = WORD.match(doc.text, doc.trimmed(cue.end, len(doc.text))[0])
        if first is None or first.start() == cue.end or first.group().lower() in NOT_CLAUSE_START:
            continue
        if first.group().lower().endswith("ly") or first.group().lower() in PREPOSITIONS:
            continue
        clause = reported_clause(doc, first.start())
        speaker = doc.finder.before(cue.start, doc.clause_floor(cue.start))
        typed = None if clause is None else typed_clause(doc, clause)
        if typed is None or speaker is None or doc.words(*clause) < MIN_WORDS_SAID:
            continue
        out.append(Candidate(*typed, speaker, cue, "said"))
    return out
