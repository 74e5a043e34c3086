"""Agreement metrics: each one against a small case computed by hand (the arithmetic is written
beside it), the matching rule, alpha against the ``krippendorff`` package, pairs and documents,
and ``newsspans agree``."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import run
from hypothesis import given
from hypothesis import strategies as st

from newsspans.agreement import (CORPUS_ONLY, AgreementRow, Match, match_spans, measure_agreement, nominal_alpha,
                                 row_key, jaccard)
from newsspans.errors import BadInput
from newsspans.model import Span

# --- a tiny corpus written by the test ------------------------------------------------------------


def span(text: str, snippet: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(snippet, start + 1)
    return {"start": start, "end": start + len(snippet), "text": snippet}


def ent(text, i, snippet, label, entity_id=None, nth=0):
    return {"id": f"m{i}", **span(text, snippet, nth), "label": label, "entity_id": entity_id}


def quote(text, i, type_, content, speaker=None, cue=None, speaker_entity_id=None):
    part = lambda x: None if x is None else span(text, *x) if isinstance(x, tuple) else span(text, x)  # noqa: E731
    return {"id": f"q{i}", "type": type_, "content": part(content), "speaker": part(speaker), "cue": part(cue),
            "speaker_entity_id": speaker_entity_id, "group_id": None, "cluster_id": None}


def claim(text, i, snippet, label, claimant="author"):
    return {"id": f"c{i}", **span(text, snippet), "label": label, "claimant": claimant, "cluster_id": None}


def annotation(doc_id, entities=(), quotes=(), claims=()):
    return {"document_id": doc_id, "entities": list(entities), "quotes": list(quotes), "claims": list(claims)}


def write_corpus(root: Path, texts: dict[str, str], gold: dict[str, dict], layers: dict[str, dict[str, dict]],
                 listed=None) -> Path:
    """A corpus folder with ``texts`` (id -> text), ``gold`` annotations and each annotator's
    ``layers`` (annotator -> id -> annotation); ``listed`` annotators (default: those of ``layers``)."""
    for folder in ("texts", "documents", "annotations"):
        (root / folder).mkdir(parents=True)
    (root / "dataset.json").write_text("{}", encoding="utf-8")
    (root / "registry.json").write_text('{"entities": []}', encoding="utf-8")
    for doc_id, text in texts.items():
        (root / "texts" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (root / "annotations" / f"{doc_id}.json").write_text(json.dumps(gold.get(doc_id, annotation(doc_id))), encoding="utf-8")
    for annotator, docs in layers.items():
        (root / "layers" / annotator).mkdir(parents=True)
        for doc_id, ann in docs.items():
            (root / "layers" / annotator / f"{doc_id}.json").write_text(json.dumps(ann), encoding="utf-8")
    names = sorted(layers) if listed is None else listed
    entries = [{"annotator_id": a, "kind": "model", "note": None} for a in names]
    (root / "annotators.json").write_text(json.dumps({"annotators": entries}), encoding="utf-8")
    return root


def pick(rows, a, b, layer, metric, label=None, document_id=None) -> AgreementRow:
    found = [r for r in rows if (r.annotator_a, r.annotator_b, r.layer, r.metric, r.label, r.document_id)
             == (a, b, layer, metric, label, document_id)]
    assert len(found) == 1, (a, b, layer, metric, label, found)
    return found[0]


def counts(row: AgreementRow) -> tuple:
    return (row.value, row.count_a, row.count_b, row.agreed)


# --- the matching rule ---------------------------------------------------------------------------


def S(start, end):  # noqa: N802
    return Span(start, end, "")


def test_jaccard_is_shared_over_covered_characters():
    assert jaccard(S(0, 10), S(5, 15)) == Fraction(5, 15)  # shared 5..10 = 5; covered 0..15 = 15
    assert jaccard(S(0, 10), S(0, 8)) == Fraction(8, 10)
    assert jaccard(S(0, 4), S(4, 8)) == 0  # touching spans share nothing
    assert jaccard(S(3, 7), S(3, 7)) == 1


def test_matching_keeps_pairs_at_half_or_more():
    assert match_spans([S(0, 10)], [S(0, 5)]) == [Match(index_a=0, index_b=0, jaccard=Fraction(1, 2))]  # 5/10 = 0.5
    assert match_spans([S(0, 10)], [S(0, 4)]) == []  # 4/10 < 0.5
    assert match_spans([S(0, 10)], [S(5, 15)]) == []  # 5/15 < 0.5


def test_matching_takes_the_highest_jaccard_first_and_one_to_one():
    # a0 = 0..10: with b0 = 0..6 J = 6/10, with b1 = 0..9 J = 9/10 -> a0-b1 first.
    # a1 = 0..6: with b0 J = 1, taken before a0-b1 (J 0.9); then a0 takes b1.
    assert match_spans([S(0, 10), S(0, 6)], [S(0, 6), S(0, 9)]) == [
        Match(index_a=0, index_b=1, jaccard=Fraction(9, 10)), Match(index_a=1, index_b=0, jaccard=Fraction(1))]
    # One item of b for two of a: a0 = 0..10 (J 8/10 with b0 = 0..8), a1 = 0..6 (J 6/8): a0 wins, a1 stays unmatched.
    assert match_spans([S(0, 10), S(0, 6)], [S(0, 8)]) == [Match(index_a=0, index_b=0, jaccard=Fraction(8, 10))]


def test_ties_are_broken_by_position():
    # b0 = 1..11 against a0 = 0..10 and a1 = 2..12: both share 9 characters of 11 (J = 9/11): a0 starts first.
    assert match_spans([S(2, 12), S(0, 10)], [S(1, 11)]) == [Match(index_a=1, index_b=0, jaccard=Fraction(9, 11))]
    # a0 = 0..10 against b0 = 0..5 and b1 = 5..10: J = 1/2 each; b0 starts first.
    assert match_spans([S(0, 10)], [S(5, 10), S(0, 5)]) == [Match(index_a=0, index_b=1, jaccard=Fraction(1, 2))]


spans = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)).map(lambda t: S(t[0], t[0] + t[1])), max_size=8)


@given(spans, spans)
def test_the_matching_is_one_to_one_above_the_threshold_and_maximal(a, b):
    matches = match_spans(a, b)
    assert len({m.index_a for m in matches}) == len({m.index_b for m in matches}) == len(matches)
    assert all(m.jaccard == jaccard(a[m.index_a], b[m.index_b]) >= Fraction(1, 2) for m in matches)
    free_a = set(range(len(a))) - {m.index_a for m in matches}
    free_b = set(range(len(b))) - {m.index_b for m in matches}
    assert not any(jaccard(a[i], b[j]) >= Fraction(1, 2) for i in free_a for j in free_b)  # greedy leaves no candidate
    # Greedy: no match could be swapped for an unmatched candidate of higher Jaccard.
    for m in matches:
        for j in free_b:
            assert jaccard(a[m.index_a], b[j]) <= m.jaccard
    assert match_spans(a, b) == matches  # deterministic


# --- each metric against a case computed by hand -------------------------------------------------

ENT_TEXT = "Alice Smith met Bob Jones in Paris on Monday."


@pytest.fixture
def entity_rows(tmp_path):
    t = ENT_TEXT
    a = annotation("d1", [ent(t, 1, "Alice Smith", "PERSON", "alice"), ent(t, 2, "Bob Jones", "PERSON", "bob"),
                          ent(t, 3, "Paris", "GPE", "paris"), ent(t, 4, "Monday", "DATE")])
    b = annotation("d1", [ent(t, 1, "Alice Smith", "PERSON", "alice"), ent(t, 2, "Bob Jones", "ORG", "bob"),
                          ent(t, 3, "in Paris", "GPE", "paris-fr"), ent(t, 4, "on", "TIME", nth=1)])  # the word "on" (the first "on" is in "Jones")
    root = write_corpus(tmp_path / "c", {"d1": t}, {}, {"ann-a": {"d1": a}, "ann-b": {"d1": b}})
    return measure_agreement(root)


def test_entity_metrics_over_all_labels(entity_rows):
    e = lambda metric: counts(pick(entity_rows, "ann-a", "ann-b", "entities", metric))  # noqa: E731
    # n_a = n_b = 4. Exact and typed: only Alice Smith/PERSON -> F1 = 2*1/(4+4) = 0.25.
    assert e("exact_typed_f1") == (0.25, 4, 4, 1)
    # Exact offsets, type ignored: Alice Smith and Bob Jones -> 2*2/8 = 0.5.
    assert e("exact_untyped_f1") == (0.5, 4, 4, 2)
    # Overlap: also Paris 29-34 with "in Paris" 26-34 (J = 5/8 >= 0.5); Monday/on share nothing -> 2*3/8 = 0.75.
    assert e("overlap_f1") == (0.75, 4, 4, 3)
    # On the 3 matched pairs, same type: PERSON=PERSON, PERSON!=ORG, GPE=GPE -> 2/3.
    assert e("label_agreement") == (0.666667, 3, 3, 2)
    # All 3 pairs have an entity_id: alice=alice, bob=bob, paris!=paris-fr -> 2/3.
    assert e("entity_id_agreement") == (0.666667, 3, 3, 2)


def test_entity_metrics_per_label(entity_rows):
    e = lambda label, metric: counts(pick(entity_rows, "ann-a", "ann-b", "entities", metric, label))  # noqa: E731
    # PERSON: a has Alice Smith and Bob Jones, b has Alice Smith -> 2*1/(2+1) = 0.666667.
    assert e("PERSON", "exact_typed_f1") == (0.666667, 2, 1, 1)
    assert e("PERSON", "overlap_f1") == (0.666667, 2, 1, 1)
    assert e("PERSON", "entity_id_agreement") == (1.0, 1, 1, 1)
    # ORG: only b's Bob Jones -> 2*0/(0+1) = 0; no matched pair -> entity_id agreement undefined.
    assert e("ORG", "exact_typed_f1") == (0.0, 0, 1, 0)
    assert e("ORG", "entity_id_agreement") == (None, 0, 0, 0)
    # GPE: Paris vs "in Paris": not exact (0/2), overlapping (2*1/2 = 1), ids differ (0/1).
    assert e("GPE", "exact_typed_f1") == (0.0, 1, 1, 0)
    assert e("GPE", "overlap_f1") == (1.0, 1, 1, 1)
    assert e("GPE", "entity_id_agreement") == (0.0, 1, 1, 0)
    assert e("DATE", "overlap_f1") == (0.0, 1, 0, 0)
    assert e("TIME", "overlap_f1") == (0.0, 0, 1, 0)
    # Labels nobody used have no row; metrics without per-label rows have none.
    assert not [r for r in entity_rows if r.label in ("NORP", "LOC")]
    assert not [r for r in entity_rows if r.label is not None and r.metric in ("exact_untyped_f1", "label_agreement", "alpha")]


def test_entity_alpha_on_tokens(entity_rows):
    # Tokens: Alice Smith met Bob Jones in Paris on Monday .  (10)
    # a: PER PER O PER PER O   GPE O    DATE O
    # b: PER PER O ORG ORG GPE GPE TIME O    O
    # Agree on 5 tokens (Alice, Smith, met, Paris, .); disagree on 5.
    # n = 20 values; marginals PER 4+2=6, O 4+3=7, GPE 1+2=3, ORG 2, DATE 1, TIME 1: sum n_c^2 = 36+49+9+4+1+1 = 100.
    # alpha = 1 - (n-1) * (2*5) / (n^2 - 100) = 1 - 19*10/300 = 11/30 = 0.366667.
    assert counts(pick(entity_rows, "ann-a", "ann-b", "entities", "alpha")) == (0.366667, 10, 10, 5)
    assert nominal_alpha([["P", "P", "O", "P", "P", "O", "G", "O", "D", "O"],
                          ["P", "P", "O", "R", "R", "G", "G", "T", "O", "O"]]) == pytest.approx(11 / 30)


QUOTE_TEXT = 'Ann said "we agree" and Ben said "no deal" today.'


@pytest.fixture
def quote_rows(tmp_path):
    t = QUOTE_TEXT
    a = annotation("d1", quotes=[
        quote(t, 1, "direct", "we agree", "Ann", "said", "ann"),
        quote(t, 2, "direct", "no deal", "Ben", ("said", 1), "ben"),
        quote(t, 3, "indirect", "today")])
    b = annotation("d1", quotes=[
        quote(t, 1, "direct", "we agree", "Ann", None, "ann"),
        quote(t, 2, "indirect", 'no deal" today', None, ("said", 1), None),
        quote(t, 3, "indirect", "today")])
    root = write_corpus(tmp_path / "c", {"d1": t}, {}, {"ann-a": {"d1": a}, "ann-b": {"d1": b}})
    return measure_agreement(root)


def test_quote_metrics_over_all_types(quote_rows):
    q = lambda metric: counts(pick(quote_rows, "ann-a", "ann-b", "quotes", metric))  # noqa: E731
    # Contents: "we agree" = "we agree" (J 1); "no deal" in 'no deal" today' (J 7/14 = 0.5); "today" = "today".
    assert q("overlap_f1") == (1.0, 3, 3, 3)
    # Types: direct=direct, direct!=indirect, indirect=indirect -> 2/3.
    assert q("type_agreement") == (0.666667, 3, 3, 2)
    # Speakers: Ann=Ann, Ben!=null, null=null (both null agree) -> 2/3.
    assert q("speaker_agreement") == (0.666667, 3, 3, 2)
    # Cues: said!=null, said=said, null=null -> 2/3.
    assert q("cue_agreement") == (0.666667, 3, 3, 2)
    # speaker_entity_id: only pairs where one side has one: ann=ann, ben!=null -> 1/2.
    assert q("speaker_entity_id_agreement") == (0.5, 2, 2, 1)


def test_quote_metrics_per_type(quote_rows):
    q = lambda label, metric: counts(pick(quote_rows, "ann-a", "ann-b", "quotes", metric, label))  # noqa: E731
    # direct: a has 2, b has 1 ("we agree") -> 2*1/3; on that pair the cue differs (said vs null).
    assert q("direct", "overlap_f1") == (0.666667, 2, 1, 1)
    assert q("direct", "speaker_agreement") == (1.0, 1, 1, 1)
    assert q("direct", "cue_agreement") == (0.0, 1, 1, 0)
    assert q("direct", "speaker_entity_id_agreement") == (1.0, 1, 1, 1)
    # indirect: a has "today", b has 'no deal" today' and "today"; "today" matches "today" (J 1; with the other
    # J = 5/14) -> 2*1/3; no speaker_entity_id on either side -> undefined.
    assert q("indirect", "overlap_f1") == (0.666667, 1, 2, 1)
    assert q("indirect", "speaker_entity_id_agreement") == (None, 0, 0, 0)
    assert not [r for r in quote_rows if r.label is not None and r.metric == "type_agreement"]


def test_quote_alpha_on_tokens(quote_rows):
    # Tokens (15): Ann said " we agree " and Ben said " no deal " today .
    # a inside a content: we agree no deal today (5); b: we agree no deal " today (6): they differ on one token.
    # n = 30; QUOTE 5+6 = 11, O 10+9 = 19: 30^2 - (121 + 361) = 418; alpha = 1 - 29*2/418 = 360/418 = 0.861244.
    assert counts(pick(quote_rows, "ann-a", "ann-b", "quotes", "alpha")) == (0.861244, 15, 15, 14)


CLAIM_TEXT = "Prices rose 5% in May. Exports fell sharply. The plan works."


@pytest.fixture
def claim_rows(tmp_path):
    t = CLAIM_TEXT
    a = annotation("d1", claims=[claim(t, 1, "Prices rose 5% in May", "CFS"), claim(t, 2, "Exports fell sharply", "UFS")])
    b = annotation("d1", claims=[claim(t, 1, "Prices rose 5%", "CFS", "ministry"), claim(t, 2, "Exports fell sharply", "CFS"),
                                 claim(t, 3, "The plan works", "UFS")])
    root = write_corpus(tmp_path / "c", {"d1": t}, {}, {"ann-a": {"d1": a}, "ann-b": {"d1": b}})
    return measure_agreement(root)


def test_claim_metrics(claim_rows):
    c = lambda metric, label=None: counts(pick(claim_rows, "ann-a", "ann-b", "claims", metric, label))  # noqa: E731
    # "Prices rose 5%" (14) inside "Prices rose 5% in May" (21): J = 14/21 >= 0.5; "Exports fell sharply" equal;
    # "The plan works" unmatched -> 2*2/(2+3) = 0.8.
    assert c("overlap_f1") == (0.8, 2, 3, 2)
    assert c("label_agreement") == (0.5, 2, 2, 1)  # CFS=CFS, UFS!=CFS
    assert c("claimant_agreement") == (0.5, 2, 2, 1)  # author!=ministry, author=author
    # CFS: a {Prices…May}, b {Prices rose 5%, Exports…} -> one match, 2*1/3; its claimants differ.
    assert c("overlap_f1", "CFS") == (0.666667, 1, 2, 1)
    assert c("claimant_agreement", "CFS") == (0.0, 1, 1, 0)
    # UFS: a {Exports…}, b {The plan works} share nothing -> 0/2; no pair -> claimant agreement undefined.
    assert c("overlap_f1", "UFS") == (0.0, 1, 1, 0)
    assert c("claimant_agreement", "UFS") == (None, 0, 0, 0)


def test_two_claims_on_a_token_give_it_the_higher_label(tmp_path):
    t = "Aa bb cc dd."
    a = annotation("d1", claims=[claim(t, 1, "Aa bb cc", "UFS"), claim(t, 2, "bb cc dd", "CFS")])
    b = annotation("d1", claims=[claim(t, 1, "Aa bb cc dd", "CFS")])
    rows = measure_agreement(write_corpus(tmp_path / "c", {"d1": t}, {}, {"ann-a": {"d1": a}, "ann-b": {"d1": b}}))
    # Tokens Aa bb cc dd . ; a: UFS CFS CFS CFS O (bb and cc: CFS over UFS); b: CFS CFS CFS CFS O.
    # n = 10; UFS 1, CFS 7, O 2: 100 - (1 + 49 + 4) = 46; one token differs: alpha = 1 - 9*2/46 = 28/46 = 0.608696.
    assert counts(pick(rows, "ann-a", "ann-b", "claims", "alpha")) == (0.608696, 5, 5, 4)


def test_nothing_to_compare_is_undefined_never_zero_or_one(tmp_path):
    t = "Nothing happened here."
    empty = annotation("d1")
    rows = measure_agreement(write_corpus(tmp_path / "c", {"d1": t}, {}, {"ann-a": {"d1": empty}, "ann-b": {"d1": empty}}))
    assert rows and {r.label for r in rows} == {None}  # no label was used: no per-label rows
    for r in rows:
        if r.metric == "alpha":
            # The 4 tokens (Nothing happened here .) are O on both sides: expected disagreement 0, alpha undefined.
            assert counts(r) == (None, 4, 4, 4)
        else:
            assert counts(r) == (None, 0, 0, 0), r


# --- cluster links -------------------------------------------------------------------------------

LINK_TEXTS = {"d1": 'Ann said "taxes fall" and Ben said "we strike" today.',
              "d2": 'Ann repeated "taxes fall" while Ben said "we strike" and "no deal" later.'}


def linked(doc_id: str, clusters: dict[str, object]) -> dict:
    """An annotation of ``doc_id`` of LINK_TEXTS: one direct quote per content in ``clusters``, with
    that cluster_id (None: no cluster)."""
    t = LINK_TEXTS[doc_id]
    quotes = [{**quote(t, i, "direct", content), "cluster_id": cluster}
              for i, (content, cluster) in enumerate(clusters.items(), 1)]
    return annotation(doc_id, quotes=quotes)


def link_row(tmp_path, a: dict, b: dict, layer="quotes", **kwargs) -> AgreementRow:
    """The ``cluster_link_f1`` row of ann-a against ann-b, whose layers are ``a`` and ``b`` (doc id -> annotation)."""
    root = write_corpus(tmp_path / "c", LINK_TEXTS, {}, {"ann-a": a, "ann-b": b})
    return pick(measure_agreement(root, **kwargs), "ann-a", "ann-b", layer, "cluster_link_f1")


def test_links_with_other_cluster_names_and_the_same_members_agree(tmp_path):
    a = {"d1": linked("d1", {"taxes fall": "x", "we strike": "y"}), "d2": linked("d2", {"taxes fall": "x", "we strike": "y"})}
    b = {"d1": linked("d1", {"taxes fall": "pm-taxes", "we strike": "union"}),
         "d2": linked("d2", {"taxes fall": "pm-taxes", "we strike": "union"})}
    # Links: a {taxes d1, taxes d2}, {strike d1, strike d2}; b the same pairs under other names -> 2*2/(2+2).
    assert counts(link_row(tmp_path, a, b)) == (1.0, 2, 2, 2)


def test_a_missing_link(tmp_path):
    a = {"d1": linked("d1", {"taxes fall": "x", "we strike": "y"}), "d2": linked("d2", {"taxes fall": "x", "we strike": "y"})}
    b = {"d1": linked("d1", {"taxes fall": "pm", "we strike": "union"}),
         "d2": linked("d2", {"taxes fall": "pm", "we strike": None})}
    # b does not link the strikes (its "union" is in d1 only: no link) -> a 2 links, b 1, agreed 1: 2*1/3.
    row = link_row(tmp_path, a, b)
    assert counts(row) == (0.666667, 2, 1, 1) and row.documents == 2


def test_a_link_whose_end_is_not_matched_is_not_agreed(tmp_path):
    a = {"d1": linked("d1", {"taxes fall": "x", "we strike": "y"}), "d2": linked("d2", {"taxes fall": "x", "we strike": "y"})}
    # b has no quote "we strike" in d2 (a's end is unmatched), and links its strike of d1 with "no deal" of d2,
    # which a did not mark (b's end is unmatched).
    b = {"d1": linked("d1", {"taxes fall": "pm", "we strike": "union"}),
         "d2": linked("d2", {"taxes fall": "pm", "no deal": "union"})}
    # a: {taxes}, {strike d1, strike d2}; b: {taxes}, {strike d1, no deal d2}; only {taxes} agreed -> 2*1/(2+2).
    assert counts(link_row(tmp_path, a, b)) == (0.5, 2, 2, 1)


def test_links_within_one_document_are_none_and_a_cluster_of_three_makes_two_links(tmp_path):
    # The example of docs/agreement.md: P, Q in d1; R, S, T in d2.
    a = {"d1": linked("d1", {"taxes fall": "tax-cut", "we strike": "strike"}),
         "d2": linked("d2", {"taxes fall": "tax-cut", "we strike": "strike", "no deal": "strike"})}
    b = {"d1": linked("d1", {"taxes fall": "pm-on-taxes", "we strike": "union-strike"}),
         "d2": linked("d2", {"taxes fall": "pm-on-taxes", "we strike": "union-strike", "no deal": None})}
    # a: {P, R}, {Q, S}, {Q, T} (S and T share d2: no link) = 3; b: {P, R}, {Q, S} = 2; both agreed -> 2*2/(3+2).
    assert counts(link_row(tmp_path, a, b)) == (0.8, 3, 2, 2)


def test_no_link_on_either_side_is_undefined_and_on_one_side_is_zero(tmp_path):
    none = {"d1": linked("d1", {"taxes fall": None, "we strike": None}), "d2": linked("d2", {"taxes fall": None})}
    # A cluster in one document only (d1 twice) links nothing.
    one_document = {"d1": linked("d1", {"taxes fall": "x", "we strike": "x"}), "d2": linked("d2", {"taxes fall": None})}
    assert counts(link_row(tmp_path / "1", none, one_document)) == (None, 0, 0, 0)
    some = {"d1": linked("d1", {"taxes fall": "x", "we strike": None}), "d2": linked("d2", {"taxes fall": "x"})}
    assert counts(link_row(tmp_path / "2", some, none)) == (0.0, 1, 0, 0)


def test_only_the_documents_both_annotated_take_part(tmp_path):
    a = {"d1": linked("d1", {"taxes fall": "x"}), "d2": linked("d2", {"taxes fall": "x"})}
    b = {"d1": linked("d1", {"taxes fall": "pm"})}  # b did not annotate d2
    # On d1 alone a has no link (its other end is in d2) -> undefined, on one document.
    row = link_row(tmp_path, a, b)
    assert counts(row) == (None, 0, 0, 0) and row.documents == 1
    # a against gold (every document, no cluster): a's link counts, nothing is agreed.
    gold = pick(measure_agreement(tmp_path / "c"), "ann-a", "gold", "quotes", "cluster_link_f1")
    assert counts(gold) == (0.0, 1, 0, 0) and gold.documents == 2


def test_claims_have_cluster_links_and_documents_or_layers_can_be_chosen(tmp_path):
    def claims(doc_id, cluster):
        t = LINK_TEXTS[doc_id]
        return annotation(doc_id, claims=[{**claim(t, 1, "taxes fall", "UFS"), "cluster_id": cluster}])

    a = {"d1": claims("d1", "x"), "d2": claims("d2", "x")}
    b = {"d1": claims("d1", "taxes"), "d2": claims("d2", "taxes")}
    assert counts(link_row(tmp_path / "1", a, b, layer="claims")) == (1.0, 1, 1, 1)
    b["d2"] = claims("d2", None)
    assert counts(link_row(tmp_path / "2", a, b, layer="claims", layers=["claims"])) == (0.0, 1, 0, 0)
    # Choosing one document leaves no link.
    assert counts(link_row(tmp_path / "3", a, b, layer="claims", documents=["d1"])) == (None, 0, 0, 0)
    # Cluster links have one row per layer, over all labels, and none per document.
    rows = measure_agreement(tmp_path / "1" / "c", by_document=True)
    assert rows and not [r for r in rows if r.metric == "cluster_link_f1"]
    assert {r.label for r in measure_agreement(tmp_path / "1" / "c") if r.metric == "cluster_link_f1"} == {None}


SPOTS = {"d1": ("taxes fall", "we strike"), "d2": ("taxes fall", "we strike", "no deal")}
marks = st.fixed_dictionaries({(doc, content): st.one_of(st.none(), st.sampled_from(["-", "x", "y"]))
                               for doc, contents in SPOTS.items() for content in contents})


@given(marks, marks)
def test_agreed_links_are_the_same_counted_from_either_side(mark_a, mark_b):
    """Each spot is left unmarked (None), marked without a cluster ("-") or in cluster x or y, by
    each side; a quote matches the other side's quote on the same spot only."""
    import tempfile

    def layers(mark):
        return {doc: linked(doc, {c: (None if mark[doc, c] == "-" else mark[doc, c])
                                  for c in contents if mark[doc, c] is not None}) for doc, contents in SPOTS.items()}

    def links(mark):
        spots = [(d, c) for (d, c), m in mark.items() if m not in (None, "-")]
        return {frozenset((p, q)) for p in spots for q in spots if p[0] < q[0] and mark[p] == mark[q]}

    def agreed(mine, theirs):  # links of one side both of whose ends the other side links too
        return {link for link in links(mine) if link in links(theirs)}

    with tempfile.TemporaryDirectory() as tmp:
        root = write_corpus(Path(tmp) / "c", LINK_TEXTS, {}, {"ann-a": layers(mark_a), "ann-b": layers(mark_b)})
        row = pick(measure_agreement(root, layers=["quotes"]), "ann-a", "ann-b", "quotes", "cluster_link_f1")
    # A link of b over the same spots as a link of a is over the matched items: the same spots.
    assert row.agreed == len(agreed(mark_a, mark_b)) == len(agreed(mark_b, mark_a))
    assert (row.count_a, row.count_b) == (len(links(mark_a)), len(links(mark_b)))


# --- alpha against the krippendorff package ------------------------------------------------------


def test_alpha_equals_the_krippendorff_package_on_random_data():
    import krippendorff  # the test extra installs it
    import numpy as np

    rng = random.Random(12)
    checked = 0
    for _ in range(300):
        coders, units, values = rng.randint(2, 5), rng.randint(1, 25), rng.randint(1, 5)
        missing = rng.choice((0.0, 0.2, 0.5))
        data = [[None if rng.random() < missing else rng.randrange(values) for _ in range(units)] for _ in range(coders)]
        ours = nominal_alpha(data)
        matrix = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
        try:
            with np.errstate(invalid="ignore", divide="ignore"):  # the package divides 0 by 0 when undefined
                theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        except ValueError:  # the package refuses data with fewer than two values: undefined for us too
            assert ours is None
            continue
        if np.isnan(theirs):
            assert ours is None
        else:
            assert ours == pytest.approx(theirs, abs=1e-9)
            checked += 1
    assert checked > 200


def test_alpha_of_two_coders_is_the_textbook_value():
    # Two coders, 4 units: (a,a) (a,b) (b,b) (b,b). n = 8; a: 3, b: 5 -> 64 - (9 + 25) = 30;
    # one disagreeing unit -> alpha = 1 - 7*2/30 = 16/30.
    assert nominal_alpha([["a", "a", "b", "b"], ["a", "b", "b", "b"]]) == pytest.approx(16 / 30)
    assert nominal_alpha([["a", "a"], ["a", "a"]]) is None  # one value only: undefined
    assert nominal_alpha([["a", None], [None, "b"]]) is None  # no unit has two values


# --- pairs, documents, order ---------------------------------------------------------------------


def _three_annotators(root: Path) -> Path:
    t1, t2 = "Ann met Bob.", "Cid met Dee."
    gold = {"d1": annotation("d1", [ent(t1, 1, "Ann", "PERSON", "ann"), ent(t1, 2, "Bob", "PERSON", "bob")]),
            "d2": annotation("d2", [ent(t2, 1, "Cid", "PERSON", "cid")])}
    layers = {
        "ann-a": {"d1": annotation("d1", [ent(t1, 1, "Ann", "PERSON", "ann")]), "d2": gold["d2"]},
        "ann-b": {"d1": gold["d1"], "d2": annotation("d2", [ent(t2, 1, "Dee", "PERSON", "dee")])},
        "ann-c": {"d2": gold["d2"]},
    }
    return write_corpus(root, {"d1": t1, "d2": t2}, gold, layers)


def test_pairs_are_compared_on_the_documents_both_annotated(tmp_path):
    rows = measure_agreement(_three_annotators(tmp_path / "c"))
    pairs = []
    for r in rows:
        if (r.annotator_a, r.annotator_b) not in pairs:
            pairs.append((r.annotator_a, r.annotator_b))
    # Every two annotators first, then each against gold.
    assert pairs == [("ann-a", "ann-b"), ("ann-a", "ann-c"), ("ann-b", "ann-c"),
                     ("ann-a", "gold"), ("ann-b", "gold"), ("ann-c", "gold")]
    documents = {(r.annotator_a, r.annotator_b): r.documents for r in rows}
    assert documents == {("ann-a", "ann-b"): 2, ("ann-a", "ann-c"): 1, ("ann-b", "ann-c"): 1,
                         ("ann-a", "gold"): 2, ("ann-b", "gold"): 2, ("ann-c", "gold"): 1}
    # Micro-average: a = {Ann} + {Cid}, b = {Ann, Bob} + {Dee}: matched Ann -> 2*1/(2+3) = 0.4.
    assert counts(pick(rows, "ann-a", "ann-b", "entities", "exact_typed_f1")) == (0.4, 2, 3, 1)
    # ann-c has only d2: against ann-a (Cid = Cid) -> 1.0 on one document.
    assert counts(pick(rows, "ann-a", "ann-c", "entities", "exact_typed_f1")) == (1.0, 1, 1, 1)


def test_per_document_rows_add_up_to_the_corpus_rows(tmp_path):
    root = _three_annotators(tmp_path / "c")
    corpus, per_doc = measure_agreement(root), measure_agreement(root, by_document=True)
    assert {r.document_id for r in per_doc} == {"d1", "d2"} and {r.documents for r in per_doc} == {1}
    d1 = pick(per_doc, "ann-a", "ann-b", "entities", "exact_typed_f1", document_id="d1")
    assert counts(d1) == (0.666667, 1, 2, 1)  # {Ann} vs {Ann, Bob}: 2*1/3
    assert not [p for p in per_doc if p.metric in CORPUS_ONLY]  # links join documents: no per-document row
    for r in corpus:
        if r.metric == "alpha" or r.metric in CORPUS_ONLY:
            continue
        parts = [p for p in per_doc if (p.annotator_a, p.annotator_b, p.layer, p.label, p.metric)
                 == (r.annotator_a, r.annotator_b, r.layer, r.label, r.metric)]
        assert sum(p.count_a for p in parts) == r.count_a and sum(p.agreed for p in parts) == r.agreed
    assert per_doc == sorted(per_doc, key=row_key) and corpus == sorted(corpus, key=row_key)


def test_documents_and_layers_can_be_chosen(tmp_path):
    root = _three_annotators(tmp_path / "c")
    rows = measure_agreement(root, documents=["d1"], layers=["claims"])
    assert {r.layer for r in rows} == {"claims"} and {r.documents for r in rows} == {1}
    assert {(r.annotator_a, r.annotator_b) for r in rows} == {("ann-a", "ann-b"), ("ann-a", "gold"), ("ann-b", "gold")}
    with pytest.raises(BadInput, match="no document d9"):
        measure_agreement(root, documents=["d9"])
    with pytest.raises(BadInput, match="no such corpus folder"):
        measure_agreement(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BadInput, match="not a corpus folder"):
        measure_agreement(tmp_path / "empty")


def test_no_annotators_no_rows_and_one_annotator_only_against_gold(tmp_path):
    t = "Ann met Bob."
    assert measure_agreement(write_corpus(tmp_path / "none", {"d1": t}, {}, {})) == []
    one = write_corpus(tmp_path / "one", {"d1": t}, {}, {"ann-a": {"d1": annotation("d1")}})
    assert {(r.annotator_a, r.annotator_b) for r in measure_agreement(one)} == {("ann-a", "gold")}
    # A layer folder of an annotator not in annotators.json is left out.
    unlisted = write_corpus(tmp_path / "unlisted", {"d1": t}, {}, {"ann-a": {"d1": annotation("d1")}}, listed=[])
    assert measure_agreement(unlisted) == []


# --- newsspans agree ------------------------------------------------------------------------------


def test_agree_prints_an_aligned_table_json_and_markdown(tmp_path):
    root = _three_annotators(tmp_path / "c")
    rows = measure_agreement(root)
    code, out, err = run("agree", "--corpus", root)
    assert code == 0 and err == ""
    lines = [line for line in out.splitlines() if line]
    assert lines[0].split() == ["annotator_a", "annotator_b", "layer", "label", "metric", "value", "count_a", "count_b",
                                "agreed", "documents"]
    assert len(lines) == len(rows) + 1
    value_end = lines[0].index("value") + len("value")
    assert all(line[value_end - 1] != " " for line in lines)  # the value column is right-aligned under its header

    code, out, _ = run("agree", "--corpus", root, "--format", "json")
    data = json.loads(out)
    assert code == 0 and [AgreementRow(**r) for r in data["rows"]] == rows
    assert list(data["rows"][0]) == ["annotator_a", "annotator_b", "layer", "label", "metric", "value", "count_a",
                                     "count_b", "agreed", "documents", "document_id"]

    code, out, _ = run("agree", "--corpus", root, "--format", "markdown", "--by", "document", "--layer", "quotes")
    table = out.splitlines()
    assert code == 0 and table[0].startswith("| document |") and len(table) == 2 + len(
        measure_agreement(root, layers=["quotes"], by_document=True))


def test_agree_bad_input_is_one_line_and_status_2(tmp_path, capsys):
    root = _three_annotators(tmp_path / "c")
    for argv in (("--corpus", tmp_path / "nowhere"), ("--corpus", root, "--docs", "d9")):
        code, out, err = run("agree", *argv)
        assert code == 2 and out == "" and len(err.splitlines()) == 1, err
    code, _, _ = run("agree", "--corpus", root, "--layer", "tokens")
    assert code == 2 and "invalid choice" in capsys.readouterr().err  # argparse writes to sys.stderr


def test_agree_without_annotators_says_so(tmp_path):
    root = write_corpus(tmp_path / "c", {"d1": "Ann met Bob."}, {}, {})
    code, out, _ = run("agree", "--corpus", root)
    assert code == 0 and "no annotator layers" in out
    code, out, _ = run("agree", "--corpus", root, "--format", "json")
    assert json.loads(out) == {"rows": []}


def test_agree_warns_about_a_layer_folder_of_no_annotator(tmp_path):
    root = write_corpus(tmp_path / "c", {"d1": "Ann met Bob."}, {}, {"ann-x": {"d1": annotation("d1")}}, listed=[])
    code, _, err = run("agree", "--corpus", root)
    assert code == 0 and "layers/ann-x/" in err


def test_an_unreadable_layer_is_one_line_and_status_1(tmp_path):
    root = _three_annotators(tmp_path / "c")
    (root / "layers" / "ann-a" / "d1.json").write_text("{not json", encoding="utf-8")
    code, _, err = run("agree", "--corpus", root)
    assert code == 1 and len(err.splitlines()) == 1 and "ann-a" in err


@given(st.lists(st.integers(0, 60), max_size=12))
def test_splitting_the_base_tokens_is_the_tokenizer_with_boundaries(cuts):
    from newsspans.agreement import pair_tokens
    from newsspans.model import Annotations, EntityMention
    from newsspans.tokenize import tokenize

    text = "Mr. Shoigu met presidentMasoud Pezeshkian in Tehran, didn't he? 7,200-km."
    points = sorted(set(cuts))
    ents = tuple(EntityMention(f"m{k}", s, e, text[s:e], "ORG", None) for k, (s, e) in enumerate(zip(points, points[1:])) if s < e)
    a, b = Annotations("d", ents[::2]), Annotations("d", ents[1::2])
    bounds = {x for m in ents for x in (m.start, m.end)}
    assert pair_tokens(text, a, b, base=tokenize(text)) == pair_tokens(text, a, b) == tokenize(text, boundaries=bounds)


# --- worker processes ----------------------------------------------------------------------------


def test_worker_processes_give_the_rows_of_one_process(tmp_path, monkeypatch):
    """Above PARALLEL_MIN_DOCUMENTS documents, chunks of documents are compared in worker processes;
    their counts, cluster links across chunks included, add up to those of one process, and the
    per-document rows come back whole and in order."""
    import newsspans.agreement._measure as measure
    from helpers import annotations_of
    from newsspans._synth import write_synthetic_corpus
    from newsspans.validation import CHUNK_DOCUMENTS, PARALLEL_MIN_DOCUMENTS

    root = write_synthetic_corpus(tmp_path / "c", docs=PARALLEL_MIN_DOCUMENTS + 3)
    gold = list(annotations_of(root).values())
    quoted = [i for i, ann in enumerate(gold) if ann["quotes"]]
    before = lambda k: max(i for i in quoted if i < k)  # noqa: E731  (the last document before k with a quote)
    after = lambda k: min(i for i in quoted if i >= k)  # noqa: E731
    c = CHUNK_DOCUMENTS  # documents 0..c-1 are the first chunk
    linked = [after(0), before(c), after(c), after(2 * c), quoted[-1]]  # quote clusters across chunks
    extra = after(linked[0] + 1)
    claim_linked = [c - 1, c, len(gold) - 1]  # claim clusters across chunks
    # ann-a annotates every document; ann-b every fourth and those of the clusters.
    layers = {"ann-a": {i: json.loads(json.dumps(ann)) for i, ann in enumerate(gold)},
              "ann-b": {i: json.loads(json.dumps(ann)) for i, ann in enumerate(gold)
                        if i % 4 == 0 or i in {*linked, extra, *claim_linked}}}
    for i, ann in layers["ann-a"].items():
        if i % 7 == 0:  # a leaves out the first mention
            ann["entities"] = ann["entities"][1:]
    for i, ann in layers["ann-b"].items():
        if i % 5 == 0:  # b gives it another label
            ann["entities"][0]["label"] = "PERSON" if ann["entities"][0]["label"] != "PERSON" else "ORG"
    for k, i in enumerate(linked):  # a: one cluster x; b: p, but q for linked[1] and extra
        layers["ann-a"][i]["quotes"][0]["cluster_id"] = "x"
        layers["ann-b"][i]["quotes"][0]["cluster_id"] = "q" if k == 1 else "p"
    layers["ann-b"][extra]["quotes"][0]["cluster_id"] = "q"
    for i in claim_linked:
        layers["ann-a"][i]["claims"][0]["cluster_id"] = "k"
        layers["ann-b"][i]["claims"][0]["cluster_id"] = "m" if i != claim_linked[-1] else None
    for annotator, docs in layers.items():
        (root / "layers" / annotator).mkdir(parents=True)
        for ann in docs.values():
            (root / "layers" / annotator / f"{ann['document_id']}.json").write_text(json.dumps(ann), encoding="utf-8")
    entries = [{"annotator_id": a, "kind": "model", "note": None} for a in layers]
    (root / "annotators.json").write_text(json.dumps({"annotators": entries}), encoding="utf-8")

    calls = []
    real = measure.map_in_processes
    monkeypatch.setattr(measure, "map_in_processes", lambda *args, **kw: calls.append(kw["workers"]) or real(*args, **kw))
    serial = measure_agreement(root, workers=1)
    assert calls == []
    assert measure_agreement(root, workers=2) == serial and calls == [2]

    # a: 5 quotes in cluster x -> 10 links; b: p over 4 of them (6 links) and q over linked[1] and extra (1 link);
    # agreed: the pairs of (x, p) members, 6 -> 2*6/(10+7). Claims: a links 3 claims (3 links), b 2 of them (1).
    both = sorted(layers["ann-b"])
    row = pick(serial, "ann-a", "ann-b", "quotes", "cluster_link_f1")
    assert counts(row) == (round(12 / 17, 6), 10, 7, 6) and row.documents == len(both)
    assert counts(pick(serial, "ann-a", "ann-b", "claims", "cluster_link_f1")) == (0.5, 3, 1, 1)
    # Exact typed F1 on the documents both annotated: the first mention of every 7th (a) and 5th (b) is unmatched.
    mentions = sum(len(gold[i]["entities"]) for i in both)
    sevens = sum(1 for i in both if i % 7 == 0)
    unmatched = sum(1 for i in both if i % 7 == 0 or i % 5 == 0)
    assert counts(pick(serial, "ann-a", "ann-b", "entities", "exact_typed_f1"))[1:] == (mentions - sevens, mentions,
                                                                                         mentions - unmatched)

    per_document = measure_agreement(root, by_document=True, layers=["claims"], workers=2)
    assert calls == [2, 2] and per_document == sorted(per_document, key=row_key)
    assert {r.document_id for r in per_document} == {ann["document_id"] for ann in gold}
    for r in serial:  # every document's rows came back: they add up to the corpus rows
        if r.layer == "claims" and r.metric not in ("alpha", *CORPUS_ONLY):
            parts = [p for p in per_document if (p.annotator_a, p.annotator_b, p.label, p.metric)
                     == (r.annotator_a, r.annotator_b, r.label, r.metric)]
            assert (sum(p.count_a for p in parts), sum(p.agreed for p in parts)) == (r.count_a, r.agreed)
            assert r.label is not None or len(parts) == r.documents
    sample = [gold[i]["document_id"] for i in (c - 1, c, len(gold) - 1)]  # both sides of chunk boundaries
    assert [r for r in per_document if r.document_id in sample] == measure_agreement(
        root, documents=sample, by_document=True, layers=["claims"], workers=2)  # few documents: one process
    assert calls == [2, 2]
