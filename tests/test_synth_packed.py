"""The synthetic corpus written packed (``_synth.write_synthetic_packed``, for the cluster
benchmark at a million documents) is ``newsspans pack`` of the synthetic corpus folder, byte for
byte, without a per-document file ever being written."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import tree_bytes

from newsspans._synth import write_synthetic_corpus, write_synthetic_packed
from newsspans.corpus import pack, read_manifest
from newsspans.errors import BadInput

DOCS = 60
SHARD_BYTES = 40_000  # a synthetic document's line is about 6 kB: several shards, several documents each


@pytest.mark.parametrize("options", [{}, {"registry_size": 25, "seed": 7}])
def test_write_synthetic_packed_is_pack_of_the_synthetic_folder(tmp_path, options):
    folder = write_synthetic_corpus(tmp_path / "folder", docs=DOCS, **options)
    pack(corpus=folder, out=tmp_path / "packed", shard_bytes=SHARD_BYTES)
    direct = write_synthetic_packed(tmp_path / "direct", docs=DOCS, shard_bytes=SHARD_BYTES, **options)
    assert direct == tmp_path / "direct"
    expected = tree_bytes(tmp_path / "packed")
    assert tree_bytes(direct) == expected
    assert sorted(p.name for p in direct.iterdir()) == sorted(expected)  # no folder, no leftover besides the files
    manifest = read_manifest(direct)
    assert manifest["documents"] == DOCS
    assert len(manifest["shards"]) >= 4
    assert all(s["documents"] > 1 for s in manifest["shards"][:-1])


def test_write_synthetic_packed_refuses_an_output_that_is_not_new(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BadInput, match="not an empty folder"):
        write_synthetic_packed(out, docs=3)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    with pytest.raises(BadInput, match="at least 1"):
        write_synthetic_packed(tmp_path / "other", docs=3, shard_bytes=0)
    assert not Path(tmp_path / "other").exists()
