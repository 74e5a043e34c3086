"""The release carries agreement: the ``agreement`` config, the card's section, and the optional
minimum in ``corpus/dataset.json``; a corpus without annotator layers still builds and loads."""

from __future__ import annotations

import os

import pyarrow.parquet as pq
import pytest
import yaml
from helpers import CORPUS, DATA, annotations_of, gold_only, read_json, tree_bytes, write_json

import datasets
from newsspans import build, check
from newsspans.agreement import HEADLINE, measure_agreement, show_value
from newsspans.corpus import add_annotator, layer_file
from newsspans.dataset import FEATURES, BuildError
from newsspans.labels import GOLD
from newsspans.validation import CorpusInvalid


def add_layers(corpus, layers: dict) -> None:
    """Give ``corpus`` annotators, each with a layer of every document made from gold by
    ``layers[annotator](layer name, items)`` (which must keep the layer valid)."""
    for annotator, edit in layers.items():
        add_annotator(corpus=corpus, annotator_id=annotator, kind="model")
        for doc_id, ann in annotations_of(corpus).items():
            layer = {**ann, **{name: edit(name, list(ann[name])) for name in ("entities", "quotes", "claims")}}
            path = corpus / layer_file(annotator, doc_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_json(path, layer)


def same(name, items):
    return items


def every_other_entity(name, items):
    """Gold without every second entity mention, and with each claim's label flipped."""
    if name == "entities":
        return items[::2]
    if name == "claims":
        return [{**c, "label": "UFS" if c["label"] == "CFS" else "CFS"} for c in items]
    return items


@pytest.fixture
def layered(corpus_copy):
    add_layers(gold_only(corpus_copy), {"model-a": same, "model-b": every_other_entity})
    return corpus_copy


def card_metadata(release):
    text = (release / "README.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1]), text


def released_rows(release):
    return [row for path in sorted((release / "agreement").glob("*.parquet")) for row in pq.read_table(path).to_pylist()]


def test_the_agreement_config_holds_every_corpus_row_and_loads(layered, tmp_path):
    out = tmp_path / "data"
    build(corpus=layered, out=out)
    rows = measure_agreement(layered)
    expected = [{k: v for k, v in r.to_dict().items() if k != "document_id"} for r in rows]
    assert released_rows(out) == expected
    assert {(r["annotator_a"], r["annotator_b"]) for r in expected} == {("model-a", "model-b"), ("model-a", GOLD), ("model-b", GOLD)}
    loaded = datasets.load_dataset(os.path.abspath(out), "agreement")
    assert list(loaded) == ["train"] and loaded["train"].features == FEATURES["agreement"]
    assert loaded["train"].to_list() == expected
    for row in expected:
        assert row["value"] is None or row["value"] == round(row["value"], 6)


def test_the_card_shows_the_headline_table(layered, tmp_path):
    out = tmp_path / "data"
    build(corpus=layered, out=out)
    meta, text = card_metadata(out)
    assert "agreement" in [c["config_name"] for c in meta["configs"]]
    section = text.split("#### Inter-annotator agreement", 1)[1].split("\n## ", 1)[0]
    rows = measure_agreement(layered)
    alpha = {(r.annotator_a, r.annotator_b, r.layer): r for r in rows if r.metric == "alpha"}
    links = {(r.annotator_a, r.annotator_b, r.layer): r for r in rows if r.metric == "cluster_link_f1"}
    headlines = [r for r in rows if r.label is None and r.metric == HEADLINE[r.layer]]
    assert len(headlines) == 3 * 3  # three pairs, three layers
    for r in headlines:
        a = alpha[r.annotator_a, r.annotator_b, r.layer]
        link = links.get((r.annotator_a, r.annotator_b, r.layer))
        assert (link is None) == (r.layer == "entities")  # entity mentions have no cluster: an empty cell
        line = (f"| {r.annotator_a} | {r.annotator_b} | {r.layer} | `{r.metric}` | {show_value(r.value)} | {r.count_a} | "
                f"{r.count_b} | {r.agreed} | {show_value(a.value)} | {a.count_a} | "
                f"{show_value(link.value) if link else ''} | {r.documents} |")
        assert line in section
    # model-a is gold itself; model-b lost every other mention, so its entity F1 against either is below 1.
    a_gold = next(r for r in headlines if (r.annotator_a, r.annotator_b, r.layer) == ("model-a", GOLD, "entities"))
    b_gold = next(r for r in headlines if (r.annotator_a, r.annotator_b, r.layer) == ("model-b", GOLD, "entities"))
    assert a_gold.value == 1.0 and b_gold.value < 1.0


def gold_links(corpus, layer: str, leave_out=None) -> int:
    """The cross-document links of gold's ``layer``, counted pair by pair: two items of different
    documents with the same cluster_id (other than ``leave_out``)."""
    members = [(doc_id, item["cluster_id"]) for doc_id, ann in annotations_of(corpus).items() for item in ann[layer]
               if item["cluster_id"] not in (None, leave_out)]
    return sum(1 for i, (d, c) in enumerate(members) for e, k in members[i + 1:] if d != e and c == k)


def test_the_release_and_card_carry_cluster_links_compared_by_membership_not_name(corpus_copy, tmp_path):
    corpus = gold_only(corpus_copy)
    clusters = sorted({q["cluster_id"] for ann in annotations_of(corpus).values() for q in ann["quotes"] if q["cluster_id"]})
    assert clusters, "the seed gold links quotes across documents"
    dropped = clusters[0]

    def renamed(name, items):  # every cluster under another name
        if name == "entities":
            return items
        return [{**x, "cluster_id": x["cluster_id"] and f"other-{x['cluster_id']}"} for x in items]

    def renamed_one_dropped(name, items):
        return [{**x, "cluster_id": None} if x.get("cluster_id") == f"other-{dropped}" else x for x in renamed(name, items)]

    add_layers(corpus, {"model-a": renamed, "model-b": renamed_one_dropped})
    out = tmp_path / "data"
    build(corpus=corpus, out=out)
    every, kept = gold_links(corpus, "quotes"), gold_links(corpus, "quotes", leave_out=dropped)
    assert every > kept
    released = {(r["annotator_a"], r["annotator_b"], r["layer"]): r for r in released_rows(out) if r["metric"] == "cluster_link_f1"}
    expected = {("model-a", "model-b"): (every, kept), ("model-a", GOLD): (every, every), ("model-b", GOLD): (kept, every)}
    _, text = card_metadata(out)
    section = text.split("#### Inter-annotator agreement", 1)[1].split("\n## ", 1)[0]
    for (a, b), (links_a, links_b) in expected.items():
        row = released[a, b, "quotes"]
        value = round(2 * min(links_a, links_b) / (links_a + links_b), 6)  # every link of the smaller side is agreed
        assert (row["value"], row["count_a"], row["count_b"], row["agreed"], row["label"]) == (
            value, links_a, links_b, min(links_a, links_b), None)
        headline = next(r for r in released_rows(out) if (r["annotator_a"], r["annotator_b"], r["layer"], r["label"], r["metric"])
                        == (a, b, "quotes", None, "overlap_f1"))
        assert headline["value"] == 1.0  # the spans agree; only the links differ
        line = next(x for x in section.splitlines() if x.startswith(f"| {a} | {b} | quotes | `overlap_f1` | 1.000000 |"))
        assert line.split(" | ")[-2] == show_value(value)  # the cluster links F1 column, before the documents
    claims = released["model-a", "model-b", "claims"]
    assert claims["count_a"] == claims["count_b"] == claims["agreed"] == gold_links(corpus, "claims")


def test_without_annotator_layers_the_release_builds_loads_and_says_so(corpus_copy, tmp_path):
    out = tmp_path / "data"
    build(corpus=gold_only(corpus_copy), out=out)
    meta, text = card_metadata(out)
    assert "agreement" not in [c["config_name"] for c in meta["configs"]]  # `datasets` cannot load an empty config
    assert not (out / "agreement").exists()
    assert read_json(out / "manifest.json")["counts"]["agreement"] == {}
    section = text.split("#### Inter-annotator agreement", 1)[1].split("\n## ", 1)[0]
    assert "no annotator layers" in section and "|" not in section  # one sentence, no empty table
    for config in [c["config_name"] for c in meta["configs"]]:
        assert datasets.load_dataset(os.path.abspath(out), config)  # every declared config loads


def test_the_committed_release_matches_the_corpus_layers():
    rows = measure_agreement(CORPUS)
    meta, _ = card_metadata(DATA)
    declared = "agreement" in [c["config_name"] for c in meta["configs"]]
    assert declared == bool(rows)
    assert released_rows(DATA) == [{k: v for k, v in r.to_dict().items() if k != "document_id"} for r in rows]


def _with_minimum(corpus, minimum) -> None:
    path = corpus / "dataset.json"
    write_json(path, {**read_json(path), "agreement_minimum": minimum})


def test_a_minimum_agreement_refuses_the_build_naming_pair_layer_metric_and_value(layered, tmp_path):
    out = tmp_path / "data"
    build(corpus=layered, out=out)
    before = tree_bytes(out)
    row = next(r for r in measure_agreement(layered)
               if (r.annotator_a, r.annotator_b, r.layer, r.label, r.metric) == ("model-a", "model-b", "entities", None, "exact_typed_f1"))
    assert row.value < 1
    _with_minimum(layered, {"entities": round(row.value + 0.01, 2)})
    with pytest.raises(BuildError) as info:
        build(corpus=layered, out=out)
    message = str(info.value)
    assert "model-a vs model-b" in message and "entities exact_typed_f1" in message and f"{row.value:.6f}" in message
    assert "\n" not in message
    assert tree_bytes(out) == before  # nothing was published
    with pytest.raises(BuildError):
        check(corpus=layered, out=out)  # `build --check` applies it too


def test_a_minimum_at_the_value_passes_and_gold_is_never_held_to_it(corpus_copy, tmp_path):
    # Two annotators who agree with each other perfectly, and both differ from gold.
    add_layers(gold_only(corpus_copy), {"model-a": every_other_entity, "model-b": every_other_entity})
    rows = measure_agreement(corpus_copy)
    against_gold = next(r for r in rows if (r.annotator_b, r.layer, r.label, r.metric) == (GOLD, "entities", None, "exact_typed_f1"))
    assert against_gold.value < 1
    _with_minimum(corpus_copy, {"entities": 1, "quotes": 1.0, "claims": 1})
    result = build(corpus=corpus_copy, out=tmp_path / "data")
    assert result.stats.agreement == rows
    assert "quotes 1.0" in (tmp_path / "data" / "README.md").read_text(encoding="utf-8")  # the card names the minimum


def test_a_minimum_must_be_a_number_from_0_to_1(layered, tmp_path):
    for n, wrong in enumerate((80, -0.1, "0.8", True)):
        _with_minimum(layered, {"entities": wrong})
        with pytest.raises(CorpusInvalid):
            build(corpus=layered, out=tmp_path / str(n))  # a validation error of dataset.json
    _with_minimum(layered, {"tokens": 50})
    with pytest.raises(CorpusInvalid):
        build(corpus=layered, out=tmp_path / "c")


def test_check_sees_a_changed_layer(layered, tmp_path):
    out = tmp_path / "data"
    build(corpus=layered, out=out)
    assert check(corpus=layered, out=out).stale == []
    doc_id = sorted(annotations_of(layered))[0]
    path = layered / layer_file("model-b", doc_id)
    layer = read_json(path)
    layer["quotes"] = layer["quotes"][1:]
    write_json(path, layer)
    stale = check(corpus=layered, out=out).stale
    assert "README.md (differs)" in stale
    assert any(s.startswith("agreement/") and s.endswith("(differs)") for s in stale)


def test_builds_with_layers_are_byte_identical_whatever_the_workers(layered, tmp_path):
    build(corpus=layered, out=tmp_path / "a", workers=1)
    build(corpus=layered, out=tmp_path / "b", workers=2)
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
