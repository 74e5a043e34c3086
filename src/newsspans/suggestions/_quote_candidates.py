"""The quote suggester's fixed numbers and its candidate quote.

The thresholds (``MIN_WORDS`` ... ``MAX_ATTRIBUTION_WORDS``), the per-pattern ``SCORES`` and their
penalties, and the sources, as the rules of ``_quotes`` describe them; ``Candidate`` is one quote a
pattern proposes (type, content, speaker, cue, pattern, the first part of its statement), scored
from its pattern when it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ._cues import Cue
from ._speakers import Speaker

SOURCE_DIRECT = "quotes-direct@2"
SOURCE_INDIRECT = "quotes-indirect@2"
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


@dataclass
class Candidate:
    """A quote some pattern proposes; ``score`` follows from its pattern, cue and speaker."""

    type: str
    content: tuple[int, int]
    speaker: Optional[Speaker]
    cue: Optional[Cue]
    pattern: str
    partner: Optional["Candidate"] = field(default=None, repr=False)  # the first part of its statement
    score: float = 0.0

    def __post_init__(self) -> None:
        base = SCORE_COLON_NO_CUE if self.pattern == "direct-colon" and self.cue is None else SCORES[self.pattern]
        if self.speaker is None:
            base -= PENALTY_NO_SPEAKER
        elif self.speaker.kind == "description":
            base -= PENALTY_DESCRIPTION
        self.score = round(base, 2)
