"""dlbook_utils.plotting.cnn_mnist: the figures of the MNIST chapter."""

import numpy as np
import pytest

from dlbook_utils.plotting.cnn_mnist import plot_maps


def test_plot_maps_scales_each_map_and_checks_its_input():
    maps = np.stack([np.arange(9.0).reshape(3, 3) - 4, np.ones((3, 3)) * 5])
    fig = plot_maps(maps, titles=["a", "b"])
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 2
    assert images[0].get_cmap().name == "RdBu_r" and images[0].get_clim() == (-4.0, 4.0)
    assert images[1].get_clim() == (-5.0, 5.0)              # each map on its own scale
    grey = plot_maps(np.abs(maps), signed=False)
    assert [ax.images[0].get_cmap().name for ax in grey.axes if ax.images] == ["gray_r"] * 2
    mixed = plot_maps([np.ones((6, 6)), -np.ones((3, 3))])      # sizes may differ
    assert [ax.images[0].get_array().shape for ax in mixed.axes if ax.images] == [(6, 6), (3, 3)]
    with pytest.raises(ValueError, match=r"Argument `maps` must have shape \(n, h, w\)"):
        plot_maps(np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"Argument `maps` must hold 1 to 100 maps"):
        plot_maps(np.zeros((101, 2, 2)))
    with pytest.raises(ValueError, match=r"Argument `maps` must hold finite numbers"):
        plot_maps(np.full((1, 2, 2), np.nan))
    with pytest.raises(ValueError, match=r"Argument `titles` must have one title per map \(2\)"):
        plot_maps(maps, titles=["a"])
