"""The reference layering rule and the tree tables, shared by the fast tree and the naive sweep.

Both :class:`~lexgraph.trees.nested.NestedDensityTree` and the naive
:func:`~lexgraph.trees.sweep.epsilon_sweep` produce, for each epsilon of a
schedule, a DBSCAN cluster count; the rule below picks the layers from those counts
alone, so the two give the same layers whenever their counts agree.

The rule (the reference method, made precise):

1. the first layer is the first epsilon with the largest cluster count (below it the
   count is still rising as points become core, so there is nothing to nest yet);
2. after it, an epsilon becomes a layer when its count is below the last layer's count;
3. the sweep stops at the first epsilon with a single cluster: that layer is the root if
   it covers every point; otherwise a root layer at the schedule's last epsilon (where
   every point is core and connected) is added, so every item sits under one root.
"""

from __future__ import annotations

import numpy as np
import polars as pl

#: Label of a point that belongs to no cluster of a layer (DBSCAN's noise).
NOISE = -1

#: How clusters at radius epsilon are formed: ``'dbscan'`` (the reference: DBSCAN's
#: clusters, read off the mutual-reachability MST) or ``'ascent'`` (every point linked to
#: its nearest denser point, links up to epsilon joined; :mod:`lexgraph.trees.ascent`).
#: Here, not in the estimator's module, so that configuration can check it without importing scikit-learn.
TREE_METHODS: tuple[str, ...] = ("dbscan", "ascent")


def number_components(comp: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Labels ``0..k-1`` for the points in ``keep`` by their component ``comp``, ``NOISE`` elsewhere.

    Components are numbered by their smallest kept point, so labels do not depend on the
    connected-components solver's numbering.
    """
    lab = np.full(comp.size, NOISE, np.int64)
    _, first, inv = np.unique(comp[keep], return_index=True, return_inverse=True)
    rank = np.empty(first.size, np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    lab[keep] = rank[inv]
    return lab


def select_layers(counts: np.ndarray, coverage_full: np.ndarray) -> list[int]:
    """Indices of the schedule steps kept as layers (see the module docstring).

    ``counts[k]`` is the cluster count at step k; ``coverage_full[k]`` says whether
    every point is in a cluster at step k.  The last step must be a single cluster
    covering everything (the schedule guarantees it).
    """
    counts = np.asarray(counts)
    if counts.size == 0:
        return []
    first = int(np.argmax(counts))
    kept = [first]
    for k in range(first + 1, counts.size):
        if counts[kept[-1]] == 1:
            break
        if 1 <= counts[k] < counts[kept[-1]]:
            kept.append(k)
    if not (counts[kept[-1]] == 1 and coverage_full[kept[-1]]):
        kept.append(counts.size - 1)
    return kept


def nest_layers(layer_labels: list[np.ndarray], epsilons: list[float]) -> tuple[pl.DataFrame, pl.DataFrame, np.ndarray]:
    """Turn per-layer cluster labels into the tree tables.

    ``layer_labels[l][i]`` is point i's cluster at layer l (``NOISE`` for none), layers
    ordered densest first.  Node ids are assigned layer by layer in label order; a
    node's parent is the layer-above node holding most of its points (all of them when
    the labels nest, as the fast tree's do).  Returns ``(nodes, members, node_labels)``
    where ``node_labels`` is the ``(n_layers, n)`` array of node ids (``NOISE`` for none).
    """
    n_layers = len(layer_labels)
    n = layer_labels[0].size if n_layers else 0
    node_labels = np.full((n_layers, n), NOISE, np.int64)
    offsets = []
    next_id = 0
    for layer, lab in enumerate(layer_labels):
        k = int(lab.max()) + 1 if lab.size and lab.max() >= 0 else 0
        offsets.append(next_id)
        node_labels[layer] = np.where(lab >= 0, lab + next_id, NOISE)
        next_id += k
    node_id = np.arange(next_id, dtype=np.int64)
    layer_of = np.zeros(next_id, np.int64)
    parent = np.full(next_id, NOISE, np.int64)
    for layer in range(n_layers):
        stop = offsets[layer + 1] if layer + 1 < n_layers else next_id
        layer_of[offsets[layer]:stop] = layer
        if layer + 1 < n_layers:
            here, above = node_labels[layer], node_labels[layer + 1]
            both = (here >= 0) & (above >= 0)
            pairs, votes = np.unique(np.stack([here[both], above[both]]), axis=1, return_counts=True)
            # Majority parent: sort by (child, -votes) and keep each child's first row.
            order = np.lexsort((-votes, pairs[0]))
            child, par = pairs[0][order], pairs[1][order]
            first = np.ones(child.size, bool)
            first[1:] = child[1:] != child[:-1]
            parent[child[first]] = par[first]
    members = members_of(node_labels)
    size = np.bincount(members["node_id"].to_numpy(), minlength=next_id)
    eps = np.asarray(epsilons, dtype=np.float64)
    nodes = pl.DataFrame({
        "node_id": node_id,
        "parent_id": pl.Series(np.where(parent >= 0, parent, 0), dtype=pl.Int64),
        "layer": layer_of,
        "epsilon": eps[layer_of] if next_id else np.zeros(0),
        "size": size.astype(np.int64),
    }).with_columns(pl.when(pl.Series(parent >= 0)).then(pl.col("parent_id")).otherwise(None).alias("parent_id"))
    return nodes, members, node_labels


def members_of(node_labels: np.ndarray) -> pl.DataFrame:
    """``members(node_id, item)``, sorted: each item under each distinct node it has in some layer."""
    rows_l, items = np.nonzero(node_labels >= 0)
    return pl.DataFrame({"node_id": node_labels[rows_l, items].astype(np.int64), "item": items.astype(np.int64)}
                        ).unique().sort(["node_id", "item"])


def leaf_nodes(node_labels: np.ndarray) -> np.ndarray:
    """Each item's lowest node: its node in the first layer where it is not noise."""
    if node_labels.size == 0:
        return np.zeros(node_labels.shape[1] if node_labels.ndim == 2 else 0, np.int64)
    covered = node_labels >= 0
    first = np.argmax(covered, axis=0)
    return node_labels[first, np.arange(node_labels.shape[1])]


def direct_members(nodes: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """``(node_id, item)`` with each item once, under its lowest node, from the tree tables as frames.

    ``members`` lists an item under every node above it too, so the lowest is the smallest
    (ties, only in an uncondensed tree, go to the lower node id).  The SQL twin for a stored
    tree is the ``tree_leaves`` macro (``store/macros.sql``).
    """
    return (members.join(nodes.select("node_id", "size"), on="node_id")
            .sort(["item", "size", "node_id"]).unique("item", keep="first", maintain_order=True)
            .select("node_id", "item").sort(["node_id", "item"]))


def condense_chains(nodes: pl.DataFrame, node_labels: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame, np.ndarray]:
    """Merge every node that is an unchanged copy of its only child into that child.

    A cluster that neither merges nor gains items between two layers is repeated in each
    layer by :func:`nest_layers`; browsing such a tree means clicking through chains of
    identical nodes (70% of the nodes of the default build's cluster tree).  Here each
    chain becomes one node, kept at its densest ``layer``, with ``top_layer`` the last layer
    it spans; its parent is the first ancestor that differs.  Every layer's partition is
    unchanged: ``node_labels[l]`` maps to the surviving nodes.  Returns
    ``(nodes, members, node_labels)`` with nodes renumbered ``0..k-1`` in the old order.
    """
    n_nodes = nodes.height
    ids = nodes["node_id"].to_numpy()
    assert np.array_equal(ids, np.arange(n_nodes)), "node ids must be 0..n-1"
    parent = nodes["parent_id"].fill_null(-1).to_numpy().astype(np.int64)
    size = nodes["size"].to_numpy()
    layer = nodes["layer"].to_numpy()
    has_parent = parent >= 0
    n_children = np.bincount(parent[has_parent], minlength=n_nodes)
    only_child = np.full(n_nodes, -1, np.int64)
    only_child[parent[has_parent]] = ids[has_parent]           # meaningful where n_children == 1
    redundant = (n_children == 1) & (size[np.maximum(only_child, 0)] == size)
    rep = ids.copy()                                           # each node's surviving node
    for v in np.argsort(layer, kind="stable"):                 # children (lower layers) first
        if redundant[v]:
            rep[v] = rep[only_child[v]]
    up = ids.copy()                                            # nearest kept ancestor-or-self
    for v in np.argsort(-layer, kind="stable"):                # parents first
        if redundant[v] and parent[v] >= 0:
            up[v] = up[parent[v]]
    kept = ~redundant
    new_id = np.full(n_nodes, -1, np.int64)
    new_id[kept] = np.arange(int(kept.sum()))
    new_parent = np.where(has_parent, new_id[up[np.maximum(parent, 0)]], -1)
    top = np.zeros(n_nodes, np.int64)
    np.maximum.at(top, rep, layer)
    labels = np.where(node_labels >= 0, new_id[rep[np.maximum(node_labels, 0)]], NOISE)
    condensed = nodes.filter(pl.Series(kept)).with_columns(
        pl.Series("node_id", new_id[kept]),
        pl.Series("parent_id", np.where(new_parent[kept] >= 0, new_parent[kept], 0), dtype=pl.Int64),
        pl.Series("top_layer", top[kept]))
    condensed = condensed.with_columns(
        pl.when(pl.Series(new_parent[kept] >= 0)).then(pl.col("parent_id")).otherwise(None).alias("parent_id"))
    return condensed, members_of(labels), labels
