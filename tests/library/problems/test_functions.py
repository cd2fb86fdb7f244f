"""helpers.problems.functions: derivatives vs finite differences, batching, the documented facts."""

import numpy as np
import pytest

from helpers.problems import Cosh, Saddle, XCos, conditioned_quadratic, random_logistic_regression
from tests.finite_differences import central_difference, points

PROBLEMS = {
    "cosh": Cosh(),
    "cosh_c2": Cosh(c=2.0),
    "xcos": XCos(),
    "saddle": Saddle(),
    "saddle_no_quartic": Saddle(quartic=0.0),
    "quadratic_kappa_100": conditioned_quadratic(100.0, angle=0.3, minimizer=(1.0, -2.0)),
    "logistic_synthetic": random_logistic_regression(n=20, d=6, l2=0.1, seed=3, decay=0.1),
}
problems = pytest.mark.parametrize("problem", PROBLEMS.values(), ids=PROBLEMS.keys())


@problems
def test_grad_and_hessian_match_finite_differences(problem):
    for w in points(problem.d):
        np.testing.assert_allclose(
            problem.grad(w), central_difference(problem.loss, w), rtol=1e-6, atol=1e-8
        )
        np.testing.assert_allclose(
            problem.hessian(w), central_difference(problem.grad, w), rtol=1e-6, atol=1e-8
        )


@problems
def test_hvp_equals_hessian_times_v(problem):
    w, v = points(problem.d, count=2)
    np.testing.assert_allclose(problem.hvp(w, v), problem.hessian(w) @ v, rtol=1e-12, atol=1e-14)


@problems
def test_batched_rows_equal_single_results(problem):
    C, d = 4, problem.d
    W, V = points(d, count=C, seed=2), points(d, count=C, seed=3)
    loss, grad, hess, hvp = problem.loss(W), problem.grad(W), problem.hessian(W), problem.hvp(W, V)
    assert (loss.shape, grad.shape, hess.shape, hvp.shape) == ((C,), (C, d), (C, d, d), (C, d))
    for c in range(C):
        np.testing.assert_allclose(loss[c], problem.loss(W[c]), rtol=1e-12)
        np.testing.assert_allclose(grad[c], problem.grad(W[c]), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(hess[c], problem.hessian(W[c]), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(hvp[c], problem.hvp(W[c], V[c]), rtol=1e-12, atol=1e-15)


@problems
def test_single_point_shapes(problem):
    w = points(problem.d, count=1)[0]
    assert np.shape(problem.loss(w)) == ()
    assert problem.grad(w).shape == (problem.d,)
    assert problem.hessian(w).shape == (problem.d, problem.d)


def test_one_d_functions_by_hand():
    c = 0.15 * np.pi
    f = XCos()
    x = 10.0  # c x = 1.5 pi: cos = 0, sin = -1
    assert f.loss([x]) == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(f.grad([x]), [c * x], rtol=1e-12)
    np.testing.assert_allclose(f.hessian([x]), [[2 * c]], rtol=1e-12)
    g = Cosh(0.5)
    assert g.loss([0.0]) == 1.0
    np.testing.assert_array_equal(g.grad([0.0]), [0.0])
    np.testing.assert_allclose(g.hessian([0.0]), [[0.25]])


def test_conditioned_quadratic_scales_to_the_asked_largest_eigenvalue():
    q = conditioned_quadratic(40.0, angle=0.4, largest=40.0)
    np.testing.assert_allclose(q.eigenvalues, [1.0, 40.0], rtol=1e-12)
    steep = np.array([np.cos(0.4), np.sin(0.4)])
    np.testing.assert_allclose(q.A @ steep, 40.0 * steep, rtol=1e-12)


@pytest.mark.parametrize("kappa", [1.0, 10.0, 1e4])
def test_conditioned_quadratic_has_the_asked_condition_number(kappa):
    q = conditioned_quadratic(kappa, angle=0.7, minimizer=(2.0, -1.0))
    np.testing.assert_allclose(q.eigenvalues, [1 / kappa, 1.0], rtol=1e-12)
    np.testing.assert_allclose(q.minimizer, [2.0, -1.0], rtol=1e-9)
    steep = np.array([np.cos(0.7), np.sin(0.7)])
    np.testing.assert_allclose(q.A @ steep, steep, atol=1e-12)


def test_saddle_has_a_saddle_and_two_minima():
    s = Saddle(quartic=0.5)
    np.testing.assert_array_equal(s.grad([0.0, 0.0]), [0.0, 0.0])
    np.testing.assert_array_equal(s.hessian([0.0, 0.0]), np.diag([2.0, -2.0]))
    np.testing.assert_allclose(s.minimizers, [[0.0, 1.0], [0.0, -1.0]])
    for m in s.minimizers:
        np.testing.assert_allclose(s.grad(m), [0.0, 0.0], atol=1e-15)
        assert s.loss(m) == pytest.approx(-0.5)
        assert np.all(np.linalg.eigvalsh(s.hessian(m)) > 0)
    with pytest.raises(ValueError, match="quartic"):
        _ = Saddle(quartic=0.0).minimizers


def test_random_logistic_regression_is_seeded():
    a, b = random_logistic_regression(30, 8, seed=5), random_logistic_regression(30, 8, seed=5)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, random_logistic_regression(30, 8, seed=6).X)
    assert (a.n_samples, a.d, a.l2) == (30, 8, 1e-2)
    assert set(np.unique(a.y)) <= {0.0, 1.0}


def test_random_logistic_regression_feature_scales():
    big = random_logistic_regression(4000, 50, decay=1e-2, seed=1)
    np.testing.assert_allclose(np.mean(np.sum(big.X**2, axis=1)), 1.0, rtol=0.05)
    spread = big.X.std(axis=0)
    np.testing.assert_allclose(spread[-1] / spread[0], 1e-2, rtol=0.1)


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: Cosh(c=0.0), "c"),
        (lambda: XCos(c=-1.0), "c"),
        (lambda: Saddle(quartic=-0.1), "quartic"),
        (lambda: Saddle(quartic=np.nan), "quartic"),
        (lambda: conditioned_quadratic(0.5), "kappa"),
        (lambda: conditioned_quadratic(np.inf), "kappa"),
        (lambda: conditioned_quadratic(10.0, angle=np.nan), "angle"),
        (lambda: conditioned_quadratic(10.0, minimizer=(1.0, 2.0, 3.0)), "minimizer"),
        (lambda: conditioned_quadratic(10.0, largest=0.0), "largest"),
        (lambda: random_logistic_regression(0, 3), "n"),
        (lambda: random_logistic_regression(3, 0), "d"),
        (lambda: random_logistic_regression(3, 3, l2=0.0), "l2"),
        (lambda: random_logistic_regression(3, 3, seed=-1), "seed"),
        (lambda: random_logistic_regression(3, 3, decay=0.0), "decay"),
        (lambda: random_logistic_regression(3, 3, decay=1.5), "decay"),
        (lambda: random_logistic_regression(3, 3, signal=-1.0), "signal"),
    ],
)
def test_bad_arguments_are_rejected(make, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        make()


def test_wrong_shapes_are_rejected():
    with pytest.raises(ValueError, match=r"^w"):
        XCos().loss([1.0, 2.0])
    with pytest.raises(ValueError, match=r"^v"):
        Saddle().hvp([1.0, 2.0], [1.0])
