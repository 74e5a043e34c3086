"""Helpers of ``newsspans.paths``."""

from __future__ import annotations


def test_file_digest_streams_the_file_in_blocks(tmp_path):
    import hashlib

    from newsspans.paths import file_digest

    data = bytes(range(256)) * 5000  # more than one block of the size asked for
    (tmp_path / "f").write_bytes(data)
    digest = file_digest(tmp_path / "f", block=4096)
    assert (digest.sha256, digest.size) == (hashlib.sha256(data).hexdigest(), len(data))
    (tmp_path / "empty").write_bytes(b"")
    assert file_digest(tmp_path / "empty").size == 0
