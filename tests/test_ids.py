"""Ids are never reused: each annotation file records ``issued``, the highest id number issued per
layer; new ids go above it, the validator reports an id above it (E-ID-ISSUED), and ``diff`` and
``release`` classify by id, refusing a counter that went down.

The scenario of issue 11, end to end with the library: a released mention is deleted by an import,
a later import adds a mention, and the new one must not take the deleted id (it did: ``diff`` then
reported a "change" of the deleted id and the release rule accepted the addition as a patch).
Everything is derived from the corpus; nothing assumes today's counts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import CORPUS, annotations_of, document_ids, read_json, released_project, run, unannotated_word, write_json

from newsspans.corpus import dumps_canonical
from newsspans.errors import NewsSpansError
from newsspans.labels import ID_PREFIXES
from newsspans.model import LAYERS, Annotations, EntityMention, highest_id_numbers, id_number
from newsspans.validation import ERROR, check_annotation_file, iter_problems
from newsspans.versions import ReleaseRefused, diff, open_snapshot, read_corpus, release


# --- helpers of this module ---------------------------------------------------------------------

def ann_path(corpus: Path, doc_id: str) -> Path:
    return corpus / "annotations" / f"{doc_id}.json"


def load(corpus: Path, doc_id: str) -> Annotations:
    return Annotations.from_dict(read_json(ann_path(corpus, doc_id)))


def save(corpus: Path, ann: Annotations) -> None:
    """Write an annotation file the way an import does: canonical JSON of the model."""
    ann_path(corpus, ann.document_id).write_text(dumps_canonical(ann.to_dict()), encoding="utf-8")


def errors(corpus: Path) -> list[str]:
    return [str(p) for p in iter_problems(corpus, workers=1) if p.severity == ERROR]


def problems_of(corpus: Path, code: str) -> list:
    return [p for p in iter_problems(corpus, workers=1) if p.code == code]


def text_of(corpus: Path, doc_id: str) -> str:
    return (corpus / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8")


def middle_mention(ann: Annotations) -> EntityMention:
    """A released mention whose id is not the highest of its layer (deleting the highest is the easy case)."""
    ranked = sorted(ann.entities, key=lambda m: id_number("entities", m.id))
    return ranked[len(ranked) // 2]


DOC = document_ids(CORPUS)[0]


# --- the file format and the model ----------------------------------------------------------------

@pytest.mark.parametrize("doc_id", document_ids(CORPUS))
def test_each_corpus_file_records_the_highest_id_of_each_layer_right_after_its_document_id(doc_id):
    raw = ann_path(CORPUS, doc_id).read_text(encoding="utf-8")
    value = json.loads(raw)
    assert list(value)[:2] == ["document_id", "issued"]
    assert list(value["issued"]) == list(LAYERS)
    ids = {layer: [x["id"] for x in value[layer]] for layer in LAYERS}
    assert value["issued"] == highest_id_numbers(ids)  # the migration: no id was ever deleted yet
    ann = Annotations.from_dict(value)
    assert ann.issued_recorded and ann.issued == value["issued"]
    assert dumps_canonical(ann.to_dict()) == raw  # the model reads and writes the file byte for byte
    derived = Annotations(ann.document_id, ann.entities, ann.quotes, ann.claims)  # built without it: an importer
    assert not derived.issued_recorded and derived.issued == ann.issued and derived == ann


def test_an_empty_file_starts_every_counter_at_zero():
    ann = Annotations("d")
    assert ann.to_dict() == {"document_id": "d", "issued": {layer: 0 for layer in LAYERS},
                             "entities": [], "quotes": [], "claims": []}
    assert [ann.next_id(layer) for layer in LAYERS] == [f"{ID_PREFIXES[layer]}1" for layer in LAYERS]


def test_next_id_is_above_the_counter_the_ids_in_use_and_the_ids_handed_out():
    ann = load(CORPUS, DOC)
    for layer in LAYERS:
        items = getattr(ann, layer)
        top = max(items, key=lambda x: id_number(layer, x.id))
        n = ann.issued[layer]
        assert ann.next_id(layer) == f"{ID_PREFIXES[layer]}{n + 1}"
        # The item with the highest id deleted, the counter kept: its id is not issued again.
        without = ann.updated(**{layer: [x for x in items if x is not top]})
        assert without.issued[layer] == n and without.highest_ids()[layer] < n
        assert without.next_id(layer) == f"{ID_PREFIXES[layer]}{n + 1}" != top.id
        first = without.next_id(layer)
        second = without.next_id(layer, [first])
        assert id_number(layer, second) == id_number(layer, first) + 1
        # A counter given below the ids in use (a broken file) does not make next_id reuse one.
        low = Annotations(ann.document_id, ann.entities, ann.quotes, ann.claims, issued={**ann.issued, layer: 0})
        assert low.next_id(layer) == ann.next_id(layer)


def test_updated_raises_the_counters_and_never_lowers_them():
    ann = load(CORPUS, DOC)
    m = ann.entities[0]
    fresh = ann.next_id("entities")
    grown = ann.updated(entities=ann.entities + (EntityMention(fresh, m.start, m.end, m.text, m.label, m.entity_id),))
    assert grown.issued == {**ann.issued, "entities": id_number("entities", fresh)}
    emptied = grown.updated(entities=(), quotes=(), claims=())
    assert emptied.issued == grown.issued and emptied.highest_ids() == {layer: 0 for layer in LAYERS}
    assert emptied.to_dict()["issued"] == grown.issued
    with pytest.raises(TypeError):
        ann.updated(groups=())


def test_counters_that_are_not_counters_fall_back_to_the_ids():
    ann = load(CORPUS, DOC)
    highest = ann.highest_ids()
    partial = Annotations(ann.document_id, ann.entities, ann.quotes, ann.claims,
                          issued={"entities": highest["entities"] + 5, "quotes": -1, "claims": True})
    assert partial.issued == {**highest, "entities": highest["entities"] + 5}
    assert id_number("entities", "m12") == 12
    assert [id_number("entities", i) for i in ("q12", "m012", "m", "m١", 12, None)] == [None] * 6


# --- the validator --------------------------------------------------------------------------------

def test_an_item_added_without_raising_the_counter_is_E_ID_ISSUED(corpus_copy):
    ann = load(corpus_copy, DOC)
    text = text_of(corpus_copy, DOC)
    start, end = unannotated_word(text, ann.to_dict())
    new_id = ann.next_id("entities")
    value = ann.to_dict()
    value["entities"].append({"id": new_id, "start": start, "end": end, "text": text[start:end],
                              "label": "CARDINAL", "entity_id": None})  # edited by hand, issued left as it was
    write_json(ann_path(corpus_copy, DOC), value)
    [p] = problems_of(corpus_copy, "E-ID-ISSUED")
    raw = ann_path(corpus_copy, DOC).read_text(encoding="utf-8")
    assert p.line == raw.splitlines().index(next(line for line in raw.splitlines() if f'"id": "{new_id}"' in line)) + 1
    assert p.item == f"entities[{len(value['entities']) - 1}].id" and new_id in p.message
    assert p.fix == f"set issued.entities to {id_number('entities', new_id)}"
    assert all(q.code == "E-ID-ISSUED" for q in iter_problems(corpus_copy, workers=1) if q.severity == ERROR)
    value["issued"]["entities"] = id_number("entities", new_id)  # the fix
    write_json(ann_path(corpus_copy, DOC), value)
    assert errors(corpus_copy) == []


def test_a_counter_below_an_id_in_use_is_the_same_error_once_per_layer(corpus_copy):
    value = read_json(ann_path(corpus_copy, DOC))
    value["issued"] = {layer: 0 for layer in LAYERS}
    write_json(ann_path(corpus_copy, DOC), value)
    found = problems_of(corpus_copy, "E-ID-ISSUED")
    assert [p.item.split("[")[0] for p in found] == [layer for layer in LAYERS if value[layer]]
    for p in found:
        layer = p.item.split("[")[0]
        assert p.fix == f"set issued.{layer} to {highest_id_numbers({layer: [x['id'] for x in value[layer]]})[layer]}"


def test_a_missing_counter_is_a_schema_error_located_at_the_file(corpus_copy):
    value = read_json(ann_path(corpus_copy, DOC))
    del value["issued"]
    write_json(ann_path(corpus_copy, DOC), value)
    mine = [p for p in iter_problems(corpus_copy, workers=1) if p.document_id == DOC]
    assert [(p.code, p.line, p.item, p.message) for p in mine] == [("E-SCHEMA", 1, "$", "missing field 'issued'")]


def test_the_importers_check_reports_it_too():
    ann = load(CORPUS, DOC)
    low = ann.to_dict()
    low["issued"]["claims"] -= 1
    problems = check_annotation_file(dumps_canonical(low).encode("utf-8"), path=ann_path(CORPUS, DOC),
                                     text=text_of(CORPUS, DOC), document_id=DOC, registry=None)
    assert [p.code for p in problems if p.severity == ERROR] == ["E-ID-ISSUED"]


# --- the scenario of issue 11, end to end ---------------------------------------------------------

@pytest.fixture
def proj(tmp_path):
    """A git repository whose one commit released the corpus's current version."""
    return released_project(tmp_path / "proj")


def import_deleting(corpus: Path, mention: EntityMention) -> None:
    """An import that removes ``mention`` from its document (the counters stay)."""
    ann = load(corpus, DOC)
    save(corpus, ann.updated(entities=[m for m in ann.entities if m.id != mention.id]))


def import_adding(corpus: Path, start: int, end: int, label: str, entity_id) -> EntityMention:
    """An import that adds a mention, with a fresh id from the file's counter."""
    ann = load(corpus, DOC)
    text = text_of(corpus, DOC)
    mention = EntityMention(ann.next_id("entities"), start, end, text[start:end], label, entity_id)
    save(corpus, ann.updated(entities=sorted(ann.entities + (mention,), key=lambda m: m.start)))
    return mention


def since_release(root: Path):
    with open_snapshot("HEAD", repo=root) as old:
        return diff(old=old, new=read_corpus(root / "corpus", spec="corpus"))


@pytest.mark.parametrize("where", ["elsewhere", "same offsets"])
def test_a_mention_added_after_one_was_deleted_is_an_addition_with_a_new_id(proj, tmp_path, where):
    corpus = proj / "corpus"
    released = load(corpus, DOC)
    deleted = middle_mention(released)
    import_deleting(corpus, deleted)
    assert errors(corpus) == []
    after_first = tmp_path / "after-first-import"
    shutil.copytree(corpus, after_first)

    if where == "elsewhere":
        start, end = unannotated_word(text_of(corpus, DOC), released.to_dict())
        added = import_adding(corpus, start, end, "CARDINAL", None)
    else:  # the deleted mention drawn again: still a new annotation
        added = import_adding(corpus, deleted.start, deleted.end, deleted.label, deleted.entity_id)
    assert errors(corpus) == []
    assert added.id != deleted.id
    assert id_number("entities", added.id) == released.issued["entities"] + 1 > released.highest_ids()["entities"]
    assert load(corpus, DOC).issued["entities"] == id_number("entities", added.id)

    result = since_release(proj)
    assert sorted((c.kind, c.id) for c in result.changes) == [("added", added.id), ("removed", deleted.id)]
    assert not any(c.reused for c in result.changes) and result.issued_lowered == []
    assert result.required_bump()[0] == "minor"
    with open_snapshot(str(after_first)) as old:
        step = diff(old=old, new=read_corpus(corpus, spec="corpus"))
    assert [(c.kind, c.id) for c in step.changes] == [("added", added.id)]

    with pytest.raises(ReleaseRefused, match="need a minor bump"):
        release(root=proj, bump="patch", dry_run=True)
    outcome = release(root=proj, bump="minor", dry_run=True)
    assert f"+ {added.id} " in outcome.entry and f"- {deleted.id} " in outcome.entry


def test_the_old_behaviour_giving_the_deleted_id_to_the_new_mention(proj, tmp_path):
    """What the importers did before: the deleted id given again. Against the state it was deleted
    in, that is an id issued before and used again, and no release is possible; against the release
    that still held it, the id names another annotation, so it is a change of that id."""
    corpus = proj / "corpus"
    released = load(corpus, DOC)
    deleted = middle_mention(released)
    import_deleting(corpus, deleted)
    after_first = tmp_path / "after-first-import"
    shutil.copytree(corpus, after_first)
    ann = load(corpus, DOC)
    start, end = unannotated_word(text_of(corpus, DOC), released.to_dict())
    reused = EntityMention(deleted.id, start, end, text_of(corpus, DOC)[start:end], "CARDINAL", None)
    save(corpus, ann.updated(entities=sorted(ann.entities + (reused,), key=lambda m: m.start)))
    assert errors(corpus) == []  # within one file the counter cannot tell

    with open_snapshot(str(after_first)) as old:
        step = diff(old=old, new=read_corpus(corpus, spec="corpus"))
    [c] = step.changes
    assert (c.kind, c.id, c.reused) == ("added", deleted.id, True)
    assert deleted.id in step.refusal()
    [c] = since_release(proj).changes
    assert (c.kind, c.id) == ("changed", deleted.id)


def test_a_counter_lowered_since_the_release_refuses_the_release_in_one_line(proj):
    corpus = proj / "corpus"
    ann = load(corpus, DOC)
    top = max(ann.entities, key=lambda m: id_number("entities", m.id))
    kept = [m for m in ann.entities if m is not top]
    # The last mention deleted and the counter derived again from the ids left (what a careless
    # writer does): a valid file, but its counter went down, so the deleted id could come back.
    save(corpus, Annotations(DOC, tuple(kept), ann.quotes, ann.claims))
    assert errors(corpus) == []
    result = since_release(proj)
    [drop] = result.issued_lowered
    assert (drop.document_id, drop.layer, drop.old, drop.new) == (DOC, "entities", ann.issued["entities"],
                                                                  ann.issued["entities"] - 1)
    before = {p: p.read_bytes() for p in sorted(proj.rglob("*")) if p.is_file() and ".git" not in p.parts}
    for bump in ("major", "minor", "patch"):
        with pytest.raises(NewsSpansError, match="issued lowered"):
            release(root=proj, bump=bump)
    code, out, err = run("release", "--bump", "major", "--corpus", str(proj / "corpus"), cwd=proj)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and f"{DOC} issued.entities" in err
    assert {p: p.read_bytes() for p in sorted(proj.rglob("*")) if p.is_file() and ".git" not in p.parts} == before


# --- the versioning rule ----------------------------------------------------------------------------

def test_adding_the_counters_changes_the_annotation_schema_so_the_next_release_is_major(tmp_path):
    """The state before the counters existed (the files without ``issued``, its schema without the
    field) against the migrated corpus: no annotation changed and no counter went down, but the
    annotation file kind gained a required field, which the rule makes a major version."""
    before = tmp_path / "before"
    shutil.copytree(CORPUS, before / "corpus")
    shutil.copytree(CORPUS.parent / "schema", before / "schema")
    for doc_id, value in annotations_of(before / "corpus").items():
        write_json(ann_path(before / "corpus", doc_id), {k: v for k, v in value.items() if k != "issued"})
    schema_path = before / "schema" / "annotation.schema.json"
    schema = read_json(schema_path)
    del schema["properties"]["issued"]
    schema["required"].remove("issued")
    schema_path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    with open_snapshot(str(before / "corpus")) as old, open_snapshot(str(CORPUS)) as new:
        result = diff(old=old, new=new)
        documents = [d for _, d in old.iter_documents()]
    assert documents and all(not d.annotations.issued_recorded for d in documents)
    assert result.changes == [] and result.issued_lowered == [] and result.labels == {}
    assert result.schema_changed == ["annotation.schema.json"]
    assert result.required_bump()[0] == "major"
