"""Characters a received text holds that almost always came from a tool, not from its author: a
byte-order mark at its start (U+FEFF, which Windows editors write; it becomes the text's first
character and every offset counts it) and NUL (U+0000, which ends a string in C and so truncates
the text in many tools). ``add`` refuses a text with one unless told to keep it, and the validator
warns of one (W-TEXT-BOM, W-TEXT-NUL): both find them here.
"""

from __future__ import annotations

from dataclasses import dataclass

BOM = "\ufeff"
NUL = "\x00"
#: The kinds of control character, by name: what ``add``'s flags and the validator's codes name.
KINDS = ("bom", "nul")


@dataclass(frozen=True)
class TextControl:
    """One kind of control character in a text: the first one, located, and how many there are."""

    kind: str  # "bom" | "nul"
    offset: int  # code point offset of the first one (what span offsets count)
    byte: int  # byte offset of the first one in the UTF-8 file
    line: int  # its line (1-based)
    count: int

    def describe(self) -> str:
        """One phrase: what and where (``a NUL character at offset 12 (byte 14, line 2), 3 in all``)."""
        if self.kind == "bom":
            return "a byte-order mark (U+FEFF) at its start (offset 0, bytes 0-2)"
        more = f", {self.count} in all" if self.count > 1 else ""
        return f"a NUL character (U+0000) at offset {self.offset} (byte {self.byte}, line {self.line}){more}"


def text_controls(text: str) -> list[TextControl]:
    """The byte-order mark at the start of ``text`` and the NUL characters in it, in that order
    (none for nearly every text). A U+FEFF after the start is a zero-width no-break space, not a
    byte-order mark, and is not reported."""
    found = []
    if text.startswith(BOM):
        found.append(TextControl("bom", 0, 0, 1, 1))
    first = text.find(NUL)
    if first >= 0:
        before = text[:first]
        found.append(TextControl("nul", first, len(before.encode("utf-8", "surrogatepass")), before.count("\n") + 1,
                                 text.count(NUL)))
    return found
