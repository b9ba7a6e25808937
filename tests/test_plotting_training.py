"""dlbook_utils.plotting.training: the training curves four chapters draw."""

import numpy as np

from dlbook_utils.plotting.training import plot_histories


def test_plot_histories_notes_and_labels():
    fig = plot_histories({"run": {"loss": [1.0, 0.0, np.nan], "val_accuracy": [0.1, 0.5, 0.9]}},
                         first_epoch=0, xlabel="step")
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_xlabel() == "step"
    assert loss_ax.get_legend().get_texts()[0].get_text() == "run (some 0, NaN from 2: not drawn)"
    np.testing.assert_array_equal(acc_ax.lines[0].get_xdata(), [0, 1, 2])
