"""What every exchange format shares: reading a valid corpus, writing an output folder or
annotation files all or nothing, and the report of what a format carried and lost."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator, Optional

from ..corpus import ANNOTATIONS, TEXTS, dumps_canonical
from ..dataset import split_of
from ..errors import NewsSpansError
from ..model import Annotations, Document, RegistryEntry
from ..paths import display_path
from ..validation import ERROR, Corpus, CorpusInvalid

#: The layers a format may carry, in report order.
LAYERS = ("entity mentions", "quotes", "claims")


class FormatError(NewsSpansError):
    """A tool file that cannot be read, or a corpus that a format cannot hold; names file and line."""


@dataclass
class Report:
    """What an export or import wrote: files, and per layer how many items it carried or lost
    (``lost`` is always a documented limit of the format, never silent)."""

    files: list[Path] = field(default_factory=list)
    carried: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, layer: str, n: int = 1) -> None:
        self.carried[layer] = self.carried.get(layer, 0) + n

    def add_all(self, ann: Annotations) -> None:
        """Count every item of the three layers of ``ann`` as carried."""
        self.add("entity mentions", len(ann.entities))
        self.add("quotes", len(ann.quotes))
        self.add("claims", len(ann.claims))

    def lose(self, layer: str, n: int = 1) -> None:
        self.lost[layer] = self.lost.get(layer, 0) + n

    def summary(self) -> str:
        parts = [f"{self.carried.get(layer, 0)} {layer}" for layer in LAYERS if layer in self.carried or layer in self.lost]
        text = ", ".join(parts) if parts else "nothing"
        lost = [f"{n} {layer}" for layer, n in self.lost.items() if n]
        if lost:
            text += "; lost to the format's documented limit: " + ", ".join(lost)
        return text


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
    """A fresh output folder, written in a temporary sibling and moved into place on success.

    Refuses an existing folder that is not empty, so an export never mixes with or replaces
    other files.
    """

    def __init__(self, out: Path):
        self.out = Path(out)
        if self.out.exists() and (not self.out.is_dir() or any(self.out.iterdir())):
            raise NewsSpansError(f"{display_path(self.out)} exists and is not an empty folder; choose another --out")
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp: Optional[Path] = None

    def __enter__(self) -> Path:
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.export-", dir=self.out.parent))
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.tmp is not None
        if exc_type is None:
            if self.out.exists():
                self.out.rmdir()
            os.rename(self.tmp, self.out)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

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


def annotation_path(corpus_root: Path, document_id: str) -> Path:
    return Path(corpus_root) / ANNOTATIONS / f"{document_id}.json"


def write_annotations(corpus_root: Path, annotations: list[Annotations]) -> list[Path]:
    """Write the annotation files of a corpus all or nothing: every file is written to a temporary
    name first, then all are renamed into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for ann in annotations:
            target = annotation_path(corpus_root, ann.document_id)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            staged.append((Path(name), target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(dumps_canonical(ann.to_dict()))
            os.chmod(name, 0o666 & ~_umask())
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    return [target for _, target in staged]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def next_id(prefix: str, used: set[str]) -> str:
    """A fresh local id with ``prefix``: one past the highest number in use."""
    numbers = [int(i[len(prefix):]) for i in used if i.startswith(prefix) and i[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def corpus_text(corpus: Path, doc_id: str, source: Path) -> str:
    path = corpus / TEXTS / f"{doc_id}.txt"
    if not path.is_file():
        raise FormatError(f"{display_path(source)}: no document {doc_id!r} in the corpus ({display_path(path)} is missing); "
                          "add the text with `newsspans add` first")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{display_path(path)}: byte {exc.start} is not UTF-8") from None


def ids_in(path: Path) -> set[str]:
    """The local ids of an existing annotation file (none when it is missing or unreadable)."""
    import json

    try:
        value = json.loads(path.read_text(encoding="utf-8"))
        return {x["id"] for layer in ("entities", "quotes", "claims") for x in value.get(layer, []) if isinstance(x, dict) and "id" in x}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()
