"""Notebook set-up shared by the chapters: the book's figure style, inline figures and a
seeded random generator. Global state changes only when :func:`setup_notebook` is called
(besides it, only :func:`dlbook_utils.training.fit`, which seeds Keras' global generators, and
:func:`dlbook_utils.training.quiet_tensorflow`, which sets TensorFlow's log levels)."""

from __future__ import annotations

from ._validation import as_rng

__all__ = ["setup_notebook"]


def setup_notebook(rng=0):
    """Apply the book's matplotlib style and return a seeded random generator.

    Call it once at the top of a chapter. It changes matplotlib's ``rcParams``, and
    inside IPython/Jupyter it turns on inline figures (``%matplotlib inline``), so that
    a cell returning a ``Figure`` shows it. (The Keras helpers change global state too:
    :func:`dlbook_utils.training.fit` seeds Python, NumPy and TensorFlow, and
    :func:`dlbook_utils.training.quiet_tensorflow` sets TensorFlow's log levels.)

    Parameters
    ----------
    rng : numpy.random.Generator, int or None, default 0
        Seed of the returned generator (a generator is returned as is).

    Returns
    -------
    numpy.random.Generator
    """
    import matplotlib as mpl
    from cycler import cycler

    from .plotting._style import PALETTE

    rng = as_rng(rng)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to display into
        shell = None
    else:
        shell = get_ipython()
    if shell is not None:
        # Show a returned Figure as an image. Importing pyplot alone does not register
        # IPython's figure formatter; without it a Figure prints as "<Figure size ...>".
        shell.run_line_magic("matplotlib", "inline")
        # Figures are shown as PNG that record their smallest font size (a text chunk the
        # test suite reads to check that no text is too small on the page).
        from matplotlib.figure import Figure

        shell.display_formatter.formatters["image/png"].for_type(Figure, _figure_png)
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
            "axes.prop_cycle": cycler(color=PALETTE),
        }
    )
    return rng


def _figure_png(fig):
    """PNG bytes of a figure as IPython's inline backend makes them (tight bounding box),
    with the figure's smallest font size in a PNG text chunk."""
    from IPython.core.pylabtools import print_figure

    from .plotting._style import MIN_FONT_KEY, min_font_size, png_with_text

    if not fig.axes and not fig.lines and not fig.images and not fig.texts:
        return None                       # an empty figure shows nothing, as inline does
    png = print_figure(fig, "png", bbox_inches="tight")
    if png is None:                       # IPython draws nothing for it either
        return None
    # The figure was just drawn: read its font sizes from that layout (no second draw).
    return png_with_text(png, MIN_FONT_KEY, f"{min_font_size(fig, drawn=True):.3f}")
