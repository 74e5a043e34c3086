"""Scale: the synthetic corpus, parallel checking and building, streaming Parquet output.

Speed itself is measured by scripts/benchmark.py (figures in docs/performance.md), not here."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import read_json, tree_bytes, write_json

import newsspans.validation._parallel as corpus_module
from newsspans.dataset import build
from newsspans.cli import main
from newsspans.validation import iter_problems
from newsspans.dataset import FEATURES
from newsspans.dataset._parquet import ShardedWriter
from newsspans._synth import write_synthetic_corpus


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return write_synthetic_corpus(tmp_path_factory.mktemp("synth") / "corpus", docs=40, registry_size=30)


def test_the_synthetic_corpus_is_valid_realistic_and_deterministic(synthetic, tmp_path):
    assert list(iter_problems(synthetic, workers=1)) == []
    again = write_synthetic_corpus(tmp_path / "again", docs=40, registry_size=30)
    assert tree_bytes(again) == tree_bytes(synthetic)
    texts = [p.read_text(encoding="utf-8") for p in sorted((synthetic / "texts").glob("*.txt"))]
    assert all(1_400 <= len(t) <= 2_600 for t in texts)
    assert any("“" in t for t in texts) and any('"' in t for t in texts) and any("ü" in t for t in texts)
    anns = [read_json(p) for p in sorted((synthetic / "annotations").glob("*.json"))]
    per_doc = {layer: sum(len(a[layer]) for a in anns) / len(anns) for layer in ("entities", "quotes", "claims")}
    assert 6 <= per_doc["entities"] <= 16 and 1 <= per_doc["quotes"] <= 3 and 2 <= per_doc["claims"] <= 4.5


@pytest.fixture
def small_chunks(monkeypatch):
    """Make a 40-document corpus take the parallel path, in chunks of 7 documents."""
    monkeypatch.setattr(corpus_module, "PARALLEL_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(corpus_module, "CHUNK_DOCUMENTS", 7)


def test_a_parallel_build_is_byte_identical_to_a_serial_one(synthetic, tmp_path, small_chunks):
    build(corpus=synthetic, out=tmp_path / "serial", workers=1)
    build(corpus=synthetic, out=tmp_path / "parallel", workers=2)
    assert tree_bytes(tmp_path / "serial") == tree_bytes(tmp_path / "parallel")


def test_parallel_validation_reports_the_same_problems_in_the_same_order(synthetic, tmp_path, small_chunks):
    import shutil

    broken = tmp_path / "corpus"
    shutil.copytree(synthetic, broken)
    for name in ("syn03", "syn17", "syn38"):
        path = broken / "annotations" / f"{name}.json"
        ann = read_json(path)
        ann["entities"][0]["start"] += 1
        ann["quotes"][0]["cluster_id"] = "only-here"
        write_json(path, ann)
    serial = list(iter_problems(broken, workers=1))
    parallel = list(iter_problems(broken, workers=2))
    assert parallel == serial
    assert [p.code for p in serial].count("E-SPAN-TEXT") == 3
    out1, out2 = io.StringIO(), io.StringIO()
    assert main(["validate", "--corpus", str(broken), "--workers", "1"], stdout=out1) == 1
    assert main(["validate", "--corpus", str(broken), "--workers", "2"], stdout=out2) == 1
    assert out1.getvalue() == out2.getvalue()


def test_row_groups_do_not_depend_on_how_rows_arrive(tmp_path):
    rows = [{"entity_id": f"e{i}", "name": f"N{i}", "type": i % 18, "aliases": [f"N{i}"], "wikidata": None} for i in range(95)]
    one = ShardedWriter(tmp_path / "a", "train", FEATURES["registry"], row_group_rows=10, shard_rows=40)
    one.add(rows)
    many = ShardedWriter(tmp_path / "b", "train", FEATURES["registry"], row_group_rows=10, shard_rows=40)
    for i in range(0, 95, 13):
        many.add_table(pa.Table.from_pylist(rows[i:i + 13], schema=FEATURES["registry"].arrow_schema))
    assert [p.name for p in one.close()] == [p.name for p in many.close()] == [f"train-0000{i}-of-00003.parquet" for i in range(3)]
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    meta = pq.ParquetFile(tmp_path / "a" / "train-00000-of-00003.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [10, 10, 10, 10]
    assert pq.read_table(tmp_path / "a").to_pylist() == rows


def test_a_subset_of_configs_builds_a_loadable_card(synthetic, tmp_path):
    result = build(corpus=synthetic, out=tmp_path / "core", configs=["documents", "entities"], workers=1)
    assert sorted(p.name for p in (tmp_path / "core").iterdir()) == ["README.md", "croissant.json", "documents", "entities", "manifest.json"]
    card = (tmp_path / "core" / "README.md").read_text(encoding="utf-8")
    assert "config_name: tokens" not in card and "config_name: entities" in card
    assert set(json.loads((tmp_path / "core" / "manifest.json").read_text(encoding="utf-8"))["counts"]) == {"documents", "entities"}
    assert result.stats.total("entities") == sum(len(read_json(p)["entities"]) for p in (synthetic / "annotations").glob("*.json"))
