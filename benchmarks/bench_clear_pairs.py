"""Do clear synonym pairs end in one cluster, and clear antonym pairs never? (issue 16's user-level target)

For each language: a build over the words of ``benchmarks/data/clear_pairs_LANG.tsv`` mixed
into the default lexicon of that language (the 3,000 most frequent wordnet words), so the
pairs compete with everyday vocabulary as they would in a user's list.  Reported per
setting: the share of synonym pairs whose two words share a cluster (split by whether the
bundled wordnet links them, ``in_lexicon``), the share of antonym pairs that do (target 0),
candidate recall of the synonym pairs, and a sample of missed pairs to read.

    python benchmarks/bench_clear_pairs.py [--lang tr en] [--lexicon wordnet none] [--closed yes no] [--methods leiden chinese-whispers] [--out out/bench_clear]
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import polars as pl

from lexgraph.config import BuildConfig
from lexgraph.lexicon.default_lexicon import default_lexicon
from lexgraph.lexicon.normalize import normalize_term
from lexgraph.pipeline import build
from lexgraph.store import Store

DATA = Path(__file__).resolve().parent / "data"


def read_pairs(lang: str) -> pl.DataFrame:
    """The clear-pair list of ``lang``, normalised as a build normalises terms."""
    df = pl.read_csv(DATA / f"clear_pairs_{lang}.tsv", separator="\t")
    norm = [tuple(sorted((normalize_term(a, lang), normalize_term(b, lang))))
            for a, b in zip(df["term_a"], df["term_b"])]
    return df.with_columns(pl.Series("term_a", [a for a, _ in norm]), pl.Series("term_b", [b for _, b in norm]))


def vocabulary(lang: str, pairs: pl.DataFrame, size: int) -> list[str]:
    words = default_lexicon(size, lang)
    return sorted(set(words) | set(pairs["term_a"]) | set(pairs["term_b"]))


def measure(db: Path, pairs: pl.DataFrame) -> dict[str, object]:
    with Store(db, read_only=True) as store:
        clusters = store.frame("SELECT term, cluster_id FROM clusters")
        cand = store.frame("SELECT term_a, term_b, source FROM candidates")
        rel = store.frame("SELECT term_a, term_b, label, evidence FROM relations")
    cid = dict(zip(clusters["term"], clusters["cluster_id"]))
    df = (pairs.with_columns(
        pl.struct("term_a", "term_b").map_elements(lambda r: cid.get(r["term_a"]) == cid.get(r["term_b"]),
                                                   return_dtype=pl.Boolean).alias("together"))
          .join(cand, on=["term_a", "term_b"], how="left").join(rel, on=["term_a", "term_b"], how="left"))
    syn, ant = df.filter(pl.col("relation") == "synonym"), df.filter(pl.col("relation") == "antonym")

    def share(d: pl.DataFrame, col: str = "together") -> float:
        return float(d[col].mean()) if d.height else float("nan")

    missed = syn.filter(~pl.col("together")).head(12)
    return {
        "synonym pairs": syn.height,
        "together": round(share(syn), 3),
        "together (in wordnet)": round(share(syn.filter(pl.col("in_lexicon") == 1)), 3),
        "together (not in wordnet)": round(share(syn.filter(pl.col("in_lexicon") == 0)), 3),
        "candidate recall": round(float(syn["source"].is_not_null().mean()), 3),
        "antonym pairs": ant.height,
        "antonyms together": round(share(ant), 3),
        "missed (sample)": ", ".join(f"{a}/{b}:{lab or '-'}" for a, b, lab in
                                      missed.select("term_a", "term_b", "label").iter_rows()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", nargs="+", default=["tr", "en"])
    ap.add_argument("--lexicon", nargs="+", default=["wordnet", "none"])
    ap.add_argument("--closed", nargs="+", choices=["yes", "no"], default=["yes"],
                    help="lexicon_closed: both terms in the wordnet and unlinked -> unrelated (yes) or the model's call")
    ap.add_argument("--methods", nargs="*", default=[],
                    help="also re-cluster a copy of each build with these cluster methods (e.g. leiden chinese-whispers)")
    ap.add_argument("--size", type=int, default=3000, help="default-lexicon words mixed in")
    ap.add_argument("--out", type=Path, default=Path("out/bench_clear"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for lang in args.lang:
        pairs = read_pairs(lang)
        words = args.out / f"words_{lang}.txt"
        words.write_text("\n".join(vocabulary(lang, pairs, args.size)) + "\n", encoding="utf-8")
        for lexicon in args.lexicon:
            for closed in args.closed if lexicon != "none" else ["yes"]:
                db = args.out / f"{lang}_{lexicon}_{closed}.duckdb"
                db.unlink(missing_ok=True)      # a fresh build: a kept file would resume, its stages skipped
                t = time.perf_counter()
                build(BuildConfig(db=db, sources=[str(words)], lang=lang, lexicon=lexicon,
                                  lexicon_closed=closed == "yes", progress=False))
                rows.append({"lang": lang, "lexicon": lexicon, "closed": closed, "method": "softhard",
                             **measure(db, pairs), "build s": round(time.perf_counter() - t, 1)})
                print(rows[-1], flush=True)
                for method in args.methods:
                    copy = db.with_name(f"{db.stem}_{method}.duckdb")
                    shutil.copy(db, copy)
                    build(BuildConfig(db=copy, sources=[str(words)], lang=lang, lexicon=lexicon,
                                      lexicon_closed=closed == "yes", cluster_method=method, progress=False),
                          force=["clusters"])
                    rows.append({"lang": lang, "lexicon": lexicon, "closed": closed, "method": method,
                                 **measure(copy, pairs), "build s": None})
                    print(rows[-1], flush=True)
    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=200, tbl_width_chars=250):
        print(pl.DataFrame(rows))


if __name__ == "__main__":
    main()
