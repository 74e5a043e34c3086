"""What the card and the manifest report about a release, gathered while the rows stream past."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DocumentTally:
    """What the card says of the released documents beyond their rows, counted as they stream past
    (a chunk's share, merged): their stories, metadata, annotation and annotators' layers."""

    #: The documents' story ids (a story's split follows from its id: ``_splits.split_of``).
    stories: set[str] = field(default_factory=set)
    #: Documents per split, whichever configs are built.
    documents: Counter = field(default_factory=Counter)
    #: Documents that state a headline (``title``), a publication date (``published``).
    titled: int = 0
    dated: int = 0
    #: Documents whose gold holds no item in any layer (added, not yet annotated).
    unannotated: int = 0
    #: Documents with at least one annotator's layer; annotated documents without any.
    layered: int = 0
    unattributed: int = 0
    #: Per annotator, the documents with its layer.
    layers: Counter = field(default_factory=Counter)
    #: How many documents have each number of annotators' layers: {layers: documents}.
    layer_counts: Counter = field(default_factory=Counter)
    #: Documents with an adjudication decisions file.
    adjudicated: int = 0

    def add(self, meta: Any, annotations: Any, layers: Any, decisions: bool, *, split: str) -> None:
        """Count one valid document of ``split``: its metadata, gold ``annotations``, the
        annotators whose ``layers`` it has and whether it has a decisions file."""
        self.stories.add(meta.story_id)
        self.documents[split] += 1
        self.titled += meta.title is not None
        self.dated += meta.published is not None
        annotated = bool(annotations.entities or annotations.quotes or annotations.claims)
        self.unannotated += not annotated
        self.layered += bool(layers)
        self.unattributed += annotated and not layers
        self.layers.update(layers)
        self.layer_counts[len(layers)] += 1
        self.adjudicated += decisions

    def merge(self, other: "DocumentTally") -> None:
        self.stories |= other.stories
        for name in ("titled", "dated", "unannotated", "layered", "unattributed", "adjudicated"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.documents.update(other.documents)
        self.layers.update(other.layers)
        self.layer_counts.update(other.layer_counts)


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
    #: Stories, metadata, annotation and layers of the released documents.
    document_tally: DocumentTally = field(default_factory=DocumentTally)
    #: The annotators of ``annotators.json``: id -> kind (``human`` or ``model``); empty without the file.
    annotators: dict[str, str] = field(default_factory=dict)
    #: The agreement rows over the corpus (``newsspans.agreement.AgreementRow``), in report order.
    agreement: list[Any] = field(default_factory=list)
    #: The number of stored suggestions files (``corpus/suggestions/``).
    suggestion_files: int = 0
    #: The evaluation of the stored suggestions against gold (``newsspans.suggestions.EvaluationRow``,
    #: in report order) on the documents that have both, and the sources that made them, sorted.
    suggestions: list[Any] = field(default_factory=list)
    suggestion_sources: list[str] = field(default_factory=list)

    def items(self, layer: str) -> int:
        """The items of ``layer`` (entities, quotes, claims, registry) in the release, counted by
        label whether or not its config is built."""
        return sum(self.labels[layer].values())

    def documents_released(self) -> int:
        """The documents of the release, whether or not the ``documents`` config is built."""
        return sum(self.document_tally.documents.values())

    def total(self, config: str) -> int:
        return sum(self.split_rows.get(config, {}).values())
