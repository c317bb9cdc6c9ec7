"""A small, hand-checked lexgraph store written through :meth:`Store.append`.

It fills every public table the way the later stages do (relations, synonym_edges, clusters, senses,
cluster_votes, a 'clusters' tree), so query, export and notebook tests have exact
expectations without running the models. The clusters are WordNet-style synsets of
common adjectives, nouns and verbs; the tree groups them by meaning.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import polars as pl

from lexgraph.store import Store

#: Hard clusters: cluster_id -> (members, part of speech); the first member is the representative.
CLUSTERS: dict[int, tuple[list[str], str]] = {
    1: (["big", "large", "huge", "enormous"], "adjective"),
    2: (["small", "little", "tiny"], "adjective"),
    3: (["hot", "warm"], "adjective"),
    4: (["cold", "cool"], "adjective"),
    5: (["happy", "glad"], "adjective"),
    6: (["sad", "unhappy"], "adjective"),
    7: (["fast", "quick", "rapid"], "adjective"),
    8: (["slow"], "adjective"),
    9: (["car", "automobile", "auto"], "noun"),
    10: (["dog"], "noun"),
    11: (["cat"], "noun"),
    12: (["begin", "start", "commence"], "verb"),
    13: (["end", "finish"], "verb"),
    14: (["buy", "purchase"], "verb"),
    15: (["sell"], "verb"),
    16: (["good"], "adjective"),
    17: (["bad"], "adjective"),
}
ANTONYMS = [("big", "small"), ("large", "small"), ("large", "little"), ("hot", "cold"), ("warm", "cool"),
            ("happy", "sad"), ("glad", "sad"), ("fast", "slow"), ("quick", "slow"), ("begin", "end"),
            ("start", "finish"), ("buy", "sell"), ("good", "bad")]
#: Same cluster but the discriminator called it a co-hyponym (so `edge` is false for this pair).
NOT_EDGE = ("big", "enormous")
#: A synonym edge across clusters (slang 'cool' = good): `edge` true, `same_cluster` false.
CROSS_SYNONYM = ("cool", "good")
OTHER_PAIRS = [("cat", "dog", "cohyponym"), ("car", "dog", "unrelated")]
#: 'clusters' tree: node_id -> (parent_id, layer, label, cluster ids directly under it).
TREE: dict[int, tuple[int | None, int, str, list[int]]] = {
    0: (None, 3, "big", []),
    1: (0, 2, "big", [16, 17]),
    2: (0, 2, "car", [9]),
    3: (0, 2, "begin", []),
    4: (1, 1, "big", [1, 2]),
    5: (1, 1, "hot", [3, 4]),
    6: (1, 1, "happy", [5, 6]),
    7: (1, 1, "fast", [7, 8]),
    8: (2, 1, "dog", [10, 11]),
    9: (3, 0, "begin", [12, 13]),
    10: (3, 0, "buy", [14, 15]),
}


def _probs(label: str, strength: float) -> dict[str, float]:
    rest = (1.0 - strength) / 3
    return {f"p_{name}": (strength if name == label else rest)
            for name in ("synonym", "antonym", "cohyponym", "unrelated")}


def _subtree_clusters(node: int) -> list[int]:
    out = list(TREE[node][3])
    for child, (parent, *_rest) in TREE.items():
        if parent == node:
            out += _subtree_clusters(child)
    return out


def make_demo_store(path: Path) -> Path:
    """Write the demo store to ``path`` (a new DuckDB file) and return ``path``."""
    pos_of = {t: pos for members, pos in CLUSTERS.values() for t in members}
    cluster_of = {t: cid for cid, (members, _) in CLUSTERS.items() for t in members}
    words = sorted(pos_of)
    tid = {t: i + 1 for i, t in enumerate(words)}
    labelled: dict[tuple[str, str], tuple[str, float]] = {}
    for members, _ in CLUSTERS.values():
        for a, b in combinations(sorted(members), 2):
            labelled[(a, b)] = ("synonym", 0.9)
    labelled[tuple(sorted(NOT_EDGE))] = ("cohyponym", 0.55)
    labelled[tuple(sorted(CROSS_SYNONYM))] = ("synonym", 0.72)
    for a, b in ANTONYMS:
        labelled[tuple(sorted((a, b)))] = ("antonym", 0.85)
    for a, b, lab in OTHER_PAIRS:
        labelled[tuple(sorted((a, b)))] = (lab, 0.8)
    rel_rows = [{"a_id": tid[a], "b_id": tid[b], "term_a": a, "term_b": b, "label": lab, **_probs(lab, p),
                 "model": "demo", "evidence": "model"} for (a, b), (lab, p) in sorted(labelled.items())]
    relations = pl.DataFrame(rel_rows).with_columns(pl.col("^p_.*$").cast(pl.Float32))
    candidates = relations.select("a_id", "b_id", "term_a", "term_b",
                                  (0.5 + pl.col("p_synonym") / 2).alias("cosine"), pl.lit(1).alias("rank"),
                                  pl.lit("knn").alias("source"))

    summary = []
    for cid, (members, _) in CLUSTERS.items():
        n_pairs = len(members) * (len(members) - 1) // 2
        edges = sum(1 for a, b in combinations(sorted(members), 2) if labelled[(a, b)][0] == "synonym")
        summary.append({"cluster_id": cid, "size": len(members), "cohesion": edges / n_pairs if n_pairs else None,
                        "representative": members[0]})
    senses = [{"term_id": tid[t], "term": t, "cluster_id": cluster_of[t], "score": 1.0} for t in words]
    senses.append({"term_id": tid["cool"], "term": "cool", "cluster_id": 16, "score": 0.4})
    votes = []
    for t in words:
        cid = cluster_of[t]
        mates = [m for m in CLUSTERS[cid][0] if m != t]
        syn = [m for m in mates if labelled[tuple(sorted((t, m)))][0] == "synonym"]
        votes.append({"term_id": tid[t], "cluster_id": cid, "synonyms": len(syn), "main_synonyms": 0,
                      "confidence": 0.9 * len(syn), "cohesion": 1.0, "chosen": True})
    votes.append({"term_id": tid["cool"], "cluster_id": 16, "synonyms": 1, "main_synonyms": 0, "confidence": 0.72,
                  "cohesion": 1.0, "chosen": False})

    nodes, members = [], []
    for node, (parent, layer, label, _) in TREE.items():
        under = _subtree_clusters(node)
        nodes.append({"tree": "clusters", "node_id": node, "parent_id": parent, "layer": layer,
                      "epsilon": 0.1 * (layer + 1), "size": len(under), "label": label})
        members += [{"tree": "clusters", "node_id": node, "item": str(c)} for c in sorted(under)]
    nodes += [{"tree": "docs", "node_id": 0, "parent_id": None, "layer": 1, "epsilon": 0.5, "size": 3, "label": "all"},
              {"tree": "docs", "node_id": 1, "parent_id": 0, "layer": 0, "epsilon": 0.2, "size": 2, "label": "pair"}]
    members += [{"tree": "docs", "node_id": 0, "item": i} for i in ("1", "2", "3")]
    members += [{"tree": "docs", "node_id": 1, "item": i} for i in ("1", "2")]

    with Store(path) as store:
        store.append("terms", pl.DataFrame({
            "term_id": [tid[t] for t in words], "term": words, "lang": ["en"] * len(words),
            "pos": [pos_of[t] for t in words], "frequency": [None] * len(words), "n_sources": [1] * len(words)},
            schema_overrides={"frequency": pl.Float64}))
        store.append("term_sources", pl.DataFrame({"term_id": [tid[t] for t in words],
                                                   "source": ["demo.txt"] * len(words),
                                                   "row_number": list(range(1, len(words) + 1)), "raw": words}))
        store.append("rejects", pl.DataFrame({"source": ["demo.txt"], "row_number": [len(words) + 1], "raw": ["   "],
                                              "reason": ["empty after normalisation"]}))
        store.append("candidates", candidates)
        store.append("relations", relations)
        store.append("synonym_edges", relations.filter(pl.col("label") == "synonym")
                     .select("a_id", "b_id", pl.col("p_synonym").alias("weight")))
        store.append("clusters", pl.DataFrame({"term_id": [tid[t] for t in words], "term": words,
                                               "cluster_id": [cluster_of[t] for t in words],
                                               "method": ["softhard"] * len(words)}))
        store.append("cluster_summary", pl.DataFrame(summary))
        store.append("senses", pl.DataFrame(senses))
        store.append("cluster_votes", pl.DataFrame(votes))
        store.append("tree_nodes", pl.DataFrame(nodes))
        store.append("tree_members", pl.DataFrame(members))
    return path
