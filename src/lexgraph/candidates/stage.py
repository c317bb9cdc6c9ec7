"""The ``candidates`` stage of ``lexgraph build``: k-nearest-neighbour pairs into ``candidates``.

Implements :class:`lexgraph.pipeline.Stage`; the store wraps ``run`` in one transaction.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from tqdm.auto import tqdm

from lexgraph.candidates.search import CandidateSearch
from lexgraph.config import BuildConfig
from lexgraph.embed.cache import load_term_vectors
from lexgraph.store import StageRun, Store
from lexgraph.store.pairs import orient_arrays


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
            lo, hi = orient_arrays(a, b)
            table = pa.table({"a_id": lo.astype(np.int32), "b_id": hi.astype(np.int32), "cosine": chunk.cosine,
                              "rank": chunk.rank})
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
