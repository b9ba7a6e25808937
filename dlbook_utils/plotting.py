"""Figures shared by the chapters.

Every function returns the matplotlib ``Figure`` it drew (and never calls
``plt.show``), so the same code serves a live notebook, the static book and
the pre-computed frames of :mod:`dlbook_utils.widgets`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import activations as _act
from ._validation import as_float_array, check_int, check_number, make_rng

__all__ = [
    "network_diagram",
    "plot_activations",
    "plot_layer_norms",
    "regression_vs_classification",
    "setup_notebook",
]

#: One colour per activation, kept the same in every figure of the book.
COLORS = {"sigmoid": "#1f77b4", "tanh": "#ff7f0e", "relu": "#2ca02c", "leaky_relu": "#d62728"}


def setup_notebook(seed=0):
    """Apply the book's matplotlib style and return a seeded random generator.

    Call it once at the top of a chapter. It is the only place the package
    changes global state.

    Parameters
    ----------
    seed : int or numpy.random.Generator, default 0
        Seed for the returned generator (or a generator, returned as is).

    Returns
    -------
    numpy.random.Generator
    """
    import matplotlib as mpl
    import matplotlib.pyplot  # noqa: F401  (activates Jupyter's inline figure display)

    rng = make_rng(seed)
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.2),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "font.size": 10,
        }
    )
    return rng


def _new_axes(ncols, figsize=None):
    # A bare Figure, not plt.subplots: pyplot would keep every figure alive and
    # show it a second time at the end of the cell. Jupyter displays a returned
    # Figure once the inline backend is active (see setup_notebook).
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize or (7.0, 3.2), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, axes


def plot_activations(names=None, *, x_max=6.0, alpha=_act.DEFAULT_ALPHA, num=601,
                     derivatives=True, figsize=None):
    """Plot activation functions (left) and their derivatives (right).

    Parameters
    ----------
    names : sequence of str, optional
        Keys of :data:`dlbook_utils.activations.ACTIVATIONS`; default all four.
    x_max : float, default 6
        The x axis spans ``[-x_max, x_max]``; must be positive.
    alpha : float, default 0.01
        Leaky-ReLU slope, in [0, 1).
    num : int, default 601
        Number of sample points, at least 2.
    derivatives : bool, default True
        Draw the derivative panel.
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if names is None:
        names = list(_act.ACTIVATIONS)
    if isinstance(names, str) or not isinstance(names, Sequence) or len(names) == 0:
        raise TypeError(
            "Argument `names` must be a non-empty list of activation names from "
            f"{list(_act.ACTIVATIONS)}. Received: names={names!r}"
        )
    entries = [_act.get(n) for n in names]
    x_max = check_number(x_max, "x_max", low=0.0, low_open=True)
    alpha = check_number(alpha, "alpha", low=0.0, high=1.0, high_open=True)
    num = check_int(num, "num", low=2)

    x = np.linspace(-x_max, x_max, num)
    fig, axes = _new_axes(2 if derivatives else 1, figsize)
    panels = [("f(x)", "fn"), ("f′(x)", "grad")][: len(axes)]
    for ax, (ylabel, which) in zip(axes, panels):
        for a in entries:
            f = getattr(a, which)
            y = f(x, alpha) if a.name == "leaky_relu" else f(x)
            leaky = a.name == "leaky_relu"
            label = f"{a.label} (α={alpha:g})" if leaky else a.label
            style = {"color": COLORS[a.name], "lw": 2, "ls": "--" if leaky else "-"}
            # Leaky ReLU is dashed so that ReLU stays visible where the two coincide.
            if which == "grad" and a.name in ("relu", "leaky_relu"):
                # No derivative at the kink: draw the two sides apart, without a jump line.
                ax.plot(x[x < 0], y[x < 0], label=label, **style)
                ax.plot(x[x > 0], y[x > 0], **style)
            else:
                ax.plot(x, y, label=label, **style)
        ax.axhline(0, color="k", lw=0.6)
        ax.axvline(0, color="k", lw=0.6)
        ax.set_xlabel("x")
        ax.set_ylabel(ylabel)
        ax.set_xlim(-x_max, x_max)
    axes[0].set_title("activation")
    axes[0].set_ylim(-1.5, max(1.5, min(x_max, 6.0)))
    axes[0].legend(loc="upper left")
    if derivatives:
        axes[1].set_title("derivative")
        axes[1].set_ylim(-0.1, 1.1)
    return fig


def plot_layer_norms(norms: Mapping, *, ylabel="gradient norm", xlabel="layer", log=True,
                     figsize=None):
    """Plot one curve per entry of ``norms`` (a name → per-layer values mapping).

    Parameters
    ----------
    norms : mapping of str to 1-D array_like of positive float
        For example ``{"sigmoid": [...], "relu": [...]}``, layer 1 first.
    ylabel, xlabel : str
    log : bool, default True
        Logarithmic y axis (values must then be positive).
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(norms, Mapping) or len(norms) == 0:
        raise TypeError(
            "Argument `norms` must be a non-empty mapping of name to per-layer values. "
            f"Received: norms={norms!r}"
        )
    fig, (ax,) = _new_axes(1, figsize or (6.0, 3.2))
    for name, values in norms.items():
        v = as_float_array(values, f"norms[{name!r}]")
        if v.ndim != 1 or v.size == 0:
            raise ValueError(
                f"Argument `norms[{name!r}]` must be a non-empty 1-D array. "
                f"Received an array of shape {v.shape}"
            )
        if log and not np.all(v > 0):
            raise ValueError(
                f"Argument `norms[{name!r}]` must be positive on a log scale (log=True). "
                f"Received minimum {v.min()!r}"
            )
        ax.plot(np.arange(1, v.size + 1), v, "o-", color=COLORS.get(name), label=name)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return fig


def network_diagram(layer_sizes=(3, 5, 5, 2), *, figsize=None):
    """Draw a fully connected network: input layer, hidden layers, output layer.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first; at least two layers, each 1 to 12 units.
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if isinstance(layer_sizes, str) or not isinstance(layer_sizes, Sequence) \
            or len(layer_sizes) < 2:
        raise TypeError(
            "Argument `layer_sizes` must be a sequence of at least two integers. "
            f"Received: layer_sizes={layer_sizes!r}"
        )
    sizes = [check_int(n, "layer_sizes[i]", low=1, high=12) for n in layer_sizes]
    fig, (ax,) = _new_axes(1, figsize or (7.0, 3.6))
    xs = np.arange(len(sizes)) * 2.0
    pos = [np.linspace(-(n - 1) / 2, (n - 1) / 2, n) for n in sizes]
    for i in range(len(sizes) - 1):
        for y0 in pos[i]:
            for y1 in pos[i + 1]:
                ax.plot([xs[i], xs[i + 1]], [y0, y1], color="0.75", lw=0.7, zorder=1)
    last = len(sizes) - 1
    for i, (x, ys) in enumerate(zip(xs, pos)):
        color = "#4c72b0" if i == 0 else "#dd8452" if i == last else "#55a868"
        ax.scatter(np.full_like(ys, x), ys, s=420, color=color, edgecolor="k", zorder=2)
        name = "input layer" if i == 0 else "output layer" if i == last else f"hidden layer {i}"
        ax.text(x, max(len(p) for p in pos) / 2 + 0.3, name, ha="center", va="bottom")
    ax.set_xlim(xs[0] - 1, xs[-1] + 1)
    ax.set_ylim(-max(sizes) / 2 - 0.2, max(sizes) / 2 + 1.0)
    ax.set_axis_off()
    return fig


def regression_vs_classification(seed=0, *, n=60, figsize=None):
    """Two supervised tasks side by side: fit a line (regression), split two classes.

    Left: noisy points :math:`y = 0.8x + 1 + \\varepsilon` and the least-squares line.
    Right: two Gaussian clouds and the decision boundary of a logistic-regression
    classifier fitted by gradient descent on the cross-entropy.

    Parameters
    ----------
    seed : int or numpy.random.Generator, default 0
    n : int, default 60
        Points per panel (per class on the right), 4 to 10000.
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    rng = make_rng(seed)
    n = check_int(n, "n", low=4, high=10_000)
    fig, (left, right) = _new_axes(2, figsize or (8.0, 3.4))

    x = rng.uniform(-3, 3, n)
    y = 0.8 * x + 1.0 + rng.normal(0, 0.6, n)
    slope, intercept = np.polyfit(x, y, 1)
    grid = np.linspace(-3, 3, 2)
    left.scatter(x, y, s=14, color="0.35", label="examples $(x_i, y_i)$")
    left.plot(grid, slope * grid + intercept, color="#d62728", lw=2,
              label=f"fit $\\hat y = {slope:.2f}x + {intercept:.2f}$")
    left.set(title="regression: predict a number", xlabel="x", ylabel="y")
    left.legend(loc="upper left")

    pts = np.concatenate([rng.normal([-1.0, -0.8], 0.8, (n, 2)),
                          rng.normal([1.2, 1.0], 0.8, (n, 2))])
    labels = np.repeat([0.0, 1.0], n)
    w, b = np.zeros(2), 0.0
    from .activations import sigmoid

    for _ in range(500):  # logistic regression by full-batch gradient descent
        err = sigmoid(pts @ w + b) - labels
        w -= 0.5 * pts.T @ err / labels.size
        b -= 0.5 * err.mean()
    for cls, color, marker in [(0, "#1f77b4", "o"), (1, "#ff7f0e", "s")]:
        sel = labels == cls
        right.scatter(pts[sel, 0], pts[sel, 1], s=14, color=color, marker=marker,
                      label=f"class {cls}")
    xs = np.linspace(-4, 4, 2)
    right.plot(xs, -(w[0] * xs + b) / w[1], color="k", lw=2, label="decision boundary")
    right.set(title="classification: predict a class", xlabel="$x_1$", ylabel="$x_2$",
              xlim=(-4, 4), ylim=(-4, 4))
    right.legend(loc="lower right")
    return fig
