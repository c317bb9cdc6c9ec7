"""Read-only summaries of a build that ``lexgraph build`` and ``lexgraph info`` print."""

from __future__ import annotations

import polars as pl

from lexgraph.store.store import Store


def table_counts(store: Store) -> pl.DataFrame:
    """Rows per base table: ``table, rows``."""
    return store.frame(" UNION ALL ".join(
        f"SELECT '{t}' AS \"table\", count(*) AS rows FROM {t}" for t in store.tables()))


def run_log(store: Store) -> pl.DataFrame:
    """The stage runs, oldest first, counts as ``key=value, ...`` text (narrow enough for a terminal).

    The ``error`` column is left out when no run failed.
    """
    runs = store.frame(
        "SELECT run_id AS run, stage, status, round(epoch(finished_at - started_at), 1) AS seconds, "
        "regexp_replace(regexp_replace(CAST(counts AS VARCHAR), '[{}\"]', '', 'g'), ': ?', '=', 'g') AS counts, "
        "coalesce(error, '') AS error FROM runs ORDER BY run_id")
    return runs.drop("error") if runs.get_column("error").str.len_chars().max() in (0, None) else runs


def example_clusters(store: Store, limit: int = 8) -> pl.DataFrame:
    """A few clusters of 2 to 8 members, those of 3 or more and the most cohesive first."""
    # Members only; the inflected forms that follow them are listed apart (variants).
    return store.frame(
        "SELECT s.cluster_id, s.size, s.representative, "
        "string_agg(c.term, ', ' ORDER BY c.term) FILTER (WHERE c.variant_of IS NULL) AS members, "
        "coalesce(string_agg(c.term, ', ' ORDER BY c.term) FILTER (WHERE c.variant_of IS NOT NULL), '') AS variants "
        "FROM cluster_summary s JOIN clusters c USING (cluster_id) "
        "WHERE s.size BETWEEN 2 AND 8 GROUP BY s.cluster_id, s.size, s.representative, s.cohesion "
        "ORDER BY s.size >= 3 DESC, s.cohesion DESC NULLS LAST, s.size DESC, s.cluster_id LIMIT ?", [limit])
