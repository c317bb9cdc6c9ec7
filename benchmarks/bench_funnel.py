"""Funnel on held-out terms: candidates -> edges -> clusters, the table every quality change is judged by.

Per language, a vocabulary of the ``--size`` most frequent wordnet words (``default_lexicon(size, lang)``)
is built the way a user with new words would build it: the relations model is the shipped recipe
retrained without any pair touching a vocabulary term (``bench_heldout.heldout_dataset``, then
:func:`lexgraph.relations.training.train_from_dataset`), and the build uses no lexicon evidence
(``BuildConfig(lexicon='none')``).  The vocabulary's gold synonym pairs (two vocabulary words sharing a
synset) and every other pair are split in two halves by a hash of the pair (:func:`pair_is_test`):
settings (the calibration of P(synonym), the gates) are chosen on the **dev** half, figures are
reported on the **test** half.  Printed per language, on the test half:

1. candidate recall: share of gold synonym pairs that are candidate pairs (k = 20, the build's; and 50);
2. edges at the shipped gate (P(synonym) >= 0.70, antonym-labelled pairs never edges): precision (share
   of test-half edges that are gold synonym pairs) and recall (share of test gold pairs that are edges);
3. the build's soft-hard clusters: pairwise P/R/F1 (Watset's protocol) and BCubed P/R/F1 restricted to
   test-half pairs (:func:`split_cluster_metrics`), antonym intrusion and coverage over all clusters;
4. the gold-tuned cosine-components baseline (threshold with the best *test* pairwise F1, in its favour)
   and the gold-edge ceiling (soft-hard on the same candidates with the gold as the discriminator,
   ``bench_clustering.ceiling_graphs``);
5. calibration: reliability of P(synonym) on the test candidate pairs, a prior shift and a Platt
   calibration fitted on the dev candidate pairs, and the gates chosen on dev (edge precision >= 0.5;
   best soft-hard pairwise F1), reported on test.

    python benchmarks/bench_funnel.py --lang en tr --work /tmp/funnel --max-per-class en=20000 tr=8000

``--min-sense-share en=0.1`` and ``--main-sense tr=both`` train the held-out model on cleaned labels:
synonym pairs a wordnet joins only through a rare sense are dropped first
(:func:`lexgraph.relations.dataset.clean_synonym_pairs`); the cleaned dataset folder, the model and the
build's store carry the setting in their names, the rest of the cache is shared.

Everything slow is cached under ``--work`` (dataset folders with their vector caches, the held-out
model, the stores); a rerun only recomputes the figures.  ``--json`` writes every figure.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_clustering import ceiling_graphs
from bench_heldout import clean_dataset, clean_tag, heldout_dataset
from funnel_calibration import (
    calibrate,
    calibrate_with_cosine,
    calibration_scores,
    fit_calibrations,
    fit_with_cosine,
    reliability_table,
    uncalibrate_gate,
)

from lexgraph.relations.calibration import pair_is_test

if TYPE_CHECKING:
    from lexgraph.clustering.evaluate import Gold
    from lexgraph.store import Store

#: The shipped synonym gate on P(synonym).
SHIPPED_GATE = 0.70
#: Gates tried on the calibrated P(synonym) (chosen on dev).
GATE_GRID: tuple[float, ...] = (0.001, 0.002, 0.003, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6,
                                0.65, 0.7, 0.8, 0.9)
#: Shipped recipe's pairs per class (``docs/BENCHMARKS.md``, Relations).
FULL_PER_CLASS = {"en": 40_000, "tr": 12_000}
SPLITS = ("dev", "test")
#: Dev edges a gate needs before its dev edge precision counts (a handful of edges at 0.5 is noise).
MIN_DEV_EDGES = 30


# -- the split ------------------------------------------------------------------------------------
def _oriented(df: pl.DataFrame) -> pl.DataFrame:
    a, b = pl.col("term_a"), pl.col("term_b")
    return df.with_columns(term_a=pl.when(a < b).then(a).otherwise(b), term_b=pl.when(a < b).then(b).otherwise(a))


def gold_synonym_pairs(terms: Sequence[str], g: Gold) -> pl.DataFrame:
    """``(term_a, term_b, test)``: pairs of ``terms`` that share a gold synset, ``term_a < term_b``."""
    s = g.senses.filter(pl.col("term").is_in(list(terms)))
    gp = (s.join(s, on="synset_id", suffix="_b").filter(pl.col("term") < pl.col("term_b"))
          .select(pl.col("term").alias("term_a"), "term_b").unique().sort("term_a", "term_b"))
    return gp.with_columns(test=pl.Series(pair_is_test(gp["term_a"].to_numpy(), gp["term_b"].to_numpy())))


def _in_split(test: np.ndarray, split: str) -> np.ndarray:
    return np.ones_like(test, dtype=bool) if split == "all" else test if split == "test" else ~test


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


# -- measures -------------------------------------------------------------------------------------
def scored_pairs(store: Store, gp: pl.DataFrame) -> pl.DataFrame:
    """Every model-scored candidate pair with ``gold`` (a gold synonym pair) and ``test`` (its half)."""
    rel = _oriented(store.frame(
        "SELECT r.a_id, r.b_id, r.term_a, r.term_b, r.label, r.p_synonym, r.evidence, c.cosine "
        "FROM relations r JOIN candidates c USING (a_id, b_id)"))
    rel = rel.join(gp.select("term_a", "term_b", gold=pl.lit(True)), on=["term_a", "term_b"], how="left")
    rel = rel.with_columns(pl.col("gold").fill_null(False))
    return rel.with_columns(test=pl.Series(pair_is_test(rel["term_a"].to_numpy(), rel["term_b"].to_numpy())))


def candidate_recall(store: Store, gp: pl.DataFrame) -> dict[str, dict[str, float]]:
    """Per half: gold synonym pairs that are candidate pairs, their count and share."""
    cand = _oriented(store.frame("SELECT term_a, term_b FROM candidates")).with_columns(cand=pl.lit(True))
    hit = gp.join(cand, on=["term_a", "term_b"], how="left")["cand"].fill_null(False).to_numpy()
    test = gp["test"].to_numpy()
    out = {}
    for split in ("all", *SPLITS):
        m = _in_split(test, split)
        out[split] = {"gold": int(m.sum()), "candidates": int((hit & m).sum()),
                      "recall": float((hit & m).sum() / max(int(m.sum()), 1))}
    return out


def edge_metrics(pairs: pl.DataFrame, score: np.ndarray, gate: float, gold_total: dict[str, int]
                 ) -> dict[str, dict[str, float]]:
    """Per half: edges (score >= gate, not labelled antonym), their precision and recall of gold pairs."""
    edge = (score >= gate) & (pairs["label"].to_numpy() != "antonym")
    gold, test = pairs["gold"].to_numpy(), pairs["test"].to_numpy()
    out = {}
    for split in ("all", *SPLITS):
        m = _in_split(test, split) & edge
        hit = int((m & gold).sum())
        out[split] = {"edges": int(m.sum()), "gold_edges": hit, "precision": hit / max(int(m.sum()), 1),
                      "recall": hit / max(gold_total[split], 1)}
    return out


def split_cluster_metrics(clusters: pl.DataFrame, gp: pl.DataFrame, gold_terms: pl.DataFrame,
                          max_pairs: int = 2_000_000, seed: int = 0) -> dict[str, dict[str, float | None]]:
    """Pairwise and BCubed P/R/F1 of ``clusters(term, cluster_id)`` on each half of the pairs.

    As :func:`lexgraph.clustering.evaluate.evaluate_clusters` (only terms in the gold count), with
    every pair outside the half ignored: pairwise precision is the share of the half's co-clustered
    pairs that are gold pairs, recall the share of the half's gold pairs that are co-clustered;
    BCubed counts, per item, only its cluster mates and gold partners whose pair with it lies in the
    half.  ``split='all'`` gives evaluate_clusters' figures.  Above ``max_pairs`` co-clustered pairs
    (giant components), the half's share of them is estimated on a seeded sample and BCubed is None.
    """
    from lexgraph.clustering.evaluate import cluster_pairs

    shared = (clusters.select(pl.col("term").cast(pl.Utf8), pl.col("cluster_id").cast(pl.Int64))
              .join(gold_terms, on="term", how="semi").with_row_index("node"))
    names, labels = shared["term"].to_numpy(), shared["cluster_id"].to_numpy()
    _, size = np.unique(labels, return_counts=True)
    total = int((size * (size - 1) // 2).sum())
    i, j = cluster_pairs(labels, max_pairs, seed)
    exact = total <= max_pairs
    pair_test = pair_is_test(names[i], names[j])
    node = shared.select("term", "node", "cluster_id")
    g = (gp.join(node, left_on="term_a", right_on="term")
         .join(node, left_on="term_b", right_on="term", suffix="_b"))
    gi, gj, gtest = g["node"].to_numpy(), g["node_b"].to_numpy(), g["test"].to_numpy()
    ghit = g["cluster_id"].to_numpy() == g["cluster_id_b"].to_numpy()
    n = shared.height
    out: dict[str, dict[str, float | None]] = {}
    for split in ("all", *SPLITS):
        sm, gm = _in_split(pair_test, split), _in_split(gtest, split)
        sys_pairs = float(sm.sum()) if exact else total * float(sm.mean() if sm.size else 0.0)
        tp = float((ghit & gm).sum())
        p = tp / sys_pairs if sys_pairs else 0.0
        r = tp / float(gm.sum()) if gm.sum() else 0.0
        row: dict[str, float | None] = {"pair_p": p, "pair_r": r, "pair_f1": _f1(p, r), "gold_pairs": int(gm.sum()),
                                        "bcubed_p": None, "bcubed_r": None, "bcubed_f1": None}
        if exact and n:
            mates = np.bincount(i[sm], minlength=n) + np.bincount(j[sm], minlength=n)
            h = ghit & gm
            correct = 1 + np.bincount(gi[h], minlength=n) + np.bincount(gj[h], minlength=n)
            partners = 1 + np.bincount(gi[gm], minlength=n) + np.bincount(gj[gm], minlength=n)
            bp, br = float(np.mean(correct / (1 + mates))), float(np.mean(correct / partners))
            row.update(bcubed_p=bp, bcubed_r=br, bcubed_f1=_f1(bp, br))
        out[split] = row
    return out


def cluster_row(name: str, clusters: pl.DataFrame, gp: pl.DataFrame, g: Gold) -> dict[str, Any]:
    """Split metrics plus evaluate_clusters' whole-gold figures (antonym intrusion, coverage, sizes)."""
    from lexgraph.clustering.evaluate import evaluate_clusters

    whole = evaluate_clusters(clusters, g)
    split = split_cluster_metrics(clusters, gp, g.senses.select("term").unique())
    return {"method": name, "split": split,
            "whole": {k: whole[k] for k in ("pair_f1", "bcubed_f1", "antonym_intrusion", "coverage", "multi_member",
                                            "mean_size", "max_size", "clusters")}}


@contextmanager
def timed(timings: dict[str, float], part: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    timings[part] = round(timings.get(part, 0.0) + time.perf_counter() - t0, 1)
    print(f"[{part}: {timings[part]:.0f} s]", file=sys.stderr, flush=True)


def prepare(lang: str, args: argparse.Namespace, timings: dict[str, float]) -> dict[str, Any]:
    """Vocabulary, dataset, held-out model, the build and a k=50 candidates copy (each cached in ``work``)."""
    from lexgraph.candidates.stage import CandidateStage
    from lexgraph.config import BuildConfig
    from lexgraph.embed.stage import EmbedStage
    from lexgraph.evidence.stage import EvidenceStage
    from lexgraph.lexicon.default_lexicon import default_lexicon
    from lexgraph.lexicon.stage import IngestStage
    from lexgraph.pipeline import build
    from lexgraph.relations.training import (
        TrainConfig,
        make_dataset,
        train_from_dataset,
    )

    work = args.work / lang
    work.mkdir(parents=True, exist_ok=True)
    per_class = args.max_per_class.get(lang, FULL_PER_CLASS[lang])
    clean = {"min_sense_share": args.min_sense_share.get(lang), "main_sense": args.main_sense.get(lang)}
    tag = clean_tag(**clean)
    info: dict[str, Any] = {"max_per_class": per_class, "clean": clean}
    vocab = work / f"vocab_{args.size}.txt"
    with timed(timings, "vocabulary"):
        if not vocab.exists():
            vocab.write_text("\n".join(default_lexicon(args.size, lang)) + "\n", encoding="utf8")
    terms = vocab.read_text(encoding="utf8").split()
    data = work / f"data_{per_class}"
    with timed(timings, "dataset"):
        if not (data / "pairs.parquet").exists():
            make_dataset(lang, data, max_per_class=per_class, seed=args.seed)
    folder = work / f"heldout_{per_class}_{args.size}"
    with timed(timings, "held-out dataset"):
        counts = heldout_dataset(data, set(terms), folder)
    if tag:
        with timed(timings, "clean labels"):
            counts = counts.join(clean_dataset(folder, lang, work / f"{folder.name}{tag}", **clean), on="label",
                                 how="left")
            folder = work / f"{folder.name}{tag}"
    info["heldout_counts"] = counts.to_dicts()
    model = work / f"model_{per_class}_{args.size}{tag}_e{args.epochs}_s{args.seed}"
    with timed(timings, "train"):
        if not model.with_suffix(".json").exists():
            train_from_dataset(TrainConfig(dataset=folder, out=model, epochs=args.epochs, random_state=args.seed))
    info["model"] = str(model)
    db = work / f"funnel_{per_class}_{args.size}{tag}.duckdb"
    config = BuildConfig(db=db, sources=[str(vocab)], lang=lang, k=args.k, lexicon="none", relations_model=str(model),
                         tree=False, random_state=args.seed, progress=False)
    with timed(timings, "build"):
        info["build"] = [o.__dict__ for o in build(config)]
    wide = work / f"funnel_{args.size}_k{args.wide_k}.duckdb"
    with timed(timings, f"candidates k={args.wide_k}"):
        if not wide.exists():
            shutil.copy(db, wide)
        stages = [IngestStage(), EvidenceStage(), EmbedStage(), CandidateStage()]
        build(BuildConfig(db=wide, sources=[str(vocab)], lang=lang, k=args.wide_k, lexicon="none", tree=False,
                          random_state=args.seed, progress=False), stages=stages)
    info.update(vocab=str(vocab), db=str(db), wide=str(wide), config=config.as_dict())
    return info


def funnel(lang: str, args: argparse.Namespace) -> dict[str, Any]:
    """Every figure of the funnel for one language (see the module docstring)."""
    timings: dict[str, float] = {}
    return measure(lang, prepare(lang, args, timings), args, timings)


def measure(lang: str, info: dict[str, Any], args: argparse.Namespace, timings: dict[str, float]) -> dict[str, Any]:
    """The figures of one language from the stores ``info['db']`` (the build) and ``info['wide']`` (k=50)."""
    from lexgraph.clustering.baselines import make_estimator
    from lexgraph.clustering.compare import COSINE_GRID
    from lexgraph.clustering.evaluate import load_gold
    from lexgraph.clustering.stage import cluster_tables, load_graph
    from lexgraph.store import Store

    res: dict[str, Any] = {"lang": lang, "info": info, "timings": timings}
    with timed(timings, "gold"):
        g = load_gold(f"wordnet:{lang}")
    with Store(info["db"], read_only=True) as store, timed(timings, "measure: candidates and edges"):
        terms = store.frame("SELECT term_id, term FROM terms ORDER BY term_id")
        gp = gold_synonym_pairs(terms["term"].to_list(), g)
        res["vocabulary"] = {"terms": terms.height, "gold_pairs": gp.height, "test_pairs": int(gp["test"].sum())}
        gold_total = {"all": gp.height, "test": int(gp["test"].sum()), "dev": int((~gp["test"]).sum())}
        res["candidates"] = {f"k={args.k}": candidate_recall(store, gp)}
        pairs = scored_pairs(store, gp)
        res["pairs"] = {"candidate_pairs": pairs.height, "model_pairs": int((pairs["evidence"] == "model").sum())}
        pairs = pairs.filter(pl.col("evidence") == "model")
        p_raw = pairs["p_synonym"].to_numpy().astype(np.float64)
        res["edges_shipped"] = edge_metrics(pairs, p_raw, SHIPPED_GATE, gold_total)
    with Store(info["wide"], read_only=True) as wide:
        res["candidates"][f"k={args.wide_k}"] = candidate_recall(wide, gp)
    res["stage_seconds"] = stage_seconds(info["db"])
    model_json = Path(str(info.get("model", "")) + ".json")
    if model_json.is_file():
        meta = json.loads(model_json.read_text(encoding="utf8"))
        res["train_seconds"] = {k: meta.get(k, meta.get("info", {}).get(k))
                                for k in ("seconds_embedding", "seconds_total")}

    rows: list[dict[str, Any]] = []
    with Store(info["db"], read_only=True) as store:
        with timed(timings, "measure: build's clusters"):
            built = store.frame("SELECT term, cluster_id FROM clusters")
            rows.append({**cluster_row("soft-hard, P(syn) >= 0.70 (the build)", built, gp, g),
                         "gate": SHIPPED_GATE, "edges": res["edges_shipped"]})
        with timed(timings, "measure: cosine baseline grid"):
            graph, gterms = load_graph(store, SHIPPED_GATE, with_candidates=True)
            grid = []
            for t in COSINE_GRID:
                cl = cluster_tables(graph, gterms, make_estimator("components", cosine_threshold=t), "components").clusters
                grid.append((t, cl, split_cluster_metrics(cl, gp, g.senses.select("term").unique())))
            t_test = max(grid, key=lambda x: (x[2]["test"]["pair_f1"], x[0]))
            t_dev = max(grid, key=lambda x: (x[2]["dev"]["pair_f1"], x[0]))
            rows.append({**cluster_row(f"cosine components@{t_test[0]:.2f} (best of grid on test gold)", t_test[1],
                                       gp, g), "gate": t_test[0]})
            res["cosine_dev_choice"] = {"threshold": t_dev[0], "test": t_dev[2]["test"]}
        with timed(timings, "measure: ceiling"):
            for precision, cgraph, cterms in ceiling_graphs(store, g, (1.0, 0.5, 0.25), seed=args.seed):
                cl = cluster_tables(cgraph, cterms, make_estimator("softhard"), "softhard").clusters
                rows.append({**cluster_row(f"ceiling: soft-hard on gold edges, edge precision {precision}", cl, gp, g),
                             "gate": None, "ceiling_precision": precision})
            alone = pl.DataFrame({"term": terms["term"], "cluster_id": np.arange(terms.height)})
            rows.append({**cluster_row("singletons (reference)", alone, gp, g), "gate": None})
        with timed(timings, "calibration"):
            y = pairs["gold"].to_numpy().astype(np.float64)
            dev, test = ~pairs["test"].to_numpy(), pairs["test"].to_numpy()
            cal = fit_calibrations(p_raw[dev], y[dev])
            res["calibration"] = {"fitted_on": {"dev_pairs": int(dev.sum()), "dev_gold": int(y[dev].sum())},
                                  "params": cal, "test": {"raw": calibration_scores(p_raw[test], y[test])}}
            for name, params in cal.items():
                res["calibration"]["test"][name] = calibration_scores(calibrate(p_raw[test], params), y[test])
                res["calibration"][f"dev_{name}"] = calibration_scores(calibrate(p_raw[dev], params), y[dev])
            p_cal = calibrate(p_raw, cal["platt"])
            res["reliability"] = reliability_table(p_raw[test], y[test], p_cal[test]).to_dicts()
            res["reliability_dev"] = reliability_table(p_raw[dev], y[dev], p_cal[dev]).to_dicts()
        with timed(timings, "gate sweeps (soft-hard)"):
            cosine = pairs["cosine"].to_numpy().astype(np.float64)
            pc = fit_with_cosine(p_raw[dev], cosine[dev], y[dev])
            res["calibration"]["params"]["platt_with_cosine"] = pc
            p_pc = calibrate_with_cosine(p_raw, cosine, pc)
            res["calibration"]["test"]["platt_with_cosine"] = calibration_scores(p_pc[test], y[test])
            res["sweeps"] = {}
            for score_name, score, raw in (("calibrated P(synonym)", p_cal, cal["platt"]),
                                           ("calibrated P(synonym) and cosine", p_pc, None)):
                sweep, chosen = gate_sweep(pairs, score, terms, gp, g, gold_total)
                for s in sweep:
                    s["raw_gate"] = uncalibrate_gate(s["gate"], raw) if raw else None
                res["sweeps"][score_name] = {"sweep": [{k: v for k, v in s.items() if k != "labels"} for s in sweep],
                                             "chosen": {}}
                for why, s in chosen.items():
                    if why == "best dev edge precision" or s is None:
                        res["sweeps"][score_name]["chosen"][why] = s
                        continue
                    res["sweeps"][score_name]["chosen"][why] = {"gate": s["gate"], "raw_gate": s["raw_gate"]}
                    raw_txt = f"raw P {s['raw_gate']:.3f}; " if s["raw_gate"] is not None else ""
                    rows.append({**cluster_row(f"soft-hard, {score_name} >= {s['gate']} ({raw_txt}{why})",
                                               s["labels"], gp, g), "gate": s["gate"], "edges": s["edges"]})
    res["rows"] = rows
    return res


def gate_sweep(pairs: pl.DataFrame, score: np.ndarray, terms: pl.DataFrame, gp: pl.DataFrame, g: Gold,
               gold_total: dict[str, int]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Soft-hard on the graph of ``score >= gate`` (weights ``score``) for each gate of :data:`GATE_GRID`;
    and the gates chosen on dev: the lowest with dev edge precision >= 0.5 (over at least
    :data:`MIN_DEV_EDGES` dev edges), and the one with the best dev pairwise F1 (ties: the higher gate)."""
    from lexgraph.clustering.baselines import make_estimator
    from lexgraph.clustering.stage import cluster_tables
    from lexgraph.clustering.synonym_graph import graph_from_frames

    rel = pairs.select("a_id", "b_id", "label").with_columns(p_synonym=pl.Series(score.astype(np.float32)))
    gold_terms = g.senses.select("term").unique()
    sweep = []
    for gate in GATE_GRID:
        cl = cluster_tables(graph_from_frames(terms, rel, None, gate=gate), terms, make_estimator("softhard"),
                            "softhard").clusters
        sweep.append({"gate": gate, "edges": edge_metrics(pairs, score, gate, gold_total),
                      "clusters": split_cluster_metrics(cl, gp, gold_terms), "labels": cl})
    supported = [s for s in sweep if s["edges"]["dev"]["edges"] >= MIN_DEV_EDGES]
    ok = [s for s in supported if s["edges"]["dev"]["precision"] >= 0.5]
    chosen = {"edge precision >= 0.5 on dev": min(ok, key=lambda s: s["gate"]) if ok else None,
              "best soft-hard pairwise F1 on dev": max(sweep, key=lambda s: (s["clusters"]["dev"]["pair_f1"],
                                                                              s["gate"])),
              "best dev edge precision": max(((s["edges"]["dev"]["precision"], s["gate"]) for s in supported),
                                             default=None)}
    return sweep, chosen


def stage_seconds(db: str | Path) -> dict[str, float]:
    """Wall seconds of each stage's last completed run in a store (the ``runs`` table)."""
    from lexgraph.store import Store

    with Store(db, read_only=True) as store:
        df = store.frame("SELECT stage, epoch(finished_at) - epoch(started_at) AS s FROM runs "
                         "WHERE status = 'completed' QUALIFY row_number() OVER (PARTITION BY stage ORDER BY run_id DESC) = 1 "
                         "ORDER BY min(run_id) OVER (PARTITION BY stage)")
    return {r["stage"]: round(float(r["s"]), 1) for r in df.iter_rows(named=True)}


# -- printing ------------------------------------------------------------------------------------
def _f(v: float | None, digits: int = 3) -> str:
    return "" if v is None else f"{v:.{digits}f}"


def print_language(res: dict[str, Any], args: argparse.Namespace) -> None:
    from lexgraph.clustering.compare import markdown_table

    lang, voc = res["lang"], res["vocabulary"]
    clean = {k: v for k, v in res["info"].get("clean", {}).items() if v is not None}
    print(f"\n## {lang}: {voc['terms']:,} terms, {voc['gold_pairs']:,} gold synonym pairs "
          f"({voc['test_pairs']:,} test / {voc['gold_pairs'] - voc['test_pairs']:,} dev)\n")
    print("Held-out dataset (pairs per label, before / kept" + (
        f" / after cleaning the labels, {', '.join(f'{k} {v}' for k, v in clean.items())}" if clean else "") + "):\n")
    print(markdown_table(pl.DataFrame(res["info"]["heldout_counts"])))
    cand = res["candidates"]
    print("\n**Candidates** (test half): " + "; ".join(
        f"recall@{k.split('=')[1]} {v['test']['recall']:.3f} ({v['test']['candidates']:,} of {v['test']['gold']:,})"
        for k, v in cand.items()))
    rows = []
    for r in res["rows"]:
        e = r.get("edges")
        t, w = r["split"]["test"], r["whole"]
        rows.append({"method": r["method"],
                     "edges (test half)": "" if e is None else f"{e['test']['edges']:,}",
                     "edge P": "" if e is None else _f(e["test"]["precision"]),
                     "edge R": "" if e is None else _f(e["test"]["recall"]),
                     "pair P": _f(t["pair_p"]), "pair R": _f(t["pair_r"]), "pair F1": _f(t["pair_f1"]),
                     "BCubed P": _f(t["bcubed_p"]), "BCubed R": _f(t["bcubed_r"]), "BCubed F1": _f(t["bcubed_f1"]),
                     "antonym intrusion": _f(w["antonym_intrusion"], 4), "coverage": _f(w["coverage"]),
                     "multi-member": w["multi_member"]})
    print("\n**Edges and clusters** (test half of the pairs; antonym intrusion and coverage over all clusters)\n")
    print(markdown_table(pl.DataFrame(rows)))
    cal = res["calibration"]
    pr, pl_, pc = cal["params"]["prior_shift"], cal["params"]["platt"], cal["params"]["platt_with_cosine"]
    print(f"\n**Calibration** fitted on {cal['fitted_on']['dev_pairs']:,} dev candidate pairs "
          f"({cal['fitted_on']['dev_gold']:,} gold): prior shift b = {pr['b']:.3f} (odds x {np.exp(pr['b']):.4f}); "
          f"Platt a = {pl_['a']:.3f}, b = {pl_['b']:.3f}; with the cosine: a = {pc['a']:.3f}, c = {pc['c']:.3f}, "
          f"b = {pc['b']:.3f}. On the test pairs:\n")
    print(markdown_table(pl.DataFrame([{"P(synonym)": k, **v} for k, v in cal["test"].items()]), digits=4))
    print("\nReliability on the test candidate pairs (calibrated = Platt):\n")
    print(markdown_table(pl.DataFrame(res["reliability"])))
    for score_name, sw in res["sweeps"].items():
        print(f"\nGate sweep on {score_name}, soft-hard (dev / test):\n")
        print(markdown_table(pl.DataFrame([
            {"gate": s["gate"], "raw gate": None if s["raw_gate"] is None else round(s["raw_gate"], 3),
             "edge P dev / test": f"{s['edges']['dev']['precision']:.3f} / {s['edges']['test']['precision']:.3f}",
             "edge R dev / test": f"{s['edges']['dev']['recall']:.3f} / {s['edges']['test']['recall']:.3f}",
             "pair F1 dev / test": f"{s['clusters']['dev']['pair_f1']:.3f} / {s['clusters']['test']['pair_f1']:.3f}",
             "edges dev": s["edges"]["dev"]["edges"],
             "BCubed F1 test": _f(s["clusters"]["test"]["bcubed_f1"])} for s in sw["sweep"]])))
        ch = sw["chosen"]
        best = ch["best dev edge precision"]
        print(f"\nGates chosen on dev ({score_name}): " + "; ".join(
            f"{why}: " + ("none on the grid" + (f" (best dev edge precision {best[0]:.3f} at {best[1]}, "
                                                f"with >= {MIN_DEV_EDGES} dev edges)" if best else "")
                          if v is None else f"{v['gate']}" + (f" = raw P(synonym) {v['raw_gate']:.3f}"
                                                              if v["raw_gate"] is not None else ""))
            for why, v in ch.items() if why != "best dev edge precision"))
    t = targets(res)
    print(f"\n**Targets** (test pairwise F1): cosine baseline {t['cosine']:.3f}, ceiling {t['ceiling']:.3f}; "
          + "; ".join(f"{name}: {v['f1']:.3f} = {v['x_cosine']:.2f}x cosine (target 2x: "
                      f"{'met' if v['x_cosine'] >= 2 else 'not met'}), {100 * v['of_ceiling']:.0f}% of the ceiling "
                      f"(target 60%: {'met' if v['of_ceiling'] >= 0.6 else 'not met'})" for name, v in t["system"].items()))
    print("\nTimings (s): " + ", ".join(f"{k} {v:.0f}" for k, v in res["timings"].items()))
    print("Build stages (s, from the store's runs table): "
          + ", ".join(f"{k} {v:.0f}" for k, v in res["stage_seconds"].items()))
    if res.get("train_seconds"):
        print(f"Held-out model training (s, from its JSON): embedding {res['train_seconds']['seconds_embedding']}, "
              f"total {res['train_seconds']['seconds_total']}")


def targets(res: dict[str, Any]) -> dict[str, Any]:
    """Test pairwise F1 of each soft-hard row against the cosine baseline and the precision-1 ceiling."""
    rows = res["rows"]
    cos = next(r for r in rows if r["method"].startswith("cosine"))["split"]["test"]["pair_f1"]
    ceil = next(r for r in rows if r.get("ceiling_precision") == 1.0)["split"]["test"]["pair_f1"]
    system = {}
    for r in rows:
        if r["method"].startswith("soft-hard"):
            f1 = r["split"]["test"]["pair_f1"]
            system[r["method"]] = {"f1": f1, "x_cosine": f1 / cos if cos else float("inf"),
                                   "of_ceiling": f1 / ceil if ceil else 0.0}
    return {"cosine": cos, "ceiling": ceil, "system": system}


def _per_lang(values: Sequence[str], option: str = "--max-per-class", parse: Any = int,
              example: str = "en=20000 tr=8000") -> dict[str, Any]:
    out = {}
    for v in values:
        lang, _, x = v.partition("=")
        try:
            if lang not in ("en", "tr"):
                raise ValueError(lang)
            out[lang] = parse(x)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option} takes LANG=VALUE ({example}); got {v!r}") from None
    return out


def _main_sense_rule(x: str) -> str:
    from lexgraph.relations.dataset import MAIN_SENSE_RULES

    if x not in MAIN_SENSE_RULES:
        raise ValueError(x)
    return x


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", nargs="+", default=["en", "tr"], choices=["en", "tr"])
    ap.add_argument("--size", type=int, default=10_000, help="vocabulary: the N most frequent wordnet words")
    ap.add_argument("--work", type=Path, default=Path("out/bench_funnel"), help="cache folder")
    ap.add_argument("--max-per-class", nargs="*", default=[], metavar="LANG=N",
                    help=f"dataset pairs per class (default: the shipped recipe's, {FULL_PER_CLASS})")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--k", type=int, default=20, help="the build's neighbours")
    ap.add_argument("--wide-k", type=int, default=50, help="neighbours of the second candidate-recall figure")
    ap.add_argument("--min-sense-share", nargs="*", default=[], metavar="LANG=SHARE",
                    help="train on synonym pairs whose shared synset has at least this share of both terms' "
                         "tagged uses (sense counts: English)")
    ap.add_argument("--main-sense", nargs="*", default=[], metavar="LANG=both|either",
                    help="train on synonym pairs whose shared synset is the main sense of both terms / of either "
                         "(KeNet's dictionary structure)")
    ap.add_argument("--json", type=Path, help="write every figure here")
    args = ap.parse_args()
    args.max_per_class = _per_lang(args.max_per_class)
    args.min_sense_share = _per_lang(args.min_sense_share, "--min-sense-share", float, "en=0.1")
    args.main_sense = _per_lang(args.main_sense, "--main-sense", _main_sense_rule, "tr=both")
    results = []
    print(f"# Funnel on held-out terms ({date.today()}, {platform.machine()} {platform.system()}, "
          f"command: {' '.join(sys.argv)})")
    for lang in args.lang:                      # one after the other: each language's embedding is CPU-bound
        res = funnel(lang, args)
        print_language(res, args)
        results.append(res)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf8")


if __name__ == "__main__":
    main()
