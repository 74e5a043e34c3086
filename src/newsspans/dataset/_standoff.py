"""A release without the texts (``newsspans build --standoff OUT``): the way to share the annotations
of texts whose licence forbids redistributing them.

A standoff release holds every config's Parquet files with each piece of document text taken out
(``strip_row``): the documents' ``text``, every span's ``text`` (entities, claims, and the content,
speaker and cue of quotes, in their configs and inside the documents), the sentences' ``text``, the
``tokens`` of the token view, and a ``title`` that is a piece of its text (its offsets are kept
instead). Offsets, labels, ids, the registry and the agreement table stay; so does each document's
``sha256``. ``standoff.json`` lists the documents with the SHA-256 of their texts and every file of
the standoff release with its own; ``release/`` keeps the full release's card, ``croissant.json``
and manifest, which hold no document text, so that ``newsspans hydrate`` (``_hydrate``) can put the
texts back (``fill_row``) and write the full release byte for byte.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from ..errors import BuildError
from ..labels import QUOTE_PARTS
from ..paths import display_path

STANDOFF = "standoff.json"
FORMAT = "newsspans-standoff/1"
#: The folder of a standoff release that keeps the full release's metadata files.
RELEASE = "release"
#: The full release's files kept in ``release/`` (they hold no document text).
METADATA_FILES = ("README.md", "croissant.json", "manifest.json")
NOTE = "README.md"


def _spans(row: dict[str, Any], config: str) -> Iterator[dict[str, Any]]:
    """The ``{start, end, text}`` dicts of a row of ``config`` (the row itself for a flat span)."""
    if config in ("entities", "claims", "sentences"):
        yield row
    elif config == "quotes":
        yield from (row[column] for column in QUOTE_PARTS if row[column] is not None)
    elif config == "documents":
        yield from row["entities"]
        yield from row["claims"]
        for quote in row["quotes"]:
            yield from _spans(quote, "quotes")


def strip_row(config: str, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` of ``config`` without its text (in place): every span's text and the document's text,
    title and tokens become null; a document's ``title`` found in its text is recorded as
    ``_title`` offsets (the caller keeps them in ``standoff.json``; they are not a column)."""
    for span in _spans(row, config):
        span["text"] = None
    if config == "documents":
        text, title = row["text"], row["title"]
        at = text.find(title) if title else -1
        if at >= 0:
            row["_title"] = [at, at + len(title)]
            row["title"] = None
        row["text"] = None
    elif config == "tokens":
        row["tokens"] = None
    return row


class SpanOutside(BuildError):
    """A span of a standoff release reaches past the end of its restored text."""


def _cut(text: str, start: int, end: int, where: str) -> str:
    if not 0 <= start <= end <= len(text):
        raise SpanOutside(f"{where}: offsets {start}-{end} are outside the restored text ({len(text)} characters)")
    return text[start:end]


def fill_row(config: str, row: dict[str, Any], text: str, *, title: Optional[list[int]] = None) -> dict[str, Any]:
    """``row`` of ``config`` with its text put back from ``text`` (its document's), in place: the
    inverse of ``strip_row``. Every span is checked against the text (``SpanOutside``)."""
    where = f"{config} {row.get('id') or row.get('document_id')}"
    for span in _spans(row, config):
        span["text"] = _cut(text, span["start"], span["end"], where)
    if config == "documents":
        row["text"] = text
        if title is not None:
            row["title"] = _cut(text, title[0], title[1], f"{where} title")
    elif config == "tokens":
        row["tokens"] = [_cut(text, s, e, where) for s, e in zip(row["token_starts"], row["token_ends"])]
    return row


def document_of(config: str, row: dict[str, Any]) -> Optional[str]:
    """The id of the document whose text ``row`` needs (None: the row holds no text)."""
    if config == "documents":
        return row["id"]
    if config in ("entities", "quotes", "claims", "tokens", "sentences"):
        return row["document_id"]
    return None


def parquet_rows(path: Path, batch_rows: int) -> Iterator[list[dict[str, Any]]]:
    """The rows of a Parquet file, a batch at a time."""
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
        yield batch.to_pylist()


def rewrite_release(source: Path, dest: Path, change: Callable[[str, list[dict[str, Any]]], list[dict[str, Any]]]) -> None:
    """Write every config's Parquet files of the release folder ``source`` into ``dest``, each batch
    of rows passed through ``change(config, rows)``, with the build's writer and row groups (the
    same rows give the same bytes)."""
    from ._build import ROW_GROUP_ROWS, SHARD_ROWS
    from ._configs import CONFIGS
    from ._features import FEATURES
    from ._parquet import ShardedWriter

    for config in CONFIGS:
        by_split: dict[str, list[Path]] = {}
        for path in sorted((source / config).glob("*.parquet")):
            by_split.setdefault(path.name.split("-", 1)[0], []).append(path)
        for split, paths in sorted(by_split.items()):
            writer = ShardedWriter(dest / config, split, FEATURES[config], row_group_rows=ROW_GROUP_ROWS[config],
                                   shard_rows=SHARD_ROWS[config])
            try:
                for path in paths:
                    for rows in parquet_rows(path, ROW_GROUP_ROWS[config]):
                        writer.add(change(config, rows))
            except BaseException:
                writer.abort()
                raise
            writer.close()


def file_entries(root: Path, *, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """``{path, sha256, bytes}`` of every file under ``root``, sorted by path."""
    from ._build import file_entry

    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel not in exclude:
            out.append(file_entry(root, rel))
    return out


def write_standoff(full: Path, dest: Path) -> dict[str, Any]:
    """Write the standoff release of the full release folder ``full`` into the empty folder ``dest``;
    returns its ``standoff.json`` content."""
    documents: list[dict[str, Any]] = []

    def strip(config: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for row in rows:
            strip_row(config, row)
            if config == "documents":
                entry = {"id": row["id"], "sha256": row["sha256"]}
                if "_title" in row:
                    entry["title"] = row.pop("_title")
                documents.append(entry)
        return rows

    rewrite_release(full, dest, strip)
    (dest / RELEASE).mkdir()
    for name in METADATA_FILES:
        shutil.copyfile(full / name, dest / RELEASE / name)
    manifest = json.loads((full / "manifest.json").read_text(encoding="utf-8"))
    (dest / NOTE).write_text(_note(manifest["version"]), encoding="utf-8")
    standoff = {"format": FORMAT, "version": manifest["version"], "documents": sorted(documents, key=lambda d: d["id"]),
                "files": file_entries(dest)}
    (dest / STANDOFF).write_text(json.dumps(standoff, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return standoff


def _note(version: str) -> str:
    return (f"# A standoff release of version {version}, without the texts\n\n"
            "Every config's Parquet files are here with each piece of document text taken out: the documents' "
            "`text`, every span's `text`, the sentences' `text` and the `tokens`; offsets, labels and ids are kept. "
            f"`{STANDOFF}` lists each document with the SHA-256 of its text. With your own copies of the texts "
            "(`<id>.txt`, byte for byte), restore the full release, which loads with `datasets`:\n\n"
            "```sh\nnewsspans hydrate THIS_FOLDER --texts TEXTS_FOLDER --out data\n```\n\n"
            "A text whose SHA-256 differs is refused. `release/` holds the full release's card, `croissant.json` and "
            "manifest, which the restored release is checked against, file by file.\n")


def check_standoff_out(out: Path) -> None:
    """Refuse to replace a folder that is neither empty nor a standoff release."""
    if out.exists() and not out.is_dir():
        raise BuildError(f"{display_path(out)} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / STANDOFF).is_file():
        raise BuildError(f"{display_path(out)} is not empty and holds no {STANDOFF}: it is not a standoff release, so "
                         "the build will not replace it; choose another folder")
