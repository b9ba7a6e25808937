"""dlbook_utils.regularization: penalties and gradients against finite differences and against
the loss terms Keras adds, dropout's scaling and mean, bad input."""

import numpy as np
import pytest

from dlbook_utils import regularization as R

keras = pytest.importorskip("keras")
RNG = np.random.default_rng(7)


def _central(f, w, h=1e-6):
    g = np.zeros_like(w)
    for idx in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[idx] = h
        g[idx] = (f(w + e) - f(w - e)) / (2 * h)
    return g


@pytest.mark.parametrize("lam", [0.0, 0.01, 0.7])
def test_l2_gradient_matches_finite_differences(lam):
    w = RNG.normal(size=(4, 5))
    np.testing.assert_allclose(R.l2_grad(w, lam), _central(lambda v: R.l2_penalty(v, lam), w),
                               rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("lam", [0.01, 0.7])
def test_l1_gradient_matches_finite_differences_away_from_zero(lam):
    w = RNG.normal(size=(4, 5))
    w[np.abs(w) < 1e-3] = 0.5  # the subgradient is only a derivative away from the kink
    np.testing.assert_allclose(R.l1_grad(w, lam), _central(lambda v: R.l1_penalty(v, lam), w),
                               rtol=1e-6, atol=1e-9)
    assert R.l1_grad(np.zeros(3), lam).tolist() == [0.0, 0.0, 0.0]


def test_penalties_over_a_list_of_layers():
    ws = [RNG.normal(size=(3, 2)), RNG.normal(size=(2,))]
    assert R.l2_penalty(ws, 0.2) == pytest.approx(0.1 * sum((w ** 2).sum() for w in ws))
    assert R.l1_penalty(ws, 0.2) == pytest.approx(0.2 * sum(np.abs(w).sum() for w in ws))
    grads = R.l2_grad(ws, 0.2)
    assert isinstance(grads, list) and len(grads) == 2
    np.testing.assert_allclose(grads[1], 0.2 * ws[1])


@pytest.mark.parametrize("kind", ["l1", "l2"])
@pytest.mark.parametrize("lam", [1e-4, 0.01, 0.5])
def test_penalties_equal_the_loss_keras_adds(kind, lam):
    keras.utils.set_random_seed(0)
    # Keras' L2 has no 1/2: our (lam/2)||w||^2 is keras.regularizers.L2(l2=lam/2).
    reg = keras.regularizers.L1(l1=lam) if kind == "l1" else keras.regularizers.L2(l2=lam / 2)
    layer = keras.layers.Dense(7, kernel_regularizer=reg)
    model = keras.Sequential([keras.Input(shape=(5,)), layer])
    model(np.zeros((1, 5), np.float32))
    kernel = layer.get_weights()[0].astype(np.float64)
    keras_term = float(sum(float(loss) for loss in model.losses))
    ours = R.l1_penalty(kernel, lam) if kind == "l1" else R.l2_penalty(kernel, lam)
    assert ours == pytest.approx(keras_term, rel=1e-5)


def test_dropout_keeps_the_mean():
    x = RNG.uniform(0.5, 2.0, size=50)
    p, n = 0.4, 20_000
    g = np.random.default_rng(0)
    mean = np.mean([R.dropout(x, p, rng=g) for _ in range(n)], axis=0)
    # Each output is x/(1-p) with probability 1-p, else 0: std x*sqrt(p/(1-p)), so the mean
    # of n draws is within 5 standard errors of x with overwhelming probability.
    se = x * np.sqrt(p / (1 - p) / n)
    assert np.all(np.abs(mean - x) < 5 * se)


def test_dropout_inference_is_the_identity():
    x = RNG.normal(size=(3, 4))
    out = R.dropout(x, 0.9, training=False)
    np.testing.assert_array_equal(out, x)
    assert out is not x


def test_dropout_matches_keras_scaling():
    p = 0.3
    x = np.ones((200, 100), np.float32)
    layer = keras.layers.Dropout(p, seed=1)
    theirs = np.asarray(layer(x, training=True))
    ours, keep = R.dropout(x, p, rng=1, return_mask=True)
    # Same values: survivors scaled by 1/(1-p), the rest 0 (the random masks differ).
    def values(a):
        return {round(float(v), 5) for v in np.unique(a)}

    assert values(theirs) == values(ours) == {0.0, round(1 / 0.7, 5)}
    assert abs((theirs > 0).mean() - (1 - p)) < 0.01 and abs(keep.mean() - (1 - p)) < 0.01
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)


def test_dropout_with_given_mask():
    out = R.dropout([[1.0, 2.0]], 0.5, mask=np.array([[False, True]]))
    np.testing.assert_array_equal(out, [[0.0, 4.0]])


def test_soft_threshold_gives_exact_zeros():
    w = np.array([-1.0, -0.05, 0.0, 0.02, 0.3])
    np.testing.assert_allclose(R.soft_threshold(w, 0.1), [-0.9, 0.0, 0.0, 0.0, 0.2])
    assert (R.soft_threshold(w, 0.1) == 0).sum() == 3


@pytest.mark.parametrize("call, exc, pattern", [
    (lambda: R.l2_penalty([1.0], -0.1), ValueError,
     r"Argument `lam` must be a finite number in \[0, inf\)\. Received: lam=-0\.1"),
    (lambda: R.l1_penalty([1.0], float("nan")), ValueError, r"Argument `lam` must be a finite"),
    (lambda: R.l2_penalty([1.0, np.inf], 0.1), ValueError,
     r"Argument `weights` must hold finite numbers; it contains 1 NaN or infinite"),
    (lambda: R.l1_grad([np.ones(2), [np.nan]], 0.1), ValueError, r"Argument `weights\[1\]`"),
    (lambda: R.l2_penalty([], 0.1), ValueError, r"at least one array"),
    (lambda: R.dropout([1.0], 1.0, rng=0), ValueError,
     r"Argument `p` must be a finite number in \[0, 1\)\. Received: p=1\.0"),
    (lambda: R.dropout([1.0], -0.1, rng=0), ValueError, r"Argument `p`"),
    (lambda: R.dropout([1.0], 0.5, rng=0.5), TypeError, r"Argument `rng` must be None, a non-negative"),
    (lambda: R.dropout([1.0, 2.0], 0.5, mask=[True]), ValueError,
     r"Argument `mask` must be a boolean array of the shape of `x`, \(2,\)\. Received dtype "
     r"bool and shape \(1,\)"),
    (lambda: R.dropout([1.0], 0.5, mask=[1]), ValueError, r"Received dtype int64"),
    (lambda: R.dropout([np.nan], 0.5, rng=0), ValueError, r"Argument `x` must hold finite"),
    (lambda: R.dropout([1.0], 0.5, training="yes"), TypeError,
     r"Argument `training` must be True or False"),
    (lambda: R.soft_threshold([1.0], -1), ValueError, r"Argument `t` must be a finite number"),
])
def test_bad_input(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def _poly(n=20, seed=0):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 1, n))
    return np.stack([x ** k for k in range(1, 9)], 1), np.sin(3 * x) + rng.normal(0, 0.2, n)


@pytest.mark.parametrize("lam", [0.0, 1e-3, 0.1])
def test_ridge_solves_its_objective(lam):
    X, y = _poly()
    w, b = R.fit_linear(X, y, "l2", lam)
    # The gradient of (1/2m)||Xw + b - y||^2 + (lam/2)||w||^2 vanishes at the solution.
    r = X @ w + b - y
    np.testing.assert_allclose(X.T @ r / len(y) + lam * w, 0, atol=1e-8)
    assert abs(r.mean()) < 1e-10


@pytest.mark.parametrize("lam", [1e-3, 1e-2, 0.1])
def test_lasso_satisfies_the_optimality_conditions(lam):
    X, y = _poly()
    w, b = R.fit_linear(X, y, "l1", lam, n_iter=50_000)
    g = X.T @ (X @ w + b - y) / len(y)
    nz = w != 0
    # KKT: on the support the gradient balances lam * sign(w); off it, |g| <= lam.
    np.testing.assert_allclose(g[nz] + lam * np.sign(w[nz]), 0, atol=1e-6)
    assert np.all(np.abs(g[~nz]) <= lam * (1 + 1e-6))
    assert (~nz).sum() >= 1  # some coefficients are exactly zero


def test_fit_linear_rejects_bad_input():
    X, y = _poly()
    with pytest.raises(ValueError, match=r"shapes \(m, n\) and \(m,\) with m >= 1\. Received "
                                         r"shapes \(20, 8\) and \(19,\)"):
        R.fit_linear(X, y[:-1], "l2", 0.1)
    with pytest.raises(ValueError, match=r"Argument `penalty` must be one of 'l2', 'l1'"):
        R.fit_linear(X, y, "elastic", 0.1)
    with pytest.raises(ValueError, match=r"Argument `lam`"):
        R.fit_linear(X, y, "l1", -1.0)
