"""Figures of the chapter ``chapters/cnn_mnist.ipynb``: grids of MNIST digits (augmented,
misclassified), a convolution worked by hand, the convolutional network's filters and
feature maps, and the confusion matrix of its predictions. The data are in
:mod:`dlbook_utils.data`, the network in :mod:`dlbook_utils.models`.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_int
from ._style import _new_axes

__all__ = ["plot_confusion", "plot_digits", "plot_maps"]


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
