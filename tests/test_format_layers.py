"""Imports and exports keep who annotated what: ``--annotator``, Label Studio's ``completed_by``
through an annotator map, brat folders per annotator, and exports that carry the layers.

Every test builds its own small corpus in ``tmp_path`` (invented texts, registry, gold and layers)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import invented_corpus, read_json, run, tree_bytes

from newsspans.corpus import add_annotator, dumps_canonical
from newsspans.formats import FormatError, UserMap, import_
from newsspans.formats import labelstudio as ls
from newsspans.formats._users import UserRef
from newsspans.model import Annotations, Claim, EntityMention, Quote, Span

#: Invented texts; the emoji makes Label Studio's UTF-16 offsets differ from code points.
TEXTS = {
    "doc_a": "Mira Holt said Avalon will build a bridge. “We need it now,” Holt told reporters 😀 in Avalon.\n",
    "doc_b": "Avalon opened a port on Monday, officials in Avalon said.\n",
}
REGISTRY = [
    {"entity_id": "avalon", "name": "Avalon", "type": "GPE", "aliases": ["Avalon"], "wikidata": None},
    {"entity_id": "mira-holt", "name": "Mira Holt", "type": "PERSON", "aliases": ["Mira Holt", "Holt"], "wikidata": None},
]
EMAIL = "reviewer.one@example.org"


def span(doc: str, text: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXTS[doc].index(text, start + 1)
    return Span(start, start + len(text), text)


def mention(doc: str, mid: str, text: str, label: str, entity_id, nth: int = 0) -> EntityMention:
    s = span(doc, text, nth)
    return EntityMention(mid, s.start, s.end, s.text, label, entity_id)


def gold_a() -> Annotations:
    return Annotations("doc_a", (
        mention("doc_a", "m1", "Mira Holt", "PERSON", "mira-holt"),
        mention("doc_a", "m2", "Avalon", "GPE", "avalon"),
        mention("doc_a", "m3", "Avalon", "GPE", "avalon", nth=1),
    ), (
        Quote("q1", "direct", span("doc_a", "We need it now,"), span("doc_a", "Holt", 1), span("doc_a", "told"), "mira-holt", None, None),
    ), (
        Claim("c1", *(lambda s: (s.start, s.end, s.text))(span("doc_a", "Avalon will build a bridge")), "UFS", "mira-holt", None),
    ))


def model_a() -> Annotations:
    """model-a's layer of doc_a: two of gold's three mentions, the quote without a cue."""
    return Annotations("doc_a", (
        mention("doc_a", "m1", "Mira Holt", "PERSON", "mira-holt"),
        mention("doc_a", "m2", "Avalon", "GPE", "avalon", nth=1),
    ), (
        Quote("q1", "direct", span("doc_a", "We need it now,"), span("doc_a", "Holt", 1), None, None, None, None),
    ), ())


def ann_b() -> Annotations:
    """ann-b's layer of doc_a: every mention, no quote, a claim; ``issued`` above its ids (m7 was
    deleted once, and c4), so a new mention must take m8 and a new claim c5, whatever gold's counters are."""
    return Annotations("doc_a", (
        mention("doc_a", "m1", "Mira Holt", "PERSON", "mira-holt"),
        mention("doc_a", "m2", "Avalon", "GPE", "avalon"),
        mention("doc_a", "m3", "Avalon", "GPE", "avalon", nth=1),
    ), (), (
        Claim("c1", *(lambda s: (s.start, s.end, s.text))(span("doc_a", "Avalon will build a bridge")), "CFS", "author", None),
    ), issued={"entities": 7, "quotes": 0, "claims": 4})


def write(path: Path, ann: Annotations) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_canonical(ann.to_dict()), encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A small valid corpus: two documents with gold, annotators model-a and ann-b, no layers."""
    gold = {"doc_a": gold_a(), "doc_b": Annotations("doc_b", (mention("doc_b", "m1", "Avalon", "GPE", "avalon"),))}
    root = invented_corpus(tmp_path / "corpus", registry=REGISTRY, texts=TEXTS, story_id="2030-01-01-avalon-bridge", gold=gold)
    add_annotator(corpus=root, annotator_id="model-a", kind="model", note="a rule-based tagger")
    add_annotator(corpus=root, annotator_id="ann-b", kind="human")
    code, _, err = run("validate", "--corpus", root)
    assert code == 0, err
    return root


@pytest.fixture
def layered(corpus: Path) -> Path:
    """The corpus with both annotators' layers of doc_a."""
    write(corpus / "layers" / "model-a" / "doc_a.json", model_a())
    write(corpus / "layers" / "ann-b" / "doc_a.json", ann_b())
    return corpus


def layer(corpus: Path, annotator: str, doc: str = "doc_a") -> Path:
    return corpus / "layers" / annotator / f"{doc}.json"


def gold_files(corpus: Path) -> dict[str, bytes]:
    return tree_bytes(corpus / "annotations")


def refused(corpus: Path, *argv) -> str:
    """Run a command that must be refused in one line and change nothing in the corpus; its stderr."""
    before = tree_bytes(corpus)
    code, out, err = run(*argv)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    assert tree_bytes(corpus) == before
    return err


# --- Label Studio tasks written by hand, as Label Studio exports them ----------------------------


def region(rid: str, control: str, label: str, s: Span, entity_id: str) -> list[dict]:
    """A labels region drawn in Label Studio (a random id), with its per-region entity_id."""
    start, end = ls.to_utf16(TEXTS["doc_a"], [s.start, s.end])
    return [{"id": rid, "from_name": control, "to_name": "text", "type": "labels",
             "value": {"start": start, "end": end, "text": s.text, "labels": [label]}},
            {"id": rid, "from_name": "entity_id", "to_name": "text", "type": "textarea",
             "value": {"start": start, "end": end, "text": [entity_id]}}]


def ls_annotation(completed_by, *regions, cancelled=False) -> dict:
    return {"id": 900, "completed_by": completed_by, "result": [item for r in regions for item in r], "was_cancelled": cancelled,
            "ground_truth": False, "lead_time": 12.5, "created_at": "2030-01-02T10:00:00Z"}


def tasks_file(tmp_path: Path, *annotations, predictions=()) -> Path:
    text = TEXTS["doc_a"]
    task = {"id": 5, "data": {"text": text, "document_id": "doc_a", "offset_unit": "utf-16"},
            "annotations": list(annotations), "predictions": list(predictions)}
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task], indent=1, ensure_ascii=False), encoding="utf-8")
    return path


HOLT = region("r-holt", "entity", "PERSON", span("doc_a", "Mira Holt"), "mira-holt")
AVALON_LAST = region("r-av", "entity", "GPE", span("doc_a", "Avalon", 1), "avalon")  # after the emoji


def expected_mentions(*pairs) -> list[dict]:
    """``(id, text, nth occurrence)`` of HOLT and AVALON_LAST as a layer file holds them."""
    kind = {"Mira Holt": ("PERSON", "mira-holt"), "Avalon": ("GPE", "avalon")}
    return [mention("doc_a", mid, text, *kind[text], nth).to_dict() for mid, text, nth in pairs]


# --- --annotator ---------------------------------------------------------------------------------


def test_annotator_writes_the_layer_and_leaves_gold_byte_identical(corpus, tmp_path):
    out = tmp_path / "brat"
    assert run("export", "brat", "--corpus", corpus, "--out", out)[0] == 0
    before = gold_files(corpus)
    code, stdout, err = run("import", "brat", out, "--corpus", corpus, "--annotator", "ann-b")
    assert code == 0, err
    assert gold_files(corpus) == before
    for doc_id in TEXTS:  # the layer holds what the brat files hold: here, the gold
        assert layer(corpus, "ann-b", doc_id).read_bytes() == (corpus / "annotations" / f"{doc_id}.json").read_bytes()
    assert not (corpus / "layers" / "model-a").exists()
    assert "ann-b/doc_a" in stdout and "as 2 layers of ann-b" in stdout
    code, _, err = run("validate", "--corpus", corpus)
    assert code == 0, err


def test_a_new_item_takes_an_id_above_the_layers_own_counter(layered, tmp_path):
    """Ids follow the layer's file: ann-b's issued m7, so the new mention is m8 (gold's next would be m4)."""
    out = tmp_path / "brat"
    assert run("export", "brat", "--corpus", layered, "--out", out, "--annotators", "ann-b")[0] == 0
    ann_file = out / "ann-b" / "doc_a.ann"
    holt = span("doc_a", "Holt", 1)
    ann_file.write_text(ann_file.read_text(encoding="utf-8") + f"T99\tPERSON {holt.start} {holt.end}\tHolt\n"
                        "N99\tReference T99 NewsSpans:mira-holt\tMira Holt\n", encoding="utf-8")
    gold = gold_files(layered)
    code, _, err = run("import", "brat", out / "ann-b", "--corpus", layered, "--annotator", "ann-b")
    assert code == 0, err
    got = read_json(layer(layered, "ann-b"))
    assert got["entities"][-1] == EntityMention("m8", holt.start, holt.end, "Holt", "PERSON", "mira-holt").to_dict()
    assert got["entities"][:-1] == [m.to_dict() for m in ann_b().entities]
    assert got["issued"] == {"entities": 8, "quotes": 0, "claims": 4}
    assert gold_files(layered) == gold


def test_label_studio_annotator_writes_the_layer(corpus, tmp_path):
    path = tasks_file(tmp_path, ls_annotation(None, HOLT, AVALON_LAST))
    before = gold_files(corpus)
    code, _, err = run("import", "labelstudio", path, "--corpus", corpus, "--annotator", "model-a")
    assert code == 0, err
    assert gold_files(corpus) == before
    got = read_json(layer(corpus, "model-a"))
    assert got["entities"] == expected_mentions(("m1", "Mira Holt", 0), ("m2", "Avalon", 1))
    assert got["quotes"] == [] and got["claims"] == []


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
def test_an_unknown_annotator_is_refused_and_nothing_is_written(corpus, tmp_path, fmt):
    out = tmp_path / "out"
    assert run("export", fmt, "--corpus", corpus, "--out", out)[0] == 0
    err = refused(corpus, "import", fmt, out, "--corpus", corpus, "--annotator", "carol")
    assert err == f"newsspans import: annotator 'carol' is not in {corpus / 'annotators.json'}; add it first: " \
                  "newsspans annotator add carol --kind human|model\n"
    assert not (corpus / "layers").exists()


@pytest.mark.parametrize("value,message", [
    ("gold", "--annotator gold: an import writes the gold when it is given no --annotator; leave it out"),
    (EMAIL, "--annotator takes an annotator id: a lowercase slug such as annotator-1 (never an e-mail address)"),
    ("Ann B", "--annotator takes an annotator id"),
])
def test_annotator_must_be_an_annotator_id(corpus, tmp_path, value, message):
    out = tmp_path / "out"
    assert run("export", "brat", "--corpus", corpus, "--out", out)[0] == 0
    err = refused(corpus, "import", "brat", out, "--corpus", corpus, "--annotator", value)
    assert message in err and EMAIL not in err


def test_a_layer_import_that_empties_a_layer_is_refused_like_gold(layered, tmp_path):
    """ann-b's entities are absent from the source, so kept; its one claim is replaced by a new one."""
    path = tasks_file(tmp_path, ls_annotation(None, [{"id": "Xy12", "from_name": "claim", "to_name": "text", "type": "labels",
                                                      "value": {**HOLT[0]["value"], "labels": ["UFS"]}}]))
    before = tree_bytes(layered)
    code, out, err = run("import", "labelstudio", path, "--corpus", layered, "--annotator", "ann-b")
    assert code == 1 and tree_bytes(layered) == before
    assert err.endswith("newsspans import: refused, nothing was written: 1 document layer would lose all its annotations or more "
                        "than 50% of them (--max-deletions 0.5):\n  ann-b/doc_a claims: 1 of 1 removed (all)\n"
                        "review the changes listed (--dry-run shows them and writes nothing), then pass --allow-deletions "
                        "to import them anyway\n")
    assert "ann-b/doc_a\n" in out and "  entity mentions: none in the source; the corpus's 3 kept" in out
    assert "+ c5 0-9 UFS 'Mira Holt' (claimant author)" in out  # ann-b's file issued c4 (gold's only c1)


# --- Label Studio: completed_by and the annotator map -----------------------------------------------


def test_a_task_with_two_annotators_imports_as_two_layers(corpus, tmp_path):
    """The issue's done criterion, from a Label Studio export with integer completed_by user ids;
    the cancelled annotation and the prediction are not imported."""
    path = tasks_file(tmp_path, ls_annotation(11, HOLT), ls_annotation(12, HOLT, AVALON_LAST),
                      ls_annotation(13, AVALON_LAST, cancelled=True),
                      predictions=[{"model_version": "v1", "score": 0.5, "result": [AVALON_LAST]}])
    before = gold_files(corpus)
    code, out, err = run("import", "labelstudio", path, "--corpus", corpus, "--map-annotator", "11=model-a",
                         "--map-annotator", "12=ann-b", "--map-annotator", "13=gold")
    assert code == 0, err
    assert read_json(layer(corpus, "model-a"))["entities"] == expected_mentions(("m1", "Mira Holt", 0))
    assert read_json(layer(corpus, "ann-b"))["entities"] == expected_mentions(("m1", "Mira Holt", 0),
                                                                               ("m2", "Avalon", 1))
    assert gold_files(corpus) == before  # user 13's annotation was cancelled: the gold is untouched
    assert "1 cancelled annotation not imported (skipped in Label Studio)" in err
    assert "1 prediction not imported (never taken as annotations)" in err
    assert "1 document read as 2 layers of ann-b, model-a" in out


def test_completed_by_objects_map_by_id_or_e_mail_and_no_e_mail_enters_the_corpus(corpus, tmp_path):
    path = tasks_file(tmp_path, ls_annotation({"id": 21, "email": "first@example.org", "first_name": "Ann"}, HOLT),
                      ls_annotation({"id": 22, "email": EMAIL}, AVALON_LAST))
    mapping = tmp_path / "users.json"
    mapping.write_text(json.dumps({"21": "model-a", EMAIL.upper(): "ann-b"}), encoding="utf-8")
    code, out, err = run("import", "labelstudio", path, "--corpus", corpus, "--annotator-map", mapping)
    assert code == 0, err
    assert read_json(layer(corpus, "model-a"))["entities"] == expected_mentions(("m1", "Mira Holt", 0))
    assert read_json(layer(corpus, "ann-b"))["entities"] == expected_mentions(("m1", "Avalon", 1))
    for rel, data in tree_bytes(corpus).items():
        assert b"@" not in data, rel
    assert "@" not in out + err


def test_an_unmapped_user_is_refused_by_its_id(corpus, tmp_path):
    path = tasks_file(tmp_path, ls_annotation(11, HOLT), ls_annotation({"id": 12, "email": EMAIL}, AVALON_LAST))
    err = refused(corpus, "import", "labelstudio", path, "--corpus", corpus, "--map-annotator", "11=model-a")
    assert f"{path}:" in err and "task id 5 (document doc_a): annotation 1: user 12 is not in the annotator map; " \
                                  "map it to an annotator: --map-annotator 12=ID" in err
    assert EMAIL not in err


def test_a_user_known_by_e_mail_only_is_never_named_by_it(corpus, tmp_path):
    path = tasks_file(tmp_path, ls_annotation(EMAIL, HOLT))
    err = refused(corpus, "import", "labelstudio", path, "--corpus", corpus, "--map-annotator", "11=model-a")
    assert "annotation 0: a user known by e-mail address only is not in the annotator map" in err
    assert "@" not in err


def test_several_annotations_without_a_map_are_refused_with_the_options_to_pass(corpus, tmp_path):
    path = tasks_file(tmp_path, ls_annotation(11, HOLT), ls_annotation({"id": 12, "email": EMAIL}, AVALON_LAST),
                      ls_annotation(13, HOLT, cancelled=True))
    err = refused(corpus, "import", "labelstudio", path, "--corpus", corpus)
    assert err.endswith("task id 5 (document doc_a): the task holds 2 annotations that were not cancelled "
                        "(by user 11 and user 12); import each as its annotator's layer: --map-annotator 11=ID "
                        "--map-annotator 12=ID (or --annotator-map FILE)\n")
    assert EMAIL not in err


def test_two_annotations_of_one_annotator_are_refused_where_they_are(corpus, tmp_path):
    path = tasks_file(tmp_path, ls_annotation(11, HOLT), ls_annotation(12, AVALON_LAST))
    err = refused(corpus, "import", "labelstudio", path, "--corpus", corpus, "--map-annotator", "11=ann-b", "--map-annotator", "12=ann-b")
    assert "task id 5 (document doc_a): annotations 0 (user 11) and 1 (user 12) are both ann-b's" in err
    line = int(err.split(":")[2])
    assert path.read_text(encoding="utf-8").split("\n")[line - 1].strip() == "{"  # the second annotation's opening
    assert '"completed_by": 12' in "\n".join(path.read_text(encoding="utf-8").split("\n")[line - 1:line + 2])


def test_an_annotation_without_completed_by_cannot_be_mapped(corpus, tmp_path):
    path = tasks_file(tmp_path, ls_annotation(None, HOLT))
    err = refused(corpus, "import", "labelstudio", path, "--corpus", corpus, "--map-annotator", "11=ann-b")
    assert "annotation 0 has no completed_by, so the annotator map cannot tell whose it is" in err


def test_a_mapped_annotator_must_be_listed(corpus, tmp_path):
    path = tasks_file(tmp_path, ls_annotation(11, HOLT))
    err = refused(corpus, "import", "labelstudio", path, "--corpus", corpus, "--map-annotator", "11=carol")
    assert err.endswith("annotator 'carol' is not in " + str(corpus / "annotators.json")
                        + "; add it first: newsspans annotator add carol --kind human|model\n")


@pytest.mark.parametrize("content,message", [
    ({"11": EMAIL}, "the entry for user 11: the value must be an annotator id"),
    ({EMAIL: "Ann"}, "the entry for an e-mail address (entry 1): the value must be an annotator id"),
    ({"bob": "ann-b"}, "a key is a Label Studio user id (digits) or an e-mail address"),
    (["11", "ann-b"], "an annotator map is a JSON object"),
])
def test_a_bad_annotator_map_is_refused_without_showing_an_e_mail(corpus, tmp_path, content, message):
    path = tasks_file(tmp_path, ls_annotation(11, HOLT))
    mapping = tmp_path / "users.json"
    mapping.write_text(json.dumps(content), encoding="utf-8")
    err = refused(corpus, "import", "labelstudio", path, "--corpus", corpus, "--annotator-map", mapping)
    assert message in err and "@" not in err


def test_the_map_options_add_to_the_file_but_never_contradict_it(tmp_path):
    mapping = tmp_path / "users.json"
    mapping.write_text(json.dumps({"11": "ann-b", EMAIL: "model-a"}), encoding="utf-8")
    users = UserMap.read(file=mapping, pairs=["12=gold", "11=ann-b"])
    assert users.annotator_of(UserRef("11")) == "ann-b" and users.annotator_of(UserRef("12")) == "gold"
    assert users.annotator_of(UserRef("99", EMAIL.title())) == "model-a"  # e-mail addresses compare lowercased
    assert users.annotator_of(UserRef("99")) is None
    with pytest.raises(FormatError, match="--map-annotator for user 11: the user is mapped to both ann-b and model-a"):
        UserMap.read(file=mapping, pairs=["11=model-a"])
    with pytest.raises(FormatError, match="takes USER=ID"):
        UserMap.read(pairs=["11"])


@pytest.mark.parametrize("value,expected", [
    (7, UserRef("7")), ("7", UserRef("7")), ({"id": 7, "email": EMAIL}, UserRef("7", EMAIL)),
    ({"email": EMAIL}, UserRef(None, EMAIL)), (EMAIL, UserRef(None, EMAIL)), (None, None),
])
def test_completed_by_in_each_shape_label_studio_writes(value, expected):
    assert UserRef.of(value) == expected


@pytest.mark.parametrize("value", [True, 1.5, [7], {"name": "x"}, "someone", {"id": "x", "email": "no-address"}])
def test_a_completed_by_of_another_shape_is_an_error_that_quotes_nothing(value):
    with pytest.raises(ValueError) as caught:
        UserRef.of(value)
    assert "completed_by" in str(caught.value) and "someone" not in str(caught.value) and "no-address" not in str(caught.value)


@pytest.mark.parametrize("argv,message", [
    (["import", "labelstudio", "SRC", "--layers"], "--layers reads one brat folder per annotator"),
    (["import", "brat", "SRC", "--map-annotator", "1=ann-b"], "a brat import takes --annotator ID or --layers"),
    (["import", "brat", "SRC", "--annotator", "ann-b", "--layers"], "cannot be combined with --layers"),
    (["import", "labelstudio", "SRC", "--annotator", "ann-b", "--map-annotator", "1=ann-b"], "cannot be combined with --annotator-map"),
    (["export", "conll", "--out", "OUT", "--layers"], "conll carries the gold only"),
    (["export", "labelstudio", "--out", "OUT", "--map-annotator", "1=ann-b"], "export with --layers or --annotators"),
])
def test_options_that_do_not_apply_are_refused(corpus, tmp_path, argv, message):
    argv = [str(tmp_path / "src") if a == "SRC" else str(tmp_path / "out") if a == "OUT" else a for a in argv]
    (tmp_path / "src").mkdir()
    err = refused(corpus, *argv, "--corpus", corpus)
    assert message in err
    assert not (tmp_path / "out").exists()


# --- brat folders per annotator ----------------------------------------------------------------------


def test_brat_layers_import_every_annotators_folder_in_one_step(layered, tmp_path):
    out = tmp_path / "brat"
    code, _, err = run("export", "brat", "--corpus", layered, "--out", out, "--layers")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["NewsSpans.tsv", "ann-b", "model-a", "tools.conf"]  # the registry's normalization, for every folder
    assert sorted(p.name for p in (out / "ann-b").iterdir()) == ["annotation.conf", "doc_a.ann", "doc_a.txt"]
    expected = tree_bytes(layered / "layers")
    # ann-b's issued counters (m7) are above its ids: a fresh corpus derives them from the ids
    expected["ann-b/doc_a.json"] = dumps_canonical(Annotations("doc_a", *(getattr(ann_b(), x) for x in ("entities", "quotes", "claims"))).to_dict()).encode()
    shutil.rmtree(layered / "layers")
    gold = gold_files(layered)
    code, stdout, err = run("import", "brat", out, "--corpus", layered, "--layers")
    assert code == 0, err
    assert tree_bytes(layered / "layers") == expected and gold_files(layered) == gold
    code, _, err = run("validate", "--corpus", layered)
    assert code == 0, err


def test_brat_layers_are_all_or_nothing(layered, tmp_path):
    out = tmp_path / "brat"
    assert run("export", "brat", "--corpus", layered, "--out", out, "--layers")[0] == 0
    bad = out / "model-a" / "doc_a.ann"
    bad.write_text(bad.read_text(encoding="utf-8").replace("PERSON", "PERSN", 1), encoding="utf-8")
    good = out / "ann-b" / "doc_a.ann"
    good.write_text(good.read_text(encoding="utf-8").replace("ClaimLabel T4 CFS", "ClaimLabel T4 UFS"), encoding="utf-8")
    assert "UFS" in good.read_text(encoding="utf-8")
    err = refused(layered, "import", "brat", out, "--corpus", layered, "--layers")
    assert f"{bad}:1: [E-ENT-LABEL]" in err


@pytest.mark.parametrize("name,message", [
    ("Ann B", "is not named by an annotator id"),
    (EMAIL, "a folder named by an e-mail address is not named by an annotator id"),
    ("carol", "annotator 'carol' is not in"),
])
def test_brat_layers_folders_are_named_by_listed_annotators(corpus, tmp_path, name, message):
    out = tmp_path / "brat"
    assert run("export", "brat", "--corpus", corpus, "--out", out / name)[0] == 0
    err = refused(corpus, "import", "brat", out, "--corpus", corpus, "--layers")
    assert message in err and "@" not in err


def test_brat_layers_refuse_a_folder_of_ann_files(corpus, tmp_path):
    out = tmp_path / "brat"
    assert run("export", "brat", "--corpus", corpus, "--out", out)[0] == 0
    assert "holds .ann files of its own" in refused(corpus, "import", "brat", out, "--corpus", corpus, "--layers")


# --- exports that carry the layers, and their round trips ---------------------------------------------


def test_label_studio_layers_round_trip_byte_for_byte(layered, tmp_path):
    """The done criterion end to end: export both annotators' layers of a task, import them back."""
    out = tmp_path / "ls"
    code, _, err = run("export", "labelstudio", "--corpus", layered, "--out", out, "--layers")
    assert code == 0, err
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    users = read_json(out / "annotator-map.json")
    assert users == {"1": "ann-b", "2": "model-a"}
    [task_a] = [t for t in tasks if t["data"]["document_id"] == "doc_a"]
    assert [(a["completed_by"], a["ground_truth"]) for a in task_a["annotations"]] == [(1, False), (2, False)]
    assert all(t["annotations"] == [] for t in tasks if t is not task_a)  # no annotator has a layer of doc_b
    assert [r["id"] for r in task_a["annotations"][1]["result"] if r["type"] == "labels"] == ["m1", "m2", "q1", "q1.speaker"]

    shutil.rmtree(layered / "layers" / "model-a")  # a new annotator folder is made in the same write
    write(layer(layered, "ann-b"), Annotations("doc_a"))  # an existing, empty layer file is filled too
    gold = gold_files(layered)
    code, stdout, err = run("import", "labelstudio", out, "--corpus", layered, "--annotator-map", out / "annotator-map.json")
    assert code == 0, err
    assert layer(layered, "model-a").read_bytes() == dumps_canonical(model_a().to_dict()).encode()
    assert read_json(layer(layered, "ann-b")) == {**ann_b().to_dict(), "issued": {"entities": 3, "quotes": 0, "claims": 1}}
    assert gold_files(layered) == gold
    assert sorted(p.name for p in (layered / "layers").iterdir()) == ["ann-b", "model-a"]  # no staged folder left


def test_label_studio_export_without_a_map_names_the_written_one(layered, tmp_path):
    out = tmp_path / "ls"
    assert run("export", "labelstudio", "--corpus", layered, "--out", out, "--layers")[0] == 0
    err = refused(layered, "import", "labelstudio", out, "--corpus", layered)
    assert f"(or --annotator-map {out / 'annotator-map.json'})" in err


def test_label_studio_export_with_gold_and_the_servers_user_ids(layered, tmp_path):
    out = tmp_path / "ls"
    code, _, err = run("export", "labelstudio", "--corpus", layered, "--out", out, "--annotators", "model-a", "gold",
                       "--map-annotator", "40=model-a", "--map-annotator", "41=gold", "--map-annotator", f"{EMAIL}=model-a")
    assert code == 0, err
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    by_doc = {t["data"]["document_id"]: t for t in tasks}
    assert [(a["completed_by"], a["ground_truth"]) for a in by_doc["doc_a"]["annotations"]] == [(41, True), (40, False)]
    assert [a["completed_by"] for a in by_doc["doc_b"]["annotations"]] == [41]
    assert read_json(out / "annotator-map.json") == {"40": "model-a", "41": "gold"}
    assert "@" not in "".join(p.read_text(encoding="utf-8") for p in out.iterdir())

    # back into a corpus whose gold and layers were lost: each annotation to its place
    before = tree_bytes(layered)
    for path in (layered / "annotations").glob("*.json"):
        write(path, Annotations(path.stem))
    layer(layered, "model-a").unlink()
    code, _, err = run("import", "labelstudio", out, "--corpus", layered, "--allow-deletions", "--annotator-map", out / "annotator-map.json")
    assert code == 0, err
    assert tree_bytes(layered) == before


def test_an_export_needs_one_user_id_per_annotator(layered, tmp_path):
    err = refused(layered, "export", "labelstudio", "--corpus", layered, "--out", tmp_path / "ls", "--layers",
                  "--map-annotator", "40=model-a")
    assert "the annotator map gives ann-b no Label Studio user id; an export needs exactly one (--map-annotator USER_ID=ann-b)" in err
    assert not (tmp_path / "ls").exists()


def test_export_of_an_invalid_layer_is_refused(layered, tmp_path):
    data = read_json(layer(layered, "model-a"))
    data["entities"][0]["start"] += 1
    layer(layered, "model-a").write_text(dumps_canonical(data), encoding="utf-8")
    code, _, err = run("export", "brat", "--corpus", layered, "--out", tmp_path / "brat", "--layers")
    assert code == 1 and "[E-SPAN-TEXT]" in err and str(layer(layered, "model-a")) in err
    assert not (tmp_path / "brat").exists()


def test_export_without_layers_is_as_before(layered, tmp_path):
    """Without --layers or --annotators an export carries the gold only, and writes no map."""
    out = tmp_path / "ls"
    assert run("export", "labelstudio", "--corpus", layered, "--out", out)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["labeling-config.xml", "tasks.json"]
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    assert all(len(t["annotations"]) == 1 and "completed_by" not in t["annotations"][0] for t in tasks)


def test_the_library_import_takes_a_user_map(layered, tmp_path):
    out = tmp_path / "ls"
    assert run("export", "labelstudio", "--corpus", layered, "--out", out, "--layers")[0] == 0
    report = import_("labelstudio", src=out, corpus=layered, users=UserMap.read(file=out / "annotator-map.json"), dry_run=True)
    assert report.documents == ["ann-b/doc_a", "model-a/doc_a"] and report.rewritten == []
