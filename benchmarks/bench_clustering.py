"""Clustering benchmarks: (a) speed and memory on a 1M-node planted-partition graph, (b) quality on builds.

(a) ``python benchmarks/bench_clustering.py speed`` generates (once, cached as .npz) a planted
partition with noise: 1M nodes in clusters of 10-70 terms, each intra-cluster pair an edge with
probability 0.8, plus random noise edges and cannot-link pairs, about 20M edges, seed 0.  Each
method then runs in its own fresh process (so peak RSS is its own: loading the graph + fitting):
soft-hard, igraph Leiden CPM, igraph label propagation.  Wall time of ``fit`` and peak RSS
(``resource.getrusage``) are printed as a Markdown table, with ARI against the planted labels.

(b) ``python benchmarks/bench_clustering.py quality DB [DB ...] --gold wordnet:en`` runs every method on
the same synonym graph of each built store and prints the comparison table of
:func:`lexgraph.clustering.compare.compare_methods`.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

CACHE = Path("out/bench_clustering")


def planted_partition(n: int = 1_000_000, p_in: float = 0.8, noise_edges: int = 2_000_000,
                      cannot: int = 20_000, seed: int = 0) -> dict[str, np.ndarray]:
    """A planted partition with noise, generated without per-edge Python loops.

    Returns src, dst, weight (synonym edges), cannot_src, cannot_dst and the planted ``truth``.
    """
    rng = np.random.default_rng(seed)
    sizes = []
    total = 0
    while total < n:                                   # a loop over ~20K clusters, not over edges
        s = int(rng.integers(10, 71))
        s = min(s, n - total)
        sizes.append(s)
        total += s
    sizes = np.array(sizes)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    src_parts, dst_parts = [], []
    for s in np.unique(sizes):
        iu, ju = np.triu_indices(s, 1)
        st = starts[sizes == s][:, None]
        a, b = (st + iu).ravel(), (st + ju).ravel()
        keep = rng.random(a.size) < p_in
        src_parts.append(a[keep])
        dst_parts.append(b[keep])
    truth_sorted = np.repeat(np.arange(sizes.size), sizes)
    a_in, b_in = np.concatenate(src_parts), np.concatenate(dst_parts)
    a_no, b_no = rng.integers(0, n, noise_edges), rng.integers(0, n, noise_edges)
    w = np.concatenate([rng.uniform(0.7, 1.0, a_in.size), rng.uniform(0.7, 0.85, a_no.size)]).astype(np.float32)
    perm = rng.permutation(n)                          # planted clusters are not contiguous ids
    src, dst = perm[np.concatenate([a_in, a_no])], perm[np.concatenate([b_in, b_no])]
    ca, cb = rng.integers(0, n, cannot), rng.integers(0, n, cannot)
    diff = truth_sorted[ca] != truth_sorted[cb]
    truth = np.empty(n, dtype=np.int64)
    truth[perm] = truth_sorted
    return {"src": src, "dst": dst, "weight": w, "cannot_src": perm[ca[diff]], "cannot_dst": perm[cb[diff]],
            "truth": truth}


def load_graph(path: Path):
    """The cached synthetic graph as a SynonymGraph (plus the planted labels)."""
    from lexgraph.clustering.synonym_graph import SynonymGraph, canonical_pairs

    z = np.load(path)
    n = z["truth"].size
    s, d, w = canonical_pairs(z["src"], z["dst"], z["weight"])
    cs, cd, _ = canonical_pairs(z["cannot_src"], z["cannot_dst"])
    return SynonymGraph(n, s, d, w, cs, cd), z["truth"]


def run_one(method: str, path: Path) -> dict:
    """Load the graph, fit one method, return timings and peak memory (this process)."""
    from sklearn.metrics import adjusted_rand_score

    from lexgraph.clustering.baselines import make_estimator

    t0 = time.perf_counter()
    graph, truth = load_graph(path)
    t_load = time.perf_counter() - t0
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    est = make_estimator(method, random_state=0)
    t0 = time.perf_counter()
    labels = est.fit(graph).labels_
    t_fit = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return {"method": method, "nodes": graph.n, "edges": graph.n_edges, "fit_s": round(t_fit, 1),
            "load_s": round(t_load, 1), "peak_gib": round(peak, 2), "loaded_gib": round(rss_loaded, 2),
            "clusters": int(np.unique(labels).size), "ari": round(float(adjusted_rand_score(truth, labels)), 4)}


def speed(args: argparse.Namespace) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"planted_{args.nodes}_{args.seed}.npz"
    if not path.exists():
        t0 = time.perf_counter()
        np.savez(path, **planted_partition(n=args.nodes, noise_edges=args.nodes * 2, seed=args.seed))
        print(f"generated {path} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    rows = []
    for method in args.methods:
        out = subprocess.run([sys.executable, __file__, "one", method, str(path)], capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            continue
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(rows[-1], file=sys.stderr)
    cols = list(rows[0]) if rows else []
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")


def quality(args: argparse.Namespace) -> None:
    from lexgraph.clustering.compare import compare_methods, markdown_table
    from lexgraph.store import Store

    for db in args.db:
        with Store(db, read_only=True) as store:
            df = compare_methods(store, gold=args.gold, gate=args.gate, join_share=args.join_share,
                                 random_state=0)
        print(f"\n{db} vs {args.gold}\n")
        print(markdown_table(df))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("speed")
    s.add_argument("--nodes", type=int, default=1_000_000)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--methods", nargs="+", default=["softhard", "leiden-cpm", "label-propagation"])
    o = sub.add_parser("one")
    o.add_argument("method")
    o.add_argument("path", type=Path)
    q = sub.add_parser("quality")
    q.add_argument("db", nargs="+", type=Path)
    q.add_argument("--gold", default="wordnet:en")
    q.add_argument("--gate", type=float, default=0.70)
    q.add_argument("--join-share", type=float, default=0.51)
    args = ap.parse_args()
    if args.cmd == "speed":
        speed(args)
    elif args.cmd == "one":
        print(json.dumps(run_one(args.method, args.path)))
    else:
        quality(args)


if __name__ == "__main__":
    main()
