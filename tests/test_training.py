"""dlbook_utils.training: the dense network, the fit loop and the symmetry experiment, on
real MNIST (the shared file)."""

import numpy as np
import pytest

from dlbook_utils import training as T


@pytest.fixture(scope="module")
def mnist_small(shared_mnist):
    return T.mnist_flat(2000, 500, path=shared_mnist, seed=0)


def test_mnist_flat_subsets(mnist_small):
    (x, y), (xt, yt) = mnist_small
    assert x.shape == (2000, 784) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    assert y.shape == (2000,) and set(np.unique(y)) == set(range(10))
    assert xt.shape == (500, 784)


def test_dense_network_shape_and_parameter_count():
    model = T.dense_network((128, 64), seed=0)
    assert model.count_params() == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10
    assert model.output_shape == (None, 10)
    dropped = T.dense_network((32,), dropout=0.5, seed=0)
    assert [layer.name for layer in dropped.layers] == ["hidden1", "dropout1", "output"]


@pytest.mark.parametrize("init", ["zeros", "ones"])
def test_symmetric_start_ends_with_identical_hidden_units(mnist_small, init):
    train, val = mnist_small
    model = T.dense_network((32,), kernel_initializer=init, bias_initializer=init, seed=0)
    history = T.fit(model, train, val, epochs=2, batch_size=64, optimizer="sgd",
                    learning_rate=0.1, seed=0)
    kernel, bias = model.get_layer("hidden1").get_weights()
    # Every hidden unit (column) is still a copy of the first one after training. In exact
    # arithmetic the copies are equal; in float32 the matrix kernels may round the last
    # columns differently (about 1e-7), six orders below a random start's spread (test below).
    np.testing.assert_allclose(kernel, np.repeat(kernel[:, :1], kernel.shape[1], axis=1),
                               rtol=0, atol=1e-5)
    np.testing.assert_allclose(bias, np.full_like(bias, bias[0]), rtol=0, atol=1e-5)
    if init == "zeros":
        assert not kernel.any()  # ReLU'(0) = 0: the hidden weights never got a gradient
    assert len(history["loss"]) == 2 and history["val_accuracy"][-1] < 0.3


def test_random_start_breaks_symmetry_and_learns(mnist_small):
    train, val = mnist_small
    model = T.dense_network((32,), kernel_initializer="he_normal", seed=0)
    history = T.fit(model, train, val, epochs=3, batch_size=64, optimizer="sgd",
                    learning_rate=0.1, seed=0)
    kernel = model.get_layer("hidden1").get_weights()[0]
    assert np.abs(kernel - kernel[:, :1]).max() > 0.1
    assert history["val_accuracy"][-1] > 0.8


def test_fit_is_reproducible(mnist_small):
    train, val = mnist_small
    runs = []
    for _ in range(2):
        model = T.dense_network((16,), seed=3)
        runs.append(T.fit(model, train, val, epochs=1, batch_size=100, seed=3)["loss"])
    assert runs[0] == runs[1]


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"Argument `dropout` must be a finite number in \[0, 1\)"):
        T.dense_network((8,), dropout=1.0)
    with pytest.raises(ValueError, match=r"Argument `hidden\[i\]` must be an integer in"):
        T.dense_network((0,))
    model = T.dense_network((8,))
    data = (np.zeros((4, 784), np.float32), np.zeros(4, np.int64))
    with pytest.raises(ValueError, match=r"Argument `optimizer` must be one of 'adam', 'sgd'"):
        T.fit(model, data, data, optimizer="rmsprop")
    with pytest.raises(ValueError, match=r"Argument `n_train` must be an integer in \[1, 60000\]"):
        T.mnist_flat(0)
