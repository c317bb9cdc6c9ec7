"""Hostile input files through ingest: files tried, rows read, rows accounted for, tracebacks.

Usage (from the repository root, venv active)::

    python benchmarks/bench_hostile.py [--files 1000] [--seed 0] [--db-every 10]

Generates ``--files`` files with the generators of ``tests/hostile_inputs.py`` (text and CSV/TSV in
UTF-8/16/32 with and without BOM, mixed CRLF/LF/lone CR, inserted invalid bytes, NUL and control
characters, 1 MB lines, zero-width, combining, right-to-left and emoji text, the Turkish I in every
case, quotes and line breaks inside CSV fields, ragged records, and raw random bytes as .txt, .csv,
.tsv and .parquet), reads each with ``read_source`` and ``ingest``, and checks that every row read is a
term source or a reject with a row number and a reason.  Every ``--db-every``-th file also goes
through the ingest stage into a DuckDB file, whose stored rows must add up the same way.

A *traceback* is any exception other than :class:`~lexgraph.lexicon.sources.SourceError` (the
one-line refusal of a file that cannot be read at all); the target is 0, and 0 rows unaccounted.
No models are loaded.
"""

from __future__ import annotations

import argparse
import collections
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hostile_inputs import HostileFile, account, hostile_files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="generated files to try (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed (default 0)")
    parser.add_argument("--db-every", type=int, default=10, help="every N-th file also through the store (0: none)")
    args = parser.parse_args()

    from lexgraph.config import BuildConfig
    from lexgraph.lexicon.stage import IngestStage
    from lexgraph.pipeline import build

    totals: collections.Counter[str] = collections.Counter()
    kinds: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="bench_hostile_"))

    @seed(args.seed)
    @settings(max_examples=args.files, deadline=None, database=None, phases=["generate"],
              suppress_health_check=list(HealthCheck))
    @given(f=hostile_files)
    def one(f: HostileFile) -> None:
        i = totals["files"]
        totals["files"] += 1
        kinds[Path(f.name).suffix] += 1
        totals["bytes"] += len(f.data)
        path = work / f"{i}{Path(f.name).suffix}"
        path.write_bytes(f.data)
        try:
            acc = account(path, f.lang, f.expected, f.encoding)
            totals["rows read"] += acc.rows_read
            totals["rows accounted"] += acc.in_terms + acc.in_rejects
            totals["rows in terms"] += acc.in_terms
            totals["rows rejected"] += acc.in_rejects
            totals["files refused (one-line SourceError)"] += acc.error is not None
            if acc.problems:
                totals["files with broken promises"] += 1
                failures.append(f"{f!r}: {acc.problems}")
            if args.db_every and i % args.db_every == 0 and acc.error is None:
                totals["files through the store"] += 1
                build_lang = "tr" if f.lang in ("tr", "az") else "en"     # builds take en or tr
                acc = account(path, build_lang)
                db = work / f"{i}.duckdb"
                try:
                    build(BuildConfig(db=db, sources=[str(path)], lang=build_lang, progress=False),
                          stages=[IngestStage()])
                except ValueError as exc:               # "no usable terms": the stage's clean refusal
                    totals["store builds refused (no usable terms)"] += "no usable terms" in str(exc)
                    if "no usable terms" not in str(exc):
                        raise
                else:
                    with duckdb.connect(str(db), read_only=True) as con:
                        stored = con.execute("SELECT (SELECT count(*) FROM term_sources) + "
                                             "(SELECT count(*) FROM rejects)").fetchone()[0]
                    if stored != acc.rows_read:
                        failures.append(f"{f!r}: {acc.rows_read} rows read, {stored} stored")
                        totals["store builds that do not add up"] += 1
                db.unlink(missing_ok=True)
        except Exception:                               # noqa: BLE001 -- counting them is the point
            totals["tracebacks"] += 1
            failures.append(f"{f!r}:\n{traceback.format_exc()}")
        finally:
            path.unlink(missing_ok=True)

    start = time.perf_counter()
    one()
    elapsed = time.perf_counter() - start

    print(f"# bench_hostile: {' '.join(sys.argv[1:]) or '(defaults)'}; python {platform.python_version()}, "
          f"{platform.machine()}")
    print(f"files tried:      {totals['files']}  ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}; "
          f"{totals['bytes'] / 1e6:.1f} MB)")
    print(f"rows read:        {totals['rows read']}")
    print(f"rows accounted:   {totals['rows accounted']}  (in terms {totals['rows in terms']}, "
          f"rejected {totals['rows rejected']})")
    print(f"rows unaccounted: {totals['rows read'] - totals['rows accounted']}")
    print(f"tracebacks:       {totals['tracebacks']}")
    for key in ("files refused (one-line SourceError)", "files with broken promises", "files through the store",
                "store builds refused (no usable terms)", "store builds that do not add up"):
        print(f"{key}: {totals[key]}")
    print(f"time:             {elapsed:.1f} s")
    for failure in failures[:10]:
        print("\nFAILED", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
