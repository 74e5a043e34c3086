"""``newsspans diff``: annotation-level differences between corpus folders, release folders and revisions."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from helpers import CORPUS, ROOT, git, read_json, run, tree_bytes, write_json

from newsspans.dataset import build
from newsspans.versions import diff
from newsspans.versions import open_snapshot

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


def test_changes_are_matched_by_id_then_by_offsets(corpus_copy):
    def change(ann):
        ann["entities"][0]["label"] = "NORP"           # m1: label changed
        ann["entities"][1]["id"] = "m900"              # m2 -> m900 at the same offsets
        ann["entities"][2]["end"] = 61                 # m3: offsets changed
        ann["entities"][2]["text"] = "Ira"
        del ann["entities"][4]                         # m5: removed
        ann["entities"].append({"id": "m901", "start": 135, "end": 139, "text": "have", "label": "CARDINAL", "entity_id": None})
        ann["quotes"][0]["cue"] = None                 # q1: attribute changed
        ann["claims"][0]["claimant"] = "sergei-shoigu"

    before = tree_bytes(corpus_copy)
    shutil.copytree(corpus_copy, corpus_copy.parent / "new")
    new = corpus_copy.parent / "new"
    edit(new, DOC, change)
    result = compare(corpus_copy, new)
    assert tree_bytes(corpus_copy) == before
    by = {(c.layer, c.id): c for c in result.changes}
    assert by[("entities", "m1")].kind == "changed" and by[("entities", "m1")].fields == {"label": ("ORG", "NORP")}
    assert by[("entities", "m1")].groups() == ["label"]
    m900 = by[("entities", "m900")]
    assert (m900.kind, m900.matched_by, m900.old["id"]) == ("changed", "offsets", "m2")
    assert by[("entities", "m3")].groups() == ["offsets", "text"]
    assert by[("entities", "m5")].kind == "removed"
    assert by[("entities", "m901")].kind == "added"
    assert by[("quotes", "q1")].fields["cue"][1] is None
    assert by[("claims", "c1")].groups() == ["attributes"]
    assert result.counts()["entities"] == {"added": 1, "removed": 1, "changed": 3}
    assert result.required_bump()[0] == "minor"

    code, out, _ = run("diff", str(corpus_copy), str(new))
    assert code == 0
    assert "entities           1        1        3" in out
    assert "~ m900 (was m2, matched by offsets)" in out
    assert "- m5 " in out and "+ m901 135-139 CARDINAL 'have'" in out
    code, out, _ = run("diff", str(corpus_copy), str(new), "--format", "json")
    data = json.loads(out)
    assert data["summary"]["entities"] == {"added": 1, "removed": 1, "changed": 3}
    assert data["required_bump"] == "minor"
    assert {a["id"] for a in data["annotations"]} >= {"m1", "m900", "m3", "m5", "m901", "q1", "c1"}
    code, out, _ = run("diff", str(corpus_copy), str(new), "--format", "markdown")
    assert out.startswith("- Entity mentions: 1 added, 1 removed, 3 changed (label 1, id 1, offsets 1, text 1).")
    assert f"- `{DOC}`:" in out
    assert run("diff", str(corpus_copy), str(new), "--exit-code")[0] == 1


def test_corrections_only_need_a_patch(corpus_copy, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(corpus_copy, new)
    edit(new, DOC, lambda ann: ann["claims"][0].update(label="UFS"))
    assert compare(corpus_copy, new).required_bump() == ("patch", "corrections only (nothing added)")


def test_documents_and_registry(corpus_copy, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(corpus_copy, new)
    for folder, suffix in (("texts", ".txt"), ("documents", ".json"), ("annotations", ".json")):
        (new / folder / f"{OTHER}{suffix}").unlink()
    text = new / "texts" / f"{DOC}.txt"
    text.write_bytes(text.read_bytes() + b"\n")
    reg = read_json(new / "registry.json")
    reg["entities"][0]["aliases"].append("BXL")
    reg["entities"].append({"entity_id": "zz-top", "name": "ZZ Top", "type": "ORG", "aliases": [], "wikidata": None})
    write_json(new / "registry.json", reg)
    result = compare(corpus_copy, new)
    assert result.documents_removed == [OTHER] and result.text_changed == [DOC]
    removed = sum(len(read_json(corpus_copy / "annotations" / f"{OTHER}.json")[k]) for k in ("entities", "quotes", "claims"))
    assert sum(1 for c in result.changes if c.kind == "removed" and c.document_id == OTHER) == removed
    assert [(r.entity_id, r.kind) for r in result.registry] == [("brussels", "changed"), ("zz-top", "added")]
    code, out, _ = run("diff", str(corpus_copy), str(new))
    assert f"documents removed: {OTHER}" in out and f"documents whose text changed: {DOC}" in out
    assert "+ zz-top ORG 'ZZ Top'" in out and "~ brussels: aliases" in out
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
    edit(repo / "corpus", DOC, lambda ann: ann["entities"][0].update(label="NORP"))
    git(repo, "commit", "-qam", "relabel")
    monkeypatch.chdir(repo)
    code, out, err = run("diff", "v1.0.0", "HEAD")
    assert code == 0, err
    assert "~ m1: label 'ORG' -> 'NORP'" in out
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
