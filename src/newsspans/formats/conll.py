"""CoNLL-2003-style columns: one token per line, IOB2 tags, ``-DOCSTART-`` before each document.

Each line is ``TOKEN -X- -X- TAG`` (CoNLL-2003's four columns; we have no part-of-speech or chunk
tags, so those hold ``-X-`` as on CoNLL-2003's own ``-DOCSTART-`` lines). A blank line ends a
sentence. Tokens and sentences are those of the ``tokens`` config. The format carries entity
mentions only; with ``label_map="conll"`` the tags use the four CoNLL-2003 classes
(``labels.ONTONOTES_TO_CONLL``) and mentions of the types that have none (dates, numbers) become
``O``: that is the published map's limit, and the report counts them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..labels import ONTONOTES_TO_CONLL, OUTSIDE
from ..model import Document
from ..tokenize import bio_tags, segment
from .base import FormatError, Report, SplitFiles

DOCSTART = "-DOCSTART- -X- -X- O"
FILLER = "-X-"
LABEL_MAPS = ("ontonotes", "conll")


def _mapped(tag: str, label_map: str) -> str:
    if tag == OUTSIDE or label_map == "ontonotes":
        return tag
    prefix, label = tag.split("-", 1)
    conll = ONTONOTES_TO_CONLL[label]
    return OUTSIDE if conll is None else f"{prefix}-{conll}"


def document_lines(doc: Document, *, label_map: str = "ontonotes", report: Optional[Report] = None) -> Iterator[str]:
    """The lines of one document, ``-DOCSTART-`` first, each sentence followed by a blank line."""
    yield DOCSTART
    yield ""
    for sentence in segment(doc):
        tags = bio_tags(sentence, doc.annotations.entities, document_id=doc.id)
        for token, tag in zip(sentence.tokens, tags):
            yield f"{token.text} {FILLER} {FILLER} {_mapped(tag, label_map)}"
        yield ""
    if report is not None:
        kept = sum(1 for m in doc.annotations.entities if label_map == "ontonotes" or ONTONOTES_TO_CONLL[m.label])
        report.add("entity mentions", kept)
        report.lose("entity mentions", len(doc.annotations.entities) - kept)


def export(documents: Iterable[tuple[str, Document]], *, out: Path, label_map: str = "ontonotes", **_: object) -> Report:
    """Write ``<split>.conll`` per split into the folder ``out``."""
    if label_map not in LABEL_MAPS:
        raise FormatError(f"unknown label map {label_map!r}; choose one of {', '.join(LABEL_MAPS)}")
    report = Report()
    with SplitFiles(out, ".conll", report) as files:
        for split, doc in documents:
            fh = files[split]
            for line in document_lines(doc, label_map=label_map, report=report):
                fh.write(line + "\n")
    report.notes.append("CoNLL columns carry entity mentions only; quotes and claims travel in brat, labelstudio, spacy and jsonl")
    if report.lost.get("entity mentions"):
        dropped = sorted(k for k, v in ONTONOTES_TO_CONLL.items() if v is None)
        report.notes.append(f"--label-map conll: types without a CoNLL-2003 class ({', '.join(dropped)}) are tagged O")
    return report


def parse(text: str, *, file: str = "<conll>") -> list[list[list[tuple[str, str]]]]:
    """Read CoNLL columns back: documents, of sentences, of ``(token, tag)``. Raises ``FormatError``
    naming the file and line of a line that has no token and tag."""
    documents: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            if sentence:
                if not documents:
                    documents.append([])
                documents[-1].append(sentence)
                sentence = []
            continue
        columns = line.split(" ")
        if columns[0] == "-DOCSTART-":
            documents.append([])
            continue
        if len(columns) < 2 or not columns[0] or not columns[-1]:
            raise FormatError(f"{file}:{number}: expected 'TOKEN ... TAG' separated by single spaces, got {line!r}")
        sentence.append((columns[0], columns[-1]))
    if sentence:
        if not documents:
            documents.append([])
        documents[-1].append(sentence)
    return documents
