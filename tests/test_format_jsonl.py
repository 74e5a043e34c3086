"""JSON Lines: Prodigy and GLiNER shapes; every layer reads back exactly."""

from __future__ import annotations

import json

from helpers import CORPUS
from helpers import run
from test_tokens import GOLD

from newsspans.corpus import dumps_canonical
from newsspans.dataset import split_of
from newsspans.formats import jsonl

TRAIN = [doc for doc in GOLD if split_of(doc.meta.story_id) == "train"]


def test_every_layer_reads_back_byte_identical(tmp_path):
    code, out, err = run("export", "jsonl", "--corpus", CORPUS, "--out", tmp_path / "j")
    assert code == 0, err
    text = (tmp_path / "j" / "train.jsonl").read_text(encoding="utf-8")
    back = list(jsonl.parse(text, file="train.jsonl"))
    assert TRAIN and len(back) == len(TRAIN)
    for doc, (doc_text, ann) in zip(TRAIN, back):
        assert doc_text == doc.text
        assert dumps_canonical(ann.to_dict()) == (CORPUS / "annotations" / f"{doc.id}.json").read_text(encoding="utf-8")


def test_prodigy_and_gliner_fields_agree(tmp_path):
    run("export", "jsonl", "--corpus", CORPUS, "--out", tmp_path / "j")
    lines = (tmp_path / "j" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    # The seed 000 (its glued "presidentMasoud" is the case to check), wherever it sorts.
    first = next(r for r in map(json.loads, lines) if r["meta"]["id"] == "000_1936301ef05f6424")
    tokens = first["tokens"]
    assert first["tokenized_text"] == [t["text"] for t in tokens]
    for span, (a, b, label) in zip(first["spans"], first["ner"]):
        assert (span["token_start"], span["token_end"], span["label"]) == (a, b, label)
        assert first["text"][tokens[a]["start"]:tokens[b]["end"]] == span["text"]  # token_end inclusive
    president = next(t for t in tokens if t["text"] == "president")
    assert president["ws"] is False and tokens[president["id"] + 1]["text"] == "Masoud"


def test_a_broken_line_names_the_file_and_line():
    import pytest

    with pytest.raises(jsonl.FormatError, match=r"^x.jsonl:2: not a NewsSpans JSONL record"):
        list(jsonl.parse('{"x": 1}\n{"meta": {}}\n'.replace('{"x": 1}', json.dumps({
            "text": "a", "meta": {"id": "d"}, "spans": [], "quotes": [], "claims": []})), file="x.jsonl"))
