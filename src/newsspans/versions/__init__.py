"""Versions: snapshots of a corpus state (folder, release or git revision), annotation-level
diffs, and releases that bump the version by what changed."""

from ._diff import Change, DiffResult, IdsReused, describe_change, diff, diff_layer, format_json, format_markdown, format_text
from ._release import ReleaseRefused, ReleaseResult, bump_version, release
from ._snapshot import Snapshot, open_snapshot, read_corpus, read_folder, read_release
from ._tags import RELEASE_PATHS, Tagged, TagPlan, commit_and_tag, plan_tag, resolve_version, version_commit

__all__ = [
    "Change", "DiffResult", "IdsReused", "describe_change", "diff_layer", "ReleaseRefused", "ReleaseResult", "Snapshot", "bump_version", "diff",
    "format_json", "format_markdown", "format_text", "open_snapshot", "read_corpus", "read_folder",
    "read_release", "release", "RELEASE_PATHS", "Tagged", "TagPlan", "commit_and_tag", "plan_tag", "resolve_version",
    "version_commit",
]
