"""Reading a git checkout: revisions and the files they hold. Nothing here writes to the work
tree, the index or the refs."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path
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
    returns the paths that exist there."""
    present = []
    for path in paths:
        r = run_git(repo, "archive", "--format=tar", commit, "--", path, binary=True)
        if r.returncode != 0:
            continue
        with tarfile.open(fileobj=io.BytesIO(r.stdout)) as tar:
            try:
                tar.extractall(dest, filter="data")
            except TypeError:  # Python without extraction filters
                tar.extractall(dest)
        present.append(path)
    return present
