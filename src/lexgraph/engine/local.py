"""The in-process engine: the stages' work runs in the calling process, one batch after another."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lexgraph.engine.base import B, R, WorkerFactory


class LocalEngine:
    """Runs every batch in this process, in order (the default engine; needs nothing installed).

    The factory runs on the first batch, so a model loads only when there is work.
    """

    name = "local"

    def map(self, factory: WorkerFactory[B, R], batches: Iterable[B], *, accelerator: bool = False) -> Iterator[R]:
        """``factory()`` applied to each batch in turn (``accelerator`` is the factory's own business here)."""
        worker = None
        for batch in batches:
            if worker is None:
                worker = factory()
            yield worker(batch)

    def stop(self) -> None:
        """Nothing to give back: the work ran in this process."""
