"""``newsspans render`` with annotator layers: a comparison page per document with layers (the layers
side by side, every disagreement marked and listed, the decisions), linked from the document's page
and from the index, which lists the per-document agreement of ``newsspans agree``.

The layers are invented here from a copy of the seed corpus: ``model-a`` holds gold's items, and
``model-b`` the same items with five known differences (one mention left out, one relabelled, one
shifted by a character, one quote without its speaker, one claim relabelled). The items changed are
chosen by their properties, never by today's counts.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import document_ids, first_doc, gold_only, read_json, run, write_json
from render_dom import check_page_against, problem_lines, read_page, text_of

from newsspans.agreement import HEADLINE, measure_agreement, show_value
from newsspans.corpus import read_document_lenient, read_layer_lenient
from newsspans.labels import ENTITY_LABELS
from newsspans.model import Document
from newsspans.review import render

A, B = "model-a", "model-b"


def shown(span: dict) -> str:
    """A span as the descriptions show it (short texts only: longer ones are shortened)."""
    return f"“{span['text']}” [{span['start']}, {span['end']})"


def short(item: dict) -> bool:
    return len(item["text"]) < 40 and item["text"] == " ".join(item["text"].split())


@dataclass
class Layered:
    corpus: Path
    doc: str
    text: str
    gold: dict
    missing: dict  # the mention model-b leaves out
    relabelled: tuple[dict, dict]  # (model-a's mention, model-b's)
    shifted: tuple[dict, dict]
    quote: tuple[dict, dict]  # model-b's has no speaker
    claim: tuple[dict, dict]


def write_annotators(corpus: Path, entries: list[dict]) -> None:
    write_json(corpus / "annotators.json", {"annotators": entries})


def write_layer(corpus: Path, annotator: str, doc: str, ann: dict) -> None:
    (corpus / "layers" / annotator).mkdir(parents=True, exist_ok=True)
    write_json(corpus / "layers" / annotator / f"{doc}.json", ann)


def make_layers(corpus: Path) -> Layered:
    doc = first_doc(corpus)
    text = (corpus / "texts" / f"{doc}.txt").read_text(encoding="utf-8")
    gold = read_json(corpus / "annotations" / f"{doc}.json")
    a, b = copy.deepcopy(gold), copy.deepcopy(gold)
    ents = [k for k, m in enumerate(b["entities"]) if short(m) and len(m["text"]) >= 3]
    missing, relabel, shift = ents[0], ents[1], ents[2]
    m = b["entities"][relabel]
    m["label"] = next(label for label in ENTITY_LABELS if label != m["label"])
    m = b["entities"][shift]
    m["start"] += 1
    m["text"] = text[m["start"] : m["end"]]
    q = next(k for k, q in enumerate(b["quotes"]) if q["speaker"] and short(q["speaker"]))
    b["quotes"][q]["speaker"] = None
    b["claims"][0]["label"] = {"CFS": "UFS", "UFS": "CFS"}[b["claims"][0]["label"]]
    removed = b["entities"].pop(missing)
    write_annotators(corpus, [{"annotator_id": A, "kind": "model", "note": "first pass"},
                              {"annotator_id": B, "kind": "human", "note": None}])
    write_layer(corpus, A, doc, a)
    write_layer(corpus, B, doc, b)
    by_id = {m["id"]: m for m in b["entities"]}
    pair = lambda k: (a["entities"][k], by_id[a["entities"][k]["id"]])  # noqa: E731
    return Layered(corpus, doc, text, gold, removed, pair(relabel), pair(shift), (a["quotes"][q], b["quotes"][q]),
                   (a["claims"][0], b["claims"][0]))


def expected_marks(lay: Layered) -> dict[tuple[str, str, str, str], str]:
    """(column, layer, id, part) -> the description of every item part that must be marked."""
    (ra, rb), (sa, sb), (qa, qb), (ca, cb) = lay.relabelled, lay.shifted, lay.quote, lay.claim
    return {
        (A, "entity", lay.missing["id"], ""): f"missing in {B}",
        (A, "entity", ra["id"], ""): f"label differs ({B} has {rb['label']})",
        (B, "entity", rb["id"], ""): f"label differs ({A} has {ra['label']})",
        (A, "entity", sa["id"], ""): f"span differs ({B} has {shown(sb)})",
        (B, "entity", sb["id"], ""): f"span differs ({A} has {shown(sa)})",
        (A, "quote", qa["id"], "content"): f"speaker differs ({B} has none)",
        (A, "quote", qa["id"], "speaker"): f"speaker differs ({B} has none)",
        (B, "quote", qb["id"], "content"): f"speaker differs ({A} has {shown(qa['speaker'])})",
        (A, "claim", ca["id"], ""): f"label differs ({B} has {cb['label']})",
        (B, "claim", cb["id"], ""): f"label differs ({A} has {ca['label']})",
    }


@pytest.fixture
def corpus_copy(corpus_copy):
    """The seed corpus copied without its own annotators, layers and decisions: these tests invent theirs."""
    return gold_only(corpus_copy)


@pytest.fixture
def layered(corpus_copy) -> Layered:
    return make_layers(corpus_copy)


@pytest.fixture
def site(layered, tmp_path) -> Path:
    out = tmp_path / "site"
    code, _, err = run("render", "--corpus", str(layered.corpus), "--out", str(out))
    assert code == 0, err
    return out


def page(site: Path, *parts: str) -> str:
    return site.joinpath(*parts).read_text(encoding="utf-8")


_COLUMN = re.compile(r'<section class="col[^"]*" aria-labelledby="h-(text-\d+)">\n<h2 id="h-text-\d+">([^<]+?) <small>'
                     r'.*?<div class="text" id="(text-\d+)">(.*?)</div>\n</section>', re.S)


def columns(html: str) -> dict:
    """Each column of a comparison page, by its side, read back as a page of its own."""
    out = {}
    for heading, side, anchor, inner in _COLUMN.findall(html):
        assert heading == anchor
        out[side] = read_page(f'<div id="text">{inner}</div>')
    return out


class _Tables(HTMLParser):
    """The cells' text of each table's rows, and the ``href``s in each row."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append({"class": a.get("class") or "", "cells": [], "links": []})
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "a" and self.tables and self.tables[-1]:
            self.tables[-1][-1]["links"].append(a.get("href"))

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1]["cells"].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def tables(html: str) -> list:
    r = _Tables()
    r.feed(html)
    return r.tables


def section(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


# ----------------------------------------------------------------------------- the comparison page


def test_the_comparison_page_exists_and_is_linked(layered, site):
    doc = layered.doc
    assert (site / "layers" / f"{doc}.html").is_file()
    assert f'href="../layers/{doc}.html"' in page(site, "documents", f"{doc}.html")
    assert f'href="layers/{doc}.html"' in page(site, "index.html")
    others = [d for d in document_ids(layered.corpus) if d != doc]
    assert sorted(p.stem for p in (site / "layers").iterdir()) == [doc]  # only documents with layers get one
    for other in others:
        assert "../layers/" not in page(site, "documents", f"{other}.html")


def test_each_column_is_the_text_with_every_span_of_its_layer(layered, site):
    cols = columns(page(site, "layers", f"{layered.doc}.html"))
    assert list(cols) == [A, B, "gold"]  # gold is shown: it holds items
    meta = read_document_lenient(layered.corpus, layered.doc).document.meta
    for side, col in cols.items():
        ann = (read_document_lenient(layered.corpus, layered.doc).document.annotations if side == "gold"
               else read_layer_lenient(layered.corpus, side, layered.doc))
        assert check_page_against(col, Document(meta, layered.text, ann)) > 0


def test_each_known_disagreement_is_marked_with_what_differs_and_nothing_else_is(layered, site):
    html = page(site, "layers", f"{layered.doc}.html")
    expected = expected_marks(layered)
    marked = {}
    for side, col in columns(html).items():
        for f in col.fragments:
            key = (side, f.attrs["data-layer"], f.attrs["data-id"], f.attrs.get("data-part", ""))
            if "dis" in f.classes:
                assert f.attrs["data-diff"] in f.attrs["title"]
                marked[key] = (f.attrs["data-diff"], "dis-missing" in f.classes)
            else:
                assert "data-diff" not in f.attrs, key  # agreeing items (and gold, not compared) are not marked
    assert {k: v[0] for k, v in marked.items()} == expected
    assert {k for k, v in marked.items() if v[1]} == {(A, "entity", layered.missing["id"], "")}  # drawn apart from the others


def test_the_list_of_disagreements_links_to_both_items_grouped_per_layer(layered, site):
    html = page(site, "layers", f"{layered.doc}.html")
    ids = dict(re.findall(r'<mark [^>]*?id="(L\d+-[^"]+)"[^>]*?data-id="([^"]+)"', html))
    assert [h for h in text_of(html, "h3")] == ["entities (3)", "quotes (1)", "claims (1)"]
    rows = [r for t in tables(section(html, 'id="disagreements"', 'id="decisions"')) for r in t[1:]]
    assert len(rows) == 5 and "5 disagreements" in html
    (ra, rb), (sa, sb), (qa, qb), (ca, cb) = layered.relabelled, layered.shifted, layered.quote, layered.claim
    expected = [(layered.missing["id"], None, f"missing in {B}"),
                (ra["id"], rb["id"], f"label: {ra['label']} ({A}) vs {rb['label']} ({B})"),
                (sa["id"], sb["id"], f"span: {shown(sa)} ({A}) vs {shown(sb)} ({B})"),
                (qa["id"], qb["id"], f"speaker: {shown(qa['speaker'])} ({A}) vs none ({B})"),
                (ca["id"], cb["id"], f"label: {ca['label']} ({A}) vs {cb['label']} ({B})")]
    got = []
    for r in rows:
        assert r["cells"][0] == A and r["cells"][2] == B
        targets = [ids[link[1:]] for link in r["links"]]  # every link is an item drawn on the page
        got.append((targets[0], targets[1] if len(targets) > 1 else None, r["cells"][4]))
    assert len(got) == len(expected) and set(got) == set(expected)


def test_the_page_judges_as_newsspans_agree(layered, site):
    """Items missing in the other layer = items the overlap F1 left unmatched; label differences =
    matched pairs whose labels differ (the same matching rule)."""
    html = page(site, "layers", f"{layered.doc}.html")
    rows = {(r.layer, r.metric): r for r in measure_agreement(layered.corpus, documents=[layered.doc], by_document=True)
            if (r.annotator_a, r.annotator_b) == (A, B) and r.label is None}
    layers = [h.split(" (")[0] for h in text_of(html, "h3")]
    listed = [t[1:] for t in tables(section(html, 'id="disagreements"', 'id="decisions"'))]
    assert len(layers) == len(listed) == 3
    for layer, found in zip(layers, listed):
        overlap = rows[layer, "overlap_f1"]
        assert sum("missing" in r["class"] for r in found) == overlap.count_a + overlap.count_b - 2 * overlap.agreed
        label_metric = {"entities": "label_agreement", "quotes": "type_agreement", "claims": "label_agreement"}[layer]
        labels = rows[layer, label_metric]
        relabelled = [r for r in found if any(part.startswith(("label:", "type:")) for part in r["cells"][4].split("; "))]
        assert len(relabelled) == labels.count_a - labels.agreed


def test_the_index_shows_the_per_document_agreement_of_newsspans_agree(layered, site):
    index = page(site, "index.html")
    [table] = tables(section(index, 'id="agreement"', "<h2>Entities</h2>"))
    header, *rows = table
    layers = list(HEADLINE)
    assert header["cells"][3:6] == [f"{layer} {HEADLINE[layer]}" for layer in layers]
    shown_values, doc = {}, None
    for r in rows:
        cells = r["cells"]
        if len(cells) == 7:
            doc, cells = cells[0], cells[1:6]
            assert cells and r["cells"][6] == "5"  # the disagreements the page lists
            assert r["links"] == [f"layers/{doc}.html", f"layers/{doc}.html#disagreements"]
        shown_values[doc, cells[0], cells[1]] = cells[2:5]
    expected = {}
    for r in measure_agreement(layered.corpus, by_document=True):
        if r.label is None and r.metric == HEADLINE[r.layer]:
            expected.setdefault((r.document_id, r.annotator_a, r.annotator_b), [None] * 3)[layers.index(r.layer)] = \
                show_value(r.value)
    assert shown_values == expected
    assert {k[1:] for k in expected} == {(A, B), (A, "gold"), (B, "gold")}


def test_decisions_show_their_take_and_reason_or_open(layered, tmp_path):
    a_item = layered.missing
    decisions = [
        {"decision": "d1", "layer": "entities", "options": {A: [a_item], B: []}, "take": A, "items": None,
         "reason": "a named place is a mention"},
        {"decision": "d2", "layer": "claims", "options": {A: [layered.claim[0]], B: [layered.claim[1]]}, "take": None,
         "items": None, "reason": None},
    ]
    (layered.corpus / "decisions").mkdir()
    (layered.corpus / "decisions" / f"{layered.doc}.jsonl").write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in decisions), encoding="utf-8")
    out = tmp_path / "site"
    render(corpus=layered.corpus, out=out)
    html = page(out, "layers", f"{layered.doc}.html")
    [table] = tables(html.split('id="decisions"', 1)[1])
    rows = [r["cells"] for r in table[1:]]
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [("d1", "entities", f"take {A}", "a named place is a mention"),
                                                        ("d2", "claims", "open", "")]
    assert f"{B}: nothing" in rows[0][2] and a_item["id"] in rows[0][2]
    assert '<td class="warn">open</td>' in html  # open decisions stand out (and say so in words)


# ----------------------------------------------------------------------------- other corpora


def test_a_corpus_without_layers_renders_no_comparison(corpus_copy, tmp_path):
    doc = first_doc(corpus_copy)
    # A layer folder without annotators.json is left out, as `newsspans agree` leaves it out.
    write_layer(corpus_copy, A, doc, read_json(corpus_copy / "annotations" / f"{doc}.json"))
    out = tmp_path / "site"
    result = render(corpus=corpus_copy, out=out)
    assert result.comparisons == 0 and not (out / "layers").exists()
    index = page(out, "index.html")
    assert "Agreement between annotators" not in index and "annotator layers" not in index
    for d in document_ids(corpus_copy):
        assert "compare the layers" not in page(out, "documents", f"{d}.html")


def test_a_single_annotator_is_compared_with_gold(corpus_copy, tmp_path):
    doc = first_doc(corpus_copy)
    gold = read_json(corpus_copy / "annotations" / f"{doc}.json")
    layer = copy.deepcopy(gold)
    gone = layer["entities"].pop(0)
    write_annotators(corpus_copy, [{"annotator_id": A, "kind": "model", "note": None}])
    write_layer(corpus_copy, A, doc, layer)
    out = tmp_path / "site"
    render(corpus=corpus_copy, out=out)
    html = page(out, "layers", f"{doc}.html")
    cols = columns(html)
    assert list(cols) == [A, "gold"]
    [marked] = [f for f in cols["gold"].fragments if "dis" in f.classes]
    assert (marked.attrs["data-id"], marked.attrs["data-diff"]) == (gone["id"], f"missing in {A}")
    assert not [f for f in cols[A].fragments if "dis" in f.classes]


def test_the_pages_escape_what_the_layers_hold(layered, tmp_path):
    hostile = "<script>alert(1)</script>"
    write_annotators(layered.corpus, [{"annotator_id": A, "kind": "model", "note": hostile},
                                      {"annotator_id": B, "kind": "human", "note": None}])
    path = layered.corpus / "layers" / B / f"{layered.doc}.json"
    ann = read_json(path)
    ann["entities"][-1]["label"] = "<img src=x onerror=alert(2)>"
    write_json(path, ann)
    (layered.corpus / "decisions").mkdir()
    decision = {"decision": "d1", "layer": "entities", "options": {A: [layered.missing], B: []}, "take": "neither",
                "items": None, "reason": '<b>bold</b> & "quoted"'}
    (layered.corpus / "decisions" / f"{layered.doc}.jsonl").write_text(json.dumps(decision) + "\n", encoding="utf-8")
    out = tmp_path / "site"
    render(corpus=layered.corpus, out=out)
    html = page(out, "layers", f"{layered.doc}.html")
    assert "<script>alert" not in html and "<img" not in html and "<b>bold" not in html
    assert html.count("<script") == 1  # the page's own script only
    assert any(hostile in h for h in text_of(html, "h2"))
    assert any("label: " in c and "<img src=x onerror=alert(2)>" in c for c in text_of(html, "td"))
    assert '<b>bold</b> & "quoted"' in text_of(html, "td")
    for side, col in columns(html).items():
        assert col.text == layered.text, side


def test_a_problem_of_a_layer_is_listed_on_the_document_page_but_not_drawn_on_gold(layered, tmp_path):
    path = layered.corpus / "layers" / B / f"{layered.doc}.json"
    ann = read_json(path)
    ann["entities"][0]["text"] = "not the text there"  # E-SPAN-TEXT, at offsets of the layer
    write_json(path, ann)
    out = tmp_path / "site"
    render(corpus=layered.corpus, out=out)
    html = page(out, "documents", f"{layered.doc}.html")
    assert any("E-SPAN-TEXT" in line and f"layers/{B}/" in line for line in problem_lines(html))
    assert not [f for f in read_page(html).fragments if f.attrs["data-layer"] == "problem"]  # gold's text is not the place
    comparison = page(out, "layers", f"{layered.doc}.html")
    assert "E-SPAN-TEXT" in section(comparison, "<details", "</details>")  # listed with the layers' problems
