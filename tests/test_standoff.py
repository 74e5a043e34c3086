"""``newsspans build --standoff`` and ``newsspans hydrate``: a release without the texts, and the full
release restored from it byte for byte with the user's own texts, refusing any text that differs."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from helpers import CORPUS, run, tree_bytes

from newsspans.dataset import CONFIGS


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> Path:
    """A normal build and a standoff build of the project's corpus."""
    root = tmp_path_factory.mktemp("standoff")
    assert run("build", "--corpus", CORPUS, "--out", root / "full", "--workers", "1")[0] == 0
    code, out, err = run("build", "--corpus", CORPUS, "--standoff", root / "standoff", "--workers", "1")
    assert code == 0, err
    assert "without the texts" in out
    return root


def _texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in (CORPUS / "texts").glob("*.txt")}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_hydrate_restores_the_full_release_byte_for_byte(releases, tmp_path):
    code, out, err = run("hydrate", releases / "standoff", "--texts", CORPUS / "texts", "--out", tmp_path / "data")
    assert code == 0, err
    full, hydrated = tree_bytes(releases / "full"), tree_bytes(tmp_path / "data")
    assert hydrated.keys() == full.keys()
    assert [rel for rel in full if hydrated[rel] != full[rel]] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # nothing else written


def test_the_standoff_release_holds_no_text(releases):
    texts = _texts()
    standoff = releases / "standoff"
    assert {d["id"]: d["sha256"] for d in json.loads((standoff / "standoff.json").read_text(encoding="utf-8"))["documents"]} \
        == {i: hashlib.sha256((CORPUS / "texts" / f"{i}.txt").read_bytes()).hexdigest() for i in texts}
    checked = 0
    for config in CONFIGS:
        for path in sorted((standoff / config).glob("*.parquet")):
            rows = pq.read_table(path).to_pylist()
            assert rows and len(rows) == pq.read_metadata(releases / "full" / path.relative_to(standoff)).num_rows
            if config == "registry":
                continue  # entity names and aliases: the registry, not the texts
            for row in rows:
                for s in _strings(row):
                    checked += 1
                    assert not (len(s) > 10 and any(s in t for t in texts.values())), (config, s)
                if config == "documents":
                    assert row["text"] is None and row["sha256"] in {hashlib.sha256(t.encode()).hexdigest() for t in texts.values()}
                if config == "tokens":
                    assert row["tokens"] is None and row["token_starts"]
    assert checked
    for name in ("README.md", "standoff.json", "release/README.md", "release/croissant.json", "release/manifest.json"):
        data = (standoff / name).read_text(encoding="utf-8")
        for text in texts.values():
            windows = {text[i:i + 60] for i in range(0, max(1, len(text) - 60), 10)}  # a passage, not a name
            assert not any(w in data for w in windows), name


def test_a_text_that_differs_is_refused_naming_the_document_and_both_hashes(releases, tmp_path):
    texts = tmp_path / "texts"
    shutil.copytree(CORPUS / "texts", texts)
    changed = sorted(texts.iterdir())[0]
    expected = hashlib.sha256(changed.read_bytes()).hexdigest()
    changed.write_bytes(changed.read_bytes().replace(b" ", b"  ", 1))
    got = hashlib.sha256(changed.read_bytes()).hexdigest()
    missing = sorted(texts.iterdir())[-1]
    missing.unlink()
    out = tmp_path / "data"
    shutil.copytree(releases / "full", out)
    before = tree_bytes(out)
    code, _, err = run("hydrate", releases / "standoff", "--texts", texts, "--out", out)
    assert code == 1
    lines = err.strip().splitlines()
    assert any(changed.stem in line and got in line and expected in line for line in lines)
    assert any(missing.stem in line and "no text" in line for line in lines)
    assert "nothing was written" in lines[-1] and "Traceback" not in err
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "texts"]


def test_a_span_past_its_text_is_refused_and_nothing_is_written(releases, tmp_path):
    standoff = tmp_path / "standoff"
    shutil.copytree(releases / "standoff", standoff)
    path = sorted((standoff / "entities").glob("*.parquet"))[0]
    table = pq.read_table(path)
    rows = table.to_pylist()
    length = len(_texts()[rows[0]["document_id"]])
    rows[0]["end"] = length + 5
    pq.write_table(table.from_pylist(rows, schema=table.schema), path)
    code, _, err = run("hydrate", standoff, "--texts", CORPUS / "texts", "--out", tmp_path / "data")
    assert code == 1 and "Traceback" not in err
    assert rows[0]["id"] in err and f"{rows[0]['start']}-{length + 5}" in err
    assert not (tmp_path / "data").exists()


def test_hydrate_refuses_a_folder_that_is_not_a_standoff_release(releases, tmp_path):
    code, _, err = run("hydrate", releases / "full", "--texts", CORPUS / "texts", "--out", tmp_path / "data")
    assert code == 2 and "standoff.json" in err
    assert not (tmp_path / "data").exists()


def test_build_standoff_replaces_only_a_standoff_release(releases, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run("build", "--corpus", CORPUS, "--standoff", precious, "--workers", "1")
    assert code == 1 and "standoff.json" in err
    assert [p.name for p in precious.iterdir()] == ["notes.txt"]
    again = tmp_path / "again"
    shutil.copytree(releases / "standoff", again)
    assert run("build", "--corpus", CORPUS, "--standoff", again, "--workers", "1")[0] == 0
    assert tree_bytes(again) == tree_bytes(releases / "standoff")
    assert run("build", "--standoff", again, "--check")[0] == 2
