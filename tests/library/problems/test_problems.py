"""helpers.problems: derivatives vs finite differences, batching, minibatches, stability."""

import warnings

import numpy as np
import pytest

from helpers.problems import LogisticRegression, Quadratic, Rosenbrock, sigmoid, softplus
from tests.finite_differences import central_difference, points

RNG = np.random.default_rng(0)
N, D = 30, 4
X = RNG.standard_normal((N, D))
Y = RNG.integers(0, 2, N).astype(float)
M = RNG.standard_normal((D, D))
A_SPD = M @ M.T + np.eye(D)
A_INDEF = (M + M.T) / 2
B = RNG.standard_normal(D)

PROBLEMS = {
    "logreg": LogisticRegression(X, Y),
    "logreg_l2": LogisticRegression(X, Y, l2=0.3),
    "logreg_soft_labels": LogisticRegression(X, RNG.uniform(0, 1, N), l2=0.1),
    "quadratic": Quadratic(A_SPD, B),
    "quadratic_indefinite": Quadratic(A_INDEF, B),
    "rosenbrock": Rosenbrock(),
    "rosenbrock_shifted": Rosenbrock(a=-0.5, b=3.0),
}
problems = pytest.mark.parametrize("problem", PROBLEMS.values(), ids=PROBLEMS.keys())


def assert_rel_close(actual, expected, tol):
    err = np.linalg.norm(np.asarray(actual) - expected)
    assert err <= tol * np.linalg.norm(expected), f"relative error {err / np.linalg.norm(expected)}"


@problems
def test_grad_matches_finite_differences(problem):
    for w in points(problem.d):
        assert_rel_close(problem.grad(w), central_difference(problem.loss, w), 1e-6)


@problems
def test_hessian_matches_finite_differences_of_grad(problem):
    for w in points(problem.d):
        fd = central_difference(problem.grad, w)
        assert_rel_close(problem.hessian(w), fd, 1e-6)
        np.testing.assert_allclose(problem.hessian(w), problem.hessian(w).T, rtol=1e-12)


@problems
def test_hvp_equals_hessian_times_v(problem):
    w, v = points(problem.d, count=2)
    np.testing.assert_allclose(problem.hvp(w, v), problem.hessian(w) @ v, rtol=1e-10, atol=1e-14)


def test_logistic_regression_by_hand():
    # z = X w = [0, 2]; loss = mean(log 2, softplus(2) - 2) ; grad = mean((s - y) x)
    problem = LogisticRegression(np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([1.0, 1.0]))
    w = np.array([0.0, 2.0])
    s2 = 1 / (1 + np.exp(-2.0))
    expected_loss = (np.log(2) + np.log(1 + np.exp(2.0)) - 2.0) / 2
    np.testing.assert_allclose(problem.loss(w), expected_loss, rtol=1e-12)
    expected_grad = ((0.5 - 1) * np.array([1.0, 0.0]) + (s2 - 1) * np.array([1.0, 1.0])) / 2
    np.testing.assert_allclose(problem.grad(w), expected_grad, rtol=1e-12)


def test_quadratic_by_hand():
    problem = Quadratic(np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([1.0, -1.0]))
    w = np.array([1.0, 2.0])
    assert problem.loss(w) == pytest.approx(0.5 * 18 - (-1))  # w'Aw = 18, b'w = -1
    np.testing.assert_allclose(problem.grad(w), [3.0, 8.0])  # Aw - b = [4, 7] - [1, -1]
    np.testing.assert_array_equal(problem.hessian(w), [[2.0, 1.0], [1.0, 3.0]])


@problems
def test_single_vector_shapes(problem):
    w, v = points(problem.d, count=2)
    assert np.shape(problem.loss(w)) == ()
    assert problem.grad(w).shape == (problem.d,)
    assert problem.hessian(w).shape == (problem.d, problem.d)
    assert problem.hvp(w, v).shape == (problem.d,)


@problems
def test_batched_rows_equal_single_vector_results(problem):
    C, d = 5, problem.d
    W, V = points(d, count=C, seed=2), points(d, count=C, seed=3)
    loss, grad, hess, hvp = problem.loss(W), problem.grad(W), problem.hessian(W), problem.hvp(W, V)
    assert loss.shape == (C,)
    assert grad.shape == (C, d)
    assert hess.shape == (C, d, d)
    assert hvp.shape == (C, d)
    for c in range(C):
        np.testing.assert_allclose(loss[c], problem.loss(W[c]), rtol=1e-12)
        np.testing.assert_allclose(grad[c], problem.grad(W[c]), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(hess[c], problem.hessian(W[c]), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(hvp[c], problem.hvp(W[c], V[c]), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("l2", [0.0, 0.3])
@pytest.mark.parametrize("idx", [[3, 0, 7, 7, 12], [29], list(range(N))])
def test_minibatch_equals_problem_on_rows(l2, idx):
    idx = np.array(idx)
    full, sub = LogisticRegression(X, Y, l2=l2), LogisticRegression(X[idx], Y[idx], l2=l2)
    for w in [points(D, count=1)[0], points(D, count=4)]:  # single and batched
        v = np.ones_like(w)
        np.testing.assert_allclose(full.loss(w, idx), sub.loss(w), rtol=1e-12)
        np.testing.assert_allclose(full.grad(w, idx), sub.grad(w), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(full.hessian(w, idx), sub.hessian(w), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(full.hvp(w, v, idx), sub.hvp(w, v), rtol=1e-12, atol=1e-15)


def test_l2_term_is_included():
    plain, reg = LogisticRegression(X, Y), LogisticRegression(X, Y, l2=0.3)
    W, V = points(D, count=3), points(D, count=3, seed=5)
    np.testing.assert_allclose(reg.loss(W) - plain.loss(W), 0.15 * np.sum(W**2, axis=1), rtol=1e-10)
    np.testing.assert_allclose(reg.grad(W) - plain.grad(W), 0.3 * W, rtol=1e-10)
    np.testing.assert_allclose(
        reg.hessian(W) - plain.hessian(W), np.broadcast_to(0.3 * np.eye(D), (3, D, D)), atol=1e-12
    )
    np.testing.assert_allclose(reg.hvp(W, V) - plain.hvp(W, V), 0.3 * V, rtol=1e-10)


@pytest.mark.parametrize("scale", [1e3, 1e4, 1e8])
def test_huge_margins_are_finite_and_exact(scale):
    # z = X w = [+scale, -scale] with the wrong labels: each per-sample loss is exactly |z|.
    problem = LogisticRegression(np.array([[1.0], [-1.0]]), np.array([0.0, 1.0]))
    right = LogisticRegression(np.array([[1.0], [-1.0]]), np.array([1.0, 0.0]))
    w = np.array([scale])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert problem.loss(w) == scale
        np.testing.assert_array_equal(problem.grad(w), [1.0])  # mean of (1 - 0)*1, (0 - 1)*(-1)
        np.testing.assert_array_equal(problem.hessian(w), [[0.0]])
        np.testing.assert_array_equal(problem.hvp(w, np.array([1.0])), [0.0])
        assert right.loss(w) == 0.0
        np.testing.assert_array_equal(right.grad(w), [0.0])


def test_huge_weights_on_random_data_give_finite_results():
    problem = PROBLEMS["logreg_l2"]
    W = 1e4 * points(D, count=3)  # |X w| of order 1e4
    assert np.abs(W @ X.T).max() > 1e3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = [problem.loss(W), problem.grad(W), problem.hessian(W), problem.hvp(W, W)]
    assert all(np.all(np.isfinite(v)) for v in values)


def test_sigmoid_and_softplus_at_extremes():
    z = np.array([-1e3, -800.0, 800.0, 1e3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s, sp = sigmoid(z), softplus(z)
    np.testing.assert_array_equal(s, [0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(sp, [0.0, 0.0, 800.0, 1e3])


def test_sigmoid_and_softplus_match_naive_formulas_at_moderate_z():
    z = np.linspace(-30, 30, 241)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-13)
    np.testing.assert_allclose(softplus(z), np.log1p(np.exp(z)), rtol=1e-13)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), atol=1e-15)
    np.testing.assert_allclose(softplus(z) - softplus(-z), z, atol=1e-13)
    assert sigmoid(0.0) == 0.5
    assert softplus(0.0) == pytest.approx(np.log(2), rel=1e-15)


def test_quadratic_minimizer_solves_linear_system():
    problem = PROBLEMS["quadratic"]
    w_star = problem.minimizer
    np.testing.assert_allclose(A_SPD @ w_star, B, atol=1e-12)
    np.testing.assert_allclose(problem.grad(w_star), np.zeros(D), atol=1e-12)
    assert np.all(problem.loss(points(D)) > problem.loss(w_star))


def test_quadratic_eigenvalues_and_indefinite_minimizer():
    np.testing.assert_allclose(PROBLEMS["quadratic"].eigenvalues, np.linalg.eigvalsh(A_SPD))
    indefinite = PROBLEMS["quadratic_indefinite"]
    assert indefinite.eigenvalues[0] < 0 < indefinite.eigenvalues[-1]
    with pytest.raises(ValueError, match="positive definite"):
        _ = indefinite.minimizer


@pytest.mark.parametrize("shape", [(3,), (4, 3)])
def test_loss_and_grad_equals_loss_and_grad_separately(shape):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((30, 3)) * 5
    y = (rng.random(30) < 0.5).astype(float)
    problem = LogisticRegression(X, y, l2=0.3)
    w = rng.standard_normal(shape) * 10
    idx = np.array([0, 5, 5, 29])
    for args in ((w,), (w, idx)):
        loss, grad = problem.loss_and_grad(*args)
        np.testing.assert_allclose(loss, problem.loss(*args), rtol=1e-14)
        np.testing.assert_allclose(grad, problem.grad(*args), rtol=1e-13, atol=1e-15)


def test_rosenbrock_by_hand():
    f = Rosenbrock()
    assert f.loss([1.0, 1.0]) == 0.0
    np.testing.assert_array_equal(f.grad(f.minimizer), [0.0, 0.0])
    assert f.loss([-1.0, 1.0]) == 4.0
    np.testing.assert_allclose(f.grad([0.0, 1.0]), [-2.0, 200.0])
    np.testing.assert_allclose(f.hessian([1.0, 1.0]), [[802.0, -400.0], [-400.0, 200.0]])


@pytest.mark.parametrize("kwargs", [{"b": 0.0}, {"b": -1.0}, {"a": np.nan}, {"a": [1.0, 2.0]}])
def test_rosenbrock_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        Rosenbrock(**kwargs)


def test_logistic_grad_takes_one_minibatch_per_vector():
    """Regression: ``run(LR, sgd(.1), zeros((2, 3)), 3, batch_size=4, seed=[0, 1])`` raised
    'idx must be a non-empty 1-D integer array'; a (C, B) idx is one minibatch per row of w."""
    from helpers.optim import sgd
    from helpers.train import run

    problem = LogisticRegression(X, Y, l2=0.1)
    w = np.random.default_rng(1).normal(size=(2, X.shape[1]))
    idx = np.array([[3, 0, 7, 7], [29, 1, 2, 2]])
    rows = [problem.grad(w[c], idx[c]) for c in range(2)]
    np.testing.assert_allclose(problem.grad(w, idx), np.stack(rows), rtol=1e-12, atol=1e-15)
    hist = run(problem, sgd(0.1), np.zeros((2, X.shape[1])), 3, batch_size=4, seed=[0, 1])
    for c, seed in enumerate([0, 1]):
        alone = run(problem, sgd(0.1), np.zeros(X.shape[1]), 3, batch_size=4, seed=seed)
        np.testing.assert_allclose(hist.params[c], alone.params, rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="one minibatch per row"):
        problem.grad(w[:1], idx)
    with pytest.raises(ValueError, match="idx must"):
        problem.grad(w, np.zeros((2, 0), dtype=int))


def test_hvp_operator_equals_hvp_bit_for_bit_and_the_explicit_hessian():
    problem = PROBLEMS["logreg_l2"]
    rng = np.random.default_rng(3)
    for _ in range(5):
        w, v = rng.standard_normal((2, D))
        product = problem.hvp_operator(w)
        assert np.array_equal(product(v), problem.hvp(w, v))  # same operations, same order
        np.testing.assert_allclose(product(v), problem.hessian(w) @ v, rtol=1e-12, atol=1e-15)
    W, V = rng.standard_normal((2, 3, D))
    assert np.array_equal(problem.hvp_operator(W)(V), problem.hvp(W, V))
    idx = np.array([0, 3, 7])
    assert np.array_equal(problem.hvp_operator(W[0], idx)(V[0]), problem.hvp(W[0], V[0], idx))


def test_hvp_operator_rejects_bad_arguments():
    problem = PROBLEMS["logreg"]
    with pytest.raises(ValueError, match=r"^w must"):
        problem.hvp_operator(np.zeros(D + 1))
    with pytest.raises(ValueError, match=r"^idx"):
        problem.hvp_operator(np.zeros(D), idx=np.array([N]))
    with pytest.raises(ValueError, match=r"^v must"):
        problem.hvp_operator(np.zeros(D))(np.zeros(D + 1))
