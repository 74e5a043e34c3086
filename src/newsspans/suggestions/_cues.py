"""The reporting-verb lexicon of the quote suggester, and the cues it finds in a text.

A cue is the minimal trigger of a quote (guidelines 4.4): a reporting verb in any inflection
("said", "says", "stressing"), a verb with its obligatory preposition ("called for", "pointed
out") or "according to". The lexicon is written from the guidelines' list, widened with the
usual reporting verbs of news English; it was not tuned on the seed documents.

- Verbs whose base and -s forms are also common nouns ("report", "claim", "note", "comment",
  "promise") are taken only in their -ed and -ing forms, so "the report" and "the claims" are never
  cues.
- ``COLON_VERBS`` are speech acts that are cues only when they introduce a quote with a colon
  ("attacked the West: “…”", guidelines 4.4); ``AS_VERBS`` report what a source called something
  ("described the talks as “…”", guidelines 4.2); ``ACCUSE`` opens the "accused X of “…”" frame.
- Words are matched in lower case (so "Tell" in a name is no cue; "According to" is the one
  capitalised form) and whole: no letter or digit may touch a cue, except that
  "according to" may be glued to the word before it ("relationsaccording to", guidelines 1), and a
  quotation mark may touch any cue ("good”says").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Optional

#: Irregular verbs: base -> (-s form, past, -ing form).
_IRREGULAR = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "writing"),
}
#: Past forms that double their last consonant.
_DOUBLED = {"admit": "admitt", "regret": "regrett", "commit": "committ"}


def inflections(base: str) -> tuple[str, str, str, str]:
    """(base, -s form, past, -ing form) of an English verb, for the verbs of this lexicon."""
    if base in _IRREGULAR:
        return (base, *_IRREGULAR[base])
    stem = _DOUBLED.get(base, base)
    if base.endswith("e"):
        return base, base + "s", base + "d", base[:-1] + "ing"
    if base.endswith("y") and base[-2] not in "aeiou":
        return base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"
    plural = base + "es" if base.endswith(("s", "sh", "ch", "x", "z")) else base + "s"
    return base, plural, stem + "ed", stem + "ing"


#: Reporting verbs (base forms) taken in every inflection.
REPORTING_VERBS: tuple[str, ...] = (
    "say", "add", "tell", "continue", "emphasize", "emphasise", "affirm", "reaffirm", "proclaim", "warn",
    "insist", "explain", "argue", "announce", "declare", "urge", "assert", "maintain", "confirm", "deny",
    "admit", "acknowledge", "respond", "observe", "recall", "reiterate", "underline", "underscore",
    "suggest", "predict", "write", "ask", "conclude", "concede", "contend", "allege", "inform", "reveal",
    "disclose", "complain", "boast", "threaten", "notify", "testify",
)
#: Reporting verbs that are also common nouns ("the state", "under stress", "the claims"): only
#: their past and -ing forms are cues.
NOUN_LIKE_VERBS: tuple[str, ...] = (
    "state", "stress", "report", "comment", "note", "reply", "answer", "promise", "pledge", "vow", "tweet",
    "remark", "claim", "demand", "caution",
)
#: Multi-word cues: a verb and its obligatory particle (guidelines 4.4), every inflection of the verb.
PHRASAL_CUES: tuple[tuple[str, str], ...] = (("call", "for"), ("urge", "for"), ("point", "out"))
#: Speech acts that are cues only before a colon that opens a quote.
COLON_VERBS: tuple[str, ...] = (
    "attack", "criticize", "criticise", "condemn", "slam", "blast", "praise", "thank", "accuse", "post",
    "hit out", "lash out", "reply", "answer", "comment",
)
#: Verbs of the "describe X as “…”" frame (guidelines 4.2).
AS_VERBS: tuple[str, ...] = ("describe", "name", "label", "brand", "characterize", "characterise", "term", "dub")
#: Verbs of the "called X “…”" frame: the "as" frame without "as".
CALL_VERBS: tuple[str, ...] = ("call",)
#: The verb of the "accuse X of “…”" frame (guidelines 4.2).
ACCUSE = "accuse"
ACCORDING_TO = "according to"

#: Kinds of cue: a reporting verb (``verb``), a phrasal cue whose object is a noun phrase
#: (``phrasal``: "called for"), "according to" (``according``), a colon-only speech act (``colon``),
#: a verb of the "as" frame (``as``), the accusation frame (``accuse``).
KINDS = ("verb", "phrasal", "according", "colon", "as", "accuse")


@dataclass(frozen=True)
class Cue:
    """A cue found in the text: its offsets, its lemma ("say", "call for"), its kind and whether it
    is an -ing form (a participle: ", urging for …")."""

    start: int
    end: int
    text: str
    lemma: str
    kind: str
    participle: bool


def _forms() -> dict[str, tuple[str, str, bool]]:
    """Every cue form (lower case) -> (lemma, kind, participle). A form of several kinds keeps the
    first: reporting verbs, then phrasal cues, then the frames."""
    table: dict[str, tuple[str, str, bool]] = {}

    def put(form: str, lemma: str, kind: str, participle: bool) -> None:
        table.setdefault(form, (lemma, kind, participle))

    for base in REPORTING_VERBS:
        for k, form in enumerate(inflections(base)):
            put(form, base, "verb", k == 3)
    for base in NOUN_LIKE_VERBS:
        forms = inflections(base)
        put(forms[2], base, "verb", False)
        put(forms[3], base, "verb", True)
    for base, particle in PHRASAL_CUES:
        kind = "verb" if particle == "out" else "phrasal"
        for k, form in enumerate(inflections(base)):
            put(f"{form} {particle}", f"{base} {particle}", kind, k == 3)
    for phrase in COLON_VERBS:  # past and -ing forms only: "attack", "praise", "answer" are nouns too
        verb, _, particle = phrase.partition(" ")
        forms = inflections(verb)
        put(f"{forms[2]} {particle}".strip(), phrase, "colon", False)
        put(f"{forms[3]} {particle}".strip(), phrase, "colon", True)
    for base in AS_VERBS + CALL_VERBS:  # past and -ing forms only: "names", "labels", "terms" are nouns too
        forms = inflections(base)
        put(forms[2], base, "as", False)
        put(forms[3], base, "as", True)
    for k, form in enumerate(inflections(ACCUSE)):
        table[form] = (ACCUSE, "accuse", k == 3)  # the frame outranks the colon speech act
    put(ACCORDING_TO, ACCORDING_TO, "according", False)
    return table


FORMS = _forms()
_ALTERNATION = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(FORMS, key=lambda f: (-len(f), f)))
_CUE = re.compile(rf"(?:(?<![^\W_])|(?=according\s))(?:{_ALTERNATION})(?![^\W_])|(?<![^\W_])According\s+to(?![^\W_])")


def find_cues(text: str) -> list[Cue]:
    """Every cue of ``text``, in text order (cues never overlap: the longest form wins)."""
    out = []
    for match in _CUE.finditer(text):
        form = re.sub(r"\s+", " ", match.group().lower())
        lemma, kind, participle = FORMS[form]
        out.append(Cue(match.start(), match.end(), match.group(), lemma, kind, participle))
    return out


class CueIndex:
    """The cues of a document, looked up by region."""

    def __init__(self, cues: Iterable[Cue]):
        self.cues = sorted(cues, key=lambda c: c.start)
        self._starts = [c.start for c in self.cues]

    def within(self, start: int, end: int, kinds: Optional[Iterable[str]] = None) -> list[Cue]:
        """The cues lying inside ``[start, end)``, of the given kinds (default: all), in text order."""
        wanted = None if kinds is None else set(kinds)
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.cues) and self.cues[i].start < end:
            cue = self.cues[i]
            if cue.end <= end and (wanted is None or cue.kind in wanted):
                out.append(cue)
            i += 1
        return out
