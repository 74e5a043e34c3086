"""Reading a git checkout: revisions and the files they hold. Nothing here writes to the work
tree, the index or the refs."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tarfile
import threading
from pathlib import Path, PurePosixPath
from typing import IO, Optional

from ..errors import BadInput


def start_git(repo: Path, *args: str, stdin: Optional[int] = None, stderr: Optional[int] = subprocess.DEVNULL,
              text: bool = False) -> subprocess.Popen:
    """``git -C repo ARGS`` started, its output a pipe to read as it comes (the one place git is
    launched); ``BadInput`` when git is missing. Git never reaches the network for us: in a partial
    clone, a missing object is reported missing rather than fetched (``GIT_NO_LAZY_FETCH``, git 2.44
    and later), and git never asks for credentials."""
    env = {**os.environ, "GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.Popen(["git", "-C", str(repo), *args], stdin=stdin, stdout=subprocess.PIPE, stderr=stderr,
                                text=text, env=env)
    except FileNotFoundError:
        raise BadInput("git is not installed, so revisions cannot be read") from None


def run_git(repo: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    """``git -C repo ARGS`` run to its end, its output held, never raising for its exit status;
    ``BadInput`` when git is missing."""
    with start_git(repo, *args, stderr=subprocess.PIPE, text=not binary) as proc:
        try:
            out, err = proc.communicate()
        except BaseException:  # interrupted: git does not outlive the caller
            proc.kill()
            raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def discard(stream: IO[bytes]) -> None:
    """Read ``stream`` to its end a block at a time, keeping nothing (so that its writer finishes)."""
    for _ in iter(lambda: stream.read(1 << 16), b""):
        pass


def git_toplevel(path: Path) -> Optional[Path]:
    """The root of the git work tree holding ``path``, or None."""
    folder = path if path.is_dir() else path.parent
    try:
        r = run_git(folder, "rev-parse", "--show-toplevel")
    except BadInput:
        return None
    return Path(r.stdout.strip()) if r.returncode == 0 else None


def resolve_revision(repo: Path, rev: str) -> Optional[str]:
    """The commit id that ``rev`` names in the repository at ``repo``, or None."""
    if rev.startswith("-"):
        return None
    r = run_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    return r.stdout.strip() if r.returncode == 0 else None


def show_file(repo: Path, commit: str, path: str) -> Optional[str]:
    """The text of ``path`` (relative to the repository root) at ``commit``, or None."""
    r = run_git(repo, "show", f"{commit}:{path}")
    return r.stdout if r.returncode == 0 else None


def extract_revision(repo: Path, commit: str, paths: list[str], dest: Path) -> None:
    """Write ``paths`` (relative to the repository root, each present at ``commit``) as they are at
    ``commit`` into ``dest``. The archive is read as git writes it, one file at a time (never held
    whole). When git fails (a missing object, a filter that fails, git killed), even part way
    through, ``BadInput`` names the path and git's message: what was extracted is never a revision.

    Nothing is written outside ``dest`` and nothing is written through a link: regular files and
    folders are extracted (tarfile's "data" filter); a symbolic link of the revision is made as
    the same link, after every file, and never followed (the corpus readers refuse links, so a
    link that points outside, which the filter would raise on, is reported like one in a folder).
    """
    for path in paths:
        links = _archive(repo, commit, path, dest)
        real = os.path.realpath(dest)
        for name, target in links:
            parts = PurePosixPath(name).parts
            folder = os.path.join(real, *parts[:-1])
            if os.path.isdir(folder) and os.path.realpath(folder) == folder and not os.path.lexists(os.path.join(folder, parts[-1])):
                with contextlib.suppress(OSError):  # a system that cannot make links: the file is absent
                    os.symlink(target, os.path.join(folder, parts[-1]))


def _archive(repo: Path, commit: str, path: str, dest: Path) -> list[tuple[str, str]]:
    """Extract ``path`` at ``commit`` from ``git archive`` into ``dest`` (``_extract_stream``);
    its links. ``BadInput`` when git ends with an error, whatever was extracted."""
    where = f"{path} at {commit[:12]}"
    proc = start_git(repo, "archive", "--format=tar", commit, "--", path, stderr=subprocess.PIPE)
    messages = _Messages(proc.stderr)
    problem: Optional[BadInput] = None
    with proc:
        try:
            links = _extract_stream(proc.stdout, dest, where=where)
            discard(proc.stdout)  # the tar's padding: git ends as it should
        except BadInput as exc:
            problem, links = exc, []
    messages.join()
    if proc.returncode != 0 and (problem is None or messages.line):
        raise BadInput(f"{where} cannot be read from git: {messages.line or f'git ended with status {proc.returncode}'}")
    if problem is not None:
        raise problem
    return links


class _Messages(threading.Thread):
    """git's error output read to its end as it comes (so that git never waits on a full pipe),
    in pieces of a bounded size; ``line`` is its "fatal:" line, else its first line, once joined."""

    def __init__(self, stream: IO[bytes]):
        super().__init__(daemon=True)
        self.stream, self.line = stream, ""
        self.start()

    def run(self) -> None:
        first, fatal = "", ""
        with self.stream:
            for piece in iter(lambda: self.stream.readline(1024), b""):
                text = piece.decode("utf-8", "replace").strip()
                first = first or text
                fatal = fatal or (text if text.startswith("fatal:") else "")
        self.line = fatal or first


def _extract_stream(stream: io.BufferedReader, dest: Path, *, where: str) -> list[tuple[str, str]]:
    """Extract the regular files and folders of the tar ``stream`` into ``dest``, member by member;
    returns its links (name, target), not made. An empty stream (git failed) is no archive and
    extracts nothing."""
    links: list[tuple[str, str]] = []
    if not stream.peek(1):  # git wrote nothing: its exit status says why
        return links
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            for member in tar:
                if not _safe_name(member.name):
                    continue
                if member.issym():
                    links.append((member.name, member.linkname))
                elif member.isfile() or member.isdir():
                    try:
                        tar.extract(member, dest, filter="data")
                    except TypeError:  # Python without extraction filters: the names are checked above
                        tar.extract(member, dest)
    except tarfile.TarError as exc:
        raise BadInput(f"{where} cannot be read from git: {exc}") from None
    return links


def _safe_name(name: str) -> bool:
    """A member name that stays inside the destination: relative, no ``..``."""
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts
