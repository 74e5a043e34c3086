"""The ``newsspans`` command: one module per command group, each a thin layer over the library."""

from ._main import main, make_parser

__all__ = ["main", "make_parser"]
