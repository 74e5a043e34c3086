"""``newsspans render`` streams: it reads one document at a time and writes its pages before reading
the next, keeps the references to registry entities on disk rather than in memory, and so holds
an amount of memory that hardly grows with the corpus (the index keeps one small row per document).

Speed is measured by scripts (docs/performance.md), never here: these tests count and trace."""

from __future__ import annotations

import gc
import sqlite3
import tracemalloc
import weakref

import pytest

import newsspans.atomic as atomic
import newsspans.review._render as render_module
from newsspans._synth import write_synthetic_corpus
from newsspans.review import render
from newsspans.review._mentions import Mention, MentionStore
from newsspans.review._site import Site


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """Two synthetic corpora, the second four times the first (small registries: the registry is
    held whole, and is not what is measured)."""
    root = tmp_path_factory.mktemp("streaming")
    return {n: write_synthetic_corpus(root / f"c{n}", docs=n, registry_size=40) for n in (40, 160)}


def test_documents_are_read_one_at_a_time_and_each_written_before_the_next_is_read(corpora, tmp_path, monkeypatch):
    events: list[tuple[str, str]] = []
    refs: list[weakref.ref] = []
    most_alive = 0
    read, write = render_module.read_document_review, Site.document

    def reading(corpus, doc_id, *, registry):
        nonlocal most_alive
        d = read(corpus, doc_id, registry=registry)
        refs.append(weakref.ref(d))
        gc.collect()  # what is still alive is still referred to
        most_alive = max(most_alive, sum(1 for r in refs if r() is not None))
        events.append(("read", doc_id))
        return d

    def writing(self, d, layers, *, again=False):
        events.append(("page", d.doc_id))
        return write(self, d, layers, again=again)

    monkeypatch.setattr(render_module, "read_document_review", reading)
    monkeypatch.setattr(Site, "document", writing)
    result = render(corpus=corpora[40], out=tmp_path / "site")

    doc_ids = sorted(p.stem for p in (corpora[40] / "texts").glob("*.txt"))
    assert result.documents == len(doc_ids) == 40
    assert events == [(kind, d) for d in doc_ids for kind in ("read", "page")]
    # the one just read, and the one before it until the loop lets it go: never the corpus
    assert most_alive <= 2


def test_the_references_to_entities_are_kept_on_disk_and_come_back_in_order(tmp_path):
    n = 20_000
    context = "x" * 70
    tracemalloc.start()
    try:
        with MentionStore(tmp_path / "refs.sqlite") as store:
            for k in range(n):
                entity = f"E{k % 7}"
                store.add(entity, Mention(f"doc{k // 10:05d}", "A title", f"e{k}", "mention" if k % 3 else "speaker of",
                                          f"m{k}", "PERSON", context, f"name {k}", context))
            _, peak = tracemalloc.get_traced_memory()
            back = list(store.of("E3"))
            counts = store.counts("E3")
    finally:
        tracemalloc.stop()
    # held in memory, the references would take well over 10 MB (20,000 of them, 140 code points
    # of context each); on disk, only the batch waiting to be inserted is
    assert peak < 2_000_000, peak
    expected = [k for k in range(n) if k % 7 == 3]
    assert [m.ident for m in back] == [f"m{k}" for k in expected]
    assert back[0] == Mention("doc00000", "A title", "e3", "speaker of", "m3", "PERSON", context, "name 3", context)
    assert counts.references == len(expected)
    assert counts.mentions == sum(1 for k in expected if k % 3)
    assert counts.documents == len({k // 10 for k in expected})
    assert not (tmp_path / "refs.sqlite").exists()  # removed when closed
    with MentionStore(tmp_path / "empty.sqlite") as store:
        assert list(store.of("E3")) == [] and store.counts("E3") == (0, 0, 0)


def test_a_store_that_cannot_be_written_is_an_os_error_that_the_commands_report_in_one_line(tmp_path):
    with pytest.raises(OSError, match="cannot keep the references to registry entities on disk: unable to open"):
        MentionStore(tmp_path / "no such folder" / "refs.sqlite")


def _peak(corpus, out) -> int:
    render(corpus=corpus, out=out.with_name(out.name + "-warm"))  # templates compiled, modules imported
    gc.collect()
    tracemalloc.start()
    try:
        render(corpus=corpus, out=out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_memory_held_hardly_grows_with_the_number_of_documents(corpora, tmp_path, monkeypatch):
    # files synced 16 at a time (not 256): what a batch holds is then the same at both sizes
    monkeypatch.setattr(atomic, "SYNC_BATCH", 16)
    small, large = _peak(corpora[40], tmp_path / "small"), _peak(corpora[160], tmp_path / "large")
    per_document = (large - small) / (160 - 40)
    # Holding each document, its pages and its references costs some 25 KB a document (what the
    # render did before it streamed); the index's row of a document is under 1 KB.
    assert per_document < 4_000, (small, large)


class _Recording(sqlite3.Connection):
    """A connection that logs its statements and, when closed, what SQLite would do for the
    ordered read of an entity's references."""

    log: list[str] = []
    seen: dict = {}

    def execute(self, sql, *args):
        type(self).log.append(sql)
        return super().execute(sql, *args)

    def executemany(self, sql, *args):
        type(self).log.append(sql)
        return super().executemany(sql, *args)

    def close(self):
        read = next(sql for sql in self.log if sql.startswith("SELECT data FROM refs"))
        type(self).seen = {
            "temp_store": super().execute("PRAGMA temp_store").fetchone()[0],
            "plan": [row[-1] for row in super().execute(f"EXPLAIN QUERY PLAN {read}", (b"E",))],
            "objects": [row[0] for row in super().execute("SELECT type FROM sqlite_master ORDER BY rowid")],
        }
        super().close()


def test_the_reference_store_never_sorts_in_a_temporary_file(corpora, tmp_path, monkeypatch):
    """SQLite writes what it sorts (an index made after the rows, an ORDER BY without one) into
    temporary files in TMPDIR or /var/tmp, outside the output: the index is made with the table,
    before any row, the ordered read needs no sort, and temporary data stays in memory."""
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: connect(*a, factory=_Recording, **k))
    monkeypatch.setattr(_Recording, "log", [])
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setenv("SQLITE_TMPDIR", str(private))
    result = render(corpus=corpora[40], out=tmp_path / "site")
    log, seen = _Recording.log, _Recording.seen
    assert result.entities and any(sql.startswith("INSERT") for sql in log)
    first_insert = next(i for i, sql in enumerate(log) if sql.startswith("INSERT"))
    assert any(sql.startswith("CREATE INDEX") for sql in log[:first_insert])
    assert not any(sql.startswith("CREATE INDEX") for sql in log[first_insert:])
    assert seen["temp_store"] == 2  # MEMORY
    assert seen["objects"] == ["table", "index"]
    assert any("USING INDEX" in step or "USING PRIMARY KEY" in step for step in seen["plan"])
    assert not any("TEMP B-TREE" in step for step in seen["plan"]), seen["plan"]
    assert list(private.iterdir()) == []
    assert not any(p.name.endswith(".sqlite") for p in (tmp_path / "site").rglob("*"))
