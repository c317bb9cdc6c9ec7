"""Calibrate the shipped relations models' P(synonym) on real candidate pairs of words a model never saw.

The shipped models were trained on pairs of the frequent words themselves, so their own scores
on those words are no guide to how they score new words.  The calibration is therefore fitted
the way the funnel measures (``bench_funnel.py``'s held-out protocol): a model of the shipped
recipe is trained with every pair touching the ``--size`` most frequent wordnet words dropped,
those words are built as a user would build them without a wordnet (``lexicon='none'``: kNN
candidates, every pair scored by that model), and a candidate pair is gold when the two words
share a synset.  Pairs split in a dev and a test half by a hash of the pair
(:func:`lexgraph.relations.calibration.pair_is_test`): the Platt calibration is fitted on dev,
and its figures (log loss, ECE, reliability, the precision of model edges at the raw gates 0.5,
0.70 and the unlinked gate 0.90) are on test.  ``--write`` stores it in the shipped model's JSON
(``"calibration"``), from which every later build writes ``relations.p_calibrated``: the same
recipe's behaviour on unseen words, transferred to the shipped model.

    python benchmarks/calibrate_models.py --lang en tr --work /tmp/calibrate [--write]

Everything slow is cached under ``--work`` in the funnel's layout (``--dataset LANG=DIR`` puts a
dataset already built with the shipped recipe there).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_funnel import FULL_PER_CLASS, _per_lang, prepare

from lexgraph.relations.calibration import (
    calibration_scores,
    fit_calibration,
    pair_is_test,
    reliability_table,
)

#: Raw P(synonym) gates whose test precision is reported: the synonym gate and the unlinked gate.
GATES = (0.5, 0.7, 0.9)


def calibrate_language(lang: str, args: argparse.Namespace) -> dict[str, Any]:
    """Fit (and with ``--write`` store) the calibration of ``lang``'s shipped model; every figure as a dict."""
    from lexgraph.lexicon.wordnet import load_wordnet
    from lexgraph.relations.model import ShippedModel
    from lexgraph.store import Store

    started = time.perf_counter()
    per_class = FULL_PER_CLASS[lang]
    data = args.work / lang / f"data_{per_class}"
    if lang in args.dataset and not (data / "pairs.parquet").exists():
        shutil.copytree(args.dataset[lang], data)
    funnel_args = argparse.Namespace(work=args.work, size=args.size, max_per_class={lang: per_class},
                                     min_sense_share={}, main_sense={}, seed=args.seed, epochs=args.epochs,
                                     k=args.k, wide_k=args.k)
    info = prepare(lang, funnel_args, {})
    with Store(info["db"], read_only=True) as store:
        df = store.frame("SELECT term_a, term_b, p_synonym FROM relations WHERE evidence = 'model'")
    syn = load_wordnet(lang).synonym_pairs().select("term_a", "term_b").with_columns(gold=pl.lit(1))
    df = df.join(syn, on=["term_a", "term_b"], how="left").with_columns(pl.col("gold").fill_null(0))
    test = pair_is_test(df["term_a"].to_numpy(), df["term_b"].to_numpy())
    p, y = df["p_synonym"].to_numpy().astype(np.float64), df["gold"].to_numpy()
    fitted_on = {"what": f"candidate pairs (k={args.k}, no lexicon) of the {args.size} most frequent wordnet words, "
                         "scored by a model of this recipe trained without any pair touching them; gold: the two "
                         "share a synset; the dev half of a pair hash",
                 "terms": args.size, "training_pairs": sum(r["len_kept"] for r in info["heldout_counts"]),
                 "dev_pairs": int((~test).sum()), "dev_gold_pairs": int(y[~test].sum()),
                 "date": time.strftime("%Y-%m-%d")}
    cal = fit_calibration(p[~test], y[~test], fitted_on)
    q = cal(p)
    gates = {}
    for g in GATES:
        m = test & (p >= g)
        gates[f"{g:.2f}"] = {"calibrated_gate": round(float(cal(np.array([g]))[0]), 4), "test_edges": int(m.sum()),
                             "test_precision": round(float(y[m].mean()), 4) if m.any() else None}
    scores = {"raw": calibration_scores(p[test], y[test]), "calibrated": calibration_scores(q[test], y[test])}
    out = {"lang": lang, "calibration": cal.to_dict(), "pairs": len(df), "test_pairs": int(test.sum()),
           "test_gold_pairs": int(y[test].sum()), "test": scores, "gates": gates,
           "reliability_test": reliability_table(p[test], y[test], q[test]).to_dicts(),
           "heldout_model": info["model"], "seconds": round(time.perf_counter() - started, 1)}
    if args.write:
        path = ShippedModel(lang).path.with_suffix(".json")
        meta = json.loads(path.read_text(encoding="utf8"))
        rounded = {k: {m: round(v, 5) for m, v in d.items()} for k, d in scores.items()}
        meta["calibration"] = {**cal.to_dict(), "fitted_on": {**fitted_on, "test": rounded, "gates": gates}}
        path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", nargs="+", default=["en", "tr"])
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--size", type=int, default=10_000, help="held-out words: the N most frequent wordnet words")
    ap.add_argument("--dataset", nargs="*", default=[], help="LANG=DIR: a dataset built with the shipped recipe")
    ap.add_argument("--k", type=int, default=20, help="the build's neighbours")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write", action="store_true", help="store the calibration in the model's JSON")
    ap.add_argument("--json", type=Path, help="write every figure here")
    args = ap.parse_args()
    args.dataset = _per_lang(args.dataset, "--dataset", str, "en=data/en tr=data/tr")
    results = {}
    for lang in args.lang:
        res = results[lang] = calibrate_language(lang, args)
        cal, t = res["calibration"], res["test"]
        print(f"{lang}: {args.size} held-out words, {res['pairs']} model-labelled candidate pairs "
              f"({res['test_pairs']} test, {res['test_gold_pairs']} gold); Platt a={cal['a']:.3f} b={cal['b']:.3f}; "
              f"test log loss {t['raw']['log_loss']:.3f} -> {t['calibrated']['log_loss']:.3f}, "
              f"ECE {t['raw']['ece']:.3f} -> {t['calibrated']['ece']:.4f}; {res['seconds']} s")
        for g, v in res["gates"].items():
            prec = "-" if v["test_precision"] is None else f"{v['test_precision']:.3f}"
            print(f"  raw P >= {g}: calibrated {v['calibrated_gate']:.3f}, {v['test_edges']} test edges, "
                  f"precision {prec}")
        print(pl.DataFrame(res["reliability_test"]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf8")


if __name__ == "__main__":
    main()
