"""Releases in git: the commit of a version, and the tag ``v<version>`` a release puts on it.

A version's commit is its tag ``v<version>`` where the checkout has it; else the commit that set
that version in ``corpus/dataset.json``: the oldest of the newest unbroken run of commits (first
parents, from HEAD back) whose file carries it. A fresh clone without the tags (or a project
whose early versions were never tagged) still finds every version that way, as long as its
history is not shallow.

``newsspans release`` commits what it wrote (``corpus/``, ``CHANGELOG.md``, ``data/``) and tags
that commit ``v<version>`` when it can: in a git checkout whose index has nothing staged and
where those paths had no uncommitted change before the release (so that the commit holds the
release and nothing else), with no tag of that name yet. Otherwise it prints the exact commands
that do it. A failing git (no identity configured, a hook refusing) is reported the same way.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ._git import git_toplevel, resolve_revision, run_git, show_file

#: What a release writes, relative to the project folder: committed together.
RELEASE_PATHS = ("corpus", "CHANGELOG.md", "data")
VERSION_TAG = re.compile(r"^v((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))$")


def tag_name(version: str) -> str:
    return f"v{version}"


def version_commit(top: Path, version: str, *, dataset: str = "corpus/dataset.json", from_head: bool = False) -> Optional[str]:
    """The commit that set ``version`` in ``dataset`` (a path relative to the repository root
    ``top``; see the module docstring), or None. ``from_head``: only a run that starts at the
    newest commit touching the file counts (the release of the current version)."""
    log = run_git(top, "log", "--first-parent", "--format=%H", "HEAD", "--", dataset)
    found = None
    for commit in log.stdout.split() if log.returncode == 0 else []:
        if _version_at(top, commit, dataset) == version:
            found = commit
        elif found is not None or from_head:
            break
    return found


def _version_at(top: Path, commit: str, dataset: str) -> Optional[str]:
    text = show_file(top, commit, dataset)
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value.get("version") if isinstance(value, dict) else None


def resolve_version(top: Path, rev: str, *, dataset: str = "corpus/dataset.json") -> Optional[str]:
    """The commit of ``rev`` when it is ``v<MAJOR.MINOR.PATCH>`` and the checkout has no such
    revision (no tag): the commit that set that version (``version_commit``); else None."""
    m = VERSION_TAG.match(rev)
    return version_commit(top, m.group(1), dataset=dataset) if m else None


@dataclass(frozen=True)
class TagPlan:
    """Whether a release can commit and tag itself, decided before it writes anything."""

    root: Path
    version: str
    top: Optional[Path]
    #: Why it cannot (None: it can).
    blocker: Optional[str]

    def commands(self, *, force_tag: bool = False) -> str:
        """The git commands that commit the release and tag it, to run from the working directory."""
        here = Path.cwd().resolve()
        git = "git" if self.root.resolve() == here else f"git -C {shlex.quote(os.fspath(self.root))}"
        message = shlex.quote(f"Release {self.version}")
        return (f"{git} add -A -- {' '.join(RELEASE_PATHS)} && {git} commit -m {message} && "
                f"{git} tag{' -f' if force_tag else ''} -a {tag_name(self.version)} -m {message}")


def plan_tag(root: Path, version: str) -> TagPlan:
    """Can the release of ``version`` at ``root`` be committed and tagged (module docstring)?"""
    root = Path(root)
    top = git_toplevel(root.resolve())
    if top is None:
        return TagPlan(root, version, None, f"{root} is not in a git checkout")
    existing = resolve_revision(top, f"refs/tags/{tag_name(version)}")
    if existing is not None:
        return TagPlan(root, version, top, f"the tag {tag_name(version)} already exists (commit {existing[:12]})")
    paths = [(root.resolve() / p).relative_to(top).as_posix() for p in RELEASE_PATHS]
    status = run_git(top, "status", "--porcelain", "--untracked-files=all", "--", *paths)
    changed = status.stdout.splitlines() if status.returncode == 0 else ["?"]
    if changed:
        return TagPlan(root, version, top, f"{', '.join(RELEASE_PATHS)} had uncommitted changes before the release "
                                           f"({changed[0][3:] or 'git status failed'}{', …' if len(changed) > 1 else ''})")
    if run_git(top, "diff", "--cached", "--quiet").returncode != 0:
        return TagPlan(root, version, top, "the git index has staged changes")
    return TagPlan(root, version, top, None)


@dataclass(frozen=True)
class Tagged:
    """What became of the tag: ``commit`` and ``tag`` are set when the release was committed and
    tagged; ``message`` says what happened, or what to run."""

    message: str
    commit: Optional[str] = None
    tag: Optional[str] = None


def commit_and_tag(plan: TagPlan) -> Tagged:
    """Commit the release paths and tag the commit, as ``plan`` allows; never raises for git."""
    tag = tag_name(plan.version)
    if plan.blocker is not None or plan.top is None:
        force = plan.blocker is not None and "already exists" in plan.blocker
        return Tagged(f"not committed or tagged: {plan.blocker}; once you have checked, run: "
                      f"{plan.commands(force_tag=force)}")
    paths = [(plan.root.resolve() / p).relative_to(plan.top).as_posix() for p in RELEASE_PATHS]
    message = f"Release {plan.version}"
    steps = (("add", "-A", "--", *paths), ("commit", "-q", "-m", message, "--", *paths))
    for step in steps:
        r = run_git(plan.top, *step)
        if r.returncode != 0:
            return Tagged(f"not committed or tagged: git {step[0]} failed ({_first_line(r.stderr)}); run: {plan.commands()}")
    commit = run_git(plan.top, "rev-parse", "HEAD").stdout.strip()
    r = run_git(plan.top, "tag", "-a", tag, "-m", message, commit)
    if r.returncode != 0:
        return Tagged(f"committed as {commit[:12]} but not tagged: git tag failed ({_first_line(r.stderr)}); run: "
                      f"git tag -a {tag} -m {shlex.quote(message)} {commit[:12]}", commit=commit)
    return Tagged(f"committed as {commit[:12]} and tagged {tag}; publish both with: git push --follow-tags",
                  commit=commit, tag=tag)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0] if lines else "no message"
