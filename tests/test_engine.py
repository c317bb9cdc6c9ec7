"""Engines without Ray: the local engine's map, the engine options' checks, a missing extra, and the
comparison of two builds that the Ray tests rely on.

The Ray engine itself is tested on a real local cluster in tests/test_ray_engine.py.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from lexgraph.config import BuildConfig
from lexgraph.engine import EngineError, LocalEngine, open_engine
from lexgraph.pipeline import build, default_stages
from lexgraph.store import StageRun, Store
from lexgraph.store.compare import differing_tables


def test_local_map_keeps_order_and_builds_its_worker_once_and_only_for_work() -> None:
    made: list[int] = []

    def factory() -> Callable[[int], int]:
        made.append(1)
        return lambda x: 10 * x

    assert list(LocalEngine().map(factory, range(5))) == [0, 10, 20, 30, 40]
    assert made == [1]
    assert list(LocalEngine().map(factory, [])) == []
    assert made == [1]                                   # no batch, no model load


@dataclass
class LoggingEngine(LocalEngine):
    """The local engine, noting in ``log`` when the build gives it back."""

    log: list[str] = field(default_factory=list)

    def stop(self) -> None:
        self.log.append("stop")


@dataclass
class LoggingStage:
    """A stage that writes nothing and notes its runs in ``log``; made with an engine or without."""

    name: str
    log: list[str]
    engine: LoggingEngine | None = None
    clears: tuple[str, ...] = ()

    def params(self, config: BuildConfig) -> dict[str, str]:
        return {"name": self.name}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        self.log.append(self.name)


def test_the_engine_is_given_back_once_no_stage_needs_it(tmp_path: Path) -> None:
    # A Ray cluster the build started goes before the clusters and the tree, which run on the driver.
    log: list[str] = []
    engine = LoggingEngine(log=log)
    stages = [LoggingStage("embed", log, engine), LoggingStage("relations", log, engine),
              LoggingStage("clusters", log), LoggingStage("tree", log)]
    config = BuildConfig(db=tmp_path / "e.duckdb", progress=False)
    build(config, stages=stages, release=engine.stop)
    assert log == ["embed", "relations", "stop", "clusters", "tree"]
    log.clear()
    build(config, force=["tree"], stages=stages, release=engine.stop)   # engine stages up to date: at once
    assert log == ["stop", "tree"]
    log.clear()
    build(config, force=["tree"], stages=stages)         # without release, the caller's engine keeps running
    assert log == ["tree"]


def test_engine_options_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="engine must be one of local, ray; got 'spark'"):
        BuildConfig(db=tmp_path / "x.duckdb", engine="spark")
    with pytest.raises(ValueError, match="ray_address .* needs engine 'ray'"):
        BuildConfig(db=tmp_path / "x.duckdb", ray_address="auto")
    with pytest.raises(EngineError, match="engine must be one of"), open_engine("spark"):
        pass


def test_engine_enters_no_stage_fingerprint(tmp_path: Path) -> None:
    local = BuildConfig(db=tmp_path / "x.duckdb")
    ray = BuildConfig(db=tmp_path / "x.duckdb", engine="ray", ray_address="auto")
    for stage in default_stages():
        assert stage.params(local) == stage.params(ray), stage.name


def test_ray_engine_without_the_extra_fails_before_any_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             en_wordlist: Path) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)        # `import ray` raises ImportError, as without the extra
    monkeypatch.delitem(sys.modules, "lexgraph.engine.ray_engine", raising=False)
    db = tmp_path / "noray.duckdb"
    with pytest.raises(EngineError, match=r"pip install 'lexgraph\[ray\]', or build with --engine local"):
        build(BuildConfig(db=db, sources=[str(en_wordlist)], engine="ray", progress=False))
    assert not db.exists()


def test_differing_tables_sees_a_moved_float_and_a_lost_row(tmp_path: Path, en_build: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(en_build, copy)
    assert differing_tables(en_build, copy) == {}
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE relations SET p_synonym = p_synonym + 1e-5 WHERE a_id = (SELECT min(a_id) FROM relations)")
        con.execute("DELETE FROM clusters WHERE term_id = (SELECT max(term_id) FROM clusters)")
    found = differing_tables(en_build, copy, tolerance=1e-6)
    assert set(found) == {"relations", "clusters"} and found["clusters"].endswith("rows")
    assert set(differing_tables(en_build, copy, tolerance=1e-4)) == {"clusters"}
