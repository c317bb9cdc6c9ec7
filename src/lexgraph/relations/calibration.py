"""P(synonym) as a probability: a Platt calibration fitted on real candidate pairs of unseen terms.

The relations model is trained on balanced classes, but among real candidate pairs a few percent
are synonyms (held out of training: 2.6% English, 0.6% Turkish), so its raw P(synonym) overstates
by an order of magnitude: a model edge at the 0.70 gate is right about one time in twelve on words
the model never saw (docs/BENCHMARKS.md, "Funnel on held-out terms").  A :class:`Calibration`
maps the raw P to the share of such pairs that are wordnet synonyms,
``p' = sigmoid(a * logit(p) + b)``, fitted by maximum likelihood on the candidate pairs of terms
outside the model's training pairs (``benchmarks/calibrate_models.py``).  It is monotone, so it
re-labels the scale and leaves every ranking and gate as it was; it is stored in the model's JSON
(``"calibration"``) and the relations stage writes it beside the raw value (``relations.p_calibrated``).

Pairs fall in a dev or a test half by a hash of the unordered pair (:func:`pair_is_test`): the
calibration is fitted on dev pairs and its figures (:func:`calibration_scores`) are on test pairs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import polars as pl


def logit(p: np.ndarray) -> np.ndarray:
    """log(p / (1 - p)), with p clipped to [1e-6, 1 - 1e-6] (a model P of exactly 0 or 1 stays finite)."""
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x))."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


@dataclass(frozen=True)
class Calibration:
    """``p' = sigmoid(a * logit(p) + b)``; ``fitted_on`` says on what (pairs, gold pairs, terms, split)."""

    a: float
    b: float
    fitted_on: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (np.isfinite(self.a) and np.isfinite(self.b)) or self.a <= 0:
            raise ValueError(f"a calibration needs a finite positive slope and a finite intercept, got a={self.a}, "
                             f"b={self.b}")

    def __call__(self, p: np.ndarray | Sequence[float]) -> np.ndarray:
        """Calibrated P(synonym) of raw ``p`` (float32, same shape)."""
        return sigmoid(self.a * logit(np.asarray(p)) + self.b).astype(np.float32)

    def raw(self, calibrated: float) -> float:
        """The raw P(synonym) whose calibrated value is ``calibrated`` (a gate stated as a probability)."""
        if not 0 < calibrated < 1:
            raise ValueError(f"calibrated probability must be in (0, 1), got {calibrated}")
        return float(sigmoid((logit(np.array([calibrated]))[0] - self.b) / self.a))

    def to_dict(self) -> dict[str, Any]:
        return {"method": "platt", **asdict(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Calibration:
        if d.get("method", "platt") != "platt":
            raise ValueError(f"unknown calibration method {d.get('method')!r}; this lexgraph reads 'platt'")
        return cls(float(d["a"]), float(d["b"]), dict(d.get("fitted_on", {})))


def fit_calibration(p: np.ndarray, y: np.ndarray, fitted_on: dict[str, Any] | None = None) -> Calibration:
    """Platt scaling of raw P(synonym) ``p`` against gold ``y`` (1: a synonym pair), by maximum likelihood."""
    from sklearn.linear_model import LogisticRegression

    p, y = np.asarray(p, dtype=np.float64), np.asarray(y, dtype=np.int64)
    if p.shape != y.shape or p.ndim != 1:
        raise ValueError(f"p and y must be 1-d arrays of one length, got {p.shape} and {y.shape}")
    if y.min(initial=1) == y.max(initial=0):
        raise ValueError("calibration needs both gold synonym pairs and other pairs")
    lr = LogisticRegression(C=1e6, max_iter=1000).fit(logit(p)[:, None], y)
    return Calibration(float(lr.coef_[0, 0]), float(lr.intercept_[0]), dict(fitted_on or {}))


def calibration_scores(p: np.ndarray, y: np.ndarray, bins: int = 10) -> dict[str, float]:
    """Log loss, Brier score and expected calibration error (equal-width bins) of probabilities ``p`` against ``y``."""
    p, y = np.asarray(p, dtype=np.float64), np.asarray(y, dtype=np.float64)
    q = np.clip(p, 1e-12, 1 - 1e-12)
    edges = np.minimum((p * bins).astype(int), bins - 1)
    ece = sum(abs(p[edges == k].mean() - y[edges == k].mean()) * (edges == k).mean()
              for k in range(bins) if (edges == k).any())
    return {"log_loss": float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))),
            "brier": float(np.mean((p - y) ** 2)), "ece": float(ece), "mean_p": float(p.mean()),
            "gold_share": float(y.mean())}


def reliability_table(p: np.ndarray, y: np.ndarray, calibrated: np.ndarray,
                      bins: Sequence[float] = (0, .1, .2, .3, .4, .5, .6, .7, .8, .9, 1.0001)) -> pl.DataFrame:
    """Per bin of the raw P(synonym): pairs, mean raw P, the true gold share, mean calibrated P."""
    rows = []
    for lo, hi in pairwise(bins):
        m = (p >= lo) & (p < hi)
        rows.append({"P(synonym) bin": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}",
                     "pairs": int(m.sum()), "mean P(synonym)": float(p[m].mean()) if m.any() else None,
                     "gold synonym share": float(y[m].mean()) if m.any() else None,
                     "mean calibrated P": float(calibrated[m].mean()) if m.any() else None})
    return pl.DataFrame(rows)


def _term_hashes(terms: np.ndarray) -> np.ndarray:
    """First 8 bytes of blake2b(term) as uint64, per term (each distinct term hashed once)."""
    uniq, inverse = np.unique(terms.astype(str), return_inverse=True)
    h = np.array([int.from_bytes(hashlib.blake2b(t.encode("utf8"), digest_size=8).digest(), "little")
                  for t in uniq], dtype=np.uint64)
    return h[inverse]


def pair_is_test(term_a: Sequence[str] | np.ndarray, term_b: Sequence[str] | np.ndarray) -> np.ndarray:
    """True where the unordered pair falls in the test half: top bit of splitmix64(h(a) + h(b)).

    ``h`` is :func:`_term_hashes`; the sum makes the split independent of the pair's
    orientation, splitmix64 spreads it.  Deterministic across runs, machines and vocabularies.
    """
    a, b = np.asarray(term_a, dtype=object), np.asarray(term_b, dtype=object)
    if a.size == 0:
        return np.zeros(0, dtype=bool)
    h = _term_hashes(np.concatenate([a, b]))
    with np.errstate(over="ignore"):
        z = h[:a.size] + h[a.size:] + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(63)).astype(bool)
