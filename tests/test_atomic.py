"""Every write is atomic and recoverable: build, render, release, add and the two primitives under
them (``atomic.replace_dir``/``staged_dir``, ``atomic.write_files``) either complete or leave
everything as it was, whatever instant they are killed, and the next run cleans up or finishes.

A kill is simulated without timing: ``Killer`` lets the first ``k`` file-system changes (renames,
exchanges, removals, folder creations, staged-file writes) happen and then "kills" the process:
that change and every later one raise ``Killed`` (a ``BaseException``), so that the clean-up code
a real kill would never run cannot repair anything either. Each test runs this for every ``k``;
one test also kills a real ``newsspans build`` subprocess with SIGKILL at random moments.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import CORPUS, ROOT, document_ids, git, read_json, released_project, run, tree_bytes, write_json

from newsspans import atomic

DOC = "000_1936301ef05f6424"


class Killed(BaseException):
    """The simulated kill."""


class Killer:
    """After ``limit`` file-system changes every further one raises ``Killed``: the process is dead."""

    OPS = [(os, "rename"), (os, "replace"), (os, "unlink"), (os, "rmdir"), (os, "mkdir"),
           (atomic, "_exchange"), (atomic, "_write_synced"), (atomic, "_write_staged")]

    def __init__(self, limit: float = float("inf")):
        self.limit = limit
        self.count = 0
        self.dead = False

    def _wrap(self, fn):
        def op(*args, **kwargs):
            if self.dead or self.count >= self.limit:
                self.dead = True
                raise Killed(f"killed before change {self.count + 1}")
            self.count += 1
            return fn(*args, **kwargs)

        return op

    @contextmanager
    def armed(self):
        saved = [(mod, name, getattr(mod, name)) for mod, name in self.OPS]
        for mod, name, fn in saved:
            setattr(mod, name, self._wrap(fn))
        try:
            yield self
        finally:
            for mod, name, fn in saved:
                setattr(mod, name, fn)


def count_changes(action) -> int:
    """How many file-system changes ``action()`` makes when nothing kills it."""
    killer = Killer()
    with killer.armed():
        action()
    return killer.count


def kill_at(k: int, action) -> bool:
    """Run ``action()`` and kill it at its ``k``-th change; True when it was killed."""
    killer = Killer(k)
    with killer.armed():
        try:
            action()
        except Killed:
            return True
    return False


def leftovers(folder: Path) -> list[str]:
    """Hidden files and folders in ``folder``, one level down too (staged, journal, old, build...)."""
    found = [p for p in folder.iterdir() if p.name.startswith(".") and p.name != ".git"]
    found += [p for sub in folder.iterdir() if sub.is_dir() and sub.name != ".git" for p in sub.iterdir() if p.name.startswith(".newsspans")]
    return sorted(p.relative_to(folder).as_posix() for p in found)


def make_tree(root: Path, files: dict[str, bytes]) -> None:
    root.mkdir(parents=True)
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


OLD = {"a.txt": b"old a", "sub/b.txt": b"old b", "gone.txt": b"only in old"}
NEW = {"a.txt": b"new a", "sub/b.txt": b"new b", "sub/c.txt": b"only in new"}


# --- the folder swap -----------------------------------------------------------------------------

def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    make_tree(tmp_path / "a", OLD)
    make_tree(tmp_path / "b", NEW)
    if not atomic._exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    assert tree_bytes(tmp_path / "a") == NEW and tree_bytes(tmp_path / "b") == OLD


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_folder_swap_killed_at_any_change_leaves_the_old_or_the_new_folder(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)

    def swap(base: Path) -> None:
        with atomic.staged_dir(base / "out", purpose="build") as tmp:
            for rel, data in NEW.items():
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                (tmp / rel).write_bytes(data)

    base = tmp_path / "count"
    make_tree(base / "out", OLD)
    total = count_changes(lambda: swap(base))
    assert tree_bytes(base / "out") == NEW and leftovers(base) == []
    for k in range(total):
        base = tmp_path / f"k{k}"
        make_tree(base / "out", OLD)
        assert kill_at(k, lambda: swap(base))
        state = tree_bytes(base / "out") if (base / "out").exists() else None
        if exchange:
            assert state in (OLD, NEW), f"killed at change {k}: out/ is neither the old nor the new folder"
        else:  # between the two renames there is no out/, and the old folder waits beside it
            assert state in (OLD, NEW) or any(p.name.startswith(".out.old-") for p in base.iterdir()), k
        atomic.clean_leftovers(base / "out")  # what the next command writing there does first
        assert tree_bytes(base / "out") in (OLD, NEW), k
        assert leftovers(base) == [], k
        swap(base)
        assert tree_bytes(base / "out") == NEW and leftovers(base) == [], k


HOLD = """
import sys, time
from pathlib import Path
from newsspans.atomic import staging
with staging(Path(sys.argv[1]), purpose="build") as tmp:
    print(tmp, flush=True)
    time.sleep(60)
"""


def test_leftovers_are_cleaned_but_never_a_folder_a_live_process_is_writing(tmp_path):
    out = tmp_path / "data"
    make_tree(out, OLD)
    live = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        held = Path(live.stdout.readline().strip())
        assert held.is_dir() and held.name.startswith(f".data.build-{live.pid}-")
        with atomic.staging(out, purpose="build") as mine:  # this process's own is held too
            dead = tmp_path / ".data.render-999999-0a1b2c3d"  # a process that is gone left it
            dead.mkdir()
            (dead / "x").write_text("partial")
            assert atomic.clean_leftovers(out) == [dead]
            assert held.is_dir() and mine.is_dir() and not dead.exists()
        assert not mine.exists()
    finally:
        live.kill()
        live.wait()
    assert atomic.clean_leftovers(out) == [held]  # its writer is dead now
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert tree_bytes(out) == OLD


def test_without_locks_a_leftover_is_cleaned_once_its_process_is_dead(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "fcntl", None)
    out = tmp_path / "data"
    make_tree(out, OLD)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".data.build-{sleeper.pid}-0a1b2c3d"
        dead = tmp_path / ".data.build-999999-0a1b2c3d"
        live.mkdir()
        dead.mkdir()
        assert atomic.clean_leftovers(out) == [dead] and live.is_dir()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert atomic.clean_leftovers(out) == [live]


def test_leftovers_are_git_ignored(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    git(root, "init", "-q")
    names = [".data.build-12-0a1b2c3d/x", ".data.old-12-0a1b2c3d/x", ".review.render-12-0a1b2c3d/x",
             ".out.export-12-0a1b2c3d/x", ".data.tmp-12-0a1b2c3d/x", "corpus/annotations/.newsspans-new.0.a.json~",
             ".newsspans-journal.json", ".newsspans-new.0..newsspans-journal.json~"]
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    assert git(root, "status", "--porcelain", "--untracked-files=all").split() == ["??", ".gitignore"]


def test_synced_files_are_synced_a_batch_at_a_time_then_their_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "SYNC_BATCH", 4)
    real_fsync = os.fsync
    synced: list[int] = []  # inodes, in the order synced

    def fsync(fd):
        synced.append(os.fstat(fd).st_ino)
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    (tmp_path / "sub").mkdir()
    names = [f"sub/p{k}.html" if k % 2 else f"p{k}.html" for k in range(10)]
    with atomic.SyncedFiles(tmp_path) as files:
        for k, name in enumerate(names, 1):
            files.write_text(tmp_path / name, iter([f"page {k} ", "é\n", "\udcff"]), errors="backslashreplace")
            assert len(synced) == k // 4 * 4  # a batch synced once full, not before
        with pytest.raises(FileExistsError):  # a file is new, never one written before
            files.write_text(tmp_path / names[0], ["again"])
    inodes = {name: (tmp_path / name).stat().st_ino for name in names}
    assert sorted(synced[:10]) == sorted(inodes.values())
    assert synced[10:] == [(tmp_path / "sub").stat().st_ino, tmp_path.stat().st_ino]  # the entries, last
    assert [(tmp_path / name).read_bytes() for name in names] == [f"page {k} é\n\\udcff".encode() for k in range(1, 11)]
    assert files.written == 10


def test_synced_files_left_by_an_error_are_closed_unsynced(tmp_path, monkeypatch):
    opened: list[int] = []
    real_create = atomic._create
    monkeypatch.setattr(atomic, "_create", lambda path: opened.append(real_create(path)) or opened[-1])
    monkeypatch.setattr(os, "fsync", lambda fd: pytest.fail("synced after an error"))

    def pages():
        yield "half a page"
        raise RuntimeError("the template failed")

    with pytest.raises(RuntimeError):
        with atomic.SyncedFiles(tmp_path) as files:
            files.write_text(tmp_path / "a.html", ["a whole page"])
            files.write_text(tmp_path / "b.html", pages())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html"]  # the half-written file is gone
    for fd in opened:
        with pytest.raises(OSError):
            os.fstat(fd)  # closed


# --- several files through a journal -------------------------------------------------------------

def test_write_files_killed_at_any_change_is_all_or_nothing_and_finished_by_the_next_run(tmp_path):
    old = {"a.txt": b"old a", "sub/b.txt": b"old b"}
    new = {"a.txt": b"new a", "sub/b.txt": b"new b", "sub/c.txt": b"new c"}
    base = tmp_path / "count"
    make_tree(base, old)
    total = count_changes(lambda: atomic.write_files(base, new))
    assert tree_bytes(base) == new
    for k in range(total):
        base = tmp_path / f"k{k}"
        make_tree(base, old)
        assert kill_at(k, lambda: atomic.write_files(base, new))
        committed = (base / atomic.JOURNAL).exists()
        atomic.finish_writes(base)  # what the next write there does first
        assert tree_bytes(base) == (new if committed else old), k
        assert leftovers(base) == [], k


def test_write_files_on_a_full_disk_writes_nothing(tmp_path, monkeypatch):
    make_tree(tmp_path / "c", OLD)
    real, calls = atomic._write_staged, []

    def full(path, data, created):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data, created)

    monkeypatch.setattr(atomic, "_write_staged", full)
    with pytest.raises(OSError, match="No space"):
        atomic.write_files(tmp_path / "c", NEW)
    assert tree_bytes(tmp_path / "c") == OLD and leftovers(tmp_path / "c") == []


def test_a_write_rooted_elsewhere_keeps_its_staged_files(tmp_path):
    """A release stages corpus/dataset.json with its journal in the project folder: a write in
    corpus/ (``add``, an import) must neither take that staged file for its own leftover nor
    remove it."""
    files = {"corpus/dataset.json": b"new", "CHANGELOG.md": b"new"}
    for k in range(10):  # the first change after which the journal is committed
        root = tmp_path / f"k{k}"
        make_tree(root, {"corpus/dataset.json": b"old", "CHANGELOG.md": b"old"})
        assert kill_at(k, lambda: atomic.write_files(root, files))
        if (root / atomic.JOURNAL).exists():
            break
    assert [(root / rel).read_bytes() for rel in files] == [b"old", b"old"]  # committed, nothing renamed yet
    assert atomic.staged_leftovers(root / "corpus") == []
    atomic.write_files(root / "corpus", {"other.json": b"z"})  # finishes and cleans corpus/'s own writes only
    assert (root / "corpus" / "dataset.json").read_bytes() == b"old"
    atomic.finish_writes(root)
    assert tree_bytes(root) == {"CHANGELOG.md": b"new", "corpus/dataset.json": b"new", "corpus/other.json": b"z"}
    assert leftovers(root) == []


# --- build ---------------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path, monkeypatch):
    """A corpus and its release in a scratch folder (the working directory), with a correction
    made to the corpus so that a build changes data/. Returns (root, old data, new data)."""
    root = tmp_path / "p"
    root.mkdir()
    shutil.copytree(CORPUS, root / "corpus")
    monkeypatch.chdir(root)
    assert run("build", "--corpus", "corpus", "--out", "data")[0] == 0
    old = tree_bytes(root / "data")
    correct_a_claim(root / "corpus")
    assert run("build", "--corpus", "corpus", "--out", str(tmp_path / "fresh"))[0] == 0
    new = tree_bytes(tmp_path / "fresh")
    shutil.rmtree(tmp_path / "fresh")
    assert old != new
    return root, old, new


def correct_a_claim(corpus: Path) -> None:
    path = corpus / "annotations" / f"{DOC}.json"
    ann = read_json(path)
    ann["claims"][0]["label"] = "UFS" if ann["claims"][0]["label"] == "CFS" else "CFS"
    write_json(path, ann)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_build_killed_at_any_change_leaves_the_old_or_the_new_release(project, monkeypatch, exchange):
    root, old, new = project
    if not exchange:
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)

    def build():
        code, _, err = run("build", "--corpus", "corpus", "--out", "data")
        assert code == 0, err

    total = count_changes(build)
    assert tree_bytes(root / "data") == new
    for k in range(total):
        shutil.rmtree(root / "data")
        make_tree(root / "data", old)
        assert kill_at(k, build)
        if exchange:
            assert tree_bytes(root / "data") in (old, new), f"killed at change {k}: data/ is neither release"
        else:
            assert (root / "data").exists() and tree_bytes(root / "data") in (old, new) or \
                any(p.name.startswith(".data.old-") for p in root.iterdir()), k
        build()  # the next run cleans up and publishes
        assert tree_bytes(root / "data") == new, k
        assert leftovers(root) == [], f"killed at change {k}, the next build left {leftovers(root)}"


def test_a_killed_build_between_the_two_renames_is_put_back_by_the_next_run(project, monkeypatch):
    """The reproduction: killed between the two renames of the old swap there was no data/ at all."""
    root, old, new = project
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def rename(src, dst, *args, **kwargs):
        if Path(dst).name.startswith(".data.old-"):
            real_rename(src, dst)
            raise Killed
        return real_rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(Killed):
        run("build", "--corpus", "corpus", "--out", "data")
    monkeypatch.setattr(os, "rename", real_rename)
    assert not (root / "data").exists()
    assert [p.name.split("-")[0] for p in root.iterdir() if p.name.startswith(".")] == [".data.old"]
    run("validate", "--corpus", "corpus")  # a command that only reads leaves it
    assert not (root / "data").exists()
    assert run("build", "--corpus", "corpus", "--out", "data")[0] == 0
    assert tree_bytes(root / "data") == new and leftovers(root) == []


def test_a_build_refuses_to_publish_when_a_file_it_read_changed(project, monkeypatch):
    """The reproduction: a build running while an import rewrote the corpus published a mix."""
    from newsspans.validation import Corpus

    root, old, _ = project
    original = Corpus.read_document
    target = root / "corpus" / "annotations" / f"{DOC}.json"

    def read_then_rewrite(self, doc_id, registry, **kwargs):
        result = original(self, doc_id, registry, **kwargs)
        if doc_id == DOC:  # the import rewrites a file the build has just read
            correct_a_claim(root / "corpus")
        return result

    monkeypatch.setattr(Corpus, "read_document", read_then_rewrite)
    code, out, err = run("build", "--corpus", "corpus", "--out", "data")
    assert code == 1 and out == ""
    assert err.splitlines() == [f"newsspans build: corpus/annotations/{DOC}.json changed while the build read the corpus "
                                "(is another program writing it?); nothing was published: build again once it is done"]
    assert tree_bytes(root / "data") == old and leftovers(root) == []
    assert target.exists()


def test_a_file_changed_during_the_build_is_caught_even_with_its_mtime_set_back(project, monkeypatch):
    """The end check skips only files whose status changed before the build began: a write sets
    st_ctime to now, and setting the modification time back (``touch -d``) does not hide it."""
    from newsspans.validation import Corpus

    root, old, _ = project
    original = Corpus.read_document
    target = root / "corpus" / "annotations" / f"{DOC}.json"

    def read_then_rewrite_in_the_past(self, doc_id, registry, **kwargs):
        result = original(self, doc_id, registry, **kwargs)
        if doc_id == DOC:
            before = target.stat()
            correct_a_claim(root / "corpus")
            os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
        return result

    monkeypatch.setattr(Corpus, "read_document", read_then_rewrite_in_the_past)
    code, _, err = run("build", "--corpus", "corpus", "--out", "data")
    assert code == 1 and f"corpus/annotations/{DOC}.json changed while the build read the corpus" in err
    assert tree_bytes(root / "data") == old and leftovers(root) == []


def test_the_end_check_reads_again_only_files_changed_since_the_build_began(project, monkeypatch):
    """Files last changed before the build began (less the clock margin) hold what it read: they
    are not read again; the others are."""
    from newsspans.dataset import _build

    root, _, _ = project
    again: list[str] = []
    reread = _build._read
    monkeypatch.setattr(_build, "_read", lambda path: again.append(path) or reread(path))
    texts = {f"{d}.txt" for d in document_ids(root / "corpus")}
    monkeypatch.setattr(_build, "CLOCK_MARGIN_S", 3600.0)  # every file changed "during" the build
    assert run("build", "--corpus", "corpus", "--out", "data")[0] == 0
    assert {os.path.basename(p) for p in again if "/texts/" in p} == texts
    monkeypatch.setattr(_build, "CLOCK_MARGIN_S", 0.05)
    time.sleep(0.2)
    again.clear()
    assert run("build", "--corpus", "corpus", "--out", "data")[0] == 0
    assert [p for p in again if any(f"/{kind}/" in p for kind in ("texts", "documents", "annotations"))] == []


def test_a_build_refuses_to_publish_when_a_document_was_added_meanwhile(project, monkeypatch):
    from newsspans.validation import Corpus

    root, old, _ = project
    original = Corpus.read_document

    def read_then_add(self, doc_id, registry, **kwargs):
        result = original(self, doc_id, registry, **kwargs)
        (root / "corpus" / "texts" / "zzz_new.txt").write_text("A new text.", encoding="utf-8")
        return result

    monkeypatch.setattr(Corpus, "read_document", read_then_add)
    code, _, err = run("build", "--corpus", "corpus", "--out", "data")
    assert code == 1 and len(err.splitlines()) == 1
    assert err.startswith("newsspans build: corpus/texts/zzz_new.txt was added while the build read the corpus")
    assert tree_bytes(root / "data") == old and leftovers(root) == []


def test_a_full_disk_during_the_build_is_one_line_and_changes_nothing(project, monkeypatch, recwarn):
    import pyarrow.parquet as pq

    root, old, _ = project
    real = pq.ParquetWriter.write_table
    calls = []

    def full(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # pyarrow's own error for ENOSPC
            raise OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    code, out, err = run("build", "--corpus", "corpus", "--out", "data")
    assert code == 1 and out == ""
    assert err.splitlines() == ["newsspans build: Error writing bytes to file. Detail: [errno 28] No space left on device; "
                                "nothing was changed"]
    assert tree_bytes(root / "data") == old and leftovers(root) == []
    import gc

    gc.collect()  # an open ParquetWriter collected later would complain on stderr
    assert not [w for w in recwarn if "nraisable" in type(w.message).__name__]


def test_an_arrow_error_during_the_build_is_one_line(project, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    root, old, _ = project

    def broken(self, *args, **kwargs):
        raise pa.ArrowInvalid("Parquet writer failed\nsecond line")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", broken)
    code, _, err = run("build", "--corpus", "corpus", "--out", "data")
    assert code == 1
    assert err.splitlines() == ["newsspans build: cannot write the Parquet files: Parquet writer failed second line; "
                                "nothing was changed"]
    assert tree_bytes(root / "data") == old and leftovers(root) == []


def test_ctrl_c_during_the_build_is_one_line_and_exit_130(project, monkeypatch):
    import pyarrow.parquet as pq

    root, old, _ = project

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pq.ParquetWriter, "write_table", interrupted)
    code, out, err = run("build", "--corpus", "corpus", "--out", "data")
    assert (code, out, err) == (130, "", "newsspans build: interrupted; nothing was changed\n")
    assert tree_bytes(root / "data") == old and leftovers(root) == []


def test_ctrl_c_after_the_commit_point_is_held_off_and_the_write_completes(project, monkeypatch):
    root, old, new = project
    real = atomic._exchange

    def exchange_and_press_ctrl_c(a, b):
        done = real(a, b)
        os.kill(os.getpid(), signal.SIGINT)  # arrives while the old folder is being removed
        return done

    monkeypatch.setattr(atomic, "_exchange", exchange_and_press_ctrl_c)
    code, _, err = run("build", "--corpus", "corpus", "--out", "data")
    assert code == 0, err
    assert tree_bytes(root / "data") == new and leftovers(root) == []


def test_render_killed_at_any_change_leaves_the_old_or_the_new_pages(project):
    root, _, _ = project

    def render():
        code, _, err = run("render", "--corpus", "corpus", "--out", "review")
        assert code == 0, err

    render()
    first = tree_bytes(root / "review")
    correct_a_claim(root / "corpus")
    total = count_changes(render)
    second = tree_bytes(root / "review")
    assert first != second
    for k in range(0, total, max(1, total // 25)):
        shutil.rmtree(root / "review")
        make_tree(root / "review", first)
        assert kill_at(k, render)
        assert tree_bytes(root / "review") in (first, second), k
        render()
        assert tree_bytes(root / "review") == second and leftovers(root) == [], k


SYNTH_DOCS = 300


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic corpus big enough for a build to take a while, its release, and the release
    after a correction: (root, old release, new release, seconds a build takes)."""
    from newsspans._synth import write_synthetic_corpus

    root = tmp_path_factory.mktemp("synth")
    corpus = write_synthetic_corpus(root / "corpus", docs=SYNTH_DOCS)
    rewrite_with_the_model(corpus)
    build = [sys.executable, "-m", "newsspans", "build", "--corpus", str(corpus), "--workers", "1"]
    subprocess.run([*build, "--out", str(root / "old")], check=True, capture_output=True)
    first = sorted((corpus / "annotations").glob("*.json"))[0]
    ann = read_json(first)
    for claim in ann["claims"][:1]:
        claim["label"] = "UFS" if claim["label"] == "CFS" else "CFS"
    write_json(first, ann)
    started = time.monotonic()
    subprocess.run([*build, "--out", str(root / "new")], check=True, capture_output=True)
    return root, build, tree_bytes(root / "old"), tree_bytes(root / "new"), time.monotonic() - started


def rewrite_with_the_model(corpus: Path) -> None:
    """Annotation files as the model writes them today (fields added since the generator was written)."""
    from newsspans.model import Annotations

    for path in (corpus / "annotations").glob("*.json"):
        write_json(path, Annotations.from_dict(read_json(path)).to_dict())


def test_sigkill_of_a_real_build_at_random_moments_leaves_the_old_or_the_new_release(synthetic):
    root, build, old, new, seconds = synthetic
    assert old != new
    data = root / "data"
    moments = []
    for attempt in range(4):
        if data.exists():
            shutil.rmtree(data)
        shutil.copytree(root / "old", data)
        proc = subprocess.Popen([*build, "--out", str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        moment = random.uniform(0.3, 1.05) * seconds
        moments.append(round(moment, 2))
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert data.is_dir(), f"no data/ after a SIGKILL at {moments}"
        assert tree_bytes(data) in (old, new), f"data/ is neither release after a SIGKILL at {moments}"
    subprocess.run([*build, "--out", str(data)], check=True, capture_output=True)
    assert tree_bytes(data) == new
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


# --- release -------------------------------------------------------------------------------------

def project_state(root: Path) -> dict[str, bytes]:
    """What the user sees: corpus/, data/ and CHANGELOG.md, byte for byte (without leftovers, which
    ``leftovers`` checks)."""
    state = {**{f"corpus/{k}": v for k, v in tree_bytes(root / "corpus").items()},
             **{f"data/{k}": v for k, v in tree_bytes(root / "data").items()},
             "CHANGELOG.md": (root / "CHANGELOG.md").read_bytes()}
    return {k: v for k, v in state.items() if not Path(k).name.startswith(".newsspans")}


@pytest.fixture(scope="module")
def released_template(tmp_path_factory):
    """A released project with a correction to release (a patch), and the state a release of it
    gives: (template folder, state before, state after)."""
    base = tmp_path_factory.mktemp("release")
    template = released_project(base / "template")
    correct_a_claim(template / "corpus")
    done = base / "done"
    shutil.copytree(template, done)
    code, _, err = run("release", "--bump", "patch", "--date", "2030-01-02", "--corpus", str(done / "corpus"))
    assert code == 0, err
    return template, project_state(template), project_state(done)


def test_a_release_killed_at_any_change_is_finished_or_redone_exactly_once_by_a_rerun(released_template, tmp_path):
    template, before, after = released_template
    work = tmp_path / "count"
    shutil.copytree(template, work)

    def release(root):
        code, out, err = run("release", "--bump", "patch", "--date", "2030-01-02", "--corpus", str(root / "corpus"))
        assert code == 0, err
        return out

    total = count_changes(lambda: release(work))
    assert project_state(work) == after
    committed_at = None
    for k in range(total):
        work = tmp_path / f"k{k}"
        shutil.copytree(template, work)
        assert kill_at(k, lambda: release(work))
        journal = (work / atomic.JOURNAL).exists()
        if not journal:
            assert project_state(work) in (before, after), f"killed at change {k}: a mix of the two versions"
        elif committed_at is None:
            committed_at = k
        out = release(work)  # the rerun finishes the release, or makes it afresh
        assert project_state(work) == after, k
        assert ("finished the interrupted release" in out) == journal, k
        assert leftovers(work) == [], f"killed at change {k}, the rerun left {leftovers(work)}"
        changelog = (work / "CHANGELOG.md").read_text(encoding="utf-8")
        version = read_json(work / "corpus" / "dataset.json")["version"]
        assert changelog.count(f"\n## {version} ") == 1, k
    assert committed_at is not None
    assert run("build", "--check", "--corpus", str(work / "corpus"), "--out", str(work / "data"))[0] == 0
