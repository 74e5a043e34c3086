"""The benchmark's comparisons are like with like: the peers and the limit of
``scripts/benchmark.py`` write the floor's rows (nulls, group ids and batch boundaries included),
its row check names a config that differs, the peers refuse what they claim to check, and the
commands mode's derived corpora hold the changes and problems it says. No time is measured here."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from helpers import ROOT

from newsspans._synth import write_synthetic_corpus
from newsspans.cli import main
from newsspans.corpus import dumps_canonical

sys.path.insert(0, str(ROOT / "scripts"))
import _bench_check  # noqa: E402
import _bench_commands  # noqa: E402
import _bench_limit  # noqa: E402
import _bench_peers  # noqa: E402

DOCS = 23


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dumps_canonical(data), encoding="utf-8")


def _unusual(ann: dict) -> None:
    """A quote without speaker or cue, in a group and a cluster: nulls and ids the synthetic
    documents do not have."""
    quote = ann["quotes"][0]
    quote.update(speaker=None, cue=None, speaker_entity_id=None, group_id="g1", cluster_id="talks-2026")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bench")
    corpus = write_synthetic_corpus(root / "corpus", docs=DOCS)
    _edit(corpus / "annotations" / "syn05.json", _unusual)
    _bench_peers.write_schemas(root / "schemas")
    return corpus


def _run(stage, corpus: Path, name: str) -> Path:
    out = corpus.parent / f"out-{name}"
    shutil.rmtree(out, ignore_errors=True)
    stage(corpus, out)
    return out


def test_the_peers_and_the_limit_write_the_floors_rows(corpus, monkeypatch):
    monkeypatch.setattr(_bench_limit, "BATCH", 5)  # several batches, the last one short
    monkeypatch.setattr(_bench_peers, "BATCH", 4)
    floor = _run(_bench_peers.stage_floor, corpus, "floor")
    assert pq.read_table(floor / "documents.parquet").num_rows == DOCS
    quotes = pq.read_table(floor / "quotes.parquet")
    assert quotes.column("cue").null_count == 1 and "syn05:g1" in quotes.column("group_id").to_pylist()
    for name, stage in (("arrow-peer", _bench_peers.stage_arrow_peer), ("limit", _bench_limit.stage_limit),
                        ("naive-fastjsonschema", _bench_peers.stage_naive_fastjsonschema)):
        out = _run(stage, corpus, name)
        assert _bench_check.differences(floor, out, _bench_peers.CORE) == [], name


def test_the_row_check_names_what_differs(corpus):
    floor = _run(_bench_peers.stage_floor, corpus, "floor")
    other = corpus.parent / "out-changed"
    shutil.rmtree(other, ignore_errors=True)
    shutil.copytree(floor, other)
    table = pq.read_table(other / "claims.parquet")
    labels = table.column("label")
    table = table.set_column(table.schema.get_field_index("label"), "label",
                             pc.if_else(pc.equal(pa.array(range(len(table))), 3), pc.subtract(1, labels), labels))
    pq.write_table(table, other / "claims.parquet")
    assert _bench_check.differences(floor, other, _bench_peers.CORE) == ["claims (columns label)"]


@pytest.mark.parametrize("stage", [_bench_peers.stage_arrow_peer, _bench_peers.stage_naive_fastjsonschema])
@pytest.mark.parametrize("damage", ["span", "schema"])
def test_the_peers_refuse_what_they_check(corpus, stage, damage):
    bad = corpus.parent / f"bad-{damage}"
    shutil.rmtree(bad, ignore_errors=True)
    shutil.copytree(corpus, bad)

    def spoil(ann):
        if damage == "span":
            ann["claims"][-1]["text"] = ann["claims"][-1]["text"][:-1] + "#"
        else:
            ann["entities"][0]["id"] = "m01"

    _edit(bad / "annotations" / "syn17.json", spoil)
    with pytest.raises(SystemExit, match="syn17"):
        stage(bad, bad.parent / f"out-{damage}")


def _validate(corpus: Path) -> tuple[int, dict]:
    out = io.StringIO()
    code = main(["validate", "--corpus", str(corpus), "--format", "json", "--workers", "1"], stdout=out, stderr=io.StringIO())
    return code, json.loads(out.getvalue())["counts"]


def test_the_commands_corpora_hold_their_changes_and_problems(corpus):
    new, bad = _bench_commands.derived(corpus, "new", DOCS), _bench_commands.derived(corpus, "bad", DOCS)
    changed = len(range(0, DOCS, 10))
    code, before = _validate(corpus)  # the module's corpus has two warnings of its own (_unusual)
    assert code == 0 and not any(c.startswith("E-") for c in before)
    assert _validate(new) == (0, before)
    assert _validate(bad) == (1, {**before, "E-SPAN-TEXT": changed, "W-REG-UNUSED": DOCS * 8 // 10})
    out = io.StringIO()
    assert main(["diff", str(corpus), str(new), "--format", "json"], stdout=out, stderr=io.StringIO()) == 0
    found = json.loads(out.getvalue())
    ids = sorted(p.stem for p in (corpus / "annotations").glob("*.json"))
    assert {a["document_id"] for a in found["annotations"]} == set(ids[::10])
    assert found["summary"]["claims"]["changed"] == changed and found["summary"]["claims"]["removed"] >= 1
