"""Scores for trees over labelled items: dendrogram purity, per-layer NMI/ARI.

Every tree is given in one plain form, :class:`ItemTree`: ``parent[v]`` for each node
(-1 for a root) and ``leaf[i]``, the lowest node holding item ``i``.  An item sits in
its leaf node and in all of that node's ancestors.  Converters build that form from the
tree tables, from a scipy linkage matrix and from hdbscan's condensed tree.

Dendrogram purity (Heller and Ghahramani 2005) is the mean, over pairs of items with the
same label, of the share of items under their lowest common ancestor that carry that
label.  It is computed *exactly* in ``O(nodes x labels)``: the same-label-``c`` pairs
whose lowest common ancestor is ``v`` number ``C(n_vc, 2) - sum_children C(n_uc, 2)``,
so no pair is enumerated and no sampling is needed.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import polars as pl
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from lexgraph.trees.layering import direct_members


class ItemTree(NamedTuple):
    """A rooted forest over items: ``parent`` per node (-1 = root), ``leaf`` node per item."""

    parent: np.ndarray
    leaf: np.ndarray


def _with_single_root(tree: ItemTree) -> ItemTree:
    """Join several roots (or items in no node, ``leaf == -1``) under one virtual root."""
    parent = np.asarray(tree.parent, np.int64)
    leaf = np.asarray(tree.leaf, np.int64)
    roots = np.nonzero(parent < 0)[0]
    if roots.size == 1 and (leaf >= 0).all():
        return ItemTree(parent, leaf)
    top = parent.size
    parent = np.append(np.where(parent < 0, top, parent), -1)
    leaf = np.where(leaf < 0, top, leaf)
    return ItemTree(parent, leaf)


def _bottom_up_order(parent: np.ndarray) -> np.ndarray:
    """Nodes ordered so that every node comes before its parent (deepest first)."""
    depth = np.zeros(parent.size, np.int64)
    todo = np.arange(parent.size)
    anc = parent.copy()
    while True:
        live = anc[todo] >= 0
        if not live.any():
            break
        todo = todo[live]
        depth[todo] += 1
        anc[todo] = parent[anc[todo]]
    return np.argsort(-depth, kind="stable")


def dendrogram_purity(tree: ItemTree, labels: np.ndarray) -> float:
    """Exact dendrogram purity of ``tree`` against item ``labels`` (any hashable values).

    Returns 1.0 when no two items share a label (no pair to score).
    """
    tree = _with_single_root(tree)
    _, y = np.unique(np.asarray(labels), return_inverse=True)
    n_nodes, n_labels = tree.parent.size, int(y.max()) + 1 if y.size else 0
    counts = np.zeros((n_nodes, n_labels), np.float64)
    np.add.at(counts, (tree.leaf, y), 1.0)
    for v in _bottom_up_order(tree.parent):
        p = tree.parent[v]
        if p >= 0:
            counts[p] += counts[v]
    pairs_under = counts * (counts - 1) / 2.0
    lca_pairs = pairs_under.copy()
    has_parent = tree.parent >= 0
    np.subtract.at(lca_pairs, tree.parent[has_parent], pairs_under[has_parent])
    size = counts.sum(axis=1)
    purity = np.divide(counts, size[:, None], out=np.zeros_like(counts), where=size[:, None] > 0)
    total = (np.bincount(y, minlength=n_labels) * (np.bincount(y, minlength=n_labels) - 1) / 2.0).sum()
    if total == 0:
        return 1.0
    return float((lca_pairs * purity).sum() / total)


def tree_from_tables(nodes: pl.DataFrame, members: pl.DataFrame, n_items: int | None = None) -> ItemTree:
    """:class:`ItemTree` from ``nodes(node_id, parent_id, ...)`` and ``members(node_id, item)``.

    Items must be integers ``0..n-1``; each item's leaf is its smallest node (the tree
    tables hold every item in all its ancestors, so the smallest is the lowest).
    """
    ids = nodes["node_id"].to_numpy()
    order = np.argsort(ids, kind="stable")
    pos = order[np.searchsorted(ids[order], ids)]

    def index_of(values: np.ndarray) -> np.ndarray:
        return order[np.searchsorted(ids[order], values)]

    par = nodes["parent_id"].fill_null(-1).to_numpy().astype(np.int64)
    parent = np.where(par >= 0, index_of(np.where(par >= 0, par, ids[pos[0]])), -1)
    lowest = direct_members(nodes, members)
    n = n_items if n_items is not None else int(members["item"].max()) + 1
    leaf = np.full(n, -1, np.int64)
    leaf[lowest["item"].to_numpy()] = index_of(lowest["node_id"].to_numpy())
    return ItemTree(parent, leaf)


def tree_from_linkage(Z: np.ndarray) -> ItemTree:
    """:class:`ItemTree` of a scipy linkage matrix: items are nodes ``0..n-1`` themselves."""
    n = Z.shape[0] + 1
    parent = np.full(2 * n - 1, -1, np.int64)
    for i, (a, b) in enumerate(Z[:, :2].astype(np.int64)):
        parent[a] = parent[b] = n + i
    return ItemTree(parent, np.arange(n, dtype=np.int64))


def tree_from_condensed(raw: np.ndarray, n_items: int) -> ItemTree:
    """:class:`ItemTree` of hdbscan's condensed tree (``condensed_tree_._raw_tree``).

    Rows are ``(parent, child, lambda_val, child_size)``; a child below ``n_items`` is a
    point falling out of cluster ``parent``, which is therefore its leaf.
    """
    par = raw["parent"].astype(np.int64)
    child = raw["child"].astype(np.int64)
    root = int(par.min())
    n_nodes = int(max(par.max(), child.max())) - root + 1
    parent = np.full(n_nodes, -1, np.int64)
    is_cluster = child >= n_items
    parent[child[is_cluster] - root] = par[is_cluster] - root
    leaf = np.full(n_items, 0, np.int64)
    leaf[child[~is_cluster]] = par[~is_cluster] - root
    return ItemTree(parent, leaf)


def layer_scores(layer_labels: np.ndarray, gold: np.ndarray) -> pl.DataFrame:
    """NMI and ARI of every layer against ``gold``, on the covered (non-noise) items.

    ``layer_labels`` is ``(n_layers, n)`` with -1 for noise.  ``nmi_all`` / ``ari_all``
    score every item, noise counted as one extra cluster, so coverage cannot be traded
    for purity unseen.
    """
    rows = []
    for layer, lab in enumerate(np.atleast_2d(layer_labels)):
        cov = lab >= 0
        k = int(np.unique(lab[cov]).size)
        nmi = normalized_mutual_info_score(gold[cov], lab[cov]) if cov.sum() > 1 else float("nan")
        ari = adjusted_rand_score(gold[cov], lab[cov]) if cov.sum() > 1 else float("nan")
        rows.append({"layer": layer, "n_clusters": k, "coverage": float(cov.mean()), "nmi": float(nmi),
                     "ari": float(ari), "nmi_all": float(normalized_mutual_info_score(gold, lab)),
                     "ari_all": float(adjusted_rand_score(gold, lab))})
    return pl.DataFrame(rows)
