"""SQL the library runs from more than one place, written once here (wn's ``_queries.py`` pattern).

The macros a user calls live in ``macros.sql``; this module holds the statements that
several modules issue, with named parameters, and the reserved names they read.
"""

from __future__ import annotations

import polars as pl

from lexgraph.store.store import Store

#: Name of the tree the build makes over its synonym clusters (``tree_nodes.tree``). ``macros.sql``
#: reads it as the macro ``clusters_tree()``; ``tests/test_query.py`` keeps the two equal.
CLUSTERS_TREE = "clusters"

#: Terms of the build with no cached vector for ``$encoder``, in term_id order.
MISSING_EMBEDDINGS = ("SELECT t.term FROM terms t ANTI JOIN (SELECT term FROM embeddings WHERE encoder = $encoder) e "
                      "USING (term) ORDER BY t.term_id")

#: Names of the stored trees, sorted.
TREE_NAMES = "SELECT DISTINCT tree FROM tree_nodes ORDER BY tree"


def missing_terms(store: Store, encoder: str) -> list[str]:
    """Terms of the ``terms`` table with no cached vector for ``encoder``, in term_id order."""
    return [r[0] for r in store.con.execute(MISSING_EMBEDDINGS, {"encoder": encoder}).fetchall()]


def tree_names(store: Store) -> list[str]:
    """Names of the trees stored in ``tree_nodes``, sorted."""
    return [r[0] for r in store.con.execute(TREE_NAMES).fetchall()]


def tree_leaves(store: Store, tree: str) -> pl.DataFrame:
    """``(node_id, item)``: each item of ``tree`` once, under its lowest node (the ``tree_leaves`` macro)."""
    return store.frame("SELECT node_id, item FROM tree_leaves($tree) ORDER BY node_id, item", {"tree": tree})


def a_id_slices(store: Store, table: str, chunk: int) -> list[tuple[int, int | None]]:
    """``(lo, hi)`` bounds cutting a pair ``table`` into slices of about ``chunk`` rows by ``a_id``.

    A slice is ``a_id > lo AND (hi IS NULL OR a_id <= hi)`` (see :data:`A_ID_SLICE`); reading slice by
    slice keeps memory bounded without ``LIMIT/OFFSET`` scans, which are quadratic over a big table.
    """
    bounds = [r[0] for r in store.con.execute(
        f"SELECT a_id FROM (SELECT a_id, sum(count(*)) OVER (ORDER BY a_id) AS upto FROM {table} GROUP BY a_id) "
        "QUALIFY upto // $chunk <> coalesce(lag(upto) OVER (ORDER BY a_id), 0) // $chunk ORDER BY a_id",
        {"chunk": chunk}).fetchall()]
    return list(zip([-1, *bounds], [*bounds, None]))


#: The WHERE condition of one :func:`a_id_slices` slice, with parameters ``$lo`` and ``$hi``.
A_ID_SLICE = "a_id > $lo AND ($hi IS NULL OR a_id <= $hi)"
