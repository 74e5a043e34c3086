"""Find the line of a value inside a JSON text, given its path (keys and indices).

Parsing with ``json.loads`` is fast but forgets positions; problems are rare, so the position of
a problem's item is recovered afterwards, only for the items that have a problem, by walking the
raw text along the path and skipping the values before it with the C decoder.
"""

from __future__ import annotations

import json
from typing import Sequence, Union

_DECODER = json.JSONDecoder()
_WS = " \t\n\r"

PathItem = Union[str, int]


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i] in _WS:
        i += 1
    return i


def offset_of(s: str, path: Sequence[PathItem]) -> int:
    """Character offset of the value at ``path`` in the JSON text ``s``.

    Stops at the deepest value it can reach when the path does not fully exist (so the caller
    still gets the nearest enclosing location). ``s`` must be valid JSON.
    """
    i = _skip_ws(s, 0)
    for step in path:
        if i >= len(s):
            break
        if s[i] == "{" and isinstance(step, str):
            j = _skip_ws(s, i + 1)
            found = None
            while j < len(s) and s[j] == '"':
                key, j = json.decoder.scanstring(s, j + 1)
                j = _skip_ws(s, j)  # at ':'
                j = _skip_ws(s, j + 1)
                if key == step:
                    found = j
                    break
                _, j = _DECODER.raw_decode(s, j)
                j = _skip_ws(s, j)
                if j < len(s) and s[j] == ",":
                    j = _skip_ws(s, j + 1)
            if found is None:
                return i
            i = found
        elif s[i] == "[" and isinstance(step, int):
            j = _skip_ws(s, i + 1)
            k = 0
            while j < len(s) and s[j] != "]" and k < step:
                _, j = _DECODER.raw_decode(s, j)
                j = _skip_ws(s, j)
                if j < len(s) and s[j] == ",":
                    j = _skip_ws(s, j + 1)
                k += 1
            if k != step or j >= len(s) or s[j] == "]":
                return i
            i = j
        else:
            break
    return i


def line_of(s: str, path: Sequence[PathItem]) -> int:
    """1-based line of the value at ``path`` in the JSON text ``s``."""
    return s.count("\n", 0, offset_of(s, path)) + 1


def json_path(path: Sequence[PathItem]) -> str:
    """``['entities', 3, 'start']`` -> ``entities[3].start``."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out
