"""Content hashes of a build's tables, to check that a change leaves a build's output unchanged.

One line per table: row count and an order-independent hash of its rows (the sum of DuckDB's row
hashes; ``runs`` and ``meta`` are left out, they hold timings and versions).  ``--round D`` rounds
every floating column to D decimals first, for changes that only move the last bits of a float.

    PYTHONPATH=src python benchmarks/table_hashes.py /tmp/scale/a.duckdb /tmp/scale/b.duckdb --round 9
"""

from __future__ import annotations

import argparse

import duckdb

SKIP = ("runs", "meta")


def table_hashes(path: str, decimals: int | None = None) -> dict[str, tuple[int, int]]:
    """``{table: (rows, hash)}`` for every table of the file at ``path`` but :data:`SKIP`."""
    con = duckdb.connect(path, read_only=True)
    out: dict[str, tuple[int, int]] = {}
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall():
        if table in SKIP:
            continue
        cols = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                           "ORDER BY column_index", [table]).fetchall()
        exprs = [f"round({c}, {decimals})" if decimals is not None and t in ("DOUBLE", "FLOAT") else c
                 for c, t in cols]
        rows, h = con.execute(f"SELECT count(*), coalesce(sum(hash({', '.join(exprs)})::HUGEINT) % "
                              f"18446744073709551616, 0) FROM {table}").fetchone()
        out[table] = (int(rows), int(h))
    con.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dbs", nargs="+")
    ap.add_argument("--round", type=int, default=None, dest="decimals")
    args = ap.parse_args()
    found = [table_hashes(p, args.decimals) for p in args.dbs]
    for table in sorted(set().union(*found)):
        cells = [f"{f[table][0]:>9} {f[table][1]:020d}" if table in f else f"{'-':>30}" for f in found]
        same = "" if len(found) < 2 else ("  same" if len({f.get(table) for f in found}) == 1 else "  DIFFERS")
        print(f"{table:<16} " + "  ".join(cells) + same)


if __name__ == "__main__":
    main()
