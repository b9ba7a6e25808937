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


def _warp(x, transform):
    return np.asarray(keras.ops.image.affine_transform(
        x, np.asarray(transform, np.float32).reshape(len(x), 8), interpolation="bilinear",
        fill_mode="constant", fill_value=0.0))


def _centred_images(n, seed=0):
    # ink only in the central 16 x 16, so that no warp below carries it off the image
    x = np.zeros((n, 28, 28, 1), np.float32)
    x[:, 6:22, 6:22, 0] = np.random.default_rng(seed).random((n, 16, 16))
    return x


@pytest.mark.parametrize("params", [
    {"theta": 8.0, "tx": 2.0, "ty": -1.5, "zx": 1.1, "zy": 0.95},
    {"theta": -10.0, "tx": -2.8, "ty": 2.8, "zx": 0.9, "zy": 1.2},
    {"theta": 0.0, "tx": 2.0, "ty": 0.0, "zx": 1.0, "zy": 1.0},
    {"theta": 3.0, "tx": 0.0, "ty": 0.0, "zx": 1.2, "zy": 1.2},
])
def test_one_warp_is_image_data_generators_warp(params):
    # The same rotation, shifts and zooms warp an image exactly as the article's
    # ImageDataGenerator.apply_transform does (bilinear, background fill).
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    x = _centred_images(3)
    gen = ImageDataGenerator(fill_mode="constant", cval=0.0)
    theirs = np.stack([gen.apply_transform(im, params) for im in x])
    ours = _warp(x, np.tile(M.affine_matrix(**params), (3, 1)))
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_zoom_direction_matches_the_article():
    # zoom_range=[0.9, 1.2]: a factor above 1 zooms *out* (a centred square shrinks),
    # below 1 zooms in.
    x = np.zeros((1, 28, 28, 1), np.float32)
    x[0, 8:20, 8:20, 0] = 1.0
    out = _warp(x, M.affine_matrix(0, 0, 0, 1.2, 1.2))
    inn = _warp(x, M.affine_matrix(0, 0, 0, 0.9, 0.9))
    assert out.sum() < x.sum() < inn.sum()
    np.testing.assert_allclose(out.sum() / x.sum(), 1 / 1.2 ** 2, rtol=0.05)


def test_augmentation_draws_the_article_ranges_and_applies_them_in_one_warp():
    aug = M.article_augmentation(seed=0)
    w = {k: np.asarray(v) for k, v in aug.draw(20_000, 28).items()}
    for key, (lo, hi) in {"theta": (-10, 10), "tx": (-2.8, 2.8), "ty": (-2.8, 2.8),
                          "zx": (0.9, 1.2), "zy": (0.9, 1.2)}.items():
        assert lo <= w[key].min() < lo + 0.01 * (hi - lo), key   # uniform over the range
        assert hi - 0.01 * (hi - lo) < w[key].max() <= hi, key
    assert abs(np.corrcoef(w["zx"], w["zy"])[0, 1]) < 0.05      # zoomed independently
    # The layer's output is the warp of its own draw (the generator replayed by seed).
    x = _centred_images(4, seed=1)
    drawn = M.article_augmentation(seed=5).draw(4, 28)
    expected = _warp(x, M.affine_matrix(**{k: np.asarray(v) for k, v in drawn.items()}))
    np.testing.assert_allclose(np.asarray(M.article_augmentation(seed=5)(x, training=True)),
                               expected, atol=1e-5)


def test_augmentation_repeats_under_a_seed():
    x = _centred_images(4)
    a = np.asarray(M.article_augmentation(seed=3)(x, training=True))
    b = np.asarray(M.article_augmentation(seed=3)(x, training=True))
    c = np.asarray(M.article_augmentation(seed=4)(x, training=True))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_affine_matrix_bad_input():
    with pytest.raises(ValueError, match=r"`zx`, `zy` finite and > 0"):
        M.affine_matrix(0, 0, 0, 0.0, 1.0)
    with pytest.raises(ValueError, match=r"must be finite"):
        M.affine_matrix(np.nan, 0, 0, 1.0, 1.0)
    with pytest.raises(ValueError, match=r"Argument `size` must be an integer"):
        M.affine_matrix(0, 0, 0, 1.0, 1.0, size=0)


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
