"""Writing each split's DocBins a bounded number of documents at a time: the writer behind
``newsspans export spacy`` (``spacy_docbin.export``), so that its memory does not grow with the corpus.

A split of at most ``per_file`` documents is one file, ``<split>.spacy``, as it always was. A larger
split is the folder ``<split>/`` of the files ``<split>-00000.spacy``, ``<split>-00001.spacy``...,
each of ``per_file`` documents in document order but the last. spaCy's training reader
(``spacy.Corpus.v1``, behind ``spacy train --paths.train``) takes a ``.spacy`` file or a folder of
them alike (it reads a folder's files in sorted order), and so does ``newsspans import spacy``.

Only the DocBin being filled of each split is held, with a vocabulary of its own (a vocabulary
keeps every string it has seen, and so would grow with the corpus): a DocBin is written as soon as
it is full, then dropped with its vocabulary. A file's bytes do not depend on the vocabulary it was
made with, only on its documents. Whether a split needs a folder is known only when its DocBin
overflows: its first full DocBin goes into the folder then, and a split that never overflows is
written as one file at the end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from .base import FormatError, Report

#: The most documents one ``.spacy`` file holds unless told otherwise (``--docs-per-file``). The
#: export's peak memory grows with it, not with the corpus: each split's DocBin being filled (three
#: at most) and a file's bytes while it is written take about 0.3 MiB per document of the bound with
#: documents of 1,800 characters (docs/import-spacy.md has the figures).
DOCS_PER_FILE = 500
#: A folder's files are numbered from 0 with this many digits (``train-00000.spacy``).
DIGITS = 5
SUFFIX = ".spacy"


class Shard:
    """The DocBin being filled of one split, and the vocabulary its documents are made with."""

    def __init__(self, docbin: Any, vocab: Any):
        self.docbin, self.vocab = docbin, vocab
        self.docs = 0

    def add(self, doc: Any) -> None:
        """Add one spaCy ``Doc`` (made with ``self.vocab``)."""
        self.docbin.add(doc)
        self.docs += 1


class ShardWriter:
    """Every split's DocBins under the folder ``out``, ``per_file`` documents to a file at most:
    ``writer.shard(split).add(doc)`` for each document, then ``writer.close()`` once. Each file
    written is listed in ``report.files``, in path order once closed.

    ``new_docbin`` and ``new_vocab`` make an empty DocBin and vocabulary for each file."""

    def __init__(self, out: Path, *, per_file: int, report: Report, new_docbin: Callable[[], Any],
                 new_vocab: Callable[[], Any]):
        if isinstance(per_file, bool) or not isinstance(per_file, int) or per_file < 1:
            raise FormatError(f"documents per .spacy file must be a whole number of at least 1, got {per_file!r}")
        self.out, self.per_file, self.report = Path(out), per_file, report
        self.new_docbin, self.new_vocab = new_docbin, new_vocab
        self.open: dict[str, Shard] = {}
        self.written: dict[str, int] = {}  # files written so far into each split's folder
        #: What spaCy's reader takes as each split written: its ``.spacy`` file or its folder, under ``out``.
        self.splits: dict[str, Path] = {}

    def shard(self, split: str) -> Shard:
        """The split's DocBin with room for one more document: a full one is written first."""
        shard = self.open.get(split)
        if shard is not None and shard.docs >= self.per_file:
            self._write(split, self._numbered(split))
            shard = None
        if shard is None:
            shard = self.open[split] = Shard(self.new_docbin(), self.new_vocab())
        return shard

    def close(self) -> None:
        """Write what is left of each split: ``<split>.spacy`` when the split never filled a file,
        else the last numbered file of its folder."""
        for split in sorted(self.open):
            self._write(split, self._numbered(split) if split in self.written else self.out / f"{split}{SUFFIX}")
        self.report.files.sort()

    def _numbered(self, split: str) -> Path:
        n = self.written.get(split, 0)
        return self.out / split / f"{split}-{n:0{DIGITS}d}{SUFFIX}"

    def _write(self, split: str, path: Path) -> None:
        shard = self.open.pop(split)
        if path.parent != self.out:
            path.parent.mkdir(exist_ok=True)
            self.written[split] = self.written.get(split, 0) + 1
        shard.docbin.to_disk(path)
        self.report.files.append(path)
        self.splits[split] = path if path.parent == self.out else path.parent
