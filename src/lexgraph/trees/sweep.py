"""The reference method as it was: one scikit-learn DBSCAN per epsilon (the naive sweep).

Kept as the baseline that :class:`~lexgraph.trees.nested.NestedDensityTree`
is timed against and tested against.  It applies the same layer rule
(:func:`~lexgraph.trees.layering.select_layers`) to DBSCAN's cluster counts.

What can be compared with the fast tree: the cluster count, the core points, the noise
points and the partition of the core points at every epsilon.  Border points (non-core
points within epsilon of core points of two clusters) go to whichever cluster DBSCAN's
scan reaches first, so their cluster -- and hence node sizes -- may differ, and DBSCAN's
layers need not nest exactly (parents are then chosen by majority).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from sklearn.cluster import DBSCAN

from lexgraph.trees.layering import NOISE, leaf_nodes, nest_layers, select_layers


@dataclass
class SweepStep:
    """DBSCAN's result at one epsilon."""

    epsilon: float
    labels: np.ndarray           # cluster per point, NOISE for noise
    core: np.ndarray             # boolean mask of core points

    @property
    def n_clusters(self) -> int:
        """Clusters at this epsilon."""
        return int(self.labels.max()) + 1 if self.labels.size and self.labels.max() >= 0 else 0

    @property
    def coverage(self) -> float:
        """Share of points in some cluster."""
        return float((self.labels >= 0).mean()) if self.labels.size else 0.0


def epsilon_sweep(X: np.ndarray, epsilons: np.ndarray, min_points: int, metric: str = "euclidean",
                  n_jobs: int | None = None) -> list[SweepStep]:
    """Run DBSCAN once per epsilon (ascending), the reference method's inner loop."""
    out: list[SweepStep] = []
    for eps in np.asarray(epsilons, dtype=np.float64):
        model = DBSCAN(eps=float(eps), min_samples=min_points, metric=metric, n_jobs=n_jobs).fit(X)
        core = np.zeros(X.shape[0], bool)
        core[model.core_sample_indices_] = True
        out.append(SweepStep(float(eps), model.labels_.astype(np.int64), core))
    return out


@dataclass
class NaiveTree:
    """The tree tables built from a naive sweep (same shapes as the fast estimator's)."""

    nodes: pl.DataFrame
    members: pl.DataFrame
    labels: np.ndarray
    leaf: np.ndarray
    layers: pl.DataFrame
    steps: list[SweepStep]
    kept: list[int]


def naive_density_tree(X: np.ndarray, epsilons: np.ndarray, min_points: int, metric: str = "euclidean",
                       n_jobs: int | None = None) -> NaiveTree:
    """The reference layering by brute force: DBSCAN at every epsilon of ``epsilons``.

    Pass the fast tree's ``epsilons_`` (and its PCA-projected data) to compare at equal
    layers.  The last epsilon should merge everything, as the fast schedule's does.
    """
    steps = epsilon_sweep(X, epsilons, min_points, metric, n_jobs)
    counts = np.array([s.n_clusters for s in steps])
    full = np.array([s.coverage >= 1.0 for s in steps])
    kept = select_layers(counts, full)
    layer_labels = [steps[k].labels for k in kept]
    eps = [steps[k].epsilon for k in kept]
    nodes, members, labels = nest_layers(layer_labels, eps)
    layers = pl.DataFrame({
        "layer": np.arange(len(kept), dtype=np.int64),
        "epsilon": np.asarray(eps, dtype=np.float64),
        "n_clusters": counts[kept].astype(np.int64) if kept else np.zeros(0, np.int64),
        "coverage": np.array([steps[k].coverage for k in kept]),
    })
    return NaiveTree(nodes, members, labels, leaf_nodes(labels), layers, steps, kept)


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two label vectors (over the same points) define the same partition."""
    if a.size != b.size:
        return False
    if a.size == 0:
        return True
    pairs = np.unique(np.stack([a, b]), axis=1)
    return len(np.unique(pairs[0])) == pairs.shape[1] == len(np.unique(pairs[1]))


__all__ = ["NOISE", "NaiveTree", "SweepStep", "epsilon_sweep", "naive_density_tree", "same_partition"]
