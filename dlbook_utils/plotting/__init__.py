"""Figures of the chapters, one module per chapter.

Every function returns the matplotlib ``Figure`` it drew (and never calls
``plt.show``), so the same code serves a live notebook, the static book and
the pre-computed frames of :mod:`dlbook_utils.widgets`.

A chapter's figures are in the module named after it: :mod:`~dlbook_utils.plotting.intro`,
:mod:`~dlbook_utils.plotting.activations`, :mod:`~dlbook_utils.plotting.regularization`,
:mod:`~dlbook_utils.plotting.initialization` and :mod:`~dlbook_utils.plotting.cnn_mnist`;
the training curves that four chapters draw are in :mod:`~dlbook_utils.plotting.training`,
and what every figure shares (palette, width, log-axis policy, smallest font size) in
:mod:`~dlbook_utils.plotting._style`. Every public name is also importable from
``dlbook_utils.plotting`` itself. Importing it loads NumPy only; matplotlib is imported
when a figure is drawn.
"""

from __future__ import annotations

from ._style import MAX_WIDTH, MIN_FONT_KEY, PALETTE, min_font_size
from .activations import COLORS, STYLES, plot_activations, plot_layer_norms  # noqa: F401
from .cnn_mnist import plot_confusion, plot_digits, plot_maps
from .initialization import plot_depth_statistics
from .intro import network_diagram, regression_vs_classification
from .regularization import plot_dropout, plot_regularized_fit, plot_sweep, plot_weight_histograms
from .training import plot_histories

__all__ = [
    "network_diagram",
    "plot_activations",
    "plot_confusion",
    "plot_digits",
    "plot_depth_statistics",
    "plot_dropout",
    "plot_maps",
    "plot_histories",
    "plot_regularized_fit",
    "plot_sweep",
    "plot_weight_histograms",
    "plot_layer_norms",
    "regression_vs_classification",
    "min_font_size",
    "MAX_WIDTH",
    "MIN_FONT_KEY",
    "PALETTE",
]
