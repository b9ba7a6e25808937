"""dlbook_utils.activations: values against TensorFlow, derivatives against finite differences."""

import warnings

import numpy as np
import pytest

from dlbook_utils import activations as A
from dlbook_utils.initialization import depth_experiment

tf = pytest.importorskip("tensorflow")  # a pinned requirement: absent only if the install broke

RNG = np.random.default_rng(20261126)
# Many random points at several scales, plus the extremes.
POINTS = np.concatenate([
    RNG.normal(0, 1, 2000),
    RNG.normal(0, 10, 2000),
    RNG.uniform(-800, 800, 2000),
    [-1e308, -1000.0, -745.0, -710.0, -40.0, -1e-12, 0.0, 1e-12, 40.0, 710.0, 1000.0, 1e308],
])
ALPHAS = [0.0, 0.01, 0.2, 0.3, 0.999]
# The activations chapter's vanishing-gradient stack: 20 layers of 64 units, 256 inputs.
STACK = dict(depth=20, width=64, batch=256, rng=0)


def _tf(fn, x, **kw):
    return fn(tf.constant(x, dtype=tf.float64), **kw).numpy()


@pytest.mark.parametrize("ours, theirs", [
    (A.sigmoid, tf.nn.sigmoid),
    (A.tanh, tf.nn.tanh),
    (A.relu, tf.nn.relu),
])
def test_values_match_tensorflow(ours, theirs):
    np.testing.assert_allclose(ours(POINTS), _tf(theirs, POINTS), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("alpha", ALPHAS)
def test_leaky_relu_matches_tensorflow(alpha):
    # TensorFlow stores `alpha` as a float32 attribute even for float64 tensors, so
    # tf.nn.leaky_relu(x, 0.01) multiplies by float32(0.01); give ours the same slope.
    alpha32 = float(np.float32(alpha))
    np.testing.assert_allclose(A.leaky_relu(POINTS, alpha32),
                               _tf(tf.nn.leaky_relu, POINTS, alpha=alpha), rtol=1e-12)


@pytest.mark.parametrize("name", list(A.ACTIVATIONS))
def test_derivative_matches_tensorflow_gradient(name):
    x = tf.constant(POINTS[:4000], dtype=tf.float64)
    alpha = 0.25  # exactly representable in float32 (see test_leaky_relu_matches_tensorflow)
    fn = {"sigmoid": tf.nn.sigmoid, "tanh": tf.nn.tanh, "relu": tf.nn.relu,
          "leaky_relu": lambda t: tf.nn.leaky_relu(t, alpha=alpha)}[name]
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    expected = tape.gradient(y, x).numpy()
    act = A.get(name)
    ours = act.grad(x.numpy(), alpha) if name == "leaky_relu" else act.grad(x.numpy())
    # TensorFlow's gradients are s*(1-s) and 1-t*t, which lose everything below about
    # 1e-16 in absolute terms (cancellation); ours avoid it (see the next test).
    np.testing.assert_allclose(ours, expected, rtol=1e-10, atol=2e-15)


def test_derivatives_accurate_in_the_tails():
    x = np.array([20.0, 30.0, 40.0, 300.0])
    # sigma'(x) = e^{-x} / (1 + e^{-x})^2 and tanh'(x) = 4 e^{-2x} / (1 + e^{-2x})^2 exactly;
    # for these x the denominators are 1 to double precision.
    np.testing.assert_allclose(A.sigmoid_grad(x), np.exp(-x), rtol=1e-8)
    np.testing.assert_allclose(A.sigmoid_grad(-x), np.exp(-x), rtol=1e-8)
    np.testing.assert_allclose(A.tanh_grad(x[:3]), 4 * np.exp(-2 * x[:3]), rtol=1e-8)
    assert A.tanh_grad(400.0) == 0.0  # 4 e^{-800} underflows to 0 honestly


@pytest.mark.parametrize("name", list(A.ACTIVATIONS))
def test_derivative_matches_central_differences(name):
    act = A.get(name)
    x = RNG.uniform(-8, 8, 500)
    x = x[np.abs(x) > 1e-3]  # keep away from the kink of (leaky) ReLU at 0
    h = 1e-6
    numeric = (act.fn(x + h) - act.fn(x - h)) / (2 * h)
    np.testing.assert_allclose(act.grad(x), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("alpha", ALPHAS)
def test_leaky_relu_derivative_central_differences(alpha):
    x = RNG.uniform(-8, 8, 500)
    x = x[np.abs(x) > 1e-3]
    h = 1e-6
    numeric = (A.leaky_relu(x + h, alpha) - A.leaky_relu(x - h, alpha)) / (2 * h)
    np.testing.assert_allclose(A.leaky_relu_grad(x, alpha), numeric, rtol=1e-6, atol=1e-9)


def test_sigmoid_extremes_without_overflow_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow RuntimeWarning fails the test
        out = A.sigmoid([-1000.0, 1000.0, -1e308, 1e308])
        grad = A.sigmoid_grad([-1000.0, 1000.0])
    assert out.tolist() == [0.0, 1.0, 0.0, 1.0]
    assert grad.tolist() == [0.0, 0.0]


def test_ranges_and_peaks():
    x = np.linspace(-50, 50, 100_001)
    s, t = A.sigmoid(x), A.tanh(x)
    assert 0.0 <= s.min() and s.max() <= 1.0
    assert -1.0 <= t.min() and t.max() <= 1.0
    assert A.sigmoid_grad(x).max() == pytest.approx(0.25, abs=1e-12)
    assert A.tanh_grad(x).max() == pytest.approx(1.0, abs=1e-12)
    # tanh is a rescaled sigmoid: tanh(x) = 2 sigma(2x) - 1
    np.testing.assert_allclose(t, 2 * A.sigmoid(2 * x) - 1, atol=1e-12)


def test_shapes_dtypes_and_nan_propagate():
    x = np.arange(-3, 3).reshape(2, 3)  # integers are accepted and promoted
    for act in A.ACTIVATIONS.values():
        y = act.fn(x)
        assert y.shape == (2, 3) and y.dtype == np.float64
        assert np.isnan(act.fn(np.nan)) and np.isnan(act.grad(np.nan))
    assert A.relu(3).shape == ()
    assert float(A.relu(-2)) == 0.0


def test_kink_conventions_follow_tensorflow():
    assert float(A.relu_grad(0.0)) == 0.0
    assert float(A.leaky_relu_grad(0.0, 0.2)) == pytest.approx(0.2)


@pytest.mark.parametrize("bad, exc, pattern", [
    ("1.0", TypeError, r"Argument `x` must be a real number.*Received: x='1.0'"),
    (None, TypeError, r"Argument `x` must be a real number"),
    ([1 + 2j], TypeError, r"Argument `x` must hold real numbers .* not dtype complex128"),
    ([True, False], TypeError, r"not dtype bool"),
    ([[1, 2], [3]], ValueError, r"Argument `x` must be a rectangular array"),
])
def test_bad_x(bad, exc, pattern):
    with pytest.raises(exc, match=pattern):
        A.sigmoid(bad)


@pytest.mark.parametrize("alpha, exc", [
    (-0.01, ValueError), (1.0, ValueError), (float("nan"), ValueError),
    (float("inf"), ValueError), ("0.1", TypeError), (True, TypeError), (None, TypeError),
])
def test_bad_alpha(alpha, exc):
    with pytest.raises(exc, match=r"Argument `alpha` must be a finite number in \[0, 1\)\. "
                                   r"Received: alpha="):
        A.leaky_relu([1.0], alpha)
    with pytest.raises(exc, match=r"Argument `alpha`"):
        A.leaky_relu_grad([1.0], alpha)


def test_get_lists_the_choices():
    assert A.get("relu").fn is A.relu
    with pytest.raises(ValueError, match=r"one of 'sigmoid', 'tanh', 'relu', 'leaky_relu', "
                                         r"'gelu', 'silu'\. Received: name='elu'"):
        A.get("elu")


# --- the vanishing-gradient experiment --------------------------------------------------

@pytest.mark.parametrize("name", list(A.ACTIVATIONS))
def test_stack_gradients_match_gradient_tape(name):
    out = depth_experiment("glorot_uniform", name, depth=8, width=16, batch=32, alpha=0.125,
                           rng=3)
    fn = {"sigmoid": tf.nn.sigmoid, "tanh": tf.nn.tanh, "relu": tf.nn.relu,
          "leaky_relu": lambda t: tf.nn.leaky_relu(t, alpha=0.125)}[name]
    ws = [tf.Variable(w) for w in out["weights"]]
    with tf.GradientTape() as tape:
        h = tf.constant(out["inputs"])
        for w in ws:
            h = fn(h @ w)
        loss = 0.5 * tf.reduce_sum(h * h) / out["inputs"].shape[0]
    grads = tape.gradient(loss, ws)
    expected = [np.linalg.norm(g.numpy()) for g in grads]
    np.testing.assert_allclose(out["grad_norm"], expected, rtol=1e-9)


def test_deep_stack_sigmoid_gradient_vanishes_relu_does_not():
    sig = depth_experiment("glorot_uniform", "sigmoid", **STACK)["grad_norm"]
    relu = depth_experiment("glorot_uniform", "relu", **STACK)["grad_norm"]
    assert sig[0] / sig[-1] < 1e-8
    assert relu[0] / relu[-1] > 1e-2


def test_deep_stack_is_reproducible_and_validates():
    a = depth_experiment("glorot_uniform", "tanh", depth=3, width=4, batch=5, rng=7)["grad_norm"]
    b = depth_experiment("glorot_uniform", "tanh", depth=3, width=4, batch=5,
                         rng=np.random.default_rng(7))["grad_norm"]
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"Argument `depth` must be an integer in \[1, 500\]"):
        depth_experiment("glorot_uniform", "tanh", depth=0)
    with pytest.raises(TypeError, match=r"Argument `width` must be an integer"):
        depth_experiment("glorot_uniform", "tanh", width=2.5)
    with pytest.raises(TypeError, match=r"Argument `rng` must be None, a non-negative integer"):
        depth_experiment("glorot_uniform", "tanh", rng="zero")
    with pytest.raises(ValueError, match=r"Argument `top_grad` must have the shape"):
        A.backprop_stack(np.ones((2, 3)), [np.ones((3, 3))], "relu", top_grad=np.ones((2, 4)))


# --- GELU, SiLU, softmax ------------------------------------------------------------------

keras = pytest.importorskip("keras")


def _keras(fn, x, **kw):
    return np.asarray(fn(tf.constant(x, dtype=tf.float64), **kw))


def test_gelu_and_silu_match_keras():
    special = pytest.importorskip("scipy.special")
    # GELU(x) = x Phi(x) = x erfc(-x / sqrt 2) / 2, with SciPy's float64 erfc as reference.
    np.testing.assert_allclose(A.gelu(POINTS), 0.5 * POINTS * special.erfc(-POINTS / np.sqrt(2)),
                               rtol=1e-13, atol=1e-300)
    # TensorFlow's float64 erfc, which tf.nn.gelu and keras.activations.gelu use, is about
    # 5e-9 off (measured against SciPy): the same function, to that accuracy.
    for fn in (tf.nn.gelu, keras.activations.gelu):
        np.testing.assert_allclose(A.gelu(POINTS), _keras(fn, POINTS, approximate=False),
                                   rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(A.silu(POINTS), _keras(keras.activations.silu, POINTS),
                               rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("name, fn", [("gelu", lambda t: tf.nn.gelu(t, approximate=False)),
                                      ("silu", lambda t: keras.activations.silu(t))])
def test_modern_derivatives_match_gradient_tape_and_differences(name, fn):
    act = A.get(name)
    x = tf.constant(RNG.normal(0, 3, 2000), dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    # (TensorFlow's erfc is good to about 5e-9, see above; its exp, to rounding.)
    np.testing.assert_allclose(act.grad(x.numpy()), tape.gradient(y, x).numpy(),
                               rtol=1e-9 if name == "silu" else 1e-7,
                               atol=1e-15 if name == "silu" else 1e-8)
    z = RNG.uniform(-8, 8, 500)
    numeric = (act.fn(z + 1e-6) - act.fn(z - 1e-6)) / 2e-6
    np.testing.assert_allclose(act.grad(z), numeric, rtol=1e-6, atol=1e-9)


def test_modern_extremes_and_registry_facts():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning at the extremes
        for name in A.MODERN:
            act = A.get(name)
            assert act.fn([-1e308, 1e308]).tolist() == [0.0, 1e308]
            assert act.grad([-1e308, 1e308]).tolist() == [0.0, 1.0]
    x = np.linspace(-5, 5, 1_000_001)
    # The registry's minima and derivative peaks, as the chapter's table states them.
    assert A.gelu(x).min() == pytest.approx(-0.17, abs=0.005)
    assert x[np.argmin(A.gelu(x))] == pytest.approx(-0.75, abs=0.005)
    assert A.gelu_grad(x).max() == pytest.approx(1.13, abs=0.005)
    assert x[np.argmax(A.gelu_grad(x))] == pytest.approx(np.sqrt(2), abs=1e-4)
    assert A.silu(x).min() == pytest.approx(-0.28, abs=0.005)
    assert A.silu_grad(x).max() == pytest.approx(1.10, abs=0.005)
    assert x[np.argmax(A.silu_grad(x))] == pytest.approx(2.40, abs=0.005)
    # The left tail is computed without cancellation: GELU(-10) = -10 * Phi(-10).
    assert A.gelu(-10.0) == pytest.approx(-10 * 7.61985302416047e-24, rel=1e-12)


def test_softmax_matches_keras_and_is_stable():
    z = RNG.normal(0, 5, (50, 7))
    np.testing.assert_allclose(A.softmax(z), _keras(keras.activations.softmax, z), rtol=1e-12)
    np.testing.assert_allclose(A.log_softmax(z), _keras(keras.activations.log_softmax, z),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(A.softmax(z, axis=0).sum(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(A.softmax(z + 1000.0), A.softmax(z), rtol=1e-12)  # shift-invariant
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert A.softmax([1000.0, 0.0]).tolist() == [1.0, 0.0]
        assert A.log_softmax([0.0, -1000.0]).tolist() == [0.0, -1000.0]
    # Two classes: the softmax is the sigmoid of the difference of the scores.
    a, b = RNG.normal(0, 3, 100), RNG.normal(0, 3, 100)
    np.testing.assert_allclose(A.softmax(np.stack([a, b], axis=1))[:, 0], A.sigmoid(a - b),
                               rtol=1e-12)


def test_softmax_cross_entropy_gradient_is_p_minus_y():
    z = tf.constant(RNG.normal(0, 2, (8, 5)), dtype=tf.float64)
    y = np.eye(5)[RNG.integers(0, 5, 8)]
    with tf.GradientTape() as tape:
        tape.watch(z)
        loss = -tf.reduce_sum(y * tf.nn.log_softmax(z))
    np.testing.assert_allclose(tape.gradient(loss, z).numpy(), A.softmax(z.numpy()) - y,
                               rtol=1e-12, atol=1e-15)


def test_softmax_validates():
    with pytest.raises(ValueError, match=r"Argument `z` must have at least one dimension"):
        A.softmax(1.0)
    with pytest.raises(ValueError, match=r"Argument `axis` must be an integer in \[-2, 1\]. "
                                         r"Received: axis=2"):
        A.softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match=r"Argument `z` must hold real numbers"):
        A.log_softmax(["a", "b"])


def test_back_propagated_signal_matches_gradient_tape():
    out = depth_experiment("glorot_uniform", "relu", depth=6, width=16, batch=32, rng=3)
    ws = [tf.constant(w) for w in out["weights"]]
    with tf.GradientTape() as tape:
        hs, h = [], tf.constant(out["inputs"])
        for w in ws:
            h = tf.nn.relu(h @ w)
            tape.watch(h)
            hs.append(h)
        loss = 0.5 * tf.reduce_sum(h * h) / out["inputs"].shape[0]
    grads = tape.gradient(loss, hs)
    np.testing.assert_allclose(out["signal_grad_norm"],
                               [np.linalg.norm(g.numpy()) for g in grads], rtol=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_chapter_gradient_claims_hold_for_every_seed(seed):
    """The activations chapter states its vanishing-gradient ratios for seed 0; its claims
    (orders of magnitude) hold for other random stacks too."""
    stacks = {n: depth_experiment("glorot_uniform", n, **{**STACK, "rng": seed})
              for n in A.ACTIVATIONS}
    w = {n: s["grad_norm"][0] / s["grad_norm"][-1] for n, s in stacks.items()}
    h = {n: s["signal_grad_norm"][0] / s["signal_grad_norm"][-1] for n, s in stacks.items()}
    assert w["sigmoid"] < 1e-6
    assert all(0.1 < w[n] < 10 for n in ["tanh", "relu", "leaky_relu"])
    assert all(h[n] < 0.02 for n in ["relu", "leaky_relu"])


@pytest.mark.parametrize("name", ["tanh", "relu"])
def test_normalized_stack_matches_gradient_tape(name):
    """backprop_stack(normalize=True): batch standardization before each activation, forward
    and backward, against TensorFlow's automatic differentiation."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal((32, 16))
    weights = [rng.normal(0, 0.05, (16, 16)) for _ in range(6)]
    out = A.backprop_stack(x, weights, name, normalize=True)
    fn = {"tanh": tf.nn.tanh, "relu": tf.nn.relu}[name]
    ws = [tf.Variable(w) for w in weights]
    with tf.GradientTape(persistent=True) as tape:
        h, hs = tf.constant(x), []
        for w in ws:
            z = h @ w
            mean, var = tf.nn.moments(z, axes=[0])
            h = fn((z - mean) / tf.sqrt(var + 1e-5))
            hs.append(h)
        loss = 0.5 * tf.reduce_sum(h * h) / x.shape[0]
    np.testing.assert_allclose(out["grad_norm"],
                               [np.linalg.norm(g) for g in tape.gradient(loss, ws)], rtol=1e-8)
    np.testing.assert_allclose(out["signal_grad_norm"],
                               [np.linalg.norm(g) for g in tape.gradient(loss, hs)], rtol=1e-8)
    np.testing.assert_allclose(out["activation_std"], [float(tf.math.reduce_std(h)) for h in hs],
                               rtol=1e-10)
