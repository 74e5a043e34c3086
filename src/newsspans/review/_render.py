"""``newsspans render``: static review pages of a corpus, one per document and per registry entity.

The output folder holds ``index.html`` (documents with counts and validation status, registry
entities, corpus-level problems, the per-document agreement between annotators),
``documents/<id>.html``, ``entities/<entity_id>.html`` and, for each document with annotator
layers, ``layers/<id>.html`` (the layers side by side, every disagreement marked). Every
page is self-contained: inline CSS, a few lines of inline script (the details panel), no external
resource of any kind, so it opens from disk with no server and no network.

The module map: ``_reading`` reads and checks the corpus (each file once, by the validator's own
code path); ``_placement`` decides where each problem is shown; ``_document_marks`` turns a
document's spans into marks, which ``_marks`` draws as nested HTML; ``_mentions`` collects what
the entity pages list; ``_layers`` reads the annotators' layers and their agreement,
``_disagreements`` finds what differs between the layers and ``_comparison`` lays it out;
``_pages`` fills the templates (``templates/``); ``_style`` holds the look. The corpus is only
read; the output is written to a temporary sibling folder and swapped in when complete
(``atomic.staged_dir``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput
from ..paths import display_path
from ..atomic import staged_dir
from ..validation import Corpus
from ._links import page_name
from ._pages import GENERATOR, comparison_page, document_page, entity_page, index_page, unreadable_page
from ._reading import CorpusReview, read_review


@dataclass
class RenderResult:
    out: Path
    documents: int = 0
    entities: int = 0
    problems: int = 0
    errors: int = 0
    comparisons: int = 0  # comparison pages (documents with annotator layers)


def render(*, corpus: Path, out: Path) -> RenderResult:
    """Write the review pages of the corpus at ``corpus`` into ``out`` (replaced when complete)."""
    corpus, out = Path(corpus), Path(out)
    reader = Corpus(corpus)
    layout = reader.layout_problems()
    if layout:
        raise BadInput(f"{display_path(corpus)} is not a corpus folder: {layout[0]}")
    _check_out(out, corpus)
    review = read_review(reader)
    with staged_dir(out, purpose="render") as site:
        _write_site(review, site)
    return RenderResult(out, documents=len(review.documents), entities=len(review.registry),
                        problems=len(review.problems), errors=review.errors, comparisons=len(review.layers))


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
                           "choose an empty or new folder")


def _write_page(path: Path, html: str) -> None:
    # backslashreplace: a file name that is not UTF-8 reaches the page as lone surrogates (the
    # corpus's JSON strings never do: the validator reports them and they are read as U+FFFD)
    path.write_text(html, encoding="utf-8", errors="backslashreplace")


def _write_site(review: CorpusReview, site: Path) -> None:
    (site / "documents").mkdir()
    (site / "entities").mkdir()
    if review.layers:
        (site / "layers").mkdir()
    for d in review.documents:
        layers = review.layers.get(d.doc_id)
        html = (document_page(d, registry=review.registry, version=review.version, layers=layers) if d.lenient is not None
                else unreadable_page(d))
        _write_page(site / "documents" / page_name(d.doc_id), html)
        if layers is not None:
            _write_page(site / "layers" / page_name(d.doc_id),
                        comparison_page(d, layers, registry=review.registry, version=review.version))
    problems = review.entity_problems()
    for entry in review.registry.values():
        html = entity_page(entry, review.mentions.get(entry.entity_id, []), problems=problems.get(entry.entity_id, []))
        _write_page(site / "entities" / page_name(entry.entity_id), html)
    _write_page(site / "index.html", index_page(review))
