"""The pipelines a user would write by hand, for ``benchmark.py`` (each runs in its own child).

  naive                 json per file, ``jsonschema`` on each annotation file, a Python check of
                        every span's text, ``datasets.Dataset.from_list(...).to_parquet``
  naive-fastjsonschema  the same with ``fastjsonschema.compile`` of the same schema
  arrow-peer            json per file, ``fastjsonschema``, the span check, the same core rows built
                        as columns (Python lists per column, then Arrow arrays) and written with
                        ``pyarrow.parquet``; one process, no ``datasets``
  floor                 read the same files and write the same rows with ``pyarrow.parquet``
                        (``Table.from_pylist`` of row dicts), no checks

All write the core configs, one Parquet file per config, with the rows ``newsspans build``
writes (``benchmark.py`` checks that they do). Those that do not use ``datasets`` take the
release's Arrow schemas from files the parent wrote (``write_schemas``), as a user would write
them out by hand, rather than importing ``datasets`` for them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Optional

CORE = ("documents", "entities", "quotes", "claims", "registry")
BATCH = 1_000  # documents per Arrow batch of the pyarrow peer
QUOTE_PARTS = ("content", "speaker", "cue")
FASTJSONSCHEMA_MISSING = ("the peers need fastjsonschema, which is not installed: "
                          "pip install 'newsspans[bench]' (or pip install 'fastjsonschema>=2.19,<3')")


def write_schemas(folder: Path) -> None:
    """Write the Arrow schemas of the core configs (with their ``datasets`` features) into
    ``folder``: the stages that do not use ``datasets`` read them with ``core_schemas`` instead of
    importing ``datasets`` for them, which would add a second or so to their time."""
    from newsspans.dataset import FEATURES

    folder.mkdir(parents=True, exist_ok=True)
    for config in CORE:
        (folder / f"{config}.arrow").write_bytes(FEATURES[config].arrow_schema.serialize().to_pybytes())


def core_schemas(out: Path) -> dict:
    """The schemas ``write_schemas`` wrote into the ``schemas`` folder beside ``out``."""
    import pyarrow as pa

    return {c: pa.ipc.read_schema(pa.py_buffer((out.parent / "schemas" / f"{c}.arrow").read_bytes())) for c in CORE}


def read_all(corpus: Path):
    """Yield (doc_id, text, meta, annotations) for every document, in id order."""
    for name in sorted(os.listdir(corpus / "texts")):
        doc_id = name[:-4]
        text = (corpus / "texts" / name).read_text(encoding="utf-8")
        meta = json.loads((corpus / "documents" / f"{doc_id}.json").read_text(encoding="utf-8"))
        ann = json.loads((corpus / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))
        yield doc_id, text, meta, ann


def label_maps():
    """Label name -> class index, for entity labels, quote types and claim labels."""
    from newsspans.labels import CLAIM_LABELS, ENTITY_LABELS, QUOTE_TYPES

    return tuple({n: i for i, n in enumerate(names)} for names in (ENTITY_LABELS, QUOTE_TYPES, CLAIM_LABELS))


def check_spans(doc_id: str, text: str, ann: dict) -> None:
    """A user's span check: each span's stored text is the document's text at its offsets."""
    spans = [*ann["entities"], *ann["claims"]] + [q[p] for q in ann["quotes"] for p in QUOTE_PARTS if q[p]]
    for s in spans:
        if text[s["start"]:s["end"]] != s["text"]:
            raise SystemExit(f"{doc_id}: bad span {s}")


#: The metadata columns of the documents config (url optional in the file: None when absent).
META_FIELDS = ("title", "published", "source", "url", "language", "story_id", "sha256")


def rows(doc_id, text, meta, ann, labels):
    """The core rows of one document, as plain dicts (the release's columns)."""
    ent, qt, cl = labels
    gid = lambda x: None if x is None else f"{doc_id}:{x}"  # noqa: E731
    entities = [{"id": gid(m["id"]), "document_id": doc_id, "start": m["start"], "end": m["end"], "text": m["text"],
                 "label": ent[m["label"]], "entity_id": m["entity_id"]} for m in ann["entities"]]
    quotes = [{"id": gid(q["id"]), "document_id": doc_id, "type": qt[q["type"]], "content": q["content"],
               "speaker": q["speaker"], "cue": q["cue"], "speaker_entity_id": q["speaker_entity_id"],
               "group_id": gid(q["group_id"]), "cluster_id": q["cluster_id"]} for q in ann["quotes"]]
    claims = [{"id": gid(c["id"]), "document_id": doc_id, "start": c["start"], "end": c["end"], "text": c["text"],
               "label": cl[c["label"]], "claimant": c["claimant"], "cluster_id": c["cluster_id"]} for c in ann["claims"]]
    strip = lambda rs: [{k: v for k, v in r.items() if k != "document_id"} for r in rs]  # noqa: E731
    document = {**{k: meta.get(k) for k in META_FIELDS},  # url is optional in the file
                "id": doc_id, "text": text, "entities": strip(entities), "quotes": strip(quotes), "claims": strip(claims)}
    return {"documents": [document], "entities": entities, "quotes": quotes, "claims": claims}


def registry_rows(corpus: Path, ent):
    reg = json.loads((corpus / "registry.json").read_text(encoding="utf-8"))["entities"]
    return [{**e, "type": ent[e["type"]]} for e in reg]


def annotation_schema() -> dict:
    from newsspans.validation import SCHEMAS

    return SCHEMAS["annotation"]


def jsonschema_check() -> Callable[[dict], Optional[str]]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(annotation_schema())
    return lambda ann: next((e.message for e in validator.iter_errors(ann)), None)


def fastjsonschema_check() -> Callable[[dict], Optional[str]]:
    try:
        import fastjsonschema
    except ImportError:
        raise SystemExit(FASTJSONSCHEMA_MISSING) from None
    validate = fastjsonschema.compile(annotation_schema())

    def check(ann: dict) -> Optional[str]:
        try:
            validate(ann)
        except fastjsonschema.JsonSchemaException as exc:
            return exc.message
        return None

    return check


def naive(corpus: Path, out: Path, check: Callable[[dict], Optional[str]]) -> None:
    """The naive pipeline with the schema check ``check`` (an error message, or None)."""
    import datasets

    from newsspans.dataset import FEATURES

    datasets.disable_progress_bars()
    labels = label_maps()
    tables = {c: [] for c in CORE}
    for doc_id, text, meta, ann in read_all(corpus):
        error = check(ann)
        if error:
            raise SystemExit(f"{doc_id}: {error}")
        check_spans(doc_id, text, ann)
        for config, rs in rows(doc_id, text, meta, ann, labels).items():
            tables[config].extend(rs)
    tables["registry"] = registry_rows(corpus, labels[0])
    out.mkdir(parents=True, exist_ok=True)
    for config, rs in tables.items():
        datasets.Dataset.from_list(rs, features=FEATURES[config]).to_parquet(str(out / f"{config}.parquet"))


def stage_naive(corpus: Path, out: Path) -> None:
    naive(corpus, out, jsonschema_check())


def stage_naive_fastjsonschema(corpus: Path, out: Path) -> None:
    naive(corpus, out, fastjsonschema_check())


def stage_floor(corpus: Path, out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    labels = label_maps()
    out.mkdir(parents=True, exist_ok=True)
    schemas = core_schemas(out)
    writers = {c: pq.ParquetWriter(out / f"{c}.parquet", schemas[c], compression="zstd") for c in CORE}
    buffers = {c: [] for c in CORE}
    limits = {"documents": 1_000, "entities": 50_000, "quotes": 50_000, "claims": 50_000}
    for doc_id, text, meta, ann in read_all(corpus):
        for config, rs in rows(doc_id, text, meta, ann, labels).items():
            buffers[config].extend(rs)
            if len(buffers[config]) >= limits[config]:
                writers[config].write_table(pa.Table.from_pylist(buffers[config], schema=schemas[config]))
                buffers[config] = []
    buffers["registry"] = registry_rows(corpus, labels[0])
    for config, rs in buffers.items():
        if rs:
            writers[config].write_table(pa.Table.from_pylist(rs, schema=schemas[config]))
        writers[config].close()


# -- the pyarrow + fastjsonschema + span check peer ------------------------------------------

SPAN_FIELDS = {
    "entities": ("id", "start", "end", "text", "label", "entity_id"),
    "quotes": ("id", "type", "content", "speaker", "cue", "speaker_entity_id", "group_id", "cluster_id"),
    "claims": ("id", "start", "end", "text", "label", "claimant", "cluster_id"),
}



class Columns:
    """The core configs of a batch of documents as Python lists, one per column: what a user
    writing Arrow by hand collects before making arrays (no row dicts)."""

    def __init__(self, labels) -> None:
        self.labels = dict(zip(("entities", "quotes", "claims"), labels))
        self.docs = {k: [] for k in ("id", "text", *META_FIELDS)}
        self.spans = {layer: {k: [] for k in ("document_id", *fields)} for layer, fields in SPAN_FIELDS.items()}
        self.counts = {layer: [] for layer in SPAN_FIELDS}

    def add(self, doc_id: str, text: str, meta: dict, ann: dict) -> None:
        self.docs["id"].append(doc_id)
        self.docs["text"].append(text)
        for k in META_FIELDS:
            self.docs[k].append(meta.get(k))
        for layer, fields in SPAN_FIELDS.items():
            cols, items, names = self.spans[layer], ann[layer], self.labels[layer]
            self.counts[layer].append(len(items))
            cols["document_id"].extend([doc_id] * len(items))
            for k in fields:
                if k in ("id", "group_id"):
                    cols[k].extend(None if x[k] is None else f"{doc_id}:{x[k]}" for x in items)
                elif k in ("label", "type"):
                    cols[k].extend(names[x[k]] for x in items)
                else:
                    cols[k].extend(x[k] for x in items)

    def tables(self, schemas: dict) -> dict:
        """The batch's tables of the span configs and of documents (their nested lists share the
        span configs' arrays)."""
        import pyarrow as pa

        out, nested = {}, {}
        for layer, fields in SPAN_FIELDS.items():
            schema, cols = schemas[layer], self.spans[layer]
            arrays = [pa.array(cols[f.name], type=f.type) for f in schema]
            out[layer] = pa.Table.from_arrays(arrays, schema=schema)
            keep = [i for i, f in enumerate(schema) if f.name != "document_id"]
            struct = pa.StructArray.from_arrays([arrays[i] for i in keep], fields=[schema.field(i) for i in keep])
            offsets = pa.array([0, *_cumsum(self.counts[layer])], type=pa.int32())
            nested[layer] = pa.ListArray.from_arrays(offsets, struct)
        schema = schemas["documents"]
        arrays = [nested[f.name] if f.name in nested else pa.array(self.docs[f.name], type=f.type) for f in schema]
        out["documents"] = pa.Table.from_arrays(arrays, schema=schema)
        return out


def _cumsum(counts):
    total = 0
    for n in counts:
        total += n
        yield total


def stage_arrow_peer(corpus: Path, out: Path) -> None:
    """A user's pyarrow + fastjsonschema + span-check pipeline, one process: batches of ``BATCH``
    documents become Arrow tables by column and are written with ``pyarrow.parquet``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    check, labels = fastjsonschema_check(), label_maps()
    out.mkdir(parents=True, exist_ok=True)
    schemas = core_schemas(out)
    writers = {c: pq.ParquetWriter(out / f"{c}.parquet", schemas[c], compression="zstd") for c in CORE}
    batch = Columns(labels)
    for doc_id, text, meta, ann in read_all(corpus):
        error = check(ann)
        if error:
            raise SystemExit(f"{doc_id}: {error}")
        check_spans(doc_id, text, ann)
        batch.add(doc_id, text, meta, ann)
        if len(batch.docs["id"]) == BATCH:
            for config, table in batch.tables(schemas).items():
                writers[config].write_table(table)
            batch = Columns(labels)
    if batch.docs["id"]:
        for config, table in batch.tables(schemas).items():
            writers[config].write_table(table)
    writers["registry"].write_table(pa.Table.from_pylist(registry_rows(corpus, labels[0]), schema=schemas["registry"]))
    for writer in writers.values():
        writer.close()
