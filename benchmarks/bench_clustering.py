"""Clustering benchmarks: (a) speed and memory on a 1M-node planted-partition graph, (b) quality on builds.

(a) ``python benchmarks/bench_clustering.py speed`` generates (once, cached as .npz) a planted
partition with noise: 1M nodes in clusters of 10-70 terms, each intra-cluster pair an edge with
probability 0.8, plus random noise edges and cannot-link pairs, about 20M edges, seed 0.  Each
method then runs in its own fresh process (so peak RSS is its own: loading the graph + fitting):
soft-hard, igraph Leiden CPM, igraph label propagation.  Wall time of ``fit`` and peak RSS
(``resource.getrusage``) are printed as a Markdown table, with ARI against the planted labels.

(b) ``python benchmarks/bench_clustering.py quality DB [DB ...] --gold wordnet:en`` runs every method on
the same synonym graph of each built store and prints the comparison table of
:func:`lexgraph.clustering.compare.compare_methods`.  ``quality --preset en3k en10k tr5k`` builds the
stores itself first (``lexgraph build ... --no-tree`` into ``out/bench_*.duckdb``, skipped when the file
exists; ``--rebuild`` forces it) and evaluates each against its own wordnet; ``tr5k`` first writes
``out/tr_5000.txt``: the 5,000 most frequent Turkish words (wordfreq) that are KeNet terms.
``quality ... --sweep`` adds every graph method over a grid of edge scores and gates (soft-hard with join
share 0.4 and 0.51); ``--edge-score p_synonym*cosine`` gates and weights edges by P(synonym) x cosine.
``quality ... --ceiling`` adds each graph method on the store's candidate pairs with the gold itself as the
discriminator (edge precision 1, then diluted to 0.5 and 0.25 with random non-synonym candidate pairs): the
most any clustering rule can reach on those candidates, and what a better discriminator would buy.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import polars as pl

    from lexgraph.clustering.evaluate import Gold

CACHE = Path("out/bench_clustering")
OUT = Path("out")


def turkish_lexicon(n: int = 5000) -> Path:
    """``out/tr_N.txt``: the N most frequent Turkish words (wordfreq) that are KeNet terms."""
    from wordfreq import top_n_list

    from lexgraph.lexicon.wordnet import load_wordnet

    path = OUT / f"tr_{n}.txt"
    if not path.exists():
        kenet = set(load_wordnet("tr").terms.to_list())
        words = [w for w in top_n_list("tr", 20 * n) if w in kenet][:n]
        OUT.mkdir(exist_ok=True)
        path.write_text("\n".join(words) + "\n", encoding="utf8")
    return path


#: name -> (store, gold, build arguments after ``lexgraph build``); sources made by a function come first.
PRESETS = {
    "en3k": (OUT / "bench_en.duckdb", "wordnet:en", []),
    "en10k": (OUT / "bench_en10k.duckdb", "wordnet:en", ["--default-size", "10000"]),
    "tr5k": (OUT / "bench_tr.duckdb", "wordnet:tr", ["--lang", "tr"]),
}


def build_preset(name: str, rebuild: bool = False) -> tuple[Path, str]:
    """Build a preset's store with ``lexgraph build`` (unless it exists); returns (store, gold)."""
    db, gold, extra = PRESETS[name]
    if db.exists() and not rebuild:
        return db, gold
    source = [str(turkish_lexicon())] if name == "tr5k" else []
    cmd = ["lexgraph", "build", *source, "--db", str(db), *extra, "--quiet", "--no-tree"]
    if db.exists():
        cmd += ["--force", "ingest"]
    print("$", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return db, gold


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
    from lexgraph.clustering.evaluate import load_gold
    from lexgraph.store import Store

    jobs = [(db, args.gold) for db in args.db] + [build_preset(p, args.rebuild) for p in args.preset]
    for db, gold in jobs:
        g = load_gold(gold)                   # once per store: every table below reads it
        with Store(db, read_only=True) as store:
            df = compare_methods(store, gold=g, gate=args.gate, join_share=args.join_share, random_state=0,
                                 score=args.edge_score)
            print(f"\n{db} vs {gold} (edge score {args.edge_score}, gate {args.gate}, join share "
                  f"{args.join_share})\n")
            print(markdown_table(df))
            if args.sweep:
                print(f"\n{db}: sweep of the edge score and gate (pair_f1 / bcubed_f1)\n")
                print(markdown_table(sweep_table(store, g)))
                print(f"\n{db}: Leiden CPM resolution on the {args.edge_score} graph, gate {args.gate} "
                      "(pair_f1 / bcubed_f1 / antonym_intrusion)\n")
                print(markdown_table(resolution_table(store, g, args.gate, args.edge_score)))
            if args.ceiling:
                print(f"\n{db}: ceiling, every graph method on this store's candidate pairs with the gold as the "
                      "discriminator (pair_f1 / bcubed_f1)\n")
                print(markdown_table(ceiling_table(store, g)))


def sweep_table(store, g: "Gold", grid: tuple[tuple[str, float], ...] = (
        ("p_synonym", 0.5), ("p_synonym", 0.6), ("p_synonym", 0.7), ("p_synonym*cosine", 0.3),
        ("p_synonym*cosine", 0.35), ("p_synonym*cosine", 0.4), ("p_synonym*cosine", 0.45))) -> "pl.DataFrame":
    """Soft-hard (join share 0.4 and 0.51) and the graph baselines at each (edge score, gate):
    one row per graph, ``pair_f1 / bcubed_f1`` per method."""
    import polars as pl

    from lexgraph.clustering.baselines import make_estimator
    from lexgraph.clustering.evaluate import evaluate_clusters
    from lexgraph.clustering.stage import cluster_tables, load_graph

    runs = [("softhard js=0.4", "softhard", 0.4), ("softhard js=0.51", "softhard", 0.51),
            ("leiden", "leiden", 0.51), ("chinese-whispers", "chinese-whispers", 0.51), ("watset", "watset", 0.51)]
    rows = []
    for score, gate in grid:
        graph, terms = load_graph(store, gate, with_candidates=False, score=score)
        row = {"edge score": score, "gate": gate, "edges": graph.n_edges}
        for name, method, js in runs:
            m = evaluate_clusters(cluster_tables(graph, terms, make_estimator(method, join_share=js), name).clusters, g)
            row[name] = f"{m['pair_f1']:.3f} / {m['bcubed_f1']:.3f}"
        rows.append(row)
    return pl.DataFrame(rows)


def resolution_table(store, g: "Gold", gate: float, score: str,
                     resolutions: tuple[float, ...] = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)) -> "pl.DataFrame":
    """Leiden (CPM) at each resolution on one synonym graph, beside soft-hard at join share 0.51:
    the default resolution 0.5 suits weights near 1 (P(synonym)), not the product scores."""
    import polars as pl

    from lexgraph.clustering.baselines import LeidenClustering, make_estimator
    from lexgraph.clustering.evaluate import evaluate_clusters
    from lexgraph.clustering.stage import cluster_tables, load_graph

    graph, terms = load_graph(store, gate, with_candidates=False, score=score)
    runs = [(f"leiden resolution={r}", LeidenClustering(resolution=r, random_state=0)) for r in resolutions]
    runs.append(("softhard js=0.51", make_estimator("softhard", join_share=0.51)))
    rows = []
    for name, est in runs:
        m = evaluate_clusters(cluster_tables(graph, terms, est, name).clusters, g)
        rows.append({"method": name, "pair_f1": round(m["pair_f1"], 3), "bcubed_f1": round(m["bcubed_f1"], 3),
                     "antonym_intrusion": round(m["antonym_intrusion"], 4), "multi_member": m["multi_member"]})
    return pl.DataFrame(rows)


def with_gold_synonyms(pairs: "pl.DataFrame", g: "Gold") -> "pl.DataFrame":
    """``pairs(term_a, term_b, ...)`` with a boolean ``gold`` column: the two terms share a gold synset."""
    import polars as pl

    syn = (g.senses.join(g.senses, on="synset_id", suffix="_b").filter(pl.col("term") != pl.col("term_b"))
           .select(pl.col("term").alias("term_a"), "term_b").unique().with_columns(gold=pl.lit(True)))
    return pairs.join(syn, on=["term_a", "term_b"], how="left").with_columns(pl.col("gold").fill_null(False))


def ceiling_graphs(store, g: "Gold", precisions: tuple[float, ...] = (1.0, 0.5, 0.25), seed: int = 0):
    """Yield ``(precision, graph, terms)``: this store's candidate pairs with the gold as the discriminator.

    The synonym edges are the candidate pairs that are gold synonym pairs (edge precision 1), then those
    plus seeded random non-synonym candidate pairs until the edges' precision falls to each of
    ``precisions``; the discriminator's antonym labels stay cannot-links except on gold synonym pairs.
    """
    from lexgraph.clustering.synonym_graph import build_synonym_graph

    terms = store.frame("SELECT term_id, term FROM terms ORDER BY term_id")
    rel = with_gold_synonyms(store.frame("SELECT a_id, b_id, term_a, term_b, label FROM relations"), g)
    ids = terms["term_id"].to_numpy()
    a, b = np.searchsorted(ids, rel["a_id"].to_numpy()), np.searchsorted(ids, rel["b_id"].to_numpy())
    is_gold = rel["gold"].to_numpy()
    label = np.where(is_gold, "synonym", rel["label"].to_numpy())
    rng = np.random.default_rng(seed)
    negatives = rng.permutation(np.flatnonzero(~is_gold & (label != "antonym")))
    for precision in precisions:
        extra = negatives[:int(round(is_gold.sum() * (1 - precision) / precision))]
        p = is_gold.astype(np.float32)
        p[extra] = 1.0
        yield precision, build_synonym_graph(ids.size, a, b, p, label, gate=0.5, names=terms["term"].to_numpy()), terms


def ceiling_table(store, g: "Gold", precisions: tuple[float, ...] = (1.0, 0.5, 0.25),
                  seed: int = 0) -> "pl.DataFrame":
    """What the clustering methods reach on this store's candidate pairs with a perfect discriminator
    (the graphs of :func:`ceiling_graphs`), ``pair_f1 / bcubed_f1`` per method.

    Why: it separates what the clustering rule loses from what the discriminator's edges lose (the
    random false edges are easier than real confusions, so the lower rows are optimistic).
    """
    import polars as pl

    from lexgraph.clustering.baselines import make_estimator
    from lexgraph.clustering.evaluate import evaluate_clusters
    from lexgraph.clustering.stage import cluster_tables

    runs = [("softhard", "softhard"), ("leiden", "leiden"), ("chinese-whispers", "chinese-whispers"),
            ("watset", "watset")]
    rows = []
    for precision, graph, terms in ceiling_graphs(store, g, precisions, seed):
        row = {"edge precision": precision, "edges": graph.n_edges}
        for name, method in runs:
            m = evaluate_clusters(cluster_tables(graph, terms, make_estimator(method), name).clusters, g)
            row[name] = f"{m['pair_f1']:.3f} / {m['bcubed_f1']:.3f}"
        rows.append(row)
    return pl.DataFrame(rows)


def main() -> None:
    from lexgraph.clustering.synonym_graph import EDGE_SCORES

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
    q.add_argument("db", nargs="*", type=Path)
    q.add_argument("--preset", nargs="+", default=[], choices=sorted(PRESETS),
                   help="build (if missing) and evaluate these stores, each against its own wordnet")
    q.add_argument("--rebuild", action="store_true", help="rebuild preset stores that exist")
    q.add_argument("--sweep", action="store_true", help="also sweep the synonym gate and join share")
    q.add_argument("--ceiling", action="store_true",
                   help="also cluster the candidate pairs with the gold as a perfect discriminator")
    q.add_argument("--gold", default="wordnet:en")
    q.add_argument("--gate", type=float, default=0.70)
    q.add_argument("--join-share", type=float, default=0.51)
    q.add_argument("--edge-score", default="p_synonym", choices=EDGE_SCORES,
                   help="what the gate applies to and what weights the synonym edges")
    args = ap.parse_args()
    if args.cmd == "speed":
        speed(args)
    elif args.cmd == "one":
        print(json.dumps(run_one(args.method, args.path)))
    else:
        quality(args)


if __name__ == "__main__":
    main()
