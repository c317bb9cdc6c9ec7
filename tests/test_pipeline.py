"""The store and the pipeline on real DuckDB files: resume, --force, cache hits, and failure atomicity."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from lexgraph.candidates.stage import CandidateStage
from lexgraph.config import BuildConfig
from lexgraph.embed.stage import EmbedStage
from lexgraph.lexicon.stage import IngestStage
from lexgraph.pipeline import build
from lexgraph.store import StageRun, Store, StoreError

GRAPH_STAGES = [IngestStage(), EmbedStage(), CandidateStage()]


def _config(db: Path, words: Path, **kw) -> BuildConfig:
    params = {"k": 8, "min_cosine": 0.3, "progress": False, **kw}
    return BuildConfig(db=db, sources=[str(words)], **params)


def _candidates(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT a_id, b_id, term_a, term_b, round(cosine, 5), rank FROM candidates "
                           "ORDER BY a_id, b_id").fetchall()


def test_rerun_skips_completed_stages_and_force_redoes(tmp_path: Path, en_wordlist: Path) -> None:
    db = tmp_path / "b.duckdb"
    first = build(_config(db, en_wordlist), stages=GRAPH_STAGES)
    assert [o.status for o in first] == ["ran", "ran", "ran"]
    assert first[1].counts["embedded"] > 300
    second = build(_config(db, en_wordlist), stages=GRAPH_STAGES)
    assert [o.status for o in second] == ["skipped", "skipped", "skipped"]
    third = build(_config(db, en_wordlist), force=["embed"], stages=GRAPH_STAGES)
    assert [o.status for o in third] == ["skipped", "ran", "ran"]
    # The forced embed stage found every vector in the cache.
    assert third[1].counts == {"embedded": 0, "cached": first[1].counts["embedded"]}
    # A changed parameter re-runs from the stage it affects.
    fourth = build(_config(db, en_wordlist, k=4), stages=GRAPH_STAGES)
    assert [o.status for o in fourth] == ["skipped", "skipped", "ran"]
    with pytest.raises(ValueError, match="unknown stage"):
        build(_config(db, en_wordlist), force=["nope"], stages=GRAPH_STAGES)


def test_new_terms_only_are_embedded(tmp_path: Path, en_wordlist: Path) -> None:
    db = tmp_path / "c.duckdb"
    build(_config(db, en_wordlist), stages=GRAPH_STAGES)
    more = tmp_path / "more.txt"
    more.write_text(en_wordlist.read_text(encoding="utf-8") + "zebra\nplatypus\n", encoding="utf-8")
    config = _config(db, more)
    out = build(config, stages=GRAPH_STAGES)
    assert out[0].status == "ran"
    encoders = {config.encoder_name, *config.candidate_encoder_names}
    assert out[1].counts["embedded"] == 2 * len(encoders)


class _FailingCandidates(CandidateStage):
    """Writes half its rows, then fails, as a crash mid-stage would."""

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        store.con.execute("INSERT INTO candidates VALUES (0, 1, 'a', 'b', 0.9, 1, 'knn')")
        raise RuntimeError("disk on fire")


def test_failed_stage_leaves_file_as_before_and_rerun_matches_clean(tmp_path: Path, en_wordlist: Path) -> None:
    clean = tmp_path / "clean.duckdb"
    build(_config(clean, en_wordlist), stages=GRAPH_STAGES)

    db = tmp_path / "crash.duckdb"
    build(_config(db, en_wordlist, k=4), stages=GRAPH_STAGES)
    before = _candidates(db)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build(_config(db, en_wordlist), stages=[IngestStage(), EmbedStage(), _FailingCandidates()])
    assert _candidates(db) == before  # rolled back, the k=4 result is intact
    with Store(db) as store:
        failed = store.frame("SELECT stage, status, error FROM runs WHERE status = 'failed'")
    assert failed.row(0) == ("candidates", "failed", "RuntimeError: disk on fire")
    resumed = build(_config(db, en_wordlist), stages=GRAPH_STAGES)
    assert [o.status for o in resumed] == ["skipped", "skipped", "ran"]
    assert _candidates(db) == _candidates(clean)


def test_empty_lexicon_fails_cleanly(tmp_path: Path) -> None:
    words = tmp_path / "empty.txt"
    words.write_text("\n   \n---\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no usable terms"):
        build(_config(tmp_path / "e.duckdb", words), stages=GRAPH_STAGES)


def test_store_read_only_and_version_checks(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no lexgraph database"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    plain = tmp_path / "plain.duckdb"
    duckdb.connect(str(plain)).close()
    with pytest.raises(StoreError, match="not a lexgraph database"):
        Store(plain, read_only=True)
    db = tmp_path / "v.duckdb"
    with Store(db) as store:
        store.con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 999"):
        Store(db)


def test_lang_tr_without_source_builds_the_turkish_default_lexicon(tmp_path: Path) -> None:
    # before, `lexgraph build --lang tr` read the English default list and scored it with the Turkish model
    from lexgraph.lexicon.wordnet import load_wordnet

    db = tmp_path / "tr.duckdb"
    (outcome,) = build(BuildConfig(db=db, lang="tr", default_size=50), stages=[IngestStage()])
    with Store(db, read_only=True) as store:
        terms = store.frame("SELECT term, lang FROM terms")
    kenet = set(load_wordnet("tr").terms.to_list())
    assert terms.height == 50 and set(terms["lang"]) == {"tr"}
    assert set(terms["term"]) <= kenet
    assert {"büyük", "güzel", "değil"} <= set(terms["term"])          # Turkish letters are words too
    # the language enters ingest's fingerprint: the same file rebuilt in English reads the English list
    (again,) = build(BuildConfig(db=db, lang="en", default_size=50), stages=[IngestStage()])
    assert again.status == "ran" and again.run_id != outcome.run_id
    with Store(db, read_only=True) as store:
        english = set(store.frame("SELECT term FROM terms")["term"])
    assert len(english) == 50 and "have" in english and not english & {"büyük", "güzel", "değil"}


def test_a_bad_cluster_method_fails_before_any_stage_runs(tmp_path: Path, en_wordlist: Path) -> None:
    from lexgraph.pipeline import default_stages

    db = tmp_path / "never.duckdb"
    with pytest.raises(ValueError, match=r"cluster_method \('kmeans'\) must be one of 'softhard'"):
        build(_config(db, en_wordlist, cluster_method="kmeans"), stages=default_stages())
    assert not db.exists()                           # not even the ingest stage ran
