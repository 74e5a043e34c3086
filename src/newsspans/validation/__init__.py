"""Validation: every file of a corpus read into model objects or problems, stage by stage.

decode (``_parse``, ``_reader``) -> schema (``_schemacheck``, with the ``_fastcheck`` fast path) ->
content (``_checks``) -> cross-document (``_checks``); ``_report`` turns problems into reports. Each
problem is a ``Problem`` with a stable code (``_problems``); ``iter_problems`` yields them all and
``validate`` raises the worst, one code path. Beside gold: ``annotators.json`` (``_annotators``),
the annotators' layer files, listed once (``_sources``) and checked as gold's files are, the
decisions files (``_decisions``) and the suggestions files (checked as annotation files, but for the
checks that do not fit suggestions; see ``E-SUGGESTION-DOCUMENT`` in ``_problems``).
"""

from ._checks import QUOTATION_MARKS, AliasIndex, nearest_occurrence, quotation_marks_in
from ._dask import ENGINES, DaskEngine, open_engine
from ._decisions import check_decisions
from ._jsonloc import json_path, line_of
from ._parallel import CHUNK_DOCUMENTS, PARALLEL_MIN_DOCUMENTS, chunked, default_workers, map_in_processes
from ._problems import CODES, ERROR, WARNING, CorpusInvalid, Problem
from ._reader import Corpus, JsonFile, check_annotation_file, iter_problems, read_json, validate
from ._report import checks_table, json_report, resolve_codes, select, text_report
from ._schemacheck import check_schema
from ._schemas import SCHEMAS, schema_filename, stale_schemas, write_schemas

__all__ = [
    "DaskEngine", "ENGINES", "open_engine",
    "AliasIndex",
    "CHUNK_DOCUMENTS",
    "check_annotation_file",
    "check_decisions",
    "check_schema",
    "checks_table",
    "chunked",
    "CODES",
    "Corpus",
    "CorpusInvalid",
    "default_workers",
    "ERROR",
    "iter_problems",
    "json_path",
    "json_report",
    "JsonFile",
    "line_of",
    "map_in_processes",
    "nearest_occurrence",
    "PARALLEL_MIN_DOCUMENTS",
    "Problem",
    "QUOTATION_MARKS", "quotation_marks_in",
    "read_json",
    "resolve_codes",
    "schema_filename",
    "SCHEMAS",
    "select",
    "stale_schemas",
    "text_report",
    "validate",
    "WARNING",
    "write_schemas",
]
