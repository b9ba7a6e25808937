"""dlbook_utils.initialization: fans and distributions against Keras, statistics with fixed
seeds, the depth experiment, the symmetry experiment, bad input."""

import numpy as np
import pytest

from dlbook_utils import initialization as I

keras = pytest.importorskip("keras")

SHAPES = [(784, 128), (256, 256), (3, 3, 32, 64), (5, 5, 1, 32), (7, 16, 8), (300,)]
VARIANCE_SCALING = ["glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_normal"]
KERAS_CLASSES = {"glorot_uniform": keras.initializers.GlorotUniform,
                 "glorot_normal": keras.initializers.GlorotNormal,
                 "he_uniform": keras.initializers.HeUniform,
                 "he_normal": keras.initializers.HeNormal,
                 "lecun_normal": keras.initializers.LecunNormal}


@pytest.mark.parametrize("shape", SHAPES)
def test_fans_match_keras(shape):
    from keras.src.initializers.random_initializers import compute_fans

    assert I.compute_fans(shape) == tuple(int(f) for f in compute_fans(shape))


@pytest.mark.parametrize("name", VARIANCE_SCALING)
@pytest.mark.parametrize("shape", [(784, 128), (3, 3, 32, 64)])
def test_distribution_matches_keras(name, shape):
    ours = I.get(name)(shape, rng=0)
    theirs = np.asarray(KERAS_CLASSES[name](seed=0)(shape))
    assert ours.shape == theirs.shape
    target = I.target_variance(name, shape)
    # Both reach the designed variance (n >= 100,352 draws: a few % at most)...
    assert ours.var() == pytest.approx(target, rel=0.03)
    assert theirs.var() == pytest.approx(target, rel=0.03)
    # ...and the same support: uniform limit sqrt(3 * var), truncation at 2 std of the
    # untruncated normal.
    if name.endswith("uniform"):
        limit = np.sqrt(3 * target)
        assert np.abs(ours).max() <= limit and np.abs(theirs).max() <= limit
        assert np.abs(ours).max() > 0.99 * limit
    else:
        bound = 2 * np.sqrt(target) / I.TRUNCATED_STD
        assert np.abs(ours).max() <= bound and np.abs(theirs).max() <= bound + 1e-6
        assert np.abs(ours).max() > 0.99 * bound


@pytest.mark.parametrize("shape", [(256, 256), (784, 128), (128, 784), (3, 3, 32, 64)])
def test_orthogonal_matches_keras(shape):
    ours = I.orthogonal(shape, rng=0)
    theirs = np.asarray(keras.initializers.Orthogonal(seed=0)(shape), dtype=float)
    assert ours.shape == theirs.shape == shape
    for w, tol in [(ours, 1e-12), (theirs, 1e-5)]:
        m = w.reshape(-1, shape[-1])
        small = min(m.shape)
        gram = m.T @ m if m.shape[0] >= m.shape[1] else m @ m.T
        np.testing.assert_allclose(gram, np.eye(small), atol=tol)   # orthonormal columns/rows
        assert w.var() == pytest.approx(I.target_variance("orthogonal", shape), rel=0.01)
    # A gain scales it, and a deep linear stack of square ones keeps every vector's length.
    np.testing.assert_allclose(I.orthogonal((8, 8), 3, gain=2.0), 2 * I.orthogonal((8, 8), 3))
    x = np.random.default_rng(1).standard_normal((5, 64))
    h = x
    for k in range(50):
        h = h @ I.orthogonal((64, 64), k)
    np.testing.assert_allclose(np.linalg.norm(h, axis=1), np.linalg.norm(x, axis=1), rtol=1e-10)
    with pytest.raises(ValueError, match=r"Argument `gain` must be a finite number in \(0, inf\)"):
        I.orthogonal((4, 4), gain=0)


def test_fixed_scale_initializers_match_keras_defaults():
    assert I.uniform((400, 400), 0).var() == pytest.approx(I.target_variance("uniform", (1, 1)),
                                                          rel=0.02)
    k = np.asarray(keras.initializers.RandomUniform(seed=0)((400, 400)))
    assert k.min() >= -0.05 and k.max() <= 0.05 and I.uniform((400, 400), 0).max() <= 0.05
    assert I.normal((400, 400), 0).std() == pytest.approx(0.05, rel=0.02)
    assert np.asarray(keras.initializers.RandomNormal(seed=0)((400, 400))).std() == \
        pytest.approx(0.05, rel=0.02)
    assert not I.zeros((3, 4)).any() and (I.ones((3, 4)) == 1).all()


@pytest.mark.parametrize("name", ["glorot_uniform", "he_uniform"])
def test_uniform_limits_are_the_papers(name):
    n_in, n_out = 300, 100
    limit = np.sqrt(6 / (n_in + n_out)) if name == "glorot_uniform" else np.sqrt(6 / n_in)
    w = I.get(name)((n_in, n_out), rng=1)
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.995 * limit


def test_seed_and_generator():
    np.testing.assert_array_equal(I.he_normal((20, 30), 5), I.he_normal((20, 30), 5))
    g = np.random.default_rng(5)
    a, b = I.he_normal((20, 30), g), I.he_normal((20, 30), g)
    assert not np.array_equal(a, b)  # a generator moves on: two layers differ
    # None: fresh entropy (SPEC 7), so two draws differ
    assert not np.array_equal(I.he_normal((20, 30)), I.he_normal((20, 30)))
    with pytest.raises(TypeError, match=r"Argument `rng` must be None, a non-negative integer"):
        I.he_normal((2, 2), np.random.RandomState(0))     # the legacy generator is refused
    with pytest.raises(ValueError, match=r"Argument `rng` must be an integer in \[0, inf\]"):
        I.he_normal((2, 2), -1)


@pytest.mark.parametrize("shape, exc", [((), ValueError), ((0, 3), ValueError),
                                        ((-1, 4), ValueError), ((2.5, 3), TypeError),
                                        ("3x3", TypeError), (None, TypeError),
                                        ((True, 2), TypeError)])
def test_bad_shapes(shape, exc):
    # A wrong type is a TypeError, a wrong value a ValueError; one message says what is allowed.
    with pytest.raises(exc, match=r"Argument `shape` must be a non-empty tuple of "
                                  r"positive integers"):
        I.glorot_uniform(shape)


def test_bad_names_and_parameters():
    with pytest.raises(ValueError, match=r"Argument `name` must be one of 'zeros', 'ones', "
                                         r"'uniform', .*Received: name='xavier'"):
        I.get("xavier")
    with pytest.raises(ValueError, match=r"low < high"):
        I.uniform((2, 2), 0, low=1, high=1)
    with pytest.raises(ValueError, match=r"Argument `std` must be a finite number in \(0, inf\)"):
        I.normal((2, 2), 0, std=0)
    with pytest.raises(TypeError, match=r"Argument `rng` must be None, a non-negative integer or a numpy.random.Generator. "
                                        r"Received: rng='s' of type str"):
        I.he_normal((2, 2), rng="s")


# --- the depth experiment ---------------------------------------------------------------

def test_depth_experiment_scale_is_kept_only_by_the_matching_initializer():
    kw = dict(depth=40, width=128, batch=256, rng=0)
    he = I.depth_experiment("he_normal", "relu", **kw)["activation_std"]
    glorot_relu = I.depth_experiment("glorot_uniform", "relu", **kw)["activation_std"]
    small = I.depth_experiment("normal", "tanh", **kw)["activation_std"]
    big = I.depth_experiment("ones", "relu", depth=10, width=128, batch=64, rng=0)
    assert 0.3 < he[-1] / he[0] < 3          # He keeps ReLU signals at scale
    assert glorot_relu[-1] / glorot_relu[0] < 1e-4   # Glorot halves the variance per layer
    assert small[-1] < 1e-3                   # a fixed 0.05 scale shrinks them to zero
    assert big["activation_std"][-1] > 1e15   # ones blow them up
    zeros = I.depth_experiment("zeros", "tanh", **kw)
    assert not zeros["activation_std"].any() and not zeros["grad_norm"].any()


def test_depth_experiment_gradients_match_gradient_tape():
    tf = pytest.importorskip("tensorflow")
    out = I.depth_experiment("he_uniform", "tanh", depth=6, width=16, batch=8, rng=2)
    ws = [tf.Variable(w) for w in out["weights"]]
    with tf.GradientTape() as tape:
        h = tf.constant(out["inputs"])
        for w in ws:
            h = tf.nn.tanh(h @ w)
        loss = 0.5 * tf.reduce_sum(h * h) / 8
    grads = tape.gradient(loss, ws)
    np.testing.assert_allclose(out["grad_norm"], [np.linalg.norm(g) for g in grads], rtol=1e-9)


def test_depth_experiment_random_top_gradient_matches_gradient_tape():
    tf = pytest.importorskip("tensorflow")
    out = I.depth_experiment("he_normal", "leaky_relu", depth=5, width=12, batch=6, alpha=0.25,
                             top="random", rng=4)
    assert out["top_grad"].shape == (6, 12)
    ws = [tf.Variable(w) for w in out["weights"]]
    with tf.GradientTape() as tape:
        h = tf.constant(out["inputs"])
        for w in ws:
            h = tf.nn.leaky_relu(h @ w, alpha=0.25)
        loss = tf.reduce_sum(out["top_grad"] * h) / 6
    grads = tape.gradient(loss, ws)
    np.testing.assert_allclose(out["grad_norm"], [np.linalg.norm(g) for g in grads], rtol=1e-9)


def test_depth_experiment_validates():
    with pytest.raises(ValueError, match=r"Argument `activation` must be one of 'sigmoid'.*"
                                         r"Received: activation='swish'"):
        I.depth_experiment("he_normal", "swish")
    with pytest.raises(ValueError, match=r"Argument `initializer` must be one of 'zeros'.*"
                                         r"Received: initializer='kaiming'"):
        I.depth_experiment("kaiming", "relu")
    with pytest.raises(ValueError, match=r"Argument `top` must be one of 'output', 'random'"):
        I.depth_experiment("he_normal", "relu", top="fixed")
    with pytest.raises(ValueError, match=r"Argument `depth` must be an integer in \[1, 500\]"):
        I.depth_experiment("he_normal", "relu", depth=0)
