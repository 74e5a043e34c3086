"""The ``newsspans`` command: a thin layer over the library functions.

Exit status: 0 success, 1 failure (invalid corpus, stale release, refused operation, a file
system error such as a full disk), 2 usage error, 130 interrupted (Ctrl-C), 141 the output's reader
went away (``newsspans validate | head``; silently, as for other programs a SIGPIPE ends). A
user's mistake, a full disk or a Ctrl-C is one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Optional, Sequence, TextIO

from .. import progress
from .._version import __version__
from ..errors import BadInput, NewsSpansError
from ..paths import display_path
from ..validation import CorpusInvalid
from . import _adjudication, _agreement, _corpus, _dataset, _formats, _registry, _review, _suggestions, _summary, _validation
from ._common import apply_deprecated_spellings, print_report

#: The command modules, in the order of ``newsspans --help``.
COMMAND_GROUPS = (_dataset, _validation, _summary, _agreement, _suggestions, _adjudication, _corpus, _registry, _formats, _review)
#: The exit status when the reader of the output went away (``newsspans validate | head``): 128 + SIGPIPE,
#: what the shell reports for a program the signal ended, as ``yes | head`` does.
EXIT_OUTPUT_CLOSED = 141
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
    out, err = _Output(stdout or sys.stdout), _Output(stderr or sys.stderr)
    try:
        return _main(argv, out, err)
    except OutputClosed as exc:  # `newsspans validate | head`: the reader is gone, so is anything to say
        exc.silence()
        return EXIT_OUTPUT_CLOSED


def _main(argv: Optional[Sequence[str]], out: "_Output", err: "_Output") -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        out.flush()
        return int(exc.code or 0)
    command = f"newsspans {args.command}"
    clash = apply_deprecated_spellings(args, command, err)
    if clash is not None:
        print(clash, file=err)
        return 2
    unchanged = "; nothing was changed" if args.command in ATOMIC_COMMANDS else ""
    try:
        # progress on stderr only for the commands with --quiet, and only on a terminal (progress.shown)
        with progress.shown(err, label=command, enabled=getattr(args, "quiet", True) is False) as display:
            code = args.func(args, *(display.guard(s) for s in (out, err))) if display else args.func(args, out, err)
        out.flush()  # here, so that a closed pipe is met while it can still be handled
        return code
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


class OutputClosed(Exception):
    """The reader of stdout or stderr went away (a pipe to ``head`` that has read enough). Not an
    ``OSError``: no handler of a file system error takes it for one."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__("output closed")
        self.stream = stream

    def silence(self) -> None:
        """What Python's documentation recommends (the signal module, "Note on SIGPIPE"): point the
        closed stream's descriptor at /dev/null, so the flush at exit meets no broken pipe and
        prints nothing."""
        try:
            fd = self.stream.fileno()
        except (AttributeError, OSError, ValueError):  # not a file (a test's StringIO): nothing is flushed at exit
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
        finally:
            os.close(devnull)


class _Output:
    """stdout or stderr as the commands see it: ``stream`` itself, but a broken pipe met while
    writing to it is an ``OutputClosed``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise OutputClosed(self._stream) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise OutputClosed(self._stream) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


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
