"""The gold annotation follows the guidelines (docs/guidelines.md), checked through ``validate``.

Every rule of the guidelines that the data can show is a check of the validator, with a stable
code (docs/checks.md) and a minimal invalid fixture (tests/fixtures/validator/). So the gold is
right when the validator finds nothing in it: no error, and no warning either, since each warning
encodes a convention of the guidelines. Nothing here depends on which documents the corpus holds
or how many: a correctly annotated document added to corpus/ keeps every test green.
"""

from __future__ import annotations

import re
import shutil

import pytest
from helpers import CORPUS, ROOT, document_ids, read_json, write_json

from newsspans import labels
from newsspans.validation import CODES, WARNING, iter_problems, validate

#: The rules the gold was once tested for here, and the codes that now report them.
RULES = {
    "spans are exact: text[start:end] == text": ["E-SPAN-TEXT", "E-SPAN-BOUNDS", "E-SPAN-ORDER"],
    "spans are trimmed": ["E-SPAN-WHITESPACE"],
    "mention, quote and claim ids are m1…, q1…, c1… in text order": ["W-ID-ORDER", "W-ITEM-ORDER"],
    "mentions are flat": ["E-ENT-OVERLAP"],
    "an id-carrying mention links a registry entity of its label; others link none":
        ["E-ENT-ID-MISSING", "E-ENT-ID-FORBIDDEN", "E-ENT-REF", "E-ENT-TYPE"],
    "every registry entry is used": ["W-REG-UNUSED"],
    "the aliases are exactly the surface forms of the entity's mentions": ["W-REG-ALIAS-MISSING", "W-REG-ALIAS-UNUSED"],
    "the registry is sorted by entity_id": ["W-REG-ORDER"],
    "every alias occurrence is annotated, or inside a longer mention": ["W-ENT-UNANNOTATED"],
    "direct content lies between quotation marks": ["E-QUOTE-MARKS"],
    "quotation marks inside the content fit the quote type": ["W-QUOTE-TYPE-MARKS"],
    "indirect content has no leading 'that'": ["W-QUOTE-THAT"],
    "claims and indirect contents have no final punctuation": ["W-SPAN-PUNCT"],
    "speaker and cue lie outside the content": ["E-QUOTE-OVERLAP"],
    "speaker_entity_id and claimant resolve": ["E-QUOTE-SPEAKER-REF", "E-CLAIM-CLAIMANT"],
    "every cluster links at least two documents": ["W-CLUSTER-SINGLE"],
}


@pytest.fixture(scope="module")
def gold_problems():
    return list(iter_problems(CORPUS))


def test_the_gold_validates():
    validate(CORPUS)  # raises CorpusInvalid, with every problem, on an error


@pytest.mark.parametrize("code", list(CODES))
def test_the_gold_has_no_problem_of(code, gold_problems):
    assert [str(p) for p in gold_problems if p.code == code] == []


@pytest.mark.parametrize("rule", list(RULES))
def test_each_former_gold_rule_is_a_warning_or_error_of_the_validator(rule):
    assert RULES[rule] and all(code in CODES for code in RULES[rule]), rule


def test_the_guideline_conventions_are_warnings():
    """A convention an annotator may break on purpose warns; it never fails the build."""
    for code in ("W-ID-ORDER", "W-ITEM-ORDER", "W-REG-ORDER", "W-REG-ALIAS-MISSING", "W-REG-ALIAS-UNUSED",
                 "W-QUOTE-TYPE-MARKS", "W-QUOTE-THAT", "W-SPAN-PUNCT", "W-CLUSTER-SINGLE"):
        assert CODES[code].severity == WARNING, code


def test_a_correctly_annotated_new_document_keeps_the_gold_clean(tmp_path):
    """The checks hold on a growing corpus: a new document, here a copy of each existing one under
    a new id (numbered from m1, linked to the same entities), brings no problem."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    for doc_id in document_ids(CORPUS):
        new = f"{doc_id}-copy"
        shutil.copyfile(corpus / "texts" / f"{doc_id}.txt", corpus / "texts" / f"{new}.txt")
        meta = read_json(corpus / "documents" / f"{doc_id}.json")
        write_json(corpus / "documents" / f"{new}.json", {**meta, "id": new})
        ann = read_json(corpus / "annotations" / f"{doc_id}.json")
        write_json(corpus / "annotations" / f"{new}.json", {**ann, "document_id": new})
    assert list(iter_problems(corpus)) == []


def test_the_guidelines_define_every_label():
    """Not a rule of the data, so no check of the validator: the guidelines document every label."""
    guide = (ROOT / "docs" / "guidelines.md").read_text(encoding="utf-8")
    for name in labels.ENTITY_LABELS + labels.CLAIM_LABELS:
        assert re.search(rf"\b{name}\b", guide), name
    for name in labels.QUOTE_TYPES:
        assert re.search(rf"\b{name}\b", guide, flags=re.I), name


def test_the_gold_is_what_the_annotators_layers_and_the_decisions_give(corpus_copy):
    """Where the corpus has annotators' layers, its gold is their adjudication: every decision is
    made, and applying the decisions gives the gold as it is (`newsspans adjudicate --check`)."""
    from newsspans.adjudication import adjudicate

    result = adjudicate(corpus=corpus_copy, dry_run=True)
    assert result.check_failures() == []
    assert all(not d.gold.changed for d in result.documents if d.gold is not None)
