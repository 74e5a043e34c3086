"""What the tests share: the project's paths, the CLI run in-process, git in a scratch repository,
and reading and writing corpus files. Every test module imports from here (``conftest.py`` holds
only the session setup and fixtures)."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = ROOT / "data"


def run(*argv, cwd: Optional[Path] = None) -> tuple[int, str, str]:
    """``newsspans ARGV`` in this process (in ``cwd`` when given): (exit status, stdout, stderr)."""
    from newsspans.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd or old)
    try:
        code = main([str(a) for a in argv], stdout=out, stderr=err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def git(repo: Path, *args: str) -> str:
    """``git -C repo ARGS`` with a test identity; raises on failure, returns stdout."""
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True, text=True).stdout


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, value) -> None:
    from newsspans.corpus import dumps_canonical

    path.write_text(dumps_canonical(value), encoding="utf-8")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def annotation_files(corpus: Path = CORPUS) -> dict[str, bytes]:
    return tree_bytes(corpus / "annotations")


def document_ids(corpus: Path = CORPUS) -> list[str]:
    return sorted(p.stem for p in (corpus / "texts").glob("*.txt"))


def first_doc(corpus: Path) -> str:
    return document_ids(corpus)[0]
