"""dlbook_utils.training: the dense network, the fit loop and the symmetry experiment, on
real MNIST (the shared file)."""

import numpy as np
import pytest

from dlbook_utils import data as D
from dlbook_utils import models as M
from dlbook_utils import training as T

keras = T.quiet_tensorflow()
import tensorflow as tf  # noqa: E402


@pytest.fixture(scope="module")
def mnist_small(shared_mnist):
    return D.mnist_flat(2000, 500, path=shared_mnist, rng=0)


@pytest.mark.parametrize("init", ["zeros", "ones"])
def test_symmetric_start_ends_with_identical_hidden_units(mnist_small, init):
    train, val = mnist_small
    model = M.dense_network((32,), kernel_initializer=init, bias_initializer=init, seed=0)
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
    model = M.dense_network((32,), kernel_initializer="he_normal", seed=0)
    history = T.fit(model, train, val, epochs=3, batch_size=64, optimizer="sgd",
                    learning_rate=0.1, seed=0)
    kernel = model.get_layer("hidden1").get_weights()[0]
    assert np.abs(kernel - kernel[:, :1]).max() > 0.1
    assert history["val_accuracy"][-1] > 0.8


def test_fit_is_reproducible(mnist_small):
    train, val = mnist_small
    runs = []
    for _ in range(2):
        model = M.dense_network((16,), seed=3)
        runs.append(T.fit(model, train, val, epochs=1, batch_size=100, seed=3)["loss"])
    assert runs[0] == runs[1]


def test_fit_without_validation(mnist_small):
    train, _ = mnist_small
    model = M.dense_network((16,), seed=3)
    history = T.fit(model, train, None, epochs=2, batch_size=100, seed=3, evaluate_first=True)
    assert sorted(history) == ["accuracy", "loss"] and len(history["loss"]) == 3
    # The same training with validation gives the same weights: measuring changes nothing.
    other = M.dense_network((16,), seed=3)
    T.fit(other, train, train, epochs=2, batch_size=100, seed=3)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_fit_takes_an_optimizer_object(mnist_small):
    """AdamW's decoupled decay: a weight with no data gradient (a pixel that is black in
    every training image) is multiplied by exactly (1 - lr * wd) per step, whatever Adam does."""
    keras = T.quiet_tensorflow()
    (x, y), val = mnist_small
    train = (x[:500], y[:500])
    black = np.all(train[0] == 0, axis=0)
    model = M.dense_network((16,), seed=0)
    w0 = model.get_layer("hidden1").get_weights()[0]
    lr, wd = 1e-3, 0.5
    T.fit(model, train, val, epochs=2, batch_size=100, seed=0,
          optimizer=keras.optimizers.AdamW(learning_rate=lr, weight_decay=wd))
    w = model.get_layer("hidden1").get_weights()[0]
    steps = 2 * 5
    np.testing.assert_allclose(w[black], w0[black] * (1 - lr * wd) ** steps, rtol=1e-5)
    assert np.abs(w[~black] - w0[~black]).max() > 1e-3  # the others did learn


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"Argument `dropout` must be a finite number in \[0, 1\)"):
        M.dense_network((8,), dropout=1.0)
    with pytest.raises(ValueError, match=r"Argument `hidden\[0\]` must be an integer in"):
        M.dense_network((0,))
    model = M.dense_network((8,))
    data = (np.zeros((4, 784), np.float32), np.zeros(4, np.int64))
    with pytest.raises(ValueError, match=r"Argument `optimizer` must be 'adam', 'sgd' or a "
                       r"keras.optimizers.Optimizer object. Received: optimizer='rmsprop'"):
        T.fit(model, data, data, optimizer="rmsprop")
    keras = T.quiet_tensorflow()
    with pytest.raises(ValueError, match=r"Argument `learning_rate` must be left out when "
                       r"`optimizer` is an optimizer object"):
        T.fit(model, data, data, optimizer=keras.optimizers.AdamW(1e-3), learning_rate=1e-2)
    with pytest.raises(ValueError, match=r"Argument `n_train` must be an integer in \[1, 60000\]"):
        D.mnist_flat(0, path="/nonexistent/mnist.npz")  # checked before any loading




def test_compile_with_schedule_warms_up_then_decays():
    model = T.compile_with_schedule(M.article_cnn(), steps=100, peak_lr=3e-3)
    schedule = model.optimizer.learning_rate if callable(model.optimizer.learning_rate) else \
        model.optimizer._learning_rate
    lr = [float(schedule(step)) for step in (0, 5, 10, 55, 100)]
    assert lr[0] == 0.0 and lr[1] == pytest.approx(1.5e-3) and lr[2] == pytest.approx(3e-3)
    assert lr[2] > lr[3] > lr[4] and lr[4] == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match=r"Argument `steps` must be an integer in \[2, inf\]"):
        T.compile_with_schedule(M.article_cnn(), steps=1)
    with pytest.raises(ValueError, match=r"Argument `peak_lr` must be a finite number"):
        T.compile_with_schedule(M.article_cnn(), steps=10, peak_lr=0)


def test_smoothed_sparse_crossentropy_matches_keras_and_the_formula():
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(6, 10)).astype(np.float32)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = rng.integers(0, 10, 6)
    for eps in (0.0, 0.1, 0.3):
        ours = np.asarray(T.smoothed_sparse_crossentropy(eps)(y, p))
        # Keras' own smoothing on one-hot labels
        theirs = np.asarray(keras.losses.categorical_crossentropy(
            np.eye(10, dtype=np.float32)[y], p, label_smoothing=eps))
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
        # the formula: cross-entropy against q = (1 - eps) * one_hot + eps / K
        q = (1 - eps) * np.eye(10)[y] + eps / 10
        np.testing.assert_allclose(ours, -(q * np.log(p)).sum(axis=1), rtol=1e-5)
        # (n, 1) labels give the same losses as (n,)
        np.testing.assert_allclose(np.asarray(T.smoothed_sparse_crossentropy(eps)(y[:, None], p)),
                                   ours, rtol=1e-6)
    np.testing.assert_allclose(  # eps = 0 is the plain sparse cross-entropy
        np.asarray(T.smoothed_sparse_crossentropy(0.0)(y, p)),
        np.asarray(keras.losses.sparse_categorical_crossentropy(y, p)), rtol=1e-6)
    with pytest.raises(ValueError, match=r"Argument `label_smoothing` must be a finite number "
                                         r"in \[0, 1\)"):
        T.smoothed_sparse_crossentropy(1.0)
    with pytest.raises(ValueError, match=r"Argument `label_smoothing`"):
        T.compile_with_schedule(M.article_cnn(), steps=10, label_smoothing=-0.1)


def test_label_smoothing_trains_on_integer_labels():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((128, 28, 28, 1)).astype(np.float32)
    y = rng.integers(0, 10, 128)
    model = T.compile_with_schedule(M.article_cnn(), steps=8, label_smoothing=0.1)
    history = model.fit(D.image_dataset(x, y, batch_size=32), epochs=2, verbose=0,
                        shuffle=False).history
    assert set(history) == {"loss", "accuracy"} and np.all(np.isfinite(history["loss"]))
    # the reported loss is the smoothed one: above the plain cross-entropy's value
    plain = float(np.mean(keras.losses.sparse_categorical_crossentropy(
        y, model.predict(x, verbose=0))))
    smoothed = float(model.evaluate(x, y, verbose=0)[0])
    assert smoothed > plain


def test_recipes_are_validated():
    assert T.RECIPES["full"].augment and T.RECIPES["full"].epochs > T.RECIPES["fast"].epochs
    r = T.Recipe(epochs=3, batch_size=64, peak_lr=1e-3, augment=True, dropout=0.25)
    assert (r.epochs, r.batch_size, r.peak_lr, r.augment, r.dropout) == (3, 64, 1e-3, True, 0.25)
    with pytest.raises(ValueError, match=r"Argument `epochs` must be an integer in \[1, inf\]"):
        T.Recipe(epochs=0, batch_size=128, peak_lr=1e-3, augment=False)
    with pytest.raises(ValueError, match=r"Argument `peak_lr` must be a finite number"):
        T.Recipe(epochs=1, batch_size=128, peak_lr=float("nan"), augment=False)
    with pytest.raises(ValueError, match=r"Argument `dropout` must be a finite number in \[0, 1\)"):
        T.Recipe(epochs=1, batch_size=128, peak_lr=1e-3, augment=False, dropout=1.0)
    smooth = T.Recipe(epochs=3, batch_size=64, peak_lr=1e-3, augment=True, label_smoothing=0.1)
    assert smooth.label_smoothing == 0.1
    with pytest.raises(ValueError, match=r"Argument `label_smoothing` must be a finite number"):
        T.Recipe(epochs=1, batch_size=128, peak_lr=1e-3, augment=False, label_smoothing=1.0)
    with pytest.raises(TypeError, match=r"Argument `augment` must be True or False. "
                                        r"Received: augment='yes'"):
        T.Recipe(epochs=1, batch_size=128, peak_lr=1e-3, augment="yes")


def test_recipe_prepare_builds_the_seeded_run():
    x = np.random.default_rng(3).random((300, 28, 28, 1)).astype(np.float32)
    y = np.arange(300) % 10
    recipe = T.Recipe(epochs=3, batch_size=64, peak_lr=2e-3, augment=True, label_smoothing=0.1)
    assert recipe.steps_per_epoch(300) == 5 and recipe.steps_per_epoch(320) == 5
    model, data = recipe.prepare(x, y, seed=4)
    # the schedule spans epochs * steps_per_epoch = 15 steps: warm-up to the peak over
    # the first 10 % (1 step), then a cosine to 0 at step 15
    lr = model.optimizer._learning_rate
    assert float(lr(1)) == pytest.approx(2e-3) and float(lr(15)) == pytest.approx(0.0, abs=1e-9)
    assert [int(b[0].shape[0]) for b in data] == [64, 64, 64, 64, 44]
    assert model.loss.__name__ == "smoothed_sparse_crossentropy_0.1"
    again, _ = recipe.prepare(x, y, seed=4)
    other, _ = recipe.prepare(x, y, seed=5)
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)       # same seed, same starting weights
    assert not np.array_equal(model.get_weights()[0], other.get_weights()[0])
    assert recipe.prepare(x, y, batch_norm=True)[0].count_params() == 225_322  # a variant
    with pytest.raises(ValueError, match=r"Argument `seed` must be an integer in \[0, inf\]"):
        recipe.prepare(x, y, seed=-1)
    with pytest.raises(ValueError, match=r"Argument `n_train` must be an integer in \[1, inf\]"):
        recipe.steps_per_epoch(0)


def _train_once(x, y, seed):
    keras.utils.set_random_seed(seed)
    model = T.compile_with_schedule(M.article_cnn(), steps=8, peak_lr=3e-3)
    ds = D.image_dataset(x, y, batch_size=64, augmentation=M.article_augmentation(0),
                         shuffle=True)
    model.fit(ds, epochs=2, verbose=0, shuffle=False)
    return [w.copy() for w in model.get_weights()]


def test_training_is_repeatable_under_a_fixed_seed():
    # The chapter's claim: same seed, same run (on a CPU, up to kernel scheduling).
    rng = np.random.default_rng(1)
    x = rng.random((256, 28, 28, 1)).astype(np.float32)
    y = rng.integers(0, 10, 256)
    first, again, other = _train_once(x, y, 0), _train_once(x, y, 0), _train_once(x, y, 1)
    for a, b in zip(first, again):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-5)
    assert max(np.abs(a - c).max() for a, c in zip(first, other)) > 1e-2


@pytest.mark.parametrize("labels, problem", [([0, 10], "label >= K"), ([-1, 2], "negative label"),
                                             ([0.5, 1.0], "fractional label")])
def test_smoothed_loss_refuses_labels_outside_the_classes(labels, problem):
    # Keras' own sparse loss raises on such labels; one-hot encoding would silently give an
    # all-zero target (and, for eps = 0, a loss of 0).
    p = np.full((2, 10), 0.1, np.float32)
    for eps in (0.0, 0.1):
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=rf"smoothed_sparse_crossentropy_{eps:g}: labels must be .*{problem}"):
            T.smoothed_sparse_crossentropy(eps)(np.array(labels), p)


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.int64, np.float32, np.float64])
def test_smoothed_loss_takes_the_label_dtypes_keras_takes(dtype):
    p = np.random.default_rng(0).dirichlet(np.ones(10), 4).astype(np.float32)
    y = np.array([0, 3, 9, 5], dtype)
    ours = np.asarray(T.smoothed_sparse_crossentropy(0.0)(y, p))
    theirs = np.asarray(keras.losses.sparse_categorical_crossentropy(y, p))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)


def test_smoothed_loss_raises_inside_training():
    x = np.zeros((8, 28, 28, 1), np.float32)
    model = T.compile_with_schedule(M.article_cnn(), steps=4, label_smoothing=0.1)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"labels must be class indices"):
        model.fit(x, np.array([0, 1, 2, 3, 4, 5, 6, 12]), epochs=1, batch_size=8, verbose=0)
