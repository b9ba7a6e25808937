"""Figures of the first chapter, ``chapters/intro.ipynb``: a fully connected network's
diagram and the two supervised tasks (regression and classification) that
:func:`dlbook_utils.basics.toy_tasks` fits. Its training curves are drawn by
:func:`dlbook_utils.plotting.training.plot_histories`, shared with the later chapters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .._validation import check_int
from ._style import PALETTE, _new_axes

__all__ = ["network_diagram", "regression_vs_classification"]


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
    sizes = [check_int(n, f"layer_sizes[{i}]", low=1, high=12) for i, n in enumerate(layer_sizes)]
    fig, (ax,) = _new_axes(1, figsize or (7.0, 3.6))
    xs = np.arange(len(sizes)) * 2.0
    pos = [np.linspace(-(n - 1) / 2, (n - 1) / 2, n) for n in sizes]
    for i in range(len(sizes) - 1):
        for y0 in pos[i]:
            for y1 in pos[i + 1]:
                ax.plot([xs[i], xs[i + 1]], [y0, y1], color="0.75", lw=0.7, zorder=1)
    last = len(sizes) - 1
    for i, (x, ys) in enumerate(zip(xs, pos)):
        color = PALETTE[0] if i == 0 else PALETTE[3] if i == last else PALETTE[2]
        ax.scatter(np.full_like(ys, x), ys, s=420, color=color, edgecolor="k", zorder=2)
        name = "input layer" if i == 0 else "output layer" if i == last else f"hidden layer {i}"
        ax.text(x, max(len(p) for p in pos) / 2 + 0.3, name, ha="center", va="bottom")
    ax.set_xlim(xs[0] - 1, xs[-1] + 1)
    ax.set_ylim(-max(sizes) / 2 - 0.2, max(sizes) / 2 + 1.0)
    ax.set_axis_off()
    return fig


def regression_vs_classification(tasks, *, figsize=None):
    """Two supervised tasks side by side: a fitted line (regression), two classes split
    by a learned boundary (classification).

    Parameters
    ----------
    tasks : dict
        The result of :func:`dlbook_utils.basics.toy_tasks` (data and fitted models);
        this function only draws it.
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(tasks, Mapping) or not {"regression", "classification"} <= set(tasks):
        raise TypeError("Argument `tasks` must be the dict returned by "
                        f"dlbook_utils.basics.toy_tasks. Received: tasks={type(tasks).__name__}")
    reg, cls = tasks["regression"], tasks["classification"]
    fig, (left, right) = _new_axes(2, figsize or (8.0, 3.4))

    grid = np.linspace(-3, 3, 2)
    left.scatter(reg["x"], reg["y"], s=14, color="0.35", label="examples $(x_i, y_i)$")
    left.plot(grid, reg["slope"] * grid + reg["intercept"], color=PALETTE[1], lw=2,
              label=f"fit $\\hat y = {reg['slope']:.2f}x + {reg['intercept']:.2f}$")
    left.set(title="regression: predict a number", xlabel="x", ylabel="y")
    left.legend(loc="upper left")

    pts, labels, (w, b) = cls["points"], cls["labels"], cls["weights"]
    for k, color, marker in [(0, PALETTE[0], "o"), (1, PALETTE[3], "s")]:
        sel = labels == k
        right.scatter(pts[sel, 0], pts[sel, 1], s=14, color=color, marker=marker,
                      label=f"class {k}")
    xs = np.linspace(-4, 4, 2)
    right.plot(xs, -(w[0] * xs + b) / w[1], color="k", lw=2, label="decision boundary")
    right.set(title="classification: predict a class", xlabel="$x_1$", ylabel="$x_2$",
              xlim=(-4, 4), ylim=(-4, 4))
    right.legend(loc="lower left", frameon=True, framealpha=0.9)   # the corner the line avoids
    return fig
