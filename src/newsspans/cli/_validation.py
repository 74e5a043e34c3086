"""``newsspans validate``: every problem of a corpus, over ``newsspans.validation``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..errors import NewsSpansError
from ._common import (add_corpus_argument, add_deprecated_spelling, add_engine_options, add_quiet_option, corpus_location,
                      positive)


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from ..validation import checks_table, iter_problems, json_report, open_engine, resolve_codes, select, text_report

    if args.list_checks:
        out.write(checks_table())
        return 0
    try:
        chosen = resolve_codes(args.select) if args.select else None
        ignored = resolve_codes(args.ignore) if args.ignore else None
    except NewsSpansError as exc:
        print(f"newsspans validate: {exc}", file=err)
        return 2
    if args.max_errors is not None and args.max_errors < 0:
        print("newsspans validate: --max-errors must be 0 or more", file=err)
        return 2
    corpus = args.corpus
    if isinstance(corpus, Path) and not corpus.is_dir():
        print(f"newsspans validate: {corpus}: no such corpus folder", file=err)
        return 2
    engine = open_engine(args.engine, scheduler=args.scheduler, workers=args.workers)
    try:
        problems = select(iter_problems(corpus, workers=args.workers, engine=engine), select=chosen, ignore=ignored,
                          warnings=not args.no_warnings)
        if args.format == "json":
            report = json_report(problems, corpus=str(corpus), max_errors=args.max_errors)
            print(json.dumps(report, indent=2, ensure_ascii=False), file=out)
            return 1 if report["errors"] else 0
        failed = False
        for line in text_report(problems, max_errors=args.max_errors):
            print(line, file=out)
            failed = line.startswith("*** FAILED ***")
        return 1 if failed else 0
    finally:
        if engine is not None:
            engine.close()


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the ``newsspans`` parser."""
    p = sub.add_parser("validate", help="report every problem of a corpus", description=(
        "Check every file of the corpus and report every problem, one line each (file:line: [CODE] "
        "item offsets: what was found — the fix), then the counts per code and PASSED or FAILED. "
        "Exit 0 when there is no error (warnings allowed), 1 when there are errors, 2 for a usage error. "
        "Nothing is modified."))
    add_corpus_argument(p, packed=True)
    add_deprecated_spelling(p, new="--corpus", new_dest="corpus", type=corpus_location, metavar="CORPUS")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text lines (default) or one JSON report")
    p.add_argument("--select", action="append", metavar="CODE", help="report only these codes (repeat, or comma-separate; globs such as 'E-SPAN-*' work)")
    p.add_argument("--ignore", action="append", metavar="CODE", help="do not report these codes")
    p.add_argument("--max-errors", type=int, metavar="N", help="print at most N errors (the summary still counts all)")
    p.add_argument("--no-warnings", action="store_true", help="leave warnings out of the report")
    p.add_argument("--list-checks", action="store_true", help="print the table of every check and exit")
    p.add_argument("--workers", type=positive, metavar="N", help="processes that check documents (default: one per core; the report does not depend on it)")
    add_engine_options(p, "check the documents")
    add_quiet_option(p)
    p.set_defaults(func=cmd_validate)
