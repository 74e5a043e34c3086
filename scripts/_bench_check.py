"""Check, for ``benchmark.py``, that every stage wrote the same rows, so that its times compare
like with like: each core config of each stage's output is read back, sorted by its key, and
compared column by column with the floor's (column order aside: naive's ``datasets`` writes the
document metadata first). ``newsspans build`` writes one folder of split shards per config; the
peers one file per config."""

from __future__ import annotations

from pathlib import Path

KEYS = {"documents": "id", "entities": "id", "quotes": "id", "claims": "id", "registry": "entity_id"}


def read_config(out: Path, config: str):
    """The rows of ``config`` in a stage's output folder, sorted by the config's key."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = out / config
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else [out / f"{config}.parquet"]
    table = pa.concat_tables([pq.read_table(f) for f in files]) if files else None
    if table is None:
        raise SystemExit(f"no output for {config} in {out}")
    return table.sort_by(KEYS[config])


def differences(reference: Path, other: Path, configs) -> list[str]:
    """The configs (and columns) in which ``other`` differs from ``reference``, or none."""
    found = []
    for config in configs:
        a, b = read_config(reference, config), read_config(other, config)
        if sorted(a.column_names) != sorted(b.column_names) or a.num_rows != b.num_rows:
            found.append(f"{config} ({a.num_rows} vs {b.num_rows} rows, columns {a.column_names} vs {b.column_names})")
            continue
        bad = [n for n in a.column_names if not a.column(n).equals(b.column(n))]
        if bad:
            found.append(f"{config} (columns {', '.join(bad)})")
    return found
