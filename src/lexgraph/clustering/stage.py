"""The ``clusters`` stage of ``lexgraph build``: synonym graph from ``relations``, one clustering, four tables.

Writes ``clusters`` (every term of ``terms`` in exactly one cluster, singletons included),
``cluster_summary`` (size, cohesion, representative), and for the soft-hard method
``senses`` (every surviving candidate cluster a term joined) and ``cluster_votes`` (every vote
it cast).  The cosine baseline also reads ``candidates``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from lexgraph.clustering.baselines import METHODS, make_estimator
from lexgraph.clustering.protocols import SoftClusterer
from lexgraph.clustering.synonym_graph import (
    SynonymGraph,
    cluster_cohesion,
    graph_from_frames,
)
from lexgraph.config import BuildConfig
from lexgraph.store import StageRun, Store
from lexgraph.store.params import Options, check_params


@dataclass(frozen=True)
class ClusterResult:
    """The four output tables of one clustering, ready to append."""

    clusters: pl.DataFrame
    summary: pl.DataFrame
    senses: pl.DataFrame
    votes: pl.DataFrame


def load_graph(store: Store, gate: float, with_candidates: bool = True,
               score: str = "p_synonym") -> tuple[SynonymGraph, pl.DataFrame]:
    """The build's synonym graph, and its ``terms(term_id, term)`` in node order.

    ``score`` as in :func:`graph_from_frames` (``p_synonym*cosine`` always reads the candidates).
    """
    terms = store.frame("SELECT term_id, term FROM terms ORDER BY term_id")
    relations = store.frame("SELECT a_id, b_id, label, p_synonym FROM relations")
    need = with_candidates or score != "p_synonym"
    candidates = store.frame("SELECT a_id, b_id, cosine FROM candidates") if need else None
    return graph_from_frames(terms, relations, candidates, gate=gate, score=score), terms


def cluster_tables(graph: SynonymGraph, terms: pl.DataFrame, estimator: Any, method: str) -> ClusterResult:
    """Fit ``estimator`` on ``graph`` and shape its result as the store's tables.

    The representative of a cluster is its member with the most synonyms inside it
    (ties: the alphabetically first term).
    """
    est = estimator.fit(graph)
    labels = np.asarray(est.labels_, dtype=np.int64)
    ids = terms["term_id"].to_numpy()
    names = terms["term"].to_numpy()
    clusters = pl.DataFrame({"term_id": ids, "term": names, "cluster_id": labels.astype(np.int32),
                             "method": [method] * labels.size},
                            schema={"term_id": pl.Int32, "term": pl.Utf8, "cluster_id": pl.Int32, "method": pl.Utf8})
    size, cohesion = cluster_cohesion(graph, labels)
    same = labels[graph.src] == labels[graph.dst]
    inner_deg = np.bincount(np.concatenate([graph.src[same], graph.dst[same]]), minlength=graph.n)
    order = np.lexsort((np.arange(graph.n), -inner_deg, labels))   # node ids follow term order
    first = np.r_[True, labels[order][1:] != labels[order][:-1]]
    rep = np.empty(size.size, dtype=object)
    rep[labels[order][first]] = names[order][first]
    present = size > 0
    summary = pl.DataFrame({"cluster_id": np.flatnonzero(present).astype(np.int32), "size": size[present],
                            "cohesion": cohesion[present], "representative": rep[present].tolist()},
                           schema={"cluster_id": pl.Int32, "size": pl.Int32, "cohesion": pl.Float64,
                                   "representative": pl.Utf8})
    summary = summary.with_columns(pl.col("cohesion").fill_nan(None))
    senses = pl.DataFrame(schema={"term_id": pl.Int32, "term": pl.Utf8, "cluster_id": pl.Int32, "score": pl.Float64})
    votes = pl.DataFrame(schema={"term_id": pl.Int32, "cluster_id": pl.Int32, "synonyms": pl.Int32,
                                 "confidence": pl.Float64, "cohesion": pl.Float64, "chosen": pl.Boolean})
    if isinstance(est, SoftClusterer):              # any method with senses and votes, whatever its class
        n_clusters = est.n_clusters_
        s = est.senses_.filter(pl.col("cluster") < n_clusters)          # candidates that survived
        senses = pl.DataFrame({"term_id": ids[s["node"].to_numpy()], "term": names[s["node"].to_numpy()],
                               "cluster_id": s["cluster"].to_numpy(), "score": s["score"].to_numpy()},
                              schema=senses.schema)
        v = est.votes_
        votes = pl.DataFrame({"term_id": ids[v["node"].to_numpy()], "cluster_id": v["cluster"].to_numpy(),
                              "synonyms": v["synonyms"].to_numpy(), "confidence": v["confidence"].to_numpy(),
                              "cohesion": v["cohesion"].to_numpy(), "chosen": v["chosen"].to_numpy()},
                             schema=votes.schema)
    return ClusterResult(clusters, summary, senses, votes)


class ClusterStage:
    """Pipeline stage: cluster the synonym graph with ``config.cluster_method``."""

    name = "clusters"
    clears = ("clusters", "cluster_summary", "senses", "cluster_votes")

    def params(self, config: BuildConfig) -> dict[str, Any]:
        check_params("BuildConfig", {"cluster_method": config.cluster_method}, {"cluster_method": Options(METHODS)})
        return {"method": config.cluster_method, "synonym_gate": config.synonym_gate, "edge_score": config.edge_score,
                "join_share": config.join_share, "random_state": config.random_state}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        graph, terms = load_graph(store, config.synonym_gate, with_candidates=config.cluster_method == "components",
                                  score=config.edge_score)
        est = make_estimator(config.cluster_method, join_share=config.join_share, random_state=config.random_state)
        result = cluster_tables(graph, terms, est, config.cluster_method)
        store.append("clusters", result.clusters)
        store.append("cluster_summary", result.summary)
        store.append("senses", result.senses)
        store.append("cluster_votes", result.votes)
        sizes = result.summary["size"]
        run.counts.update({"synonym_edges": graph.n_edges, "cannot_links": int(graph.cannot_src.size),
                           "clusters": result.summary.height, "multi_member": int((sizes >= 2).sum()),
                           "largest": int(sizes.max() or 0), "senses": result.senses.height})
