"""Nested density trees: the reference DBSCAN epsilon sweep, read off one spanning tree.

The reference method runs DBSCAN with a fixed ``min_points`` for a rising schedule of
epsilons and keeps a layer whenever the cluster count drops; each cluster's parent is the
cluster of the layer above that contains it.  Rerunning DBSCAN per epsilon costs
``O(n^2)`` per step.  :class:`NestedDensityTree` owns the schedule, the layer rule and the
tree tables; how the clusters at one epsilon are formed is its ``method``, a strategy of
:mod:`lexgraph.trees.strategies`: the reference layers computed from a single
mutual-reachability minimum spanning tree (:class:`~lexgraph.trees.strategies.DBSCANLayering`),
or density ascent (:class:`~lexgraph.trees.strategies.AscentLayering`).

DBSCAN leaves the cluster of a border point reachable from two clusters to the order of
its scan, so "the same layers" means: same epsilons, same cluster counts, same core
points, same partition of the core points, same noise (see
:mod:`lexgraph.trees.sweep` and ``tests/test_tree.py``).
"""

from __future__ import annotations

from functools import partial
from numbers import Integral
from typing import ClassVar

import numpy as np
import polars as pl
from sklearn.base import BaseEstimator
from sklearn.decomposition import PCA

from lexgraph.store.params import (
    BOOLEAN,
    Interval,
    Options,
    Rule,
    Satisfies,
    check_params,
)
from lexgraph.trees.layering import (
    TREE_METHODS,
    condense_chains,
    leaf_nodes,
    nest_layers,
)
from lexgraph.trees.mst import METRICS
from lexgraph.trees.smoothing import knn_smooth
from lexgraph.trees.strategies import Layering, make_layering

#: What happens to items that are noise in the densest layer: ``'keep'`` (the reference:
#: they join the tree where DBSCAN first covers them) or ``'nearest'`` (they join the
#: densest-layer cluster of their nearest core point, so every layer covers every item).
NOISE_MODES: tuple[str, ...] = ("keep", "nearest")

#: The most epsilon steps a schedule may have (a guard against a tiny ``epsilon_step``).
MAX_STEPS = 100_000


def validate_params(params: dict[str, object]) -> None:
    """Raise one ValueError naming the first of ``params`` that breaks NestedDensityTree's constraints."""
    check_params("NestedDensityTree", params, NestedDensityTree._parameter_constraints)


def epsilon_schedule(core: np.ndarray, weights: np.ndarray, n_steps: int, epsilon_step: float | None,
                     epsilons: object | None) -> np.ndarray:
    """The epsilons to sweep, ascending, always ending just past the full-merge radius.

    The radius at which every point is core and all are connected is the largest MST
    weight (or the largest core distance when there is no edge); the schedule starts at
    the smallest core distance, where the first point turns core.
    """
    lo = float(core.min()) if core.size else 0.0
    hi = float(weights.max()) if weights.size else lo
    hi = max(hi, float(core.max()) if core.size else hi)
    if epsilons is not None:
        given = np.unique(np.asarray(list(epsilons), dtype=np.float64))
        grid = given[given < hi]
    elif epsilon_step is not None:
        if (hi - lo) / float(epsilon_step) > MAX_STEPS:
            raise ValueError(f"epsilon_step ({epsilon_step}) gives more than {MAX_STEPS} steps between "
                             f"{lo:.4g} and {hi:.4g}; use a larger step")
        grid = np.arange(lo, hi, float(epsilon_step))
    else:
        grid = np.linspace(lo, hi, n_steps + 1)[:-1] if hi > lo else np.zeros(0)
    # The ends are exact core distances / MST weights; a relative nudge keeps them off
    # the tie, so any DBSCAN implementation agrees on them despite rounding.
    tie = 1e-9 * max(abs(hi), 1e-12)
    if grid.size and epsilons is None:
        grid[0] = min(grid[0] + tie, (grid[1] if grid.size > 1 else hi))
    return np.append(grid, hi + tie)


class NestedDensityTree(BaseEstimator):
    """A hierarchy of DBSCAN layers over the rows of ``X`` (a scikit-learn estimator).

    Parameters
    ----------
    min_points:
        DBSCAN's ``min_samples``: points (the point itself included) within epsilon that
        make a point core.
    n_steps:
        Number of evenly spaced epsilons between the first core point and the full
        merge, when neither ``epsilon_step`` nor ``epsilons`` is given.
    epsilon_step:
        Step of the epsilon schedule, in distance units.
    epsilons:
        An explicit schedule (values past the full-merge radius are dropped; that radius
        is always appended).
    n_components:
        Project onto this many principal components first (the reference found it helps);
        None keeps the input dimensions.
    metric:
        ``'euclidean'`` or ``'cosine'`` (``1 - cos``).
    noise:
        ``'keep'`` (the reference) or ``'nearest'``, see ``NOISE_MODES``; ``'nearest'``
        departs from DBSCAN's layers (no noise) but places every item in a leaf cluster
        (with ``method='ascent'``: the cluster its climb along the ascent links reaches).
    method:
        How the clusters at each epsilon are formed, a strategy of :mod:`lexgraph.trees.strategies`:
        ``'dbscan'`` (the reference: DBSCAN's clusters, read off one mutual-reachability MST;
        ``DBSCANLayering(engine=...)`` picks the MST engine) or ``'ascent'`` (density ascent:
        every point linked to its nearest denser point, density = DBSCAN's core distance; a
        cluster at ``eps`` is a group of at least ``min_points`` points joined by links no
        longer than ``eps``), or a layering instance.  Same schedule and layer rule for both.
    smooth_neighbors:
        0 (the reference) or ``k``: before the density sweep, move every point towards the
        mean of its ``k`` nearest neighbours, ``smooth_steps`` times (after the projection;
        see :mod:`lexgraph.trees.smoothing`).  Sharpens dense cores and thins the
        points between them; on 20 Newsgroups it raises dendrogram purity (docs/BENCHMARKS.md).
        Epsilons are then distances between smoothed points.
    smooth_steps:
        Rounds of smoothing when ``smooth_neighbors`` is on.
    condense:
        Merge each node that is an unchanged copy of its only child (a cluster that neither
        merged nor grew between layers) into that child, as hdbscan's condensed tree does;
        ``top_layer`` then says up to which layer a node lasts.  False keeps one node per
        cluster per layer (the reference's literal layering).  Layer partitions are the same.
    random_state:
        Seed of the PCA solver; the rest is deterministic.

    Attributes
    ----------
    nodes_ : polars.DataFrame
        ``node_id, parent_id, layer, epsilon, size, top_layer``; ``layer`` (and its
        ``epsilon``) is the densest layer holding the node, ``top_layer`` the last one
        (equal to ``layer`` unless condensed); layer 0 is the densest; one root
        (``parent_id`` null) ending in the top layer.
    members_ : polars.DataFrame
        ``node_id, item`` for every node and every item under it (items are row numbers).
    labels_ : numpy.ndarray
        ``(n_layers, n)`` node id of each item in each layer, ``NOISE`` (-1) for none.
    leaf_ : numpy.ndarray
        Each item's lowest node.
    layers_ : polars.DataFrame
        ``layer, epsilon, n_clusters, coverage`` (coverage: share of items not noise).
    profile_ : polars.DataFrame
        ``epsilon, n_clusters, coverage`` for every epsilon of the schedule.
    epsilons_ : numpy.ndarray
        The schedule swept.
    mst_ : polars.DataFrame
        ``a, b, weight``: the edges the layers are cut from, sorted by weight: the
        mutual-reachability MST (``method='dbscan'``) or the density-ascent links from
        ``a`` to its nearest denser point ``b`` (``'ascent'``); empty for one-node trees.
    layering_ : the strategy that formed the layers (``method`` resolved).
    core_distances_ : numpy.ndarray
    n_components_ : int or None
        Dimensions actually used by PCA (at most ``min(n, d)``).
    pca_ : sklearn PCA or None
    """

    def __init__(self, min_points: int = 5, n_steps: int = 100, epsilon_step: float | None = None,
                 epsilons: list[float] | None = None, n_components: int | None = None,
                 metric: str = "cosine", noise: str = "keep", method: str | Layering = "dbscan",
                 condense: bool = True, smooth_neighbors: int = 0, smooth_steps: int = 3,
                 random_state: int | None = 0) -> None:
        self.min_points = min_points
        self.n_steps = n_steps
        self.epsilon_step = epsilon_step
        self.epsilons = epsilons
        self.n_components = n_components
        self.metric = metric
        self.noise = noise
        self.method = method
        self.condense = condense
        self.smooth_neighbors = smooth_neighbors
        self.smooth_steps = smooth_steps
        self.random_state = random_state

    #: One table of parameter constraints (checked at the top of ``fit``).
    _parameter_constraints: ClassVar[dict[str, Rule]] = {
        "min_points": Interval(Integral, 1),
        "n_steps": Interval(Integral, 1),
        "epsilon_step": Satisfies(lambda v: v is None or (float(v) > 0 and np.isfinite(float(v))),
                                  "None or a number > 0"),
        "epsilons": Satisfies(lambda v: v is None or len(v) >= 1, "None or a non-empty sequence of numbers"),
        "n_components": Interval(Integral, 1, none_ok=True),
        "metric": Options(METRICS),
        "noise": Options(NOISE_MODES),
        "method": Satisfies(lambda v: v in TREE_METHODS if isinstance(v, str) else isinstance(v, Layering),
                            f"one of {', '.join(map(repr, TREE_METHODS))} or a layering "
                            "(lexgraph.trees.strategies)"),
        "condense": BOOLEAN,
        "smooth_neighbors": Interval(Integral, 0),
        "smooth_steps": Interval(Integral, 1),
    }

    def _project(self, X: np.ndarray) -> np.ndarray:
        self.pca_ = None
        self.n_components_ = None
        if self.n_components is None or X.shape[0] < 2:
            return X
        self.n_components_ = int(min(self.n_components, X.shape[0], X.shape[1]))
        self.pca_ = PCA(n_components=self.n_components_, random_state=self.random_state)
        return self.pca_.fit_transform(X)

    def fit(self, X: np.ndarray, y: object = None) -> NestedDensityTree:
        """Build the tree over the rows of ``X``; returns ``self``."""
        check_params(self, self.get_params(deep=False), self._parameter_constraints)
        self.layering_ = make_layering(self.method)
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"X must be a 2-d array (items x dimensions), got shape {X.shape}")
        n = X.shape[0]
        if n == 0:
            raise ValueError("cannot build a tree over 0 items; give at least one")
        if not np.isfinite(X).all():
            raise ValueError("X contains NaN or infinite values; drop or repair those rows first")
        Z = self._project(X)
        if self.smooth_neighbors:
            Z = knn_smooth(Z, self.smooth_neighbors, self.smooth_steps, self.metric)
        if n < self.min_points:
            return self._one_node(n)
        schedule = partial(epsilon_schedule, n_steps=self.n_steps, epsilon_step=self.epsilon_step,
                           epsilons=self.epsilons)
        sweep = self.layering_.sweep(Z, self.min_points, self.metric, self.noise, schedule)
        self.core_distances_ = sweep.core_distances
        self.mst_ = pl.DataFrame({"a": sweep.edges[:, 0], "b": sweep.edges[:, 1], "weight": sweep.weights})
        self.epsilons_ = sweep.epsilons
        self.profile_ = pl.DataFrame({"epsilon": sweep.epsilons, "n_clusters": sweep.counts.astype(np.int64),
                                      "coverage": sweep.coverage})
        self._set_tables(sweep.layers, list(sweep.layer_epsilons))
        return self

    def _set_tables(self, layer_labels: list[np.ndarray], eps_list: list[float]) -> None:
        nodes, members, labels = nest_layers(layer_labels, eps_list)
        if self.condense:
            nodes, members, labels = condense_chains(nodes, labels)
        else:
            nodes = nodes.with_columns(pl.col("layer").alias("top_layer"))
        self.nodes_, self.members_, self.labels_ = nodes, members, labels
        self.leaf_ = leaf_nodes(self.labels_)
        self.layers_ = pl.DataFrame({
            "layer": np.arange(len(layer_labels), dtype=np.int64),
            "epsilon": np.asarray(eps_list, dtype=np.float64),
            "n_clusters": np.array([int(l.max()) + 1 if l.max() >= 0 else 0 for l in layer_labels], np.int64),
            "coverage": np.array([float((l >= 0).mean()) for l in layer_labels]),
        })

    def _one_node(self, n: int) -> NestedDensityTree:
        """Too few points for any core point: one root holding every item."""
        self.core_distances_ = np.full(n, np.inf)
        self.mst_ = pl.DataFrame({"a": [], "b": [], "weight": []},
                                 schema={"a": pl.Int64, "b": pl.Int64, "weight": pl.Float64})
        self.epsilons_ = np.array([np.nan])
        self.profile_ = pl.DataFrame({"epsilon": [np.nan], "n_clusters": [1], "coverage": [1.0]})
        self._set_tables([np.zeros(n, np.int64)], [float("nan")])
        return self

    @property
    def n_layers_(self) -> int:
        """Number of layers (1 for a one-node tree)."""
        return int(self.labels_.shape[0])


def fit_density_tree(X: np.ndarray, **params: object) -> NestedDensityTree:
    """Function twin of ``NestedDensityTree(**params).fit(X)`` for one-off calls."""
    return NestedDensityTree(**params).fit(X)  # type: ignore[arg-type]
