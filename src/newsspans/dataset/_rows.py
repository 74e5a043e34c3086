"""Rows of the released configs, from model objects.

Class labels are written as their integer index into the label tuple (the ``ClassLabel``
encoding); ids become global: ``<document id>:<local id>``.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ..labels import CLAIM_LABELS, ENTITY_LABELS, QUOTE_TYPES
from ..model import Claim, Document, EntityMention, Quote, RegistryEntry, Span
from ._views import VIEWS, ViewColumns

_ENTITY = {name: i for i, name in enumerate(ENTITY_LABELS)}
_QUOTE = {name: i for i, name in enumerate(QUOTE_TYPES)}
_CLAIM = {name: i for i, name in enumerate(CLAIM_LABELS)}


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
    wanted = set(out) | set(VIEWS) if configs is None else set(configs)
    if wanted & set(VIEWS):
        views = ViewColumns(tokens="tokens" in wanted, sentences="sentences" in wanted)
        views.add(doc)
        out.update(views.rows())
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
