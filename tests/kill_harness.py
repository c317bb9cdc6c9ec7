"""Kill a real ``lexgraph build`` inside a chosen stage, resume it, and compare with a clean build.

Shared by ``tests/test_kill_resume.py`` (one kill per stage, in ``make test``) and
``benchmarks/bench_kill.py`` (five or more per stage). The pieces:

- :func:`table_hashes`: one content hash per table, independent of row order, so two files can be
  compared table by table. ``runs`` is hashed without ``started_at`` and ``finished_at`` (wall-clock
  times, the only values that legitimately differ between two builds of the same input); its run ids,
  fingerprints, parameters and counts are hashed, so a resumed build must also have logged the same runs.
  Every other table, ``meta`` included, is hashed whole.
- :class:`BuildProcess`: the command line in a child process, its stderr read line by line; the
  ``stage X (i of n) running`` lines that ``lexgraph build`` prints say which stage is working.
- :func:`kill_sequence`: for each target stage, start the same command, wait for that stage's line,
  sleep a seeded random share of the stage's clean duration, SIGKILL, and check the file (it opens in
  Python and in the plain ``duckdb`` CLI, the completed stages equal the clean build's, the stages not
  completed left nothing); then run the command to the end and compare every table with the clean build.

Where the kill landed is read from what the process wrote and what the file says, not assumed: the stage
whose ``running`` line was written last, unless the file shows it completed (then the kill fell in the
instant after its commit, and is reported as ``after <stage>``).
"""

from __future__ import annotations

import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from lexgraph.pipeline import default_stages

#: Stage order of ``lexgraph build``.
STAGES: tuple[str, ...] = tuple(s.name for s in default_stages())

#: Tables each stage alone writes: after a kill they must equal the clean build's when the stage completed,
#: and be empty when it did not. ``embeddings`` is written by embed and (for other encoders) relations, so
#: it is only compared at the end.
OWNED: dict[str, tuple[str, ...]] = {s.name: s.clears for s in default_stages()} | {
    "tree": ("tree_nodes", "tree_members")}

#: Columns left out of the content hash, per table, and why: wall-clock times of a run.
EXCLUDED_COLUMNS: dict[str, tuple[str, ...]] = {"runs": ("started_at", "finished_at")}

_RUNNING = re.compile(rb"lexgraph: stage (\S+) \(\d+ of \d+\) running")


def _hash_sql(table: str) -> str:
    """SQL giving ``count(*)`` and an order-independent md5 over the rows of ``table`` (plain DuckDB SQL)."""
    excluded = EXCLUDED_COLUMNS.get(table, ())
    rows = f"SELECT * EXCLUDE ({', '.join(excluded)}) FROM \"{table}\"" if excluded else f'SELECT * FROM "{table}"'
    # t is the whole row as a struct: its text form names every column and value
    return (f"SELECT '{table}', count(*), md5(coalesce(string_agg(h, ',' ORDER BY h), '')) "
            f"FROM (SELECT md5(CAST(t AS VARCHAR)) AS h FROM ({rows}) AS t)")


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                       "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()
    return [r[0] for r in rows]


def table_hashes(db: Path) -> dict[str, str]:
    """``{table: "rows:md5"}`` for every table of ``db``, opened read-only with the Python client."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: f"{n}:{h}" for t, n, h in (con.execute(_hash_sql(t)).fetchone() for t in _tables(con))}
    finally:
        con.close()


def duckdb_cli() -> str | None:
    """The plain ``duckdb`` command line beside this Python (the duckdb-cli package), or on PATH."""
    beside = Path(sys.executable).with_name("duckdb")
    return str(beside) if beside.exists() else shutil.which("duckdb")


def _cli(db: Path, sql: str) -> list[list[str]]:
    """Rows of ``sql`` run by the plain ``duckdb`` CLI on ``db`` opened read-only, as CSV fields."""
    cli = duckdb_cli()
    if cli is None:
        raise FileNotFoundError("no duckdb command line: pip install duckdb-cli")
    out = subprocess.run([cli, "-readonly", "-csv", "-noheader", str(db), sql], capture_output=True, text=True,
                         timeout=120, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"duckdb CLI could not read {db}: {out.stderr.strip()}")
    return [line.split(",") for line in out.stdout.split()]


def cli_table_hashes(db: Path) -> dict[str, str]:
    """The same hashes as :func:`table_hashes`, computed by the plain ``duckdb`` CLI opening ``db`` read-only."""
    tables = [row[0] for row in _cli(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                         "'main' AND table_type = 'BASE TABLE' ORDER BY table_name;")]
    rows = _cli(db, " UNION ALL ".join(_hash_sql(t) for t in tables) + ";") if tables else []
    return {t: f"{n}:{h}" for t, n, h in rows}


def completed_stages(db: Path) -> list[str]:
    """Stages with a completed run in ``db``, in run order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT stage FROM runs WHERE status = 'completed' ORDER BY run_id")
                .fetchall()]
    finally:
        con.close()


def stage_seconds(db: Path) -> dict[str, float]:
    """How long each stage of a completed build took (its ``runs`` row)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT stage, epoch(finished_at) - epoch(started_at) FROM runs "
                           "WHERE status = 'completed'").fetchall()
    finally:
        con.close()
    return {stage: float(seconds) for stage, seconds in rows}


class BuildProcess:
    """``lexgraph build`` in a child process; a thread collects the stage lines of its stderr as they come."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        self.started: queue.Queue[str | None] = queue.Queue()
        self.running: list[str] = []         # every stage whose running line was written, in order
        self.stderr = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in iter(self.proc.stderr.readline, b""):
            self.stderr += line
            found = _RUNNING.search(line)
            if found:
                self.running.append(found.group(1).decode())
                self.started.put(self.running[-1])
        self.started.put(None)               # end of stderr: the process is gone

    def wait_for(self, stage: str, timeout: float) -> None:
        """Block until ``stage`` starts running; raises if the process ends (or the time runs out) first."""
        deadline = time.monotonic() + timeout
        while True:
            seen = self.started.get(timeout=max(0.0, deadline - time.monotonic()))
            if seen == stage:
                return
            if seen is None:
                self.proc.wait()
                raise RuntimeError(f"the build ended (status {self.proc.returncode}) before stage {stage!r} ran:\n"
                                   f"{self.stderr.decode(errors='replace')[-3000:]}")

    def kill(self) -> list[str]:
        """SIGKILL, reap, and return the stages whose running line the process had written."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self._reader.join(timeout=30)
        return list(self.running)

    def finish(self, timeout: float) -> int:
        """Wait for the process to end on its own; its exit status."""
        status = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=30)
        return status


@dataclass
class Kill:
    """One SIGKILL and what the file looked like after it."""

    target: str
    landed: str                 # the stage that was running, or 'after <stage>' (between its commit and the next)
    offset_s: float             # sleep after the target's running line
    wal_left: bool              # a .wal file was beside the database after the kill
    opened: bool = False        # read-only opens in the duckdb CLI and in Python agreed, every table read
    prefix_equal: bool = False  # completed stages' tables equal the clean build's; unfinished stages' are empty
    problem: str = ""


@dataclass
class KillRun:
    """Kills in one file, then the same command run to the end."""

    kills: list[Kill] = field(default_factory=list)
    resumed_status: int | None = None
    equal_to_clean: bool = False
    differing: list[str] = field(default_factory=list)


def check_after_kill(db: Path, clean: dict[str, str], kill: Kill) -> None:
    """Fill ``kill.opened`` and ``kill.prefix_equal`` from the file a kill left."""
    try:   # the CLI first: it is the first open after the kill, so it replays the WAL on its own
        cli_side = cli_table_hashes(db) if db.exists() else {}
        python_side = table_hashes(db) if db.exists() else {}
    except (duckdb.Error, RuntimeError) as exc:
        kill.problem = f"does not open: {exc}"
        return
    if cli_side != python_side:
        kill.problem = "the duckdb CLI and the Python client read different contents"
        return
    kill.opened = True
    done = set(completed_stages(db)) if python_side else set()
    wrong = []
    for stage, tables in OWNED.items():
        for table in tables:
            got = python_side.get(table, "0:")
            if (got != clean[table]) if stage in done else not got.startswith("0:"):
                wrong.append(table)
    kill.prefix_equal = not wrong
    if wrong:
        kill.problem = f"after the kill, tables {', '.join(wrong)} are neither the clean build's nor empty"


def kill_sequence(command: list[str], db: Path, targets: list[str], clean: dict[str, str],
                  seconds: dict[str, float], rng: random.Random, env: dict[str, str],
                  timeout: float = 900) -> KillRun:
    """Kill ``command`` once inside each of ``targets`` in turn (each run resumes the last), then finish it.

    A target the file already shows completed (an earlier kill landed late) is skipped. The sleep after a
    target's running line is uniform in [0, the stage's shortest duration seen): ``seconds`` starts with
    the clean build's and is lowered in place whenever a resumed run finishes a stage faster, so that
    on a machine whose load changes the kills still land inside the stage.
    """
    result = KillRun()
    for target in targets:
        if db.exists() and target in completed_stages(db):
            continue
        build = BuildProcess(command, env)
        build.wait_for(target, timeout)
        offset = rng.uniform(0.0, seconds.get(target, 0.0))
        time.sleep(offset)
        written = build.kill()
        kill = Kill(target, written[-1], offset, db.with_name(db.name + ".wal").exists())
        check_after_kill(db, clean, kill)
        result.kills.append(kill)
        done = completed_stages(db) if kill.opened and db.exists() else []
        if kill.landed in done:      # the kill fell after the stage's commit, before the next stage's line
            kill.landed = f"after {kill.landed}"
        if kill.opened and done:
            _keep_shortest(seconds, stage_seconds(db))
        if not kill.opened:
            return result
    final = BuildProcess(command, env)
    result.resumed_status = final.finish(timeout)
    if result.resumed_status == 0:
        _keep_shortest(seconds, stage_seconds(db))
        resumed = table_hashes(db)
        result.differing = sorted(t for t in clean.keys() | resumed.keys() if clean.get(t) != resumed.get(t))
        result.equal_to_clean = not result.differing
    return result


def _keep_shortest(seconds: dict[str, float], seen: dict[str, float]) -> None:
    for stage, took in seen.items():
        seconds[stage] = min(seconds.get(stage, took), took)


def build_command(words: Path, db: Path, extra: tuple[str, ...] = ()) -> list[str]:
    """``lexgraph build WORDS --db DB`` (stage lines on: no ``--quiet``) for this Python."""
    return [sys.executable, "-m", "lexgraph.cli", "build", str(words), "--db", str(db), *extra]


def build_env() -> dict[str, str]:
    """Offline models; the rest of this process's environment."""
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def clean_build(words: Path, db: Path, extra: tuple[str, ...] = ()) -> tuple[dict[str, str], dict[str, float]]:
    """Build ``db`` once without kills; its table hashes and stage durations."""
    done = subprocess.run(build_command(words, db, extra), env=build_env(), capture_output=True, text=True,
                          timeout=900, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the clean build failed:\n{done.stderr[-3000:]}")
    return table_hashes(db), stage_seconds(db)
