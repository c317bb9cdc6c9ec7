"""SQL macros and views installed in every lexgraph DuckDB file (documented in docs/QUERYING.md).

They are plain DuckDB SQL, stored in the file, so the `duckdb` command-line client can
use them with no lexgraph import.
"""

from __future__ import annotations

from importlib import resources

import duckdb


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace lexgraph's macros and views on ``con``."""
    sql = resources.files("lexgraph.store").joinpath("macros.sql").read_text(encoding="utf-8")
    if sql.strip():
        con.execute(sql)
