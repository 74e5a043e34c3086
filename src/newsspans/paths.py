"""Paths: the default corpus folder, how a path is shown to the user, and content hashes. (The
atomic writes are in ``newsspans.atomic``.)"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Union

#: The corpus folder every command reads unless told otherwise.
DEFAULT_CORPUS = Path("corpus")


def display_path(path: Union[str, Path]) -> str:
    """The path as a user would type it: relative to the working directory when inside it (an
    fsspec URL as it is)."""
    if "://" in str(path):
        return str(path)
    if not os.path.isabs(path):  # the fast path (the validator shows every file it reads)
        rel = os.path.normpath(path)
        if not rel.startswith(".."):  # then it is what relpath gives, without its two abspath calls
            return str(path) if rel == "." else rel
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") or rel == "." else rel


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class FileDigest:
    sha256: str  # hex
    size: int  # bytes


def file_digest(path: Union[str, "os.PathLike[str]"], block: int = 1 << 20) -> FileDigest:
    """The SHA-256 and size of the file at ``path``, read a block at a time: a release's largest
    Parquet file is a hundred megabytes at 100,000 documents, and reading it whole to hash it
    made the build's peak memory grow with the corpus."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(block):
            digest.update(chunk)
            size += len(chunk)
    return FileDigest(digest.hexdigest(), size)


