"""Invariants of the funnel benchmark's split and split metrics (``benchmarks/bench_funnel.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from bench_funnel import (
    _main_sense_rule,
    _per_lang,
    gold_synonym_pairs,
    pair_is_test,
    split_cluster_metrics,
)
from bench_heldout import clean_tag

from lexgraph.clustering.evaluate import Gold, evaluate_clusters


def test_pair_split_is_symmetric_deterministic_and_about_half() -> None:
    rng = np.random.default_rng(0)
    words = np.array([f"w{i}" for i in range(400)], dtype=object)
    a, b = words[rng.integers(0, 400, 5000)], words[rng.integers(0, 400, 5000)]
    t = pair_is_test(a, b)
    assert np.array_equal(t, pair_is_test(b, a))
    assert np.array_equal(t, pair_is_test(list(a), list(b)))
    assert 0.45 < t.mean() < 0.55
    assert np.array_equal(pair_is_test(a[:10], b[:10]), t[:10])       # a pair's half ignores the others


def _gold() -> Gold:
    senses = pl.DataFrame({"synset_id": ["s1", "s1", "s1", "s2", "s2", "s3", "s3", "s4", "s4", "s4"],
                           "term": ["big", "large", "huge", "large", "great", "hot", "warm", "car", "auto", "wagon"]})
    ancestors = senses.select("synset_id", ancestor="synset_id").unique().with_columns(depth=pl.lit(0, pl.Int8))
    return Gold("tiny", senses, pl.DataFrame({"term_a": ["cold"], "term_b": ["hot"]}), ancestors)


@pytest.mark.parametrize("labels", [[0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 5], [0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3],
                                    [0] * 11, list(range(11))])
def test_split_metrics_on_all_pairs_equal_evaluate_clusters(labels: list[int]) -> None:
    g = _gold()
    terms = ["big", "large", "huge", "great", "hot", "warm", "cold", "car", "auto", "wagon", "zebra"]
    clusters = pl.DataFrame({"term": terms, "cluster_id": labels})
    gp = gold_synonym_pairs(terms, g)
    assert gp.height == 3 + 1 + 1 + 3                # s1, s2, s3, s4; each pair once
    got = split_cluster_metrics(clusters, gp, g.senses.select("term").unique())["all"]
    want = evaluate_clusters(clusters, g)
    for key in ("pair_p", "pair_r", "pair_f1", "bcubed_p", "bcubed_r", "bcubed_f1"):
        assert got[key] == pytest.approx(want[key]), key


def test_split_halves_partition_the_gold_pairs() -> None:
    g = _gold()
    terms = ["big", "large", "huge", "great", "hot", "warm", "car", "auto", "wagon"]
    gp = gold_synonym_pairs(terms, g)
    m = split_cluster_metrics(pl.DataFrame({"term": terms, "cluster_id": [0] * 9}), gp, g.senses.select("term").unique())
    assert m["dev"]["gold_pairs"] + m["test"]["gold_pairs"] == m["all"]["gold_pairs"] == gp.height
    assert m["dev"]["pair_r"] in (0.0, 1.0) and m["test"]["pair_r"] in (0.0, 1.0)


def test_cleaning_settings_parse_and_key_the_cache_without_dots() -> None:
    import argparse

    assert _per_lang(["en=0.1"], "--min-sense-share", float, "en=0.1") == {"en": 0.1}
    assert _per_lang(["tr=both"], "--main-sense", _main_sense_rule, "tr=both") == {"tr": "both"}
    with pytest.raises(argparse.ArgumentTypeError, match="--main-sense takes LANG=VALUE"):
        _per_lang(["tr=all"], "--main-sense", _main_sense_rule, "tr=both")
    # a dot would be cut by Path.with_suffix when the model's .json/.npz are named
    assert clean_tag(0.1, None) == "_share0p1" and clean_tag(0.05, "both") == "_share0p05_main-both"
    assert clean_tag(None, None) == ""
    assert Path(f"model_1{clean_tag(0.1, None)}_e20_s0").with_suffix(".json").name == "model_1_share0p1_e20_s0.json"
