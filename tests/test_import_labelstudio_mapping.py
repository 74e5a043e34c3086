"""``newsspans import labelstudio`` of a project with a labeling config of its own, through the
``labelstudio`` section of a mapping file: controls to layers, quote parts tied by relations
(labelled and not), claims, the quote type from a per-region choice, what is left out (counted,
never an error), tasks without a ``document_id`` creating new documents. Every test builds a small
corpus of invented texts and writes the tasks as Label Studio exports them: UTF-16 offsets, random
region ids, a task ``id``, ``completed_by`` and ``lead_time``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Optional

import pytest
from helpers import invented_corpus, read_json, run, tree_bytes

from newsspans.corpus import add_annotator
from newsspans.formats import FormatError, Mapping, import_
from newsspans.model import Annotations, EntityMention

#: Invented texts; the ship (U+1F6A2) counts two UTF-16 code units and one code point.
HARBOUR = "Idris Kalvane opened the Orsk ferry on Monday with 3 new boats.\n"
NEWS = ("\U0001F6A2 Orsk is calm, the mayor said on Monday. \u201cWe sail at dawn,\u201d Idris Kalvane told reporters. "
        "Ferries will resume on Friday, officials announced, adding that \u201cno delays\u201d were expected. "
        "The port handled 40 ships in 2030.\n")
REGISTRY = [{"entity_id": "idris-kalvane", "name": "Idris Kalvane", "type": "PERSON", "aliases": ["Idris Kalvane"],
             "wikidata": None}]

#: A typical NER + quote-attribution + claims project, in its own names.
MAPPING: dict[str, Any] = {
    "entities": {"Person": "PERSON", "When": "DATE", "Count": "CARDINAL", "Place": "drop"},
    "labelstudio": {
        "controls": {"ner": "entities", "attribution": "quotes", "checkworthy": "claims", "scratch": "drop"},
        "quote_parts": {"Content": "content", "Source": "speaker", "Cue": "cue"},
        "relations": {"said_by": "speaker", "cue_of": "cue"},
        "claim_labels": {"Check": "CFS", "Opinion": "UFS", "Other": "drop"},
        "type": {"attribute": "kind", "values": {"Verbatim": "direct", "Reported": "indirect", "Partial": "mixed"}},
    },
}


def units(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    """Label Studio's offsets of the ``nth`` ``surface`` in ``text``: UTF-16 code units."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    before = len(text[:start].encode("utf-16-le")) // 2
    return before, before + len(surface.encode("utf-16-le")) // 2


def at(text: str, surface: str) -> tuple[int, int]:
    """Code-point offsets of ``surface`` in ``text``."""
    start = text.index(surface)
    return start, start + len(surface)


def region(rid: str, control: str, label: str, surface: str, text: str = NEWS, **value: Any) -> dict[str, Any]:
    start, end = units(text, surface)
    return {"value": {"start": start, "end": end, "text": surface, "labels": [label], **value}, "id": rid,
            "from_name": control, "to_name": "text", "type": "labels", "origin": "manual"}


def choice(rid: str, control: str, value: str, surface: str, text: str = NEWS) -> dict[str, Any]:
    start, end = units(text, surface)
    return {"value": {"start": start, "end": end, "text": surface, "choices": [value]}, "id": rid, "from_name": control,
            "to_name": "text", "type": "choices", "origin": "manual"}


def relation(src: str, dst: str, *labels: str, direction: str = "right") -> dict[str, Any]:
    return {"from_id": src, "to_id": dst, "type": "relation", "direction": direction, "labels": list(labels)}


def task(task_id: int, result: list[Any], text: str = NEWS, *, data: Optional[dict[str, Any]] = None,
         annotations: Optional[list[Any]] = None) -> dict[str, Any]:
    """A task as Label Studio's JSON export writes it."""
    live = {"id": 100 + task_id, "completed_by": 1, "result": result, "was_cancelled": False, "ground_truth": False,
            "created_at": "2031-02-03T10:00:00Z", "lead_time": 12.5, "task": task_id}
    return {"id": task_id, "data": data if data is not None else {"text": text}, "annotations": annotations or [live],
            "predictions": [], "meta": {}, "project": 3}


def tasks_file(path: Path, *tasks: dict[str, Any]) -> Path:
    path.write_text(json.dumps(list(tasks), indent=1, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch) -> None:
    """Work in ``tmp_path``: messages name the tasks file as ``tasks.json``."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A valid corpus of one document, harbour: a person with its registry id, a date."""
    gold = Annotations("harbour", (EntityMention("m1", *at(HARBOUR, "Idris Kalvane"), "Idris Kalvane", "PERSON", "idris-kalvane"),
                                   EntityMention("m2", *at(HARBOUR, "Monday"), "Monday", "DATE", None)))
    return invented_corpus(tmp_path / "corpus", registry=REGISTRY, texts={"harbour": HARBOUR},
                           story_id="2031-02-03-orsk-ferry", gold={"harbour": gold})


def mapping(**changes: Any) -> Mapping:
    """``MAPPING`` with top-level keys replaced, and ``labelstudio`` keys replaced by ``ls_<key>``."""
    value = json.loads(json.dumps(MAPPING))
    for key, v in changes.items():
        if key.startswith("ls_"):
            value["labelstudio"][key[3:]] = v
        else:
            value[key] = v
    return Mapping.from_value(value)


def imported(corpus: Path, src: Path, **options: Any):
    options.setdefault("mapping", mapping())
    return import_("labelstudio", src=src, corpus=corpus, **options)


def refused(corpus: Path, src: Path, **options: Any) -> str:
    before = tree_bytes(corpus)
    with pytest.raises(FormatError) as caught:
        imported(corpus, src, **options)
    assert tree_bytes(corpus) == before
    return str(caught.value)


def spans(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(x["text"], x["label"]) for x in items]


# -- an NER project ---------------------------------------------------------------------------------

NER = [
    # Drawn out of text order, as an annotator does; the ids are Label Studio's.
    region("Hk2JqW0aZe", "ner", "Count", "40"),
    region("a9Bc3dEf1G", "ner", "When", "Monday"),
    region("Pl4cE00001", "ner", "Place", "Orsk"),
    region("sCr4tch001", "scratch", "Todo", "Ferries"),
    region("Ye4r000001", "ner", "When", "2030"),
    {"id": "doc-mood", "type": "choices", "from_name": "sentiment", "to_name": "text", "value": {"choices": ["Calm"]}},
    {"id": "c0mment01", "type": "textarea", "from_name": "comment", "to_name": "text", "value": {"text": ["check the date"]}},
]


def test_an_ner_project_imports_through_its_controls_with_utf16_offsets(corpus, tmp_path):
    src = tasks_file(tmp_path / "tasks.json", task(7, NER))
    report = imported(corpus, src, new_documents=True)
    ann = read_json(corpus / "annotations" / "task-7.json")
    assert (corpus / "texts" / "task-7.txt").read_bytes() == NEWS.encode("utf-8")
    # Converted to code points after the ship, in text order, with fresh ids; Place dropped by the mapping.
    assert [(m["id"], m["start"], m["end"], m["text"], m["label"], m["entity_id"]) for m in ann["entities"]] == [
        ("m1", *at(NEWS, "Monday"), "Monday", "DATE", None), ("m2", *at(NEWS, "40"), "40", "CARDINAL", None),
        ("m3", *at(NEWS, "2030"), "2030", "DATE", None)]
    assert units(NEWS, "Monday") != at(NEWS, "Monday")
    notes = "\n".join(report.notes)
    assert "entity label Place dropped by the mapping: 1 mention(s) not imported" in notes
    assert "entity label When imported as DATE: 2" in notes
    # Controls the mapping does not name, or maps to drop: counted and noted, never an error.
    assert "control 'sentiment' (choices): not in labelstudio.controls: 1 result not imported" in notes
    assert "control 'comment' (textarea): not in labelstudio.controls: 1 result not imported" in notes
    assert "control 'scratch': mapped to \"drop\": 1 region not imported" in notes
    assert report.ignored["Label Studio results"] == [
        "task id 7 (document task-7) result[5] (sentiment choices)", "task id 7 (document task-7) result[6] (comment textarea)"]
    assert report.ignored["Label Studio regions"] == ["task id 7 (document task-7) result[3] (scratch)"]
    assert run("validate", "--corpus", corpus)[0] == 0


def test_an_entity_label_the_mapping_does_not_name_is_refused_unless_skipped(corpus, tmp_path):
    result = NER + [region("m1sc000001", "ner", "Vessel", "ships"), region("m1sc000002", "ner", "Vessel", "Ferries")]
    src = tasks_file(tmp_path / "tasks.json", task(7, result))
    err = refused(corpus, src, new_documents=True)
    assert err.startswith("tasks.json:")
    assert 'region m1sc000001 Vessel' in err and 'unknown label "Vessel" (2 mentions in the source, the first here)' in err
    assert not (corpus / "texts" / "task-7.txt").exists()
    report = imported(corpus, src, new_documents=True, mapping=mapping(unknown="skip"))
    assert "entity label Vessel skipped (not in the mapping): 2 mention(s) not imported" in report.notes
    assert [m["text"] for m in read_json(corpus / "annotations" / "task-7.json")["entities"]] == ["Monday", "40", "2030"]


def test_a_validator_problem_is_located_at_the_region(corpus, tmp_path):
    # Person is id-bearing: a mention of a new document has no entity_id, which the validator refuses.
    src = tasks_file(tmp_path / "tasks.json", task(7, [region("pErS0n0001", "ner", "Person", "Idris Kalvane")]))
    err = refused(corpus, src, new_documents=True)
    lines = src.read_text(encoding="utf-8").split("\n")
    line = int(err.split(":")[1])
    assert err.startswith(f"tasks.json:{line}: [E-ENT-ID-MISSING] task id 7 (document task-7): region pErS0n0001 Person ")
    assert '"value"' in lines[line - 1] and "Idris Kalvane" in lines[line + 2]


# -- a quote-attribution project --------------------------------------------------------------------

QUOTES = [
    # q: the mayor's paraphrase, its parts tied by labelled relations drawn either way.
    region("cOnt000001", "attribution", "Content", "Orsk is calm"),
    region("sPk0000001", "attribution", "Source", "the mayor"),
    region("cUe0000001", "attribution", "Cue", "said"),
    relation("cOnt000001", "sPk0000001", "said_by"),
    relation("cUe0000001", "cOnt000001", "cue_of", direction="left"),
    # A direct quote whose type is the per-region choice, tied by unlabelled relations.
    region("cOnt000002", "attribution", "Content", "We sail at dawn,"),
    choice("cOnt000002", "kind", "Verbatim", "We sail at dawn,"),
    region("sPk0000002", "attribution", "Source", "Idris Kalvane"),
    region("cUe0000002", "attribution", "Cue", "told"),
    relation("sPk0000002", "cOnt000002"),
    relation("cOnt000002", "cUe0000002", direction="bi"),
    # The officials' statement in two contents sharing one speaker; the second has no cue.
    region("cOnt000003", "attribution", "Content", "Ferries will resume on Friday"),
    region("sPk0000003", "attribution", "Source", "officials"),
    region("cUe0000003", "attribution", "Cue", "announced"),
    region("cOnt000004", "attribution", "Content", "no delays"),
    relation("sPk0000003", "cOnt000003", "said_by"),
    relation("sPk0000003", "cOnt000004", "said_by"),
    relation("cUe0000003", "cOnt000003"),
    # An entity region and a relation to it (a coreference link, say): not a quote's part.
    region("Fr1day0001", "ner", "When", "Friday"),
    relation("cOnt000003", "Fr1day0001", "mentions"),
    relation("sPk0000002", "Fr1day0001"),
]


def quote_rows(corpus: Path, doc_id: str = "task-8") -> list[tuple[Any, ...]]:
    def text(span):
        return None if span is None else span["text"]

    return [(q["id"], q["type"], q["content"]["text"], text(q["speaker"]), text(q["cue"]))
            for q in read_json(corpus / "annotations" / f"{doc_id}.json")["quotes"]]


def test_quote_parts_are_tied_by_labelled_and_unlabelled_relations(corpus, tmp_path):
    src = tasks_file(tmp_path / "tasks.json", task(8, QUOTES))
    report = imported(corpus, src, new_documents=True)
    assert quote_rows(corpus) == [
        ("q1", "indirect", "Orsk is calm", "the mayor", "said"),  # no choice: auto, no quotation marks
        ("q2", "direct", "We sail at dawn,", "Idris Kalvane", "told"),  # the choice, mapped
        ("q3", "indirect", "Ferries will resume on Friday", "officials", "announced"),
        ("q4", "direct", "no delays", "officials", None),  # a shared speaker; auto: marks just outside
    ]
    q = read_json(corpus / "annotations" / "task-8.json")["quotes"][1]
    assert (q["content"]["start"], q["content"]["end"]) == at(NEWS, "We sail at dawn,")
    notes = "\n".join(report.notes)
    assert "relation labelled 'mentions': not in labelstudio.relations: 1 relation not imported" in notes
    assert ("relation that does not join two imported quote regions (a content and its speaker or cue): 1 relation "
            "not imported") in notes
    assert run("validate", "--corpus", corpus)[0] == 0


@pytest.mark.parametrize("edit, says", [
    # A speaker no relation ties to a content.
    (lambda r: r.remove(r[3]), "speaker region sPk0000001 (Source) is tied to no content region: draw a relation "
                               "(labelled 'said_by' or not labelled) between it and its content"),
    # A relation labelled as a speaker link that ties a cue.
    (lambda r: r.__setitem__(4, relation("cUe0000001", "cOnt000001", "said_by")),
     "relation cUe0000001 -> cOnt000001 is a speaker relation, but region cUe0000001 (Cue) is a cue"),
    # A content with two speakers.
    (lambda r: r.append(relation("sPk0000002", "cOnt000001")), "quote cOnt000001 already has a speaker (region sPk0000001)"),
    # A relation to a region the result lacks.
    (lambda r: r.append(relation("sPk0000001", "gOnE000001")), "relation sPk0000001 -> gOnE000001: the result has no region gOnE000001"),
    # The quote type's choice on a speaker, and a value the mapping does not map.
    (lambda r: r.append(choice("sPk0000001", "kind", "Verbatim", "the mayor")),
     "kind (the quote type) applies to a quote's content region; region sPk0000001 is a speaker region"),
    (lambda r: r.append(choice("cOnt000001", "kind", "Hearsay", "Orsk is calm")),
     "kind 'Hearsay' of region cOnt000001: the mapping does not name it in labelstudio.type.values"),
    # A region with two labels.
    (lambda r: r[0]["value"].update(labels=["Content", "Source"]), "region cOnt000001 must carry exactly one label of attribution"),
])
def test_a_broken_attribution_is_refused_at_its_result_item(corpus, tmp_path, edit, says):
    result = json.loads(json.dumps(QUOTES))
    edit(result)
    src = tasks_file(tmp_path / "tasks.json", task(8, result))
    err = refused(corpus, src, new_documents=True)
    assert err.startswith("tasks.json:") and "task id 8 (document task-8): " in err and says in err
    assert err.count("\n") == 0 and "Traceback" not in err


def test_quote_labels_and_the_default_type_follow_the_mapping(corpus, tmp_path):
    result = QUOTES + [region("t0p1c00001", "attribution", "Topic", "Orsk"), region("t0p1c00002", "attribution", "Topic", "ships")]
    src = tasks_file(tmp_path / "tasks.json", task(8, result))
    err = refused(corpus, src, new_documents=True)
    assert ("unknown label \"Topic\" of control 'attribution' (2 regions, the first here): the mapping does not name it in "
            "labelstudio.quote_parts; map it to content, speaker or cue, or set \"unknown\": \"skip\"") in err
    assert "region t0p1c00001 Topic" in err
    # Skipped, and every quote without a choice takes the mapping's default type.
    report = imported(corpus, src, new_documents=True,
                      mapping=mapping(unknown="skip", ls_type={"attribute": "kind", "values": {"Verbatim": "direct"},
                                                               "default": "indirect"}))
    assert report.ignored["Label Studio regions"] == [
        "task id 8 (document task-8) region t0p1c00001 (attribution Topic)",
        "task id 8 (document task-8) region t0p1c00002 (attribution Topic)"]
    assert [row[1] for row in quote_rows(corpus)] == ["indirect", "direct", "indirect", "indirect"]


# -- claims -----------------------------------------------------------------------------------------

def test_claim_labels_map_to_cfs_and_ufs_with_the_author_as_claimant(corpus, tmp_path):
    result = [region("cl41m00001", "checkworthy", "Check", "The port handled 40 ships in 2030"),
              region("cl41m00002", "checkworthy", "Opinion", "Orsk is calm"),
              region("cl41m00003", "checkworthy", "Other", "Ferries will resume on Friday")]
    src = tasks_file(tmp_path / "tasks.json", task(9, result))
    report = imported(corpus, src, new_documents=True)
    claims = read_json(corpus / "annotations" / "task-9.json")["claims"]
    assert [(c["id"], c["text"], c["label"], c["claimant"]) for c in claims] == [
        ("c1", "Orsk is calm", "UFS", "author"), ("c2", "The port handled 40 ships in 2030", "CFS", "author")]
    assert any("label 'Other' of control 'checkworthy': mapped to \"drop\": 1 region not imported" in n for n in report.notes)


# -- documents --------------------------------------------------------------------------------------

def test_a_task_without_document_id_needs_new_documents_and_a_dry_run_writes_nothing(corpus, tmp_path):
    src = tasks_file(tmp_path / "tasks.json", task(7, NER))
    before = tree_bytes(corpus)
    code, out, err = run("import", "labelstudio", src, "--corpus", corpus, "--mapping", write_mapping(tmp_path))
    assert code == 1 and tree_bytes(corpus) == before
    assert err.startswith("newsspans import: tasks.json:") and '"id": 7' in src.read_text().split("\n")[int(err.split(":")[2]) - 1]
    assert "no document 'task-7' in the corpus; import with --new-documents" in err
    code, out, err = run("import", "labelstudio", src, "--corpus", corpus, "--mapping", write_mapping(tmp_path),
                         "--new-documents", "--dry-run")
    assert code == 0, err
    assert tree_bytes(corpus) == before and "new document task-7" in out + err
    code, out, err = run("import", "labelstudio", src, "--corpus", corpus, "--mapping", write_mapping(tmp_path),
                         "--new-documents", "--story-id", "orsk-news")
    assert code == 0, err
    assert read_json(corpus / "documents" / "task-7.json")["story_id"] == "orsk-news"
    assert run("validate", "--corpus", corpus)[0] == 0


def write_mapping(tmp_path: Path) -> Path:
    import yaml

    path = tmp_path / "project.yaml"
    path.write_text(yaml.safe_dump(MAPPING), encoding="utf-8")
    return path


def test_a_task_naming_a_corpus_document_keeps_what_label_studio_does_not_carry(corpus, tmp_path):
    result = [region("x1", "ner", "Person", "Idris Kalvane", HARBOUR), region("x2", "ner", "When", "Monday", HARBOUR),
              region("x3", "ner", "Count", "3", HARBOUR)]
    src = tasks_file(tmp_path / "tasks.json", task(3, result, data={"document_id": "harbour", "article": HARBOUR}))
    report = imported(corpus, src)
    entities = read_json(corpus / "annotations" / "harbour.json")["entities"]
    # The same span and label: the corpus's id and entity_id; a new one: a fresh id.
    assert [(m["id"], m["text"], m["entity_id"]) for m in entities] == [
        ("m1", "Idris Kalvane", "idris-kalvane"), ("m2", "Monday", None), ("m3", "3", None)]
    assert any("2 of 3 item(s) have the span of an item of the corpus" in n for n in report.notes)
    # The text must be the corpus's: texts are never edited.
    edited = tasks_file(tmp_path / "tasks.json", task(3, result, HARBOUR.replace("3", "4"), data={"document_id": "harbour",
                                                                                                 "text": HARBOUR.upper()}))
    assert "the text of document harbour differs from the corpus's" in refused(corpus, edited)


@pytest.mark.parametrize("data, says", [
    ({"title": "Orsk", "body": NEWS}, "data holds several strings (title, body), and no data.text to say which is the text"),
    ({"text": 12}, "data.text must be the text, a string; got 12"),
    ({"image": None}, "data holds no text"),
])
def test_a_task_whose_text_cannot_be_told_is_refused(corpus, tmp_path, data, says):
    src = tasks_file(tmp_path / "tasks.json", task(7, NER, data=data))
    err = refused(corpus, src, new_documents=True)
    assert err.startswith("tasks.json:") and "task id 7 (document ?)" in err and says in err


def test_a_cancelled_annotation_is_left_out_and_the_live_one_imported(corpus, tmp_path):
    cancelled = {"id": 1, "completed_by": 2, "result": [region("zz", "ner", "Count", "40")], "was_cancelled": True}
    live = {"id": 2, "completed_by": 1, "result": NER, "was_cancelled": False}
    src = tasks_file(tmp_path / "tasks.json", task(7, [], annotations=[cancelled, live]))
    report = imported(corpus, src, new_documents=True)
    assert report.ignored["cancelled annotations"] == ["task id 7 (document task-7)"]
    assert len(read_json(corpus / "annotations" / "task-7.json")["entities"]) == 3


def test_several_annotations_go_to_their_annotators_layers_through_the_map(corpus, tmp_path):
    add_annotator(corpus=corpus, annotator_id="ann-b", kind="human")
    first = {"id": 1, "completed_by": 1, "result": NER, "was_cancelled": False}
    second = {"id": 2, "completed_by": 2, "result": [region("zz", "ner", "Count", "40")], "was_cancelled": False}
    src = tasks_file(tmp_path / "tasks.json", task(7, [], annotations=[first, second]))
    # Without a map, two annotations are refused, naming their users.
    assert "--map-annotator 1=ID --map-annotator 2=ID" in refused(corpus, src, new_documents=True)
    code, out, err = run("import", "labelstudio", src, "--corpus", corpus, "--mapping", write_mapping(tmp_path),
                         "--new-documents", "--map-annotator", "1=gold", "--map-annotator", "2=ann-b")
    assert code == 0, err
    assert [m["text"] for m in read_json(corpus / "annotations" / "task-7.json")["entities"]] == ["Monday", "40", "2030"]
    assert [m["text"] for m in read_json(corpus / "layers" / "ann-b" / "task-7.json")["entities"]] == ["40"]
    assert run("validate", "--corpus", corpus)[0] == 0


def test_without_a_labelstudio_section_a_foreign_task_is_refused_as_before(corpus, tmp_path):
    src = tasks_file(tmp_path / "tasks.json", task(7, NER))
    err = refused(corpus, src, mapping=Mapping.from_value({"entities": MAPPING["entities"]}), new_documents=True)
    assert "data.document_id is missing" in err and "docs/import-labelstudio.md" in err


def test_our_own_export_read_through_a_mapping_naming_its_controls_changes_nothing(corpus_copy, tmp_path):
    """The mapped reading and the export agree: every item matches the corpus's, which keeps its id
    and the fields the mapping does not read (entity_id, speaker_entity_id, ...)."""
    from newsspans.labels import ENTITY_LABELS

    code, out, err = run("export", "labelstudio", "--corpus", corpus_copy, "--out", tmp_path / "ls")
    assert code == 0, err
    own = Mapping.from_value({"entities": {label: label for label in ENTITY_LABELS}, "labelstudio": {
        "controls": {"entity": "entities", "quote": "quotes", "claim": "claims"},
        "quote_parts": {"Quote": "content", "Speaker": "speaker", "Cue": "cue"},
        "relations": {"speaker": "speaker", "cue": "cue"}, "claim_labels": {"CFS": "CFS", "UFS": "UFS"},
        "type": {"attribute": "quote_type"}}})
    before = tree_bytes(corpus_copy)
    report = import_("labelstudio", src=tmp_path / "ls", corpus=corpus_copy, mapping=own)
    assert not report.changes and not report.rewritten and tree_bytes(corpus_copy) == before
    assert any("control 'entity_id' (taxonomy): not in labelstudio.controls" in n for n in report.notes)


# -- the documentation's example --------------------------------------------------------------------

def doc_blocks(kind: str) -> list[str]:
    """The fenced blocks of ``kind`` in docs/import-labelstudio.md, in order."""
    from helpers import ROOT

    text = (ROOT / "docs" / "import-labelstudio.md").read_text(encoding="utf-8")
    return [m[2] for m in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.DOTALL | re.MULTILINE) if m[1] == kind]


def test_the_documented_example_imports_as_the_documentation_says(corpus, tmp_path):
    import yaml

    (tmp_path / "export.json").write_text(doc_blocks("json")[0], encoding="utf-8")
    project = yaml.safe_load(doc_blocks("yaml")[0])
    err = refused(corpus, tmp_path / "export.json", mapping=Mapping.from_value(project), new_documents=True, dry_run=True)
    documented = doc_blocks("")[0].strip().split("\n")  # the unlabelled block after the example: its errors
    assert "newsspans import: " + err == "\n".join(documented)
    # Once the two id-bearing mentions are out of the way, the rest is as documented.
    project["entities"].update(Person="drop", Location="drop")
    report = imported(corpus, tmp_path / "export.json", mapping=Mapping.from_value(project), new_documents=True)
    notes = [line.removeprefix("note: ") for line in doc_blocks("")[1].strip().split("\n")]
    assert notes[:2] == [n for n in report.notes if "not in labelstudio.controls" in n]
    quote = read_json(corpus / "annotations" / "task-41.json")["quotes"][0]
    assert (quote["type"], quote["content"]["text"], quote["speaker"]["text"], quote["cue"]["text"]) == (
        "direct", "We stay in port,", "Idris Kalvane", "said")
    monday = read_json(corpus / "annotations" / "task-41.json")["entities"][0]
    assert (monday["text"], monday["start"], monday["end"]) == ("Monday", 66, 72)
    assert Mapping.from_value(yaml.safe_load(doc_blocks("yaml")[1]))
