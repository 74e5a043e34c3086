"""Tokens and sentences: a deterministic, offline tokenizer and sentence splitter.

Both work on the text as stored (offsets are Python code points, end exclusive) and never change
it: a token or a sentence is a pair of offsets into the document text.

The rules are written once, below, in Markdown (``TOKENIZATION_RULES`` and ``SENTENCE_RULES``):
the dataset card prints them, and the README points to them.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from dataclasses import dataclass
from typing import Any, Iterable, NamedTuple, Sequence

from .errors import NewsSpansError
from .labels import OUTSIDE
from .model import Annotations, Document

#: Short forms that end in a period and are kept whole (checked case-sensitively).
ABBREVIATIONS: tuple[str, ...] = (
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sr.", "Jr.", "St.", "Mt.", "Gen.", "Lt.", "Col.", "Maj.",
    "Capt.", "Sgt.", "Adm.", "Cmdr.", "Gov.", "Sen.", "Rep.", "Pres.", "Rev.", "Hon.", "Inc.", "Corp.",
    "Ltd.", "Co.", "Bros.", "No.", "Nos.", "vs.", "etc.", "approx.", "Jan.", "Feb.", "Mar.", "Apr.",
    "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.",
)

#: How text becomes tokens (Markdown; the dataset card prints it).
TOKENIZATION_RULES = (
    "**Tokenization.** Whitespace separates tokens and is never part of one. A word is a run of letters, "
    "digits and combining marks, kept whole across a hyphen (`North-South`, `7,200-kilometer`) and across "
    "`.`, `,` or `:` between digits (`7,200`). Abbreviations keep their periods: letters each followed by a "
    "period (`U.S.`) and " + ", ".join(f"`{a}`" for a in ABBREVIATIONS[:6]) + " and the other short forms "
    "listed in `newsspans.tokenize.ABBREVIATIONS`. Clitics are split as in the Penn Treebank (`Iran` `'s`, "
    "`do` `n't`). Every other character is a token of its own. **The text is also split at every start "
    "and end of every annotated span** (mentions, quote parts, claims), so glued words such as "
    "`presidentMasoud` and `Iranwhile` become `president` `Masoud` and `Iran` `while`, and no gold span is "
    "misaligned: decoding the `ner_tags` of every sentence gives back exactly the mentions of the "
    "`entities` config (a test checks it). The price: the tokens depend on the annotation, so a tagger "
    "trained here sees glued words split only where a span begins or ends; tokenize unseen text with the "
    "same rules and it will not be."
)

#: How tokens become sentences (Markdown; the dataset card prints it).
SENTENCE_RULES = (
    "**Sentence splitting.** A line break always ends a sentence (headlines and datelines stand alone). "
    "Inside a line, a sentence ends after `.`, `!`, `?` or `...` (with any closing quotation marks or "
    "brackets right after it) when whitespace and then an upper-case letter, a digit or an opening mark "
    "follow. No break falls inside an abbreviation (`the U.S., accusing`), inside a quoted passage (a pair "
    "of double quotation marks on one line), or inside an entity mention, so no mention crosses a sentence "
    "boundary. Sentences carry no leading or trailing whitespace. Their ids (`<document id>:s<n>`) are "
    "positions, stable as long as the text, its spans and these rules are."
)

_MARK = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_ALNUM = rf"(?:[^\W_]|[{_MARK}])+"
_WORD = rf"{_ALNUM}(?:(?:[-\u2010]|(?<=\d)[.,:](?=\d)){_ALNUM})*"
_APOS = "['\u2019]"
_ABBREV = "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
_TOKEN = re.compile(
    rf"(?:[^\W\d_]\.){{2,}}(?![^\W_])"           # U.S., e.g.
    rf"|(?:{_ABBREV})(?![^\W_])"                  # Mr., Inc.
    rf"|{_ALNUM}(?=[nN]{_APOS}[tT](?![^\W_]))"    # do|n't: the word before the clitic
    rf"|(?<=[^\W_])[nN]{_APOS}[tT](?![^\W_])"     # n't
    rf"|(?<=[^\W_]){_APOS}(?:[sSdDmM]|re|RE|ve|VE|ll|LL)(?![^\W_])"  # 's 're 've 'll 'd 'm
    rf"|{_WORD}"
    r"|\.{2,}"
    r"|\S"
)

#: Characters that end a sentence, and those that may follow them inside it.
_TERMINAL = {".", "!", "?", "...", "\u2026"}
_CLOSING = {'"', "\u201d", "\u2019", "'", ")", "]", "\u00bb"}
_OPENING = {'"', "\u201c", "\u2018", "'", "(", "[", "\u00ab"}


class AlignmentError(NewsSpansError):
    """A span that the tokens cannot represent (it starts or ends in whitespace, or overlaps another)."""


class Token(NamedTuple):
    """A token: offsets into the document text and the text they cover (a named tuple, because a
    document has hundreds of them and tuples are cheap to make)."""

    start: int
    end: int
    text: str


class Sentence(NamedTuple):
    """A sentence: its offsets in the document and its tokens (offsets into the document too); a
    named tuple, like ``Token``, because a document has dozens and a frozen dataclass is slow to make."""

    index: int  # 1-based position in the document
    start: int
    end: int
    tokens: tuple[Token, ...]


#: Characters that are a token of their own after a word, or before one (a fast path below).
_AFTER_WORD = frozenset(",.;:!?)]}\"'\u201d\u2019\u00bb")
_BEFORE_WORD = frozenset("([{\"'\u201c\u2018\u00ab")
_ABBREVIATION_SET = frozenset(ABBREVIATIONS)


def tokenize(text: str, *, boundaries: Iterable[int] = (), exhaustive: bool = False) -> list[Token]:
    """The tokens of ``text`` by the rules in this module's docstring, also split at every offset in
    ``boundaries`` that falls inside a token. ``exhaustive`` runs the rules' regular expression
    over the whole text instead of only where the fast path cannot tell (the same tokens: a test
    compares them on every text it has)."""
    if exhaustive:
        tokens = [tuple.__new__(Token, (m.start(), m.end(), m.group())) for m in _TOKEN.finditer(text)]
    else:
        tokens = _fast_tokens(text)
    return _split_inside(text, tokens, boundaries)


def _fast_tokens(text: str) -> list[Token]:
    r"""The tokens of ``text`` (none split at boundaries). No token holds whitespace, so the text is
    cut at whitespace first; a run that is a plain word (letters and digits: ``str.isalnum`` is the
    regular expression's ``[^\W_]``), or a plain word with one mark before or after it that is
    always a token of its own, is cut here; any other run goes to the regular expression (its
    lookarounds see whitespace or the text's edge beyond the run either way)."""
    tokens: list[Token] = []
    add, new = tokens.append, tuple.__new__  # a Token made as its tuple, without the call of Token.__new__
    find = text.find
    pos = 0
    for run in text.split():
        start = find(run, pos)
        end = pos = start + len(run)
        if run.isalnum():
            add(new(Token, (start, end, run)))
            continue
        first, last = run[0], run[-1]
        if last in _AFTER_WORD and run[:-1].isalnum() and run not in _ABBREVIATION_SET:
            add(new(Token, (start, end - 1, run[:-1])))
            add(new(Token, (end - 1, end, last)))
        elif first in _BEFORE_WORD and run[1:].isalnum():
            add(new(Token, (start, start + 1, first)))
            add(new(Token, (start + 1, end, run[1:])))
        elif (first in _BEFORE_WORD and last in _AFTER_WORD and len(run) > 2 and run[1:-1].isalnum()
              and run[1:] not in _ABBREVIATION_SET):
            add(new(Token, (start, start + 1, first)))
            add(new(Token, (start + 1, end - 1, run[1:-1])))
            add(new(Token, (end - 1, end, last)))
        else:
            for match in _TOKEN.finditer(text, start, end):
                add(new(Token, (match.start(), match.end(), match.group())))
    return tokens


def _split_inside(text: str, tokens: list[Token], boundaries: Iterable[int]) -> list[Token]:
    """``tokens`` with each one that an offset of ``boundaries`` falls inside split there
    (``split_tokens``). A binary search per boundary finds its token: a document has a few
    boundaries per sentence, and only glued words have one inside a token."""
    inside: dict[int, list[int]] = {}
    for cut in set(boundaries):
        k = bisect.bisect_right(tokens, cut, key=_START) - 1  # the token that starts at or before it
        if k >= 0 and tokens[k][0] < cut < tokens[k][1]:
            inside.setdefault(k, []).append(cut)
    if not inside:
        return tokens
    out: list[Token] = []
    done = 0
    for k in sorted(inside):
        out += tokens[done:k]
        out += split_tokens(text, [tokens[k][:2]], boundaries=inside[k])
        done = k + 1
    out += tokens[done:]
    return out


def split_tokens(text: str, spans: Iterable[tuple[int, int]], *, boundaries: Iterable[int]) -> list[Token]:
    """The tokens of ``text`` at ``spans`` (``(start, end)`` in text order, such as the ``start`` and
    ``end`` of ``tokenize(text)``), each split at every offset of ``boundaries`` inside it: so
    ``split_tokens(text, spans_of(tokenize(text)), boundaries=b) == tokenize(text, boundaries=b)``."""
    cuts = sorted(set(boundaries))
    cuts.append(len(text) + 1)  # a sentinel past every token: no bounds check in the loop
    tokens: list[Token] = []
    add, new = tokens.append, tuple.__new__  # a Token made as its tuple, without the call of Token.__new__
    i, cut = 0, cuts[0]
    for start, end in spans:
        while cut <= start:
            i += 1
            cut = cuts[i]
        while cut < end:
            add(new(Token, (start, cut, text[start:cut])))
            start = cut
            i += 1
            cut = cuts[i]
        add(new(Token, (start, end, text[start:end])))
    return tokens


def span_boundaries(annotations: Annotations) -> set[int]:
    """Every start and end offset of every span of the three layers."""
    out = {offset for m in annotations.entities for offset in (m.start, m.end)}
    out.update(offset for c in annotations.claims for offset in (c.start, c.end))
    for q in annotations.quotes:
        for span in (q.content, q.speaker, q.cue):
            if span is not None:
                out.update((span.start, span.end))
    return out


_QUOTE_OR_LINE = re.compile('[\n"\u201c\u201d]')


def quoted_passages(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each pair of double quotation marks on one line, marks included.

    Curly marks pair as opening and closing; straight marks alternate. A mark with no partner on
    its line protects nothing.
    """
    passages = []
    opened_curly = None
    opened_straight = None
    for match in _QUOTE_OR_LINE.finditer(text):
        ch, k = match.group(), match.start()
        if ch == "\n":
            opened_curly = opened_straight = None
        elif ch == "\u201c":
            if opened_curly is None:
                opened_curly = k
        elif ch == "\u201d":
            if opened_curly is not None:
                passages.append((opened_curly, k + 1))
                opened_curly = None
        elif opened_straight is None:
            opened_straight = k
        else:
            passages.append((opened_straight, k + 1))
            opened_straight = None
    return sorted(passages)


def split_sentences(text: str, tokens: Sequence[Token], *, protected: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets by the rules in this module's docstring; ``protected``
    spans (entity mentions) never contain a break, nor do quoted passages."""
    zones = sorted(list(protected) + quoted_passages(text))
    starts = [z[0] for z in zones]
    reach = list(itertools.accumulate((z[1] for z in zones), max))  # furthest end so far

    def inside_zone(offset: int) -> bool:
        k = bisect.bisect_left(starts, offset) - 1  # the last zone that starts before offset
        return k >= 0 and reach[k] > offset

    sentences = []
    first = 0  # index of the first token of the current sentence
    n = len(tokens)
    for k in _break_candidates(text, tokens):
        here, nxt = tokens[k], tokens[k + 1]
        gap = text[here.end : nxt.start]
        cut = here.end
        if "\n" in gap:
            brk = True
        elif not gap:
            brk = False
        else:
            # The token before the gap must be a closing mark after a terminal one, or terminal.
            t = k
            while t > first and tokens[t].text in _CLOSING and tokens[t - 1].end == tokens[t].start:
                t -= 1
            brk = tokens[t].text in _TERMINAL
            if brk:
                head = nxt.text[0]
                brk = head.isupper() or head.isdigit() or nxt.text in _OPENING
        if brk and inside_zone(cut):
            brk = False
        if brk:
            sentences.append((tokens[first].start, here.end))
            first = k + 1
    if n:
        sentences.append((tokens[first].start, tokens[-1].end))
    return sentences


#: What a token that may end a sentence starts with (``_TERMINAL`` and ``_CLOSING``).
_MAY_END_START = re.compile("[" + re.escape("".join(sorted({t[0] for t in _TERMINAL | _CLOSING}))) + "]")
_MAY_END = frozenset(_TERMINAL | _CLOSING)
_START, _END = operator.itemgetter(0), operator.itemgetter(1)


def _break_candidates(text: str, tokens: Sequence[Token]) -> list[int]:
    """In order, the k (below the last token) after whose token a sentence may end: the token is
    terminal or a closing mark, or a line break follows it. After any other token the rules never
    break (no line break, and no terminal mark at or before the closing marks), so
    ``split_sentences`` looks at these only. They are found from the characters of the text that
    may begin such a token, and a binary search for each, not by a look at every token."""
    last = len(tokens) - 1
    found = set()
    for mark in _MAY_END_START.finditer(text):
        k = bisect.bisect_right(tokens, mark.start(), key=_START) - 1  # the token that starts at or before it
        if 0 <= k < last and tokens[k][0] == mark.start() and tokens[k][2] in _MAY_END:
            found.add(k)
    if "\n" in text:
        for line_break in re.finditer("\n", text):
            k = bisect.bisect_right(tokens, line_break.start(), key=_END) - 1  # the last token before it
            if 0 <= k < last:
                found.add(k)
    return sorted(found)


@dataclass(frozen=True)
class Segmentation:
    """A document's tokens, in one flat list, and its sentences: ``bounds[i]`` is the i-th
    sentence's ``(start, end)`` and its tokens are ``tokens[firsts[i]:firsts[i + 1]]``."""

    tokens: list[Token]
    bounds: list[tuple[int, int]]
    firsts: list[int]  # one more than the sentences: the last is len(tokens)

    def sentences(self) -> list[Sentence]:
        """The sentences, each with its own tuple of tokens."""
        tokens, firsts = self.tokens, self.firsts
        return [Sentence(i, start, end, tuple(tokens[firsts[i - 1]:firsts[i]]))
                for i, (start, end) in enumerate(self.bounds, start=1)]


def segmentation(doc: Document) -> Segmentation:
    """The tokens and sentences of a document, split at every gold span boundary."""
    ann = doc.annotations
    tokens = tokenize(doc.text, boundaries=span_boundaries(ann))
    bounds = split_sentences(doc.text, tokens, protected=[(m.start, m.end) for m in ann.entities])
    firsts = [0]
    k = 0
    for _, end in bounds:
        k = bisect.bisect_right(tokens, end, lo=k, key=_END)  # the tokens up to the sentence's end
        firsts.append(k)
    return Segmentation(tokens, bounds, firsts)


def segment(doc: Document) -> list[Sentence]:
    """The sentences of a document with their tokens, split at every gold span boundary."""
    return segmentation(doc).sentences()


def bio_tags(sentence: Sentence, entities: Sequence, *, document_id: str) -> list[str]:
    """IOB2 tags of the sentence's tokens for the entity mentions that lie inside it
    (``document_tags`` of a document of this one sentence)."""
    tokens = list(sentence.tokens)
    return document_tags(Segmentation(tokens, [(sentence.start, sentence.end)], [0, len(tokens)]), entities,
                         document_id=document_id)


def document_tags(segmented: Segmentation, entities: Sequence, *, document_id: str) -> list[str]:
    """IOB2 tags of every token of ``segmented`` (in one flat list) for the entity mentions that lie
    inside its sentences; a mention outside every sentence tags nothing.

    Raises ``AlignmentError`` (naming the document, mention and offsets) for a mention that crosses
    a sentence boundary, whose start or end is not a token boundary, or that overlaps another:
    IOB2 cannot hold it, and it is never dropped silently.
    """
    tokens, bounds, firsts = segmented.tokens, segmented.bounds, segmented.firsts
    tags = [OUTSIDE] * len(tokens)
    if not entities:
        return tags
    ends = [end for _, end in bounds]
    tagged: list[tuple[int, int, Any]] = []  # (first, last, mention) of the mentions tagged so far
    for m in entities:
        k = bisect.bisect_right(ends, m.start)  # the first sentence that ends after the mention starts
        if k == len(bounds) or bounds[k][0] >= m.end:
            continue  # in no sentence
        start, end = bounds[k]
        if m.start < start or m.end > end:
            raise AlignmentError(f"{_where(document_id, m)} crosses a sentence boundary ({start}-{end})")
        lo, hi = firsts[k], firsts[k + 1]
        first = bisect.bisect_left(tokens, m.start, lo, hi, key=_START)  # the token that starts there, if one does
        last = bisect.bisect_left(tokens, m.end, lo, hi, key=_END)  # the token that ends there, if one does
        if first == hi or tokens[first][0] != m.start or last == hi or tokens[last][1] != m.end:
            raise AlignmentError(f"{_where(document_id, m)} does not start and end on token boundaries "
                                 "(does it start or end with whitespace?)")
        taken = next((i for i in range(first, last + 1) if tags[i] != OUTSIDE), None)
        if taken is not None:
            owner = next(o for a, b, o in tagged if a <= taken <= b)
            raise AlignmentError(f"{_where(document_id, m)} overlaps mention {owner.id}; IOB2 tags cannot hold "
                                 "overlapping mentions")
        tagged.append((first, last, m))
        tags[first] = "B-" + m.label
        if last > first:
            tags[first + 1:last + 1] = ["I-" + m.label] * (last - first)
    return tags


def _where(document_id: str, m) -> str:
    return f"{document_id}: entity mention {m.id} {m.start}-{m.end} {m.text!r}"


def spans_from_bio(tokens: Sequence[Token], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Decode IOB2 tags back to ``(start, end, label)`` character spans (strict: an I- tag that does
    not continue a span of its own label starts a new one, as ``seqeval`` does in strict mode)."""
    spans: list[tuple[int, int, str]] = []
    current = None
    for token, tag in zip(tokens, tags):
        if tag == OUTSIDE:
            current = None
            continue
        prefix, label = tag.split("-", 1)
        if prefix == "I" and current is not None and current[2] == label:
            current[1] = token.end
            spans[-1] = (current[0], current[1], label)
        else:
            current = [token.start, token.end, label]
            spans.append((token.start, token.end, label))
    return spans
