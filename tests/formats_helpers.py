"""Shared by the format tests: run the CLI, compare corpus annotation files."""

from __future__ import annotations

import io

from conftest import CORPUS, tree_bytes

from newsspans.cli import main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def annotation_files(corpus=CORPUS) -> dict[str, bytes]:
    return tree_bytes(corpus / "annotations")
