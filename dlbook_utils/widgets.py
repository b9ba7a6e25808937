"""Slider-driven figures that work with and without a Jupyter kernel.

A Python callback (``interact``, ``observe``) needs a running kernel, so it is
dead in the static HTML book. :func:`figure_slider` instead renders every
frame up front, puts the images in an ``ipywidgets.Stack`` and links the
slider's index to the stack's ``selected_index`` with ``ipywidgets.jslink``.
The link lives in the browser: it runs in JupyterLab and in the built book,
where myst-nb replays the saved widget state, with no kernel and no network.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from ._validation import check_int

__all__ = ["figure_slider", "figure_to_png"]

#: CSS class on every widget made by :func:`figure_slider` (the browser tests look for it).
CSS_CLASS = "dlbook-figure-slider"


def figure_to_png(fig, *, colors=64, dpi=100) -> bytes:
    """Render a matplotlib figure to PNG bytes quantized to a small palette.

    Line plots have few distinct colours; a palette of 64 keeps them crisp and
    makes each frame several times smaller than full-colour PNG.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    colors : int, default 64
        Palette size, 2 to 256.
    dpi : int, default 100

    Returns
    -------
    bytes
    """
    from matplotlib.figure import Figure
    from PIL import Image

    if not isinstance(fig, Figure):
        raise TypeError(
            "Argument `fig` must be a matplotlib.figure.Figure. "
            f"Received: fig of type {type(fig).__name__}"
        )
    colors = check_int(colors, "colors", low=2, high=256)
    dpi = check_int(dpi, "dpi", low=10, high=600)
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=dpi, facecolor="white")
    raw.seek(0)
    with Image.open(raw) as img:
        small = img.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        small.save(out, format="png", optimize=True)
    return out.getvalue()


def figure_slider(make_figure: Callable, values: Sequence, *, description="value",
                  labels: Sequence[str] | None = None, initial=0, colors=64, dpi=100):
    """A slider that flips between pre-rendered figures, with or without a kernel.

    ``make_figure(v)`` is called once for each ``v`` in ``values``; each figure
    becomes a PNG ``Image`` in a ``Stack``. The slider's ``index`` is linked to
    the stack's ``selected_index`` on the browser side (``jslink``), so moving
    it works in JupyterLab and in the static HTML book alike.

    Parameters
    ----------
    make_figure : callable
        ``make_figure(value) -> matplotlib.figure.Figure``.
    values : sequence
        The slider positions, 1 to 101 of them.
    description : str, default "value"
        Text shown before the slider.
    labels : sequence of str, optional
        Readout for each position; default ``f"{v:g}"`` for numbers, else ``str(v)``.
    initial : int, default 0
        Index of the position shown first.
    colors, dpi : int
        Passed to :func:`figure_to_png`.

    Returns
    -------
    ipywidgets.VBox
        ``children == (slider, stack)``; it carries the CSS class ``dlbook-figure-slider``.

    Examples
    --------
    >>> from dlbook_utils.plotting import plot_activations
    >>> w = figure_slider(lambda a: plot_activations(["leaky_relu"], alpha=a), [0.0, 0.1])
    >>> w.children[0].index, len(w.children[1].children)
    (0, 2)
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    if not callable(make_figure):
        raise TypeError(
            "Argument `make_figure` must be a callable returning a matplotlib Figure. "
            f"Received: make_figure of type {type(make_figure).__name__}"
        )
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(
            "Argument `values` must be a sequence (list or tuple) of slider positions. "
            f"Received: values of type {type(values).__name__}"
        )
    n = len(values)
    if not 1 <= n <= 101:
        raise ValueError(
            f"Argument `values` must hold 1 to 101 positions. Received {n} positions"
        )
    if labels is None:
        labels = [f"{v:g}" if isinstance(v, (int, float)) else str(v) for v in values]
    else:
        labels = [str(lab) for lab in labels]
        if len(labels) != n:
            raise ValueError(
                f"Argument `labels` must have one label per value ({n}). "
                f"Received {len(labels)} labels"
            )
    if len(set(labels)) != n:
        raise ValueError(f"Argument `labels` must be distinct. Received: labels={labels!r}")
    initial = check_int(initial, "initial", low=0, high=n - 1)

    images = []
    for v in values:
        fig = make_figure(v)
        if not isinstance(fig, Figure):
            raise TypeError(
                "Argument `make_figure` must return a matplotlib.figure.Figure. "
                f"For value {v!r} it returned {type(fig).__name__}"
            )
        png = figure_to_png(fig, colors=colors, dpi=dpi)
        _close(fig)
        images.append(widgets.Image(value=png, format="png", layout=widgets.Layout(width="100%")))

    stack = widgets.Stack(images, selected_index=initial)
    slider = widgets.SelectionSlider(
        options=list(zip(labels, range(n))),
        index=initial,
        description=description,
        continuous_update=True,
        readout=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="min(100%, 560px)"),
    )
    link = widgets.jslink((slider, "index"), (stack, "selected_index"))
    box = widgets.VBox([slider, stack])
    box.add_class(CSS_CLASS)
    box._dlbook_link = link  # keep a Python reference; the link lives in the browser
    return box


def _close(fig):
    """Release a figure whether or not pyplot knows about it."""
    import matplotlib.pyplot as plt

    if plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)
    fig.clear()
