"""Arrow tables of a chunk's rows, built column by column.

``Table.from_pylist`` looks up every field of every row dict and converts the ``documents``
config's nested lists of mentions, quotes and claims a second time, after the flat configs that
hold the same items: a quarter of a worker's time. Here each column is converted once with
``pa.array`` from a plain list, and the ``documents`` config's nested lists are assembled from the
flat configs' columns and the documents' item counts (``ListArray.from_arrays``), with no Python
object per item. The tables are equal to ``from_pylist``'s, so the Parquet files are the same
bytes (``tests/test_build.py`` compares them).
"""

from __future__ import annotations

import itertools
import sys
from typing import Any, Sequence

class _NoPandas:
    """A finder that refuses the import of pandas (``arrow``)."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas":
            raise ImportError("pandas is not looked for here", name=name)
        return None


def arrow() -> Any:
    """``pyarrow``, which, in a process that has not imported pandas (a worker of the build), is
    told once that pandas is not there: pyarrow imports pandas, and with it ``pyarrow.compute``, on
    its first conversion of a Python list only to ask whether the list is a pandas object, which
    cost each worker 0.4 s (an eighth of its time at 10,000 documents). pyarrow asks once per
    process (it keeps the answer for that question, and imports pandas again for any operation
    that needs it); pandas itself stays importable."""
    global _primed
    import pyarrow as pa

    if not _primed:
        _primed = True
        if "pandas" not in sys.modules:
            sys.meta_path.insert(0, _NoPandas)
            try:
                pa.array([0])
            finally:
                sys.meta_path.remove(_NoPandas)
    return pa


_primed = False

#: The ``documents`` columns that nest a flat config's rows (without their ``document_id``).
NESTED = ("entities", "quotes", "claims")


def rows_table(rows: Sequence[dict[str, Any]], schema: Any) -> Any:
    """The table of ``rows`` (dicts with every field of ``schema``), converted column by column."""
    return columns_table({f.name: [row[f.name] for row in rows] for f in schema}, schema)


def columns_table(columns: dict[str, Sequence[Any]], schema: Any) -> Any:
    """The table of ``columns`` (name -> values, one per row, for every field of ``schema``)."""
    pa = arrow()

    return pa.Table.from_arrays([_column(columns[f.name], f.type) for f in schema], schema=schema)


def _column(values: list[Any], type_: Any) -> Any:
    """The array of ``values``. A column of lists of plain values (the tokens, their offsets and
    tags) is made of one flat array and the lists' offsets: ten times faster than ``pa.array`` of
    the lists, whose every list is converted as its own sequence."""
    pa = arrow()

    if not pa.types.is_list(type_) or pa.types.is_nested(type_.value_type) or None in values:
        return pa.array(values, type=type_)
    return list_array(offsets(map(len, values)), list(itertools.chain.from_iterable(values)), type_)


def offsets(counts: Any) -> Any:
    """The int32 offsets of lists of ``counts`` items each: 0, then their running sum."""
    pa = arrow()
    return pa.array([0, *itertools.accumulate(counts)], type=pa.int32())


def list_array(list_offsets: Any, items: Any, type_: Any) -> Any:
    """The list array of ``type_`` whose i-th list holds ``items[list_offsets[i]:list_offsets[i + 1]]``
    (``items``: every list's items in one flat list, or an Arrow array of them)."""
    pa = arrow()
    if not isinstance(items, pa.Array):
        items = pa.array(items, type=type_.value_type)
    return pa.ListArray.from_arrays(list_offsets, items, type=type_)


def documents_table(columns: dict[str, Sequence[Any]], counts: dict[str, Sequence[int]], flat: dict[str, Any],
                    schema: Any) -> Any:
    """The ``documents`` table of ``columns`` (those of every field but the nested lists) whose
    items are the rows of the ``flat`` tables of ``NESTED`` (in document order),
    ``counts[layer][i]`` of them for the i-th document."""
    pa = arrow()

    arrays = []
    for f in schema:
        if f.name in NESTED:
            arrays.append(_nested(flat.get(f.name), counts[f.name], f.type))
        else:
            arrays.append(_column(columns[f.name], f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _nested(table: Any, counts: Sequence[int], list_type: Any) -> Any:
    """A list array whose i-th list holds the next ``counts[i]`` rows of ``table`` as structs of
    ``list_type``'s item fields (the table's other columns, ``document_id``, are left out)."""
    pa = arrow()

    item = list_type.value_type
    if table is None:  # no document of the chunk has an item of this layer
        values = pa.array([], type=item)
    else:
        values = pa.StructArray.from_arrays([table.column(f.name).combine_chunks() for f in item], fields=list(item))
    return list_array(offsets(counts), values, list_type)
