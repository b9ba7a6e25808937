"""Figures of the chapter ``chapters/regularization.ipynb``: a penalized polynomial fit
beside its coefficients, curves over a swept penalty strength, a layer before and after
dropout, and histograms of the weights that L1 and L2 leave. The numerics are in
:mod:`dlbook_utils.regularization`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._validation import as_float_array, check_int, check_number
from ._style import MAX_WIDTH, PALETTE, _log_curve, _new_axes

__all__ = ["plot_dropout", "plot_regularized_fit", "plot_sweep", "plot_weight_histograms"]


def plot_regularized_fit(x, y, x_grid, y_grid, coef, *, truth=None, title=None, coef_ylim=None,
                         figsize=None):
    """A fitted curve through training points (left) and its coefficients (right).

    Parameters
    ----------
    x, y : 1-D array_like
        Training points.
    x_grid, y_grid : 1-D array_like
        The fitted function, sampled.
    coef : 1-D array_like
        The model's weights; exact zeros are drawn as hollow markers and counted.
    truth : 1-D array_like, optional
        The noiseless function on ``x_grid``.
    title : str, optional
    coef_ylim : (float, float), optional
        Fixed range of the coefficient axis (symlog scale).
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.ticker import MaxNLocator

    x, y = as_float_array(x, "x"), as_float_array(y, "y")
    xg, yg = as_float_array(x_grid, "x_grid"), as_float_array(y_grid, "y_grid")
    c = as_float_array(coef, "coef")
    if x.shape != y.shape or xg.shape != yg.shape or c.ndim != 1:
        raise ValueError("Arguments `x`/`y` and `x_grid`/`y_grid` must be pairs of equal-length "
                         "1-D arrays and `coef` 1-D. Received shapes "
                         f"{x.shape}, {y.shape}, {xg.shape}, {yg.shape}, {c.shape}")
    fig, (left, right) = _new_axes(2, figsize or (8.0, 3.2))
    if truth is not None:
        left.plot(xg, as_float_array(truth, "truth"), color="0.6", lw=1.5, ls="--",
                  label="true function")
    left.plot(xg, yg, color=PALETTE[1], lw=2, label="fit")
    left.scatter(x, y, s=16, color="k", zorder=3, label="training points")
    lo, hi = y.min(), y.max()
    pad = 0.6 * (hi - lo)
    left.set(ylim=(lo - pad, hi + pad), xlabel="x", ylabel="y")
    left.legend(fontsize=8, loc="upper left")
    k = np.arange(1, c.size + 1)
    zero = c == 0
    right.axhline(0, color="k", lw=0.6)
    right.vlines(k, 0, c, color=PALETTE[0], lw=2)
    right.scatter(k[~zero], c[~zero], color=PALETTE[0], zorder=3, s=18)
    right.scatter(k[zero], c[zero], facecolor="white", edgecolor=PALETTE[0], zorder=3, s=18)
    right.set_yscale("symlog", linthresh=1e-2)
    if coef_ylim is not None:
        right.set_ylim(*coef_ylim)
    right.set(xlabel="coefficient of $x^k$, k", ylabel="value",
              title=f"{int(zero.sum())} of {c.size} exactly zero")
    right.xaxis.set_major_locator(MaxNLocator(integer=True))      # k is a whole number
    if title:
        fig.suptitle(title)
    return fig


def plot_sweep(values, curves: Mapping, *, xlabel="λ", ylabel="error", mark=None,
               linthresh=None, log_y=True, figsize=None):
    """Curves over a swept setting (such as a penalty strength), on a logarithmic x axis.

    Parameters
    ----------
    values : sequence of float
        The setting's values, non-negative, in increasing order. A 0 is drawn on a
        "symlog" axis, linear below ``linthresh``.
    curves : mapping of str to sequence of float
        Label → one value per setting.
    xlabel, ylabel : str
    mark : float, optional
        A value of ``values`` to mark with a vertical line (the chosen setting).
    linthresh : float, optional
        The symlog axis' linear range (default: the smallest positive value).
    log_y : bool, default True
        Logarithmic y axis (errors that span orders of magnitude); values it cannot
        show are left out and the legend says so.
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = as_float_array(values, "values")
    if x.ndim != 1 or x.size < 2 or np.any(x < 0) or np.any(np.diff(x) <= 0):
        raise ValueError("Argument `values` must be at least 2 non-negative numbers in "
                         f"increasing order. Received: values={list(values)!r}")
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError("Argument `curves` must be a non-empty mapping of label to values. "
                        f"Received: curves={curves!r}")
    fig, (ax,) = _new_axes(1, figsize or (5.5, 3.4))
    for i, (label, ys) in enumerate(curves.items()):
        y = as_float_array(ys, f"curves[{label!r}]")
        if y.shape != x.shape:
            raise ValueError(f"Argument `curves[{label!r}]` must have one value per setting "
                             f"({x.size}). Received shape {y.shape}")
        style = dict(color=f"C{i}", marker="osD^"[i % 4], ls=["-", "--"][i % 2])
        if log_y:
            _log_curve(ax, y, label, x=x, **style)
        else:
            ax.plot(x, y, label=label, **style)
    if mark is not None:
        ax.axvline(check_number(mark, "mark", low=0.0), color="0.4", lw=1, ls=":",
                   label=f"chosen: {mark:g}")
    lin = linthresh or float(x[x > 0].min())
    ax.set_xscale("symlog", linthresh=lin)
    ax.set_xlim(-0.3 * lin if x[0] == 0 else x[0] / 2, x[-1] * 2)  # no negative half
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=True, framealpha=0.85)
    return fig


def plot_dropout(h, dropped, p, *, figsize=None):
    """A layer's activations before (left) and after (right) one dropout mask.

    Parameters
    ----------
    h, dropped : 2-D array_like of the same shape
        Activations (examples × units) and the same after dropout.
    p : float
        The drop rate used, in [0, 1).

    Returns
    -------
    matplotlib.figure.Figure
    """
    h, d = as_float_array(h, "h"), as_float_array(dropped, "dropped")
    if h.ndim != 2 or h.shape != d.shape:
        raise ValueError("Arguments `h` and `dropped` must be 2-D arrays of one shape. "
                         f"Received shapes {h.shape} and {d.shape}")
    p = check_number(p, "p", low=0.0, high=1.0, high_open=True)
    fig, (left, right) = _new_axes(2, figsize or (8.0, 3.0))
    vmax = max(h.max(), d.max(), 1e-12)
    for ax, a, title in [(left, h, f"activations: mean {h.mean():.3f}"),
                         (right, d, f"after dropout, p = {p:g}: mean {d.mean():.3f}")]:
        im = ax.imshow(a, cmap="viridis", vmin=0, vmax=vmax, aspect="auto",
                       interpolation="nearest")
        ax.set(title=title, xlabel="unit", ylabel="example")
        ax.grid(False)
    fig.colorbar(im, ax=[left, right], shrink=0.9)
    return fig


def plot_weight_histograms(weights: Mapping, *, zero_tol=1e-3, bins=81, limit=None, figsize=None):
    """Histograms of weight values, one panel per model, with the near-zero share.

    Parameters
    ----------
    weights : mapping of str to array_like
        Label → the weights (any shape) of one model or layer.
    zero_tol : float, default 1e-3
        Weights with ``|w| < zero_tol`` are counted as (near) zero in the title;
        exact zeros are counted separately.
    bins : int, default 81
    limit : float, optional
        The x axis spans ``[-limit, limit]`` (default: the largest |w|); values beyond are
        counted in the title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(weights, Mapping) or not 1 <= len(weights) <= 6:
        raise TypeError("Argument `weights` must be a mapping of 1 to 6 labels to arrays. "
                        f"Received: weights={type(weights).__name__}")
    zero_tol = check_number(zero_tol, "zero_tol", low=0.0, low_open=True)
    arrays = {k: as_float_array(v, f"weights[{k!r}]").ravel() for k, v in weights.items()}
    lim = check_number(limit, "limit", low=0.0, low_open=True) if limit is not None else \
        max(float(np.abs(a).max()) for a in arrays.values()) or 1.0
    fig, axes = _new_axes(len(arrays), figsize or (min(MAX_WIDTH, 2.9 * len(arrays)), 2.8))
    edges = np.linspace(-lim, lim, check_int(bins, "bins", low=2) + 1)
    for i, (ax, (label, a)) in enumerate(zip(axes, arrays.items())):
        outside = int(np.sum(np.abs(a) > lim))
        ax.hist(a, bins=edges, color=f"C{i}")
        ax.set_yscale("log")
        near = np.mean(np.abs(a) < zero_tol)
        extra = f", {outside} beyond ±{lim:.2g}" if outside else ""
        ax.set_title(f"{label}\n|w| < {zero_tol:g}: {near:.0%}; exactly 0: {int(np.sum(a == 0))}"
                     f"{extra}", fontsize=8)
        ax.set_xlabel("weight")
    axes[0].set_ylabel("count")
    return fig
