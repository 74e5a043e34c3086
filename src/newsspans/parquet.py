"""Streaming Parquet output: bounded batches, fixed row groups, bounded shards.

Each (config, split) gets a ``ShardedWriter``; rows are buffered up to one row group, written,
and dropped, so memory stays flat however large the corpus. Files are named the way the Hub
names them, ``<split>-<index>-of-<count>.parquet``; the count is known only at the end, so
shards are written under a temporary name and renamed on ``close``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from datasets import Features

#: Fixed writer options: part of what makes two builds byte-identical.
WRITE_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
}


class ShardedWriter:
    def __init__(self, folder: Path, split: str, features: Features, *, row_group_rows: int, shard_rows: int):
        self.folder = folder
        self.split = split
        self.schema = features.arrow_schema  # carries the features under the "huggingface" key
        self.row_group_rows = row_group_rows
        self.shard_rows = shard_rows
        self.buffer: list[dict[str, Any]] = []
        self.num_rows = 0
        self.num_bytes = 0
        self._writer: pq.ParquetWriter | None = None
        self._shard_rows_written = 0
        self._shards: list[Path] = []

    def add(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.buffer.append(row)
            if len(self.buffer) >= self.row_group_rows:
                self._flush()

    def _flush(self) -> None:
        if not self.buffer:
            return
        table = pa.Table.from_pylist(self.buffer, schema=self.schema)
        self.buffer = []
        if self._writer is None or self._shard_rows_written >= self.shard_rows:
            self._open_shard()
        assert self._writer is not None
        self._writer.write_table(table, row_group_size=self.row_group_rows)
        self._shard_rows_written += table.num_rows
        self.num_rows += table.num_rows
        self.num_bytes += table.nbytes

    def _open_shard(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f".{self.split}-{len(self._shards):05d}.partial"
        self._shards.append(path)
        self._writer = pq.ParquetWriter(path, self.schema, **WRITE_OPTIONS)
        self._shard_rows_written = 0

    def close(self) -> list[Path]:
        """Write what is buffered, close the last shard and give the final file names.

        A split with no rows writes no file (``datasets`` cannot load an empty Parquet split).
        """
        self._flush()
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
