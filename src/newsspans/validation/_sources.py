"""The sources beside gold, listed once per corpus: the annotators' layer files
(``layers/<annotator>/<id>.json``), the decisions files (``decisions/<id>.jsonl``) and, when the
reader asks for them, the suggestions files (``suggestions/<id>.json``).

The parent process lists the folders once (a corpus without them costs one failed ``lstat``
each) and hands each document the annotators that have a layer of it and whether it has a
decisions file and a suggestions file (``SourceIndex.of``); the worker that reads the document's
text reads those files too. What the listing itself shows (a link or a file where a folder
belongs, a folder named like no annotator, a file for a document the corpus does not have) is
reported by ``index_problems``.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import AbstractSet, Callable, Collection, Iterable, Optional

from ..corpus import (DECISIONS, LAYERS_DIR, SUGGESTIONS, check_annotator_id, decision_documents, decisions_file,
                      layer_documents, layer_file, suggestion_documents, suggestions_file)
from ..errors import NewsSpansError
from ..paths import display_path
from ._parse import symlink_problem
from ._problems import Problem


@dataclass(frozen=True)
class DocumentSources:
    """What one document has beside its three files."""

    #: The annotators with a layer file of it, sorted.
    layers: tuple[str, ...] = ()
    #: Whether it has a decisions file.
    decisions: bool = False
    #: Whether it has a suggestions file (always False when the reader does not check them).
    suggestions: bool = False


#: A document with neither (nearly all of them, and every one of a corpus without layers).
NO_SOURCES = DocumentSources()


@dataclass
class SourceIndex:
    """The layer and decisions files of a corpus, by document."""

    by_document: dict[str, DocumentSources] = field(default_factory=dict)
    #: The annotator folders under ``layers/`` (real folders, whatever their name).
    folders: list[str] = field(default_factory=list)
    #: Relative paths of the layer files and decisions files of documents the corpus does not have.
    orphan_layers: list[str] = field(default_factory=list)
    orphan_decisions: list[str] = field(default_factory=list)
    orphan_suggestions: list[str] = field(default_factory=list)
    #: What the listing found in the way: links, files where a folder belongs.
    problems: list[Problem] = field(default_factory=list)
    #: How an orphan file is shown when its corpus's ``shown`` cannot tell (a packed corpus's shard line).
    shown: dict[str, str] = field(default_factory=dict)

    def merge(self, other: "SourceIndex") -> None:
        """Add a chunk's orphans (a packed corpus lists them shard by shard)."""
        self.orphan_layers += other.orphan_layers
        self.orphan_decisions += other.orphan_decisions
        self.orphan_suggestions += other.orphan_suggestions
        self.shown.update(other.shown)

    def of(self, doc_id: str) -> DocumentSources:
        return self.by_document.get(doc_id, NO_SOURCES)

    def chunk(self, doc_ids: Iterable[str]) -> dict[str, DocumentSources]:
        """The part of ``by_document`` a worker needs for ``doc_ids``."""
        return {d: self.by_document[d] for d in doc_ids if d in self.by_document}


def _kind_problem(path: str, what: str) -> Problem:
    return Problem("E-FILE-KIND", what, file=display_path(path))


def _folder(root: str, name: str, problems: list[Problem]) -> bool:
    """Whether ``root/name`` is a real folder; a link or a file there is a problem, nothing there is none."""
    path = os.path.join(root, name)
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return False
    if stat.S_ISLNK(mode):
        problems.append(symlink_problem(path))
        return False
    if not stat.S_ISDIR(mode):
        problems.append(_kind_problem(path, f"a file where the corpus has the folder {name}/"))
        return False
    return True


def _odd_layer_entries(root: str) -> list[Problem]:
    """Links and files directly under ``layers/``, which holds only annotator folders."""
    problems = []
    base = os.path.join(root, LAYERS_DIR)
    with os.scandir(base) as it:
        for entry in sorted(it, key=lambda e: e.name):
            if entry.is_symlink():
                problems.append(symlink_problem(entry.path))
            elif not entry.is_dir(follow_symlinks=False):
                problems.append(_kind_problem(entry.path, f"a file where {LAYERS_DIR}/ holds only annotator folders "
                                                          f"({LAYERS_DIR}/<annotator id>/<document id>.json)"))
    return problems


def list_sources(root: str, doc_ids: Collection[str], suggestions: bool = False) -> SourceIndex:
    """List ``layers/`` and ``decisions/`` (and ``suggestions/`` with ``suggestions``) of the corpus
    at ``root`` whose documents are ``doc_ids``."""
    index = SourceIndex()
    known = doc_ids if isinstance(doc_ids, (set, frozenset, dict)) else set(doc_ids)
    layers: dict[str, list[str]] = {}
    if _folder(root, LAYERS_DIR, index.problems):
        index.problems += _odd_layer_entries(root)
        layers = layer_documents(root)
    index.folders = list(layers)
    found: dict[str, list[str]] = {}
    for annotator, docs in layers.items():  # sorted by annotator, so each document's list is sorted
        for doc_id in docs:
            if doc_id in known:
                found.setdefault(doc_id, []).append(annotator)
            else:
                index.orphan_layers.append(layer_file(annotator, doc_id))
    decisions = set()
    if _folder(root, DECISIONS, index.problems):
        for doc_id in decision_documents(root):
            if doc_id in known:
                decisions.add(doc_id)
            else:
                index.orphan_decisions.append(decisions_file(doc_id))
    suggested = set()
    if suggestions and _folder(root, SUGGESTIONS, index.problems):
        for doc_id in suggestion_documents(root):
            if doc_id in known:
                suggested.add(doc_id)
            else:
                index.orphan_suggestions.append(suggestions_file(doc_id))
    index.by_document = {d: DocumentSources(tuple(found.get(d, ())), d in decisions, d in suggested)
                         for d in sorted(set(found) | decisions | suggested)}
    return index


def index_problems(index: SourceIndex, shown_of: Callable[[str], str], annotator_ids: Optional[AbstractSet[str]]) -> list[Problem]:
    """The problems of the listing: E-FILE-SYMLINK and E-FILE-KIND in the way, E-LAYER-ANNOTATOR per
    folder named like no annotator (not judged when ``annotator_ids`` is None: annotators.json is
    broken), E-LAYER-DOCUMENT, E-DECISION-DOCUMENT and E-SUGGESTION-DOCUMENT per file of an unknown
    document; in path order. ``shown_of`` shows a file by its path in the corpus."""
    def shown_at(rel: str) -> str:
        return index.shown.get(rel) or shown_of(rel)

    located: list[tuple[str, Problem]] = [(p.file or "", p) for p in index.problems]
    if annotator_ids is not None:
        for folder in index.folders:
            if folder not in annotator_ids:
                path = shown_of(f"{LAYERS_DIR}/{folder}")
                listed = f"listed: {', '.join(sorted(annotator_ids))}" if annotator_ids else "it lists none"
                located.append((path, Problem(
                    "E-LAYER-ANNOTATOR", f"the layer folder {folder!r} names no annotator of annotators.json ({listed})",
                    file=path, fix=_annotator_fix(folder))))
    for rel in index.orphan_layers:
        shown = shown_at(rel)
        located.append((shown, Problem("E-LAYER-DOCUMENT", "a layer file of a document the corpus does not have "
                                       f"(no texts/{_stem(rel)}.txt)", file=shown,
                                       fix="rename it to the id of the document it annotates, or remove it")))
    for rel in index.orphan_decisions:
        shown = shown_at(rel)
        located.append((shown, Problem("E-DECISION-DOCUMENT", "a decisions file of a document the corpus does not "
                                       f"have (no texts/{_stem(rel)}.txt)", file=shown,
                                       fix="rename it to the id of the document it adjudicates, or remove it")))
    for rel in index.orphan_suggestions:
        shown = shown_at(rel)
        located.append((shown, Problem("E-SUGGESTION-DOCUMENT", "a suggestions file of a document the corpus does not "
                                       f"have (no texts/{_stem(rel)}.txt)", file=shown,
                                       fix="remove it, or rename it to the id of the document it suggests for")))
    return [p for _, p in sorted(located, key=lambda x: x[0])]


def _annotator_fix(folder: str) -> str:
    try:
        check_annotator_id(folder)
    except NewsSpansError:
        return "rename the folder to the id of the annotator who made its layers (a lowercase slug, never 'gold')"
    return f"add the annotator (newsspans annotator add {folder} --kind human|model), or rename the folder to its id"


def _stem(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]
