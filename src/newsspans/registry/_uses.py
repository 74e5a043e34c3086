"""Where a registry entry is used: every mention, quote speaker and claimant that refers to it, in
gold, the annotators' layers, the suggestions and the decisions files, each at its file and line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from ..paths import display_path
from ..validation import json_path, line_of
from ._files import DECISIONS, GOLD, ReadFile, read_exactly, referring_files
from ._references import Reference


@dataclass(frozen=True)
class Use:
    """One reference to the entry: where (file, line, JSON path), in which document, kind of file
    (gold, layer, suggestions, decisions) and of use (mention, speaker, claimant), and the item's
    text (a mention's, a quote's speaker or content, a claim's)."""

    file: str
    line: int
    item: str
    document_id: str
    source: str
    annotator: Optional[str]
    kind: str
    text: Optional[str]
    cluster_id: Optional[str]

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "item": self.item, "document_id": self.document_id,
                "source": self.source, "annotator": self.annotator, "kind": self.kind, "text": self.text,
                "cluster_id": self.cluster_id}


@dataclass
class EntityUses:
    """Every use of one registry id, in corpus order (gold first, then layers, suggestions, decisions)."""

    entity_id: str
    uses: list[Use] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind of use (mention, speaker, claimant), the number of uses per kind of file."""
        out: dict[str, Counter] = {}
        for u in self.uses:
            out.setdefault(u.kind, Counter())[u.source] += 1
        return {kind: dict(c) for kind, c in out.items()}

    def clusters(self) -> list[str]:
        """The cluster ids of the gold quotes and claims it is the speaker or claimant of, sorted."""
        return sorted({u.cluster_id for u in self.uses if u.source == GOLD and u.cluster_id})

    def documents(self) -> list[str]:
        """The documents whose gold uses it, sorted."""
        return sorted({u.document_id for u in self.uses if u.source == GOLD})


def _text(ref: Reference) -> Optional[str]:
    part = ref.item.get("speaker") or ref.item.get("content") if ref.layer == "quotes" else ref.item
    text = part.get("text") if isinstance(part, dict) else None
    return text if isinstance(text, str) else None


def _uses_in(read: ReadFile, entity_id: str) -> Iterable[Use]:
    shown = display_path(read.path)
    for unit in read.units:
        for ref in unit.references:
            if ref.entity_id != entity_id:
                continue
            if read.file.kind == DECISIONS:
                line = unit.line
            else:
                line = line_of(read.text, list(ref.path[:-1]))
            cluster = ref.item.get("cluster_id") if ref.layer != "entities" else None
            yield Use(shown, line, json_path(list(ref.path[:-1])), read.file.document_id, read.file.kind, read.file.annotator,
                      ref.kind, _text(ref), cluster if isinstance(cluster, str) else None)


def entity_uses(*, corpus: Path, entity_id: str) -> EntityUses:
    """Every use of ``entity_id`` in the corpus at ``corpus``. A file that does not hold the id's
    text is not parsed, so the cost is one read of each file."""
    found = EntityUses(entity_id)
    for file in referring_files(Path(corpus)):
        read = read_exactly(Path(corpus), file, holding=[entity_id])
        if read is not None:
            found.uses.extend(_uses_in(read, entity_id))
    return found
