"""dlbook_utils.plotting and the package's import hygiene."""

import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook_utils import plotting


def test_import_has_no_side_effects():
    code = (
        "import sys, dlbook_utils; "
        "heavy = [m for m in ('matplotlib', 'tensorflow', 'ipywidgets') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


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


def test_plot_activations_draws_every_curve():
    fig = plotting.plot_activations(alpha=0.2, x_max=3)
    assert isinstance(fig, Figure)
    values, grads = fig.axes
    def labelled(ax):
        return [ln.get_label() for ln in ax.lines if not ln.get_label().startswith("_")]

    names = ["sigmoid", "tanh", "ReLU", "Leaky ReLU (α=0.2)"]
    assert labelled(values) == names and labelled(grads) == names
    # The derivative panel leaves the kink of (Leaky) ReLU at 0 undrawn.
    relu_grad_lines = [ln for ln in grads.lines if ln.get_color() == plotting.COLORS["relu"]]
    assert len(relu_grad_lines) == 2
    assert all(0 not in ln.get_xdata() for ln in relu_grad_lines)
    leaky = [ln for ln in values.lines if ln.get_label().startswith("Leaky ReLU")][0]
    x, y = leaky.get_data()
    assert x.min() == -3 and x.max() == 3
    np.testing.assert_allclose(y[x < 0], 0.2 * x[x < 0])
    one = plotting.plot_activations(["tanh"], derivatives=False)
    assert len(one.axes) == 1


@pytest.mark.parametrize("kwargs, exc, pattern", [
    ({"names": "relu"}, TypeError, r"Argument `names` must be a non-empty list"),
    ({"names": []}, TypeError, r"Argument `names` must be a non-empty list"),
    ({"names": ["elu"]}, ValueError, r"Argument `name` must be one of"),
    ({"x_max": 0}, ValueError, r"Argument `x_max` must be a finite number in \(0, inf\)"),
    ({"alpha": -1}, ValueError, r"Argument `alpha` must be a finite number in \[0, 1\)"),
    ({"num": 1}, ValueError, r"Argument `num` must be an integer in \[2, inf\]"),
])
def test_plot_activations_rejects_bad_input(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        plotting.plot_activations(**kwargs)


def test_plot_layer_norms():
    fig = plotting.plot_layer_norms({"sigmoid": [1e-9, 1e-3, 1.0], "relu": [0.5, 0.6, 0.7]})
    (ax,) = fig.axes
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    # A value a log axis cannot show is left out, and the legend says so (one policy).
    zero = plotting.plot_layer_norms({"relu": [0.0, 1.0]})
    assert zero.axes[0].get_legend().get_texts()[0].get_text() == "relu (some 0: not drawn)"
    with pytest.raises(ValueError, match=r"must be a non-empty 1-D array"):
        plotting.plot_layer_norms({"relu": [[1.0]]})
    with pytest.raises(TypeError, match=r"Argument `norms` must be a non-empty mapping"):
        plotting.plot_layer_norms([1.0, 2.0])


def test_plot_layer_norms_panels_and_distinct_styles():
    same = [0.5, 0.6, 0.7]
    fig = plotting.plot_layer_norms([{"relu": same, "leaky_relu": same}, {"tanh": same}],
                                    ylabel=["a", "b"], titles=["left", "right"])
    left, right = fig.axes
    assert [ax.get_title() for ax in fig.axes] == ["left", "right"]
    assert left.get_ylabel() == "a" and right.get_ylabel() == "b"
    relu, leaky = left.lines
    # Identical values, told apart by marker and dashes (review finding A-9).
    assert relu.get_marker() != leaky.get_marker() and relu.get_linestyle() != leaky.get_linestyle()
    ticks = [t for t in left.get_xticks() if 1 <= t <= 3]
    assert all(float(t).is_integer() for t in ticks)  # layers are whole numbers
    with pytest.raises(ValueError, match=r"Argument `ylabel` must be one label or one per panel"):
        plotting.plot_layer_norms([{"relu": same}, {"relu": same}], ylabel=["only one"])
    with pytest.raises(ValueError, match=r"Argument `titles` must give one title per panel"):
        plotting.plot_layer_norms({"relu": same}, titles=["a", "b"])


def test_network_diagram():
    fig = plotting.network_diagram([2, 3, 1])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["input layer", "hidden layer 1", "output layer"]
    with pytest.raises(TypeError, match=r"at least two integers"):
        plotting.network_diagram([3])
    with pytest.raises(ValueError, match=r"Argument `layer_sizes\[1\]` must be an integer in "
                                         r"\[1, 12\]\. Received: layer_sizes\[1\]=40"):
        plotting.network_diagram([3, 40])


def test_plot_depth_statistics_says_what_it_cannot_draw():
    from dlbook_utils.initialization import depth_experiment

    kw = dict(depth=6, width=16, batch=32, rng=0)
    results = {"zeros": depth_experiment("zeros", "tanh", **kw),
               "ones": depth_experiment("ones", "relu", depth=400, width=64, batch=4, rng=0),
               "he": depth_experiment("he_normal", "relu", **kw)}
    fig = plotting.plot_depth_statistics(results, std_ylim=(1e-3, 1e3))
    left, right = fig.axes
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert labels[0] == "zeros (all 0: not drawn)"
    assert labels[1].startswith("ones (overflow")
    assert labels[2] == "he"
    assert left.get_yscale() == "log" and left.get_ylim() == pytest.approx((1e-3, 1e3))
    one = plotting.plot_depth_statistics({"he": results["he"]}, histogram_layers=[1, 6])
    assert len(one.axes) == 3
    with pytest.raises(ValueError, match=r"needs exactly one result"):
        plotting.plot_depth_statistics(results, histogram_layers=[1])
    with pytest.raises(ValueError, match=r"Argument `histogram_layers\[0\]` must be an integer "
                                         r"in \[1, 6\]"):
        plotting.plot_depth_statistics({"he": results["he"]}, histogram_layers=[7])


def test_plot_depth_statistics_gradients_and_frame_notes():
    from dlbook_utils.initialization import depth_experiment

    run = depth_experiment("glorot_uniform", "relu", depth=20, width=32, batch=64, rng=0)
    fig = plotting.plot_depth_statistics({"g": run}, grad_ylim=(1e-1, 1e3))
    right = fig.axes[1]
    (line,) = right.lines
    y = line.get_ydata()
    # Signal relative to the top layer: 1 at the last layer, far below 1 at the first.
    assert y[-1] == pytest.approx(1.0) and y[0] < 0.01
    assert right.get_legend().get_texts()[0].get_text() == "g (some below the frame: not drawn)"
    weight = plotting.plot_depth_statistics({"g": run}, gradient="weight")
    np.testing.assert_allclose(weight.axes[1].lines[0].get_ydata(), run["grad_norm"])
    with pytest.raises(ValueError, match=r"Argument `gradient` must be 'signal' or 'weight'"):
        plotting.plot_depth_statistics({"g": run}, gradient="both")


def test_plot_regularized_fit_counts_exact_zeros():
    x = np.linspace(-1, 1, 5)
    fig = plotting.plot_regularized_fit(x, x, x, x, [0.0, 1.5, 0.0], truth=x)
    assert fig.axes[1].get_title() == "2 of 3 exactly zero"
    with pytest.raises(ValueError, match=r"pairs of equal-length 1-D arrays"):
        plotting.plot_regularized_fit(x, x[:3], x, x, [1.0])


def test_plot_dropout_and_weight_histograms():
    h = np.ones((2, 4))
    fig = plotting.plot_dropout(h, 2 * h * (np.arange(4) % 2), 0.5)
    assert fig.axes[1].get_title() == "after dropout, p = 0.5: mean 1.000"
    with pytest.raises(ValueError, match=r"must be 2-D arrays of one shape"):
        plotting.plot_dropout(h, h[0], 0.5)
    fig = plotting.plot_weight_histograms({"a": [0.0, 0.0005, 0.5], "b": [1.0, -2.0]}, limit=1.0)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "a\n|w| < 0.001: 67%; exactly 0: 1"
    assert titles[1] == "b\n|w| < 0.001: 0%; exactly 0: 0, 1 beyond ±1"
    with pytest.raises(TypeError, match=r"mapping of 1 to 6 labels"):
        plotting.plot_weight_histograms([1.0])


def test_regression_vs_classification_draws_what_basics_fitted():
    from dlbook_utils.basics import toy_tasks

    tasks = toy_tasks(rng=0)
    fig = plotting.regression_vs_classification(tasks)
    left, right = fig.axes
    line = left.lines[0]
    xs, ys = line.get_data()
    np.testing.assert_allclose(ys, tasks["regression"]["slope"] * xs
                               + tasks["regression"]["intercept"])
    assert len(right.collections) == 2  # the two classes
    with pytest.raises(TypeError, match=r"Argument `tasks` must be the dict returned by"):
        plotting.regression_vs_classification(0)


def test_plot_histories_notes_and_labels():
    fig = plotting.plot_histories({"run": {"loss": [1.0, 0.0, np.nan], "val_accuracy": [0.1, 0.5, 0.9]}},
                                  first_epoch=0, xlabel="step")
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_xlabel() == "step"
    assert loss_ax.get_legend().get_texts()[0].get_text() == "run (some 0, NaN from 2: not drawn)"
    np.testing.assert_array_equal(acc_ax.lines[0].get_xdata(), [0, 1, 2])


def test_plot_sweep():
    fig = plotting.plot_sweep([0.0, 1e-3, 1e-1], {"train": [1, 2, 3], "validation": [3, 1, 2]},
                              mark=1e-3)
    (ax,) = fig.axes
    assert ax.get_xscale() == "symlog" and len(ax.lines) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "validation",
                                                                   "chosen: 0.001"]
    with pytest.raises(ValueError, match=r"Argument `values` must be at least 2 non-negative "
                                         r"numbers in increasing order"):
        plotting.plot_sweep([1e-3, 0.0], {"a": [1, 2]})
    with pytest.raises(ValueError, match=r"must have one value per setting \(3\)"):
        plotting.plot_sweep([0.0, 1.0, 2.0], {"a": [1, 2]})


def test_plot_maps_scales_each_map_and_checks_its_input():
    maps = np.stack([np.arange(9.0).reshape(3, 3) - 4, np.ones((3, 3)) * 5])
    fig = plotting.plot_maps(maps, titles=["a", "b"])
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 2
    assert images[0].get_cmap().name == "RdBu_r" and images[0].get_clim() == (-4.0, 4.0)
    assert images[1].get_clim() == (-5.0, 5.0)              # each map on its own scale
    grey = plotting.plot_maps(np.abs(maps), signed=False)
    assert [ax.images[0].get_cmap().name for ax in grey.axes if ax.images] == ["gray_r"] * 2
    mixed = plotting.plot_maps([np.ones((6, 6)), -np.ones((3, 3))])      # sizes may differ
    assert [ax.images[0].get_array().shape for ax in mixed.axes if ax.images] == [(6, 6), (3, 3)]
    with pytest.raises(ValueError, match=r"Argument `maps` must have shape \(n, h, w\)"):
        plotting.plot_maps(np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"Argument `maps` must hold 1 to 100 maps"):
        plotting.plot_maps(np.zeros((101, 2, 2)))
    with pytest.raises(ValueError, match=r"Argument `maps` must hold finite numbers"):
        plotting.plot_maps(np.full((1, 2, 2), np.nan))
    with pytest.raises(ValueError, match=r"Argument `titles` must have one title per map \(2\)"):
        plotting.plot_maps(maps, titles=["a"])


def test_min_font_size_sees_every_visible_text():
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="line")
    ax.set_title("title", fontsize=12)
    ax.legend(fontsize=6.5)
    assert plotting.min_font_size(fig) == 6.5
    ax.get_legend().remove()
    ax.tick_params(labelsize=8)
    ax.set_xlim(0, 1)
    assert plotting.min_font_size(fig) == 8.0
    ax.text(0.5, 0.5, "note", fontsize=5, visible=False)        # hidden: not counted
    assert plotting.min_font_size(fig) == 8.0
    assert plotting.min_font_size(Figure()) == float("inf")
    with pytest.raises(TypeError, match="Argument `fig` must be a matplotlib.figure.Figure. "
                                        "Received: fig of type str"):
        plotting.min_font_size("figure")


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
