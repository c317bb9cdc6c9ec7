"""The relation discriminator: dataset, symmetric model, persistence, CLI, pipeline stage.

Real data throughout: the packaged English WordNet, the bundled MiniLM model (and the
other encoders the shipped model uses), the shipped weights.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from threadpoolctl import threadpool_limits
from typer.testing import CliRunner

from lexgraph.relations import model as relations_model
from lexgraph.relations.calibration import Calibration
from lexgraph.relations.dataset import (
    LABELS,
    build_dataset,
    clean_synonym_pairs,
    iter_terms,
    read_pair_file,
    synonym_sense_support,
)
from lexgraph.relations.features import (
    TermTable,
    cached_vectors,
    lexical_features,
    opposite_forms,
)
from lexgraph.relations.model import (
    PairClassifier,
    PairSet,
    ShippedModel,
    load_model,
    project_table,
    project_vectors,
)
from lexgraph.relations.training import dataset_config

#: The AntSynNET files beside the checkout (../shared/benchmarks/antsynnet); the package never guesses this path.
ANTSYNNET_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "antsynnet"


@pytest.fixture(scope="session")
def en_wordnet():
    from lexgraph.lexicon.wordnet import load_wordnet

    return load_wordnet("en")


@pytest.fixture(scope="session")
def small_dataset(en_wordnet, tmp_path_factory):
    """A small real English dataset (300 pairs per class), hard negatives from MiniLM."""
    cache = tmp_path_factory.mktemp("relcache")
    config = dataset_config("en", antsynnet=ANTSYNNET_DIR if ANTSYNNET_DIR.is_dir() else None,
                            max_per_class=300, seed=1)
    ds = build_dataset(config, wordnet=en_wordnet, embed=lambda terms: cached_vectors(terms, "minilm", cache))
    return ds, cache


@pytest.fixture(scope="session")
def shipped_en() -> PairClassifier:
    return load_model(None, "en")


@pytest.fixture(scope="session")
def small_table(small_dataset, shipped_en) -> TermTable:
    ds, cache = small_dataset
    terms = list(iter_terms(ds.pairs))
    return TermTable.build(terms, "en", {e: cached_vectors(terms, e, cache) for e in shipped_en.encoders})


# -- dataset ---------------------------------------------------------------------------------------
def test_dataset_has_every_class_with_provenance(small_dataset):
    ds, _ = small_dataset
    counts = dict(ds.pairs.group_by("label").len().iter_rows())
    assert set(counts) == set(LABELS)
    assert all(n >= 100 for n in counts.values()), counts
    assert ds.pairs.get_column("provenance").null_count() == 0
    assert (ds.pairs.get_column("term_a") < ds.pairs.get_column("term_b")).all()
    assert ds.report["balance"]["all"] == {lab: counts[lab] for lab in LABELS}
    prov = ds.pairs.group_by("label").agg(pl.col("provenance").str.split(":").list.first().unique())
    kinds = {row[0]: set(row[1]) for row in prov.iter_rows()}
    assert kinds["synonym"] == {"synset"}
    assert kinds["cohyponym"] == {"sibling"}
    assert kinds["antonym"] <= {"antonym", "indirect"}
    assert kinds["unrelated"] <= {"random", "neighbour"}


def test_term_disjoint_split_shares_no_term(small_dataset):
    ds, _ = small_dataset
    train = set(iter_terms(ds.split("disjoint", "train")))
    test = set(iter_terms(ds.split("disjoint", "test")))
    assert train and test
    assert not train & test


@pytest.mark.skipif(not ANTSYNNET_DIR.is_dir(), reason="AntSynNET files not beside the checkout")
def test_antsynnet_test_pairs_are_excluded(small_dataset):
    ds, _ = small_dataset
    assert len(ds.config.exclude) == 3
    excluded = read_pair_file(ANTSYNNET_DIR / "adjective-pairs.test")
    excluded = pl.concat([excluded] + [read_pair_file(p) for p in ds.config.exclude])
    assert ds.pairs.join(excluded, on=["term_a", "term_b"], how="semi").height == 0
    # The shipped English model was trained on a dataset built with the same exclusion.
    info = load_model(None, "en").info_
    assert len(info["dataset_config"]["exclude"]) == 3
    assert info["dataset_report"]["excluded_pairs"] > 3000


def test_antsynnet_exclusion_is_explicit_and_fails_loudly(tmp_path, small_dataset):
    from lexgraph.cli import app
    from lexgraph.relations.report import evaluate_all

    assert dataset_config("en").exclude == []            # not asked: nothing excluded, nothing guessed
    with pytest.raises(FileNotFoundError, match="no AntSynNET test files"):
        dataset_config("en", antsynnet=tmp_path / "absent")
    with pytest.raises(ValueError, match="AntSynNET is English"):
        dataset_config("tr", antsynnet=tmp_path)
    ds, _ = small_dataset
    ds.save(tmp_path / "ds")
    with pytest.raises(FileNotFoundError, match="no AntSynNET test files"):   # before minutes of training
        evaluate_all(tmp_path / "ds", antsynnet=tmp_path / "absent")
    result = runner.invoke(app, ["relations", "dataset", "--out", str(tmp_path / "x"),
                                 "--antsynnet", str(tmp_path / "absent")])
    assert result.exit_code == 1 and "no AntSynNET test files" in result.output


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_documented_retraining_commands_repeat_the_shipped_recipe(lang, tmp_path, monkeypatch):
    # README / BENCHMARKS: `lexgraph relations dataset --source wordnet:LANG --out D [--antsynnet A]` then
    # `lexgraph relations train --data D --out M`. Retraining takes minutes, so check the parameters those commands
    # pass against the ones the shipped model records; equal parameters and seeds give the shipped weights.
    from dataclasses import asdict

    from lexgraph.cli import app
    from lexgraph.relations import training

    shipped = load_model(None, lang)
    seen: dict[str, object] = {}

    def fake_dataset(lang: str, out: Path, antsynnet: Path | None = None, **overrides: object) -> None:
        seen["dataset"] = training.dataset_config(lang, antsynnet, **overrides)
        raise _StopError

    def fake_train(config: object, progress: bool) -> None:
        seen["train"] = config
        raise _StopError

    monkeypatch.setattr(training, "make_dataset", fake_dataset)
    monkeypatch.setattr(training, "train_from_dataset", fake_train)
    extra = ["--antsynnet", str(ANTSYNNET_DIR)] if lang == "en" and ANTSYNNET_DIR.is_dir() else []
    for args in (["dataset", "--source", f"wordnet:{lang}", "--out", str(tmp_path), *extra],
                 ["train", "--data", str(tmp_path), "--out", str(tmp_path / "m")]):
        result = runner.invoke(app, ["relations", *args])
        assert isinstance(result.exception, _StopError), result.output
    recorded = dict(shipped.info_["dataset_config"])
    made = asdict(seen["dataset"])
    if lang == "en" and not extra:
        pytest.skip("AntSynNET files not beside the checkout: cannot rebuild the English exclusion list")
    assert [Path(p).name for p in made.pop("exclude")] == [Path(p).name for p in recorded.pop("exclude")]
    later = {k: made.pop(k) for k in list(made) if k not in recorded}    # options added after the shipped model
    assert later == {"min_sense_share": None, "main_sense": None}        # ... are off by default: the same recipe
    assert made == recorded
    assert training.classifier_for(seen["train"], lang).get_params() == shipped.get_params()
    config = asdict(seen["train"])
    assert {k: v for k, v in config.items() if k not in ("dataset", "out")} == {
        k: v for k, v in shipped.info_["train_config"].items() if k not in ("dataset", "out")}


class _StopError(Exception):
    """Raised by a stand-in to stop a command once it has built its configuration."""


def test_unrelated_pairs_exclude_anything_wordnet_relates(en_wordnet):
    from lexgraph.relations.dataset import _Relatedness

    rel = _Relatedness(en_wordnet, set())
    assert rel.related("dog", "cat")              # common hypernym within two steps (carnivore)
    assert rel.related("car", "automobile")       # one synset
    assert rel.related("happy", "unhappy")        # antonym sense link
    assert not rel.related("car", "banana")


def _pairs(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["term_a", "term_b", "label"], orient="row")


def test_clean_synonym_pairs_drops_rare_sense_synonyms_in_english(en_wordnet):
    pairs = _pairs([("airplane", "plane", "synonym"), ("flat", "plane", "synonym"),
                    ("car", "automobile", "synonym"), ("bad", "good", "antonym"), ("car", "banana", "unrelated")])
    support = {(a, b): s for a, b, s in synonym_sense_support(pairs, en_wordnet)
               .select("term_a", "term_b", "sense_share").iter_rows()}
    assert support[("airplane", "plane")] > 0.3 and support[("flat", "plane")] < 0.1
    kept = clean_synonym_pairs(pairs, en_wordnet, min_sense_share=0.1)
    # the rare-sense pair is gone, not relabelled; the other labels and the input are untouched
    assert kept.rows() == [r for r in pairs.rows() if r[:2] != ("flat", "plane")]
    assert pairs.height == 5
    assert clean_synonym_pairs(pairs, en_wordnet).rows() == pairs.rows()
    with pytest.raises(ValueError, match=r"min_sense_share \(1.5\) must be"):
        clean_synonym_pairs(pairs, en_wordnet, min_sense_share=1.5)


def test_clean_synonym_pairs_keeps_kenet_main_senses():
    from lexgraph.lexicon.wordnet import load_wordnet

    tr = load_wordnet("tr")
    pairs = _pairs([("soru", "sual", "synonym"), ("devlet", "şans", "synonym"), ("ak", "kara", "antonym")])
    support = synonym_sense_support(pairs, tr)
    assert support["sense_share"].is_null().all()          # KeNet has no sense counts
    both = clean_synonym_pairs(pairs, tr, main_sense="both")
    assert both.rows() == [("soru", "sual", "synonym"), ("ak", "kara", "antonym")]
    either = {r[:2] for r in clean_synonym_pairs(pairs, tr, main_sense="either").rows()}
    assert ("soru", "sual") in either and ("ak", "kara") in either
    with pytest.raises(ValueError, match="needs sense counts"):
        clean_synonym_pairs(pairs, tr, min_sense_share=0.1)


def test_dataset_config_cleans_synonyms_before_sampling(en_wordnet):
    """``lexgraph relations dataset --min-sense-share``: the dataset's synonym class holds no pair below the
    share, the report counts what went, and a share for a wordnet without counts is refused up front."""
    config = dataset_config("en", max_per_class=400, seed=2, min_sense_share=0.2)
    ds = build_dataset(config, wordnet=en_wordnet)                 # random negatives only: no encoder
    syn = ds.pairs.filter(pl.col("label") == "synonym")
    assert syn.height == 400
    shares = synonym_sense_support(syn, en_wordnet)["sense_share"]
    assert shares.null_count() == 0 and shares.min() >= 0.2
    assert ds.report["rare_sense_synonyms_dropped"] > 1000
    with pytest.raises(ValueError, match="needs sense counts"):
        dataset_config("tr", min_sense_share=0.1)
    with pytest.raises(ValueError, match="main_sense"):
        dataset_config("tr", main_sense="most")


# -- features and model ----------------------------------------------------------------------------
def test_glove_source_means_words_and_zeroes_unknowns():
    from lexgraph.embed.encoders import get_encoder

    enc = get_encoder("glove")                     # an encoder like the others
    v = enc.encode(["car", "automobile", "ice cream", "zzqxwv", "ice-cream"])
    assert v.shape == (5, enc.dim) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v[[0, 1, 2]], axis=1), 1.0, atol=1e-5)
    assert not v[3].any()                          # no known word: zero vector
    assert np.allclose(v[2], v[4])                 # hyphen splits like a space
    assert float(v[0] @ v[1]) > 0.5
    terms = ["car", "automobile"]
    table = TermTable.build(terms, "en", {"glove": cached_vectors(terms, "glove", None)})
    assert np.array_equal(table.vectors["glove"], v[:2])


def test_dataset_vectors_live_in_one_embeddings_table(tmp_path, monkeypatch):
    from lexgraph.embed import cache
    from lexgraph.embed.encoders import get_encoder
    from lexgraph.relations.features import DATASET_VECTORS

    encoded: list[list[str]] = []

    def counting(name):
        enc = get_encoder(name)
        real = enc.encode
        enc.encode = lambda texts, batch_size=256: encoded.append(list(texts)) or real(texts, batch_size)
        return enc

    monkeypatch.setattr(cache, "get_encoder", counting)
    first = cached_vectors(["cold", "hot", "cold"], "minilm", tmp_path)
    again = cached_vectors(["hot", "warm", "cold"], "minilm", tmp_path)
    glove = cached_vectors(["hot", "cold"], "glove", tmp_path)
    assert encoded == [["cold", "hot"], ["warm"], ["hot", "cold"]]     # each term embedded once; glove always
    assert np.array_equal(first[[1, 0]], again[[0, 2]]) and np.array_equal(first[0], first[2])
    assert np.array_equal(glove, cached_vectors(["hot", "cold"], "glove", None))
    assert not list(tmp_path.glob("*.npz"))
    from lexgraph.store import Store, StoreError

    with Store(tmp_path / DATASET_VECTORS, read_only=True) as store:
        rows = store.frame("SELECT encoder, term FROM embeddings ORDER BY term")
    assert rows.rows() == [("minilm", "cold"), ("minilm", "hot"), ("minilm", "warm")]
    # a cache from another lexgraph (another schema) is named as a vector cache that can be deleted
    import duckdb

    with duckdb.connect(str(tmp_path / DATASET_VECTORS)) as con:
        con.execute("UPDATE meta SET value = 'old' WHERE key = 'schema_hash'")
    with pytest.raises(StoreError, match="vector cache .* delete it and they are computed again"):
        cached_vectors(["hot"], "minilm", tmp_path)


def test_morphological_opposites():
    assert "unhappy" in opposite_forms("happy", "en")
    assert "careless" in opposite_forms("careful", "en")
    assert "tuzsuz" in opposite_forms("tuzlu", "tr")
    table = TermTable.build(["happy", "unhappy", "tuzlu", "tuzsuz"], "en", {})
    f = lexical_features(table, np.array([0, 1]), np.array([1, 0]))
    assert f[0, 4] == 1.0 and np.array_equal(f[0], f[1])


def test_score_is_exactly_symmetric(shipped_en, small_table):
    rng = np.random.default_rng(0)
    n = len(small_table.terms)
    a, b = rng.integers(0, n, 2000), rng.integers(0, n, 2000)
    p_ab = shipped_en.predict_proba(PairSet(small_table, a, b))
    p_ba = shipped_en.predict_proba(PairSet(small_table, b, a))
    assert np.array_equal(p_ab, p_ba)
    assert np.allclose(p_ab.sum(axis=1), 1.0, atol=1e-5)


def _same(x, y) -> bool:
    """Deep equality over arrays, dicts and tuples (what a fitted model holds)."""
    if isinstance(x, np.ndarray):
        return isinstance(y, np.ndarray) and x.dtype == y.dtype and np.array_equal(x, y)
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x)
    if isinstance(x, (list, tuple)):
        return type(x) is type(y) and len(x) == len(y) and all(_same(u, v) for u, v in zip(x, y))
    return x == y


def test_scoring_leaves_the_model_unchanged_and_clone_works(shipped_en, small_table):
    from sklearn.base import clone

    params = shipped_en.get_params()
    state = copy.deepcopy(vars(shipped_en))
    pairs = PairSet(small_table, [0, 1, 2], [3, 4, 5])
    first = shipped_en.predict_proba(pairs)
    assert shipped_en.get_params() == params
    assert _same(vars(shipped_en), state)                     # nothing cached, nothing added
    assert np.array_equal(shipped_en.predict_proba(pairs), first)
    assert np.array_equal(shipped_en.scorer(small_table).predict_proba(pairs.a, pairs.b), first)
    twin = clone(shipped_en).set_params(hidden=8)
    assert twin.get_params() == {**params, "hidden": 8} and not hasattr(twin, "W1_")
    assert shipped_en.hidden == params["hidden"]


def test_projection_by_row_blocks_and_a_table_projected_on_loading_score_the_same(shipped_en, small_table,
                                                                                  monkeypatch):
    # The relations stage projects each encoder as it reads it, in row blocks (1M terms: no n x d temporaries).
    X = small_table.vectors["usem3"]
    m, C = shipped_en.proj_["usem3"]
    pairs = PairSet(small_table, [0, 1, 2], [3, 4, 5])
    with threadpool_limits(relations_model.SCORING_THREADS):         # the threads projection uses (sums' order)
        whole = ((X - m) @ C).astype(np.float32)
    assert np.array_equal(project_vectors(X, (m, C)), whole)           # one block (under ROW_BLOCK rows)
    monkeypatch.setattr(relations_model, "ROW_BLOCK", 500)             # four blocks: BLAS may sum in another
    assert np.allclose(project_vectors(X, (m, C)), whole, rtol=0, atol=1e-6)   # order for a smaller matrix
    assert project_vectors(X, None) is X
    monkeypatch.undo()
    projected = shipped_en.scorer(project_table(small_table, shipped_en.proj_), projected=True)
    assert np.array_equal(projected.predict_proba(pairs.a, pairs.b), shipped_en.predict_proba(pairs))


def test_scores_do_not_depend_on_the_blas_thread_count(shipped_en, small_table):
    # a float32 product's rounding depends on how many threads share it; a build must score alike in process (every
    # core) and on a Ray actor (one), so scoring uses one BLAS thread whatever the caller allows
    rng = np.random.default_rng(0)
    n = len(small_table.terms)
    pairs = PairSet(small_table, rng.integers(0, n, 20_000), rng.integers(0, n, 20_000))
    with threadpool_limits(2):
        many = shipped_en.predict_proba(pairs)
    with threadpool_limits(1):
        one = shipped_en.predict_proba(pairs)
    assert np.array_equal(many, one)


def test_fit_save_load_round_trip(small_dataset, small_table, tmp_path):
    ds, _ = small_dataset
    rows = ds.split("random", "train")
    pairs = PairSet.from_terms(small_table, list(zip(rows["term_a"].to_list(), rows["term_b"].to_list())))
    model = PairClassifier(encoders=("minilm",), hidden=16, epochs=2, random_state=3)
    before = {k: v for k, v in vars(model).items()}
    model.fit(pairs, rows["label"].to_numpy())
    assert {k: v for k, v in vars(model).items() if not k.endswith("_") and not k.startswith("_")} == before
    jpath, npath = model.save(tmp_path / "m")
    assert jpath.exists() and npath.exists()
    loaded = PairClassifier.load(tmp_path / "m.json")
    assert loaded.get_params() == model.get_params()
    assert model.calibration_ is None and loaded.calibration_ is None       # a new fit is not calibrated
    model.calibration_ = Calibration(0.9, -3.0, {"terms": 7})
    model.save(tmp_path / "m")
    assert PairClassifier.load(tmp_path / "m").calibration_ == model.calibration_
    assert np.array_equal(loaded.predict_proba(pairs), model.predict_proba(pairs))
    again = PairClassifier(encoders=("minilm",), hidden=16, epochs=2, random_state=3).fit(
        pairs, rows["label"].to_numpy())
    assert np.array_equal(again.predict_proba(pairs), model.predict_proba(pairs))    # deterministic


def test_unfitted_and_unknown_labels_are_clear_errors(small_table):
    with pytest.raises(RuntimeError, match="not fitted"):
        PairClassifier().predict_proba(PairSet(small_table, [0], [1]))
    with pytest.raises(ValueError, match="unknown label 'hypernym'"):
        PairClassifier(encoders=("minilm",), epochs=1).fit(PairSet(small_table, [0], [1]), ["hypernym"])


def test_shipped_english_model_knows_easy_pairs(shipped_en):
    from lexgraph.relations.predict import score_pairs

    df = score_pairs([("big", "large"), ("hot", "cold"), ("large", "big")], "en", shipped_en)
    labels = df.get_column("label").to_list()
    assert labels[0] == "synonym" and labels[2] == "synonym", df
    assert labels[1] == "antonym", df


# -- CLI -------------------------------------------------------------------------------------------
runner = CliRunner()


def _predict(tmp_path: Path, text: str, *extra: str):
    from lexgraph.cli import app

    path = tmp_path / "pairs.tsv"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(app, ["relations", "predict", str(path), *extra])


def test_predict_cli_prints_tsv(tmp_path):
    result = _predict(tmp_path, "big\tlarge\nhot\tcold\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].split("\t") == ["term_a", "term_b", "label", "p_synonym", "p_antonym", "p_cohyponym",
                                    "p_unrelated", "p_calibrated"]
    p_syn, p_cal = (float(x) for x in lines[1].split("\t")[3::4])
    assert 0 < p_cal < p_syn                    # big ~ large: the shipped calibration, far below the raw P
    assert lines[1].startswith("big\tlarge\tsynonym\t")
    assert len(lines) == 3


@pytest.mark.parametrize("text, extra, needle", [
    ("big\tlarge\nhot\n", (), "line 2"),
    ("big\tlarge\n\nhot\tcold\n", (), "line 2: empty line"),
    ("big\tlarge\tsmall\n", (), "line 1"),
    ("big\tlarge\n", ("--lang", "xx"), "unknown language 'xx'"),
])
def test_predict_cli_bad_input(tmp_path, text, extra, needle):
    result = _predict(tmp_path, text, *extra)
    assert result.exit_code != 0
    assert needle in result.output
    assert "Traceback" not in result.output


# -- pipeline stage --------------------------------------------------------------------------------
def test_stage_fills_relations(tmp_path):
    from lexgraph.candidates.stage import CandidateStage
    from lexgraph.config import BuildConfig
    from lexgraph.embed.stage import EmbedStage
    from lexgraph.lexicon.stage import IngestStage
    from lexgraph.pipeline import build
    from lexgraph.relations.stage import RelationsStage
    from lexgraph.store import Store

    words = ["big", "large", "huge", "small", "little", "tiny", "hot", "cold", "warm", "cool", "happy", "sad",
             "glad", "unhappy", "dog", "cat", "car", "automobile", "begin", "start", "end", "finish"]
    src = tmp_path / "w.txt"
    src.write_text("\n".join(words) + "\n", encoding="utf-8")
    config = BuildConfig(db=tmp_path / "r.duckdb", sources=[str(src)], k=6, min_cosine=0.2, progress=False)
    stages = [IngestStage(), EmbedStage(), CandidateStage(), RelationsStage()]
    outcomes = build(config, stages=stages)
    assert outcomes[-1].status == "ran"
    with Store(config.db, read_only=True) as store:
        n_cand = store.count("candidates")
        rel = store.frame("SELECT * FROM relations")
        joined = store.frame("SELECT count(*) AS n FROM relations JOIN candidates USING (a_id, b_id)")
    assert n_cand > 0 and rel.height == n_cand == joined["n"][0]
    assert (rel["a_id"] < rel["b_id"]).all()
    total = rel["p_synonym"] + rel["p_antonym"] + rel["p_cohyponym"] + rel["p_unrelated"]
    assert ((total - 1.0).abs() < 1e-4).all()
    assert set(rel["label"].unique()) <= set(LABELS)
    assert rel["model"].str.starts_with("shipped:en@").all()
    # beside the raw P(synonym), the shipped model's calibration of it (monotone, far lower at the gate)
    cal = PairClassifier.load(ShippedModel("en").path).calibration_
    assert np.allclose(rel["p_calibrated"].to_numpy(), cal(rel["p_synonym"].to_numpy()), atol=1e-6)
    high = rel.filter(pl.col("p_synonym") >= 0.7)
    assert high.height and (high["p_calibrated"] < high["p_synonym"]).all()
    assert outcomes[-1].counts["pairs"] == n_cand
    with Store(config.db, read_only=True) as store:     # glove is computed, never cached
        encoders = store.frame("SELECT DISTINCT encoder FROM embeddings ORDER BY 1")["encoder"].to_list()
    assert encoders == ["minilm", "usem3"]
    again = build(config, stages=stages)
    assert again[-1].status == "skipped"


@pytest.mark.skipif(not ANTSYNNET_DIR.is_dir(), reason="AntSynNET files not beside the checkout")
def test_antsynnet_protocol_picks_epochs_on_val(tmp_path, monkeypatch):
    # our recipe fitted on (a slice of) AntSynNET's train file, epochs chosen on its val file
    import lexgraph.relations.report as report
    from lexgraph.relations.evaluate import read_antsynnet, restrict_argmax
    from lexgraph.relations.training import pairset_for

    monkeypatch.setattr(report, "ANTSYNNET_EPOCHS", (1, 6))
    train = read_antsynnet(ANTSYNNET_DIR, "train").sample(600, seed=0)
    val = read_antsynnet(ANTSYNNET_DIR, "val")
    terms = list(iter_terms(pl.concat([train, val]).select("term_a", "term_b")))
    table = TermTable.build(terms, "en", {"minilm": cached_vectors(terms, "minilm", tmp_path)})
    clf, epochs = report.fit_on_antsynnet(table, train, val, None, ("minilm",))
    assert epochs in (1, 6) and clf.epochs == epochs
    scores = {}
    for e in (1, 6):
        other = PairClassifier(encoders=("minilm",), lang="en", epochs=e, random_state=0)
        other.fit(pairset_for(table, train), train["label"].to_numpy())
        pred = restrict_argmax(other.predict_proba(pairset_for(table, val)), report.BINARY)
        scores[e] = np.mean(report._antonym_f1_by_pos(pred, val["label"].to_numpy(), val["pos"].to_numpy()))
    assert scores[epochs] == max(scores.values())      # the chosen one is the best on val


def test_prf_is_scikit_learns_with_zero_for_undefined():
    from lexgraph.relations.evaluate import prf

    s = prf(["a", "b", "a", "c", "b"], ["a", "a", "a", "b", "c"], ["a", "b", "c"])
    assert s.per_class["a"] == {"precision": 2 / 3, "recall": 1.0, "f1": 0.8, "support": 2}
    assert s.per_class["c"]["f1"] == 0.0 and s.n == 5
    assert s.macro_f1 == pytest.approx(0.8 / 3)
    assert prf([], [], ["a"]).macro_f1 == 0.0
