"""Storage: one DuckDB file per build (schema in ``schema.sql``, contract in docs/SCHEMA.md)."""

from lexgraph.store.store import NotInStoreError, RunRecord, StageRun, Store, StoreError, fingerprint

__all__ = ["NotInStoreError", "RunRecord", "StageRun", "Store", "StoreError", "fingerprint"]
