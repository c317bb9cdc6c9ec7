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

One engine is *not* exact: ``approx`` (:func:`knn_graph_mst`) takes each point's nearest
neighbours from an HNSW index (faiss) instead of the exact ``O(n^2 d)`` neighbour pass, and
spans the neighbour graph instead of the complete one: Kruskal on the neighbour edges, then
one representative per component of that forest joined by an exact MST among
representatives.  Both exact steps grow quadratically (the lazy engine's neighbour pass and
its full rows: 217 + 78 CPU s at 73K points, hours past 500K); this one is ``O(n log n)``
plus ``O(c^2 d)`` for ``c`` components.  Its edges are true mutual-reachability distances, a
missed neighbour or a detour through a representative making the tree a little heavier than
the minimum.  ``auto`` picks it only above ``APPROX_MIN_POINTS`` points.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.metrics import pairwise_distances

from lexgraph.trees.lazy_prim import lazy_prim

#: Metrics the MST engines accept.
METRICS: tuple[str, ...] = ("euclidean", "cosine")

#: MST engines: 'auto', 'dense', 'streaming', 'lazy' (ours, Prim), 'hdbscan' (the package's KD-tree Boruvka) or
#: 'approx' (lazy Prim on HNSW neighbour lists: not exact).
ENGINES: tuple[str, ...] = ("auto", "dense", "streaming", "lazy", "hdbscan", "approx")

#: Most dimensions for which 'auto' picks the KD-tree engine past ``DENSE_MAX_POINTS`` points.
TREE_MAX_DIMS = 32

#: Largest ``n`` for which the dense engine is picked automatically (n*n*8 bytes ~ 2 GiB).
DENSE_MAX_POINTS = 16_000

#: Rows per block of the streaming neighbour search, and the most distances a block holds (128 MiB).
KNN_BLOCK = 2048
KNN_BLOCK_ENTRIES = 1 << 24

#: Neighbours per point that the ``lazy`` engine relaxes when the point joins the tree.
LAZY_NEIGHBOURS = 16

#: Above this many points (in more than ``TREE_MAX_DIMS`` dimensions) 'auto' picks the approximate engine.
APPROX_MIN_POINTS = 200_000

#: The approximate engine's HNSW index: graph degree, and beam widths when building and searching.
APPROX_HNSW_M = 32
APPROX_EF_CONSTRUCTION = 80
APPROX_EF_SEARCH = 128

#: Wider searches, in turn, for the points outside the neighbour forest's largest component.
APPROX_JOIN_NEIGHBOURS: tuple[int, ...] = (64, 256)


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


def _rows_per_block(dims: int) -> int:
    """Rows of ``dims`` coordinates that make about ``KNN_BLOCK_ENTRIES`` numbers (at least one)."""
    return max(1, KNN_BLOCK_ENTRIES // max(dims, 1))


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


class _HNSWNeighbours:
    """Approximate nearest other points from an HNSW index (faiss) over prepared rows.

    Deterministic: the index is built with one thread where faiss needs it.  A query the search
    returns too few other points for (rare) repeats its farthest one (or itself, when none).
    """

    def __init__(self, X: np.ndarray, metric: str) -> None:
        import faiss

        from lexgraph.candidates.search import hnsw_add

        self.Xs = np.ascontiguousarray(X, dtype=np.float32)
        inner = metric == "cosine"               # unit rows: inner-product order is cosine order
        self.index = faiss.IndexHNSWFlat(X.shape[1], APPROX_HNSW_M,
                                         faiss.METRIC_INNER_PRODUCT if inner else faiss.METRIC_L2)
        self.index.hnsw.efConstruction = APPROX_EF_CONSTRUCTION
        hnsw_add(self.index, self.Xs)

    def search(self, rows: np.ndarray, k: int) -> np.ndarray:
        """``(len(rows), k)`` point ids, nearest first by the index's order."""
        k = min(k, self.Xs.shape[0] - 1)
        self.index.hnsw.efSearch = max(APPROX_EF_SEARCH, k + 1)
        out = np.empty((rows.size, k), np.int64)
        step = KNN_BLOCK * 8
        for start in range(0, rows.size, step):
            q = rows[start:start + step]
            _, found = self.index.search(self.Xs[q], k + 1)
            other = (found >= 0) & (found != q[:, None])
            keep = other & (np.cumsum(other, axis=1) <= k)
            count = keep.sum(axis=1)
            order = np.argsort(~keep, axis=1, kind="stable")[:, :k]     # each row's kept ids first, in order
            block = np.take_along_axis(found, order, 1)
            last = np.take_along_axis(block, np.maximum(count - 1, 0)[:, None], 1)
            fill = np.where(count[:, None] > 0, last, q[:, None])
            out[start:start + step] = np.where(np.arange(k)[None, :] < count[:, None], block, fill)
        return out


def _knn_lists_hnsw(X: np.ndarray, ks: tuple[int, ...], metric: str,
                    hnsw: _HNSWNeighbours) -> list[tuple[np.ndarray, np.ndarray]]:
    """Approximate nearest-other-point lists of each length in ``ks`` from one search, distances
    recomputed with the engines' formula and each list sorted by them (so they match the MST weights)."""
    n, kmax = X.shape[0], max(ks)
    idx = hnsw.search(np.arange(n), kmax)
    dist = _pair_distances(X, np.repeat(np.arange(n), kmax), idx.ravel(), metric).reshape(n, kmax)
    order = np.argsort(dist, axis=1, kind="stable")
    idx, dist = np.take_along_axis(idx, order, 1), np.take_along_axis(dist, order, 1)
    return [(idx[:, :k].copy(), dist[:, :k].copy()) for k in ks]


def _first_of_each(keys: np.ndarray) -> np.ndarray:
    """A mask keeping the first occurrence of each key."""
    first = np.zeros(keys.size, bool)
    first[np.unique(keys, return_index=True)[1]] = True
    return first


def knn_graph_mst(X: np.ndarray, core: np.ndarray, knn_indices: np.ndarray, knn_distances: np.ndarray,
                  metric: str, hnsw: _HNSWNeighbours | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A light spanning tree of mutual reachability from neighbour lists: ``(edges, weights)`` by weight.

    The minimum spanning forest of the neighbour graph (edges weighted ``max(core_a, core_b, d)``)
    is the MST wherever the lists hold every short edge.  Its components (groups with no listed
    edge between them) are joined Boruvka-style: the points outside the largest one search
    ``hnsw`` further (:data:`APPROX_JOIN_NEIGHBOURS`) for points of other components, and the
    forest is spanned again with those edges.  Components still apart are joined by the exact
    MST among one representative each (the member nearest the component's mean), which can only
    be longer than the best joining edge.
    """
    from scipy.sparse import coo_matrix, csr_matrix
    from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

    n, k = knn_indices.shape
    a = np.repeat(np.arange(n), k)
    b = knn_indices.ravel()
    w = np.maximum(np.maximum(core[a], core[b]), knn_distances.ravel())
    keep = a != b
    keep[keep] = _first_of_each(a[keep] * n + b[keep])      # a padded list repeats a neighbour: sparse sums repeats
    a, b, w = a[keep], b[keep], w[keep]
    # csgraph drops zero weights (duplicates at core 0): shift every weight by one, which no tree notices
    forest = minimum_spanning_tree(coo_matrix((w + 1.0, (a, b)), shape=(n, n)).tocsr()).tocoo()
    fa, fb = forest.row.astype(np.int64), forest.col.astype(np.int64)
    fw = np.maximum(np.maximum(core[fa], core[fb]), _pair_distances(X, fa, fb, metric))
    n_comp, label = connected_components(forest, directed=False)
    for wider in (APPROX_JOIN_NEIGHBOURS if hnsw is not None else ()):
        if n_comp == 1:
            break
        # Points outside the largest component look further for a point of another component.
        outside = np.flatnonzero(label != np.argmax(np.bincount(label)))
        nb = hnsw.search(outside, wider)
        qa, qb = np.repeat(outside, nb.shape[1]), nb.ravel()
        cross = label[qa] != label[qb]
        cross[cross] = _first_of_each(qa[cross] * n + qb[cross])
        qa, qb = qa[cross], qb[cross]
        qw = np.maximum(np.maximum(core[qa], core[qb]), _pair_distances(X, qa, qb, metric))
        a, b = np.r_[fa, qa], np.r_[fb, qb]
        forest = minimum_spanning_tree(coo_matrix((np.r_[fw, qw] + 1.0, (a, b)), shape=(n, n)).tocsr()).tocoo()
        fa, fb = forest.row.astype(np.int64), forest.col.astype(np.int64)
        fw = np.maximum(np.maximum(core[fa], core[fb]), _pair_distances(X, fa, fb, metric))
        n_comp, label = connected_components(forest, directed=False)
    if n_comp > 1:
        member = csr_matrix((np.ones(n), (label, np.arange(n))), shape=(n_comp, n))
        mean = np.asarray(member @ X) / np.bincount(label, minlength=n_comp)[:, None]
        gap = np.empty(n)
        step = _rows_per_block(X.shape[1])
        for start in range(0, n, step):
            off = X[start:start + step] - mean[label[start:start + step]]
            gap[start:start + step] = np.einsum("ij,ij->i", off, off)
        order = np.lexsort((np.arange(n), gap, label))
        reps = order[np.r_[True, label[order][1:] != label[order][:-1]]]
        R = X[reps]
        if n_comp <= DENSE_MAX_POINTS:
            D = pairwise_distances(R, metric=metric)
            np.maximum(D, 0.0, out=D)
            np.fill_diagonal(D, np.inf)
            re, _ = _prim(n_comp, core[reps], _MatrixRows(D))
        else:
            re, _ = _prim(n_comp, core[reps], _CoordinateRows(R, metric))
        ra, rb = reps[re[:, 0]], reps[re[:, 1]]
        fa, fb = np.r_[fa, ra], np.r_[fb, rb]
        fw = np.r_[fw, np.maximum(np.maximum(core[ra], core[rb]), _pair_distances(X, ra, rb, metric))]
    edges = np.c_[fa, fb]
    order = np.argsort(fw, kind="stable")
    return edges[order], fw[order]


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
    """Distances between rows ``a[i]`` and ``b[i]`` with the engines' formula.

    In blocks of pairs (at most ``KNN_BLOCK_ENTRIES`` coordinates gathered at once): the approximate
    engine asks for 16 pairs per point, 8.1M pairs at 506K points, 31 GiB gathered in one go.
    """
    step = _rows_per_block(X.shape[1])
    dots = np.empty(a.size, np.float64)
    for start in range(0, a.size, step):
        dots[start:start + step] = np.einsum("ij,ij->i", X[a[start:start + step]], X[b[start:start + step]])
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
    """MST of the mutual-reachability graph of ``X`` (rows are points); exact but for ``approx``.

    ``engine`` is one of ``ENGINES``; ``'auto'`` picks dense up to ``DENSE_MAX_POINTS``
    points, then the KD-tree Boruvka in up to ``TREE_MAX_DIMS`` dimensions, else lazy
    (not streaming, which gives the same tree, slower) up to ``APPROX_MIN_POINTS`` points,
    else approx.  The exact engines give the same tree up to ties and the rounding of the
    last bits of a distance; approx gives a spanning tree whose edges may be a little longer
    where its neighbour search missed a neighbour.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    Xf = _prepare(X, metric)
    n = Xf.shape[0]
    k = min(max(min_points - 1, 0), max(n - 1, 0))
    if engine == "auto":
        engine = ("dense" if n <= DENSE_MAX_POINTS else "hdbscan" if Xf.shape[1] <= TREE_MAX_DIMS
                  else "lazy" if n <= APPROX_MIN_POINTS else "approx")
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
    elif engine == "approx" and n > 2:
        wide = min(max(k, LAZY_NEIGHBOURS), n - 1)
        hnsw = _HNSWNeighbours(Xf, metric)
        (knn_i, knn_d), (wide_i, wide_d) = _knn_lists_hnsw(Xf, (k, wide), metric, hnsw)
        core = knn_d[:, -1].copy() if k > 0 else np.zeros(n, np.float64)
        edges, weights = knn_graph_mst(Xf, core, wide_i, wide_d, metric, hnsw)
    else:
        knn_i, knn_d = _knn_streaming(Xf, k, metric)
        core = knn_d[:, -1].copy() if k > 0 else np.zeros(n, np.float64)
        edges, weights = _prim(n, core, _CoordinateRows(Xf, metric))
    return MRDSpanningTree(core, edges, weights, knn_i, knn_d)
