"""Rows of the released configs, from model objects.

Class labels are written as their integer index into the label tuple (the ``ClassLabel``
encoding); ids become global: ``<document id>:<local id>``.
"""

from __future__ import annotations

import bisect

from typing import Any, Optional, Sequence

from ..labels import CLAIM_LABELS, ENTITY_LABELS, IOB2_TAGS, QUOTE_TYPES, SENTENCE_CLAIM_LABELS
from ..model import Claim, Document, EntityMention, Quote, RegistryEntry, Span
from ..tokenize import Sentence, bio_tags, segment

_ENTITY = {name: i for i, name in enumerate(ENTITY_LABELS)}
_QUOTE = {name: i for i, name in enumerate(QUOTE_TYPES)}
_CLAIM = {name: i for i, name in enumerate(CLAIM_LABELS)}
_TAG = {name: i for i, name in enumerate(IOB2_TAGS)}
_SENTENCE_CLAIM = {name: i for i, name in enumerate(SENTENCE_CLAIM_LABELS)}


def global_id(document_id: str, local_id: Optional[str]) -> Optional[str]:
    return None if local_id is None else f"{document_id}:{local_id}"


def _span(span: Optional[Span]) -> Optional[dict[str, Any]]:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def entity_row(doc_id: str, m: EntityMention) -> dict[str, Any]:
    return {
        "id": global_id(doc_id, m.id),
        "document_id": doc_id,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "label": _ENTITY[m.label],
        "entity_id": m.entity_id,
    }


def quote_row(doc_id: str, q: Quote) -> dict[str, Any]:
    return {
        "id": global_id(doc_id, q.id),
        "document_id": doc_id,
        "type": _QUOTE[q.type],
        "content": _span(q.content),
        "speaker": _span(q.speaker),
        "cue": _span(q.cue),
        "speaker_entity_id": q.speaker_entity_id,
        "group_id": global_id(doc_id, q.group_id),
        "cluster_id": q.cluster_id,
    }


def claim_row(doc_id: str, c: Claim) -> dict[str, Any]:
    return {
        "id": global_id(doc_id, c.id),
        "document_id": doc_id,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "label": _CLAIM[c.label],
        "claimant": c.claimant,
        "cluster_id": c.cluster_id,
    }


def sentence_id(document_id: str, sentence: Sentence) -> str:
    return f"{document_id}:s{sentence.index}"


def token_row(doc: Document, sentence: Sentence, entities: Optional[Sequence[EntityMention]] = None) -> dict[str, Any]:
    """The ``tokens`` row of a sentence; ``entities``, when given, are the document's mentions
    that may touch the sentence (all of them by default)."""
    tags = bio_tags(sentence, doc.annotations.entities if entities is None else entities, document_id=doc.id)
    starts, ends, texts = zip(*sentence.tokens) if sentence.tokens else ((), (), ())
    return {
        "id": sentence_id(doc.id, sentence),
        "document_id": doc.id,
        "tokens": list(texts),
        "token_starts": list(starts),
        "token_ends": list(ends),
        "ner_tags": list(map(_TAG.__getitem__, tags)),
    }


def _overlaps(start: int, end: int, sentence: Sentence) -> bool:
    return start < sentence.end and end > sentence.start


def sentence_claim_label(doc: Document, sentence: Sentence, *, claims: Optional[Sequence[Any]] = None) -> str:
    """The highest claim label of the claims that overlap the sentence (NFS when there is none);
    ``claims``, when given, are those that overlap it (``overlapping``)."""
    if claims is None:
        claims = [c for c in doc.annotations.claims if _overlaps(c.start, c.end, sentence)]
    return max((c.label for c in claims), key=SENTENCE_CLAIM_LABELS.index, default=SENTENCE_CLAIM_LABELS[0])


def sentence_row(doc: Document, sentence: Sentence, *, claims: Optional[Sequence[Any]] = None,
                 quoted: Optional[bool] = None) -> dict[str, Any]:
    """The ``sentences`` row of a sentence; ``claims`` (those that overlap it) and ``quoted``
    (whether a quote's content overlaps it), when given, spare a scan of the document's items."""
    if quoted is None:
        quoted = any(_overlaps(q.content.start, q.content.end, sentence) for q in doc.annotations.quotes)
    return {
        "id": sentence_id(doc.id, sentence),
        "document_id": doc.id,
        "start": sentence.start,
        "end": sentence.end,
        "text": doc.text[sentence.start : sentence.end],
        "claim_label": _SENTENCE_CLAIM[sentence_claim_label(doc, sentence, claims=claims)],
        "has_quote": quoted,
    }


def overlapping(spans: Sequence[tuple[int, int]], *, sentences: Sequence[Sentence]) -> list[list[int]]:
    """For each sentence (in text order, not overlapping), the indices (in order) of the ``spans``
    that overlap it: one binary search per span instead of a scan of every span per sentence."""
    starts = [s.start for s in sentences]
    ends = [s.end for s in sentences]
    found: list[list[int]] = [[] for _ in sentences]
    for i, (start, end) in enumerate(spans):
        for k in range(bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)):
            found[k].append(i)
    return found


def _without_document(row: dict[str, Any]) -> dict[str, Any]:
    del row["document_id"]
    return row


def document_rows(doc: Document, configs: Optional[Sequence[str]] = None, *,
                  nested: bool = True) -> dict[str, list[dict[str, Any]]]:
    """The rows this document contributes to each per-document config (or to ``configs`` only).
    Without ``nested``, the ``documents`` row leaves out its lists of mentions, quotes and claims
    (the build assembles them from the flat configs' columns: ``_tables``)."""
    doc_id = doc.id
    ann = doc.annotations
    entities = [entity_row(doc_id, m) for m in ann.entities]
    quotes = [quote_row(doc_id, q) for q in ann.quotes]
    claims = [claim_row(doc_id, c) for c in ann.claims]
    meta = doc.meta
    document = {
        "id": doc_id,
        "text": doc.text,
        "title": meta.title,
        "published": meta.published,
        "source": meta.source,
        "url": meta.url,
        "language": meta.language,
        "story_id": meta.story_id,
        "sha256": meta.sha256,
    }
    if nested:
        document.update(entities=[_without_document(dict(r)) for r in entities],
                        quotes=[_without_document(dict(r)) for r in quotes],
                        claims=[_without_document(dict(r)) for r in claims])
    out = {"documents": [document], "entities": entities, "quotes": quotes, "claims": claims}
    wanted = set(out) | {"tokens", "sentences"} if configs is None else set(configs)
    if wanted & {"tokens", "sentences"}:
        sentences = segment(doc)
        mentions = overlapping([(m.start, m.end) for m in ann.entities], sentences=sentences)
        claimed = overlapping([(c.start, c.end) for c in ann.claims], sentences=sentences)
        quoted = overlapping([(q.content.start, q.content.end) for q in ann.quotes], sentences=sentences)
        out["tokens"] = [token_row(doc, s, [ann.entities[i] for i in mentions[k]]) for k, s in enumerate(sentences)]
        out["sentences"] = [sentence_row(doc, s, claims=[ann.claims[i] for i in claimed[k]], quoted=bool(quoted[k]))
                            for k, s in enumerate(sentences)]
    return {config: rows for config, rows in out.items() if config in wanted}


def registry_row(e: RegistryEntry) -> dict[str, Any]:
    return {
        "entity_id": e.entity_id,
        "name": e.name,
        "type": _ENTITY[e.type],
        "aliases": list(e.aliases),
        "wikidata": e.wikidata,
    }


def agreement_row(row: Any) -> dict[str, Any]:
    """The ``agreement`` row of a corpus-level ``newsspans.agreement.AgreementRow``."""
    return {
        "annotator_a": row.annotator_a,
        "annotator_b": row.annotator_b,
        "layer": row.layer,
        "label": row.label,
        "metric": row.metric,
        "value": row.value,
        "count_a": row.count_a,
        "count_b": row.count_b,
        "agreed": row.agreed,
        "documents": row.documents,
    }
