"""Evaluation of relation models: WordNet splits, AntSynNET, and two baselines.

Headline figure: 3-way macro-F1 over synonym / antonym / co-hyponym gold pairs (the
argmax over those three probabilities), on the term-disjoint split.  Also reported:
4-way macro-F1 and per-class P/R/F1.  AntSynNET (Nguyen et al. 2017) is binary
synonym vs antonym per part of speech: our model trained on WordNet pairs (with every
AntSynNET test pair removed) decides by P(antonym) > P(synonym); the *term-disjoint*
AntSynNET figure keeps only test pairs whose two words never occur in our training data.

Baselines, evaluated the same way:
``cosine``  a threshold on the cosine of the default encoder, tuned on the training rows
            (binary tasks only: a cosine cannot separate more than two classes usefully);
``logreg``  logistic regression on frozen embeddings ``[u+v, u*v, |u-v|]`` of the same encoders.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from sklearn.metrics import precision_recall_fscore_support

from lexgraph.relations.dataset import LABELS, PairDataset
from lexgraph.relations.features import TermTable, embedding_features
from lexgraph.store.pairs import pair_key

THREE = ("synonym", "antonym", "cohyponym")


@dataclass(frozen=True)
class Scores:
    """Macro-F1 and per-class precision / recall / F1 / support."""

    macro_f1: float
    per_class: dict[str, dict[str, float]]
    n: int


def prf(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> Scores:
    """Per-class P/R/F1 over ``labels`` (scikit-learn's, 0 where undefined) and their unweighted mean F1."""
    labels = list(labels)
    if len(gold) == 0:
        zero = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
        return Scores(0.0, {lab: dict(zero) for lab in labels}, 0)
    p, r, f, support = precision_recall_fscore_support(np.asarray(gold), np.asarray(pred), labels=labels,
                                                       zero_division=0)
    per = {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(support[i])}
           for i, lab in enumerate(labels)}
    return Scores(float(np.mean(f)), per, len(gold))


def restrict_argmax(proba: np.ndarray, labels: Sequence[str]) -> np.ndarray:
    """Argmax over the columns of ``labels`` only, as label strings."""
    cols = [LABELS.index(lab) for lab in labels]
    return np.asarray(labels)[proba[:, cols].argmax(axis=1)]


def three_and_four_way(gold: np.ndarray, proba: np.ndarray) -> dict[str, Scores]:
    """3-way (gold in the three relations) and 4-way scores from a probability matrix."""
    mask = np.isin(gold, THREE)
    return {"3way": prf(gold[mask], restrict_argmax(proba[mask], THREE), THREE),
            "4way": prf(gold, np.asarray(LABELS)[proba.argmax(axis=1)], LABELS)}


class LogRegBaseline:
    """Logistic regression on frozen ``[u+v, u*v, |u-v|, cos]`` features (no lexical cues)."""

    def __init__(self, encoders: Sequence[str], C: float = 1.0, random_state: int = 0) -> None:
        self.encoders = tuple(encoders)
        self.C = C
        self.random_state = random_state

    def _x(self, table: TermTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.concatenate([embedding_features(table, e, a, b) for e in self.encoders], axis=1)

    def fit(self, table: TermTable, a: np.ndarray, b: np.ndarray, labels: np.ndarray) -> LogRegBaseline:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        self.model_ = make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=300,
                                                                         random_state=self.random_state))
        self.model_.fit(self._x(table, a, b), labels)
        return self

    def predict_proba(self, table: TermTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Probabilities in :data:`LABELS` order (absent classes get 0)."""
        raw = self.model_.predict_proba(self._x(table, a, b))
        out = np.zeros((raw.shape[0], len(LABELS)), dtype=np.float32)
        for j, lab in enumerate(self.model_.classes_):
            out[:, LABELS.index(str(lab))] = raw[:, j]
        return out


class CosineThreshold:
    """Binary baseline: predict ``high`` when cosine >= a threshold tuned for F1 on training pairs."""

    def __init__(self, encoder: str, high: str, low: str) -> None:
        self.encoder, self.high, self.low = encoder, high, low

    def fit(self, cos: np.ndarray, labels: np.ndarray) -> CosineThreshold:
        best = (-1.0, 0.0)
        for t in np.quantile(cos, np.linspace(0.02, 0.98, 49)):
            pred = np.where(cos >= t, self.high, self.low)
            f = prf(labels, pred, (self.high, self.low)).macro_f1
            best = max(best, (f, float(t)))
        self.threshold_ = best[1]
        return self

    def predict(self, cos: np.ndarray) -> np.ndarray:
        return np.where(cos >= self.threshold_, self.high, self.low)


def cosine_of(table: TermTable, encoder: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosine of unit vectors."""
    X = table.vectors[encoder]
    return np.einsum("ij,ij->i", X[a], X[b])


def read_antsynnet(folder: str | Path, part: str) -> pl.DataFrame:
    """One AntSynNET file per POS as (pos, term_a, term_b, label) with label synonym/antonym."""
    rows = []
    for pos in ("adjective", "noun", "verb"):
        path = Path(folder) / f"{pos}-pairs.{part}"
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 3 and cols[0] != cols[1]:
                rows.append((pos, *pair_key(cols[0].strip().lower(), cols[1].strip().lower()),
                             "antonym" if cols[2].strip() == "1" else "synonym"))
    return pl.DataFrame(rows, schema=["pos", "term_a", "term_b", "label"], orient="row")


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    """``(result, seconds)`` of one call."""
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def scores_row(name: str, split: str, task: str, s: Scores) -> dict[str, object]:
    """One flat table row: macro-F1 plus each class's F1."""
    row: dict[str, object] = {"model": name, "split": split, "task": task, "n": s.n, "macro_f1": round(s.macro_f1, 3)}
    for lab, d in s.per_class.items():
        row[f"{lab}_p"] = round(d["precision"], 3)
        row[f"{lab}_r"] = round(d["recall"], 3)
        row[f"{lab}_f1"] = round(d["f1"], 3)
    return row


__all__ = ["PairDataset", "Scores", "prf", "three_and_four_way", "LogRegBaseline", "CosineThreshold",
           "read_antsynnet", "cosine_of", "scores_row", "timed", "restrict_argmax", "THREE"]
