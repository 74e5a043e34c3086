"""``adjudicate``: every document's layers compared, its decisions file brought up to date and,
where every decision is made, its gold written; all the files of a run in one atomic write."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence, Union

from ..atomic import finish_writes, write_files
from ..corpus import DECISIONS, decision_documents, decisions_file, corpus_folder, read_annotators_lenient, read_registry_lenient
from ..paths import display_path
from ._document import adjudicate_document
from ._inputs import annotator_problems, plan, unlisted_layers
from ._result import AdjudicationRefused, AdjudicationResult


def _unapplied(corpus: Path, adjudicated: set[str]) -> list[str]:
    return [f"{display_path(corpus / decisions_file(d))}: {d} has layers of fewer than two of the annotators; "
            "its decisions are kept and not applied" for d in decision_documents(corpus) if d not in adjudicated]


def adjudicate(*, corpus: Union[str, Path], documents: Optional[Sequence[str]] = None,
               annotators: Optional[Sequence[str]] = None, dry_run: bool = False) -> AdjudicationResult:
    """Adjudicate the documents of ``corpus`` that have layers of two or more ``annotators`` (default:
    every annotator of ``annotators.json`` with a layer folder), or only ``documents``: write each disagreement into the
    document's decisions file, and, once every decision of a document is made, its gold. All the
    files are written in one atomic step, or none: a stale or invalid decision, a layer with errors
    or a gold the validator refuses raises ``AdjudicationRefused`` with every problem located, and
    nothing is written. ``dry_run``: compute and report, write nothing. Raises ``BadInput`` for a
    folder that is not a corpus, or a named document or annotator that cannot be adjudicated.
    An interrupted earlier write in the corpus is finished first (as every corpus write does)."""
    corpus = corpus_folder(corpus)
    notes = [f"{display_path(corpus)}: an interrupted earlier write was completed first"] if finish_writes(corpus) else []
    chosen = plan(corpus, documents, annotators)
    errors = annotator_problems(sorted({a for names in chosen.values() for a in names}))
    if errors:
        raise AdjudicationRefused(errors)
    registry, listed = read_registry_lenient(corpus), set(read_annotators_lenient(corpus))
    results, files = [], {}
    for doc_id, names in chosen.items():
        outcome = adjudicate_document(corpus, doc_id, names, registry=registry, listed=listed)
        errors += outcome.errors
        files.update(outcome.files)
        if outcome.result is not None:
            results.append(outcome.result)
    if errors:
        raise AdjudicationRefused(errors)
    if annotators is None:
        notes += unlisted_layers(corpus)
    if documents is None:
        notes += _unapplied(corpus, set(chosen))
    if files and not dry_run:
        if any(rel.startswith(f"{DECISIONS}/") for rel in files):
            (corpus / DECISIONS).mkdir(exist_ok=True)
        write_files(corpus, files)
    return AdjudicationResult(results, [corpus / rel for rel in files], dry_run, notes)
