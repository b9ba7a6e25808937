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

__all__ = ["describe_figure", "figure_grid", "figure_slider", "figure_to_png"]

#: CSS class on every widget made by :func:`figure_slider` (the browser tests look for it).
CSS_CLASS = "dlbook-figure-slider"
#: CSS class on every widget made by :func:`figure_grid`.
GRID_CSS_CLASS = "dlbook-figure-grid"
#: CSS class of every frame's ``<img>`` (which also has ipywidgets' ``widget-image``).
FRAME_CSS_CLASS = "dlbook-frame"


def figure_to_png(fig, *, colors=64, dpi=100) -> bytes:
    """Render a matplotlib figure to PNG bytes quantized to a small palette.

    Line plots have few distinct colours; a palette of 64 keeps them crisp and
    makes each frame several times smaller than full-colour PNG. The PNG records its
    resolution and the figure's smallest font size (:func:`~dlbook_utils.plotting.min_font_size`,
    under the text key :data:`~dlbook_utils.plotting.MIN_FONT_KEY`).

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
    from PIL.PngImagePlugin import PngInfo

    from .plotting._style import MIN_FONT_KEY, min_font_size

    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=dpi, facecolor="white")
    info = PngInfo()       # read by the test suite; the figure was just drawn, not again
    info.add_text(MIN_FONT_KEY, f"{min_font_size(fig, drawn=True):.3f}")
    raw.seek(0)
    with Image.open(raw) as img:
        small = img.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        small.save(out, format="png", optimize=True, pnginfo=info, dpi=(dpi, dpi))
    return out.getvalue()


def figure_slider(make_figure: Callable, values: Sequence, *, description="value",
                  labels: Sequence[str] | None = None, initial=0, colors=64, dpi=100):
    """A slider that flips between pre-rendered figures, with or without a kernel.

    ``make_figure(v)`` is called once for each ``v`` in ``values``; each figure
    becomes a PNG picture (an ``HTML`` widget holding an ``<img>`` with alt text) in a
    ``Stack``. The slider's ``index`` is linked to
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
    >>> from dlbook_utils.plotting.activations import plot_activations
    >>> w = figure_slider(lambda a: plot_activations(["leaky_relu"], alpha=a), [0.0, 0.1])
    >>> w.children[0].index, len(w.children[1].children)
    (0, 2)
    """
    import ipywidgets as widgets

    _check_callable(make_figure)
    n = _check_values(values, "values", 101)
    labels = _labels(values, labels, "labels")
    initial = check_int(initial, "initial", low=0, high=n - 1)

    images = [_frame(make_figure, (v,), colors, dpi, f"{description} = {label}")
              for v, label in zip(values, labels)]
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


def figure_grid(make_figure: Callable, controls, *, labels=None, colors=64, dpi=100):
    """Drop-down menus that choose among pre-rendered figures, with or without a kernel.

    ``make_figure(*values)`` is called once for every combination of the
    controls' values (their Cartesian product, at most 64 figures). Each control
    is a ``Dropdown``; the figures sit in nested ``Stack`` widgets, one level per
    control, and every stack of level ``k`` is ``jslink``-ed to dropdown ``k``.
    So the choice works in the browser alone: in JupyterLab and in the static book.

    Parameters
    ----------
    make_figure : callable
        ``make_figure(v1, v2, ...) -> matplotlib.figure.Figure``, one argument per control.
    controls : dict of str to sequence
        Control label → its values, in order; 1 to 4 controls.
    labels : dict of str to sequence of str, optional
        Display names for a control's values (default ``str(v)``).
    colors, dpi : int
        Passed to :func:`figure_to_png`.

    Returns
    -------
    ipywidgets.VBox
        ``children == (HBox(dropdowns), outer_stack)``; CSS class ``dlbook-figure-grid``.
    """
    import math

    import ipywidgets as widgets

    _check_callable(make_figure)
    allowed = "Argument `controls` must be a dict of 1 to 4 entries, label -> values."
    if not isinstance(controls, dict):
        raise TypeError(f"{allowed} Received: controls={controls!r}")
    if not 1 <= len(controls) <= 4:
        raise ValueError(f"{allowed} Received: controls={controls!r}")
    labels = labels or {}
    if not isinstance(labels, dict) or set(labels) - set(controls):
        raise ValueError("Argument `labels` must be a dict whose keys are control labels "
                         f"{list(controls)}. Received: labels={labels!r}")
    sizes = [_check_values(v, f"controls[{k!r}]", 64) for k, v in controls.items()]
    if math.prod(sizes) > 64:
        raise ValueError(f"Argument `controls` would need {math.prod(sizes)} figures "
                         f"({' x '.join(map(str, sizes))}); at most 64 are allowed")
    names = {k: _labels(v, labels.get(k), f"labels[{k!r}]") for k, v in controls.items()}
    values = list(controls.values())

    dropdowns = [widgets.Dropdown(options=list(zip(names[k], range(len(v)))), value=0,
                                  description=k, style={"description_width": "initial"})
                 for k, v in controls.items()]
    links = []

    def build(level, prefix, chosen):
        if level == len(values):
            setting = ", ".join(f"{k} = {name}" for k, name in zip(controls, chosen))
            return _frame(make_figure, prefix, colors, dpi, setting)
        key = list(controls)[level]
        children = [build(level + 1, prefix + (v,), chosen + (names[key][i],))
                    for i, v in enumerate(values[level])]
        stack = widgets.Stack(children, selected_index=0)
        links.append(widgets.jslink((dropdowns[level], "index"), (stack, "selected_index")))
        return stack

    outer = build(0, (), ())
    box = widgets.VBox([widgets.HBox(dropdowns), outer])
    box.add_class(GRID_CSS_CLASS)
    box._dlbook_links = links
    return box


def _check_callable(make_figure):
    if not callable(make_figure):
        raise TypeError(
            "Argument `make_figure` must be a callable returning a matplotlib Figure. "
            f"Received: make_figure of type {type(make_figure).__name__}"
        )


def _check_values(values, name, most):
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(
            f"Argument `{name}` must be a sequence (list or tuple) of positions. "
            f"Received: {name} of type {type(values).__name__}"
        )
    n = len(values)
    if not 1 <= n <= most:
        raise ValueError(f"Argument `{name}` must hold 1 to {most} positions. Received {n} positions")
    return n


def _labels(values, labels, name):
    n = len(values)
    if labels is None:
        labels = [f"{v:g}" if isinstance(v, (int, float)) else str(v) for v in values]
    else:
        labels = [str(lab) for lab in labels]
        if len(labels) != n:
            raise ValueError(
                f"Argument `{name}` must have one label per value ({n}). "
                f"Received {len(labels)} labels"
            )
    if len(set(labels)) != n:
        raise ValueError(f"Argument `{name}` must be distinct. Received: {name}={labels!r}")
    return labels


def describe_figure(fig) -> str:
    """A text description of a matplotlib figure from its own words: its title, each
    panel's title and axis labels, and the lines its legends name.

    Used as the alternative text of the widgets' frames, so that a reader who cannot see
    the picture learns what it plots (the numbers themselves are in the chapter's text).

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], label="ReLU"); _ = ax.set(title="f(x)", xlabel="x"); _ = ax.legend()
    >>> describe_figure(fig)
    'Plot "f(x)": x-axis x; lines: ReLU.'
    >>> plt.close(fig)
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError("Argument `fig` must be a matplotlib.figure.Figure. "
                        f"Received: fig of type {type(fig).__name__}")
    parts = []
    title = fig.get_suptitle()
    if title:
        parts.append(f"{title}.")
    for ax in fig.axes:
        if not ax.get_visible() or not (ax.has_data() or ax.get_title()):
            continue
        bits = []
        if ax.get_xlabel():
            bits.append(f"x-axis {ax.get_xlabel()}")
        if ax.get_ylabel():
            bits.append(f"y-axis {ax.get_ylabel()}")
        legend = ax.get_legend()
        if legend is not None:
            names = [t.get_text() for t in legend.get_texts() if t.get_text()]
            if names:
                bits.append("lines: " + ", ".join(names))
        head = f'Plot "{ax.get_title()}"' if ax.get_title() else "Plot"
        parts.append(head + (": " + "; ".join(bits) if bits else "") + ".")
    return " ".join(parts) or "A figure."


def _frame(make_figure, args, colors, dpi, setting=""):
    """Call ``make_figure(*args)`` and return its picture as a widget: an ``HTML`` widget
    holding an ``<img>`` (a data URI) whose ``alt`` text says which setting it shows and
    what it plots. (ipywidgets' ``Image`` has no alt text, and giving it a ``tooltip``
    stopped html-manager 1.0, the static page's widget renderer before the book had its
    own, and JupyterLab from drawing it at all.)"""
    import base64
    import html

    import ipywidgets as widgets
    from matplotlib.figure import Figure

    fig = make_figure(*args)
    if not isinstance(fig, Figure):
        shown = args[0] if len(args) == 1 else args
        raise TypeError(
            "Argument `make_figure` must return a matplotlib.figure.Figure. "
            f"For value {shown!r} it returned {type(fig).__name__}"
        )
    png = figure_to_png(fig, colors=colors, dpi=dpi)
    text = (f"Figure for {setting}. " if setting else "") + describe_figure(fig)
    _close(fig)
    data = base64.b64encode(png).decode("ascii")
    return widgets.HTML(
        value=f'<img class="widget-image {FRAME_CSS_CLASS}" alt="{html.escape(text)}" '
              f'src="data:image/png;base64,{data}" style="width: 100%; height: auto">',
        layout=widgets.Layout(width="100%"))


def _close(fig):
    """Release a figure whether or not pyplot knows about it."""
    import matplotlib.pyplot as plt

    if plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)
    fig.clear()
