"""The Dask engine's Parquet writing: every shard written by a worker, in parallel, with the same
bytes as the local engine's single ``ShardedWriter``.

A ``ShardedWriter`` cuts a (config, split) into shards of ``shard_rows`` rows and row groups of
``row_group_rows`` rows (a shard's rows are a multiple of a row group's), counted from the first
row: the boundaries are a pure function of the row numbers. So once the first pass has told how
many rows each chunk made (its tables spilled to Arrow IPC files under ``SPILL``), the rows each
shard owns are known, and each shard is a task: read its rows from the chunks' files, write them
in row groups of the same size with the same options, under a temporary name renamed when
complete (a retried task writes it again). The row groups hold the same rows, sliced from the
same chunk tables, so the files are byte-identical to the local build's (tested).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

#: The spill folder, inside the release being written; removed before the release is complete.
SPILL = ".chunks"


@dataclass(frozen=True)
class ShardTask:
    """One shard to write: its folder, file name, schema, and its rows as (spilled file, offset,
    length) runs in order."""

    folder: str
    split: str
    index: int
    count: int
    schema: Any
    runs: tuple[tuple[str, int, int], ...]
    row_group_rows: int


@dataclass(frozen=True)
class ShardWritten:
    path: str
    rows: int
    bytes: int


def plan_shards(parts: Sequence[tuple[dict[tuple[str, str], int], dict[tuple[str, str], str]]], dest: Path, *,
                schemas: dict[str, Any], row_group_rows: dict[str, int], shard_rows: dict[str, int]) -> dict[tuple[str, str], list[ShardTask]]:
    """The shard tasks of every (config, split), from each chunk's row counts and spilled files
    (``parts``, in chunk order)."""
    runs: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for rows, spilled in parts:
        for key, n in rows.items():
            runs.setdefault(key, []).append((spilled[key], n))
    plan = {}
    for (config, split), files in sorted(runs.items()):
        total, size = sum(n for _, n in files), shard_rows[config]
        count = -(-total // size)
        tasks = []
        for index in range(count):
            first, last = index * size, min((index + 1) * size, total)
            owned, start = [], 0
            for path, n in files:  # the runs of this shard's rows [first, last)
                lo, hi = max(first, start), min(last, start + n)
                if lo < hi:
                    owned.append((path, lo - start, hi - lo))
                start += n
            tasks.append(ShardTask(str(dest / config), split, index, count, schemas[config], tuple(owned),
                                   row_group_rows[config]))
        plan[config, split] = tasks
    return plan


def write_shard(task: ShardTask) -> ShardWritten:
    """Write one shard (on a worker): its rows read from the spilled files, in row groups of
    ``row_group_rows`` rows, as ``ShardedWriter`` writes them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ._parquet import WRITE_OPTIONS, contiguous

    tables = []
    for path, offset, length in task.runs:
        with pa.memory_map(path) as source:
            tables.append(pa.ipc.open_file(source).read_all().slice(offset, length))
    rows = pa.concat_tables(tables) if tables else task.schema.empty_table()
    os.makedirs(task.folder, exist_ok=True)
    final = os.path.join(task.folder, f"{task.split}-{task.index:05d}-of-{task.count:05d}.parquet")
    partial = f"{os.path.join(task.folder, f'.{task.split}-{task.index:05d}')}.{os.getpid()}.partial"
    nbytes = 0
    with pq.ParquetWriter(partial, task.schema, **WRITE_OPTIONS) as writer:
        for start in range(0, rows.num_rows, task.row_group_rows):
            group = contiguous(rows.slice(start, task.row_group_rows))
            writer.write_table(group, row_group_size=group.num_rows)
            nbytes += group.nbytes
    os.replace(partial, final)
    return ShardWritten(final, rows.num_rows, nbytes)


def write_shards(engine: Any, dest: Path, parts: Sequence[tuple[dict, dict]], *, row_group_rows: dict[str, int],
                 shard_rows: dict[str, int], stats: Any) -> None:
    """Write every shard of the chunks' spilled tables as tasks of ``engine``, and record the rows,
    bytes and files of each (config, split) in ``stats`` as ``_Writers.close`` does."""
    from ._features import FEATURES

    configs = {config for rows, _ in parts for config, _ in rows}
    schemas = {c: FEATURES[c].arrow_schema for c in configs}
    plan = plan_shards(parts, Path(dest), schemas=schemas, row_group_rows=row_group_rows, shard_rows=shard_rows)
    tasks = [task for key in sorted(plan) for task in plan[key]]
    written = iter(engine.map(write_shard, tasks))
    for (config, split), shard_tasks in sorted(plan.items()):
        done = [next(written) for _ in shard_tasks]
        stats.split_rows.setdefault(config, {})[split] = sum(w.rows for w in done)
        stats.split_bytes.setdefault(config, {})[split] = sum(w.bytes for w in done)
        stats.files.setdefault(config, []).extend(Path(w.path).relative_to(dest).as_posix() for w in done)
