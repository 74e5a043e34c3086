"""``newsspans add``: texts enter the corpus byte for byte; datelines become metadata."""

from __future__ import annotations

import hashlib

import pytest
from helpers import CORPUS, read_json

from newsspans.validation import Corpus
from newsspans.errors import NewsSpansError
from newsspans.corpus import add_document, parse_dateline


def test_dateline_of_the_004_seed():
    text = (CORPUS / "texts" / "004_30159cef070f4760.txt").read_text(encoding="utf-8")
    title, published = parse_dateline(text)
    assert published == "2024-08-06"
    assert title == ("Let's join forces against them: Shoygu and Pezeshkian declare strategic "
                     "Iran-Russia partnership against Western dominance")


def test_no_dateline_gives_nothing():
    text = (CORPUS / "texts" / "000_1936301ef05f6424.txt").read_text(encoding="utf-8")
    assert parse_dateline(text) == (None, None)
    # The two dates of a dateline must agree, or neither is trusted.
    assert parse_dateline(" date 2024-08-07 A title Tuesday, August 6, 2024 7:28:33 PM\n") == (None, None)


def test_add_copies_bytes_exactly_and_writes_a_valid_document(tmp_path):
    corpus = tmp_path / "corpus"
    for sub in ("texts", "documents", "annotations"):
        (corpus / sub).mkdir(parents=True)
    source = tmp_path / "emoji_doc.txt"
    data = "Line one\r\nA rocket 🚀 and a BOM-less “quote”\n\n".encode("utf-8")
    source.write_bytes(data)
    meta = add_document(source, corpus=corpus, story_id="some-story")
    assert (corpus / "texts" / "emoji_doc.txt").read_bytes() == data
    assert meta.sha256 == hashlib.sha256(data).hexdigest()
    stored = read_json(corpus / "documents" / "emoji_doc.json")
    assert stored == meta.to_dict()
    assert read_json(corpus / "annotations" / "emoji_doc.json") == {
        "document_id": "emoji_doc", "entities": [], "quotes": [], "claims": []}
    doc, problems = Corpus(corpus).read_document("emoji_doc", registry={})
    assert problems == [] and doc is not None and doc.text == data.decode("utf-8")


def test_add_refuses_to_overwrite_and_writes_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "annotations").mkdir(parents=True)
    (corpus / "annotations" / "x.json").write_text("{}", encoding="utf-8")
    source = tmp_path / "x.txt"
    source.write_text("hello", encoding="utf-8")
    with pytest.raises(NewsSpansError, match="already exists"):
        add_document(source, corpus=corpus, story_id="s")
    assert not (corpus / "texts").exists()


@pytest.mark.parametrize("story_id", ["Has Spaces", "UPPER", "", "-lead"])
def test_add_rejects_a_bad_story_id(tmp_path, story_id):
    source = tmp_path / "x.txt"
    source.write_text("hello", encoding="utf-8")
    with pytest.raises(NewsSpansError, match="story id"):
        add_document(source, corpus=tmp_path / "c", story_id=story_id)


def test_add_rejects_text_that_is_not_utf8(tmp_path):
    source = tmp_path / "latin.txt"
    source.write_bytes("café".encode("latin-1"))
    with pytest.raises(NewsSpansError, match="byte 3 is not UTF-8"):
        add_document(source, corpus=tmp_path / "c", story_id="s")
