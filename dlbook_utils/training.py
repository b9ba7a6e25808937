"""Small Keras models and a training loop for the chapters (TensorFlow imported on use).

The chapters show the model code a reader should study; this module holds what
several chapters repeat: MNIST as flat float arrays, a seeded dense network, and
``fit`` with a history that reads as plain lists.
"""

from __future__ import annotations

import os

import numpy as np

from ._validation import check_choice, check_int, check_number, make_rng
from .data import load_mnist

__all__ = ["dense_network", "fit", "mnist_flat", "quiet_tensorflow"]


#: What TensorFlow wrote to the process's standard error while it was imported (its C++
#: start-up log), kept here instead of being shown; empty before the first import.
STARTUP_LOG = ""


def quiet_tensorflow():
    """Import TensorFlow and Keras without their start-up log, and return ``keras``.

    Importing TensorFlow writes lines such as ``WARNING: All log messages before
    absl::InitializeLog() is called are written to STDERR`` and ``I0000 ...
    port.cc:153] oneDNN custom operations are on`` straight to file descriptor 2, from
    C++, on some CPUs and not on others. ``TF_CPP_MIN_LOG_LEVEL`` cannot silence them
    (they are written before absl's logging reads it), and in a Jupyter kernel they
    become a grey stderr box under the cell. So this function points descriptor 2 at a
    temporary file for the length of the import, then puts it back. What was written is
    kept in :data:`STARTUP_LOG` (and logged at DEBUG level by the ``dlbook_utils``
    logger); if the import fails, it is written out before the error is raised.
    TensorFlow's settings and numerics are untouched (``TF_ENABLE_ONEDNN_OPTS`` is not
    set). Every chapter and helper imports TensorFlow through this function. It also
    sets TensorFlow's Python logger to ERROR, which hides its retracing advice when a
    chapter trains several models in a loop.

    Returns
    -------
    module
        ``keras``.
    """
    global STARTUP_LOG
    import sys

    if "tensorflow" not in sys.modules or "keras" not in sys.modules:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        log = _import_with_fd2_captured()
        STARTUP_LOG += log
        if log:
            import logging

            logging.getLogger("dlbook_utils").debug("TensorFlow start-up log:\n%s", log)
    import keras
    import tensorflow as tf

    # TensorFlow's Python logger warns when a chapter builds several models in a loop
    # ("N out of the last M calls ... triggered tf.function retracing"): advice about
    # TensorFlow's internals, not about the reader's code. Errors still show.
    tf.get_logger().setLevel("ERROR")
    return keras


def _import_with_fd2_captured():
    """Import tensorflow and keras with file descriptor 2 sent to a temporary file;
    return what was written there."""
    import sys
    import tempfile

    for stream in (sys.stdout, sys.stderr, sys.__stderr__):
        if stream is not None:
            stream.flush()
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            import keras  # noqa: F401
            import tensorflow  # noqa: F401
        except BaseException:
            os.dup2(saved, 2)
            sink.seek(0)
            sys.stderr.write(sink.read().decode("utf-8", "replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        sink.seek(0)
        return sink.read().decode("utf-8", "replace")


def mnist_flat(n_train=None, n_test=None, *, path=None, seed=0):
    """MNIST as float32 vectors in [0, 1]: ``(x_train, y_train), (x_test, y_test)``.

    Parameters
    ----------
    n_train, n_test : int, optional
        Take a random subset of this many training / test images (default: all).
    path : str, optional
        Passed to :func:`dlbook_utils.data.load_mnist`.
    seed : int or numpy.random.Generator, default 0
        Chooses the subsets.

    Returns
    -------
    tuple
        ``x`` of shape (n, 784), float32; ``y`` of shape (n,), int64.
    """
    # Check the arguments before loading (or downloading) 70,000 images. MNIST has 60,000
    # training and 10,000 test images.
    n_train = None if n_train is None else check_int(n_train, "n_train", low=1, high=60_000)
    n_test = None if n_test is None else check_int(n_test, "n_test", low=1, high=10_000)
    rng = make_rng(seed)
    (x_train, y_train), (x_test, y_test) = load_mnist(path)

    def take(x, y, n, name):
        if n is not None:
            idx = np.sort(rng.choice(len(y), size=n, replace=False))
            x, y = x[idx], y[idx]
        return x.reshape(len(y), -1).astype(np.float32) / 255.0, y.astype(np.int64)

    return take(x_train, y_train, n_train, "n_train"), take(x_test, y_test, n_test, "n_test")


def dense_network(hidden=(128,), *, activation="relu", kernel_initializer="glorot_uniform",
                  bias_initializer="zeros", kernel_regularizer=None, dropout=0.0,
                  input_dim=784, classes=10, output_initializer=None, seed=0):
    """A fully connected classifier: ``hidden`` Dense layers, then a softmax layer.

    Every Dense layer, output included, uses ``kernel_initializer`` and
    ``bias_initializer`` (so a zeros/ones experiment really starts all-zero/all-one),
    unless ``output_initializer`` names another kernel initializer for the output layer.
    Keras initializers get their own seeds derived from ``seed``.

    Parameters
    ----------
    hidden : sequence of int
        Units of each hidden layer (1 to 100000 each; may be empty).
    activation : str
        Keras activation name of the hidden layers.
    kernel_initializer, bias_initializer : str
        Keras initializer names, such as ``"glorot_uniform"``, ``"he_normal"``, ``"zeros"``.
    kernel_regularizer : keras.regularizers.Regularizer, optional
        Applied to every hidden layer's kernel.
    dropout : float, default 0
        Dropout rate after every hidden layer, in [0, 1).
    input_dim, classes : int
    output_initializer : str or keras.initializers.Initializer, optional
        The output layer's kernel initializer (default: ``kernel_initializer``).
    seed : int

    Returns
    -------
    keras.Model
    """
    keras = quiet_tensorflow()
    hidden = [check_int(h, f"hidden[{i}]", low=1, high=100_000) for i, h in enumerate(hidden)]
    dropout = check_number(dropout, "dropout", low=0.0, high=1.0, high_open=True)
    seed = check_int(seed, "seed", low=0)

    def init(name, k):
        obj = keras.initializers.get(name)
        if hasattr(obj, "seed"):  # the random ones: a distinct, reproducible seed per layer
            cfg = obj.get_config()
            cfg["seed"] = seed * 1000 + k
            obj = type(obj).from_config(cfg)
        return obj

    layers = [keras.Input(shape=(check_int(input_dim, "input_dim", low=1),))]
    for k, units in enumerate(hidden):
        layers.append(keras.layers.Dense(
            units, activation=activation, kernel_initializer=init(kernel_initializer, 2 * k),
            bias_initializer=init(bias_initializer, 2 * k + 1),
            kernel_regularizer=kernel_regularizer, name=f"hidden{k + 1}"))
        if dropout:
            layers.append(keras.layers.Dropout(dropout, seed=seed + k, name=f"dropout{k + 1}"))
    layers.append(keras.layers.Dense(
        check_int(classes, "classes", low=2), activation="softmax",
        kernel_initializer=init(output_initializer or kernel_initializer, 999),
        bias_initializer=init(bias_initializer, 998),
        name="output"))
    return keras.Sequential(layers)


def fit(model, train, validation, *, epochs=5, batch_size=128, optimizer="adam",
        learning_rate=None, evaluate_first=False, seed=0):
    """Compile ``model`` for classification and train it; return the history as lists.

    Parameters
    ----------
    model : keras.Model
    train : tuple of arrays
        ``(x, y)`` with integer labels.
    validation : tuple of arrays or None
        Measured after every epoch; ``None`` skips it (faster: evaluate once at the end).
    epochs : int, default 5
    batch_size : int, default 128
    optimizer : {"adam", "sgd"} or keras.optimizers.Optimizer
        A name, or an optimizer object (such as ``keras.optimizers.AdamW(...)``), used
        as it is.
    learning_rate : float, optional
        For a named optimizer (default 1e-3). An optimizer object carries its own, so
        passing one with it is an error.
    evaluate_first : bool, default False
        Also measure the untrained model, as "epoch 0" at the front of every list.
    seed : int
        Seeds Python, NumPy and TensorFlow (``keras.utils.set_random_seed``) for the
        shuffling of the batches.

    Returns
    -------
    dict
        ``"loss"``, ``"accuracy"``, ``"val_loss"``, ``"val_accuracy"`` (the last two only
        with ``validation``): one float per epoch (``epochs + 1`` of them with
        ``evaluate_first``). ``"loss"`` and ``"accuracy"``
        are Keras' averages over each epoch's batches.
    """
    keras = quiet_tensorflow()
    epochs = check_int(epochs, "epochs", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    if isinstance(optimizer, keras.optimizers.Optimizer):
        if learning_rate is not None:
            raise ValueError("Argument `learning_rate` must be left out when `optimizer` is an "
                             "optimizer object (it has its own learning rate). Received: "
                             f"learning_rate={learning_rate!r}")
        opt = optimizer
    elif optimizer not in ("adam", "sgd"):
        raise ValueError("Argument `optimizer` must be 'adam', 'sgd' or a "
                         f"keras.optimizers.Optimizer object. Received: optimizer={optimizer!r}")
    else:
        learning_rate = check_number(1e-3 if learning_rate is None else learning_rate,
                                     "learning_rate", low=0.0, low_open=True)
        opt = (keras.optimizers.Adam if optimizer == "adam" else keras.optimizers.SGD)(
            learning_rate)
    keras.utils.set_random_seed(check_int(seed, "seed", low=0))
    # Several steps per call into TensorFlow: the same updates in the same order (the
    # results are identical), with less Python overhead per step on small data.
    steps = -(-len(train[1]) // batch_size)
    model.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=min(steps, 50))
    start = {}
    measured = [("", train)] + ([("val_", validation)] if validation is not None else [])
    if evaluate_first:
        for prefix, (x, y) in measured:
            loss, acc = model.evaluate(x, y, batch_size=1024, verbose=0)
            start[f"{prefix}loss"], start[f"{prefix}accuracy"] = [float(loss)], [float(acc)]
    hist = model.fit(*train, validation_data=validation, epochs=epochs, batch_size=batch_size,
                     verbose=0, shuffle=True)
    return {k: start.get(k, []) + [float(v) for v in vals] for k, vals in hist.history.items()}
