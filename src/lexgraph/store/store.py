"""One DuckDB file per build: schema, stage transactions and the ``runs`` log.

A stage writes inside one transaction opened by :meth:`Store.stage`; if the stage
raises, the transaction is rolled back, so the file is left exactly as it was before
the stage, and a ``failed`` row is logged in ``runs``.  Completed stages are logged
with a *fingerprint* (hash of their parameters and of the upstream runs they read),
which is how a rerun decides what it can skip.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl
import pyarrow as pa

from lexgraph import __version__

#: The schema's name for people (docs/SCHEMA.md); a file of a higher version is refused naming it.
SCHEMA_VERSION = "9"


def _schema_sql() -> str:
    return resources.files("lexgraph.store").joinpath("schema.sql").read_text(encoding="utf-8")


#: What is checked on open: the first 16 hex digits of the sha256 of ``schema.sql``, so any change to
#: the tables is caught without anyone remembering to bump :data:`SCHEMA_VERSION`.
SCHEMA_HASH = hashlib.sha256(_schema_sql().encode()).hexdigest()[:16]

_LOCK_PID = re.compile(r"\(PID (\d+)\)")


_C = TypeVar("_C", bound="Closing")


class Closing:
    """``with`` support for anything with a ``close()``: the store and the read API share it."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StoreError(RuntimeError):
    """A DuckDB file that cannot be used as a lexgraph store."""


class NotInStoreError(StoreError, LookupError):
    """The build lacks what was asked for (a tree, an encoder's vectors); the message says what to run.

    A LookupError too, for callers that catch that; the command line catches it as a StoreError,
    so a KeyError or IndexError from a bug still shows its traceback.
    """


def fingerprint(params: dict[str, Any]) -> str:
    """Stable short hash of a JSON-serialisable parameter dict."""
    blob = json.dumps(params, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


@dataclass
class StageRun:
    """Handle a running stage uses to report what it produced."""

    stage: str
    params: dict[str, Any]
    fingerprint: str
    counts: dict[str, int | float] = field(default_factory=dict)


@dataclass(frozen=True)
class RunRecord:
    """A row of the ``runs`` table."""

    run_id: int
    stage: str
    status: str
    fingerprint: str
    params: dict[str, Any]
    counts: dict[str, Any]


#: The most memory DuckDB's buffer pool may hold; past it, joins, aggregates and sorts spill to a temporary
#: folder beside the file.  DuckDB's default is 80% of the machine's memory, which a 148K-term build shares
#: with the stages' own arrays (issue 17: peak RSS under 6 GB).
DUCKDB_MEMORY_LIMIT = "3GB"


class Store(Closing):
    """A lexgraph DuckDB file.

    Parameters
    ----------
    path:
        The ``.duckdb`` file; created (with the schema) when missing and not read-only.
    read_only:
        Open without write access; the default for querying.
    """

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no lexgraph database at {self.path}")
        if not read_only:
            _remove_if_empty_and_free(self.path)
        created = not self.path.exists()
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only,
                                      config={"memory_limit": DUCKDB_MEMORY_LIMIT})
        except duckdb.IOException as exc:
            if "Could not set lock" in str(exc):
                raise StoreError(_locked_message(self.path, str(exc))) from exc
            if created and _is_disk_full(exc):
                # the half-written header would make the rerun fail with "could not read enough bytes"
                for partial in (self.path, self.path.with_name(self.path.name + ".wal")):
                    partial.unlink(missing_ok=True)
                raise StoreError(f"no room to create {self.path} (disk full or file size limit: "
                                 f"{_os_reason(exc)}); free some space and rerun") from exc
            raise StoreError(f"cannot open {self.path} as a DuckDB file: {exc}") from exc
        except duckdb.Error as exc:
            raise StoreError(f"cannot open {self.path} as a DuckDB file: {exc}") from exc
        try:
            if read_only:
                self._check_version()
            else:
                self._apply_schema()
        except BaseException as exc:
            self.con.close()
            if _is_disk_full(exc):
                raise StoreError(f"no room to write the lexgraph schema into {self.path} (disk full or file "
                                 f"size limit: {_os_reason(exc)}); free some space and rerun") from exc
            raise

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def _apply_schema(self) -> None:
        if self._meta("schema_version") is None:
            foreign = self.tables()
            if foreign:
                raise StoreError(
                    f"{self.path} is a DuckDB file that lexgraph did not create (it has tables "
                    f"{', '.join(foreign[:5])}{', ...' if len(foreign) > 5 else ''} and no lexgraph meta table); "
                    "lexgraph will not write into it: build into a new file with `lexgraph build --db NEW.duckdb`"
                )
            self.con.execute("BEGIN TRANSACTION")
            self.con.execute(_schema_sql())
            self.con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?), ('schema_hash', ?), ('lexgraph_version', ?)",
                [SCHEMA_VERSION, SCHEMA_HASH, __version__],
            )
            self.con.execute("COMMIT")
        else:
            self._check_version()
        self._after_schema()

    def _after_schema(self) -> None:
        """Hook for SQL objects (macros, views) installed on every writable open."""
        from lexgraph.store.macros import install_macros

        install_macros(self.con)

    def _meta(self, key: str) -> str | None:
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        except duckdb.CatalogException:
            return None
        return None if row is None else str(row[0])

    def _check_version(self) -> None:
        """Refuse a file that is not a lexgraph store, or one whose tables differ from this schema.sql."""
        version = self._meta("schema_version")
        if version is None:
            raise StoreError(f"{self.path} is not a lexgraph database (no meta table)")
        found = self._meta("schema_hash")
        if version == SCHEMA_VERSION and found == SCHEMA_HASH:
            return
        newer = version.isdigit() and SCHEMA_VERSION.isdigit() and int(version) > int(SCHEMA_VERSION)
        written = f"lexgraph schema version {version} (schema hash {found or 'none'})"
        ours = f"this lexgraph {__version__} uses schema version {SCHEMA_VERSION} (schema hash {SCHEMA_HASH})"
        remedy = ("upgrade lexgraph to read it" if newer
                  else "rebuild it into a new file with `lexgraph build --db NEW.duckdb`")
        raise StoreError(f"{self.path} was written with {written}; {ours}; {remedy}")

    # -- stages ------------------------------------------------------------------------------
    @contextmanager
    def stage(self, name: str, params: dict[str, Any], upstream: list[int] | None = None,
              clears: tuple[str, ...] = ()) -> Iterator[StageRun]:
        """Run one stage inside a transaction.

        ``clears`` names the tables the stage owns: they are emptied inside the same
        transaction, so a failed stage leaves the previous contents in place.
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only; stage {name!r} needs write access")
        fp = fingerprint({"params": params, "upstream": upstream or []})
        run = StageRun(name, params, fp)
        started = datetime.now(timezone.utc)
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table in clears:
                self.con.execute(f"DELETE FROM {table}")
            yield run
            self._log_run(run, "completed", started, None)
        except BaseException as exc:
            self._abandon(run, started, exc, rollback=True)
            if _is_disk_full(exc):
                raise StoreError(self._disk_full_message(name, exc)) from exc
            raise
        try:
            self.con.execute("COMMIT")
        except duckdb.Error as exc:       # the commit wrote the WAL and failed; DuckDB has rolled back
            self._abandon(run, started, exc, rollback=False)
            if _is_disk_full(exc):
                raise StoreError(self._disk_full_message(name, exc)) from exc
            raise StoreError(f"stage {name!r} could not be committed to {self.path}: {exc}") from exc

    def _abandon(self, run: StageRun, started: datetime, exc: BaseException, rollback: bool) -> None:
        """Roll back a failed stage and log a ``failed`` run, as far as the file still allows.

        After a full disk or a failed commit the transaction may be gone and nothing more may be
        writable; the stage's own error is what the caller reports, so these steps are best-effort.
        """
        if rollback:
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                pass
        try:
            self._log_run(run, "failed", started, f"{type(exc).__name__}: {exc}")
        except duckdb.Error:
            pass

    def _disk_full_message(self, stage: str, exc: BaseException) -> str:
        return (f"no room to write {self.path} during stage {stage!r} (disk full or file size limit: "
                f"{_os_reason(exc)}); the stage was rolled back and the file is as it was before it. "
                "Free some space and rerun the same `lexgraph build`: it resumes at this stage")

    def _log_run(self, run: StageRun, status: str, started: datetime, error: str | None) -> None:
        next_id = self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()[0]
        self.con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [next_id, run.stage, status, run.fingerprint, json.dumps(run.params, default=str),
             json.dumps(run.counts, default=str), error, started.replace(tzinfo=None),
             datetime.now(timezone.utc).replace(tzinfo=None), __version__],
        )

    def last_completed(self, stage: str) -> RunRecord | None:
        """The newest completed run of ``stage``, or None."""
        row = self.con.execute(
            "SELECT run_id, stage, status, fingerprint, params, counts FROM runs "
            "WHERE stage = ? AND status = 'completed' ORDER BY run_id DESC LIMIT 1",
            [stage],
        ).fetchone()
        if row is None:
            return None
        return RunRecord(row[0], row[1], row[2], row[3], json.loads(row[4] or "{}"), json.loads(row[5] or "{}"))

    # -- data --------------------------------------------------------------------------------
    @contextmanager
    def registered(self, name: str, data: pl.DataFrame | pa.Table) -> Iterator[None]:
        """``data`` readable by SQL as the view ``name`` inside the block (a list parameter of many values
        is converted value by value by DuckDB's Python binding; a registered Arrow table is not)."""
        self.con.register(name, data.to_arrow() if isinstance(data, pl.DataFrame) else data)
        try:
            yield
        finally:
            self.con.unregister(name)

    def append(self, table: str, data: pl.DataFrame | pa.Table) -> int:
        """Append rows (columns matched by name) to ``table``; returns the row count."""
        arrow = data.to_arrow() if isinstance(data, pl.DataFrame) else data
        if arrow.num_rows == 0:
            return 0
        cols = ", ".join(f'"{c}"' for c in arrow.column_names)
        with self.registered("_lexgraph_append", arrow):
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _lexgraph_append")
        return arrow.num_rows

    def frame(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
        """Run ``sql`` (``?`` or ``$name`` parameters) and return a polars DataFrame.

        INTERVAL columns (``finished_at - started_at``) come back as text such as ``0:00:03.2``:
        polars cannot import Arrow's month-day-nano intervals.
        """
        table = self.con.execute(sql, params or []).to_arrow_table()
        for i, f in enumerate(table.schema):
            if pa.types.is_interval(f.type):
                text = [_interval_text(v) for v in table.column(i).to_pylist()]
                table = table.set_column(i, f.name, pa.array(text, pa.string()))
        return pl.from_arrow(table)

    def count(self, table: str) -> int:
        """Row count of ``table``."""
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def tables(self) -> list[str]:
        """Names of the base tables in the main schema."""
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]


def _remove_if_empty_and_free(path: Path) -> None:
    """Remove a 0-byte ``path`` that no process holds, so that DuckDB creates the store afresh.

    DuckDB refuses a 0-byte file ("not a valid DuckDB database file"), and a build killed between creating
    the file and writing its header leaves one (so does ``touch``). It holds nothing to lose. The file is
    removed under the same lock DuckDB takes, so a build that is creating it right now keeps it (and a
    second one is then refused by DuckDB's lock, as usual).
    """
    try:
        import fcntl
    except ImportError:          # not POSIX: leave it to DuckDB's message
        return
    try:
        if path.stat().st_size != 0:
            return
        with open(path, "rb+") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:      # someone is creating it: DuckDB will report the lock
                return
            if os.fstat(handle.fileno()).st_size == 0:
                path.unlink()
    except FileNotFoundError:
        return


def _locked_message(path: Path, duckdb_message: str) -> str:
    """The error for a file another process holds open for writing (DuckDB's file lock)."""
    pid = _LOCK_PID.search(duckdb_message)
    holder = f" (PID {pid.group(1)})" if pid else ""
    return (f"{path} is being written by another process{holder}; wait for that build to finish, "
            "or build into another file with --db")


#: How the operating system says a write did not fit, as errno values and as DuckDB's messages quote them.
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_DISK_FULL_TEXTS = tuple(os.strerror(e) for e in sorted(_DISK_FULL_ERRNOS))


def _is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or an exception it was raised from) is a write that ran out of room."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _DISK_FULL_ERRNOS:
            return True
        if isinstance(seen, duckdb.Error) and any(text in str(seen) for text in _DISK_FULL_TEXTS):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _os_reason(exc: BaseException) -> str:
    text = str(exc)
    for reason in _DISK_FULL_TEXTS:
        if reason in text:
            return reason
    return os.strerror(exc.errno) if isinstance(exc, OSError) and exc.errno else text


def _interval_text(v: Any) -> str | None:
    """An Arrow month-day-nano interval as text: ``0:01:30`` (``2 months 0:01:30`` when it has months)."""
    if v is None:
        return None
    clock = str(timedelta(days=v.days, microseconds=v.nanoseconds / 1000))
    return f"{v.months} months {clock}" if v.months else clock
