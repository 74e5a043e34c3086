"""NewsSpans: build, check and load a corpus of labeled spans (entities, quotes, claims) in news.

Library entry points (the ``newsspans`` command is a thin layer over them):

- ``build(corpus=..., out=...)`` writes the release folder; ``check(corpus=..., out=...)`` lists
  the stale files of a committed release.
- ``iter_problems(corpus_dir)`` yields every problem of a corpus as ``Problem`` values;
  ``validate(corpus_dir)`` returns them all, or raises ``CorpusInvalid`` when any is an error.
- ``add_document(text_file, corpus=..., story_id=...)`` brings a text into a corpus byte for byte.
"""

__version__ = "0.1.0"

# Imported eagerly on purpose: the function ``build`` shares its name with the module
# ``newsspans.build``, and only an eager ``from .build import build`` keeps the function bound.
from .build import BuildError, build, check  # noqa: E402
from .corpus import Corpus, iter_problems, validate  # noqa: E402
from .ingest import add_document, parse_dateline  # noqa: E402
from .problems import CorpusInvalid, Problem  # noqa: E402

__all__ = [
    "BuildError",
    "Corpus",
    "CorpusInvalid",
    "Problem",
    "add_document",
    "build",
    "check",
    "iter_problems",
    "parse_dateline",
    "validate",
]
