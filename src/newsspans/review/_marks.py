"""Overlapping character spans -> nested HTML: the boundary-splitting renderer of ``render``.

Every span becomes one or more elements (*fragments*) whose text is exactly the span's text:
the text is cut at every span boundary, and where two spans cross (a claim ending inside a
quote) the inner element is closed and reopened, so the HTML always nests properly. The text
between the tags is the document text itself, HTML-escaped and nothing else: labels are drawn by
CSS from attributes (``::after { content: attr(data-tag) }``), so the text of the container
equals the stored text code point for code point, a span inside a glued token ("presidentMasoud")
included.

Fragment classes: ``f`` on a span's first fragment (which also gets the element ``id`` and
``tabindex``), ``l`` on its last one (which carries the label tag); one-fragment spans get both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Iterable, Mapping, Sequence

from markupsafe import Markup


@dataclass(frozen=True)
class Mark:
    """One span to draw: ``text[start:end]`` inside ``<mark class=... data-...>``.

    ``rank`` orders spans with the same extent (lower = outer); ``anchor`` is the element id
    of the first fragment; ``attrs`` go on every fragment (values are escaped here).
    """

    start: int
    end: int
    classes: str
    attrs: Mapping[str, str]
    anchor: str
    rank: int = 0


#: What ``html.escape`` changes (with and without ``quote``), and a carriage return.
_ATTRIBUTE_SPECIAL = re.compile("[&<>\"']")
_TEXT_SPECIAL = re.compile("[&<>\r]")


def _escape_attribute(value: str) -> str:
    """``html.escape(value)``, with a fast path for the common value that has nothing to escape."""
    return escape(value) if _ATTRIBUTE_SPECIAL.search(value) else value


def _escape_text(text: str) -> str:
    """Text as HTML character data that a browser parses back to exactly ``text``.

    ``&``, ``<`` and ``>`` are escaped; a carriage return becomes ``&#13;`` because an HTML
    parser would otherwise turn CR LF into LF.
    """
    if not _TEXT_SPECIAL.search(text):
        return text
    return escape(text, quote=False).replace("\r", "&#13;")


def _open_tag(mark: Mark, *, first: bool, last: bool) -> str:
    classes = mark.classes + (" f" if first else "") + (" l" if last else "")
    parts = [f'<mark class="{_escape_attribute(classes.strip())}"']
    if first:
        parts.append(f' id="{_escape_attribute(mark.anchor)}" tabindex="0"')
    for key, value in mark.attrs.items():
        parts.append(f' {key}="{_escape_attribute(value)}"')
    return "".join(parts) + ">"


def _valid(mark: Mark, length: int) -> bool:
    return 0 <= mark.start < mark.end <= length


def render_marks(text: str, marks: Iterable[Mark]) -> Markup:
    """``text`` as HTML with every valid mark drawn (invalid extents are left out): safe markup,
    which the page templates insert as it is.

    Runs in O((n + k) log k) for n code points and k marks, plus the reopened fragments.
    """
    ms: Sequence[Mark] = [m for m in marks if _valid(m, len(text))]
    order = sorted(range(len(ms)), key=lambda i: (ms[i].start, -ms[i].end, ms[i].rank, i))
    starts: dict[int, list[int]] = {}
    for i in order:
        starts.setdefault(ms[i].start, []).append(i)
    bounds = sorted({0, len(text)} | {m.start for m in ms} | {m.end for m in ms})

    out: list[str] = []
    stack: list[int] = []
    opened: set[int] = set()

    def push(i: int) -> None:
        # This fragment closes at the mark's end, or earlier when a mark below it ends first.
        frag_end = min([ms[i].end] + [ms[j].end for j in stack])
        out.append(_open_tag(ms[i], first=i not in opened, last=frag_end == ms[i].end))
        opened.add(i)
        stack.append(i)

    for n, pos in enumerate(bounds):
        ending = [k for k, i in enumerate(stack) if ms[i].end == pos]
        reopen: list[int] = []
        if ending:
            lowest = ending[0]
            while len(stack) > lowest:
                i = stack.pop()
                out.append("</mark>")
                if ms[i].end != pos:
                    reopen.append(i)
        to_open = reopen + starts.get(pos, [])
        to_open.sort(key=lambda i: (-ms[i].end, ms[i].rank, ms[i].start, i))
        for i in to_open:
            push(i)
        if n + 1 < len(bounds):
            out.append(_escape_text(text[pos : bounds[n + 1]]))
    assert not stack
    return Markup("".join(out))
