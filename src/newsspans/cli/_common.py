"""What the command modules share: default paths, argument types and printing a report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..paths import DEFAULT_CORPUS
from ..validation import Problem, text_report

__all__ = ["DEFAULT_CORPUS", "DEFAULT_OUT", "DEFAULT_SCHEMA", "positive", "print_report"]

DEFAULT_OUT = Path("data")
DEFAULT_SCHEMA = Path("schema")


def print_report(problems: list[Problem], err: TextIO) -> None:
    """The validator's text report of ``problems``, on ``err``."""
    for line in text_report(problems):
        print(line, file=err)


def corpus_location(text: str):
    """A ``--corpus`` value: a path, or an fsspec URL (``s3://...``, a packed corpus) kept as it is."""
    return text if "://" in text else Path(text)


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
