"""Output folders are readable by others as the umask allows (a brat server or a Label Studio
container running as another user reads them), and ``--force`` replaces a non-empty ``--out``
whole, in one step, never the corpus, a file or the working directory."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from helpers import CORPUS, first_doc, run, tree_bytes, write_json

from newsspans.atomic import staged_dir, write_files


@pytest.fixture
def umask():
    """Set the process's umask for the test (``umask(0o002)``), restored after."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


def modes(folder: Path) -> dict[str, int]:
    """The permission bits of ``folder`` and of everything in it, by path relative to it."""
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[path.relative_to(folder).as_posix()] = stat.S_IMODE(path.lstat().st_mode)
    return found


def assert_umask_modes(folder: Path, mask: int) -> None:
    found = modes(folder)
    assert len(found) > 1
    for rel, mode in found.items():
        expected = (0o777 if (folder / rel).is_dir() else 0o666) & ~mask
        assert mode == expected, f"{rel}: {oct(mode)} != {oct(expected)} under umask {oct(mask)}"


WRITES = {
    "export brat --layers": lambda out: ["export", "brat", "--corpus", CORPUS, "--out", out, "--layers"],
    "export brat --suggestions": lambda out: ["export", "brat", "--corpus", CORPUS, "--out", out, "--suggestions"],
    "export labelstudio": lambda out: ["export", "labelstudio", "--corpus", CORPUS, "--out", out],
    "export conll": lambda out: ["export", "conll", "--corpus", CORPUS, "--out", out],
    "export jsonl": lambda out: ["export", "jsonl", "--corpus", CORPUS, "--out", out],
    "render": lambda out: ["render", "--corpus", CORPUS, "--out", out],
    "build": lambda out: ["build", "--corpus", CORPUS, "--out", out, "--configs", "documents"],
    "pack": lambda out: ["pack", "--corpus", CORPUS, "--out", out],
}


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
@pytest.mark.parametrize("name", sorted(WRITES))
def test_written_folders_and_files_follow_the_umask(tmp_path, umask, name, mask):
    umask(mask)
    out = tmp_path / "out"
    code, _, err = run(*WRITES[name](out))
    assert code == 0, err
    assert_umask_modes(out, mask)


@pytest.mark.parametrize("mask", [0o022, 0o002])
def test_the_atomic_writes_follow_the_umask(tmp_path, umask, mask):
    umask(mask)
    with staged_dir(tmp_path / "folder") as tmp:
        (tmp / "sub").mkdir()
        (tmp / "sub" / "a.txt").write_text("a", encoding="utf-8")
    write_files(tmp_path, {"b.json": b"{}", "folder/c.json": b"[]"})
    assert_umask_modes(tmp_path / "folder", mask)
    assert stat.S_IMODE((tmp_path / "b.json").stat().st_mode) == 0o666 & ~mask


# --- --force ----------------------------------------------------------------------------------------

def _occupied(out: Path) -> dict[str, bytes]:
    (out / "sub").mkdir(parents=True)
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    (out / "sub" / "more.txt").write_text("also mine\n", encoding="utf-8")
    return tree_bytes(out)


@pytest.mark.parametrize("fmt", ["brat", "labelstudio", "conll", "jsonl"])
def test_export_refuses_a_non_empty_out_and_force_replaces_it_whole(tmp_path, fmt):
    out = tmp_path / "out"
    before = _occupied(out)
    code, stdout, err = run("export", fmt, "--corpus", CORPUS, "--out", out)
    assert (code, stdout) == (1, "") and "replace it with --force" in err and err.count("\n") == 1
    assert tree_bytes(out) == before
    fresh = tmp_path / "fresh"
    assert run("export", fmt, "--corpus", CORPUS, "--out", fresh)[0] == 0
    code, stdout, err = run("export", fmt, "--corpus", CORPUS, "--out", out, "--force")
    assert code == 0, err
    assert tree_bytes(out) == tree_bytes(fresh)  # nothing of the old folder is left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "out"]  # no staged or old folder beside it


def test_a_failed_forced_export_leaves_the_old_folder(tmp_path, corpus_copy):
    out = tmp_path / "out"
    before = _occupied(out)
    path = corpus_copy / "annotations" / f"{first_doc(corpus_copy)}.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    ann["entities"][0]["start"] += 1
    write_json(path, ann)
    code, _, err = run("export", "brat", "--corpus", corpus_copy, "--out", out, "--force")
    assert code == 1 and "E-SPAN-TEXT" in err
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


def test_force_never_replaces_the_corpus_a_file_or_the_working_directory(tmp_path, corpus_copy):
    before = tree_bytes(corpus_copy)
    for out in (corpus_copy, corpus_copy / "annotations", tmp_path):
        code, _, err = run("export", "brat", "--corpus", corpus_copy, "--out", out, "--force")
        assert code == 1 and "overlaps" in err and err.count("\n") == 1
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep\n", encoding="utf-8")
    code, _, err = run("export", "brat", "--corpus", corpus_copy, "--out", a_file, "--force")
    assert code == 1 and "is not a folder" in err and a_file.read_text(encoding="utf-8") == "keep\n"
    work = tmp_path / "work"
    (work / "inside").mkdir(parents=True)
    for out in (work, work / "inside"):
        code, _, err = run("export", "brat", "--corpus", corpus_copy, "--out", out, "--force", cwd=work / "inside")
        assert code == 1 and "holds the working directory" in err
    assert tree_bytes(corpus_copy) == before and (work / "inside").is_dir()
    code, _, err = run("render", "--corpus", corpus_copy, "--out", corpus_copy / "review", "--force")
    assert code == 2 and "overlaps" in err
    assert tree_bytes(corpus_copy) == before


def test_render_force_replaces_a_folder_it_did_not_write(tmp_path):
    out = tmp_path / "review"
    before = _occupied(out)
    code, _, err = run("render", "--corpus", CORPUS, "--out", out)
    assert code == 2 and "replace it with --force" in err and tree_bytes(out) == before
    code, _, err = run("render", "--corpus", CORPUS, "--out", out, "--force")
    assert code == 0, err
    assert (out / "index.html").is_file() and not (out / "notes.txt").exists() and not (out / "sub").exists()
