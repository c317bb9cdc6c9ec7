"""Calibration of P(synonym) on real candidate pairs, for ``bench_funnel.py``.

Training classes are balanced; real candidate pairs are a few percent synonyms, so the raw
P(synonym) is far too high. These fit a prior shift and Platt scaling (optionally with the
pair's cosine) by maximum likelihood, and score calibrations (log loss, Brier, ECE).
"""

from __future__ import annotations

import numpy as np

from lexgraph.relations.calibration import calibration_scores, reliability_table  # noqa: F401 (re-exported)
from lexgraph.relations.calibration import logit as _logit
from lexgraph.relations.calibration import sigmoid as _sigmoid


def fit_calibrations(p: np.ndarray, y: np.ndarray) -> dict[str, dict[str, float]]:
    """Two calibrations of P(synonym) fitted by maximum likelihood on (p, y):

    ``prior_shift``: logit p' = logit p + b (the odds scaled by exp(b): a change of class prior);
    ``platt``: logit p' = a logit p + b.
    """
    from scipy.optimize import minimize_scalar
    from sklearn.linear_model import LogisticRegression

    x = _logit(p)

    def nll(b: float) -> float:
        q = np.clip(_sigmoid(x + b), 1e-12, 1 - 1e-12)
        return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))

    shift = minimize_scalar(nll, bounds=(-15, 15), method="bounded")
    lr = LogisticRegression(C=1e6, max_iter=1000).fit(x[:, None], y)
    return {"prior_shift": {"a": 1.0, "b": float(shift.x)},
            "platt": {"a": float(lr.coef_[0, 0]), "b": float(lr.intercept_[0])}}


def calibrate(p: np.ndarray, params: dict[str, float]) -> np.ndarray:
    """p' = sigmoid(a logit p + b)."""
    return _sigmoid(params["a"] * _logit(p) + params["b"])


def uncalibrate_gate(gate: float, params: dict[str, float]) -> float:
    """The raw P(synonym) whose calibrated value is ``gate``."""
    return float(_sigmoid((_logit(np.array([gate]))[0] - params["b"]) / params["a"]))


def fit_with_cosine(p: np.ndarray, cosine: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """logit p' = a logit p + c cosine + b, fitted by maximum likelihood: Platt with the candidate cosine,
    the information the product graph (P(synonym) x cosine) adds."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e6, max_iter=1000).fit(np.c_[_logit(p), cosine], y)
    return {"a": float(lr.coef_[0, 0]), "c": float(lr.coef_[0, 1]), "b": float(lr.intercept_[0])}


def calibrate_with_cosine(p: np.ndarray, cosine: np.ndarray, params: dict[str, float]) -> np.ndarray:
    """p' = sigmoid(a logit p + c cosine + b)."""
    return _sigmoid(params["a"] * _logit(p) + params["c"] * cosine + params["b"])


# -- the pipeline for one language ------------------------------------------------------------------
