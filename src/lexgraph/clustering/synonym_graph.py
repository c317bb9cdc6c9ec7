"""The synonym graph every clustering method reads: gated synonym edges plus cannot-link pairs.

Nodes are ``0 .. n-1`` (the row of a term in the build's ``terms`` table, sorted by term).
Edges are held as numpy arrays (``src < dst``, one row per undirected pair), so a graph of
millions of edges costs a few bytes per edge; the igraph and scipy views are derived on
demand and cached.  Why arrays first: the soft-to-hard clustering works on sparse matrices,
the baselines on igraph, and both must see exactly the same graph.

* synonym edge -- a relations row with ``p_synonym >= gate``, weighted by ``p_synonym``
  (the discriminator's confidence);
* cannot-link  -- a relations row labelled ``antonym``; such a pair is never a synonym
  edge and no cluster may hold both ends;
* candidate    -- every candidate pair with its cosine (optional), for the cosine-threshold
  baseline, which clusters the embedding graph rather than the discriminator's;
* main link    -- a directed pair ``t -> u`` (optional): the edge t ~ u goes through t's most
  used sense (the clusters stage says which: MAIN_LINKS_SQL), so of t's clusters the one holding such
  partners is its everyday meaning (*change* ~ *alter*, not *change* ~ *switch*).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import polars as pl
import scipy.sparse as sp

from lexgraph.store.pairs import orient_arrays

if TYPE_CHECKING:
    import igraph as ig

#: Relations label that becomes a cannot-link constraint.
ANTONYM = "antonym"

#: Edge scores :func:`graph_from_frames` can gate and weight on: the discriminator's P(synonym), or
#: P(synonym) times the pair's candidate cosine (on real builds the product ranks WordNet synonyms above
#: either factor alone; see docs/BENCHMARKS.md, Clustering).
EDGE_SCORES = ("p_synonym", "p_synonym*cosine")


@dataclass(frozen=True, eq=False)
class SynonymGraph:
    """An undirected weighted graph on ``n`` nodes with cannot-link pairs.

    All pair arrays are oriented ``src < dst``, without duplicates or self loops
    (:func:`canonical_pairs` makes them so).  ``names`` (one string per node) makes every
    tie-break depend on the names rather than on node numbering, which is what makes
    clustering results independent of input order.
    """

    n: int
    src: np.ndarray            # int32, synonym edges
    dst: np.ndarray            # int32
    weight: np.ndarray         # float32, P(synonym)
    cannot_src: np.ndarray     # int32, antonym pairs
    cannot_dst: np.ndarray     # int32
    names: np.ndarray | None = None        # object array of str, one per node
    cand_src: np.ndarray | None = None     # int32, every candidate pair
    cand_dst: np.ndarray | None = None
    cand_cosine: np.ndarray | None = None  # float32
    main_from: np.ndarray | None = None    # int32, directed main links: from's main sense ...
    main_to: np.ndarray | None = None      # int32, ... links it to this node

    @property
    def n_edges(self) -> int:
        """Number of synonym edges."""
        return int(self.src.size)

    def adjacency(self, weighted: bool = True) -> sp.csr_matrix:
        """Symmetric CSR adjacency of the synonym edges (weights, or int32 ones)."""
        return self._weighted if weighted else self._binary

    @cached_property
    def _weighted(self) -> sp.csr_matrix:
        return symmetric_csr(self.n, self.src, self.dst, self.weight.astype(np.float32))

    @cached_property
    def _binary(self) -> sp.csr_matrix:
        w = self._weighted                  # same structure as the weighted matrix, entry for entry
        return sp.csr_matrix((np.ones(w.indices.size, dtype=np.int32), w.indices, w.indptr), shape=w.shape)

    @cached_property
    def cannot_link(self) -> sp.csr_matrix:
        """Symmetric int32 CSR of the cannot-link pairs."""
        return symmetric_csr(self.n, self.cannot_src, self.cannot_dst, np.ones(self.cannot_src.size, dtype=np.int32))

    @cached_property
    def main_links(self) -> sp.csr_matrix:
        """Directed int32 CSR: 1 at (t, u) when the synonym edge t ~ u goes through t's main sense.

        Only synonym edges count (a main link that the gate or an antonym removed is dropped).
        """
        if self.main_from is None or self.main_to is None or self.main_from.size == 0:
            return sp.csr_matrix((self.n, self.n), dtype=np.int32)
        m = sp.coo_matrix((np.ones(self.main_from.size, dtype=np.int32), (self.main_from, self.main_to)),
                          shape=(self.n, self.n)).tocsr()
        m.data[:] = 1                                      # duplicates count once
        m = m.multiply(self._binary).tocsr()
        m.eliminate_zeros()
        return m.astype(np.int32)

    def order_key(self, random_state: int | None = None) -> np.ndarray:
        """A unique int64 rank per node used for every tie-break (higher wins).

        The rank follows the node names (or ids when there are none), shuffled by
        ``random_state`` when given, so it depends only on the names and the seed,
        never on how the input happened to be numbered.
        """
        if self.names is not None:
            name_rank = np.empty(self.n, dtype=np.int64)
            name_rank[np.argsort(self.names, kind="stable")] = np.arange(self.n)
        else:
            name_rank = np.arange(self.n, dtype=np.int64)
        if random_state is None:
            return self.n - 1 - name_rank      # alphabetically first wins
        perm = np.random.default_rng(random_state).permutation(self.n)
        return perm[name_rank].astype(np.int64)

    def to_igraph(self, use_candidates: bool = False) -> ig.Graph:
        """The synonym graph (or the candidate graph) as an undirected weighted igraph."""
        import igraph as ig

        if use_candidates:
            if self.cand_src is None:
                raise ValueError("this graph has no candidate pairs; build it with candidates=...")
            edges, w = np.column_stack([self.cand_src, self.cand_dst]), self.cand_cosine
        else:
            edges, w = np.column_stack([self.src, self.dst]), self.weight
        g = ig.Graph(n=self.n, edges=edges.astype(np.int64), directed=False)
        g.es["weight"] = w.astype(np.float64)
        return g

    def permuted(self, perm: np.ndarray, edge_order: np.ndarray | None = None) -> SynonymGraph:
        """The same graph with node ``i`` renamed ``perm[i]`` (names follow their nodes).

        ``edge_order`` reorders the edge arrays.  Used by the order-invariance tests.
        """
        perm = np.asarray(perm)
        order = np.arange(self.n_edges) if edge_order is None else np.asarray(edge_order)
        s, d, w = canonical_pairs(perm[self.src[order]], perm[self.dst[order]], self.weight[order])
        cs, cd, _ = canonical_pairs(perm[self.cannot_src], perm[self.cannot_dst])
        names = None
        if self.names is not None:
            names = np.empty(self.n, dtype=object)
            names[perm] = self.names
        mf = None if self.main_from is None else perm[self.main_from].astype(np.int32)
        mt = None if self.main_to is None else perm[self.main_to].astype(np.int32)
        return SynonymGraph(self.n, s, d, w, cs, cd, names, main_from=mf, main_to=mt)


def cluster_cohesion(graph: SynonymGraph, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(size, cohesion)`` per label ``0 .. labels.max()``: members, and internal edge density.

    Cohesion is internal synonym edges over ``size * (size - 1) / 2``; NaN for singletons.
    """
    labels = np.asarray(labels, dtype=np.int64)
    k = int(labels.max(initial=-1)) + 1
    size = np.bincount(labels, minlength=k)
    same = labels[graph.src] == labels[graph.dst]
    internal = np.bincount(labels[graph.src[same]], minlength=k).astype(np.float64)
    pairs = size * (size - 1) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        cohesion = np.where(size >= 2, internal / np.maximum(pairs, 1), np.nan)
    return size, cohesion


def symmetric_csr(n: int, src: np.ndarray, dst: np.ndarray, data: np.ndarray) -> sp.csr_matrix:
    """CSR matrix with ``data`` at (src, dst) and (dst, src); indices sorted, int32 where possible."""
    rows = np.concatenate([src, dst]).astype(np.int32, copy=False)
    cols = np.concatenate([dst, src]).astype(np.int32, copy=False)
    vals = np.concatenate([data, data])
    m = sp.coo_matrix((vals, (rows, cols)), shape=(n, n)).tocsr()
    m.sort_indices()
    return m


def canonical_pairs(a: np.ndarray, b: np.ndarray, w: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Orient pairs ``a < b``, drop self pairs, keep one row per pair (the largest weight).

    Returns int32 ``src``, ``dst`` and float32 weights (ones when ``w`` is None), sorted by pair.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    w = np.ones(a.size, dtype=np.float32) if w is None else np.asarray(w, dtype=np.float32)
    keep = a != b
    a, b, w = a[keep], b[keep], w[keep]
    lo, hi = orient_arrays(a, b)
    code = lo * (int(hi.max(initial=0)) + 1) + hi
    order = np.argsort(-w, kind="stable")          # largest weight first ...
    order = order[np.argsort(code[order], kind="stable")]   # ... within each pair
    code, lo, hi, w = code[order], lo[order], hi[order], w[order]
    first = np.ones(lo.size, dtype=bool)
    first[1:] = code[1:] != code[:-1]
    return lo[first].astype(np.int32), hi[first].astype(np.int32), w[first]


def build_synonym_graph(n: int, a: np.ndarray, b: np.ndarray, p_synonym: np.ndarray, label: np.ndarray,
                        gate: float = 0.70, names: np.ndarray | list[str] | None = None,
                        candidates: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
                        main: tuple[np.ndarray, np.ndarray] | None = None) -> SynonymGraph:
    """The synonym graph from relations arrays over nodes ``0 .. n-1``.

    ``a``, ``b`` are node indices, ``p_synonym`` the discriminator's P(synonym), ``label``
    its label per pair; ``candidates`` is ``(a, b, cosine)`` of every candidate pair;
    ``main`` is ``(t, u)``, the directed main links (see :attr:`SynonymGraph.main_links`).
    A pair labelled antonym is a cannot-link and never an edge, whatever its P(synonym).
    """
    if not 0.0 <= gate <= 1.0:
        raise ValueError(f"gate ({gate}) must lie in [0, 1]")
    a, b = np.asarray(a), np.asarray(b)
    p = np.asarray(p_synonym, dtype=np.float32)
    is_ant = np.asarray(label) == ANTONYM
    if a.size and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= n):
        raise ValueError(f"pair node indices must lie in [0, {n}); got [{min(a.min(), b.min())}, "
                         f"{max(a.max(), b.max())}]")
    cs, cd, _ = canonical_pairs(a[is_ant], b[is_ant])
    syn = (p >= gate) & ~is_ant
    s, d, w = canonical_pairs(a[syn], b[syn], p[syn])
    if cs.size and s.size:                           # an antonym pair is never also an edge
        codes = s.astype(np.int64) * n + d
        ok = ~np.isin(codes, cs.astype(np.int64) * n + cd)
        s, d, w = s[ok], d[ok], w[ok]
    cand = (None, None, None)
    if candidates is not None:
        cand = canonical_pairs(candidates[0], candidates[1], candidates[2])
    name_arr = None if names is None else np.asarray(names, dtype=object)
    if name_arr is not None and name_arr.size != n:
        raise ValueError(f"names has {name_arr.size} entries for {n} nodes")
    mf = mt = None
    if main is not None:
        mf, mt = (np.asarray(x, dtype=np.int64) for x in main)
        if mf.size and (min(mf.min(), mt.min()) < 0 or max(mf.max(), mt.max()) >= n):
            raise ValueError(f"main link node indices must lie in [0, {n})")
        mf, mt = mf.astype(np.int32), mt.astype(np.int32)
    return SynonymGraph(n, s, d, w, cs, cd, name_arr, *cand, main_from=mf, main_to=mt)


def graph_from_frames(terms: pl.DataFrame, relations: pl.DataFrame, candidates: pl.DataFrame | None = None,
                      gate: float = 0.70, score: str = "p_synonym", main: pl.DataFrame | None = None) -> SynonymGraph:
    """The synonym graph of a build: ``terms(term_id, term)``, ``relations``, optional ``candidates``.

    ``main`` (``from_id, to_id``, optional) are the directed main links (:attr:`SynonymGraph.main_links`).

    Term ids are mapped to node indices in ``term_id`` order (which is term order).  ``score``
    (one of ``EDGE_SCORES``) is what ``gate`` applies to and what weights the edges;
    ``p_synonym*cosine`` needs ``candidates`` (a relations pair with no candidate row scores 0).
    """
    if score not in EDGE_SCORES:
        raise ValueError(f"score must be one of {', '.join(EDGE_SCORES)}; got {score!r}")
    if score == "p_synonym*cosine":
        if candidates is None:
            raise ValueError("score 'p_synonym*cosine' needs the candidates table (its cosine column)")
        relations = (relations.join(candidates.select("a_id", "b_id", "cosine"), on=["a_id", "b_id"], how="left")
                     .with_columns(p_synonym=pl.col("p_synonym") * pl.col("cosine").fill_null(0.0).clip(0.0, 1.0))
                     .drop("cosine"))
    terms = terms.sort("term_id")
    ids = terms["term_id"].to_numpy()
    names = terms["term"].to_numpy().astype(object)

    def index(col: pl.Series) -> np.ndarray:
        x = col.to_numpy()
        pos = np.searchsorted(ids, x)
        if x.size and (pos.max(initial=0) >= ids.size or not np.array_equal(ids[np.minimum(pos, ids.size - 1)], x)):
            raise ValueError("relations/candidates name term ids missing from the terms table")
        return pos

    cand = None
    if candidates is not None and candidates.height:
        cand = (index(candidates["a_id"]), index(candidates["b_id"]), candidates["cosine"].to_numpy())
    links = None
    if main is not None:
        links = (index(main["from_id"]), index(main["to_id"]))
    return build_synonym_graph(ids.size, index(relations["a_id"]), index(relations["b_id"]),
                               relations["p_synonym"].to_numpy(), relations["label"].to_numpy(), gate=gate,
                               names=names, candidates=cand, main=links)
