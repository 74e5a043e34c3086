"""``newsspans build``: corpus folder -> release folder (``data/``), all or nothing.

One streaming pass over the documents (sorted by id) reads, checks and converts each one; rows
go to Parquet writers in bounded batches. Checking goes on after the first error so the report
lists every problem, but writing stops; a corpus with errors raises ``CorpusInvalid`` and the
output folder is left exactly as it was. The release is written to a temporary sibling folder
and swapped into place only once complete.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import jsonschema

from . import __version__
from .card import render_card
from .corpus import Corpus, display_path, sha256_hex
from .errors import NewsSpansError
from .features import CONFIGS, FEATURES
from .labels import CLAIM_LABELS, ENTITY_LABELS, QUOTE_TYPES, SENTENCE_CLAIM_LABELS
from .parquet import ShardedWriter
from .problems import ERROR, CorpusInvalid, Problem
from .rows import document_rows, registry_row
from .schemas import SCHEMAS
from .splits import split_of

MANIFEST = "manifest.json"
CARD = "README.md"
REGISTRY_SPLIT = "train"
ROW_GROUP_ROWS = {"documents": 1_000, "entities": 50_000, "quotes": 50_000, "claims": 50_000, "registry": 50_000,
                  "tokens": 10_000, "sentences": 50_000}
SHARD_ROWS = {"documents": 100_000, "entities": 5_000_000, "quotes": 5_000_000, "claims": 5_000_000, "registry": 5_000_000,
              "tokens": 1_000_000, "sentences": 5_000_000}


class BuildError(NewsSpansError):
    """A build that cannot start or finish for a reason other than an invalid corpus."""


@dataclass
class Stats:
    """What the card and the manifest report, gathered while the rows stream past."""

    version: str = ""
    dataset: dict[str, Any] = field(default_factory=dict)
    split_rows: dict[str, dict[str, int]] = field(default_factory=dict)
    split_bytes: dict[str, dict[str, int]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, Counter] = field(default_factory=lambda: {"entities": Counter(), "quotes": Counter(), "claims": Counter(), "registry": Counter(), "sentences": Counter()})
    tokens: int = 0
    source_digest: str = ""
    languages: set[str] = field(default_factory=set)

    def total(self, config: str) -> int:
        return sum(self.split_rows.get(config, {}).values())


@dataclass
class BuildResult:
    out: Path
    stats: Stats
    problems: list[Problem]


def _tool_versions() -> dict[str, str]:
    return {"newsspans": __version__, "pyarrow": package_version("pyarrow"), "datasets": package_version("datasets")}


def write_release(corpus_root: Path, dest: Path) -> tuple[Stats, list[Problem]]:
    """Write the release of the corpus at ``corpus_root`` into the empty folder ``dest``.

    Raises ``CorpusInvalid`` (with every problem found) when the corpus has errors; ``dest``
    then holds partial output that the caller discards.
    """
    corpus = Corpus(corpus_root)
    problems = corpus.layout_problems()
    if problems:
        raise CorpusInvalid(problems)
    dataset, found = corpus.read_dataset()
    problems += found
    registry, found = corpus.read_registry()
    problems += found

    stats = Stats()
    writers: dict[tuple[str, str], ShardedWriter] = {}

    def writer(config: str, split: str) -> ShardedWriter:
        key = (config, split)
        if key not in writers:
            writers[key] = ShardedWriter(dest / config, split, FEATURES[config],
                                         row_group_rows=ROW_GROUP_ROWS[config], shard_rows=SHARD_ROWS[config])
        return writers[key]

    failed = any(p.severity == ERROR for p in problems)
    for _, doc, found in corpus.iter_documents(registry):
        problems += found
        failed = failed or any(p.severity == ERROR for p in found)
        if failed or doc is None:
            continue  # keep checking, stop writing
        split = split_of(doc.meta.story_id)
        rows_by_config = document_rows(doc)
        for config, rows in rows_by_config.items():
            writer(config, split).add(rows)
        stats.labels["sentences"].update(SENTENCE_CLAIM_LABELS[r["claim_label"]] for r in rows_by_config["sentences"])
        stats.tokens += sum(len(r["tokens"]) for r in rows_by_config["tokens"])
        stats.languages.add(doc.meta.language)
        ann = doc.annotations
        stats.labels["entities"].update(m.label for m in ann.entities)
        stats.labels["quotes"].update(q.type for q in ann.quotes)
        stats.labels["claims"].update(c.label for c in ann.claims)
    found = corpus.cross_document_problems(registry)
    problems += found
    failed = failed or any(p.severity == ERROR for p in found)
    if failed:
        raise CorpusInvalid(problems)
    assert dataset is not None and registry is not None

    entries = sorted(registry.values(), key=lambda e: e.entity_id)
    writer("registry", REGISTRY_SPLIT).add([registry_row(e) for e in entries])
    stats.labels["registry"].update(e.type for e in entries)

    for (config, split), w in sorted(writers.items()):
        paths = w.close()
        if not paths:
            continue
        stats.split_rows.setdefault(config, {})[split] = w.num_rows
        stats.split_bytes.setdefault(config, {})[split] = w.num_bytes
        stats.files.setdefault(config, []).extend(p.relative_to(dest).as_posix() for p in paths)
    empty = [c for c in CONFIGS if not stats.total(c)]
    if empty:
        raise BuildError(
            f"config(s) {', '.join(empty)} would have no rows, and `datasets` cannot load an empty "
            "config: annotate at least one item of each layer"
        )

    stats.version = dataset["version"]
    stats.dataset = dataset
    stats.source_digest = corpus.source_digest()
    content_digest = _digest_files(dest, [f for files in stats.files.values() for f in files])
    (dest / CARD).write_text(render_card(stats, content_digest), encoding="utf-8")
    _write_manifest(dest, stats)
    return stats, problems


def _digest_files(root: Path, rel_paths: list[str]) -> str:
    lines = "".join(f"{p}\t{sha256_hex((root / p).read_bytes())}\n" for p in sorted(rel_paths))
    return sha256_hex(lines.encode("utf-8"))


def _write_manifest(dest: Path, stats: Stats) -> None:
    files = []
    for path in sorted(p for p in dest.rglob("*") if p.is_file()):
        data = path.read_bytes()
        files.append({"path": path.relative_to(dest).as_posix(), "sha256": sha256_hex(data), "bytes": len(data)})
    manifest = {
        "version": stats.version,
        "source_digest": stats.source_digest,
        "built_with": _tool_versions(),
        "counts": {config: dict(sorted(stats.split_rows[config].items())) for config in CONFIGS},
        "files": files,
    }
    jsonschema.validate(manifest, SCHEMAS["manifest"])  # our own output: a failure is a bug
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise BuildError(f"{display_path(out)} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise BuildError(
            f"{display_path(out)} is not empty and holds no {MANIFEST}: it is not a NewsSpans release, "
            "so the build will not replace it; choose another --out"
        )


def _replace_dir(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old)


def build(*, corpus: Path, out: Path) -> BuildResult:
    """Build the release of ``corpus`` into ``out``, replacing it only when the build succeeds."""
    corpus, out = Path(corpus), Path(out)
    _check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the release folder is not
    try:
        stats, problems = write_release(corpus, tmp)
        _replace_dir(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return BuildResult(out, stats, problems)


@dataclass
class CheckResult:
    stale: list[str]
    problems: list[Problem]
    committed_with: dict[str, str]
    current: dict[str, str]


def check(*, corpus: Path, out: Path) -> CheckResult:
    """Rebuild ``corpus`` in a temporary folder and list the files of ``out`` that differ."""
    corpus, out = Path(corpus), Path(out)
    with tempfile.TemporaryDirectory(prefix="newsspans-check-") as tmp:
        fresh = Path(tmp) / "data"
        fresh.mkdir()
        _, problems = write_release(corpus, fresh)
        new = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
        old = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} if out.is_dir() else set()
        stale = []
        for rel in sorted(new | old):
            if rel not in old:
                stale.append(f"{rel} (missing)")
            elif rel not in new:
                stale.append(f"{rel} (not produced by the build)")
            elif not filecmp.cmp(fresh / rel, out / rel, shallow=False):
                stale.append(f"{rel} (differs)")
    committed_with: dict[str, str] = {}
    try:
        committed_with = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("built_with", {})
    except (OSError, ValueError, AttributeError):
        pass
    return CheckResult(stale, problems, committed_with, _tool_versions())
