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


# --- several files, all or nothing --------------------------------------------------------------

#: The journal of a multi-file write in progress, in the folder the write is rooted at.
JOURNAL = ".newsspans-journal.json"
_STAGED = ".newsspans-new."


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666 & ~_umask())
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise


def write_files(root: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (paths relative to ``root``, each in an existing folder) all or nothing.

    Every file is first written beside its target under a staged name; then a journal listing the
    renames is put in ``root`` with one atomic rename (the commit point); then the files are
    renamed into place and the journal removed. Killed before the commit point, nothing changed
    (the staged files are removed by ``finish_writes``); killed after it, ``finish_writes``
    completes the renames. Returns the written paths."""
    import json

    root = Path(root)
    finish_writes(root)
    staged: list[tuple[str, str]] = []
    try:
        for rel, data in files.items():
            target = root / rel
            tmp = target.with_name(f"{_STAGED}{target.name}")
            _write_synced(tmp, data)
            staged.append((tmp.relative_to(root).as_posix(), rel))
        journal_tmp = root / f"{_STAGED}{JOURNAL}"
        _write_synced(journal_tmp, json.dumps({"renames": staged}).encode("utf-8"))
        os.replace(journal_tmp, root / JOURNAL)  # the commit point
    except BaseException:
        for tmp, _ in staged:
            (root / tmp).unlink(missing_ok=True)
        (root / f"{_STAGED}{JOURNAL}").unlink(missing_ok=True)
        raise
    finish_writes(root)
    return [root / rel for rel in files]


def finish_writes(root: Path) -> bool:
    """Complete or undo a ``write_files`` that was interrupted in ``root``: with a journal, finish
    its renames; without one, remove staged files left behind. Returns True when there was
    anything to do. Safe to call at any time, and again after being interrupted itself."""
    import json

    root = Path(root)
    journal = root / JOURNAL
    did = False
    if journal.is_file():
        for tmp, rel in json.loads(journal.read_text(encoding="utf-8"))["renames"]:
            if (root / tmp).exists():
                os.replace(root / tmp, root / rel)
        journal.unlink()
        did = True
    for leftover in staged_leftovers(root):
        leftover.unlink(missing_ok=True)
        did = True
    return did


def staged_leftovers(root: Path) -> list[Path]:
    """Staged files of an interrupted ``write_files`` under ``root`` (one folder level deep)."""
    root = Path(root)
    found = [p for p in root.glob(f"{_STAGED}*") if p.is_file()]
    found += [p for p in root.glob(f"*/{_STAGED}*") if p.is_file()]
    return sorted(found)
