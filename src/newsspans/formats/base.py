"""What every exchange format shares: reading a valid corpus, writing an output folder all or
nothing, the report of what a format carried and lost, and the error a format raises (what
importers share besides is in ``importer``)."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator, Optional, Sequence

from ..dataset import split_of
from ..errors import NewsSpansError
from ..labels import GOLD
from ..model import LAYERS as MODEL_LAYERS
from ..model import Annotations, Document, RegistryEntry
from ..atomic import refuse_unless_new, refuse_unless_replaceable, staged_dir
from ..validation import ERROR, Corpus, CorpusInvalid, Problem
from ..versions import describe_change

#: The layers a format may carry, in report order.
LAYERS = ("entity mentions", "quotes", "claims")


class FormatError(NewsSpansError):
    """A tool file that cannot be read, or a corpus that a format cannot hold; names file and line.

    ``errors`` holds one located message per problem (an import reports every error it finds);
    ``problems`` the validator's problems among them, located in the tool's file."""

    def __init__(self, message: str, *, errors: Sequence[str] = (), problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.errors = list(errors) or [message]
        self.problems = list(problems)

    @classmethod
    def of(cls, errors: Sequence[str], *, problems: Sequence[Problem] = ()) -> "FormatError":
        """One error per line: the error itself when there is one, else a count and the list."""
        if len(errors) == 1:
            return cls(errors[0], problems=problems)
        listed = "".join(f"\n  {e}" for e in errors)
        return cls(f"{len(errors)} errors:{listed}", errors=errors, problems=problems)


@dataclass
class Report:
    """What an export or import wrote: files, and per layer how many items it carried or lost
    (``lost`` is always a documented limit of the format, never silent).

    An import also says what it changes, compared with the corpus (``newsspans.versions.diff``):
    ``changes`` holds one ``newsspans.versions.Change`` per annotation added, removed or changed;
    ``documents`` every document the source holds, in reading order, and ``rewritten`` those whose
    annotation file changes; ``kept`` the corpus layers
    left as they were because the source holds nothing of them (``(document, layer)`` -> their
    count); ``ignored`` what the tool's file holds that is not imported (drafts, region notes,
    predictions, skipped tasks), each with where it is; ``files`` the annotation files written,
    or, with ``dry_run``, those that would be. Where an import writes an annotator's layer, the
    document is named ``<annotator>/<document>`` (in ``documents``, ``rewritten``, ``kept`` and
    each change's ``document_id``)."""

    files: list[Path] = field(default_factory=list)
    carried: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    changes: list[Any] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    kept: dict[tuple[str, str], int] = field(default_factory=dict)
    ignored: dict[str, list[str]] = field(default_factory=dict)
    #: The documents whose annotation file the import writes (or, with ``dry_run``, would write).
    rewritten: list[str] = field(default_factory=list)
    #: The document layers that would lose too much (see ``importer.ImportOptions``), one line each.
    refusals: list[str] = field(default_factory=list)
    dry_run: bool = False
    #: What an import changed in what the source says, when asked: spans trimmed (``--trim``) and
    #: the registry entries it created (``--create-entities``).
    trimmed: int = 0
    created_entities: list[str] = field(default_factory=list)

    def read_summary(self) -> str:
        """``3 documents read``; with annotators' layers, ``1 document read as 2 layers of model-a, model-b``."""
        docs = list(dict.fromkeys(key.rpartition("/")[2] for key in self.documents))
        text = f"{len(docs)} document{'s' if len(docs) != 1 else ''} read"
        if any("/" in key for key in self.documents):
            n = len(self.documents)
            text += f" as {n} layer{'s' if n != 1 else ''} of {', '.join(sorted({_whose(k) for k in self.documents}))}"
        return text

    def add(self, layer: str, n: int = 1) -> None:
        self.carried[layer] = self.carried.get(layer, 0) + n

    def add_all(self, ann: Annotations) -> None:
        """Count every item of the three layers of ``ann`` as carried."""
        self.add("entity mentions", len(ann.entities))
        self.add("quotes", len(ann.quotes))
        self.add("claims", len(ann.claims))

    def lose(self, layer: str, n: int = 1) -> None:
        self.lost[layer] = self.lost.get(layer, 0) + n

    def ignore(self, what: str, where: str) -> None:
        """Record something of the tool's file that is not imported (``what``: drafts, region notes...)."""
        self.ignored.setdefault(what, []).append(where)

    def summary(self) -> str:
        parts = [f"{self.carried.get(layer, 0)} {layer}" for layer in LAYERS if layer in self.carried or layer in self.lost]
        text = ", ".join(parts) if parts else "nothing"
        lost = [f"{n} {layer}" for layer, n in self.lost.items() if n]
        if lost:
            text += "; lost to the format's documented limit: " + ", ".join(lost)
        return text

    # -- what an import changes --

    def counts(self) -> dict[str, dict[str, dict[str, int]]]:
        """``{document: {layer: {"added": n, "removed": n, "changed": n}}}`` (layers as in ``model.LAYERS``)."""
        table: dict[str, dict[str, dict[str, int]]] = {}
        for c in self.changes:
            row = table.setdefault(c.document_id, {}).setdefault(c.layer, {"added": 0, "removed": 0, "changed": 0})
            row[c.kind] += 1
        return table

    def change_lines(self) -> list[str]:
        """What the import changes, per document and layer, every annotation added (+), removed (-)
        and changed (~); then the documents left unchanged and what was not imported."""
        by_doc: dict[str, dict[str, list[Any]]] = {}
        for c in self.changes:
            by_doc.setdefault(c.document_id, {}).setdefault(c.layer, []).append(c)
        counts = self.counts()
        lines: list[str] = []
        changed = self.rewritten
        for doc_id in changed:
            layers = by_doc.get(doc_id, {})
            lines.append(doc_id if layers else f"{doc_id}: no annotation changes; the file is rewritten in canonical form")
            for layer in MODEL_LAYERS:
                name = LAYER_NAMES[layer]
                if layer in layers:
                    c = counts[doc_id][layer]
                    lines.append(f"  {name}: {c['added']} added, {c['removed']} removed, {c['changed']} changed")
                    lines += [f"    {describe_change(x)}" for x in layers[layer]]
                elif (doc_id, name) in self.kept:
                    lines.append(f"  {name}: none in the source; the corpus's {self.kept[(doc_id, name)]} kept")
        rewritten = set(changed)
        unchanged = [d for d in self.documents if d not in rewritten]
        if unchanged:
            shown = ", ".join(unchanged[:10]) + (f" and {len(unchanged) - 10} more" if len(unchanged) > 10 else "")
            lines.append(f"unchanged: {len(unchanged)} document{'s' if len(unchanged) != 1 else ''} ({shown})")
        if self.ignored:
            parts = [f"{len(where)} {what if len(where) != 1 else _singular(what)}" for what, where in self.ignored.items()]
            lines.append(f"not imported: {', '.join(parts)} (each named in a note)")
        if self.refusals and self.dry_run:
            lines.append("an import would be refused without --allow-deletions:")
            lines += [f"  {r}" for r in self.refusals]
        return lines


def _whose(key: str) -> str:
    """The annotator of a report's document key (``model-a/000_x``), or gold."""
    return key.partition("/")[0] if "/" in key else GOLD


#: How a report names each of the model's layers (``entities``...).
LAYER_NAMES = dict(zip(MODEL_LAYERS, LAYERS))


#: What an import leaves out (``Report.ignore``), each in the singular.
_SINGULAR = {"other span groups": "other span group", "relations": "relation", "comments": "comment",
             "document categories": "document category", "empty documents": "empty document",
             "Label Studio results": "Label Studio result", "Label Studio regions": "Label Studio region",
             "Label Studio relations": "Label Studio relation", "events of other types": "event of another type",
             "triggers of events of other types": "trigger of an event of another type",
             "unlinked quote parts": "unlinked quote part", "arguments of roles not in the mapping":
             "argument of a role not in the mapping", "quote event triggers": "quote event trigger",
             "equivalences": "equivalence", "attributes": "attribute", "normalizations": "normalization",
             "annotator notes": "annotator note", "entity labels dropped by the mapping": "entity label dropped by the mapping",
             "entity labels skipped (not in the mapping)": "entity label skipped (not in the mapping)", "drafts": "draft", "region notes": "region note", "predictions": "prediction",
             "cancelled annotations": "cancelled annotation", "tasks without an annotation": "task without an annotation",
             "suggestions folders": "suggestions folder"}


def _singular(what: str) -> str:
    return _SINGULAR.get(what, what)


@dataclass(frozen=True)
class CorpusView:
    """A valid corpus, read: its registry and a way to stream its documents."""

    root: Path
    registry: dict[str, RegistryEntry]

    def documents(self) -> Iterator[tuple[str, Document]]:
        """``(split, document)`` for every document, sorted by id; raises ``CorpusInvalid`` at the
        first document with an error (the caller writes into a temporary folder, so nothing is left)."""
        corpus = Corpus(self.root)
        for _, doc, problems in corpus.iter_documents(self.registry):
            if doc is None or any(p.severity == ERROR for p in problems):
                raise CorpusInvalid(problems)
            yield split_of(doc.meta.story_id), doc


def open_corpus(root: Path) -> CorpusView:
    """Read the corpus's layout and registry; raises ``CorpusInvalid`` when they have errors."""
    corpus = Corpus(Path(root))
    problems = corpus.layout_problems()
    if problems:
        raise CorpusInvalid(problems)
    registry, problems = corpus.read_registry()
    if registry is None or any(p.severity == ERROR for p in problems):
        raise CorpusInvalid(problems)
    return CorpusView(Path(root), registry)


class OutputFolder:
    """A fresh output folder, written in a temporary sibling and swapped into place on success
    (``newsspans.atomic.staged_dir``); the temporary folder is gone afterwards whatever happens.

    Refuses an existing folder that is not empty, so an export never mixes with other files; with
    ``force`` it replaces it whole, in one step, unless it overlaps a folder of ``keep`` (the
    corpus) or holds the working directory (``atomic.refuse_unless_replaceable``).
    """

    def __init__(self, out: Path, *, force: bool = False, keep: tuple[Path, ...] = ()):
        self.out = Path(out)
        if force:
            refuse_unless_replaceable(self.out, keep=keep)
        else:
            refuse_unless_new(self.out, advice="choose another --out, or replace it with --force")
        self.tmp: Optional[Path] = None
        self._stack = ExitStack()

    def __enter__(self) -> Path:
        self.tmp = self._stack.enter_context(staged_dir(self.out, purpose="export"))
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> Optional[bool]:
        return self._stack.__exit__(exc_type, exc, tb)

    def final(self, paths: list[Path]) -> list[Path]:
        """The given temporary paths as they will be named once moved into place."""
        assert self.tmp is not None
        return [self.out / p.relative_to(self.tmp) for p in paths]


class SplitFiles:
    """One text file per split, ``<out>/<split><suffix>``, opened on first use and listed in the
    report: ``with SplitFiles(out, ".conll", report) as files: files[split].write(...)``."""

    def __init__(self, out: Path, suffix: str, report: Report):
        self.out, self.suffix, self.report = out, suffix, report
        self._handles: dict[str, IO[str]] = {}

    def __getitem__(self, split: str) -> IO[str]:
        if split not in self._handles:
            path = self.out / f"{split}{self.suffix}"
            self._handles[split] = path.open("w", encoding="utf-8", newline="\n")
            self.report.files.append(path)
        return self._handles[split]

    def __enter__(self) -> "SplitFiles":
        return self

    def __exit__(self, *exc: object) -> None:
        for fh in self._handles.values():
            fh.close()
