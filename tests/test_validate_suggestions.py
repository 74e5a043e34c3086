"""``newsspans validate`` on the suggestions files (``corpus/suggestions/<id>.json``): the suggestion
schema, then an annotation file's checks located in the suggestions file, but for the checks that do
not fit suggestions; the unknown-document code; the source digest."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from helpers import ROOT, gold_only, read_json, source_digest_after_reading, write_json

from newsspans.paths import display_path
from newsspans.suggestions import suggest
from newsspans.validation import Corpus, iter_problems

FIXTURES = ROOT / "tests" / "fixtures" / "validator"
sys.path.insert(0, str(FIXTURES))
import make_fixtures  # noqa: E402


@pytest.fixture(params=[1, 2], ids=["serial", "parallel"])
def workers(request, monkeypatch):
    """Each test runs serially and on the parallel path (one document per chunk)."""
    if request.param > 1:
        import newsspans.validation._parallel as p

        monkeypatch.setattr(p, "PARALLEL_MIN_DOCUMENTS", 1)
        monkeypatch.setattr(p, "CHUNK_DOCUMENTS", 1)
    return request.param


def fixture_corpus(root: Path, mutate=None) -> Path:
    """The validator fixtures' valid one-document corpus (d1) with a valid suggestions file of d1
    (gold's items, each with a source and a score), changed by ``mutate(files, suggestions)``."""
    files = make_fixtures.base()
    value = make_fixtures.suggestions(files)
    if mutate is not None:
        mutate(files, value)
    make_fixtures.write(root, files)
    return root


def problems(root: Path, workers: int = 1) -> list:
    return list(iter_problems(root, workers=workers))


def located(root: Path, workers: int = 1) -> list[tuple]:
    return [(p.code, p.file, p.line, p.item) for p in problems(root, workers)]


def suggestions_path(root: Path, doc_id: str = "d1") -> str:
    return display_path(root / "suggestions" / f"{doc_id}.json")


def test_what_suggest_writes_validates_without_error(corpus_copy, workers):
    corpus = gold_only(corpus_copy)
    result = suggest(corpus=corpus, sources=["gazetteer", "numeric", "quotes"])
    assert result.files and all(path.is_file() for path in result.files)
    found = problems(corpus, workers)
    assert [str(p) for p in found if p.severity == "error"] == []
    # ...and they were read: breaking one is reported in it.
    path = result.files[0]
    value = read_json(path)
    value["entities"][0]["text"] += "x"
    write_json(path, value)
    assert [(p.code, p.file) for p in problems(corpus, workers)] == [("E-SPAN-TEXT", display_path(path))]


def test_a_valid_suggestions_file_adds_no_problem(tmp_path, workers):
    assert problems(fixture_corpus(tmp_path / "c"), workers) == []


def test_a_broken_span_is_located_in_the_suggestions_file(tmp_path, workers):
    def mutate(files, value):
        value["entities"][1]["start"] += 1  # m2 "Sergei Shoigu", line 6

    root = fixture_corpus(tmp_path / "c", mutate)
    found = problems(root, workers)
    assert [(p.code, p.file, p.line, p.item, p.document_id) for p in found] == [
        ("E-SPAN-TEXT", suggestions_path(root), 6, "entities[1]", "d1")]
    assert found[0].fix == "did you mean 22-35?"


def test_a_bad_score_is_a_schema_problem_at_its_line_and_the_other_items_are_still_checked(tmp_path, workers):
    def mutate(files, value):
        value["entities"][0]["score"] = 1.5  # line 5
        value["entities"][2]["text"] = "Teheran"  # line 7: still checked

    root = fixture_corpus(tmp_path / "c", mutate)
    assert located(root, workers) == [
        ("E-SCHEMA", suggestions_path(root), 5, "entities[0].score"),
        ("E-SPAN-TEXT", suggestions_path(root), 7, "entities[2]"),
    ]


def test_a_suggestion_without_source_is_a_schema_problem_but_gold_with_one_is_too(tmp_path):
    def mutate(files, value):
        del value["quotes"][0]["source"]
        make_fixtures.ann(files)["claims"][0]["score"] = 0.5  # gold knows no score

    root = fixture_corpus(tmp_path / "c", mutate)
    assert [(p.code, p.file, p.item) for p in problems(root)] == [
        ("E-SCHEMA", display_path(root / "annotations" / "d1.json"), "claims[0]"),
        ("E-SCHEMA", suggestions_path(root), "quotes[0]"),
    ]


def test_a_person_suggestion_the_registry_does_not_know_is_no_error(tmp_path, workers):
    def mutate(files, value):
        value["entities"][1]["entity_id"] = None  # a PERSON with no registry id, as spaCy may suggest

    assert problems(fixture_corpus(tmp_path / "c", mutate), workers) == []
    # The same in gold's file is an error.
    def gold_mutate(files, value):
        make_fixtures.ents(files)[1]["entity_id"] = None

    gold = fixture_corpus(tmp_path / "g", gold_mutate)
    assert [(p.code, p.file) for p in problems(gold) if p.severity == "error"] == [
        ("E-ENT-ID-MISSING", display_path(gold / "annotations" / "d1.json"))]


def test_the_other_entity_checks_apply_to_suggestions(tmp_path):
    def mutate(files, value):
        value["entities"][1]["entity_id"] = "sergei-shoygu"  # line 6: unknown id
        value["entities"][3]["entity_id"] = "tehran"  # line 8: a DATE with an id
        value["entities"][4].update(end=74, text="Iran and Russia")  # line 9: overlaps m6 "Russia", line 10

    root = fixture_corpus(tmp_path / "c", mutate)
    assert [(p.code, p.line) for p in problems(root)] == [
        ("E-ENT-OVERLAP", 10), ("E-ENT-REF", 6), ("E-ENT-ID-FORBIDDEN", 8)]  # the order of gold's file


def test_an_incomplete_set_of_suggestions_gets_no_alias_or_registry_warning(tmp_path, workers):
    def mutate(files, value):
        value["entities"] = value["entities"][:3]  # "Iran", "Russia", "Pezeshkian" left unsuggested
        value["entities"][1]["entity_id"] = "sergei-shoigu"
        value["quotes"][0]["cluster_id"] = "partners"  # no cluster of gold's: not W-CLUSTER-SINGLE

    assert problems(fixture_corpus(tmp_path / "c", mutate), workers) == []


def test_a_suggestion_does_not_count_as_a_use_of_the_registry(tmp_path):
    def mutate(files, value):
        files["registry.json"]["entities"].append(
            {"entity_id": "tehran-times", "name": "Tehran Times", "type": "ORG", "aliases": ["Tehran Times"], "wikidata": None})
        value["entities"][2].update(label="ORG", entity_id="tehran-times")  # suggested, never annotated

    root = fixture_corpus(tmp_path / "c", mutate)
    assert [(p.code, p.item) for p in problems(root)] == [("W-REG-UNUSED", "entities[5]")]


def test_the_quote_rules_apply_to_suggestions(tmp_path):
    def mutate(files, value):
        content = value["quotes"][0]["content"]
        content.update(start=content["start"] - 1, text=make_fixtures.TEXT[content["start"] - 1:content["end"]])

    root = fixture_corpus(tmp_path / "c", mutate)
    assert [(p.code, p.file, p.item) for p in problems(root)] == [
        ("E-QUOTE-MARKS", suggestions_path(root), "quotes[0].content")]


def test_a_suggestions_file_of_an_unknown_document(tmp_path, workers):
    def mutate(files, value):
        make_fixtures.suggestions(files, "d2")

    root = fixture_corpus(tmp_path / "c", mutate)
    found = problems(root, workers)
    assert [(p.code, p.file, p.severity) for p in found] == [
        ("E-SUGGESTION-DOCUMENT", suggestions_path(root, "d2"), "error")]
    assert "texts/d2.txt" in found[0].message


def test_a_file_where_the_suggestions_folder_belongs(tmp_path):
    root = fixture_corpus(tmp_path / "c")
    for path in (root / "suggestions").iterdir():
        path.unlink()
    (root / "suggestions").rmdir()
    (root / "suggestions").write_text("not a folder\n", encoding="utf-8")
    assert [(p.code, p.file) for p in problems(root)] == [("E-FILE-KIND", display_path(root / "suggestions"))]


def test_without_a_suggestions_folder_no_document_has_one(tmp_path, monkeypatch):
    """The folder is listed once: a corpus without it reads no suggestions file for any document."""
    from newsspans.validation import _files

    root = tmp_path / "c"
    make_fixtures.write(root, make_fixtures.base())
    read = []
    real = _files.read_file
    monkeypatch.setattr(_files, "read_file", lambda path: read.append(str(path)) or real(path))
    corpus = Corpus(root, suggestions=True)
    assert corpus._sources().by_document == {}
    assert problems(root) == []
    assert read and not [p for p in read if Path(p).relative_to(root).parts[0] == "suggestions"]


# -- the source digest ----------------------------------------------------------------------------

def digest(root: Path, workers: int = 1) -> str:
    return source_digest_after_reading(root, workers=workers, suggestions=True)


def test_the_digest_changes_with_a_suggestions_file(tmp_path, workers):
    root = tmp_path / "c"
    files = make_fixtures.base()
    make_fixtures.write(root, files)
    names = ["dataset.json", "registry.json", "texts/d1.txt", "documents/d1.json", "annotations/d1.json"]
    lines = "".join(f"{n}\t{hashlib.sha256((root / n).read_bytes()).hexdigest()}\n" for n in sorted(names))
    without = digest(root, workers)
    assert without == hashlib.sha256(lines.encode("utf-8")).hexdigest()  # no folder: no line
    value = make_fixtures.suggestions(files)
    make_fixtures.write(root, files)
    with_file = digest(root, workers)
    assert with_file != without
    value["entities"][0]["score"] = 0.25
    write_json(root / "suggestions" / "d1.json", value)
    assert digest(root, workers) not in (without, with_file)
    # A reader that does not ask for the suggestions (the build, today) neither reads nor digests them.
    corpus = Corpus(root, warnings=False)
    registry, _ = corpus.read_registry()
    corpus.read_dataset()
    list(corpus.iter_documents(registry, keep_documents=False))
    assert corpus.source_digest() == without
