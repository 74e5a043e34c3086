"""``newsspans release``: bump the dataset version, rebuild ``data/``, write the CHANGELOG entry.

The bump rule (also in the README and CHANGELOG.md): a label-set or schema change, or a document
removed (``newsspans remove``: its rows and published ids leave the dataset), is **major**;
documents, annotations or registry entities added are **minor**; anything else — corrections of
labels, offsets, attributes, texts, metadata or card notes, annotations or registry entities
removed — is a **patch**. A release asking for less than the rule requires is refused; asking for
more is allowed.

The previous version's state, to diff against, is (first that applies) ``since``; the git tag
``v<current version>``; the oldest commit of the unbroken run of commits, from HEAD back, whose
``corpus/dataset.json`` carries the current version (the commit that released it).

Steps: validate the corpus, diff, check the bump (nothing written so far); build the release with
the new version into a staged folder beside ``data/``; then put the new ``corpus/dataset.json``,
``CHANGELOG.md`` and ``data/`` in place in one step, through one journal
(``atomic.write_files``). Killed before the journal is committed, nothing changed and a rerun
releases afresh; killed after, a rerun of ``newsspans release`` (or any write in the project
folder) finishes it, and says so. Either way the release happens exactly once.

Last, the release commits what it wrote and tags that commit ``v<version>``, or says which git
commands do it when it cannot (``_tags``); and it returns the counts stated in the hand-written
notes of ``corpus/dataset.json`` that the new release contradicts (``dataset._notes``).
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
from ..atomic import clean_leftovers, finish_writes, pending_write, write_files
from ..validation import ERROR, Problem, iter_problems
from ._diff import DiffResult, diff, format_markdown
from ._git import git_toplevel, resolve_revision
from ._snapshot import open_snapshot, read_corpus
from ._tags import Tagged, TagPlan, commit_and_tag, plan_tag, tag_name, version_commit

BUMPS = ("major", "minor", "patch")
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
CHANGELOG_HEADER = (
    "# Changelog\n\nDataset versions of NewsSpans (the version lives in `corpus/dataset.json`). Semantic versioning:\n"
    "a label-set or schema change, or a document removed, is **major**; documents or annotations added are\n**minor**; "
    "corrections are **patches**.\n"
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
    diff: Optional[DiffResult] = field(repr=False)  # None for a release finished by a rerun
    #: True when this run finished a release that an earlier run had committed but not completed.
    resumed: bool = False
    #: The release's git commit and tag, or what to run to make them (``_tags``); None for a dry run.
    tagged: Optional[Tagged] = None
    #: The counts stated in the notes of ``dataset.json`` that the release contradicts (``dataset._notes``).
    stale_notes: list = field(default_factory=list)


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
    tag = resolve_revision(top, f"refs/tags/{tag_name(version)}")
    if tag is not None:
        return tag_name(version)
    rel = (root.resolve() / "corpus" / "dataset.json").relative_to(top).as_posix()
    found = version_commit(top, version, dataset=rel, from_head=True)
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
    pending = pending_write(root)
    if pending is not None and pending.get("kind") == "release":
        return _resume(root, pending, dry_run=dry_run)
    problems = list(iter_problems(corpus))
    if any(p.severity == ERROR for p in problems):
        raise ReleaseRefused("the corpus has errors; fix them first (nothing was changed)",
                             [p for p in problems if p.severity == ERROR])
    raw = dataset_path.read_text(encoding="utf-8")
    outcome = _plan(root, current=json.loads(raw)["version"], bump=bump, since=since, date=date)
    changelog_path = root / "CHANGELOG.md"
    changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.is_file() else CHANGELOG_HEADER
    if _has_entry(changelog, outcome.new_version):
        raise ReleaseRefused(f"CHANGELOG.md already has an entry for {outcome.new_version} (nothing was changed)")
    plan = plan_tag(root, outcome.new_version)  # before writing: the paths it commits must hold nothing else
    if dry_run:
        outcome.tagged = Tagged(f"would commit and tag {tag_name(outcome.new_version)}" if plan.blocker is None else
                                f"would not commit or tag {tag_name(outcome.new_version)}: {plan.blocker}")
        return outcome
    outcome.stale_notes = _write(root, raw, outcome, changelog)
    outcome.tagged = commit_and_tag(plan)
    return outcome


def _has_entry(changelog: str, version: str) -> bool:
    return re.search(rf"^## {re.escape(version)}\b", changelog, flags=re.M) is not None


_RESULT_FIELDS = ("old_version", "new_version", "baseline", "required", "reason", "entry")


def _resume(root: Path, pending: dict, *, dry_run: bool) -> ReleaseResult:
    """Finish the release an earlier run committed (its journal) but did not complete."""
    result = ReleaseResult(**{k: pending[k] for k in _RESULT_FIELDS}, diff=None, resumed=True)
    if dry_run:
        raise ReleaseRefused(f"the release {result.old_version} -> {result.new_version} was interrupted; run "
                             "`newsspans release` without --dry-run to finish it (nothing was changed)")
    finish_writes(root)
    clean_leftovers(root / "data")
    result.tagged = commit_and_tag(TagPlan(root, result.new_version, None, "the release was finished by a rerun, so "
                                           "what else the work tree holds is not known"))
    return result


def _released_here(root: Path, version: str) -> bool:
    """Whether ``version`` is released in the working tree (CHANGELOG entry, data/ built at it)."""
    try:
        changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
        manifest = json.loads((root / "data" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return _has_entry(changelog, version) and isinstance(manifest, dict) and manifest.get("version") == version


def _plan(root: Path, *, current: str, bump: str, since: Optional[str], date: str) -> ReleaseResult:
    """Compare the corpus with the previous release and check the bump against the rule."""
    new_version = bump_version(current, bump)
    baseline = since or previous_release(root, current)
    if baseline is None and _released_here(root, current):
        raise ReleaseRefused(f"version {current} is released in this working tree (corpus/dataset.json, data/ and the "
                             f"CHANGELOG.md entry) but not committed: commit them (and tag v{current}), then release "
                             "again; or pass --since FOLDER_OR_REVISION (nothing was changed)")
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


def _write(root: Path, raw_dataset: str, outcome: ReleaseResult, changelog: str) -> list:
    """Build the release with the new version into a staged folder, then put ``data/``,
    ``corpus/dataset.json`` and ``CHANGELOG.md`` in place all at once (one journal); returns the
    counts stated in the notes that the release contradicts."""
    from ..dataset import build

    dataset = dumps_canonical({**json.loads(raw_dataset), "version": outcome.new_version}).encode("utf-8")
    files = {"corpus/dataset.json": dataset,
             "CHANGELOG.md": _insert_entry(changelog, outcome.entry).encode("utf-8")}
    meta = {"kind": "release", **{k: getattr(outcome, k) for k in _RESULT_FIELDS}}

    def publish(staged: Path) -> None:
        write_files(root, files, folders={"data": staged}, meta=meta)

    return build(corpus=root / "corpus", out=root / "data", dataset=dataset, publish=publish).stale_notes
