"""``newsspans adjudicate``: a thin layer over ``newsspans.adjudication.adjudicate``."""

from __future__ import annotations

import argparse
from typing import TextIO

from ._common import add_corpus_argument


def _print_documents(result, out: TextIO, err: TextIO, *, dry_run: bool) -> None:
    for d in result.documents:
        print(d.summary(dry_run=dry_run), file=out)
        if d.gold is not None and d.gold.changed:
            for line in d.gold.change_lines():
                print(f"    {line}", file=out)
            for warning in d.gold.warnings:
                print(f"warning: {warning}", file=err)


def cmd_adjudicate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..adjudication import adjudicate

    result = adjudicate(corpus=args.corpus, documents=args.docs, annotators=args.annotators,
                        dry_run=args.dry_run or args.check)
    for note in result.notes:
        print(f"note: {note}", file=err)
    if not result.documents:
        print("nothing to adjudicate: no document has layers of two or more annotators", file=out)
        return 0
    _print_documents(result, out, err, dry_run=args.dry_run or args.check)
    n = len(result.files)
    files = f"{n} file{'s' * (n != 1)}"
    if args.check:
        failures = result.check_failures()
        for line in failures:
            print(line, file=err)
        if failures:
            print(f"newsspans adjudicate --check: {len(failures)} document(s) not fully adjudicated", file=err)
            return 1
        print("check passed: every decision is made and each gold is what its layers and decisions give", file=out)
    elif args.dry_run:
        print(f"dry run: would write {files}; nothing was written", file=out)
    else:
        print(f"wrote {files}" if n else "nothing to write: the decisions files and the gold are up to date", file=out)
    return 0


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the ``newsspans`` parser."""
    p = sub.add_parser("adjudicate", help="compare the annotators' layers, write the disagreements to decide, apply the decisions", description=(
        "For each document with layers of two or more annotators, group the layers' items into units (items of "
        "different annotators whose spans overlap), take the units all annotators agree on into gold, and write every "
        "other unit as one line of corpus/decisions/<id>.jsonl, to decide by setting its take (an annotator, neither, "
        "or edit with items) and an optional reason. Run it again after deciding: decisions made are kept, and once "
        "every decision of a document is made its gold is written, with stable ids. All files are written in one "
        "step, or none. See docs/adjudication.md."))
    add_corpus_argument(p)
    p.add_argument("--docs", nargs="+", metavar="ID", help="only these documents (default: every document with two or more layers)")
    p.add_argument("--annotators", nargs="+", metavar="ID",
                   help="compare only these annotators' layers (two or more; default: every annotator of "
                        "corpus/annotators.json with a layer)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print what would be written and write nothing")
    mode.add_argument("--check", action="store_true",
                      help="write nothing; fail (exit 1) if a document has open decisions or a gold that differs from "
                           "what its layers and decisions give (for CI)")
    p.set_defaults(func=cmd_adjudicate)
