"""What every figure of the book shares: the Okabe–Ito palette, the largest figure width,
the bare constrained-layout axes each figure starts from, the one policy of the log-scale
curves (values a log axis cannot show are left out and the legend says so) and the
smallest-font measure that :mod:`dlbook_utils.notebook` and :mod:`dlbook_utils.widgets`
record in each PNG. It draws no chapter's figure; the chapter modules beside it do.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MAX_WIDTH", "MIN_FONT_KEY", "PALETTE", "min_font_size"]

#: PNG text key under which the book's figures record their smallest font size (points):
#: the test suite reads it to check that no text is drawn under 9 CSS pixels.
MIN_FONT_KEY = "dlbook:min-font-pt"


def min_font_size(fig, *, drawn=False):
    """The smallest font size, in points, of the text a figure draws.

    Lays the figure out first (tick labels exist only then), then looks at every visible,
    non-empty text: titles, axis labels, tick labels, legend entries, annotations. On a
    page, a size of ``s`` points in a PNG of ``dpi`` dots per inch shown at ``r`` CSS
    pixels per image pixel is ``s * dpi / 72 * r`` CSS pixels tall (its em size).

    A test hook: the book's PNGs record this number so that a browser test can check that
    no figure's text is drawn under 9 CSS pixels.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    drawn : bool, default False
        True when the figure has just been drawn (saved to a PNG, say) and not changed
        since: its layout is then read as it is, instead of drawing it once more (a
        figure's full draw, the larger part of the cost of a frame of a slider).

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
    if not isinstance(drawn, bool):
        raise TypeError(f"Argument `drawn` must be True or False. Received: drawn={drawn!r}")
    if not drawn:
        fig.draw_without_rendering()
    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and _shown(t)]
    return float(min(sizes, default=float("inf")))


def png_with_text(png, key, value):
    """PNG bytes with one more text chunk (``tEXt``, Latin-1 ``key`` and ``value``) before
    the image data, where readers look for it first: the pixels and every other chunk are
    kept byte for byte."""
    import struct
    import zlib

    if not isinstance(png, bytes) or not png.startswith(b"\x89PNG\r\n\x1a\n") \
            or not png.endswith(b"IEND\xaeB`\x82"):
        raise ValueError("Argument `png` must be the bytes of a whole PNG file. Received: "
                         f"{type(png).__name__} starting {bytes(png[:8])!r}")
    data = key.encode("latin-1") + b"\0" + value.encode("latin-1")
    chunk = (struct.pack(">I", len(data)) + b"tEXt" + data
             + struct.pack(">I", zlib.crc32(b"tEXt" + data) & 0xFFFFFFFF))
    first_data = png.index(b"IDAT") - 4          # the chunk's length field comes first
    return png[:first_data] + chunk + png[first_data:]


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

#: Figures are at most this wide (inches): at 100 dpi they fit the book's text column
#: (741 CSS pixels at a 1366-pixel window) with little shrinking, so that text of
#: 7.5 points or more stays at least 9 CSS pixels tall.
MAX_WIDTH = 8.2


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
