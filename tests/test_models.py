"""dlbook_utils.models: the article's network, its augmentation as Keras 3 layers, the input
pipeline, and the corrected listing training for a few steps."""

import numpy as np
import pytest

from dlbook_utils import models as M
from dlbook_utils.data import image_dataset
from dlbook_utils.training import quiet_tensorflow

keras = quiet_tensorflow()


def test_parameter_count_and_output_shape():
    model = M.article_cnn()
    assert model.count_params() == 225_034
    assert model.output_shape == (None, 10)
    out = model(np.zeros((2, 28, 28, 1), np.float32))
    np.testing.assert_allclose(np.asarray(out).sum(axis=1), 1.0, rtol=1e-5)  # softmax


def test_augmentation_is_inactive_at_inference_and_active_in_training():
    rng = np.random.default_rng(0)
    x = rng.random((4, 28, 28, 1)).astype(np.float32)
    aug = M.article_augmentation(seed=0)
    np.testing.assert_array_equal(np.asarray(aug(x, training=False)), x)
    assert not np.allclose(np.asarray(aug(x, training=True)), x)
    model = M.article_cnn(augmentation=M.article_augmentation(seed=0))
    a = np.asarray(model(x, training=False))
    b = np.asarray(model(x, training=False))
    np.testing.assert_array_equal(a, b)  # no randomness at inference
    assert model.count_params() == 225_034  # augmentation adds no parameters


def test_zoom_direction_matches_the_article():
    # zoom_range=[0.9, 1.2]: up to 20 % zoom *out* -> a centred square shrinks, never beyond
    # 10 % zoom in.
    x = np.zeros((1, 28, 28, 1), np.float32)
    x[0, 4:24, 4:24, 0] = 1.0
    zoom_out = keras.layers.RandomZoom((0.2, 0.2), fill_mode="constant")(x, training=True)
    assert np.asarray(zoom_out).sum() < x.sum()


def test_corrected_listing_trains_a_few_steps():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((256, 28, 28, 1)).astype(np.float32)
    y = rng.integers(0, 10, 256)
    model = M.article_cnn()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ds = image_dataset(x, y, batch_size=64, augmentation=M.article_augmentation(0),
                         shuffle=True)
    before = model.evaluate(x, y, verbose=0)[0]
    model.fit(ds, epochs=3, verbose=0, shuffle=False)  # the pipeline shuffles
    after = model.evaluate(x, y, verbose=0)[0]
    assert np.isfinite(after) and after < before


def test_article_listing_errors_are_real():
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    with pytest.raises(ValueError, match=r"rank 4"):
        ImageDataGenerator(rotation_range=10).fit(np.zeros((8, 28, 28)))
    with pytest.raises(ValueError, match=r"not recognized.*lr"):
        keras.optimizers.Adam(lr=0.001)


def test_variant_and_bad_input():
    assert M.article_cnn(batch_norm=True, dropout=0.3).count_params() > 225_034 - 96
    with pytest.raises(ValueError, match=r"Argument `dropout` must be a finite number in \[0, 1\)"):
        M.article_cnn(dropout=1.5)
    with pytest.raises(ValueError, match=r"Argument `seed` must be an integer"):
        M.article_augmentation(seed=-1)


def test_dense_network_shape_and_parameter_count():
    model = M.dense_network((128, 64), seed=0)
    assert model.count_params() == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10
    assert model.output_shape == (None, 10)
    dropped = M.dense_network((32,), dropout=0.5, seed=0)
    assert [layer.name for layer in dropped.layers] == ["hidden1", "dropout1", "output"]
