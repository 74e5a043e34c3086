"""``newsspans build``: corpus folder -> release folder (``data/``), all or nothing.

One streaming pass over the documents (sorted by id) reads, checks and converts each one; rows
go to Parquet writers in bounded batches. Checking goes on after the first error so the report
lists every problem, but writing stops; a corpus with errors raises ``CorpusInvalid`` and the
output folder is left exactly as it was. The release is written to a temporary sibling folder
and swapped into place only once complete (``atomic.staged_dir``), and only when no corpus file
changed while the build read it: every file read is hashed again at the end, and the document
files listed again.
"""

from __future__ import annotations

import filecmp
import functools
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, Union

import jsonschema

from .._version import __version__
from ..errors import BuildError, NewsSpansError
from ..labels import GOLD
from ..corpus import ANNOTATIONS, DATASET, DOCUMENTS, MANIFEST as PACKED_MANIFEST, SUGGESTIONS, TEXTS, PackedReader
from ..paths import display_path, file_digest, sha256_hex
from ..atomic import replace_dir, staging
from ..validation import ERROR, SCHEMAS, Corpus, CorpusInvalid, Problem, default_workers
from ._configs import OPTIONAL_CONFIGS, chosen_configs
from ._splits import split_of
from ._stats import DocumentTally, Stats
from ._tables import NESTED, columns_table, documents_table

MANIFEST = "manifest.json"
CARD = "README.md"
REGISTRY_SPLIT = "train"
AGREEMENT_SPLIT = "train"  # one table, like the registry: not a training subset
ROW_GROUP_ROWS = {"documents": 1_000, "entities": 50_000, "quotes": 50_000, "claims": 50_000, "registry": 50_000,
                  "tokens": 10_000, "sentences": 50_000, "agreement": 50_000}
SHARD_ROWS = {"documents": 100_000, "entities": 5_000_000, "quotes": 5_000_000, "claims": 5_000_000, "registry": 5_000_000,
              "tokens": 1_000_000, "sentences": 5_000_000, "agreement": 5_000_000}


@dataclass
class BuildResult:
    out: Path
    stats: Stats
    problems: list[Problem]
    #: The counts stated in the notes of ``dataset.json`` that this release contradicts (``_notes``).
    stale_notes: list[Any] = field(default_factory=list)


def _tool_versions() -> dict[str, str]:
    return {"newsspans": __version__, "pyarrow": package_version("pyarrow"), "datasets": package_version("datasets")}


@dataclass
class _ChunkOutput:
    """What one chunk of documents contributes: its problems (per document, in order), its rows as
    Arrow tables per (config, split), and its share of the statistics."""

    problems: list[list[Problem]] = field(default_factory=list)
    tables: dict[tuple[str, str], Any] = field(default_factory=dict)
    labels: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in ("entities", "quotes", "claims", "sentences")})
    tokens: int = 0
    languages: set[str] = field(default_factory=set)
    #: Stories, metadata, annotation and layers of the chunk's documents.
    tally: DocumentTally = field(default_factory=DocumentTally)
    #: The counts of agreement between the annotators (None: the corpus has none).
    agreement: Any = None
    #: The stored suggestions against gold (None: no document of the chunk has suggestions).
    suggestions: Any = None
    #: Rows per (config, split), when the tables were spilled to files (``_spill``) rather than sent.
    rows: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Each spilled table's file, per (config, split).
    spilled: dict[tuple[str, str], str] = field(default_factory=dict)


def _build_chunk(corpus: Corpus, registry, doc_ids: list[str], *, configs: tuple[str, ...], schemas: dict[str, Any],
                 agreement: Any = None, spill: Optional[str] = None) -> _ChunkOutput:
    """Read, check and convert a chunk of documents (in a worker process when the build has
    several), and measure the agreement (``agreement``: the ``agreement.Job``, None without
    annotators) and the stored suggestions of its documents in the same pass. Rows are built only
    while the chunk has no error: a corpus with errors is refused. ``schemas`` are the Arrow schemas
    of the configs (passed in, so that a worker need not import ``datasets``). With ``spill`` (a
    folder), the tables are written there (Arrow IPC) and only their row counts are returned."""
    from ._rows import LAYER_CONFIGS
    from ._views import ViewColumns

    out = _ChunkOutput()
    docs: dict[str, list[Any]] = {}  # the valid documents, per split
    views: dict[str, ViewColumns] = {}  # per split
    want = {"tokens": "tokens" in configs, "sentences": "sentences" in configs}
    clean = True
    for doc_id in doc_ids:
        doc, problems = corpus.read_document(doc_id, registry)
        out.problems.append(problems)
        clean = clean and doc is not None and not any(p.severity == ERROR for p in problems)
        if not clean:
            continue
        split = split_of(doc.meta.story_id)
        docs.setdefault(split, []).append(doc)
        if any(want.values()):
            if split not in views:
                views[split] = ViewColumns(**want)
            views[split].add(doc)
        out.languages.add(doc.meta.language)
        ann = doc.annotations
        out.tally.add(doc.meta, ann, sorted(corpus.beside.layers), corpus.beside.decisions, split=split)
        _measure(out, corpus.beside, doc, agreement)
        out.labels["entities"].update(m.label for m in ann.entities)
        out.labels["quotes"].update(q.type for q in ann.quotes)
        out.labels["claims"].update(c.label for c in ann.claims)
    if clean:
        layers = tuple(c for c in LAYER_CONFIGS if c in configs)
        for split, split_docs in sorted(docs.items()):
            out.tables.update({(config, split): table for config, table in _chunk_tables(split_docs, layers, schemas).items()})
        for split, columns in sorted(views.items()):
            out.tokens += columns.token_count()
            if columns.want_sentences:
                out.labels["sentences"].update(columns.claim_label_counts())
            for config, table in columns.tables(schemas).items():
                out.tables[config, split] = table
        if spill is not None and doc_ids:
            _spill(out, spill, doc_ids[0])
    return out


def _chunk_tables(docs: list[Any], configs: tuple[str, ...], schemas: dict[str, Any]) -> dict[str, Any]:
    """The Arrow tables of the ``configs`` (of ``_rows.LAYER_CONFIGS``) of a chunk's valid
    documents of one split (``_tables``): the flat configs first, of which the ``documents`` table
    nests the mentions, quotes and claims."""
    from ._rows import layer_columns

    made = (*configs, *(c for c in NESTED if c not in configs)) if "documents" in configs else configs
    flat = {config: columns_table(layer_columns(docs, config), schemas[config]) for config in made if config != "documents"}
    flat = {config: table for config, table in flat.items() if table.num_rows}  # no empty shard for a split
    tables = {config: table for config, table in flat.items() if config in configs}
    if "documents" in configs:
        counts = {layer: [len(getattr(d.annotations, layer)) for d in docs] for layer in NESTED}
        tables["documents"] = documents_table(layer_columns(docs, "documents"), counts, flat, schemas["documents"])
    return tables


def _measure(out: _ChunkOutput, beside: Any, doc: Any, agreement: Any) -> None:
    """Add a valid document's agreement counts and its stored suggestions' counts to ``out``."""
    if agreement is not None and beside.layers:
        from ..agreement import Counts, add_document

        if out.agreement is None:
            out.agreement = Counts()
        add_document(out.agreement, agreement, doc.meta.id, doc.text, {GOLD: doc.annotations, **beside.layers})
    if beside.suggestions is not None:
        from ..suggestions import EvaluationTally, suggestions_in

        if out.suggestions is None:
            out.suggestions = EvaluationTally()
        out.suggestions.add(suggestions_in(beside.suggestions), doc.annotations)


def _spill(out: _ChunkOutput, folder: str, first: str) -> None:
    """Write the chunk's tables into ``folder`` as Arrow IPC files named by the chunk's first
    document (a retried task writes the same file again: written aside, then renamed), keeping only
    their row counts."""
    import pyarrow as pa

    for (config, split), table in sorted(out.tables.items()):
        path = os.path.join(folder, f"{first}.{config}.{split}.arrow")
        partial = f"{path}.{os.getpid()}.partial"
        with pa.OSFile(partial, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(partial, path)
        out.rows[config, split] = table.num_rows
        out.spilled[config, split] = path
    out.tables = {}


@dataclass
class BuildOutput:
    """What ``write_release`` wrote: the statistics the card and manifest report, and the
    problems (warnings only: a corpus with an error raises) found on the way."""

    stats: Stats
    problems: list[Problem]
    #: The counts stated in the notes of ``dataset.json`` that this release contradicts (``_notes``).
    stale_notes: list[Any] = field(default_factory=list)


class _Writers:
    """One Parquet writer per (config, split), opened on first use."""

    def __init__(self, dest: Path):
        self.dest = dest
        self.by_key: dict[tuple[str, str], Any] = {}

    def __call__(self, config: str, split: str):
        from ._features import FEATURES
        from ._parquet import ShardedWriter

        key = (config, split)
        if key not in self.by_key:
            self.by_key[key] = ShardedWriter(self.dest / config, split, FEATURES[config],
                                             row_group_rows=ROW_GROUP_ROWS[config], shard_rows=SHARD_ROWS[config])
        return self.by_key[key]

    def abort(self) -> None:
        """Close every writer, whatever state it is in (the build failed; its output is discarded)."""
        for w in self.by_key.values():
            w.abort()

    def close(self, stats: Stats) -> None:
        """Close every writer and record its rows, bytes and files in ``stats``."""
        for (config, split), w in sorted(self.by_key.items()):
            paths = w.close()
            if not paths:
                continue
            stats.split_rows.setdefault(config, {})[split] = w.num_rows
            stats.split_bytes.setdefault(config, {})[split] = w.num_bytes
            stats.files.setdefault(config, []).extend(p.relative_to(self.dest).as_posix() for p in paths)


def _has_error(problems: list[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def write_release(corpus_root: Path, dest: Path, *, configs: Optional[Sequence[str]] = None,
                  workers: int = 1, dataset: Optional[bytes] = None, engine: Any = None) -> BuildOutput:
    """Write the release of the corpus at ``corpus_root`` (a folder, or a packed corpus at a path
    or an fsspec URL) into the empty folder ``dest``.

    ``configs`` limits the configs written (default: all). ``workers`` processes read, check and
    convert the documents, or the tasks of ``engine`` (``validation.DaskEngine``), whose workers also
    write the Parquet shards (``_shards``); the output is byte-identical whatever their number or
    the engine. ``dataset`` is the content of ``dataset.json`` to release instead of the file's (a
    release writes the new version in the same step as the data). Raises ``CorpusInvalid`` (with
    every problem found) when the corpus has errors, and ``BuildError`` when a corpus file changed
    while it was read; ``dest`` then holds partial output that the caller discards.
    """
    from ._rows import agreement_row, registry_row

    started = time.time()  # before any file is read: what changed since is hashed again at the end
    chosen = chosen_configs(configs)
    # The gate needs the errors (see _refuse for the report); the suggestions files are checked, and
    # count in the source digest, since the card reports them.
    corpus = Corpus(corpus_root, warnings=False, suggestions=True)
    refuse = functools.partial(_refuse, corpus_root, workers, engine)
    if corpus.layout_problems():
        refuse()
    dataset_value, problems = corpus.read_dataset()
    on_disk = dict(corpus.digests)  # dataset.json as read: what must still be there at the end
    if dataset is not None and dataset_value is not None:
        dataset_value = json.loads(dataset)
        jsonschema.validate(dataset_value, SCHEMAS["dataset"])  # our caller's output: a failure is a bug
        corpus.digests[DATASET] = sha256_hex(dataset)
    registry, found = corpus.read_registry()
    problems += found
    stats = Stats(configs=chosen)
    writers = _Writers(dest)
    pass_ = _Pass(stats, _agreement_job(corpus))
    try:
        problems += _write_documents(corpus, registry, writers, pass_, failed=_has_error(problems), workers=workers,
                                     engine=engine, dest=dest)
        problems += corpus.cross_document_problems(registry)
        if _has_error(problems):
            refuse()
        assert dataset_value is not None and registry is not None

        entries = sorted(registry.values(), key=lambda e: e.entity_id)
        if "registry" in chosen:
            writers("registry", REGISTRY_SPLIT).add([registry_row(e) for e in entries])
        stats.labels["registry"].update(e.type for e in entries)
        stats.agreement = _agreement(corpus, dataset_value, pass_.agreement)
        if "agreement" in chosen:
            writers("agreement", AGREEMENT_SPLIT).add([agreement_row(r) for r in stats.agreement])
        stats.suggestion_files = corpus.files_read(SUGGESTIONS)
        if pass_.suggestions is not None:
            evaluation = pass_.suggestions.result()
            stats.suggestions, stats.suggestion_sources = evaluation.rows, evaluation.sources
        writers.close(stats)
    except BaseException:
        writers.abort()
        raise
    empty = [c for c in chosen if not stats.total(c) and c not in OPTIONAL_CONFIGS]
    if empty:
        raise BuildError(
            f"config(s) {', '.join(empty)} would have no rows, and `datasets` cannot load an empty "
            "config: annotate at least one item of each layer"
        )
    stats.version = dataset_value["version"]
    stats.dataset = dataset_value
    annotators, _ = corpus.read_annotators()  # checked by the gate: a valid corpus's file, or none
    stats.annotators = {a.annotator_id: a.kind for a in (annotators or {}).values()}
    stats.source_digest = corpus.source_digest()
    _write_card_and_manifest(dest, stats)
    _check_unchanged(corpus, on_disk, since=started)
    return BuildOutput(stats, problems, _stale_notes(corpus, stats, dataset))


def _stale_notes(corpus: Corpus, stats: Stats, dataset: Optional[bytes]) -> list[Any]:
    """The counts stated in the released notes that the release's figures contradict, located in
    ``dataset.json`` (``dataset``: the bytes released instead of the file's)."""
    from ._facts import figures
    from ._notes import stale_counts

    raw = dataset if dataset is not None else corpus.files.read(DATASET)
    return stale_counts(stats.dataset, figures(stats), file=corpus.files.shown(DATASET),
                        raw=raw.decode("utf-8") if raw else "")


@dataclass
class _Pass:
    """What the pass over the documents adds up besides the rows: the statistics, the agreement
    counts (``job``: None without annotators) and the stored suggestions' counts."""

    stats: Stats
    job: Any
    agreement: Any = None
    suggestions: Any = None

    def add(self, chunk: _ChunkOutput) -> None:
        stats = self.stats
        for layer, counts in chunk.labels.items():
            stats.labels[layer].update(counts)
        stats.tokens += chunk.tokens
        stats.languages |= chunk.languages
        stats.document_tally.merge(chunk.tally)
        if chunk.agreement is not None:
            if self.agreement is None:
                self.agreement = chunk.agreement
            else:
                self.agreement.update(chunk.agreement)
        if chunk.suggestions is not None:
            if self.suggestions is None:
                self.suggestions = chunk.suggestions
            else:
                self.suggestions.merge(chunk.suggestions)


def _agreement_job(corpus: Corpus) -> Any:
    """What the pass measures of agreement: every pair of the annotators that annotators.json lists
    and that have layers (as ``measure_agreement`` compares them); None without annotators."""
    from ..agreement import Job, annotator_pairs
    from ..model import LAYERS

    listed = corpus.annotator_ids() or frozenset()
    annotators = sorted(a for a in corpus.layer_folders() if a in listed and a != GOLD)
    if not annotators:
        return None
    return Job(None, tuple(annotator_pairs(annotators)), LAYERS, False)


def _refuse(corpus_root: Path, workers: int, engine: Any = None) -> None:
    """Raise ``CorpusInvalid`` with the validator's full report (warnings included): the slow path,
    taken only by a corpus that has an error."""
    from ..validation import iter_problems

    raise CorpusInvalid(list(iter_problems(corpus_root, workers=workers, engine=engine)))


def _agreement(corpus: Corpus, dataset_value: dict[str, Any], counts: Any) -> list[Any]:
    """The agreement rows of the pass's ``counts`` (a valid corpus: the gate has passed);
    ``BuildError`` when a pair of annotators falls below the minimum of ``dataset.json``
    (``agreement_minimum``)."""
    from ..agreement import below_minimum, counted_rows

    rows = [] if counts is None else counted_rows(counts)
    minimum = dataset_value.get("agreement_minimum") or {}
    short = below_minimum(rows, minimum)
    if short:
        raise BuildError(f"agreement below the minimum of {corpus.files.shown(DATASET)}: "
                         + "; ".join(str(s) for s in short) + "; nothing was published")
    return rows


def _changed(shown: str, what: str) -> BuildError:
    return BuildError(f"{shown} {what} while the build read the corpus (is another program writing it?); nothing was "
                      "published: build again once it is done")


#: How long before the build's start a file's status change still counts as during the build: the
#: kernel stamps ``st_ctime`` with a coarse clock (a tick behind ``time.time()``), and a file
#: written just before the start may have been read while still being written.
CLOCK_MARGIN_S = 2.0


def _check_unchanged(corpus: Corpus, on_disk: dict[str, str], *, since: float) -> None:
    """Raise ``BuildError``, naming the file, when a file the build read (``Corpus.digests_read``,
    with ``on_disk`` for those whose bytes on disk are not what was built: ``dataset.json`` of a
    release) no longer holds what was read, or a document was added or removed since: the build
    read a corpus that another program was writing.

    A file whose status last changed (``st_ctime``, which every write, rename into place or
    ``utime`` sets to the current time, and no program can set back) before the build started
    (``since``, less ``CLOCK_MARGIN_S``) still holds what the build read: only the others are read
    and hashed again (at 100,000 documents, hashing all 300,000 files again took 8 s; a ``stat``
    each takes under 1 s). A packed corpus's shards were checked against the manifest as they were
    read: its manifest and corpus-level files are read again."""
    if corpus.files.packed:
        _check_packed_unchanged(corpus, {**corpus.digests, **on_disk})
        return
    root = corpus.root
    base = os.path.join(root, "")
    before_ns = int((since - CLOCK_MARGIN_S) * 1e9)
    prefix, suffix = f"{TEXTS}/", ".txt"
    read = set()
    for rel, digest in corpus.digests_read():
        if rel.startswith(prefix) and rel.endswith(suffix):
            read.add(rel[len(prefix):-len(suffix)])
        try:
            if os.stat(base + rel, follow_symlinks=False).st_ctime_ns < before_ns and rel not in on_disk:
                continue  # untouched since before the build began: what it read
            data = _read(base + rel)
        except FileNotFoundError:
            raise _changed(display_path(root / rel), "was removed") from None
        if sha256_hex(data) != on_disk.get(rel, digest):
            raise _changed(display_path(root / rel), "changed")
    now = set(corpus.document_ids())
    for doc_id in sorted(now ^ read):
        files = [root / TEXTS / f"{doc_id}.txt", root / DOCUMENTS / f"{doc_id}.json", root / ANNOTATIONS / f"{doc_id}.json"]
        shown = next((f for f in files if f.exists()), files[0])
        raise _changed(display_path(shown), "was added" if doc_id in now else "was removed")


def _check_packed_unchanged(corpus: Corpus, digests: dict[str, str]) -> None:
    reader = PackedReader(corpus.files.location)
    try:
        manifest = reader.manifest()
    except NewsSpansError:
        raise _changed(reader.shown(PACKED_MANIFEST), "changed") from None
    if manifest != corpus.files.manifest():
        raise _changed(reader.shown(PACKED_MANIFEST), "changed")
    for rel, digest in sorted(digests.items()):
        if "/" not in rel:
            data = reader.read(rel)
            if data is None or sha256_hex(data) != digest:
                raise _changed(reader.shown(rel), "changed" if data is not None else "was removed")


def _write_documents(corpus: Corpus, registry, writers: _Writers, pass_: _Pass, *, failed: bool, workers: int,
                     engine: Any, dest: Path) -> list[Problem]:
    """Read, check and convert every document into the writers (or, with a Dask ``engine``, into
    spilled tables that its workers write as shards: ``_shards``); returns the problems found.
    After the first error, checking goes on (the report lists every problem) but writing stops."""
    from ._features import FEATURES
    from ._shards import SPILL, write_shards

    problems: list[Problem] = []
    doc_configs = tuple(c for c in pass_.stats.configs if c not in ("registry", "agreement"))  # not made per document
    schemas = {c: FEATURES[c].arrow_schema for c in {*doc_configs, *NESTED}}  # the nested lists are made of NESTED's
    spill = None if engine is None else os.path.join(dest, SPILL)
    if spill is not None:
        os.makedirs(spill)
    convert = functools.partial(_build_chunk, configs=doc_configs, schemas=schemas, agreement=pass_.job, spill=spill)
    parts: list[_ChunkOutput] = []
    for chunk in corpus.map_documents(registry, convert, workers=workers, engine=engine):
        for found in chunk.problems:
            problems += found
            failed = failed or _has_error(found)
        if failed:
            continue
        if spill is None:
            for (config, split), table in chunk.tables.items():
                writers(config, split).add_table(table)
        else:
            parts.append(chunk)
        pass_.add(chunk)
    if spill is not None:
        if not failed:
            write_shards(engine, dest, [(c.rows, c.spilled) for c in parts], row_group_rows=ROW_GROUP_ROWS,
                         shard_rows=SHARD_ROWS, stats=pass_.stats)
        shutil.rmtree(spill)
    return problems


def _write_card_and_manifest(dest: Path, stats: Stats) -> None:
    """Write the card, ``croissant.json`` and the manifest of the data files in ``dest``."""
    from ._card import citation, render_card
    from ._croissant import CROISSANT, croissant_bytes

    # Each data file is read once: its hash serves the card's content digest, croissant.json and the manifest.
    hashed = {rel: file_entry(dest, rel) for rel in sorted(f for files in stats.files.values() for f in files)}
    content_digest = sha256_hex("".join(f"{rel}\t{e['sha256']}\n" for rel, e in hashed.items()).encode("utf-8"))
    (dest / CARD).write_text(render_card(stats, content_digest), encoding="utf-8")
    (dest / CROISSANT).write_bytes(croissant_bytes(stats, hashed, citation=citation(stats)))
    for rel in (CARD, CROISSANT):
        hashed[rel] = file_entry(dest, rel)
    _write_manifest(dest, stats, [hashed[rel] for rel in sorted(hashed)])


def file_entry(root: Path, rel: str) -> dict[str, Any]:
    """The manifest's entry of the file ``rel`` of the release at ``root``: path, SHA-256, bytes."""
    digest = file_digest(root / rel)
    return {"path": rel, "sha256": digest.sha256, "bytes": digest.size}


def _write_manifest(dest: Path, stats: Stats, files: list[dict[str, Any]]) -> None:
    manifest = {
        "version": stats.version,
        "source_digest": stats.source_digest,
        "built_with": _tool_versions(),
        "counts": {config: dict(sorted(stats.split_rows.get(config, {}).items())) for config in stats.configs},
        "files": files,
    }
    jsonschema.validate(manifest, SCHEMAS["manifest"])  # our own output: a failure is a bug
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def check_out(out: Path) -> None:
    """Refuse to replace ``out`` unless it is a release (it holds a manifest) or an empty folder."""
    if out.exists() and not out.is_dir():
        raise BuildError(f"{display_path(out)} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise BuildError(
            f"{display_path(out)} is not empty and holds no {MANIFEST}: it is not a NewsSpans release, "
            "so the build will not replace it; choose another --out"
        )


def _read(path: str) -> bytes:
    """The bytes of the file at ``path``: half the time of ``Path.read_bytes`` on small files."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def build(*, corpus: Union[str, Path], out: Path, configs: Optional[Sequence[str]] = None, workers: Optional[int] = None,
          dataset: Optional[bytes] = None, publish: Optional[Callable[[Path], None]] = None, engine: str = "local",
          scheduler: Optional[str] = None) -> BuildResult:
    """Build the release of ``corpus`` (a folder, or a packed corpus at a path or an fsspec URL)
    into ``out``, replacing it only when the build succeeds.

    ``configs`` limits the configs (default: all); ``workers`` is the number of processes that read
    and convert documents (default: one per core); ``engine`` "dask" runs that work, and the Parquet
    writing, as tasks of a Dask cluster: the one at ``scheduler``, or a ``LocalCluster`` of
    ``workers`` processes. The output does not depend on any of them. The release is written into a
    staged sibling of ``out`` (``paths.staging``), then swapped in whole (``atomic.replace_dir``),
    or handed to ``publish``, which must put it in place (a release does, together with other
    files); ``dataset`` as in ``write_release``."""
    from ..validation import open_engine

    out = Path(out)
    check_out(out)
    with staging(out, purpose="build") as tmp:
        runner = open_engine(engine, scheduler=scheduler, workers=workers)
        try:
            written = write_release(corpus, tmp, configs=configs, dataset=dataset, engine=runner,
                                    workers=default_workers() if workers is None else workers)
        finally:
            if runner is not None:
                runner.close()
        if publish is None:
            replace_dir(tmp, out)
        else:
            publish(tmp)
    return BuildResult(out, written.stats, written.problems, written.stale_notes)


def build_standoff(*, corpus: Union[str, Path], out: Path, workers: Optional[int] = None, engine: str = "local",
                   scheduler: Optional[str] = None) -> BuildResult:
    """Build the release of ``corpus`` without the texts (``_standoff``) into ``out``, replacing it
    (when it is empty or a standoff release) only when the build succeeds. The full release is
    written first inside the staged folder and removed with it: nothing else is written."""
    from ..validation import open_engine
    from ._standoff import check_standoff_out, write_standoff

    out = Path(out)
    check_standoff_out(out)
    with staging(out, purpose="standoff") as tmp:
        full, dest = tmp / "full", tmp / "standoff"
        full.mkdir()
        dest.mkdir()
        runner = open_engine(engine, scheduler=scheduler, workers=workers)
        try:
            written = write_release(corpus, full, engine=runner, workers=default_workers() if workers is None else workers)
        finally:
            if runner is not None:
                runner.close()
        write_standoff(full, dest)
        replace_dir(dest, out)
    return BuildResult(out, written.stats, written.problems)


@dataclass
class CheckResult:
    stale: list[str]
    problems: list[Problem]
    committed_with: dict[str, str]
    current: dict[str, str]


def check(*, corpus: Path, out: Path, workers: Optional[int] = None) -> CheckResult:
    """Rebuild ``corpus`` in a temporary folder and list the files of ``out`` that differ."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="newsspans-check-") as tmp:
        fresh = Path(tmp) / "data"
        fresh.mkdir()
        problems = write_release(corpus, fresh, workers=default_workers() if workers is None else workers).problems
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
