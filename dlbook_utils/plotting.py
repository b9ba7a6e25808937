"""Figures shared by the chapters.

Every function returns the matplotlib ``Figure`` it drew (and never calls
``plt.show``), so the same code serves a live notebook, the static book and
the pre-computed frames of :mod:`dlbook_utils.widgets`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import activations as _act
from ._validation import as_float_array, check_int, check_number

__all__ = [
    "network_diagram",
    "plot_activations",
    "plot_confusion",
    "plot_digits",
    "plot_depth_statistics",
    "plot_dropout",
    "plot_maps",
    "plot_histories",
    "plot_regularized_fit",
    "plot_sweep",
    "plot_weight_histograms",
    "plot_layer_norms",
    "regression_vs_classification",
    "min_font_size",
    "MAX_WIDTH",
    "MIN_FONT_KEY",
    "PALETTE",
]

#: PNG text key under which the book's figures record their smallest font size (points):
#: the test suite reads it to check that no text is drawn under 9 CSS pixels.
MIN_FONT_KEY = "dlbook:min-font-pt"


def min_font_size(fig):
    """The smallest font size, in points, of the text a figure draws.

    Lays the figure out first (tick labels exist only then), then looks at every visible,
    non-empty text: titles, axis labels, tick labels, legend entries, annotations. On a
    page, a size of ``s`` points in a PNG of ``dpi`` dots per inch shown at ``r`` CSS
    pixels per image pixel is ``s * dpi / 72 * r`` CSS pixels tall (its em size).

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    float
        ``inf`` for a figure with no text.
    """
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    if not isinstance(fig, Figure):
        raise TypeError("Argument `fig` must be a matplotlib.figure.Figure. "
                        f"Received: fig of type {type(fig).__name__}")
    fig.draw_without_rendering()
    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and _shown(t)]
    return float(min(sizes, default=float("inf")))


def _shown(text):
    # A tick label of a tick outside the axis limits is laid out but not drawn.
    axes = text.axes
    if axes is None or not hasattr(text, "get_position"):
        return True
    for axis in (axes.xaxis, axes.yaxis):
        for tick in axis.get_major_ticks() + axis.get_minor_ticks():
            if text in (tick.label1, tick.label2):
                lo, hi = sorted(axis.get_view_interval())
                slack = 1e-9 * (hi - lo)
                return bool(tick.get_visible()) and lo - slack <= tick.get_loc() <= hi + slack
    return True


#: The Okabe–Ito palette (Okabe & Ito 2008, "Color universal design"), distinguishable
#: with the common forms of colour blindness; the book's colour cycle (yellow, too pale
#: on white, left out).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000"]

#: One colour per activation, kept the same in every figure of the book.
COLORS = {"sigmoid": "#0072B2", "tanh": "#E69F00", "relu": "#009E73", "leaky_relu": "#D55E00",
          "gelu": "#CC79A7", "silu": "#56B4E9"}

#: Figures are at most this wide (inches): at 100 dpi they fit the book's text column
#: (741 CSS pixels at a 1366-pixel window) with little shrinking, so that text of
#: 7.5 points or more stays at least 9 CSS pixels tall.
MAX_WIDTH = 8.2

#: Line styles per activation for per-layer curves: colour, marker and dashes differ, and
#: ReLU's open circles stay visible under Leaky ReLU's dashed line where the two coincide.
STYLES = {
    "sigmoid": dict(color=COLORS["sigmoid"], marker="o", ms=4, lw=1.6),
    "tanh": dict(color=COLORS["tanh"], marker="s", ms=4, lw=1.6),
    "relu": dict(color=COLORS["relu"], marker="o", ms=7, mfc="none", lw=2.4),
    "leaky_relu": dict(color=COLORS["leaky_relu"], marker="x", ms=5, lw=1.4, ls="--"),
}


def _new_axes(ncols, figsize=None):
    # A bare Figure, not plt.subplots: pyplot would keep every figure alive and
    # show it a second time at the end of the cell. Jupyter displays a returned
    # Figure once the inline backend is active (see dlbook_utils.notebook.setup_notebook).
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize or (7.0, 3.2), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    for ax in axes:
        ax.set_prop_cycle(color=PALETTE)      # whatever matplotlib's rcParams say
    return fig, axes


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


def _log_curve(ax, values, label, ylim=None, x=None, **style):
    """Plot positive finite values on a log axis; say in the label what could not be drawn
    (zeros, negative values, NaN or overflow, and with ``ylim`` values outside the frame).
    The one policy of every log-scale figure of the package."""
    v = np.asarray(values, dtype=float)
    layers = np.arange(1, v.size + 1) if x is None else np.asarray(x)
    ok = np.isfinite(v) & (v > 0)
    notes = []
    if np.any(v == 0):
        notes.append("all 0" if np.all(v == 0) else "some 0")
    if np.any(v < 0):
        notes.append("some negative")
    if np.any(np.isnan(v)):
        notes.append("NaN" if np.all(np.isnan(v)) else f"NaN from {int(layers[np.isnan(v)][0])}")
    if np.any(np.isinf(v)):
        notes.append("overflow" if np.all(np.isinf(v)) else "overflow from layer "
                     f"{int(layers[np.isinf(v)][0])}")
    if ylim is not None and ok.any():
        if np.any(v[ok] > ylim[1]):
            notes.append("above the frame" if np.all(v[ok] > ylim[1]) else "some above the frame")
        if np.any(v[ok] < ylim[0]):
            notes.append("below the frame" if np.all(v[ok] < ylim[0]) else "some below the frame")
    text = label + (f" ({', '.join(notes)}: not drawn)" if notes else "")
    if ok.any():
        ax.plot(layers[ok], v[ok], label=text, **style)
    else:
        ax.plot([], [], label=text, **style)


def plot_depth_statistics(results: Mapping, *, histogram_layers=None, std_ylim=None,
                          grad_ylim=None, gradient="signal", title=None, figsize=None):
    r"""Per-layer activation spread (left) and gradient size (middle), log scale.

    Parameters
    ----------
    results : mapping of str to dict
        Label → a result of :func:`dlbook_utils.initialization.depth_experiment`
        (keys ``"activation_std"`` and ``"grad_norm"``).
    histogram_layers : sequence of int, optional
        With exactly one result, add a right panel with histograms of these layers'
        outputs (1-based layer numbers; the result needs ``"activations"``).
    std_ylim, grad_ylim : (float, float), optional
        Fixed y ranges, so that figures drawn for different settings compare at a
        glance (a curve leaving the range is seen leaving the frame, and its legend
        entry says so).
    gradient : {"signal", "weight"}, default "signal"
        ``"signal"``: the back-propagated gradient at each layer's output,
        :math:`\lVert\partial\mathcal L/\partial h_l\rVert`, divided by its value at the
        last layer, so the curve shows how the gradient grows or shrinks on its way down
        whatever the loss's scale (needs ``"signal_grad_norm"``). ``"weight"``: the
        weight gradients :math:`\lVert\partial\mathcal L/\partial W_l\rVert`, which
        stay level across layers even when the signal vanishes (Glorot & Bengio 2010,
        §4.2.1).
    title : str, optional
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    A log axis cannot show 0 or infinity. Such values are left out, and the
    curve's legend entry says so ("all 0", "overflow"), so nothing vanishes silently.
    """
    if not isinstance(results, Mapping) or len(results) == 0:
        raise TypeError("Argument `results` must be a non-empty mapping of label to "
                        f"depth_experiment results. Received: results={results!r}")
    hist = None
    if histogram_layers is not None:
        if len(results) != 1:
            raise ValueError("Argument `histogram_layers` needs exactly one result in `results`. "
                             f"Received {len(results)} results")
        (only,) = results.values()
        depth = len(only.get("activations", ()))
        if isinstance(histogram_layers, (str, bytes)) or not isinstance(histogram_layers, Sequence) \
                or not histogram_layers:
            raise TypeError("Argument `histogram_layers` must be a non-empty list of layer "
                            f"numbers. Received: histogram_layers={histogram_layers!r}")
        hist = [check_int(n, f"histogram_layers[{i}]", low=1, high=max(depth, 1))
                for i, n in enumerate(histogram_layers)]
    if gradient not in ("signal", "weight"):
        raise ValueError("Argument `gradient` must be 'signal' or 'weight'. "
                         f"Received: gradient={gradient!r}")
    grad_key = "signal_grad_norm" if gradient == "signal" else "grad_norm"
    limits = {}
    for lim, name in [(std_ylim, "std_ylim"), (grad_ylim, "grad_ylim")]:
        if lim is not None:
            limits[name] = tuple(check_number(v, name, low=0.0, low_open=True) for v in lim)
    fig, axes = _new_axes(3 if hist else 2, figsize or ((MAX_WIDTH, 3.6) if hist else (8.0, 3.4)))
    left, right = axes[0], axes[1]
    markers = "osD^vx*+"
    for i, (label, res) in enumerate(results.items()):
        if not isinstance(res, Mapping) or not {"activation_std", grad_key} <= set(res):
            raise ValueError(f"Argument `results[{label!r}]` must have the keys "
                             f"'activation_std' and {grad_key!r}")
        style = {"color": f"C{i}", "lw": 1.6, "marker": markers[i % len(markers)], "ms": 3.5,
                 "markevery": max(1, len(res["activation_std"]) // 10)}
        grad = np.asarray(res[grad_key], dtype=float)
        if gradient == "signal" and np.isfinite(grad[-1]) and grad[-1] > 0:
            with np.errstate(over="ignore", invalid="ignore"):
                grad = grad / grad[-1]  # (all 0 or overflow: drawn as is, and said so)
        _log_curve(left, res["activation_std"], label, limits.get("std_ylim"), **style)
        _log_curve(right, grad, label, limits.get("grad_ylim"), **style)
    grad_label = ("|∂L/∂h_l| ÷ |∂L/∂h_L| (backward signal)" if gradient == "signal"
                  else "|∂L/∂W_l| (weight gradient)")
    for ax, ylabel in [(left, "std of the layer's outputs"), (right, grad_label)]:
        ax.set_yscale("log")
        ax.set_xlabel("layer")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)
    for ax, name in [(left, "std_ylim"), (right, "grad_ylim")]:
        if name in limits:
            ax.set_ylim(*limits[name])
    if hist:
        ax = axes[2]
        for j, layer in enumerate(hist):
            h = np.asarray(only["activations"][layer - 1]).ravel()
            h = h[np.isfinite(h)]
            if h.size and np.ptp(h) > 0:
                ax.hist(h, bins=60, histtype="step", density=True, lw=1.5, color=f"C{j}",
                        label=f"layer {layer}")
            else:
                value = f"all {h[0]:.3g}" if h.size else "overflow"
                ax.plot([], [], color=f"C{j}", label=f"layer {layer} ({value})")
        ax.set_xlabel("output value")
        ax.set_ylabel("density")
        ax.set_title("outputs of selected layers", fontsize=9)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def plot_histories(histories: Mapping, *, keys=("loss", "val_accuracy"), first_epoch=1,
                   log_loss=True, xlabel="epoch", figsize=None):
    """Training curves, one panel per history key, one line per run.

    Parameters
    ----------
    histories : mapping of str to dict
        Label → a history of :func:`dlbook_utils.training.fit` (lists per epoch).
    keys : sequence of str, default ("loss", "val_accuracy")
        History entries to draw, one panel each (1 to 4). A key ending in ``loss``
        is drawn on a log axis when ``log_loss``; values that cannot be drawn there
        (NaN, inf) are named in the legend.
    first_epoch : int, default 1
        Epoch number of the first entry (0 for histories made with ``evaluate_first``).
    log_loss : bool, default True
    xlabel : str, default "epoch"
    figsize : tuple of float, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(histories, Mapping) or len(histories) == 0:
        raise TypeError("Argument `histories` must be a non-empty mapping of label to history. "
                        f"Received: histories={histories!r}")
    if isinstance(keys, str) or not 1 <= len(keys) <= 4:
        raise TypeError(f"Argument `keys` must be a list of 1 to 4 history keys. Received: keys={keys!r}")
    from matplotlib.ticker import MaxNLocator

    first_epoch = check_int(first_epoch, "first_epoch", low=0)
    fig, axes = _new_axes(len(keys), figsize or (min(MAX_WIDTH, 4.0 * len(keys)), 3.2))
    for ax, key in zip(axes, keys):
        log = log_loss and key.endswith("loss")
        for i, (label, hist) in enumerate(histories.items()):
            if key not in hist:
                raise ValueError(f"Argument `histories[{label!r}]` has no key {key!r}; it has "
                                 f"{sorted(hist)}")
            v = np.asarray(hist[key], dtype=float)
            epochs = np.arange(first_epoch, first_epoch + v.size)
            style = {"color": f"C{i}", "marker": "osD^vx*+"[i % 8], "ms": 3.5, "lw": 1.8,
                     "markevery": max(1, v.size // 12)}
            if log:
                _log_curve(ax, v, label, x=epochs, **style)
            else:
                ax.plot(epochs, v, label=label, **style)
        if log:
            ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.set_title(key.replace("val_", "validation ").replace("_", " "))
        ax.legend(fontsize=8, frameon=True, framealpha=0.85)
    return fig


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


def plot_digits(images, *, titles=None, ncols=8, size=1.0, figsize=None):
    """A grid of grey-scale digits, with an optional title under each.

    Parameters
    ----------
    images : array_like, shape (n, 28, 28) or (n, 28, 28, 1)
        1 to 100 images, values in [0, 1] or [0, 255].
    titles : sequence of str, optional
        One per image.
    ncols : int, default 8
    size : float, default 1.0
        Inches per image.

    Returns
    -------
    matplotlib.figure.Figure
    """
    imgs = as_float_array(images, "images")
    if imgs.ndim == 4 and imgs.shape[-1] == 1:
        imgs = imgs[..., 0]
    if imgs.ndim != 3 or not 1 <= len(imgs) <= 100:
        raise ValueError("Argument `images` must have shape (n, h, w) or (n, h, w, 1) with "
                         f"1 <= n <= 100. Received shape {np.shape(images)}")
    if titles is not None and len(titles) != len(imgs):
        raise ValueError(f"Argument `titles` must have one title per image ({len(imgs)}). "
                         f"Received {len(titles)}")
    ncols = min(check_int(ncols, "ncols", low=1, high=20), len(imgs))
    nrows = -(-len(imgs) // ncols)
    from matplotlib.figure import Figure

    lines = 0 if titles is None else max((str(t).count("\n") + 1 for t in titles), default=0)
    fig = Figure(figsize=figsize or (size * ncols, size * nrows * (1.0 + 0.25 * lines)),
                 layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    vmax = 1.0 if imgs.max() <= 1.0 else 255.0
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i < len(imgs):
            ax.imshow(imgs[i], cmap="gray_r", vmin=0, vmax=vmax, interpolation="nearest")
            if titles is not None:
                ax.set_title(str(titles[i]), fontsize=8)
    return fig


def plot_confusion(y_true, y_pred, *, classes=10, figsize=None):
    """Confusion matrix: row = true class, column = predicted class, counts in the cells.

    Returns
    -------
    matplotlib.figure.Figure
    """
    t = np.asarray(y_true)
    p = np.asarray(y_pred)
    classes = check_int(classes, "classes", low=2, high=100)
    if t.shape != p.shape or t.ndim != 1 or t.size == 0:
        raise ValueError("Arguments `y_true` and `y_pred` must be 1-D arrays of one length. "
                         f"Received shapes {t.shape} and {p.shape}")
    for name, a in (("y_true", t), ("y_pred", p)):
        if a.dtype.kind not in "iu" or a.min() < 0 or a.max() >= classes:
            raise ValueError(f"Argument `{name}` must hold integer classes 0..{classes - 1}")
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (t, p), 1)
    fig, (ax,) = _new_axes(1, figsize or (5.2, 4.6))
    shown = np.where(np.eye(classes, dtype=bool), 0, counts)  # colour the errors only
    im = ax.imshow(shown, cmap="Reds")
    for i in range(classes):
        for j in range(classes):
            if counts[i, j]:
                dark = shown[i, j] > 0.6 * shown.max()          # white on the darkest reds
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                        color="#1f4e79" if i == j else "white" if dark else "k",
                        fontweight="bold" if i == j else None)
    ax.set(xticks=range(classes), yticks=range(classes), xlabel="predicted", ylabel="true",
           title="confusion matrix (errors coloured)")
    ax.grid(False)
    fig.colorbar(im, ax=ax, shrink=0.8)
    return fig


def plot_maps(maps, *, titles=None, ncols=8, size=0.9, signed=None, figsize=None):
    """A grid of 2-D arrays (filters, feature maps, small images), each on its own scale.

    Parameters
    ----------
    maps : array_like, shape (n, h, w), or list of 2-D arrays
        1 to 100 maps of finite numbers (in a list, their sizes may differ).
    titles : sequence of str, optional
        One per map.
    ncols : int, default 8
    size : float, default 0.9
        Inches per map.
    signed : bool, optional
        Draw with a diverging colour map centred on 0 (red positive, blue negative), each
        map scaled to its own largest absolute value; ``False``: grey, white = the map's
        minimum, black = its maximum. Default: signed if any value is negative.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if isinstance(maps, (list, tuple)) and maps and all(np.ndim(m) == 2 for m in maps):
        arr = [as_float_array(m, f"maps[{i}]") for i, m in enumerate(maps)]   # sizes may differ
    else:
        arr = as_float_array(maps, "maps")
        if arr.ndim != 3:
            raise ValueError("Argument `maps` must have shape (n, h, w), or be a list of 2-D "
                             f"arrays. Received shape {np.shape(maps)}")
    if not 1 <= len(arr) <= 100:
        raise ValueError(f"Argument `maps` must hold 1 to 100 maps. Received {len(arr)}")
    if not all(np.all(np.isfinite(m)) for m in arr):
        raise ValueError("Argument `maps` must hold finite numbers. Received a NaN or inf")
    if titles is not None and len(titles) != len(arr):
        raise ValueError(f"Argument `titles` must have one title per map ({len(arr)}). "
                         f"Received {len(titles)}")
    signed = any(m.min() < 0 for m in arr) if signed is None else bool(signed)
    ncols = min(check_int(ncols, "ncols", low=1, high=20), len(arr))
    nrows = -(-len(arr) // ncols)
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize or (size * ncols, size * nrows * (1.3 if titles else 1.0)),
                 layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i >= len(arr):
            continue
        m = arr[i]
        if signed:
            lim = float(np.abs(m).max()) or 1.0
            ax.imshow(m, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
        else:
            lo, hi = float(m.min()), float(m.max())
            ax.imshow(m, cmap="gray_r", vmin=lo, vmax=hi if hi > lo else lo + 1.0,
                      interpolation="nearest")
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=8)
    return fig
