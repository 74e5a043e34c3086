"""The ``newsspans`` command: a thin layer over the library functions.

Exit status: 0 success, 1 failure (invalid corpus, stale release, refused operation), 2 usage
error. A user's mistake is one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence, TextIO

from .._version import __version__
from ..errors import NewsSpansError
from ..validation import CorpusInvalid
from . import _corpus, _dataset, _formats, _review, _validation
from ._common import print_report

#: The command modules, in the order of ``newsspans --help``.
COMMAND_GROUPS = (_dataset, _validation, _corpus, _formats, _review)



def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsspans", description="Build, check and load the NewsSpans corpus of labeled spans in news.")
    parser.add_argument("--version", action="version", version=f"newsspans {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for group in COMMAND_GROUPS:
        group.add_parsers(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None, stdout: Optional[TextIO] = None, stderr: Optional[TextIO] = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        return args.func(args, out, err)
    except NewsSpansError as exc:
        if isinstance(exc, CorpusInvalid):
            print_report(exc.problems, err)  # the corpus's problems, not just their count
        print(f"newsspans {args.command}: {exc}", file=err)
        return 1
    except OSError as exc:
        print(f"newsspans {args.command}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=err)
        return 1
