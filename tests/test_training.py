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


def test_fit_without_validation(mnist_small):
    train, _ = mnist_small
    model = T.dense_network((16,), seed=3)
    history = T.fit(model, train, None, epochs=2, batch_size=100, seed=3, evaluate_first=True)
    assert sorted(history) == ["accuracy", "loss"] and len(history["loss"]) == 3
    # The same training with validation gives the same weights: measuring changes nothing.
    other = T.dense_network((16,), seed=3)
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
    model = T.dense_network((16,), seed=0)
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
        T.dense_network((8,), dropout=1.0)
    with pytest.raises(ValueError, match=r"Argument `hidden\[0\]` must be an integer in"):
        T.dense_network((0,))
    model = T.dense_network((8,))
    data = (np.zeros((4, 784), np.float32), np.zeros(4, np.int64))
    with pytest.raises(ValueError, match=r"Argument `optimizer` must be 'adam', 'sgd' or a "
                       r"keras.optimizers.Optimizer object. Received: optimizer='rmsprop'"):
        T.fit(model, data, data, optimizer="rmsprop")
    keras = T.quiet_tensorflow()
    with pytest.raises(ValueError, match=r"Argument `learning_rate` must be left out when "
                       r"`optimizer` is an optimizer object"):
        T.fit(model, data, data, optimizer=keras.optimizers.AdamW(1e-3), learning_rate=1e-2)
    with pytest.raises(ValueError, match=r"Argument `n_train` must be an integer in \[1, 60000\]"):
        T.mnist_flat(0, path="/nonexistent/mnist.npz")  # checked before any loading


# quiet_tensorflow: TensorFlow's C++ start-up log is kept off file descriptor 2.

def _python(code, tmp_path, *, fake=None, env=None):
    """Run ``code`` in a fresh interpreter; with ``fake``, a stand-in tensorflow/keras pair
    whose import runs ``fake`` is first on the path. Returns the finished process."""
    import os
    import subprocess
    import sys
    import textwrap

    path = [str(T.__file__).rsplit("/dlbook_utils/", 1)[0]]
    if fake is not None:
        for name in ("tensorflow", "keras"):
            (tmp_path / name).mkdir()
            (tmp_path / name / "__init__.py").write_text(
                textwrap.dedent(fake) if name == "tensorflow" else "")
        path.insert(0, str(tmp_path))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
        timeout=300, env={**os.environ, "PYTHONPATH": os.pathsep.join(path), **(env or {})})


def test_quiet_tensorflow_keeps_cpp_stderr_off_the_screen(tmp_path):
    # A stand-in for TensorFlow that writes to file descriptor 2 as its C++ code does.
    fake = """
        import logging
        import os
        os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called\\n")
        os.write(2, b"I0000 00:00:1.2 42 port.cc:153] oneDNN custom operations are on.\\n")
        get_logger = lambda: logging.getLogger("tensorflow")   # as TensorFlow has
    """
    code = """
        import sys
        from dlbook_utils import training as T
        T.quiet_tensorflow()
        sys.stderr.write("after the import, stderr works\\n")
        print(repr(T.STARTUP_LOG))
    """
    proc = _python(code, tmp_path, fake=fake)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "after the import, stderr works\n"
    assert "absl::InitializeLog" in proc.stdout and "port.cc:153] oneDNN" in proc.stdout


def test_quiet_tensorflow_shows_the_log_when_the_import_fails(tmp_path):
    fake = """
        import os
        os.write(2, b"E0000 libsomething.so: cannot open shared object file\\n")
        raise ImportError("stand-in TensorFlow failed to load")
    """
    proc = _python("from dlbook_utils import training as T; T.quiet_tensorflow()",
                   tmp_path, fake=fake)
    assert proc.returncode != 0
    assert "libsomething.so: cannot open shared object file" in proc.stderr
    assert "ImportError: stand-in TensorFlow failed to load" in proc.stderr


@pytest.mark.parametrize("onednn", ["1", "0"])
def test_real_tensorflow_import_writes_nothing_to_stderr(tmp_path, onednn):
    """With oneDNN forced on, TensorFlow 2.21 writes its start-up log on any x86-64 CPU;
    none of it reaches stderr, and training a layer afterwards writes nothing either."""
    code = """
        import numpy as np
        from dlbook_utils import training as T
        keras = T.quiet_tensorflow()
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
        model.compile("adam", "mse")
        model.fit(np.zeros((8, 4)), np.zeros((8, 2)), verbose=0)
        print("oneDNN" in T.STARTUP_LOG)
    """
    proc = _python(code, tmp_path, env={"TF_ENABLE_ONEDNN_OPTS": onednn})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    # The variable really changed what TensorFlow does: its log says so when it is on.
    assert proc.stdout.strip() == ("True" if onednn == "1" else "False")
