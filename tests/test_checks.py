"""The build's gate: every problem found, each with a code and a full location.

The tests break the project's corpus on purpose; which document, item, line and column they break
is derived from the corpus files, so that they hold whatever documents the corpus holds."""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import CORPUS, document_ids, read_json, write_json

from newsspans.labels import ENTITY_ID_LABELS
from newsspans.validation import iter_problems
from newsspans.validation import CODES


def _has_every_layer(doc_id):
    ann = read_json(CORPUS / "annotations" / f"{doc_id}.json")
    return bool(ann["entities"]) and any(q["cue"] for q in ann["quotes"]) and bool(ann["claims"])


#: The first document with a mention, a quote with a cue and a claim: the one the tests break.
DOC = next(d for d in document_ids(CORPUS) if _has_every_layer(d))
#: Another document when there is one (for problems in two documents at once).
OTHER = next((d for d in document_ids(CORPUS) if d != DOC), DOC)


def problems_of(corpus):
    return [p for p in iter_problems(corpus)]


def ann_path(corpus, doc=DOC):
    return corpus / "annotations" / f"{doc}.json"


def line_with(path, needle, nth=0):
    """1-based number of the ``nth`` line of the file holding ``needle``."""
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    return lines[nth]


def item_line(path, item):
    """The line of an annotation item (one item per line), found by its id."""
    return line_with(path, f'"id": "{item["id"]}"')


def linked_mention(ann):
    """Index of the first mention whose entity another mention of the document links too: unlinking
    or breaking it leaves its entity used, so it yields one problem only."""
    links = Counter(m["entity_id"] for m in ann["entities"] if m["entity_id"])
    return next(i for i, m in enumerate(ann["entities"]) if m["label"] in ENTITY_ID_LABELS and links[m["entity_id"]] > 1)


def unique_mention(ann, text):
    """Index of the first mention whose text occurs once in the document (a shift has one fix)."""
    return next(i for i, m in enumerate(ann["entities"]) if text.count(m["text"]) == 1)


def test_the_real_corpus_has_no_problem(corpus_copy):
    assert problems_of(corpus_copy) == []


def test_shifted_span_is_reported_with_file_line_offsets_and_fix(corpus_copy, monkeypatch):
    monkeypatch.chdir(corpus_copy.parent)
    text = (corpus_copy / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    ann = read_json(ann_path(corpus_copy))
    i = unique_mention(ann, text)
    m = ann["entities"][i]
    name, start, end = m["text"], m["start"], m["end"]
    assert text.index(name) == start
    m["start"], m["end"] = start + 1, end + 1
    write_json(ann_path(corpus_copy), ann)
    [p] = problems_of(corpus_copy)
    assert p.code == "E-SPAN-TEXT"
    assert str(p) == (
        f"corpus/annotations/{DOC}.json:{item_line(ann_path(corpus_copy), m)}: [E-SPAN-TEXT] entities[{i}] {start + 1}-{end + 1}: "
        f"stored text {name!r} != document text {text[start + 1:end + 1]!r}"
        f" — did you mean {start}-{end}?"
    )


@pytest.mark.parametrize(
    "mutate, code, item",
    [
        (lambda m, n: m.update(start=m["end"]), "E-SPAN-ORDER", "entities[{i}]"),
        (lambda m, n: m.update(end=n + 5), "E-SPAN-BOUNDS", "entities[{i}]"),
        (lambda m, n: m.update(text=m["text"] + "x"), "E-SPAN-TEXT", "entities[{i}]"),
        (lambda m, n: m.update(entity_id="nobody-known"), "E-ENT-REF", "entities[{i}].entity_id"),
        (lambda m, n: m.update(label="LOCATION"), "E-ENT-LABEL", "entities[{i}].label"),
        (lambda m, n: m.update(start="3"), "E-SPAN-TYPE", "entities[{i}].start"),
        (lambda m, n: m.pop("text"), "E-SCHEMA", "entities[{i}]"),
    ],
)
def test_each_span_problem_has_its_code(corpus_copy, mutate, code, item):
    n = len((corpus_copy / "texts" / f"{DOC}.txt").read_text(encoding="utf-8"))
    ann = read_json(ann_path(corpus_copy))
    i = linked_mention(ann)
    line = item_line(ann_path(corpus_copy), ann["entities"][i])
    mutate(ann["entities"][i], n)
    write_json(ann_path(corpus_copy), ann)
    found = problems_of(corpus_copy)
    assert [(p.code, p.item, p.line) for p in found] == [(code, item.format(i=i), line)]


def test_quote_parts_and_claims_are_checked_too(corpus_copy):
    ann = read_json(ann_path(corpus_copy))
    q = next(k for k, quote in enumerate(ann["quotes"]) if quote["cue"])
    c = len(ann["claims"]) - 1
    ann["quotes"][q]["cue"]["text"] = "nope"
    ann["claims"][c]["end"] += 1
    write_json(ann_path(corpus_copy), ann)
    items = sorted(p.item for p in problems_of(corpus_copy))
    assert items == [f"claims[{c}]", f"quotes[{q}].cue"]


def test_duplicate_ids_point_at_both_lines(corpus_copy):
    ann = read_json(ann_path(corpus_copy))
    i = len(ann["entities"]) - 1
    assert i > 0, "the test needs a document with two mentions"
    ann["entities"][i]["id"] = ann["entities"][0]["id"]
    write_json(ann_path(corpus_copy), ann)
    needle = f'"id": "{ann["entities"][0]["id"]}"'
    first, again = line_with(ann_path(corpus_copy), needle), line_with(ann_path(corpus_copy), needle, 1)
    [p] = problems_of(corpus_copy)
    assert (p.code, p.line, p.item) == ("E-ID-DUPLICATE", again, f"entities[{i}]")
    assert f"already used at line {first}" in p.message


def test_edited_text_is_caught_by_its_hash(corpus_copy):
    path = corpus_copy / "texts" / f"{DOC}.txt"
    text = path.read_bytes().decode("utf-8")
    start = read_json(ann_path(corpus_copy))["entities"][0]["start"]
    path.write_bytes((text[:start] + " " + text[start:]).encode("utf-8"))  # every span from the first mention on moves
    codes = {p.code for p in problems_of(corpus_copy)}
    assert "E-TEXT-SHA256" in codes and "E-SPAN-TEXT" in codes


def test_broken_json_is_one_problem_with_line_and_column_and_no_cascade(corpus_copy):
    path = ann_path(corpus_copy)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = line_with(path, '"id": ', 1) - 1  # the second item's line
    lines[n] = lines[n].replace('"id": ', '"id" ', 1)
    column = lines[n].index('"id" ') + len('"id" ') + 1  # where the colon is missing: at the value
    path.write_text("".join(lines), encoding="utf-8")
    [p] = problems_of(corpus_copy)
    assert (p.code, p.line, p.column) == ("E-FILE-JSON", n + 1, column)


def test_bom_and_bad_utf8_are_file_problems(corpus_copy):
    path = ann_path(corpus_copy)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    meta = corpus_copy / "documents" / f"{OTHER}.json"
    line = line_with(meta, '"story_id": "')
    meta.write_bytes(meta.read_bytes().replace(b'"story_id": "', b'"story_id": "\xe9', 1))
    found = problems_of(corpus_copy)
    assert sorted((p.code, p.line) for p in found) == [("E-FILE-BOM", 1), ("E-FILE-UTF8", line)]


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
    assert (p.code, p.line) == ("E-DOC-ID", line_with(ann_path(corpus_copy), '"document_id": '))


def test_every_problem_code_is_catalogued():
    assert all(code.startswith("E-") or code.startswith("W-") for code in CODES)
    assert all(c.fix and c.title for c in CODES.values())


def test_a_cluster_used_in_one_document_only_is_reported_once(corpus_copy):
    """A cluster links documents: two claims of one document sharing it link nothing."""
    ann = read_json(ann_path(corpus_copy))
    free = [k for k, c in enumerate(ann["claims"]) if c["cluster_id"] is None]
    if len(free) < 2:
        pytest.skip("the test needs a document with two claims outside any cluster")
    for k in free[:2]:
        ann["claims"][k]["cluster_id"] = "only-here"
    write_json(ann_path(corpus_copy), ann)
    [p] = problems_of(corpus_copy)
    assert (p.code, p.document_id, p.item) == ("W-CLUSTER-SINGLE", DOC, f"claims[{free[0]}].cluster_id")
    assert "used in this document only (by 2 claims)" in p.message


def test_parallel_validation_gathers_the_alias_forms_like_a_serial_one(corpus_copy, monkeypatch):
    """The alias check needs every document's mentions: worker processes must send them back."""
    import newsspans.validation._parallel as parallel

    registry = read_json(corpus_copy / "registry.json")
    entry = registry["entities"][0]
    entry["aliases"] = sorted(entry["aliases"] + ["Nobody Ever Wrote This"])
    write_json(corpus_copy / "registry.json", registry)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(parallel, "CHUNK_DOCUMENTS", 1)
    serial = list(iter_problems(corpus_copy, workers=1))
    assert [(p.code, p.item) for p in serial] == [
        ("W-REG-ALIAS-UNUSED", f"entities[0].aliases[{entry['aliases'].index('Nobody Ever Wrote This')}]")]
    assert list(iter_problems(corpus_copy, workers=2)) == serial


def test_a_gap_left_by_a_deleted_id_is_in_order_but_an_id_out_of_text_order_is_not(corpus_copy):
    path = ann_path(corpus_copy)
    ann = read_json(path)
    # Delete a mention that links no registry entity (so nothing else is reported): its id becomes a gap.
    k = next(i for i, m in enumerate(ann["entities"]) if m["entity_id"] is None and 0 < i < len(ann["entities"]) - 1)
    write_json(path, {**ann, "entities": ann["entities"][:k] + ann["entities"][k + 1:]})
    assert [p.code for p in problems_of(corpus_copy)] == []
    # A new item numbered above `issued`, placed before the last one in text order: out of order.
    ann = read_json(path)
    n = ann["issued"]["entities"] + 1
    ann["entities"][k]["id"] = f"m{n}"
    write_json(path, {**ann, "issued": {**ann["issued"], "entities": n}})
    assert [(p.code, p.item) for p in problems_of(corpus_copy)] == [("W-ID-ORDER", f"entities[{k}].id")]
