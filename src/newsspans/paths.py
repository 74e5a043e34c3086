"""Paths and files: how a path is shown to the user, content hashes, and the atomic folder swap
that every command writing a folder uses (build, export, render)."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Union

#: The corpus folder every command reads unless told otherwise.
DEFAULT_CORPUS = Path("corpus")


def display_path(path: Union[str, Path]) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") or rel == "." else rel


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def replace_dir(new: Path, out: Path) -> None:
    """Put the complete folder ``new`` at ``out``, replacing what was there; when the second
    rename fails, the old folder is put back."""
    if not out.exists():
        os.rename(new, out)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old)


@contextmanager
def staged_dir(out: Path, *, purpose: str = "tmp") -> Iterator[Path]:
    """A fresh temporary sibling of ``out`` to write into; when the block completes it replaces
    ``out`` (``replace_dir``), and whatever happens it is gone afterwards, so ``out`` is either
    the old folder or the complete new one."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{purpose}-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output folder is not
    try:
        yield tmp
        replace_dir(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
