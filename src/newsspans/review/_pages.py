"""The pages: document, unreadable document, entity and index pages, each a Jinja2 template
(``templates/``) with automatic escaping. Everything from the corpus reaches the page as data and
is escaped by the template engine; the only markup passed in is the highlighted text, built and
escaped by ``_marks.render_marks``, and the page's own style and script."""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple, Optional

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..labels import CLAIM_LABELS, DESCRIPTIONS, ENTITY_LABELS, QUOTE_TYPES
from ..model import RegistryEntry
from ..validation import ERROR, Problem
from ..agreement import HEADLINE, UNDEFINED, show_value
from ._comparison import listed_disagreements, shown_columns, shown_decisions
from ._document_marks import document_marks
from ._layers import DocumentLayers
from ._links import anchor_of, href
from ._marks import render_marks
from ._mentions import Mention
from ._placement import indexed, of_layers, place_problems
from ._reading import CorpusReview, DocumentReview
from ._style import COMPARISON_CSS, PROBLEM_COLOUR, QUOTE_HUES, SCRIPT, claim_colour, entity_colour, stylesheet

#: In every page's ``<meta name="generator">``: how ``render`` knows a folder it may replace.
GENERATOR = "newsspans render"


class _Counts(NamedTuple):
    errors: int
    warnings: int


def _severity_counts(problems: list[Problem]) -> _Counts:
    errors = sum(1 for p in problems if p.severity == ERROR)
    return _Counts(errors, len(problems) - errors)


def _snippet(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("newsspans.review", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=lambda value: "" if value is None else value)
    env.filters["snippet"] = _snippet
    env.globals.update(
        GENERATOR=GENERATOR, ERROR=ERROR, href=href, anchor_of=anchor_of, severity_counts=_severity_counts,
        entity_colour=entity_colour, claim_colour=claim_colour, PROBLEM_COLOUR=PROBLEM_COLOUR, QUOTE_HUES=QUOTE_HUES,
        ENTITY_LABELS=ENTITY_LABELS, CLAIM_LABELS=CLAIM_LABELS, QUOTE_TYPES=QUOTE_TYPES, DESCRIPTIONS=DESCRIPTIONS,
        HEADLINE=HEADLINE, UNDEFINED=UNDEFINED, show_value=show_value,
        # The page's own style and script: constants of this package, not corpus data.
        stylesheet=Markup(stylesheet()), script=Markup(SCRIPT),
    )
    return env


_ENV = _environment()


def _page(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)


def _unanchored(problems: list[Problem]) -> list[tuple[Problem, Optional[str]]]:
    return [(p, None) for p in problems]


def document_page(d: DocumentReview, *, registry: dict[str, RegistryEntry], version: Optional[str],
                  layers: Optional[DocumentLayers] = None) -> str:
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
                    version: Optional[str]) -> str:
    """The comparison page of one document: its annotators' layers side by side, every
    disagreement marked and listed, and its decisions."""
    assert d.lenient is not None, "only a readable document has a comparison page"
    doc = d.lenient.document
    return _page(
        "layers.html", doc=doc, title=doc.meta.title or doc.id, version=version, registry=registry, layers=layers,
        columns=shown_columns(doc, layers, registry), listed=_unanchored([p for p in d.problems if of_layers(p)]),
        disagreements=listed_disagreements(layers), decisions=shown_decisions(layers),
        stylesheet=Markup(stylesheet() + COMPARISON_CSS),
    )


def unreadable_page(d: DocumentReview) -> str:
    """The page of a document whose files do not parse: its problems, and its text if it decodes."""
    return _page("unreadable.html", doc_id=d.doc_id, problems=d.problems, listed=_unanchored(d.problems),
                 text=None if d.text is None else render_marks(d.text, []))


def entity_page(entry: RegistryEntry, mentions: list[Mention], *, problems: list[Problem]) -> str:
    """The page of one registry entity: every mention, quote and claim that refers to it, in context."""
    return _page("entity.html", entry=entry, mentions=mentions, listed=_unanchored(problems),
                 n_mentions=sum(1 for m in mentions if m.role == "mention"),
                 n_documents=len({m.doc_id for m in mentions}))


def index_page(review: CorpusReview) -> str:
    """The index: every document with its counts and status, every registry entity, the corpus's problems."""
    docs = review.documents
    mentions = review.mentions
    return _page(
        "index.html", name=review.name, version=review.version, documents=docs, problems=review.problems,
        totals=[sum(d.counts[k] for d in docs) for k in range(3)], listed=_unanchored(review.corpus_problems),
        entities=sorted(review.registry.values(), key=lambda e: (e.name.casefold(), e.entity_id)),
        mention_counts={k: sum(1 for m in v if m.role == "mention") for k, v in mentions.items()},
        document_counts={k: len({m.doc_id for m in v}) for k, v in mentions.items()}, layers=review.layers,
    )
