"""The release loads offline through ``datasets`` itself, typed, with exact spans."""

from __future__ import annotations

import os

import pytest
from helpers import CORPUS, DATA, read_json, write_json

import datasets
from datasets import ClassLabel
from newsspans import build
from newsspans.dataset import CONFIGS, FEATURES
from newsspans.labels import CLAIM_LABELS, ENTITY_LABELS, QUOTE_TYPES

DOC = "000_1936301ef05f6424"


def load(folder, config, **kw):
    return datasets.load_dataset(os.path.abspath(folder), config, **kw)


def corpus_counts():
    anns = [read_json(p) for p in sorted((CORPUS / "annotations").glob("*.json"))]
    return {
        "documents": len(anns),
        "entities": sum(len(a["entities"]) for a in anns),
        "quotes": sum(len(a["quotes"]) for a in anns),
        "claims": sum(len(a["claims"]) for a in anns),
        "registry": len(read_json(CORPUS / "registry.json")["entities"]),
        "tokens": _sentences(),
        "sentences": _sentences(),
    }


def _sentences():
    from newsspans.validation import Corpus
    from newsspans.tokenize import segment

    corpus = Corpus(CORPUS)
    registry, _ = corpus.read_registry()
    return sum(len(segment(doc)) for _, doc, _ in corpus.iter_documents(registry))


@pytest.fixture(scope="module")
def loaded():
    return {config: load(DATA, config) for config in CONFIGS}


@pytest.mark.parametrize("config", CONFIGS)
def test_every_config_loads_with_its_features_and_rows(loaded, config):
    ds = loaded[config]
    assert list(ds) == ["train"]  # one story, so one split
    assert ds["train"].features == FEATURES[config]
    assert ds["train"].num_rows == corpus_counts()[config]


def test_class_labels_come_through(loaded):
    assert loaded["entities"]["train"].features["label"] == ClassLabel(names=list(ENTITY_LABELS))
    assert loaded["quotes"]["train"].features["type"] == ClassLabel(names=list(QUOTE_TYPES))
    assert loaded["claims"]["train"].features["label"] == ClassLabel(names=list(CLAIM_LABELS))
    assert loaded["registry"]["train"].features["type"] == ClassLabel(names=list(ENTITY_LABELS))


def test_the_default_config_is_documents():
    ds = datasets.load_dataset(os.path.abspath(DATA))
    assert ds["train"].features == FEATURES["documents"]


def test_every_span_is_exact_against_its_document(loaded):
    texts = {d["id"]: d["text"] for d in loaded["documents"]["train"]}
    n = 0
    for m in loaded["entities"]["train"]:
        assert texts[m["document_id"]][m["start"]:m["end"]] == m["text"]
        n += 1
    for c in loaded["claims"]["train"]:
        assert texts[c["document_id"]][c["start"]:c["end"]] == c["text"]
        n += 1
    for q in loaded["quotes"]["train"]:
        for part in ("content", "speaker", "cue"):
            s = q[part]
            if s is not None:
                assert texts[q["document_id"]][s["start"]:s["end"]] == s["text"]
                n += 1
    for d in loaded["documents"]["train"]:
        for m in d["entities"]:
            assert d["text"][m["start"]:m["end"]] == m["text"]
            n += 1
    assert n > 200


def test_the_texts_are_the_corpus_texts(loaded):
    for d in loaded["documents"]["train"]:
        assert d["text"] == (CORPUS / "texts" / f"{d['id']}.txt").read_bytes().decode("utf-8")


def test_streaming_gives_the_same_rows(loaded):
    streamed = load(DATA, "quotes", streaming=True)
    assert streamed["train"].features == FEATURES["quotes"]
    assert list(streamed["train"]) == list(loaded["quotes"]["train"])


def test_a_rebuilt_folder_never_serves_the_stale_cache(corpus_copy, tmp_path):
    out = tmp_path / "data"
    build(corpus=corpus_copy, out=out)
    first = load(out, "entities")["train"]
    card = (out / "README.md").read_text(encoding="utf-8")
    # Change the data: drop one mention; `datasets` caches on the card's text alone.
    ann_file = corpus_copy / "annotations" / f"{DOC}.json"
    ann = read_json(ann_file)
    dropped = ann["entities"].pop(0)
    write_json(ann_file, ann)
    build(corpus=corpus_copy, out=out)
    assert (out / "README.md").read_text(encoding="utf-8") != card
    second = load(out, "entities")["train"]
    assert second.num_rows == first.num_rows - 1
    assert f"{DOC}:{dropped['id']}" not in set(second["id"])
