"""The development set and the held-out test set for suggestions (tests/fixtures/devset/corpus,
tests/fixtures/heldout/corpus) are valid corpora of their own, their texts are the ones their
metadata records, and they share no document with the seed corpus or with each other."""

from __future__ import annotations

import hashlib

import pytest
from helpers import CORPUS, ROOT, document_ids, read_json

from newsspans.validation import iter_problems

DEVSET = ROOT / "tests" / "fixtures" / "devset" / "corpus"
HELDOUT = ROOT / "tests" / "fixtures" / "heldout" / "corpus"
SETS = pytest.mark.parametrize("corpus", [DEVSET, HELDOUT], ids=["devset", "heldout"])


def hashes(corpus):
    return {read_json(p)["sha256"] for p in (corpus / "documents").glob("*.json")}


@SETS
def test_the_set_validates_without_any_problem(corpus):
    problems = list(iter_problems(corpus, workers=1))
    assert [f"{p.code} {p.message}" for p in problems] == []


@SETS
def test_every_text_has_the_sha256_of_its_metadata(corpus):
    ids = document_ids(corpus)
    assert ids
    for doc_id in ids:
        meta = read_json(corpus / "documents" / f"{doc_id}.json")
        data = (corpus / "texts" / meta["source"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == meta["sha256"], doc_id


@pytest.mark.parametrize("one, other", [(DEVSET, CORPUS), (HELDOUT, CORPUS), (HELDOUT, DEVSET)],
                         ids=["devset-seeds", "heldout-seeds", "heldout-devset"])
def test_the_sets_are_disjoint(one, other):
    a, b = set(document_ids(one)), set(document_ids(other))
    assert a and b
    assert not a & b
    assert not hashes(one) & hashes(other)
