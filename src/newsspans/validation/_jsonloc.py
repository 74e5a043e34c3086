"""Find the line of a value inside a JSON text, given its path (keys and indices).

Parsing with ``json.loads`` is fast but forgets positions; problems are rare, so the position of
a problem's item is recovered afterwards, only for the files that have a problem. The first
problem of a file builds its ``Locator``; every later one reuses it, so locating any number of
problems of a file costs one pass over it, not one pass per problem (a registry with 20,000 unused
entries would otherwise be rescanned 20,000 times). The locator scans a container once, the first
time a path goes through it, recording where each of its children starts and skipping the child
values with the C decoder; lines come from one sorted list of the newlines, by bisection.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import OrderedDict
from typing import Optional, Sequence, Union

_DECODER = json.JSONDecoder()
_WS = " \t\n\r"
_NEWLINE = re.compile("\n")

PathItem = Union[str, int]
#: A container's children: key -> offset of its value (an object; the last of a repeated key, the
#: one ``json.loads`` keeps) or the offsets of its items (an array).
Children = Union[dict[str, int], list[int]]


def _skip_ws(s: str, i: int) -> int:
    n = len(s)
    while i < n and s[i] in _WS:
        i += 1
    return i


class Locator:
    """Where the values of one JSON text ``s`` are. ``s`` must be JSON that parses (a text that does
    not is located as far as it goes: the nearest enclosing value)."""

    def __init__(self, s: str):
        self.s = s
        self._children: dict[int, Children] = {}
        #: (offset of the repeated key's value, key, offset of its earlier value) per object offset
        self._repeats: dict[int, list[tuple[int, str, int]]] = {}
        self._newlines: Optional[list[int]] = None

    # -- one container ------------------------------------------------------------------------
    def _skip_value(self, i: int) -> int:
        """The offset just past the value at ``i`` (``len(s)`` when it does not decode)."""
        try:
            return _DECODER.raw_decode(self.s, i)[1]
        except (ValueError, RecursionError):
            return len(self.s)

    def children(self, i: int) -> Optional[Children]:
        """The children of the object or array at offset ``i`` (None for a scalar), scanned once."""
        found = self._children.get(i)
        if found is not None:
            return found
        s, n = self.s, len(self.s)
        if i >= n or s[i] not in "{[":
            return None
        if s[i] == "{":
            table: dict[str, int] = {}
            repeats: list[tuple[int, str, int]] = []
            j = _skip_ws(s, i + 1)
            while j < n and s[j] == '"':
                try:
                    key, j = json.decoder.scanstring(s, j + 1)
                except ValueError:
                    break
                j = _skip_ws(s, j)  # at ':'
                j = _skip_ws(s, j + 1)
                if key in table:
                    repeats.append((j, key, table[key]))
                table[key] = j  # the last occurrence wins, as in json.loads
                j = _skip_ws(s, self._skip_value(j))
                if j < n and s[j] == ",":
                    j = _skip_ws(s, j + 1)
            self._children[i] = table
            if repeats:
                self._repeats[i] = repeats
            return table
        items: list[int] = []
        j = _skip_ws(s, i + 1)
        while j < n and s[j] != "]":
            items.append(j)
            j = _skip_ws(s, self._skip_value(j))
            if j < n and s[j] == ",":
                j = _skip_ws(s, j + 1)
            elif j < n and s[j] != "]":
                break
        self._children[i] = items
        return items

    # -- paths and lines ----------------------------------------------------------------------
    def offset(self, path: Sequence[PathItem]) -> int:
        """Character offset of the value at ``path``; the deepest value on the way when the path
        does not fully exist (so the caller still gets the nearest enclosing location)."""
        i = _skip_ws(self.s, 0)
        for step in path:
            children = self.children(i)
            if isinstance(children, dict) and isinstance(step, str):
                if step not in children:
                    return i
                i = children[step]
            elif isinstance(children, list) and isinstance(step, int) and not isinstance(step, bool):
                if not 0 <= step < len(children):
                    return i
                i = children[step]
            else:
                break
        return i

    def line_at(self, offset: int) -> int:
        """1-based line of the character at ``offset``."""
        if self._newlines is None:
            self._newlines = [m.start() for m in _NEWLINE.finditer(self.s)]
        return bisect.bisect_left(self._newlines, offset) + 1

    def line(self, path: Sequence[PathItem]) -> int:
        return self.line_at(self.offset(path))

    def repeated_keys(self) -> list[tuple[list[PathItem], int, int]]:
        """``(path, offset, earlier offset)`` of every key that occurs again in its object (the
        later occurrence; a key given three times is listed twice), in file order. One pass over
        the whole text: call it only for a text known to repeat a key."""
        found: list[tuple[list[PathItem], int, int]] = []
        stack: list[tuple[int, list[PathItem]]] = [(_skip_ws(self.s, 0), [])]
        while stack:
            i, path = stack.pop()
            children = self.children(i)
            if children is None:
                continue
            for at, key, earlier in self._repeats.get(i, ()):
                found.append(([*path, key], at, earlier))
            steps = children.items() if isinstance(children, dict) else enumerate(children)
            stack.extend((at, [*path, step]) for step, at in steps)
        found.sort(key=lambda x: x[1])
        return found


_CACHE: "OrderedDict[int, Locator]" = OrderedDict()
_CACHE_SIZE = 8


def locator(s: str) -> Locator:
    """The locator of the text ``s``, shared by every problem of that text (the few most recent
    texts are kept, by identity: a file's problems are located one after the other)."""
    key = id(s)
    found = _CACHE.get(key)
    if found is not None and found.s is s:
        _CACHE.move_to_end(key)
        return found
    found = _CACHE[key] = Locator(s)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return found


def offset_of(s: str, path: Sequence[PathItem]) -> int:
    """Character offset of the value at ``path`` in the JSON text ``s`` (see ``Locator.offset``)."""
    return locator(s).offset(path)


def line_of(s: str, path: Sequence[PathItem]) -> int:
    """1-based line of the value at ``path`` in the JSON text ``s``."""
    return locator(s).line(path)


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_path(path: Sequence[PathItem]) -> str:
    """``['entities', 3, 'start']`` -> ``entities[3].start`` (a lone surrogate in a key shown as
    U+FFFD: the path is printed)."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return _SURROGATE.sub("\ufffd", out)
