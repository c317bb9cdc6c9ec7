"""A store under stress: a second process on the file, a full disk, a DuckDB file that is not ours.

Each case is run the way a user meets it (a real subprocess, a real file lock, a real file size
limit) and checked for the one-line message the user sees and for the file left behind.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb
import pytest

import lexgraph
from lexgraph.store import Store, StoreError
from lexgraph.store.store import SCHEMA_HASH, SCHEMA_VERSION

WORDS = ["big", "large", "huge", "small", "little", "tiny", "hot", "cold", "warm", "fast", "quick", "slow",
         "car", "automobile", "dog", "cat", "happy", "glad", "sad", "begin", "start", "end", "finish", "buy",
         "purchase", "sell", "good", "bad", "house", "home"]


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "COLUMNS": "200"}


def _lexgraph(*args: str, limit_kb: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line; with ``limit_kb``, under ``ulimit -f`` (writes past it fail with EFBIG)."""
    command = [sys.executable, "-m", "lexgraph.cli", *args]
    if limit_kb is not None:
        command = ["bash", "-c", f'ulimit -f {limit_kb} && exec "$@"', "bash", *command]
    return subprocess.run(command, check=False, capture_output=True, text=True, env=_env(), timeout=600)


def _said(result: subprocess.CompletedProcess[str]) -> str:
    """stderr with rich's line wrapping undone."""
    return " ".join(result.stderr.split())


def _words(folder: Path) -> Path:
    path = folder / "words.txt"
    path.write_text("\n".join(WORDS) + "\n", encoding="utf-8")
    return path


# A build that holds its file open for writing until told to go on: ingest, then a stage that waits.
_HOLDING_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from lexgraph.config import BuildConfig
    from lexgraph.lexicon.stage import IngestStage
    from lexgraph.pipeline import build

    db, words, ready, go = map(Path, sys.argv[1:5])

    class WaitStage:
        name = "wait"
        clears = ()
        def params(self, config):
            return {}
        def run(self, store, config, run):
            ready.touch()
            deadline = time.monotonic() + 120
            while not go.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            run.counts["waited"] = 1

    build(BuildConfig(db=db, sources=[str(words)], progress=False), stages=[IngestStage(), WaitStage()])
""")


@contextmanager
def _build_in_progress(folder: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A real build in another process, stopped inside a stage (its transaction open) until the block ends."""
    db, ready, go = folder / "busy.duckdb", folder / "ready", folder / "go"
    proc = subprocess.Popen([sys.executable, "-c", _HOLDING_BUILD, str(db), str(_words(folder)), str(ready),
                             str(go)], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the holding build never reached its waiting stage"
            time.sleep(0.05)
        yield db, proc
    finally:
        go.touch()
        proc.wait(timeout=120)


def test_second_writer_is_refused_and_the_first_build_finishes(tmp_path: Path) -> None:
    with _build_in_progress(tmp_path) as (db, first):
        second = _lexgraph("build", str(_words(tmp_path)), "--db", str(db), "--no-tree", "--quiet")
        assert second.returncode == 1
        assert f"{db} is being written by another process (PID {first.pid})" in _said(second)
        assert "wait for that build to finish, or build into another file with --db" in _said(second)
        assert "Traceback" not in second.stderr
    assert first.returncode == 0, first.stderr
    with Store(db, read_only=True) as store:
        runs = store.frame("SELECT stage, status FROM runs ORDER BY run_id").rows()
        assert runs == [("ingest", "completed"), ("wait", "completed")]
        assert store.count("terms") == len(WORDS)


def test_reader_during_a_build_gets_a_clear_message(tmp_path: Path) -> None:
    with _build_in_progress(tmp_path) as (db, first):
        query = _lexgraph("query", str(db), "SELECT count(*) FROM terms")
        assert query.returncode == 1
        assert f"{db} is being written by another process (PID {first.pid})" in _said(query)
        assert "Traceback" not in query.stderr
        with pytest.raises(StoreError, match=f"is being written by another process \\(PID {first.pid}\\)"):
            lexgraph.open(db)
    assert first.returncode == 0, first.stderr
    with lexgraph.open(db) as lex:                       # and once the build is done, the reader gets in
        assert lex.store.count("terms") == len(WORDS)


def test_full_disk_fails_cleanly_and_a_rerun_completes(tmp_path: Path) -> None:
    from lexgraph.pipeline import default_stages

    words, db = _words(tmp_path), tmp_path / "full.duckdb"
    args = ("build", str(words), "--db", str(db), "--no-tree", "--k", "5", "--quiet")
    # 64 KiB: the schema, ingest and evidence fit; the embeddings do not
    failed = _lexgraph(*args, limit_kb=64)
    assert failed.returncode == 1
    said = _said(failed)
    assert "Traceback" not in failed.stderr
    assert f"error: no room to write {db} during stage " in said
    assert "(disk full or file size limit: File too large); the stage was rolled back" in said
    assert "Free some space and rerun the same `lexgraph build`: it resumes at this stage" in said
    # The file is as it was before the failing stage: the stages that completed keep their rows,
    # the failing stage and those after it wrote nothing.
    owned = {stage.name: stage.clears for stage in default_stages()}
    with Store(db, read_only=True) as store:
        done = store.frame("SELECT stage, run_id FROM runs WHERE status = 'completed' ORDER BY run_id").rows()
        assert [stage for stage, _ in done][:1] == ["ingest"] and store.count("terms") == len(WORDS)
        for stage, tables in owned.items():
            if stage not in dict(done):
                assert all(store.count(t) == 0 for t in tables), stage
    # Space again: the rerun keeps the completed stages and finishes the rest.
    rerun = _lexgraph(*args)
    assert rerun.returncode == 0, rerun.stderr
    with Store(db, read_only=True) as store:
        runs = store.frame("SELECT stage, run_id FROM runs WHERE status = 'completed' ORDER BY run_id").rows()
        assert {stage for stage, _ in runs} == set(owned)
        assert runs[:len(done)] == done
        assert store.count("clusters") > 0


def _foreign(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE people (name VARCHAR, age INTEGER)")
    con.execute("INSERT INTO people VALUES ('ada', 36)")
    con.close()
    return path


def test_foreign_duckdb_file_is_refused_for_writing(tmp_path: Path) -> None:
    theirs = _foreign(tmp_path / "theirs.duckdb")
    with pytest.raises(StoreError, match="is a DuckDB file that lexgraph did not create \\(it has tables people"):
        Store(theirs)
    refused = _lexgraph("build", str(_words(tmp_path)), "--db", str(theirs), "--no-tree", "--quiet")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert (f"error: {theirs} is a DuckDB file that lexgraph did not create (it has tables people and no "
            "lexgraph meta table); lexgraph will not write into it: build into a new file with "
            "`lexgraph build --db NEW.duckdb`") in _said(refused)
    con = duckdb.connect(str(theirs), read_only=True)                 # their file is untouched
    tables = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    assert tables == [("people",)] and con.execute("SELECT * FROM people").fetchall() == [("ada", 36)]
    con.close()


def test_empty_duckdb_file_is_initialised(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with Store(empty) as store:
        meta = dict(store.frame("SELECT key, value FROM meta").rows())
    assert meta["schema_version"] == SCHEMA_VERSION and meta["schema_hash"] == SCHEMA_HASH


def test_schema_hash_is_the_hash_of_schema_sql() -> None:
    sql = resources.files("lexgraph.store").joinpath("schema.sql").read_bytes()
    assert SCHEMA_HASH == hashlib.sha256(sql).hexdigest()[:16]


def test_newer_schema_version_is_refused_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "newer.duckdb"
    newer = str(int(SCHEMA_VERSION) + 1)
    with Store(db) as store:
        store.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [newer])
        store.con.execute("UPDATE meta SET value = 'feedc0ffee000000' WHERE key = 'schema_hash'")
    expected = (f"{db} was written with lexgraph schema version {newer} (schema hash feedc0ffee000000); this lexgraph "
                f"{lexgraph.__version__} uses schema version {SCHEMA_VERSION} (schema hash {SCHEMA_HASH}); "
                "upgrade lexgraph to read it")
    for read_only in (False, True):
        with pytest.raises(StoreError) as caught:
            Store(db, read_only=read_only)
        assert str(caught.value) == expected
    query = _lexgraph("query", str(db), "SELECT 1")
    assert query.returncode == 1 and f"error: {expected}" in _said(query)


def test_changed_schema_is_caught_by_its_hash(tmp_path: Path) -> None:
    # Same version number, different tables: a hand-bumped number would have missed it.
    db = tmp_path / "changed.duckdb"
    with Store(db) as store:
        store.con.execute("UPDATE meta SET value = '0123456789abcdef' WHERE key = 'schema_hash'")
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION} \\(schema hash 0123456789abcdef\\); "
                       f".*rebuild it into a new file with `lexgraph build --db NEW.duckdb`"):
        Store(db)
    # A file from before the hash was stored is refused the same way.
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM meta WHERE key = 'schema_hash'")
    with pytest.raises(StoreError, match="\\(schema hash none\\).*rebuild it into a new file"):
        Store(db, read_only=True)


def test_full_disk_when_creating_the_file_leaves_nothing_behind(tmp_path: Path) -> None:
    # Too small for DuckDB's header: a half-written file would make every later open fail.
    db = tmp_path / "tiny.duckdb"
    create = f"from lexgraph.store import Store; Store({str(db)!r})"
    created = f"no room to create {db} (disk full or file size limit: File too large); free some space and rerun"
    schema = (f"no room to write the lexgraph schema into {db} (disk full or file size limit: File too large); "
              "free some space and rerun")
    for limit_kb, expected in ((8, created), (20, schema)):
        run = subprocess.run(["bash", "-c", f'ulimit -f {limit_kb} && exec "$@"', "bash", sys.executable, "-c",
                              create], check=False, capture_output=True, text=True, env=_env(), timeout=120)
        assert run.returncode == 1 and f"StoreError: {expected}" in run.stderr
        with Store(db) as store:                          # space again: the file opens (or is made) cleanly
            assert store.count("runs") == 0
        for leftover in tmp_path.glob("tiny.duckdb*"):
            leftover.unlink()


@contextmanager
def _small_tmpfs(folder: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` mounted at ``folder`` (root only; the test is skipped elsewhere)."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                             check=False, capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


class _TermsStage:
    """Writes ``n`` rows into ``terms``: enough to fill a small disk when ``n`` is large."""

    clears = ("terms",)

    def __init__(self, name: str, n: int) -> None:
        self.name, self.n = name, n

    def params(self, config: object) -> dict[str, int]:
        return {"n": self.n}

    def run(self, store: Store, config: object, run: object) -> None:
        import polars as pl

        # hashes, not a counter: DuckDB compresses a counter to almost nothing
        terms = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(self.n)]
        store.append("terms", pl.DataFrame({"term_id": range(self.n), "term": terms,
                                            "lang": ["en"] * self.n, "n_sources": [1] * self.n}))


def test_full_tmpfs_fails_cleanly_and_freeing_space_lets_the_rerun_finish(tmp_path: Path) -> None:
    from lexgraph.config import BuildConfig
    from lexgraph.pipeline import build

    # 100,000 terms (64 hex digits each) take several MiB: they do not fit beside the filler, but do without it
    with _small_tmpfs(tmp_path / "disk", 32 * 1024) as disk:
        filler = disk / "filler"
        filler.write_bytes(b"\0" * 28 * 1024 * 1024)          # most of the disk taken by something else
        db = disk / "full.duckdb"
        config = BuildConfig(db=db, sources=["unused.txt"], progress=False)
        stages = [_TermsStage("small", 10), _TermsStage("large", 100_000)]
        with pytest.raises(StoreError) as caught:
            build(config, stages=stages)
        assert str(caught.value) == (
            f"no room to write {db} during stage 'large' (disk full or file size limit: No space left on device); "
            "the stage was rolled back and the file is as it was before it. Free some space and rerun the same "
            "`lexgraph build`: it resumes at this stage")
        with Store(db, read_only=True) as store:
            assert store.count("terms") == 10
            assert store.frame("SELECT stage FROM runs WHERE status = 'completed'").rows() == [("small",)]
        filler.unlink()
        outcomes = build(config, stages=stages)
        assert [o.status for o in outcomes] == ["skipped", "ran"]
        with Store(db, read_only=True) as store:
            assert store.count("terms") == 100_000


def test_zero_byte_file_left_by_a_kill_becomes_a_store(tmp_path: Path) -> None:
    # a build killed between creating the file and writing DuckDB's header leaves 0 bytes, which DuckDB refuses
    db = tmp_path / "killed.duckdb"
    db.touch()
    with pytest.raises(duckdb.IOException, match="not a valid DuckDB database file"):
        duckdb.connect(str(db))
    with Store(db) as store:
        assert store.count("runs") == 0
    with pytest.raises(StoreError, match="no lexgraph database"):     # read-only opens do not create
        Store(tmp_path / "absent.duckdb", read_only=True)


def test_zero_byte_file_being_created_by_another_process_is_left_alone(tmp_path: Path) -> None:
    # another build holds the lock on the empty file (it is about to write the header): refuse, remove nothing
    db = tmp_path / "creating.duckdb"
    db.touch()
    hold = ("import fcntl, sys, time\nf = open(sys.argv[1], 'rb+')\nfcntl.lockf(f, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\ntime.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", hold, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError, match=f"is being written by another process \\(PID {holder.pid}\\)"):
            Store(db)
        assert db.exists() and db.stat().st_size == 0
    finally:
        holder.kill()
        holder.wait()
