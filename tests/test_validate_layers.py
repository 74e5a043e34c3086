"""The validator on the sources beside gold: annotators.json, the annotators' layer files
(``layers/<annotator>/<doc>.json``) and the decisions files (``decisions/<doc>.jsonl``)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import ROOT, document_ids, read_json, run, source_digest_after_reading, write_json

from newsspans.corpus import add_annotator
from newsspans.paths import display_path
from newsspans.validation import Corpus, check_annotation_file, iter_problems

FIXTURES = ROOT / "tests" / "fixtures" / "validator"
sys.path.insert(0, str(FIXTURES))
import make_fixtures  # noqa: E402


# -- building corpora -----------------------------------------------------------------------------

def shown(path: Path) -> str:
    return display_path(path)


def codes(root: Path, **kw) -> list[tuple[str, str, int]]:
    """(code, file, line) of every problem of the corpus at ``root``."""
    return [(p.code, p.file, p.line) for p in iter_problems(root, **kw)]


def fixture_corpus(root: Path, mutate=None) -> Path:
    """The validator fixtures' valid one-document corpus (d1), changed by ``mutate(files)``."""
    files = make_fixtures.base()
    if mutate is not None:
        mutate(files)
    make_fixtures.write(root, files)
    return root


def with_layers(corpus: Path, *annotators: str) -> Path:
    """``corpus`` with ``annotators`` listed and each given a layer of every document: a copy of gold."""
    for a in annotators:
        add_annotator(corpus=corpus, annotator_id=a, kind="model")
        (corpus / "layers" / a).mkdir(parents=True)
        for doc_id in document_ids(corpus):
            gold = corpus / "annotations" / f"{doc_id}.json"
            (corpus / "layers" / a / f"{doc_id}.json").write_bytes(gold.read_bytes())
    return corpus


def line_of_text(path: Path, needle: str) -> int:
    """The 1-based line of ``path`` that holds ``needle``."""
    [n] = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    return n


@pytest.fixture
def parallel(monkeypatch):
    """Make any corpus take the parallel path, one document per chunk."""
    import newsspans.validation._parallel as p

    monkeypatch.setattr(p, "PARALLEL_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(p, "CHUNK_DOCUMENTS", 1)


# -- layers: exactly gold's per-file checks, located in the layer file ----------------------------

def test_valid_layers_pass(corpus_copy):
    with_layers(corpus_copy, "test-a", "test-b")
    assert codes(corpus_copy) == []
    assert run("validate", "--corpus", str(corpus_copy))[0] == 0


def _only_gold_changes(name: str) -> bool:
    files = make_fixtures.base()
    make_fixtures.FIXTURES[name](files)
    base = make_fixtures.base()
    return set(files) == set(base) and [k for k in files if files[k] != base[k]] == ["annotations/d1.json"]


#: Every fixture whose mutation is of the gold annotation file alone: what a per-file check finds.
PER_FILE = [name for name in make_fixtures.FIXTURES if _only_gold_changes(name)]


def test_the_per_file_fixtures_cover_the_annotation_file_checks():
    assert {"E-SCHEMA", "E-FILE-JSON", "E-DOC-ID", "E-SPAN-TEXT", "E-ID-ISSUED", "E-ENT-REF", "E-QUOTE-MARKS",
            "E-CLAIM-CLAIMANT", "W-ITEM-ORDER", "W-ENT-UNANNOTATED", "W-CLUSTER-SINGLE"} <= set(PER_FILE)


@pytest.mark.parametrize("name", PER_FILE)
def test_a_layer_gets_exactly_the_checks_of_gold_located_in_the_layer_file(tmp_path, name):
    """The fixture's broken annotation file, as gold, and as model-a's layer beside a valid gold:
    the same problems, at the same lines, in the layer file."""
    as_gold = fixture_corpus(tmp_path / "gold", make_fixtures.FIXTURES[name])
    gold_file = shown(as_gold / "annotations" / "d1.json")
    expected = [p for p in iter_problems(as_gold) if p.file == gold_file]
    assert any(p.code == name for p in expected)

    def as_layer(files):
        broken = make_fixtures.base()
        make_fixtures.FIXTURES[name](broken)
        make_fixtures.annotators(files, "model-a")
        files["layers/model-a/d1.json"] = broken["annotations/d1.json"]

    root = fixture_corpus(tmp_path / "layer", as_layer)
    layer_file = shown(root / "layers" / "model-a" / "d1.json")
    found = list(iter_problems(root))
    suffix = ", among the layers of 'model-a'"
    assert found == [replace(p, file=layer_file, message=p.message + suffix if p.code == "W-CLUSTER-SINGLE" else p.message)
                     for p in expected]


def test_a_span_error_in_a_layer_is_located_in_the_layer_not_gold(corpus_copy):
    with_layers(corpus_copy, "test-a")
    doc_id = document_ids(corpus_copy)[0]
    path = corpus_copy / "layers" / "test-a" / f"{doc_id}.json"
    value = read_json(path)
    m = value["entities"][0]
    m["start"] += 1
    m["end"] += 1
    write_json(path, value)
    [p] = iter_problems(corpus_copy)
    assert (p.code, p.file, p.line, p.document_id, p.item) == (
        "E-SPAN-TEXT", shown(path), line_of_text(path, f'"id": "{m["id"]}",'), doc_id, "entities[0]")


def test_a_layer_whose_document_id_differs_from_its_name_is_e_doc_id(corpus_copy):
    with_layers(corpus_copy, "test-a")
    doc_id = document_ids(corpus_copy)[0]
    path = corpus_copy / "layers" / "test-a" / f"{doc_id}.json"
    value = read_json(path)
    value["document_id"] = "someone-else"
    write_json(path, value)
    assert codes(corpus_copy) == [("E-DOC-ID", shown(path), line_of_text(path, '"document_id"'))]


def shorten(ann: dict) -> None:
    """The mention "Masoud Pezeshkian" cut to "Masoud": a form no alias of its entity lists."""
    ann["entities"][0].update(make_fixtures.at("Masoud"))


def test_the_alias_checks_are_about_gold_only(tmp_path):
    """In gold, a mention whose text is no alias of its entity is W-REG-ALIAS-MISSING, and the alias
    it no longer uses W-REG-ALIAS-UNUSED; in a layer, neither (the aliases list gold's surface
    forms): only the alias left uncovered in that layer's text, W-ENT-UNANNOTATED."""
    gold = fixture_corpus(tmp_path / "gold", lambda f: shorten(make_fixtures.ann(f)))
    in_gold = [c for c, _, _ in codes(gold)]
    assert {"W-REG-ALIAS-MISSING", "W-REG-ALIAS-UNUSED"} <= set(in_gold)

    def mutate(files):
        make_fixtures.annotators(files, "model-a")
        shorten(make_fixtures.layer(files, "model-a"))

    root = fixture_corpus(tmp_path / "c", mutate)
    layer = root / "layers" / "model-a" / "d1.json"
    uncovered = ("W-ENT-UNANNOTATED", shown(layer), line_of_text(layer, '"entities": ['))
    assert codes(root) == [uncovered] * in_gold.count("W-ENT-UNANNOTATED")


def test_check_annotation_file_of_a_layer_leaves_out_the_alias_check(tmp_path):
    root = fixture_corpus(tmp_path / "c", make_fixtures.FIXTURES["W-REG-ALIAS-MISSING"])
    data = (root / "annotations" / "d1.json").read_bytes()
    registry, _ = Corpus(root).read_registry()
    kw = dict(path=root / "annotations" / "d1.json", text=make_fixtures.TEXT, document_id="d1", registry=registry)
    assert [p.code for p in check_annotation_file(data, **kw)] == ["W-REG-ALIAS-MISSING"]
    assert check_annotation_file(data, annotator="model-a", **kw) == []


# -- cross-document checks ------------------------------------------------------------------------

def test_a_registry_entry_used_by_a_layer_only_is_used(tmp_path):
    def mutate(files):
        make_fixtures.FIXTURES["W-REG-UNUSED"](files)  # adds "hamas", used by nobody
        make_fixtures.annotators(files, "model-a")
        make_fixtures.layer(files, "model-a")["claims"][1]["claimant"] = "hamas"

    root = fixture_corpus(tmp_path / "c", mutate)
    found = codes(root)
    assert "W-REG-UNUSED" not in [c for c, _, _ in found]
    # Its alias is still no gold form: the alias checks are about gold only.
    assert [c for c, _, _ in found] == ["W-REG-ALIAS-UNUSED"]
    unused = fixture_corpus(tmp_path / "u", make_fixtures.FIXTURES["W-REG-UNUSED"])
    assert [c for c, _, _ in codes(unused)] == ["W-REG-UNUSED"]


def two_documents(files):
    """A second document, d2, the same text as d1 (the same story)."""
    files["texts/d2.txt"] = files["texts/d1.txt"]
    files["documents/d2.json"] = {**files["documents/d1.json"], "id": "d2", "source": "d2.txt"}
    files["annotations/d2.json"] = {**json.loads(json.dumps(files["annotations/d1.json"])), "document_id": "d2"}


def test_clusters_are_judged_per_source(tmp_path):
    def mutate(files):
        two_documents(files)
        for doc_id in ("d1", "d2"):  # gold links the quote across both documents: no warning
            files[f"annotations/{doc_id}.json"]["quotes"][0]["cluster_id"] = "partners"
        make_fixtures.annotators(files, "model-a", "model-b")
        for a in ("model-a", "model-b"):
            for doc_id in ("d1", "d2"):
                make_fixtures.layer(files, a, doc_id)["quotes"][0]["cluster_id"] = None
        files["layers/model-a/d1.json"]["quotes"][0]["cluster_id"] = "partners"  # only once among model-a's
        files["layers/model-b/d2.json"]["quotes"][0]["cluster_id"] = "partners"  # gold's uses do not count

    root = fixture_corpus(tmp_path / "c", mutate)
    found = list(iter_problems(root))
    assert [(p.code, p.file, p.document_id) for p in found] == [
        ("W-CLUSTER-SINGLE", shown(root / "layers" / "model-a" / "d1.json"), "d1"),
        ("W-CLUSTER-SINGLE", shown(root / "layers" / "model-b" / "d2.json"), "d2")]
    assert found[0].message == "cluster_id 'partners' is used by this quote only, among the layers of 'model-a'"
    assert found[0].line == line_of_text(root / "layers" / "model-a" / "d1.json", '"cluster_id": "partners"')


# -- the layers folder ----------------------------------------------------------------------------

def test_a_layer_folder_of_no_listed_annotator(corpus_copy):
    with_layers(corpus_copy, "test-a")
    os.rename(corpus_copy / "layers" / "test-a", corpus_copy / "layers" / "model-z")
    doc_id = document_ids(corpus_copy)[0]
    path = corpus_copy / "layers" / "model-z" / f"{doc_id}.json"
    value = read_json(path)
    value["entities"][0]["label"] = "PERSONN"  # its files are still checked
    write_json(path, value)
    found = list(iter_problems(corpus_copy))
    assert [(p.code, p.file) for p in found] == [("E-ENT-LABEL", shown(path)),
                                                 ("E-LAYER-ANNOTATOR", shown(corpus_copy / "layers" / "model-z"))]
    assert "listed: " in found[1].message and "test-a" in found[1].message


def test_without_annotators_json_every_layer_folder_is_unattributed(tmp_path):
    root = fixture_corpus(tmp_path / "c", lambda f: make_fixtures.layer(f, "model-a"))
    assert codes(root) == [("E-LAYER-ANNOTATOR", shown(root / "layers" / "model-a"), None)]


def test_a_layer_of_a_document_the_corpus_does_not_have(tmp_path):
    def mutate(files):
        make_fixtures.annotators(files, "model-a")
        make_fixtures.layer(files, "model-a")
        make_fixtures.layer(files, "model-a", "d7")

    root = fixture_corpus(tmp_path / "c", mutate)
    assert codes(root) == [("E-LAYER-DOCUMENT", shown(root / "layers" / "model-a" / "d7.json"), None)]


def test_what_is_in_the_way_under_layers_and_decisions(tmp_path):
    def mutate(files):
        make_fixtures.annotators(files, "model-a")
        make_fixtures.layer(files, "model-a")
        files["layers/notes.txt"] = "notes\n"
        files["decisions"] = "not a folder\n"

    root = fixture_corpus(tmp_path / "c", mutate)
    (root / "layers" / "model-b").symlink_to("model-a")  # a linked annotator folder
    (root / "layers" / "model-a" / "d2.json").symlink_to("d1.json")  # a linked layer file (of no document)
    found = sorted(codes(root))
    assert found == sorted([
        ("E-FILE-KIND", shown(root / "layers" / "notes.txt"), None),
        ("E-FILE-KIND", shown(root / "decisions"), None),
        ("E-FILE-SYMLINK", shown(root / "layers" / "model-b"), None),
        ("E-LAYER-DOCUMENT", shown(root / "layers" / "model-a" / "d2.json"), None),
    ])


def test_linked_layers_folder_and_layer_file_are_never_followed(tmp_path):
    def mutate(files):
        make_fixtures.annotators(files, "model-a")
        files["elsewhere/model-a/d1.json"] = files["annotations/d1.json"]

    root = fixture_corpus(tmp_path / "c", mutate)
    (root / "layers").symlink_to("elsewhere")
    assert codes(root) == [("E-FILE-SYMLINK", shown(root / "layers"), None)]
    (root / "layers").unlink()
    (root / "layers" / "model-a").mkdir(parents=True)
    (root / "layers" / "model-a" / "d1.json").symlink_to(root / "elsewhere" / "model-a" / "d1.json")
    found = list(iter_problems(root))
    assert [(p.code, p.file, p.document_id) for p in found] == [
        ("E-FILE-SYMLINK", shown(root / "layers" / "model-a" / "d1.json"), "d1")]


def test_the_layers_folder_is_listed_once_per_run(tmp_path, monkeypatch, parallel):
    from newsspans.validation import _files

    calls = []
    real = _files.list_sources
    monkeypatch.setattr(_files, "list_sources", lambda *a: calls.append(a) or real(*a))

    def mutate(files):
        two_documents(files)
        make_fixtures.annotators(files, "model-a")
        make_fixtures.layer(files, "model-a")

    root = fixture_corpus(tmp_path / "c", mutate)
    assert codes(root, workers=1) == []
    assert codes(root, workers=2) == []
    assert len(calls) == 2  # once per run, in the parent: the workers are handed their documents' part


# -- annotators.json ------------------------------------------------------------------------------

def write_annotators(root: Path, entries: list) -> Path:
    path = root / "annotators.json"
    write_json(path, {"annotators": entries})
    return path


def entry(annotator_id, note=None, kind="model"):
    return {"annotator_id": annotator_id, "kind": kind, "note": note}


@pytest.mark.parametrize("entries, expected", [
    ([entry("Model A")], [("E-ID-PATTERN", 3, "annotators[0].annotator_id")]),
    ([entry("gold")], [("E-SCHEMA", 3, "annotators[0].annotator_id")]),
    ([entry("model-a", kind="robot")], [("E-SCHEMA", 3, "annotators[0].kind")]),
    ([entry("model-a"), entry("model-b"), entry("model-a")], [("E-ID-DUPLICATE", 5, "annotators[2]"),
                                                             ("W-ANNOTATOR-ORDER", 5, "annotators[2]")]),
    ([entry("model-b"), entry("model-a")], [("W-ANNOTATOR-ORDER", 4, "annotators[1]")]),
    ([entry("model-a", "run by someone@example.org")], [("E-ANNOTATOR-EMAIL", 3, "annotators[0].note")]),
    ([entry("model-a", "a model, blind to gold")], []),
])
def test_annotators_json_problems_are_located(tmp_path, entries, expected):
    root = fixture_corpus(tmp_path / "c")
    path = write_annotators(root, entries)
    found = list(iter_problems(root))
    assert [(p.code, p.line, p.item) for p in found] == expected
    assert all(p.file == shown(path) for p in found)


def test_gold_is_a_reserved_annotator_id_said_plainly(tmp_path):
    root = fixture_corpus(tmp_path / "c")
    write_annotators(root, [entry("gold")])
    [p] = iter_problems(root)
    assert p.message == '"gold" is a reserved name, not allowed here'


def test_a_broken_annotators_json_judges_no_layer_folder(tmp_path):
    def mutate(files):
        make_fixtures.layer(files, "model-a")
        files["annotators.json"] = '{"annotators": [\n'

    root = fixture_corpus(tmp_path / "c", mutate)
    assert [c for c, _, _ in codes(root)] == ["E-FILE-JSON"]


def test_annotators_json_as_a_folder(tmp_path):
    root = fixture_corpus(tmp_path / "c")
    (root / "annotators.json").mkdir()
    assert codes(root) == [("E-FILE-KIND", shown(root / "annotators.json"), None)]


def test_annotators_json_problems_come_once_whoever_reads_it(tmp_path):
    """The build reads documents without asking for annotators.json: its problems then come with the
    cross-document ones, once."""
    root = fixture_corpus(tmp_path / "c")
    write_annotators(root, [entry("model-b"), entry("model-a")])
    corpus = Corpus(root)
    registry, _ = corpus.read_registry()
    list(corpus.iter_documents(registry))
    assert [p.code for p in corpus.cross_document_problems(registry)] == ["W-ANNOTATOR-ORDER"]
    assert corpus.cross_document_problems(registry) == []
    assert [p.code for p in iter_problems(root)] == ["W-ANNOTATOR-ORDER"]


# -- decisions files ------------------------------------------------------------------------------

def decision(**changes):
    files = make_fixtures.base()
    return make_fixtures.decision(files, **changes)


def write_decisions(root: Path, text: str, doc_id: str = "d1") -> Path:
    path = root / "decisions" / f"{doc_id}.jsonl"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(*decisions) -> str:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in decisions)


def decisions_corpus(tmp_path: Path) -> Path:
    return fixture_corpus(tmp_path / "c", lambda f: make_fixtures.annotators(f, "model-a", "model-b"))


def test_valid_decisions_pass(tmp_path):
    root = decisions_corpus(tmp_path)
    item = {k: v for k, v in decision()["options"]["model-a"][0].items() if k != "id"}
    write_decisions(root, jsonl(decision(), decision(decision="d2", take="model-a"), decision(decision="d3", take="neither"),
                                decision(decision="d4", take="edit", items=[item], reason="the number, as a CARDINAL")))
    assert codes(root) == []
    write_decisions(root, jsonl(decision()).rstrip("\n"))  # no final newline
    assert codes(root) == []
    write_decisions(root, "")  # no decision at all
    assert codes(root) == []


def test_decisions_problems_are_located_by_line(tmp_path):
    root = decisions_corpus(tmp_path)
    lines = [
        json.dumps(decision()),                                         # 1 valid
        '{"decision": "d2", "layer": ',                                 # 2 not JSON
        "",                                                             # 3 an empty line in the middle
        json.dumps({**decision(decision="d4"), "take": 3}),             # 4 schema: take is no string
        json.dumps(decision(take="neither")),                           # 5 d1 again
        json.dumps(decision(decision="d6", take="model-c")),            # 6 not in options
        json.dumps(decision(decision="d7", take="model-a", items=[])),  # 7 items without edit
        json.dumps(decision(decision="d8", take="edit")),               # 8 edit without items
        json.dumps({**decision(decision="d9"), "options": {"model-a": [], "model-z": []}}),  # 9 model-z is no annotator
        json.dumps({**decision(decision="d10"), "extra": 1}),           # 10 schema: unknown field
    ]
    path = write_decisions(root, "\n".join(lines) + "\n")
    found = list(iter_problems(root))
    assert [(p.code, p.line, p.item) for p in found] == [
        ("E-FILE-JSON", 2, None), ("E-FILE-JSON", 3, None), ("E-SCHEMA", 4, "take"), ("E-ID-DUPLICATE", 5, "decision"),
        ("E-DECISION-TAKE", 6, "take"), ("E-DECISION-ITEMS", 7, "items"), ("E-DECISION-ITEMS", 8, "items"),
        ("E-DECISION-ANNOTATOR", 9, "options.model-z"), ("E-SCHEMA", 10, "$")]
    assert all(p.file == shown(path) and p.document_id == "d1" for p in found)
    assert found[1].column is None and found[0].column is not None


def test_a_decisions_file_checks_the_items_against_the_layer_schema(tmp_path):
    root = decisions_corpus(tmp_path)
    bad = dict(decision()["options"]["model-a"][0], label="NUMBER")
    write_decisions(root, jsonl(decision(), decision(decision="d2", options={"model-a": [bad], "model-b": []})))
    assert [(c, line) for c, _, line in codes(root)] == [("E-SCHEMA", 2)]


def test_a_decisions_file_of_a_document_the_corpus_does_not_have(tmp_path):
    root = decisions_corpus(tmp_path)
    path = write_decisions(root, jsonl(decision()), doc_id="d5")
    assert codes(root) == [("E-DECISION-DOCUMENT", shown(path), None)]


def test_a_decisions_file_with_a_byte_order_mark(tmp_path):
    root = decisions_corpus(tmp_path)
    path = root / "decisions" / "d1.jsonl"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf" + jsonl(decision()).encode("utf-8"))
    assert codes(root) == [("E-FILE-BOM", shown(path), 1)]


def test_parallel_validation_of_layers_and_decisions_equals_a_serial_one(tmp_path, parallel):
    def mutate(files):
        two_documents(files)
        make_fixtures.annotators(files, "model-a")
        make_fixtures.layer(files, "model-a")["entities"][2]["start"] += 1  # E-SPAN-TEXT
        make_fixtures.layer(files, "model-b", "d2")  # E-LAYER-ANNOTATOR
        make_fixtures.decisions(files, make_fixtures.decision(files), doc_id="d2")  # model-b: E-DECISION-ANNOTATOR

    root = fixture_corpus(tmp_path / "c", mutate)
    serial = list(iter_problems(root, workers=1))
    assert [p.code for p in serial] == ["E-SPAN-TEXT", "E-DECISION-ANNOTATOR", "E-LAYER-ANNOTATOR"]
    assert list(iter_problems(root, workers=2)) == serial


def test_reading_a_document_alone_checks_its_layers(tmp_path):
    """Review pages read document by document, without map_documents: the layers come along."""
    def mutate(files):
        make_fixtures.annotators(files, "model-a")
        make_fixtures.layer(files, "model-a")["entities"][2]["start"] += 1

    root = fixture_corpus(tmp_path / "c", mutate)
    corpus = Corpus(root)
    registry, _ = corpus.read_registry()
    doc, problems = corpus.read_document("d1", registry)
    assert doc is None and [(p.code, p.file) for p in problems] == [
        ("E-SPAN-TEXT", shown(root / "layers" / "model-a" / "d1.json"))]


# -- the source digest ----------------------------------------------------------------------------

def digest_as_the_build_reads(root: Path, workers: int = 1) -> str:
    return source_digest_after_reading(root, workers=workers, suggestions=True)


def every_file_digest(root: Path) -> str:
    """SHA-256 over the sorted (relative path, SHA-256) lines of every file under ``root``."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    lines = "".join(f"{p.relative_to(root).as_posix()}\t{hashlib.sha256(p.read_bytes()).hexdigest()}\n" for p in files)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def test_the_source_digest_covers_every_corpus_file(corpus_copy):
    """Whatever the corpus holds (with or without layers), the digest is that of all its files."""
    assert digest_as_the_build_reads(corpus_copy) == every_file_digest(corpus_copy)
    with_layers(corpus_copy, "test-a")
    write_decisions(corpus_copy, "", doc_id=document_ids(corpus_copy)[0])
    assert digest_as_the_build_reads(corpus_copy) == every_file_digest(corpus_copy)


def test_a_corpus_without_layers_keeps_its_digest(tmp_path):
    """No annotators.json, layers/ or decisions/: the digest is the one of the five kinds of files."""
    root = fixture_corpus(tmp_path / "c")
    names = ["dataset.json", "registry.json", "texts/d1.txt", "documents/d1.json", "annotations/d1.json"]
    lines = "".join(f"{n}\t{hashlib.sha256((root / n).read_bytes()).hexdigest()}\n" for n in sorted(names))
    assert digest_as_the_build_reads(root) == hashlib.sha256(lines.encode("utf-8")).hexdigest()


def test_the_source_digest_changes_with_a_layer_annotators_or_decisions(tmp_path, parallel):
    def mutate(files):
        make_fixtures.annotators(files, "model-a", "model-b")
        make_fixtures.layer(files, "model-a")
        make_fixtures.decisions(files, make_fixtures.decision(files))

    root = fixture_corpus(tmp_path / "c", mutate)
    seen = {digest_as_the_build_reads(root)}
    assert digest_as_the_build_reads(root, workers=2) in seen  # the workers send the layers' digests back
    layer = root / "layers" / "model-a" / "d1.json"
    value = read_json(layer)
    value["claims"][1]["label"] = "CFS"
    write_json(layer, value)
    seen.add(digest_as_the_build_reads(root))
    write_decisions(root, jsonl(make_fixtures.decision(make_fixtures.base(), take="neither")))
    seen.add(digest_as_the_build_reads(root))
    write_annotators(root, [entry("model-a", "changed"), entry("model-b")])
    seen.add(digest_as_the_build_reads(root))
    assert len(seen) == 4


def test_build_check_notices_a_changed_layer(corpus_copy, tmp_path):
    with_layers(corpus_copy, "test-a")
    out = tmp_path / "data"
    assert run("build", "--corpus", corpus_copy, "--out", out, "--workers", 1)[0] == 0
    assert run("build", "--check", "--corpus", corpus_copy, "--out", out, "--workers", 1)[0] == 0
    layer = corpus_copy / "layers" / "test-a" / f"{document_ids(corpus_copy)[0]}.json"
    value = read_json(layer)
    value["claims"][0]["label"] = "UFS" if value["claims"][0]["label"] == "CFS" else "CFS"
    write_json(layer, value)
    code, out_text, err = run("build", "--check", "--corpus", corpus_copy, "--out", out, "--workers", 1)
    assert code == 1 and "manifest.json" in out_text + err
