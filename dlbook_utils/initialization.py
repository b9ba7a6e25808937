r"""Weight initializers in NumPy, with Keras' fan conventions, and the depth experiment.

Every initializer takes a ``shape`` and an ``rng`` (a ``numpy.random.Generator``, an
int seed, or ``None`` for fresh entropy: the package's one convention, SPEC 7) and returns a float64
array. The variance-scaling ones follow Keras exactly in their *distribution*
(limits, variances, truncation at two standard deviations), not in their random
stream: the same seed gives different numbers from Keras.

================  ===============================================  ============================
name              distribution                                     variance
================  ===============================================  ============================
zeros             0                                                0
ones              1                                                0
uniform           :math:`U(-0.05, 0.05)` (Keras ``RandomUniform``) :math:`0.05^2/3`
normal            :math:`\mathcal N(0, 0.05^2)` (``RandomNormal``)  :math:`0.05^2`
glorot_uniform    :math:`U(-r, r)`, :math:`r=\sqrt{6/(n_\text{in}+n_\text{out})}`  :math:`2/(n_\text{in}+n_\text{out})`
glorot_normal     truncated normal                                 :math:`2/(n_\text{in}+n_\text{out})`
he_uniform        :math:`U(-r, r)`, :math:`r=\sqrt{6/n_\text{in}}`  :math:`2/n_\text{in}`
he_normal         truncated normal                                 :math:`2/n_\text{in}`
lecun_normal      truncated normal (LeCun et al. 1998)             :math:`1/n_\text{in}`
orthogonal        a random orthogonal matrix (Saxe et al. 2014)    :math:`1/n` (square)
================  ===============================================  ============================
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from . import activations as _act
from ._validation import as_rng, check_choice, check_int, check_number

__all__ = [
    "INITIALIZERS",
    "compute_fans",
    "depth_experiment",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "lecun_normal",
    "normal",
    "ones",
    "orthogonal",
    "target_variance",
    "uniform",
    "zeros",
]

#: Standard deviation of N(0, 1) truncated to [-2, 2]; Keras divides by it so that the
#: truncated normal has the intended variance.
TRUNCATED_STD = 0.87962566103423978


def _check_shape(shape):
    if isinstance(shape, (numbers.Integral,)) and not isinstance(shape, bool):
        shape = (shape,)
    allowed = ("Argument `shape` must be a non-empty tuple of positive integers, such as "
               "(784, 128) or (3, 3, 1, 32).")
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        raise TypeError(f"{allowed} Received: shape={shape!r} of type {type(shape).__name__}")
    if len(shape) == 0:
        raise ValueError(f"{allowed} Received: shape={shape!r}")
    out = []
    for n in shape:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"{allowed} Received: shape={tuple(shape)!r}")
        if n <= 0:
            raise ValueError(f"{allowed} Received: shape={tuple(shape)!r}")
        out.append(int(n))
    return tuple(out)


def compute_fans(shape):
    r"""Fan-in and fan-out of a weight tensor, counted as Keras counts them.

    - dense kernel ``(n_in, n_out)``: ``fan_in = n_in``, ``fan_out = n_out``;
    - convolution kernel ``(*kernel_size, in_channels, out_channels)``: the receptive
      field :math:`k = \prod \text{kernel\_size}` multiplies both,
      ``fan_in = k * in_channels``, ``fan_out = k * out_channels``;
    - a vector ``(n,)``: ``fan_in = fan_out = n``.

    Parameters
    ----------
    shape : tuple of int

    Returns
    -------
    tuple of int
        ``(fan_in, fan_out)``.

    Examples
    --------
    >>> compute_fans((784, 128))
    (784, 128)
    >>> compute_fans((3, 3, 32, 64))   # a 3x3 convolution from 32 to 64 channels
    (288, 576)
    """
    shape = _check_shape(shape)
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


def zeros(shape, rng=None):
    """All zeros. Every unit of a layer starts identical: see the chapter on symmetry."""
    return np.zeros(_check_shape(shape))


def ones(shape, rng=None):
    """All ones. Every unit of a layer starts identical, and activations grow with fan-in."""
    return np.ones(_check_shape(shape))


#: Keras' defaults for the fixed-scale initializers: ``RandomUniform(-0.05, 0.05)`` and
#: ``RandomNormal(stddev=0.05)``. :func:`uniform`, :func:`normal` and
#: :func:`target_variance` all read them from here.
UNIFORM_LIMIT = 0.05
NORMAL_STD = 0.05


def uniform(shape, rng=None, *, low=-UNIFORM_LIMIT, high=UNIFORM_LIMIT):
    """:math:`U(low, high)`, Keras' ``RandomUniform`` default range, whatever the fans."""
    low = check_number(low, "low")
    high = check_number(high, "high")
    if not low < high:
        raise ValueError(f"Arguments `low` and `high` must satisfy low < high. "
                         f"Received: low={low}, high={high}")
    return as_rng(rng).uniform(low, high, _check_shape(shape))


def normal(shape, rng=None, *, std=NORMAL_STD):
    r""":math:`\mathcal N(0, \text{std}^2)`, Keras' ``RandomNormal`` default, whatever the fans."""
    std = check_number(std, "std", low=0.0, low_open=True)
    return as_rng(rng).normal(0.0, std, _check_shape(shape))


def _truncated_normal(rng, std, shape):
    """N(0, std^2) redrawn until every value lies within two standard deviations."""
    out = rng.standard_normal(shape)
    bad = np.abs(out) > 2.0
    while bad.any():
        out[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2.0
    return out * std


def glorot_uniform(shape, rng=None):
    r"""Glorot (Xavier) uniform: :math:`U(-r, r)`, :math:`r = \sqrt{6/(n_\text{in}+n_\text{out})}`.

    The variance :math:`r^2/3 = 2/(n_\text{in}+n_\text{out})` is a compromise between
    keeping the forward signal's variance (:math:`n_\text{in}\operatorname{Var}W = 1`)
    and the backward gradient's (:math:`n_\text{out}\operatorname{Var}W = 1`), derived
    for activations that are linear near zero, like tanh.

    References
    ----------
    Glorot & Bengio (2010), "Understanding the difficulty of training deep feedforward
    neural networks", AISTATS, eq. 16. https://proceedings.mlr.press/v9/glorot10a.html
    """
    fan_in, fan_out = compute_fans(shape)
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return as_rng(rng).uniform(-limit, limit, _check_shape(shape))


def glorot_normal(shape, rng=None):
    r"""Glorot normal: truncated normal with variance :math:`2/(n_\text{in}+n_\text{out})`.

    As in Keras, the normal is truncated at two standard deviations and its scale
    divided by 0.8796 so that the truncated distribution has exactly that variance.
    """
    fan_in, fan_out = compute_fans(shape)
    std = math.sqrt(2.0 / (fan_in + fan_out)) / TRUNCATED_STD
    return _truncated_normal(as_rng(rng), std, _check_shape(shape))


def he_uniform(shape, rng=None):
    r"""He uniform: :math:`U(-r, r)`, :math:`r = \sqrt{6/n_\text{in}}`, variance :math:`2/n_\text{in}`.

    References
    ----------
    He, Zhang, Ren & Sun (2015), "Delving Deep into Rectifiers", ICCV, eq. 10.
    """
    fan_in, _ = compute_fans(shape)
    limit = math.sqrt(6.0 / fan_in)
    return as_rng(rng).uniform(-limit, limit, _check_shape(shape))


def he_normal(shape, rng=None):
    r"""He normal: truncated normal with variance :math:`2/n_\text{in}`, for ReLU layers.

    A ReLU zeroes half of a symmetric input, halving the second moment it passes
    on; doubling the weights' variance relative to :math:`1/n_\text{in}` makes up
    for it, so the signal keeps its scale through any number of layers.

    References
    ----------
    He, Zhang, Ren & Sun (2015), "Delving Deep into Rectifiers", ICCV, eq. 10.
    """
    fan_in, _ = compute_fans(shape)
    std = math.sqrt(2.0 / fan_in) / TRUNCATED_STD
    return _truncated_normal(as_rng(rng), std, _check_shape(shape))


def lecun_normal(shape, rng=None):
    r"""LeCun normal: truncated normal with variance :math:`1/n_\text{in}`.

    The oldest of the fan-scaled schemes: LeCun et al. (1998, §4.6) recommend weights
    with standard deviation :math:`n_\text{in}^{-1/2}`, so that a unit's input has
    unit variance when its inputs do. Keras' ``LecunNormal`` (truncated at two
    standard deviations, like :func:`he_normal`); the initialization SELU networks need.

    References
    ----------
    LeCun, Bottou, Orr & Müller (1998), "Efficient BackProp", in Neural Networks:
    Tricks of the Trade, §4.6.
    """
    fan_in, _ = compute_fans(shape)
    std = math.sqrt(1.0 / fan_in) / TRUNCATED_STD
    return _truncated_normal(as_rng(rng), std, _check_shape(shape))


def orthogonal(shape, rng=None, *, gain=1.0):
    r"""A random orthogonal matrix (times ``gain``), as Keras' ``Orthogonal``.

    The QR decomposition of a matrix of standard normal numbers, with the signs of
    :math:`R`'s diagonal moved into :math:`Q` so that :math:`Q` is uniformly
    distributed. A square orthogonal matrix keeps the length of every vector it
    multiplies, so a deep *linear* network of them neither shrinks nor grows any
    signal, forward or backward (Saxe, McClelland & Ganguli 2014). For a kernel of
    more than two dimensions the leading ones are flattened into rows. Each entry of
    an :math:`n \times n` orthogonal matrix has variance :math:`1/n`.

    Parameters
    ----------
    shape : tuple of int
    rng : numpy.random.Generator, int or None
    gain : float, default 1
        Multiplies the matrix: :math:`\sqrt2` for ReLU, as with He's factor 2.

    References
    ----------
    Saxe, McClelland & Ganguli (2014), "Exact solutions to the nonlinear dynamics of
    learning in deep linear neural networks", ICLR.
    """
    shape = _check_shape(shape)
    gain = check_number(gain, "gain", low=0.0, low_open=True)
    rows = math.prod(shape[:-1]) if len(shape) > 1 else 1
    cols = shape[-1]
    a = as_rng(rng).standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return gain * q.reshape(shape)


INITIALIZERS = {
    "zeros": zeros,
    "ones": ones,
    "uniform": uniform,
    "normal": normal,
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "lecun_normal": lecun_normal,
    "orthogonal": orthogonal,
}
"""Registry of the initializers, in the chapter's order."""


def get(name):
    """Return the initializer registered under ``name``; the error lists the names."""
    check_choice(name, "name", INITIALIZERS)
    return INITIALIZERS[name]


def target_variance(name, shape):
    """The variance the initializer ``name`` is designed to give a tensor of ``shape``,
    with its default parameters (``uniform`` and ``normal`` at Keras' defaults).

    Examples
    --------
    >>> target_variance("he_normal", (100, 10))
    0.02
    """
    fan_in, fan_out = compute_fans(shape)
    return {
        "zeros": 0.0,
        "ones": 0.0,
        "uniform": (2 * UNIFORM_LIMIT) ** 2 / 12,   # the defaults; other ranges: (b - a)^2 / 12
        "normal": NORMAL_STD ** 2,
        "glorot_uniform": 2.0 / (fan_in + fan_out),
        "glorot_normal": 2.0 / (fan_in + fan_out),
        "he_uniform": 2.0 / fan_in,
        "he_normal": 2.0 / fan_in,
        "lecun_normal": 1.0 / fan_in,
        # entries of an orthogonal (rows x cols) matrix: each unit-length column has
        # rows entries (or each row, cols entries), so the variance is 1 / max(rows, cols)
        "orthogonal": 1.0 / max(math.prod(_check_shape(shape)[:-1]) if len(_check_shape(shape)) > 1
                                else 1, _check_shape(shape)[-1]),
    }[check_choice(name, "name", INITIALIZERS)]


def depth_experiment(initializer="glorot_uniform", activation="tanh", *, depth=50, width=256,
                     batch=512, alpha=_act.DEFAULT_ALPHA, normalize=False, top="output", rng=0):
    r"""Push random inputs through a deep MLP and back; return per-layer statistics.

    Inputs :math:`x \sim \mathcal N(0, 1)`, ``depth`` dense layers of ``width``
    units without biases, weights from ``initializer``, activation ``activation``,
    loss :math:`\frac{1}{2B}\lVert h_L\rVert^2` (as in
    :func:`dlbook_utils.activations.backprop_stack`).

    Parameters
    ----------
    initializer : str or callable, default "glorot_uniform"
        A key of :data:`INITIALIZERS`, or a callable ``f(shape, rng)`` returning an
        array of that shape (for example ``lambda s, g: normal(s, g, std=1.0)``).
    activation : str, default "tanh"
        A name known to :func:`dlbook_utils.activations.get`.
    depth : int, default 50
        1 to 500 layers.
    width : int, default 256
        1 to 4096 units per layer.
    batch : int, default 512
        1 to 100000 random inputs.
    alpha : float, default 0.01
        Leaky-ReLU slope (used only by ``"leaky_relu"``).
    normalize : bool, default False
        Standardize every layer's pre-activations over the batch, as batch
        normalization does in training (see
        :func:`dlbook_utils.activations.backprop_stack`).
    top : {"output", "random"}, default "output"
        The gradient the backward pass starts from: ``"output"``, that of the loss
        :math:`\frac{1}{2B}\lVert h_L\rVert^2` (the top gradient is the output itself);
        ``"random"``, a fixed standard normal one, independent of the forward pass (the
        loss :math:`\frac1B\sum g\odot h_L`), which isolates what the backward pass
        does to a gradient.
    rng : numpy.random.Generator, int or None, default 0
        Draws the inputs, the weights and the random top gradient.

    Returns
    -------
    dict
        ``"activation_std"``, ``"grad_norm"`` and ``"signal_grad_norm"`` per layer
        (layer 1 first), ``"activations"`` (the outputs of every layer), ``"weights"``,
        ``"inputs"`` and ``"top_grad"`` (the random top gradient, or ``None``).

    Examples
    --------
    >>> out = depth_experiment("he_normal", "relu", depth=30, width=128, rng=0)
    >>> bool(0.5 < out["activation_std"][-1] / out["activation_std"][0] < 2)
    True
    """
    init = initializer if callable(initializer) else \
        INITIALIZERS[check_choice(initializer, "initializer", INITIALIZERS)]
    check_choice(activation, "activation", {**_act.ACTIVATIONS, **_act.MODERN})
    depth = check_int(depth, "depth", low=1, high=500)
    width = check_int(width, "width", low=1, high=4096)
    batch = check_int(batch, "batch", low=1, high=100_000)
    rng = as_rng(rng)
    x = rng.standard_normal((batch, width))
    weights = [np.asarray(init((width, width), rng), dtype=float) for _ in range(depth)]
    check_choice(top, "top", ["output", "random"])
    top_grad = rng.standard_normal((batch, width)) if top == "random" else None
    with np.errstate(over="ignore", invalid="ignore"):
        # "ones" makes activations grow like width**depth: inf and nan are the honest answer.
        result = _act.backprop_stack(x, weights, activation, alpha=alpha,
                                     normalize=bool(normalize), top_grad=top_grad)
    result["top_grad"] = top_grad
    return result
