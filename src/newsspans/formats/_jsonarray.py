"""The items of a JSON array file, read one at a time: memory holds one item and a read buffer,
never the whole file nor every item parsed (a Label Studio export of 100,000 tasks is one array).

``array_items(path)`` yields each item's value, its own JSON text (where a problem's line is
found later) and the file line it starts on. The file is read in chunks through an incremental
UTF-8 decoder; each item is parsed by the C decoder (``json.JSONDecoder.raw_decode``) from the
buffer, which grows geometrically when an item does not fit yet, so an item of any size costs
time linear in its size. Anything that is not a well-formed array (not UTF-8, not JSON, not an
array, a trailing comma, data after the array) raises ``NotAnArray``, possibly after some items
were yielded: the caller then reads the file whole to say exactly why, as ``json.loads`` does.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator, Optional

_DECODER = json.JSONDecoder()
_WS = " \t\n\r"
#: What may follow a prefix of a number in a longer number.
_NUMBER_GOES_ON = "0123456789.eE+-"
#: Bytes read at a time (the buffer grows beyond it for an item that does not fit).
CHUNK_BYTES = 1 << 20


class NotAnArray(Exception):
    """The file is not a well-formed JSON array of items (or not UTF-8)."""


@dataclass(frozen=True)
class ArrayItem:
    """One item of the array: its value, its JSON text, and the 1-based file line it starts on."""

    value: Any
    text: str
    line: int


def array_items(path: Path, *, chunk_bytes: Optional[int] = None) -> Iterator[ArrayItem]:
    """Each item of the JSON array in the file at ``path``, in order (see the module docstring),
    reading ``chunk_bytes`` at a time (default ``CHUNK_BYTES``). Raises ``OSError`` when it cannot
    be read, ``NotAnArray`` when it is not such an array."""
    with open(path, "rb") as fh:
        yield from _Reader(fh, chunk_bytes or CHUNK_BYTES).items()


class _Reader:
    """A text buffer over the file: ``buf[pos:]`` is not consumed yet; ``line`` is the line of ``pos``."""

    def __init__(self, fh: IO[bytes], chunk_bytes: int):
        self.fh, self.chunk = fh, max(1, chunk_bytes)
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.buf, self.pos, self.line, self.eof = "", 0, 1, False

    def items(self) -> Iterator[ArrayItem]:
        if self._next_char() != "[":
            raise NotAnArray("the file does not start with '['")
        self._advance(self.pos + 1)
        if self._next_char() == "]":
            return self._end()
        while True:
            yield self._item()
            after = self._next_char()
            if after == "]":
                return self._end()
            if after != ",":
                raise NotAnArray("expected ',' or ']' after an item")
            self._advance(self.pos + 1)
            if self._next_char() in ("]", ""):
                raise NotAnArray("a trailing comma, or the file ends")

    def _item(self) -> ArrayItem:
        """The value at ``pos``, once the buffer holds it and a character after it that no number
        goes on with (a number cut by the buffer's end decodes: ``12`` of ``123``, ``2.5`` of ``2.5e3``)."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except (ValueError, RecursionError):
                end = None
            if end is not None and ((end < len(self.buf) and self.buf[end] not in _NUMBER_GOES_ON) or self.eof):
                item = ArrayItem(value, self.buf[self.pos:end], self.line)
                self._advance(end)
                if 2 * end > len(self.buf):  # mostly this item: not held twice (amortized: copies less than it read)
                    self.buf, self.pos = self.buf[end:], 0
                return item
            if self.eof:
                raise NotAnArray("an item is not JSON")
            self._read(at_least=2 * (len(self.buf) - self.pos))

    def _end(self) -> None:
        """After the closing ``]``: nothing but whitespace may follow."""
        self._advance(self.pos + 1)
        if self._next_char() != "":
            raise NotAnArray("data after the array")

    def _next_char(self) -> str:
        """Skip whitespace; the character at ``pos`` ('' at the end of the file)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self._advance(self.pos + 1)
            if self.pos < len(self.buf) or self.eof:
                return self.buf[self.pos] if self.pos < len(self.buf) else ""
            self._read(at_least=self.chunk)

    def _advance(self, to: int) -> None:
        self.line += self.buf.count("\n", self.pos, to)
        self.pos = to

    def _read(self, *, at_least: int) -> None:
        """Drop what was consumed and append at least ``at_least`` more bytes' worth (or the rest)."""
        self.buf, self.pos = self.buf[self.pos:], 0
        size = max(self.chunk, at_least)
        try:
            data = self.fh.read(size)
            self.eof = len(data) < size
            self.buf += self.decoder.decode(data, final=self.eof)
        except UnicodeDecodeError as exc:
            raise NotAnArray(f"not UTF-8: {exc}") from None
