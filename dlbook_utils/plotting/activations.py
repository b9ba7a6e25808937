"""Figures of the chapter ``chapters/activations.ipynb``: the activation functions and
their derivatives, and per-layer curves (gradient norms, activation spreads) with one
colour, marker and line style per activation (:data:`COLORS`, :data:`STYLES`), the same
in every figure of the book. The numerics are in :mod:`dlbook_utils.activations`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .. import activations as _act
from .._validation import as_float_array, check_int, check_number
from ._style import MAX_WIDTH, _log_curve, _new_axes

__all__ = ["plot_activations", "plot_layer_norms"]

#: One colour per activation, kept the same in every figure of the book.
COLORS = {"sigmoid": "#0072B2", "tanh": "#E69F00", "relu": "#009E73", "leaky_relu": "#D55E00",
          "gelu": "#CC79A7", "silu": "#56B4E9"}

#: Line styles per activation for per-layer curves: colour, marker and dashes differ, and
#: ReLU's open circles stay visible under Leaky ReLU's dashed line where the two coincide.
STYLES = {
    "sigmoid": dict(color=COLORS["sigmoid"], marker="o", ms=4, lw=1.6),
    "tanh": dict(color=COLORS["tanh"], marker="s", ms=4, lw=1.6),
    "relu": dict(color=COLORS["relu"], marker="o", ms=7, mfc="none", lw=2.4),
    "leaky_relu": dict(color=COLORS["leaky_relu"], marker="x", ms=5, lw=1.4, ls="--"),
}


def plot_activations(names=None, *, x_max=6.0, alpha=_act.DEFAULT_ALPHA, num=601,
                     derivatives=True, figsize=None):
    """Plot activation functions (left) and their derivatives (right).

    Parameters
    ----------
    names : sequence of str, optional
        Names known to :func:`dlbook_utils.activations.get` (the four classic ones of
        ``ACTIVATIONS``, and ``"gelu"``, ``"silu"``); default the four classic ones.
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
    grad_range = [-0.1, 1.1]
    for ax, (ylabel, which) in zip(axes, panels):
        for a in entries:
            y = a.value(x, alpha) if which == "fn" else a.derivative(x, alpha)
            if which == "grad":  # GELU's and SiLU's derivatives leave [0, 1]
                grad_range = [min(grad_range[0], y.min() - 0.05), max(grad_range[1], y.max() + 0.05)]
            leaky = a.takes_alpha
            label = f"{a.label} (α={alpha:g})" if leaky else a.label
            style = {"color": COLORS[a.name], "lw": 2, "ls": "--" if leaky else "-"}
            # Leaky ReLU is dashed so that ReLU stays visible where the two coincide.
            if which == "grad" and a.name in ("relu", "leaky_relu"):  # the two with a kink
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
        axes[1].set_ylim(*grad_range)
    return fig


def plot_layer_norms(norms, *, ylabel="gradient norm", xlabel="layer", log=True,
                     titles=None, figsize=None):
    """Per-layer values, one curve per activation; one panel per mapping.

    Every activation has its own colour, marker and line style (see :data:`STYLES`), so
    curves that coincide, such as ReLU's and Leaky ReLU's, both stay visible.

    Parameters
    ----------
    norms : mapping of str to 1-D array_like of positive float, or a sequence of them
        For example ``{"sigmoid": [...], "relu": [...]}``, layer 1 first. A list of such
        mappings (1 to 3) draws one panel each, side by side.
    ylabel : str or sequence of str
        One label, or one per panel.
    xlabel : str
    log : bool, default True
        Logarithmic y axis; values it cannot show (0, negative, NaN, inf) are left out
        and the legend entry says so.
    titles : sequence of str, optional
        One title per panel.
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.ticker import MaxNLocator

    panels = [norms] if isinstance(norms, Mapping) else norms
    if (not isinstance(panels, Sequence) or not 1 <= len(panels) <= 3
            or not all(isinstance(p, Mapping) and len(p) > 0 for p in panels)):
        raise TypeError(
            "Argument `norms` must be a non-empty mapping of name to per-layer values, or a "
            f"list of 1 to 3 such mappings. Received: norms={norms!r}"
        )
    ylabels = [ylabel] * len(panels) if isinstance(ylabel, str) else list(ylabel)
    if len(ylabels) != len(panels):
        raise ValueError(f"Argument `ylabel` must be one label or one per panel ({len(panels)}). "
                         f"Received: ylabel={ylabel!r}")
    if titles is not None and (isinstance(titles, str) or len(titles) != len(panels)):
        raise ValueError(f"Argument `titles` must give one title per panel ({len(panels)}). "
                         f"Received: titles={titles!r}")
    width = min(MAX_WIDTH, 4.1 * len(panels)) if len(panels) > 1 else 6.0
    fig, axes = _new_axes(len(panels), figsize or (width, 3.4))
    for k, (ax, panel) in enumerate(zip(axes, panels)):
        for name, values in panel.items():
            v = as_float_array(values, f"norms[{name!r}]")
            if v.ndim != 1 or v.size == 0:
                raise ValueError(
                    f"Argument `norms[{name!r}]` must be a non-empty 1-D array. "
                    f"Received an array of shape {v.shape}"
                )
            if log:  # values a log axis cannot show are left out, and the legend says so
                _log_curve(ax, v, name, **STYLES.get(name, {}))
            else:
                ax.plot(np.arange(1, v.size + 1), v, label=name, **STYLES.get(name, {}))
        if log:
            ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabels[k])
        if titles is not None:
            ax.set_title(titles[k])
        ax.legend()
    return fig
