"""Rows of the released configs, from model objects: each per-document config as columns (one
list per column for a chunk's documents: ``layer_columns``, and ``_views`` for the tokens and
sentences), and as row dicts for one document (``document_rows``, the same columns transposed).

Class labels are written as their integer index into the label tuple (the ``ClassLabel``
encoding); ids become global: ``<document id>:<local id>``.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ..labels import CLAIM_LABELS, ENTITY_LABELS, QUOTE_TYPES
from ..model import Document, RegistryEntry, Span
from ._views import VIEWS, ViewColumns

_ENTITY = {name: i for i, name in enumerate(ENTITY_LABELS)}
_QUOTE = {name: i for i, name in enumerate(QUOTE_TYPES)}
_CLAIM = {name: i for i, name in enumerate(CLAIM_LABELS)}


def global_id(document_id: str, local_id: Optional[str]) -> Optional[str]:
    return None if local_id is None else f"{document_id}:{local_id}"


def _span(span: Optional[Span]) -> Optional[dict[str, Any]]:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


#: The per-document configs made here (the views are ``_views``'s).
LAYER_CONFIGS = ("documents", "entities", "quotes", "claims")


def layer_columns(docs: Sequence[Document], config: str) -> dict[str, list[Any]]:
    """The columns (name -> values, one per row) of ``config``'s rows of ``docs``, in document
    order (the ``documents`` rows without their nested lists: ``_tables.documents_table`` makes
    them of the other three). One list per column for all the documents: no dict per row."""
    if config == "documents":
        metas = [d.meta for d in docs]
        return {"id": [m.id for m in metas], "text": [d.text for d in docs], "title": [m.title for m in metas],
                "published": [m.published for m in metas], "source": [m.source for m in metas],
                "url": [m.url for m in metas], "language": [m.language for m in metas],
                "story_id": [m.story_id for m in metas], "sha256": [m.sha256 for m in metas]}
    items = [(d.meta.id, x) for d in docs for x in getattr(d.annotations, config)]
    columns: dict[str, list[Any]] = {"id": [f"{d}:{x.id}" for d, x in items], "document_id": [d for d, _ in items]}
    if config == "entities":
        columns.update(start=[m.start for _, m in items], end=[m.end for _, m in items], text=[m.text for _, m in items],
                       label=[_ENTITY[m.label] for _, m in items], entity_id=[m.entity_id for _, m in items])
    elif config == "quotes":
        columns.update(type=[_QUOTE[q.type] for _, q in items], content=[_span(q.content) for _, q in items],
                       speaker=[_span(q.speaker) for _, q in items], cue=[_span(q.cue) for _, q in items],
                       speaker_entity_id=[q.speaker_entity_id for _, q in items],
                       group_id=[global_id(d, q.group_id) for d, q in items], cluster_id=[q.cluster_id for _, q in items])
    elif config == "claims":
        columns.update(start=[c.start for _, c in items], end=[c.end for _, c in items], text=[c.text for _, c in items],
                       label=[_CLAIM[c.label] for _, c in items], claimant=[c.claimant for _, c in items],
                       cluster_id=[c.cluster_id for _, c in items])
    else:
        raise ValueError(f"not a per-document layer config: {config}")
    return columns


def _rows_of(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def document_rows(doc: Document, configs: Optional[Sequence[str]] = None, *,
                  nested: bool = True) -> dict[str, list[dict[str, Any]]]:
    """The rows this document contributes to each per-document config (or to ``configs`` only),
    as dicts (the build makes its tables from the columns: ``layer_columns``, ``_views``). Without
    ``nested``, the ``documents`` row leaves out its lists of mentions, quotes and claims."""
    wanted = set(LAYER_CONFIGS) | set(VIEWS) if configs is None else set(configs)
    nest = nested and "documents" in wanted
    rows = {config: _rows_of(layer_columns([doc], config)) for config in LAYER_CONFIGS if nest or config in wanted}
    if nest:
        rows["documents"][0].update({layer: [{k: v for k, v in row.items() if k != "document_id"} for row in rows[layer]]
                                     for layer in LAYER_CONFIGS[1:]})
    out = {config: layer_rows for config, layer_rows in rows.items() if config in wanted}
    if wanted & set(VIEWS):
        views = ViewColumns(tokens="tokens" in wanted, sentences="sentences" in wanted)
        views.add(doc)
        out.update(views.rows())
    return out


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
