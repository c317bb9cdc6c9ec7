"""Density-ascent links and ``NestedDensityTree(method='ascent')``."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from sklearn.datasets import load_digits, make_blobs
from sklearn.metrics import pairwise_distances

from lexgraph.trees import ascent as density_ascent
from lexgraph.trees.ascent import density_ascent_links
from lexgraph.trees.metrics import ItemTree, dendrogram_purity
from lexgraph.trees.nested import NestedDensityTree


def _tree_dp(tree: NestedDensityTree, labels: np.ndarray) -> float:
    return dendrogram_purity(ItemTree(tree.nodes_["parent_id"].fill_null(-1).to_numpy(), tree.leaf_), labels)


def test_links_by_hand() -> None:
    X = np.array([[0.0], [1.0], [1.5], [10.0], [10.4], [11.0]])
    # min_points=2: core distance = distance to the nearest other point: 1, .5, .5, .4, .4, .6;
    # the densest is row 3 (ties go to the smaller row), and 1 -> 3 crosses the gap.
    links = density_ascent_links(X, 2)
    assert links.root == 3
    assert np.allclose(links.core_distances, [1.0, 0.5, 0.5, 0.4, 0.4, 0.6])
    assert links.edges.tolist() == [[4, 3], [2, 1], [5, 4], [0, 1], [1, 3]]
    assert np.allclose(links.weights, [0.4, 0.5, 0.6, 1.0, 9.0])


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
@pytest.mark.parametrize("min_points", [1, 4, 12])
@pytest.mark.parametrize("wide", [16, 1])
def test_links_equal_brute_force(metric: str, min_points: int, wide: int, monkeypatch) -> None:
    # Blobs of unequal spread, so some peaks have no denser point among their 30
    # neighbours; they take the wider search, or (wide=1) the exhaustive one.
    monkeypatch.setattr(density_ascent, "WIDE_FACTOR", wide)
    X, _ = make_blobs(n_samples=[60, 50, 40], centers=[[0, 0, 0], [8, 8, 0], [0, 9, 9]],
                      cluster_std=[0.5, 1.0, 2.0], random_state=3)
    links = density_ascent_links(X, min_points, metric)
    Xn = X / np.linalg.norm(X, axis=1, keepdims=True) if metric == "cosine" else X
    D = np.maximum(pairwise_distances(Xn, metric=metric), 0.0)
    np.fill_diagonal(D, np.inf)
    core = np.sort(D, axis=1)[:, min_points - 2] if min_points > 1 else np.zeros(len(X))
    assert np.allclose(links.core_distances, core)
    core = links.core_distances     # the same up to rounding; ties must be read from one source
    n = len(X)
    rows = np.arange(n)
    denser = (core[None, :] < core[:, None]) | ((core[None, :] == core[:, None]) & (rows[None, :] < rows[:, None]))
    expect = np.where(denser, D, np.inf).min(axis=1)
    got = np.full(n, np.inf)
    got[links.edges[:, 0]] = links.weights
    assert np.allclose(got, expect)
    assert links.edges.shape == (n - 1, 2) and np.isinf(expect[links.root])
    assert (np.diff(links.weights) >= 0).all()


@pytest.mark.parametrize("noise", ["keep", "nearest"])
def test_ascent_tree_nests_under_one_root(noise: str) -> None:
    X = load_digits().data[:300]
    tree = NestedDensityTree(min_points=5, n_components=10, method="ascent", noise=noise).fit(X)
    roots = tree.nodes_.filter(pl.col("parent_id").is_null())
    assert roots.height == 1 and roots["size"][0] == X.shape[0]
    counts = tree.layers_["n_clusters"].to_list()
    # Moving attached items with their cluster (noise='nearest') may leave a layer's count unchanged.
    falls = (lambda a, b: a > b) if noise == "keep" else (lambda a, b: a >= b)
    assert all(falls(a, b) for a, b in zip(counts[:-1], counts[1:])) and counts[-1] == 1
    parent = dict(tree.nodes_.select("node_id", "parent_id").iter_rows())
    for lower, upper in zip(tree.labels_, tree.labels_[1:]):
        assert all(a < 0 or a == b or parent[a] == b for a, b in zip(lower, upper))
    sizes = tree.nodes_.filter(pl.col("layer") == 0)["size"]
    assert sizes.min() >= 5                                  # clusters have min_points members
    if noise == "nearest":
        assert (tree.labels_ >= 0).all()
    else:
        assert tree.layers_["coverage"][0] < 1.0


def test_ascent_is_purer_than_dbscan_layers_on_digits() -> None:
    """On the 1,797 digits the ascent tree beats the DBSCAN layering (0.71 -> 0.78 with cosine)."""
    digits = load_digits()
    dbscan = _tree_dp(NestedDensityTree(min_points=5, metric="cosine").fit(digits.data), digits.target)
    ascent = _tree_dp(NestedDensityTree(min_points=5, metric="cosine", method="ascent").fit(digits.data),
                      digits.target)
    assert ascent > dbscan + 0.05, (dbscan, ascent)


@pytest.mark.parametrize("X", [
    np.zeros((1, 4)),
    np.ones((3, 4)),
    np.tile([0.3, -1.0, 2.0], (20, 1)),
    np.vstack([np.ones((10, 2)), np.ones((10, 2)) * 5]),
])
def test_ascent_degenerate_inputs_give_a_tree(X: np.ndarray) -> None:
    tree = NestedDensityTree(min_points=5, method="ascent").fit(X)
    roots = tree.nodes_.filter(pl.col("parent_id").is_null())
    assert roots.height == 1 and roots["size"][0] == X.shape[0]
    if np.unique(X, axis=0).shape[0] == 1 or X.shape[0] < 5:
        assert tree.nodes_.height == 1
    with pytest.raises(ValueError, match=r"method \('optics'\) must be one of 'dbscan', 'ascent'"):
        NestedDensityTree(method="optics").fit(np.zeros((4, 2)))


def test_ascent_is_deterministic() -> None:
    X = load_digits().data[:200]
    a = NestedDensityTree(min_points=4, method="ascent", smooth_neighbors=5).fit(X)
    b = NestedDensityTree(min_points=4, method="ascent", smooth_neighbors=5).fit(X)
    assert a.nodes_.equals(b.nodes_) and a.members_.equals(b.members_) and a.mst_.equals(b.mst_)


def test_cosine_zero_row_is_at_distance_one() -> None:
    # A zero row has cosine distance 1 to every row; the wider peak search must not take
    # its Euclidean distance on the unit sphere (0.5 here) for it.
    t = np.arccos(1 - 0.7)
    X = np.vstack([[0.0, 0.0], [np.cos(t), np.sin(t)],
                   [1.0, 0.0] + np.random.default_rng(0).normal(0, 1e-3, (40, 2))])
    links = density_ascent_links(X, 1, "cosine")
    row = links.edges[:, 0] == 2
    assert links.edges[row, 1].tolist() == [1] and np.allclose(links.weights[row], 0.7, atol=0.01)


def test_climb_matches_step_by_step_and_is_fast_on_a_chain() -> None:
    from lexgraph.trees.ascent import ascent_labels
    from lexgraph.trees.ascent import climb as _climb

    X, _ = make_blobs(n_samples=300, centers=4, random_state=1)
    links = density_ascent_links(X, 5)
    lab = ascent_labels(links, 150, 5)
    up = np.arange(len(X))
    up[links.edges[:, 0]] = links.edges[:, 1]
    expect = lab.copy()
    for i in range(len(X)):
        j = i
        while lab[j] < 0 and up[j] != j:
            j = up[j]
        expect[i] = lab[j]
    assert (lab < 0).any() and np.array_equal(_climb(links, lab), expect)
    # One path of 20,000 points (density rises towards row 0): pointer jumping, not one step per round.
    chain = (np.arange(20_000, dtype=float) ** 1.5)[:, None]
    links = density_ascent_links(chain, 2)
    lab = np.full(len(chain), -1)
    lab[[0, 7_000]] = [0, 1]
    assert links.root == 0 and np.array_equal(_climb(links, lab), (np.arange(len(chain)) >= 7_000).astype(int))
