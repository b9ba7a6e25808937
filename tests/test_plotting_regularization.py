"""dlbook_utils.plotting.regularization: the figures of the regularization chapter."""

import numpy as np
import pytest

from dlbook_utils.plotting.regularization import (
    plot_dropout,
    plot_regularized_fit,
    plot_sweep,
    plot_weight_histograms,
)


def test_plot_regularized_fit_counts_exact_zeros():
    x = np.linspace(-1, 1, 5)
    fig = plot_regularized_fit(x, x, x, x, [0.0, 1.5, 0.0], truth=x)
    assert fig.axes[1].get_title() == "2 of 3 exactly zero"
    with pytest.raises(ValueError, match=r"pairs of equal-length 1-D arrays"):
        plot_regularized_fit(x, x[:3], x, x, [1.0])


def test_plot_dropout_and_weight_histograms():
    h = np.ones((2, 4))
    fig = plot_dropout(h, 2 * h * (np.arange(4) % 2), 0.5)
    assert fig.axes[1].get_title() == "after dropout, p = 0.5: mean 1.000"
    with pytest.raises(ValueError, match=r"must be 2-D arrays of one shape"):
        plot_dropout(h, h[0], 0.5)
    fig = plot_weight_histograms({"a": [0.0, 0.0005, 0.5], "b": [1.0, -2.0]}, limit=1.0)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "a\n|w| < 0.001: 67%; exactly 0: 1"
    assert titles[1] == "b\n|w| < 0.001: 0%; exactly 0: 0, 1 beyond ±1"
    with pytest.raises(TypeError, match=r"mapping of 1 to 6 labels"):
        plot_weight_histograms([1.0])


def test_plot_sweep():
    fig = plot_sweep([0.0, 1e-3, 1e-1], {"train": [1, 2, 3], "validation": [3, 1, 2]},
                     mark=1e-3)
    (ax,) = fig.axes
    assert ax.get_xscale() == "symlog" and len(ax.lines) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "validation",
                                                                   "chosen: 0.001"]
    with pytest.raises(ValueError, match=r"Argument `values` must be at least 2 non-negative "
                                         r"numbers in increasing order"):
        plot_sweep([1e-3, 0.0], {"a": [1, 2]})
    with pytest.raises(ValueError, match=r"must have one value per setting \(3\)"):
        plot_sweep([0.0, 1.0, 2.0], {"a": [1, 2]})
