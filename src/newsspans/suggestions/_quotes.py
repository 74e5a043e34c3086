"""Quote suggestions: direct quotes from quotation marks, indirect and mixed quotes where a pattern
is reliable, each with its cue (``_cues``) and speaker (``_speakers``), by the guidelines' section 4.

**Quoted passages** are the pairs of double quotation marks on one line that
``tokenize.quoted_passages`` finds (straight marks alternate, curly marks pair “ with ”). A curly
pair with a second “ inside starts at the last one; a pair with a space just inside a mark is
skipped (for straight marks it is a misreading of unbalanced ones, and a direct content touches its
marks); a passage inside another is no quote of its own. A passage of fewer than ``MIN_WORDS`` words
is never a quote (scare quotes, names: "Murmansk-BN,"). A reported clause that holds a mark of no
passage inside it (an unbalanced mark) gives no quote.

**Patterns.** From the passages (source ``quotes-direct@2``):

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

An attribution after a passage may put lower-case title words before a name ("”, chief executive
Jane Doe told analysts"; never a determiner, preposition or conjunction), and a description speaker
followed by a name in apposition gives the name ("said her coach, Jane Doe, “…”").

From clauses (source ``quotes-indirect@2``; each needs a speaker):

- ``that``: "<speaker> <cue> [at most MAX_ATTRIBUTION_WORDS words] that <clause>" -> the clause,
  without "that" and final punctuation, to its end (the sentence's end, a semicolon, a dash or ",
  according to"); mixed when passages lie inside it, direct when it is exactly one passage.
- ``clause-after``: "<clause>, <speaker> <cue>" and "<clause>, <cue> <speaker>" when the attribution
  ends the sentence or only a phrase follows it ("…, the minister said on Monday";
  ``_quote_clauses.ADJUNCT_STARTS``), and the clause has ``MIN_WORDS_COLON`` words and no cue of
  its own.
- ``according``: "According to <source>, <clause>" and "<clause>, according to <source>", the latter
  only when no reporting verb precedes it in the clause ("he added, according to the report" is a
  relayed quote: guidelines 4.5).
- ``as``: "<speaker> described X as “…”" -> mixed, ``X as “…”`` (guidelines 4.2), to the end of a
  prepositional phrase that goes on after the closing mark ("as “a new chapter” in relations between
  the two countries"); "<speaker> called X “…”" (``_cues.CALL_VERBS``, no "as"; not "called on/off/up").
- ``call-for``: "<speaker> called for <noun phrase>" ("urging for") -> the noun phrase, to the next
  punctuation.
- ``said``: "<speaker> said <clause>" without "that", when the clause's first word can open a clause
  (``_quote_indirect.NOT_CLAUSE_START``: no preposition, adverb, "to") and it has
  ``MIN_WORDS_SAID`` words.

A participle cue hanging on a clause (", urging for …", "while describing …", or any participle with
no subject before it) takes that clause's speaker: the source of the sentence's nearest earlier
non-participle cue, else the sentence's first person or organisation.

**Scores** are fixed per pattern (``SCORES``): our estimate, from the guidelines and the pattern's
form, of how often it is right, never fitted to a corpus: a direct quote with its attribution next
to the marks is rarely wrong, a clause pattern's boundaries often are. A description speaker lowers
the score by ``PENALTY_DESCRIPTION``, a missing speaker by ``PENALTY_NO_SPEAKER``; a colon quote
without a cue scores ``SCORE_COLON_NO_CUE``.

**Split statements** ("“…,” she said, “…”": the second passage follows the first one's attribution,
which ends with a comma or colon, even with an object or adjunct after the cue, at most
``_quote_direct.MAX_SPLIT_WORDS`` words: "“…,” she told reporters after the ceremony, “…”") are two
quotes with one ``group_id`` (g1, g2, … in text order) and the same speaker and cue.

A reported clause never holds the dateline that opens its sentence ("MILAN, Oct. 3, 2025 — ").

**No overlaps**: candidates are taken by score (then position); one whose content overlaps a kept
content, whose speaker or cue overlaps its own content, or whose cue a kept quote of another
statement already uses, is dropped. A group that loses a part loses its ``group_id``.

**Modules.** This module is the entry point; the work is done in ``_quote_marks`` (the quoted
passages), ``_quote_candidates`` (the numbers above and the candidate quote), ``_quote_doc`` (the
document as the patterns see it, and the speaker of a cue), ``_quote_direct`` (the passage
patterns), ``_quote_clauses`` (reported clauses), ``_quote_indirect`` (the clause patterns) and
``_quote_resolve`` (no overlaps, groups, the suggestions).
"""

from __future__ import annotations

from typing import Mapping, Sequence

from ..model import RegistryEntry
from ._model import Suggestion
from ._quote_candidates import (MAX_ATTRIBUTION_WORDS, MIN_WORDS, MIN_WORDS_COLON, MIN_WORDS_SAID, PENALTY_DESCRIPTION,
                                PENALTY_NO_SPEAKER, SCORE_COLON_NO_CUE, SCORES, SOURCE_DIRECT, SOURCE_INDIRECT)
from ._quote_direct import direct_quotes
from ._quote_doc import QuoteDoc
from ._quote_indirect import indirect_quotes
from ._quote_resolve import resolve, to_suggestions

__all__ = [
    "MAX_ATTRIBUTION_WORDS", "MIN_WORDS", "MIN_WORDS_COLON", "MIN_WORDS_SAID", "PENALTY_DESCRIPTION", "PENALTY_NO_SPEAKER",
    "SCORES", "SCORE_COLON_NO_CUE", "SOURCE_DIRECT", "SOURCE_INDIRECT", "suggest_quotes",
]


def suggest_quotes(text: str, *, registry: Mapping[str, RegistryEntry], mentions: Sequence[Suggestion]) -> list[Suggestion]:
    """The quotes of ``text`` (rules in this module's docstring), in text order, never overlapping.
    ``mentions`` are the entity suggestions already made for the text (their PERSON, ORG and GPE
    mentions are the names a speaker can be); ``registry`` gives the aliases and ids of the rest."""
    items = [s.item for s in mentions if s.layer == "entities"]
    doc = QuoteDoc(text, items, registry)
    candidates = direct_quotes(doc) + indirect_quotes(doc)
    return to_suggestions(text, resolve(candidates))
