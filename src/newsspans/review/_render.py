"""``newsspans render``: static review pages of a corpus, one per document and per registry entity.

The output folder holds ``index.html`` (documents with counts and validation status, registry
entities, corpus-level problems, the per-document agreement between annotators),
``documents/<id>.html``, ``entities/<entity_id>.html`` and, for each document with annotator
layers, ``layers/<id>.html`` (the layers side by side, every disagreement marked). Every
page is self-contained: inline CSS, a few lines of inline script (the details panel), no external
resource of any kind, so it opens from disk with no server and no network.

The module map: ``_reading`` reads and checks the corpus, one document at a time (each file once,
by the validator's own code path); ``_placement`` decides where each problem is shown;
``_document_marks`` turns a document's spans into marks, which ``_marks`` draws as nested HTML;
``_mentions`` collects what the entity pages list; ``_layers`` reads the annotators' layers and
measures their agreement, ``_disagreements`` finds what differs between the layers and
``_comparison`` lays it out; ``_pages`` fills the templates (``templates/``); ``_style`` holds the
look; ``_site`` writes the pages and ``_index`` keeps what the index shows of each document.

The corpus is read once, document by document, and each document's pages are written as soon as
it is read, so memory does not grow with the corpus: what outlives a document is its row of the
index and, on disk (``_mentions.MentionStore``, a file in the staged folder removed before the swap),
its references to registry entities, for the entity pages written after the last document. The few problems found only once every document is read
(a ``cluster_id`` used in one document only) are shown on their documents' pages by reading those
documents again and writing their pages anew. The corpus is only read; the output is written to
a temporary sibling folder, its files synced a batch at a time (``atomic.SyncedFiles``), and
swapped in when complete (``atomic.staged_dir``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import progress
from ..atomic import SyncedFiles, refuse_unless_replaceable, staged_dir
from ..errors import BadInput
from ..paths import display_path
from ..validation import Corpus
from ._index import SiteIndex
from ._layers import LayerReader
from ._mentions import MentionStore, collect_mentions
from ._pages import GENERATOR, index_page
from ._placement import registry_problems
from ._reading import cross_document_problems, read_document_review, read_start
from ._site import Site


#: The references to registry entities, kept in the staged folder until the entity pages are written.
REFERENCES = ".references.sqlite"


@dataclass
class RenderResult:
    out: Path
    documents: int = 0
    entities: int = 0
    problems: int = 0
    errors: int = 0
    comparisons: int = 0  # comparison pages (documents with annotator layers)


def render(*, corpus: Path, out: Path, force: bool = False) -> RenderResult:
    """Write the review pages of the corpus at ``corpus`` into ``out`` (replaced when complete):
    a new or empty folder, or an earlier render; with ``force``, any folder outside the corpus
    (``atomic.refuse_unless_replaceable``)."""
    corpus, out = Path(corpus), Path(out)
    reader = Corpus(corpus)
    layout = reader.layout_problems()
    if layout:
        raise BadInput(f"{display_path(corpus)} is not a corpus folder: {layout[0]}")
    if force:
        refuse_unless_replaceable(out, keep=(corpus,), error=BadInput)
    else:
        _check_out(out, corpus)
    with staged_dir(out, purpose="render") as root, SyncedFiles(root) as files, \
            MentionStore(root / REFERENCES) as mentions:
        return _write_site(reader, root, files, mentions, out)


def _check_out(out: Path, corpus: Path) -> None:
    """Refuse an ``out`` inside (or holding) the corpus, or a non-empty folder that is not an earlier render."""
    o, c = out.resolve(), corpus.resolve()
    if o == c or c in o.parents or o in c.parents:
        raise BadInput(f"--out {display_path(out)} overlaps the corpus folder {display_path(corpus)}: choose a folder outside it")
    if out.exists() and not out.is_dir():
        raise BadInput(f"--out {display_path(out)} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        index = out / "index.html"
        marker = f'content="{GENERATOR}"'
        if not (index.is_file() and marker in index.read_text(encoding="utf-8", errors="replace")[:2000]):
            raise BadInput(f"--out {display_path(out)} is not empty and was not written by `newsspans render`: "
                           "choose an empty or new folder, or replace it with --force")


def _write_site(reader: Corpus, root: Path, files: SyncedFiles, mentions: MentionStore, out: Path) -> RenderResult:
    """Read the corpus document by document, writing each one's pages at once, then the entity
    pages and the index into the staged folder ``root``."""
    start = read_start(reader)
    layers = LayerReader(reader.root)
    site = Site(root, files, registry=start.shown, version=start.version)
    index = SiteIndex()
    doc_ids = reader.document_ids()
    progress.stage(len(doc_ids))
    for doc_id in doc_ids:
        d = read_document_review(reader, doc_id, registry=start.registry)
        for entity_id, mention in collect_mentions(d.lenient, start.shown) if d.lenient else ():
            mentions.add(entity_id, mention)
        found = layers.of(doc_id, d.lenient)
        site.document(d, found)
        index.add(d, found)
        progress.advance()
    by_doc, corpus_problems = cross_document_problems(reader, registry=start.registry, doc_ids=frozenset(doc_ids))
    for doc_id, later in by_doc.items():  # pages written already, without these problems
        d = read_document_review(reader, doc_id, registry=start.registry)
        d.problems += later
        found = layers.of(doc_id, d.lenient)
        site.document(d, found, again=True)
        index.add(d, found)
    corpus_problems = start.problems + corpus_problems
    site.entities(mentions, registry_problems(corpus_problems, start.shown))
    site.write("index.html", index_page(index, name=start.name, version=start.version, registry=start.shown,
                                        corpus_problems=corpus_problems, references=mentions.all_counts()))
    status = index.status(corpus_problems)
    return RenderResult(out, documents=len(index.rows), entities=len(start.shown), problems=sum(status),
                        errors=status.errors, comparisons=site.comparisons)
