"""Nested density trees: the reference DBSCAN epsilon sweep, read off one spanning tree.

The reference method runs DBSCAN with a fixed ``min_points`` for a rising schedule of
epsilons and keeps a layer whenever the cluster count drops; each cluster's parent is the
cluster of the layer above that contains it.  Rerunning DBSCAN per epsilon costs
``O(n^2)`` per step.  :class:`NestedDensityTree` computes the same layers from a single
mutual-reachability minimum spanning tree (:mod:`lexgraph.trees.mst`):

* the cluster count at ``eps`` is ``#core(eps) - #MST edges <= eps`` -- two binary
  searches per epsilon, so the whole schedule's profile is free;
* a kept layer's core-point clusters are the components of the MST edges ``<= eps``;
* border points (non-core, within ``eps`` of a core point) join the cluster of their
  nearest core point, and stay with that cluster's ancestors in the layers above, which
  is a valid DBSCAN assignment and makes every layer nest exactly in the next.

DBSCAN leaves the cluster of a border point reachable from two clusters to the order of
its scan, so "the same layers" means: same epsilons, same cluster counts, same core
points, same partition of the core points, same noise (see
:mod:`lexgraph.trees.sweep` and ``tests/test_tree.py``).
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.decomposition import PCA

from lexgraph.trees.ascent import (
    AscentLinks,
    ascent_counts,
    ascent_labels,
    density_ascent_links,
)
from lexgraph.trees.layering import (
    NOISE,
    TREE_METHODS,
    condense_chains,
    leaf_nodes,
    nest_layers,
    number_components,
    select_layers,
)
from lexgraph.trees.mst import (
    ENGINES,
    METRICS,
    MRDSpanningTree,
    mutual_reachability_mst,
)
from lexgraph.trees.smoothing import knn_smooth

#: What happens to items that are noise in the densest layer: ``'keep'`` (the reference:
#: they join the tree where DBSCAN first covers them) or ``'nearest'`` (they join the
#: densest-layer cluster of their nearest core point, so every layer covers every item).
NOISE_MODES: tuple[str, ...] = ("keep", "nearest")

#: The most epsilon steps a schedule may have (a guard against a tiny ``epsilon_step``).
MAX_STEPS = 100_000

#: One table of parameter constraints: name -> (check, what it must be).
_CONSTRAINTS: dict[str, tuple[object, str]] = {
    "min_points": (lambda v: isinstance(v, (int, np.integer)) and v >= 1, "an integer >= 1"),
    "n_steps": (lambda v: isinstance(v, (int, np.integer)) and v >= 1, "an integer >= 1"),
    "epsilon_step": (lambda v: v is None or (float(v) > 0 and np.isfinite(float(v))), "None or a number > 0"),
    "epsilons": (lambda v: v is None or len(v) >= 1, "None or a non-empty sequence of numbers"),
    "n_components": (lambda v: v is None or (isinstance(v, (int, np.integer)) and v >= 1), "None or an integer >= 1"),
    "metric": (lambda v: v in METRICS, f"one of {', '.join(METRICS)}"),
    "engine": (lambda v: v in ENGINES, f"one of {', '.join(ENGINES)}"),
    "noise": (lambda v: v in NOISE_MODES, f"one of {', '.join(NOISE_MODES)}"),
    "method": (lambda v: v in TREE_METHODS, f"one of {', '.join(TREE_METHODS)}"),
    "condense": (lambda v: isinstance(v, (bool, np.bool_)), "True or False"),
    "smooth_neighbors": (lambda v: isinstance(v, (int, np.integer)) and v >= 0, "an integer >= 0 (0: off)"),
    "smooth_steps": (lambda v: isinstance(v, (int, np.integer)) and v >= 1, "an integer >= 1"),
}


def validate_params(params: dict[str, object]) -> None:
    """Raise one ValueError naming the first parameter that breaks ``_CONSTRAINTS``."""
    for name, (check, must) in _CONSTRAINTS.items():
        if name in params and not check(params[name]):  # type: ignore[operator]
            raise ValueError(f"{name} must be {must}, got {params[name]!r}")


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


def coverage_at(mst: MRDSpanningTree, eps: float) -> np.ndarray:
    """Mask of points in some cluster at ``eps``: core, or within eps of a core point."""
    core_ok = mst.core_distances <= eps
    if mst.knn_indices.shape[1] == 0:
        return core_ok
    border = ((mst.knn_distances <= eps) & core_ok[mst.knn_indices]).any(axis=1)
    return core_ok | border


class NestedDensityTree:
    """A hierarchy of DBSCAN layers over the rows of ``X`` (scikit-learn estimator style).

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
        ``'dbscan'`` (the reference layering) or ``'ascent'`` (see ``TREE_METHODS``): density-ascent clusters, where
        every point is linked to its nearest denser point (density = DBSCAN's core distance)
        and a cluster at ``eps`` is a group of at least ``min_points`` points joined by links
        no longer than ``eps`` (smaller groups are noise).  Same schedule and layer rule; a
        peak joins the nearest denser region instead of chaining through its sparsest bridge,
        which on 20 Newsgroups raises dendrogram purity (docs/BENCHMARKS.md).  ``engine`` is
        not used.
    engine:
        MST engine, see :func:`~lexgraph.trees.mst.mutual_reachability_mst`.
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
    core_distances_ : numpy.ndarray
    n_components_ : int or None
        Dimensions actually used by PCA (at most ``min(n, d)``).
    pca_ : sklearn PCA or None
    """

    def __init__(self, min_points: int = 5, n_steps: int = 100, epsilon_step: float | None = None,
                 epsilons: list[float] | None = None, n_components: int | None = None,
                 metric: str = "cosine", noise: str = "keep", method: str = "dbscan", engine: str = "auto",
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
        self.engine = engine
        self.condense = condense
        self.smooth_neighbors = smooth_neighbors
        self.smooth_steps = smooth_steps
        self.random_state = random_state

    def get_params(self) -> dict[str, object]:
        """Constructor parameters, as scikit-learn's ``get_params`` gives them."""
        return {k: getattr(self, k) for k in ("min_points", "n_steps", "epsilon_step", "epsilons",
                                               "n_components", "metric", "noise", "method", "engine",
                                               "condense", "smooth_neighbors", "smooth_steps",
                                               "random_state")}

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
        validate_params(self.get_params())
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
        if self.method == "ascent":
            return self._fit_ascent(Z)
        mst = mutual_reachability_mst(Z, self.min_points, self.metric, self.engine)
        self.core_distances_ = mst.core_distances
        self.mst_ = pl.DataFrame({"a": mst.edges[:, 0], "b": mst.edges[:, 1], "weight": mst.weights})
        sched = epsilon_schedule(mst.core_distances, mst.weights, self.n_steps, self.epsilon_step, self.epsilons)
        core_sorted = np.sort(mst.core_distances)
        n_core = np.searchsorted(core_sorted, sched, side="right")
        n_edges = np.searchsorted(mst.weights, sched, side="right")
        counts = n_core - n_edges
        coverage = np.array([coverage_at(mst, e).mean() for e in sched])
        self.epsilons_ = sched
        self.profile_ = pl.DataFrame({"epsilon": sched, "n_clusters": counts.astype(np.int64), "coverage": coverage})
        kept = select_layers(counts, coverage >= 1.0)
        layer_labels = self._layer_labels(mst, sched[kept], n_edges[kept], Z)
        self._set_tables(layer_labels, list(sched[kept]))
        return self

    def _fit_ascent(self, Z: np.ndarray) -> NestedDensityTree:
        """The layers of ``method='ascent'``: same schedule and rule, density-ascent clusters."""
        links = density_ascent_links(Z, self.min_points, self.metric)
        self.core_distances_ = links.core_distances
        self.mst_ = pl.DataFrame({"a": links.edges[:, 0], "b": links.edges[:, 1], "weight": links.weights})
        # The schedule runs from the shortest link (the first merge) to the longest (one root).
        first = links.weights[:1] if links.weights.size else np.zeros(1)
        sched = epsilon_schedule(first, links.weights, self.n_steps, self.epsilon_step, self.epsilons)
        counts, coverage = ascent_counts(links, sched, self.min_points)
        self.epsilons_ = sched
        self.profile_ = pl.DataFrame({"epsilon": sched, "n_clusters": counts.astype(np.int64), "coverage": coverage})
        kept = select_layers(counts, coverage >= 1.0)
        n_links = np.searchsorted(links.weights, sched[kept], side="right")
        layer_labels: list[np.ndarray] = []
        for m in n_links:
            lab = ascent_labels(links, int(m), self.min_points)
            if self.noise == "nearest":
                if layer_labels:
                    lab = _follow_majority_parent(layer_labels[-1], lab, lab >= 0)
                else:
                    lab = _climb(links, lab)
                    self._attach_noise(lab, lab >= 0, Z)
            layer_labels.append(lab)
        self._set_tables(layer_labels, list(sched[kept]))
        return self

    def _layer_labels(self, mst: MRDSpanningTree, eps_list: np.ndarray, n_edges: np.ndarray,
                      Z: np.ndarray) -> list[np.ndarray]:
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
            if prev is None and self.noise == "nearest":
                self._attach_noise(lab, core, Z)
            elif prev is not None and self.noise == "nearest":
                lab = _follow_majority_parent(prev, lab, core)
            out.append(lab)
            prev = lab
        return out

    def _attach_noise(self, lab: np.ndarray, core: np.ndarray, Z: np.ndarray) -> None:
        """Give each noise item the cluster of its nearest core point (in place)."""
        todo = np.nonzero(lab == NOISE)[0]
        if todo.size == 0 or not core.any():
            return
        from sklearn.neighbors import NearestNeighbors

        index = np.nonzero(core)[0]
        nn = NearestNeighbors(n_neighbors=1, metric=self.metric).fit(Z[index])
        _, nearest = nn.kneighbors(Z[todo])
        lab[todo] = lab[index[nearest[:, 0]]]

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


def _follow_majority_parent(prev: np.ndarray, lab: np.ndarray, core: np.ndarray) -> np.ndarray:
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


def _climb(links: AscentLinks, lab: np.ndarray) -> np.ndarray:
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


def fit_density_tree(X: np.ndarray, **params: object) -> NestedDensityTree:
    """Function twin of ``NestedDensityTree(**params).fit(X)`` for one-off calls."""
    return NestedDensityTree(**params).fit(X)  # type: ignore[arg-type]
