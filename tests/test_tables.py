"""The build's column-by-column Arrow tables (``dataset._tables`` of ``_rows.layer_columns``)
equal ``Table.from_pylist`` of the row dicts (``document_rows``), nested lists included, so the
released Parquet stays the same."""

from __future__ import annotations

import pyarrow as pa
import pytest
from helpers import CORPUS

from newsspans.dataset import FEATURES, document_rows
from newsspans.dataset._rows import layer_columns
from newsspans.dataset._tables import NESTED, columns_table, documents_table, rows_table
from newsspans.model import Annotations, Document
from newsspans.validation import Corpus


def corpus_documents() -> list[Document]:
    corpus = Corpus(CORPUS)
    registry, _ = corpus.read_registry()
    return [doc for _, doc, _ in corpus.iter_documents(registry)]


def bare(doc: Document, keep: frozenset) -> Document:
    """``doc`` with only the ``keep`` layers of its annotations (the others empty)."""
    ann = doc.annotations
    layers = {layer: getattr(ann, layer) if layer in keep else () for layer in NESTED}
    return Document(doc.meta, doc.text, Annotations(ann.document_id, **layers, issued=ann.issued))


def both_ways(docs: list[Document]) -> tuple[pa.Table, pa.Table]:
    """The documents table by ``from_pylist`` of nested rows, and by ``documents_table``."""
    schema = FEATURES["documents"].arrow_schema
    nested = [document_rows(d, configs=("documents",))["documents"][0] for d in docs]
    expected = pa.Table.from_pylist(nested, schema=schema)
    tables = {layer: columns_table(layer_columns(docs, layer), FEATURES[layer].arrow_schema) for layer in NESTED}
    counts = {layer: [len(getattr(d.annotations, layer)) for d in docs] for layer in NESTED}
    got = documents_table(layer_columns(docs, "documents"), counts, tables, schema)
    return expected, got


def test_flat_tables_equal_from_pylist():
    docs = corpus_documents()
    for config in NESTED:
        rows = [r for d in docs for r in document_rows(d, configs=(config,))[config]]
        schema = FEATURES[config].arrow_schema
        assert rows, config
        assert rows_table(rows, schema).equals(pa.Table.from_pylist(rows, schema=schema)), config
        assert columns_table(layer_columns(docs, config), schema).equals(rows_table(rows, schema)), config


@pytest.mark.parametrize("keep", [frozenset(NESTED), frozenset(), frozenset({"entities"}), frozenset({"quotes", "claims"})])
def test_documents_table_equals_from_pylist(keep):
    """Documents whose layers are full or empty, and a chunk where a layer has no item at all."""
    docs = corpus_documents()
    mixed = [bare(d, keep) if i % 2 else d for i, d in enumerate(docs)] + [bare(d, keep) for d in docs]
    expected, got = both_ways(mixed)
    assert got.equals(expected)
    assert got.schema.equals(expected.schema, check_metadata=True)
    assert [len(x) for x in got.column("entities").to_pylist()] == [len(d.annotations.entities) for d in mixed]


def test_a_worker_converts_lists_without_importing_pandas_and_can_still_import_it():
    """``_tables.arrow`` spares a build worker pyarrow's import of pandas (``pa.array`` of a list
    asks for it once per process), and leaves pandas importable."""
    import subprocess
    import sys

    code = (
        "import sys, pyarrow\n"
        "from newsspans.dataset._tables import arrow\n"
        "pa = arrow()\n"
        "assert pa.array(['a', None]).to_pylist() == ['a', None]\n"
        "print('pandas' in sys.modules, 'pyarrow.compute' in sys.modules)\n"
        "import pandas\n"
        "print(pa.table({'x': [1]}).to_pandas()['x'].tolist())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["False False", "[1]"]
    without = subprocess.run([sys.executable, "-c", "import sys, pyarrow as pa\npa.array([0])\nprint('pandas' in sys.modules)"],
                             capture_output=True, text=True, check=True).stdout
    assert without.strip() == "True"  # what arrow() spares: plain pyarrow imports pandas here
