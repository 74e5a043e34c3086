"""Hypothesis strategies: random valid documents (text, spans of every layer) over a small registry."""

from __future__ import annotations

from hypothesis import strategies as st

from newsspans.labels import CLAIM_LABELS, ENTITY_LABELS, QUOTE_TYPES
from newsspans.model import Annotations, Claim, Document, DocumentMeta, EntityMention, Quote, RegistryEntry, Span

REGISTRY = {
    "iran": RegistryEntry("iran", "Iran", "GPE", ("Iran",), "Q794"),
    "russia": RegistryEntry("russia", "Russia", "GPE", ("Russia",), "Q159"),
    "someone": RegistryEntry("someone", "Someone", "PERSON", ("Someone",), None),
}
#: Letters, spaces, line breaks, quotation marks, an apostrophe, a combining accent and emoji
#: (outside the Basic Multilingual Plane: 2 UTF-16 code units each).
ALPHABET = "abIrnUS. ,\n“”\"'’-é\u0301😀𝄞\t"


@st.composite
def documents(draw, *, line_breaks_in_spans: bool = True, flat_entities: bool = False) -> Document:
    text = draw(st.text(alphabet=ALPHABET, min_size=1, max_size=80))

    def span() -> Span | None:
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + 25)))
        if not line_breaks_in_spans:
            cut = min([i for i in (text.find("\n", start, end), text.find("\r", start, end)) if i != -1], default=end)
            end = cut
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Span(start, end, text[start:end]) if start < end else None

    def numbers(n: int) -> list[int]:
        return draw(st.permutations(range(1, n + 1)))

    ids = [None, *REGISTRY]
    entities = []
    taken: list[tuple[int, int]] = []
    for k in numbers(draw(st.integers(0, 6))):
        s = span()
        if s is None or (flat_entities and any(s.start < e and s.end > b for b, e in taken)):
            continue
        taken.append((s.start, s.end))
        entities.append(EntityMention(f"m{k}", s.start, s.end, s.text, draw(st.sampled_from(ENTITY_LABELS)), draw(st.sampled_from(ids))))
    quotes = []
    for k in numbers(draw(st.integers(0, 3))):
        content = span()
        if content is None:
            continue
        speaker = span() if draw(st.booleans()) else None
        cue = span() if draw(st.booleans()) else None
        quotes.append(Quote(f"q{k}", draw(st.sampled_from(QUOTE_TYPES)), content, speaker, cue, draw(st.sampled_from(ids)),
                            draw(st.sampled_from([None, "g1", "g2"])), draw(st.sampled_from([None, "same-claim"]))))
    claims = []
    for k in numbers(draw(st.integers(0, 3))):
        s = span()
        if s is None:
            continue
        claims.append(Claim(f"c{k}", s.start, s.end, s.text, draw(st.sampled_from(CLAIM_LABELS)),
                            draw(st.sampled_from(["author", *REGISTRY])), draw(st.sampled_from([None, "some-cluster"]))))
    meta = DocumentMeta("doc1", None, None, "doc1.txt", "en", "story", "0" * 64)
    return Document(meta, text, Annotations("doc1", tuple(entities), tuple(quotes), tuple(claims)))
