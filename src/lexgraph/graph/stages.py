"""The graph stages of ``lexgraph build``: ingest, embed, candidates.

Each stage implements :class:`lexgraph.pipeline.Stage`; the store wraps each ``run``
in one transaction.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from tqdm.auto import tqdm

from lexgraph.config import BuildConfig
from lexgraph.graph.candidates import CandidateSearch
from lexgraph.graph.embed import embed_missing, load_term_vectors
from lexgraph.graph.encoders import get_encoder
from lexgraph.graph.sources import ingest, read_source, source_fingerprint
from lexgraph.store import StageRun, Store


class IngestStage:
    """Read the sources into ``terms``, ``term_sources`` and ``rejects``."""

    name = "ingest"
    clears = ("terms", "term_sources", "rejects")

    def params(self, config: BuildConfig) -> dict[str, Any]:
        return {
            "sources": [source_fingerprint(s) for s in config.sources],
            "lang": config.lang,
            "column": config.column,
            "default_size": config.default_size if "default" in config.sources else None,
        }

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        rows = [read_source(s, column=config.column, default_size=config.default_size) for s in config.sources]
        lexicon = ingest(rows, config.lang)
        if lexicon.terms.height == 0:
            raise ValueError(
                f"no usable terms in {', '.join(config.sources)}: {lexicon.rejects.height} rows rejected "
                "(see the reasons with `lexgraph query DB 'FROM rejects'` after a successful build)"
            )
        run.counts["rows"] = sum(r.rows.height for r in rows)
        run.counts["terms"] = store.append("terms", lexicon.terms)
        store.append("term_sources", lexicon.term_sources)
        run.counts["rejects"] = store.append("rejects", lexicon.rejects)


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


class CandidateStage:
    """k-nearest-neighbour candidate pairs into ``candidates`` (symmetric, de-duplicated)."""

    name = "candidates"
    clears = ("candidates",)

    def params(self, config: BuildConfig) -> dict[str, Any]:
        return {"encoder": config.encoder_name, "k": config.k, "min_cosine": config.min_cosine,
                "index": config.index, "exact_threshold": config.exact_threshold, "seed": config.random_state}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        ids, X = load_term_vectors(store, config.encoder_name)
        search = CandidateSearch(k=config.k, min_cosine=config.min_cosine, index=config.index,
                                 exact_threshold=config.exact_threshold, random_state=config.random_state)
        search.fit(X)
        # Directed pairs go to a temporary table chunk by chunk; DuckDB merges the two
        # directions, so Python never holds all pairs at once.
        store.con.execute("CREATE OR REPLACE TEMP TABLE _directed (a_id INTEGER, b_id INTEGER, cosine FLOAT, "
                          "rank INTEGER)")
        bar = tqdm(total=X.shape[0], desc=f"candidates ({search.index_kind_})", unit="term",
                   disable=not config.progress)
        directed = 0
        for chunk in search.iter_pairs(X):
            a, b = ids[chunk.source], ids[chunk.target]
            table = pa.table({"a_id": np.minimum(a, b).astype(np.int32), "b_id": np.maximum(a, b).astype(np.int32),
                              "cosine": chunk.cosine, "rank": chunk.rank})
            directed += store.append("_directed", table)
            bar.update(min(search.query_block, X.shape[0] - bar.n))
        bar.close()
        store.con.execute(
            "INSERT INTO candidates SELECT d.a_id, d.b_id, ta.term, tb.term, d.cosine, d.rank FROM "
            "(SELECT a_id, b_id, max(cosine) AS cosine, min(rank) AS rank FROM _directed GROUP BY a_id, b_id) d "
            "JOIN terms ta ON ta.term_id = d.a_id JOIN terms tb ON tb.term_id = d.b_id ORDER BY d.a_id, d.b_id"
        )
        store.con.execute("DROP TABLE _directed")
        run.counts["index"] = search.index_kind_
        run.counts["directed"] = directed
        run.counts["pairs"] = store.count("candidates")
