"""From quote candidates to suggestions: no overlaps, one statement per cue, groups.

``resolve`` keeps candidates by score (then position): one whose content overlaps a kept content,
whose speaker or cue overlaps its own content, or whose cue a kept quote of another statement
already uses, is dropped; a group that loses a part loses its link. ``to_suggestions`` writes the
kept candidates as quote suggestions in the annotation format, split statements numbered g1, g2, …
in text order, the source by pattern (``SOURCE_DIRECT`` for the passage patterns, else
``SOURCE_INDIRECT``).
"""

from __future__ import annotations

import bisect

from ._model import Suggestion
from ._quote_candidates import SOURCE_DIRECT, SOURCE_INDIRECT, Candidate


def resolve(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates kept, in text order: by score, never overlapping in content, one statement
    per cue; a group that lost a part is dissolved."""
    kept: list[Candidate] = []
    spans: list[tuple[int, int]] = []
    cues: dict[tuple[int, int], Candidate] = {}
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


def _statement(q: Candidate) -> Candidate:
    return q.partner if q.partner is not None else q


def _well_formed(q: Candidate) -> bool:
    """Content not empty; speaker and cue outside the content (``E-QUOTE-OVERLAP``)."""
    s, e = q.content
    if e <= s:
        return False
    for part in (q.speaker, q.cue):
        if part is not None and part.start < e and s < part.end:
            return False
    return True


def to_suggestions(text: str, quotes: list[Candidate]) -> list[Suggestion]:
    """The kept candidates as quote suggestions, in their order, with group ids."""
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
