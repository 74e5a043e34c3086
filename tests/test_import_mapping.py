"""Label mappings (``--mapping FILE``) and new documents (``--new-documents``) for every import
(issue 14), shown with brat, whose folders carry texts: a foreign label set is refused with its
labels located, a mapping renames, drops or skips them with counts, and a new document is created
byte for byte as ``add`` creates one, in the import's one write."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from helpers import ROOT, read_json, run, tree_bytes, write_json

from newsspans.formats import FormatError, LabelMapper, Mapping, import_, load_mapping

VALID = ROOT / "tests" / "fixtures" / "validator" / "valid" / "corpus"
TEXT = "On Monday 3 boats and 12 ships left; PER Ada came.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A valid corpus of the validator's fixtures (its registry, dataset card and documents)."""
    root = tmp_path / "corpus"
    shutil.copytree(VALID, root)
    return root


def brat_folder(tmp_path: Path, doc_id: str, lines: list[str], text: str = TEXT) -> Path:
    """A brat folder with one document: its text and ``.ann`` lines (offsets found in ``text``)."""
    folder = tmp_path / "brat"
    folder.mkdir(exist_ok=True)
    (folder / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
    (folder / f"{doc_id}.ann").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return folder


def t(n: int, label: str, snippet: str, text: str = TEXT) -> str:
    start = text.index(snippet)
    return f"T{n}\t{label} {start} {start + len(snippet)}\t{snippet}"


FOREIGN = [t(1, "TIMEX", "Monday"), t(2, "NUM", "3"), t(3, "NUM", "12"), t(4, "PER", "Ada")]


# -- the mapping file ------------------------------------------------------------------------------

def test_a_mapping_file_in_json_or_yaml(tmp_path):
    (tmp_path / "m.json").write_text('\ufeff{"entities": {"PER": "PERSON", "MISC": "drop"}, "unknown": "skip"}', encoding="utf-8")
    (tmp_path / "m.yaml").write_text("entities:\n  PER: PERSON\n  MISC: drop\nunknown: skip\n", encoding="utf-8")
    for name in ("m.json", "m.yaml"):
        mapping = load_mapping(tmp_path / name)
        assert mapping.entities == {"PER": "PERSON", "MISC": None} and mapping.unknown == "skip"


@pytest.mark.parametrize("content, says", [
    ('{"entities": {"PER": "PERSONA"}}', "entities/PER"),
    ('{"entities": {"PER": "PERSON"}, "unknown": "guess"}', "unknown"),
    ('{"labels": {}}', "(top)"),
    ('{"entities": ', "not JSON"),
])
def test_a_bad_mapping_is_refused_naming_the_place(tmp_path, content, says):
    (tmp_path / "m.json").write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        load_mapping(tmp_path / "m.json")
    assert says in str(caught.value) and "m.json" in str(caught.value)


def test_the_label_mapper_counts_what_it_does_not_import():
    mapper = LabelMapper(Mapping({"PER": "PERSON", "MISC": None}, "skip"))
    assert [mapper.map(x) for x in ("PER", "MISC", "MISC", "FOO", "PERSON")] == ["PERSON", None, None, None, None]
    assert mapper.dropped == {"MISC": 2} and mapper.skipped == {"FOO": 1, "PERSON": 1} and not mapper.unknown
    plain = LabelMapper(None)
    assert [plain.map(x) for x in ("PERSON", "PER")] == ["PERSON", None] and plain.unknown == {"PER": 1}


# -- a foreign label set through brat ----------------------------------------------------------------

def test_a_foreign_label_set_is_refused_with_each_label_located_at_its_first_mention(corpus, tmp_path):
    doc_id = sorted(p.stem for p in (corpus / "texts").glob("*.txt"))[0]
    text = (corpus / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8")
    word = text.split()[0]
    folder = brat_folder(tmp_path, doc_id, [t(1, "LOCATION", word, text)], text)
    before = tree_bytes(corpus)
    code, out, err = run("import", "brat", folder, "--corpus", corpus)
    assert code == 1 and tree_bytes(corpus) == before
    assert f"{folder / (doc_id + '.ann')}:1: [E-ENT-LABEL] T1 LOCATION" in err and "--mapping FILE" in err


def test_a_mapping_renames_drops_and_skips_with_counts(corpus, tmp_path):
    folder = brat_folder(tmp_path, "new-doc", FOREIGN)
    write_json(tmp_path / "m.json", {"entities": {"TIMEX": "DATE", "NUM": "CARDINAL", "PER": "drop"}})
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--mapping", tmp_path / "m.json", "--new-documents")
    assert code == 0, err
    ann = read_json(corpus / "annotations" / "new-doc.json")
    assert [(m["text"], m["label"]) for m in ann["entities"]] == [("Monday", "DATE"), ("3", "CARDINAL"), ("12", "CARDINAL")]
    assert "entity label PER dropped by the mapping: 1 mention(s) not imported" in out + err
    assert "entity label NUM imported as CARDINAL: 2" in out + err
    # A label the mapping does not name: refused, or with "unknown": "skip", skipped and counted.
    write_json(tmp_path / "m.json", {"entities": {"TIMEX": "DATE"}})
    shutil.rmtree(folder)
    other = brat_folder(tmp_path, "other-doc", FOREIGN)
    code, out, err = run("import", "brat", other, "--corpus", corpus, "--mapping", tmp_path / "m.json", "--new-documents")
    assert code == 1 and "unknown label \"NUM\" (2 mentions in the source, the first here)" in err
    assert "unknown label \"PER\" (1 mention" in err and not (corpus / "texts" / "other-doc.txt").exists()
    write_json(tmp_path / "m.json", {"entities": {"TIMEX": "DATE"}, "unknown": "skip"})
    code, out, err = run("import", "brat", other, "--corpus", corpus, "--mapping", tmp_path / "m.json", "--new-documents")
    assert code == 0, err
    assert [m["label"] for m in read_json(corpus / "annotations" / "other-doc.json")["entities"]] == ["DATE"]
    assert "entity label NUM skipped (not in the mapping): 2 mention(s) not imported" in out + err


# -- new documents ----------------------------------------------------------------------------------

def test_a_new_document_is_created_byte_for_byte_in_the_imports_one_write(corpus, tmp_path):
    text = "date 2025-03-13 A headline\r\nOn Monday 3 boats left. \u00e9\U0001F600\n"
    folder = brat_folder(tmp_path, "fresh-1", [t(1, "DATE", "Monday", text)], text)
    before = tree_bytes(corpus)
    code, out, err = run("import", "brat", folder, "--corpus", corpus)
    assert code == 1 and "--new-documents" in err and tree_bytes(corpus) == before
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents", "--dry-run")
    assert code == 0 and tree_bytes(corpus) == before
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents", "--story-id", "boats")
    assert code == 0, err
    data = (corpus / "texts" / "fresh-1.txt").read_bytes()
    assert data == text.encode("utf-8")
    meta = read_json(corpus / "documents" / "fresh-1.json")
    assert meta["sha256"] == hashlib.sha256(data).hexdigest() and meta["story_id"] == "boats"
    assert meta["source"] == "fresh-1.txt" and meta["language"] == "en"
    assert [m["text"] for m in read_json(corpus / "annotations" / "fresh-1.json")["entities"]] == ["Monday"]
    assert run("validate", "--corpus", corpus)[0] == 0
    # Imported again: the document exists with the same text, so nothing is created.
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents", "--allow-deletions", "--dry-run")
    assert code == 0 and "new document" not in out + err


def test_a_new_documents_story_defaults_to_its_id_and_options_need_new_documents(corpus, tmp_path):
    folder = brat_folder(tmp_path, "Fresh_Doc.2", [t(1, "DATE", "Monday")])
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--story-id", "x")
    assert code != 0 and "give --new-documents too" in err
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents")
    assert code == 0, err
    assert read_json(corpus / "documents" / "Fresh_Doc.2.json")["story_id"] == "fresh-doc-2"


def test_an_existing_documents_text_is_never_replaced(corpus, tmp_path):
    doc_id = sorted(p.stem for p in (corpus / "texts").glob("*.txt"))[0]
    folder = brat_folder(tmp_path, doc_id, [t(1, "DATE", "Monday")])
    before = tree_bytes(corpus)
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents")
    assert code == 1 and "differs from" in err and tree_bytes(corpus) == before


def test_the_library_takes_a_mapping_or_its_file(corpus, tmp_path):
    folder = brat_folder(tmp_path, "lib-doc", FOREIGN)
    mapping = Mapping({"TIMEX": "DATE", "NUM": "CARDINAL", "PER": None})
    report = import_("brat", src=folder, corpus=corpus, mapping=mapping, new_documents=True, dry_run=True)
    assert report.carried["entity mentions"] == 3 and not (corpus / "texts" / "lib-doc.txt").exists()
    (tmp_path / "m.json").write_text(json.dumps({"entities": {"TIMEX": "DATE", "NUM": "CARDINAL", "PER": "drop"}}))
    report = import_("brat", src=folder, corpus=corpus, mapping=tmp_path / "m.json", new_documents=True)
    assert (corpus / "texts" / "lib-doc.txt").read_bytes() == TEXT.encode("utf-8")


def test_the_published_mapping_schema_is_the_one_the_import_checks():
    from newsspans.formats import MAPPING_SCHEMA

    assert json.loads((ROOT / "docs" / "mapping.schema.json").read_text(encoding="utf-8")) == MAPPING_SCHEMA


# -- --trim and --create-entities ----------------------------------------------------------------------

QUOTED = 'On Monday\u00a0 Ada Quill said: "We won, again." Quill left. Pezeshkian came.\n'


def quote_lines(text: str = QUOTED) -> list[str]:
    start, end = text.index('"We'), text.index('."') + 2  # the marks and the final period inside
    return [t(1, "DATE", "Monday\u00a0 ", text), f"T2\tQuote {start} {end}\t{text[start:end]}",
            t(3, "Speaker", " Ada Quill", text), "E1\tQuote:T2 Speaker:T3", "A1\tQuoteType E1 direct"]


def test_trim_is_only_done_when_asked_and_every_trim_is_listed(corpus, tmp_path):
    folder = brat_folder(tmp_path, "trim-doc", quote_lines(), QUOTED)
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents")
    assert code == 1 and "[E-SPAN-WHITESPACE]" in err and not (corpus / "texts" / "trim-doc.txt").exists()
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents", "--trim")
    assert code == 0, err
    ann = read_json(corpus / "annotations" / "trim-doc.json")
    assert ann["entities"][0]["text"] == "Monday"
    quote = ann["quotes"][0]
    assert quote["content"]["text"] == "We won, again." and quote["speaker"]["text"] == "Ada Quill"
    trims = [line for line in (out + err).splitlines() if "(--trim)" in line]
    assert len(trims) == 3 and all(str(folder / "trim-doc.ann") in line for line in trims)
    assert any(":2: T2 Quote" in line and "content trimmed" in line for line in trims)


def test_create_entities_links_an_alias_or_creates_an_entry_listed_for_review(corpus, tmp_path):
    second = QUOTED.index("Quill left")
    lines = [t(1, "PERSON", "Ada Quill", QUOTED), f"T2\tPERSON {second} {second + 5}\tQuill", t(3, "PERSON", "Pezeshkian", QUOTED)]
    folder = brat_folder(tmp_path, "ids-doc", lines, QUOTED)
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents")
    assert code == 1 and err.count("[E-ENT-ID-MISSING]") == 3
    registry = (corpus / "registry.json").read_bytes()
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents", "--create-entities", "--dry-run")
    assert code == 0 and (corpus / "registry.json").read_bytes() == registry
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents", "--create-entities")
    assert code == 0, err
    ids = [m["entity_id"] for m in read_json(corpus / "annotations" / "ids-doc.json")["entities"]]
    assert ids == ["ada-quill", "quill", "masoud-pezeshkian"]  # Pezeshkian: the registry's alias
    entries = read_json(corpus / "registry.json")["entities"]
    assert [e["entity_id"] for e in entries] == sorted(e["entity_id"] for e in entries)
    new = {e["entity_id"]: e for e in entries if e["entity_id"] in ("ada-quill", "quill")}
    assert new["ada-quill"] == {"entity_id": "ada-quill", "name": "Ada Quill", "type": "PERSON", "aliases": ["Ada Quill"],
                                "wikidata": None}
    assert "new registry entries, for review" in out + err and "ada-quill (PERSON 'Ada Quill')" in out + err
    assert len(entries) == len(json.loads(registry)["entities"]) + 2
    assert run("validate", "--corpus", corpus)[0] == 0


def test_loc_without_any_ontonotes_place_type_is_ambiguous_and_never_taken_silently(corpus, tmp_path):
    text = "Ada flew from Velmora to Orsk on Monday.\n"
    folder = brat_folder(tmp_path, "loc-doc", [t(1, "LOC", "Velmora", text), t(2, "LOC", "Orsk", text), t(3, "DATE", "Monday", text)], text)
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents")
    assert code == 1 and f"{folder / 'loc-doc.ann'}:1: label \"LOC\" (2 mentions, the first here) with no GPE or FAC" in err
    assert "Labels found: DATE (1), LOC (2)" in err and not (corpus / "texts" / "loc-doc.txt").exists()
    write_json(tmp_path / "m.json", {"entities": {"LOC": "LOC", "DATE": "DATE"}})  # said to be OntoNotes' LOC
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents", "--mapping", tmp_path / "m.json",
                         "--create-entities")
    assert code == 0, err
    assert [m["label"] for m in read_json(corpus / "annotations" / "loc-doc.json")["entities"]] == ["LOC", "LOC", "DATE"]


def test_without_create_entities_a_mention_is_reported_with_every_registry_id_of_its_alias(corpus, tmp_path):
    value = read_json(corpus / "registry.json")
    value["entities"].append({"entity_id": "quill-2", "name": "Ben Quill", "type": "PERSON", "aliases": ["Quill"],
                              "wikidata": None})
    value["entities"].append({"entity_id": "quill-1", "name": "Ada Quill", "type": "PERSON", "aliases": ["Quill"],
                              "wikidata": None})
    write_json(corpus / "registry.json", {"entities": sorted(value["entities"], key=lambda e: e["entity_id"])})
    second = QUOTED.index("Quill left")
    folder = brat_folder(tmp_path, "ids-doc", [f"T1\tPERSON {second} {second + 5}\tQuill"], QUOTED)
    for options in ([], ["--create-entities"]):  # several entries have the alias: none is chosen
        code, out, err = run("import", "brat", folder, "--corpus", corpus, "--new-documents", *options)
        assert code == 1 and "the registry ids with that alias are 'quill-1', 'quill-2'" in err
