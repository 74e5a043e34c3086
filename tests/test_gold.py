"""The gold annotation of the seed documents follows the guidelines (docs/guidelines.md)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from helpers import CORPUS, ROOT, read_json

from newsspans import labels

QUOTE_MARKS = "\"“”‘’«»"
REGISTRY = {e["entity_id"]: e for e in read_json(CORPUS / "registry.json")["entities"]}
DOCS = {
    p.stem: (read_json(p), (CORPUS / "texts" / f"{p.stem}.txt").read_bytes().decode("utf-8"))
    for p in sorted((CORPUS / "annotations").glob("*.json"))
}


def all_spans(ann):
    for m in ann["entities"]:
        yield m
    for q in ann["quotes"]:
        for part in ("content", "speaker", "cue"):
            if q[part] is not None:
                yield q[part]
    for c in ann["claims"]:
        yield c


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_spans_are_exact_and_trimmed(doc_id):
    ann, text = DOCS[doc_id]
    for s in all_spans(ann):
        assert text[s["start"]:s["end"]] == s["text"]
        assert s["text"] == s["text"].strip(), s


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_mentions_are_flat_ordered_and_linked_by_type(doc_id):
    ann, _ = DOCS[doc_id]
    mentions = ann["entities"]
    assert [m["id"] for m in mentions] == [f"m{i}" for i in range(1, len(mentions) + 1)]
    for a, b in zip(mentions, mentions[1:]):
        assert a["end"] <= b["start"], (a, b)  # flat and in text order
    for m in mentions:
        if m["label"] in labels.ENTITY_ID_LABELS:
            assert REGISTRY[m["entity_id"]]["type"] == m["label"], m
        else:
            assert m["entity_id"] is None, m


def test_registry_is_used_and_its_aliases_are_the_surface_forms():
    forms = defaultdict(set)
    for ann, _ in DOCS.values():
        for m in ann["entities"]:
            if m["entity_id"]:
                forms[m["entity_id"]].add(m["text"])
    assert set(forms) == set(REGISTRY)
    for entity_id, entry in REGISTRY.items():
        assert sorted(entry["aliases"]) == sorted(forms[entity_id]), entity_id
    assert list(REGISTRY) == sorted(REGISTRY)


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_every_alias_occurrence_is_annotated_or_a_listed_exception(doc_id):
    """Guidelines 3.4: an uncovered alias is (1) the start of a longer word that is a NORP
    mention ("Iran" in "Iranian") or (2) inside a longer mention of another entity."""
    ann, text = DOCS[doc_id]
    mentions = ann["entities"]
    uncovered = []
    for entity_id, entry in REGISTRY.items():
        for alias in entry["aliases"]:
            for match in re.finditer(re.escape(alias), text):
                s, e = match.span()
                exact = [m for m in mentions if (m["start"], m["end"]) == (s, e) and m["entity_id"] == entity_id]
                if exact:
                    continue
                # A mention of the same entity that contains this occurrence ("Pezeshkian" in "Masoud Pezeshkian").
                same = [m for m in mentions if m["start"] <= s and e <= m["end"] and m["entity_id"] == entity_id]
                if same:
                    continue
                derived = [m for m in mentions if m["start"] == s and m["end"] > e and m["label"] == "NORP"
                           and text[s:m["end"]].isalpha()]
                longer_name = [m for m in mentions if m["start"] <= s and e <= m["end"] and (m["end"] - m["start"]) > len(alias)
                               and m["entity_id"] != entity_id]
                if not (derived or longer_name):
                    uncovered.append((alias, s, e, text[max(0, s - 15):e + 15]))
    assert uncovered == []


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_quotes_follow_the_content_rules(doc_id):
    ann, text = DOCS[doc_id]
    quotes = ann["quotes"]
    assert [q["id"] for q in quotes] == [f"q{i}" for i in range(1, len(quotes) + 1)]
    assert [q["content"]["start"] for q in quotes] == sorted(q["content"]["start"] for q in quotes)
    for q in quotes:
        c = q["content"]
        if q["type"] == "direct":
            assert text[c["start"] - 1] in QUOTE_MARKS and text[c["end"]] in QUOTE_MARKS, q["id"]
            assert not any(ch in QUOTE_MARKS for ch in c["text"]), q["id"]
        elif q["type"] == "indirect":
            assert not any(ch in QUOTE_MARKS for ch in c["text"]), q["id"]
            assert not c["text"].startswith("that "), q["id"]
            assert c["text"][-1] not in ".!?", q["id"]
        else:
            assert any(ch in QUOTE_MARKS for ch in c["text"]), q["id"]
        for part in ("speaker", "cue"):
            p = q[part]
            if p is not None:
                assert p["end"] <= c["start"] or c["end"] <= p["start"], (q["id"], part)
        if q["speaker_entity_id"] is not None:
            assert q["speaker_entity_id"] in REGISTRY


@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_claims_have_a_known_claimant(doc_id):
    ann, _ = DOCS[doc_id]
    claims = ann["claims"]
    assert [c["id"] for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]
    for c in claims:
        assert c["claimant"] == labels.AUTHOR_CLAIMANT or c["claimant"] in REGISTRY
        assert c["text"][-1] not in ".!?"


def test_every_cluster_links_both_documents():
    where = defaultdict(set)
    for doc_id, (ann, _) in DOCS.items():
        for item in ann["quotes"] + ann["claims"]:
            if item["cluster_id"]:
                where[item["cluster_id"]].add(doc_id)
    assert where and all(len(docs) >= 2 for docs in where.values()), dict(where)


def test_the_guidelines_define_every_label():
    guide = (ROOT / "docs" / "guidelines.md").read_text(encoding="utf-8")
    for name in labels.ENTITY_LABELS + labels.CLAIM_LABELS:
        assert re.search(rf"\b{name}\b", guide), name
    for name in labels.QUOTE_TYPES:
        assert re.search(rf"\b{name}\b", guide, flags=re.I), name
