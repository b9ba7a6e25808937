r"""Penalties, their gradients, the L1 proximal step and dropout, in NumPy.

The regularized objective is the data loss plus a penalty on the weights:

.. math::

    J(\theta) = \frac{1}{m}\sum_{i=1}^m L(\hat y_i, y_i) + \Omega(\theta), \qquad
    \Omega_{L2}(\theta) = \frac{\lambda}{2}\lVert\theta\rVert_2^2, \quad
    \Omega_{L1}(\theta) = \lambda\lVert\theta\rVert_1 .

Keras' ``keras.regularizers.L2(l2)`` adds ``l2 * sum(w**2)``, without the 1/2:
our :func:`l2_penalty` with ``lam`` equals Keras' ``L2(l2=lam / 2)``.
``keras.regularizers.L1(l1)`` adds ``l1 * sum(|w|)``, the same as :func:`l1_penalty`.

Weights may be one array or a list of arrays (all the kernels of a model); a
nested Python list is read as a list of arrays, so pass one matrix as a NumPy array.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validation import as_float_array, as_rng, check_bool, check_choice, check_int, check_number

__all__ = [
    "dropout",
    "fit_linear",
    "l1_grad",
    "l1_penalty",
    "l2_grad",
    "l2_penalty",
    "soft_threshold",
]


def _finite_array(x, name):
    a = as_float_array(x, name)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"Argument `{name}` must hold finite numbers; it contains "
                         f"{int(np.sum(~np.isfinite(a)))} NaN or infinite values")
    return a


def _weights(weights, name="weights"):
    """One array or a list of arrays → (list of finite float arrays, whether it was one)."""
    single = isinstance(weights, np.ndarray) or not isinstance(weights, Sequence) or \
        (len(weights) > 0 and not isinstance(weights[0], (np.ndarray, Sequence)))
    if single:
        return [_finite_array(weights, name)], True
    if len(weights) == 0:
        raise ValueError(f"Argument `{name}` must hold at least one array. Received []")
    arrays = [_finite_array(w, f"{name}[{i}]") for i, w in enumerate(weights)]
    return arrays, single


def _lam(lam):
    return check_number(lam, "lam", low=0.0)


def l2_penalty(weights, lam):
    r"""L2 penalty (weight decay) :math:`\frac{\lambda}{2}\sum_j \theta_j^2`.

    Parameters
    ----------
    weights : array_like or list of array_like
    lam : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    float

    References
    ----------
    Krogh & Hertz (1992), "A Simple Weight Decay Can Improve Generalization", NeurIPS.
    Goodfellow, Bengio & Courville (2016), *Deep Learning*, section 7.1.1.

    Examples
    --------
    >>> l2_penalty([3.0, 4.0], lam=0.1)
    1.25
    """
    lam = _lam(lam)
    arrays, _ = _weights(weights)
    return float(lam / 2 * sum(np.sum(w * w) for w in arrays))


def l2_grad(weights, lam):
    r"""Gradient of :func:`l2_penalty`: :math:`\lambda\theta` (a list if given a list).

    A gradient step on the penalty alone multiplies every weight by
    :math:`1 - \eta\lambda`: it *decays* the weights towards zero.
    """
    lam = _lam(lam)
    arrays, single = _weights(weights)
    grads = [lam * w for w in arrays]
    return grads[0] if single else grads


def l1_penalty(weights, lam):
    r"""L1 penalty :math:`\lambda\sum_j |\theta_j|`.

    References
    ----------
    Tibshirani (1996), "Regression Shrinkage and Selection via the Lasso", JRSS B.

    Examples
    --------
    >>> l1_penalty([3.0, -4.0], lam=0.1)
    0.7000000000000001
    """
    lam = _lam(lam)
    arrays, _ = _weights(weights)
    return float(lam * sum(np.sum(np.abs(w)) for w in arrays))


def l1_grad(weights, lam):
    r"""Subgradient of :func:`l1_penalty`: :math:`\lambda\,\operatorname{sign}(\theta)`.

    At :math:`\theta_j = 0` the penalty has no derivative; any value in
    :math:`[-\lambda, \lambda]` is a subgradient, and this returns 0 (as TensorFlow does).
    The pull towards zero has the same size :math:`\lambda` however small the weight is,
    which is why L1 can push weights all the way to zero and L2 cannot.
    """
    lam = _lam(lam)
    arrays, single = _weights(weights)
    grads = [lam * np.sign(w) for w in arrays]
    return grads[0] if single else grads


def soft_threshold(w, t):
    r"""Proximal step of the L1 penalty: :math:`\operatorname{sign}(w)\max(|w| - t, 0)`.

    Proximal gradient descent on :math:`f(\theta) + \lambda\lVert\theta\rVert_1` (ISTA)
    takes a gradient step on :math:`f` and then applies this with :math:`t = \eta\lambda`.
    Unlike a plain subgradient step, it sets small weights to *exactly* zero.

    Examples
    --------
    >>> soft_threshold([-0.3, 0.05, 2.0], 0.1)
    array([-0.2,  0. ,  1.9])
    """
    return _soft_threshold(_finite_array(w, "w"), check_number(t, "t", low=0.0))


def _soft_threshold(w, t):
    """:func:`soft_threshold` without the argument checks, for the solver's inner loop."""
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


def dropout(x, p, *, training=True, rng=None, mask=None, return_mask=False):
    r"""Inverted dropout, as Keras' ``Dropout`` layer computes it.

    During training each unit is kept with probability :math:`1 - p` and the kept
    ones are scaled by :math:`1/(1 - p)`:

    .. math:: \tilde h = \frac{m \odot h}{1 - p}, \qquad m_j \sim \text{Bernoulli}(1 - p),

    so :math:`\mathbb E[\tilde h] = h`: the next layer sees activations of the same
    expected size in training and at inference. At inference (``training=False``)
    nothing is dropped and nothing is scaled.

    Parameters
    ----------
    x : array_like
        Activations, finite numbers.
    p : float
        Drop probability, in [0, 1).
    training : bool, default True
    rng : numpy.random.Generator, int or None, optional
        Source of the mask in training (``None``: fresh entropy, not repeatable);
        unused when ``mask`` is given.
    mask : array_like of bool, optional
        A keep-mask of the same shape as ``x`` (for reproducing a figure).
    return_mask : bool, default False
        Also return the keep-mask.

    Returns
    -------
    numpy.ndarray, or (numpy.ndarray, numpy.ndarray)

    References
    ----------
    Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov (2014), "Dropout: A Simple
    Way to Prevent Neural Networks from Overfitting", JMLR 15, 1929-1958. (The paper
    leaves the survivors unscaled and multiplies the weights by the keep probability
    :math:`1-p` at test time instead; as models the two are the same, a rescaling of
    the weights, and frameworks use the inverted form. The paper's :math:`p` is the
    probability of *keeping* a unit; here, as in Keras, ``p`` is the drop rate.)

    Examples
    --------
    >>> dropout([1.0, 1.0, 1.0, 1.0], 0.5, mask=[True, False, True, False])
    array([2., 0., 2., 0.])
    """
    x = _finite_array(x, "x")
    p = check_number(p, "p", low=0.0, high=1.0, high_open=True)
    training = check_bool(training, "training")
    if not training:
        keep = np.ones(x.shape, dtype=bool)
    elif mask is not None:
        keep = np.asarray(mask)
        if keep.dtype != bool or keep.shape != x.shape:
            raise ValueError(f"Argument `mask` must be a boolean array of the shape of `x`, "
                             f"{x.shape}. Received dtype {keep.dtype} and shape {keep.shape}")
    else:
        keep = as_rng(rng).random(x.shape) >= p
    out = x * keep / (1.0 - p) if training else x.copy()
    return (out, keep) if return_mask else out



def fit_linear(features, targets, penalty, lam, *, n_iter=20_000):
    r"""Fit a linear model with an L2 (ridge) or L1 (lasso) penalty on its weights.

    Minimizes :math:`\frac{1}{2m}\lVert Xw + b - y\rVert^2 + \Omega(w)` with
    :math:`\Omega` as in :func:`l2_penalty` or :func:`l1_penalty`; the intercept
    :math:`b` is not penalized. L2 is solved exactly,
    :math:`(X^\top X/m + \lambda I)\,w = X^\top y/m` on centred data; L1 by
    accelerated proximal gradient descent (FISTA: a gradient step, then
    :func:`soft_threshold`, with momentum), which gives exact zeros.

    Parameters
    ----------
    features : array_like, shape (m, n)
    targets : array_like, shape (m,)
    penalty : {"l2", "l1"}
    lam : float
        :math:`\lambda \ge 0`.
    n_iter : int, default 20000
        FISTA iterations (L1 with ``lam > 0`` only).

    Returns
    -------
    tuple
        ``(w, b)``: weights of shape (n,) and the intercept.

    References
    ----------
    Tibshirani (1996); Beck & Teboulle (2009), "A Fast Iterative Shrinkage-Thresholding
    Algorithm for Linear Inverse Problems", SIAM J. Imaging Sciences.
    """
    x = _finite_array(features, "features")
    y = _finite_array(targets, "targets")
    if x.ndim != 2 or y.ndim != 1 or x.shape[0] != y.shape[0] or x.shape[0] == 0:
        raise ValueError("Arguments `features` and `targets` must have shapes (m, n) and (m,) "
                         f"with m >= 1. Received shapes {x.shape} and {y.shape}")
    check_choice(penalty, "penalty", ["l2", "l1"])
    lam = _lam(lam)
    n_iter = check_int(n_iter, "n_iter", low=1)
    m = x.shape[0]
    x_mean, y_mean = x.mean(axis=0), y.mean()
    xc, yc = x - x_mean, y - y_mean
    if penalty == "l2" or lam == 0:  # with lam = 0 both are plain least squares
        w = np.linalg.lstsq(xc.T @ xc / m + lam * np.eye(x.shape[1]), xc.T @ yc / m,
                            rcond=None)[0]
    else:  # FISTA: ISTA with Nesterov momentum, same fixed points, far fewer steps
        step = m / max(np.linalg.norm(xc, 2) ** 2, 1e-300)  # 1 / Lipschitz constant
        w = z = np.zeros(x.shape[1])
        t = 1.0
        for _ in range(n_iter):
            w_next = _soft_threshold(z - step * (xc.T @ (xc @ z - yc) / m), step * lam)
            t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
            z = w_next + (t - 1) / t_next * (w_next - w)
            w, t = w_next, t_next
    return w, float(y_mean - x_mean @ w)
