"""What the card and the manifest report about a release, gathered while the rows stream past."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stats:
    """What the card and the manifest report, gathered while the rows stream past."""

    version: str = ""
    dataset: dict[str, Any] = field(default_factory=dict)
    split_rows: dict[str, dict[str, int]] = field(default_factory=dict)
    split_bytes: dict[str, dict[str, int]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, Counter] = field(default_factory=lambda: {"entities": Counter(), "quotes": Counter(), "claims": Counter(), "registry": Counter(), "sentences": Counter()})
    tokens: int = 0
    configs: tuple[str, ...] = ()
    source_digest: str = ""
    languages: set[str] = field(default_factory=set)
    #: The agreement rows over the corpus (``newsspans.agreement.AgreementRow``), in report order.
    agreement: list[Any] = field(default_factory=list)
    #: The number of stored suggestions files (``corpus/suggestions/``).
    suggestion_files: int = 0
    #: The evaluation of the stored suggestions against gold (``newsspans.suggestions.EvaluationRow``,
    #: in report order) on the documents that have both, and the sources that made them, sorted.
    suggestions: list[Any] = field(default_factory=list)
    suggestion_sources: list[str] = field(default_factory=list)
    #: How many documents have each number of annotator layers (``corpus/layers/``): {layers: documents}.
    layers_per_document: Counter = field(default_factory=Counter)
    #: The kind (human, model) of each annotator of ``annotators.json`` that has layers, by id, sorted.
    annotators: dict[str, str] = field(default_factory=dict)

    def total(self, config: str) -> int:
        return sum(self.split_rows.get(config, {}).values())
