"""``newsspans diff`` as a streaming merge by document id: a state is opened without reading its
documents, the walk holds one document of each side at a time, and a git revision is read from
git file by file with the same result as extracting it (which it still does when git would convert
the bytes)."""

from __future__ import annotations

import json
import shutil
import threading
import weakref
from pathlib import Path

import pytest
from helpers import git, read_json, write_json

from newsspans._synth import write_synthetic_corpus
from newsspans.corpus import read_document_lenient
from newsspans.versions import Snapshot, diff, format_json, format_text, open_snapshot
from newsspans.versions import _corpusfiles, _snapshot
from newsspans.versions._corpusfiles import FolderFiles, RevisionFiles
from newsspans.versions._gitobjects import BlobReader, checkout_converts

DOCS = 40


@pytest.fixture(scope="module")
def states(tmp_path_factory) -> tuple[Path, Path]:
    """Two states of a synthetic corpus: in the second, document 3 is gone, a document ``zzz`` is
    new, every 5th document's first entity is relabelled and document 7's annotations do not parse."""
    root = tmp_path_factory.mktemp("states")
    a = write_synthetic_corpus(root / "a", docs=DOCS)
    b = root / "b"
    shutil.copytree(a, b)
    ids = sorted(p.stem for p in (b / "texts").glob("*.txt"))
    for folder, suffix in (("texts", ".txt"), ("documents", ".json"), ("annotations", ".json")):
        (b / folder / f"{ids[3]}{suffix}").unlink()
        shutil.copy(a / folder / f"{ids[4]}{suffix}", b / folder / f"zzz{suffix}")
    for doc_id in ids[::5]:
        path = b / "annotations" / f"{doc_id}.json"
        ann = read_json(path)
        ann["entities"][0]["label"] = "NORP" if ann["entities"][0]["label"] != "NORP" else "ORG"
        write_json(path, ann)
    (b / "annotations" / f"{ids[7]}.json").write_text("{not json", encoding="utf-8")
    return a, b


def in_memory(folder: Path, spec: str) -> Snapshot:
    """The state of ``folder`` with every document read first (what diff held before it streamed)."""
    with open_snapshot(str(folder)) as snap:
        streamed = snap
    docs, unreadable = {}, []
    for doc_id in FolderFiles(folder).document_ids():
        doc = read_document_lenient(folder, doc_id)
        if doc is None:
            unreadable.append(doc_id)
        else:
            docs[doc_id] = doc.document
    return Snapshot(spec, "corpus", streamed.version, documents=docs, unreadable=unreadable, registry=streamed.registry,
                    labels=streamed.labels, schema=streamed.schema, dataset=streamed.dataset)


def test_the_walk_holds_one_document_of_each_side_at_a_time(states, monkeypatch):
    a, b = states
    alive: weakref.WeakSet = weakref.WeakSet()
    most = []
    lenient = _corpusfiles.lenient_document

    def counting(files):
        most.append(len(alive))  # documents of earlier reads still held when this one is read
        doc = lenient(files)
        if doc is not None:
            alive.add(doc.document)
        return doc

    monkeypatch.setattr(_corpusfiles, "lenient_document", counting)
    with open_snapshot(str(a)) as old, open_snapshot(str(b)) as new:
        assert most == []  # opening a state reads no document
        result = diff(old=old, new=new)
    assert len(most) == 2 * DOCS  # each document of each side read once
    assert max(most) <= 4  # at most the pair compared last and the next pair, whatever the corpus's size
    assert new.unreadable == [sorted(p.stem for p in (a / "texts").glob("*.txt"))[7]]
    assert result.documents_added == ["zzz"] and len(result.documents_removed) == 1


def test_streaming_gives_the_report_of_the_states_read_whole(states):
    a, b = states
    with open_snapshot(str(a)) as old, open_snapshot(str(b)) as new:
        streamed = diff(old=old, new=new)
        text, data = format_text(streamed), format_json(streamed)
    whole = diff(old=in_memory(a, str(a)), new=in_memory(b, str(b)))
    assert (text, data) == (format_text(whole), format_json(whole))
    assert json.loads(data)["summary"]["entities"]["changed"] > 0


def revisions(tmp_path: Path, states: tuple[Path, Path]) -> Path:
    """A git repository whose two commits hold the two states as ``corpus/``, the second also with a
    text that is a link."""
    a, b = states
    repo = tmp_path / "repo"
    shutil.copytree(a, repo / "corpus")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a")
    shutil.rmtree(repo / "corpus")
    shutil.copytree(b, repo / "corpus")
    outside = tmp_path / "outside.txt"
    outside.write_text("not part of the corpus\n", encoding="utf-8")
    (repo / "corpus" / "texts" / "linked.txt").symlink_to(outside)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "b")
    return repo


def report(repo: Path) -> tuple[str, list[str], str]:
    with open_snapshot("HEAD~1", repo=repo) as old, open_snapshot("HEAD", repo=repo) as new:
        result = diff(old=old, new=new)
        return format_json(result), new.unreadable, type(new.source).__name__


def test_a_revision_read_from_git_gives_what_its_extraction_gives(tmp_path, states, monkeypatch):
    repo = revisions(tmp_path, states)
    extracted = []
    monkeypatch.setattr(_snapshot, "extract_revision", lambda *a: extracted.append(a))
    direct, unreadable, source = report(repo)
    assert source == RevisionFiles.__name__ and extracted == []  # read from git, nothing written
    assert "linked" in unreadable  # a link is listed, never read
    monkeypatch.undo()
    monkeypatch.setattr(_snapshot, "checkout_converts", lambda *a: True)  # as if git converted the bytes
    assert report(repo) == (direct, unreadable, FolderFiles.__name__)


def test_a_revision_compared_with_itself_has_no_differences(tmp_path, states):
    repo = revisions(tmp_path, states)
    with open_snapshot("HEAD", repo=repo) as snap:
        result = diff(old=snap, new=snap)  # two walks of one state at once, each with its own reader
    assert result.empty, result.to_dict()
    assert snap.unreadable == sorted([sorted(p.stem for p in (states[0] / "texts").glob("*.txt"))[7], "linked"])


@pytest.mark.parametrize("how", ["attributes", "autocrlf", "info"])
def test_a_revision_whose_bytes_git_converts_is_extracted(tmp_path, states, how):
    repo = revisions(tmp_path, states)
    doc_id = sorted(p.stem for p in (repo / "corpus" / "texts").glob("*.txt") if not p.is_symlink())[0]
    (repo / "corpus" / "texts" / f"{doc_id}.txt").write_bytes(b"One line.\nAnother.\n")
    if how == "attributes":
        (repo / ".gitattributes").write_text("*.txt text eol=crlf\n", encoding="utf-8")
    elif how == "autocrlf":
        git(repo, "config", "core.autocrlf", "true")
    else:
        (repo / ".git" / "info").mkdir(exist_ok=True)
        (repo / ".git" / "info" / "attributes").write_text("*.json filter=lfs\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two lines")
    with open_snapshot("HEAD", repo=repo) as snap:
        assert isinstance(snap.source, FolderFiles)  # what git archive gives, not the blobs
        text = dict(snap.iter_documents())[doc_id].text
    assert text == ("One line.\r\nAnother.\r\n" if how != "info" else "One line.\nAnother.\n")
    assert checkout_converts(repo, ["corpus/registry.json"]) == (how != "attributes")


def test_blobs_asked_for_ahead_and_never_taken_do_not_stop_the_reader_from_closing(tmp_path, states):
    repo = revisions(tmp_path, states)
    names = [n for n in git(repo, "ls-tree", "--name-only", "HEAD", "corpus/texts/").split() if not (repo / n).is_symlink()]
    oids = [git(repo, "rev-parse", f"HEAD:{name}").strip() for name in names]
    reader = BlobReader(repo)
    assert reader.read(oids[:1]) == [(repo / names[0]).read_bytes()]
    reader.request(oids * 5)  # far more bytes than a pipe holds, never taken
    assert sum(len((repo / name).read_bytes()) for name in names) * 5 > 1 << 17
    with pytest.raises(ValueError):
        reader.read(oids[:1])  # answers come in order: not before those asked for earlier
    closing = threading.Thread(target=reader.close, daemon=True)
    closing.start()
    closing.join(timeout=60)
    assert not closing.is_alive()


def test_a_release_whose_files_are_not_sorted_by_id_is_read_whole(tmp_path, states):
    import pyarrow.parquet as pq

    from newsspans.dataset import build

    a = states[0]
    build(corpus=a, out=tmp_path / "data")
    for path in (tmp_path / "data" / "documents").glob("*.parquet"):
        table = pq.read_table(path)
        pq.write_table(table.take(list(range(table.num_rows))[::-1]), path)  # the schema's metadata is kept
    with open_snapshot(str(a)) as old, open_snapshot(str(tmp_path / "data")) as new:
        result = diff(old=old, new=new)
        ids = [doc_id for doc_id, _ in new.iter_documents()]
    assert ids == sorted(ids) and len(ids) == DOCS
    assert result.empty, result.to_dict()
