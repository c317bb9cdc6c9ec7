"""Platt calibration of P(synonym) (``lexgraph.relations.calibration``) and the shipped models' calibrations."""

from __future__ import annotations

import numpy as np
import pytest

from lexgraph.relations.calibration import Calibration, fit_calibration, logit, pair_is_test, sigmoid
from lexgraph.relations.model import PairClassifier, ShippedModel


def test_fit_recovers_the_parameters_of_a_platt_world():
    rng = np.random.default_rng(0)
    p = rng.uniform(0.01, 0.99, 40_000)
    y = (rng.uniform(size=p.size) < sigmoid(0.7 * logit(p) - 3.5)).astype(int)
    cal = fit_calibration(p, y, {"what": "synthetic"})
    assert cal.a == pytest.approx(0.7, abs=0.08) and cal.b == pytest.approx(-3.5, abs=0.15)
    assert cal.fitted_on == {"what": "synthetic"}


def test_calibration_is_monotone_inverts_and_round_trips():
    cal = Calibration(0.8, -3.0, {"terms": 10})
    p = np.linspace(0.01, 0.99, 50)
    q = cal(p)
    assert q.dtype == np.float32 and (np.diff(q) > 0).all()
    assert cal.raw(float(cal(np.array([0.9]))[0])) == pytest.approx(0.9, abs=1e-5)
    assert Calibration.from_dict(cal.to_dict()) == cal


@pytest.mark.parametrize(("args", "needle"), [((0.0, 1.0), "positive slope"), ((1.0, float("nan")), "finite")])
def test_bad_parameters_are_refused(args, needle):
    with pytest.raises(ValueError, match=needle):
        Calibration(*args)


def test_fit_needs_both_classes_and_one_length():
    with pytest.raises(ValueError, match="both gold synonym pairs and other pairs"):
        fit_calibration(np.array([0.2, 0.9]), np.array([0, 0]))
    with pytest.raises(ValueError, match="one length"):
        fit_calibration(np.array([0.2, 0.9]), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="unknown calibration method"):
        Calibration.from_dict({"method": "isotonic", "a": 1, "b": 0})


def test_pair_split_ignores_orientation_and_is_about_half():
    rng = np.random.default_rng(1)
    a = np.array([f"w{i}" for i in rng.integers(0, 10**6, 4000)])
    b = np.array([f"v{i}" for i in rng.integers(0, 10**6, 4000)])
    t = pair_is_test(a, b)
    assert np.array_equal(t, pair_is_test(b, a)) and 0.45 < t.mean() < 0.55


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_shipped_models_are_calibrated_on_unseen_terms(lang):
    """The calibration stored with each shipped model: fitted on words outside its training pairs, where a
    synonym is a few percent of candidate pairs, so the shipped gate 0.70 means a small probability."""
    model = PairClassifier.load(ShippedModel(lang).path)
    cal = model.calibration_
    assert cal is not None
    assert cal.fitted_on["terms"] >= 1000 and cal.fitted_on["dev_gold_pairs"] >= 30
    assert float(cal(np.array([0.7]))[0]) < 0.3
    assert (np.diff(cal(np.linspace(0.05, 0.95, 19))) > 0).all()
