"""The Turkish analyser's speed, with and without lexgraph's stand-ins, and on a Ray engine.

    python benchmarks/bench_analyser.py --words 20000 [--ray] [--lookup]

1. Loads the analyser and reads the ``--words`` most frequent wordfreq Turkish words, once in a fresh process
   without the stand-ins of ``lexgraph.morphology._speedups`` and once with them; prints load and read seconds
   and whether the two analyses are identical.
2. ``--ray``: the evidence stage's analysis of those words (``morphology_evidence``) in process and on a local
   two-worker Ray cluster (needs the ``ray`` extra); seconds and whether analysis and links are identical.
3. ``--lookup``: DuckDB's cost for a list of N terms as a list parameter against a registered Arrow table
   (what the cached-vector lookup of ``embed/cache.py`` uses), for N = 3,000, 30,000 and 150,000.

docs/BENCHMARKS.md, "Session 19", has the figures of 2026-12-01.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

#: Run in a fresh process: load, read, write the analysis; print the two timings as JSON.
_ANALYSE = """
import json, sys, time
from lexgraph.morphology import _speedups
if sys.argv[1] == "off":
    _speedups.install = lambda: None
from lexgraph.morphology import TurkishAnalyser
words = json.loads(open(sys.argv[2], encoding="utf-8").read())
analyser = TurkishAnalyser()
t = time.perf_counter(); analyser.fsm; load = time.perf_counter() - t
t = time.perf_counter(); analysis = analyser.analyse(words); read = time.perf_counter() - t
analysis.write_parquet(sys.argv[3])
print(json.dumps({"load s": round(load, 1), "read s": round(read, 1)}))
"""


def turkish_words(n: int) -> list[str]:
    from wordfreq import top_n_list

    return sorted(set(top_n_list("tr", n)))


def speedups(words: list[str], work: Path) -> None:
    source = work / "words.json"
    source.write_text(json.dumps(words), encoding="utf-8")
    frames = {}
    for mode in ("off", "on"):
        out = work / f"{mode}.parquet"
        done = subprocess.run([sys.executable, "-c", _ANALYSE, mode, str(source), str(out)], check=True,
                              capture_output=True, text=True)
        print(f"stand-ins {mode}: {len(words)} words, {done.stdout.strip().splitlines()[-1]}")
        frames[mode] = pl.read_parquet(out)
    print("identical analyses:", frames["off"].equals(frames["on"]))


def on_ray(words: list[str]) -> None:
    import ray

    from lexgraph.engine.ray_engine import RayEngine
    from lexgraph.evidence.morphology import morphology_evidence

    terms = pl.DataFrame({"term_id": range(len(words)), "term": words})
    t = time.perf_counter()
    local = morphology_evidence("tr", terms)
    local_s = time.perf_counter() - t
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    try:
        t = time.perf_counter()
        with RayEngine() as engine:
            remote = morphology_evidence("tr", terms, engine)
        ray_s = time.perf_counter() - t
    finally:
        ray.shutdown()
    same = remote.analysis.equals(local.analysis) and remote.links.equals(local.links)
    print(f"analysis of {len(words)} words: in process {local_s:.1f} s, Ray (2 workers) {ray_s:.1f} s, "
          f"identical: {same}")


def lookup() -> None:
    import duckdb
    import pyarrow as pa

    con = duckdb.connect()
    for n in (3000, 30000, 150000):
        con.execute(f"CREATE OR REPLACE TABLE embeddings AS SELECT 'usem3' AS encoder, 'w' || i AS term, "
                    f"[0.1, 0.2]::FLOAT[] AS vector FROM range({n}) r(i)")
        terms = [f"w{i}" for i in range(n)]
        sql = "SELECT term, vector FROM embeddings WHERE encoder = 'usem3' AND term IN ({})"
        t = time.perf_counter()
        con.execute(sql.format("SELECT unnest($t)"), {"t": terms}).to_arrow_table()
        as_list = time.perf_counter() - t
        t = time.perf_counter()
        con.register("q", pa.table({"term": pa.array(terms, pa.string())}))
        con.execute(sql.format("SELECT term FROM q")).to_arrow_table()
        con.unregister("q")
        print(f"{n} terms: list parameter {as_list:.2f} s, registered table {time.perf_counter() - t:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=20000, help="most frequent wordfreq Turkish words")
    ap.add_argument("--ray", action="store_true", help="also the analysis on a local two-worker Ray cluster")
    ap.add_argument("--lookup", action="store_true", help="also the list-parameter lookup measurement")
    args = ap.parse_args()
    words = turkish_words(args.words)
    with tempfile.TemporaryDirectory() as work:
        speedups(words, Path(work))
    if args.ray:
        on_ray(words)
    if args.lookup:
        lookup()


if __name__ == "__main__":
    main()
