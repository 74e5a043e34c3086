"""The physical limit, for ``benchmark.py``: read every input file, parse its JSON and encode the
core configs from columnar Arrow data, with no Python object per row or span.

Each batch of 1,000 documents: the texts are read and laid end to end into one Arrow string array
(one buffer and its offsets, UTF-8 checked by Arrow); the metadata and annotation files are read
and parsed by Arrow's C++ JSON reader (each file is one JSON object; a raw newline can only be
whitespace in JSON, so each file becomes one line of a JSON Lines buffer); the span tables are
the flattened list columns, their ids joined to the document id and their labels turned into class
indices by Arrow compute; the documents' nested lists reuse the same arrays. Parquet is written
with the release's encoding (zstd level 3, dictionaries, statistics, data page 1.0). No check of
any kind: this is the floor of the work itself, below which no pipeline in Python can go.
"""

from __future__ import annotations

import os
from pathlib import Path

from _bench_peers import core_schemas

BATCH = 1_000
WRITE_OPTIONS = {"compression": "zstd", "compression_level": 3, "use_dictionary": True,
                 "write_statistics": True, "data_page_version": "1.0"}
NESTED = ("entities", "quotes", "claims")


def _json_lines(paths) -> tuple[bytes, int]:
    """The JSON files at ``paths`` as one JSON Lines buffer, one file per line, and the longest line."""
    parts = []
    for path in paths:
        with open(path, "rb") as f:
            parts.append(f.read().replace(b"\n", b""))
    longest = max(map(len, parts), default=0)
    parts.append(b"")
    return b"\n".join(parts), longest


def _read_json(lines: tuple[bytes, int], schema):
    """Parse JSON Lines with Arrow's reader (blocks of 1 MiB, or of the longest line, in parallel)."""
    import pyarrow as pa
    import pyarrow.json as pj

    data, longest = lines
    options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    read = pj.ReadOptions(block_size=max(1 << 20, 2 * longest + 2))
    return pj.read_json(pa.BufferReader(data), read_options=read, parse_options=options).combine_chunks()


def _texts(paths):
    """The texts at ``paths`` as one string array: their bytes end to end and the offsets."""
    import numpy as np
    import pyarrow as pa

    blobs = []
    for path in paths:
        with open(path, "rb") as f:
            blobs.append(f.read())
    offsets = np.zeros(len(blobs) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in blobs], out=offsets[1:])
    array = pa.StringArray.from_buffers(len(blobs), pa.py_buffer(offsets), pa.py_buffer(b"".join(blobs)))
    array.validate(full=True)
    return array


def _input_schemas(schemas):
    """The Arrow schemas to parse the metadata and annotation files with (the release's types,
    labels still strings)."""
    import pyarrow as pa

    def as_read(struct_type):
        return pa.struct([pa.field(f.name, pa.string() if f.name in ("label", "type") else f.type) for f in struct_type])

    docs = schemas["documents"]
    meta = pa.schema([pa.field(n, pa.string()) for n in ("title", "published", "source", "url", "language", "story_id", "sha256")])
    ann = pa.schema([pa.field(layer, pa.list_(as_read(docs.field(layer).type.value_type))) for layer in NESTED])
    return meta, ann


def _span_table(layer, lists, doc_ids, schema, names):
    """The flat table of one span config from its list column, and the struct array (without
    ``document_id``) the documents' nested column is made of."""
    import pyarrow as pa
    import pyarrow.compute as pc

    items = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists)
    document_id = pc.take(doc_ids, parent)
    columns = {"document_id": document_id}
    for f in schema:
        if f.name in ("id", "group_id"):
            columns[f.name] = pc.binary_join_element_wise(document_id, pc.struct_field(items, f.name), ":")
        elif f.name in ("label", "type"):
            columns[f.name] = pc.index_in(pc.struct_field(items, f.name), value_set=names).cast(pa.int64())
        elif f.name != "document_id":
            columns[f.name] = pc.struct_field(items, f.name)
    table = pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)
    keep = [f for f in schema if f.name != "document_id"]
    struct = pa.StructArray.from_arrays([columns[f.name] for f in keep], fields=keep)
    return table, pa.ListArray.from_arrays(lists.offsets, struct)


def _batch_tables(corpus: Path, ids, schemas, readers, names):
    import pyarrow as pa

    meta_schema, ann_schema = readers
    doc_ids = pa.array(ids, type=pa.string())
    text = _texts([f"{corpus}/texts/{i}.txt" for i in ids])
    meta = _read_json(_json_lines([f"{corpus}/documents/{i}.json" for i in ids]), meta_schema)
    ann = _read_json(_json_lines([f"{corpus}/annotations/{i}.json" for i in ids]), ann_schema)
    out, nested = {}, {}
    for layer in NESTED:
        out[layer], nested[layer] = _span_table(layer, ann.column(layer).chunk(0), doc_ids, schemas[layer], names[layer])
    columns = {"id": doc_ids, "text": text, **{n: meta.column(n) for n in meta.column_names}, **nested}
    out["documents"] = pa.Table.from_arrays([columns[f.name] for f in schemas["documents"]], schema=schemas["documents"])
    return out


def _registry_table(corpus: Path, schema, names):
    import pyarrow as pa
    import pyarrow.compute as pc

    entry = pa.struct([pa.field(f.name, pa.string() if f.name == "type" else f.type) for f in schema])
    table = _read_json(_json_lines([corpus / "registry.json"]), pa.schema([pa.field("entities", pa.list_(entry))]))
    items = pc.list_flatten(table.column("entities").chunk(0))
    columns = {f.name: pc.struct_field(items, f.name) for f in schema}
    columns["type"] = pc.index_in(columns["type"], value_set=names).cast(pa.int64())
    return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)


def warm() -> None:
    """What the limit's clock leaves out: its libraries' import, and the pandas import pyarrow
    makes on its first conversion (a fixed cost of the environment, not work on the corpus)."""
    import numpy  # noqa: F401
    import pyarrow as pa
    import pyarrow.compute  # noqa: F401
    import pyarrow.json  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    pa.array([0])


def stage_limit(corpus: Path, out: Path) -> None:
    """Read, parse and encode the core configs column by column, in batches of ``BATCH``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsspans.labels import CLAIM_LABELS, ENTITY_LABELS, QUOTE_TYPES

    configs = ("documents", *NESTED, "registry")
    schemas = core_schemas(out)
    names = {k: pa.array(v) for k, v in zip((*NESTED, "registry"), (ENTITY_LABELS, QUOTE_TYPES, CLAIM_LABELS, ENTITY_LABELS))}
    readers = _input_schemas(schemas)
    out.mkdir(parents=True, exist_ok=True)
    writers = {c: pq.ParquetWriter(out / f"{c}.parquet", schemas[c], **WRITE_OPTIONS) for c in configs}
    ids = sorted(name[:-4] for name in os.listdir(corpus / "texts"))
    for first in range(0, len(ids), BATCH):
        for config, table in _batch_tables(corpus, ids[first:first + BATCH], schemas, readers, names).items():
            writers[config].write_table(table)
    writers["registry"].write_table(_registry_table(corpus, schemas["registry"], names["registry"]))
    for writer in writers.values():
        writer.close()
