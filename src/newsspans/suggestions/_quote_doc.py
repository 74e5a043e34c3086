"""One document as the quote patterns see it (``QuoteDoc``): its sentences, quoted passages
(``_quote_marks``), cues outside passages and names (``_cues``), and the speaker finder
(``_speakers``), with the lookups the patterns share: the sentence or passage at an offset, where a
clause starts, where a phrase ends, word counts, and the speaker of a cue.

A participle cue hanging on a clause (", urging for …", "while describing …", or any participle with
no subject before it) takes that clause's speaker: the source of the sentence's nearest earlier
non-participle cue, else the sentence's first person or organisation.
"""

from __future__ import annotations

import bisect
import re
from typing import Mapping, Optional, Sequence

from ..model import RegistryEntry
from ..tokenize import split_sentences, tokenize
from ._cues import Cue, CueIndex, find_cues
from ._quote_marks import quote_passages
from ._speakers import Speaker, SpeakerFinder, collect_names

#: A word: letters and digits, with inner apostrophes and hyphens.
WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_PHRASE_END = re.compile(r"[,;:.!?\"\u201c\u201d()]")


class QuoteDoc:
    """One document as the patterns see it: sentences, passages, cues, the speaker finder."""

    def __init__(self, text: str, mentions: Sequence[Mapping], registry: Mapping[str, RegistryEntry]):
        self.text = text
        spans = [(m["start"], m["end"]) for m in mentions]
        self.sentences = split_sentences(text, tokenize(text), protected=spans)
        self._sentence_starts = [s[0] for s in self.sentences]
        self.passages = quote_passages(text)
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
        return len(WORD.findall(self.text, start, end))

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
