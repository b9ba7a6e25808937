"""dlbook_utils.plotting.initialization: the figures of the initialization chapter."""

import numpy as np
import pytest

from dlbook_utils.plotting.initialization import plot_depth_statistics


def test_plot_depth_statistics_says_what_it_cannot_draw():
    from dlbook_utils.initialization import depth_experiment

    kw = dict(depth=6, width=16, batch=32, rng=0)
    results = {"zeros": depth_experiment("zeros", "tanh", **kw),
               "ones": depth_experiment("ones", "relu", depth=400, width=64, batch=4, rng=0),
               "he": depth_experiment("he_normal", "relu", **kw)}
    fig = plot_depth_statistics(results, std_ylim=(1e-3, 1e3))
    left, right = fig.axes
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert labels[0] == "zeros (all 0: not drawn)"
    assert labels[1].startswith("ones (overflow")
    assert labels[2] == "he"
    assert left.get_yscale() == "log" and left.get_ylim() == pytest.approx((1e-3, 1e3))
    one = plot_depth_statistics({"he": results["he"]}, histogram_layers=[1, 6])
    assert len(one.axes) == 3
    with pytest.raises(ValueError, match=r"needs exactly one result"):
        plot_depth_statistics(results, histogram_layers=[1])
    with pytest.raises(ValueError, match=r"Argument `histogram_layers\[0\]` must be an integer "
                                         r"in \[1, 6\]"):
        plot_depth_statistics({"he": results["he"]}, histogram_layers=[7])


def test_plot_depth_statistics_gradients_and_frame_notes():
    from dlbook_utils.initialization import depth_experiment

    run = depth_experiment("glorot_uniform", "relu", depth=20, width=32, batch=64, rng=0)
    fig = plot_depth_statistics({"g": run}, grad_ylim=(1e-1, 1e3))
    right = fig.axes[1]
    (line,) = right.lines
    y = line.get_ydata()
    # Signal relative to the top layer: 1 at the last layer, far below 1 at the first.
    assert y[-1] == pytest.approx(1.0) and y[0] < 0.01
    assert right.get_legend().get_texts()[0].get_text() == "g (some below the frame: not drawn)"
    weight = plot_depth_statistics({"g": run}, gradient="weight")
    np.testing.assert_allclose(weight.axes[1].lines[0].get_ydata(), run["grad_norm"])
    with pytest.raises(ValueError, match=r"Argument `gradient` must be 'signal' or 'weight'"):
        plot_depth_statistics({"g": run}, gradient="both")
