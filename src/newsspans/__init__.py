"""NewsSpans: build, check and load a corpus of labeled spans (entities, quotes, claims) in news.

Library entry points (the ``newsspans`` command is a thin layer over them):

- ``build(corpus=..., out=...)`` writes the release folder; ``check(corpus=..., out=...)`` lists
  the stale files of a committed release.
- ``iter_problems(corpus_dir)`` yields every problem of a corpus as ``Problem`` values;
  ``validate(corpus_dir)`` returns them all, or raises ``CorpusInvalid`` when any is an error.
- ``add_document(text_file, corpus=..., story_id=...)`` brings a text into a corpus byte for byte.

Names are imported on first use, so that checking a corpus does not pay for importing
``datasets`` (which only the build needs).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "BuildError": "build",
    "build": "build",
    "check": "build",
    "Corpus": "corpus",
    "iter_problems": "corpus",
    "validate": "corpus",
    "add_document": "ingest",
    "parse_dateline": "ingest",
    "CorpusInvalid": "problems",
    "Problem": "problems",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newsspans' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
