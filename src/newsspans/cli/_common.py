"""What the command modules share: default paths, the arguments every command spells the same
way (``--corpus``, ``--quiet``, the engine options), argument types and printing a report."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, TextIO

from ..paths import DEFAULT_CORPUS
from ..validation import Problem, text_report

__all__ = ["DEFAULT_CORPUS", "DEFAULT_OUT", "DEFAULT_SCHEMA", "add_corpus_argument", "add_deprecated_spelling",
           "add_quiet_option", "apply_deprecated_spellings", "positive", "print_report"]

DEFAULT_OUT = Path("data")
DEFAULT_SCHEMA = Path("schema")


def print_report(problems: list[Problem], err: TextIO) -> None:
    """The validator's text report of ``problems``, on ``err``."""
    for line in text_report(problems):
        print(line, file=err)


def corpus_location(text: str):
    """A ``--corpus`` value: a path, or an fsspec URL (``s3://...``, a packed corpus) kept as it is."""
    return text if "://" in text else Path(text)


def add_corpus_argument(p: "argparse.ArgumentParser", *, packed: bool = False, what: str = "corpus folder",
                        default: Optional[Path] = DEFAULT_CORPUS) -> None:
    """``--corpus DIR``, the corpus a command reads, spelled the same on every command (``default``
    None: no default, the command asks for it). ``packed``: a packed corpus (``newsspans pack``) at
    a path or an fsspec URL is read too."""
    kind = f"{what}, or packed corpus (newsspans pack) at a path or an fsspec URL" if packed else what
    p.add_argument("--corpus", type=corpus_location if packed else Path, metavar="DIR", default=default,
                   help=kind + (f" (default: {default})" if default is not None else ""))


def add_quiet_option(p: "argparse.ArgumentParser") -> None:
    """``--quiet``: no progress display (it is shown only when stderr is a terminal anyway)."""
    p.add_argument("-q", "--quiet", action="store_true",
                   help="show no progress (documents done, rate, time left), which a terminal otherwise gets on stderr")


class _DeprecatedSpelling(argparse.Action):
    """An old spelling of an argument, hidden from ``--help``: its value (through ``convert``) is
    kept aside, with the new argument's default, for ``apply_deprecated_spellings``."""

    def __init__(self, option_strings, dest, *, new: str, new_dest: str, convert: Callable[[Any], Any], **kwargs):
        super().__init__(option_strings, dest, help=argparse.SUPPRESS, **kwargs)
        self.new, self.new_dest, self.convert = new, new_dest, convert

    def __call__(self, parser, namespace, values, option_string=None):
        if values is None:  # an optional position left out
            return
        used = DeprecatedUse(old=option_string or f"{self.metavar} as a position", new=self.new, dest=self.new_dest,
                             value=self.convert(values), default=parser.get_default(self.new_dest))
        namespace.deprecated_spellings = [*(getattr(namespace, "deprecated_spellings", None) or []), used]


@dataclass(frozen=True)
class DeprecatedUse:
    """An old spelling met on the command line: ``old`` gave ``value`` to the argument ``new``
    (attribute ``dest``, whose default is ``default``)."""

    old: str
    new: str
    dest: str
    value: Any
    default: Any


def add_deprecated_spelling(p: "argparse.ArgumentParser", *names: str, new: str, new_dest: str, type: Callable[[str], Any],
                            metavar: str, convert: Callable[[Any], Any] = lambda value: value) -> None:
    """An old spelling of the argument ``new`` (the option ``names``, or a position when there are
    none) that keeps working, hidden from ``--help``; using it prints one deprecation line on
    stderr (``apply_deprecated_spellings``). ``convert`` turns its value into the new argument's
    (``--root P`` into ``P/corpus``)."""
    options = dict(action=_DeprecatedSpelling, type=type, metavar=metavar, new=new, new_dest=new_dest, convert=convert)
    if names:
        p.add_argument(*names, dest=f"deprecated_{new_dest}", **options)
    else:
        p.add_argument(f"deprecated_{new_dest}", nargs="?", default=None, **options)


def apply_deprecated_spellings(args: argparse.Namespace, command: str, err: TextIO) -> Optional[str]:
    """Give each old spelling's value to its new argument, with one deprecation line on ``err`` per
    spelling used. Returns a usage error (to print, exit status 2) when the new spelling was given
    too, with another value; None otherwise."""
    for used in getattr(args, "deprecated_spellings", None) or []:
        current = getattr(args, used.dest, None)
        if current not in (None, used.default, used.value):
            return f"{command}: {used.old} ({used.value}) and {used.new} ({current}) disagree; give {used.new} only"
        setattr(args, used.dest, used.value)
        print(f"{command}: warning: {used.old} is deprecated and will be removed; write {used.new} {used.value}", file=err)
    return None


def add_engine_options(p: "argparse.ArgumentParser", what: str) -> None:
    """``--engine`` and ``--scheduler``, the same on every command that has them."""
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help=f"local: {what} in this machine's processes (default); dask: as tasks of a Dask cluster "
                        "(pip install 'newsspans[dask]'); the result does not depend on it")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: the address of a running dask.distributed "
                   "scheduler (tcp://host:8786); without it a LocalCluster of --workers processes is started")


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value
