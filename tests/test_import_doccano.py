"""``newsspans import doccano``: doccano's JSONL exports (``label`` triples, ``entities`` with
``relations``), its UTF-16 offsets, byte-order marks and CRLF files, label mappings, new documents
and the refusals. Every test builds its own small corpus (invented texts) and writes the doccano
file by hand, as doccano exports it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import invented_corpus, read_json, run, tree_bytes

from newsspans.corpus import add_annotator
from newsspans.formats import FormatError, import_
from newsspans.formats.doccano import document_id_of
from newsspans.formats.importer import Source
from newsspans.model import Annotations, EntityMention

#: Invented texts; the wave (U+1F30A) counts two UTF-16 code units and one code point.
TEXTS = {
    "harbour": "Idris Kalvane opened the Orsk ferry on Monday with 3 new boats.\n",
    "storm": "Storm \U0001F30A warning: 40 boats stayed in port on Tuesday.\n",
}
REGISTRY = [{"entity_id": "idris-kalvane", "name": "Idris Kalvane", "type": "PERSON", "aliases": ["Idris Kalvane"],
             "wikidata": None}]


def at(doc: str, surface: str) -> tuple[int, int]:
    """Code-point offsets of ``surface`` in a text."""
    start = TEXTS[doc].index(surface)
    return start, start + len(surface)


def utf16(text: str, surface: str) -> list[int]:
    """doccano's offsets of ``surface`` in ``text``: UTF-16 code units."""
    start = len(text[:text.index(surface)].encode("utf-16-le")) // 2
    return [start, start + len(surface.encode("utf-16-le")) // 2]


def triple(doc: str, surface: str, label: str) -> list[Any]:
    return [*utf16(TEXTS[doc], surface), label]


def gold_harbour() -> Annotations:
    person, day = at("harbour", "Idris Kalvane"), at("harbour", "Monday")
    return Annotations("harbour", (EntityMention("m1", *person, "Idris Kalvane", "PERSON", "idris-kalvane"),
                                   EntityMention("m2", *day, "Monday", "DATE", None)))


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch) -> None:
    """Work in ``tmp_path``: messages name the doccano file as ``all.jsonl``."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A valid corpus of the two texts: harbour annotated (a person with its entity id, a date), storm not."""
    return invented_corpus(tmp_path / "corpus", registry=REGISTRY, texts=TEXTS, story_id="2031-02-03-orsk-ferry",
                           gold={"harbour": gold_harbour()})


def jsonl(path: Path, *records: Any, newline: str = "\n", bom: bool = False) -> Path:
    """A doccano export: one JSON record a line (a str is written as the line itself)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "".join(line + newline for line in lines).encode("utf-8"))
    return path


def entities(corpus: Path, doc: str, annotator: str = "") -> list[tuple]:
    path = corpus / ("layers/" + annotator if annotator else "annotations") / f"{doc}.json"
    return [(m["id"], m["start"], m["end"], m["text"], m["label"], m["entity_id"]) for m in read_json(path)["entities"]]


def refused(corpus: Path, src: Path, **options) -> FormatError:
    """Import ``src``, which must be refused with nothing written; the error."""
    before = tree_bytes(corpus)
    with pytest.raises(FormatError) as caught:
        import_("doccano", src=src, corpus=corpus, **options)
    assert tree_bytes(corpus) == before
    return caught.value


# --- the two export shapes ---------------------------------------------------------------------


def test_a_label_export_updates_a_document_keeping_the_ids_of_unchanged_mentions(corpus, tmp_path):
    src = jsonl(tmp_path / "all.jsonl", {
        "id": 12, "text": TEXTS["harbour"], "document_id": "harbour", "Comments": [],
        "label": [triple("harbour", "Idris Kalvane", "PERSON"), triple("harbour", "3", "CARDINAL"),
                  triple("harbour", "Monday", "TIME")]})
    report = import_("doccano", src=src, corpus=corpus)
    # The person's span and label are the corpus's m1: its id and entity id stay; Monday changed
    # label, so it is a new mention (m3, m2 being issued already), as is the cardinal (m4).
    assert entities(corpus, "harbour") == [
        ("m1", *at("harbour", "Idris Kalvane"), "Idris Kalvane", "PERSON", "idris-kalvane"),
        ("m3", *at("harbour", "Monday"), "Monday", "TIME", None),
        ("m4", *at("harbour", "3"), "3", "CARDINAL", None)]
    assert report.rewritten == ["harbour"]
    assert any("1 of 3 mention(s) have the offsets and label of a mention of the corpus" in n for n in report.notes)


def test_a_relation_export_brings_its_entities_and_counts_the_relations_it_leaves(corpus, tmp_path):
    text = TEXTS["harbour"]
    src = jsonl(tmp_path / "all.jsonl", {
        "id": 3, "text": text, "document_id": "harbour",
        "entities": [{"id": 41, "label": "DATE", "start_offset": 39, "end_offset": 45},
                     {"id": 40, "label": "CARDINAL", "start_offset": 51, "end_offset": 52}],
        "relations": [{"id": 7, "from_id": 41, "to_id": 40, "type": "when"}], "Comments": ["check the date"]})
    report = import_("doccano", src=src, corpus=corpus, allow_deletions=True)
    assert [(m[1], m[2], m[3], m[4]) for m in entities(corpus, "harbour")] == [
        (39, 45, "Monday", "DATE"), (51, 52, "3", "CARDINAL")]
    assert report.ignored == {"relations": ["all.jsonl:1 relations[0] (id 7)"], "comments": ["all.jsonl:1 Comments[0]"]}
    assert "all.jsonl:1: 1 relation not imported (NewsSpans does not import doccano relations yet)" in report.notes


def test_offsets_after_an_astral_character_are_utf16_code_units(corpus, tmp_path):
    text = TEXTS["storm"]
    day, boats = utf16(text, "Tuesday"), utf16(text, "40")
    assert day != list(at("storm", "Tuesday"))  # the two units differ here: the test means something
    src = jsonl(tmp_path / "all.jsonl", {"id": 1, "text": text, "document_id": "storm",
                                         "label": [[*boats, "CARDINAL"], [*day, "DATE"]]})
    report = import_("doccano", src=src, corpus=corpus)
    assert entities(corpus, "storm") == [("m1", *at("storm", "40"), "40", "CARDINAL", None),
                                         ("m2", *at("storm", "Tuesday"), "Tuesday", "DATE", None)]
    assert any("outside the Basic Multilingual Plane: offsets read as UTF-16" in n for n in report.notes)


def test_an_offset_inside_a_surrogate_pair_is_refused(corpus, tmp_path):
    wave = TEXTS["storm"].index("\U0001F30A")  # code point 6: UTF-16 units 6 and 7
    src = jsonl(tmp_path / "all.jsonl", {"id": 1, "text": TEXTS["storm"], "document_id": "storm",
                                         "label": [[0, wave + 1, "DATE"]]})
    error = refused(corpus, src)
    assert str(error).startswith(f"all.jsonl:1: [0, {wave + 1}, \"DATE\"]: an offset falls inside a character")


def test_a_bom_crlf_line_ends_and_blank_lines_are_read(corpus, tmp_path):
    records = [{"id": 1, "text": TEXTS["harbour"], "document_id": "harbour", "label": [triple("harbour", "Monday", "DATE")]},
               "",
               {"id": 2, "text": TEXTS["storm"], "document_id": "storm", "label": [triple("storm", "Tuesday", "DATE")]}]
    src = jsonl(tmp_path / "all.jsonl", *records, newline="\r\n", bom=True)
    report = import_("doccano", src=src, corpus=corpus, allow_deletions=True)
    assert report.documents == ["harbour", "storm"]
    assert entities(corpus, "storm") == [("m1", *at("storm", "Tuesday"), "Tuesday", "DATE", None)]


# --- labels ------------------------------------------------------------------------------------


def test_a_label_set_of_its_own_is_refused_without_a_mapping(corpus, tmp_path):
    src = jsonl(tmp_path / "all.jsonl", {"id": 1, "text": TEXTS["harbour"], "document_id": "harbour",
                                         "label": [triple("harbour", "Idris Kalvane", "PER"), triple("harbour", "Monday", "Date")]})
    error = refused(corpus, src)
    person, day = triple("harbour", "Idris Kalvane", "PER"), triple("harbour", "Monday", "Date")
    assert [e.split(" (1 mention")[0] for e in error.errors] == [
        f"all.jsonl:1: [E-ENT-LABEL] {json.dumps(day)}: unknown label \"Date\"",
        f"all.jsonl:1: [E-ENT-LABEL] {json.dumps(person)}: unknown label \"PER\""]
    assert all("--mapping FILE" in e for e in error.errors)


def test_a_mapping_renames_one_label_and_drops_another(corpus, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"entities": {"Date": "DATE", "PER": "drop"}}), encoding="utf-8")
    src = jsonl(tmp_path / "all.jsonl", {"id": 1, "text": TEXTS["storm"], "document_id": "storm",
                                         "label": [triple("storm", "Storm", "PER"), triple("storm", "Tuesday", "Date")]})
    report = import_("doccano", src=src, corpus=corpus, mapping=mapping)
    assert entities(corpus, "storm") == [("m1", *at("storm", "Tuesday"), "Tuesday", "DATE", None)]
    assert "entity label PER dropped by the mapping: 1 mention(s) not imported" in report.notes
    assert report.ignored["entity labels dropped by the mapping"] == ["PER: 1 mention(s)"]


# --- documents ---------------------------------------------------------------------------------


def test_a_dry_run_writes_nothing(corpus, tmp_path):
    src = jsonl(tmp_path / "all.jsonl", {"id": 1, "text": TEXTS["storm"], "document_id": "storm",
                                         "label": [triple("storm", "Tuesday", "DATE")]},
                {"id": 2, "text": "A new text about 5 ferries.", "document_id": "ferries", "label": [[17, 18, "CARDINAL"]]})
    before = tree_bytes(corpus)
    report = import_("doccano", src=src, corpus=corpus, dry_run=True, new_documents=True)
    assert tree_bytes(corpus) == before
    assert report.rewritten == ["storm", "ferries"]
    assert {p.relative_to(corpus).as_posix() for p in report.files} >= {"texts/ferries.txt", "annotations/storm.json"}


def test_a_new_document_is_created_byte_for_byte(corpus, tmp_path):
    text = "Dock\u00a0strike\r\nday two:\u2028crews met at 9 a.m. \U0001F6A2 on Friday.\n"  # CRLF, LS, astral
    src = jsonl(tmp_path / "all.jsonl", {"id": 5, "text": text, "document_id": "dock_strike",
                                         "label": [[*utf16(text, "9 a.m."), "TIME"], [*utf16(text, "Friday"), "DATE"]]})
    error = refused(corpus, src)
    assert "--new-documents" in str(error)
    import_("doccano", src=src, corpus=corpus, new_documents=True, story_id="2031-02-04-dock-strike")
    assert (corpus / "texts" / "dock_strike.txt").read_bytes() == text.encode("utf-8")
    assert read_json(corpus / "documents" / "dock_strike.json")["story_id"] == "2031-02-04-dock-strike"
    assert [(m[3], m[4]) for m in entities(corpus, "dock_strike")] == [("9 a.m.", "TIME"), ("Friday", "DATE")]
    code, out, err = run("validate", "--corpus", corpus)
    assert code == 0, out + err


def test_doccanos_own_id_names_a_document_when_the_record_names_none(corpus, tmp_path):
    src = jsonl(tmp_path / "all.jsonl", {"id": 17, "text": "Ferry 2 left.", "label": [[6, 7, "CARDINAL"]]})
    import_("doccano", src=src, corpus=corpus, new_documents=True)
    assert (corpus / "texts" / "doccano-17.txt").read_bytes() == b"Ferry 2 left."


@pytest.mark.parametrize("value, expected", [
    ({"id": 3, "document_id": "harbour"}, "harbour"),
    ({"id": 3, "meta": {"document_id": "harbour"}}, "harbour"),
    ({"id": 3, "document_id": None}, "doccano-3"),  # pandas' null for a key other records have
    ({"doc_id": 9, "text": "x"}, "doccano-9"),  # doccano 0.x: doc_id is doccano's own integer
    ({"id": 3, "doc_id": "storm", "meta": {"document_id": "storm"}}, "storm"),
])
def test_the_document_id_rule(value, expected):
    assert document_id_of(value, Source("all.jsonl", 1)) == expected


@pytest.mark.parametrize("value, message", [
    ({"id": 3, "document_id": "harbour", "meta": {"document_id": "storm"}}, "names two documents"),
    ({"id": 3, "document_id": 12}, "document_id 12 is not a string"),
    ({"text": "x"}, "no document id"),
])
def test_a_document_id_that_cannot_be_told_is_refused(value, message):
    with pytest.raises(FormatError, match=message):
        document_id_of(value, Source("all.jsonl", 1))


def test_a_document_whose_text_differs_is_refused(corpus, tmp_path):
    changed = TEXTS["harbour"].replace("3 new", "4 new")
    src = jsonl(tmp_path / "all.jsonl", {"id": 1, "text": changed, "document_id": "harbour", "label": []})
    assert "differs from the corpus's" in str(refused(corpus, src))
    crlf = TEXTS["harbour"].replace("\n", "\r\n")
    src = jsonl(tmp_path / "all.jsonl", {"id": 1, "text": crlf, "document_id": "harbour", "label": []})
    assert "in its line ends only (the corpus has LF)" in str(refused(corpus, src))


# --- what is refused, every problem located ----------------------------------------------------


def test_every_bad_record_is_reported_at_its_line_and_nothing_written(corpus, tmp_path):
    text = TEXTS["harbour"]
    src = jsonl(tmp_path / "all.jsonl",
                {"id": 1, "text": TEXTS["storm"], "document_id": "storm", "label": [triple("storm", "Tuesday", "DATE")]},
                '{"id": 2, "text": "unterminated',
                {"id": 3, "text": text, "document_id": "harbour",
                 "label": [[0, 900, "DATE"], [5, 5, "DATE"], [1.0, 4, "DATE"], [0, 4], "PER"]},
                {"id": 4, "document_id": "storm2", "label": []},
                {"id": 5, "text": "x", "document_id": "x5", "annotations": [{"label": 3, "start_offset": 0, "end_offset": 1}]})
    error = refused(corpus, src, new_documents=True)
    units = len(text)
    assert error.errors == [
        "all.jsonl:2: not JSON: Unterminated string starting at (column 19); each line of a doccano JSONL export is one "
        "JSON object",
        f"all.jsonl:3: [0, 900, \"DATE\"]: outside the text (0-{units} in UTF-16 code units, doccano's unit)",
        "all.jsonl:3: [5, 5, \"DATE\"]: start must be below end (end is exclusive)",
        "all.jsonl:3: [1.0, 4, \"DATE\"]: start and end must be integers (character offsets)",
        "all.jsonl:3: label[3] is not [start, end, \"LABEL\"] nor {\"start_offset\", \"end_offset\", \"label\"}: [0, 4]; "
        "is this a sequence-labeling export?",
        "all.jsonl:3: label[4] is not [start, end, \"LABEL\"] nor {\"start_offset\", \"end_offset\", \"label\"}: \"PER\"; "
        "is this a sequence-labeling export?",
        "all.jsonl:4: no \"text\"; a record of a sequence-labeling project holds its text",
        "all.jsonl:5: 'annotations' holds numeric label ids (doccano 1.x's plain JSONL export), which name no label; "
        "export the project as \"JSONL (Text label)\"",
    ]


def test_overlapping_mentions_are_refused_naming_both_at_their_line(corpus, tmp_path):
    src = jsonl(tmp_path / "all.jsonl", {"id": 1, "text": TEXTS["storm"], "document_id": "storm", "label": []},
                {"id": 2, "text": TEXTS["harbour"], "document_id": "harbour",
                 "label": [triple("harbour", "Monday with 3", "DATE"), triple("harbour", "3", "CARDINAL")]})
    error = refused(corpus, src)
    [line] = error.errors
    assert line.startswith("all.jsonl:2: [E-ENT-OVERLAP] [") and "CARDINAL" in line and "overlaps [" in line
    assert "\"DATE\"] (line 2)" in line


def test_a_folder_of_per_user_files_goes_to_the_annotators_layers_one_at_a_time(corpus, tmp_path):
    add_annotator(corpus=corpus, annotator_id="ann-a", kind="human")
    folder = tmp_path / "export"
    folder.mkdir()
    record = {"id": 1, "text": TEXTS["storm"], "document_id": "storm", "label": [triple("storm", "40", "CARDINAL")]}
    jsonl(folder / "admin.jsonl", record)
    jsonl(folder / "bob.jsonl", {**record, "label": []})
    # Without --annotator, both users' files would be the gold's: the document is in two places.
    assert "document storm is already in" in str(refused(corpus, folder))
    gold = tree_bytes(corpus / "annotations")
    code, out, err = run("import", "doccano", folder / "admin.jsonl", "--corpus", corpus, "--annotator", "ann-a")
    assert code == 0, err
    assert entities(corpus, "storm", "ann-a") == [("m1", *at("storm", "40"), "40", "CARDINAL", None)]
    assert tree_bytes(corpus / "annotations") == gold


def test_the_command_reports_a_refusal_in_one_line(corpus, tmp_path):
    src = jsonl(tmp_path / "all.jsonl", {"id": 1, "text": TEXTS["storm"], "document_id": "storm",
                                         "label": [triple("storm", "Storm", "PERSON")]})
    before = tree_bytes(corpus)
    code, out, err = run("import", "doccano", src, "--corpus", corpus)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    assert "all.jsonl:1: [E-ENT-ID-MISSING] [0, 5, \"PERSON\"]" in err
    assert tree_bytes(corpus) == before
