"""The ``embed`` stage of ``lexgraph build``: every term into the ``embeddings`` cache.

Implements :class:`lexgraph.pipeline.Stage`; the store wraps ``run`` in one transaction.
"""

from __future__ import annotations

from typing import Any

from lexgraph.config import BuildConfig
from lexgraph.embed.cache import embed_terms
from lexgraph.engine import Engine, LocalEngine
from lexgraph.store import StageRun, Store
from lexgraph.store.queries import missing_terms


class EmbedStage:
    """Embed every term with the build's and the candidate encoders, skipping the cache (``embeddings``, never cleared)."""

    name = "embed"
    clears = ()

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine      # where the encoders run (default: in process); not a parameter of the output

    def params(self, config: BuildConfig) -> dict[str, Any]:
        return {"encoder": config.encoder_name, "candidate_encoders": list(config.candidate_encoder_names)}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        embedded = 0
        names = list(dict.fromkeys([config.encoder_name, *config.candidate_encoder_names]))
        for name in names:
            todo = missing_terms(store, name)
            if todo:                                        # the model loads only when there is work
                embedded += embed_terms(store, self.engine or LocalEngine(), name, todo,
                                        batch_size=config.batch_size, progress=config.progress)
        run.counts["embedded"] = embedded
        run.counts["cached"] = store.count("terms") * len(names) - embedded
