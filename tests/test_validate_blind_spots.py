"""Three things the validator once let through or said badly: a speaker_entity_id without a speaker
(E-QUOTE-SPEAKER-MISSING), an id that is no lowercase ASCII slug (E-ID-PATTERN, with the characters
named and the slug suggested), and overlapping W-ENT-UNANNOTATED suggestions (the longest only)."""

from __future__ import annotations

import re
import sys

import pytest
from helpers import ROOT, document_ids, read_json, write_json
from hypothesis import given
from hypothesis import strategies as st

from newsspans.labels import SLUG, slugify
from newsspans.model import RegistryEntry
from newsspans.validation import AliasIndex, iter_problems

sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "validator"))
import make_fixtures  # noqa: E402
from make_fixtures import TEXT, ann, ents  # noqa: E402


def fixture_corpus(root, mutate):
    """The validator fixtures' valid one-document corpus (d1), changed by ``mutate(files)``."""
    files = make_fixtures.base()
    mutate(files)
    make_fixtures.write(root, files)
    return root


def problems(root):
    return list(iter_problems(root, workers=1))


# -- a speaker_entity_id without a speaker --------------------------------------------------------

def test_a_speaker_id_without_a_speaker_is_an_error_naming_the_mention_it_may_have_lost(tmp_path):
    def mutate(files):
        ann(files)["quotes"][0]["speaker"] = None

    root = fixture_corpus(tmp_path / "c", mutate)
    [p] = problems(root)
    q = make_fixtures.base()["annotations/d1.json"]["quotes"][0]
    speaker, content = q["speaker"], q["content"]
    k = next(k for k, m in enumerate(ents(make_fixtures.base())) if (m["start"], m["end"]) == (speaker["start"], speaker["end"]))
    assert (p.code, p.severity, p.item, p.start, p.end) == (
        "E-QUOTE-SPEAKER-MISSING", "error", "quotes[0].speaker_entity_id", content["start"], content["end"])
    lines = (root / "annotations" / "d1.json").read_text(encoding="utf-8").splitlines()
    assert p.line == next(n for n, line in enumerate(lines, 1) if '"id": "q1"' in line)
    assert p.message == "speaker_entity_id 'masoud-pezeshkian' is set, but the speaker is null"
    # The lost speaker was a mention of the entity, the one nearest the cue: the fix names it.
    assert f"{speaker['text']!r} at {speaker['start']}-{speaker['end']}, entities[{k}]" in p.fix
    assert p.fix.endswith("or set speaker_entity_id to null")


def test_a_speaker_id_with_no_mention_of_its_entity_outside_the_content_still_gets_a_fix(tmp_path):
    def mutate(files):
        q = ann(files)["quotes"][0]
        q["speaker"], q["speaker_entity_id"] = None, "russia"  # "Russia" is mentioned inside the content only

    [p] = problems(fixture_corpus(tmp_path / "c", mutate))
    assert (p.code, p.fix) == ("E-QUOTE-SPEAKER-MISSING", "annotate the speaker span, or set speaker_entity_id to null")


def test_a_quote_without_speaker_and_speaker_id_passes(tmp_path):
    def mutate(files):
        q = ann(files)["quotes"][0]
        q["speaker"], q["speaker_entity_id"] = None, None

    assert problems(fixture_corpus(tmp_path / "c", mutate)) == []


def test_every_speaker_id_left_without_its_speaker_in_the_corpus_is_reported_once(corpus_copy):
    expected = []
    for doc_id in document_ids(corpus_copy):
        path = corpus_copy / "annotations" / f"{doc_id}.json"
        value = read_json(path)
        for k, q in enumerate(value["quotes"]):
            if q["speaker_entity_id"] is not None:
                q["speaker"] = None
                expected.append((doc_id, f"quotes[{k}].speaker_entity_id"))
        write_json(path, value)
    assert expected, "the corpus has a quote with a speaker_entity_id"
    found = problems(corpus_copy)
    assert {p.code for p in found} == {"E-QUOTE-SPEAKER-MISSING"}
    assert sorted((p.document_id, p.item) for p in found) == sorted(expected)


# -- ids that are no slug -------------------------------------------------------------------------

@pytest.mark.parametrize("text, slug", [
    ("ingrid-sæther", "ingrid-saether"), ("Ingrid Sæther", "ingrid-saether"), ("Łódź", "lodz"), ("Straße", "strasse"),
    ("Þórr Øster", "thorr-oster"), ("Đorđe Œuvre", "dorde-oeuvre"), ("Ælfred", "aelfred"), ("São Tomé", "sao-tome"),
    ("O'Brien", "o-brien"), ("the author", "the-author"), ("--a--b--", "a-b"), ("iran\n", "iran"), ("日本", ""),
])
def test_slugify_spells_letters_in_ascii_and_gives_the_slug_form(text, slug):
    assert slugify(text) == slug
    assert slug == "" or re.match(SLUG, slug)


def set_entity_id(value):
    def mutate(files):
        ents(files)[1]["entity_id"] = value
    return mutate


def set_quote(key, value):
    def mutate(files):
        ann(files)["quotes"][0][key] = value
    return mutate


def set_claimant(value):
    def mutate(files):
        ann(files)["claims"][0]["claimant"] = value
    return mutate


@pytest.mark.parametrize("mutate, item, forbidden, fix", [
    (set_entity_id("ingrid-sæther"), "entities[1].entity_id", '"æ" (U+00E6)', 'did you mean "ingrid-saether"?'),
    (set_entity_id("Sergei Shoigu"), "entities[1].entity_id", '"S" (U+0053), " " (U+0020)', 'did you mean "sergei-shoigu"?'),
    (set_quote("speaker_entity_id", "masoud-pezeshkián"), "quotes[0].speaker_entity_id", '"á" (U+00E1)',
     'did you mean "masoud-pezeshkian"?'),
    (set_quote("cluster_id", "partners_2024"), "quotes[0].cluster_id", '"_" (U+005F)', 'did you mean "partners-2024"?'),
    (set_claimant("the author"), "claims[0].claimant", '" " (U+0020)', 'did you mean "author"? (the article\'s own voice)'),
    (set_claimant("Author"), "claims[0].claimant", '"A" (U+0041)', 'did you mean "author"? (the article\'s own voice)'),
    (set_claimant("a report"), "claims[0].claimant", '" " (U+0020)',
     'did you mean "a-report"? A claimant is "author" or a registry id; a source with no registry id is "author" '
     '(guidelines 5.3)'),
])
def test_an_id_that_is_no_slug_names_the_characters_and_suggests_the_slug(tmp_path, mutate, item, forbidden, fix):
    [p] = problems(fixture_corpus(tmp_path / "c", mutate))
    assert (p.code, p.item, p.fix) == ("E-ID-PATTERN", item, fix)
    assert "has characters the id pattern forbids: " + forbidden + ";" in p.message
    assert "expected null" not in p.message


def test_a_slug_claimant_naming_the_author_is_told_author(tmp_path):
    [p] = problems(fixture_corpus(tmp_path / "c", set_claimant("the-author")))
    assert (p.code, p.item, p.fix) == ("E-CLAIM-CLAIMANT", "claims[0].claimant", "did you mean 'author'?")


def test_an_id_with_only_its_hyphens_wrong_is_told_so(tmp_path):
    [p] = problems(fixture_corpus(tmp_path / "c", set_entity_id("sergei--shoigu")))
    assert (p.code, p.fix) == ("E-ID-PATTERN", 'did you mean "sergei-shoigu"?')
    assert "a hyphen at its start or end, or two in a row" in p.message


def test_registry_story_and_annotator_ids_are_checked_alike(tmp_path):
    def mutate(files):
        files["registry.json"]["entities"][4]["entity_id"] = "Tehrān"
        files["documents/d1.json"]["story_id"] = "Fixture Story"
        make_fixtures.annotators(files, "Model A")

    found = {p.item: p for p in problems(fixture_corpus(tmp_path / "c", mutate)) if p.code == "E-ID-PATTERN"}
    assert {item: p.fix for item, p in found.items()} == {
        "entities[4].entity_id": 'did you mean "tehran"?', "story_id": 'did you mean "fixture-story"?',
        "annotators[0].annotator_id": 'did you mean "model-a"?'}


def test_a_nullable_value_says_what_its_non_null_form_wants(tmp_path):
    """A group id is nullable and no slug: the message is its pattern's, not "expected null"."""
    [p] = problems(fixture_corpus(tmp_path / "c", set_quote("group_id", "G1")))
    assert (p.code, p.item) == ("E-SCHEMA", "quotes[0].group_id")
    assert p.message.startswith('"G1" does not match the pattern ^g[1-9]')


# -- W-ENT-UNANNOTATED: the longest alias only --------------------------------------------------

def test_an_uncovered_name_is_suggested_whole_not_with_its_shorter_alias_inside(tmp_path):
    def mutate(files):
        del ents(files)[0]  # "Masoud Pezeshkian"; its alias "Pezeshkian" is at its end
        for k, m in enumerate(ents(files)):
            m["id"] = f"m{k + 1}"

    found = [p for p in problems(fixture_corpus(tmp_path / "c", mutate)) if p.code == "W-ENT-UNANNOTATED"]
    name = TEXT.index("Masoud Pezeshkian")
    assert [(p.start, p.end, p.fix) for p in found] == [
        (name, name + len("Masoud Pezeshkian"), "annotate 0-17 as PERSON with entity_id 'masoud-pezeshkian'")]


def index_of(*aliases):
    return AliasIndex({f"e{i}": RegistryEntry(f"e{i}", a, "ORG", (a,), None) for i, a in enumerate(aliases)})


@pytest.mark.parametrize("aliases, text, kept", [
    (("Ingrid Sæther", "Sæther"), "Ingrid Sæther spoke; Sæther left.", ["Ingrid Sæther", "Sæther"]),
    (("New York", "York Times Company"), "the New York Times Company", ["York Times Company"]),
    (("ab", "bc"), "abc", ["ab"]),  # as long: the leftmost
    (("Iran", "Russia"), "Iran and Russia", ["Iran", "Russia"]),
])
def test_find_flat_keeps_the_longest_then_leftmost_and_never_overlaps(aliases, text, kept):
    assert [alias for _, _, alias in index_of(*aliases).find_flat(text)] == kept


@given(st.lists(st.text("ab ", min_size=1, max_size=4), min_size=1, max_size=5), st.text("ab ", max_size=30))
def test_find_flat_drops_a_match_only_for_a_kept_one_at_least_as_long_that_overlaps_it(aliases, text):
    index = index_of(*dict.fromkeys(aliases))
    kept = index.find_flat(text)
    assert all(a[1] <= b[0] for a, b in zip(kept, kept[1:]))  # in text order, never overlapping
    for s, e, alias in index.find(text):
        if (s, e, alias) not in kept:
            assert any(ks < e and s < ke and (ke - ks, -ks) > (e - s, -s) for ks, ke, _ in kept), (s, e, alias)
    assert set(kept) <= set(index.find(text))


def test_the_fixture_of_each_new_code_reports_it_alone():
    for code in ("E-QUOTE-SPEAKER-MISSING", "E-ID-PATTERN"):
        lines = (ROOT / "tests" / "fixtures" / "validator" / code / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert [f"[{code}]" in line for line in lines] == [True], code
