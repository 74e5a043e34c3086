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

from typing import Any, Sequence

#: The ``documents`` columns that nest a flat config's rows (without their ``document_id``).
NESTED = ("entities", "quotes", "claims")


def rows_table(rows: Sequence[dict[str, Any]], schema: Any) -> Any:
    """The table of ``rows`` (dicts with every field of ``schema``), converted column by column."""
    return columns_table({f.name: [row[f.name] for row in rows] for f in schema}, schema)


def columns_table(columns: dict[str, Sequence[Any]], schema: Any) -> Any:
    """The table of ``columns`` (name -> values, one per row, for every field of ``schema``)."""
    import pyarrow as pa

    return pa.Table.from_arrays([_column(columns[f.name], f.type) for f in schema], schema=schema)


def _column(values: list[Any], type_: Any) -> Any:
    """The array of ``values``. A column of lists of plain values (the tokens, their offsets and
    tags) is made of one flat array and the lists' offsets: ten times faster than ``pa.array`` of
    the lists, whose every list is converted as its own sequence."""
    import itertools

    import pyarrow as pa

    if not pa.types.is_list(type_) or pa.types.is_nested(type_.value_type) or None in values:
        return pa.array(values, type=type_)
    offsets = pa.array([0, *itertools.accumulate(map(len, values))], type=pa.int32())
    return pa.ListArray.from_arrays(offsets, pa.array(list(itertools.chain.from_iterable(values)), type=type_.value_type),
                                    type=type_)


def documents_table(columns: dict[str, Sequence[Any]], counts: dict[str, Sequence[int]], flat: dict[str, Any],
                    schema: Any) -> Any:
    """The ``documents`` table of ``columns`` (those of every field but the nested lists) whose
    items are the rows of the ``flat`` tables of ``NESTED`` (in document order),
    ``counts[layer][i]`` of them for the i-th document."""
    import pyarrow as pa

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
    import itertools

    import pyarrow as pa

    item = list_type.value_type
    offsets = pa.array([0, *itertools.accumulate(counts)], type=pa.int32())
    if table is None:  # no document of the chunk has an item of this layer
        values = pa.array([], type=item)
    else:
        values = pa.StructArray.from_arrays([table.column(f.name).combine_chunks() for f in item], fields=list(item))
    return pa.ListArray.from_arrays(offsets, values, type=list_type)
