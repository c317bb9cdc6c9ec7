"""Exact mutual-reachability MST for many points in many dimensions: Prim's algorithm with lazy, batched rows.

Why: the streaming engine (:mod:`lexgraph.trees.mst`) computes one full distance row per Prim step, a
matrix-vector product that reads every remaining coordinate: ``n^2 d / 2`` memory reads, which the
memory bus bounds (703 s for 73K cluster centroids in 384 dimensions, issue 17).  Most of those rows
are not needed when they are computed: a point's ``K`` nearest neighbours (known from the core-distance
pass) already hold its short edges, and every other edge from it is at least ``dK`` (its ``K``-th
neighbour distance) long.  So each point joins the tree relaxing only its neighbour list, and its full
row is computed only once Prim's next edge would be longer than its ``dK`` -- and then together with
every other tree point in that position, as one matrix product (compute-bound BLAS instead of one
matrix-vector product per step).

Exactness: at each step the chosen edge weighs at most every ``dK`` of a tree point whose full row is
not yet applied, which bounds every edge not relaxed so far, so the edge is a minimum edge leaving the
tree (cut property).  The tree has the same weights as the streaming engine's (up to rounding of the
last bits, since the dot products are summed in another order); where edges tie, another edge of the
same weight may be chosen, which no layer can see (the components below any epsilon are the same for
every minimum spanning tree).
"""

from __future__ import annotations

import heapq

import numpy as np

#: Tree points whose rows are computed together (at least; all that are due go in one batch).
ROW_BATCH = 256

#: Matrix entries computed at once in a batch (bounds its memory: 2^24 float64 = 128 MiB).
BLOCK_ENTRIES = 1 << 24


def lazy_prim(X: np.ndarray, core: np.ndarray, knn_indices: np.ndarray, knn_distances: np.ndarray,
              metric: str, row_batch: int = ROW_BATCH) -> tuple[np.ndarray, np.ndarray]:
    """Prim's algorithm on mutual reachability from point 0; ``(edges, weights)`` sorted by weight.

    ``X`` is prepared as the engines prepare it (unit rows for ``cosine``); ``knn_indices`` /
    ``knn_distances`` hold each point's ``K >= 1`` nearest other points, nearest first, so that no
    other point is nearer than ``knn_distances[:, -1]``.  Memory ``O(n d + n K)`` plus one batch.
    """
    n = X.shape[0]
    edges = np.empty((max(n - 1, 0), 2), np.int64)
    weights = np.empty(max(n - 1, 0), np.float64)
    if n <= 1:
        return edges, weights
    sq_all = np.einsum("ij,ij->i", X, X)
    far = knn_distances[:, -1]                 # no unlisted point is nearer than this
    # Points not in the tree, kept compact by swap-removal (as the other engines' Prim does).
    rem = np.arange(n)
    pos = np.arange(n)                         # pos[p]: p's slot in rem while p is not in the tree
    Xp, sq, cp = X.copy(), sq_all.copy(), core.astype(np.float64).copy()
    best = np.full(n, np.inf)
    src = np.zeros(n, np.int64)
    pending: list[tuple[float, int]] = []      # tree points whose full row is not applied: (far, point)
    r = n

    def take(j: int) -> int:
        """Move slot ``j``'s point into the tree; returns the point."""
        nonlocal r
        p = int(rem[j])
        r -= 1
        last = int(rem[r])
        rem[j], best[j], src[j], cp[j], sq[j] = last, best[r], src[r], cp[r], sq[r]
        Xp[j] = Xp[r]
        pos[last] = j
        pos[p] = -1
        return p

    def relax_neighbours(p: int) -> None:
        """Offer the edges from ``p`` to its listed neighbours still outside the tree."""
        nb = knn_indices[p]
        slot = pos[nb]
        ok = slot >= 0
        if not ok.any():
            return
        slot = slot[ok]
        w = np.maximum(np.maximum(knn_distances[p][ok], cp[slot]), core[p])
        better = w < best[slot]
        best[slot[better]] = w[better]
        src[slot[better]] = p

    def relax_rows(points: np.ndarray) -> None:
        """Offer every edge from ``points`` (tree points) to every point outside the tree."""
        step = max(1, BLOCK_ENTRIES // max(r, 1))
        for start in range(0, points.size, step):
            part = points[start:start + step]
            dots = X[part] @ Xp[:r].T
            if metric == "cosine":
                d = np.subtract(1.0, dots, out=dots)
            else:
                d = np.subtract(sq_all[part, None] + sq[None, :r], 2.0 * dots, out=dots)
                np.sqrt(np.maximum(d, 0.0, out=d), out=d)
            np.maximum(d, 0.0, out=d)
            np.maximum(d, cp[None, :r], out=d)
            np.maximum(d, core[part][:, None], out=d)
            row = np.argmin(d, axis=0)
            w = d[row, np.arange(r)]
            better = w < best[:r]
            best[:r][better] = w[better]
            src[:r][better] = part[row[better]]

    start = take(0)
    heapq.heappush(pending, (float(far[start]), start))
    relax_neighbours(start)
    for step in range(n - 1):
        j = int(np.argmin(best[:r]))
        if pending and pending[0][0] < best[j]:
            # An unseen edge might be shorter: apply the rows that could hold one (and more, up to a batch).
            due: list[int] = []
            while pending and (pending[0][0] < best[j] or len(due) < row_batch):
                due.append(heapq.heappop(pending)[1])
            relax_rows(np.asarray(due, np.int64))
            j = int(np.argmin(best[:r]))
        edges[step] = (src[j], rem[j])
        weights[step] = best[j]
        p = take(j)
        heapq.heappush(pending, (float(far[p]), p))
        relax_neighbours(p)
    order = np.argsort(weights, kind="stable")
    return edges[order], weights[order]
