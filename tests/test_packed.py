"""The packed corpus (issue 15): ``newsspans pack`` and ``unpack`` give the corpus folder back byte
for byte, whatever it holds (layers, decisions, suggestions, empty folders, bytes that are not
UTF-8), cut shards as a pure function of the lines, and refuse what they cannot carry exactly."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import CORPUS, document_ids, run, tree_bytes

from newsspans.corpus import MANIFEST, iter_documents, pack, read_manifest, unpack
from newsspans.errors import NewsSpansError


def folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def round_trip(corpus: Path, tmp_path: Path, **options) -> Path:
    pack(corpus=corpus, out=tmp_path / "packed", **options)
    unpack(packed=tmp_path / "packed", out=tmp_path / "back")
    assert tree_bytes(tmp_path / "back") == tree_bytes(corpus)
    assert folders(tmp_path / "back") == folders(corpus)
    return tmp_path / "packed"


def test_the_project_corpus_round_trips_byte_for_byte(corpus_copy, tmp_path):
    packed = round_trip(corpus_copy, tmp_path)
    manifest = read_manifest(packed)
    assert manifest["documents"] == len(document_ids(corpus_copy))
    ids = [doc_id for doc_id, _ in iter_documents(packed)]
    assert ids == document_ids(corpus_copy)
    for name in ("dataset.json", "registry.json"):
        assert (packed / name).read_bytes() == (corpus_copy / name).read_bytes()


def test_shards_are_cut_before_the_bound_and_recorded_with_their_digest(corpus_copy, tmp_path):
    packed = round_trip(corpus_copy, tmp_path, shard_bytes=1)  # each shard holds one document, never none
    shards = read_manifest(packed)["shards"]
    assert [s["documents"] for s in shards] == [1] * len(document_ids(corpus_copy))
    for s in shards:
        data = (packed / s["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == s["sha256"] and len(data) == s["bytes"]
        assert json.loads(data)["id"] == s["first"] == s["last"]
    again = tmp_path / "again"
    pack(corpus=corpus_copy, out=again, shard_bytes=1)
    assert tree_bytes(again) == tree_bytes(packed)  # deterministic


def test_bytes_that_are_not_utf8_empty_folders_and_odd_ids_survive(corpus_copy, tmp_path):
    doc_id = document_ids(corpus_copy)[0]
    (corpus_copy / "texts" / "Odd.id-1.txt").write_bytes(b"caf\xe9 \r\n\xef\xbb\xbf\x00 end")  # Latin-1, CRLF, BOM, NUL
    (corpus_copy / "layers" / "empty-annotator").mkdir(parents=True)
    (corpus_copy / "suggestions").mkdir(exist_ok=True)
    (corpus_copy / "decisions" / f"{doc_id}.jsonl").write_bytes(b"")
    round_trip(corpus_copy, tmp_path)


@pytest.mark.parametrize("make, names", [
    (lambda c: (c / "notes.md").write_text("x"), "notes.md"),
    (lambda c: (c / "texts" / "a.txt.bak").write_text("x"), "texts/a.txt.bak"),
    (lambda c: os.symlink(c / "registry.json", c / "texts" / "link.txt"), "texts/link.txt"),
    (lambda c: (c / ".newsspans-journal.json").write_text("{}"), ".newsspans-journal.json"),
    (lambda c: (c / "extra").mkdir(), "extra/"),
])
def test_what_a_corpus_does_not_hold_is_refused_by_name_and_nothing_is_written(corpus_copy, tmp_path, make, names):
    make(corpus_copy)
    code, out, err = run("pack", "--corpus", corpus_copy, "--out", tmp_path / "packed")
    assert code == 2 and names in err and err.count("\n") == 1
    assert not (tmp_path / "packed").exists()


def test_an_output_that_is_not_new_is_refused(corpus_copy, tmp_path):
    (tmp_path / "packed").mkdir()
    (tmp_path / "packed" / "keep.txt").write_text("mine")
    code, out, err = run("pack", "--corpus", corpus_copy, "--out", tmp_path / "packed")
    assert code == 2 and "not an empty folder" in err and (tmp_path / "packed" / "keep.txt").read_text() == "mine"
    packed = tmp_path / "p2"
    assert run("pack", "--corpus", corpus_copy, "--out", packed)[0] == 0
    code, out, err = run("unpack", "--corpus", packed, "--out", tmp_path / "packed")
    assert code == 2 and "not an empty folder" in err


def test_a_damaged_shard_is_refused_naming_it_and_its_line(corpus_copy, tmp_path):
    packed = tmp_path / "packed"
    pack(corpus=corpus_copy, out=packed)
    shard = packed / read_manifest(packed)["shards"][0]["file"]
    data = shard.read_bytes()
    first_text = json.loads(data.split(b"\n")[0])["files"]
    word = next(v for k, v in first_text.items() if k.startswith("texts/")).split()[0].encode("utf-8")
    shard.write_bytes(data.replace(word, word[::-1] + b"x", 1))  # still a document line: only the digest tells
    with pytest.raises(NewsSpansError, match="its SHA-256 or its [0-9]+ line"):
        unpack(packed=packed, out=tmp_path / "back")
    assert not (tmp_path / "back").exists()
    shard.write_bytes(data.replace(b"texts/", b"TEXTS/", 1))
    # A line that is not as pack writes it is refused at its shard and line.
    manifest = read_manifest(packed)
    manifest["shards"][0]["sha256"] = hashlib.sha256(shard.read_bytes()).hexdigest()
    (packed / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    code, out, err = run("unpack", "--corpus", packed, "--out", tmp_path / "back")
    assert code == 1 and f"{shard}:1: 'TEXTS/" in err and "is not a file of document" in err
    assert not (tmp_path / "back").exists()


def test_the_commands_say_what_they_did(corpus_copy, tmp_path):
    code, out, err = run("pack", "--corpus", corpus_copy, "--out", tmp_path / "packed", "--shard-bytes", "1")
    n = len(document_ids(corpus_copy))
    assert code == 0 and f"packed {n} document(s)" in out and f"{n} shard(s)" in out
    code, out, err = run("unpack", "--corpus", tmp_path / "packed", "--out", tmp_path / "back")
    assert code == 0 and f"unpacked {n} document(s)" in out
    code, out, err = run("unpack", "--corpus", tmp_path / "nothing", "--out", tmp_path / "b2")
    assert code == 2 and "is not a packed corpus" in err
    shutil.rmtree(tmp_path / "back")
