"""Benchmark of the relation discriminator: scoring speed, training time, and accuracy tables.

    python benchmarks/bench_relations.py --data-en out/rel/en --data-tr out/rel/tr \
        [--antsynnet ../shared/benchmarks/antsynnet] [--speed-only]

Dataset folders are built (``lexgraph relations dataset``, the shipped models' datasets) when
absent; with ``--antsynnet`` the English one excludes AntSynNET's test pairs, as the shipped
model's did, and the evaluation adds the AntSynNET table.  Scoring speed
is measured with the shipped English model over cached term vectors (the build's
situation: vectors already in the store), on random pairs of dataset terms.
Prints markdown tables; ``--json`` also writes them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np


def scoring_speed(data: Path, n_pairs: int = 1_000_000, seed: int = 0) -> dict[str, float]:
    """Pairs per second of the shipped English model, features included, vectors given."""
    from lexgraph.relations.dataset import PairDataset
    from lexgraph.relations.model import PairSet, load_model
    from lexgraph.relations.training import term_table_for

    model = load_model(None, "en")
    table = term_table_for(PairDataset.load(data).pairs, "en", model.encoders, data)
    n_terms = len(table.terms)
    rng = np.random.default_rng(seed)
    pairs = PairSet(table, rng.integers(0, n_terms, n_pairs), rng.integers(0, n_terms, n_pairs))
    model.predict_proba(PairSet(table, pairs.a[:10_000], pairs.b[:10_000]))     # warm-up
    t = time.perf_counter()
    model.predict_proba(pairs)
    secs = time.perf_counter() - t
    return {"pairs": n_pairs, "seconds": round(secs, 2), "pairs_per_s": round(n_pairs / secs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-en", type=Path, default=Path("out/rel/en"))
    parser.add_argument("--data-tr", type=Path, default=Path("out/rel/tr"))
    parser.add_argument("--antsynnet", type=Path, default=None, help="AntSynNET folder (English)")
    parser.add_argument("--epochs", type=int, default=None, help="default: the shipped models'")
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    from lexgraph.clustering.compare import markdown_table
    from lexgraph.relations.report import evaluate_all
    from lexgraph.relations.training import make_dataset

    results: dict[str, object] = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs", "date": time.strftime("%F")}
    antsynnet = {"en": args.antsynnet, "tr": None}
    for lang, folder in (("en", args.data_en), ("tr", args.data_tr)):
        if not (folder / "pairs.parquet").exists():
            t = time.perf_counter()
            make_dataset(lang, folder, antsynnet=antsynnet[lang])
            results[f"dataset_{lang}_s"] = round(time.perf_counter() - t, 1)
    speed = scoring_speed(args.data_en)
    results["speed"] = speed
    print(f"scoring: {speed['pairs_per_s']:,} pairs/s ({speed['pairs']:,} pairs in {speed['seconds']} s)")
    if args.speed_only:
        return
    for lang, folder in (("en", args.data_en), ("tr", args.data_tr)):
        t = time.perf_counter()
        tables = evaluate_all(folder, antsynnet=antsynnet[lang],
                              **({"epochs": args.epochs} if args.epochs is not None else {}))
        results[f"eval_{lang}_s"] = round(time.perf_counter() - t, 1)
        for title, df in tables.items():
            print(f"\n### {title}\n\n{markdown_table(df)}")
            results[title] = df.to_dicts()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
