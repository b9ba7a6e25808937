"""dlbook_utils.plotting.intro: the figures of the introduction."""

import numpy as np
import pytest

from dlbook_utils.plotting.intro import network_diagram, regression_vs_classification


def test_network_diagram():
    fig = network_diagram([2, 3, 1])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["input layer", "hidden layer 1", "output layer"]
    with pytest.raises(TypeError, match=r"at least two integers"):
        network_diagram([3])
    with pytest.raises(ValueError, match=r"Argument `layer_sizes\[1\]` must be an integer in "
                                         r"\[1, 12\]\. Received: layer_sizes\[1\]=40"):
        network_diagram([3, 40])


def test_regression_vs_classification_draws_what_basics_fitted():
    from dlbook_utils.basics import toy_tasks

    tasks = toy_tasks(rng=0)
    fig = regression_vs_classification(tasks)
    left, right = fig.axes
    line = left.lines[0]
    xs, ys = line.get_data()
    np.testing.assert_allclose(ys, tasks["regression"]["slope"] * xs
                               + tasks["regression"]["intercept"])
    assert len(right.collections) == 2  # the two classes
    with pytest.raises(TypeError, match=r"Argument `tasks` must be the dict returned by"):
        regression_vs_classification(0)
