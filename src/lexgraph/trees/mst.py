"""Exact minimum spanning tree of the mutual-reachability graph (the graph HDBSCAN builds).

Why: DBSCAN* at radius ``eps`` with ``min_points`` is the set of connected components,
among *core* points (``core_distance <= eps``), of the graph whose edges have
mutual-reachability distance ``mrd(a, b) = max(core(a), core(b), d(a, b)) <= eps``.  One
minimum spanning tree of that graph answers the question for every ``eps`` at once: cut
it at ``eps`` and the components among core points are the DBSCAN* clusters.  Computing
it once replaces one full DBSCAN per epsilon.

Conventions (the same as scikit-learn's DBSCAN ``min_samples``): a point's neighbourhood
includes the point itself, so ``core(a)`` is the distance to its ``min_points - 1``-th
nearest *other* point (0 when ``min_points == 1``).

Two exact engines, both Prim's algorithm:

* ``dense`` keeps the full ``n x n`` distance matrix (float64), fast up to ~16K points;
* ``streaming`` recomputes one distance row per step from the coordinates, memory
  ``O(n d)``; time ``O(n^2 d)``, bound by memory reads (one matrix-vector product per step);
* ``lazy`` (:mod:`lexgraph.trees.lazy_prim`) relaxes a joining point's nearest neighbours only
  and computes full rows when an edge could hide in them, many at once as one matrix product:
  the same tree, 5-10x faster than ``streaming`` on 384 dimensions (docs/BENCHMARKS.md);

and, for many points in few dimensions (after PCA), the ``hdbscan`` package's exact
dual-tree Boruvka on a KD-tree (``engine='hdbscan'``), whose edges are re-weighted here
so that every weight uses this module's core distances and distance formula.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.metrics import pairwise_distances

from lexgraph.trees.lazy_prim import lazy_prim

#: Metrics the MST engines accept.
METRICS: tuple[str, ...] = ("euclidean", "cosine")

#: MST engines: 'auto', 'dense', 'streaming', 'lazy' (ours, Prim) or 'hdbscan' (the package's KD-tree Boruvka).
ENGINES: tuple[str, ...] = ("auto", "dense", "streaming", "lazy", "hdbscan")

#: Most dimensions for which 'auto' picks the KD-tree engine past ``DENSE_MAX_POINTS`` points.
TREE_MAX_DIMS = 32

#: Largest ``n`` for which the dense engine is picked automatically (n*n*8 bytes ~ 2 GiB).
DENSE_MAX_POINTS = 16_000

#: Rows per block of the streaming neighbour search, and the most distances a block holds (128 MiB).
KNN_BLOCK = 2048
KNN_BLOCK_ENTRIES = 1 << 24

#: Neighbours per point that the ``lazy`` engine relaxes when the point joins the tree.
LAZY_NEIGHBOURS = 16


class MRDSpanningTree(NamedTuple):
    """A mutual-reachability MST with the neighbour lists that border points need.

    ``edges[i] = (a, b)`` joins points a and b at ``weights[i]``; edges are sorted by
    weight (ascending, ties by discovery order).  ``knn_indices`` / ``knn_distances``
    hold each point's ``min_points - 1`` nearest other points, nearest first.
    """

    core_distances: np.ndarray
    edges: np.ndarray
    weights: np.ndarray
    knn_indices: np.ndarray
    knn_distances: np.ndarray


def _prepare(X: np.ndarray, metric: str) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if metric == "cosine":
        norms = np.linalg.norm(X, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        X = X / norms
    return X


def _row_distances(Xp: np.ndarray, sq: np.ndarray, x: np.ndarray, sqx: float, metric: str) -> np.ndarray:
    """Distances from one point ``x`` to every row of ``Xp`` (``sq`` = squared row norms)."""
    dots = Xp @ x
    if metric == "cosine":
        return np.maximum(1.0 - dots, 0.0)
    return np.sqrt(np.maximum(sq + sqx - 2.0 * dots, 0.0))


def _knn_from_matrix(D: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest other points of every row of a distance matrix whose diagonal is inf."""
    n = D.shape[0]
    if k == 0:
        return np.zeros((n, 0), np.int64), np.zeros((n, 0), np.float64)
    idx = np.argpartition(D, k - 1, axis=1)[:, :k]
    dist = np.take_along_axis(D, idx, axis=1)
    order = np.argsort(dist, axis=1, kind="stable")
    return np.take_along_axis(idx, order, 1).astype(np.int64), np.take_along_axis(dist, order, 1)


def _knn_streaming(X: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest other points, computed in row blocks (memory ``O(KNN_BLOCK_ENTRIES)``)."""
    return _knn_lists(X, (k,), metric)[0]


def _knn_lists(X: np.ndarray, ks: tuple[int, ...], metric: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Exact nearest-other-point lists of each length in ``ks``, from one pass over row blocks.

    Each list is cut from the block's distance matrix exactly as a single ``k`` would be, so a
    short list is the same whether or not longer ones are asked for alongside it.  Blocks hold
    at most ``KNN_BLOCK`` rows and about ``KNN_BLOCK_ENTRIES`` distances (1.2 GiB per temporary at
    2,048 rows of 73K points before this bound).
    """
    n = X.shape[0]
    block = int(min(KNN_BLOCK, max(64, KNN_BLOCK_ENTRIES // max(n, 1))))
    sq = np.einsum("ij,ij->i", X, X)
    outs = [(np.empty((n, k), np.int64), np.empty((n, k), np.float64)) for k in ks]
    for start in range(0, n, block):
        stop = min(start + block, n)
        D = X[start:stop] @ X.T                     # the dot products, turned into distances in place
        if metric == "cosine":
            np.maximum(np.subtract(1.0, D, out=D), 0.0, out=D)
        else:
            np.subtract(sq[start:stop, None] + sq[None, :], np.multiply(D, 2.0, out=D), out=D)
            np.sqrt(np.maximum(D, 0.0, out=D), out=D)
        D[np.arange(stop - start), np.arange(start, stop)] = np.inf
        for k, (out_i, out_d) in zip(ks, outs):
            out_i[start:stop], out_d[start:stop] = _knn_from_matrix(D, k)
    return outs


class _MatrixRows:
    """Distances read from a full matrix: the dense engine's source for Prim's algorithm."""

    def __init__(self, D: np.ndarray) -> None:
        self.D = D

    def distances(self, new: int, rem: np.ndarray) -> np.ndarray:
        return self.D[new, rem]

    def swap(self, j: int, r: int) -> None:
        """Nothing to keep compact: rows are indexed by point id."""


class _CoordinateRows:
    """Distances recomputed from coordinates (memory ``O(n d)``): the streaming engine's source.

    The coordinates of the points not yet in the tree are kept in a compact copy, permuted by
    the same swap-removal as their ids, so every step is one contiguous matrix-vector product.
    """

    def __init__(self, X: np.ndarray, metric: str) -> None:
        self.X, self.metric = X, metric
        self.sq_all = np.einsum("ij,ij->i", X, X)
        self.Xp, self.sq = X[1:].copy(), self.sq_all[1:].copy()

    def distances(self, new: int, rem: np.ndarray) -> np.ndarray:
        r = len(rem)
        return _row_distances(self.Xp[:r], self.sq[:r], self.X[new], float(self.sq_all[new]), self.metric)

    def swap(self, j: int, r: int) -> None:
        self.Xp[j], self.sq[j] = self.Xp[r], self.sq[r]


def _prim(n: int, core: np.ndarray, rows: _MatrixRows | _CoordinateRows) -> tuple[np.ndarray, np.ndarray]:
    """Prim's algorithm on mutual reachability, starting from point 0; edges sorted by weight.

    The points not yet in the tree are kept compact by swap-removal (``rem``, and whatever
    ``rows`` keeps aligned with it), so each step touches only them.
    """
    edges = np.empty((max(n - 1, 0), 2), np.int64)
    weights = np.empty(max(n - 1, 0), np.float64)
    if n <= 1:
        return edges, weights
    rem = np.arange(1, n)
    cp = core[1:].copy()
    best = np.maximum(np.maximum(rows.distances(0, rem), cp), core[0])
    src = np.zeros(n - 1, np.int64)
    r = n - 1
    for step in range(n - 1):
        j = int(np.argmin(best[:r]))
        new = int(rem[j])
        edges[step] = (src[j], new)
        weights[step] = best[j]
        r -= 1
        rem[j], best[j], src[j], cp[j] = rem[r], best[r], src[r], cp[r]
        rows.swap(j, r)
        if r == 0:
            break
        cand = rows.distances(new, rem[:r])         # a fresh array from either source
        np.maximum(cand, cp[:r], out=cand)
        np.maximum(cand, core[new], out=cand)
        better = cand < best[:r]
        best[:r][better] = cand[better]
        src[:r][better] = new
    order = np.argsort(weights, kind="stable")
    return edges[order], weights[order]


def _pair_distances(X: np.ndarray, a: np.ndarray, b: np.ndarray, metric: str) -> np.ndarray:
    """Distances between rows ``a[i]`` and ``b[i]`` with the engines' formula."""
    dots = np.einsum("ij,ij->i", X[a], X[b])
    if metric == "cosine":
        return np.maximum(1.0 - dots, 0.0)
    sq = np.einsum("ij,ij->i", X, X)
    return np.sqrt(np.maximum(sq[a] + sq[b] - 2.0 * dots, 0.0))


def _knn_tree(X: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest other points with a space-partitioning tree (fast in few dimensions).

    Rows are unit length for ``cosine``, so Euclidean order is cosine order; distances
    are then recomputed with the engines' formula so that they match the MST weights.
    """
    from sklearn.neighbors import NearestNeighbors

    n = X.shape[0]
    if k == 0:
        return np.zeros((n, 0), np.int64), np.zeros((n, 0), np.float64)
    _, idx = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X)
    rows = np.arange(n)[:, None]
    is_self = idx == rows
    # Drop the point itself (or, among exact duplicates, the last column).
    drop = np.where(is_self.any(axis=1), np.argmax(is_self, axis=1), k)
    keep = np.ones_like(idx, bool)
    keep[np.arange(n), drop] = False
    idx = idx[keep].reshape(n, k)
    dist = _pair_distances(X, np.repeat(np.arange(n), k), idx.ravel(), metric).reshape(n, k)
    order = np.argsort(dist, axis=1, kind="stable")
    return np.take_along_axis(idx, order, 1).astype(np.int64), np.take_along_axis(dist, order, 1)


def _boruvka_hdbscan(X: np.ndarray, min_points: int, core: np.ndarray, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """The MST edges from the ``hdbscan`` package's exact dual-tree Boruvka (KD-tree).

    hdbscan's ``min_samples`` excludes the point itself, hence ``min_points - 1``.  Its
    Euclidean tree on unit rows is also the cosine tree (``1 - cos = d^2 / 2`` is
    monotone).  Weights are recomputed here, so they match ``core`` and our distances.
    """
    import hdbscan

    model = hdbscan.HDBSCAN(algorithm="boruvka_kdtree", min_samples=min_points - 1, min_cluster_size=2,
                            gen_min_span_tree=True, approx_min_span_tree=False, core_dist_n_jobs=1).fit(X)
    mst = model.minimum_spanning_tree_.to_numpy()          # rows (a, b, weight), hdbscan's public view
    edges = mst[:, :2].astype(np.int64)
    weights = np.maximum(np.maximum(core[edges[:, 0]], core[edges[:, 1]]),
                         _pair_distances(X, edges[:, 0], edges[:, 1], metric))
    order = np.argsort(weights, kind="stable")
    return edges[order], weights[order]


def mutual_reachability_mst(X: np.ndarray, min_points: int, metric: str = "euclidean",
                            engine: str = "auto") -> MRDSpanningTree:
    """Exact MST of the mutual-reachability graph of ``X`` (rows are points).

    ``engine`` is one of ``ENGINES``; ``'auto'`` picks dense up to ``DENSE_MAX_POINTS``
    points, then the KD-tree Boruvka in up to ``TREE_MAX_DIMS`` dimensions, else lazy
    (not streaming, which gives the same tree, slower).  All engines give the same tree up to
    ties and the rounding of the last bits of a distance.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    Xf = _prepare(X, metric)
    n = Xf.shape[0]
    k = min(max(min_points - 1, 0), max(n - 1, 0))
    if engine == "auto":
        engine = "dense" if n <= DENSE_MAX_POINTS else ("hdbscan" if Xf.shape[1] <= TREE_MAX_DIMS else "lazy")
    if engine == "hdbscan" and (min_points < 2 or n < 3):
        engine = "streaming"
    if engine == "dense":
        D = pairwise_distances(Xf, metric=metric) if n else np.zeros((0, 0))
        if metric == "cosine":
            np.maximum(D, 0.0, out=D)
        np.fill_diagonal(D, np.inf)
        knn_i, knn_d = _knn_from_matrix(D, k)
        core = knn_d[:, -1].copy() if k > 0 else np.zeros(n, np.float64)
        edges, weights = _prim(n, core, _MatrixRows(D))
    elif engine == "hdbscan":
        knn_i, knn_d = _knn_tree(Xf, k, metric)
        core = knn_d[:, -1].copy()
        edges, weights = _boruvka_hdbscan(Xf, min_points, core, metric)
    elif engine == "lazy" and n > 2:
        wide = min(max(k, LAZY_NEIGHBOURS), n - 1)
        (knn_i, knn_d), (wide_i, wide_d) = _knn_lists(Xf, (k, wide), metric)
        core = knn_d[:, -1].copy() if k > 0 else np.zeros(n, np.float64)
        edges, weights = lazy_prim(Xf, core, wide_i, wide_d, metric)
    else:
        knn_i, knn_d = _knn_streaming(Xf, k, metric)
        core = knn_d[:, -1].copy() if k > 0 else np.zeros(n, np.float64)
        edges, weights = _prim(n, core, _CoordinateRows(Xf, metric))
    return MRDSpanningTree(core, edges, weights, knn_i, knn_d)
