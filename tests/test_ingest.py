"""``newsspans add``: texts enter the corpus byte for byte; datelines become metadata."""

from __future__ import annotations

import errno
import hashlib

import pytest
from helpers import CORPUS, read_json, run, tree_bytes

from newsspans import atomic
from newsspans.validation import Corpus
from newsspans.errors import NewsSpansError
from newsspans.corpus import add_document, parse_dateline
from newsspans.model import Annotations


def test_dateline_of_the_004_seed():
    text = (CORPUS / "texts" / "004_30159cef070f4760.txt").read_text(encoding="utf-8")
    title, published = parse_dateline(text)
    assert published == "2024-08-06"
    assert title == ("Let's join forces against them: Shoygu and Pezeshkian declare strategic "
                     "Iran-Russia partnership against Western dominance")


def test_no_dateline_gives_nothing():
    text = (CORPUS / "texts" / "000_1936301ef05f6424.txt").read_text(encoding="utf-8")
    assert parse_dateline(text) == (None, None)
    # The two dates of a dateline must agree, or neither is trusted.
    assert parse_dateline(" date 2024-08-07 A title Tuesday, August 6, 2024 7:28:33 PM\n") == (None, None)


def test_add_copies_bytes_exactly_and_writes_a_valid_document(tmp_path):
    corpus = tmp_path / "corpus"
    for sub in ("texts", "documents", "annotations"):
        (corpus / sub).mkdir(parents=True)
    source = tmp_path / "emoji_doc.txt"
    data = "Line one\r\nA rocket 🚀 and a BOM-less “quote”\n\n".encode("utf-8")
    source.write_bytes(data)
    meta = add_document(source, corpus=corpus, story_id="some-story")
    assert (corpus / "texts" / "emoji_doc.txt").read_bytes() == data
    assert meta.sha256 == hashlib.sha256(data).hexdigest()
    stored = read_json(corpus / "documents" / "emoji_doc.json")
    assert stored == meta.to_dict()
    assert read_json(corpus / "annotations" / "emoji_doc.json") == Annotations("emoji_doc").to_dict()
    assert read_json(corpus / "annotations" / "emoji_doc.json")["entities"] == []
    doc, problems = Corpus(corpus).read_document("emoji_doc", registry={})
    assert problems == [] and doc is not None and doc.text == data.decode("utf-8")


def test_add_refuses_to_overwrite_and_writes_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "annotations").mkdir(parents=True)
    (corpus / "annotations" / "x.json").write_text("{}", encoding="utf-8")
    source = tmp_path / "x.txt"
    source.write_text("hello", encoding="utf-8")
    with pytest.raises(NewsSpansError, match="already exists"):
        add_document(source, corpus=corpus, story_id="s")
    assert not (corpus / "texts").exists()


@pytest.mark.parametrize("story_id", ["Has Spaces", "UPPER", "", "-lead"])
def test_add_rejects_a_bad_story_id(tmp_path, story_id):
    source = tmp_path / "x.txt"
    source.write_text("hello", encoding="utf-8")
    with pytest.raises(NewsSpansError, match="story id"):
        add_document(source, corpus=tmp_path / "c", story_id=story_id)


def test_add_rejects_text_that_is_not_utf8(tmp_path):
    source = tmp_path / "latin.txt"
    source.write_bytes("café".encode("latin-1"))
    with pytest.raises(NewsSpansError, match="byte 3 is not UTF-8"):
        add_document(source, corpus=tmp_path / "c", story_id="s")


# --- several texts: all of them or none ----------------------------------------------------------

@pytest.fixture
def texts(tmp_path):
    """An empty corpus and three texts to add to it."""
    corpus = tmp_path / "corpus"
    for sub in ("texts", "documents", "annotations"):
        (corpus / sub).mkdir(parents=True)
    files = []
    for name in ("one", "two", "three"):
        files.append(tmp_path / f"{name}.txt")
        files[-1].write_text(f"Text {name}.\n", encoding="utf-8")
    return corpus, files


def all_files(corpus):
    """Every file of the corpus, staged leftovers included."""
    return sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())


def test_add_of_several_texts_where_one_is_bad_adds_none(texts, monkeypatch):
    """The reproduction: adding three texts where the second was bad added the first and stopped."""
    corpus, files = texts
    files[1].write_bytes("caf\u00e9".encode("latin-1"))
    monkeypatch.chdir(corpus.parent)
    code, out, err = run("add", *files, "--story-id", "s", "--corpus", corpus)
    assert (code, out) == (1, "")
    assert err == "newsspans add: two.txt: byte 3 is not UTF-8; texts must be UTF-8 (nothing was written)\n"
    assert all_files(corpus) == []


def test_add_of_several_texts_adds_them_all(texts):
    corpus, files = texts
    code, out, err = run("add", *files, "--story-id", "s", "--corpus", corpus)
    assert code == 0, err
    assert out.splitlines() == [f"added {n} (title: None, published: None, source: '{n}.txt')" for n in ("one", "two", "three")]
    assert all_files(corpus) == sorted(f"{sub}/{n}.{ext}" for n in ("one", "two", "three")
                                       for sub, ext in (("texts", "txt"), ("documents", "json"), ("annotations", "json")))


def test_add_refuses_two_texts_with_one_id(texts, tmp_path):
    corpus, files = texts
    (tmp_path / "elsewhere").mkdir()
    twin = tmp_path / "elsewhere" / "one.txt"
    twin.write_text("Another one.", encoding="utf-8")
    with pytest.raises(NewsSpansError, match="would both be document 'one'"):
        add_document([files[0], twin], corpus=corpus, story_id="s")
    assert all_files(corpus) == []


def test_add_on_a_full_disk_leaves_nothing(texts, monkeypatch):
    """The reproduction: a full disk left a text and an empty metadata file."""
    corpus, files = texts
    real, calls = atomic._write_staged, []

    def full(path, data, created):
        calls.append(path)
        if len(calls) == 2:  # the first text's metadata
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data, created)

    monkeypatch.setattr(atomic, "_write_staged", full)
    code, out, err = run("add", *files, "--story-id", "s", "--corpus", corpus)
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert err.startswith("newsspans add: No space left on device: ") and err.endswith("; nothing was changed\n")
    assert all_files(corpus) == []


def test_add_to_a_corpus_without_its_folders_leaves_no_empty_folder_when_it_fails(tmp_path, monkeypatch):
    source = tmp_path / "x.txt"
    source.write_text("hello", encoding="utf-8")
    corpus = tmp_path / "c"
    corpus.mkdir()

    def full(path, data, created):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(atomic, "_write_staged", full)
    with pytest.raises(OSError):
        add_document(source, corpus=corpus, story_id="s")
    assert list(corpus.iterdir()) == []


def test_add_killed_at_any_change_adds_all_or_none_and_the_next_write_finishes(texts):
    from test_atomic import count_changes, kill_at

    corpus, files = texts

    def add():
        add_document(files, corpus=corpus, story_id="s")

    total = count_changes(add)
    added = tree_bytes(corpus)
    assert len(added) == 9
    for k in range(total):
        for path in corpus.rglob("*"):
            if path.is_file():
                path.unlink()
        assert kill_at(k, add)
        committed = (corpus / atomic.JOURNAL).exists()
        atomic.finish_writes(corpus)  # what the next write in corpus/ (add, import) does first
        assert tree_bytes(corpus) == (added if committed else {}), k
        assert all_files(corpus) == sorted(added if committed else []), k
