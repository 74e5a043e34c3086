"""``newsspans diff``: annotation-level differences between corpus folders, release folders and revisions."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from helpers import CORPUS, ROOT, git, read_json, registry_entries, run, tree_bytes, unannotated_word, write_json

from newsspans.dataset import build
from newsspans.model import Annotations, id_number
from newsspans.versions import diff
from newsspans.versions import open_snapshot
from newsspans.versions._diff import IdsReused

DOC = "000_1936301ef05f6424"
OTHER = "004_30159cef070f4760"


def edit(corpus, doc_id, change):
    path = corpus / "annotations" / f"{doc_id}.json"
    ann = read_json(path)
    change(ann)
    write_json(path, ann)


def compare(old, new):
    with open_snapshot(str(old)) as a, open_snapshot(str(new)) as b:
        return diff(old=a, new=b)


def test_identical_corpora_have_no_differences(corpus_copy):
    code, out, err = run("diff", str(CORPUS), str(corpus_copy))
    assert code == 0, err
    assert "no differences" in out
    assert run("diff", str(CORPUS), str(corpus_copy), "--exit-code")[0] == 0


def test_a_corpus_and_its_release_folder_have_no_differences(corpus_copy, tmp_path):
    build(corpus=corpus_copy, out=tmp_path / "data")
    result = compare(corpus_copy, tmp_path / "data")
    assert result.empty, result.to_dict()
    assert result.new.kind == "release" and result.labels == {}


def other_label(label):
    return "NORP" if label != "NORP" else "ORG"


def test_changes_are_matched_by_id_only(corpus_copy):
    ann = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    text = (corpus_copy / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    first = ann["entities"][:5]
    ids = [m["id"] for m in first]
    current = Annotations.from_dict(ann)
    renamed = current.next_id("entities")
    added = current.next_id("entities", [renamed])
    new_label = other_label(first[0]["label"])
    assert len(first[2]["text"]) > 1
    start, end = unannotated_word(text, ann)
    word = text[start:end]
    quote = next(q for q in ann["quotes"] if q["cue"] is not None)
    claim = ann["claims"][0]
    claimant = next(e["entity_id"] for e in registry_entries(corpus_copy) if e["entity_id"] != claim["claimant"])

    def change(ann):
        ann["entities"][0]["label"] = new_label         # label changed
        ann["entities"][1]["id"] = renamed              # a new id at the same offsets: removed + added
        ann["entities"][2]["end"] -= 1                  # offsets changed
        ann["entities"][2]["text"] = ann["entities"][2]["text"][:-1]
        del ann["entities"][4]                          # removed
        ann["entities"].append({"id": added, "start": start, "end": end, "text": word, "label": "CARDINAL", "entity_id": None})
        ann["issued"]["entities"] = id_number("entities", added)  # raised with the new ids, as an edit must
        next(q for q in ann["quotes"] if q["id"] == quote["id"])["cue"] = None  # attribute changed
        ann["claims"][0]["claimant"] = claimant

    before = tree_bytes(corpus_copy)
    shutil.copytree(corpus_copy, corpus_copy.parent / "new")
    new = corpus_copy.parent / "new"
    edit(new, DOC, change)
    result = compare(corpus_copy, new)
    assert tree_bytes(corpus_copy) == before
    by = {(c.layer, c.id): c for c in result.changes}
    assert len(by) == 8
    relabelled = by[("entities", ids[0])]
    assert relabelled.kind == "changed" and relabelled.fields == {"label": (first[0]["label"], new_label)}
    assert relabelled.groups() == ["label"] and relabelled.matched_by == "id"
    # An annotation re-created under a new id is a new annotation: never paired with the old one by offsets.
    assert by[("entities", ids[1])].kind == "removed" and by[("entities", renamed)].kind == "added"
    assert by[("entities", ids[2])].groups() == ["offsets", "text"]
    assert by[("entities", ids[4])].kind == "removed"
    assert by[("entities", added)].kind == "added"
    assert not any(c.reused for c in result.changes) and result.issued_lowered == []
    assert by[("quotes", quote["id"])].fields["cue"][1] is None
    assert by[("claims", claim["id"])].groups() == ["attributes"]
    assert result.counts()["entities"] == {"added": 2, "removed": 2, "changed": 2}
    assert result.required_bump()[0] == "minor"

    code, out, _ = run("diff", str(corpus_copy), str(new))
    assert code == 0
    assert "entities           2        2        2" in out
    assert f"- {ids[1]} " in out and f"+ {renamed} " in out and "matched by offsets" not in out
    assert f"- {ids[4]} " in out and f"+ {added} {start}-{end} CARDINAL {word!r}" in out
    code, out, _ = run("diff", str(corpus_copy), str(new), "--format", "json")
    data = json.loads(out)
    assert data["summary"]["entities"] == {"added": 2, "removed": 2, "changed": 2}
    assert data["required_bump"] == "minor" and data["issued_lowered"] == []
    assert {a["id"] for a in data["annotations"]} >= {ids[0], ids[1], renamed, ids[2], ids[4], added, quote["id"], claim["id"]}
    code, out, _ = run("diff", str(corpus_copy), str(new), "--format", "markdown")
    assert out.startswith("- Entity mentions: 2 added, 2 removed, 2 changed (label 1, offsets 1, text 1).")
    assert f"- `{DOC}`:" in out
    assert run("diff", str(corpus_copy), str(new), "--exit-code")[0] == 1


def top_mention(ann):
    """The entity mention with the highest id number."""
    return max(ann["entities"], key=lambda m: id_number("entities", m["id"]))


def test_deleting_the_highest_id_keeps_the_counter_and_is_a_patch(corpus_copy, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(corpus_copy, new)
    top = top_mention(read_json(corpus_copy / "annotations" / f"{DOC}.json"))
    edit(new, DOC, lambda ann: ann["entities"].remove(top))  # issued untouched, as it must be
    result = compare(corpus_copy, new)
    assert [(c.kind, c.id) for c in result.changes] == [("removed", top["id"])]
    assert result.issued_lowered == [] and result.refusal() is None
    assert result.required_bump()[0] == "patch"


def test_a_lowered_counter_is_reported_and_no_bump_allows_it(corpus_copy, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(corpus_copy, new)
    ann = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    top = top_mention(ann)
    issued = ann["issued"]["entities"]

    def lower(ann):  # the last mention deleted and the counter derived again from the ids left: it went down
        ann["entities"].remove(top)
        ann["issued"]["entities"] = max(id_number("entities", m["id"]) for m in ann["entities"])

    edit(new, DOC, lower)
    result = compare(corpus_copy, new)
    [drop] = result.issued_lowered
    assert (drop.document_id, drop.layer, drop.old) == (DOC, "entities", issued) and drop.new < issued
    assert "issued lowered" in result.refusal() and "\n" not in result.refusal()
    with pytest.raises(IdsReused, match="issued lowered"):
        result.required_bump()
    code, out, _ = run("diff", str(corpus_copy), str(new))
    assert code == 0
    assert f"issued lowered (ids may have been reused): {DOC} issued.entities {issued} -> {drop.new}" in out
    assert "release rule: refused (" in out
    data = json.loads(run("diff", str(corpus_copy), str(new), "--format", "json")[1])
    assert data["required_bump"] == "refused"
    assert data["issued_lowered"] == [{"document_id": DOC, "layer": "entities", "old": issued, "new": drop.new}]
    assert "Id counters lowered" in run("diff", str(corpus_copy), str(new), "--format", "markdown")[1]


def test_an_id_issued_before_and_used_again_is_a_reused_addition(corpus_copy, tmp_path):
    """The state after an id was deleted, then a state that gives the id to a new annotation."""
    ann = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    gone = ann["entities"][1]
    edit(corpus_copy, DOC, lambda ann: ann["entities"].remove(gone))
    new = tmp_path / "new"
    shutil.copytree(corpus_copy, new)
    text = (new / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    start, end = unannotated_word(text, ann)
    edit(new, DOC, lambda ann: ann["entities"].append(
        {"id": gone["id"], "start": start, "end": end, "text": text[start:end], "label": "CARDINAL", "entity_id": None}))
    result = compare(corpus_copy, new)
    [c] = result.changes
    assert (c.kind, c.id, c.reused) == ("added", gone["id"], True)
    assert result.issued_lowered == [] and gone["id"] in result.refusal()
    with pytest.raises(IdsReused):
        result.required_bump()
    assert "(reused: an id issued before)" in run("diff", str(corpus_copy), str(new))[1]


def test_a_release_folder_records_no_counter_so_nothing_is_lowered(corpus_copy, tmp_path):
    top = top_mention(read_json(corpus_copy / "annotations" / f"{DOC}.json"))
    edit(corpus_copy, DOC, lambda ann: ann["entities"].remove(top))  # the corpus's counter stays above its ids
    build(corpus=corpus_copy, out=tmp_path / "data")
    result = compare(corpus_copy, tmp_path / "data")
    assert result.empty, result.to_dict()
    back = compare(tmp_path / "data", corpus_copy)  # a release's counters are the ids it holds
    assert back.empty, back.to_dict()


def test_corrections_only_need_a_patch(corpus_copy, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(corpus_copy, new)
    edit(new, DOC, lambda ann: ann["claims"][0].update(label="UFS" if ann["claims"][0]["label"] == "CFS" else "CFS"))
    assert compare(corpus_copy, new).required_bump() == ("patch", "corrections only (nothing added)")


def test_documents_and_registry(corpus_copy, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(corpus_copy, new)
    for folder, suffix in (("texts", ".txt"), ("documents", ".json"), ("annotations", ".json")):
        (new / folder / f"{OTHER}{suffix}").unlink()
    text = new / "texts" / f"{DOC}.txt"
    text.write_bytes(text.read_bytes() + b"\n")
    reg = read_json(new / "registry.json")
    changed = reg["entities"][0]["entity_id"]
    reg["entities"][0]["aliases"].append("BXL")
    assert "zz-top" not in {e["entity_id"] for e in reg["entities"]}
    reg["entities"].append({"entity_id": "zz-top", "name": "ZZ Top", "type": "ORG", "aliases": [], "wikidata": None})
    write_json(new / "registry.json", reg)
    result = compare(corpus_copy, new)
    assert result.documents_removed == [OTHER] and result.text_changed == [DOC]
    removed = sum(len(read_json(corpus_copy / "annotations" / f"{OTHER}.json")[k]) for k in ("entities", "quotes", "claims"))
    assert sum(1 for c in result.changes if c.kind == "removed" and c.document_id == OTHER) == removed
    assert [(r.entity_id, r.kind) for r in result.registry] == sorted([(changed, "changed"), ("zz-top", "added")])
    code, out, _ = run("diff", str(corpus_copy), str(new))
    assert f"documents removed: {OTHER}" in out and f"documents whose text changed: {DOC}" in out
    assert "+ zz-top ORG 'ZZ Top'" in out and f"~ {changed}: aliases" in out
    code, out, _ = run("diff", str(corpus_copy), str(new), "--format", "markdown")
    assert f"1 removed (`{OTHER}`)" in out and "+`zz-top`" in out


def project(tmp_path):
    """A git repository holding a copy of the corpus and the schemas, tagged v1.0.0."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(CORPUS, repo / "corpus")
    shutil.copytree(ROOT / "schema", repo / "schema")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first")
    git(repo, "tag", "v1.0.0")
    return repo


def test_git_revisions(tmp_path, monkeypatch):
    repo = project(tmp_path)
    first = read_json(repo / "corpus" / "annotations" / f"{DOC}.json")["entities"][0]
    new_label = other_label(first["label"])
    edit(repo / "corpus", DOC, lambda ann: ann["entities"][0].update(label=new_label))
    git(repo, "commit", "-qam", "relabel")
    monkeypatch.chdir(repo)
    code, out, err = run("diff", "v1.0.0", "HEAD")
    assert code == 0, err
    assert f"~ {first['id']}: label {first['label']!r} -> {new_label!r}" in out
    version = read_json(CORPUS / "dataset.json")["version"]  # the tag names the copied corpus's state
    assert f"v1.0.0 (corpus, version {version})" in out
    code, out, err = run("diff", "HEAD~1:corpus", "corpus", "--format", "json")
    assert json.loads(out)["summary"]["entities"]["changed"] == 1
    assert json.loads(out)["schema_changed"] == []
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    assert status == ""  # reading revisions left the work tree and index alone


def test_a_label_set_change_is_major(tmp_path, monkeypatch):
    repo = project(tmp_path)
    schema = read_json(repo / "schema" / "annotation.schema.json")
    schema["$defs"]["entity"]["properties"]["label"]["enum"].append("MISC")
    (repo / "schema" / "annotation.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    monkeypatch.chdir(repo)
    code, out, _ = run("diff", "v1.0.0", "corpus", "--format", "json")
    data = json.loads(out)
    assert data["labels"]["entities"]["added"] == ["MISC"]
    assert data["required_bump"] == "major"


@pytest.mark.parametrize("spec", ["no-such-thing", "v9.9.9"])
def test_unknown_revision_or_folder_is_exit_2(tmp_path, monkeypatch, spec):
    repo = project(tmp_path)
    monkeypatch.chdir(repo)
    code, out, err = run("diff", spec, "corpus")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and spec in err


def test_not_a_corpus_is_exit_2(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)  # not a git checkout
    code, _, err = run("diff", "empty", str(CORPUS))
    assert code == 2 and "neither a corpus folder" in err and len(err.strip().splitlines()) == 1
    code, _, err = run("diff", "HEAD", str(CORPUS))
    assert code == 2 and "not in a git checkout" in err


def test_document_pairs_takes_the_two_sides_by_name(tmp_path):
    from newsspans.versions._diff import document_pairs

    with open_snapshot(str(CORPUS)) as old, open_snapshot(str(CORPUS)) as new:
        with pytest.raises(TypeError):
            document_pairs(old, new)
        pairs = list(document_pairs(old=old, new=new))
    assert pairs and all(o == n for _, o, n in pairs)
