"""dlbook_utils.plotting.activations: the figures of the activations chapter."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from dlbook_utils.plotting.activations import COLORS, plot_activations, plot_layer_norms


def test_plot_activations_draws_every_curve():
    fig = plot_activations(alpha=0.2, x_max=3)
    assert isinstance(fig, Figure)
    values, grads = fig.axes
    def labelled(ax):
        return [ln.get_label() for ln in ax.lines if not ln.get_label().startswith("_")]

    names = ["sigmoid", "tanh", "ReLU", "Leaky ReLU (α=0.2)"]
    assert labelled(values) == names and labelled(grads) == names
    # The derivative panel leaves the kink of (Leaky) ReLU at 0 undrawn.
    relu_grad_lines = [ln for ln in grads.lines if ln.get_color() == COLORS["relu"]]
    assert len(relu_grad_lines) == 2
    assert all(0 not in ln.get_xdata() for ln in relu_grad_lines)
    leaky = [ln for ln in values.lines if ln.get_label().startswith("Leaky ReLU")][0]
    x, y = leaky.get_data()
    assert x.min() == -3 and x.max() == 3
    np.testing.assert_allclose(y[x < 0], 0.2 * x[x < 0])
    one = plot_activations(["tanh"], derivatives=False)
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
        plot_activations(**kwargs)


def test_plot_layer_norms():
    fig = plot_layer_norms({"sigmoid": [1e-9, 1e-3, 1.0], "relu": [0.5, 0.6, 0.7]})
    (ax,) = fig.axes
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    # A value a log axis cannot show is left out, and the legend says so (one policy).
    zero = plot_layer_norms({"relu": [0.0, 1.0]})
    assert zero.axes[0].get_legend().get_texts()[0].get_text() == "relu (some 0: not drawn)"
    with pytest.raises(ValueError, match=r"must be a non-empty 1-D array"):
        plot_layer_norms({"relu": [[1.0]]})
    with pytest.raises(TypeError, match=r"Argument `norms` must be a non-empty mapping"):
        plot_layer_norms([1.0, 2.0])


def test_plot_layer_norms_panels_and_distinct_styles():
    same = [0.5, 0.6, 0.7]
    fig = plot_layer_norms([{"relu": same, "leaky_relu": same}, {"tanh": same}],
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
        plot_layer_norms([{"relu": same}, {"relu": same}], ylabel=["only one"])
    with pytest.raises(ValueError, match=r"Argument `titles` must give one title per panel"):
        plot_layer_norms({"relu": same}, titles=["a", "b"])
