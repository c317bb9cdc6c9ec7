"""Cluster quality with a relations model that never saw the evaluated terms.

The shipped models are trained on every pair of their dataset, and for frequent words most of the
gold synonym and antonym pairs of the benchmark stores are among them (547 of en3k's 727 gold
candidate pairs), so ``bench_clustering.py quality`` reports an upper bound for every method that
reads the discriminator.  This script measures the honest case a user with new words is in:

1. drop from a relations dataset folder (``lexgraph relations dataset``) every pair that touches a
   term of the preset stores;
2. train the language's shipped recipe on the rest (:func:`lexgraph.relations.training.train_from_dataset`);
3. copy each preset store (built by ``bench_clustering.py quality --preset``), rescore its candidate
   pairs with that model (``lexgraph.build(..., force=['relations'])``, the clusters follow);
4. print, per store, the share of gold synonym pairs among the gated edges (shipped model and held-out
   model) and every method on the
   default graph (P(synonym) >= 0.70) and the product graph (P(synonym) x cosine >= 0.35).

    python benchmarks/bench_heldout.py --data /tmp/rel/en2 --preset en3k en10k
    python benchmarks/bench_heldout.py --data /tmp/rel/tr2 --preset tr5k

Outputs go to ``out/bench_heldout/``; the dataset's vector caches are linked, not copied.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_clustering import PRESETS, build_preset, turkish_lexicon, with_gold_synonyms  # noqa: E402

from lexgraph.relations.features import DATASET_VECTORS  # noqa: E402

if TYPE_CHECKING:
    from lexgraph.clustering.evaluate import Gold

OUT = Path("out/bench_heldout")


def heldout_dataset(data: Path, terms: set[str], out: Path) -> pl.DataFrame:
    """``data``'s pairs without any pair touching ``terms``, written as a dataset folder ``out``."""
    pairs = pl.read_parquet(data / "pairs.parquet")
    keep = pairs.filter(~pl.col("term_a").is_in(list(terms)) & ~pl.col("term_b").is_in(list(terms)))
    out.mkdir(parents=True, exist_ok=True)
    keep.write_parquet(out / "pairs.parquet")
    shutil.copy(data / "dataset.json", out / "dataset.json")
    cache = data / DATASET_VECTORS
    if cache.exists() and not (out / cache.name).exists():
        shutil.copy(cache, out / cache.name)
    return pairs.group_by("label").len().join(keep.group_by("label").len(), on="label", suffix="_kept").sort("label")


def clean_tag(min_sense_share: float | None, main_sense: str | None) -> str:
    """The part of a cache name that says how the training labels were cleaned ('' when they were not).

    No dot (0.1 -> ``share0p1``): the model path gets its suffixes by ``Path.with_suffix``.
    """
    return (f"_share{min_sense_share:g}".replace(".", "p") if min_sense_share is not None else "") + (
        f"_main-{main_sense}" if main_sense is not None else "")


def clean_dataset(folder: Path, lang: str, out: Path, min_sense_share: float | None, main_sense: str | None
                  ) -> pl.DataFrame:
    """``folder``'s pairs through :func:`clean_synonym_pairs`, written as dataset folder ``out`` (vector
    cache copied once); returns ``label, len_cleaned``."""
    from lexgraph.lexicon.wordnet import load_wordnet
    from lexgraph.relations.dataset import clean_synonym_pairs

    pairs = pl.read_parquet(folder / "pairs.parquet")
    keep = clean_synonym_pairs(pairs, load_wordnet(lang), min_sense_share=min_sense_share, main_sense=main_sense)
    out.mkdir(parents=True, exist_ok=True)
    keep.write_parquet(out / "pairs.parquet")
    shutil.copy(folder / "dataset.json", out / "dataset.json")
    cache = folder / DATASET_VECTORS
    if cache.exists() and not (out / DATASET_VECTORS).exists():
        shutil.copy(cache, out / DATASET_VECTORS)
    return keep.group_by("label").len().rename({"len": "len_cleaned"})


def edge_table(store: object, g: Gold) -> pl.DataFrame:
    """Per edge score: gated edges, the share that are gold synonym pairs, and the share of gold candidate pairs kept."""
    rel = with_gold_synonyms(store.frame(  # type: ignore[attr-defined]
        "SELECT r.term_a, r.term_b, r.label, r.p_synonym, c.cosine FROM relations r JOIN candidates c USING (a_id, b_id)"),
        g)
    is_gold = rel["gold"].to_numpy()
    rows = []
    for score, gate, values in (("p_synonym", 0.70, rel["p_synonym"].to_numpy()),
                                ("p_synonym*cosine", 0.35, (rel["p_synonym"] * rel["cosine"]).to_numpy())):
        edge = (values >= gate) & (rel["label"].to_numpy() != "antonym")
        hit = int((edge & is_gold).sum())
        rows.append({"edge score": score, "gate": gate, "edges": int(edge.sum()),
                     "gold share of edges": round(hit / max(int(edge.sum()), 1), 3),
                     "gold candidate pairs kept": f"{hit} of {int(is_gold.sum())}"})
    return pl.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="a `lexgraph relations dataset` folder")
    ap.add_argument("--preset", nargs="+", required=True, choices=sorted(PRESETS))
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    import lexgraph
    from lexgraph.clustering.compare import compare_methods, markdown_table
    from lexgraph.clustering.evaluate import load_gold
    from lexgraph.relations.training import TrainConfig, train_from_dataset
    from lexgraph.store import Store

    stores = [build_preset(p) for p in args.preset]
    terms: set[str] = set()
    for db, _ in stores:
        with Store(db, read_only=True) as s:
            terms |= set(s.frame("SELECT term FROM terms")["term"].to_list())
    tag = "-".join(args.preset)
    folder = OUT / f"data-{tag}"
    print(f"## Held-out relations model for {', '.join(args.preset)}\n")
    print(markdown_table(heldout_dataset(args.data, terms, folder)))
    t0 = time.perf_counter()
    model_path = OUT / f"model-{tag}"
    train_from_dataset(TrainConfig(dataset=folder, out=model_path, epochs=args.epochs, random_state=args.seed))
    print(f"\ntrained in {time.perf_counter() - t0:.0f} s: {model_path}.json / .npz\n")
    for name, (db, gold) in zip(args.preset, stores):
        g = load_gold(gold)                   # once per store: every table below reads it
        copy = OUT / f"{name}.duckdb"
        with Store(db, read_only=True) as store:
            print(f"\n### {name}: edges of the shipped model ({db})\n")
            print(markdown_table(edge_table(store, g)))
        shutil.copy(db, copy)
        lang = gold.partition(":")[2]
        sources = [str(turkish_lexicon())] if name == "tr5k" else None
        extra = PRESETS[name][2]
        size = int(extra[extra.index("--default-size") + 1]) if "--default-size" in extra else 3000
        lexgraph.build(copy, sources, lang=lang, default_size=size, relations_model=str(model_path), tree=False,
                       force=["relations"], random_state=args.seed)
        with Store(copy, read_only=True) as store:
            print(f"\n### {name} ({copy}), relations model {model_path}\n")
            print(markdown_table(edge_table(store, g)))
            for score, gate in (("p_synonym", 0.70), ("p_synonym*cosine", 0.35)):
                df = compare_methods(store, gold=g, gate=gate, score=score)
                cols = ["method", "pair_p", "pair_r", "pair_f1", "bcubed_f1", "antonym_intrusion", "multi_member"]
                print(f"\n{name}, edge score {score}, gate {gate}\n")
                print(markdown_table(df.select(cols)))


if __name__ == "__main__":
    main()
