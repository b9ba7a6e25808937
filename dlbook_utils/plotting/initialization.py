"""Figures of the chapter ``chapters/initialization.ipynb``: how the spread of a deep
network's activations and the size of its gradients change from layer to layer under
each initializer, from the results of
:func:`dlbook_utils.initialization.depth_experiment`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .._validation import check_int, check_number
from ._style import MAX_WIDTH, _log_curve, _new_axes

__all__ = ["plot_depth_statistics"]


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
