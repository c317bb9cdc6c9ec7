"""Engines: where a stage's heavy, embarrassingly parallel work runs (in process, or on a Ray cluster).

Stages ask an :class:`Engine` to map a worker over batches and write the results themselves;
they never import Ray. :func:`open_engine` makes the engine a build names, checking it (the
extra installed, the cluster reachable) before any stage runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from lexgraph.engine.base import ENGINES, Engine, EngineError, WorkerFactory
from lexgraph.engine.local import LocalEngine

__all__ = ["ENGINES", "Engine", "EngineError", "LocalEngine", "WorkerFactory", "open_engine"]


@contextmanager
def open_engine(name: str = "local", address: str | None = None) -> Iterator[Engine]:
    """The engine called ``name``, started for the ``with`` block (``address``: the Ray cluster's).

    Raises :class:`EngineError` before yielding when the ``ray`` extra is missing or the
    cluster cannot be reached, so a build fails before its first stage.
    """
    if name not in ENGINES:
        raise EngineError(f"engine must be one of {', '.join(ENGINES)}; got {name!r}")
    if name == "local":
        yield LocalEngine()
        return
    try:
        from lexgraph.engine.ray_engine import RayEngine
    except ImportError as exc:
        raise EngineError(f"engine 'ray' needs the ray extra ({exc}): pip install 'lexgraph[ray]', "
                          "or build with --engine local") from exc
    with RayEngine(address=address) as engine:
        yield engine
