"""The build's gate: every problem found, each with a code and a full location."""

from __future__ import annotations

import pytest
from helpers import read_json, write_json

from newsspans.validation import iter_problems
from newsspans.validation import CODES

DOC = "000_1936301ef05f6424"


def problems_of(corpus):
    return [p for p in iter_problems(corpus)]


def ann_path(corpus, doc=DOC):
    return corpus / "annotations" / f"{doc}.json"


def test_the_real_corpus_has_no_problem(corpus_copy):
    assert problems_of(corpus_copy) == []


def test_shifted_span_is_reported_with_file_line_offsets_and_fix(corpus_copy, monkeypatch):
    monkeypatch.chdir(corpus_copy.parent)
    text = (corpus_copy / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    ann = read_json(ann_path(corpus_copy))
    i = next(i for i, m in enumerate(ann["entities"]) if m["text"] == "Masoud Pezeshkian")
    m = ann["entities"][i]
    start = text.index("Masoud Pezeshkian")
    assert (m["start"], m["end"]) == (start, start + len("Masoud Pezeshkian"))
    m["start"], m["end"] = start + 1, start + 1 + len("Masoud Pezeshkian")
    write_json(ann_path(corpus_copy), ann)
    [p] = problems_of(corpus_copy)
    assert p.code == "E-SPAN-TEXT"
    assert str(p) == (
        f"corpus/annotations/{DOC}.json:{4 + i}: [E-SPAN-TEXT] entities[{i}] {start + 1}-{start + 18}: "
        f"stored text 'Masoud Pezeshkian' != document text {text[start + 1:start + 18]!r}"
        f" — did you mean {start}-{start + 17}?"
    )


@pytest.mark.parametrize(
    "mutate, code, item",
    [
        (lambda m, n: m.update(start=m["end"]), "E-SPAN-ORDER", "entities[0]"),
        (lambda m, n: m.update(end=n + 5), "E-SPAN-BOUNDS", "entities[0]"),
        (lambda m, n: m.update(text=m["text"] + "x"), "E-SPAN-TEXT", "entities[0]"),
        (lambda m, n: m.update(entity_id="nobody-known"), "E-ENT-REF", "entities[0].entity_id"),
        (lambda m, n: m.update(label="LOCATION"), "E-ENT-LABEL", "entities[0].label"),
        (lambda m, n: m.update(start="3"), "E-SPAN-TYPE", "entities[0].start"),
        (lambda m, n: m.pop("text"), "E-SCHEMA", "entities[0]"),
    ],
)
def test_each_span_problem_has_its_code(corpus_copy, mutate, code, item):
    n = len((corpus_copy / "texts" / f"{DOC}.txt").read_text(encoding="utf-8"))
    ann = read_json(ann_path(corpus_copy))
    mutate(ann["entities"][0], n)
    write_json(ann_path(corpus_copy), ann)
    found = problems_of(corpus_copy)
    assert [(p.code, p.item, p.line) for p in found] == [(code, item, 4)]


def test_quote_parts_and_claims_are_checked_too(corpus_copy):
    ann = read_json(ann_path(corpus_copy))
    ann["quotes"][0]["cue"]["text"] = "nope"
    ann["claims"][1]["end"] += 1
    write_json(ann_path(corpus_copy), ann)
    items = sorted(p.item for p in problems_of(corpus_copy))
    assert items == ["claims[1]", "quotes[0].cue"]


def test_duplicate_ids_point_at_both_lines(corpus_copy):
    ann = read_json(ann_path(corpus_copy))
    ann["entities"][2]["id"] = ann["entities"][0]["id"]
    write_json(ann_path(corpus_copy), ann)
    [p] = problems_of(corpus_copy)
    assert (p.code, p.line, p.item) == ("E-ID-DUPLICATE", 6, "entities[2]")
    assert "already used at line 4" in p.message


def test_edited_text_is_caught_by_its_hash(corpus_copy):
    path = corpus_copy / "texts" / f"{DOC}.txt"
    path.write_bytes(path.read_bytes().replace("presidentMasoud".encode(), "president Masoud".encode()))
    codes = {p.code for p in problems_of(corpus_copy)}
    assert "E-TEXT-SHA256" in codes and "E-SPAN-TEXT" in codes


def test_broken_json_is_one_problem_with_line_and_column_and_no_cascade(corpus_copy):
    path = ann_path(corpus_copy)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace('"id": ', '"id" ', 1)
    path.write_text("".join(lines), encoding="utf-8")
    [p] = problems_of(corpus_copy)
    assert (p.code, p.line, p.column) == ("E-FILE-JSON", 5, 11)  # column of the missing colon


def test_bom_and_bad_utf8_are_file_problems(corpus_copy):
    path = ann_path(corpus_copy)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    meta = corpus_copy / "documents" / "004_30159cef070f4760.json"
    meta.write_bytes(meta.read_bytes().replace(b"Western", b"W\xe9stern"))
    found = problems_of(corpus_copy)
    assert sorted((p.code, p.line) for p in found) == [("E-FILE-BOM", 1), ("E-FILE-UTF8", 3)]


def test_missing_files_and_orphans(corpus_copy):
    (corpus_copy / "annotations" / f"{DOC}.json").unlink()
    (corpus_copy / "documents" / "zzz.json").write_text("{}", encoding="utf-8")
    found = {(p.code, p.document_id) for p in problems_of(corpus_copy)}
    assert found == {("E-DOC-NO-ANNOTATION", DOC), ("E-DOC-NO-TEXT", "zzz"), ("E-DOC-NO-ANNOTATION", "zzz")}


def test_missing_registry_stops_at_the_layout(corpus_copy):
    (corpus_copy / "registry.json").unlink()
    assert [p.code for p in problems_of(corpus_copy)] == ["E-FILE-MISSING"]


def test_ids_in_files_must_match_file_names(corpus_copy):
    ann = read_json(ann_path(corpus_copy))
    ann["document_id"] = "other"
    write_json(ann_path(corpus_copy), ann)
    [p] = problems_of(corpus_copy)
    assert (p.code, p.line) == ("E-DOC-ID", 2)


def test_every_problem_code_is_catalogued():
    assert all(code.startswith("E-") or code.startswith("W-") for code in CODES)
    assert all(c.fix and c.title for c in CODES.values())
