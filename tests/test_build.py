"""``newsspans build``: reproducible, all or nothing, stable ids, stable splits."""

from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq
import pytest
from helpers import (CORPUS, DATA, layer_counts, metadata_of, read_json, registry_rows_expected, registry_rows_released,
                     split_of_document, tree_bytes, write_json)

from newsspans import build, check
from newsspans.dataset import BuildError
from newsspans.dataset import CONFIGS, FEATURES
from newsspans.validation import CorpusInvalid
from newsspans.dataset import SPLITS, split_of

DOC = "000_1936301ef05f6424"  # a seed document: its text and its story never change
OTHER = "004_30159cef070f4760"  # the other seed, of the same story


def test_committed_data_equals_a_fresh_build():
    result = check(corpus=CORPUS, out=DATA)
    assert result.stale == [], (
        "data/ is stale; run `newsspans build` and commit data/ "
        f"(built with {result.committed_with}, now {result.current})")


def test_two_builds_are_byte_identical(tmp_path):
    build(corpus=CORPUS, out=tmp_path / "a")
    build(corpus=CORPUS, out=tmp_path / "b")
    a, b = tree_bytes(tmp_path / "a"), tree_bytes(tmp_path / "b")
    assert a == b
    assert "data.py" not in {p.rsplit("/", 1)[-1] for p in a}


def test_an_invalid_span_fails_the_build_and_leaves_the_output_untouched(corpus_copy, tmp_path):
    out = tmp_path / "data"
    build(corpus=corpus_copy, out=out)
    before = tree_bytes(out)
    ann_file = corpus_copy / "annotations" / f"{DOC}.json"
    ann = read_json(ann_file)
    ann["entities"][3]["end"] += 2
    ann["claims"][0]["text"] = "changed"
    write_json(ann_file, ann)
    with pytest.raises(CorpusInvalid) as info:
        build(corpus=corpus_copy, out=out)
    located = {(p.file.rsplit("/", 1)[-1], p.item, p.start, p.end) for p in info.value.problems}
    m, c = ann["entities"][3], ann["claims"][0]
    assert located == {(f"{DOC}.json", "entities[3]", m["start"], m["end"]),
                       (f"{DOC}.json", "claims[0]", c["start"], c["end"])}
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "data"]  # no temporary left behind


def test_the_build_refuses_to_replace_a_folder_that_is_not_a_release(tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BuildError, match="not a NewsSpans release"):
        build(corpus=CORPUS, out=out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_check_lists_the_stale_files(corpus_copy, tmp_path):
    out = tmp_path / "data"
    build(corpus=corpus_copy, out=out)
    assert check(corpus=corpus_copy, out=out).stale == []
    (out / "registry" / "extra.txt").write_text("x", encoding="utf-8")
    ann_file = corpus_copy / "annotations" / f"{DOC}.json"
    ann = read_json(ann_file)
    ann["claims"][0]["label"] = "UFS" if ann["claims"][0]["label"] == "CFS" else "CFS"
    write_json(ann_file, ann)
    stale = check(corpus=corpus_copy, out=out).stale
    split = split_of_document(corpus_copy)[DOC]
    shards = {config: [p.relative_to(out).as_posix() for p in sorted((out / config).glob("*.parquet"))]
              for config in ("claims", "documents", "registry")}
    doc_shards = {config: [p for p in files if p.startswith(f"{config}/{split}-")] for config, files in shards.items()}
    assert "README.md (differs)" in stale
    assert any(f"{p} (differs)" in stale for p in doc_shards["claims"])
    assert any(f"{p} (differs)" in stale for p in doc_shards["documents"])
    assert "registry/extra.txt (not produced by the build)" in stale
    assert shards["registry"] and not any(f"{p} (differs)" in stale for p in shards["registry"])
    other_splits = [p for config in ("claims", "documents") for p in shards[config] if p not in doc_shards[config]]
    assert not any(f"{p} (differs)" in stale for p in other_splits)  # other splits' files are unchanged


def test_manifest_lists_every_file_with_its_hash_and_the_counts():
    manifest = read_json(DATA / "manifest.json")
    files = {f["path"]: f for f in manifest["files"]}
    on_disk = tree_bytes(DATA)
    assert set(files) == set(on_disk) - {"manifest.json"}
    import hashlib
    for path, data in on_disk.items():
        if path != "manifest.json":
            assert files[path] == {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert manifest["version"] == read_json(CORPUS / "dataset.json")["version"]
    entities = sum(len(read_json(p)["entities"]) for p in (CORPUS / "annotations").glob("*.json"))
    assert sum(manifest["counts"]["entities"].values()) == entities
    assert set(manifest["counts"]) == set(CONFIGS)


def test_parquet_files_embed_the_features():
    from datasets import Features

    for config in CONFIGS:
        for path in sorted((DATA / config).glob("*.parquet")):
            schema = pq.read_schema(path)
            embedded = json.loads(schema.metadata[b"huggingface"])["info"]["features"]
            assert Features.from_dict(embedded) == FEATURES[config]


def _ids(out, config):
    return {r["id"]: r for r in pq.read_table(out / config).to_pylist()} if config != "registry" else None


def test_editing_one_annotation_changes_no_other_id(corpus_copy, tmp_path):
    build(corpus=corpus_copy, out=tmp_path / "before")
    ann_file = corpus_copy / "annotations" / f"{DOC}.json"
    ann = read_json(ann_file)
    removed = ann["entities"].pop(5)
    k = next(k for k, m in enumerate(ann["entities"]) if k > 5 and m["entity_id"] is None)
    ann["entities"][k]["label"] = "QUANTITY" if ann["entities"][k]["label"] != "QUANTITY" else "CARDINAL"
    edited = ann["entities"][k]["id"]
    write_json(ann_file, ann)
    build(corpus=corpus_copy, out=tmp_path / "after")
    before, after = _ids(tmp_path / "before", "entities"), _ids(tmp_path / "after", "entities")
    assert set(before) - set(after) == {f"{DOC}:{removed['id']}"}
    for gid, row in after.items():
        if gid != f"{DOC}:{edited}":
            assert before[gid] == row
    assert before[f"{DOC}:{edited}"]["label"] != after[f"{DOC}:{edited}"]["label"]
    # The registry was not touched: the registry config still holds every entity of registry.json, field by field.
    expected = registry_rows_expected(corpus_copy)
    assert registry_rows_released(tmp_path / "before") == registry_rows_released(tmp_path / "after") == expected


def test_the_registry_config_holds_every_registry_entity_with_its_fields():
    rows = registry_rows_released(DATA)
    expected = registry_rows_expected(CORPUS)
    assert len(rows) == len(read_json(CORPUS / "registry.json")["entities"]) > 0
    assert rows == expected
    assert [r["entity_id"] for r in rows] == sorted({r["entity_id"] for r in rows})  # one row per entity, by id


def test_split_depends_on_the_story_alone():
    assert {split_of(f"story-{i}") for i in range(300)} == set(SPLITS)
    assert split_of("2024-08-06-shoigu-meets-pezeshkian-in-tehran") == "train"
    counts = {s: 0 for s in SPLITS}
    for i in range(10_000):
        counts[split_of(f"story-{i}")] += 1
    assert 7_700 < counts["train"] < 8_300 and 800 < counts["test"] < 1_200


def test_documents_of_one_story_share_a_split(corpus_copy, tmp_path):
    # Give the second seed its own story: it moves only if its story hashes elsewhere.
    metas = metadata_of(corpus_copy)
    assert metas[DOC]["story_id"] == metas[OTHER]["story_id"]
    home = split_of(metas[DOC]["story_id"])
    away = next(s for s in SPLITS if s != home)
    meta_file = corpus_copy / "documents" / f"{OTHER}.json"
    meta = read_json(meta_file)
    meta["story_id"] = next(s for s in (f"other-story-{i}" for i in range(100)) if split_of(s) == away)
    write_json(meta_file, meta)
    build(corpus=corpus_copy, out=tmp_path / "d")
    docs = {s: sorted(r["id"] for p in sorted((tmp_path / "d" / "documents").glob(f"{s}-*.parquet"))
                      for r in pq.read_table(p).to_pylist()) for s in SPLITS}
    expected = {s: sorted(d for d, split in split_of_document(corpus_copy).items() if split == s) for s in SPLITS}
    assert OTHER in expected[away] and DOC in expected[home] and OTHER not in expected[home]
    assert docs == expected  # each document in its story's split, whatever else the corpus holds
    card = (tmp_path / "d" / "README.md").read_text(encoding="utf-8")
    for s in SPLITS:
        assert (f"split: {s}" in card) == bool(expected[s]), s


def test_a_corpus_without_quotes_is_refused_with_a_reason(corpus_copy, tmp_path):
    for path in (corpus_copy / "annotations").glob("*.json"):
        ann = read_json(path)
        ann["quotes"] = []
        write_json(path, ann)
    with pytest.raises(BuildError, match="quotes would have no rows"):
        build(corpus=corpus_copy, out=tmp_path / "d")
    assert not (tmp_path / "d").exists()


def test_sharding_keeps_every_row(corpus_copy, tmp_path, monkeypatch):
    import importlib

    build_module = importlib.import_module("newsspans.dataset._build")

    monkeypatch.setitem(build_module.SHARD_ROWS, "entities", 40)
    monkeypatch.setitem(build_module.ROW_GROUP_ROWS, "entities", 20)
    build(corpus=corpus_copy, out=tmp_path / "d")
    shards = sorted(p.name for p in (tmp_path / "d" / "entities").iterdir())
    per_split: dict[str, int] = {}
    for doc_id, split in split_of_document(corpus_copy).items():
        per_split[split] = per_split.get(split, 0) + len(read_json(corpus_copy / "annotations" / f"{doc_id}.json")["entities"])
    expected = []
    for split, rows in per_split.items():
        n = -(-rows // 40)
        expected += [f"{split}-{i:05d}-of-{n:05d}.parquet" for i in range(n)] if rows else []
    assert shards == sorted(expected)
    assert max(-(-rows // 40) for rows in per_split.values()) > 1  # the limit did split a shard
    assert pq.read_table(tmp_path / "d" / "entities").num_rows == layer_counts(corpus_copy)["entities"]
    shutil.rmtree(tmp_path / "d")
