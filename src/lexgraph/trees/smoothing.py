"""k-nearest-neighbour smoothing: pull each point towards the mean of its neighbours.

Density trees over sentence embeddings suffer from points that sit between topics: at
small epsilons they are DBSCAN noise, at large ones they chain dense clusters together.
A few steps of diffusion on the k-nearest-neighbour graph (each point replaced by the mean
of its ``k`` neighbours in the *input* space, repeated; a blurring mean shift restricted to
a fixed neighbour graph) move every point towards the dense core it belongs to, which
sharpens the cores and thins the bridges between them.  The neighbour lists are computed
once, so the cost is one k-NN search plus ``steps`` sparse products with ``n x k`` entries.

Under ``metric='cosine'`` the neighbours are the cosine-nearest and every step renormalises
the rows, so the points stay on the unit sphere where cosine distances are read.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.neighbors import NearestNeighbors


def _unit_rows(Z: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1; all-zero rows stay zero (they have no direction)."""
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    return np.divide(Z, norms, out=np.zeros_like(Z), where=norms > 0)


def knn_smooth(Z: np.ndarray, n_neighbors: int, steps: int, metric: str = "euclidean") -> np.ndarray:
    """``Z`` after ``steps`` rounds of replacing each row by the mean of its ``n_neighbors``.

    The neighbours (the row itself included) are found once, in ``Z`` under ``metric``
    (``'euclidean'`` or ``'cosine'``); ties are broken by scikit-learn's exact search, so the
    result is deterministic.  ``n_neighbors`` is capped at the number of rows; ``n_neighbors``
    below 2 or ``steps`` of 0 return ``Z`` unchanged.
    """
    Z = np.asarray(Z, dtype=np.float64)
    n = Z.shape[0]
    k = min(int(n_neighbors), n)
    if k < 2 or steps < 1:
        return Z
    cosine = metric == "cosine"
    # Cosine order equals Euclidean order on unit rows, which lets scikit-learn use a KD-tree.
    space = _unit_rows(Z) if cosine else Z
    neighbours = NearestNeighbors(n_neighbors=k).fit(space).kneighbors(space, return_distance=False)
    # The mean over neighbours as one sparse product: O(n k + n d) memory, not an (n, k, d) gather.
    mean = csr_matrix((np.full(n * k, 1.0 / k), neighbours.ravel(), np.arange(0, n * k + 1, k)), shape=(n, n))
    out = space
    for _ in range(int(steps)):
        out = mean @ out
        if cosine:
            out = _unit_rows(out)
    return out
