"""A git revision's files read one at a time: a folder's listing (``git ls-tree``, streamed) and
the bytes of one file after another (one ``git cat-file --batch`` process), so that reading a
revision holds one document's files, never the whole folder. Nothing here writes anything.

The bytes are the committed blobs. ``git archive`` (and a checkout) may convert them on the way
out: line ends (``core.autocrlf``, the ``text``/``eol`` attributes), ``filter`` drivers such as
Git LFS, ``ident``, ``working-tree-encoding``, and ``export-ignore``/``export-subst``.
``checkout_converts`` says whether any of that could apply, so that a caller reads such a revision
the way ``git archive`` gives it instead.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional, Sequence

from ..errors import BadInput
from ._git import discard, run_git, start_git

LINK_MODE = "120000"
#: The attributes under which ``git archive`` may give other bytes than the blob's.
CONVERTING_ATTRIBUTES = ("text", "eol", "crlf", "ident", "filter", "working-tree-encoding", "export-ignore", "export-subst")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a revision's tree: its mode, kind (blob, tree or commit) and object id."""

    mode: str
    kind: str
    oid: str

    @property
    def is_link(self) -> bool:
        return self.mode == LINK_MODE

    @property
    def is_file(self) -> bool:
        """A regular file (not a link, a folder or a submodule)."""
        return self.kind == "blob" and self.mode != LINK_MODE

    @property
    def is_dir(self) -> bool:
        return self.kind == "tree"


def _records(stream: IO[bytes]) -> Iterator[bytes]:
    """The NUL-terminated records of ``stream``, read a block at a time."""
    rest = b""
    for block in iter(lambda: stream.read(1 << 16), b""):
        *records, rest = (rest + block).split(b"\0")
        yield from records


def list_tree(repo: Path, commit: str, paths: Sequence[str]) -> Iterator[tuple[str, Entry]]:
    """``(path, entry)`` of every file and folder at or below ``paths`` at ``commit`` (and of the
    folders on the way to them), streamed from ``git ls-tree`` as it lists them. Paths are relative
    to the repository root, decoded as the file system decodes names."""
    kinds: dict[bytes, str] = {}
    with start_git(repo, "ls-tree", "-r", "-t", "-z", "--full-tree", commit, "--", *paths) as proc:
        for record in _records(proc.stdout):
            meta, _, name = record.partition(b"\t")
            mode, kind, oid = meta.split(b" ")
            # The few distinct modes and kinds are shared, not one string per entry.
            yield os.fsdecode(name), Entry(kinds.setdefault(mode, mode.decode()), kinds.setdefault(kind, kind.decode()),
                                          oid.decode())
    if proc.returncode != 0:
        raise BadInput(f"git ls-tree could not list {', '.join(paths)} at {commit[:12]}")


class BlobReader:
    """The bytes of blobs by object id, from one ``git cat-file --batch`` process (a context
    manager: the process ends with the block). Blobs can be asked for ahead (``request``) and
    their bytes taken later, in the same order (``receive``): git finds the next files while the
    caller reads one. Few enough may be asked ahead that the requests never fill the pipe
    (``MAX_AHEAD``), so asking never waits for the caller to take answers."""

    #: Requests not yet answered at most: their lines (41 bytes each) stay far below a pipe's buffer.
    MAX_AHEAD = 512

    def __init__(self, repo: Path):
        self._proc = start_git(repo, "cat-file", "--batch", stdin=subprocess.PIPE)
        self._pending = 0

    def __enter__(self) -> "BlobReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the process, even with answers not taken (closing their pipe first ends its writing)."""
        for stream in (self._proc.stdin, self._proc.stdout):
            stream.close()
        self._proc.wait()

    def request(self, oids: Sequence[str]) -> None:
        """Ask for the blobs ``oids``; their bytes come from ``receive``, after those asked before."""
        if self._pending + len(oids) > self.MAX_AHEAD:
            raise ValueError(f"more than {self.MAX_AHEAD} blobs asked for ahead")
        self._proc.stdin.write("".join(f"{oid}\n" for oid in oids).encode("ascii"))
        self._proc.stdin.flush()
        self._pending += len(oids)

    def receive(self, n: int) -> list[Optional[bytes]]:
        """The bytes of the next ``n`` blobs asked for (None for an object the repository does not
        have: the caller knows which file it is, and refuses it)."""
        if n > self._pending:
            raise ValueError("more answers taken than blobs asked for")
        self._pending -= n
        return [self._answer() for _ in range(n)]

    def read(self, oids: Sequence[str]) -> list[Optional[bytes]]:
        """The bytes of each blob of ``oids``, when nothing else is asked for ahead."""
        if self._pending:
            raise ValueError("blobs asked for ahead are not taken yet")
        self.request(oids)
        return self.receive(len(oids))

    def _answer(self) -> Optional[bytes]:
        out = self._proc.stdout
        header = out.readline().split()
        if len(header) != 3:  # "<oid> missing" (or nothing: git stopped)
            if not header:
                raise BadInput("git cat-file stopped while reading a revision")
            return None
        size = int(header[2])
        data = out.read(size)
        if len(data) != size or out.read(1) != b"\n":
            raise BadInput("git cat-file stopped while reading a revision")
        return data


def _autocrlf(repo: Path) -> bool:
    value = run_git(repo, "config", "--get", "core.autocrlf").stdout.strip().lower()
    return value not in ("", "false", "no", "off", "0", "input")  # input converts on commit only


def checkout_converts(repo: Path, paths: Iterable[str]) -> bool:
    """Whether ``git archive`` might give other bytes than the blobs for any of ``paths``:
    ``core.autocrlf`` is on, or one of ``CONVERTING_ATTRIBUTES`` is set for a path (as
    ``git check-attr`` sees it: the attributes files of the system, the user, the repository and
    the work tree). The caller checks the revision's own ``.gitattributes`` files. When git cannot
    tell, the answer is yes. The paths are written and the answers read as they go (a thread
    writes), so neither is held whole."""
    if _autocrlf(repo):
        return True
    proc = start_git(repo, "check-attr", "-z", "--stdin", *CONVERTING_ATTRIBUTES, stdin=subprocess.PIPE)

    def write() -> None:
        with contextlib.suppress(OSError), proc.stdin:  # git gone: its exit status says so
            for path in paths:
                proc.stdin.write(os.fsencode(path) + b"\0")

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with proc:
        # Records: path, attribute, value, path, ...
        converts = any(i % 3 == 2 and v not in (b"unspecified", b"unset") for i, v in enumerate(_records(proc.stdout)))
        discard(proc.stdout)  # to the end, so that git finishes
    writer.join()
    return converts or proc.returncode != 0
