"""The tree's two algorithms as strategies: what a cluster at radius epsilon is.

:class:`~lexgraph.trees.nested.NestedDensityTree` sweeps one epsilon schedule and keeps
layers by one rule (:func:`~lexgraph.trees.layering.select_layers`); its ``method`` is a
*layering* that forms the clusters at each epsilon:

* :class:`DBSCANLayering` (``'dbscan'``, the reference): DBSCAN's clusters, read off one
  mutual-reachability MST (:mod:`lexgraph.trees.mst`); ``engine`` says how that MST is computed;
* :class:`AscentLayering` (``'ascent'``): every point linked to its nearest denser point, and
  groups of at least ``min_points`` points joined by links no longer than epsilon
  (:mod:`lexgraph.trees.ascent`).  It has no MST, so it has no ``engine``.

A parameter that only one algorithm has lives on that algorithm's class, and both answer
with one :class:`LayerSweep`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, NamedTuple, Protocol, runtime_checkable

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.base import BaseEstimator

from lexgraph.store.params import Options, Rule, check_params
from lexgraph.trees.ascent import (
    ascent_counts,
    ascent_labels,
    climb,
    density_ascent_links,
)
from lexgraph.trees.layering import (
    NOISE,
    TREE_METHODS,
    number_components,
    select_layers,
)
from lexgraph.trees.mst import ENGINES, MRDSpanningTree, mutual_reachability_mst

#: ``(radii where the first cluster forms, link lengths) -> epsilons``: the tree's schedule.
Schedule = Callable[[np.ndarray, np.ndarray], np.ndarray]


class LayerSweep(NamedTuple):
    """What a layering gives the tree: the links it cut, the profile of the schedule, the kept layers."""

    core_distances: np.ndarray
    edges: np.ndarray            # (m, 2) links, sorted by length
    weights: np.ndarray          # (m,) their lengths
    epsilons: np.ndarray         # the schedule swept
    counts: np.ndarray           # clusters at each epsilon
    coverage: np.ndarray         # share of items in a cluster at each epsilon
    layers: list[np.ndarray]     # cluster labels (NOISE for none) of each kept layer, densest first
    layer_epsilons: np.ndarray   # the epsilon of each kept layer


@runtime_checkable
class Layering(Protocol):
    """One of the tree's algorithms."""

    def sweep(self, Z: np.ndarray, min_points: int, metric: str, noise: str, schedule: Schedule) -> LayerSweep:
        """The layers of the rows of ``Z`` (see :class:`LayerSweep`)."""
        ...


class DBSCANLayering(BaseEstimator):
    """The reference layering: DBSCAN's clusters at each epsilon, cut from one mutual-reachability MST.

    * the cluster count at ``eps`` is ``#core(eps) - #MST edges <= eps``: two binary searches per epsilon;
    * a kept layer's core-point clusters are the components of the MST edges ``<= eps``;
    * border points join the cluster of their nearest core point within ``eps`` and stay with that
      cluster's ancestors in the layers above, which is a valid DBSCAN assignment and nests every
      layer in the next.

    ``engine``: how the MST is computed (:func:`~lexgraph.trees.mst.mutual_reachability_mst`).
    """

    _parameter_constraints: ClassVar[dict[str, Rule]] = {"engine": Options(ENGINES)}

    def __init__(self, engine: str = "auto") -> None:
        self.engine = engine

    def sweep(self, Z: np.ndarray, min_points: int, metric: str, noise: str, schedule: Schedule) -> LayerSweep:
        check_params(self, self.get_params(), self._parameter_constraints)
        mst = mutual_reachability_mst(Z, min_points, metric, self.engine)
        sched = schedule(mst.core_distances, mst.weights)
        n_core = np.searchsorted(np.sort(mst.core_distances), sched, side="right")
        n_edges = np.searchsorted(mst.weights, sched, side="right")
        counts = n_core - n_edges
        coverage = np.array([coverage_at(mst, e).mean() for e in sched])
        kept = select_layers(counts, coverage >= 1.0)
        layers = _mst_layers(mst, sched[kept], n_edges[kept], Z, metric, noise)
        return LayerSweep(mst.core_distances, mst.edges, mst.weights, sched, counts, coverage, layers, sched[kept])


class AscentLayering(BaseEstimator):
    """Density-ascent layers: a cluster at ``eps`` is a group of at least ``min_points`` points joined by
    links (each point to its nearest denser point) no longer than ``eps``; smaller groups are noise.

    A peak joins the nearest denser region instead of chaining through its sparsest bridge, which on
    20 Newsgroups raises dendrogram purity (docs/BENCHMARKS.md).  With ``noise='nearest'`` an item
    joins the cluster its climb along the links reaches.
    """


    def sweep(self, Z: np.ndarray, min_points: int, metric: str, noise: str, schedule: Schedule) -> LayerSweep:
        links = density_ascent_links(Z, min_points, metric)
        # The schedule runs from the shortest link (the first merge) to the longest (one root).
        sched = schedule(links.weights[:1] if links.weights.size else np.zeros(1), links.weights)
        counts, coverage = ascent_counts(links, sched, min_points)
        kept = select_layers(counts, coverage >= 1.0)
        layers: list[np.ndarray] = []
        for m in np.searchsorted(links.weights, sched[kept], side="right"):
            lab = ascent_labels(links, int(m), min_points)
            if noise == "nearest":
                if layers:
                    lab = follow_majority_parent(layers[-1], lab, lab >= 0)
                else:
                    lab = climb(links, lab)
                    attach_noise(lab, lab >= 0, Z, metric)
            layers.append(lab)
        return LayerSweep(links.core_distances, links.edges, links.weights, sched, counts, coverage, layers,
                          sched[kept])


#: The layerings by name (``NestedDensityTree(method=NAME)``); the names are ``TREE_METHODS``.
LAYERINGS: dict[str, type] = {"dbscan": DBSCANLayering, "ascent": AscentLayering}
assert tuple(LAYERINGS) == TREE_METHODS


def make_layering(method: str | Layering) -> Layering:
    """The layering ``method`` names (a fresh one with its defaults), or ``method`` itself."""
    return LAYERINGS[method]() if isinstance(method, str) else method


def coverage_at(mst: MRDSpanningTree, eps: float) -> np.ndarray:
    """Mask of points in some cluster at ``eps``: core, or within eps of a core point."""
    core_ok = mst.core_distances <= eps
    if mst.knn_indices.shape[1] == 0:
        return core_ok
    border = ((mst.knn_distances <= eps) & core_ok[mst.knn_indices]).any(axis=1)
    return core_ok | border


def _mst_layers(mst: MRDSpanningTree, eps_list: np.ndarray, n_edges: np.ndarray, Z: np.ndarray, metric: str,
                noise: str) -> list[np.ndarray]:
    """Cluster labels (0..k-1, ``NOISE``) of every kept layer, nested by construction."""
    n = mst.core_distances.size
    out: list[np.ndarray] = []
    prev: np.ndarray | None = None
    for eps, m in zip(eps_list, n_edges):
        core = mst.core_distances <= eps
        graph = coo_matrix((np.ones(m), (mst.edges[:m, 0], mst.edges[:m, 1])), shape=(n, n))
        _, comp = connected_components(graph, directed=False)
        lab = number_components(comp, core)
        if prev is not None:
            # Sticky borders: an already-assigned point follows its cluster's parent.
            parent = np.full(int(prev.max()) + 1, NOISE, np.int64)
            pcore = (prev >= 0) & core
            parent[prev[pcore]] = lab[pcore]
            carry = (~core) & (prev >= 0)
            lab[carry] = parent[prev[carry]]
        todo = np.nonzero(lab == NOISE)[0]
        if todo.size and mst.knn_indices.shape[1]:
            nb = mst.knn_indices[todo]
            ok = (mst.knn_distances[todo] <= eps) & core[nb]
            has = ok.any(axis=1)
            first_ok = np.argmax(ok, axis=1)
            lab[todo[has]] = lab[nb[has, first_ok[has]]]
        if prev is None and noise == "nearest":
            attach_noise(lab, core, Z, metric)
        elif prev is not None and noise == "nearest":
            lab = follow_majority_parent(prev, lab, core)
        out.append(lab)
        prev = lab
    return out


def attach_noise(lab: np.ndarray, core: np.ndarray, Z: np.ndarray, metric: str) -> None:
    """Give each noise item the cluster of its nearest core point (in place)."""
    todo = np.nonzero(lab == NOISE)[0]
    if todo.size == 0 or not core.any():
        return
    from sklearn.neighbors import NearestNeighbors

    index = np.nonzero(core)[0]
    nn = NearestNeighbors(n_neighbors=1, metric=metric).fit(Z[index])
    _, nearest = nn.kneighbors(Z[todo])
    lab[todo] = lab[index[nearest[:, 0]]]


def follow_majority_parent(prev: np.ndarray, lab: np.ndarray, core: np.ndarray) -> np.ndarray:
    """Every item follows its cluster to the cluster holding most of that cluster's core points.

    Used by ``noise='nearest'``: attached items may turn core inside another component,
    so nesting is kept by moving whole clusters; labels are renumbered 0..k-1.
    """
    pairs, votes = np.unique(np.stack([prev[core], lab[core]]), axis=1, return_counts=True)
    order = np.lexsort((-votes, pairs[0]))
    child, par = pairs[0][order], pairs[1][order]
    first = np.ones(child.size, bool)
    first[1:] = child[1:] != child[:-1]
    parent = np.full(int(prev.max()) + 1, NOISE, np.int64)
    parent[child[first]] = par[first]
    moved = parent[prev]
    _, compact = np.unique(moved, return_inverse=True)
    return compact.astype(np.int64)
