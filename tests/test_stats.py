"""``newsspans stats`` and ``newsspans ls``: every figure equals what the corpus files hold
(counted here from the files themselves, never hard-coded), documents with errors are named and
left out as the build leaves them out, and the output streams in every format."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from helpers import CORPUS, LAYERS, annotations_of, document_ids, layer_counts, metadata_of, read_json, run, split_of_document, write_json

from newsspans.agreement import LABELS
from newsspans.dataset import SPLITS

LABEL_KEY = {"entities": "label", "quotes": "type", "claims": "label"}


def stats_json(*args):
    code, out, err = run("stats", "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def layer_files(corpus):
    """Every annotator's layer files, parsed: annotator -> document id -> annotation."""
    return {folder.name: {p.stem: read_json(p) for p in sorted(folder.glob("*.json"))}
            for folder in sorted((corpus / "layers").glob("*")) if folder.is_dir()}


def test_the_totals_and_the_tables_are_the_files_counts():
    value = stats_json("--corpus", CORPUS)
    totals = value["totals"]
    assert totals["documents"] == len(document_ids(CORPUS)) and totals["left_out"] == 0 and totals["errors"] == 0
    assert {layer: totals[layer] for layer in LAYERS} == layer_counts(CORPUS)
    splits = split_of_document(CORPUS)
    expected = Counter()
    for doc_id, ann in annotations_of(CORPUS).items():
        for layer in LAYERS:
            for item in ann[layer]:
                expected[(layer, item[LABEL_KEY[layer]], splits[doc_id])] += 1
    for row in value["by_label"]:
        assert row["count"] == sum(row[s] for s in SPLITS)
        for split in SPLITS:
            assert row[split] == expected[(row["layer"], row["label"], split)], row
    assert [(r["layer"], r["label"]) for r in value["by_label"]] == [(layer, label) for layer in LAYERS for label in LABELS[layer]]
    by_split = {r["split"]: r for r in value["by_split"]}
    assert list(by_split) == list(SPLITS)
    for split in SPLITS:
        docs = [d for d, s in splits.items() if s == split]
        assert by_split[split]["documents"] == len(docs)
        for layer in LAYERS:
            assert by_split[split][layer] == sum(len(annotations_of(CORPUS)[d][layer]) for d in docs)


def test_by_annotator_counts_each_layer_and_lists_annotators_without_one():
    rows = stats_json("--corpus", CORPUS, "--by", "annotator")["rows"]
    assert rows[0] == {"annotator": "gold", "kind": "gold", "documents": len(document_ids(CORPUS)), **layer_counts(CORPUS)}
    listed = {a["annotator_id"]: a["kind"] for a in read_json(CORPUS / "annotators.json")["annotators"]}
    layers = layer_files(CORPUS)
    assert [r["annotator"] for r in rows[1:]] == sorted(set(listed) | set(layers))
    for row in rows[1:]:
        anns = layers.get(row["annotator"], {})
        assert row["kind"] == listed.get(row["annotator"])
        assert row["documents"] == len(anns)
        assert {layer: row[layer] for layer in LAYERS} == {layer: sum(len(a[layer]) for a in anns.values()) for layer in LAYERS}


def test_text_and_markdown_show_every_table():
    code, out, _ = run("stats", "--corpus", CORPUS)
    assert code == 0
    assert out.splitlines()[0].split() == ["documents", "left_out", *LAYERS, "annotators", "layers", "errors"]
    assert "layer     label" in out and "split " in out and "annotator " in out
    code, out, _ = run("stats", "--corpus", CORPUS, "--format", "markdown")
    assert [line for line in out.splitlines() if line.startswith("### ")] == [
        "### Totals", "### By label", "### By split", "### By annotator"]
    code, out, _ = run("stats", "--corpus", CORPUS, "--by", "split", "--format", "markdown")
    assert out.splitlines()[:2] == ["| split | documents | entities | quotes | claims |", "|---|---:|---:|---:|---:|"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_by_document_streams_one_row_per_document(fmt):
    code, out, _ = run("stats", "--corpus", CORPUS, "--by", "document", "--format", fmt)
    assert code == 0
    anns, splits, layers = annotations_of(CORPUS), split_of_document(CORPUS), layer_files(CORPUS)
    expected = [{"document": d, "split": splits[d], **{layer: len(anns[d][layer]) for layer in LAYERS},
                 "layers": sum(d in docs for docs in layers.values()), "errors": 0} for d in document_ids(CORPUS)]
    if fmt == "json":
        assert json.loads(out) == {"rows": expected}
        return
    lines = out.splitlines()
    sep = "\t" if fmt == "text" else " | "
    body = lines[1:] if fmt == "text" else lines[2:]
    assert [line.strip("| ").split(sep) for line in body] == [[str(v) for v in row.values()] for row in expected]


def test_ls_lists_each_document_with_its_metadata_and_counts(monkeypatch):
    anns, metas, splits, layers = annotations_of(CORPUS), metadata_of(CORPUS), split_of_document(CORPUS), layer_files(CORPUS)
    code, out, err = run("ls", "--corpus", CORPUS)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split("\t") == ["id", "title", "published", "source", "split", "annotators", *LAYERS, "errors"]
    assert [line.split("\t")[0] for line in lines[1:]] == document_ids(CORPUS)
    for line in lines[1:]:
        doc_id, title, published, source, split, annotators, *counts, errors = line.split("\t")
        meta = metas[doc_id]
        assert (title, published, source, split) == (meta["title"] or "-", meta["published"] or "-", meta["source"], splits[doc_id])
        assert annotators == (",".join(a for a in sorted(layers) if doc_id in layers[a]) or "-")
        assert counts == [str(len(anns[doc_id][layer])) for layer in LAYERS] and errors == "0"
    code, out, _ = run("ls", "--corpus", CORPUS, "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == document_ids(CORPUS)
    for r in records:
        meta = metas[r["id"]]
        assert {k: r[k] for k in ("title", "published", "source", "language", "story_id")} == \
               {k: meta[k] for k in ("title", "published", "source", "language", "story_id")}
        assert r["url"] == meta.get("url")
    code, out, _ = run("ls", "--corpus", CORPUS, "--format", "json")
    assert json.loads(out) == {"documents": records}


def test_a_title_with_a_tab_stays_on_its_line_in_text_and_whole_in_json(corpus_copy):
    doc_id = document_ids(corpus_copy)[0]
    path = corpus_copy / "documents" / f"{doc_id}.json"
    write_json(path, {**read_json(path), "title": "A\ttitle\nin two lines"})
    _, out, _ = run("ls", "--corpus", corpus_copy)
    assert out.splitlines()[1].split("\t")[:2] == [doc_id, "A title in two lines"]
    _, out, _ = run("ls", "--corpus", corpus_copy, "--format", "jsonl")
    assert json.loads(out.splitlines()[0])["title"] == "A\ttitle\nin two lines"


def test_a_document_with_an_error_is_named_and_left_out_as_the_build_leaves_it(corpus_copy):
    bad = document_ids(corpus_copy)[0]
    path = corpus_copy / "annotations" / f"{bad}.json"
    ann = read_json(path)
    ann["entities"][0]["start"] += 1  # its stored text no longer matches: E-SPAN-TEXT
    write_json(path, ann)
    code, out, err = run("stats", "--corpus", corpus_copy, "--format", "json")
    assert code == 1
    assert err == (f"newsspans stats: 1 document(s) with errors are not counted, as the build would not release them: "
                   f"{bad} (run newsspans validate)\n")
    totals = json.loads(out)["totals"]
    kept = [d for d in document_ids(corpus_copy) if d != bad]
    assert totals["documents"] == len(kept) and totals["left_out"] == 1 and totals["errors"] >= 1
    assert totals["entities"] == sum(len(annotations_of(corpus_copy)[d]["entities"]) for d in kept)
    code, out, err = run("ls", "--corpus", corpus_copy, "--format", "jsonl")
    assert code == 1 and bad in err
    record = json.loads(out.splitlines()[0])
    assert record["id"] == bad and record["errors"] >= 1 and record["entities"] is None


def test_a_missing_folder_is_a_usage_error_and_a_broken_registry_is_reported(corpus_copy, tmp_path):
    code, _, err = run("stats", "--corpus", tmp_path / "nowhere")
    assert code == 2 and err == f"newsspans stats: {tmp_path / 'nowhere'}: no such corpus folder\n"
    (corpus_copy / "registry.json").write_text("{", encoding="utf-8")
    code, out, err = run("ls", "--corpus", corpus_copy)
    assert code == 1 and out == "" and "[E-FILE-JSON]" in err and "Traceback" not in err


def test_worker_processes_and_a_packed_corpus_give_the_same_figures(corpus_copy, tmp_path, monkeypatch):
    import newsspans.validation._parallel as parallel

    serial = run("stats", "--corpus", corpus_copy, "--format", "json", "--workers", "1")[1]
    listing = run("ls", "--corpus", corpus_copy, "--format", "jsonl", "--workers", "1")[1]
    assert run("pack", "--corpus", corpus_copy, "--out", tmp_path / "packed")[0] == 0
    assert run("stats", "--corpus", tmp_path / "packed", "--format", "json")[1] == serial
    monkeypatch.setattr(parallel, "PARALLEL_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(parallel, "CHUNK_DOCUMENTS", 1)
    assert run("stats", "--corpus", corpus_copy, "--format", "json", "--workers", "2")[1] == serial
    assert run("ls", "--corpus", corpus_copy, "--format", "jsonl", "--workers", "2")[1] == listing
