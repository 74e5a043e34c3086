"""``--engine dask`` (issue 15): validate and build as tasks of a Dask cluster give what the local
engine gives, byte for byte, whatever the number of workers and chunks; shards are written by the
workers; a worker killed mid-build is replaced and the output is still the same; a build that
cannot finish leaves the release as it was."""

from __future__ import annotations

import os
from pathlib import Path

import distributed  # the dask extra is part of the test extra
import pytest
from helpers import run, tree_bytes

from newsspans import build
from newsspans._synth import write_synthetic_corpus
from newsspans.corpus import pack
from newsspans.dataset import _build
from newsspans.errors import NewsSpansError
from newsspans.validation import _parallel, iter_problems, open_engine


DOCS = 240


@pytest.fixture(scope="module")
def cluster():
    """One LocalCluster of two worker processes (with nannies, which restart a killed worker)."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 2}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
            yield c


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return write_synthetic_corpus(tmp_path_factory.mktemp("synth") / "corpus", docs=DOCS, registry_size=200)


@pytest.fixture
def small_units(monkeypatch):
    """Chunks of 37 documents, and row groups and shards of a few rows: many of each, cut anywhere."""
    monkeypatch.setattr(_parallel, "CHUNK_DOCUMENTS", 37)
    monkeypatch.setattr(_build, "ROW_GROUP_ROWS", {k: 7 for k in _build.ROW_GROUP_ROWS})
    monkeypatch.setattr(_build, "SHARD_ROWS", {k: 7 * 9 for k in _build.SHARD_ROWS})


@pytest.fixture(scope="module")
def local_release(synthetic, tmp_path_factory) -> dict[str, bytes]:
    mp = pytest.MonkeyPatch()
    mp.setattr(_parallel, "CHUNK_DOCUMENTS", 37)
    mp.setattr(_build, "ROW_GROUP_ROWS", {k: 7 for k in _build.ROW_GROUP_ROWS})
    mp.setattr(_build, "SHARD_ROWS", {k: 7 * 9 for k in _build.SHARD_ROWS})
    try:
        out = tmp_path_factory.mktemp("local") / "data"
        build(corpus=synthetic, out=out, workers=1)
    finally:
        mp.undo()
    return tree_bytes(out)


def test_the_dask_build_of_a_folder_is_the_local_build_byte_for_byte(synthetic, local_release, cluster, small_units, tmp_path):
    build(corpus=synthetic, out=tmp_path / "data", engine="dask", scheduler=cluster.scheduler_address)
    release = tree_bytes(tmp_path / "data")
    assert release == local_release
    shards = [p for p in release if p.startswith("tokens/")]
    assert len(shards) > 3  # the workers wrote several shards of a config
    assert not [p for p in release if ".chunks" in p or p.endswith(".partial")]


@pytest.mark.parametrize("shard_bytes", [40_000, 10**9])
def test_the_dask_build_of_a_packed_corpus_is_the_local_build(synthetic, local_release, cluster, small_units, tmp_path,
                                                            shard_bytes):
    pack(corpus=synthetic, out=tmp_path / "p", shard_bytes=shard_bytes)
    build(corpus=tmp_path / "p", out=tmp_path / "data", engine="dask", scheduler=cluster.scheduler_address)
    assert tree_bytes(tmp_path / "data") == local_release


def test_a_local_cluster_of_one_worker_started_by_the_command_builds_the_same(synthetic, local_release, small_units, tmp_path):
    build(corpus=synthetic, out=tmp_path / "data", engine="dask", workers=1)
    assert tree_bytes(tmp_path / "data") == local_release


def test_dask_validation_reports_what_local_validation_reports(synthetic, cluster, small_units, tmp_path):
    corpus = tmp_path / "corpus"
    import shutil

    shutil.copytree(synthetic, corpus)
    for path in sorted((corpus / "annotations").iterdir())[::50]:  # a broken file every 50 documents
        path.write_text(path.read_text(encoding="utf-8").replace('"start": ', '"start": 1', 1), encoding="utf-8")
    local = [str(p) for p in iter_problems(corpus, workers=1)]
    assert local
    with open_engine("dask", scheduler=cluster.scheduler_address) as engine:
        assert [str(p) for p in iter_problems(corpus, engine=engine)] == local


class _DieWhenRunning(distributed.WorkerPlugin):
    """Kill the worker process (as a crash or the OOM killer would) when it starts a task whose key
    starts with ``prefix``: once (a marker file records it), or every time."""

    def __init__(self, prefix: str, marker: str, every_time: bool = False):
        self.prefix, self.marker, self.every_time = prefix, marker, every_time

    def transition(self, key, start, finish, **kwargs):
        if finish != "executing" or not str(key).startswith(self.prefix):
            return
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | (0 if self.every_time else os.O_EXCL)
        try:
            fd = os.open(self.marker, flags)  # once: only the worker that creates the marker dies
        except FileExistsError:
            return
        os.write(fd, f"{os.getpid()}\n".encode())
        os.close(fd)
        os._exit(1)


@pytest.mark.parametrize("task", ["run_chunk", "write_shard"])
def test_a_worker_killed_mid_build_is_replaced_and_the_output_is_the_same(synthetic, local_release, small_units,
                                                                          tmp_path, task):
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 3}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c, \
            distributed.Client(c) as client:
        client.register_plugin(_DieWhenRunning(task, str(tmp_path / "killed")))
        build(corpus=synthetic, out=tmp_path / "data", engine="dask", scheduler=c.scheduler_address)
    assert len((tmp_path / "killed").read_text().split()) == 1  # a worker did die, once
    assert tree_bytes(tmp_path / "data") == local_release


def test_a_build_that_cannot_finish_leaves_the_release_as_it_was(synthetic, small_units, tmp_path):
    import dask

    build(corpus=synthetic, out=tmp_path / "data", workers=1)
    before = tree_bytes(tmp_path / "data")
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as c, \
            distributed.Client(c) as client:
        client.register_plugin(_DieWhenRunning("write_shard", str(tmp_path / "killed"), every_time=True))
        with pytest.raises(NewsSpansError, match="a Dask worker died"):
            build(corpus=synthetic, out=tmp_path / "data", engine="dask", scheduler=c.scheduler_address)
    assert tree_bytes(tmp_path / "data") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "killed"]  # no staged leftovers


def test_the_cli_takes_the_engine_and_refuses_a_scheduler_without_it(synthetic, tmp_path):
    code, out, err = run("validate", "--corpus", str(synthetic), "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "--scheduler needs --engine dask" in err
    code, out, err = run("build", "--corpus", str(synthetic), "--out", str(tmp_path / "d"), "--engine", "dask",
                         "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "cannot connect" in err and "Traceback" not in err
    assert not (tmp_path / "d").exists()


def test_without_dask_installed_the_engine_names_the_extra(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.split(".")[0] in ("dask", "distributed"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    from newsspans.errors import BadInput

    with pytest.raises(BadInput, match=r"pip install 'newsspans\[dask\]'"):
        open_engine("dask")


def test_a_cluster_that_lives_on_reads_a_changed_registry_again(synthetic, cluster, tmp_path):
    """A worker keeps the corpus and registry it read between tasks; a new build of the corpus
    with another registry must not check against the old one."""
    import json
    import shutil

    from newsspans.validation import CorpusInvalid

    corpus = tmp_path / "corpus"
    shutil.copytree(synthetic, corpus)
    build(corpus=corpus, out=tmp_path / "first", engine="dask", scheduler=cluster.scheduler_address)
    registry = json.loads((corpus / "registry.json").read_text(encoding="utf-8"))
    gone = registry["entities"].pop(0)["entity_id"]  # every entry is mentioned somewhere
    (corpus / "registry.json").write_text(json.dumps(registry, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(CorpusInvalid) as local:
        build(corpus=corpus, out=tmp_path / "local", workers=1)
    with pytest.raises(CorpusInvalid) as dask_run:
        build(corpus=corpus, out=tmp_path / "second", engine="dask", scheduler=cluster.scheduler_address)
    assert [str(p) for p in dask_run.value.problems] == [str(p) for p in local.value.problems]
    assert any(gone in str(p) for p in local.value.problems)
