"""``newsspans add``: metadata given on the command line (title, publication date, URL, source),
and texts holding a byte-order mark or a NUL character (refused, or kept with a warning that the
validator repeats: W-TEXT-BOM, W-TEXT-NUL)."""

from __future__ import annotations

import pytest
from helpers import read_json, run, tree_bytes, write_json

from newsspans.corpus import text_controls
from newsspans.validation import iter_problems

STORY = "2030-01-01-invented-story"


def codes(corpus):
    return [p.code for p in iter_problems(corpus, workers=1)]


def test_the_metadata_given_is_recorded_and_valid(corpus_copy, tmp_path):
    # A dateline states a title and a date; the ones given win over it.
    text = tmp_path / "given.txt"
    text.write_text(" date 2024-08-06 A dateline title Tuesday, August 6, 2024 7:28:33 PM\nBody.\n", encoding="utf-8")
    code, out, err = run("add", text, "--story-id", STORY, "--corpus", corpus_copy, "--title", "The given title",
                         "--published", "2030-01-02", "--url", "https://news.example.org/a?id=1", "--source", "Example Wire")
    assert code == 0, err
    meta = read_json(corpus_copy / "documents" / "given.json")
    assert (meta["title"], meta["published"], meta["url"], meta["source"]) == (
        "The given title", "2030-01-02", "https://news.example.org/a?id=1", "Example Wire")
    assert "url: https://news.example.org/a?id=1" in out
    assert not [c for c in codes(corpus_copy) if c.startswith("E-")]


def test_without_flags_the_dateline_and_file_name_are_kept_and_no_url_is_written(corpus_copy, tmp_path):
    text = tmp_path / "plain.txt"
    text.write_text(" date 2024-08-06 A dateline title Tuesday, August 6, 2024 7:28:33 PM\nBody.\n", encoding="utf-8")
    assert run("add", text, "--story-id", STORY, "--corpus", corpus_copy)[0] == 0
    meta = read_json(corpus_copy / "documents" / "plain.json")
    assert (meta["title"], meta["published"], meta["source"]) == ("A dateline title", "2024-08-06", "plain.txt")
    assert "url" not in meta  # optional: metadata written before it existed stays valid


@pytest.mark.parametrize("flags, message", [
    (["--published", "2024-13-01"], "--published '2024-13-01' is not an ISO 8601 date"),
    (["--published", "20240806"], "--published '20240806' is not an ISO 8601 date"),  # fromisoformat takes it; the schema does not
    (["--published", "2024-8-6"], "--published '2024-8-6' is not an ISO 8601 date"),
    (["--url", "news.example.org/a"], "--url 'news.example.org/a' is not an absolute URL"),
    (["--url", "https://example.org/a b"], "is not an absolute URL"),
    (["--title", " "], "--title is empty"),
    (["--source", ""], "--source is empty"),
])
def test_a_bad_value_is_one_line_exit_2_and_nothing_written(corpus_copy, tmp_path, flags, message):
    text = tmp_path / "x.txt"
    text.write_text("Body.\n", encoding="utf-8")
    before = tree_bytes(corpus_copy)
    code, out, err = run("add", text, "--story-id", STORY, "--corpus", corpus_copy, *flags)
    assert (code, out) == (2, "") and message in err and err.count("\n") == 1
    assert tree_bytes(corpus_copy) == before


def test_a_title_or_url_names_one_document(corpus_copy, tmp_path):
    files = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for f in files:
        f.write_text("Body.\n", encoding="utf-8")
    before = tree_bytes(corpus_copy)
    code, _, err = run("add", *files, "--story-id", STORY, "--corpus", corpus_copy, "--url", "https://example.org/a")
    assert code == 2 and "--url names one document" in err
    # a date and a source may be shared
    code, _, err = run("add", *files, "--story-id", STORY, "--corpus", corpus_copy, "--published", "2030-01-02",
                       "--source", "Example Wire")
    assert code == 0, err
    assert [read_json(corpus_copy / "documents" / f"{f.stem}.json")["source"] for f in files] == ["Example Wire"] * 2
    assert set(tree_bytes(corpus_copy)) - set(before) == {f"{d}/{n}.{e}" for n in ("a", "b")
                                                           for d, e in (("texts", "txt"), ("documents", "json"), ("annotations", "json"))}


def test_the_schema_refuses_a_url_that_is_not_one(corpus_copy):
    meta_path = sorted((corpus_copy / "documents").glob("*.json"))[0]
    meta = read_json(meta_path)
    meta["url"] = "not a url"
    write_json(meta_path, meta)
    assert "E-SCHEMA" in codes(corpus_copy)


# --- byte-order marks and NUL characters ----------------------------------------------------------

BOM_TEXT = "\ufeffA text saved by an editor that writes a byte-order mark.\n".encode("utf-8")
#: A NUL after non-ASCII text: its code-point offset and its byte offset differ.
NUL_TEXT = "Première ligne.\nDeux\x00ième\x00 ligne.\n".encode("utf-8")


def test_text_controls_locate_the_first_and_count_them():
    bom, = text_controls(BOM_TEXT.decode("utf-8"))
    assert (bom.kind, bom.offset, bom.byte, bom.line) == ("bom", 0, 0, 1)
    nul, = text_controls(NUL_TEXT.decode("utf-8"))
    text = NUL_TEXT.decode("utf-8")
    assert (nul.kind, nul.offset, nul.byte, nul.line, nul.count) == ("nul", text.index("\x00"), NUL_TEXT.index(b"\x00"), 2, 2)
    assert nul.offset != nul.byte
    # U+FEFF after the start is a zero-width no-break space, not a byte-order mark
    assert text_controls("a\ufeffb") == []


@pytest.mark.parametrize("data, flag, what", [
    (BOM_TEXT, "--allow-bom", "a byte-order mark (U+FEFF) at its start (offset 0, bytes 0-2)"),
    (NUL_TEXT, "--allow-nul", "a NUL character (U+0000) at offset 20 (byte 21, line 2), 2 in all"),
])
def test_a_text_with_a_bom_or_nul_is_refused_naming_the_file_and_offset(corpus_copy, tmp_path, monkeypatch, data, flag, what):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "odd.txt").write_bytes(data)
    before = tree_bytes(corpus_copy)
    code, out, err = run("add", "odd.txt", "--story-id", STORY, "--corpus", corpus_copy)
    assert (code, out) == (1, "")
    assert err == f"newsspans add: odd.txt: the text holds {what}; remove it, or pass {flag} to store the text byte for " \
                  "byte with it (nothing was written)\n"
    assert tree_bytes(corpus_copy) == before


@pytest.mark.parametrize("data, flag, code", [(BOM_TEXT, "--allow-bom", "W-TEXT-BOM"), (NUL_TEXT, "--allow-nul", "W-TEXT-NUL")])
def test_with_its_flag_the_text_is_stored_byte_for_byte_with_a_warning_the_validator_repeats(corpus_copy, tmp_path, data, flag, code):
    (tmp_path / "odd.txt").write_bytes(data)
    status, out, err = run("add", tmp_path / "odd.txt", "--story-id", STORY, "--corpus", corpus_copy, flag)
    assert status == 0 and out.startswith("added odd ")
    assert err.startswith("newsspans add: warning: odd: the text holds ") and f"({code})" in err
    assert (corpus_copy / "texts" / "odd.txt").read_bytes() == data
    problems = [p for p in iter_problems(corpus_copy, workers=1) if p.document_id == "odd"]
    assert [(p.code, p.severity, p.file.endswith("texts/odd.txt")) for p in problems] == [(code, "warning", True)]
    assert run("validate", corpus_copy)[0] == 0  # a warning: the corpus still builds


def test_one_flag_does_not_let_the_other_kind_in(corpus_copy, tmp_path):
    (tmp_path / "both.txt").write_bytes(b"\xef\xbb\xbf" + b"a\x00b\n")
    code, _, err = run("add", tmp_path / "both.txt", "--story-id", STORY, "--corpus", corpus_copy, "--allow-bom")
    assert code == 1 and "--allow-nul" in err
    assert not (corpus_copy / "texts" / "both.txt").exists()
    code, _, err = run("add", tmp_path / "both.txt", "--story-id", STORY, "--corpus", corpus_copy, "--allow-bom", "--allow-nul")
    assert code == 0 and "W-TEXT-BOM" in err and "W-TEXT-NUL" in err


def test_a_utf16_text_is_named_as_such(corpus_copy, tmp_path):
    (tmp_path / "wide.txt").write_bytes("Hello".encode("utf-16"))
    code, _, err = run("add", tmp_path / "wide.txt", "--story-id", STORY, "--corpus", corpus_copy)
    assert code == 1 and "UTF-16 byte-order mark" in err
