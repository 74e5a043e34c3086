"""NewsSpans: build, check and load a corpus of labeled spans (entities, quotes, claims) in news.

The package reads as the pipeline, imports pointing one way down this list:

- base modules: ``errors``, ``labels``, ``model``, ``paths``, ``atomic``, ``tokenize``;
- ``corpus``: the on-disk layout, canonical JSON, lenient reading, ``add_document``, ``remove_document``;
- ``validation``: every problem of a corpus (``iter_problems``, ``validate``);
- ``dataset``: the release folder (``build``, ``check``) and what a corpus holds (``summarize``);
- ``versions``: snapshots, ``diff`` and ``release``;
- ``review``: the review pages (``render``);
- ``formats``: exports and imports of the tools' formats;
- ``cli``: the ``newsspans`` command, a thin layer over the library.

Library entry points:

- ``build(corpus=..., out=...)`` writes the release folder; ``check(corpus=..., out=...)`` lists
  the stale files of a committed release.
- ``iter_problems(corpus_dir)`` yields every problem of a corpus as ``Problem`` values;
  ``validate(corpus_dir)`` returns them all, or raises ``CorpusInvalid`` when any is an error.
- ``add_document(text_file, corpus=..., story_id=...)`` brings a text into a corpus byte for byte;
  ``remove_document(corpus=..., doc_id=...)`` takes one out, every file of it.
- ``summarize(corpus)`` streams a summary of each document (metadata, split, counts per label of
  gold and of each annotator's layer) and sums them (``newsspans stats``, ``newsspans ls``).
"""

from ._version import __version__
from .corpus import add_document, parse_dateline, remove_document
from .dataset import BuildError, build, check, summarize
from .validation import Corpus, CorpusInvalid, Problem, iter_problems, validate

__all__ = [
    "__version__",
    "BuildError",
    "Corpus",
    "CorpusInvalid",
    "Problem",
    "add_document",
    "build",
    "check",
    "iter_problems",
    "parse_dateline",
    "remove_document",
    "summarize",
    "validate",
]
