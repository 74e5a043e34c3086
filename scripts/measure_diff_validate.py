#!/usr/bin/env python3
"""Measure ``newsspans diff`` and ``newsspans validate`` (many warnings) with ``/usr/bin/time -v``:
wall time and peak RSS of each command, at the sizes asked for.

    python scripts/measure_diff_validate.py --workdir DIR [--docs 1000 10000] [--unused 8000] [--src SRC]

For each size N it writes (once; kept in DIR for the next run) from ``newsspans._synth``:

  N/a           a synthetic corpus of N documents
  N/b           the same corpus with some annotations changed: every 10th document's first entity
                relabelled, every 20th document's last claim removed
  N/repo        a git repository whose two commits hold a and b as ``corpus/`` (tags a and b)
  N/unused      corpus a with ``--unused`` more registry entries that no mention refers to (each
                one a W-REGISTRY-UNUSED warning of ``validate``)

and runs, each under ``/usr/bin/time -v`` in a fresh process (the ``newsspans`` of this checkout,
or of the source folder ``--src``, to compare two checkouts on the same corpora):

  diff-folders  newsspans diff N/a N/b --format json
  diff-git      newsspans diff a b --format json            (in N/repo: the two revisions)
  validate      newsspans validate N/unused --workers 1

It prints one line per command (wall seconds, CPU seconds of the command and the git processes it
ran (user + system), peak RSS in MB, output bytes and its SHA-256, so that two checkouts can be
compared byte for byte) and, last, the figures as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _change(b: Path) -> None:
    """Relabel every 10th document's first entity and remove every 20th document's last claim."""
    from newsspans.corpus import dumps_canonical

    paths = sorted((b / "annotations").glob("*.json"))
    for i, path in enumerate(paths):
        if i % 10 and i % 20:
            continue
        ann = json.loads(path.read_text(encoding="utf-8"))
        if i % 10 == 0 and ann["entities"]:
            ann["entities"][0]["label"] = "NORP" if ann["entities"][0]["label"] != "NORP" else "ORG"
        if i % 20 == 0 and ann["claims"]:
            ann["claims"].pop()
        path.write_text(dumps_canonical(ann), encoding="utf-8")


def _unused(corpus: Path, extra: int) -> None:
    """Append ``extra`` registry entries that no mention refers to."""
    import random

    from newsspans._synth import make_registry
    from newsspans.corpus import dumps_canonical

    path = corpus / "registry.json"
    registry = json.loads(path.read_text(encoding="utf-8"))
    more = make_registry(random.Random(1), extra)
    for e in more:
        e["entity_id"] = "x" + e["entity_id"]
    registry["entities"] = sorted(registry["entities"] + more, key=lambda e: e["entity_id"])
    path.write_text(dumps_canonical(registry), encoding="utf-8")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def prepare(work: Path, docs: int, unused: int) -> None:
    from newsspans._synth import write_synthetic_corpus

    if not (work / "a").is_dir():
        write_synthetic_corpus(work / "a.tmp", docs=docs)
        (work / "a.tmp").rename(work / "a")
    if not (work / "b").is_dir():
        shutil.copytree(work / "a", work / "b.tmp")
        _change(work / "b.tmp")
        (work / "b.tmp").rename(work / "b")
    if not (work / "repo").is_dir():
        tmp = work / "repo.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        _git(tmp, "init", "-q")
        for name in ("a", "b"):
            shutil.rmtree(tmp / "corpus", ignore_errors=True)
            shutil.copytree(work / name, tmp / "corpus")
            _git(tmp, "add", "-A")
            _git(tmp, "-c", "user.name=m", "-c", "user.email=m@example.org", "commit", "-qm", name)
            _git(tmp, "tag", name)
        tmp.rename(work / "repo")
    if not (work / "unused").is_dir():
        shutil.copytree(work / "a", work / "unused.tmp")
        _unused(work / "unused.tmp", unused)
        (work / "unused.tmp").rename(work / "unused")


def measure(argv: list[str], cwd: Path, src: Path) -> dict[str, object]:
    """Run ``newsspans ARGV`` (of ``src``) under /usr/bin/time -v; seconds, peak RSS, output size and digest."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "newsspans", *argv]
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
    err = r.stderr.decode("utf-8", "replace")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", err)
    seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))) if wall else None
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", err))
    return {"exit": r.returncode, "seconds": seconds, "cpu_seconds": round(cpu, 2),
            "rss_mb": round(int(rss.group(1)) / 1024, 1) if rss else None,
            "out_bytes": len(r.stdout), "out_sha256": hashlib.sha256(r.stdout).hexdigest()[:16]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, required=True, help="where the corpora are written and kept")
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--unused", type=int, default=8000, help="registry entries no mention refers to")
    parser.add_argument("--only", nargs="+", choices=["diff-folders", "diff-git", "validate"])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the newsspans sources to measure (default: this checkout's)")
    args = parser.parse_args()
    figures: dict[str, dict[str, object]] = {}
    for docs in args.docs:
        work = (args.workdir / str(docs)).resolve()
        work.mkdir(parents=True, exist_ok=True)
        prepare(work, docs, args.unused)
        commands = {"diff-folders": (["diff", str(work / "a"), str(work / "b"), "--format", "json"], work),
                    "diff-git": (["diff", "a", "b", "--format", "json"], work / "repo"),
                    "validate": (["validate", str(work / "unused"), "--workers", "1"], work)}
        for name, (argv, cwd) in commands.items():
            if args.only and name not in args.only:
                continue
            got = measure(argv, cwd, args.src.resolve())
            figures[f"{name}@{docs}"] = got
            print(f"{name:<13} {docs:>6} docs: {got['seconds']:>7.2f} s  (CPU {got['cpu_seconds']:>6.2f} s)  "
                  f"{got['rss_mb']:>7.1f} MB  exit {got['exit']}  "
                  f"{got['out_bytes']} bytes sha256 {got['out_sha256']}", flush=True)
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
