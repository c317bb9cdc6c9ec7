"""The command line end to end, as a user runs it: a real subprocess, a real DuckDB file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def lexgraph(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "lexgraph.cli", *args], capture_output=True, text=True, env=env,
                          timeout=600)


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    words = folder / "words.csv"
    rows = ["term,pos", "Big,adj", "large,adj", "huge,adj", "small,adj", "little,adj", "hot,adj", "cold,adj",
            "warm,adj", "car,noun", "automobile,noun", "dog,noun", "cat,noun", ",noun", "LARGE,adj"]
    from lexgraph.lexicon.default_lexicon import default_lexicon

    rows += [f"{w}," for w in default_lexicon(250)]
    words.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = folder / "cli.duckdb"
    out = lexgraph("build", str(words), "--db", str(db), "--k", "8", "--min-cosine", "0.3", "--quiet", "--no-tree")
    assert out.returncode == 0, out.stderr
    assert "ingest" in out.stdout and "candidates" in out.stdout
    return db


def test_build_info_and_query(cli_db: Path) -> None:
    info = lexgraph("info", str(cli_db))
    assert info.returncode == 0, info.stderr
    assert "terms" in info.stdout and "completed" in info.stdout
    res = lexgraph("query", str(cli_db), "SELECT term, n_sources FROM terms WHERE term = 'large'", "--format", "json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout.strip()) == {"term": "large", "n_sources": 2}
    res = lexgraph("query", str(cli_db), "SELECT row_number, reason FROM rejects", "--format", "csv")
    assert res.stdout.splitlines() == ["row_number,reason", "13,missing value"]
    res = lexgraph("query", str(cli_db), "SELECT count(*) AS n FROM candidates WHERE term_a >= term_b",
                   "--format", "csv")
    assert res.stdout.splitlines()[1] == "0"


def test_rerun_resumes(cli_db: Path, tmp_path: Path) -> None:
    # The same command again: every stage is up to date.
    words = next(cli_db.parent.glob("words.csv"))
    out = lexgraph("build", str(words), "--db", str(cli_db), "--k", "8", "--min-cosine", "0.3", "--quiet",
                   "--no-tree")
    assert out.returncode == 0, out.stderr
    assert "ran" not in out.stdout.split("example clusters")[0].replace("skipped", "")


def test_errors_are_one_line_without_traceback(cli_db: Path, tmp_path: Path) -> None:
    bad = lexgraph("query", str(cli_db), "SELECT nope FROM terms")
    assert bad.returncode != 0
    assert "nope" in bad.stderr and "Traceback" not in bad.stderr
    missing = lexgraph("info", str(tmp_path / "absent.duckdb"))
    assert missing.returncode != 0 and "no lexgraph database" in missing.stderr
    csv = tmp_path / "w.csv"
    csv.write_text("word\nbig\n", encoding="utf-8")
    wrong = lexgraph("build", str(csv), "--db", str(tmp_path / "x.duckdb"), "--quiet")
    assert wrong.returncode != 0
    assert "no column 'term'" in wrong.stderr and "Traceback" not in wrong.stderr
    lang = lexgraph("build", str(csv), "--db", str(tmp_path / "y.duckdb"), "--lang", "de")
    assert lang.returncode != 0 and "lang must be" in lang.stderr
    # Writes are refused through query: the file is opened read-only.
    write = lexgraph("query", str(cli_db), "DELETE FROM terms")
    assert write.returncode != 0 and "read-only" in write.stderr.lower()


def recluster_copy(cli_db: Path, db: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Copy the module's build to ``db`` and redo its clusters stage with ``options``; the build's output."""
    shutil.copy(cli_db, db)
    words = next(cli_db.parent.glob("words.csv"))
    out = lexgraph("build", str(words), "--db", str(db), "--k", "8", "--min-cosine", "0.3", "--quiet", "--no-tree",
                   *options, "--force", "clusters")
    assert out.returncode == 0, out.stderr
    return out


def test_build_without_multi_member_clusters_says_so(cli_db: Path, tmp_path: Path) -> None:
    # A gate no model pair passes and no evidence: every term alone, and the build says why instead of
    # printing an empty table.
    out = recluster_copy(cli_db, tmp_path / "copy.duckdb", "--synonym-gate", "1.0", "--lexicon", "none",
                         "--no-morphology")
    assert "every term is a cluster of its own" in out.stdout


def test_build_options_are_the_buildconfig_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the options are generated from BuildConfig: each passes through under its field's name, the rest default
    from typer.testing import CliRunner

    from lexgraph import pipeline
    from lexgraph.cli import app
    from lexgraph.config import BuildConfig
    from lexgraph.store import Store

    db = tmp_path / "x.duckdb"
    Store(db).close()
    seen: list[tuple[BuildConfig, list[str]]] = []
    monkeypatch.setattr(pipeline, "build", lambda config, force: seen.append((config, force)) or [])
    runner = CliRunner()
    for args in ([], ["--k", "7", "--seed", "3", "--no-tree", "--edge-score", "p_synonym*cosine", "--quiet",
                      "--force", "clusters", "words.txt"]):
        result = runner.invoke(app, ["build", "--db", str(db), *args])
        assert result.exit_code == 0, result.output
    assert seen[0] == (BuildConfig(db=db, progress=True), [])
    assert seen[1] == (BuildConfig(db=db, sources=["words.txt"], k=7, random_state=3, tree=False,
                                   edge_score="p_synonym*cosine"), ["clusters"])
    shown = runner.invoke(app, ["build", "--help"], env={"COLUMNS": "200"}).output
    assert "--min-cosine" in shown and "--relations-model" in shown and "[default: 0.3]" in shown


def test_bugs_keep_their_traceback_and_missing_data_stays_one_line(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # the CLI caught LookupError, so a KeyError or IndexError from a bug printed as one red line
    import numpy as np
    import polars as pl
    from typer.testing import CliRunner

    from lexgraph import pipeline
    from lexgraph.cli import app
    from lexgraph.embed.cache import vectors_to_arrow
    from lexgraph.store import Store

    def buggy(config: object, force: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(pipeline, "build", buggy)
    runner = CliRunner()
    result = runner.invoke(app, ["build", "--db", str(tmp_path / "x.duckdb")])
    assert isinstance(result.exception, KeyError) and "error:" not in result.output
    db = tmp_path / "y.duckdb"
    with Store(db) as store:
        store.append("terms", pl.DataFrame({"term_id": [0, 1], "term": ["a", "b"], "lang": ["en"] * 2,
                                            "n_sources": [1, 1]}))
        store.append("embeddings", vectors_to_arrow("minilm", ["a", "b"], np.eye(2, 4, dtype=np.float32)))
    result = runner.invoke(app, ["tree", "terms", "--db", str(db), "--encoder", "usem3"])
    assert result.exit_code == 1 and "no 'usem3' embedding; run the embed stage" in result.output


def test_tables_print_floats_short_and_one_wide_row_as_name_value(capsys: pytest.CaptureFixture[str]) -> None:
    import polars as pl

    from lexgraph.cli.output import print_frame

    print_frame(pl.DataFrame({"term": ["big"], "p": [0.7599999904632568], "zero": [0.0]}))
    out = capsys.readouterr().out
    assert "0.76" in out and "0.7599999" not in out and "0.0" in out
    wide = pl.DataFrame({f"a_rather_long_metric_name_{i}": [0.123456789] for i in range(12)})
    print_frame(wide, title="metrics")
    out = capsys.readouterr().out
    assert "a_rather_long_metric_name_11" in out           # not folded into slivers: one name per line
    assert out.count("0.123457") == 12
    rows = pl.DataFrame({"method": ["softhard", "leiden"], **{f"metric_number_{i}": [0.5, 0.25] for i in range(9)}})
    print_frame(rows)
    out = capsys.readouterr().out
    assert out.count("metric_number_8") == 2 and "softhard" in out and "leiden" in out
    members = pl.DataFrame({"cluster_id": [3], "size": [4], "members": [", ".join(["motion", "move"] * 12)]})
    print_frame(members)                                   # one long column still folds as a normal table
    assert "cluster_id" in capsys.readouterr().out.splitlines()[1]


def test_eval_clusters_and_compare_on_the_builds_own_graph(cli_db: Path, tmp_path: Path) -> None:
    plain = lexgraph("eval", "clusters", str(cli_db), "--gold", "wordnet:en", "--format", "json")
    assert plain.returncode == 0, plain.stderr
    (own,) = [json.loads(line) for line in plain.stdout.splitlines()]
    assert own["method"] == "softhard" and 0 <= own["pair_f1"] <= 1 and 0 < own["bcubed_f1"] <= 1
    assert own["clusters"] >= own["multi_member"] >= 1
    comp = lexgraph("eval", "clusters", str(cli_db), "--compare", "--format", "json")
    assert comp.returncode == 0, comp.stderr
    rows = {r["method"]: r for r in map(json.loads, comp.stdout.splitlines())}
    assert {"softhard", "leiden", "chinese-whispers", "watset", "components@0.7", "singletons (reference)"} <= set(rows)
    # with no options --compare re-runs the build's own clustering: the same clusters, the same figures
    for key in ("pair_f1", "bcubed_f1", "clusters", "multi_member"):
        assert rows["softhard"][key] == own[key]
    # a build clustered on the product graph: --compare follows it (before, it always used P(synonym) >= 0.70)
    db = tmp_path / "product.duckdb"
    recluster_copy(cli_db, db, "--edge-score", "p_synonym*cosine", "--synonym-gate", "0.35")
    own = json.loads(lexgraph("eval", "clusters", str(db), "--format", "json").stdout)
    comp = lexgraph("eval", "clusters", str(db), "--compare", "--format", "json")
    assert "p_synonym*cosine >= 0.35" in lexgraph("eval", "clusters", str(db), "--compare").stdout.replace("\n", "")
    soft = next(r for r in map(json.loads, comp.stdout.splitlines()) if r["method"] == "softhard")
    assert (soft["pair_f1"], soft["clusters"]) == (own["pair_f1"], own["clusters"])
    assert own["clusters"] != rows["softhard"]["clusters"]            # the two graphs do differ on this build
    bad = lexgraph("eval", "clusters", str(cli_db), "--compare", "--edge-score", "cosine")
    assert bad.returncode != 0 and "cosine" in bad.stderr and "Traceback" not in bad.stderr
