"""A git revision that git cannot give whole is refused with one line, never read as a smaller
corpus: ``git archive`` failing part way (a required filter that fails), a blob missing from the
repository (a broken repository, a partial clone), a path that leaves the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import git

from newsspans._synth import write_synthetic_corpus
from newsspans.errors import BadInput
from newsspans.versions import diff, open_snapshot
from newsspans.versions import _gitobjects, _snapshot
from newsspans.versions._corpusfiles import FolderFiles, RevisionFiles
from newsspans.versions._gitobjects import checkout_converts

DOCS = 12


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose one commit holds a synthetic corpus as ``corpus/``."""
    repo = tmp_path / "repo"
    write_synthetic_corpus(repo / "corpus", docs=DOCS)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "corpus")
    return repo


def texts(repo: Path) -> list[str]:
    return sorted(p.name for p in (repo / "corpus" / "texts").glob("*.txt"))


def walk(spec: str, repo: Path) -> dict:
    with open_snapshot(spec, repo=repo) as snap:
        return dict(snap.iter_documents())


def test_an_archive_that_git_stops_part_way_is_refused(repo):
    # The texts come last in the archive: the files before them are written, then git dies.
    (repo / ".gitattributes").write_text(f"corpus/texts/{texts(repo)[-1]} filter=broken\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a filter")
    git(repo, "config", "filter.broken.smudge", "false")
    git(repo, "config", "filter.broken.clean", "cat")
    git(repo, "config", "filter.broken.required", "true")
    with pytest.raises(BadInput) as caught:
        walk("HEAD", repo)
    message = str(caught.value)
    assert "\n" not in message and "corpus at " in message and "smudge filter broken failed" in message


def test_an_archive_git_ends_with_an_error_is_refused(repo, tmp_path, monkeypatch):
    """A ``git`` whose archive is a whole tar without the last text, then an error: what was
    extracted is never read as the revision (the tar alone looks complete)."""
    real = os.popen("command -v git").read().strip()
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(
        "#!/bin/sh\n"
        'case " $* " in *" archive "*)\n'
        f'  "{real}" "$@" ":(exclude)corpus/texts/{texts(repo)[-1]}"; echo "fatal: the archive was cut" >&2; exit 1;;\n'
        "esac\n"
        f'exec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(_snapshot, "checkout_converts", lambda *a: True)  # read through git archive
    with pytest.raises(BadInput, match=r"^corpus at [0-9a-f]{12} cannot be read from git: fatal: the archive was cut$"):
        walk("HEAD", repo)


def test_a_revision_without_a_schema_folder_is_still_extracted(repo, monkeypatch):
    """Only the paths the revision has are asked of git archive (a missing one would fail it)."""
    monkeypatch.setattr(_snapshot, "checkout_converts", lambda *a: True)
    with open_snapshot("HEAD", repo=repo) as snap:
        assert isinstance(snap.source, FolderFiles) and snap.schema is None
        assert len([doc for _, doc in snap.iter_documents() if doc is not None]) == DOCS


def delete_object(repo: Path, spec: str) -> str:
    """Remove the loose object of ``spec`` (``REV:PATH``) from the repository; its id."""
    oid = git(repo, "rev-parse", spec).strip()
    (repo / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
    return oid


@pytest.mark.parametrize("part", ["annotations/{doc}.json", "texts/{doc}.txt", "registry.json"])
def test_a_listed_file_whose_object_is_missing_is_refused(repo, part):
    doc = texts(repo)[2][: -len(".txt")]
    path = f"corpus/{part.format(doc=doc)}"
    with open_snapshot("HEAD", repo=repo) as snap:
        assert isinstance(snap.source, RevisionFiles)  # read from git's objects
    delete_object(repo, f"HEAD:{path}")
    commit = git(repo, "rev-parse", "HEAD").strip()
    with pytest.raises(BadInput) as caught:
        with open_snapshot("HEAD", repo=repo) as old, open_snapshot(str(repo / "corpus"), repo=repo) as new:
            diff(old=old, new=new)
    message = str(caught.value)
    assert "\n" not in message and path in message and commit[:12] in message


def test_a_missing_schema_object_is_refused(repo, tmp_path):
    schema = tmp_path / "repo" / "schema"
    schema.mkdir()
    (schema / "annotation.schema.json").write_text("{}\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "schema")
    delete_object(repo, "HEAD:schema/annotation.schema.json")
    with pytest.raises(BadInput, match="schema/annotation.schema.json"):
        walk("HEAD", repo)


@pytest.mark.parametrize("path", ["..", "../x", "corpus/../../x"])
def test_a_path_outside_the_repository_is_refused_before_git_is_asked(repo, path, monkeypatch):
    asked = []
    monkeypatch.setattr(_snapshot, "RevisionTree", lambda *a: asked.append(a))
    with pytest.raises(BadInput, match=rf"has no {path.replace('.', '[.]')}/$"):
        walk(f"HEAD:{path}", repo)
    assert asked == []


class Recording:
    """A stream that records the size of every read."""

    def __init__(self, stream):
        self.stream, self.sizes = stream, []

    def read(self, size=-1):
        self.sizes.append(size)
        return self.stream.read(size)

    def close(self):
        self.stream.close()


def test_check_attr_answers_after_the_first_conversion_are_read_in_bounded_pieces(repo, monkeypatch):
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "attributes").write_text("* text\n", encoding="utf-8")
    started, streams = _gitobjects.start_git, []

    def recording(*args, **kwargs):
        proc = started(*args, **kwargs)
        proc.stdout = Recording(proc.stdout)
        streams.append(proc.stdout)
        return proc

    monkeypatch.setattr(_gitobjects, "start_git", recording)
    paths = [f"corpus/texts/{n:06d}.txt" for n in range(20_000)]  # far more answers than one read
    assert checkout_converts(repo, paths)
    (stream,) = streams
    assert stream.sizes and all(0 < size <= 1 << 16 for size in stream.sizes)
    assert len(stream.sizes) > 3
