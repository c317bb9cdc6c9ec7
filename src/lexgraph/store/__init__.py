"""Storage: one DuckDB file per build (schema in ``schema.sql``, contract in docs/SCHEMA.md)."""

from lexgraph.store.store import (
    Closing,
    NotInStoreError,
    RunRecord,
    StageRun,
    Store,
    StoreError,
    fingerprint,
)

__all__ = ["Closing", "NotInStoreError", "RunRecord", "StageRun", "Store", "StoreError", "fingerprint"]
