"""Keras model builders: the source article's convolutional network, its augmentation done
the Keras 3 way, and the dense classifiers of the initialization and regularization chapters.
Every builder takes an int ``seed`` (as Keras does) and seeds its own layers; none changes
global state. TensorFlow is imported on first use."""

from __future__ import annotations

import functools
import math

from ._keras import quiet_tensorflow
from ._validation import check_int, check_number

__all__ = ["affine_matrix", "article_augmentation", "article_cnn", "dense_network"]


def affine_matrix(theta, tx, ty, zx, zy, *, size=28):
    """The sampling transform of one of ``ImageDataGenerator``'s warps, as Keras takes it.

    ``ImageDataGenerator.apply_transform`` builds rotation · shift · zoom about the image's
    centre :math:`c` (pixel :math:`(size - 1) / 2` on both axes) and reads each output
    pixel :math:`p` (column :math:`x`, row :math:`y`) from the input at

    .. math:: q = c + R_\\theta Z\\,(p - c) + R_\\theta t, \\qquad
              R_\\theta = \\begin{pmatrix}\\cos\\theta & -\\sin\\theta\\\\
              \\sin\\theta & \\cos\\theta\\end{pmatrix},\\;
              Z = \\operatorname{diag}(z_x, z_y),\\; t = (t_x, t_y),

    so a zoom factor above 1 reads from a larger area: the digit shrinks.

    Parameters
    ----------
    theta : array_like
        Rotation angle(s) in degrees.
    tx, ty : array_like
        Shifts in pixels along the columns and the rows.
    zx, zy : array_like
        Zoom factors along the columns and the rows (> 0).
    size : int, default 28
        Height and width of the (square) images.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., 8)``: ``[a0, a1, a2, b0, b1, b2, 0, 0]``, the input point
        :math:`(a_0 x + a_1 y + a_2,\\; b_0 x + b_1 y + b_2)` for output pixel
        :math:`(x, y)`, as ``keras.ops.image.affine_transform`` takes it.
    """
    import numpy as np

    theta, tx, ty, zx, zy = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                                  for v in (theta, tx, ty, zx, zy)))
    if not np.all(np.isfinite([theta, tx, ty, zx, zy])) or np.any(zx <= 0) or np.any(zy <= 0):
        raise ValueError("Arguments `theta`, `tx`, `ty` must be finite and `zx`, `zy` finite "
                         f"and > 0. Received: theta={theta}, tx={tx}, ty={ty}, zx={zx}, zy={zy}")
    size = check_int(size, "size", low=1)
    t = np.deg2rad(theta)
    entries = _affine_entries(np.cos(t), np.sin(t), tx, ty, zx, zy, (size - 1) / 2)
    return np.stack(entries + [np.zeros_like(t)] * 2, axis=-1)


def _affine_entries(cos, sin, tx, ty, zx, zy, c):
    """a0, a1, a2, b0, b1, b2 of :func:`affine_matrix`, with arithmetic only (NumPy arrays
    and Keras tensors alike)."""
    a0, a1, b0, b1 = cos * zx, -sin * zy, sin * zx, cos * zy
    a2 = c - a0 * c - a1 * c + cos * tx - sin * ty
    b2 = c - b0 * c - b1 * c + sin * tx + cos * ty
    return [a0, a1, a2, b0, b1, b2]


@functools.cache
def _augmentation_class():
    """The augmentation layer's class, made once, on first use (Keras is imported lazily)."""
    keras = quiet_tensorflow()
    from keras import ops

    class ArticleAugmentation(keras.layers.Layer):
        """One random affine warp per image with the article's ranges (see
        :func:`article_augmentation`)."""

        def __init__(self, seed=0, **kwargs):
            super().__init__(**kwargs)
            self.seed = seed
            self.generator = keras.random.SeedGenerator(seed)

        def draw(self, n, size):
            """The next ``n`` warps: angles in degrees, shifts in pixels, zoom factors."""
            u = keras.random.uniform((n, 5), seed=self.generator)
            shift = 0.1 * ops.cast(size, "float32")                   # ±10 % of the size
            return {"theta": (2 * u[:, 0] - 1) * 10.0,                # ±10°
                    "tx": (2 * u[:, 1] - 1) * shift, "ty": (2 * u[:, 2] - 1) * shift,
                    "zx": 0.9 + 0.3 * u[:, 3], "zy": 0.9 + 0.3 * u[:, 4]}  # in [0.9, 1.2]

        def call(self, images, training=False):
            if not training:
                return images
            size = ops.shape(images)[1]
            w = self.draw(ops.shape(images)[0], size)
            radians = w["theta"] * (math.pi / 180)
            entries = _affine_entries(ops.cos(radians), ops.sin(radians), w["tx"], w["ty"],
                                      w["zx"], w["zy"], (ops.cast(size, "float32") - 1) / 2)
            transform = ops.stack(entries + [ops.zeros_like(radians)] * 2, axis=1)
            return ops.image.affine_transform(images, transform, interpolation="bilinear",
                                              fill_mode="constant", fill_value=0.0)

        def compute_output_shape(self, input_shape):
            return input_shape

        def get_config(self):
            return {**super().get_config(), "seed": self.seed}

    return ArticleAugmentation


def article_augmentation(seed=0):
    """The article's ``ImageDataGenerator`` augmentation as one Keras 3 layer: a single
    random affine warp per image.

    =====================================  ==========================================
    article (``ImageDataGenerator``)        here (drawn per image, uniformly)
    =====================================  ==========================================
    ``rotation_range=10`` (degrees)         angle θ in [-10°, 10°]
    ``width/height_shift_range=0.1``        shifts in [-2.8, 2.8] pixels, each axis
    ``zoom_range=[0.9, 1.2]``               factors :math:`z_x, z_y` in [0.9, 1.2], each
                                            axis (> 1 zooms out)
    ``shear_range=0.1`` (0.1 *degrees*)     left out: a 0.1° shear changes nothing visible
    =====================================  ==========================================

    Like ``ImageDataGenerator``, it combines rotation, shift and zoom into one transform
    (:func:`affine_matrix`) and resamples the image once (bilinear). Three separate Keras
    layers (``RandomRotation``, ``RandomTranslation``, ``RandomZoom``) would resample it
    three times, blurring the strokes, and ``RandomZoom`` keeps the aspect ratio; on the
    validation split the network trained with them was less accurate
    (``benchmarks/README.md``; which of the two differences matters was not isolated). Empty pixels are filled with 0 (the
    background), not copied from the nearest edge as ``ImageDataGenerator``'s default does.
    The layer acts only in training; at inference it passes images through unchanged.

    Parameters
    ----------
    seed : int, default 0
        Seeds the layer's random draws (a ``keras.random.SeedGenerator``).

    Returns
    -------
    keras.layers.Layer
    """
    seed = check_int(seed, "seed", low=0)
    return _augmentation_class()(seed=seed, name="augmentation")


def article_cnn(*, augmentation=None, dropout=0.0, batch_norm=False, seed=0,
                name="article_cnn"):
    """The article's network: Conv 32 3×3 → MaxPool → Conv 64 3×3 → MaxPool → Flatten →
    Dense 128 → Dense 10 softmax, ReLU everywhere else.

    Parameters
    ----------
    augmentation : keras.Layer, optional
        Put in front of the network (active only in training).
    dropout : float, default 0
        Dropout rate before the last layer ("going further"), in [0, 1).
    batch_norm : bool, default False
        Batch normalization after each convolution.
    seed : int, default 0
        Seeds every layer's initializer (Keras' defaults: Glorot uniform kernels, zero
        biases) and the dropout, so the network is the same whatever ran before.

    Returns
    -------
    keras.Sequential
    """
    keras = quiet_tensorflow()
    dropout = check_number(dropout, "dropout", low=0.0, high=1.0, high_open=True)
    seed = check_int(seed, "seed", low=0)
    L = keras.layers
    seeds = iter(range(seed * 1000, seed * 1000 + 1000))

    def glorot():
        return keras.initializers.GlorotUniform(seed=next(seeds))

    layers = [keras.Input(shape=(28, 28, 1))]
    if augmentation is not None:
        layers.append(augmentation)
    for filters in (32, 64):
        if batch_norm:
            layers += [L.Conv2D(filters, 3, use_bias=False, kernel_initializer=glorot()),
                       L.BatchNormalization(), L.Activation("relu")]
        else:
            layers.append(L.Conv2D(filters, 3, activation="relu", kernel_initializer=glorot()))
        layers.append(L.MaxPooling2D(2))
    layers += [L.Flatten(), L.Dense(128, activation="relu", kernel_initializer=glorot())]
    if dropout:
        layers.append(L.Dropout(dropout, seed=next(seeds)))
    layers.append(L.Dense(10, activation="softmax", kernel_initializer=glorot()))
    return keras.Sequential(layers, name=name)


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
