"""``validate`` and ``build`` read a packed corpus as they read its folder (issue 15): the same
problems with the same codes, located at the shard and line (and the document), and the same
release byte for byte; from a path, a ``file://`` URL or any fsspec filesystem (``memory://`` here)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import fsspec
import pytest
from helpers import CORPUS, document_ids, gold_only, read_json, run, tree_bytes, write_json

from newsspans import build
from newsspans.corpus import iter_documents, pack, read_manifest
from newsspans.dataset import BuildError
from newsspans.validation import CorpusInvalid, iter_problems

from test_agreement_release import add_layers, every_other_entity, same


def problems_of(corpus) -> list:
    return list(iter_problems(corpus, workers=1))


def located(problem) -> tuple:
    """A problem without its file: what must agree between the two forms."""
    return (problem.code, problem.severity, problem.message, problem.line, problem.document_id, problem.item)


def shard_line_of(packed: Path, doc_id: str) -> tuple[str, int]:
    for shard in read_manifest(packed)["shards"]:
        ids = [json.loads(line)["id"] for line in (packed / shard["file"]).read_text(encoding="utf-8").splitlines()]
        if doc_id in ids:
            return shard["file"], ids.index(doc_id) + 1
    raise AssertionError(doc_id)


@pytest.fixture
def broken(corpus_copy):
    """The project's corpus with a span moved off its text in one document, and a layer."""
    add_layers(gold_only(corpus_copy), {"model-a": every_other_entity})
    doc_id = document_ids(corpus_copy)[-1]
    path = corpus_copy / "annotations" / f"{doc_id}.json"
    value = read_json(path)
    value["entities"][0]["start"] += 1
    write_json(path, value)
    return corpus_copy, doc_id


def test_a_packed_corpus_has_the_problems_of_its_folder_located_by_shard_and_line(broken, tmp_path):
    corpus, doc_id = broken
    pack(corpus=corpus, out=tmp_path / "p", shard_bytes=1)  # one document per shard
    folder, packed = problems_of(corpus), problems_of(tmp_path / "p")
    assert [located(p) for p in packed] == [located(p) for p in folder]
    assert any(p.code == "E-SPAN-TEXT" for p in packed)
    shard, line = shard_line_of(tmp_path / "p", doc_id)
    span = next(p for p in packed if p.code == "E-SPAN-TEXT")
    assert span.file.endswith(f"{shard}:{line}[annotations/{doc_id}.json]")
    assert span.document_id == doc_id


def test_the_cli_reports_a_packed_corpus_with_the_same_lines_but_the_location(broken, tmp_path):
    corpus, doc_id = broken
    pack(corpus=corpus, out=tmp_path / "p")
    code_f, out_f, _ = run("validate", "--corpus", str(corpus))
    code_p, out_p, _ = run("validate", "--corpus", str(tmp_path / "p"))
    assert code_f == code_p == 1
    strip = lambda out: [re.sub(r"^\S+?\.(json|txt)(:\d+)*:|^\S+\](:\d+)*:", "", line) for line in out.splitlines()]  # noqa: E731
    assert strip(out_p) == strip(out_f)
    assert f"shard-00000.jsonl:{shard_line_of(tmp_path / 'p', doc_id)[1]}[annotations/{doc_id}.json]" in out_p


@pytest.mark.parametrize("shard_bytes", [1, 5_000, 10**9])
def test_a_packed_corpus_builds_the_folders_release_byte_for_byte(corpus_copy, tmp_path, shard_bytes):
    add_layers(gold_only(corpus_copy), {"model-a": same, "model-b": every_other_entity})  # agreement, measured in the pass
    build(corpus=corpus_copy, out=tmp_path / "from-folder", workers=1)
    pack(corpus=corpus_copy, out=tmp_path / "p", shard_bytes=shard_bytes)
    build(corpus=tmp_path / "p", out=tmp_path / "from-packed", workers=2)
    assert tree_bytes(tmp_path / "from-packed") == tree_bytes(tmp_path / "from-folder")
    assert (tmp_path / "from-folder" / "agreement").is_dir()


def test_the_committed_release_is_what_the_packed_corpus_builds(tmp_path):
    pack(corpus=CORPUS, out=tmp_path / "p")
    build(corpus=tmp_path / "p", out=tmp_path / "data")
    assert tree_bytes(tmp_path / "data") == tree_bytes(CORPUS.parent / "data")


def test_a_damaged_shard_is_an_e_packed_problem_at_its_line_and_the_build_refuses(corpus_copy, tmp_path):
    pack(corpus=corpus_copy, out=tmp_path / "p", shard_bytes=1)
    shard = tmp_path / "p" / "shard-00000.jsonl"
    shard.write_bytes(shard.read_bytes().replace(b'"files":{', b'"files":{"x":1,', 1))
    found = problems_of(tmp_path / "p")
    assert [(p.code, p.line) for p in found if p.code == "E-PACKED"] == [("E-PACKED", 1)]
    assert found[0].file.endswith("shard-00000.jsonl")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "manifest.json").write_text("{}", encoding="utf-8")
    before = tree_bytes(tmp_path / "data")
    with pytest.raises(CorpusInvalid) as exc:
        build(corpus=tmp_path / "p", out=tmp_path / "data")
    assert any(p.code == "E-PACKED" for p in exc.value.problems)
    assert tree_bytes(tmp_path / "data") == before


def test_a_shard_changed_after_packing_is_caught_by_its_digest_and_still_checked(corpus_copy, tmp_path):
    pack(corpus=corpus_copy, out=tmp_path / "p")
    shard = tmp_path / "p" / "shard-00000.jsonl"
    doc_id = document_ids(corpus_copy)[0]
    line = json.loads(shard.read_bytes().splitlines()[0])
    text = line["files"][f"texts/{doc_id}.txt"]
    line["files"][f"texts/{doc_id}.txt"] = text.upper()  # a text edited in the shard, the manifest untouched
    rest = shard.read_bytes().split(b"\n", 1)[1]
    shard.write_bytes(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n" + rest)
    found = problems_of(tmp_path / "p")
    assert [p.file.endswith("shard-00000.jsonl") for p in found if p.code == "E-PACKED"] == [True]
    assert any(p.code == "E-TEXT-SHA256" and p.document_id == doc_id for p in found)


def test_a_packed_corpus_missing_its_registry_or_manifest_is_reported(corpus_copy, tmp_path):
    pack(corpus=corpus_copy, out=tmp_path / "p")
    manifest = read_json(tmp_path / "p" / "packed.json")
    manifest["files"].remove("registry.json")
    write_json(tmp_path / "p" / "packed.json", manifest)
    assert [p.code for p in problems_of(tmp_path / "p")] == ["E-FILE-MISSING"]
    (tmp_path / "p" / "packed.json").write_text("{", encoding="utf-8")
    found = problems_of(tmp_path / "p")
    assert [p.code for p in found] == ["E-PACKED"] and found[0].file.endswith("packed.json")


def test_a_file_url_and_an_fsspec_filesystem_read_the_same(corpus_copy, tmp_path):
    pack(corpus=corpus_copy, out=tmp_path / "p", shard_bytes=1)
    expected = [located(p) for p in problems_of(tmp_path / "p")]
    assert [located(p) for p in problems_of((tmp_path / "p").as_uri())] == expected
    memory = fsspec.filesystem("memory")
    for path in (tmp_path / "p").iterdir():
        memory.pipe(f"/packed-test/{path.name}", path.read_bytes())
    try:
        assert [located(p) for p in problems_of("memory://packed-test")] == expected
        ids = [doc_id for doc_id, _ in iter_documents("memory://packed-test")]
        assert ids == document_ids(corpus_copy)
        build(corpus="memory://packed-test", out=tmp_path / "from-memory", workers=1)
    finally:
        memory.rm("/packed-test", recursive=True)
    build(corpus=tmp_path / "p", out=tmp_path / "from-path", workers=1)
    assert tree_bytes(tmp_path / "from-memory") == tree_bytes(tmp_path / "from-path")
    code, out, err = run("build", "--corpus", (tmp_path / "p").as_uri(), "--out", str(tmp_path / "from-url"))
    assert code == 0, err
    assert tree_bytes(tmp_path / "from-url") == tree_bytes(tmp_path / "from-path")


def test_a_manifest_changed_during_the_build_refuses_it(corpus_copy, tmp_path, monkeypatch):
    from newsspans.dataset import _build

    pack(corpus=corpus_copy, out=tmp_path / "p")
    real = _build._write_card_and_manifest

    def meddle(dest, stats):
        manifest = read_json(tmp_path / "p" / "packed.json")
        manifest["folders"].append("decisions")
        write_json(tmp_path / "p" / "packed.json", manifest)
        real(dest, stats)

    monkeypatch.setattr(_build, "_write_card_and_manifest", meddle)
    with pytest.raises(BuildError, match="packed.json changed while the build read"):
        build(corpus=tmp_path / "p", out=tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_folded_digests_merge_chunks_into_one_sorted_digest_whatever_the_chunking():
    """A packed corpus keeps its document files' digests compressed per chunk; the lines merge in
    path order even where it is not id order ("a-b.txt" sorts before "a.txt", "a" before "a-b")."""
    import hashlib

    from newsspans.validation._digests import FoldedDigests

    files = {f"{folder}/{doc}.{ext}": hashlib.sha256(f"{folder}{doc}".encode()).hexdigest()
             for doc in ("a", "a-b", "a-c", "b", "b0") for folder, ext in (("texts", "txt"), ("annotations", "json"))}
    expected = "".join(f"{p}\t{d}\n" for p, d in sorted(files.items()))
    by_doc = [{p: d for p, d in files.items() if p.split("/")[1].rsplit(".", 1)[0] == doc} for doc in ("a", "a-b", "a-c", "b", "b0")]
    for cut in range(1, 5):
        folded = FoldedDigests()
        folded.add({p: d for chunk in by_doc[:cut] for p, d in chunk.items()})
        folded.add({p: d for chunk in by_doc[cut:] for p, d in chunk.items()})
        assert "".join(folded.lines()) == expected
        assert folded.counts["texts"] == 5
