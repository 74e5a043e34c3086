"""``suggest``: the suggestions of chosen documents of a corpus, written to ``suggestions/`` in one
atomic write; gold, the annotators' layers and everything else are never touched."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence, Union

from .. import progress
from ..atomic import finish_writes, write_files
from ..corpus import (ANNOTATORS, SUGGESTIONS, TEXTS, annotators_with, chosen_documents, corpus_folder, read_annotators_lenient,
                      read_file, read_registry_lenient, suggestions_file)
from ..errors import BadInput, NewsSpansError
from ..paths import display_path
from ..validation import CHUNK_DOCUMENTS, PARALLEL_MIN_DOCUMENTS, chunked, default_workers, map_in_processes
from ._pipeline import Suggester, resolve_sources
from ._spacy import load_model, read_label_map
from ._store import SUGGESTER, SUGGESTER_NOTE, dumps_suggestions, suggestion_value


@dataclass(frozen=True)
class SuggestResult:
    """What a run suggested: the ``documents``, the suggestions ``files`` written (or, with
    ``dry_run``, that would be) and those ``unchanged`` (already as computed, not rewritten), the
    number of items per (layer, source), and notes for the user."""

    documents: list[str]
    files: list[Path]
    unchanged: list[Path]
    counts: dict[tuple[str, str], int]
    dry_run: bool
    notes: list[str] = field(default_factory=list)


def read_text(root: Path, doc_id: str) -> str:
    path = root / TEXTS / f"{doc_id}.txt"
    try:
        data = read_file(path)
        if data is None:
            raise NewsSpansError(f"{display_path(path)}: no such text file")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NewsSpansError(f"{display_path(path)}: cannot be read ({exc}); run `newsspans validate`") from None


def make_suggester(root: Path, sources: Optional[Sequence[str]], model: Optional[str],
                   label_map: Union[None, str, Path]) -> Suggester:
    """The suggester of a run: the sources checked, then the registry read and the pipeline loaded."""
    if label_map is not None and model is None:
        raise BadInput("a label map is for a spaCy pipeline: give --model too")
    resolve_sources(sources, model)  # before a pipeline is loaded, which takes seconds
    loaded = load_model(model, label_map=read_label_map(label_map) if label_map is not None else None) if model else None
    return Suggester(registry=read_registry_lenient(root), sources=sources, model=loaded)


@dataclass(frozen=True)
class Job:
    """What a worker process needs to build the run's suggester (a pipeline is loaded by name)."""

    root: Path
    sources: Optional[tuple[str, ...]]
    model: Optional[str]
    label_map: Union[None, str, Path]
    annotator: Optional[str] = None


@dataclass(frozen=True)
class Suggested:
    """One document's suggestions file (its bytes) and the number of items per (layer, source)."""

    document_id: str
    data: bytes
    counts: Counter


def suggest_documents(root: Path, doc_ids: Sequence[str], suggester: Suggester,
                      annotator: Optional[str] = None) -> list[Suggested]:
    """The suggestions files of ``doc_ids``, attributed to ``annotator`` when given."""
    out = []
    for doc_id in doc_ids:
        text = read_text(root, doc_id)
        found = suggester.suggest(text)
        data = dumps_suggestions(root, suggestion_value(doc_id, text, found, annotator))
        out.append(Suggested(doc_id, data, Counter((s.layer, s.source) for s in found)))
        progress.advance()  # in this process: a worker process has no display
    return out


_WORKER: dict[str, Any] = {}


def _init_worker(job: Job) -> None:
    """Set up a worker process for ``_run_chunk``: its own suggester."""
    _WORKER["job"] = job
    _WORKER["suggester"] = make_suggester(job.root, job.sources, job.model, job.label_map)


def _run_chunk(doc_ids: Sequence[str]) -> list[Suggested]:
    """Worker side: the suggestions files of one chunk of documents."""
    job = _WORKER["job"]
    return suggest_documents(job.root, doc_ids, _WORKER["suggester"], job.annotator)


def _suggested(job: Job, suggester: Suggester, doc_ids: list[str], workers: int) -> Iterator[Suggested]:
    """Every document's suggestions, in order: in ``workers`` processes when there are enough
    documents to pay for them (each builds its own suggester)."""
    if workers <= 1 or len(doc_ids) < PARALLEL_MIN_DOCUMENTS:
        yield from suggest_documents(job.root, doc_ids, suggester, job.annotator)
        return
    for chunk in map_in_processes(_run_chunk, chunked(doc_ids, CHUNK_DOCUMENTS), workers=workers,
                                  initializer=_init_worker, initargs=(job,)):
        progress.advance(len(chunk))
        yield from chunk


@dataclass(frozen=True)
class Attribution:
    """Who a run's suggestions are attributed to (``annotator``, None for nobody) and the files to
    write for it (annotators.json when the annotator is not listed yet)."""

    annotator: Optional[str]
    files: dict[str, bytes]


def attribution(root: Path) -> Attribution:
    """Nobody in a corpus without annotators.json, else the model annotator ``SUGGESTER``, added to
    annotators.json when it is not listed. ``BadInput`` when it is listed as a human;
    ``NewsSpansError`` when annotators.json cannot be read whole."""
    if not os.path.lexists(root / ANNOTATORS):
        return Attribution(None, {})
    known = read_annotators_lenient(root)
    if SUGGESTER not in known:
        data = annotators_with(corpus=root, annotator_id=SUGGESTER, kind="model", note=SUGGESTER_NOTE)
        return Attribution(SUGGESTER, {ANNOTATORS: data})
    if known[SUGGESTER].kind != "model":
        raise BadInput(f"{display_path(root / ANNOTATORS)}: {SUGGESTER}, the annotator suggestions are attributed to, "
                       f"is listed as {known[SUGGESTER].kind!r}, not a model; correct its kind")
    return Attribution(SUGGESTER, {})


def suggest(*, corpus: Union[str, Path], documents: Optional[Sequence[str]] = None, sources: Optional[Sequence[str]] = None,
            model: Optional[str] = None, dry_run: bool = False, label_map: Union[None, str, Path] = None,
            workers: Optional[int] = None) -> SuggestResult:
    """Write ``suggestions/<id>.json`` for ``documents`` (default: all) of ``corpus`` from ``sources``
    (default: gazetteer, numeric, quotes, and spacy with ``model``, a pipeline name or folder;
    ``label_map`` a JSON file overriding its label map), all files in one atomic write, or none; a
    file already as computed is not rewritten. In a corpus with annotators.json the files are
    attributed to the model annotator ``SUGGESTER``, added there in the same write when it is not
    listed (``attribution``). ``dry_run``: compute and count, write nothing.
    ``workers`` processes compute (default: one per core, from ``PARALLEL_MIN_DOCUMENTS`` documents;
    the files do not depend on it). Raises ``BadInput`` for a folder that is not a corpus, an unknown
    document or source, a missing pipeline; ``NewsSpansError`` for a text that cannot be read."""
    root = corpus_folder(corpus)
    doc_ids = chosen_documents(root, documents)
    suggester = make_suggester(root, sources, model, label_map)
    notes = []
    if not dry_run and finish_writes(root):
        notes.append(f"{display_path(root)}: an interrupted earlier write was completed first")
    counts: Counter = Counter()
    unchanged = []
    attributed = attribution(root)
    files = dict(attributed.files)
    if files:
        notes.append(f"the suggestions are attributed to the model annotator {SUGGESTER}, "
                     f"{'which would be added' if dry_run else 'added'} to {ANNOTATORS}")
    job = Job(root, None if sources is None else tuple(sources), model, label_map, attributed.annotator)
    progress.stage(len(doc_ids))
    for done in _suggested(job, suggester, doc_ids, default_workers() if workers is None else workers):
        counts.update(done.counts)
        rel = suggestions_file(done.document_id)
        try:
            same = read_file(root / rel) == done.data
        except OSError:
            same = False
        if same:
            unchanged.append(root / rel)
        else:
            files[rel] = done.data
    if files and not dry_run:
        (root / SUGGESTIONS).mkdir(exist_ok=True)
        write_files(root, files)
    written = [root / rel for rel in files if rel != ANNOTATORS]
    return SuggestResult(doc_ids, written, unchanged, dict(sorted(counts.items())), dry_run, notes)
