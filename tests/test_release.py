"""``newsspans release``: bump, rebuild, CHANGELOG entry — on a copied project tree, never the real one."""

from __future__ import annotations

import errno
import json
import shutil
import subprocess

import pytest
from helpers import CORPUS, ROOT, fresh_id, git, read_json, released_project, run, tree_bytes, unannotated_word, write_json

from newsspans import atomic
from newsspans.versions import bump_version
from newsspans.errors import BadInput

DOC = "000_1936301ef05f6424"


@pytest.fixture
def proj(tmp_path, monkeypatch):
    """A copy of the project's corpus, schemas, release and CHANGELOG in a git repository whose
    one commit released the corpus's current version; the working directory is its root."""
    root = released_project(tmp_path / "proj")
    monkeypatch.chdir(root)
    return root


def add_mention(root):
    """Add a mention (of a word no mention covers) to a seed document; returns it."""
    path = root / "corpus" / "annotations" / f"{DOC}.json"
    ann = read_json(path)
    text = (root / "corpus" / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    start, end = unannotated_word(text, ann)
    mention = {"id": fresh_id(ann, "m"), "start": start, "end": end, "text": text[start:end], "label": "CARDINAL", "entity_id": None}
    ann["entities"].append(mention)
    if isinstance(ann.get("issued"), dict):  # the file's record of the highest id issued, where it keeps one
        ann["issued"]["entities"] = max(ann["issued"].get("entities", 0), int(mention["id"][1:]))
    write_json(path, ann)
    return mention


def version(root):
    return read_json(root / "corpus" / "dataset.json")["version"]


def test_bump_version():
    assert [bump_version("1.2.3", b) for b in ("major", "minor", "patch")] == ["2.0.0", "1.3.0", "1.2.4"]
    with pytest.raises(BadInput):
        bump_version("1.2", "patch")


def test_release_bumps_rebuilds_and_writes_the_changelog(proj):
    old = version(proj)
    m = add_mention(proj)
    raw_before = (proj / "corpus" / "dataset.json").read_text(encoding="utf-8")
    code, out, err = run("release", "--bump", "minor", "--date", "2030-01-02")
    assert code == 0, err
    new = bump_version(old, "minor")
    assert version(proj) == new
    raw_after = (proj / "corpus" / "dataset.json").read_text(encoding="utf-8")
    assert raw_after == raw_before.replace(f'"version": "{old}"', f'"version": "{new}"', 1)  # one field, nothing else
    assert json.loads((proj / "data" / "manifest.json").read_text(encoding="utf-8"))["version"] == new
    assert run("build", "--check", "--corpus", "corpus", "--out", "data")[0] == 0
    changelog = (proj / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = changelog.split(f"## {new} — 2030-01-02\n\n", 1)[1].split("\n## ", 1)[0]
    assert entry.startswith("- Entity mentions: 1 added.")
    assert f"`+ {m['id']} {m['start']}-{m['end']} CARDINAL {m['text']!r}`" in entry
    assert changelog.index(f"## {new}") < changelog.index(f"## {old}")
    assert changelog.startswith((ROOT / "CHANGELOG.md").read_text(encoding="utf-8").split("\n## ")[0])
    assert f"released {old} -> {new}" in out


def test_a_bump_smaller_than_the_rule_allows_is_refused_and_changes_nothing(proj):
    add_mention(proj)
    before = tree_bytes(proj / "corpus") | {"CHANGELOG.md": (proj / "CHANGELOG.md").read_bytes()}
    code, _, err = run("release", "--bump", "patch")
    assert code == 1 and "need a minor bump" in err
    assert tree_bytes(proj / "corpus") | {"CHANGELOG.md": (proj / "CHANGELOG.md").read_bytes()} == before


def test_corrections_take_a_patch_and_a_label_set_change_a_major(proj):
    path = proj / "corpus" / "annotations" / f"{DOC}.json"
    ann = read_json(path)
    ann["claims"][0]["label"] = "UFS" if ann["claims"][0]["label"] == "CFS" else "CFS"
    write_json(path, ann)
    code, out, err = run("release", "--bump", "patch", "--dry-run")
    assert code == 0, err
    assert "at least a patch bump" in out
    schema = read_json(proj / "schema" / "annotation.schema.json")
    schema["$defs"]["quote"]["properties"]["type"]["enum"].append("reported")
    (proj / "schema" / "annotation.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    code, _, err = run("release", "--bump", "minor", "--dry-run")
    assert code == 1 and "need a major bump" in err and "reported" in err


def test_nothing_changed_is_refused(proj):
    code, _, err = run("release", "--bump", "patch")
    assert code == 1 and "nothing changed" in err


def test_an_invalid_corpus_is_refused_before_anything_is_written(proj):
    add_mention(proj)
    path = proj / "corpus" / "annotations" / f"{DOC}.json"
    ann = read_json(path)
    ann["entities"][0]["start"] += 1
    write_json(path, ann)
    before = tree_bytes(proj)
    code, _, err = run("release", "--bump", "minor")
    assert code == 1 and "E-SPAN-TEXT" in err
    assert tree_bytes(proj) == before


def plain_project(tmp_path, monkeypatch):
    """A project with no git (its corpus and schema), the corpus as released beside it in
    ``previous``, a mention added, and the working directory in it."""
    root = tmp_path / "plain"
    root.mkdir()
    for name in ("corpus", "schema"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(CORPUS, tmp_path / "previous")
    monkeypatch.chdir(root)
    add_mention(root)
    return root


def test_without_git_the_previous_version_is_named_with_since(tmp_path, monkeypatch):
    root = plain_project(tmp_path, monkeypatch)
    code, _, err = run("release", "--bump", "minor")
    assert code == 2 and "--since" in err and len(err.strip().splitlines()) == 1
    code, out, err = run("release", "--bump", "minor", "--since", str(tmp_path / "previous"), "--date", "2030-01-02")
    assert code == 0, err
    assert (root / "CHANGELOG.md").read_text(encoding="utf-8").startswith("# Changelog")
    assert (root / "data" / "manifest.json").is_file()


def test_not_a_project_or_unknown_revision_is_exit_2(proj, tmp_path):
    code, _, err = run("release", "--bump", "patch", "--corpus", str(tmp_path / "nowhere" / "corpus"))
    assert code == 2 and "not a NewsSpans project" in err
    add_mention(proj)
    code, _, err = run("release", "--bump", "minor", "--since", "v7.7.7")
    assert code == 2 and "v7.7.7" in err


# --- an interrupted release is finished or redone, exactly once, by running it again ----------------
# (tests/test_atomic.py kills it at every file-system change; these are the cases a user meets)

def project_state(root):
    state = {**{f"corpus/{k}": v for k, v in tree_bytes(root / "corpus").items()},
             **{f"data/{k}": v for k, v in tree_bytes(root / "data").items()},
             "CHANGELOG.md": (root / "CHANGELOG.md").read_bytes()}
    return {k: v for k, v in state.items() if not k.split("/")[-1].startswith(".newsspans")}


def hidden(root):
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".") and p.name != ".git")


def entries(root, version):
    return (root / "CHANGELOG.md").read_text(encoding="utf-8").count(f"\n## {version} ")


class Killed(BaseException):
    pass


def test_a_release_killed_during_its_rebuild_changes_nothing_and_a_rerun_releases(proj, monkeypatch):
    """The reproduction: dataset.json was at the new version, data/ at the old one, no CHANGELOG
    entry, and the rerun failed ("cannot find the release of version 1.1.1")."""
    import pyarrow.parquet as pq

    old = version(proj)
    add_mention(proj)
    before = project_state(proj)

    def killed(self, *args, **kwargs):
        raise Killed

    with monkeypatch.context() as m:
        m.setattr(pq.ParquetWriter, "write_table", killed)
        with pytest.raises(Killed):
            run("release", "--bump", "minor")
    assert project_state(proj) == before and version(proj) == old
    code, out, err = run("release", "--bump", "minor")
    assert code == 0, err
    new = bump_version(old, "minor")
    assert version(proj) == new and entries(proj, new) == 1 and hidden(proj) == []
    assert read_json(proj / "data" / "manifest.json")["version"] == new
    assert run("build", "--check")[0] == 0


def test_a_release_killed_after_its_commit_point_is_finished_by_the_rerun(proj, monkeypatch):
    old = version(proj)
    add_mention(proj)
    new = bump_version(old, "minor")
    real_replace = atomic.os.replace

    def replace(src, dst):  # the journal goes in place (the commit point); then the process dies
        if not str(dst).endswith(atomic.JOURNAL):
            raise Killed
        real_replace(src, dst)

    def exchange(a, b):
        raise Killed

    with monkeypatch.context() as m:
        m.setattr(atomic, "_exchange", exchange)
        m.setattr(atomic.os, "replace", replace)
        with pytest.raises(Killed):
            run("release", "--bump", "minor", "--date", "2030-01-02")
    assert (proj / atomic.JOURNAL).is_file() and version(proj) == old  # committed, nothing in place yet
    code, out, err = run("release", "--bump", "minor", "--date", "2030-01-02", "--dry-run")
    assert code == 1 and f"the release {old} -> {new} was interrupted" in err and "without --dry-run" in err
    assert version(proj) == old
    code, out, err = run("release", "--bump", "patch")  # whatever bump: the committed release is what is finished
    assert code == 0, err
    assert out.startswith(f"finished the interrupted release {old} -> {new}")
    assert "- Entity mentions: 1 added." in out
    assert version(proj) == new and entries(proj, new) == 1 and hidden(proj) == []
    assert read_json(proj / "data" / "manifest.json")["version"] == new
    assert run("build", "--check")[0] == 0


def test_rerunning_a_release_that_completed_says_it_is_done_and_changes_nothing(proj):
    old = version(proj)
    add_mention(proj)
    assert run("release", "--bump", "minor")[0] == 0
    done = project_state(proj)
    new = bump_version(old, "minor")
    code, _, err = run("release", "--bump", "minor")
    assert code == 1 and len(err.splitlines()) == 1
    assert f"version {new} is released in this working tree" in err and "not committed" in err
    assert project_state(proj) == done and entries(proj, new) == 1


def test_a_full_disk_during_a_release_is_one_line_and_changes_nothing(proj, monkeypatch):
    add_mention(proj)
    before = project_state(proj)
    real, calls = atomic._write_staged, []

    def full(path, data, created):
        calls.append(path)
        if len(calls) == 2:  # CHANGELOG.md, after corpus/dataset.json was staged
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data, created)

    monkeypatch.setattr(atomic, "_write_staged", full)
    code, out, err = run("release", "--bump", "minor")
    assert code == 1 and len(err.splitlines()) == 1, err
    assert err.startswith("newsspans release: No space left on device: ") and err.endswith("; nothing was changed\n")
    assert project_state(proj) == before and hidden(proj) == []
    assert atomic.staged_leftovers(proj) == []


def test_ctrl_c_during_a_release_is_one_line_and_changes_nothing(proj, monkeypatch):
    import pyarrow.parquet as pq

    add_mention(proj)
    before = project_state(proj)

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pq.ParquetWriter, "write_table", interrupted)
    assert run("release", "--bump", "minor") == (130, "", "newsspans release: interrupted; nothing was changed\n")
    assert project_state(proj) == before and hidden(proj) == []


# --- the release tags the commit it describes, or says which commands do it -------------------------
# (always in a scratch repository under tmp_path, never the project's)

def identity(root):
    git(root, "config", "user.name", "t")
    git(root, "config", "user.email", "t@example.org")


def test_a_release_from_a_committed_corpus_is_committed_and_tagged(proj):
    identity(proj)
    add_mention(proj)
    git(proj, "commit", "-qam", "a mention")
    before = git(proj, "rev-parse", "HEAD").strip()
    code, out, err = run("release", "--bump", "minor", "--date", "2030-01-02")
    assert code == 0, err
    new = version(proj)
    assert f"tagged v{new}" in out
    assert git(proj, "rev-parse", "HEAD~1").strip() == before
    assert git(proj, "rev-parse", f"v{new}^{{commit}}").strip() == git(proj, "rev-parse", "HEAD").strip()
    assert git(proj, "log", "-1", "--format=%s").strip() == f"Release {new}"
    assert git(proj, "status", "--porcelain", "--untracked-files=all") == ""  # everything the release wrote is in it
    assert set(git(proj, "show", "--name-only", "--format=", "HEAD").split()) >= {"corpus/dataset.json", "CHANGELOG.md",
                                                                                  "data/manifest.json", "data/README.md"}
    # The next release finds this one by its tag.
    add_mention(proj)
    code, out, _ = run("release", "--bump", "minor", "--dry-run")
    assert code == 0 and f"compared with v{new}" in out and "would not commit or tag" in out


def test_a_release_over_uncommitted_changes_prints_the_commands_that_commit_and_tag_it(proj):
    identity(proj)
    add_mention(proj)
    head = git(proj, "rev-parse", "HEAD").strip()
    code, out, err = run("release", "--bump", "minor")
    assert code == 0, err
    new = version(proj)
    assert git(proj, "rev-parse", "HEAD").strip() == head and git(proj, "tag") == ""
    [line] = [x for x in err.splitlines() if x.startswith("git: ")]
    assert "uncommitted changes" in line and "corpus/annotations/" in line
    command = line.split("run: ", 1)[1]
    assert command == (f"git add -A -- corpus CHANGELOG.md data && git commit -m 'Release {new}' && "
                       f"git tag -a v{new} -m 'Release {new}'")
    subprocess.run(command, shell=True, cwd=proj, check=True, capture_output=True)
    assert git(proj, "rev-parse", f"v{new}^{{commit}}").strip() == git(proj, "rev-parse", "HEAD").strip()
    assert git(proj, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_release_whose_tag_exists_is_not_committed_and_says_so(proj):
    identity(proj)
    add_mention(proj)
    git(proj, "commit", "-qam", "a mention")
    new = bump_version(version(proj), "minor")
    git(proj, "tag", f"v{new}", "HEAD~1")
    head = git(proj, "rev-parse", "HEAD").strip()
    code, _, err = run("release", "--bump", "minor")
    assert code == 0, err
    assert git(proj, "rev-parse", "HEAD").strip() == head
    [line] = [x for x in err.splitlines() if x.startswith("git: ")]
    assert f"the tag v{new} already exists" in line and f"git tag -f -a v{new}" in line


def test_a_release_without_git_says_how_to_tag_it(tmp_path, monkeypatch):
    root = plain_project(tmp_path, monkeypatch)
    code, _, err = run("release", "--bump", "minor", "--since", str(tmp_path / "previous"))
    assert code == 0, err
    [line] = [x for x in err.splitlines() if x.startswith("git: ")]
    assert "not in a git checkout" in line and f"git tag -a v{version(root)}" in line


def test_a_tagless_clone_finds_every_version_by_the_commit_that_set_it(proj, tmp_path):
    identity(proj)
    first = git(proj, "rev-parse", "HEAD").strip()
    add_mention(proj)
    git(proj, "commit", "-qam", "a mention")
    assert git(proj, "tag") == ""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(proj), str(clone)], check=True, capture_output=True)
    old = version(proj)
    code, out, err = run("diff", f"v{old}", "HEAD", cwd=clone)
    assert code == 0, err
    assert out.startswith(f"diff v{old} (corpus, version {old}) -> HEAD") and "(added: entity mentions 1)" in out
    code, _, err = run("diff", "v99.0.0", "HEAD", cwd=clone)
    assert code == 2 and "no commit whose corpus/dataset.json has that version" in err
    from newsspans.versions import version_commit
    assert version_commit(clone, old) == first
