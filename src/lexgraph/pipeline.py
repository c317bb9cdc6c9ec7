"""The build pipeline: stages run in order over one :class:`~lexgraph.store.Store`.

Each stage is a small object with a ``name``, the tables it owns (``clears``), the
parameters that decide its output (``params``) and ``run``.  A stage is skipped when
its last completed run has the same fingerprint (its parameters plus the run ids of
the stage before it), so a rerun resumes after the last completed stage; a stage
named in ``force`` runs again, and so does every stage after it, since their
upstream run id changes.

Every stage logs one line (``lexgraph.pipeline``, INFO) as it starts or is skipped:
``stage embed (3 of 7) running`` or ``... is up to date (run 3)``; ``lexgraph build``
prints them on stderr unless ``--quiet``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from lexgraph.config import BuildConfig
from lexgraph.engine import Engine, open_engine
from lexgraph.store import StageRun, Store, fingerprint

log = logging.getLogger(__name__)


class Stage(Protocol):
    """One pipeline stage."""

    name: str
    clears: tuple[str, ...]

    def params(self, config: BuildConfig) -> dict[str, Any]:
        """Parameters that decide this stage's output (they enter its fingerprint).

        Raises ValueError for a parameter the stage cannot use; :func:`build` asks every
        stage before it runs any, so a bad parameter fails the build before it starts.
        """
        ...

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        """Do the work, writing to ``store`` and counts to ``run.counts``."""
        ...


def default_stages(engine: Engine | None = None) -> list[Stage]:
    """The stages of ``lexgraph build``, in order; the heavy ones run on ``engine`` (default: in process)."""
    from lexgraph.candidates.stage import CandidateStage
    from lexgraph.clustering.stage import ClusterStage
    from lexgraph.embed.stage import EmbedStage
    from lexgraph.evidence.stage import EvidenceStage
    from lexgraph.lexicon.stage import IngestStage
    from lexgraph.relations.stage import RelationsStage
    from lexgraph.trees.stage import TreeStage

    # The tree comes last: it is built over the synonym clusters.
    return [IngestStage(), EvidenceStage(engine), EmbedStage(engine), CandidateStage(engine), RelationsStage(engine),
            ClusterStage(), TreeStage()]


@dataclass
class StageOutcome:
    """What happened to one stage in a build."""

    stage: str
    status: str                      # 'ran' or 'skipped'
    run_id: int
    counts: dict[str, Any] = field(default_factory=dict)


def build(config: BuildConfig, force: Sequence[str] = (), stages: Sequence[Stage] | None = None,
          release: Callable[[], None] | None = None) -> list[StageOutcome]:
    """Run every stage that is not up to date; returns one outcome per stage.

    The default stages run on the engine ``config.engine`` names, which is checked (the extra
    installed, the cluster reachable) before any stage runs, and which is stopped once no remaining
    stage uses it; ``stages`` given here keep the engine they were made with, and ``release`` (say
    that engine's ``stop``) is then called at that point if given. The engine is no stage parameter,
    so a build resumes on either.
    """
    chosen = list(stages) if stages is not None else default_stages()
    names = [s.name for s in chosen]
    unknown = [f for f in force if f not in names]
    if unknown:
        raise ValueError(f"unknown stage(s) {', '.join(unknown)} for --force; stages are {', '.join(names)}")
    every_params = [stage.params(config) for stage in chosen]      # checked before any stage runs
    with open_engine(config.engine, config.ray_address) as engine:
        if stages is not None:                 # the caller's stages and engines: the caller's to stop
            return _run(config, force, chosen, every_params, release)
        return _run(config, force, default_stages(engine), every_params, release=engine.stop)


def _uses_engine(stage: Stage) -> bool:
    """Whether ``stage`` hands work to an engine (the stages made with one keep it as ``engine``)."""
    return getattr(stage, "engine", None) is not None


def _run(config: BuildConfig, force: Sequence[str], stages: list[Stage],
         every_params: list[dict[str, Any]], release: Callable[[], None] | None = None) -> list[StageOutcome]:
    """Run ``stages`` over ``config.db`` in order, skipping those up to date.

    ``release`` is called once no remaining stage uses the engine: a Ray cluster the build started then
    goes before the clusters and the tree, which run in this process, and takes its object store's memory
    with it (at 1M terms ~4-6 GB of the driver's and the store's pages).
    """
    last_engine_stage = max((i for i, stage in enumerate(stages) if _uses_engine(stage)), default=-1)
    outcomes: list[StageOutcome] = []
    config.db.parent.mkdir(parents=True, exist_ok=True)
    with Store(config.db) as store:
        upstream: list[int] = []
        for number, (stage, params) in enumerate(zip(stages, every_params), start=1):
            if release is not None and number - 1 > last_engine_stage:
                release()                   # the engine's work is done (or there was none)
                release = None
            fp = fingerprint({"params": params, "upstream": upstream})
            last = store.last_completed(stage.name)
            if stage.name not in force and last is not None and last.fingerprint == fp:
                log.info("stage %s (%d of %d) is up to date (run %d)", stage.name, number, len(stages), last.run_id)
                outcomes.append(StageOutcome(stage.name, "skipped", last.run_id, last.counts))
                upstream = [last.run_id]
                continue
            log.info("stage %s (%d of %d) running", stage.name, number, len(stages))
            with store.stage(stage.name, params, upstream, clears=stage.clears) as run:
                stage.run(store, config, run)
            done = store.last_completed(stage.name)
            assert done is not None
            outcomes.append(StageOutcome(stage.name, "ran", done.run_id, done.counts))
            upstream = [done.run_id]
    return outcomes
