"""dlbook_utils.basics: the introduction's toy regression and classification tasks."""

import numpy as np
import pytest

from dlbook_utils import basics as B
from dlbook_utils.activations import sigmoid


def test_toy_tasks_are_reproducible_and_fitted():
    a, b = B.toy_tasks(rng=3), B.toy_tasks(rng=3)
    np.testing.assert_array_equal(a["regression"]["x"], b["regression"]["x"])
    reg = a["regression"]
    slope, intercept = np.polyfit(reg["x"], reg["y"], 1)   # least squares
    assert reg["slope"] == pytest.approx(slope) and reg["intercept"] == pytest.approx(intercept)
    cls = a["classification"]
    w, bias = cls["weights"]
    predicted = (cls["points"] @ w + bias) > 0
    assert np.mean(predicted == cls["labels"]) > 0.9     # two well-separated clouds
    assert cls["points"].shape == (120, 2) and cls["labels"].sum() == 60


def test_fit_logistic_gradient_vanishes_at_the_optimum():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2))
    y = (x[:, 0] + 0.5 * rng.normal(size=200) > 0).astype(float)   # not separable
    w, b = B.fit_logistic(x, y, steps=20_000, learning_rate=1.0)
    err = sigmoid(x @ w + b) - y
    np.testing.assert_allclose(x.T @ err / y.size, 0, atol=1e-8)  # the mean cross-entropy's
    assert abs(err.mean()) < 1e-8                                  # gradient is zero there


def test_bad_input():
    with pytest.raises(ValueError, match=r"Argument `y` must hold labels 0 and 1 only"):
        B.fit_logistic(np.zeros((3, 2)), [0, 1, 2])
    with pytest.raises(ValueError, match=r"must have shapes \(m, d\) and \(m,\)"):
        B.fit_logistic(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError, match=r"Argument `n` must be an integer in \[4, 10000\]"):
        B.toy_tasks(n=2)
