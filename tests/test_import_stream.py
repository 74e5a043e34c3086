"""A Label Studio export is read one task at a time (``formats._jsonarray``): each task is what
``json.loads`` of the whole file gives, at the line it starts on, whatever the read size; a file
that is not a list of tasks is refused with exactly the message reading it whole gives; and the
import's memory does not grow with the number of tasks (measured with tracemalloc, not timed).
The export writes a long document's task as it is encoded, the same bytes."""

from __future__ import annotations

import json
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from helpers import CORPUS, run, tree_bytes
from hypothesis import given, settings
from hypothesis import strategies as st
from test_import_linear import big_document

from newsspans._synth import write_synthetic_corpus
from newsspans.formats import _jsonarray, export, import_
from newsspans.formats import labelstudio as ls
from newsspans.formats._jsonarray import NotAnArray, array_items
from newsspans.validation import line_of

CHUNKS = (1, 3, 7, 64, None)  # None: the default read size


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> str:
    """The text of the project corpus's Label Studio export."""
    out = tmp_path_factory.mktemp("ls") / "out"
    code, _, err = run("export", "labelstudio", "--corpus", CORPUS, "--out", out)
    assert code == 0, err
    return (out / "tasks.json").read_text(encoding="utf-8")


def well_formed(text: str) -> dict[str, str]:
    """Arrays written in several ways: as exported, compact, CRLF, astral characters (split by
    small reads, as any multi-byte character), whitespace around, no tasks, items of any kind."""
    tasks = json.loads(text)
    return {"exported": text, "compact": json.dumps(tasks, ensure_ascii=False), "crlf": text.replace("\n", "\r\n"),
            "astral": json.dumps([{"t": "\U0001F600 é \U0001D11E"}] * 3 + tasks, ensure_ascii=False, indent=2),
            "spaced": "\n\t " + text + " \n", "empty": " [ \n ] ",
            "scalars": '[1, 2.5e3, "x", null, [], {}, 123, -0.25E-12, true]'}


def malformed(text: str) -> dict[str, bytes]:
    """Files that are not a JSON array, each refused by ``json.loads`` or not a list."""
    body = text.rstrip()
    first_end = text.index("},\n{") + 1
    return {"bom": b"\xef\xbb\xbf" + text.encode(), "object": ('{"tasks": ' + text + "}").encode(),
            "scalar": b"1", "string": b'"[1]"', "trailing comma": (body[:-1].rstrip() + ",\n]").encode(),
            "extra data": (text + "[]").encode(), "extra garbage": (text + "x").encode(),
            "truncated": text[: len(text) - 40].encode(), "half": text[: len(text) // 2].encode(),
            "missing comma": (text[:first_end] + text[first_end + 1:]).encode(),
            "bad byte": text.encode()[:500] + b"\xff" + text.encode()[500:], "cut character": text.encode() + b"\xc3",
            "empty file": b"", "blank": b" \n", "nested": b"[" + b"[" * 100_000 + b"]" * 100_001,
            "huge integer": b"[" + b"1" * 5000 + b"]", "open": b"[", "comma only": b"[,]", "number cut": b"[12"}


@pytest.mark.parametrize("chunk", CHUNKS)
def test_each_item_is_what_reading_the_whole_file_gives_at_its_line(exported, tmp_path, chunk):
    for name, text in well_formed(exported).items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(text.encode("utf-8"))
        items = list(array_items(path, chunk_bytes=chunk))
        whole = json.loads(path.read_bytes().decode("utf-8"))
        assert [item.value for item in items] == whole, name
        assert [json.loads(item.text) for item in items] == whole, name
        assert [item.line for item in items] == [line_of(text, [k]) for k in range(len(whole))], name


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                    max_leaves=12)


@settings(deadline=None)  # timing is not what is tested; a busy machine is slow
@given(st.lists(JSON, max_size=6), st.sampled_from([None, 0, 1, 3]), st.integers(1, 9), st.data())
def test_any_array_reads_as_json_loads_reads_it(items, indent, chunk, data):
    text = json.dumps(items, indent=indent, ensure_ascii=data.draw(st.booleans()))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "any.json"
        path.write_bytes(text.encode("utf-8"))
        read = list(array_items(path, chunk_bytes=chunk))
    assert [item.value for item in read] == json.loads(text)
    assert [item.line for item in read] == [line_of(text, [k]) for k in range(len(items))]


@pytest.mark.parametrize("chunk", (1, 64, None))
def test_a_file_that_is_not_an_array_is_refused_exactly_when_reading_it_whole_refuses_it(exported, tmp_path, chunk):
    for name, data in malformed(exported).items():
        path = tmp_path / "bad.json"
        path.write_bytes(data)
        try:
            whole = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError):
            whole = None
        assert not isinstance(whole, list), name
        with pytest.raises(NotAnArray):
            list(array_items(path, chunk_bytes=chunk))


def test_items_come_before_the_file_is_read_to_its_end(exported, tmp_path):
    """The first task is there while the rest of the file is not read yet (a broken end is found
    only on reaching it): the reader streams."""
    path = tmp_path / "tasks.json"
    path.write_text(exported[: len(exported) - 40], encoding="utf-8")
    items = array_items(path, chunk_bytes=4096)
    first = next(items)
    assert first.value == json.loads(exported)[0]
    with pytest.raises(NotAnArray):
        list(items)


def test_an_import_refuses_a_broken_file_as_json_does_and_locates_later_tasks_by_their_own_line(exported, tmp_path, corpus_copy):
    broken = tmp_path / "broken.json"
    broken.write_text(exported[: len(exported) - 40], encoding="utf-8")
    try:
        json.loads(broken.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        expected = f"{broken}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}"
    before = tree_bytes(corpus_copy)
    code, _, err = run("import", "labelstudio", broken, "--corpus", corpus_copy)
    assert code == 1 and expected in err
    assert tree_bytes(corpus_copy) == before
    tasks = json.loads(exported)
    item = next(i for i, x in enumerate(tasks[1]["annotations"][0]["result"]) if x["type"] == "labels")
    tasks[1]["annotations"][0]["result"][item]["value"]["start"] += 1
    moved = json.dumps(tasks, ensure_ascii=False, indent=1)
    (tmp_path / "moved.json").write_text(moved, encoding="utf-8")
    code, _, err = run("import", "labelstudio", tmp_path / "moved.json", "--corpus", corpus_copy)
    assert code == 1
    assert f"moved.json:{line_of(moved, [1, 'annotations', 0, 'result', item, 'value'])}: [E-SPAN-TEXT] task at index 1 " in err
    assert tree_bytes(corpus_copy) == before


def import_peak(tmp_path, docs: int) -> tuple[int, int]:
    """The size of the Label Studio export of ``docs`` synthetic documents, and the peak memory
    (tracemalloc) of importing it back."""
    corpus = write_synthetic_corpus(tmp_path / f"c{docs}", docs=docs, registry_size=30)
    export("labelstudio", corpus=corpus, out=tmp_path / f"ls{docs}")
    tracemalloc.start()
    try:
        import_("labelstudio", src=tmp_path / f"ls{docs}", corpus=corpus, dry_run=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (tmp_path / f"ls{docs}" / "tasks.json").stat().st_size, peak


def test_an_import_holds_one_task_not_the_export(tmp_path, monkeypatch):
    """Reading the file whole and parsing every task holds about ten times the file; streamed, an
    import holds one task, a read buffer and a few hundred bytes per document read."""
    monkeypatch.setattr(_jsonarray, "CHUNK_BYTES", 1 << 14)
    small_size, small_peak = import_peak(tmp_path, 30)
    large_size, large_peak = import_peak(tmp_path, 120)
    assert large_size > 3 * small_size
    assert large_peak < large_size / 2, f"peak {large_peak} bytes for a file of {large_size}"
    assert large_peak - small_peak < (large_size - small_size) / 4


def export_peak(out, doc) -> int:
    """The peak memory (tracemalloc) of exporting ``doc``'s task into ``out``."""
    out.mkdir()
    tracemalloc.start()
    try:
        ls.export([("train", doc)], out=out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_long_documents_task_is_written_as_it_is_encoded(tmp_path, monkeypatch):
    """The same bytes as ``json.dumps`` of the task, without its text ever held whole: encoded
    whole, the peak holds the text about twice more (its pieces and their join)."""
    doc = big_document(100_000)
    streamed = export_peak(tmp_path / "streamed", doc)
    monkeypatch.setattr(ls, "_STREAMED_FROM", 10**9)
    whole = export_peak(tmp_path / "whole", doc)
    data = (tmp_path / "streamed" / "tasks.json").read_bytes()
    assert data == (tmp_path / "whole" / "tasks.json").read_bytes()
    assert data == ("[\n" + json.dumps(ls.task(doc), ensure_ascii=False, indent=1) + "\n]\n").encode("utf-8")
    assert whole - streamed > len(data), f"peak {streamed} streamed, {whole} whole, for {len(data)} bytes"
