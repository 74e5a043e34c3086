"""Label Studio: UTF-16 offsets for the browser, converted back exactly; byte-identical round trip."""

from __future__ import annotations

import json

import pytest
from helpers import CORPUS, corpus_summary
from docgen import REGISTRY, documents
from helpers import annotation_files, document_ids, read_json, run
from hypothesis import given, settings
from hypothesis import strategies as st

from newsspans.corpus import dumps_canonical
from newsspans.formats import import_
from newsspans.formats import labelstudio as ls
from newsspans.formats.base import FormatError
from newsspans.formats.importer import check
from newsspans.model import Annotations, Claim, Document, DocumentMeta, EntityMention

DOC = "000_1936301ef05f6424"


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
    assert corpus_summary() in out
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
    back = ls.parse_task(task, text=text, document_id="d").annotations
    assert back == ann
    as_codepoints = ls.task(doc_of(text, ann), offset_unit=ls.CODEPOINTS)
    assert [(r["value"]["start"], r["value"]["end"]) for r in as_codepoints["annotations"][0]["result"] if r["type"] == "labels"] == [iran, russia]
    assert ls.parse_task(as_codepoints, text=text, document_id="d").annotations == ann


def test_an_offset_inside_a_surrogate_pair_is_refused():
    text = "😀 Iran"
    ann = Annotations("d", (EntityMention("m1", 2, 6, "Iran", "GPE", None),))
    task = ls.task(doc_of(text, ann))
    task["annotations"][0]["result"][0]["value"].update(start=1, text="\ude00 Iran")
    with pytest.raises(FormatError, match=r"^<task>: task at index 0 \(document d\): region m1 1-7 \(UTF-16 code units\): "
                                          r"an offset falls inside a character \(a surrogate pair\)$"):
        ls.parse_task(task, text=text, document_id="d")


def test_code_point_offsets_under_a_utf16_label_are_caught_with_a_hint():
    text = "😀 Iran"
    ann = Annotations("d", (EntityMention("m1", 2, 6, "Iran", "GPE", "iran"),))
    task = ls.task(doc_of(text, ann), offset_unit=ls.CODEPOINTS)
    task["data"]["offset_unit"] = ls.UTF16
    parsed = ls.parse_task(task, text=text, document_id="d")  # the format is fine: the span is wrong
    with pytest.raises(FormatError) as caught:
        check(parsed, text=text, registry=REGISTRY)
    assert str(caught.value) == ("<task>: [E-SPAN-TEXT] task at index 0 (document d): region m1 2-6 (utf-16): stored text 'Iran' != document text ' Ira'"
                                 " — the offsets match in codepoints: set data.offset_unit to 'codepoints' for this task"
                                 " (else: did you mean 3-7?)")  # the validator's fix, in the task's unit
    assert [p.code for p in caught.value.problems] == ["E-SPAN-TEXT"]


def broken(exported, corpus_copy, edit):
    tasks = json.loads((exported / "tasks.json").read_text(encoding="utf-8"))
    edit(tasks)
    (exported / "tasks.json").write_text(json.dumps(tasks, indent=1, ensure_ascii=False), encoding="utf-8")
    before = annotation_files(corpus_copy)
    code, out, err = run("import", "labelstudio", exported / "tasks.json", "--corpus", corpus_copy)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert annotation_files(corpus_copy) == before
    return err


def task_of(tasks, doc=DOC):
    return next(k for k, t in enumerate(tasks) if t["data"]["document_id"] == doc)


def result(tasks, doc=DOC):
    return tasks[task_of(tasks, doc)]["annotations"][0]["result"]


def line_of_region(exported, err):
    """The lines of tasks.json from the one ``err`` names."""
    tasks_text = (exported / "tasks.json").read_text(encoding="utf-8").split("\n")
    line = int(err.split(":")[2])
    return "\n".join(tasks_text[line - 1:line + 8])


@pytest.mark.parametrize("edit,message", [
    # What the validator checks: its code, message and fix, located at the task and region.
    (lambda t: result(t)[0]["value"].update(start=1),
     "[E-SPAN-TEXT] {task}: region m1 1-24 (utf-16): stored text 'Russian Security Council' != document text 'ussian Security Council'"
     " — did you mean 0-24?"),
    (lambda t: result(t)[0]["value"].update(labels=["HUMAN"]), '[E-ENT-LABEL] {task}: region m1 0-24 (utf-16): unknown label "HUMAN"'),
    (lambda t: result(t)[1]["value"].update(taxonomy=[["ORG", "nobody"]]), "[E-ENT-REF] {task}: entity_id of region m1: 'nobody' is not in the registry"),
    # What only Label Studio's format has.
    (lambda t: t[task_of(t)]["annotations"].append({"result": []}),
     "{task}: the task holds 2 annotations that were not cancelled (2 without completed_by); keep one in Label Studio, "
     "or import each as its annotator's layer: give each its own user (completed_by) and map the users with --map-annotator USER=ID"),
    (lambda t: t[task_of(t)]["data"].update(text="edited"), "{task}: data.text differs from the corpus text"),
    (lambda t: result(t).append({"from_id": "m1", "to_id": "m2", "type": "relation", "labels": ["speaker"]}),
     "{task}: a speaker relation goes from a Speaker region to a Quote region"),
])
def test_a_malformed_export_names_file_line_and_task_and_writes_nothing(exported, corpus_copy, edit, message):
    tasks = json.loads((exported / "tasks.json").read_text(encoding="utf-8"))
    err = broken(exported, corpus_copy, edit)
    assert err.startswith(f"newsspans import: {exported / 'tasks.json'}:")
    assert message.format(task=f"task at index {task_of(tasks)} (document {DOC})") in err


def test_an_unknown_claimant_is_refused_with_the_validators_code(exported, corpus_copy):
    def edit(tasks):
        claimant = next(r for r in result(tasks) if r.get("from_name") == "claimant")
        claimant["value"]["text"] = ["irna-news"]
    err = broken(exported, corpus_copy, edit)
    assert "[E-CLAIM-CLAIMANT] " in err and ": claimant of region c" in err
    assert "'irna-news' is neither 'author' nor a registry id" in err
    assert '"value"' in line_of_region(exported, err).split("\n")[0] and '"irna-news"' in line_of_region(exported, err)


def test_every_error_of_every_task_is_reported_and_nothing_is_written(exported, corpus_copy):
    tasks = json.loads((exported / "tasks.json").read_text(encoding="utf-8"))
    other = next(d for d in document_ids() if d != DOC)
    result(tasks)[0]["value"].update(start=1)
    result(tasks)[1]["value"].update(taxonomy=[["ORG", "nobody"]])
    result(tasks, other)[0]["value"].update(labels=["PERSN"])
    (exported / "tasks.json").write_text(json.dumps(tasks, indent=1, ensure_ascii=False), encoding="utf-8")
    before = annotation_files(corpus_copy)
    with pytest.raises(FormatError) as caught:
        import_("labelstudio", src=exported, corpus=corpus_copy)
    assert annotation_files(corpus_copy) == before
    expected = [("E-SPAN-TEXT", DOC), ("E-ENT-REF", DOC), ("E-ENT-LABEL", other)]
    assert [(p.code, p.document_id) for p in caught.value.problems] == sorted(expected, key=lambda x: task_of(tasks, x[1]))
    assert str(caught.value).startswith("3 errors:\n") and str(caught.value).count("\n") == 3
    assert f"[E-ENT-LABEL] task at index {task_of(tasks, other)} (document {other}): region m1 " in str(caught.value)
    assert "unknown label \"PERSN\" — did you mean 'PERSON'?" in str(caught.value)


def test_the_line_number_points_at_the_region(exported, corpus_copy):
    err = broken(exported, corpus_copy, lambda t: result(t)[4]["value"].update(end=9999))
    assert "[E-SPAN-BOUNDS] " in err and "end 9999 is past the end of the text" in err
    assert '"end": 9999' in line_of_region(exported, err)


def test_a_region_drawn_in_label_studio_gets_a_fresh_id(exported, corpus_copy):
    def add(tasks):
        result(tasks).append({"id": "Xy12abQ", "from_name": "claim", "to_name": "text", "type": "labels",
                              "value": {"start": 0, "end": len("Russian"), "text": "Russian", "labels": ["UFS"]}})
    tasks = json.loads((exported / "tasks.json").read_text(encoding="utf-8"))
    add(tasks)
    (exported / "tasks.json").write_text(json.dumps(tasks), encoding="utf-8")
    assert run("import", "labelstudio", exported, "--corpus", corpus_copy)[0] == 0
    before = read_json(CORPUS / "annotations" / f"{DOC}.json")["claims"]
    fresh = f"c{max(int(c['id'][1:]) for c in before) + 1}"
    claims = read_json(corpus_copy / "annotations" / f"{DOC}.json")["claims"]
    assert claims[-1] == Claim(fresh, 0, 7, "Russian", "UFS", "author", None).to_dict()


@settings(max_examples=300, deadline=None)
@given(documents())
def test_random_documents_round_trip(doc):
    for unit in ls.OFFSET_UNITS:
        task = json.loads(json.dumps(ls.task(doc, offset_unit=unit)))
        back = ls.parse_task(task, text=doc.text, document_id=doc.id).annotations
        assert dumps_canonical(back.to_dict()) == dumps_canonical(doc.annotations.to_dict())


def _from_utf16_reference(text, offset):
    """The conversion by its definition: walk the text, counting code units."""
    if offset <= 0:
        return offset
    unit = 0
    for i, ch in enumerate(text):
        if unit >= offset:
            return i if unit == offset else None
        unit += 2 if ord(ch) > 0xFFFF else 1
    return len(text) + offset - unit if offset >= unit else None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 😀𝄞é", max_size=30))
def test_the_offset_index_converts_as_the_definition(text):
    index = ls.Offsets(text)
    units = len(text.encode("utf-16-le")) // 2
    for offset in range(-2, units + 3):
        assert index.from_utf16(offset) == _from_utf16_reference(text, offset)
    for i in range(len(text) + 1):
        assert index.to_utf16(i) == len(text[:i].encode("utf-16-le")) // 2
        assert index.from_utf16(index.to_utf16(i)) == i


def test_import_errors_name_a_task_by_its_label_studio_id_and_by_its_index_only_without_one(exported, corpus_copy):
    tasks = json.loads((exported / "tasks.json").read_text(encoding="utf-8"))
    for k, t in enumerate(tasks):  # as Label Studio numbers them once imported: not by position
        t["id"] = 900 - 7 * k
    tasks.reverse()
    k = task_of(tasks)
    result(tasks)[0]["value"]["start"] += 1
    before = annotation_files(corpus_copy)
    (exported / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    code, out, err = run("import", "labelstudio", exported / "tasks.json", "--corpus", corpus_copy)
    assert code == 1 and f"] task id {tasks[k]['id']} (document {DOC}): region m1 " in err and "task at index" not in err
    del tasks[k]["id"]  # a task Label Studio never numbered: by its index in the file, and said so
    (exported / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    code, out, err = run("import", "labelstudio", exported / "tasks.json", "--corpus", corpus_copy)
    assert code == 1 and f"] task at index {k} (document {DOC}): region m1 " in err
    assert annotation_files(corpus_copy) == before


# --- the registry as a choice list; each per-region field shown only where it applies ------------


def _views(config: str):
    """Each per-region control of the config with the View it sits in (None: outside any conditional View)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(config)
    found = {}

    def walk(node, view):
        for child in node:
            here = child if child.tag == "View" and child.get("visibleWhen") else view
            if child.get("perRegion") == "true":
                found[child.get("name")] = (child, view)
            walk(child, here)

    walk(root, None)
    return found


def _visible_for(view) -> set[tuple[str, str]]:
    """The (labels control, label) of the regions whose selection shows ``view``, as Label Studio
    decides it: the region's control must be whenTagName (when given) and carry one of whenLabelValue's labels."""
    from newsspans.labels import CLAIM_LABELS, ENTITY_LABELS

    every = {(ls.ENTITY, x) for x in ENTITY_LABELS} | {(ls.QUOTE, x) for x in (ls.CONTENT, ls.SPEAKER, ls.CUE)} | \
        {(ls.CLAIM, x) for x in CLAIM_LABELS}
    assert view.get("visibleWhen") == "region-selected"
    tag, labels = view.get("whenTagName"), view.get("whenLabelValue")
    return {(c, x) for c, x in every if tag in (None, c) and (labels is None or x in labels.split(","))}


def test_each_per_region_field_shows_only_for_the_regions_it_applies_to(exported):
    from newsspans.labels import CLAIM_LABELS, ENTITY_ID_LABELS

    config = (exported / "labeling-config.xml").read_text(encoding="utf-8")
    controls = _views(config)
    applies = {  # what the corpus has each field on (the schema's items), by region
        "entity_id": {(ls.ENTITY, x) for x in ENTITY_ID_LABELS},
        "quote_type": {(ls.QUOTE, ls.CONTENT)}, "speaker_entity_id": {(ls.QUOTE, ls.CONTENT)},
        "group_id": {(ls.QUOTE, ls.CONTENT)},
        "claimant": {(ls.CLAIM, x) for x in CLAIM_LABELS},
        "cluster_id": {(ls.QUOTE, ls.CONTENT)} | {(ls.CLAIM, x) for x in CLAIM_LABELS},
    }
    assert set(controls) == set(applies)
    for name, (control, view) in controls.items():
        assert view is not None, f"{name} is shown for every region"
        assert _visible_for(view) == applies[name], name


def test_the_registry_ids_are_a_taxonomy_of_choices_under_their_types(exported):
    config = (exported / "labeling-config.xml").read_text(encoding="utf-8")
    taxonomy, _ = _views(config)["entity_id"]
    assert taxonomy.tag == "Taxonomy" and taxonomy.get("leafsOnly") == "true"
    registry = {e["entity_id"]: e["type"] for e in read_json(CORPUS / "registry.json")["entities"]}
    listed = {leaf.get("value"): top.get("value") for top in taxonomy for leaf in top}
    assert listed == registry
    tasks = json.loads((exported / "tasks.json").read_text(encoding="utf-8"))
    items = [r for t in tasks for a in t["annotations"] for r in a["result"] if r.get("from_name") == "entity_id"]
    assert items and all(r["type"] == "taxonomy" for r in items)
    mentions = {m["id"]: m["entity_id"] for m in read_json(CORPUS / "annotations" / f"{DOC}.json")["entities"] if m["entity_id"]}
    mine = [r for r in result(tasks) if r.get("from_name") == "entity_id"]
    assert {r["id"]: r["value"]["taxonomy"] for r in mine} == {m: [[registry[e], e]] for m, e in mentions.items()}


def test_an_export_with_typed_registry_ids_still_imports(exported, corpus_copy):
    """An export written before the choice list (a text area per mention) imports as it did."""
    tasks = json.loads((exported / "tasks.json").read_text(encoding="utf-8"))
    for t in tasks:
        for r in t["annotations"][0]["result"]:
            if r.get("type") == "taxonomy":
                r["type"], r["value"]["text"] = "textarea", [r["value"].pop("taxonomy")[0][-1]]
    (exported / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    for path in (corpus_copy / "annotations").glob("*.json"):
        path.write_text('{"document_id": "x", "entities": [], "quotes": [], "claims": []}\n', encoding="utf-8")
    code, out, err = run("import", "labelstudio", exported / "tasks.json", "--corpus", corpus_copy)
    assert code == 0, err
    assert annotation_files(corpus_copy) == annotation_files(CORPUS)


@pytest.mark.parametrize("taxonomy, says", [
    ([["PERSON"]], "is a type, not an entity"),
    ([["PERSON", "a"], ["PERSON", "b"]], "must hold one value"),
    (["PERSON"], "list of taxonomy paths"),
])
def test_a_taxonomy_choice_that_is_not_one_entity_is_refused(exported, corpus_copy, taxonomy, says):
    def edit(tasks):
        item = next(r for r in result(tasks) if r.get("from_name") == "entity_id")
        item["value"]["taxonomy"] = taxonomy
    err = broken(exported, corpus_copy, edit)
    assert "entity_id of region m" in err and says in err


def test_without_a_registry_the_id_is_typed():
    config = ls.labeling_config()
    control, view = _views(config)["entity_id"]
    assert control.tag == "TextArea" and view is not None
    ann = Annotations("d", (EntityMention("m1", 0, 4, "Iran", "GPE", "iran"),))
    item = next(r for r in ls.task(doc_of("Iran", ann))["annotations"][0]["result"] if r["from_name"] == "entity_id")
    assert item["type"] == "textarea" and item["value"]["text"] == ["iran"]
