"""What the entity pages list: every mention, quote speaker and claimant that refers to a
registry entity, with a little of the text around it, kept on disk until the entity pages are
written (``MentionStore``)."""

from __future__ import annotations

import marshal
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from ..corpus import LenientDocument
from ..model import Document, RegistryEntry
from ._links import anchor_of
from ._placement import indexed

CONTEXT = 70  # code points of context on each side of a mention on an entity page


class Mention(NamedTuple):
    doc_id: str
    doc_title: str
    anchor: str
    role: str  # "mention", "speaker of", "claimant of"
    ident: str
    label: str
    before: str
    text: str
    after: str


def _context(doc: Document, start: int, end: int) -> tuple[str, str, str]:
    """The text before the span, the span's and the text after it, as the entity page shows them:
    the context on one line (line breaks as spaces), the span's text as it is."""
    text = doc.text
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    return (text[max(0, start - CONTEXT) : start].replace("\n", " "), text[start:end],
            text[end : end + CONTEXT].replace("\n", " "))


def collect_mentions(ld: LenientDocument, registry: dict[str, RegistryEntry]) -> Iterable[tuple[str, Mention]]:
    """(entity_id, mention) for every reference to a registry entity in the document."""
    doc = ld.document
    title = doc.meta.title or doc.id
    for i, m in indexed(ld, "entities"):
        if m.entity_id in registry:
            yield m.entity_id, Mention(doc.id, title, anchor_of("entities", i), "mention", m.id, m.label,
                                       *_context(doc, m.start, m.end))
    for i, q in indexed(ld, "quotes"):
        if q.speaker_entity_id in registry:
            span = q.speaker or q.content
            part = "speaker" if q.speaker else "content"
            yield q.speaker_entity_id, Mention(doc.id, title, anchor_of("quotes", i, part), "speaker of", q.id, q.type,
                                               *_context(doc, span.start, span.end))
    for i, c in indexed(ld, "claims"):
        if c.claimant in registry:
            yield c.claimant, Mention(doc.id, title, anchor_of("claims", i), "claimant of", c.id, c.label,
                                      *_context(doc, c.start, c.end))


class ReferenceCounts(NamedTuple):
    """What an entity page and the index count of an entity's references."""

    mentions: int  # entity mentions
    references: int  # mentions, quotes and claims
    documents: int  # documents referring to it


def _key(entity_id: str) -> bytes:
    # surrogatepass: never fails, whatever the string (SQLite's text must be valid UTF-8)
    return entity_id.encode("utf-8", "surrogatepass")


class MentionStore:
    """Every reference to a registry entity, in the order added, kept on disk in a SQLite database
    at ``path`` (a new file in the staged output folder: on the output's file system, gone with
    it if the process is killed; removed when closed; SQLite writes no other file): the entity pages come after every document,
    and holding all the references of a large corpus in memory would grow with it (about 15 per
    document, each with 140 code points of context). What is shown of an entity besides its
    references is counted as they come (``counts``; the documents are added one after another).
    Use it as a context manager; a failure of the database is an ``OSError``."""

    BATCH = 256  # references inserted at a time

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with _as_os_error():
            self._db = sqlite3.connect(os.fsencode(self.path), isolation_level=None)
        try:
            with _as_os_error():
                # scratch data, rebuilt by the next run: no journal, no sync; this process's alone, so
                # locked once (not per statement, which also drops the page cache each time: 5x slower);
                # temporary data in memory, never in a file of TMPDIR or /var/tmp (outside the output)
                for pragma in ("locking_mode = EXCLUSIVE", "journal_mode = OFF", "synchronous = OFF",
                               "temp_store = MEMORY"):
                    self._db.execute(f"PRAGMA {pragma}")
                # The index made before any row, and kept as they come: made after them, it would
                # sort them all at once, in temporary files. It holds the rowid, so an entity's
                # references come in the order added with no sort either.
                self._db.execute("CREATE TABLE refs (entity BLOB NOT NULL, data BLOB NOT NULL)")
                self._db.execute("CREATE INDEX refs_entity ON refs (entity)")
        except BaseException:
            self.__exit__()
            raise
        self._pending: list[tuple[bytes, bytes]] = []
        #: By entity: its mentions, its references, the documents referring to it, the last of them.
        self._counts: dict[str, list] = {}

    def __enter__(self) -> "MentionStore":
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._db.close()
        finally:
            self.path.unlink(missing_ok=True)

    def add(self, entity_id: str, mention: Mention) -> None:
        self._pending.append((_key(entity_id), marshal.dumps(tuple(mention))))
        counts = self._counts.get(entity_id)
        if counts is None:
            counts = self._counts[entity_id] = [0, 0, 0, None]
        counts[0] += mention.role == "mention"
        counts[1] += 1
        if counts[3] != mention.doc_id:
            counts[2] += 1
            counts[3] = mention.doc_id
        if len(self._pending) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        with _as_os_error():
            self._db.executemany("INSERT INTO refs VALUES (?, ?)", self._pending)
        self._pending.clear()

    def counts(self, entity_id: str) -> ReferenceCounts:
        found = self._counts.get(entity_id)
        return ReferenceCounts(*found[:3]) if found else ReferenceCounts(0, 0, 0)

    def all_counts(self) -> dict[str, ReferenceCounts]:
        """The counts of every entity referred to."""
        return {entity_id: ReferenceCounts(*found[:3]) for entity_id, found in self._counts.items()}

    def of(self, entity_id: str) -> Iterator[Mention]:
        """The references to ``entity_id`` in the order added, read from disk as they are iterated."""
        with _as_os_error():
            if self._pending:
                self._flush()
            rows = self._db.execute("SELECT data FROM refs WHERE entity = ? ORDER BY rowid", (_key(entity_id),))
            for (data,) in rows:
                yield Mention(*marshal.loads(data))


@contextmanager
def _as_os_error() -> Iterator[None]:
    """A failure of the database (a full disk...) as the ``OSError`` the commands report in one line."""
    try:
        yield
    except sqlite3.Error as exc:
        raise OSError(f"cannot keep the references to registry entities on disk: {exc}") from exc
