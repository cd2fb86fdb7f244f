"""helpers.problems.least_squares: derivatives, the exact minimum, per-vector minibatches, the data."""

import numpy as np
import pytest

from helpers.optim import sgd
from helpers.problems.least_squares import LeastSquares, synthetic_regression
from helpers.train import run


@pytest.fixture(scope="module")
def problem():
    X, y = synthetic_regression(20, d=4, noise=0.3, seed=1)
    return LeastSquares(X, y, l2=0.1)


def raises(name):
    return pytest.raises(ValueError, match=rf"^{name}\b")


def test_gradient_and_hessian_match_finite_differences(problem):
    rng = np.random.default_rng(0)
    w = rng.standard_normal(problem.d)
    eps = 1e-6
    eye = np.eye(problem.d)
    fd = np.array(
        [(problem.loss(w + eps * e) - problem.loss(w - eps * e)) / (2 * eps) for e in eye]
    )
    np.testing.assert_allclose(problem.grad(w), fd, atol=1e-8)
    fd_h = np.array(
        [(problem.grad(w + eps * e) - problem.grad(w - eps * e)) / (2 * eps) for e in eye]
    )
    np.testing.assert_allclose(problem.hessian(w), fd_h, atol=1e-7)
    v = rng.standard_normal(problem.d)
    np.testing.assert_allclose(problem.hvp(w, v), problem.hessian(w) @ v, rtol=1e-12)


def test_minimum_is_exact(problem):
    w_star = problem.minimizer
    assert np.abs(problem.grad(w_star)).max() < 1e-13
    assert problem.loss(w_star) == pytest.approx(problem.f_star, rel=1e-14)
    lstsq = np.linalg.lstsq(
        np.vstack([problem.X, np.sqrt(problem.l2 * problem.n_samples) * np.eye(problem.d)]),
        np.concatenate([problem.y, np.zeros(problem.d)]),
        rcond=None,
    )[0]
    np.testing.assert_allclose(w_star, lstsq, rtol=1e-10)


def test_suboptimality_is_loss_minus_f_star_without_cancellation(problem):
    rng = np.random.default_rng(2)
    W = rng.standard_normal((6, problem.d))
    np.testing.assert_allclose(
        problem.suboptimality(W), problem.loss(W) - problem.f_star, rtol=1e-10
    )
    tiny = problem.minimizer + 1e-12
    assert 0 < problem.suboptimality(tiny) < 1e-22  # loss(tiny) - f_star would be rounding noise
    assert problem.suboptimality(problem.minimizer) == 0.0


def test_constants(problem):
    eig = np.linalg.eigvalsh(problem.H)
    assert problem.mu == pytest.approx(eig[0]) and problem.L == pytest.approx(eig[-1])
    per_sample = [np.linalg.eigvalsh(np.outer(x, x))[-1] + problem.l2 for x in problem.X]
    assert problem.L_max == pytest.approx(max(per_sample))
    grads = [problem.grad(problem.minimizer, np.array([i])) for i in range(problem.n_samples)]
    assert problem.sigma_star_sq == pytest.approx(np.mean(np.sum(np.square(grads), axis=1)))
    np.testing.assert_allclose(np.mean(grads, axis=0), 0.0, atol=1e-13)


def test_shared_and_per_vector_minibatches(problem):
    rng = np.random.default_rng(3)
    W = rng.standard_normal((3, 2, problem.d))
    idx = np.array([4, 4, 17])
    g_shared = problem.grad(W, idx)
    for a in range(3):
        for b in range(2):
            Xb, yb = problem.X[idx], problem.y[idx]
            manual = (Xb @ W[a, b] - yb) @ Xb / 3 + problem.l2 * W[a, b]
            np.testing.assert_allclose(g_shared[a, b], manual, rtol=1e-12)
    per = rng.integers(0, problem.n_samples, size=(3, 2, 5))
    g_per = problem.grad(W, per)
    for a in range(3):
        for b in range(2):
            np.testing.assert_allclose(g_per[a, b], problem.grad(W[a, b], per[a, b]), rtol=1e-12)
    # broadcasting: one minibatch per row of the first axis, shared along the second
    g_bcast = problem.minibatch_grad(W, per[:, :1])
    for a in range(3):
        for b in range(2):
            np.testing.assert_allclose(g_bcast[a, b], problem.grad(W[a, b], per[a, 0]), rtol=1e-12)


def test_works_with_train_run(problem):
    hist = run(problem, sgd(0.1), np.zeros(problem.d), steps=400, batch_size=5, seed=0)
    assert not hist.diverged
    assert problem.suboptimality(hist.params[-1]) < 0.1 * problem.suboptimality(np.zeros(problem.d))
    gd = run(problem, sgd(0.5), np.zeros(problem.d), steps=300)
    assert problem.suboptimality(gd.params[-1]) < 1e-10


def test_synthetic_regression_is_nested_and_sortable():
    X10, y10 = synthetic_regression(10, d=3, seed=4)
    X4, y4 = synthetic_regression(4, d=3, seed=4)
    np.testing.assert_array_equal(X10[:4], X4)
    np.testing.assert_array_equal(y10[:4], y4)
    Xs, ys = synthetic_regression(10, d=3, seed=4, sort_by_target=True)
    assert np.all(np.diff(ys) >= 0)
    order = np.argsort(y10, kind="stable")
    np.testing.assert_array_equal(Xs, X10[order])
    assert np.mean(np.sum(synthetic_regression(4000, d=5)[0] ** 2, axis=1)) == pytest.approx(
        1, rel=0.05
    )


def test_arguments_are_validated(problem):
    X, y = problem.X, problem.y
    with raises("X"):
        LeastSquares(X[0], y)
    with raises("y"):
        LeastSquares(X, y[:-1])
    with raises("l2"):
        LeastSquares(X, y, l2=-1.0)
    with raises("l2"):  # singular without ridge: 2 samples in 4 dimensions
        LeastSquares(X[:2], y[:2], l2=0.0)
    with raises("w"):
        problem.loss(np.zeros(3))
    with raises("idx"):
        problem.grad(np.zeros(problem.d), np.array([problem.n_samples]))
    with raises("idx"):
        problem.grad(np.zeros(problem.d), np.array([0.5]))
    with raises("v"):
        problem.hvp(np.zeros(problem.d), np.zeros(2))
    with raises("n"):
        synthetic_regression(0)
    with raises("noise"):
        synthetic_regression(5, noise=-1.0)
    with raises("sort_by_target"):
        synthetic_regression(5, sort_by_target=1)
