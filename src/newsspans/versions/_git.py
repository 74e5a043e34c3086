"""Reading a git checkout: revisions and the files they hold. Nothing here writes to the work
tree, the index or the refs."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tarfile
from pathlib import Path, PurePosixPath
from typing import Optional

from ..errors import BadInput


def run_git(repo: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    """``git -C repo ARGS``, never raising for its exit status; ``BadInput`` when git is missing."""
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=not binary, check=False)
    except FileNotFoundError:
        raise BadInput("git is not installed, so revisions cannot be read") from None


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


def extract_revision(repo: Path, commit: str, paths: list[str], dest: Path) -> list[str]:
    """Write ``paths`` (relative to the repository root) as they are at ``commit`` into ``dest``;
    returns the paths that exist there. The archive is read as git writes it, one file at a time
    (never held whole).

    Nothing is written outside ``dest`` and nothing is written through a link: regular files and
    folders are extracted (tarfile's "data" filter); a symbolic link of the revision is made as
    the same link, after every file, and never followed (the corpus readers refuse links, so a
    link that points outside, which the filter would raise on, is reported like one in a folder).
    """
    present = []
    for path in paths:
        try:
            proc = subprocess.Popen(["git", "-C", str(repo), "archive", "--format=tar", commit, "--", path],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except FileNotFoundError:
            raise BadInput("git is not installed, so revisions cannot be read") from None
        with proc:
            links = _extract_stream(proc.stdout, dest, where=f"{path} at {commit[:12]}")
        if proc.returncode != 0:
            continue
        real = os.path.realpath(dest)
        for name, target in links:
            parts = PurePosixPath(name).parts
            folder = os.path.join(real, *parts[:-1])
            if os.path.isdir(folder) and os.path.realpath(folder) == folder and not os.path.lexists(os.path.join(folder, parts[-1])):
                with contextlib.suppress(OSError):  # a system that cannot make links: the file is absent
                    os.symlink(target, os.path.join(folder, parts[-1]))
        present.append(path)
    return present


def _extract_stream(stream: "io.BufferedReader", dest: Path, *, where: str) -> list[tuple[str, str]]:
    """Extract the regular files and folders of the tar ``stream`` into ``dest``, member by member;
    returns its links (name, target), not made. An empty stream (git refused: no such path) is no
    archive and extracts nothing."""
    links: list[tuple[str, str]] = []
    if not stream.peek(1):
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
