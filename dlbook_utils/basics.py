r"""The introduction's two toy supervised tasks, with their fitted models.

Regression: 60 points :math:`y = 0.8x + 1 + \varepsilon`, :math:`\varepsilon \sim
\mathcal N(0, 0.6^2)`, fitted by least squares. Classification: two Gaussian clouds
of 60 points each, separated by logistic regression fitted by full-batch gradient
descent on the cross-entropy (Goodfellow, Bengio & Courville 2016, §5.7.1).
"""

from __future__ import annotations

import numpy as np

from ._validation import as_rng, check_int
from .activations import sigmoid

__all__ = ["fit_logistic", "toy_tasks"]


def fit_logistic(x, y, *, steps=500, learning_rate=0.5):
    r"""Logistic regression by full-batch gradient descent; return ``(w, b)``.

    Minimizes the mean cross-entropy
    :math:`-\frac1m\sum_i \bigl(y_i\log p_i + (1-y_i)\log(1-p_i)\bigr)`,
    :math:`p_i = \sigma(w^\top x_i + b)`, whose gradient is
    :math:`\frac1m\sum_i (p_i - y_i)\,(x_i, 1)`, starting from zero.

    Parameters
    ----------
    x : array_like, shape (m, d)
    y : array_like, shape (m,)
        Labels 0 or 1.
    steps : int, default 500
    learning_rate : float, default 0.5

    Returns
    -------
    tuple
        ``w`` of shape (d,) and the float ``b``.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError("Arguments `x` and `y` must have shapes (m, d) and (m,). "
                         f"Received: {x.shape} and {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"Argument `y` must hold labels 0 and 1 only. Received: {np.unique(y)}")
    steps = check_int(steps, "steps", low=1)
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        err = sigmoid(x @ w + b) - y
        w = w - learning_rate * x.T @ err / y.size
        b = b - learning_rate * float(err.mean())
    return w, b


def toy_tasks(rng=0, *, n=60):
    """Data and fitted models of the two tasks; draw them with
    :func:`dlbook_utils.plotting.intro.regression_vs_classification`.

    Parameters
    ----------
    rng : numpy.random.Generator, int or None, default 0
    n : int, default 60
        Points of the regression task, and per class of the classification task
        (4 to 10000).

    Returns
    -------
    dict
        ``"regression"``: ``x``, ``y``, ``slope``, ``intercept``;
        ``"classification"``: ``points`` (2n, 2), ``labels`` (2n,), ``weights`` ``(w, b)``.

    Examples
    --------
    >>> t = toy_tasks(rng=0)
    >>> round(t["regression"]["slope"], 2), t["classification"]["points"].shape
    (0.79, (120, 2))
    """
    rng = as_rng(rng)
    n = check_int(n, "n", low=4, high=10_000)
    x = rng.uniform(-3, 3, n)
    y = 0.8 * x + 1.0 + rng.normal(0, 0.6, n)
    slope, intercept = np.polyfit(x, y, 1)
    points = np.concatenate([rng.normal([-1.0, -0.8], 0.8, (n, 2)),
                             rng.normal([1.2, 1.0], 0.8, (n, 2))])
    labels = np.repeat([0, 1], n)
    return {
        "regression": {"x": x, "y": y, "slope": float(slope), "intercept": float(intercept)},
        "classification": {"points": points, "labels": labels,
                           "weights": fit_logistic(points, labels)},
    }
