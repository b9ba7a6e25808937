"""Training: compiling and fitting Keras models, the label-smoothed loss, and the MNIST
chapter's training recipes. TensorFlow is imported on first use (see
:func:`quiet_tensorflow`)."""

from __future__ import annotations

from dataclasses import dataclass

from ._keras import quiet_tensorflow
from ._validation import check_bool, check_int, check_number
from .data import image_dataset
from .models import article_augmentation, article_cnn

__all__ = ["RECIPES", "Recipe", "compile_with_schedule", "fit", "quiet_tensorflow",
           "smoothed_sparse_crossentropy"]


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
        Seeds Python, NumPy and TensorFlow (``keras.utils.set_random_seed``: Keras
        shuffles the batches with TensorFlow's global generator, so this is the one
        Keras helper that changes global state).

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


def compile_with_schedule(model, *, steps, peak_lr=3e-3, warmup_fraction=0.1,
                          label_smoothing=0.0):
    """Compile for integer-label classification with Adam on a warm-up + cosine schedule.

    The learning rate rises linearly from 0 to ``peak_lr`` over the first
    ``warmup_fraction`` of the ``steps`` training steps, then follows a cosine down
    to 0: a linear warm-up (Goyal et al. 2017) and the cosine of SGDR (Loshchilov &
    Hutter 2017).

    Parameters
    ----------
    model : keras.Model
        A classifier whose last layer is a softmax over the classes.
    steps : int
        Training steps the schedule spans (epochs × batches per epoch), at least 2.
    peak_lr : float, default 3e-3
        The learning rate at the end of the warm-up, > 0.
    warmup_fraction : float, default 0.1
        Share of the steps spent warming up, in [0, 1).
    label_smoothing : float, default 0
        ε in [0, 1). The loss is the cross-entropy against the smoothed target
        :math:`q_k = (1 - \\varepsilon)\\,[k = y] + \\varepsilon / K` over the
        :math:`K` classes (Szegedy et al. 2016) instead of the one-hot target; the
        labels stay integers (see :func:`smoothed_sparse_crossentropy`). 0 gives
        Keras' ``sparse_categorical_crossentropy``.

    Returns
    -------
    keras.Model
        ``model``, compiled; its metric ``accuracy`` compares the arg-max with the label.
    """
    keras = quiet_tensorflow()
    steps = check_int(steps, "steps", low=2)
    peak_lr = check_number(peak_lr, "peak_lr", low=0.0, low_open=True)
    warmup_fraction = check_number(warmup_fraction, "warmup_fraction", low=0.0, high=1.0,
                                   high_open=True)
    label_smoothing = check_number(label_smoothing, "label_smoothing", low=0.0, high=1.0,
                                   high_open=True)
    warmup = int(steps * warmup_fraction)
    schedule = keras.optimizers.schedules.CosineDecay(
        0.0, decay_steps=steps - warmup, warmup_target=peak_lr, warmup_steps=warmup)
    if label_smoothing:
        loss = smoothed_sparse_crossentropy(label_smoothing)
    else:
        loss = "sparse_categorical_crossentropy"
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss=loss,
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model


def smoothed_sparse_crossentropy(label_smoothing):
    """A Keras loss: cross-entropy with label smoothing, for integer labels.

    Keras' ``SparseCategoricalCrossentropy`` has no ``label_smoothing`` argument;
    this loss one-hot encodes the integer labels inside the graph and calls
    ``keras.losses.categorical_crossentropy(..., label_smoothing=ε)``, so the
    labels stay integers in the input pipeline. With :math:`K` classes the target
    becomes :math:`q_k = (1 - \\varepsilon)\\,[k = y] + \\varepsilon / K`
    (Szegedy et al. 2016, "Rethinking the Inception architecture", section 7).

    Labels are checked when the loss runs, as Keras' sparse loss checks them: a label
    outside ``[0, K)``, or a float label that is not a whole number, raises
    ``tensorflow.errors.InvalidArgumentError`` naming the loss and the allowed range
    (one-hot encoding would otherwise turn it into an all-zero target and a finite,
    meaningless loss). Labels may be any integer or float dtype, of shape ``(n,)`` or
    ``(n, 1)``, as for Keras' losses.

    Parameters
    ----------
    label_smoothing : float
        ε in [0, 1).

    Returns
    -------
    callable
        ``loss(y_true, y_pred)`` with ``y_pred`` probabilities of shape ``(n, K)``;
        one loss per example.
    """
    keras = quiet_tensorflow()
    import tensorflow as tf

    label_smoothing = check_number(label_smoothing, "label_smoothing", low=0.0, high=1.0,
                                   high_open=True)
    name = f"smoothed_sparse_crossentropy_{label_smoothing:g}"

    def loss(y_true, y_pred):
        y = tf.reshape(tf.convert_to_tensor(y_true), (-1,))
        classes = tf.shape(y_pred, out_type=tf.int64)[-1]
        checks = []
        if y.dtype.is_floating:
            checks.append(tf.debugging.assert_equal(
                y, tf.round(y), message=f"{name}: labels must be whole numbers (class "
                "indices); received a fractional label"))
        labels = tf.cast(y, tf.int64)
        checks += [
            tf.debugging.assert_non_negative(
                labels, message=f"{name}: labels must be class indices in [0, K), K = "
                "y_pred.shape[-1]; received a negative label"),
            tf.debugging.assert_less(
                labels, classes, message=f"{name}: labels must be class indices in [0, K), "
                "K = y_pred.shape[-1]; received a label >= K"),
        ]
        with tf.control_dependencies(checks):
            target = tf.one_hot(labels, tf.cast(classes, tf.int32), dtype=y_pred.dtype)
        return keras.losses.categorical_crossentropy(target, y_pred,
                                                     label_smoothing=label_smoothing)

    loss.__name__ = name
    return loss


@dataclass(frozen=True)
class Recipe:
    """The settings of one way to train the article's network on MNIST.

    Attributes
    ----------
    epochs : int
        Passes over the training set; the learning-rate schedule spans exactly these.
    batch_size : int
        Images per step.
    peak_lr : float
        Adam's learning rate at the end of the warm-up (see :func:`compile_with_schedule`).
    augment : bool
        Whether training batches go through :func:`article_augmentation`.
    dropout : float
        Dropout rate before the output layer (0: the article's network unchanged).
    label_smoothing : float
        ε of the smoothed targets, in [0, 1) (0: plain cross-entropy); see
        :func:`compile_with_schedule`.
    """

    epochs: int
    batch_size: int
    peak_lr: float
    augment: bool
    dropout: float = 0.0
    label_smoothing: float = 0.0

    def __post_init__(self):
        # frozen dataclass: validated values are written back with object.__setattr__
        checked = {
            "epochs": check_int(self.epochs, "epochs", low=1),
            "batch_size": check_int(self.batch_size, "batch_size", low=1),
            "peak_lr": check_number(self.peak_lr, "peak_lr", low=0.0, low_open=True),
            "dropout": check_number(self.dropout, "dropout", low=0.0, high=1.0,
                                    high_open=True),
            "label_smoothing": check_number(self.label_smoothing, "label_smoothing", low=0.0,
                                            high=1.0, high_open=True),
            "augment": check_bool(self.augment, "augment"),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def steps_per_epoch(self, n_train):
        """Batches per pass over ``n_train`` images (the last one may be smaller)."""
        n_train = check_int(n_train, "n_train", low=1)
        return -(-n_train // self.batch_size)

    def prepare(self, x_train, y_train, *, seed=0, batch_norm=False):
        """The article's network compiled for this recipe, and its training pipeline.

        Builds fresh augmentation layers (if ``augment``) and :func:`article_cnn`, both
        seeded by ``seed``, compiles the network with :func:`compile_with_schedule` over
        ``epochs`` × :meth:`steps_per_epoch` steps, and makes the shuffled
        :func:`~dlbook_utils.data.image_dataset`. The MNIST chapter writes the same steps
        out in its own cells and checks that they build this.

        Parameters
        ----------
        x_train, y_train : array_like
            Images ``(n, 28, 28, 1)`` and integer labels.
        seed : int, default 0
        batch_norm : bool, default False
            Passed to :func:`article_cnn`.

        Returns
        -------
        model : keras.Model
        data : tf.data.Dataset
            Batches of ``(images, labels)``; pass ``shuffle=False`` to ``fit`` (the
            pipeline reshuffles every epoch).
        """
        seed = check_int(seed, "seed", low=0)
        augmentation = article_augmentation(seed=seed) if self.augment else None
        model = article_cnn(dropout=self.dropout, batch_norm=check_bool(batch_norm, "batch_norm"),
                            seed=seed)
        compile_with_schedule(model, steps=self.epochs * self.steps_per_epoch(len(y_train)),
                              peak_lr=self.peak_lr, label_smoothing=self.label_smoothing)
        data = image_dataset(x_train, y_train, batch_size=self.batch_size, shuffle=True,
                             augmentation=augmentation, seed=seed)
        return model, data


#: The MNIST chapter's two runs: ``fast``, two epochs on plain images in batches of 64;
#: ``full``, the article's augmentation, a longer schedule and label smoothing
#: (benchmarks/README.md has how they were chosen and their measurements).
RECIPES = {
    "fast": Recipe(epochs=2, batch_size=64, peak_lr=6e-3, augment=False),
    "full": Recipe(epochs=15, batch_size=128, peak_lr=3e-3, augment=True, label_smoothing=0.1),
}
