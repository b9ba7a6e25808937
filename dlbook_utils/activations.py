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

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validation import as_float_array, check_choice, check_int, check_number, make_rng

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "backprop_stack",
    "deep_stack_gradients",
    "get",
    "leaky_relu",
    "leaky_relu_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
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
"""Registry of the chapter's activation functions, in the chapter's order."""


def get(name: str) -> Activation:
    """Return the :class:`Activation` registered under ``name``.

    Raises
    ------
    ValueError
        If ``name`` is unknown; the message lists the known names.

    Examples
    --------
    >>> get("tanh").output_range
    '(-1, 1)'
    """
    check_choice(name, "name", ACTIVATIONS)
    return ACTIVATIONS[name]


def deep_stack_gradients(name, *, depth=20, width=64, batch=256, alpha=DEFAULT_ALPHA, seed=0):
    r"""Backpropagate once through a deep stack of dense layers; return per-layer figures.

    The stack is :math:`h_0 = x`, :math:`z_l = h_{l-1} W_l`,
    :math:`h_l = f(z_l)` for :math:`l = 1, \dots, L`, with no biases, inputs
    :math:`x \sim \mathcal N(0, 1)` and Glorot-uniform weights
    :math:`W_l \sim U(-r, r)`, :math:`r = \sqrt{6 / (n_\text{in} + n_\text{out})}`
    (Keras' default). The loss is :math:`\frac{1}{2B}\lVert h_L \rVert^2`.
    The chain rule gives, layer by layer from the top,

    .. math::

        \frac{\partial \mathcal L}{\partial z_l} = \frac{\partial \mathcal L}{\partial h_l}
        \odot f'(z_l), \qquad
        \frac{\partial \mathcal L}{\partial W_l} = h_{l-1}^\top \frac{\partial \mathcal L}
        {\partial z_l}, \qquad
        \frac{\partial \mathcal L}{\partial h_{l-1}} = \frac{\partial \mathcal L}{\partial z_l}
        W_l^\top,

    so the gradient reaching layer 1 carries one factor :math:`f'(z_l)` per layer
    above it. With the sigmoid each factor is at most 1/4.

    Parameters
    ----------
    name : str
        A key of :data:`ACTIVATIONS`.
    depth : int, default 20
        Number of layers, 1 to 500.
    width : int, default 64
        Units per layer, 1 to 4096.
    batch : int, default 256
        Number of random inputs, 1 to 100000.
    alpha : float, default 0.01
        Leaky-ReLU slope (used only by ``"leaky_relu"``).
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    dict
        ``"grad_norm"``: Frobenius norm of :math:`\partial\mathcal L/\partial W_l`;
        ``"activation_std"``: standard deviation of :math:`h_l`; ``"weights"``: the
        list of weight matrices; ``"inputs"``: ``x``. Arrays run from layer 1 to L.

    References
    ----------
    Glorot & Bengio (2010), "Understanding the difficulty of training deep
    feedforward neural networks", AISTATS.
    Hochreiter, Bengio, Frasconi & Schmidhuber (2001), "Gradient flow in
    recurrent nets: the difficulty of learning long-term dependencies".

    Examples
    --------
    >>> out = deep_stack_gradients("sigmoid", depth=10, seed=0)
    >>> bool(out["grad_norm"][0] < out["grad_norm"][-1] / 100)
    True
    """
    get(name)
    depth = check_int(depth, "depth", low=1, high=500)
    width = check_int(width, "width", low=1, high=4096)
    batch = check_int(batch, "batch", low=1, high=100_000)
    rng = make_rng(seed)
    limit = np.sqrt(6.0 / (width + width))
    x = rng.standard_normal((batch, width))
    weights = [rng.uniform(-limit, limit, size=(width, width)) for _ in range(depth)]
    return backprop_stack(x, weights, name, alpha=alpha)


def backprop_stack(x, weights, name, *, alpha=DEFAULT_ALPHA):
    r"""Forward and backward pass through :math:`h_l = f(h_{l-1} W_l)`, no biases.

    The loss is :math:`\frac{1}{2B}\lVert h_L \rVert^2` for a batch of ``B`` rows;
    see :func:`deep_stack_gradients` for the chain rule it applies.

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

    Returns
    -------
    dict
        ``"grad_norm"`` (Frobenius norm of each layer's weight gradient),
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
    hs, zs = [x], []
    for w in ws:
        zs.append(hs[-1] @ w)
        hs.append(act.value(zs[-1], alpha))

    grad_norm = np.empty(len(ws))
    dh = hs[-1] / batch  # d/dh_L of (1 / 2B) * ||h_L||^2
    for layer in range(len(ws) - 1, -1, -1):
        dz = dh * act.derivative(zs[layer], alpha)
        grad_norm[layer] = np.linalg.norm(hs[layer].T @ dz)
        dh = dz @ ws[layer].T
    return {
        "grad_norm": grad_norm,
        "activation_std": np.array([h.std() for h in hs[1:]]),
        "activations": hs[1:],
        "weights": ws,
        "inputs": x,
    }
