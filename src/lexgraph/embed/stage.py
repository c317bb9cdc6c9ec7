"""The ``embed`` stage of ``lexgraph build``: every term into the ``embeddings`` cache.

Implements :class:`lexgraph.pipeline.Stage`; the store wraps ``run`` in one transaction.
"""

from __future__ import annotations

from typing import Any

from lexgraph.config import BuildConfig
from lexgraph.embed.cache import add_vectors
from lexgraph.embed.encoders import get_encoder
from lexgraph.store import StageRun, Store
from lexgraph.store.queries import missing_terms


class EmbedStage:
    """Embed every term not yet in the cache (``embeddings``); the cache is never cleared."""

    name = "embed"
    clears = ()

    def params(self, config: BuildConfig) -> dict[str, Any]:
        return {"encoder": config.encoder_name}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        encoder_name = config.encoder_name
        todo = missing_terms(store, encoder_name)
        embedded = 0
        if todo:                                            # the model loads only when there is work
            embedded = add_vectors(store, get_encoder(encoder_name), todo, batch_size=config.batch_size,
                                   progress=config.progress)
        run.counts["embedded"] = embedded
        run.counts["cached"] = store.count("terms") - embedded
