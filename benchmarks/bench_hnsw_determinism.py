"""Is the HNSW index the same every build, and what does making it so cost?

Issue 18 part 6. Above ``exact_threshold`` (50,000 terms) candidate search uses faiss HNSW. Before faiss
1.15.1 its multi-threaded ``add`` is not deterministic; lexgraph then adds in one thread
(:func:`lexgraph.candidates.search.hnsw_add`). This builds the index twice on the same seeded vectors in
each mode and reports build time, whether the two graphs and the two neighbour lists are identical, and
recall@k against exact search:

- ``threads``: faiss's plain ``add`` with all its threads (what lexgraph did before);
- ``one thread``: the add inside :func:`~lexgraph.candidates.search.one_faiss_thread`;
- ``lexgraph``: ``CandidateSearch(index='hnsw').fit`` as the build runs it.

Run it against another faiss by putting that faiss first on the path, e.g.
``pip install --target /tmp/faiss1143 --no-deps faiss-cpu==1.14.3`` then
``PYTHONPATH=/tmp/faiss1143:src python benchmarks/bench_hnsw_determinism.py``.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np


def seeded_vectors(n: int, d: int, seed: int) -> np.ndarray:
    """Unit vectors in clumps, like word embeddings: ``n // 50`` centres plus noise (seeded)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(1, n // 50), d)).astype(np.float32)
    X = centres[rng.integers(0, len(centres), n)] + 0.7 * rng.standard_normal((n, d)).astype(np.float32)
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def build(X: np.ndarray, mode: str, m: int, ef_construction: int) -> tuple[object, float]:
    """One HNSW index over ``X`` in ``mode``; the index and its build seconds."""
    import faiss

    from lexgraph.candidates.search import CandidateSearch, one_faiss_thread

    started = time.perf_counter()
    if mode == "lexgraph":
        index = CandidateSearch(k=10, index="hnsw", hnsw_m=m, ef_construction=ef_construction).fit(X).index_
        return index, time.perf_counter() - started
    index = faiss.IndexHNSWFlat(X.shape[1], m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = ef_construction
    if mode == "one thread":
        with one_faiss_thread():
            index.add(X)
    else:
        index.add(X)
    return index, time.perf_counter() - started


def main() -> None:
    import faiss

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60_000)
    parser.add_argument("--dim", type=int, default=384, help="MiniLM's width")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--modes", default="threads,one thread,lexgraph")
    args = parser.parse_args()
    X = seeded_vectors(args.n, args.dim, args.seed)
    Q = X[: args.queries]
    exact = faiss.IndexFlatIP(args.dim)
    exact.add(X)
    _, truth = exact.search(Q, args.k)
    print(f"faiss {faiss.__version__}, {faiss.omp_get_max_threads()} OpenMP threads, {platform.machine()}; "
          f"{args.n} x {args.dim} seeded vectors, M 16, efConstruction 64, efSearch 80, recall@{args.k} on "
          f"{args.queries} queries\n")
    print("| mode | build s (1st, 2nd) | graphs identical | neighbour lists identical | recall@k |")
    print("|---|---|---|---|---|")
    for mode in args.modes.split(","):
        graphs, found, seconds = [], [], []
        for _ in range(2):
            index, took = build(X, mode, 16, 64)
            index.hnsw.efSearch = 80
            graphs.append(faiss.vector_to_array(index.hnsw.neighbors))
            found.append(index.search(Q, args.k)[1])
            seconds.append(took)
        recall = np.mean([len(set(a) & set(b)) / args.k for a, b in zip(found[0], truth)])
        print(f"| {mode} | {seconds[0]:.1f}, {seconds[1]:.1f} | {np.array_equal(*graphs)} | "
              f"{np.array_equal(*found)} | {recall:.4f} |", flush=True)


if __name__ == "__main__":
    main()
