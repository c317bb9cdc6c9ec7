"""Query and explore: SQL macros (from the plain duckdb CLI and from Python), the Python API,
exports (incl. WN-LMF loaded by the real ``wn`` package) and read-only safety.

Runs on a small real DuckDB file written through ``Store.append`` (``tests/demo_store.py``),
so every expectation is exact.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from demo_store import ANTONYMS, CLUSTERS, make_demo_store

import lexgraph
from lexgraph.api import Lexicon
from lexgraph.config import BuildConfig
from lexgraph.store import Store, StoreError
from lexgraph.store.export import PUBLIC_TABLES
from lexgraph.trees.export import export

MACROS = ("synonyms", "antonyms", "cluster_of", "cluster_members", "senses_of", "votes_of", "lineage", "subtree",
          "node_terms", "tree_leaves", "clusters_tree")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo_store(tmp_path_factory.mktemp("query") / "demo.duckdb")


def duckdb_cli() -> str:
    """The `duckdb` command-line client installed beside this Python (the duckdb-cli test extra)."""
    exe = Path(sys.executable).parent / "duckdb"
    found = str(exe) if exe.exists() else shutil.which("duckdb")
    if found is None:
        pytest.fail("the duckdb command-line client is missing: pip install -e '.[test]' (duckdb-cli)")
    return found


def cli_json(db: Path, sql: str) -> list[dict]:
    out = subprocess.run([duckdb_cli(), "-readonly", "-json", str(db), "-c", sql], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout) if out.stdout.strip() else []


def lexgraph_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "lexgraph.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120)


# -- macros ------------------------------------------------------------------------------------

def test_cli_version_reads_our_files() -> None:
    out = subprocess.run([duckdb_cli(), "--version"], capture_output=True, text=True, timeout=30)
    assert out.stdout.split()[0].lstrip("v") == duckdb.__version__


def test_every_writable_open_installs_the_macros(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.duckdb") as store:
        names = set(store.frame("SELECT function_name FROM duckdb_functions() WHERE database_name = "
                                "current_database()")["function_name"])
        assert set(MACROS) <= names
        assert store.frame("SELECT * FROM synonyms('big')").height == 0
        assert store.frame("SELECT * FROM lineage('big')").height == 0


def test_macros_from_the_plain_duckdb_client(demo_db: Path) -> None:
    syn = cli_json(demo_db, "SELECT synonym, same_cluster, edge FROM synonyms('  BIG ')")
    assert {r["synonym"]: (r["same_cluster"], r["edge"]) for r in syn} == {
        "large": (True, True), "huge": (True, True), "enormous": (True, False)}
    assert [r["synonym"] for r in cli_json(demo_db, "SELECT * FROM synonyms('cool') WHERE NOT same_cluster")] == \
        ["good"]
    assert [r["antonym"] for r in cli_json(demo_db, "SELECT antonym FROM antonyms('Large')")] == ["little", "small"]
    (row,) = cli_json(demo_db, "SELECT * FROM cluster_of('huge')")
    assert row["cluster_id"] == 1 and row["representative"] == "big" and row["members"] == sorted(CLUSTERS[1][0])
    members = cli_json(demo_db, "SELECT term, representative FROM cluster_members(9)")
    assert members[0] == {"term": "car", "representative": True}
    assert sorted(m["term"] for m in members) == sorted(CLUSTERS[9][0])
    lineage = cli_json(demo_db, "SELECT depth, node_id, parent_id FROM lineage('rapid')")
    assert [(r["depth"], r["node_id"]) for r in lineage] == [(0, 7), (1, 1), (2, 0)]
    assert lineage[-1]["parent_id"] is None
    sub = cli_json(demo_db, "SELECT node_id, depth FROM subtree(3)")
    assert [(r["node_id"], r["depth"]) for r in sub] == [(3, 0), (9, 1), (10, 1)]
    assert len(cli_json(demo_db, "SELECT * FROM subtree(0, tree_name := 'docs')")) == 2
    assert {r["term"] for r in cli_json(demo_db, "SELECT term FROM node_terms(8)")} == {"dog", "cat"}
    senses = cli_json(demo_db, "SELECT cluster_id, chosen FROM senses_of('cool')")
    assert senses == [{"cluster_id": 4, "chosen": True}, {"cluster_id": 16, "chosen": False}]
    votes = cli_json(demo_db, "SELECT cluster_id, chosen, decided_by FROM votes_of('Cool')")
    assert votes == [{"cluster_id": 4, "chosen": True, "decided_by": "tie on synonyms and cohesion: higher summed P(synonym)"},
                     {"cluster_id": 16, "chosen": False, "decided_by": None}]
    assert cli_json(demo_db, "SELECT decided_by FROM votes_of('big')") == [{"decided_by": "only cluster it joined"}]
    assert cli_json(demo_db, "SELECT * FROM synonyms('no such word')") == []


def test_one_name_and_one_lowest_node_for_the_cluster_tree(demo_db: Path) -> None:
    from lexgraph.store.queries import CLUSTERS_TREE, tree_leaves
    from lexgraph.trees.layering import direct_members

    assert cli_json(demo_db, "SELECT clusters_tree() AS name") == [{"name": CLUSTERS_TREE}]
    with Store(demo_db, read_only=True) as store:
        for tree in ("clusters", "docs"):
            nodes = store.frame("SELECT node_id, size FROM tree_nodes WHERE tree = ?", [tree])
            members = store.frame("SELECT node_id, item FROM tree_members WHERE tree = ?", [tree])
            assert_frame_equal(tree_leaves(store, tree), direct_members(nodes, members), check_dtypes=False)
    leaves = {r["item"]: r["node_id"] for r in cli_json(demo_db, "SELECT * FROM tree_leaves()")}
    (start,) = cli_json(demo_db, "SELECT node_id FROM lineage('rapid') WHERE depth = 0")
    (cluster,) = cli_json(demo_db, "SELECT cluster_id FROM cluster_of('rapid')")
    assert start["node_id"] == leaves[str(cluster["cluster_id"])]


def test_plain_python_duckdb_matches_the_cli(demo_db: Path) -> None:
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        rows = con.execute("SELECT synonym FROM synonyms(?)", ["big"]).fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == [r["synonym"] for r in cli_json(demo_db, "SELECT synonym FROM synonyms('big')")]


def test_antonym_macro_is_symmetric(demo_db: Path) -> None:
    for a, b in ANTONYMS:
        assert b in [r["antonym"] for r in cli_json(demo_db, f"SELECT antonym FROM antonyms('{a}')")]
        assert a in [r["antonym"] for r in cli_json(demo_db, f"SELECT antonym FROM antonyms('{b}')")]


# -- Python API --------------------------------------------------------------------------------

def test_api_returns_polars_from_the_macros(demo_db: Path) -> None:
    with lexgraph.open(demo_db) as lex:
        assert isinstance(lex, Lexicon) and lex.lang == "en"
        syn = lex.synonyms("  Big\t")
        assert isinstance(syn, pl.DataFrame)
        assert syn["synonym"].to_list() == [r["synonym"] for r in cli_json(demo_db, "SELECT * FROM synonyms('big')")]
        assert lex.antonyms("HOT")["antonym"].to_list() == ["cold"]
        assert lex.cluster_of("automobile")["cluster_id"].to_list() == [9]
        assert lex.cluster_of("unknown").height == 0
        assert lex.cluster_members(2)["term"][0] == "small"
        assert lex.lineage("Glad")["node_id"].to_list() == [6, 1, 0]
        assert lex.subtree(2)["node_id"].to_list() == [2, 8]
        assert set(lex.node_terms(10)["term"]) == {"buy", "purchase", "sell"}
        assert lex.senses_of("cool").height == 2
        assert lex.votes_of("COOL")["chosen"].to_list() == [True, False]
        tree = lex.tree()
        assert tree.height == 11 and tree.filter(pl.col("parent_id").is_null())["node_id"].to_list() == [0]
        assert lex.trees() == ["clusters", "docs"]
        with pytest.raises(LookupError, match="trees: clusters, docs"):
            lex.tree("nope")
        assert lex.sql("SELECT count(*) AS n FROM terms")["n"][0] == 34
        assert lex.sql("SELECT term FROM terms WHERE term_id = $id", {"id": 1})["term"][0] == "auto"


def test_api_normalises_turkish_like_the_build(tmp_path: Path) -> None:
    with Store(tmp_path / "tr.duckdb") as store:
        store.append("terms", pl.DataFrame({"term_id": [1, 2], "term": ["ılık", "iri"], "lang": ["tr", "tr"],
                                            "pos": [None, None], "frequency": [None, None], "n_sources": [1, 1]},
                                           schema_overrides={"pos": pl.Utf8, "frequency": pl.Float64}))
        store.append("clusters", pl.DataFrame({"term_id": [1, 2], "term": ["ılık", "iri"], "cluster_id": [1, 1],
                                               "method": ["x", "x"]}))
    with lexgraph.open(tmp_path / "tr.duckdb") as lex:
        assert lex.cluster_of("ILIK")["term"].to_list() == ["ılık"]
        assert lex.cluster_of("İRİ")["term"].to_list() == ["iri"]
    # The SQL macro applies the same rule on its own, for the plain client.
    assert [r["term"] for r in cli_json(tmp_path / "tr.duckdb", "SELECT term FROM cluster_of('ILIK')")] == ["ılık"]


def test_lookup_normalises_each_term_in_its_own_language_as_ingest_did(tmp_path: Path) -> None:
    # before, queries normalised every word with any_value(lang) of the terms while ingest normalised per row
    from lexgraph.lexicon.stage import IngestStage
    from lexgraph.pipeline import build

    words = tmp_path / "mixed.csv"
    words.write_text("term,lang\nIŞIK,tr\nİZMİR,tr\nINDIA,en\nIRIS,\n", encoding="utf-8")
    for lang in ("tr", "en"):                     # either build language: rows without lang take it
        db = tmp_path / f"{lang}.duckdb"
        build(BuildConfig(db=db, sources=[str(words)], lang=lang), stages=[IngestStage()])
        with lexgraph.open(db) as lex:
            stored = dict(lex.sql("SELECT term, lang FROM terms").iter_rows())
            iris = "ırıs" if lang == "tr" else "iris"
            assert stored == {"ışık": "tr", "izmir": "tr", "india": "en", iris: lang}
            assert lex.lang == lang
            for word, term in (("IŞIK", "ışık"), ("İZMİR", "izmir"), (" INDIA ", "india"), ("IRIS", iris)):
                assert lex.normalize(word) == term
                found = lex.sql("SELECT term FROM terms WHERE term = lexgraph_norm(?)", [word])
                assert found["term"].to_list() == [term]
            assert lex.normalize("UNKNOWN IĞDIR") == ("unknown ığdır" if lang == "tr" else "unknown iğdir")
            assert lex.sql("SELECT lexgraph_norm('nope') AS t")["t"].to_list() == [None]


def test_api_is_read_only_by_default(demo_db: Path) -> None:
    with lexgraph.open(demo_db) as lex:
        with pytest.raises(duckdb.Error, match="read-only"):
            lex.sql("DELETE FROM terms")
    with lexgraph.open(demo_db) as lex:
        assert lex.sql("SELECT count(*) AS n FROM terms")["n"][0] == 34


def test_api_open_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no lexgraph database"):
        lexgraph.open(tmp_path / "absent.duckdb")
    old = tmp_path / "old.duckdb"
    with Store(old) as store:
        store.con.execute("DROP MACRO TABLE synonyms")
    with pytest.raises(StoreError, match="read_only=False"):
        lexgraph.open(old)
    lexgraph.open(old, read_only=False).close()   # a writable open reinstalls the macros
    lexgraph.open(old).close()


def test_build_takes_the_buildconfig_fields() -> None:
    # one home: lexgraph.build's keywords and defaults are BuildConfig's, and its signature shows them
    sig = inspect.signature(lexgraph.build)
    for f in fields(BuildConfig):
        if f.name not in ("db", "sources"):
            assert sig.parameters[f.name].default == f.default, f.name
    with pytest.raises(ValueError, match="lang must be"):
        lexgraph.build(Path("unused.duckdb"), lang="de")
    with pytest.raises(TypeError, match="no option 'seed'.*random_state"):
        lexgraph.build(Path("unused.duckdb"), seed=1)


# -- exports -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_table_exports_round_trip(demo_db: Path, tmp_path: Path, fmt: str) -> None:
    with Store(demo_db, read_only=True) as store:
        result = export(store, fmt, tmp_path / fmt)
        expected = {t: store.count(t) for t in PUBLIC_TABLES}
        relations = store.frame("SELECT * FROM relations ORDER BY a_id, b_id")
    assert result.counts == expected
    read = {"parquet": pl.read_parquet, "jsonl": pl.read_ndjson, "csv": pl.read_csv}[fmt]
    for table, n in expected.items():
        assert read(tmp_path / fmt / f"{table}.{fmt}").height == n, table
    back = read(tmp_path / fmt / f"relations.{fmt}")
    assert back["term_a"].to_list() == relations["term_a"].to_list()
    assert back["label"].to_list() == relations["label"].to_list()


def test_tree_exports_reuse_the_tree_module(demo_db: Path, tmp_path: Path) -> None:
    from lexgraph.trees.export import parse_newick

    with Store(demo_db, read_only=True) as store:
        export(store, "csv", tmp_path)
    newick = parse_newick((tmp_path / "tree-clusters.nwk").read_text(encoding="utf-8"))
    assert newick["name"] == "big" and len(newick["children"]) == 3
    nested = json.loads((tmp_path / "tree-clusters.json").read_text(encoding="utf-8"))
    assert nested["node_id"] == 0 and {c["node_id"] for c in nested["children"]} == {1, 2, 3}


def test_wn_lmf_loads_validates_and_queries_with_wn(demo_db: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    wn = pytest.importorskip("wn")
    import wn.lmf
    import wn.validate

    out = lexgraph_cli("export", str(demo_db), "--format", "wn-lmf", "--out", str(tmp_path / "lmf"), "--senses")
    assert out.returncode == 0, out.stderr
    xml = tmp_path / "lmf" / "lexgraph.xml"
    resource = wn.lmf.load(xml, progress_handler=None)
    (lex,) = resource["lexicons"]
    assert len(lex["synsets"]) == len(CLUSTERS) + 11 and len(lex["entries"]) == 34
    report = wn.validate.validate(lex, progress_handler=None)
    errors = {code: check["items"] for code, check in report.items() if code.startswith("E") and check["items"]}
    assert errors == {}
    # The only warnings: tree-node synsets have no senses, and a few differ in POS from their parent node.
    assert set(report["W301"]["items"]) == {f"lexgraph-n{i}" for i in range(11)}
    assert all(i.startswith("lexgraph-n") for i in report["W501"]["items"])
    assert not report["W404"]["items"] and not report["W403"]["items"]

    monkeypatch.setattr(wn.config, "data_directory", tmp_path / "wn_data")
    wn.add(xml, progress_handler=None)
    w = wn.Wordnet("lexgraph")
    (big,) = w.synsets("big")
    assert sorted(big.lemmas()) == sorted(CLUSTERS[1][0])
    assert [s.id for s in big.hypernyms()] == ["lexgraph-n4"]
    assert [s.id for s in big.hypernyms()[0].hypernyms()] == ["lexgraph-n1"]
    antonyms = {t.word().lemma() for s in w.senses("hot") for t in s.get_related("antonym")}
    assert antonyms == {"cold"}
    assert sorted(len(s.lemmas()) for s in w.synsets("cool")) == [1 + 1, 2]   # soft sense in 'good' kept


def test_wn_lmf_needs_clusters(tmp_path: Path) -> None:
    from lexgraph.store.export import write_wn_lmf

    with Store(tmp_path / "empty.duckdb") as store:
        with pytest.raises(ValueError, match="no clusters"):
            write_wn_lmf(store, tmp_path / "x.xml")
        with pytest.raises(ValueError, match="XML name"):
            write_wn_lmf(store, tmp_path / "x.xml", lexicon_id="1 bad")


# -- command line: read-only and errors ---------------------------------------------------------

def test_query_command_uses_the_macros_and_fails_cleanly(demo_db: Path, tmp_path: Path) -> None:
    ok = lexgraph_cli("query", str(demo_db), "SELECT synonym FROM synonyms('Big')", "--format", "csv")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines() == ["synonym", "huge", "large", "enormous"]
    bad = lexgraph_cli("query", str(demo_db), "SELECT * FROM synonyms()")
    assert bad.returncode == 1 and "Binder Error" in bad.stderr and "Traceback" not in bad.stderr
    took = lexgraph_cli("query", str(demo_db), "SELECT INTERVAL 90 SECOND AS d, NULL::INTERVAL AS e", "--format", "csv")
    assert took.returncode == 0 and took.stdout.splitlines() == ["d,e", "0:01:30,"], took.stderr  # polars has no intervals
    write = lexgraph_cli("query", str(demo_db), "DROP TABLE terms")
    assert write.returncode == 1 and "read-only" in write.stderr and "Traceback" not in write.stderr
    wrong = lexgraph_cli("export", str(demo_db), "--format", "xml", "--out", str(tmp_path))
    assert wrong.returncode == 2 and "must be one of" in wrong.stderr
    missing = lexgraph_cli("export", str(tmp_path / "absent.duckdb"), "--format", "csv", "--out", str(tmp_path))
    assert missing.returncode == 1 and "no lexgraph database" in missing.stderr
