"""The Ray engine: a stage's batches run on a pool of Ray Core actors, results back in input order.

Imported only when a build asks for ``engine='ray'`` (the ``ray`` extra). Each ``map`` puts
the worker factory into the object store once, starts up to one actor per CPU of the cluster
(one per GPU for ``accelerator`` work when the cluster has GPUs), each of which builds its
worker once, and deals the batches round-robin with a bounded number in flight.  An actor
whose process dies is restarted and its pending batches retried (``max_restarts``,
``max_task_retries``); past that the map raises :class:`~lexgraph.engine.base.EngineError`
and the stage's transaction rolls back, leaving the file as before the stage. A batch whose
worker raises (a bug, not a lost process) is not retried: the exception reaches the stage.
"""

from __future__ import annotations

import logging
import socket
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import ray

from lexgraph.engine.base import B, EngineError, R, WorkerFactory

#: Seconds to wait for a TCP answer from a cluster address before calling it unreachable.
CONNECT_TIMEOUT = 5.0


@ray.remote
class EngineWorker:
    """One actor: builds its worker from the factory once, then maps it over the batches it is dealt."""

    def __init__(self, factory: WorkerFactory[Any, Any]) -> None:
        self._worker: Callable[[Any], Any] = factory()

    def run(self, batch: Any) -> Any:
        return self._worker(batch)


@dataclass
class RayEngine:
    """Runs batches on Ray actors; :meth:`start` connects (or starts a local cluster), :meth:`stop` undoes it.

    Parameters
    ----------
    address: None (a running cluster, else a new local one), ``auto`` (a running cluster, or an
        error), ``HOST:PORT`` or ``ray://HOST:PORT``.
    num_workers: most actors per map (default: one per CPU of the cluster).
    max_restarts, max_task_retries: how often Ray restarts a dead actor and retries its batches.
    in_flight: batches queued per actor (bounds the driver's and the object store's memory).
    """

    address: str | None = None
    num_workers: int | None = None
    max_restarts: int = 3
    max_task_retries: int = 3
    in_flight: int = 2
    name = "ray"

    def start(self) -> RayEngine:
        """Connect to the cluster; an unreachable one is an :class:`EngineError` naming the address."""
        if self.address not in (None, "auto"):
            check_reachable(self.address)
        self.owns_cluster_ = False
        if ray.is_initialized():                       # a cluster the caller started (tests, notebooks)
            return self
        try:
            ray.init(address=self.address, include_dashboard=False, logging_level=logging.WARNING)
        except Exception as exc:                       # whatever Ray raises, the build gets one clear line
            raise EngineError(unreachable(self.address or "a local cluster", exc)) from exc
        self.owns_cluster_ = True
        return self

    def stop(self) -> None:
        """Shut Ray down if :meth:`start` started or joined it for this engine."""
        if getattr(self, "owns_cluster_", False):
            ray.shutdown()
            self.owns_cluster_ = False

    def __enter__(self) -> RayEngine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def workers(self, accelerator: bool = False) -> tuple[int, dict[str, float]]:
        """How many actors a map starts, and each one's resources."""
        resources = ray.cluster_resources()
        gpus = int(resources.get("GPU", 0))
        if accelerator and gpus:
            n, shape = gpus, {"num_cpus": 1, "num_gpus": 1}
        else:
            n, shape = max(1, int(resources.get("CPU", 1))), {"num_cpus": 1}
        return (min(n, self.num_workers) if self.num_workers else n), shape

    def map(self, factory: WorkerFactory[B, R], batches: Iterable[B], *, accelerator: bool = False) -> Iterator[R]:
        """``factory()`` on each actor, applied to the batches dealt round-robin; results in batch order."""
        if not ray.is_initialized():
            raise EngineError("the ray engine is not started; use it as `with RayEngine(...) as engine:`")
        n, shape = self.workers(accelerator)
        # The factory goes into the object store once; `ref` lives as long as the map, so a restarted actor
        # finds it (Ray still logs, once per actor, that constructor arguments in the store could be lost).
        ref = ray.put(factory)
        # The store's copy is the one the actors read; the map keeps no other. A stage that passes the factory
        # without keeping a name for it (relations' term table, candidates' index) so frees its own copy
        # on the driver while the actors work, instead of holding it twice (measured at 1M terms: ~5 GB).
        del factory
        options = {**shape, "max_restarts": self.max_restarts, "max_task_retries": self.max_task_retries}
        actors: list[Any] = []
        pending: deque[Any] = deque()
        try:
            for i, batch in enumerate(batches):
                if len(actors) < n:                    # actors start only when there are batches for them
                    actors.append(EngineWorker.options(**options).remote(ref))
                pending.append(actors[i % n].run.remote(batch))
                if len(pending) >= n * self.in_flight:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            for actor in actors:
                ray.kill(actor, no_restart=True)

    def _result(self, ref: Any) -> Any:
        """``ray.get``, with a worker lost for good (restarts used up) as an :class:`EngineError`."""
        try:
            return ray.get(ref)
        except ray.exceptions.RayActorError as exc:
            raise EngineError(f"a Ray worker died more often than max_restarts ({self.max_restarts}) allows; "
                              f"the stage rolled back, rerun the build to resume. Ray says: {exc}") from exc


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Raise :class:`EngineError` unless something answers at ``HOST:PORT`` (or ``ray://HOST:PORT``)."""
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not host or not port.isdigit():
        raise EngineError(f"ray_address {address!r} is not auto, HOST:PORT or ray://HOST:PORT")
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except OSError as exc:
        raise EngineError(unreachable(address, exc)) from exc


def unreachable(address: str, exc: BaseException) -> str:
    """The message for a cluster the build cannot use, with the ways out."""
    return (f"cannot reach the Ray cluster at {address} ({exc}); start one (`ray start --head`), give its address "
            "with --ray-address, or build with --engine local")
