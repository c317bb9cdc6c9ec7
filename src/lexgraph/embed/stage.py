"""The ``embed`` stage of ``lexgraph build``: every term into the ``embeddings`` cache.

Implements :class:`lexgraph.pipeline.Stage`; the store wraps ``run`` in one transaction.
"""

from __future__ import annotations

from typing import Any

from lexgraph.config import BuildConfig
from lexgraph.embed.cache import embed_missing
from lexgraph.embed.encoders import get_encoder
from lexgraph.store import StageRun, Store


class EmbedStage:
    """Embed every term not yet in the cache (``embeddings``); the cache is never cleared."""

    name = "embed"
    clears = ()

    def params(self, config: BuildConfig) -> dict[str, Any]:
        return {"encoder": config.encoder_name}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        encoder_name = config.encoder_name
        todo = store.con.execute(
            "SELECT count(*) FROM terms t ANTI JOIN (SELECT term FROM embeddings WHERE encoder = ?) e USING (term)",
            [encoder_name],
        ).fetchone()[0]
        embedded = 0
        if todo:
            encoder = get_encoder(encoder_name)
            embedded = embed_missing(store, encoder, batch_size=config.batch_size, progress=config.progress)
        run.counts["embedded"] = embedded
        run.counts["cached"] = store.count("terms") - embedded
