"""``newsspans render``: every gold span drawn exactly once per layer, text exact, problems in place
and exactly the ones ``newsspans validate`` reports, corpus text escaped by the templates.

Counts are derived from the corpus files (or from a fixture built here), never written down: the
suite keeps passing when an annotator adds a document."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from helpers import CORPUS, document_ids, read_json, run, tree_bytes, write_json
from render_dom import check_page_against, problem_lines, read_page, text_of

from newsspans.corpus import layer_documents, read_annotators_lenient, read_document_lenient, read_registry_lenient
from newsspans.labels import CLAIM_LABELS, ENTITY_LABELS
from newsspans.review import render
from newsspans.review._marks import Mark, render_marks
from newsspans.review._style import CLAIM_COLOURS, ENTITY_COLOURS, PROBLEM_COLOUR
from newsspans.validation import Problem

#: The seed document with a span inside a glued token ("presidentMasoud") and the README's example problem.
GLUED = "000_1936301ef05f6424"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("review") / "site"
    before = tree_bytes(CORPUS)
    result = render(corpus=CORPUS, out=out)
    assert tree_bytes(CORPUS) == before  # nothing it reads is modified
    return out, result


def validate_report(corpus: Path) -> dict:
    code, out, err = run("validate", "--corpus", str(corpus), "--format", "json")
    assert code in (0, 1), err
    return json.loads(out)


def text_of_file(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # no newline translation


def status_html(errors: int, warnings: int) -> str:
    """What the pages show as a validation status (an oracle written independently of the templates)."""
    if not errors and not warnings:
        return '<span class="ok">valid</span>'
    parts = ([f'<span class="err">{errors} error{"s" if errors != 1 else ""}</span>'] if errors else []) + (
        [f'<span class="warn">{warnings} warning{"s" if warnings != 1 else ""}</span>'] if warnings else [])
    return ", ".join(parts)


def index_row(index: str, doc_id: str) -> str:
    [row] = re.findall(rf'<tr><td><a href="documents/{re.escape(doc_id)}\.html">.*?</tr>', index, re.S)
    return row


# ----------------------------------------------------------------------------- the shipped corpus


@pytest.mark.parametrize("doc_id", document_ids())
def test_every_gold_span_appears_exactly_once_per_layer_with_its_label(rendered, doc_id):
    out, _ = rendered
    html = (out / "documents" / f"{doc_id}.html").read_text(encoding="utf-8")
    page = read_page(html)
    doc = read_document_lenient(CORPUS, doc_id).document
    n = check_page_against(page, doc)
    assert n == len(doc.annotations.entities) + len(doc.annotations.claims) + sum(
        len(q.spans()) for q in doc.annotations.quotes)
    registry = read_registry_lenient(CORPUS)
    for f in page.fragments:
        a = f.attrs
        if a["data-layer"] == "entity":
            [m] = [m for m in doc.annotations.entities if m.id == a["data-id"]]
            assert a["data-entity"] == (m.entity_id or "")
            assert a["data-name"] == (registry[m.entity_id].name if m.entity_id else "")
            assert a["data-tag"] == m.label


def test_text_is_rendered_exactly_and_a_span_inside_a_glued_token_is_exact(rendered):
    out, _ = rendered
    doc = read_document_lenient(CORPUS, GLUED).document
    page = read_page((out / "documents" / f"{GLUED}.html").read_text(encoding="utf-8"))
    assert page.text == doc.text  # curly quotes, glued words, line breaks: code point for code point
    glued = [m for m in doc.annotations.entities if m.start > 0 and doc.text[m.start - 1].isalpha()]
    assert any(doc.text[m.start - 9 : m.end] == "presidentMasoud Pezeshkian" for m in glued)
    for m in glued:
        frags = page.spans()[("entity", m.id, None)]
        assert (frags[0].start, frags[-1].end) == (m.start, m.end)
        assert page.text[frags[0].start - 1].isalpha()  # the highlight starts inside the token


def test_pages_are_self_contained(rendered):
    out, _ = rendered
    pages = list(out.rglob("*.html"))
    entity_ids = {e["entity_id"] for e in read_json(CORPUS / "registry.json")["entities"]}
    listed = read_annotators_lenient(CORPUS)  # documents with an annotator's layer also get a comparison page
    compared = {d for a, docs in layer_documents(CORPUS).items() if a in listed for d in docs}
    assert len(pages) == 1 + len(document_ids()) + len(entity_ids) + len(compared)
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html), path
        assert "@import" not in html and "url(" not in html, path
        assert "<link" not in html, path
        if path.parent.name == "documents":
            assert read_page(html).text == text_of_file(CORPUS / "texts" / f"{path.stem}.txt"), path


def test_every_label_has_a_colour():
    assert set(ENTITY_LABELS) <= set(ENTITY_COLOURS)
    assert set(CLAIM_LABELS) <= set(CLAIM_COLOURS)


def test_problems_are_drawn_in_the_problem_colour(rendered):
    out, _ = rendered
    html = (out / "documents" / f"{GLUED}.html").read_text(encoding="utf-8")
    style = html.split("<style>")[1].split("</style>")[0]
    assert style.count(PROBLEM_COLOUR) == 1 and "var(--pc)" in style  # defined once, used through the variable
    assert f"background:{PROBLEM_COLOUR}" in html.split("</header>")[0]  # the legend's swatch


def test_index_shows_each_document_with_the_validators_status(rendered):
    out, result = rendered
    index = (out / "index.html").read_text(encoding="utf-8")
    report = validate_report(CORPUS)
    assert (result.documents, result.problems, result.errors) == (
        len(document_ids()), len(report["problems"]), report["errors"])
    header = index.split("</header>")[0]
    assert "validation: " + status_html(report["errors"], report["warnings"]) in header
    for doc_id in document_ids():
        ann = read_json(CORPUS / "annotations" / f"{doc_id}.json")
        row = index_row(index, doc_id)
        assert re.findall(r'<td class="n">(\d+)</td>', row) == [str(len(ann[k])) for k in ("entities", "quotes", "claims")]
        mine = [p for p in report["problems"] if p["document_id"] == doc_id]
        errors = sum(p["severity"] == "error" for p in mine)
        assert status_html(errors, len(mine) - errors) in row


def test_each_entity_page_lists_every_reference_to_it(rendered):
    out, result = rendered
    annotations = [read_json(CORPUS / "annotations" / f"{d}.json") for d in document_ids()]
    registry = read_json(CORPUS / "registry.json")["entities"]
    assert result.entities == len({e["entity_id"] for e in registry})
    for entry in registry:
        eid = entry["entity_id"]
        mentions = sum(m["entity_id"] == eid for a in annotations for m in a["entities"])
        speakers = sum(q["speaker_entity_id"] == eid for a in annotations for q in a["quotes"])
        claims = sum(c["claimant"] == eid for a in annotations for c in a["claims"])
        page = (out / "entities" / f"{eid}.html").read_text(encoding="utf-8")
        assert len(re.findall(r">mention <a href=", page)) == mentions, eid
        assert page.count("<tr><td><a href=") == mentions + speakers + claims, eid
        assert text_of(page, "h1")[0].startswith(entry["name"])


# ----------------------------------------------------------------------------- problems


def test_problems_are_shown_at_the_span_they_concern(corpus_copy, tmp_path):
    ann_path = corpus_copy / "annotations" / f"{GLUED}.json"
    ann = read_json(ann_path)
    ann["entities"][3]["start"] += 1
    ann["entities"][3]["end"] += 1  # the README's example problem: E-SPAN-TEXT on entities[3]
    start, end = ann["entities"][3]["start"], ann["entities"][3]["end"]
    write_json(ann_path, ann)
    before = tree_bytes(corpus_copy)
    code, out, err = run("render", "--corpus", str(corpus_copy), "--out", str(tmp_path / "site"))
    assert code == 0, err
    assert "1 error(s)" in out
    assert tree_bytes(corpus_copy) == before
    html = (tmp_path / "site" / "documents" / f"{GLUED}.html").read_text(encoding="utf-8")
    page = read_page(html)
    [first] = [f for f in page.fragments if f.attrs.get("id") == "e3"]
    assert "bad" in first.classes and "E-SPAN-TEXT" in first.attrs["data-codes"]
    assert first.start == start and page.text[start:end] == text_of_file(corpus_copy / "texts" / f"{GLUED}.txt")[start:end]
    [listed] = problem_lines(html)  # listed above the text too, with a link to it
    assert "E-SPAN-TEXT" in listed and html.index("E-SPAN-TEXT") < html.index('id="text"')
    assert 'href="#e3"' in html
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert status_html(1, 0) in index_row(index, GLUED)
    assert "validation: " + status_html(1, 0) in index


def _break_with_errors(corpus: Path) -> set[str]:
    """Errors of many kinds, in documents and in the registry; the codes they must produce."""
    first, last = GLUED, next(d for d in reversed(document_ids(corpus)) if d != GLUED)
    ann = read_json(corpus / "annotations" / f"{first}.json")
    ann["entities"][0]["start"] += 1  # E-SPAN-TEXT, at the mention
    ann["entities"][1]["label"] = "<img src=x onerror=alert(1)>"  # E-ENT-LABEL, with markup in its message
    ann["quotes"][0]["speaker_entity_id"] = "nobody"
    ann["claims"][0]["claimant"] = "ghost"
    write_json(corpus / "annotations" / f"{first}.json", ann)
    (corpus / "annotations" / f"{last}.json").write_text("{ not json", encoding="utf-8")
    (corpus / "texts" / "zz-orphan.txt").write_text("an orphan text\r\nwith a CR LF", encoding="utf-8")
    (corpus / "annotations" / "zz-lost.json").write_text("{}", encoding="utf-8")
    reg = read_json(corpus / "registry.json")
    reg["entities"].append(dict(reg["entities"][0]))  # E-ID-DUPLICATE
    write_json(corpus / "registry.json", reg)
    return {"E-SPAN-TEXT", "E-ENT-LABEL", "E-QUOTE-SPEAKER-REF", "E-CLAIM-CLAIMANT", "E-FILE-JSON",
            "E-DOC-NO-META", "E-DOC-NO-ANNOTATION", "E-DOC-NO-TEXT", "E-ID-DUPLICATE"}


def _break_with_warnings(corpus: Path) -> set[str]:
    """Cross-document warnings only (they are checked when every document reads)."""
    first = GLUED
    ann = read_json(corpus / "annotations" / f"{first}.json")
    ann["quotes"][0]["cluster_id"] = "zz-used-once"
    write_json(corpus / "annotations" / f"{first}.json", ann)
    reg = read_json(corpus / "registry.json")
    reg["entities"].append({"entity_id": "zz-unused", "name": "Zz Unused", "type": "ORG",
                            "aliases": ["Zzyzx Unused"], "wikidata": None})
    write_json(corpus / "registry.json", reg)
    return {"W-CLUSTER-SINGLE", "W-REG-UNUSED"}


def _document_of(p: dict, doc_ids: list[str]) -> str | None:
    if p["document_id"] is not None:
        return p["document_id"]
    path = Path(p["file"] or "")
    return path.stem if path.parent.name in ("texts", "documents", "annotations") and path.stem in doc_ids else None


@pytest.mark.parametrize("breakage", [_break_with_errors, _break_with_warnings])
def test_the_problems_shown_are_exactly_the_validators(corpus_copy, tmp_path, breakage):
    codes = breakage(corpus_copy)
    report = validate_report(corpus_copy)
    assert codes <= {p["code"] for p in report["problems"]}
    site = tmp_path / "site"
    result = render(corpus=corpus_copy, out=site)
    assert (result.problems, result.errors) == (len(report["problems"]), report["errors"])

    ids = sorted({p.stem for folder in ("texts", "documents", "annotations") for p in (corpus_copy / folder).iterdir()})
    expected: dict = {}
    for p in report["problems"]:
        shown = str(Problem(**{k: v for k, v in p.items() if k != "severity"}))
        expected.setdefault(_document_of(p, ids), Counter())[shown] += 1
    pages = {doc_id: site / "documents" / f"{doc_id}.html" for doc_id in ids} | {None: site / "index.html"}
    for doc_id, page in pages.items():
        assert Counter(problem_lines(page.read_text(encoding="utf-8"))) == expected.get(doc_id, Counter()), doc_id
    assert set(expected) <= set(pages)


def test_a_document_that_does_not_parse_gets_a_page_with_its_problems(corpus_copy, tmp_path):
    doc_id = document_ids(corpus_copy)[-1]
    (corpus_copy / "annotations" / f"{doc_id}.json").write_text("{ not json", encoding="utf-8")
    code, _, err = run("render", "--corpus", str(corpus_copy), "--out", str(tmp_path / "site"))
    assert code == 0, err
    html = (tmp_path / "site" / "documents" / f"{doc_id}.html").read_text(encoding="utf-8")
    assert any("E-FILE-JSON" in line for line in problem_lines(html))
    assert read_page(html).text == text_of_file(corpus_copy / "texts" / f"{doc_id}.txt")
    assert "(unreadable)" in index_row((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), doc_id)


# ----------------------------------------------------------------------------- escaping


HOSTILE_TITLE = '<script>alert("title")</script> & <b>bold</b> &amp;'
HOSTILE_NAME = "<script>alert(1)</script> & \"quoted\" 'single'"


def test_the_templates_escape_corpus_text(corpus_copy, tmp_path):
    doc_id = GLUED
    meta = read_json(corpus_copy / "documents" / f"{doc_id}.json")
    meta["title"] = HOSTILE_TITLE
    write_json(corpus_copy / "documents" / f"{doc_id}.json", meta)
    ann = read_json(corpus_copy / "annotations" / f"{doc_id}.json")
    entity_id = next(m["entity_id"] for m in ann["entities"] if m["entity_id"])
    ann["entities"][-1]["label"] = "<img src=x onerror=alert(1)>"  # a problem message with markup in it
    write_json(corpus_copy / "annotations" / f"{doc_id}.json", ann)
    reg = read_json(corpus_copy / "registry.json")
    [entry] = [e for e in reg["entities"] if e["entity_id"] == entity_id]
    entry["name"] = HOSTILE_NAME
    write_json(corpus_copy / "registry.json", reg)
    site = tmp_path / "site"
    render(corpus=corpus_copy, out=site)

    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<b>bold" not in html and "<img" not in html, path
        assert html.count("<script") <= 1, path  # the page's own script only
    doc_page = (site / "documents" / f"{doc_id}.html").read_text(encoding="utf-8")
    assert text_of(doc_page, "h1") == [HOSTILE_TITLE]
    assert text_of(doc_page, "title") == [f"{HOSTILE_TITLE} — NewsSpans review"]
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &amp;amp;" in doc_page
    names = {f.attrs["data-name"] for f in read_page(doc_page).fragments if f.attrs.get("data-entity") == entity_id}
    assert names == {HOSTILE_NAME}
    assert any("E-ENT-LABEL" in line and "<img src=x onerror=alert(1)>" in line for line in problem_lines(doc_page))
    index = (site / "index.html").read_text(encoding="utf-8")
    assert HOSTILE_TITLE in text_of(index, "td") and HOSTILE_NAME in text_of(index, "a")
    entity = (site / "entities" / f"{entity_id}.html").read_text(encoding="utf-8")
    assert text_of(entity, "h1")[0].startswith(HOSTILE_NAME + " ")
    assert HOSTILE_TITLE in text_of(entity, "a")  # the document's title, in each reference's row


# ----------------------------------------------------------------------------- the output folder


def test_bad_input_is_one_line_and_exit_2(tmp_path, corpus_copy):
    code, _, err = run("render", "--corpus", str(tmp_path), "--out", str(tmp_path / "site"))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "not a corpus" in err
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, err = run("render", "--corpus", str(corpus_copy), "--out", str(foreign))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
    code, _, err = run("render", "--corpus", str(corpus_copy), "--out", str(corpus_copy / "site"))
    assert code == 2 and not (corpus_copy / "site").exists()


def test_rerender_replaces_an_earlier_render(corpus_copy, tmp_path):
    site = tmp_path / "site"
    assert run("render", "--corpus", str(corpus_copy), "--out", str(site))[0] == 0
    (site / "documents" / "stale.html").write_text("old", encoding="utf-8")
    assert run("render", "--corpus", str(corpus_copy), "--out", str(site))[0] == 0
    assert not (site / "documents" / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "site"]  # no temporary folder left


def test_a_failed_render_leaves_the_earlier_one_in_place(corpus_copy, tmp_path, monkeypatch):
    import newsspans.review._render as render_module

    site = tmp_path / "site"
    render(corpus=corpus_copy, out=site)
    before = tree_bytes(site)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(render_module, "index_page", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        render(corpus=corpus_copy, out=site)
    assert tree_bytes(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "site"]


# ----------------------------------------------------------------------------- the renderer


def _marks(*spans):
    return [Mark(s, e, "x", {"data-layer": "t", "data-id": n, "data-label": n}, f"a{i}", rank)
            for i, (s, e, n, rank) in enumerate(spans)]


def test_crossing_spans_are_split_and_nest_properly():
    text = "abcdefgh"
    html = render_marks(text, _marks((0, 5, "A", 0), (3, 8, "B", 1), (3, 5, "C", 2)))
    page = read_page(f'<div id="text">{html}</div>')
    assert page.text == text
    spans = page.spans()
    assert [(f.start, f.end) for f in spans[("t", "A", None)]] == [(0, 5)]
    assert [(f.start, f.end) for f in spans[("t", "B", None)]] == [(3, 5), (5, 8)]
    assert [(f.start, f.end) for f in spans[("t", "C", None)]] == [(3, 5)]
    assert ["f" in f.classes for f in spans[("t", "B", None)]] == [True, False]
    assert ["l" in f.classes for f in spans[("t", "B", None)]] == [False, True]


def test_text_is_escaped_and_comes_back_exactly():
    text = "a<b>&amp;\r\nc \u201cq\u201d \U0001F600 </div>"
    html = render_marks(text, _marks((1, 4, "A", 0), (len(text) - 6, len(text), "B", 0)))
    assert "<b>" not in html and "</div>" not in html
    assert read_page(f'<div id="text">{html}</div>').text == text


def test_attribute_values_are_escaped():
    html = render_marks("abc", [Mark(0, 3, "x", {"data-layer": "t", "data-id": '"><script>x</script>',
                                                 "data-label": "&"}, "a0")])
    assert "<script>" not in html
    [frag] = read_page(f'<div id="text">{html}</div>').fragments
    assert (frag.attrs["data-id"], frag.attrs["data-label"]) == ('"><script>x</script>', "&")


def test_invalid_extents_are_left_out():
    html = render_marks("abc", _marks((2, 1, "A", 0), (1, 9, "B", 0), (0, 3, "C", 0)))
    assert 'data-id="A"' not in html and 'data-id="B"' not in html and 'data-id="C"' in html
