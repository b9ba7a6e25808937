"""Keras model builders: the source article's convolutional network, its augmentation done
the Keras 3 way, and the dense classifiers of the initialization and regularization chapters.
Every builder takes an int ``seed`` (as Keras does) and seeds its own layers; none changes
global state. TensorFlow is imported on first use."""

from __future__ import annotations

from ._keras import quiet_tensorflow
from ._validation import check_int, check_number

__all__ = ["article_augmentation", "article_cnn", "dense_network"]


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

    Empty pixels are filled with 0 (the background), not copied from the nearest
    edge as ``ImageDataGenerator``'s default does. Unlike the article's single affine
    warp, the three layers resample the image three times (bilinear), which blurs the
    strokes a little; and ``RandomZoom`` keeps the aspect ratio, where
    ``ImageDataGenerator`` draws the two zoom factors independently. The layers act
    only in training; at inference they pass images through unchanged.

    Parameters
    ----------
    seed : int, default 0
        Seeds the three layers (``seed``, ``seed + 1``, ``seed + 2``).

    Returns
    -------
    keras.Sequential
    """
    keras = quiet_tensorflow()
    seed = check_int(seed, "seed", low=0)
    fill = {"fill_mode": "constant", "fill_value": 0.0}
    return keras.Sequential([
        keras.layers.RandomRotation(10 / 360, seed=seed, **fill),
        keras.layers.RandomTranslation(0.1, 0.1, seed=seed + 1, **fill),
        keras.layers.RandomZoom((-0.1, 0.2), seed=seed + 2, **fill),
    ], name="augmentation")


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
