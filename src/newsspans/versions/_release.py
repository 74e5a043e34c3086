"""``newsspans release``: bump the dataset version, rebuild ``data/``, write the CHANGELOG entry.

The bump rule (also in the README and CHANGELOG.md): a label-set or schema change is **major**;
documents, annotations or registry entities added are **minor**; anything else — corrections of
labels, offsets, attributes, texts, metadata or card notes, removals — is a **patch**. A release
asking for less than the rule requires is refused; asking for more is allowed.

The previous version's state, to diff against, is (first that applies) ``since``; the git tag
``v<current version>``; the oldest commit of the unbroken run of commits, from HEAD back, whose
``corpus/dataset.json`` carries the current version (the commit that released it). Steps, in an
order that leaves the project unchanged when any fails before the last: validate the corpus,
diff, check the bump, write the version to ``corpus/dataset.json`` (the one place it lives),
rebuild ``data/`` (restoring dataset.json if the build fails), insert the CHANGELOG entry.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..corpus import dumps_canonical
from ..errors import BadInput, NewsSpansError
from ..validation import ERROR, Problem, iter_problems
from ._diff import DiffResult, diff, format_markdown
from ._git import git_toplevel, resolve_revision, run_git, show_file
from ._snapshot import open_snapshot, read_corpus

BUMPS = ("major", "minor", "patch")
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
CHANGELOG_HEADER = (
    "# Changelog\n\nDataset versions of NewsSpans (the version lives in `corpus/dataset.json`). Semantic versioning:\n"
    "a label-set or schema change is **major**; documents or annotations added are **minor**;\ncorrections are **patches**.\n"
)


class ReleaseRefused(NewsSpansError):
    """The release would break the rule or the corpus is invalid; ``problems`` lists validation problems."""

    def __init__(self, message: str, problems: Optional[list[Problem]] = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class ReleaseResult:
    old_version: str
    new_version: str
    baseline: str
    required: str
    reason: str
    entry: str
    diff: DiffResult = field(repr=False)


def bump_version(version: str, bump: str) -> str:
    m = _SEMVER.match(version)
    if m is None:
        raise BadInput(f"the dataset version {version!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(x) for x in m.groups())
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise BadInput(f"unknown bump {bump!r}: use one of {', '.join(BUMPS)}")


def previous_release(root: Path, version: str) -> Optional[str]:
    """The git revision of the release of ``version`` (see the module docstring), or None."""
    top = git_toplevel(root.resolve())
    if top is None:
        return None
    tag = resolve_revision(top, f"refs/tags/v{version}")
    if tag is not None:
        return f"v{version}"
    rel = (root.resolve() / "corpus" / "dataset.json").relative_to(top).as_posix()
    log = run_git(top, "log", "--first-parent", "--format=%H", "HEAD", "--", rel)
    found = None
    for commit in log.stdout.split() if log.returncode == 0 else []:
        text = show_file(top, commit, rel)
        try:
            v = json.loads(text).get("version") if text else None
        except ValueError:
            v = None
        if v != version:
            break
        found = commit
    return found[:12] if found else None


def _entry(version: str, date: str, result: DiffResult) -> str:
    return f"## {version} — {date}\n\n{format_markdown(result)}"


def _insert_entry(changelog: str, entry: str) -> str:
    lines = changelog.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("## "):
            return "".join(lines[:i]) + entry + "\n" + "".join(lines[i:])
    return changelog.rstrip("\n") + "\n\n" + entry


def release(*, root: Path, bump: str, since: Optional[str] = None, date: Optional[str] = None,
            dry_run: bool = False) -> ReleaseResult:
    """Release the next version of the project at ``root`` (see the module docstring)."""
    root = Path(root)
    corpus = root / "corpus"
    dataset_path = corpus / "dataset.json"
    if not dataset_path.is_file():
        raise BadInput(f"{root} is not a NewsSpans project folder: no corpus/dataset.json")
    if date is None:
        date = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    elif not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise BadInput(f"--date {date!r} is not YYYY-MM-DD")
    problems = list(iter_problems(corpus))
    if any(p.severity == ERROR for p in problems):
        raise ReleaseRefused("the corpus has errors; fix them first (nothing was changed)",
                             [p for p in problems if p.severity == ERROR])
    raw = dataset_path.read_text(encoding="utf-8")
    outcome = _plan(root, current=json.loads(raw)["version"], bump=bump, since=since, date=date)
    changelog_path = root / "CHANGELOG.md"
    changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.is_file() else CHANGELOG_HEADER
    if re.search(rf"^## {re.escape(outcome.new_version)}\b", changelog, flags=re.M):
        raise ReleaseRefused(f"CHANGELOG.md already has an entry for {outcome.new_version} (nothing was changed)")
    if not dry_run:
        _write(root, raw, outcome, changelog)
    return outcome


def _plan(root: Path, *, current: str, bump: str, since: Optional[str], date: str) -> ReleaseResult:
    """Compare the corpus with the previous release and check the bump against the rule."""
    new_version = bump_version(current, bump)
    baseline = since or previous_release(root, current)
    if baseline is None:
        raise BadInput(f"cannot find the release of version {current} to compare with (no git tag v{current}, no commit "
                       "with that version in corpus/dataset.json): pass --since FOLDER_OR_REVISION")
    corpus = root / "corpus"
    new = read_corpus(corpus, spec=str(corpus))
    with open_snapshot(baseline, repo=root) as old:
        result = diff(old=old, new=new)
    required, reason = result.required_bump()
    if required == "none":
        raise ReleaseRefused(f"nothing changed since {baseline} (version {old.version}): no release to make")
    if BUMPS.index(bump) > BUMPS.index(required):
        raise ReleaseRefused(f"the changes since {baseline} need a {required} bump ({reason}); "
                             f"run with --bump {required} (nothing was changed)")
    entry = _entry(new_version, date, result)
    return ReleaseResult(current, new_version, baseline, required, reason, entry, result)


def _write(root: Path, raw_dataset: str, outcome: ReleaseResult, changelog: str) -> None:
    """Write the new version, rebuild ``data/`` (the old version is put back if it fails) and
    add the CHANGELOG entry."""
    from ..dataset import build

    dataset_path = root / "corpus" / "dataset.json"
    dataset_path.write_text(dumps_canonical({**json.loads(raw_dataset), "version": outcome.new_version}), encoding="utf-8")
    try:
        build(corpus=root / "corpus", out=root / "data")
    except BaseException:
        dataset_path.write_text(raw_dataset, encoding="utf-8")
        raise
    (root / "CHANGELOG.md").write_text(_insert_entry(changelog, outcome.entry), encoding="utf-8")
