"""Is a change's build the same as before it?  The tables of two build files compared, one line each.

A thin command over :func:`lexgraph.store.compare.differing_tables` (rows as multisets, ``runs`` and
``meta`` left out: they hold timings and versions).  ``--tolerance T`` lets floats, alone or in
vectors, differ by T, for changes that only move the last bits of a float.

    PYTHONPATH=src python benchmarks/table_hashes.py /tmp/scale/a.duckdb /tmp/scale/b.duckdb --tolerance 1e-9
"""

from __future__ import annotations

import argparse

from lexgraph.store.compare import differing_tables


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--tolerance", type=float, default=0.0)
    args = ap.parse_args()
    differ = differing_tables(args.a, args.b, args.tolerance)
    for table, how in differ.items():
        print(f"{table:<16} DIFFERS  {how}")
    print("same" if not differ else f"{len(differ)} table(s) differ")


if __name__ == "__main__":
    main()
