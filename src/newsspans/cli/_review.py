"""CLI commands for reviewing: ``render``, ``diff`` and ``release`` (thin layers over
``newsspans.render``, ``newsspans.diff`` and ``newsspans.release``).

Bad input (a folder that is not a corpus, an unknown revision, an unusable --out) is one line on
stderr and exit status 2; a refused operation (a release whose bump the changes do not allow)
exit status 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..errors import BadInput
from ._common import add_corpus_argument, add_deprecated_spelling, add_quiet_option

def cmd_render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..review import render

    result = render(corpus=args.corpus, out=args.out, force=args.force)
    status = "valid" if not result.problems else f"{result.errors} error(s), {result.problems - result.errors} warning(s) shown in place"
    compared = f", {result.comparisons} comparison page(s) of annotator layers" if result.comparisons else ""
    print(f"wrote {args.out}/index.html: {result.documents} document page(s), {result.entities} entity page(s){compared}; "
          f"validation: {status}", file=out)
    return 0


def cmd_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..versions import diff, format_json, format_markdown, format_text, open_snapshot

    with open_snapshot(args.old, repo=args.repo) as old, open_snapshot(args.new, repo=args.repo) as new:
        result = diff(old=old, new=new)
    for snap in (old, new):
        if snap.unreadable:
            print(f"newsspans diff: warning: {len(snap.unreadable)} document(s) of {snap.spec} could not be read and are "
                  f"left out: {', '.join(snap.unreadable[:5])}{' …' if len(snap.unreadable) > 5 else ''} "
                  "(run `newsspans validate`)", file=err)
    formatter = {"text": format_text, "json": format_json, "markdown": format_markdown}[args.format]
    out.write(formatter(result))
    return 1 if args.exit_code and not result.empty else 0


def cmd_release(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..versions import ReleaseRefused, release

    try:
        result = release(root=_project(args.corpus), bump=args.bump, since=args.since, date=args.date, dry_run=args.dry_run)
    except ReleaseRefused as exc:
        for p in exc.problems:
            print(str(p), file=err)
        print(f"newsspans release: {exc}", file=err)
        return 1
    if result.resumed:
        print(f"finished the interrupted release {result.old_version} -> {result.new_version} (compared with "
              f"{result.baseline}; the changes need at least a {result.required} bump: {result.reason}); "
              f"nothing else was done (--bump {args.bump} was not applied again)", file=out)
    else:
        verb = "would release" if args.dry_run else "released"
        print(f"{verb} {result.old_version} -> {result.new_version} (compared with {result.baseline}; "
              f"the changes need at least a {result.required} bump: {result.reason})", file=out)
    print("", file=out)
    print(result.entry, file=out, end="")
    if not args.dry_run:
        print("\nwrote corpus/dataset.json (version), rebuilt data/, added the entry to CHANGELOG.md", file=out)
    if result.tagged is not None:
        print(f"git: {result.tagged.message}", file=out if result.tagged.tag or args.dry_run else err)
    for note in result.stale_notes:
        print(str(note), file=err)
    return 0


def _project(corpus: Path) -> Path:
    """The project folder of a release: the one holding ``corpus`` (which must be named so, beside
    ``data/`` and ``CHANGELOG.md``)."""
    if corpus.name != "corpus":
        raise BadInput(f"--corpus {corpus}: a release works on a project's corpus/ folder (beside its data/ and "
                       "CHANGELOG.md); name that folder")
    return corpus.parent


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the ``newsspans`` parser."""
    p = sub.add_parser("render", help="write static HTML review pages of the corpus", description=(
        "Write one self-contained HTML page per document (entities, quotes and claims highlighted, "
        "layers switchable, validation problems shown in place), one page per registry entity and an "
        "index. No server, no network: open OUT/index.html in a browser."))
    add_corpus_argument(p)
    p.add_argument("--out", type=Path, required=True, help="folder for the pages (created; replaced if it holds an earlier render)")
    p.add_argument("--force", action="store_true", help="replace --out whatever it holds (in one step, once the pages are "
                   "written), unless it overlaps the corpus or holds the working directory")
    add_quiet_option(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("diff", help="annotation-level differences between two corpus states", description=(
        "Compare two states of the corpus: corpus folders, release folders (data/) or, in a git "
        "checkout, revisions (v1.0.0, HEAD~3; REV:PATH for another folder than corpus/). Reports per "
        "document and layer the annotations added, removed and changed (matched by id, then by "
        "offsets), registry entries added, removed and changed, documents added, removed or with "
        "changed text, and label-set or schema changes."))
    p.add_argument("old", metavar="OLD", help="folder or git revision")
    p.add_argument("new", metavar="NEW", help="folder or git revision")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="text (default; a summary table and every change), json, or markdown for CHANGELOG.md")
    p.add_argument("--repo", type=Path, default=None, help="git checkout to look revisions up in (default: the working directory)")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are differences (like git diff --exit-code)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("release", help="bump the dataset version, rebuild data/ and write the CHANGELOG entry", description=(
        "Release a new dataset version: validate the corpus, compare it with the previous version "
        "(the git tag v<version>, else the commit that set the current version in corpus/dataset.json, "
        "else --since), check the bump against the rule — label-set or schema change: major; documents "
        "or annotations added: minor; corrections: patch —, then write the new version to "
        "corpus/dataset.json, rebuild data/ and add the entry, generated from the diff, to CHANGELOG.md, "
        "all in one step. An interrupted release is finished by running the command again. In a git checkout "
        "where corpus/, CHANGELOG.md and data/ had no uncommitted change and nothing is staged, the release is "
        "then committed and tagged v<version>; otherwise the git commands that do it are printed. A hand-written "
        "note of corpus/dataset.json that states a count the release contradicts is warned about, one line each."))
    p.add_argument("--bump", choices=("major", "minor", "patch"), required=True, help="which part of the version to bump")
    add_corpus_argument(p, what="the project's corpus folder, named corpus, beside its data/ and CHANGELOG.md")
    add_deprecated_spelling(p, "--root", new="--corpus", new_dest="corpus", type=Path, metavar="DIR",
                            convert=lambda root: root / "corpus")
    p.add_argument("--since", default=None, help="the previous version's state: a folder or a git revision (default: found in git)")
    p.add_argument("--date", default=None, help="date of the entry, YYYY-MM-DD (default: today, UTC)")
    p.add_argument("--dry-run", action="store_true", help="print the new version and the entry, write nothing")
    p.set_defaults(func=cmd_release)
