"""The release: build and check, rows, features, Parquet writing, splits, the card, croissant.json,
statistics; the release without the texts (``build_standoff``) and its hydration (``hydrate``); and
what a corpus holds as the build counts it (``summarize``: ``newsspans stats`` and ``ls``).

``FEATURES``, ``COLUMN_DOCS``, ``CONFIG_COLUMN_DOCS`` and ``column_doc`` come from ``_features``, which imports ``datasets``: they are loaded
on first use, so that the validator and the build's worker processes do not pay for it.
"""

from typing import Any

from ..errors import BuildError
from ._build import BuildResult, CheckResult, build, build_standoff, check, write_release
from ._hydrate import HydrateResult, TextsRefused, hydrate
from ._configs import CONFIGS, DEFAULT_CONFIG, OPTIONAL_CONFIGS, UnknownConfig, chosen_configs
from ._facts import annotations_creators, figures
from ._notes import StaleCount, count_statements, stale_counts
from ._rows import agreement_row, document_rows, global_id, registry_row
from ._splits import SPLITS, split_of
from ._stats import DocumentTally, Stats
from ._summary import CorpusSummary, DocumentSummary, StatsTally, label_counts, summarize
from ._summaryreport import (DOCUMENT_COLUMNS, LS_COLUMNS, STATS_VIEWS, aligned, document_row, format_stats, left_out_note,
                             write_rows)

_LAZY = {"FEATURES", "COLUMN_DOCS", "CONFIG_COLUMN_DOCS", "column_doc"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import _features

        return getattr(_features, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BuildError", "BuildResult", "CONFIGS", "HydrateResult", "TextsRefused", "build_standoff", "hydrate", "COLUMN_DOCS", "CONFIG_COLUMN_DOCS", "CheckResult", "DEFAULT_CONFIG", "FEATURES",
    "OPTIONAL_CONFIGS", "SPLITS", "Stats", "UnknownConfig", "agreement_row", "chosen_configs", "build", "check", "column_doc",
    "document_rows", "global_id", "registry_row", "split_of",
    "write_release", "CorpusSummary", "DocumentSummary", "StatsTally", "label_counts", "summarize", "DOCUMENT_COLUMNS",
    "LS_COLUMNS", "STATS_VIEWS", "aligned", "document_row", "format_stats", "left_out_note", "write_rows",
    "DocumentTally", "StaleCount", "annotations_creators", "count_statements", "figures", "stale_counts",
]
