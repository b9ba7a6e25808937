"""Training curves, the one figure four chapters share (``intro``, ``regularization``,
``initialization`` and ``cnn_mnist``): one panel per entry of the histories that
:func:`dlbook_utils.training.fit` returns, one line per run. It sits beside no single
chapter's figures, as :mod:`dlbook_utils.training` serves every chapter that trains.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._validation import check_int
from ._style import MAX_WIDTH, _log_curve, _new_axes

__all__ = ["plot_histories"]


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
