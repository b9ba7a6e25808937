"""The MNIST convolutional network of the source article, its augmentation done the Keras 3
way, and a fast ``tf.data`` input pipeline (TensorFlow imported on use)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_int, check_number
from .training import quiet_tensorflow

__all__ = [
    "RECIPES",
    "Recipe",
    "article_augmentation",
    "article_cnn",
    "compile_with_schedule",
    "image_dataset",
    "mnist_images",
    "smoothed_sparse_crossentropy",
]


def mnist_images(x):
    """uint8 digits (n, 28, 28) → float32 images (n, 28, 28, 1) in [0, 1].

    Conv2D layers and Keras' image layers expect a channel axis; the source
    article's rank-3 arrays are why its ``ImageDataGenerator.fit`` call fails.
    """
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise ValueError(f"Argument `x` must have shape (n, 28, 28). Received shape {x.shape}")
    return (x.astype(np.float32) / 255.0)[..., None]


def article_augmentation(seed=0):
    """The article's ``ImageDataGenerator`` ranges as Keras 3 preprocessing layers.

    =====================================  ==========================================
    article (``ImageDataGenerator``)        here
    =====================================  ==========================================
    ``rotation_range=10`` (degrees)         ``RandomRotation(10 / 360)`` (turns)
    ``width/height_shift_range=0.1``        ``RandomTranslation(0.1, 0.1)``
    ``zoom_range=[0.9, 1.2]``               ``RandomZoom((-0.1, 0.2))`` (+ = zoom out)
    ``shear_range=0.1`` (0.1 *degrees*)     left out: a 0.1° shear changes nothing visible
    =====================================  ==========================================

    Empty pixels are filled with 0 (black background), not reflected. The layers
    act only in training; at inference they pass images through unchanged.
    """
    keras = quiet_tensorflow()
    seed = check_int(seed, "seed", low=0)
    fill = {"fill_mode": "constant", "fill_value": 0.0}
    return keras.Sequential([
        keras.layers.RandomRotation(10 / 360, seed=seed, **fill),
        keras.layers.RandomTranslation(0.1, 0.1, seed=seed + 1, **fill),
        keras.layers.RandomZoom((-0.1, 0.2), seed=seed + 2, **fill),
    ], name="augmentation")


def article_cnn(*, augmentation=None, dropout=0.0, batch_norm=False, name="article_cnn"):
    """The article's network: Conv 32 3×3 → MaxPool → Conv 64 3×3 → MaxPool → Flatten →
    Dense 128 → Dense 10 softmax, ReLU everywhere else.

    Parameters
    ----------
    augmentation : keras.Layer, optional
        Put in front of the network (active only in training).
    dropout : float, default 0
        Dropout rate before the last layer ("going further"), in [0, 1).
    batch_norm : bool, default False
        Batch normalization after each convolution ("going further").

    Returns
    -------
    keras.Sequential
    """
    keras = quiet_tensorflow()
    dropout = check_number(dropout, "dropout", low=0.0, high=1.0, high_open=True)
    L = keras.layers
    layers = [keras.Input(shape=(28, 28, 1))]
    if augmentation is not None:
        layers.append(augmentation)
    for filters in (32, 64):
        if batch_norm:
            layers += [L.Conv2D(filters, 3, use_bias=False), L.BatchNormalization(),
                       L.Activation("relu")]
        else:
            layers.append(L.Conv2D(filters, 3, activation="relu"))
        layers.append(L.MaxPooling2D(2))
    layers += [L.Flatten(), L.Dense(128, activation="relu")]
    if dropout:
        layers.append(L.Dropout(dropout))
    layers.append(L.Dense(10, activation="softmax"))
    return keras.Sequential(layers, name=name)


def image_dataset(x, y, *, batch_size, augmentation=None, shuffle=False, seed=0):
    """A ``tf.data`` pipeline: shuffle, batch, augment in a background thread, prefetch.

    Augmenting inside the pipeline (rather than as the model's first layer) runs
    it on batches in a background thread while the model trains on the previous
    batch, off the critical path. One thread is enough (the article's augmentation
    of 55,000 digits costs a few seconds per epoch against about 20 s of training)
    and keeps runs repeatable: with parallel calls, the batches race for the
    augmentation layers' seed generator, and two runs with the same seed differ
    (``tests/test_models.py::test_training_is_repeatable_under_a_fixed_seed``).

    tf.data's autotuner is switched off (``Options().autotune.enabled = False``):
    on the project's 2-core machine (TensorFlow 2.21) it made about every other epoch
    of the MNIST chapter take twice as long (22-44 s instead of 19-24 s); a stack dump
    showed the main thread waiting, at the end of an epoch, for the pipeline's threads
    to stop.
    """
    quiet_tensorflow()
    import tensorflow as tf

    batch_size = check_int(batch_size, "batch_size", low=1)
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        ds = ds.shuffle(len(y), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if augmentation is not None:
        ds = ds.map(lambda a, b: (augmentation(a, training=True), b),
                    num_parallel_calls=1)
    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.prefetch(tf.data.AUTOTUNE).with_options(options)


def compile_with_schedule(model, *, steps, peak_lr=3e-3, warmup_fraction=0.1,
                          label_smoothing=0.0):
    """Compile for integer-label classification with Adam on a warm-up + cosine schedule.

    The learning rate rises linearly from 0 to ``peak_lr`` over the first
    ``warmup_fraction`` of the ``steps`` training steps, then follows a cosine down
    to 0 (Loshchilov & Hutter 2017). The MNIST chapter and ``benchmarks/bench_mnist.py``
    both use it, so the benchmark times exactly the chapter's recipe.

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

    Parameters
    ----------
    label_smoothing : float
        ε in [0, 1).

    Returns
    -------
    callable
        ``loss(y_true, y_pred)`` with ``y_true`` integer labels of shape ``(n,)`` or
        ``(n, 1)`` and ``y_pred`` probabilities of shape ``(n, K)``; one loss per example.
    """
    keras = quiet_tensorflow()
    label_smoothing = check_number(label_smoothing, "label_smoothing", low=0.0, high=1.0,
                                   high_open=True)
    ops = keras.ops

    def loss(y_true, y_pred):
        labels = ops.cast(ops.reshape(y_true, (-1,)), "int32")
        target = ops.one_hot(labels, ops.shape(y_pred)[-1], dtype=y_pred.dtype)
        return keras.losses.categorical_crossentropy(target, y_pred,
                                                     label_smoothing=label_smoothing)

    loss.__name__ = f"smoothed_sparse_crossentropy_{label_smoothing:g}"
    return loss


@dataclass(frozen=True)
class Recipe:
    """How the MNIST chapter trains the article's network; ``benchmarks/bench_mnist.py``
    times the same settings.

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
        }
        if not isinstance(self.augment, (bool, np.bool_)):
            raise TypeError(f"Argument `augment` must be True or False. "
                            f"Received: augment={self.augment!r}")
        checked["augment"] = bool(self.augment)
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def steps_per_epoch(self, n_train):
        """Batches per pass over ``n_train`` images (the last one may be smaller)."""
        n_train = check_int(n_train, "n_train", low=1)
        return -(-n_train // self.batch_size)

    def prepare(self, x_train, y_train, *, seed=0, **variant):
        """The article's network compiled for this recipe, and its training pipeline.

        Seeds Keras (``keras.utils.set_random_seed``), builds fresh augmentation layers
        seeded by ``seed`` (if ``augment``) and :func:`article_cnn` (changed by
        ``variant``, its keyword options), compiles it with
        :func:`compile_with_schedule` over ``epochs`` × :meth:`steps_per_epoch` steps,
        and makes the shuffled :func:`image_dataset`. The MNIST chapter and both MNIST
        benchmarks train through it, so the same recipe and seed give the same run.

        Returns
        -------
        model : keras.Model
        data : tf.data.Dataset
            Batches of ``(images, labels)``; pass ``shuffle=False`` to ``fit`` (the
            pipeline reshuffles every epoch).
        """
        keras = quiet_tensorflow()
        seed = check_int(seed, "seed", low=0)
        keras.utils.set_random_seed(seed)
        augmentation = article_augmentation(seed=seed) if self.augment else None
        model = article_cnn(dropout=self.dropout, **variant)
        compile_with_schedule(model, steps=self.epochs * self.steps_per_epoch(len(y_train)),
                              peak_lr=self.peak_lr, label_smoothing=self.label_smoothing)
        data = image_dataset(x_train, y_train, batch_size=self.batch_size, shuffle=True,
                             augmentation=augmentation, seed=seed)
        return model, data

    def describe(self):
        """One line for tables: ``"2 epochs, batch 128, peak lr 0.003, no augmentation"``."""
        parts = [f"{self.epochs} epochs", f"batch {self.batch_size}", f"peak lr {self.peak_lr:g}",
                 "augmentation" if self.augment else "no augmentation"]
        if self.dropout:
            parts.append(f"dropout {self.dropout:g}")
        if self.label_smoothing:
            parts.append(f"label smoothing {self.label_smoothing:g}")
        return ", ".join(parts)


#: The chapter's two runs. ``fast``: two epochs on plain images, which reach 99 % test
#: accuracy in benchmarks/bench_mnist.py; ``full``: the article's augmentation, a longer
#: schedule and label smoothing (chosen on the validation split over three seeds,
#: benchmarks/select_mnist_recipe.py), the chapter's final model.
RECIPES = {
    "fast": Recipe(epochs=2, batch_size=128, peak_lr=3e-3, augment=False),
    "full": Recipe(epochs=15, batch_size=128, peak_lr=3e-3, augment=True, label_smoothing=0.1),
}
