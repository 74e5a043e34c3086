"""The pages: document, unreadable document, entity and index pages, each a Jinja2 template
(``templates/``) with automatic escaping. Everything from the corpus reaches the page as data and
is escaped by the template engine; the only markup passed in is the highlighted text, built and
escaped by ``_marks.render_marks``, and the page's own style and script.

The templates are compiled once. A page comes out as pieces of text for the caller to write: a
document's pages in one piece, the entity pages and the index, which grow with the corpus (every
reference to an entity, every document), as a stream, never held whole."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Iterator, Mapping, Optional

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from ..labels import CLAIM_LABELS, DESCRIPTIONS, ENTITY_LABELS, QUOTE_TYPES
from ..model import RegistryEntry
from ..validation import ERROR, Problem
from ..agreement import HEADLINE, UNDEFINED, show_value
from ._comparison import listed_disagreements, shown_columns, shown_decisions
from ._document_marks import document_marks
from ._index import SiteIndex, status_of
from ._layers import DocumentLayers
from ._links import anchor_of, href
from ._marks import render_marks
from ._mentions import Mention, ReferenceCounts
from ._placement import indexed, of_layers, place_problems
from ._reading import DocumentReview
from ._style import COMPARISON_CSS, PROBLEM_COLOUR, QUOTE_HUES, SCRIPT, claim_colour, entity_colour, stylesheet

#: In every page's ``<meta name="generator">``: how ``render`` knows a folder it may replace.
GENERATOR = "newsspans render"


def _snippet(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: The pieces of a page joined before they are handed out.
STREAM_BUFFER = 64


def _environment() -> Environment:
    # auto_reload off: the templates are files of this package, never changed while it runs (on, a
    # page would look at the template's file on disk each time)
    env = Environment(loader=PackageLoader("newsspans.review", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
                      finalize=lambda value: "" if value is None else value)
    env.filters["snippet"] = _snippet
    env.globals.update(
        GENERATOR=GENERATOR, ERROR=ERROR, href=href, anchor_of=anchor_of, status_of=status_of,
        entity_colour=entity_colour, claim_colour=claim_colour, PROBLEM_COLOUR=PROBLEM_COLOUR, QUOTE_HUES=QUOTE_HUES,
        # every document page's legend: each label with its colour and description, looked up once
        ENTITY_LEGEND=[(label, entity_colour(label), DESCRIPTIONS.get(label, "")) for label in ENTITY_LABELS],
        CLAIM_LABELS=CLAIM_LABELS, QUOTE_TYPES=QUOTE_TYPES, DESCRIPTIONS=DESCRIPTIONS,
        HEADLINE=HEADLINE, UNDEFINED=UNDEFINED, show_value=show_value,
        # The page's own style and script: constants of this package, not corpus data.
        stylesheet=Markup(stylesheet()), script=Markup(SCRIPT),
    )
    return env


_ENV = _environment()
_TEMPLATES: dict[str, Template] = {}
#: The comparison pages' style: the pages' own, then theirs.
_COMPARISON_STYLE = Markup(stylesheet() + COMPARISON_CSS)


def _template(name: str) -> Template:
    if name not in _TEMPLATES:
        _TEMPLATES[name] = _ENV.get_template(name)
    return _TEMPLATES[name]


def _page(template: str, **context: Any) -> tuple[str]:
    """A page whose size is bounded by one document's: made whole (the fastest way), in one piece."""
    return (_template(template).render(**context),)


def _streamed_page(template: str, **context: Any) -> Iterator[str]:
    """A page that may grow with the corpus, made as it is written, a few dozen pieces at a time."""
    stream = _template(template).stream(**context)
    stream.enable_buffering(STREAM_BUFFER)
    return iter(stream)


def _unanchored(problems: list[Problem]) -> list[tuple[Problem, Optional[str]]]:
    return [(p, None) for p in problems]


def document_page(d: DocumentReview, *, registry: dict[str, RegistryEntry], version: Optional[str],
                  layers: Optional[DocumentLayers] = None) -> tuple[str]:
    """The review page of one document (read leniently: annotations with errors are shown with
    them), linking to its comparison page when it has annotator ``layers``."""
    ld = d.lenient
    assert ld is not None, "an unreadable document gets unreadable_page"
    doc = ld.document
    placed = place_problems(ld, d.problems)
    return _page(
        "document.html", doc=doc, meta=doc.meta, ann=doc.annotations, title=doc.meta.title or doc.id,
        version=version, registry=registry, problems=d.problems, listed=placed.listed,
        entity_counts=Counter(m.label for m in doc.annotations.entities),
        text=render_marks(doc.text, document_marks(ld, registry, placed)),
        quotes=indexed(ld, "quotes"), claims=indexed(ld, "claims"), layers=layers,
    )


def comparison_page(d: DocumentReview, layers: DocumentLayers, *, registry: dict[str, RegistryEntry],
                    version: Optional[str]) -> tuple[str]:
    """The comparison page of one document: its annotators' layers side by side, every
    disagreement marked and listed, and its decisions."""
    assert d.lenient is not None, "only a readable document has a comparison page"
    doc = d.lenient.document
    return _page(
        "layers.html", doc=doc, title=doc.meta.title or doc.id, version=version, registry=registry, layers=layers,
        columns=shown_columns(doc, layers, registry), listed=_unanchored([p for p in d.problems if of_layers(p)]),
        disagreements=listed_disagreements(layers), decisions=shown_decisions(layers),
        stylesheet=_COMPARISON_STYLE,
    )


def unreadable_page(d: DocumentReview) -> tuple[str]:
    """The page of a document whose files do not parse: its problems, and its text if it decodes."""
    return _page("unreadable.html", doc_id=d.doc_id, problems=d.problems, listed=_unanchored(d.problems),
                 text=None if d.text is None else render_marks(d.text, []))


def entity_page(entry: RegistryEntry, mentions: Iterable[Mention], *, counts: ReferenceCounts,
                problems: list[Problem]) -> Iterator[str]:
    """The page of one registry entity: every mention, quote and claim that refers to it (read as
    the page is written), in context."""
    return _streamed_page("entity.html", entry=entry, mentions=mentions, listed=_unanchored(problems),
                 n_mentions=counts.mentions, n_references=counts.references, n_documents=counts.documents)


def index_page(index: SiteIndex, *, name: str, version: Optional[str], registry: Mapping[str, RegistryEntry],
               corpus_problems: list[Problem], references: Mapping[str, ReferenceCounts]) -> Iterator[str]:
    """The index: every document with its counts and status, every registry entity (``references``:
    the counts of those referred to), the corpus's problems."""
    return _streamed_page(
        "index.html", name=name, version=version, documents=list(index.rows.values()),
        status=index.status(corpus_problems), totals=index.totals(), listed=_unanchored(corpus_problems),
        entities=sorted(registry.values(), key=lambda e: (e.name.casefold(), e.entity_id)),
        references=references, NONE=ReferenceCounts(0, 0, 0), layers=index.layers,
    )
