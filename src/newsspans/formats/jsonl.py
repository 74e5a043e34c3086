"""JSON Lines: one document per line with its tokens and spans, the shape Prodigy and GLiNER read.

Each line is one JSON object:

- ``text``, ``meta`` (``id``, ``split`` and the document's metadata);
- ``tokens``: Prodigy's ``{text, start, end, id, ws}`` (``ws``: a space follows the token);
- ``spans``: the entity mentions as Prodigy spans ``{start, end, token_start, token_end, label}``
  (``token_end`` inclusive, as in Prodigy) plus our ``id``, ``text`` and ``entity_id``;
- ``tokenized_text`` and ``ner`` (``[first token, last token inclusive, label]``): GLiNER's
  training shape;
- ``quotes`` and ``claims``: as in the corpus annotation file.

Offsets are Python code points, end exclusive. Every layer is carried whole: ``parse`` gives back
each document's annotations exactly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..model import Annotations, Claim, Document, EntityMention, Quote
from ..tokenize import AlignmentError, segment
from .base import FormatError, Report, SplitFiles


def document_record(doc: Document, *, split: str) -> dict[str, Any]:
    tokens = [t for s in segment(doc) for t in s.tokens]
    index_by_start = {t.start: i for i, t in enumerate(tokens)}
    index_by_end = {t.end: i for i, t in enumerate(tokens)}
    ann = doc.annotations
    spans = []
    for m in ann.entities:
        if m.start not in index_by_start or m.end not in index_by_end:
            raise AlignmentError(f"{doc.id}: entity mention {m.id} {m.start}-{m.end} {m.text!r} does not start and end on token boundaries")
        spans.append({
            "start": m.start, "end": m.end, "token_start": index_by_start[m.start], "token_end": index_by_end[m.end],
            "label": m.label, "id": m.id, "text": m.text, "entity_id": m.entity_id,
        })
    return {
        "text": doc.text,
        "meta": {"id": doc.id, "split": split, **{k: v for k, v in doc.meta.to_dict().items() if k != "id"}},
        "tokens": [
            {"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": doc.text[t.end : t.end + 1] == " "}
            for i, t in enumerate(tokens)
        ],
        "spans": spans,
        "tokenized_text": [t.text for t in tokens],
        "ner": [[s["token_start"], s["token_end"], s["label"]] for s in spans],
        "quotes": [q.to_dict() for q in ann.quotes],
        "claims": [c.to_dict() for c in ann.claims],
    }


def export(documents: Iterable[tuple[str, Document]], *, out: Path, **_: object) -> Report:
    """Write ``<split>.jsonl`` per split into the folder ``out``."""
    report = Report()
    with SplitFiles(out, ".jsonl", report) as files:
        for split, doc in documents:
            record = document_record(doc, split=split)
            files[split].write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
            ann = doc.annotations
            report.add_all(ann)
    return report


def parse(text: str, *, file: str = "<jsonl>") -> Iterator[tuple[str, Annotations]]:
    """``(document text, annotations)`` for each line; ``FormatError`` names the file and line of a
    line that is not such a record."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            doc_id = record["meta"]["id"]
            entities = tuple(
                EntityMention(s["id"], s["start"], s["end"], s["text"], s["label"], s["entity_id"]) for s in record["spans"]
            )
            annotations = Annotations(
                doc_id,
                entities,
                tuple(Quote.from_dict(q) for q in record["quotes"]),
                tuple(Claim.from_dict(c) for c in record["claims"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatError(f"{file}:{number}: not a NewsSpans JSONL record ({type(exc).__name__}: {exc})") from None
        yield record["text"], annotations
