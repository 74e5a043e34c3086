"""What an adjudication run found and wrote, per document, and why a run is refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from ..errors import NewsSpansError
from ..paths import display_path
from ..versions import Change, describe_change


class AdjudicationRefused(NewsSpansError):
    """The run cannot be applied (a stale or invalid decision, a broken layer, a gold with errors);
    ``errors`` holds one located line each. Nothing was written."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        if len(self.errors) == 1:
            message = f"{self.errors[0]} (nothing was written)"
        else:
            message = f"{len(self.errors)} problems; nothing was written:" + "".join(f"\n  {e}" for e in self.errors)
        super().__init__(message)


@dataclass
class GoldResult:
    """The adjudicated gold of a document, compared with the gold as it is: ``changed`` when its
    file differs (it is written, or with a dry run would be); items ``kept`` (same id), ``added``
    (new ids) and ``removed``; each change (``newsspans.versions.Change``); the validator's
    warnings about it, located where the items came from."""

    path: Path
    changed: bool
    kept: int
    added: int
    removed: int
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def change_lines(self, limit: int = 5) -> list[str]:
        """The first ``limit`` changes, one line each (``+ m54 …``, ``- m3 …``), and how many more."""
        lines = [describe_change(c) for c in self.changes[:limit]]
        if len(self.changes) > limit:
            lines.append(f"… and {len(self.changes) - limit} more (`newsspans diff` lists every change once written)")
        return lines


@dataclass
class DocumentResult:
    """One document: its annotators, the units they agreed on, its decisions (open and made; the
    decision ids ``added`` and ``dropped`` by this run; where the first open one is in the file as
    this run leaves it), whether its decisions file changes, and its gold (None while decisions
    are open)."""

    document_id: str
    annotators: list[str]
    agreed: int
    open: int
    made: int
    decisions_path: Path
    decisions_changed: bool
    first_open_line: Optional[int] = None
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    gold: Optional[GoldResult] = None

    def open_line(self) -> str:
        """``corpus/decisions/<id>.jsonl: 7 open, first at line 3``."""
        return f"{display_path(self.decisions_path)}: {self.open} open, first at line {self.first_open_line}"

    def summary(self, *, dry_run: bool = False) -> str:
        """One line: units agreed, decisions open/made, what happens to the gold."""
        news = [f"{len(self.added)} new"] if self.added else []
        news += [f"{len(self.dropped)} dropped (their disagreement is gone)"] if self.dropped else []
        head = (f"{self.document_id}: {self.agreed} agreed, decisions {self.open} open / {self.made} made"
                + (f" ({', '.join(news)})" if news else ""))
        if self.gold is None:
            return f"{head}; gold not written until every decision is made — {self.open_line()}"
        g = self.gold
        if not g.changed:
            return f"{head}; gold unchanged ({g.kept} items)"
        verb = "would be written" if dry_run else "written"
        return f"{head}; gold {verb}: {g.kept} kept, {g.added} added, {g.removed} removed"


@dataclass
class AdjudicationResult:
    """A run over the documents ``documents``; ``files`` it wrote (with ``dry_run``: would write),
    ``notes`` for the user (a decisions file that was not applied, an earlier write finished)."""

    documents: list[DocumentResult]
    files: list[Path]
    dry_run: bool
    notes: list[str] = field(default_factory=list)

    @property
    def open(self) -> int:
        return sum(d.open for d in self.documents)

    def check_failures(self) -> list[str]:
        """Why a ``--check`` fails, one line per document: open decisions, or a gold that differs
        from what the decisions give."""
        out = []
        for d in self.documents:
            if d.open:
                out.append(d.open_line())
            elif d.gold is not None and d.gold.changed:
                out.append(f"{display_path(d.gold.path)}: differs from what the layers and decisions give "
                           f"({d.gold.added} added, {d.gold.removed} removed) — run `newsspans adjudicate`")
        return out
