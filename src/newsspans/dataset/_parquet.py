"""Streaming Parquet output: bounded batches, fixed row groups, bounded shards.

Each (config, split) gets a ``ShardedWriter``; rows (dicts or Arrow tables) are buffered up to one
row group, written, and dropped, so memory stays flat however large the corpus. Files are named the way the Hub
names them, ``<split>-<index>-of-<count>.parquet``; the count is known only at the end, so
shards are written under a temporary name and renamed on ``close``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from ._tables import rows_table

#: Fixed writer options: part of what makes two builds byte-identical.
WRITE_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
}


def contiguous(rows: pa.Table) -> pa.Table:
    """``rows`` copied into one chunk per column at offset 0: what a row group holds, the same
    whatever chunks and slices the rows came in (so is its ``nbytes``, which the card reports;
    ``combine_chunks`` alone keeps a single sliced chunk as it is)."""
    return pa.concat_tables([rows, rows.schema.empty_table()]).combine_chunks()


class ShardedWriter:
    def __init__(self, folder: Path, split: str, features: Features, *, row_group_rows: int, shard_rows: int):
        self.folder = folder
        self.split = split
        self.schema = features.arrow_schema  # carries the features under the "huggingface" key
        self.row_group_rows = row_group_rows
        self.shard_rows = shard_rows
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self.num_rows = 0
        self.num_bytes = 0
        self._writer: pq.ParquetWriter | None = None
        self._shard_rows_written = 0
        self._shards: list[Path] = []

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Add rows given as dicts (the columns of the features)."""
        if rows:
            self.add_table(rows_table(rows, self.schema))

    def add_table(self, table: pa.Table) -> None:
        """Add rows given as an Arrow table of this writer's schema. Row groups hold exactly
        ``row_group_rows`` rows (the last one fewer) however the rows arrive, so the file's bytes
        do not depend on how the build chunked its work."""
        self._pending.append(table)
        self._pending_rows += table.num_rows
        while self._pending_rows >= self.row_group_rows:
            self._write_row_group(self.row_group_rows)

    def _write_row_group(self, n: int) -> None:
        pending = pa.concat_tables(self._pending)
        group = contiguous(pending.slice(0, n))
        rest = pending.slice(n)
        self._pending = [rest] if rest.num_rows else []
        self._pending_rows = rest.num_rows
        if self._writer is None or self._shard_rows_written >= self.shard_rows:
            self._open_shard()
        assert self._writer is not None
        self._writer.write_table(group, row_group_size=n)
        self._shard_rows_written += group.num_rows
        self.num_rows += group.num_rows
        self.num_bytes += group.nbytes

    def _open_shard(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f".{self.split}-{len(self._shards):05d}.partial"
        self._shards.append(path)
        self._writer = pq.ParquetWriter(path, self.schema, **WRITE_OPTIONS)
        self._shard_rows_written = 0

    def abort(self) -> None:
        """Close the open shard however it goes (the build failed and its folder is discarded), so
        that the writer is not closed again, noisily, when it is collected."""
        writer, self._writer = self._writer, None
        self._pending, self._pending_rows = [], 0
        if writer is not None:
            try:
                writer.close()
            except Exception:
                writer.is_open = False

    def close(self) -> list[Path]:
        """Write what is buffered, close the last shard and give the final file names.

        A split with no rows writes no file (``datasets`` cannot load an empty Parquet split).
        """
        if self._pending_rows:
            self._write_row_group(self._pending_rows)
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        count = len(self._shards)
        final = []
        for i, path in enumerate(self._shards):
            target = self.folder / f"{self.split}-{i:05d}-of-{count:05d}.parquet"
            path.rename(target)
            final.append(target)
        return final
