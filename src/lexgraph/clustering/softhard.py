"""Soft-to-hard topological clustering of a synonym graph.

Why: chaining synonym edges (connected components, label propagation) lets one
polysemous or mislabelled edge merge two meanings (hot -> spicy -> pain -> depression).
Here a term may join a cluster only when it is a synonym of *more than* ``join_share`` of
the cluster's members, so every member is adjacent to a majority of the others (any two
members share a neighbour inside the cluster): a single weak edge cannot pull a chain in.

Stage 1, expansion (soft).  In passes, the nodes not yet in any candidate cluster pick
seeds: a node whose strength (summed confidence) beats all its uncovered neighbours'
starts a core with its best uncovered neighbour.  Every candidate grows in rounds: a term
joins C when ``synonyms(t, C) > join_share * |C \\ {t}|`` and C holds none of its
antonyms; a member that no longer passes leaves (the core stays).  Passes go on until no
two uncovered terms are neighbours.  A term may sit in several candidates (polysemy):
these are the ``senses``.

Stage 2, pruning by topological voting (hard).  Each term stays in the one candidate that
holds most of its *main-sense* synonyms (partners linked through the term's most used sense,
where the graph has :attr:`~SynonymGraph.main_links`: *change* keeps *alter* rather than
{shift, switch}, two partners through its rarer senses), then most of its synonyms; ties go to
the more cohesive cluster (internal edge density), then to the larger summed confidence,
then to the stronger seed.  Cohesion before
confidence: a real synset is a clique, while a sum of P(synonym) rewards confident model
edges through rare senses (*big* ~ *great*, *big* ~ *heavy* outweighed *big* ~ *large* and
its tight group {broad, extensive, large, wide}).  Candidates hold no
cannot-link pair (joins are blocked and same-round conflicts resolved), so neither do the
hard clusters, which are subsets of them.  Every vote is kept in ``votes_``.

Then each term the vote left alone offers a pair to a partner whose link to it goes through the
partner's main sense, and the partner casts one more vote (``pair_lone``): *ill* cannot join
{mad, sick, upset} (one synonym of two others), but its link is *sick*'s everyday sense, which
that triangle does not hold, so sick takes {ill, sick}.  A pair holds no antonyms either.

Everything is sparse-matrix algebra over all candidates at once (``A @ M`` with ``M`` the
node-by-candidate membership matrix), so a round costs one sparse product; the Python
loops run over passes and rounds (a few dozen iterations), never over nodes or edges.
Ties never look at node numbers, only at :meth:`SynonymGraph.order_key` (names and seed),
so renumbering the input renumbers the output and nothing else.
"""

from __future__ import annotations

import logging
import warnings
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
import polars as pl
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClusterMixin

from lexgraph.clustering.protocols import SENSES_SCHEMA, VOTES_SCHEMA
from lexgraph.clustering.synonym_graph import SynonymGraph
from lexgraph.store.params import Interval, Options, Rule, check_params

log = logging.getLogger(__name__)

#: Bit flags carried above the synonym count (< 2**20) in the integer product matrices.
_MEMBER = 1 << 20       # the term is already a member
_CORE = 1 << 21         # the term is one of the two seed members (never leaves)
_BLOCKED = 1 << 22      # the candidate holds an antonym of the term


class SoftHardClustering(ClusterMixin, BaseEstimator):
    """Soft-to-hard topological clustering (see the module docstring).

    Parameters
    ----------
    join_share:
        A term joins a candidate cluster only if more than this share of the cluster's
        other members are its synonyms.  0.51 = a strict majority.
    max_rounds:
        Expansion rounds per pass (growth usually settles in 3-5).
    max_passes:
        Most seeding passes.  Passes stop earlier, as soon as no two uncovered nodes are
        neighbours, so every synonym edge gets its chance to start a cluster and only terms
        whose neighbours all sit in clusters they cannot join stay alone (real graphs
        measured needed at most 17 passes).  The cap bounds the cost on pathological chains
        (a path whose strength rises monotonically needs one pass per two nodes); if it
        stops seeding early, a warning says how many linked terms were left as singletons.
        None: no cap.
    tol:
        A pass stops growing when fewer than this share of its memberships changed in a
        round (growth can flicker at the margin forever; the hard stage absorbs that).
    seed_orphans:
        After the passes, each term still outside every candidate (all its synonyms sit in
        candidates it could not join) seeds one more candidate with its best neighbour.  That
        neighbour then votes between its senses in the hard stage: *vefat*, whose only synonym
        *ölüm* already sits in {ölüm, son}, offers ölüm the candidate {ölüm, vefat}, and ölüm
        takes the one it is more strongly tied to.  Without it a polysemous hub's first
        candidate is final for every term that needs it.  The hub never moves to a candidate
        holding fewer of its synonyms (unless it holds more of its main-sense ones: *alter* offers
        *change* {alter, change}), so a weak orphan cannot pull it out of a good cluster, and a
        candidate that grows until its orphan would fail the join rule falls back to its core, the
        orphan and that neighbour.
    pair_lone:
        After the vote, each term it left alone (a singleton with synonym edges) offers a pair to
        a partner whose link to it goes through the *partner's* main sense, and the partner takes
        the pair when that is its better vote (the same key as the hard stage: the pair holds one
        main-sense synonym, and its current cluster none, or one with fewer synonyms ...): *ill*,
        alone because *sick* sits with *upset* and two of two are needed to join them, offers
        *sick* {ill, sick}, the link through sick's everyday sense; {sick, upset} was not.  The
        partner's vote decides, never the lone term's, so a term cannot pull a hub out of a cluster
        that holds its main sense (that was half wrong, measured three times: BENCHMARKS).
    random_state:
        Seed of the tie-break order (None: alphabetical order of the names).

    Attributes
    ----------
    labels_ : ndarray (n,)          hard cluster per node, 0 .. n_clusters_-1
    n_clusters_ : int
    n_candidates_ : int             candidate clusters after expansion
    senses_ : DataFrame             node, cluster, synonyms, score: every candidate a node joined
    votes_ : DataFrame              node, cluster, synonyms, main_synonyms, confidence, cohesion, chosen
                                    (the :class:`~lexgraph.clustering.protocols.SoftClusterer` schemas)
    n_passes_, n_rounds_ : int      passes run, expansion rounds run in total
    n_unseeded_ : int               uncovered terms still linked to each other when the
                                    pass cap stopped seeding (0 unless it did)
    n_orphan_seeds_ : int           candidates seeded by terms left outside every candidate
                                    (``seed_orphans``)
    n_lone_pairs_ : int             pairs a lone term and its partner formed after the vote (``pair_lone``)

    Cluster ids in ``senses_`` / ``votes_`` are in the same id space as ``labels_``;
    candidates that lost every member to other clusters get ids ``>= n_clusters_``.
    """

    _parameter_constraints: ClassVar[dict[str, Rule]] = {
        "join_share": Interval(Real, 0.0, 1.0, closed="left"),
        "max_rounds": Interval(Integral, 1, 1000),
        "max_passes": Interval(Integral, 1, 1000, none_ok=True),
        "tol": Interval(Real, 0.0, 1.0),
        "seed_orphans": Options((True, False)),
        "pair_lone": Options((True, False)),
        "random_state": Interval(Integral, 0, 2**63 - 1, none_ok=True),
    }

    def __init__(self, *, join_share: float = 0.51, max_rounds: int = 10, max_passes: int | None = 100,
                 tol: float = 0.01, seed_orphans: bool = True, pair_lone: bool = True,
                 random_state: int | None = 0) -> None:
        self.join_share = join_share
        self.max_rounds = max_rounds
        self.max_passes = max_passes
        self.tol = tol
        self.seed_orphans = seed_orphans
        self.pair_lone = pair_lone
        self.random_state = random_state

    def fit(self, graph: SynonymGraph, y: None = None) -> SoftHardClustering:
        """Cluster ``graph``; returns ``self``."""
        check_params(self, self.get_params(), self._parameter_constraints)
        n = graph.n
        A = graph.adjacency(weighted=False)
        W = _micro_units(graph.adjacency(weighted=True))
        key = graph.order_key(self.random_state)
        strength = np.asarray(W.sum(axis=1)).ravel()       # exact integer sums: no summation-order noise
        rank = np.empty(n, dtype=np.int64)                   # by (strength, key): unique, input-order free
        rank[np.lexsort((key, strength))] = np.arange(n)
        codes, k = self._expand_all(graph, A, rank)
        self.n_candidates_ = k
        self._prune(graph, A, W, codes, k, rank)
        self.n_lone_pairs_ = self._pair_lone(graph, W, rank) if self.pair_lone else 0
        return self

    # -- stage 1 ---------------------------------------------------------------------------------
    def _expand_all(self, graph: SynonymGraph, A: sp.csr_matrix, rank: np.ndarray) -> tuple[np.ndarray, int]:
        """All candidate memberships as sorted codes ``node * K + cluster``, and K."""
        n = graph.n
        row = np.repeat(np.arange(n, dtype=np.int32), np.diff(A.indptr))
        # the bit pattern of a non-negative float32 orders like the float itself
        w_bits = np.abs(graph.adjacency(weighted=True).data).astype(np.float32).view(np.int32)
        covered = np.zeros(n, dtype=bool)
        blocks: list[tuple[np.ndarray, np.ndarray]] = []
        k_total, self.n_passes_, self.n_rounds_ = 0, 0, 0
        while self.max_passes is None or self.n_passes_ < self.max_passes:
            live = ~covered[row] & ~covered[A.indices]       # CSR entries between uncovered nodes
            if not live.any():
                break
            w_live, r_live, nb = w_bits[live], row[live], A.indices[live]
            starts = np.flatnonzero(np.r_[True, r_live[1:] != r_live[:-1]])
            owners = r_live[starts]
            nb_max = np.maximum.reduceat(rank[nb], starts)
            seeds = owners[rank[owners] > nb_max]
            seeds = seeds[np.argsort(-rank[seeds])]          # candidate ids: strongest seed first
            if seeds.size == 0:     # cannot happen (the top-ranked live node is a seed); never loop forever
                break
            partner = _partners(A, rank, seeds, r_live, nb, w_live)
            cid = np.arange(seeds.size, dtype=np.int64)
            core_node = np.concatenate([seeds, partner])
            core_clus = np.concatenate([cid, cid])
            node, clus = self._expand(graph, A, core_node, core_clus, seeds.size, rank)
            covered[node] = True
            blocks.append((node, clus + k_total))
            k_total += seeds.size
            self.n_passes_ += 1
        uncovered = ~covered[row]
        linked = np.unique(row[uncovered & ~covered[A.indices]])   # uncovered terms with an uncovered neighbour
        capped = self.max_passes is not None and self.n_passes_ >= self.max_passes
        self.n_unseeded_ = int(linked.size) if capped else 0
        self.n_orphan_seeds_ = 0
        if self.seed_orphans:
            # linked, but every neighbour is covered (terms linked to each other are left alone if the cap hit)
            orphans = np.setdiff1d(np.unique(row[uncovered]), linked)
            orphans = orphans[np.argsort(-rank[orphans])]        # candidate ids by rank, never by node number
            self.n_orphan_seeds_ = int(orphans.size)
            if orphans.size:
                node, clus = self._seed_orphans(graph, A, orphans, row, w_bits, rank)
                blocks.append((node, clus + k_total))
                k_total += orphans.size
        if self.n_unseeded_:
            warnings.warn(f"SoftHardClustering stopped seeding after max_passes={self.max_passes} passes: "
                          f"{self.n_unseeded_} terms linked to other unclustered terms stay singletons "
                          "(raise max_passes, or None for no cap)", RuntimeWarning, stacklevel=3)
        node = np.concatenate([b[0] for b in blocks]) if blocks else np.zeros(0, np.int64)
        clus = np.concatenate([b[1] for b in blocks]) if blocks else np.zeros(0, np.int64)
        return np.sort(node.astype(np.int64) * max(k_total, 1) + clus), k_total

    def _seed_orphans(self, graph: SynonymGraph, A: sp.csr_matrix, orphans: np.ndarray, row: np.ndarray,
                      w_bits: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One candidate per orphan, cored on it and its best neighbour; returns (node, cluster) members."""
        at = np.isin(row, orphans)
        partner = _partners(A, rank, orphans, row[at], A.indices[at], w_bits[at])
        cid = np.arange(orphans.size, dtype=np.int64)
        core_node, core_clus = np.concatenate([orphans, partner]), np.concatenate([cid, cid])
        node, clus = self._expand(graph, A, core_node, core_clus, orphans.size, rank)
        # a seed never leaves its candidate, so an orphan could end in one it would not be let into
        # (a 4-clique joins {e, a} through a): such a candidate falls back to its core, the orphan and its
        # partner (tüm, whose partner bütün pulls in tam, he and tamam, keeps {tüm, bütün} to offer bütün).
        M = sp.csr_matrix((np.ones(node.size, np.int64), (node, clus)), shape=(graph.n, orphans.size))
        own = _values_at(A @ M, orphans, cid)
        fair = own > self.join_share * (np.bincount(clus, minlength=orphans.size) - 1)
        keep = fair[clus]
        back = ~fair[core_clus]
        return np.concatenate([node[keep], core_node[back]]), np.concatenate([clus[keep], core_clus[back]])

    def _expand(self, graph: SynonymGraph, A: sp.csr_matrix, core_node: np.ndarray, core_clus: np.ndarray,
                k: int, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Grow ``k`` candidates from their cores until stable; returns (node, cluster) members.

        Works cluster-major (``M.T @ A``, codes ``cluster * n + node``): the cost of a round
        is the summed degree of the current members, not the size of the whole graph.
        Flags ride in the high bits of the integer product: member, core, holds-an-antonym.
        """
        n = graph.n
        core = np.unique(core_clus * n + core_node)
        core_m = _indicator(core, k, n, _CORE)
        codes = core
        C = graph.cannot_link
        for _ in range(self.max_rounds):
            self.n_rounds_ += 1
            MT = _indicator(codes, k, n, 1)
            size = np.bincount(codes // n, minlength=k)
            S = MT @ A + (MT * _MEMBER + core_m)
            if C.nnz:
                X = MT @ C
                X.data[:] = _BLOCKED
                S = S + X
            S = S.tocoo()
            data = S.data
            syn = data & (_MEMBER - 1)
            member = (data & _MEMBER) > 0
            ok = ((syn > self.join_share * (size[S.row] - member)) & (member | ((data & _BLOCKED) == 0))) \
                | ((data & _CORE) > 0)
            new = S.row[ok].astype(np.int64) * n + S.col[ok]
            order = np.argsort(new)
            new, syn_new = new[order], syn[ok][order]
            new = _drop_conflicts(new, syn_new, k, n, graph.cannot_src, graph.cannot_dst, core, rank)
            changed = new.size + codes.size - 2 * np.intersect1d(new, codes, assume_unique=True).size
            log.debug("round: %d clusters, %d members, %d changed", k, new.size, changed)
            codes = new
            if changed <= self.tol * codes.size:
                break
        clus, node = np.divmod(codes, n)
        return node, clus

    # -- stage 2 ---------------------------------------------------------------------------------
    def _prune(self, graph: SynonymGraph, A: sp.csr_matrix, W: sp.csr_matrix, codes: np.ndarray, k: int,
               rank: np.ndarray) -> None:
        """Hard assignment by topological voting; sets labels_, votes_, senses_."""
        n = graph.n
        node, clus = np.divmod(codes, max(k, 1))
        M = sp.csr_matrix((np.ones(codes.size, np.int64), (node, clus)), shape=(n, max(k, 1)))
        syn, conf, main = np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64)
        if codes.size:
            syn = _values_at(A @ M, node, clus).astype(np.int64)
            conf = _values_at(W @ M, node, clus) / _MICRO
            main = _values_at(graph.main_links @ M, node, clus).astype(np.int64)
        size = np.bincount(clus, minlength=k)
        internal = np.bincount(clus, weights=syn, minlength=k) / 2.0
        with np.errstate(invalid="ignore", divide="ignore"):
            cohesion = np.where(size >= 2, internal / np.maximum(size * (size - 1) / 2.0, 1), 0.0)
        order = np.lexsort((-clus, conf, cohesion[clus], syn, main, node))   # the best vote of a node comes last
        last = np.r_[node[order][1:] != node[order][:-1], True] if order.size else np.zeros(0, bool)
        chosen = np.zeros(codes.size, dtype=bool)
        chosen[order[last]] = True
        raw = np.full(n, -1, dtype=np.int64)
        raw[node[chosen]] = clus[chosen]
        # final ids: surviving candidates (in candidate order), then singletons (by rank), then the rest
        survive = np.unique(raw[raw >= 0])
        single = np.flatnonzero(raw < 0)
        single = single[np.argsort(-rank[single])]
        new_id = np.full(max(k, 1), -1, dtype=np.int64)
        new_id[survive] = np.arange(survive.size)
        gone = np.setdiff1d(np.arange(k), survive)
        m = survive.size + single.size
        new_id[gone] = m + np.arange(gone.size)
        labels = np.empty(n, dtype=np.int64)
        labels[raw >= 0] = new_id[raw[raw >= 0]]
        labels[single] = survive.size + np.arange(single.size)
        self.labels_ = labels
        self.n_clusters_ = int(m)
        fid = new_id[clus] if codes.size else np.zeros(0, np.int64)
        share = np.where(size[clus] > 1, syn / np.maximum(size[clus] - 1, 1), 1.0)
        self.senses_ = pl.DataFrame({"node": node, "cluster": fid, "synonyms": syn, "score": share},
                                    schema=SENSES_SCHEMA)
        self.votes_ = pl.DataFrame({"node": node, "cluster": fid, "synonyms": syn, "main_synonyms": main,
                                    "confidence": conf, "cohesion": cohesion[clus], "chosen": chosen},
                                   schema=VOTES_SCHEMA)

    def _pair_lone(self, graph: SynonymGraph, W: sp.csr_matrix, rank: np.ndarray) -> int:
        """Lone terms offer their main-sense partners a pair (``pair_lone``); returns how many pairs formed.

        One sweep, vectorised: each partner takes its best offer (weight, then rank), each lone term
        its best taker; the partner leaves its cluster (which keeps its other members) and the
        pair takes the lone term's cluster id.  ``votes_`` and ``senses_`` gain the pair's rows.
        """
        labels = self.labels_
        size = np.bincount(labels, minlength=self.n_clusters_)
        main = graph.main_links                            # main links that are synonym edges
        u, t = main.nonzero()                              # u -> t: the edge goes through u's main sense
        ok = (size[labels[t]] == 1) & (size[labels[u]] >= 2)
        u, t = u[ok], t[ok]
        if u.size == 0:
            return 0
        w = np.rint(_values_at(W, u, t)).astype(np.int64)
        chosen = self.votes_.filter(pl.col("chosen"))
        at = np.full(graph.n, -1, dtype=np.int64)
        at[chosen["node"].to_numpy()] = np.arange(chosen.height)
        cur = at[u]
        c_main, c_syn = chosen["main_synonyms"].to_numpy()[cur], chosen["synonyms"].to_numpy()[cur]
        c_coh = chosen["cohesion"].to_numpy()[cur]
        c_conf = np.rint(chosen["confidence"].to_numpy()[cur] * _MICRO).astype(np.int64)
        # the pair's vote (main 1, synonyms 1, cohesion 1, confidence w) against the partner's chosen one
        better = (c_main < 1) | ((c_main == 1) & ((c_syn < 1) | ((c_syn == 1) & (
            (c_coh < 1.0) | ((c_coh == 1.0) & (c_conf < w))))))
        u, t, w = u[better], t[better], w[better]
        if u.size == 0:
            return 0
        order = np.lexsort((rank[t], w, u))              # each partner takes its best offer ...
        last = np.r_[u[order][1:] != u[order][:-1], True]
        u, t, w = u[order][last], t[order][last], w[order][last]
        order = np.lexsort((rank[u], w, t))              # ... and each lone term keeps its best taker
        last = np.r_[t[order][1:] != t[order][:-1], True]
        u, t, w = u[order][last], t[order][last], w[order][last]
        pair = labels[t]
        labels[u] = pair
        votes = self.votes_.with_columns(
            pl.when(pl.col("chosen") & pl.col("node").is_in(u.tolist())).then(False).otherwise(pl.col("chosen"))
            .alias("chosen"))
        has = np.zeros(graph.n, dtype=bool)
        has[chosen["node"].to_numpy()] = True
        lone_new = ~has[t]                                # lone terms that never voted get a row too
        nodes = np.concatenate([u, t[lone_new]])
        clus = np.concatenate([pair, pair[lone_new]])
        mains = np.concatenate([np.ones(u.size, np.int64), _values_at(main, t[lone_new], u[lone_new])])
        conf = np.concatenate([w, w[lone_new]]) / _MICRO
        add = pl.DataFrame({"node": nodes, "cluster": clus, "synonyms": np.ones(nodes.size, np.int64),
                            "main_synonyms": mains.astype(np.int64), "confidence": conf,
                            "cohesion": np.ones(nodes.size), "chosen": np.ones(nodes.size, bool)},
                           schema=VOTES_SCHEMA)
        self.votes_ = pl.concat([votes, add])
        self.senses_ = pl.concat([self.senses_, pl.DataFrame(
            {"node": nodes, "cluster": clus, "synonyms": np.ones(nodes.size, np.int64),
             "score": np.ones(nodes.size)}, schema=SENSES_SCHEMA)])
        self.labels_ = labels
        return int(u.size)


_MICRO = 1_000_000


def _micro_units(W: sp.csr_matrix) -> sp.csr_matrix:
    """``W`` with weights as int64 millionths, so sums are exact and the same in any order.

    Float sums depend on the order of the terms (a permuted input gave 2.4000001 vs
    2.3999999 for one node), and every tie-break here must not depend on input order.
    """
    q = W.copy()
    q.data = np.rint(W.data.astype(np.float64) * _MICRO).astype(np.int64)
    return q


def _values_at(P: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``P[rows, cols]`` as a float64 vector (zeros where P has no entry)."""
    if len(rows) == 0:                  # scipy answers an empty fancy index with a sparse matrix
        return np.zeros(0)
    P = P.tocsr()
    P.sort_indices()
    return np.asarray(P[rows, cols], dtype=np.float64).ravel()


def _partners(A: sp.csr_matrix, rank: np.ndarray, seeds: np.ndarray, r_live: np.ndarray, nb: np.ndarray,
              w_live: np.ndarray) -> np.ndarray:
    """Each seed's core partner: its uncovered neighbour in most triangles with it, then by weight, rank.

    Triangles tell a neighbour inside the seed's dense region from a stray edge out of it;
    counting them for the seeds only (``A[seeds] @ A``) stays cheap.
    """
    n = A.shape[0]
    seed_idx = np.full(n, -1, dtype=np.int64)
    seed_idx[seeds] = np.arange(seeds.size)
    at = seed_idx[r_live] >= 0
    si, u, w = seed_idx[r_live[at]], nb[at], w_live[at]
    common = A[seeds] @ A
    common.sort_indices()
    tri = np.asarray(common[si, u]).ravel()
    order = np.lexsort((rank[u], w, tri, si))            # best partner of each seed comes last
    last = np.r_[si[order][1:] != si[order][:-1], True]
    partner = np.empty(seeds.size, dtype=np.int64)
    partner[si[order][last]] = u[order][last]
    return partner


def _indicator(codes: np.ndarray, k: int, n: int, value: int) -> sp.csr_matrix:
    """k-by-n int32 CSR with ``value`` at each cluster-major code."""
    clus, node = np.divmod(codes, n)
    return sp.csr_matrix((np.full(codes.size, value, np.int32), (clus, node)), shape=(k, n))


def _drop_conflicts(codes: np.ndarray, syn: np.ndarray, k: int, n: int, cs: np.ndarray, cd: np.ndarray,
                    core: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Remove, for each cannot-link pair inside a candidate, the weaker end (never a core member).

    ``codes`` (sorted, cluster-major) and ``syn`` are aligned.  Weaker = fewer synonyms in
    the cluster, then lower rank.  One sweep suffices: every conflicting pair loses an end.
    """
    if cs.size == 0 or codes.size == 0:
        return codes
    clus, node = np.divmod(codes, n)
    by_node = np.lexsort((clus, node))                    # node-major view of the memberships
    node_s, clus_s = node[by_node], clus[by_node]
    start = np.searchsorted(node_s, np.arange(n + 1))
    a = np.concatenate([cs, cd]).astype(np.int64)
    b = np.concatenate([cd, cs]).astype(np.int64)
    cnt = start[a + 1] - start[a]
    rep = np.repeat(np.arange(a.size), cnt)
    if rep.size == 0:
        return codes
    offs = np.arange(rep.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    cl = clus_s[start[a[rep]] + offs]
    ca, cb = cl * n + a[rep], cl * n + b[rep]
    pos_b = np.minimum(np.searchsorted(codes, cb), codes.size - 1)
    hit = codes[pos_b] == cb
    if not hit.any():
        return codes
    ca, cb = ca[hit], cb[hit]
    sa, sb = syn[np.searchsorted(codes, ca)], syn[np.searchsorted(codes, cb)]
    a_core, b_core = np.isin(ca, core), np.isin(cb, core)
    a_loses = ~a_core & (b_core | (sa < sb) | ((sa == sb) & (rank[ca % n] < rank[cb % n])))
    return np.setdiff1d(codes, np.where(a_loses, ca, cb), assume_unique=True)


def soft_hard_clustering(graph: SynonymGraph, join_share: float = 0.51, random_state: int | None = 0) -> np.ndarray:
    """Function twin of :class:`SoftHardClustering`: the hard labels only."""
    return SoftHardClustering(join_share=join_share, random_state=random_state).fit(graph).labels_
