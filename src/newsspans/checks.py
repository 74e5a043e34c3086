"""Checks of parsed corpus records: spans against the text, ids, references.

Each function returns the problems it finds as values (see ``newsspans.problems``). They run
only on records that passed their JSON Schema, so types and label inventories hold here.
"""

from __future__ import annotations

from typing import Iterator, Optional, Sequence, Union

from .jsonloc import line_of
from .labels import AUTHOR_CLAIMANT
from .model import Document, RegistryEntry, Span
from .problems import Problem

PathItem = Union[str, int]


def nearest_occurrence(text: str, needle: str, near: int) -> Optional[int]:
    """Start of the occurrence of ``needle`` in ``text`` closest to ``near``, or None."""
    best = None
    i = text.find(needle)
    while i != -1:
        if best is None or abs(i - near) < abs(best - near):
            best = i
        if i > near:
            break
        i = text.find(needle, i + 1)
    return best


def check_span(text: str, span: Span) -> Optional[tuple[str, str, Optional[str]]]:
    """The first thing wrong with ``span`` in ``text`` as (code, message, fix), or None."""
    if span.start >= span.end:
        return "E-SPAN-ORDER", f"start {span.start} is not before end {span.end}", None
    if span.end > len(text):
        return "E-SPAN-BOUNDS", f"end {span.end} is past the end of the text ({len(text)} code points)", None
    found = text[span.start : span.end]
    if found != span.text:
        fix = None
        at = nearest_occurrence(text, span.text, span.start)
        if at is not None:
            fix = f"did you mean {at}-{at + len(span.text)}?"
        return "E-SPAN-TEXT", f"stored text {span.text!r} != document text {found!r}", fix
    return None


def _spans(doc: Document) -> Iterator[tuple[list[PathItem], str, Span]]:
    """Every span of the document's annotations with its JSON path and its item name."""
    ann = doc.annotations
    for i, m in enumerate(ann.entities):
        yield ["entities", i], f"entities[{i}]", m.span
    for i, q in enumerate(ann.quotes):
        for part, span in q.spans().items():
            yield ["quotes", i, part], f"quotes[{i}].{part}", span
    for i, c in enumerate(ann.claims):
        yield ["claims", i], f"claims[{i}]", c.span


def _references(doc: Document) -> Iterator[tuple[list[PathItem], str, str]]:
    """Every registry reference of the document's annotations: (JSON path, item name, entity id)."""
    ann = doc.annotations
    for i, m in enumerate(ann.entities):
        if m.entity_id is not None:
            yield ["entities", i, "entity_id"], f"entities[{i}].entity_id", m.entity_id
    for i, q in enumerate(ann.quotes):
        if q.speaker_entity_id is not None:
            yield ["quotes", i, "speaker_entity_id"], f"quotes[{i}].speaker_entity_id", q.speaker_entity_id
    for i, c in enumerate(ann.claims):
        if c.claimant != AUTHOR_CLAIMANT:
            yield ["claims", i, "claimant"], f"claims[{i}].claimant", c.claimant


def check_document(
    doc: Document,
    *,
    doc_id: str,
    text_sha256: str,
    registry: Optional[dict[str, RegistryEntry]],
    meta_file: str,
    meta_raw: str,
    ann_file: str,
    ann_raw: str,
) -> list[Problem]:
    """Check one schema-valid document: ids, text hash, every span, every registry reference."""
    problems: list[Problem] = []
    if doc.meta.id != doc_id:
        problems.append(Problem("E-DOC-ID", f"id {doc.meta.id!r} differs from the file name's {doc_id!r}",
                                file=meta_file, line=line_of(meta_raw, ["id"]), document_id=doc_id))
    if doc.annotations.document_id != doc_id:
        problems.append(Problem("E-DOC-ID", f"document_id {doc.annotations.document_id!r} differs from the file name's {doc_id!r}",
                                file=ann_file, line=line_of(ann_raw, ["document_id"]), document_id=doc_id))
    if doc.meta.sha256 != text_sha256:
        problems.append(Problem("E-TEXT-SHA256", f"recorded SHA-256 {doc.meta.sha256} != text file's {text_sha256}",
                                file=meta_file, line=line_of(meta_raw, ["sha256"]), document_id=doc_id))

    for path, item, span in _spans(doc):
        wrong = check_span(doc.text, span)
        if wrong is not None:
            code, message, fix = wrong
            problems.append(Problem(code, message, file=ann_file, line=line_of(ann_raw, path), document_id=doc_id,
                                    item=item, start=span.start, end=span.end, fix=fix))

    seen: dict[str, list[PathItem]] = {}
    ann = doc.annotations
    for layer, items in (("entities", ann.entities), ("quotes", ann.quotes), ("claims", ann.claims)):
        for i, x in enumerate(items):
            if x.id in seen:
                first = line_of(ann_raw, seen[x.id])
                problems.append(Problem("E-ID-DUPLICATE", f"id {x.id!r} is already used at line {first}",
                                        file=ann_file, line=line_of(ann_raw, [layer, i]), document_id=doc_id,
                                        item=f"{layer}[{i}]"))
            else:
                seen[x.id] = [layer, i]
    if registry is not None:
        for path, item, entity_id in _references(doc):
            if entity_id not in registry:
                problems.append(Problem("E-REF-ENTITY", f"{entity_id!r} is not in the registry", file=ann_file,
                                        line=line_of(ann_raw, path), document_id=doc_id, item=item))
    return problems


def check_registry(entries: Sequence[RegistryEntry], raw: str, file: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, e in enumerate(entries):
        if e.entity_id in seen:
            first = line_of(raw, ["entities", seen[e.entity_id]])
            problems.append(Problem("E-ID-DUPLICATE", f"entity_id {e.entity_id!r} is already defined at line {first}",
                                    file=file, line=line_of(raw, ["entities", i]), item=f"entities[{i}]"))
        else:
            seen[e.entity_id] = i
    return problems
