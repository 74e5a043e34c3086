#!/usr/bin/env python3
"""Benchmark validate + build of a packed corpus on the local engine against a Dask cluster.

    python scripts/benchmark_cluster.py --docs N [--workdir DIR] [--keep] [--engines local,dask]
                                        [--workers 2] [--shard-bytes B]

Writes a deterministic packed synthetic corpus of N documents (``_synth.write_synthetic_packed``,
made once per N and shard bound in the workdir and reused), then, for each engine, runs in fresh
child processes of this one, one after the other:

    python -m newsspans validate --corpus P [--engine E] --workers W
    python -m newsspans build --corpus P --out OUT_E [--engine E] --workers W

(``--engine`` is passed for engines other than ``local``; without ``--scheduler`` the dask engine
starts a LocalCluster of W workers inside the child). Each run's wall time is measured from the
start of the child to its exit (interpreter start, imports and the cluster's start included: what
a user waits for). Every ~0.2 s the child's whole process tree is sampled from /proc (psutil): the
largest resident set of each process is kept with its role, ``main`` (the child), ``worker`` (a
process it or a nanny started: newsspans' own pool or a dask worker), ``nanny`` and ``scheduler``
(the ``dask worker`` / ``dask scheduler`` commands), ``other`` (multiprocessing's resource
tracker, ...). A LocalCluster runs its scheduler and nannies inside the main process, so they count
as ``main``. The largest single process is also taken from the kernel (``wait4``: the child and its
reaped descendants, exact, so a peak between two samples is not missed).

After the builds each output folder's digest (SHA-256 over the sorted relative paths and the
files' SHA-256) is printed, and whether the engines wrote the same bytes. The last line is one
JSON object.

The default shard bound gives about 32 shards (at least 1 MiB, at most 64 MiB each): the shards
are the tasks, and a cluster needs several per worker.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_S = 0.2
#: About the bytes of one synthetic document's shard line, to choose the shard bound.
LINE_BYTES = 6_400
MIB = 1024 * 1024
ROLES = ("main", "worker", "nanny", "scheduler", "other")


class Failed(Exception):
    """A child failed: the one line to print."""


# -- the corpus -----------------------------------------------------------------------------

def auto_shard_bytes(docs: int) -> int:
    """About 32 shards, each between 1 MiB and the format's default bound."""
    from newsspans.corpus import SHARD_BYTES

    return max(MIB, min(SHARD_BYTES, docs * LINE_BYTES // 32))


def packed_for(workdir: Path, docs: int, shard_bytes: int) -> Path:
    """The packed synthetic corpus of ``docs`` documents (made once, reused: it is written whole
    or not at all, so a complete one has its manifest)."""
    from newsspans._synth import write_synthetic_packed
    from newsspans.corpus import MANIFEST

    packed = workdir / f"packed-{docs}-{shard_bytes}"
    if not (packed / MANIFEST).exists():
        shutil.rmtree(packed, ignore_errors=True)
        started = time.perf_counter()
        write_synthetic_packed(packed, docs=docs, shard_bytes=shard_bytes)
        print(f"generated {docs} documents packed into {packed} in {time.perf_counter() - started:.1f} s", flush=True)
    return packed


# -- one measured child ---------------------------------------------------------------------

def role_of(proc: psutil.Process, root: int, cmdlines: dict[int, list[str]]) -> str:
    if proc.pid == root:
        return "main"
    try:
        cmdline = proc.cmdline()
        parent = proc.ppid()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return "other"
    cmdlines[proc.pid] = cmdline
    text = " ".join(cmdline)
    if "dask_scheduler" in text or "dask-scheduler" in text or "dask scheduler" in text:
        return "scheduler"
    if "dask_worker" in text or "dask-worker" in text or "dask worker" in text:
        return "nanny"  # the `dask worker` command runs the nanny; the worker is its child
    if "resource_tracker" in text or "forkserver" in text:
        return "other"
    if "spawn_main" in text or "--multiprocessing-fork" in cmdline or cmdline == cmdlines.get(parent):
        return "worker"  # spawned, or forked (the parent's command line)
    return "other"


def run_measured(argv: list[str], log: Path) -> dict:
    """Run ``argv`` as a child, sampling its process tree; its wall time and memory. ``Failed``
    with one line when it exits non-zero."""
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_DATASETS_DISABLE_PROGRESS_BARS": "1"}
    peaks: dict[int, tuple[str, int]] = {}  # pid -> (role, max rss)
    cpu: dict[int, float] = {}  # pid -> user + system CPU seconds, as last sampled
    cmdlines: dict[int, list[str]] = {}
    with (log.with_suffix(".out")).open("wb") as out, log.open("wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        root = psutil.Process(child.pid)
        try:
            cmdlines[child.pid] = root.cmdline()
        except psutil.Error:
            pass
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                tree = []
            for proc in tree:
                try:
                    rss = proc.memory_info().rss
                    times = proc.cpu_times()
                except psutil.Error:
                    continue
                cpu[proc.pid] = times.user + times.system
                role, best = peaks.get(proc.pid) or (role_of(proc, child.pid, cmdlines), 0)
                peaks[proc.pid] = (role, max(best, rss))
            time.sleep(SAMPLE_S)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    if child.returncode != 0:
        last = "(no output)"
        for path in (log, log.with_suffix(".out")):  # stderr's last line, else the report's (validate's FAILED)
            lines = [x.strip() for x in path.read_text(encoding="utf-8", errors="replace").splitlines() if x.strip()]
            if lines:
                last = lines[-1]
                break
        raise Failed(f"`{' '.join(argv[2:])}` failed with exit {child.returncode}: {last} "
                     f"(output: {log.with_suffix('.out')}, {log})")
    by_role: dict[str, float] = {}
    cpu_by_role: dict[str, float] = {}
    for pid, (role, rss) in peaks.items():
        by_role[role] = max(by_role.get(role, 0.0), rss / MIB)
        cpu_by_role[role] = cpu_by_role.get(role, 0.0) + cpu.get(pid, 0.0)
    sampled = max(by_role.values(), default=0.0)
    kernel = usage.ru_maxrss / 1024  # KiB: the largest of the child and its reaped descendants
    return {"wall_s": wall, "peak_rss_mb_max_process": max(sampled, kernel), "peak_rss_mb_max_process_kernel": kernel,
            "peak_rss_mb_by_role": {r: round(by_role[r], 1) for r in ROLES if r in by_role},
            "cpu_s_by_role": {r: round(cpu_by_role[r], 1) for r in ROLES if r in cpu_by_role},
            "cpu_s_total": round(usage.ru_utime + usage.ru_stime, 1),
            "processes": len(peaks), "stdout_sha256": hashlib.sha256(log.with_suffix(".out").read_bytes()).hexdigest()}


def digest(folder: Path) -> str:
    """SHA-256 over the sorted relative paths of every file under ``folder`` and each file's SHA-256."""
    total = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        file_hash = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(MIB), b""):
                file_hash.update(block)
        total.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0" + file_hash.hexdigest().encode("ascii") + b"\n")
    return total.hexdigest()


def run_engine(engine: str, corpus: Path, out: Path, workers: int, docs: int, logs: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    options = (["--engine", engine] if engine != "local" else []) + ["--workers", str(workers)]
    result = {}
    for step, argv in (("validate", ["validate", "--corpus", str(corpus), *options]),
                       ("build", ["build", "--corpus", str(corpus), "--out", str(out), *options])):
        print(f"{engine}: {step} ...", flush=True)
        r = run_measured([sys.executable, "-m", "newsspans", *argv], logs / f"{engine}-{step}.log")
        r["docs_per_s"] = docs / r["wall_s"]
        result[step] = r
    both = [result["validate"], result["build"]]
    by_role: dict[str, float] = {}
    for r in both:
        for role, mb in r["peak_rss_mb_by_role"].items():
            by_role[role] = max(by_role.get(role, 0.0), mb)
    wall = sum(r["wall_s"] for r in both)
    result["validate_build"] = {"wall_s": wall, "docs_per_s": docs / wall,
                                "peak_rss_mb_max_process": max(r["peak_rss_mb_max_process"] for r in both),
                                "peak_rss_mb_by_role": by_role}
    result["digest"] = digest(out)
    return result


# -- report ---------------------------------------------------------------------------------

def print_table(results: dict[str, dict]) -> None:
    roles = [r for r in ROLES if any(r in res[s]["peak_rss_mb_by_role"] for res in results.values() for s in ("validate", "build"))]
    print(f"\n{'':24}{'wall s':>9}{'docs/s':>9}  peak RSS MB: {'largest':>8}" + "".join(f"{r:>10}" for r in roles))
    for engine, res in results.items():
        for step, label in (("validate", "validate"), ("build", "build"), ("validate_build", "validate + build")):
            r = res[step]
            cells = "".join(f"{r['peak_rss_mb_by_role'].get(role, 0):10.0f}" if role in r["peak_rss_mb_by_role"]
                            else f"{'-':>10}" for role in roles)
            print(f"{engine + ': ' + label:24}{r['wall_s']:9.2f}{r['docs_per_s']:9.0f}  {'':12} {r['peak_rss_mb_max_process']:8.0f}{cells}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the corpus, outputs and logs go (default: a temporary folder); the corpus is reused")
    parser.add_argument("--keep", action="store_true", help="keep the build outputs and logs (and a temporary workdir)")
    parser.add_argument("--engines", default="local,dask", help="comma-separated engines (default: local,dask)")
    parser.add_argument("--workers", type=int, default=2, help="--workers of each run (default: 2)")
    parser.add_argument("--shard-bytes", type=int, default=None, help="the packed corpus's shard bound (default: about 32 shards)")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if not engines or args.docs < 1 or args.workers < 1:
        parser.error("need at least one engine, --docs >= 1 and --workers >= 1")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsspans-bench-cluster-"))
    workdir.mkdir(parents=True, exist_ok=True)
    shard_bytes = args.shard_bytes or auto_shard_bytes(args.docs)
    packed = packed_for(workdir, args.docs, shard_bytes)
    from newsspans.corpus import read_manifest

    manifest = read_manifest(packed)
    shards, packed_mb = len(manifest["shards"]), sum(s["bytes"] for s in manifest["shards"]) / MIB
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)

    results: dict[str, dict] = {}
    outs = {engine: workdir / f"out-{args.docs}-{engine}" for engine in engines}
    try:
        for engine in engines:
            results[engine] = run_engine(engine, packed, outs[engine], args.workers, args.docs, logs)
    except Failed as exc:
        raise SystemExit(f"benchmark_cluster: {exc}") from None

    print(f"\n{args.docs} documents, {shards} shard(s) of at most {shard_bytes / MIB:.1f} MiB ({packed_mb:.0f} MiB), "
          f"--workers {args.workers}; "
          f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print_table(results)
    print("(wall: child start to exit, interpreter start, imports and any cluster start included; peak RSS: largest "
          "single process per role, sampled every 0.2 s; 'largest' also takes the kernel's exact figure)")
    ratios = None
    if "local" in results and "dask" in results:
        ratios = {step: results["dask"][step]["wall_s"] / results["local"][step]["wall_s"]
                  for step in ("validate", "build", "validate_build")}
        print(f"dask/local wall time: build {ratios['build']:.2f}, validate {ratios['validate']:.2f}, "
              f"validate + build {ratios['validate_build']:.2f}")
    digests = {engine: res["digest"] for engine, res in results.items()}
    for engine, value in digests.items():
        print(f"{engine}: build output digest {value}")
    equal = len(set(digests.values())) == 1 if len(digests) > 1 else None
    reports_equal = (len({res["validate"]["stdout_sha256"] for res in results.values()}) == 1) if len(results) > 1 else None
    if equal is not None:
        print(f"outputs equal: {'yes' if equal else 'NO'}; validate reports equal: {'yes' if reports_equal else 'NO'}")

    if args.keep:
        print(f"kept: {workdir}")
    elif args.workdir:
        for out in outs.values():
            shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(logs, ignore_errors=True)
    else:
        shutil.rmtree(workdir, ignore_errors=True)

    def rounded(value):
        if isinstance(value, float):
            return round(value, 3)
        if isinstance(value, dict):
            return {k: rounded(v) for k, v in value.items()}
        return value

    print(json.dumps({
        "docs": args.docs, "workers": args.workers, "shards": shards, "shard_bytes": shard_bytes,
        "cores": os.cpu_count(),
        "engines": {engine: rounded({k: v for k, v in res.items()}) for engine, res in results.items()},
        "dask_over_local": None if ratios is None else {"build": round(ratios["build"], 3),
                                                        "validate_build": round(ratios["validate_build"], 3)},
        "outputs_equal": equal, "validate_reports_equal": reports_equal,
    }, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
