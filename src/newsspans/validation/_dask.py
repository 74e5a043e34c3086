"""``--engine dask``: the chunks of the work as tasks of a ``dask.distributed`` cluster.

``DaskEngine`` connects to an existing scheduler (``scheduler``: its address) or starts a
``LocalCluster`` of ``workers`` processes, one thread each. ``map`` submits one task per item and
gives the results back in the items' order, whatever order the workers finish in, so a caller
merges them exactly as the local engine's. A worker that dies mid-task is replaced and its task
run again by Dask (tasks are pure functions of their item; what they write is written aside and
renamed); a task that kills its worker ``allowed-failures`` times (Dask's setting, 3 by default)
ends the run with a ``NewsSpansError``, and the caller leaves its output as it was.

Dask is an optional extra (``pip install newsspans[dask]``): importing this module does not import it.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterable, Iterator, Optional

from ..errors import BadInput, NewsSpansError
from ._parallel import default_workers

#: The engines of ``--engine``.
ENGINES = ("local", "dask")
_MISSING = "--engine dask needs Dask: pip install 'newsspans[dask]' (dask and distributed)"


class DaskEngine:
    """A ``dask.distributed`` client, and the cluster it started (if any); a context manager that
    closes both."""

    def __init__(self, *, scheduler: Optional[str] = None, workers: Optional[int] = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise BadInput(_MISSING) from None
        self.cluster: Any = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="30s")
            except OSError as exc:
                raise BadInput(f"--scheduler {scheduler}: cannot connect ({exc})") from None
        else:
            self.cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                                        dashboard_address=":0", silence_logs=logging.ERROR)
            self.client = Client(self.cluster)

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info(n_workers=-1).get("workers", {}))

    def map(self, task: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``task(item)`` for every item, as Dask tasks, yielded in the order of ``items``."""
        from distributed import KilledWorker

        futures = self.client.map(task, list(items), pure=False)
        try:
            for future in futures:
                try:
                    yield future.result()
                except KilledWorker as exc:
                    raise NewsSpansError(f"a Dask worker died each time it ran the task {exc.task!r}; nothing was "
                                         "written (is a worker short of memory?)") from None
                future.release()
        finally:
            for future in futures:
                future.release()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def open_engine(name: str, *, scheduler: Optional[str] = None, workers: Optional[int] = None) -> Optional[DaskEngine]:
    """The engine called ``name``: None for ``local`` (the process pool), a ``DaskEngine`` for
    ``dask``; ``BadInput`` for ``--scheduler`` without ``--engine dask``."""
    if name not in ENGINES:
        raise BadInput(f"unknown engine {name!r}; the engines are {', '.join(ENGINES)}")
    if name == "local":
        if scheduler:
            raise BadInput("--scheduler needs --engine dask")
        return None
    return DaskEngine(scheduler=scheduler, workers=workers)
