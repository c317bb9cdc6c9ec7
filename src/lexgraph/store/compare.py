"""Two builds compared table by table: is a build on one engine (or machine) the same as another's?"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb

#: Tables that record how a build ran (run ids, times, versions), not what it made.
BOOKKEEPING: tuple[str, ...] = ("runs", "meta")


def differing_tables(a: str | Path, b: str | Path, tolerance: float = 0.0,
                     ignore: tuple[str, ...] = BOOKKEEPING) -> dict[str, str]:
    """Tables of two lexgraph files whose contents differ, each with a line saying how.

    Rows are compared as multisets (order of insertion aside); floats, alone or in lists (vectors),
    may differ by ``tolerance``. Tables in ``ignore`` are skipped. Empty when the builds agree.
    """
    out: dict[str, str] = {}
    with duckdb.connect() as con:
        for alias, path in (("a", a), ("b", b)):            # ATTACH takes no parameters
            con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS {alias} (READ_ONLY)")
        names = {cat: {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = $cat AND table_schema = 'main' "
            "AND table_type = 'BASE TABLE'", {"cat": cat}).fetchall()} for cat in ("a", "b")}
        for table in sorted((names["a"] | names["b"]) - set(ignore)):
            if table not in names["a"] or table not in names["b"]:
                out[table] = f"only in {a if table in names['a'] else b}"
                continue
            exact = con.execute(f"SELECT (SELECT count(*) FROM (FROM a.{table} EXCEPT ALL FROM b.{table})) + "
                                f"(SELECT count(*) FROM (FROM b.{table} EXCEPT ALL FROM a.{table}))").fetchone()[0]
            if exact == 0:
                continue
            ra = con.execute(f"FROM a.{table} ORDER BY ALL").fetchall()
            rb = con.execute(f"FROM b.{table} ORDER BY ALL").fetchall()
            if len(ra) != len(rb):
                out[table] = f"{len(ra)} vs {len(rb)} rows"
                continue
            first = next((i for i, (x, y) in enumerate(zip(ra, rb)) if not _close(x, y, tolerance)), None)
            if first is not None:
                out[table] = f"{exact} rows differ; first: {ra[first]} vs {rb[first]}"
    return out


def _close(x: Any, y: Any, tolerance: float) -> bool:
    """Equal values; floats (also inside lists and rows) within ``tolerance``."""
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=0.0, abs_tol=tolerance) or (math.isnan(x) and math.isnan(y))
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        return len(x) == len(y) and all(_close(u, v, tolerance) for u, v in zip(x, y))
    return x == y
