"""``newsspans stats`` and ``newsspans ls``: what a corpus holds, counted as the build reads it
(``newsspans.dataset.summarize``). Nothing is written.

Exit status 0; 1 when documents with errors were left out of the figures (or the corpus has
other errors the build refuses it for), said in one line on stderr; 2 for a usage error.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ._common import add_corpus_argument, positive


def cmd_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..dataset import DOCUMENT_COLUMNS, document_row, format_stats, summarize, write_rows

    summary = summarize(args.corpus, workers=args.workers)
    if args.by == "document":  # streamed, a row per document as it is read
        write_rows((document_row(s) for s in summary), out, fmt=args.format, columns=DOCUMENT_COLUMNS)
    else:
        out.write(format_stats(summary.finish(), by=args.by, fmt=args.format))
    return _note(summary.finish(), "newsspans stats", err)


def cmd_ls(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..dataset import LS_COLUMNS, summarize, write_rows

    summary = summarize(args.corpus, workers=args.workers)
    write_rows((s.to_dict() for s in summary), out, fmt=args.format, columns=LS_COLUMNS, key="documents")
    return _note(summary.finish(), "newsspans ls", err)


def _note(tally: Any, command: str, err: TextIO) -> int:
    """Say on ``err`` what the figures leave out (``dataset.left_out_note``); the exit status."""
    from ..dataset import left_out_note

    lines = list(left_out_note(tally, command))
    for line in lines:
        print(line, file=err)
    return 1 if lines else 0


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the ``newsspans`` parser."""
    p = sub.add_parser("stats", help="count documents, labels, quotes and claims per split and annotator", description=(
        "Count what the corpus holds, reading it as the build does: documents, gold's entity mentions per label, "
        "quotes per type and claims per label (in all and per split), documents and items per split, and per "
        "annotator layer. Without --by: the totals and the tables by label, split and annotator. A document with "
        "errors is not counted (the build would not release it): it is named on stderr and the exit status is 1. "
        "Nothing is written."))
    add_corpus_argument(p, packed=True)
    p.add_argument("--by", choices=("document", "label", "split", "annotator"),
                   help="one table: per document (streamed: tab-separated in text), label, split or annotator")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="text (default; aligned tables), json (stable keys) or markdown")
    p.add_argument("--workers", type=positive, metavar="N",
                   help="processes that read documents (default: one per core; the figures do not depend on it)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("ls", help="list the documents with their metadata and counts", description=(
        "One line per document, in id order, streamed: id, title, published, source, split, the annotators with a "
        "layer of it, gold's entity mentions, quotes and claims, and its errors (a document with errors is read as "
        "the build reads it, not at all: its other values are '-' and the exit status is 1). Text is tab-separated "
        "under a header line; json and jsonl carry every metadata key (url, language, story_id too). Nothing is "
        "rendered or written."))
    add_corpus_argument(p, packed=True)
    p.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                   help="text (default; tab-separated), json ({\"documents\": [...]}) or jsonl (one document per line)")
    p.add_argument("--workers", type=positive, metavar="N",
                   help="processes that read documents (default: one per core; the list does not depend on it)")
    p.set_defaults(func=cmd_ls)
