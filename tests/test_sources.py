"""The corpus sources: texts byte for byte, metadata, version in one place."""

from __future__ import annotations

import hashlib
import re

from helpers import CORPUS, ROOT, document_ids, metadata_of, read_json

from newsspans.validation import Corpus
from newsspans.corpus import dumps_canonical

# The SHA-256 of the two seed files as received (the definition of "byte for byte").
SEED_SHA256 = {
    "000_1936301ef05f6424": "5f349b82c605b63eb34a27d6f5e4f81b48c5cbe447ccc4463339312ff7945c9b",
    "004_30159cef070f4760": "da413ffc4e61488d479bbd78b66431ad463e55d593ed297c8995b439a8b67fee",
}


def test_texts_are_the_seeds_byte_for_byte():
    for doc_id, digest in SEED_SHA256.items():
        data = (CORPUS / "texts" / f"{doc_id}.txt").read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
    assert (CORPUS / "texts" / "004_30159cef070f4760.txt").read_bytes().endswith(b"systems.\n\n")
    zero = (CORPUS / "texts" / "000_1936301ef05f6424.txt").read_bytes()
    assert not zero.endswith(b"\n")
    assert "presidentMasoud".encode() in zero and "“accelerate”".encode() in zero


def test_metadata_records_each_text():
    metas = metadata_of(CORPUS)
    assert sorted(metas) == document_ids(CORPUS) and set(SEED_SHA256) <= set(metas)
    for doc_id, meta in metas.items():
        assert meta["id"] == doc_id
        assert meta["sha256"] == hashlib.sha256((CORPUS / "texts" / f"{doc_id}.txt").read_bytes()).hexdigest()
    for doc_id in SEED_SHA256:
        assert metas[doc_id]["source"] == f"{doc_id}.txt"
        assert metas[doc_id]["language"] == "en"
    zero = read_json(CORPUS / "documents" / "000_1936301ef05f6424.json")
    four = read_json(CORPUS / "documents" / "004_30159cef070f4760.json")
    assert zero["story_id"] == four["story_id"]  # both report one event
    assert four["published"] == "2024-08-06"
    assert four["title"].startswith("Let's join forces against them: Shoygu and Pezeshkian")
    assert zero["published"] is None and zero["title"] is None  # 000 states neither


def test_version_lives_in_one_place_and_changelog_records_it():
    version = read_json(CORPUS / "dataset.json")["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    hits = [p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in {".json", ".txt", ".md"}
            and p.name != "dataset.json" and f'"version": "{version}"' in p.read_text(encoding="utf-8")]
    assert hits == []
    assert f"## {version}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_corpus_json_files_are_canonical():
    # One item per line: diffs stay small and problem lines point at items.
    for path in sorted(CORPUS.rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert dumps_canonical(read_json(path)) == text, f"{path} is not in canonical form"


def test_every_source_is_valid():
    corpus = Corpus(CORPUS)
    assert corpus.layout_problems() == []
    _, problems = corpus.read_dataset()
    registry, more = corpus.read_registry()
    problems += more
    for _, _, found in corpus.iter_documents(registry):
        problems += found
    assert [str(p) for p in problems] == []
