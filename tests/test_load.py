"""The release loads offline through ``datasets`` itself, typed, with exact spans."""

from __future__ import annotations

import os

import pytest
from helpers import CORPUS, DATA, annotations_of, document_ids, expected_release_rows, read_json, split_of_document, write_json

import datasets
from datasets import ClassLabel
from newsspans import build
from newsspans.dataset import CONFIGS, FEATURES, OPTIONAL_CONFIGS
from newsspans.labels import CLAIM_LABELS, ENTITY_LABELS, QUOTE_TYPES

DOC = "000_1936301ef05f6424"


def load(folder, config, **kw):
    return datasets.load_dataset(os.path.abspath(folder), config, **kw)


def rows(ds):
    """Every row of every split of a loaded config."""
    return [row for split in ds for row in ds[split]]


@pytest.fixture(scope="module")
def expected():
    return expected_release_rows(CORPUS)


@pytest.fixture(scope="module")
def loaded(expected):
    """Every config with rows (an optional config without rows is not declared: `datasets` cannot load it)."""
    return {config: load(DATA, config) for config in CONFIGS if expected[config]}


@pytest.mark.parametrize("config", CONFIGS)
def test_every_config_loads_with_its_features_and_rows(loaded, expected, config):
    if not expected[config]:
        assert config in OPTIONAL_CONFIGS and config not in loaded
        with pytest.raises(ValueError, match=config):
            load(DATA, config)
        return
    ds = loaded[config]
    assert {split: ds[split].num_rows for split in ds} == expected[config]  # the splits of the corpus's stories
    for split in ds:
        assert ds[split].features == FEATURES[config]


def test_every_split_holds_the_documents_of_its_stories(loaded):
    ds = loaded["documents"]
    assert {split: sorted(ds[split]["id"]) for split in ds} == {
        split: sorted(d for d, s in split_of_document(CORPUS).items() if s == split)
        for split in set(split_of_document(CORPUS).values())}


def test_class_labels_come_through(loaded):
    for config, column, names in (("entities", "label", ENTITY_LABELS), ("quotes", "type", QUOTE_TYPES),
                                  ("claims", "label", CLAIM_LABELS), ("registry", "type", ENTITY_LABELS)):
        for split in loaded[config]:
            assert loaded[config][split].features[column] == ClassLabel(names=list(names))


def test_the_default_config_is_documents(expected):
    ds = datasets.load_dataset(os.path.abspath(DATA))
    assert set(ds) == set(expected["documents"])
    for split in ds:
        assert ds[split].features == FEATURES["documents"]


def test_every_span_is_exact_against_its_document(loaded):
    texts = {d["id"]: d["text"] for d in rows(loaded["documents"])}
    n = 0
    for m in rows(loaded["entities"]):
        assert texts[m["document_id"]][m["start"]:m["end"]] == m["text"]
        n += 1
    for c in rows(loaded["claims"]):
        assert texts[c["document_id"]][c["start"]:c["end"]] == c["text"]
        n += 1
    for q in rows(loaded["quotes"]):
        for part in ("content", "speaker", "cue"):
            s = q[part]
            if s is not None:
                assert texts[q["document_id"]][s["start"]:s["end"]] == s["text"]
                n += 1
    for d in rows(loaded["documents"]):
        for m in d["entities"]:
            assert d["text"][m["start"]:m["end"]] == m["text"]
            n += 1
    # Every span of the corpus was checked: mentions twice (their config and the documents config).
    anns = annotations_of(CORPUS).values()
    spans = sum(2 * len(a["entities"]) + len(a["claims"]) for a in anns) + sum(
        1 + (q["speaker"] is not None) + (q["cue"] is not None) for a in anns for q in a["quotes"])
    assert n == spans > 0


def test_the_texts_are_the_corpus_texts(loaded):
    docs = rows(loaded["documents"])
    assert sorted(d["id"] for d in docs) == document_ids(CORPUS)
    for d in docs:
        assert d["text"] == (CORPUS / "texts" / f"{d['id']}.txt").read_bytes().decode("utf-8")


def test_streaming_gives_the_same_rows(loaded):
    streamed = load(DATA, "quotes", streaming=True)
    assert set(streamed) == set(loaded["quotes"])
    for split in streamed:
        assert streamed[split].features == FEATURES["quotes"]
        assert list(streamed[split]) == list(loaded["quotes"][split])


def test_a_rebuilt_folder_never_serves_the_stale_cache(corpus_copy, tmp_path):
    out = tmp_path / "data"
    build(corpus=corpus_copy, out=out)
    split = split_of_document(corpus_copy)[DOC]
    first = load(out, "entities")[split]
    card = (out / "README.md").read_text(encoding="utf-8")
    # Change the data: drop one mention; `datasets` caches on the card's text alone.
    ann_file = corpus_copy / "annotations" / f"{DOC}.json"
    ann = read_json(ann_file)
    dropped = ann["entities"].pop(0)
    write_json(ann_file, ann)
    build(corpus=corpus_copy, out=out)
    assert (out / "README.md").read_text(encoding="utf-8") != card
    second = load(out, "entities")[split]
    assert second.num_rows == first.num_rows - 1
    assert f"{DOC}:{dropped['id']}" not in set(second["id"])
