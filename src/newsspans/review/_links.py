"""Names and links of the review pages: a file name per id, an element id per annotation."""

from __future__ import annotations

import hashlib
import re
from typing import Optional
from urllib.parse import quote as url_quote

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,150}")
_SHORT = {"entities": "e", "quotes": "q", "claims": "c"}


def page_name(ident: str) -> str:
    """A file name for an id: the id itself when it is a safe name, else a digest."""
    if _SAFE.fullmatch(ident) and ident not in (".", ".."):
        return ident + ".html"
    # surrogatepass: an id taken from a file name that is not UTF-8 holds lone surrogates
    return "id-" + hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:16] + ".html"


#: What ``urllib.parse.quote`` leaves as it is.
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~/-]*")


def _quoted(part: str) -> str:
    """``urllib.parse.quote(part)``, with a fast path for a part it would leave as it is."""
    return part if _URL_SAFE.fullmatch(part) else url_quote(part)


def href(folder: str, ident: str, anchor: str = "") -> str:
    """The link to the page of ``ident`` in ``folder`` (``documents``, ``entities``), from the site's root."""
    return f"{folder}/{_quoted(page_name(ident))}" + (f"#{_quoted(anchor)}" if anchor else "")


def anchor_of(layer: str, index: int, part: Optional[str] = None) -> str:
    """The element id of an annotation's first fragment: by position, unique even with duplicate ids."""
    return f"{_SHORT[layer]}{index}" + (f"-{part}" if part else "")


def problem_anchor(k: int) -> str:
    """The element id of the ``k``-th problem drawn at its own offsets."""
    return f"p{k}"


def column_anchor(k: int, anchor: str) -> str:
    """The element id of an annotation's first fragment in column ``k`` of a comparison page."""
    return f"L{k}-{anchor}"
