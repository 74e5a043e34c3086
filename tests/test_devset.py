"""The development set for suggestions (tests/fixtures/devset/corpus) is a valid corpus of its own,
its texts are the ones its metadata records, and it shares no document with the seed corpus."""

from __future__ import annotations

import hashlib

from helpers import CORPUS, ROOT, document_ids, read_json

from newsspans.validation import iter_problems

DEVSET = ROOT / "tests" / "fixtures" / "devset" / "corpus"


def test_the_devset_validates_without_any_problem():
    problems = list(iter_problems(DEVSET, workers=1))
    assert [f"{p.code} {p.message}" for p in problems] == []


def test_every_devset_text_has_the_sha256_of_its_metadata():
    ids = document_ids(DEVSET)
    assert ids
    for doc_id in ids:
        meta = read_json(DEVSET / "documents" / f"{doc_id}.json")
        data = (DEVSET / "texts" / meta["source"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == meta["sha256"], doc_id


def test_the_devset_is_disjoint_from_the_seed_corpus():
    dev, seed = set(document_ids(DEVSET)), set(document_ids(CORPUS))
    assert dev and seed
    assert not dev & seed

    def hashes(corpus):
        return {read_json(p)["sha256"] for p in (corpus / "documents").glob("*.json")}

    assert not hashes(DEVSET) & hashes(CORPUS)
