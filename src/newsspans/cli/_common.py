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


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value
