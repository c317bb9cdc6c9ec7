"""SIGKILL a real ``lexgraph build`` once inside every stage; the resumed build equals a clean one.

One file is killed seven times in a row, each run resuming the last and killed inside the next stage
(a seeded random moment within it), then the same command runs to the end; every table is compared
with a clean build by content hash. ``benchmarks/bench_kill.py`` does the same at five kills per stage.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from kill_harness import (
    STAGES,
    build_command,
    build_env,
    duckdb_cli,
    kill_sequence,
    stage_seconds,
    table_hashes,
)

from lexgraph.config import BuildConfig
from lexgraph.pipeline import build
from lexgraph.store import StageRun, Store

WORDS = ["big", "large", "huge", "small", "little", "tiny", "hot", "cold", "warm", "fast", "quick", "slow",
         "car", "automobile", "dog", "cat", "happy", "glad", "sad", "begin", "start", "end", "finish", "buy",
         "purchase", "sell", "good", "bad", "house", "home"]


def test_kill_once_in_every_stage_then_resume_equals_clean_build(tmp_path: Path) -> None:
    if duckdb_cli() is None:
        pytest.skip("no duckdb command line (pip install duckdb-cli) to check the killed files with")
    words = tmp_path / "words.txt"
    words.write_text("\n".join(WORDS) + "\n", encoding="utf-8")
    # the clean build in this process (the library call the command line makes, with its defaults): quicker
    clean_db = tmp_path / "clean.duckdb"
    build(BuildConfig(db=clean_db, sources=[str(words)]))
    clean, seconds = table_hashes(clean_db), stage_seconds(clean_db)
    db = tmp_path / "killed.duckdb"
    run = kill_sequence(build_command(words, db), db, list(STAGES), clean, seconds, random.Random(18), build_env())
    for kill in run.kills:
        assert kill.opened and kill.prefix_equal, (kill, kill.problem)
    # a kill that lands just after its stage's commit counts for no stage; at least most stages are hit
    landed = {kill.landed for kill in run.kills}
    assert len(landed & set(STAGES)) >= len(STAGES) - 2, [(k.target, k.landed) for k in run.kills]
    assert run.resumed_status == 0
    assert run.differing == [] and run.equal_to_clean


class _Noop:
    clears = ()

    def __init__(self, name: str) -> None:
        self.name = name

    def params(self, config: BuildConfig) -> dict[str, str]:
        return {}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        run.counts["done"] = 1


def test_each_stage_logs_a_line_as_it_runs_or_is_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # the kill harness finds the running stage by these lines; `lexgraph build` prints them on stderr
    config = BuildConfig(db=tmp_path / "lines.duckdb", sources=["unused.txt"])
    stages = [_Noop("first"), _Noop("second")]
    with caplog.at_level("INFO", logger="lexgraph.pipeline"):
        build(config, stages=stages)
        build(config, stages=stages, force=["second"])
    assert [r.getMessage() for r in caplog.records] == [
        "stage first (1 of 2) running", "stage second (2 of 2) running",
        "stage first (1 of 2) is up to date (run 1)", "stage second (2 of 2) running"]
