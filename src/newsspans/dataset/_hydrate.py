"""``newsspans hydrate``: a standoff release and the user's own copies of the texts -> the full
release, byte for byte as ``newsspans build`` writes it.

Every text is checked against the SHA-256 the standoff release records before anything is written,
and a text that differs is refused (one line naming the document and both hashes). The texts are put
back into every row (``_standoff.fill_row``, which checks every span against its text), the Parquet
files are written by the build's writer, the card, ``croissant.json`` and the manifest are the full
release's own (kept in ``release/``), and every file is checked against that manifest's SHA-256
before the folder is put in place (``atomic``), all or nothing.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..atomic import replace_dir, staging
from ..errors import BadInput, BuildError
from ..paths import display_path, file_digest, sha256_hex
from ._standoff import FORMAT, METADATA_FILES, RELEASE, STANDOFF, document_of, fill_row, rewrite_release


class TextsRefused(BuildError):
    """Texts that are missing or differ from the standoff release's: ``lines`` names each one."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__(f"{len(lines)} text(s) refused; nothing was written")


@dataclass
class HydrateResult:
    out: Path
    documents: int
    files: int


def read_standoff(folder: Path) -> dict[str, Any]:
    """The ``standoff.json`` of ``folder``; ``BadInput`` when it is not a standoff release."""
    try:
        value = json.loads((Path(folder) / STANDOFF).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"{display_path(folder)} holds no {STANDOFF}: it is not a standoff release "
                       "(newsspans build --standoff writes one)") from None
    except (OSError, ValueError) as exc:
        raise BadInput(f"{display_path(Path(folder) / STANDOFF)} does not read: {exc}") from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise BadInput(f"{display_path(Path(folder) / STANDOFF)} is not a {FORMAT} file")
    return value


def _text_path(texts: Path, doc_id: str) -> Path:
    return texts / f"{doc_id}.txt"


def check_texts(standoff: dict[str, Any], texts: Path) -> None:
    """``TextsRefused`` naming every document whose text is missing from ``texts`` or whose SHA-256
    differs from the one the standoff release records."""
    lines = []
    for doc in standoff["documents"]:
        path = _text_path(texts, doc["id"])
        try:
            got = sha256_hex(path.read_bytes())
        except FileNotFoundError:
            lines.append(f"{display_path(path)}: no text for document {doc['id']} (SHA-256 {doc['sha256']})")
            continue
        if got != doc["sha256"]:
            lines.append(f"{display_path(path)}: the text of document {doc['id']} has SHA-256 {got}, "
                         f"the release expects {doc['sha256']}")
    if lines:
        raise TextsRefused(lines)


class _Texts:
    """The texts by document id, read when first asked for and checked again (the rows of a config
    come document by document, so one text is held at a time)."""

    def __init__(self, standoff: dict[str, Any], texts: Path):
        self.texts = texts
        self.expected = {d["id"]: d["sha256"] for d in standoff["documents"]}
        self.titles = {d["id"]: d.get("title") for d in standoff["documents"]}
        self.current: tuple[Optional[str], str] = (None, "")

    def __call__(self, doc_id: str) -> str:
        if self.current[0] != doc_id:
            if doc_id not in self.expected:
                raise BuildError(f"a row names document {doc_id}, which {STANDOFF} does not list")
            data = _text_path(self.texts, doc_id).read_bytes()
            if sha256_hex(data) != self.expected[doc_id]:
                raise TextsRefused([f"{display_path(_text_path(self.texts, doc_id))}: changed while hydrate read it"])
            self.current = (doc_id, data.decode("utf-8"))
        return self.current[1]


def _verify(folder: Path) -> None:
    """``BuildError`` unless every file of ``folder`` is the one the release's manifest lists."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"manifest.json"}
    for rel in sorted(present | set(listed)):
        got = file_digest(folder / rel).sha256 if rel in present else "nothing"
        if got != listed.get(rel):
            raise BuildError(f"the restored {rel} (SHA-256 {got}) is not the release's ({listed.get(rel, 'not listed')}); "
                             "the standoff release is damaged; nothing was written")


def hydrate(*, standoff: Path, texts: Path, out: Path) -> HydrateResult:
    """Write the full release of the standoff release ``standoff`` into ``out`` with the texts of the
    folder ``texts`` (``<id>.txt``, byte for byte); ``out`` is replaced only when it is a release or
    empty, and only when everything succeeded."""
    from ._build import check_out

    standoff, texts, out = Path(standoff), Path(texts), Path(out)
    value = read_standoff(standoff)
    if not texts.is_dir():
        raise BadInput(f"{display_path(texts)} is not a folder of texts (<id>.txt)")
    check_texts(value, texts)
    check_out(out)
    text_of = _Texts(value, texts)

    def fill(config: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for row in rows:
            doc_id = document_of(config, row)
            if doc_id is not None:
                fill_row(config, row, text_of(doc_id), title=text_of.titles[doc_id] if config == "documents" else None)
        return rows

    with staging(out, purpose="hydrate") as tmp:
        rewrite_release(standoff, tmp, fill)
        for name in METADATA_FILES:
            shutil.copyfile(standoff / RELEASE / name, tmp / name)
        _verify(tmp)
        files = sum(1 for p in tmp.rglob("*") if p.is_file())
        replace_dir(tmp, out)
    return HydrateResult(out, len(value["documents"]), files)
