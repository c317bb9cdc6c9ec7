"""The ``candidates`` stage of ``lexgraph build``: k-nearest-neighbour pairs into ``candidates``.

Implements :class:`lexgraph.pipeline.Stage`; the store wraps ``run`` in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from tqdm.auto import tqdm

from lexgraph.candidates.search import CandidateSearch
from lexgraph.config import BuildConfig
from lexgraph.embed.cache import load_term_vectors
from lexgraph.engine import Engine, LocalEngine
from lexgraph.store import StageRun, Store
from lexgraph.store.pairs import orient_arrays
from lexgraph.store.queries import A_ID_SLICE, a_id_slices

#: Pairs the evidence stage links strongly enough to be worth a label: the user's own pairs between two input
#: terms, wordnet synonyms, antonyms and gloss synonyms, and a form with its negation (anlamlı ~ anlamsız); one
#: row per pair, in that order.
EVIDENCE_PAIRS = ("SELECT a_id, b_id, arg_min(source, priority) AS source FROM ("
                  "SELECT a_id, b_id, 'user' AS source, -1 AS priority FROM user_links "
                  "WHERE a_id IS NOT NULL AND b_id IS NOT NULL UNION ALL "
                  "SELECT a_id, b_id, 'lexicon', 0 FROM lexicon_links "
                  "WHERE relation IN ('synonym', 'antonym', 'gloss') UNION ALL "
                  "SELECT a_id, b_id, 'morphology', 1 FROM morphology_links WHERE relation = 'opposite') "
                  "GROUP BY a_id, b_id")

#: Candidate pairs written per chunk (bounds the memory of the final join and cosine step).
CHUNK = 500_000


class CandidateStage:
    """Candidate pairs into ``candidates``: the union of each candidate encoder's k nearest neighbours
    (symmetric, de-duplicated) and the pairs the evidence links.

    Each encoder's neighbours are searched in its own space with its own ``min_cosine`` cut; the
    stored ``cosine`` is always the build's encoder's (``config.encoder_name``), so scores stay
    comparable whatever encoder found the pair, and ``rank`` the best rank over encoders.
    """

    name = "candidates"
    clears = ("candidates",)

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine      # where the query blocks are searched (default: in process); not a parameter

    def params(self, config: BuildConfig) -> dict[str, Any]:
        return {"encoder": config.encoder_name, "candidate_encoders": list(config.candidate_encoder_names),
                "k": config.k, "min_cosine": config.min_cosine, "index": config.index,
                "exact_threshold": config.exact_threshold, "seed": config.random_state}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        engine = self.engine or LocalEngine()
        # Each encoder's index is built here and travels to the engine's workers, which search the query
        # blocks; directed pairs go to a temporary table block by block, in block order; DuckDB merges
        # directions and encoders, so Python never holds all pairs at once.
        store.con.execute("CREATE OR REPLACE TEMP TABLE _directed (a_id INTEGER, b_id INTEGER, rank INTEGER)")
        directed = 0
        for name in config.candidate_encoder_names:
            blocks = QueryBlocks.start(engine, config, *load_term_vectors(store, name))
            bar = tqdm(total=blocks.n, desc=f"candidates ({name}, {blocks.index_kind})", unit="term",
                       disable=not config.progress)
            for rows in blocks.rows:
                directed += store.append("_directed", rows)
                bar.update(min(blocks.query_block, blocks.n - bar.n))
            bar.close()
            run.counts[f"index ({name})"] = blocks.index_kind
        # Pairs the evidence links but kNN missed join as candidates too, so that the relations
        # stage sees them (rank NULL).
        store.con.execute(f"INSERT INTO _directed SELECT a_id, b_id, NULL FROM ({EVIDENCE_PAIRS}) e "
                          "ANTI JOIN _directed d USING (a_id, b_id)")
        ids, X = load_term_vectors(store, config.encoder_name)
        # Merge directions and encoders once, then write in slices of a_id holding about CHUNK pairs each,
        # so Python holds one slice at a time (no OFFSET scans, no open reader while writing).
        store.con.execute(
            "CREATE OR REPLACE TEMP TABLE _pairs AS SELECT a_id, b_id, min(rank) AS rank FROM _directed "
            "GROUP BY a_id, b_id")
        store.con.execute("DROP TABLE _directed")
        for lo, hi in a_id_slices(store, "_pairs", CHUNK):
            batch = store.con.execute(
                "SELECT d.a_id, d.b_id, ta.term AS term_a, tb.term AS term_b, d.rank, "
                "CASE WHEN d.rank IS NOT NULL THEN 'knn' ELSE s.source END AS source "
                f"FROM (SELECT * FROM _pairs WHERE {A_ID_SLICE}) d LEFT JOIN ({EVIDENCE_PAIRS}) s USING (a_id, b_id) "
                "JOIN terms ta ON ta.term_id = d.a_id JOIN terms tb ON tb.term_id = d.b_id ORDER BY d.a_id, d.b_id",
                {"lo": lo, "hi": hi}).to_arrow_table()
            if batch.num_rows == 0:
                continue
            a = np.searchsorted(ids, batch.column("a_id").to_numpy())
            b = np.searchsorted(ids, batch.column("b_id").to_numpy())
            cosine = np.einsum("ij,ij->i", X[a], X[b]).astype(np.float32)
            store.append("candidates", pa.table({
                "a_id": batch.column("a_id"), "b_id": batch.column("b_id"),
                "term_a": batch.column("term_a"), "term_b": batch.column("term_b"),
                "cosine": cosine, "rank": batch.column("rank"), "source": batch.column("source")}))
        store.con.execute("DROP TABLE _pairs")
        run.counts["directed"] = directed
        run.counts["evidence_pairs"] = int(store.con.execute(
            "SELECT count(*) FROM candidates WHERE source <> 'knn'").fetchone()[0])
        run.counts["pairs"] = store.count("candidates")


@dataclass(frozen=True)
class QueryBlocks:
    """One encoder's search under way: the directed pairs of its query blocks as the engine yields them.

    Built by :meth:`start`, which keeps no name for the index and the vectors outside the engine's map:
    on Ray they then live once, in the object store the workers read, not also on the driver.
    """

    n: int
    query_block: int
    index_kind: str
    rows: Iterator[pa.Table]

    @classmethod
    def start(cls, engine: Engine, config: BuildConfig, ids: np.ndarray, X: np.ndarray) -> QueryBlocks:
        """Fit the search on ``X`` (rows = term ids ``ids``) and hand its query blocks to ``engine``."""
        search = CandidateSearch(k=config.k, min_cosine=config.min_cosine, index=config.index,
                                 exact_threshold=config.exact_threshold, random_state=config.random_state)
        search.fit(X)
        return cls(X.shape[0], search.query_block, search.index_kind_,
                   engine.map(DirectedPairs(search, X, ids), search.block_starts(X.shape[0])))


@dataclass(frozen=True)
class DirectedPairs:
    """Worker factory (see :mod:`lexgraph.engine`): a fitted search and its vectors, mapping the first row
    of a query block to the block's directed pairs as ``_directed`` rows (term ids, ``a_id < b_id``)."""

    search: CandidateSearch
    X: np.ndarray
    ids: np.ndarray

    def __call__(self) -> Callable[[int], pa.Table]:
        return self.rows

    def rows(self, start: int) -> pa.Table:
        chunk = self.search.block_pairs(self.X, start)
        lo, hi = orient_arrays(self.ids[chunk.source], self.ids[chunk.target])
        return pa.table({"a_id": lo.astype(np.int32), "b_id": hi.astype(np.int32), "rank": chunk.rank})
