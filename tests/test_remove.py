"""``newsspans remove ID``: every file of a document leaves the corpus, all or none; the release
rule counts a removed document (a major bump)."""

from __future__ import annotations

import os
import shutil

import pytest
from helpers import CORPUS, document_ids, run, tree_bytes

from newsspans import atomic
from newsspans.corpus import files_of_document, remove_document
from newsspans.versions import diff, read_corpus

DOC = document_ids(CORPUS)[0]


def files_of(corpus, doc_id):
    """Every file under ``corpus`` whose name is the document's (found by walking, not by the layout)."""
    return sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*")
                  if p.is_file() and p.name.split(".")[0] == doc_id)


@pytest.fixture
def corpus(corpus_copy):
    """The project's corpus, with a layer, decisions and suggestions for DOC whatever it holds today."""
    for folder, name in (("layers/model-x", f"{DOC}.json"), ("decisions", f"{DOC}.jsonl"), ("suggestions", f"{DOC}.json")):
        (corpus_copy / folder).mkdir(parents=True, exist_ok=True)
        if not (corpus_copy / folder / name).exists():
            (corpus_copy / folder / name).write_bytes(b"{}")
    return corpus_copy


def test_remove_takes_every_file_of_the_document_and_nothing_else(corpus):
    mine = files_of(corpus, DOC)
    assert set(mine) >= {f"texts/{DOC}.txt", f"documents/{DOC}.json", f"annotations/{DOC}.json",
                         f"layers/model-x/{DOC}.json", f"decisions/{DOC}.jsonl", f"suggestions/{DOC}.json"}
    assert files_of_document(corpus, DOC) == mine
    others = {rel: data for rel, data in tree_bytes(corpus).items() if rel not in mine}
    code, out, err = run("remove", DOC, "--corpus", corpus)
    assert code == 0, err
    assert out == f"removed {DOC}: {', '.join(mine)}\n"
    assert tree_bytes(corpus) == others
    assert DOC not in document_ids(corpus)


def test_the_corpus_stays_valid_after_a_removal(corpus_copy):
    assert run("remove", DOC, "--corpus", corpus_copy)[0] == 0
    code, out, _ = run("validate", corpus_copy)
    assert code == 0, out


def test_an_unknown_id_is_one_line_and_changes_nothing(corpus):
    before = tree_bytes(corpus)
    code, out, err = run("remove", "no-such-document", "--corpus", corpus)
    assert (code, out) == (2, "") and err == f"newsspans remove: {corpus} has no document no-such-document\n"
    assert tree_bytes(corpus) == before


def test_a_folder_that_is_a_link_is_not_removed_through(corpus, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(corpus / "suggestions", elsewhere)
    os.symlink(elsewhere, corpus / "suggestions")
    before = tree_bytes(elsewhere)
    code, _, err = run("remove", DOC, "--corpus", corpus)
    assert code == 2 and "is a symbolic link" in err and "nothing was removed" in err
    assert tree_bytes(elsewhere) == before and (corpus / "texts" / f"{DOC}.txt").exists()


def test_remove_killed_at_any_change_removes_all_or_nothing_and_the_next_write_finishes(corpus, tmp_path):
    from test_atomic import count_changes, kill_at

    template = tmp_path / "template"
    shutil.copytree(corpus, template)
    before = tree_bytes(template)
    total = count_changes(lambda: remove_document(corpus=corpus, doc_id=DOC))
    after = tree_bytes(corpus)
    assert total > 0 and after != before
    for k in range(total):
        target = tmp_path / f"k{k}"
        shutil.copytree(template, target)
        assert kill_at(k, lambda: remove_document(corpus=target, doc_id=DOC))
        committed = (target / atomic.JOURNAL).exists()
        atomic.finish_writes(target)  # what the next write in the corpus does first
        assert tree_bytes(target) == (after if committed else before), k


# --- the release rule ------------------------------------------------------------------------------

def test_a_removed_document_needs_a_major_bump_and_is_named(corpus_copy, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(corpus_copy, old)
    assert run("remove", DOC, "--corpus", corpus_copy)[0] == 0
    result = diff(old=read_corpus(old, spec="old"), new=read_corpus(corpus_copy, spec="new"))
    bump, reason = result.required_bump()
    assert bump == "major" and reason.startswith(f"documents removed: 1 ({DOC})")
    assert result.counts()["documents"]["removed"] == 1
    code, out, _ = run("diff", old, corpus_copy)
    assert f"release rule: at least a major bump (documents removed: 1 ({DOC})" in out


def test_an_annotation_removed_from_a_kept_document_is_still_a_patch(corpus_copy, tmp_path):
    import json

    old = tmp_path / "old"
    shutil.copytree(corpus_copy, old)
    path = corpus_copy / "annotations" / f"{DOC}.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    layer = next(layer for layer in ("claims", "quotes", "entities") if ann[layer])
    ann[layer].pop()
    from newsspans.corpus import dumps_canonical

    path.write_text(dumps_canonical(ann), encoding="utf-8")
    result = diff(old=read_corpus(old, spec="old"), new=read_corpus(corpus_copy, spec="new"))
    assert result.required_bump()[0] == "patch"


def test_release_refuses_less_than_major_after_a_removal(tmp_path, monkeypatch):
    from helpers import released_project

    root = released_project(tmp_path / "proj")
    monkeypatch.chdir(root)
    assert run("remove", DOC, "--corpus", "corpus")[0] == 0
    code, _, err = run("release", "--bump", "minor", "--dry-run")
    assert code == 1 and "need a major bump (documents removed: 1" in err
    code, out, err = run("release", "--bump", "major", "--dry-run")
    assert code == 0, err
    assert f"1 removed (`{DOC}`)" in out
