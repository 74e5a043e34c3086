"""``newsspans render``: every gold span drawn exactly once per layer, text exact, problems in place."""

from __future__ import annotations

import re

import pytest
from helpers import CORPUS, read_json, run, tree_bytes, write_json
from render_dom import check_page_against, read_page

from newsspans.labels import CLAIM_LABELS, ENTITY_LABELS
from newsspans.review import render
from newsspans.review._style import CLAIM_COLOURS, ENTITY_COLOURS
from newsspans.review._marks import Mark, render_marks
from newsspans.corpus import read_document_lenient, read_registry_lenient


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("review") / "site"
    before = tree_bytes(CORPUS)
    result = render(corpus=CORPUS, out=out)
    assert tree_bytes(CORPUS) == before  # nothing it reads is modified
    return out, result


def doc_ids():
    return sorted(p.stem for p in (CORPUS / "texts").glob("*.txt"))


@pytest.mark.parametrize("doc_id", doc_ids())
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
    doc = read_document_lenient(CORPUS, "000_1936301ef05f6424").document
    page = read_page((out / "documents" / "000_1936301ef05f6424.html").read_text(encoding="utf-8"))
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
    assert len(pages) == 1 + len(doc_ids()) + len(read_json(CORPUS / "registry.json")["entities"])
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html), path
        assert "@import" not in html and "url(" not in html, path
        assert "<link" not in html, path
        read_page(html) if path.parent.name == "documents" else None


def test_every_label_has_a_colour():
    assert set(ENTITY_LABELS) <= set(ENTITY_COLOURS)
    assert set(CLAIM_LABELS) <= set(CLAIM_COLOURS)


def test_index_and_entity_pages(rendered):
    out, result = rendered
    index = (out / "index.html").read_text(encoding="utf-8")
    for doc_id in doc_ids():
        assert f'href="documents/{doc_id}.html"' in index
    assert "valid" in index
    assert result.documents == 2 and result.problems == 0
    mentions = sum(1 for d in doc_ids() for m in read_json(CORPUS / "annotations" / f"{d}.json")["entities"]
                   if m["entity_id"] == "iran")
    iran = (out / "entities" / "iran.html").read_text(encoding="utf-8")
    assert iran.count("<tr><td><a href=") >= mentions
    assert len(re.findall(r">mention <a href=", iran)) == mentions


def test_problems_are_shown_at_the_span_they_concern(corpus_copy, tmp_path):
    ann_path = corpus_copy / "annotations" / "000_1936301ef05f6424.json"
    ann = read_json(ann_path)
    ann["entities"][3]["start"] += 1
    ann["entities"][3]["end"] += 1  # the README's example problem: E-SPAN-TEXT on entities[3]
    write_json(ann_path, ann)
    before = tree_bytes(corpus_copy)
    code, out, err = run("render", "--corpus", str(corpus_copy), "--out", str(tmp_path / "site"))
    assert code == 0, err
    assert "error" in out
    assert tree_bytes(corpus_copy) == before
    html = (tmp_path / "site" / "documents" / "000_1936301ef05f6424.html").read_text(encoding="utf-8")
    page = read_page(html)
    [first] = [f for f in page.fragments if f.attrs.get("id") == "e3"]
    assert "bad" in first.classes and "E-SPAN-TEXT" in first.attrs["data-codes"]
    assert first.start == 80 and page.text[80:97] == "asoud Pezeshkian "
    assert "E-SPAN-TEXT" in html.split('id="text"')[0]  # listed above the text too, with a link to it
    assert 'href="#e3"' in html
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "1 error" in index


def test_a_document_that_does_not_parse_gets_a_page_with_its_problems(corpus_copy, tmp_path):
    (corpus_copy / "annotations" / "004_30159cef070f4760.json").write_text("{ not json", encoding="utf-8")
    code, _, err = run("render", "--corpus", str(corpus_copy), "--out", str(tmp_path / "site"))
    assert code == 0, err
    html = (tmp_path / "site" / "documents" / "004_30159cef070f4760.html").read_text(encoding="utf-8")
    assert "E-FILE-JSON" in html
    assert read_page(html).text == (corpus_copy / "texts" / "004_30159cef070f4760.txt").read_text(encoding="utf-8")


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


def test_invalid_extents_are_left_out():
    html = render_marks("abc", _marks((2, 1, "A", 0), (1, 9, "B", 0), (0, 3, "C", 0)))
    assert 'data-id="A"' not in html and 'data-id="B"' not in html and 'data-id="C"' in html


def test_json_of_data_attributes_is_escaped(corpus_copy, tmp_path):
    reg = read_json(corpus_copy / "registry.json")
    reg["entities"][6]["name"] = 'Iran "<script>alert(1)</script>'
    write_json(corpus_copy / "registry.json", reg)
    assert run("render", "--corpus", str(corpus_copy), "--out", str(tmp_path / "site"))[0] == 0
    html = (tmp_path / "site" / "documents" / "000_1936301ef05f6424.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
