"""Density-ascent links: every point points at its nearest denser point.

Why: the DBSCAN layering merges dense cores by single linkage through their sparsest
bridge, so on document embeddings one growing cluster absorbs the others and the points
between topics stay noise until large radii (docs/BENCHMARKS.md, Trees).  Mode seeking
(Koontz, Narendra and Fukunaga 1976; quick shift, Vedaldi and Soatto 2008; density peaks,
Rodriguez and Laio 2014) reads the same density differently: each point climbs to the
nearest point that is denser than itself, so every point belongs to the basin of one
density peak, and a peak joins another only across the gap between it and the nearest
denser region.

Density is DBSCAN's: the smaller a point's core distance (distance to its
``min_points - 1``-th nearest other point), the denser it is; ties go to the smaller row
number, so "denser" is a strict total order and the links form one tree rooted at the
densest point.  Cutting the links longer than ``eps`` gives nested clusters for every
``eps``: the density criterion relaxed step by step, as in the reference sweep.

Cost: one k-nearest-neighbour search, a 16 times wider one for the local peaks (points with
no denser point among their neighbours), then an exhaustive search, in blocks, only for the
peaks still without one, ``O(modes x n x d)``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.metrics import pairwise_distances

from lexgraph.trees.layering import number_components
from lexgraph.trees.mst import _knn_tree, _pair_distances, _prepare

#: Neighbours searched for a denser point before a point counts as a local peak.
SEARCH_NEIGHBORS = 30

#: The second, wider search for local peaks looks this many times further.
WIDE_FACTOR = 16

#: Most distances held at once by the exhaustive peak search (2**25 float64: 256 MiB).
PEAK_BLOCK_ENTRIES = 2 ** 25


class AscentLinks(NamedTuple):
    """Links ``edges[i] = (child, parent)`` of length ``weights[i]``, sorted by length.

    ``parent`` is the nearest point denser than ``child``; every point but the densest
    (``root``) is a child exactly once.
    """

    core_distances: np.ndarray
    edges: np.ndarray
    weights: np.ndarray
    root: int


def _denser(core: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether point ``b`` is denser than point ``a`` (smaller core distance, then row number)."""
    return (core[b] < core[a]) | ((core[b] == core[a]) & (b < a))


def _take_first_denser(core: np.ndarray, points: np.ndarray, idx: np.ndarray, dist: np.ndarray,
                        parent: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Link each of ``points`` to the first denser point of its neighbour row (rows nearest first).

    Writes ``parent`` / ``length`` in place for the points that have one; returns that mask.
    """
    ok = _denser(core, points[:, None], idx)
    has = ok.any(axis=1)
    first = np.argmax(ok, axis=1)
    parent[points[has]] = idx[has, first[has]]
    length[points[has]] = dist[has, first[has]]
    return has


def density_ascent_links(X: np.ndarray, min_points: int, metric: str = "euclidean") -> AscentLinks:
    """The density-ascent tree of the rows of ``X`` (see the module docstring).

    Distances follow :mod:`lexgraph.trees.mst` (``cosine`` is ``1 - cos``), and so
    do core distances (``min_points == 1`` gives 0 everywhere, so density falls back to the
    row order).  Needs at least one row.
    """
    Xf = _prepare(X, metric)
    n = Xf.shape[0]
    if n == 0:
        raise ValueError("cannot link 0 points")
    k_core = min(max(min_points - 1, 0), n - 1)
    k = min(max(k_core, SEARCH_NEIGHBORS), n - 1)
    knn_i, knn_d = _knn_tree(Xf, k, metric)
    core = knn_d[:, k_core - 1].copy() if k_core > 0 else np.zeros(n, np.float64)
    rows = np.arange(n)
    parent = np.full(n, -1, np.int64)
    length = np.zeros(n, np.float64)
    if k:
        _take_first_denser(core, rows, knn_i, knn_d, parent, length)
    root = int(np.lexsort((rows, core))[0])
    peaks = np.nonzero(parent < 0)[0]
    peaks = peaks[peaks != root]
    wide = min(WIDE_FACTOR * k, n - 1)
    if peaks.size and wide > k:
        # A wider neighbour search first: most local peaks have a denser point a little
        # further out, and only the true modes are left for the exhaustive search.
        from sklearn.neighbors import NearestNeighbors

        index = NearestNeighbors(n_neighbors=wide + 1).fit(Xf)
        found = np.zeros(peaks.size, bool)
        chunk = max(1, PEAK_BLOCK_ENTRIES // ((wide + 1) * max(Xf.shape[1], 1)))
        for start in range(0, peaks.size, chunk):
            part = peaks[start:start + chunk]
            idx = index.kneighbors(Xf[part], return_distance=False)
            # Exact distances with the engines' formula (an all-zero row is at cosine distance 1,
            # not where its Euclidean distance puts it), re-sorted nearest first.
            dist = _pair_distances(Xf, np.repeat(part, wide + 1), idx.ravel(), metric).reshape(idx.shape)
            order = np.argsort(dist, axis=1, kind="stable")
            idx, dist = np.take_along_axis(idx, order, 1), np.take_along_axis(dist, order, 1)
            found[start:start + chunk] = _take_first_denser(core, part, idx, dist, parent, length)
        peaks = peaks[~found]
    step = max(1, PEAK_BLOCK_ENTRIES // n)
    for start in range(0, peaks.size, step):
        block = peaks[start:start + step]
        d = pairwise_distances(Xf[block], Xf, metric=metric)
        np.maximum(d, 0.0, out=d)                   # cosine rounding can dip below 0
        d[~_denser(core, block[:, None], rows[None, :])] = np.inf
        best = np.argmin(d, axis=1)
        parent[block] = best
        length[block] = d[np.arange(block.size), best]
    child = np.nonzero(parent >= 0)[0]
    order = np.argsort(length[child], kind="stable")
    edges = np.stack([child[order], parent[child[order]]], axis=1).astype(np.int64)
    return AscentLinks(core, edges.reshape(-1, 2), length[child[order]], root)


def _union_find_counts(n: int, edges: np.ndarray, min_size: int) -> tuple[np.ndarray, np.ndarray]:
    """After each link (in order): components with at least ``min_size`` points, and their points.

    ``counts[m]`` / ``covered[m]`` hold once the first ``m`` links are joined (``m = 0..len(edges)``).
    """
    root = np.arange(n)
    size = np.ones(n, np.int64)

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    count = covered = n if min_size <= 1 else 0
    counts = np.empty(edges.shape[0] + 1, np.int64)
    cover = np.empty(edges.shape[0] + 1, np.int64)
    counts[0], cover[0] = count, covered
    for m, (a, b) in enumerate(edges):
        ra, rb = find(int(a)), find(int(b))
        if ra != rb:
            big_a, big_b = size[ra] >= min_size, size[rb] >= min_size
            if size[ra] + size[rb] >= min_size:
                covered += (0 if big_a else size[ra]) + (0 if big_b else size[rb])
                count += 1 - big_a - big_b
            if size[ra] < size[rb]:
                ra, rb = rb, ra
            root[rb] = ra
            size[ra] += size[rb]
        counts[m + 1], cover[m + 1] = count, covered
    return counts, cover


def ascent_counts(links: AscentLinks, schedule: np.ndarray, min_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Cluster count and coverage at each epsilon of ``schedule``.

    A cluster is a component of the links no longer than epsilon with at least
    ``min_size`` points (smaller components are noise, as hdbscan's ``min_cluster_size``
    makes them); coverage is the share of points in some cluster.
    """
    n = links.core_distances.size
    counts, covered = _union_find_counts(n, links.edges, min_size)
    m = np.searchsorted(links.weights, schedule, side="right")
    return counts[m], covered[m] / n


def ascent_labels(links: AscentLinks, n_links: int, min_size: int) -> np.ndarray:
    """Cluster labels once the first ``n_links`` links are joined; ``NOISE`` for small components.

    Clusters are numbered by their smallest row (:func:`~lexgraph.trees.layering.number_components`).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = links.core_distances.size
    e = links.edges[:n_links]
    _, comp = connected_components(coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n)), directed=False)
    return number_components(comp, np.bincount(comp)[comp] >= min_size)


def climb(links: AscentLinks, lab: np.ndarray) -> np.ndarray:
    """Each unlabelled item takes the label of the first labelled point up its ascent links.

    ``noise='nearest'`` for the ascent method: an item joins the cluster its density climb
    reaches (its peak's basin, as quick shift assigns it).  A climb that reaches the root
    without meeting a label stays ``NOISE``.  Pointer jumping: labelled points and the root
    point to themselves, every other point to its parent, and each round replaces a pointer
    by its target's, so a climb of depth ``h`` takes ``log2(h)`` rounds, not ``h``.
    """
    jump = np.arange(lab.size)
    jump[links.edges[:, 0]] = links.edges[:, 1]
    jump[lab >= 0] = np.nonzero(lab >= 0)[0]
    while True:
        nxt = jump[jump]
        if np.array_equal(nxt, jump):
            return lab[jump]
        jump = nxt
