"""Read a review page back: the text of ``#text`` and every highlighted fragment with its offsets.

Used on the HTML that ``newsspans render`` writes and on the DOM that Chromium dumps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Fragment:
    attrs: dict
    start: int
    end: int = -1

    @property
    def classes(self) -> set:
        return set(self.attrs.get("class", "").split())


@dataclass
class Page:
    text: str
    fragments: list = field(default_factory=list)
    ids: dict = field(default_factory=dict)  # element id -> attrs, anywhere on the page

    def spans(self):
        """(layer, data-id, data-part) -> list of fragments, in document order."""
        out = defaultdict(list)
        for f in self.fragments:
            out[(f.attrs["data-layer"], f.attrs["data-id"], f.attrs.get("data-part"))].append(f)
        return out


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth_in_text = 0  # element depth inside div#text (0: outside)
        self.stack = []
        self.text = []
        self.length = 0
        self.fragments = []
        self.ids = {}
        self.seen_text = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.ids[a["id"]] = a
        if tag in VOID:
            return
        if self.depth_in_text:
            self.depth_in_text += 1
            frag = Fragment(a, self.length) if "data-layer" in a else None
            if frag:
                self.fragments.append(frag)
            self.stack.append(frag)
        elif a.get("id") == "text" and not self.seen_text:
            self.seen_text = True
            self.depth_in_text = 1
            self.stack.append(None)

    def handle_endtag(self, tag):
        if tag in VOID or not self.depth_in_text:
            return
        frag = self.stack.pop()
        if frag is not None:
            frag.end = self.length
        self.depth_in_text -= 1

    def handle_data(self, data):
        if self.depth_in_text:
            self.text.append(data)
            self.length += len(data)


def read_page(html: str) -> Page:
    r = _Reader()
    r.feed(html)
    r.close()
    assert r.seen_text, "the page has no #text"
    assert not r.stack, "unclosed elements in #text"
    return Page("".join(r.text), r.fragments, r.ids)


def gold_spans(doc):
    """(layer, id, part) -> (start, end, label) of every span of a model Document."""
    ann = doc.annotations
    spans = {}
    for m in ann.entities:
        spans[("entity", m.id, None)] = (m.start, m.end, m.label)
    for q in ann.quotes:
        for part, s in q.spans().items():
            spans[("quote", q.id, part)] = (s.start, s.end, q.type)
    for c in ann.claims:
        spans[("claim", c.id, None)] = (c.start, c.end, c.label)
    return spans


def check_page_against(page: Page, doc):
    """Every gold span is drawn exactly once per layer, covers exactly its offsets, with its label.

    Returns the number of spans checked."""
    assert page.text == doc.text
    drawn = page.spans()
    gold = gold_spans(doc)
    assert set(drawn) == set(gold)
    for key, (start, end, label) in gold.items():
        frags = drawn[key]
        # contiguous fragments covering exactly [start, end)
        assert frags[0].start == start and frags[-1].end == end, key
        for a, b in zip(frags, frags[1:]):
            assert a.end == b.start, key
        assert "".join(page.text[f.start : f.end] for f in frags) == doc.text[start:end]
        assert sum("f" in f.classes for f in frags) == 1 and "f" in frags[0].classes, key
        assert sum("l" in f.classes for f in frags) == 1 and "l" in frags[-1].classes, key
        assert {f.attrs["data-label"] for f in frags} == {label}, key
    return len(gold)


class _ProblemReader(HTMLParser):
    """The text of each ``<li>``'s ``<code>`` in the page's ``section.problems``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_section = self.in_code = False
        self.lines = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "problems" in (a.get("class") or "").split():
            self.in_section = True
        elif tag == "code" and self.in_section:
            self.in_code = True
            self.lines.append("")

    def handle_endtag(self, tag):
        if tag == "section":
            self.in_section = False
        elif tag == "code":
            self.in_code = False

    def handle_data(self, data):
        if self.in_code:
            self.lines[-1] += data


def problem_lines(html: str) -> list:
    """Every problem a page lists above its content, as the text a reader sees (``str(problem)``)."""
    r = _ProblemReader()
    r.feed(html)
    r.close()
    return r.lines


class _TextOf(HTMLParser):
    def __init__(self, tag):
        super().__init__(convert_charrefs=True)
        self.tag, self.depth, self.found = tag, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            if not self.depth:
                self.found.append("")
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == self.tag and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1] += data


def text_of(html: str, tag: str) -> list:
    """The text content of every outermost ``tag`` element of the page, entities decoded."""
    r = _TextOf(tag)
    r.feed(html)
    r.close()
    return r.found
