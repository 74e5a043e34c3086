"""The corpus files that can refer to registry entries, read for a registry command.

Gold (``annotations/``), every annotator's layers (``layers/<annotator>/``), the suggestions
(``suggestions/``), each a JSON file, and the decisions files (``decisions/``), one JSON value per
line. A file is read whole and strictly: one that would have to be changed but cannot be read
exactly (not UTF-8, not JSON, a key twice, a lone surrogate) refuses the command, never rewritten
from a lenient reading that would lose what it could not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from ..corpus import (ANNOTATIONS, decision_documents, decisions_file, document_ids, layer_documents, layer_file, read_file,
                      suggestion_documents, suggestions_file)
from ..errors import NewsSpansError
from ..paths import display_path
from ._references import Reference, annotation_references, decision_references

#: What kind of file a corpus file referring to registry ids is.
GOLD, LAYER, SUGGESTIONS, DECISIONS = "gold", "layer", "suggestions", "decisions"


@dataclass(frozen=True)
class CorpusFile:
    """One file that may refer to registry ids: its path relative to the corpus, its kind, its
    document and (a layer) its annotator."""

    rel: str
    kind: str
    document_id: str
    annotator: Optional[str] = None


def referring_files(corpus: Path) -> Iterator[CorpusFile]:
    """Every file of the corpus that may hold a registry id, kind by kind, each in document order."""
    for doc_id in document_ids(corpus):
        if (corpus / ANNOTATIONS / f"{doc_id}.json").exists():
            yield CorpusFile(f"{ANNOTATIONS}/{doc_id}.json", GOLD, doc_id)
    for annotator, docs in layer_documents(corpus).items():
        for doc_id in docs:
            yield CorpusFile(layer_file(annotator, doc_id), LAYER, doc_id, annotator)
    for doc_id in suggestion_documents(corpus):
        yield CorpusFile(suggestions_file(doc_id), SUGGESTIONS, doc_id)
    for doc_id in decision_documents(corpus):
        yield CorpusFile(decisions_file(doc_id), DECISIONS, doc_id)


@dataclass
class Unit:
    """One JSON value of a file (the whole file, or one line of a decisions file) and its references."""

    line: int  # the value's first line in the file
    value: Any
    references: list[Reference]
    changed: bool = False  # set by a command that changed a reference in it


@dataclass
class ReadFile:
    """A corpus file read exactly: its text and its units."""

    file: CorpusFile
    path: Path
    text: str
    units: list[Unit]


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"key {twice!r} appears twice in an object")
    return value


def read_exactly(corpus: Path, file: CorpusFile, *, holding: Iterable[str] = ()) -> Optional[ReadFile]:
    """``file`` read and parsed strictly; ``NewsSpansError`` (one line, the file named) when it
    cannot be read exactly. With ``holding`` (ids), None when the file's bytes hold none of them
    (nor a ``\\u`` escape, which could spell one), so that a file that cannot refer to them is
    never parsed."""
    path = corpus / file.rel
    shown = display_path(path)
    try:
        data = read_file(path)
    except OSError as exc:
        raise NewsSpansError(f"{shown}: cannot be read ({exc.strerror or exc}); nothing was changed") from None
    if data is None:
        raise NewsSpansError(f"{shown}: not a regular file; nothing was changed")
    needles = [i.encode("utf-8") for i in holding]
    if needles and b"\\u" not in data and not any(n in data for n in needles):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NewsSpansError(f"{shown}: byte {exc.start} is not UTF-8; fix it first (newsspans validate)") from None
    return ReadFile(file, path, text, _units(text, file.kind, shown))


def _units(text: str, kind: str, shown: str) -> list[Unit]:
    lines = text.split("\n") if kind == DECISIONS else [text]  # JSON Lines end at \n only (a string may hold U+2028)
    units = []
    for k, raw in enumerate(lines):
        if kind == DECISIONS and not raw.strip():
            continue
        try:
            value = json.loads(raw, object_pairs_hook=_no_duplicate_keys)
        except (ValueError, RecursionError) as exc:
            at = f":{k + 1}" if kind == DECISIONS else ""
            raise NewsSpansError(f"{shown}{at}: cannot be read exactly as JSON ({exc}); fix it first (newsspans validate)") from None
        found = decision_references(value) if kind == DECISIONS else annotation_references(value)
        units.append(Unit(k + 1, value, list(found)))
    return units
