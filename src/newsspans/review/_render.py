"""``newsspans render``: static review pages of a corpus, one per document and per registry entity.

The output folder holds ``index.html`` (documents with counts and validation status, registry
entities, corpus-level problems), ``documents/<id>.html`` and ``entities/<entity_id>.html``. Every
page is self-contained: inline CSS, a few lines of inline script (the details panel), no external
resource of any kind, so it opens from disk with no server and no network.

Validation problems come from the validator's one code path (``corpus.iter_problems``) and are
shown where they belong: on the annotation their ``item`` names, at their offsets, or at the top
of the document page. The corpus is only read; the output is written to a temporary sibling
folder and swapped in when complete.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import quote as url_quote

from ..corpus import (
    ANNOTATIONS,
    DATASET,
    DOCUMENTS,
    TEXTS,
    LenientDocument,
    document_ids,
    load_json,
    read_document_lenient,
    read_registry_lenient,
)
from ..errors import BadInput
from ..labels import CLAIM_LABELS, DESCRIPTIONS, ENTITY_LABELS, QUOTE_TYPES
from ..model import Document, RegistryEntry
from ..paths import display_path
from ..validation import ERROR, Corpus, Problem, iter_problems
from ._marks import Mark, escape_text, render_marks, valid
from ._style import QUOTE_HUES, SCRIPT, claim_colour, entity_colour, stylesheet

GENERATOR = "newsspans render"
CONTEXT = 70  # code points of context on each side of a mention on an entity page
_ITEM = re.compile(r"^(entities|quotes|claims)\[(\d+)\](?:\.(\w+))?")
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,150}")
#: Nesting preference for spans of the same extent (outer first).
RANK = {"claims": 0, "content": 1, "speaker": 2, "cue": 2, "entities": 3, "problem": 4}


@dataclass
class RenderResult:
    out: Path
    documents: int = 0
    entities: int = 0
    problems: int = 0
    errors: int = 0


def page_name(ident: str) -> str:
    """A file name for an id: the id itself when it is a safe name, else a digest."""
    if _SAFE.fullmatch(ident) and ident not in (".", ".."):
        return ident + ".html"
    return "id-" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:16] + ".html"


def _href(folder: str, ident: str, anchor: str = "") -> str:
    return f"{folder}/{url_quote(page_name(ident))}" + (f"#{url_quote(anchor)}" if anchor else "")


def anchor_of(layer: str, index: int, part: Optional[str] = None) -> str:
    """The element id of an annotation's first fragment: by position, unique even with duplicate ids."""
    short = {"entities": "e", "quotes": "q", "claims": "c"}[layer]
    return f"{short}{index}" + (f"-{part}" if part else "")


def _page(title: str, body: str, *, script: bool = False) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta name=\"generator\" content=\"{GENERATOR}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{stylesheet()}</style>\n</head>\n<body>\n{body}\n"
        + (f"<script>{SCRIPT}</script>\n" if script else "")
        + "</body>\n</html>\n"
    )


def _status(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    if not problems:
        return '<span class="ok">valid</span>'
    parts = []
    if errors:
        parts.append(f'<span class="err">{errors} error{"s" if errors != 1 else ""}</span>')
    if warnings:
        parts.append(f'<span class="warn">{warnings} warning{"s" if warnings != 1 else ""}</span>')
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# problems: which document, which annotation


def problem_document(p: Problem, doc_ids: set[str]) -> Optional[str]:
    """The document a problem concerns: its ``document_id``, else the stem of a per-document file."""
    if p.document_id is not None:
        return p.document_id
    if p.file:
        path = Path(p.file)
        if path.parent.name in (TEXTS, DOCUMENTS, ANNOTATIONS) and path.stem in doc_ids:
            return path.stem
    return None


def problem_target(p: Problem) -> Optional[tuple[str, int, Optional[str]]]:
    """(layer, index, part) of the annotation a problem's ``item`` names, for annotation-file problems."""
    if not p.item or (p.file and Path(p.file).parent.name != ANNOTATIONS):
        return None
    m = _ITEM.match(p.item)
    if m is None:
        return None
    layer, index, sub = m.group(1), int(m.group(2)), m.group(3)
    part = None
    if layer == "quotes":
        part = sub if sub in ("content", "speaker", "cue") else ("speaker" if sub == "speaker_entity_id" else "content")
    return layer, index, part


@dataclass
class _Placed:
    by_target: dict[tuple[str, int, Optional[str]], list[Problem]] = field(default_factory=lambda: defaultdict(list))
    at_offsets: list[Problem] = field(default_factory=list)
    listed: list[tuple[Problem, Optional[str]]] = field(default_factory=list)  # (problem, anchor it is shown at)


def _indexed(ld: LenientDocument, layer: str) -> list[tuple[int, Any]]:
    """(position in the annotation file, item) for each readable item of a layer."""
    return list(zip(ld.positions[layer], getattr(ld.document.annotations, layer)))


def place_problems(ld: LenientDocument, problems: list[Problem]) -> _Placed:
    """Decide where each problem of a document is shown."""
    placed = _Placed()
    doc = ld.document
    spans = _target_spans(ld)
    for p in problems:
        target = problem_target(p)
        if target is not None and target in spans and valid(Mark(*spans[target], "", {}, ""), len(doc.text)):
            placed.by_target[target].append(p)
            placed.listed.append((p, anchor_of(*target)))
        elif p.start is not None and p.end is not None and 0 <= p.start < p.end <= len(doc.text):
            placed.at_offsets.append(p)
            placed.listed.append((p, f"p{len(placed.at_offsets) - 1}"))
        else:
            placed.listed.append((p, None))
    return placed


def _target_spans(ld: LenientDocument) -> dict[tuple[str, int, Optional[str]], tuple[int, int]]:
    spans: dict[tuple[str, int, Optional[str]], tuple[int, int]] = {}
    for i, m in _indexed(ld, "entities"):
        spans[("entities", i, None)] = (m.start, m.end)
    for i, q in _indexed(ld, "quotes"):
        for part, s in q.spans().items():
            spans[("quotes", i, part)] = (s.start, s.end)
        if q.speaker is None:  # a speaker problem with no speaker span is shown on the content
            spans[("quotes", i, "speaker")] = (q.content.start, q.content.end)
    for i, c in _indexed(ld, "claims"):
        spans[("claims", i, None)] = (c.start, c.end)
    return spans


# ---------------------------------------------------------------------------------------------
# marks of one document


def _problem_attrs(problems: list[Problem]) -> dict[str, str]:
    if not problems:
        return {}
    return {
        "data-problems": " | ".join(f"[{p.code}] {p.message}" + (f" — {p.fix}" if p.fix else "") for p in problems),
        "data-codes": " ".join(sorted({p.code for p in problems})),
    }


def _title(*parts: Optional[str]) -> str:
    return " · ".join(p for p in parts if p)


def document_marks(ld: LenientDocument, registry: dict[str, RegistryEntry], placed: _Placed) -> list[Mark]:
    """Every span of the document as a mark, with its details as data attributes."""
    marks: list[Mark] = []

    def name(entity_id: Optional[str]) -> str:
        e = registry.get(entity_id) if entity_id else None
        return e.name if e else ""

    for i, m in _indexed(ld, "entities"):
        probs = placed.by_target.get(("entities", i, None), [])
        attrs = {"data-layer": "entity", "data-id": m.id, "data-label": m.label, "data-tag": m.label,
                 "data-entity": m.entity_id or "", "data-name": name(m.entity_id),
                 "title": _title(f"entity {m.id}", m.label, m.entity_id, name(m.entity_id)), **_problem_attrs(probs)}
        marks.append(Mark(m.start, m.end, "ent" + (" bad" if probs else ""), attrs, anchor_of("entities", i), RANK["entities"]))
    for k, (i, q) in enumerate(_indexed(ld, "quotes")):
        hue = f"qc{k % len(QUOTE_HUES)}"
        for part, span in q.spans().items():
            probs = placed.by_target.get(("quotes", i, part), [])
            if part == "content" and q.speaker is None:
                probs = probs + placed.by_target.get(("quotes", i, "speaker"), [])
            tag = f"{q.id} {q.type}" if part == "content" else f"{q.id} {part}"
            attrs = {"data-layer": "quote", "data-id": q.id, "data-part": part, "data-label": q.type, "data-tag": tag,
                     "data-q": q.id, "data-entity": q.speaker_entity_id or "", "data-name": name(q.speaker_entity_id),
                     "title": _title(f"quote {q.id} {part}", q.type, q.speaker_entity_id, name(q.speaker_entity_id)),
                     **_problem_attrs(probs)}
            marks.append(Mark(span.start, span.end, f"q q-{part} {hue}" + (" bad" if probs else ""), attrs,
                              anchor_of("quotes", i, part), RANK[part]))
    for i, c in _indexed(ld, "claims"):
        probs = placed.by_target.get(("claims", i, None), [])
        attrs = {"data-layer": "claim", "data-id": c.id, "data-label": c.label, "data-tag": f"{c.id} {c.label} · {c.claimant}",
                 "data-claimant": c.claimant, "data-name": name(c.claimant),
                 "title": _title(f"claim {c.id}", c.label, f"claimant {c.claimant}", name(c.claimant)), **_problem_attrs(probs)}
        marks.append(Mark(c.start, c.end, "clm" + (" bad" if probs else ""), attrs, anchor_of("claims", i), RANK["claims"]))
    for k, p in enumerate(placed.at_offsets):
        attrs = {"data-layer": "problem", "data-id": p.item or p.code, "data-label": p.code, "data-tag": p.code,
                 "title": str(p), **_problem_attrs([p])}
        marks.append(Mark(p.start, p.end, "prob", attrs, f"p{k}", RANK["problem"]))  # type: ignore[arg-type]
    return marks


# ---------------------------------------------------------------------------------------------
# pages


def _legend(doc: Optional[Document]) -> str:
    counts = Counter(m.label for m in doc.annotations.entities) if doc else Counter()
    items = []
    for label in ENTITY_LABELS:
        n = f"<small>{counts[label]}</small>" if doc else ""
        items.append(f'<span class="sw" style="background:{entity_colour(label)}" title="{escape(DESCRIPTIONS.get(label, ""))}">'
                     f"{escape(label)}{n}</span>")
    return f'<div class="legend"><b>Entities</b> {"".join(items)}</div>'


def _layer_legend() -> str:
    hue = QUOTE_HUES[0]
    claims = " ".join(
        f'<mark class="clm" data-label="{escape(label)}" style="--cc:{claim_colour(label)};text-decoration-line:underline;'
        f'text-decoration-thickness:3px;text-underline-offset:.4em;text-decoration-color:{claim_colour(label)}">'
        f"{escape(label)}</mark> <small>{escape(DESCRIPTIONS.get(label, ''))}</small>"
        for label in CLAIM_LABELS
    )
    return (
        '<div class="legend"><b>Quotes</b> '
        f'<span style="--qc:{hue}"><mark class="q q-content" style="padding:0 .2em">content</mark> '
        '<mark class="q q-speaker" style="padding:0 .2em">speaker</mark> '
        '<mark class="q q-cue">cue</mark></span> <small>(one colour per quote; '
        f'types: {", ".join(QUOTE_TYPES)})</small> &nbsp; <b>Claims</b> {claims} &nbsp; '
        '<b>Problems</b> <span class="sw" style="background:#d00000;color:#fff">⚠ CODE</span></div>'
    )


def _toggles() -> str:
    """Layer switches: plain checkboxes, read by CSS (``main:has(#show-ent:not(:checked))``), no script."""
    boxes = [("show-ent", "Entities"), ("show-quo", "Quotes"), ("show-clm", "Claims"), ("show-prb", "Problems")]
    return "".join(f'<label><input type="checkbox" id="{i}" checked> {t}</label>' for i, t in boxes)


def _problem_list(listed: list[tuple[Problem, Optional[str]]]) -> str:
    if not listed:
        return ""
    items = []
    for p, anchor in listed:
        where = f' <a href="#{escape(anchor)}">show in text</a>' if anchor else ""
        items.append(f'<li class="{"err" if p.severity == ERROR else "warn"}"><code>{escape(str(p))}</code>{where}</li>')
    return f'<section class="problems"><b>Validation problems ({len(listed)})</b><ul>{"".join(items)}</ul></section>'


def document_page(ld: LenientDocument, *, registry: dict[str, RegistryEntry], problems: list[Problem],
                  version: Optional[str]) -> str:
    """The review page of one document (read leniently: annotations with errors are shown with them)."""
    doc = ld.document
    placed = place_problems(ld, problems)
    marks = document_marks(ld, registry, placed)
    ann = doc.annotations
    meta = doc.meta
    title = meta.title or doc.id
    facts = [f"id <code>{escape(doc.id)}</code>"]
    if meta.published:
        facts.append(f"published {escape(meta.published)}")
    facts += [f"source <code>{escape(meta.source)}</code>", f"language {escape(meta.language)}",
              f"story <code>{escape(meta.story_id)}</code>", f"{len(doc.text):,} code points"]
    counts = (f"{len(ann.entities)} entity mentions · {len(ann.quotes)} quotes · {len(ann.claims)} claims · "
              f"status: {_status(problems)}")
    body = [
        "<header>",
        f'<nav><a href="../index.html">← all documents</a>{" · dataset version " + escape(version) if version else ""}</nav>',
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{" · ".join(facts)}</p>',
        f'<p class="meta">{counts}</p>',
        _legend(doc),
        _layer_legend(),
        "</header>",
        "<main>",
        _problem_list(placed.listed),
        f'<div class="toggles"><b>Show:</b> {_toggles()} <small>hover or focus (Tab) a span for its details</small></div>',
        f'<div class="text" id="text">{render_marks(doc.text, marks)}</div>',
        _quote_table(ld, registry),
        _claim_table(ld, registry),
        "</main>",
        '<div id="info" role="status" aria-live="polite">Hover or focus a span to see its id, label, entity_id and registry name.</div>',
    ]
    return _page(f"{title} — NewsSpans review", "\n".join(b for b in body if b), script=True)


def _entity_link(entity_id: Optional[str], registry: dict[str, RegistryEntry], *, prefix: str = "../") -> str:
    if not entity_id:
        return ""
    if entity_id in registry:
        return f'<a href="{prefix}{_href("entities", entity_id)}">{escape(registry[entity_id].name)}</a>'
    return f"<code>{escape(entity_id)}</code> (not in the registry)"


def _snippet(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def _quote_table(ld: LenientDocument, registry: dict[str, RegistryEntry]) -> str:
    if not ld.document.annotations.quotes:
        return ""
    rows = []
    for i, q in _indexed(ld, "quotes"):
        rows.append(
            f'<tr><td><a href="#{anchor_of("quotes", i, "content")}">{escape(q.id)}</a></td><td>{escape(q.type)}</td>'
            f"<td>{escape(q.speaker.text) if q.speaker else '—'} {_entity_link(q.speaker_entity_id, registry)}</td>"
            f"<td>{escape(q.cue.text) if q.cue else '—'}</td><td>{_snippet(q.content.text)}</td>"
            f"<td>{escape(q.group_id or '')}</td><td>{escape(q.cluster_id or '')}</td></tr>"
        )
    return ("<h2>Quotes</h2><table><tr><th>id</th><th>type</th><th>speaker</th><th>cue</th><th>content</th>"
            f"<th>group</th><th>cluster</th></tr>{''.join(rows)}</table>")


def _claim_table(ld: LenientDocument, registry: dict[str, RegistryEntry]) -> str:
    if not ld.document.annotations.claims:
        return ""
    rows = []
    for i, c in _indexed(ld, "claims"):
        claimant = escape(c.claimant) if c.claimant not in registry else _entity_link(c.claimant, registry)
        rows.append(f'<tr><td><a href="#{anchor_of("claims", i)}">{escape(c.id)}</a></td><td>{escape(c.label)}</td>'
                    f"<td>{claimant}</td><td>{_snippet(c.text)}</td><td>{escape(c.cluster_id or '')}</td></tr>")
    return ("<h2>Claims</h2><table><tr><th>id</th><th>label</th><th>claimant</th><th>text</th><th>cluster</th></tr>"
            f"{''.join(rows)}</table>")


def unreadable_page(doc_id: str, *, text: Optional[str], problems: list[Problem]) -> str:
    """The page of a document whose files do not parse: its problems, and its text if it decodes."""
    body = [
        "<header>", '<nav><a href="../index.html">← all documents</a></nav>', f"<h1>{escape(doc_id)}</h1>",
        f'<p class="meta">status: {_status(problems)} — the annotations could not be read, so none are shown</p>',
        "</header>", "<main>", _problem_list([(p, None) for p in problems]),
        f'<div class="text" id="text">{escape_text(text)}</div>' if text is not None else "",
        "</main>",
    ]
    return _page(f"{doc_id} — NewsSpans review", "\n".join(b for b in body if b))


@dataclass
class _Mention:
    doc_id: str
    doc_title: str
    anchor: str
    role: str  # "mention", "speaker", "claimant"
    ident: str
    label: str
    before: str
    text: str
    after: str


def _context(doc: Document, start: int, end: int) -> tuple[str, str, str]:
    text = doc.text
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    return text[max(0, start - CONTEXT) : start], text[start:end], text[end : end + CONTEXT]


def collect_mentions(ld: LenientDocument, registry: dict[str, RegistryEntry]) -> Iterable[tuple[str, _Mention]]:
    """(entity_id, mention) for every reference to a registry entity in the document."""
    doc = ld.document
    title = doc.meta.title or doc.id
    for i, m in _indexed(ld, "entities"):
        if m.entity_id in registry:
            yield m.entity_id, _Mention(doc.id, title, anchor_of("entities", i), "mention", m.id, m.label, *_context(doc, m.start, m.end))
    for i, q in _indexed(ld, "quotes"):
        if q.speaker_entity_id in registry:
            span = q.speaker or q.content
            part = "speaker" if q.speaker else "content"
            yield q.speaker_entity_id, _Mention(doc.id, title, anchor_of("quotes", i, part), "speaker of", q.id, q.type,
                                                *_context(doc, span.start, span.end))
    for i, c in _indexed(ld, "claims"):
        if c.claimant in registry:
            yield c.claimant, _Mention(doc.id, title, anchor_of("claims", i), "claimant of", c.id, c.label,
                                       *_context(doc, c.start, c.end))


def entity_page(entry: RegistryEntry, mentions: list[_Mention], *, problems: list[Problem]) -> str:
    """The page of one registry entity: every mention, quote and claim that refers to it, in context."""
    rows = []
    for m in mentions:
        link = f'../{_href("documents", m.doc_id, m.anchor)}'
        rows.append(
            f'<tr><td><a href="../{_href("documents", m.doc_id)}">{escape(m.doc_title)}</a></td>'
            f'<td>{escape(m.role)} <a href="{link}">{escape(m.ident)}</a></td><td>{escape(m.label)}</td>'
            f'<td class="ctx">…{escape(" ".join(m.before.split(chr(10))))}<b>{escape(m.text)}</b>'
            f'{escape(" ".join(m.after.split(chr(10))))}…</td></tr>'
        )
    n = sum(1 for m in mentions if m.role == "mention")
    docs = len({m.doc_id for m in mentions})
    wikidata = f"<code>{escape(entry.wikidata)}</code>" if entry.wikidata else "none recorded"
    body = [
        "<header>", '<nav><a href="../index.html">← index</a></nav>',
        f'<h1>{escape(entry.name)} <span class="legend"><span class="sw" style="background:{entity_colour(entry.type)}">'
        f"{escape(entry.type)}</span></span></h1>",
        f'<p class="meta">entity_id <code>{escape(entry.entity_id)}</code> · aliases: '
        f'{", ".join(escape(a) for a in entry.aliases) or "none"} · Wikidata: {wikidata}</p>',
        f'<p class="meta">{n} mention{"s" if n != 1 else ""}, {len(mentions) - n} quote/claim reference(s), in {docs} document(s)</p>',
        "</header>", "<main>", _problem_list([(p, None) for p in problems]),
        "<table><tr><th>document</th><th>reference</th><th>label</th><th>context</th></tr>" + "".join(rows) + "</table>"
        if rows else "<p>No document refers to this entity.</p>",
        "</main>",
    ]
    return _page(f"{entry.name} — NewsSpans review", "\n".join(b for b in body if b))


@dataclass
class _DocRow:
    doc_id: str
    title: str
    published: str
    counts: tuple[int, int, int]
    problems: list[Problem]
    readable: bool


def index_page(rows: list[_DocRow], *, registry: dict[str, RegistryEntry], mention_counts: Counter,
               doc_counts: dict[str, set], corpus_problems: list[Problem], version: Optional[str], corpus_name: str) -> str:
    all_problems = corpus_problems + [p for r in rows for p in r.problems]
    totals = [sum(r.counts[k] for r in rows) for k in range(3)]
    doc_rows = "".join(
        f'<tr><td><a href="{_href("documents", r.doc_id)}">{escape(r.doc_id)}</a></td><td>{escape(r.title)}</td>'
        f'<td>{escape(r.published)}</td><td class="n">{r.counts[0]}</td><td class="n">{r.counts[1]}</td>'
        f'<td class="n">{r.counts[2]}</td><td>{_status(r.problems)}{"" if r.readable else " (unreadable)"}</td></tr>'
        for r in rows
    )
    ent_rows = "".join(
        f'<tr><td><a href="{_href("entities", e.entity_id)}">{escape(e.name)}</a></td><td><code>{escape(e.entity_id)}</code></td>'
        f'<td><span class="legend"><span class="sw" style="background:{entity_colour(e.type)}">{escape(e.type)}</span></span></td>'
        f'<td class="n">{mention_counts[e.entity_id]}</td><td class="n">{len(doc_counts.get(e.entity_id, ()))}</td></tr>'
        for e in sorted(registry.values(), key=lambda e: (e.name.casefold(), e.entity_id))
    )
    body = [
        "<header>", f"<h1>NewsSpans review: {escape(corpus_name)}</h1>",
        f'<p class="meta">{"dataset version " + escape(version) + " · " if version else ""}{len(rows)} documents · '
        f"{totals[0]} entity mentions · {totals[1]} quotes · {totals[2]} claims · {len(registry)} registry entities · "
        f"validation: {_status(all_problems)}</p>",
        "</header>", "<main>", _problem_list([(p, None) for p in corpus_problems]),
        "<h2>Documents</h2><table><tr><th>id</th><th>title</th><th>published</th><th>entities</th><th>quotes</th>"
        f"<th>claims</th><th>validation</th></tr>{doc_rows}</table>",
        "<h2>Entities</h2><table><tr><th>name</th><th>entity_id</th><th>type</th><th>mentions</th><th>documents</th></tr>"
        f"{ent_rows}</table>" if registry else "<h2>Entities</h2><p>No registry could be read.</p>",
        "</main>",
    ]
    return _page(f"NewsSpans review: {corpus_name}", "\n".join(b for b in body if b))


# ---------------------------------------------------------------------------------------------
# the command


def _check_out(out: Path, corpus: Path) -> None:
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


def render(*, corpus: Path, out: Path) -> RenderResult:
    """Write the review pages of the corpus at ``corpus`` into ``out`` (replaced when complete)."""
    corpus, out = Path(corpus), Path(out)
    reader = Corpus(corpus)
    layout = reader.layout_problems()
    if layout:
        raise BadInput(f"{display_path(corpus)} is not a corpus folder: {layout[0]}")
    _check_out(out, corpus)

    all_problems = list(iter_problems(corpus))
    ids = document_ids(corpus)
    doc_ids = set(ids)
    by_doc: dict[str, list[Problem]] = defaultdict(list)
    corpus_problems: list[Problem] = []
    for p in all_problems:
        d = problem_document(p, doc_ids)
        (by_doc[d] if d in doc_ids else corpus_problems).append(p)

    dataset = load_json(corpus / DATASET)
    version = dataset.get("version") if isinstance(dataset, dict) and isinstance(dataset.get("version"), str) else None
    registry = read_registry_lenient(corpus)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.render-", dir=out.parent))
    result = RenderResult(out, problems=len(all_problems), errors=sum(1 for p in all_problems if p.severity == ERROR))
    try:
        (tmp / "documents").mkdir()
        (tmp / "entities").mkdir()
        rows: list[_DocRow] = []
        mentions: dict[str, list[_Mention]] = defaultdict(list)
        for doc_id in ids:
            problems = by_doc.get(doc_id, [])
            ld = read_document_lenient(corpus, doc_id)
            if ld is None:
                text_path = corpus / TEXTS / f"{doc_id}.txt"
                text = None
                if text_path.is_file():
                    try:
                        text = text_path.read_bytes().decode("utf-8")
                    except UnicodeDecodeError:
                        text = None
                html = unreadable_page(doc_id, text=text, problems=problems)
                rows.append(_DocRow(doc_id, doc_id, "", (0, 0, 0), problems, False))
            else:
                doc = ld.document
                html = document_page(ld, registry=registry, problems=problems, version=version)
                ann = doc.annotations
                rows.append(_DocRow(doc_id, doc.meta.title or "", doc.meta.published or "",
                                    (len(ann.entities), len(ann.quotes), len(ann.claims)), problems, True))
                for entity_id, mention in collect_mentions(ld, registry):
                    mentions[entity_id].append(mention)
            (tmp / "documents" / page_name(doc_id)).write_text(html, encoding="utf-8")
            result.documents += 1
        registry_problems: dict[str, list[Problem]] = defaultdict(list)
        order = list(registry)
        for p in corpus_problems:
            m = _ITEM.match(p.item or "")
            if p.file and Path(p.file).name == "registry.json" and m and m.group(1) == "entities" and int(m.group(2)) < len(order):
                registry_problems[order[int(m.group(2))]].append(p)
        for entry in registry.values():
            page = entity_page(entry, mentions.get(entry.entity_id, []), problems=registry_problems.get(entry.entity_id, []))
            (tmp / "entities" / page_name(entry.entity_id)).write_text(page, encoding="utf-8")
            result.entities += 1
        mention_counts = Counter({k: sum(1 for m in v if m.role == "mention") for k, v in mentions.items()})
        doc_counts = {k: {m.doc_id for m in v} for k, v in mentions.items()}
        name = corpus.resolve().name
        (tmp / "index.html").write_text(
            index_page(rows, registry=registry, mention_counts=mention_counts, doc_counts=doc_counts,
                       corpus_problems=corpus_problems, version=version, corpus_name=name), encoding="utf-8")
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.rename(out, old)
            os.rename(tmp, out)
            shutil.rmtree(old)
        else:
            os.rename(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return result
