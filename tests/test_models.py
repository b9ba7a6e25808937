"""dlbook_utils.models: the article's network, its augmentation as Keras 3 layers, the input
pipeline, and the corrected listing training for a few steps."""

import numpy as np
import pytest

from dlbook_utils import models as M

keras = M.quiet_tensorflow()


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


def test_mnist_images_adds_the_channel_axis():
    x = np.full((3, 28, 28), 255, np.uint8)
    out = M.mnist_images(x)
    assert out.shape == (3, 28, 28, 1) and out.dtype == np.float32 and out.max() == 1.0
    with pytest.raises(ValueError, match=r"Argument `x` must have shape \(n, 28, 28\)\. "
                                         r"Received shape \(3, 784\)"):
        M.mnist_images(x.reshape(3, -1))


def test_corrected_listing_trains_a_few_steps():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((256, 28, 28, 1)).astype(np.float32)
    y = rng.integers(0, 10, 256)
    model = M.article_cnn()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ds = M.image_dataset(x, y, batch_size=64, augmentation=M.article_augmentation(0),
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


def test_compile_with_schedule_warms_up_then_decays():
    model = M.compile_with_schedule(M.article_cnn(), steps=100, peak_lr=3e-3)
    schedule = model.optimizer.learning_rate if callable(model.optimizer.learning_rate) else \
        model.optimizer._learning_rate
    lr = [float(schedule(step)) for step in (0, 5, 10, 55, 100)]
    assert lr[0] == 0.0 and lr[1] == pytest.approx(1.5e-3) and lr[2] == pytest.approx(3e-3)
    assert lr[2] > lr[3] > lr[4] and lr[4] == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match=r"Argument `steps` must be an integer in \[2, inf\]"):
        M.compile_with_schedule(M.article_cnn(), steps=1)
    with pytest.raises(ValueError, match=r"Argument `peak_lr` must be a finite number"):
        M.compile_with_schedule(M.article_cnn(), steps=10, peak_lr=0)


def test_smoothed_sparse_crossentropy_matches_keras_and_the_formula():
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(6, 10)).astype(np.float32)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = rng.integers(0, 10, 6)
    for eps in (0.0, 0.1, 0.3):
        ours = np.asarray(M.smoothed_sparse_crossentropy(eps)(y, p))
        # Keras' own smoothing on one-hot labels
        theirs = np.asarray(keras.losses.categorical_crossentropy(
            np.eye(10, dtype=np.float32)[y], p, label_smoothing=eps))
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
        # the formula: cross-entropy against q = (1 - eps) * one_hot + eps / K
        q = (1 - eps) * np.eye(10)[y] + eps / 10
        np.testing.assert_allclose(ours, -(q * np.log(p)).sum(axis=1), rtol=1e-5)
        # (n, 1) labels give the same losses as (n,)
        np.testing.assert_allclose(np.asarray(M.smoothed_sparse_crossentropy(eps)(y[:, None], p)),
                                   ours, rtol=1e-6)
    np.testing.assert_allclose(  # eps = 0 is the plain sparse cross-entropy
        np.asarray(M.smoothed_sparse_crossentropy(0.0)(y, p)),
        np.asarray(keras.losses.sparse_categorical_crossentropy(y, p)), rtol=1e-6)
    with pytest.raises(ValueError, match=r"Argument `label_smoothing` must be a finite number "
                                         r"in \[0, 1\)"):
        M.smoothed_sparse_crossentropy(1.0)
    with pytest.raises(ValueError, match=r"Argument `label_smoothing`"):
        M.compile_with_schedule(M.article_cnn(), steps=10, label_smoothing=-0.1)


def test_label_smoothing_trains_on_integer_labels():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((128, 28, 28, 1)).astype(np.float32)
    y = rng.integers(0, 10, 128)
    model = M.compile_with_schedule(M.article_cnn(), steps=8, label_smoothing=0.1)
    history = model.fit(M.image_dataset(x, y, batch_size=32), epochs=2, verbose=0,
                        shuffle=False).history
    assert set(history) == {"loss", "accuracy"} and np.all(np.isfinite(history["loss"]))
    # the reported loss is the smoothed one: above the plain cross-entropy's value
    plain = float(np.mean(keras.losses.sparse_categorical_crossentropy(
        y, model.predict(x, verbose=0))))
    smoothed = float(model.evaluate(x, y, verbose=0)[0])
    assert smoothed > plain


def test_recipes_are_validated_and_described():
    assert M.RECIPES["fast"].describe() == "2 epochs, batch 128, peak lr 0.003, no augmentation"
    assert M.RECIPES["full"].augment and M.RECIPES["full"].epochs > M.RECIPES["fast"].epochs
    r = M.Recipe(epochs=3, batch_size=64, peak_lr=1e-3, augment=True, dropout=0.25)
    assert r.describe() == "3 epochs, batch 64, peak lr 0.001, augmentation, dropout 0.25"
    with pytest.raises(ValueError, match=r"Argument `epochs` must be an integer in \[1, inf\]"):
        M.Recipe(epochs=0, batch_size=128, peak_lr=1e-3, augment=False)
    with pytest.raises(ValueError, match=r"Argument `peak_lr` must be a finite number"):
        M.Recipe(epochs=1, batch_size=128, peak_lr=float("nan"), augment=False)
    with pytest.raises(ValueError, match=r"Argument `dropout` must be a finite number in \[0, 1\)"):
        M.Recipe(epochs=1, batch_size=128, peak_lr=1e-3, augment=False, dropout=1.0)
    smooth = M.Recipe(epochs=3, batch_size=64, peak_lr=1e-3, augment=True, label_smoothing=0.1)
    assert smooth.describe() == ("3 epochs, batch 64, peak lr 0.001, augmentation, "
                                 "label smoothing 0.1")
    with pytest.raises(ValueError, match=r"Argument `label_smoothing` must be a finite number"):
        M.Recipe(epochs=1, batch_size=128, peak_lr=1e-3, augment=False, label_smoothing=1.0)
    with pytest.raises(TypeError, match=r"Argument `augment` must be True or False. "
                                        r"Received: augment='yes'"):
        M.Recipe(epochs=1, batch_size=128, peak_lr=1e-3, augment="yes")


def test_recipe_prepare_builds_the_seeded_run():
    x = np.random.default_rng(3).random((300, 28, 28, 1)).astype(np.float32)
    y = np.arange(300) % 10
    recipe = M.Recipe(epochs=3, batch_size=64, peak_lr=2e-3, augment=True, label_smoothing=0.1)
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


def test_image_dataset_batches_and_turns_the_autotuner_off():
    x = np.zeros((10, 28, 28, 1), np.float32)
    y = np.arange(10)
    ds = M.image_dataset(x, y, batch_size=4, shuffle=True, augmentation=M.article_augmentation(0))
    sizes = [int(b[0].shape[0]) for b in ds]
    assert sizes == [4, 4, 2]
    labels = np.concatenate([b[1].numpy() for b in ds])
    assert sorted(labels) == list(range(10))  # shuffled, nothing lost or repeated
    assert ds.options().autotune.enabled is False  # see image_dataset's docstring
    with pytest.raises(ValueError, match=r"Argument `batch_size` must be an integer in \[1, inf\]"):
        M.image_dataset(x, y, batch_size=0)


def _train_once(x, y, seed):
    keras.utils.set_random_seed(seed)
    model = M.compile_with_schedule(M.article_cnn(), steps=8, peak_lr=3e-3)
    ds = M.image_dataset(x, y, batch_size=64, augmentation=M.article_augmentation(0),
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
