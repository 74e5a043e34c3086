"""The ``tokens`` and ``sentences`` configs (the views) of a chunk of documents, kept as columns.

A document of 2,000 characters has about 400 tokens in 20 sentences. Making a row dict per
sentence, then a Python list per row for its tokens, offsets and tags, then a column of those
lists, cost more than the whole core build. Here each document's tokens stay in the one flat list
the tokenizer made (``tokenize.Segmentation``), its tags are found for the whole document at once
(``tokenize.document_tags``: a binary search per mention), and a chunk's columns are plain lists
that Arrow converts once: the list columns from one flat array and the sentences' token counts.
The tables are equal to those of the rows (``rows``; ``tests/test_views.py`` compares them), so
the Parquet files are the same bytes.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from typing import Any, Sequence

from ..labels import IOB2_TAGS, SENTENCE_CLAIM_LABELS
from ..model import Document
from ..tokenize import document_tags, segmentation
from ._tables import arrow, columns_table, list_array, offsets

#: The configs made here.
VIEWS = ("tokens", "sentences")
_TAG = {name: i for i, name in enumerate(IOB2_TAGS)}
#: The claim labels' ``sentences`` classes, which grow with the label's rank (a sentence takes its highest).
_RANK = {name: i for i, name in enumerate(SENTENCE_CLAIM_LABELS)}


class ViewColumns:
    """The columns of the views of the documents added, sentence by sentence in document order.
    ``tokens`` and ``sentences`` say which views are wanted (the tags are found only for the first)."""

    def __init__(self, *, tokens: bool = True, sentences: bool = True):
        self.want_tokens, self.want_sentences = tokens, sentences
        self.ids: list[str] = []
        self.document_ids: list[str] = []
        # tokens: each sentence's count, and every token and tag of every sentence in one flat list
        self.counts: list[int] = []
        self.tokens: list[Any] = []
        self.tags: list[str] = []
        # sentences
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.texts: list[str] = []
        self.claim_labels: list[int] = []
        self.quoted: list[bool] = []

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, doc: Document) -> None:
        """Add the sentences of ``doc``; raises ``tokenize.AlignmentError`` when a mention cannot be
        tagged (a valid document's can)."""
        doc_id, text, ann = doc.id, doc.text, doc.annotations
        segmented = segmentation(doc)
        bounds = segmented.bounds
        self.ids += [f"{doc_id}:s{i}" for i in range(1, len(bounds) + 1)]
        self.document_ids += [doc_id] * len(bounds)
        if self.want_tokens:
            self.counts += map(int.__sub__, segmented.firsts[1:], segmented.firsts[:-1])
            self.tokens += segmented.tokens
            self.tags += document_tags(segmented, ann.entities, document_id=doc_id)
        if self.want_sentences:
            starts = [start for start, _ in bounds]
            ends = [end for _, end in bounds]
            labels = [0] * len(bounds)
            for c in ann.claims:
                rank = _RANK[c.label]
                for k in _touched(starts, ends, c.start, c.end):
                    labels[k] = max(labels[k], rank)
            quoted = [False] * len(bounds)
            for q in ann.quotes:
                for k in _touched(starts, ends, q.content.start, q.content.end):
                    quoted[k] = True
            self.starts += starts
            self.ends += ends
            self.texts += [text[start:end] for start, end in bounds]
            self.claim_labels += labels
            self.quoted += quoted

    def token_count(self) -> int:
        return len(self.tokens)

    def claim_label_counts(self) -> Counter:
        """Sentences per claim label (by name)."""
        return Counter({SENTENCE_CLAIM_LABELS[k]: n for k, n in Counter(self.claim_labels).items()})

    def tables(self, schemas: dict[str, Any]) -> dict[str, Any]:
        """The Arrow table of each view wanted, with the schemas' types."""
        pa = arrow()

        out = {}
        if self.want_tokens:
            schema = schemas["tokens"]
            cuts = offsets(self.counts)
            # The tokens (tuples) as one struct array, whose fields are the three columns' items:
            # Arrow reads the tuples in C, fifteen times faster than zip(*tokens) of a chunk's.
            token_type = pa.struct([("start", schema.field("token_starts").type.value_type),
                                    ("end", schema.field("token_ends").type.value_type),
                                    ("text", schema.field("tokens").type.value_type)])
            items = pa.array(self.tokens, type=token_type)
            columns = {"id": self.ids, "document_id": self.document_ids,
                       "tokens": items.field("text"), "token_starts": items.field("start"),
                       "token_ends": items.field("end"),
                       "ner_tags": list(map(_TAG.__getitem__, self.tags))}
            out["tokens"] = pa.Table.from_arrays(
                [list_array(cuts, columns[f.name], f.type) if pa.types.is_list(f.type) else pa.array(columns[f.name], type=f.type)
                 for f in schema], schema=schema)
        if self.want_sentences:
            schema = schemas["sentences"]
            columns = {"id": self.ids, "document_id": self.document_ids, "start": self.starts, "end": self.ends,
                       "text": self.texts, "claim_label": self.claim_labels, "has_quote": self.quoted}
            out["sentences"] = columns_table(columns, schema)
        return out

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        """The rows of each view wanted, as dicts (for a reader of one document; the build makes
        the tables straight from the columns)."""
        out = {}
        if self.want_tokens:
            cuts = [0, *itertools.accumulate(self.counts)]
            tags = list(map(_TAG.__getitem__, self.tags))
            out["tokens"] = [
                {"id": sid, "document_id": doc_id, "tokens": [t[2] for t in self.tokens[a:b]],
                 "token_starts": [t[0] for t in self.tokens[a:b]], "token_ends": [t[1] for t in self.tokens[a:b]],
                 "ner_tags": tags[a:b]}
                for sid, doc_id, a, b in zip(self.ids, self.document_ids, cuts, cuts[1:])]
        if self.want_sentences:
            out["sentences"] = [
                {"id": sid, "document_id": doc_id, "start": start, "end": end, "text": text, "claim_label": label,
                 "has_quote": quoted}
                for sid, doc_id, start, end, text, label, quoted in zip(
                    self.ids, self.document_ids, self.starts, self.ends, self.texts, self.claim_labels, self.quoted)]
        return out


def _touched(starts: Sequence[int], ends: Sequence[int], start: int, end: int) -> range:
    """The indices of the sentences (``starts`` and ``ends``, in text order, not overlapping) that
    the span ``start``-``end`` overlaps: a binary search each way."""
    return range(bisect.bisect_right(ends, start), bisect.bisect_left(starts, end))

