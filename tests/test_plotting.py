"""dlbook_utils.plotting as a whole: its re-exports, what every figure shares
(dlbook_utils.plotting._style) and the package's import hygiene. Each chapter's figures
are tested in tests/test_plotting_<chapter>.py."""

import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook_utils import plotting
from dlbook_utils.plotting._style import MIN_FONT_KEY, min_font_size, png_with_text


@pytest.mark.parametrize("module", ["dlbook_utils", "dlbook_utils.plotting"])
def test_import_has_no_side_effects(module):
    code = (
        f"import sys, {module}; "
        "heavy = [m for m in ('matplotlib', 'tensorflow', 'ipywidgets') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_plotting_reexports_every_chapter_module_name():
    import importlib

    modules = ["_style", "intro", "activations", "regularization", "initialization",
               "cnn_mnist", "training"]
    exported = []
    for name in modules:
        module = importlib.import_module(f"dlbook_utils.plotting.{name}")
        for attr in module.__all__:
            assert getattr(plotting, attr) is getattr(module, attr), (name, attr)
        exported += module.__all__
    assert sorted(exported) == sorted(plotting.__all__)       # each name in one module
    from dlbook_utils.plotting import activations

    assert plotting.COLORS is activations.COLORS and plotting.STYLES is activations.STYLES


def test_setup_notebook_returns_seeded_generator():
    from dlbook_utils.notebook import setup_notebook

    a = setup_notebook(rng=5).normal(size=3)
    b = np.random.default_rng(5).normal(size=3)
    np.testing.assert_array_equal(a, b)
    g = np.random.default_rng(1)
    assert setup_notebook(g) is g
    with pytest.raises(ValueError, match=r"Argument `rng` must be an integer in \[0, inf\]"):
        setup_notebook(-1)
    with pytest.raises(TypeError, match=r"Argument `rng` must be None, a non-negative integer or a"):
        setup_notebook(1.5)


def test_min_font_size_sees_every_visible_text():
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="line")
    ax.set_title("title", fontsize=12)
    ax.legend(fontsize=6.5)
    assert min_font_size(fig) == 6.5
    ax.get_legend().remove()
    ax.tick_params(labelsize=8)
    ax.set_xlim(0, 1)
    assert min_font_size(fig) == 8.0
    ax.text(0.5, 0.5, "note", fontsize=5, visible=False)        # hidden: not counted
    assert min_font_size(fig) == 8.0
    assert min_font_size(Figure()) == float("inf")
    with pytest.raises(TypeError, match="Argument `fig` must be a matplotlib.figure.Figure. "
                                        "Received: fig of type str"):
        min_font_size("figure")


def test_min_font_size_reads_a_figure_just_drawn_without_drawing_it_again():
    """After a savefig, `drawn=True` gives the same answer from that layout, and it does not
    draw the figure (the cost it saves on every frame of a slider)."""
    import io

    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 2], label="line")
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=9)
    fig.savefig(io.BytesIO(), format="png", dpi=100)
    draws = []
    fig.canvas.mpl_connect("draw_event", lambda event: draws.append(event))
    assert min_font_size(fig, drawn=True) == 7.0
    assert draws == []
    assert min_font_size(fig) == 7.0 and len(draws) == 1       # the default lays it out
    with pytest.raises(TypeError, match="Argument `drawn` must be True or False. "
                                        "Received: drawn='yes'"):
        min_font_size(fig, drawn="yes")


def test_png_with_text_adds_a_chunk_and_keeps_the_pixels():
    import io

    from PIL import Image

    fig = Figure(figsize=(2, 1))
    fig.subplots().plot([0, 1], [1, 0])
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=50)
    png = raw.getvalue()
    tagged = png_with_text(png, MIN_FONT_KEY, "7.500")
    with Image.open(io.BytesIO(png)) as before, Image.open(io.BytesIO(tagged)) as after:
        assert after.info[MIN_FONT_KEY] == "7.500" and MIN_FONT_KEY not in before.info
        assert after.tobytes() == before.tobytes() and after.size == before.size
    with pytest.raises(ValueError, match="Argument `png` must be the bytes of a whole PNG "
                                         "file. Received: bytes starting b'GIF89a'"):
        png_with_text(b"GIF89a", MIN_FONT_KEY, "1")


def test_default_figures_fit_the_column_with_readable_text():
    """The helpers' default figures are at most MAX_WIDTH inches wide with text of at least
    7.5 points: 9 CSS pixels or more in the book's column (the browser test measures it)."""
    rng = np.random.default_rng(0)
    figures = [
        plotting.plot_activations(),
        plotting.plot_layer_norms([{"relu": np.ones(5)}, {"relu": np.ones(5)}]),
        plotting.plot_histories({"a": {"loss": [1.0, 0.5], "val_accuracy": [0.5, 0.6]},
                                 "b": {"loss": [1.0, 0.4], "val_accuracy": [0.4, 0.7]}}),
        plotting.plot_weight_histograms({k: rng.normal(size=100) for k in "abc"}),
        plotting.plot_digits(rng.random((12, 28, 28)), titles=[f"{i} (50%), true 1" for i in range(12)]),
        plotting.plot_maps(list(rng.random((16, 5, 5))), ncols=8),
        plotting.plot_confusion(rng.integers(0, 10, 200), rng.integers(0, 10, 200)),
    ]
    from matplotlib.colors import to_hex, to_rgb

    safe = {c.lower() for c in plotting.PALETTE} | {c.lower() for c in plotting.COLORS.values()}
    for fig in figures:
        assert fig.get_figwidth() <= plotting.MAX_WIDTH + 1e-9
        assert plotting.min_font_size(fig) >= 7.5, fig.axes[0].get_title()
        for ax in fig.axes:
            for line in ax.lines:           # Okabe–Ito colours, or a grey
                r, g, b = to_rgb(line.get_color())
                assert to_hex(line.get_color()) in safe or r == g == b, line.get_color()
