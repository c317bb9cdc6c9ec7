"""Baseline clusterings, with the soft-hard method's interface: ``Estimator(...).fit(graph).labels_``.

All read the same :class:`SynonymGraph`, so a comparison changes the method and nothing else:

* :class:`CosineComponents` -- connected components of the candidate graph above a cosine
  threshold (what chaining nearest neighbours gives; it ignores the discriminator);
* :class:`LeidenClustering` -- Leiden (leidenalg, or igraph's C implementation) on the synonym
  edges, CPM or modularity;
* :class:`ChineseWhispers` -- Biemann's Chinese Whispers, i.e. weighted label propagation with
  random update order (igraph's C routine);
* :class:`WatsetClustering` -- Watset's local-global scheme (Ustalov et al. 2019): the ego network
  of each term is split into senses, senses are linked across terms, the sense graph is
  clustered globally, and each term keeps the cluster of its largest sense.

Each is a keyword-only dataclass (its fields are its scikit-learn parameters, stored as
given) and checks them against its ``_parameter_constraints`` table
(:func:`lexgraph.store.params.check_params`).  Every ``labels_`` is renumbered canonically (clusters ordered by their top member in
:meth:`SynonymGraph.order_key`), so labels never depend on how the input was numbered.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.base import BaseEstimator, ClusterMixin

from lexgraph.clustering.softhard import SoftHardClustering
from lexgraph.clustering.synonym_graph import SynonymGraph
from lexgraph.store.params import BOOLEAN, Interval, Options, Rule, check_params

#: ``random_state`` of every randomised method: a seed, or None for a fresh one.
SEED = Interval(Integral, 0, None, none_ok=True)

#: A baseline estimator's class: a keyword-only dataclass whose fields are its parameters (scikit-learn's
#: get_params reads them from the generated ``__init__``; repr and equality stay scikit-learn's).
estimator = dataclass(eq=False, repr=False, kw_only=True)

#: Names accepted by :func:`make_estimator` (``cluster_method`` in the build config).
METHODS = ("softhard", "components", "leiden", "chinese-whispers", "watset")


def canonical_labels(labels: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Renumber ``labels`` 0..k-1, clusters ordered by their highest-key member."""
    _, inv = np.unique(labels, return_inverse=True)
    top = np.full(inv.max(initial=-1) + 1, -1, dtype=np.int64)
    np.maximum.at(top, inv, key)
    new = np.empty(top.size, dtype=np.int64)
    new[np.argsort(-top, kind="stable")] = np.arange(top.size)
    return new[inv]


@contextmanager
def igraph_seed(seed: int | None) -> Iterator[None]:
    """Run igraph's randomised routines with their own seeded generator, then restore the default."""
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


@estimator
class CosineComponents(ClusterMixin, BaseEstimator):
    """Connected components of the candidate pairs with cosine >= ``threshold``.

    Uses the graph's candidate pairs (all of them, whatever the discriminator said); a graph
    without candidates falls back to its synonym edges and their weights.
    """

    _parameter_constraints: ClassVar[dict[str, Rule]] = {"threshold": Interval(Real, -1.0, 1.0)}

    threshold: float = 0.8

    def fit(self, graph: SynonymGraph, y: None = None) -> CosineComponents:
        check_params(self, self.get_params(), self._parameter_constraints)
        if graph.cand_src is not None:
            s, d, w = graph.cand_src, graph.cand_dst, graph.cand_cosine
        else:
            s, d, w = graph.src, graph.dst, graph.weight
        keep = w >= self.threshold
        m = sp.coo_matrix((np.ones(int(keep.sum()), np.int8), (s[keep], d[keep])), shape=(graph.n, graph.n))
        _, labels = connected_components(m, directed=False)
        self.labels_ = canonical_labels(labels, graph.order_key())
        return self


@estimator
class LeidenClustering(ClusterMixin, BaseEstimator):
    """Leiden on the weighted synonym edges.

    ``objective`` 'cpm' (resolution = the weighted density a cluster must exceed) or
    'modularity'; ``backend`` 'leidenalg' or 'igraph' (igraph's built-in C version, faster).
    """

    _parameter_constraints: ClassVar[dict[str, Rule]] = {
        "objective": Options(("cpm", "modularity")), "resolution": Interval(Real, 0.0),
        "n_iterations": Interval(Integral), "backend": Options(("leidenalg", "igraph")), "random_state": SEED}

    objective: str = "cpm"
    resolution: float = 0.5
    n_iterations: int = 2
    backend: str = "leidenalg"
    random_state: int | None = 0

    def fit(self, graph: SynonymGraph, y: None = None) -> LeidenClustering:
        check_params(self, self.get_params(), self._parameter_constraints)
        g = graph.to_igraph()
        if self.backend == "igraph":
            with igraph_seed(self.random_state):
                kw = {"resolution": self.resolution} if self.objective == "cpm" else {}
                part = g.community_leiden(objective_function=self.objective.upper() if self.objective == "cpm"
                                          else "modularity", weights="weight", n_iterations=self.n_iterations,
                                          **kw)
            labels = np.asarray(part.membership)
        else:
            import leidenalg as la

            if self.objective == "cpm":
                part = la.find_partition(g, la.CPMVertexPartition, weights="weight", n_iterations=self.n_iterations,
                                         resolution_parameter=self.resolution, seed=self.random_state)
            else:
                part = la.find_partition(g, la.ModularityVertexPartition, weights="weight",
                                         n_iterations=self.n_iterations, seed=self.random_state)
            labels = np.asarray(part.membership)
        self.labels_ = canonical_labels(labels, graph.order_key())
        return self


@estimator
class ChineseWhispers(ClusterMixin, BaseEstimator):
    """Chinese Whispers (Biemann 2006): weighted label propagation in random order.

    ``weighted=False`` gives plain label propagation (Raghavan et al. 2007).
    """

    _parameter_constraints: ClassVar[dict[str, Rule]] = {"weighted": BOOLEAN, "random_state": SEED}

    weighted: bool = True
    random_state: int | None = 0

    def fit(self, graph: SynonymGraph, y: None = None) -> ChineseWhispers:
        check_params(self, self.get_params(), self._parameter_constraints)
        g = graph.to_igraph()
        with igraph_seed(self.random_state):
            part = g.community_label_propagation(weights="weight" if self.weighted else None)
        self.labels_ = canonical_labels(np.asarray(part.membership), graph.order_key())
        return self


@estimator
class WatsetClustering(ClusterMixin, BaseEstimator):
    """Watset-style local-global clustering (local: connected components of each ego network).

    Local step: the ego network of term v (its neighbours, without v) splits into connected
    components, v's senses; u lies in exactly one sense of each neighbour v.  All ego
    networks at once: an edge (u, w) lies in v's ego network exactly when (u, v, w) is a
    triangle, so the local components are the components of a graph on directed edges
    (v -> u) linked by triangles -- one igraph triangle listing and one components call.
    Global step: sense v#i and sense u#j are linked (weight w(u, v)) when u is in v#i and v
    in u#j; Chinese Whispers clusters the sense graph.  Each term takes the cluster of its
    largest sense.  ``sense_terms_`` is the term of each sense.
    """

    _parameter_constraints: ClassVar[dict[str, Rule]] = {"random_state": SEED}

    random_state: int | None = 0

    def fit(self, graph: SynonymGraph, y: None = None) -> WatsetClustering:
        check_params(self, self.get_params(), self._parameter_constraints)
        import igraph as ig

        n, e = graph.n, graph.n_edges
        # directed edge ids: j in [0, e) is src->dst, j + e is dst->src; "owner" is the ego
        owner = np.concatenate([graph.src, graph.dst]).astype(np.int64)
        other = np.concatenate([graph.dst, graph.src]).astype(np.int64)
        code = owner * n + other
        order = np.argsort(code)
        code_sorted = code[order]

        def did(v: np.ndarray, u: np.ndarray) -> np.ndarray:
            return order[np.searchsorted(code_sorted, v * n + u)]

        g = graph.to_igraph()
        tri = np.asarray(g.list_triangles(), dtype=np.int64).reshape(-1, 3)
        links = []
        for v, u, w in ((0, 1, 2), (1, 0, 2), (2, 0, 1)):         # in v's ego net, u and w are linked
            links.append(np.column_stack([did(tri[:, v], tri[:, u]), did(tri[:, v], tri[:, w])]))
        link = np.concatenate(links) if links else np.zeros((0, 2), np.int64)
        m = sp.coo_matrix((np.ones(len(link), np.int8), (link[:, 0], link[:, 1])), shape=(2 * e, 2 * e))
        _, local = connected_components(m, directed=False)       # sense id of each (ego, neighbour)
        _, sense = np.unique(local, return_inverse=True)         # senses numbered 0..S-1
        s_count = int(sense.max(initial=-1)) + 1
        # global sense graph: (v's sense holding u) -- (u's sense holding v), one link per edge
        sg = ig.Graph(n=s_count, edges=np.column_stack([sense[:e], sense[e:]]), directed=False)
        sg.es["weight"] = graph.weight.astype(np.float64)
        with igraph_seed(self.random_state):
            glob = np.asarray(sg.community_label_propagation(weights="weight").membership) if s_count else \
                np.zeros(0, np.int64)
        # each term: its largest sense (most neighbours), ties by the sense's cluster label
        sense_size = np.bincount(sense, minlength=s_count)
        sense_owner = np.zeros(s_count, dtype=np.int64)
        sense_owner[sense] = owner
        best = np.lexsort((-glob, sense_size, sense_owner)) if s_count else np.zeros(0, np.int64)
        last = np.r_[sense_owner[best][1:] != sense_owner[best][:-1], True] if s_count else np.zeros(0, bool)
        labels = np.arange(n, dtype=np.int64) + (glob.max(initial=-1) + 1)   # isolated terms: singletons
        labels[sense_owner[best][last]] = glob[best][last]
        self.sense_terms_ = sense_owner                          # term of each (ego-network) sense
        self.labels_ = canonical_labels(labels, graph.order_key())
        return self


def make_estimator(method: str, *, join_share: float = 0.51, random_state: int | None = 0,
                   cosine_threshold: float = 0.8) -> ClusterMixin:
    """A fresh estimator for a method name (``METHODS``, plus the benchmark's 'leiden-cpm' and
    'label-propagation', igraph's C routines)."""
    if method == "softhard":
        return SoftHardClustering(join_share=join_share, random_state=random_state)
    if method == "components":
        return CosineComponents(threshold=cosine_threshold)
    if method == "leiden":
        return LeidenClustering(random_state=random_state)
    if method == "leiden-cpm":
        return LeidenClustering(backend="igraph", random_state=random_state)
    if method == "chinese-whispers":
        return ChineseWhispers(random_state=random_state)
    if method == "label-propagation":
        return ChineseWhispers(weighted=False, random_state=random_state)
    if method == "watset":
        return WatsetClustering(random_state=random_state)
    raise ValueError(f"unknown clustering method {method!r}; choose one of {', '.join(METHODS)}")
