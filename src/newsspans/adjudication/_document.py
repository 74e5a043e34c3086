"""Adjudicating one document: its units, its decisions file brought up to date, and, once every
decision is made and valid, its gold, checked by the validator before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import AbstractSet, Optional, Sequence

from ..corpus import ANNOTATIONS, decisions_file, dumps_canonical
from ..model import LAYERS, Document, DocumentMeta, RegistryEntry
from ..validation import check_annotation_file
from ..versions import diff_layer
from ._gold import agreed_candidate, build_gold, decided_candidates
from ._inputs import Inputs, read_inputs
from ._lines import dumps_decisions, read_decisions
from ._located import located
from ._merge import Merged, merge
from ._result import DocumentResult, GoldResult
from ._units import Unit, find_units
from ._validity import check_edit


@dataclass
class Outcome:
    """What one document gives: its result, the files to write (relative path -> bytes) and the
    errors that refuse the run (then ``result`` is None)."""

    result: Optional[DocumentResult] = None
    files: dict[str, bytes] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class _Gold:
    result: Optional[GoldResult] = None
    data: bytes = b""
    errors: list[str] = field(default_factory=list)


def _gold(inputs: Inputs, units: Sequence[Unit], merged: Merged, shown: str,
          registry: dict[str, RegistryEntry]) -> _Gold:
    candidates = [agreed_candidate(u, inputs.layer_line) for u in units if u.agreed]
    candidates += [c for d in merged.decisions for c in decided_candidates(d, shown)]
    current = inputs.gold
    assert current is not None
    gold = build_gold(candidates, current=current, used=inputs.used)
    data = dumps_canonical(gold.annotations.to_dict()).encode("utf-8")
    problems = located(check_annotation_file(data, path=inputs.gold_path, text=inputs.text, document_id=inputs.doc_id,
                                             registry=registry), gold)
    if problems.errors:
        return _Gold(errors=problems.errors)
    meta = DocumentMeta(inputs.doc_id, None, None, f"{inputs.doc_id}.txt", "", "", "")
    old, new = Document(meta, inputs.text, current), Document(meta, inputs.text, gold.annotations)
    changes = [c for layer in LAYERS for c in diff_layer(inputs.doc_id, layer, old, new)]
    old_ids = {(layer, x.id) for layer in LAYERS for x in getattr(current, layer)}
    new_ids = {(layer, x.id) for layer in LAYERS for x in getattr(gold.annotations, layer)}
    result = GoldResult(inputs.gold_path, data != inputs.gold_data, len(new_ids & old_ids), len(new_ids - old_ids),
                        len(old_ids - new_ids), changes, problems.warnings)
    return _Gold(result, data)


def adjudicate_document(corpus: Path, doc_id: str, annotators: Sequence[str], *, registry: dict[str, RegistryEntry],
                        listed: AbstractSet[str]) -> Outcome:
    """Adjudicate ``doc_id`` between ``annotators`` (two or more with a layer of it); ``listed``: the
    annotator ids of annotators.json."""
    inputs = read_inputs(corpus, doc_id, annotators, registry)
    if inputs.errors:
        return Outcome(errors=inputs.errors)
    units = sorted((u for layer in LAYERS for u in find_units(layer, inputs.layers)), key=Unit.order)
    found = read_decisions(corpus, doc_id, annotator_ids=listed)
    if found.errors:
        return Outcome(errors=found.errors)
    merged = merge(found, [u for u in units if not u.agreed])
    errors = merged.errors + [e for d in merged.decisions
                              for e in check_edit(d, shown=found.shown, text=inputs.text, doc_id=doc_id, registry=registry)]
    if errors:
        return Outcome(errors=errors)
    out = Outcome()
    data = dumps_decisions(merged.decisions)
    if data != (found.data or b""):
        out.files[decisions_file(doc_id)] = data
    open_lines = [k for k, d in enumerate(merged.decisions, start=1) if not d.decided]
    gold = None
    if not open_lines:
        built = _gold(inputs, units, merged, found.shown, registry)
        if built.errors:
            return Outcome(errors=built.errors)
        gold = built.result
        if gold is not None and gold.changed:
            out.files[f"{ANNOTATIONS}/{doc_id}.json"] = built.data
    out.result = DocumentResult(
        doc_id, list(annotators), sum(1 for u in units if u.agreed), len(open_lines), len(merged.decisions) - len(open_lines),
        found.path, decisions_file(doc_id) in out.files, open_lines[0] if open_lines else None,
        merged.added, [d.decision for d in merged.dropped], gold)
    return out
