"""The parallel map: chunks of work in worker processes, results back in chunk order.

Generic on purpose: the reader (``_reader``) supplies the worker's state and the per-chunk task,
so a worker process imports only what its task needs.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing
import os
import signal
from typing import Any, Callable, Iterable, Iterator, Sequence

#: Below this many documents a single process is faster than starting workers.
PARALLEL_MIN_DOCUMENTS = 2_000
#: Documents per chunk: the unit of work of a worker, and of merging results back in order.
CHUNK_DOCUMENTS = 500
#: Chunks in flight per worker: enough to keep every worker busy while the parent merges, few
#: enough that results waiting to be merged stay a bounded amount of memory.
AHEAD = 3


def default_workers() -> int:
    """Both cores (or however many this machine has), as the benchmark showed it pays."""
    return max(1, min(os.cpu_count() or 1, 8))


def chunked(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def map_in_processes(task: Callable[[Any], Any], items: Iterable[Any], *, workers: int,
                     initializer: Callable[..., None], initargs: tuple) -> Iterator[Any]:
    """``task(item)`` for every item in ``workers`` spawned processes (each set up once by
    ``initializer(*initargs)``), yielded in the order of ``items``. ``task`` and ``initializer``
    must be module-level functions."""
    context = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
    with context.Pool(workers, initializer=_worker_init, initargs=(initializer, initargs)) as pool:
        pending: collections.deque = collections.deque()
        for item in items:  # at most AHEAD tasks per worker in flight: results never pile up in this process
            pending.append(pool.apply_async(task, (item,)))
            if len(pending) >= AHEAD * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off for the block (one chunk of documents): its passes over
    the chunk's many young objects, none of which form cycles that outlive the chunk, took a tenth
    of a worker's time; reference counting still frees everything, and the collector runs again
    after the block."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _worker_init(initializer: Callable[..., None], initargs: tuple) -> None:
    """A worker ignores Ctrl-C: the parent alone handles it (one line, no worker tracebacks) and
    the pool's exit terminates the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*initargs)
