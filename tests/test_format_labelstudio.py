"""Label Studio: UTF-16 offsets for the browser, converted back exactly; byte-identical round trip."""

from __future__ import annotations

import json

import pytest
from helpers import CORPUS
from docgen import REGISTRY, documents
from helpers import annotation_files, run
from hypothesis import given, settings

from newsspans.corpus import dumps_canonical
from newsspans.formats import labelstudio as ls
from newsspans.formats.base import FormatError
from newsspans.model import Annotations, Claim, Document, DocumentMeta, EntityMention

DOC = "000_1936301ef05f6424"


def where(path, message):
    return FormatError(f"task {path}: {message}")


def doc_of(text, ann):
    return Document(DocumentMeta("d", None, None, "d.txt", "en", "s", "0" * 64), text, ann)


@pytest.fixture
def exported(tmp_path):
    code, out, err = run("export", "labelstudio", "--corpus", CORPUS, "--out", tmp_path / "ls")
    assert code == 0, err
    return tmp_path / "ls"


def test_gold_round_trip_is_byte_identical(exported, corpus_copy):
    for path in (corpus_copy / "annotations").glob("*.json"):
        path.write_text('{"document_id": "x", "entities": [], "quotes": [], "claims": []}\n', encoding="utf-8")
    code, out, err = run("import", "labelstudio", exported / "tasks.json", "--corpus", corpus_copy)
    assert code == 0, err
    assert "105 entity mentions, 21 quotes, 13 claims" in out
    assert annotation_files(corpus_copy) == annotation_files(CORPUS)
    config = (exported / "labeling-config.xml").read_text(encoding="utf-8")
    assert "UTF-16 code units" in config and '<Label value="PERSON"/>' in config


def test_offsets_after_an_emoji_count_utf16_code_units():
    text = "😀 Iran and 𝄞 Russia"
    iran = (len("😀 "), len("😀 Iran"))  # code points
    russia = (len("😀 Iran and 𝄞 "), len(text))
    ann = Annotations("d", (EntityMention("m1", *iran, "Iran", "GPE", "iran"), EntityMention("m2", *russia, "Russia", "GPE", "russia")))
    task = ls.task(doc_of(text, ann))
    regions = [r for r in task["annotations"][0]["result"] if r["type"] == "labels"]
    js = text.encode("utf-16-le")  # what the browser indexes: 2 bytes per code unit
    # Each emoji is one code point but two UTF-16 code units: +1 after the first, +2 after both.
    assert [(r["value"]["start"], r["value"]["end"]) for r in regions] == [(iran[0] + 1, iran[1] + 1), (russia[0] + 2, russia[1] + 2)] == [(3, 7), (15, 21)]
    for r in regions:
        assert js[2 * r["value"]["start"]:2 * r["value"]["end"]].decode("utf-16-le") == r["value"]["text"]
    back = ls.parse_task(task, text=text, document_id="d", registry=REGISTRY, where=where)
    assert back == ann
    as_codepoints = ls.task(doc_of(text, ann), offset_unit=ls.CODEPOINTS)
    assert [(r["value"]["start"], r["value"]["end"]) for r in as_codepoints["annotations"][0]["result"] if r["type"] == "labels"] == [iran, russia]
    assert ls.parse_task(as_codepoints, text=text, document_id="d", registry=REGISTRY, where=where) == ann


def test_an_offset_inside_a_surrogate_pair_is_refused():
    text = "😀 Iran"
    ann = Annotations("d", (EntityMention("m1", 2, 6, "Iran", "GPE", None),))
    task = ls.task(doc_of(text, ann))
    task["annotations"][0]["result"][0]["value"].update(start=1, text="\ude00 Iran")
    with pytest.raises(FormatError, match=r"region m1 1-7 \(UTF-16 code units\): an offset falls inside a character"):
        ls.parse_task(task, text=text, document_id="d", registry=REGISTRY, where=where)


def test_code_point_offsets_under_a_utf16_label_are_caught_with_a_hint():
    text = "😀 Iran"
    ann = Annotations("d", (EntityMention("m1", 2, 6, "Iran", "GPE", None),))
    task = ls.task(doc_of(text, ann), offset_unit=ls.CODEPOINTS)
    task["data"]["offset_unit"] = ls.UTF16
    with pytest.raises(FormatError, match=r"region m1 2-6 \(utf-16\): text 'Iran' != document text ' Ira' — the offsets match in codepoints"):
        ls.parse_task(task, text=text, document_id="d", registry=REGISTRY, where=where)


def broken(exported, corpus_copy, edit):
    tasks = json.loads((exported / "tasks.json").read_text(encoding="utf-8"))
    edit(tasks)
    (exported / "tasks.json").write_text(json.dumps(tasks, indent=1, ensure_ascii=False), encoding="utf-8")
    before = annotation_files(corpus_copy)
    code, out, err = run("import", "labelstudio", exported / "tasks.json", "--corpus", corpus_copy)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert annotation_files(corpus_copy) == before
    return err


def result(tasks, k=0):
    return tasks[k]["annotations"][0]["result"]


@pytest.mark.parametrize("edit,message", [
    (lambda t: result(t)[0]["value"].update(start=1), "region m1 1-24 (utf-16): text 'Russian Security Council' != document text"),
    (lambda t: result(t)[0]["value"].update(labels=["HUMAN"]), "region m1 must carry exactly one label of entity"),
    (lambda t: result(t)[1]["value"].update(text=["nobody"]), "entity_id of m1: 'nobody' is not in the registry"),
    (lambda t: t[0]["annotations"].append({"result": []}), "holds 2 annotations that were not cancelled"),
    (lambda t: t[0]["data"].update(text="edited"), "data.text differs from the corpus text"),
    (lambda t: result(t).append({"from_id": "m1", "to_id": "m2", "type": "relation", "labels": ["speaker"]}),
     "a speaker relation goes from a Speaker region to a Quote region"),
])
def test_a_malformed_export_names_file_line_and_task_and_writes_nothing(exported, corpus_copy, edit, message):
    err = broken(exported, corpus_copy, edit)
    assert err.startswith(f"newsspans import: {exported / 'tasks.json'}:")
    assert f"task 0 (document {DOC}): " in err
    assert message in err


def test_the_line_number_points_at_the_region(exported, corpus_copy):
    err = broken(exported, corpus_copy, lambda t: result(t)[4]["value"].update(end=9999))
    tasks_text = (exported / "tasks.json").read_text(encoding="utf-8").split("\n")
    line = int(err.split(":")[2])
    assert '"end": 9999' in "\n".join(tasks_text[line - 1:line + 8])


def test_a_region_drawn_in_label_studio_gets_a_fresh_id(exported, corpus_copy):
    def add(tasks):
        result(tasks).append({"id": "Xy12abQ", "from_name": "claim", "to_name": "text", "type": "labels",
                              "value": {"start": 0, "end": len("Russian"), "text": "Russian", "labels": ["UFS"]}})
    tasks = json.loads((exported / "tasks.json").read_text(encoding="utf-8"))
    add(tasks)
    (exported / "tasks.json").write_text(json.dumps(tasks), encoding="utf-8")
    assert run("import", "labelstudio", exported, "--corpus", corpus_copy)[0] == 0
    from helpers import read_json

    claims = read_json(corpus_copy / "annotations" / f"{DOC}.json")["claims"]
    assert claims[-1] == Claim("c9", 0, 7, "Russian", "UFS", "author", None).to_dict()


@settings(max_examples=300, deadline=None)
@given(documents())
def test_random_documents_round_trip(doc):
    for unit in ls.OFFSET_UNITS:
        task = json.loads(json.dumps(ls.task(doc, offset_unit=unit)))
        back = ls.parse_task(task, text=doc.text, document_id=doc.id, registry=REGISTRY, where=where)
        assert dumps_canonical(back.to_dict()) == dumps_canonical(doc.annotations.to_dict())
