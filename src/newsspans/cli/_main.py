"""The ``newsspans`` command: a thin layer over the library functions.

Exit status: 0 success, 1 failure (invalid corpus, stale release, refused operation, a file
system error such as a full disk), 2 usage error, 130 interrupted (Ctrl-C). A user's mistake, a
full disk or a Ctrl-C is one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence, TextIO

from .._version import __version__
from ..errors import BadInput, NewsSpansError
from ..paths import display_path
from ..validation import CorpusInvalid
from . import _adjudication, _agreement, _corpus, _dataset, _formats, _registry, _review, _suggestions, _summary, _validation
from ._common import print_report

#: The command modules, in the order of ``newsspans --help``.
COMMAND_GROUPS = (_dataset, _validation, _summary, _agreement, _suggestions, _adjudication, _corpus, _registry, _formats, _review)
#: The commands whose writes are all or nothing: interrupted or failed, they changed nothing.
ATOMIC_COMMANDS = frozenset({"build", "hydrate", "render", "export", "add", "remove", "annotator", "import", "release", "adjudicate",
                             "suggest", "registry"})


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
    command = f"newsspans {args.command}"
    unchanged = "; nothing was changed" if args.command in ATOMIC_COMMANDS else ""
    try:
        return args.func(args, out, err)
    except KeyboardInterrupt:
        print(f"{command}: interrupted{unchanged}", file=err)
        return 130
    except NewsSpansError as exc:
        if isinstance(exc, CorpusInvalid):
            print_report(exc.problems, err)  # the corpus's problems, not just their count
        print(f"{command}: {exc}", file=err)
        return 2 if isinstance(exc, BadInput) else 1  # a usage error, as argparse's
    except OSError as exc:
        print(f"{command}: {_one_line(_os_error(exc))}{unchanged}", file=err)
        return 1
    except Exception as exc:
        if not _is_arrow_error(exc):
            raise
        print(f"{command}: cannot write the Parquet files: {_one_line(str(exc))}{unchanged}", file=err)
        return 1


def _os_error(exc: OSError) -> str:
    what = exc.strerror or str(exc) or type(exc).__name__
    names = [display_path(n) for n in (exc.filename, exc.filename2) if n]
    return ": ".join([what, " -> ".join(names)]) if names else what


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _is_arrow_error(exc: BaseException) -> bool:
    """Whether ``exc`` is pyarrow's (``pyarrow.lib.ArrowException``): without importing pyarrow,
    which only a command that loaded it can have raised."""
    lib = sys.modules.get("pyarrow.lib")
    return lib is not None and isinstance(exc, getattr(lib, "ArrowException", ()))
