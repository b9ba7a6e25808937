r"""Activation functions and their derivatives, in NumPy.

Each function takes a number or an array-like of real numbers and returns a
float64 array of the same shape (a 0-d array for a scalar input). NaN in gives
NaN out; nothing is clipped. Derivatives
are named ``<name>_grad``. The registry :data:`ACTIVATIONS` and :func:`get`
feed the chapter's plots and widgets.

At a kink (ReLU and Leaky ReLU at 0) the derivative does not exist; like
TensorFlow's gradient, ``relu_grad(0)`` returns 0 and ``leaky_relu_grad(0)``
returns ``alpha``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validation import as_float_array, check_choice, check_int, check_number

__all__ = [
    "ACTIVATIONS",
    "MODERN",
    "Activation",
    "backprop_stack",
    "gelu",
    "gelu_grad",
    "get",
    "log_softmax",
    "leaky_relu",
    "leaky_relu_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "silu",
    "silu_grad",
    "softmax",
    "tanh",
    "tanh_grad",
]

#: Default negative slope of :func:`leaky_relu`, the value used by Maas et al. (2013).
DEFAULT_ALPHA = 0.01


def sigmoid(x):
    r"""Logistic sigmoid, computed without overflow.

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}}

    The output lies in the open interval (0, 1). For large ``|x|`` the naive
    formula overflows ``exp``; this version evaluates ``exp`` only at
    non-positive arguments, so ``sigmoid(-1000)`` is exactly 0 and
    ``sigmoid(1000)`` exactly 1 (the nearest float64 values), with no warning.

    Parameters
    ----------
    x : float or array_like of float
        Pre-activations.

    Returns
    -------
    numpy.ndarray
        :math:`\sigma(x)`, float64, same shape as ``x``.

    Raises
    ------
    TypeError
        If ``x`` is not real-valued (strings, booleans, complex numbers).

    References
    ----------
    Goodfellow, Bengio & Courville (2016), *Deep Learning*, section 6.3.2.
    https://www.deeplearningbook.org/

    Examples
    --------
    >>> sigmoid([-1000.0, 0.0, 1000.0])
    array([0. , 0.5, 1. ])
    """
    x = as_float_array(x)
    out = np.empty_like(x)
    pos = x >= 0
    # For x >= 0: 1 / (1 + e^{-x}); for x < 0: e^{x} / (1 + e^{x}). Both call exp(-|x|).
    z = np.exp(-np.abs(x))
    out[pos] = 1.0 / (1.0 + z[pos])
    out[~pos] = z[~pos] / (1.0 + z[~pos])
    # NaN fails `x >= 0` and goes down the second branch, where it stays NaN.
    return out


def sigmoid_grad(x):
    r"""Derivative of the sigmoid.

    .. math:: \sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)

    Its largest value is :math:`\sigma'(0) = 1/4`: a gradient passing back
    through a sigmoid unit is multiplied by at most 0.25.

    It is computed as :math:`e^{-|x|} / (1 + e^{-|x|})^2`, the same quantity
    without the cancellation in :math:`1 - \sigma(x)` for large ``x``, so it
    stays accurate to the last digits far into the tails.

    Parameters
    ----------
    x : float or array_like of float

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(sigmoid_grad(0.0))
    0.25
    """
    z = np.exp(-np.abs(as_float_array(x)))
    return np.asarray(z / ((1.0 + z) * (1.0 + z)))


def tanh(x):
    r"""Hyperbolic tangent.

    .. math:: \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    The output lies in (-1, 1) and is zero-centred: ``tanh(0) = 0``. It is a
    shifted, rescaled sigmoid, so it saturates just as the sigmoid does.

    Parameters
    ----------
    x : float or array_like of float

    Returns
    -------
    numpy.ndarray

    References
    ----------
    LeCun, Bottou, Orr & Müller (1998), "Efficient BackProp".

    Examples
    --------
    >>> tanh([-1000.0, 0.0, 1000.0])
    array([-1.,  0.,  1.])
    """
    return np.asarray(np.tanh(as_float_array(x)))


def tanh_grad(x):
    r"""Derivative of tanh.

    .. math:: \tanh'(x) = 1 - \tanh^2(x)

    Its largest value is 1, at ``x = 0``.

    It is computed as :math:`4e^{-2|x|} / (1 + e^{-2|x|})^2 = 1/\cosh^2 x`,
    which avoids the cancellation in :math:`1 - \tanh^2 x` when ``|x|`` is large.

    Parameters
    ----------
    x : float or array_like of float

    Returns
    -------
    numpy.ndarray
    """
    z = np.exp(-2.0 * np.abs(as_float_array(x)))
    return np.asarray(4.0 * z / ((1.0 + z) * (1.0 + z)))


def relu(x):
    r"""Rectified linear unit.

    .. math:: \operatorname{ReLU}(x) = \max(0, x)

    The output lies in :math:`[0, \infty)`.

    Parameters
    ----------
    x : float or array_like of float

    Returns
    -------
    numpy.ndarray

    References
    ----------
    Nair & Hinton (2010), "Rectified Linear Units Improve Restricted Boltzmann
    Machines", ICML. Glorot, Bordes & Bengio (2011), "Deep Sparse Rectifier
    Neural Networks", AISTATS.

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    # np.maximum (unlike np.where(x > 0, ...)) keeps NaN as NaN instead of turning it into 0.
    return np.asarray(np.maximum(as_float_array(x), 0.0))


def relu_grad(x):
    r"""Derivative of ReLU: 1 for ``x > 0``, 0 for ``x < 0``.

    .. math:: \operatorname{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}

    At ``x = 0`` it returns 0, the choice TensorFlow makes. A unit whose input
    is negative for every example gets zero gradient and stops learning (a
    "dead" ReLU).

    Parameters
    ----------
    x : float or array_like of float

    Returns
    -------
    numpy.ndarray
    """
    x = as_float_array(x)
    return np.where(np.isnan(x), np.nan, (x > 0).astype(np.float64))


def _check_alpha(alpha):
    return check_number(alpha, "alpha", low=0.0, high=1.0, high_open=True)


def leaky_relu(x, alpha=DEFAULT_ALPHA):
    r"""Leaky rectified linear unit.

    .. math:: f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}

    A small positive slope :math:`\alpha` on the negative side keeps a
    gradient flowing when the unit is "off". Maas et al. (2013) used
    :math:`\alpha = 0.01`; Keras' ``LeakyReLU`` layer defaults to 0.3 and
    ``tf.nn.leaky_relu`` to 0.2.

    Parameters
    ----------
    x : float or array_like of float
    alpha : float, default 0.01
        Negative slope, a finite number in [0, 1). ``alpha = 0`` is ReLU.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    TypeError, ValueError
        If ``alpha`` is not a finite real number in [0, 1).

    References
    ----------
    Maas, Hannun & Ng (2013), "Rectifier Nonlinearities Improve Neural Network
    Acoustic Models", ICML Workshop on Deep Learning for Audio, Speech and
    Language Processing.

    Examples
    --------
    >>> leaky_relu([-2.0, 3.0], alpha=0.1)
    array([-0.2,  3. ])
    """
    alpha = _check_alpha(alpha)
    x = as_float_array(x)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x, alpha=DEFAULT_ALPHA):
    r"""Derivative of Leaky ReLU: 1 for ``x > 0``, ``alpha`` for ``x <= 0``.

    Parameters
    ----------
    x : float or array_like of float
    alpha : float, default 0.01
        Negative slope, a finite number in [0, 1).

    Returns
    -------
    numpy.ndarray
    """
    alpha = _check_alpha(alpha)
    x = as_float_array(x)
    return np.where(np.isnan(x), np.nan, np.where(x > 0, 1.0, alpha))


_SQRT2 = float(np.sqrt(2.0))
_SQRT2PI = float(np.sqrt(2.0 * np.pi))
_erfc = np.frompyfunc(math.erfc, 1, 1)


def _normal_cdf(x):
    """Phi(x) = erfc(-x / sqrt 2) / 2: accurate in the left tail, where 1 + erf would cancel."""
    return 0.5 * np.asarray(_erfc(-x / _SQRT2), dtype=np.float64)


def gelu(x):
    r"""Gaussian error linear unit (exact form).

    .. math:: \operatorname{GELU}(x) = x\,\Phi(x), \qquad
              \Phi(x) = \tfrac12\bigl(1 + \operatorname{erf}(x/\sqrt2)\bigr),

    the input weighted by the probability that a standard normal variable lies
    below it. Close to ReLU for large :math:`|x|`, smooth at 0, and slightly
    negative for negative inputs (minimum about -0.17 at x = -0.75). Used in
    BERT, GPT and most transformers. Keras' ``keras.activations.gelu`` computes this
    exact form by default (``approximate=False``); ``approximate=True`` gives the tanh
    approximation of :math:`\Phi` that BERT and GPT-2 used.

    Parameters
    ----------
    x : float or array_like of float

    Returns
    -------
    numpy.ndarray

    References
    ----------
    Hendrycks & Gimpel (2016), "Gaussian Error Linear Units (GELUs)", arXiv:1606.08415.

    Examples
    --------
    >>> gelu([-1.0, 0.0, 1.0]).round(4)
    array([-0.1587,  0.    ,  0.8413])
    """
    x = as_float_array(x)
    return x * _normal_cdf(x)


def gelu_grad(x):
    r"""Derivative of :func:`gelu`: :math:`\Phi(x) + x\,\varphi(x)`, with
    :math:`\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}` the standard normal density.

    Parameters
    ----------
    x : float or array_like of float

    Returns
    -------
    numpy.ndarray
    """
    x = as_float_array(x)
    with np.errstate(over="ignore"):  # x*x overflows to inf for |x| > 1e154: density 0
        density = np.exp(-0.5 * x * x) / _SQRT2PI
    return _normal_cdf(x) + np.where(density > 0, x * density, 0.0)


def silu(x):
    r"""Sigmoid-weighted linear unit, also called Swish (with :math:`\beta = 1`).

    .. math:: \operatorname{SiLU}(x) = x\,\sigma(x)

    Like GELU with the logistic sigmoid in place of the normal CDF: smooth,
    close to ReLU for large :math:`|x|`, slightly negative for negative inputs
    (minimum about -0.28 at x = -1.28). Used in EfficientNet and, as the gate of
    SwiGLU, in many large language models.

    Parameters
    ----------
    x : float or array_like of float

    Returns
    -------
    numpy.ndarray

    References
    ----------
    Elfwing, Uchibe & Doya (2018), "Sigmoid-weighted linear units for neural
    network function approximation in reinforcement learning", Neural Networks 107.
    Ramachandran, Zoph & Le (2017), "Searching for Activation Functions", arXiv:1710.05941.

    Examples
    --------
    >>> silu([-1.0, 0.0, 1.0]).round(4)
    array([-0.2689,  0.    ,  0.7311])
    """
    x = as_float_array(x)
    s = sigmoid(x)
    return np.where(s > 0, x * s, 0.0 * x)


def silu_grad(x):
    r"""Derivative of :func:`silu`: :math:`\sigma(x)\,\bigl(1 + x\,\sigma(-x)\bigr)`.

    (:math:`1 - \sigma(x)` is written :math:`\sigma(-x)` so that it does not cancel
    for large x.)

    Parameters
    ----------
    x : float or array_like of float

    Returns
    -------
    numpy.ndarray
    """
    x = as_float_array(x)
    s, s_neg = sigmoid(x), sigmoid(-x)
    return np.where(s > 0, s * (1.0 + np.where(s_neg > 0, x * s_neg, 0.0)), 0.0 * x)


def _check_axis(z, axis):
    if z.ndim == 0:
        raise ValueError("Argument `z` must have at least one dimension (the classes). "
                         "Received a scalar")
    axis = check_int(axis, "axis", low=-z.ndim, high=z.ndim - 1)
    return axis


def softmax(z, axis=-1):
    r"""Softmax over ``axis``: scores (logits) to probabilities that sum to 1.

    .. math:: \operatorname{softmax}(z)_k = \frac{e^{z_k}}{\sum_j e^{z_j}}

    Adding the same constant to every :math:`z_k` changes nothing, so this
    computes :math:`e^{z_k - \max_j z_j}`: no overflow, however large the scores.
    With two classes, :math:`\operatorname{softmax}(z_1, z_2)_1 = \sigma(z_1 - z_2)`.

    Parameters
    ----------
    z : array_like of float, at least 1-D
        Scores; the classes run along ``axis``.
    axis : int, default -1

    Returns
    -------
    numpy.ndarray

    References
    ----------
    Bridle (1990); Goodfellow, Bengio & Courville (2016), section 6.2.2.3.

    Examples
    --------
    >>> softmax([1000.0, 1000.0, 0.0]).round(3)
    array([0.5, 0.5, 0. ])
    """
    z = as_float_array(z, "z")
    axis = _check_axis(z, axis)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    r"""Logarithm of :func:`softmax`, computed with the log-sum-exp trick.

    .. math:: \log\operatorname{softmax}(z)_k = z_k - m - \log\sum_j e^{z_j - m},
              \qquad m = \max_j z_j .

    ``np.log(softmax(z))`` gives ``-inf`` once a probability underflows to 0;
    this stays finite. The cross-entropy loss of a one-hot target :math:`y` is
    :math:`-\sum_k y_k \log\operatorname{softmax}(z)_k`, and its gradient with
    respect to the scores is simply :math:`\operatorname{softmax}(z) - y`.

    Parameters
    ----------
    z : array_like of float, at least 1-D
    axis : int, default -1

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> log_softmax([0.0, -1000.0])
    array([    0., -1000.])
    """
    z = as_float_array(z, "z")
    axis = _check_axis(z, axis)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@dataclass(frozen=True)
class Activation:
    """One entry of the registry: the function, its derivative and facts about it."""

    name: str
    label: str
    fn: Callable
    grad: Callable
    output_range: str
    max_grad: str
    zero_centred: bool
    saturates: str
    latex: str
    takes_alpha: bool = False

    def value(self, x, alpha=DEFAULT_ALPHA):
        """``fn(x)``, passing the slope ``alpha`` to the functions that have one."""
        return self.fn(x, alpha) if self.takes_alpha else self.fn(x)

    def derivative(self, x, alpha=DEFAULT_ALPHA):
        """``grad(x)``, passing the slope ``alpha`` to the functions that have one."""
        return self.grad(x, alpha) if self.takes_alpha else self.grad(x)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("sigmoid", "sigmoid", sigmoid, sigmoid_grad, "(0, 1)", "1/4 at x = 0",
                   False, "both sides", r"\sigma(x) = 1/(1+e^{-x})"),
        Activation("tanh", "tanh", tanh, tanh_grad, "(-1, 1)", "1 at x = 0",
                   True, "both sides", r"\tanh(x) = (e^{x}-e^{-x})/(e^{x}+e^{-x})"),
        Activation("relu", "ReLU", relu, relu_grad, "[0, ∞)", "1 for x > 0",
                   False, "x < 0 (gradient exactly 0)", r"\max(0, x)"),
        Activation("leaky_relu", "Leaky ReLU", leaky_relu, leaky_relu_grad, "(-∞, ∞)",
                   "1 for x > 0", False, "never", r"\max(\alpha x, x)", takes_alpha=True),
    ]
}
"""Registry of the four classic activation functions, in the chapter's order."""

MODERN: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("gelu", "GELU", gelu, gelu_grad, "[-0.17, ∞)", "1.13 at x = 1.41",
                   False, "x → -∞ (gradient → 0)", r"x\,\Phi(x)"),
        Activation("silu", "SiLU (Swish)", silu, silu_grad, "[-0.28, ∞)", "1.10 at x = 2.40",
                   False, "x → -∞ (gradient → 0)", r"x\,\sigma(x)"),
    ]
}
"""Two smooth modern activations, GELU and SiLU; :func:`get` finds them too."""


def get(name: str) -> Activation:
    """Return the :class:`Activation` registered under ``name`` (in :data:`ACTIVATIONS`
    or :data:`MODERN`).

    Raises
    ------
    ValueError
        If ``name`` is unknown; the message lists the known names.

    Examples
    --------
    >>> get("tanh").output_range
    '(-1, 1)'
    """
    known = {**ACTIVATIONS, **MODERN}
    check_choice(name, "name", known)
    return known[name]


def backprop_stack(x, weights, name, *, alpha=DEFAULT_ALPHA, normalize=False, top_grad=None):
    r"""Forward and backward pass through :math:`h_l = f(h_{l-1} W_l)`, no biases.

    The loss is :math:`\frac{1}{2B}\lVert h_L \rVert^2` for a batch of ``B`` rows. The
    chain rule gives, layer by layer from the top,

    .. math::

        \frac{\partial \mathcal L}{\partial z_l} = \frac{\partial \mathcal L}{\partial h_l}
        \odot f'(z_l), \qquad
        \frac{\partial \mathcal L}{\partial W_l} = h_{l-1}^\top \frac{\partial \mathcal L}
        {\partial z_l}, \qquad
        \frac{\partial \mathcal L}{\partial h_{l-1}} = \frac{\partial \mathcal L}{\partial z_l}
        W_l^\top,

    so the gradient reaching layer 1 carries one factor :math:`f'(z_l)` per layer above
    it (with the sigmoid, each at most 1/4). The experiment that draws random inputs and
    weights for it is :func:`dlbook_utils.initialization.depth_experiment`.

    References
    ----------
    Glorot & Bengio (2010), "Understanding the difficulty of training deep
    feedforward neural networks", AISTATS.
    Hochreiter, Bengio, Frasconi & Schmidhuber (2001), "Gradient flow in
    recurrent nets: the difficulty of learning long-term dependencies".

    With ``normalize=True`` every pre-activation is standardized over the batch
    before the activation, as batch normalization does in training (Ioffe & Szegedy
    2015, without the learned scale and shift):
    :math:`\hat z = (z - \mu_B)/\sqrt{\sigma_B^2 + \epsilon}`, :math:`\epsilon = 10^{-5}`,
    and the backward pass goes through the standardization,
    :math:`\partial\mathcal L/\partial z = \bigl(g - \bar g - \hat z\,\overline{g\hat z}\bigr)
    / \sqrt{\sigma_B^2+\epsilon}` with :math:`g = \partial\mathcal L/\partial\hat z` and
    bars the means over the batch.

    Parameters
    ----------
    x : array_like, shape (batch, n_0)
        Inputs.
    weights : sequence of array_like
        ``W_1, ..., W_L``; ``W_l`` has shape ``(n_{l-1}, n_l)``.
    name : str
        A key of :data:`ACTIVATIONS`.
    alpha : float, default 0.01
        Leaky-ReLU slope.
    normalize : bool, default False
        Standardize each layer's pre-activations over the batch (see above).
    top_grad : array_like, shape (batch, n_L), optional
        Use the linear loss :math:`\frac1B\sum g \odot h_L` with this fixed :math:`g`
        instead of :math:`\frac{1}{2B}\lVert h_L\rVert^2`. The quadratic loss makes the
        top gradient equal to the output, so every gradient scales with the forward
        signal and is correlated with it; a random :math:`g` measures how the backward
        pass alone grows or shrinks a gradient.

    Returns
    -------
    dict
        ``"grad_norm"`` (Frobenius norm of each layer's weight gradient),
        ``"signal_grad_norm"`` (norm of the back-propagated gradient
        :math:`\partial\mathcal L/\partial h_l` at each layer's output),
        ``"activation_std"`` (standard deviation of each ``h_l``), ``"activations"``
        (the ``h_l``), ``"weights"`` and ``"inputs"``; layer 1 first.
    """
    act = get(name)
    alpha = _check_alpha(alpha)
    x = as_float_array(x, "x")
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"Argument `x` must be a non-empty 2-D array (batch, features). "
                         f"Received shape {x.shape}")
    if len(weights) == 0:
        raise ValueError("Argument `weights` must hold at least one matrix. Received 0")
    ws = [as_float_array(w, f"weights[{i}]") for i, w in enumerate(weights)]
    width = x.shape[1]
    for i, w in enumerate(ws):
        if w.ndim != 2 or w.shape[0] != width:
            raise ValueError(f"Argument `weights[{i}]` must have shape ({width}, n). "
                             f"Received shape {w.shape}")
        width = w.shape[1]

    batch = x.shape[0]
    hs, zs, scales = [x], [], []
    for w in ws:
        z = hs[-1] @ w
        if normalize:  # standardize every unit over the batch (batch norm, training mode)
            scale = np.sqrt(z.var(axis=0) + 1e-5)
            z = (z - z.mean(axis=0)) / scale
            scales.append(scale)
        zs.append(z)
        hs.append(act.value(z, alpha))

    grad_norm = np.empty(len(ws))
    signal_norm = np.empty(len(ws))
    if top_grad is None:
        dh = hs[-1] / batch  # d/dh_L of (1 / 2B) * ||h_L||^2
    else:
        g = as_float_array(top_grad, "top_grad")
        if g.shape != hs[-1].shape:
            raise ValueError(f"Argument `top_grad` must have the shape of the last layer's "
                             f"output, {hs[-1].shape}. Received shape {g.shape}")
        dh = g / batch  # d/dh_L of (1 / B) * sum(g * h_L)
    for layer in range(len(ws) - 1, -1, -1):
        signal_norm[layer] = np.linalg.norm(dh)  # |dL/dh_l|, the back-propagated signal
        dz = dh * act.derivative(zs[layer], alpha)
        if normalize:  # back through the standardization
            zhat = zs[layer]
            dz = (dz - dz.mean(axis=0) - zhat * (dz * zhat).mean(axis=0)) / scales[layer]
        grad_norm[layer] = np.linalg.norm(hs[layer].T @ dz)
        dh = dz @ ws[layer].T
    return {
        "grad_norm": grad_norm,
        "signal_grad_norm": signal_norm,
        "activation_std": np.array([h.std() for h in hs[1:]]),
        "activations": hs[1:],
        "weights": ws,
        "inputs": x,
    }
