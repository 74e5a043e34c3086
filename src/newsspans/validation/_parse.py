"""Decoding and parsing corpus files into values or located problems: UTF-8 (a JSON file without a
byte-order mark), JSON with what ``json.loads`` hides reported (a repeated key, a lone surrogate, a
number or nesting Python cannot take), and the problem of a symbolic link. Shared by every reader
of the validator (``_reader`` for whole files, ``_decisions`` for one JSON value per line).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Optional, Union

from ..corpus import may_hold_surrogates, replace_surrogates
from ..paths import display_path
from ._jsonloc import json_path, locator
from ._problems import Problem


def decode(path: Path, data: bytes, *, json_file: bool) -> tuple[Optional[str], list[Problem]]:
    if json_file and data.startswith(b"\xef\xbb\xbf"):
        return None, [Problem("E-FILE-BOM", "the file starts with a UTF-8 byte-order mark", file=display_path(path), line=1)]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [
            Problem("E-FILE-UTF8", f"byte {exc.start} (0x{data[exc.start]:02x}) is not UTF-8: {exc.reason}", file=display_path(path), line=line)
        ]


class _KeyRepeats:
    """``object_pairs_hook`` of the parse: builds each object as ``json.loads`` does (the last of a
    repeated key wins) and notes whether any object repeated a key, which ``json.loads`` hides. The
    few repeated keys are then located by a pass over the text of that file only."""

    seen = False

    @classmethod
    def hook(cls, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        d = dict(pairs)
        if len(d) != len(pairs):
            cls.seen = True
        return d


_DECODER = json.JSONDecoder(object_pairs_hook=_KeyRepeats.hook)


def _long_number(raw: str) -> tuple[Optional[int], Optional[int], int]:
    """(line, column, digits) of the first number longer than Python converts (``int`` refuses more
    than ``sys.get_int_max_str_digits()`` digits, and ``json.loads`` with it)."""
    limit = sys.get_int_max_str_digits()
    m = re.search(r"[0-9]{%d,}" % (limit + 1), raw) if limit else None
    if m is None:
        return None, None, 0
    line = raw.count("\n", 0, m.start()) + 1
    return line, m.start() - (raw.rfind("\n", 0, m.start()) + 1) + 1, len(m.group())


def parse_json(raw: str, shown: str, document_id: Optional[str] = None) -> tuple[Any, list[Problem], bool]:
    """``(value, problems, parsed)`` of the JSON text ``raw`` of the file ``shown``. Beyond JSON
    syntax, it reports what ``json.loads`` hides or cannot take: a key repeated in an object
    (E-FILE-DUPLICATE-KEY: the last one would win in silence), a lone surrogate escape
    (E-FILE-SURROGATE, replaced by U+FFFD in ``value`` so that no later step chokes on it), a
    number too long for Python or a nesting too deep to parse (E-FILE-JSON, ``parsed`` False)."""
    _KeyRepeats.seen = False
    try:
        value = _DECODER.decode(raw)
    except json.JSONDecodeError as exc:
        return None, [Problem("E-FILE-JSON", exc.msg, file=shown, line=exc.lineno, column=exc.colno, document_id=document_id)], False
    except RecursionError:
        return None, [Problem("E-FILE-JSON", "nested too deeply to parse", file=shown, document_id=document_id)], False
    except ValueError:  # an integer of more digits than Python converts
        line, column, digits = _long_number(raw)
        what = f"a number of {digits} digits, more than Python reads ({sys.get_int_max_str_digits()})" if digits \
            else "a value Python cannot read"
        return None, [Problem("E-FILE-JSON", what, file=shown, line=line, column=column, document_id=document_id)], False
    problems: list[Problem] = []
    if _KeyRepeats.seen:
        loc = locator(raw)
        for path, at, earlier in loc.repeated_keys():
            problems.append(Problem(
                "E-FILE-DUPLICATE-KEY", f"the key {path[-1]!r} is repeated in its object (first on line "
                f"{loc.line_at(earlier)}); only this last value would be read", file=shown, line=loc.line_at(at),
                document_id=document_id, item=json_path(path), fix="merge the two values into one key, or remove one"))
    if may_hold_surrogates(raw):
        value, found = replace_surrogates(value)
        for path, escape in sorted(found, key=lambda x: locator(raw).offset(x[0])):
            problems.append(Problem(
                "E-FILE-SURROGATE", f"the lone surrogate escape {escape}: half of a UTF-16 pair, which UTF-8 cannot hold",
                file=shown, line=locator(raw).line(path), document_id=document_id, item=json_path(path) or "$",
                fix="write the character itself, or both halves of its UTF-16 pair"))
    return value, problems, True


def symlink_problem(path: Union[str, Path], document_id: Optional[str] = None) -> Problem:
    """E-FILE-SYMLINK at the link ``path``, naming where it points."""
    try:
        target = f" (to {os.readlink(path)!r})"
    except OSError:
        target = ""
    return Problem("E-FILE-SYMLINK", f"a symbolic link{target}: a corpus file is never read through a link",
                   file=display_path(path), document_id=document_id)
