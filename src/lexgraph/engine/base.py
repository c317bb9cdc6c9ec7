"""What a stage asks of an engine: map a worker over batches, results in input order.

A stage cuts its work into batches (chunks of terms, blocks of query rows, slices of
candidate pairs) and hands the engine a *worker factory*: a picklable callable, run once
per worker, that builds the expensive object (an encoder, a faiss index, a pair scorer)
and returns the function applied to each batch.  The engine decides only where the
batches run; the stage writes every result on the driver, inside its transaction, so
the DuckDB file stays the one source of truth whatever the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

B = TypeVar("B")
R = TypeVar("R")

#: A picklable callable run once per worker; it returns the function mapped over that worker's batches.
WorkerFactory = Callable[[], Callable[[B], R]]

#: Engines a build can run on (``BuildConfig.engine``).
ENGINES: tuple[str, ...] = ("local", "ray")


class EngineError(RuntimeError):
    """An engine cannot run: its extra is not installed, its cluster cannot be reached, or its workers died."""


class Engine(Protocol):
    """Where the heavy, embarrassingly parallel work of a stage runs."""

    name: str

    def map(self, factory: WorkerFactory[B, R], batches: Iterable[B], *, accelerator: bool = False) -> Iterator[R]:
        """Apply ``factory()`` (built once per worker) to every batch; yields results in batch order.

        ``batches`` is consumed lazily and only a bounded number of batches is in flight, so
        a stage can stream a table through without holding it.  ``accelerator`` asks for
        workers on a GPU where the engine has one (the embedding models use it).
        """
        ...

    def stop(self) -> None:
        """Give back what the engine holds (a cluster it started); the build calls it once no stage needs it."""
        ...
