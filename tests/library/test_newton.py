"""helpers.newton: exactness on quadratics, the three methods against each other, the hvp-only
path, damping, line search, singular Hessians, batching, d2l's reference values, bad arguments."""

import re

import numpy as np
import pytest

from helpers.data import blobs
from helpers.newton import (
    FORCING,
    METHODS,
    NewtonHistory,
    classify_point,
    forcing_tolerance,
    format_small,
    newton_direction,
    run,
    steihaug_cg,
    step_curvature,
    steps_to_tolerance,
    trust_region_saddle_free,
)
from helpers.problems import (
    Cosh,
    LogisticRegression,
    Quadratic,
    Rosenbrock,
    Saddle,
    XCos,
    conditioned_quadratic,
    random_logistic_regression,
)
from helpers.train import History

RNG = np.random.default_rng(0)
D = 6
M = RNG.standard_normal((D, D))
SPD = Quadratic(M @ M.T + 0.1 * np.eye(D), RNG.standard_normal(D))
INDEFINITE = Quadratic((M + M.T) / 2, RNG.standard_normal(D))
X, Y = blobs(n=40, seed=1)
LOGREG = LogisticRegression(X, Y, l2=0.01)
CONVEX = {
    "spd_quadratic": (SPD, np.zeros(D)),
    "logreg": (LOGREG, np.array([0.5, -1.0, 0.2])),
    "cosh": (Cosh(), np.array([3.0])),
    "rosenbrock_near_min": (Rosenbrock(), np.array([0.9, 0.8])),
}
convex = pytest.mark.parametrize(("problem", "w0"), CONVEX.values(), ids=CONVEX.keys())


class NoHessian:
    """A problem whose hessian() must never be called."""

    def __init__(self, problem):
        self.problem, self.d, self.n_samples = problem, problem.d, None

    def loss(self, w):
        return self.problem.loss(w)

    def grad(self, w):
        return self.problem.grad(w)

    def hvp(self, w, v):
        return self.problem.hvp(w, v)

    def hessian(self, w):
        raise AssertionError("hessian() called on the Hessian-free path")


def raises(name):
    return pytest.raises(ValueError, match=rf"^{re.escape(name)}\b")


# --- exactness on quadratics ---------------------------------------------------------------------


@pytest.mark.parametrize("kappa", [1.0, 1e2, 1e4, 1e6])
@pytest.mark.parametrize("method", METHODS)
def test_one_step_lands_on_the_minimum_of_a_quadratic(kappa, method):
    q = conditioned_quadratic(kappa, angle=0.4, minimizer=(1.0, -2.0))
    w_star = np.array([1.0, -2.0])
    hist = run(q, [-3.0, 5.0], steps=1, method=method)
    # Exact up to rounding, which a backward-stable solve amplifies by at most about kappa.
    tol = max(1e-10, 10 * kappa * np.finfo(float).eps)
    assert np.linalg.norm(hist.params[1] - w_star) <= tol * np.linalg.norm(w_star)


@pytest.mark.parametrize("method", METHODS)
def test_one_step_on_a_random_spd_quadratic(method):
    hist = run(SPD, RNG.standard_normal(D), steps=1, method=method)
    np.testing.assert_allclose(hist.params[1], SPD.minimizer, rtol=1e-10, atol=1e-10)


def test_lr_scales_the_newton_step():
    w0 = np.array([-3.0, 5.0])
    q = conditioned_quadratic(50.0)
    full = newton_direction(q, w0).step
    hist = run(q, w0, steps=1, lr=0.25)
    np.testing.assert_allclose(hist.params[1], w0 + 0.25 * full, rtol=1e-12)


# --- the methods against each other -------------------------------------------------------------


@convex
def test_saddle_free_equals_newton_on_convex_problems(problem, w0):
    a = run(problem, w0, steps=5, method="newton")
    b = run(problem, w0, steps=5, method="saddle-free")
    np.testing.assert_allclose(b.params, a.params, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("damping", [0.0, 0.3])
def test_newton_cg_equals_newton_at_moderate_d(damping):
    problem = random_logistic_regression(n=120, d=60, l2=1e-2, seed=2)
    w = 0.5 * np.random.default_rng(3).standard_normal(60)
    exact = newton_direction(problem, w, "newton", damping=damping)
    cg = newton_direction(problem, w, "newton-cg", damping=damping, cg_tol=1e-12)
    np.testing.assert_allclose(cg.step, exact.step, rtol=1e-8, atol=1e-10)
    assert 0 < cg.hvps <= 2 * 60
    assert exact.hvps == 0
    a = run(problem, w, steps=6, method="newton", damping=damping)
    b = run(problem, w, steps=6, method="newton-cg", damping=damping, cg_tol=1e-12)
    np.testing.assert_allclose(b.params, a.params, rtol=1e-7, atol=1e-9)
    assert b.hvps.shape == (6,) and np.all(b.hvps[:3] > 0)


def test_hessian_free_path_never_calls_hessian():
    problem = NoHessian(random_logistic_regression(n=50, d=30, seed=1))
    hist = run(problem, np.zeros(30), steps=4, method="newton-cg")
    assert hist.grad_norm[-1] < 1e-6 * hist.grad_norm[0]
    newton_direction(problem, np.zeros(30), "newton-cg")
    run(problem, np.zeros((3, 30)), steps=2, method="newton-cg", line_search=True, damping=0.1)
    with pytest.raises(AssertionError, match="hessian"):
        run(problem, np.zeros(30), steps=1, method="newton")


def test_damping_solves_the_shifted_system():
    w = np.array([0.3, 0.1, -0.2])
    H, g = LOGREG.hessian(w), LOGREG.grad(w)
    expected = np.linalg.solve(H + 0.7 * np.eye(3), -g)
    for method in METHODS:  # H is positive definite, so |H| = H
        step = newton_direction(LOGREG, w, method, damping=0.7).step
        np.testing.assert_allclose(step, expected, rtol=1e-9)


def test_saddle_free_flips_negative_curvature_by_hand():
    s = Saddle(quartic=0.5)
    w = np.array([1.0, 0.3])
    g, curvature_y = s.grad(w), s.hessian(w)[1, 1]
    assert curvature_y < 0
    newton = newton_direction(s, w, "newton").step
    free = newton_direction(s, w, "saddle-free").step
    np.testing.assert_allclose(newton, [-1.0, -g[1] / curvature_y], rtol=1e-12)
    np.testing.assert_allclose(free, [-1.0, -g[1] / abs(curvature_y)], rtol=1e-12)
    assert g[1] * newton[1] > 0  # along y (negative curvature) Newton's step goes uphill
    assert g @ free < 0


@pytest.mark.parametrize("seed", range(5))
def test_newton_cg_direction_is_a_descent_direction_on_indefinite_problems(seed):
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((8, 8))
    problem = Quadratic((m + m.T) / 2, rng.standard_normal(8))
    w = rng.standard_normal(8)
    step = newton_direction(problem, w, "newton-cg").step
    assert problem.grad(w) @ step < 0


def test_newton_cg_truncates_to_minus_gradient_at_once_on_a_concave_quadratic():
    problem = Quadratic(-np.eye(3), np.ones(3))
    w = np.array([1.0, 2.0, -1.0])
    direction = newton_direction(problem, w, "newton-cg")
    np.testing.assert_allclose(direction.step, -problem.grad(w))
    assert direction.hvps == 1


# --- 1-D examples (d2l) and the saddle ----------------------------------------------------------


def test_d2l_reference_values():
    assert run(Cosh(0.5), [10.0], 10).params[-1, 0] == pytest.approx(0.0, abs=1e-12)
    assert run(XCos(), [10.0], 10).params[-1, 0] == pytest.approx(26.834, abs=1e-3)
    assert run(XCos(), [10.0], 10, lr=0.5).params[-1, 0] == pytest.approx(7.2699, abs=1e-4)


def test_newton_finds_the_maximum_and_the_fixes_find_minima():
    f = XCos()
    assert classify_point(f, run(f, [10.0], 10).params[-1]) == "maximum"
    for kwargs in ({"method": "saddle-free"}, {"line_search": True}, {"damping": 1.0}):
        end = run(f, [10.0], 30, **kwargs).params[-1]
        assert classify_point(f, end) == "minimum", kwargs


def test_newton_is_attracted_to_the_saddle_and_saddle_free_escapes():
    s = Saddle()
    newton = run(s, [1.0, 0.3], 10, method="newton")
    free = run(s, [1.0, 0.3], 10, method="saddle-free")
    assert classify_point(s, newton.params[-1]) == "saddle"
    assert classify_point(s, free.params[-1]) == "minimum"
    np.testing.assert_allclose(free.params[-1], [0.0, 1.0], atol=1e-12)


# --- runs: History contents, batching, stopping ------------------------------------------------


def test_history_is_a_train_history_with_extras():
    hist = run(LOGREG, np.zeros(3), steps=4)
    assert isinstance(hist, History) and isinstance(hist, NewtonHistory)
    assert hist.loss.shape == (5,) and hist.params.shape == (5, 3)
    assert hist.grad_norm.shape == (5,) and hist.hvps.shape == (4,)
    np.testing.assert_allclose(hist.loss, LOGREG.loss(hist.params), rtol=1e-12)
    np.testing.assert_allclose(
        hist.grad_norm, np.linalg.norm(LOGREG.grad(hist.params), axis=1), rtol=1e-12
    )
    assert hist.diverged is False and hist.diverged_at == -1
    assert hist.status == "ran 4 steps"


@pytest.mark.parametrize("method", METHODS)
def test_batched_run_equals_single_runs(method):
    W0 = np.array([[0.5, -1.0, 0.2], [0.0, 0.0, 0.0], [2.0, 1.0, -3.0]])
    batched = run(LOGREG, W0, steps=5, method=method, line_search=True, grad_tol=1e-9)
    assert len(batched) == 3
    for c in range(3):
        single = run(LOGREG, W0[c], steps=5, method=method, line_search=True, grad_tol=1e-9)
        got = batched.config(c)
        assert isinstance(got, NewtonHistory)
        np.testing.assert_allclose(got.params, single.params, rtol=1e-10, atol=1e-13)
        np.testing.assert_array_equal(got.hvps, single.hvps)
        assert got.status == single.status and got.converged_at == single.converged_at


def test_grad_tol_stops_and_repeats_the_final_point():
    hist = run(LOGREG, np.zeros(3), steps=20, grad_tol=1e-8)
    t = hist.converged_at
    assert 0 < t < 20
    assert hist.grad_norm[t] <= 1e-8 < hist.grad_norm[t - 1]
    np.testing.assert_array_equal(hist.params[t:], np.broadcast_to(hist.params[t], (21 - t, 3)))
    assert hist.status == f"converged at step {t}: |grad| <= 1e-08"
    assert not hist.diverged


def test_line_search_never_increases_the_loss():
    for problem, w0 in [(XCos(), [10.0]), (Rosenbrock(), [-1.2, 1.0]), (Saddle(), [1.0, 0.3])]:
        hist = run(problem, w0, 30, line_search=True)
        assert np.all(np.diff(hist.loss) <= 1e-12), problem


def test_full_newton_steps_can_increase_the_loss_on_rosenbrock():
    hist = run(Rosenbrock(), [-1.2, 1.0], 10)
    assert np.any(np.diff(hist.loss) > 0)
    np.testing.assert_allclose(hist.params[-1], [1.0, 1.0], atol=1e-12)


@pytest.mark.parametrize("method", ["newton", "saddle-free"])
def test_singular_hessian_is_a_result_not_a_crash(method):
    problem = Quadratic(np.diag([1.0, 0.0]), np.ones(2))
    hist = run(problem, np.zeros(2), steps=3, method=method)
    assert hist.diverged and hist.diverged_at == 1
    assert "singular" in hist.status and "damping" in hist.status
    assert np.isnan(hist.final_loss)
    assert np.isnan(hist.loss[1:]).all()
    damped = run(problem, np.zeros(2), steps=3, method=method, damping=0.5)
    assert not damped.diverged


def test_singular_hessian_in_a_batch_stops_only_that_run():
    problem = Saddle(quartic=0.5)
    y_flat = 1 / np.sqrt(6 * 0.5)  # -2 + 12 q y^2 = 0
    W0 = np.array([[1.0, y_flat], [1.0, 0.3]])
    hist = run(problem, W0, steps=3, method="saddle-free")
    assert list(hist.diverged) == [True, False]
    assert "singular" in hist.status[0] and hist.status[1] == "ran 3 steps"


def test_blow_up_is_reported_as_divergence():
    hist = run(SPD, np.ones(D), steps=5, lr=50.0, blowup=10.0)  # overshoots 49x per step
    assert hist.diverged and "blowup" in hist.status
    assert np.isfinite(hist.loss[hist.diverged_at])
    assert np.isnan(hist.loss[hist.diverged_at + 1 :]).all()


def test_a_non_finite_start_is_diverged_at_step_0():
    # Margin 2e318 on a label-0 row: the true loss is 2e318, beyond the float range.
    hist = run(LogisticRegression(np.array([[1e308, 1e308]]), np.array([0.0])), [1e10, 1e10], 2)
    assert hist.diverged_at == 0


def test_an_infinite_margin_on_the_right_side_is_a_zero_loss_not_a_divergence():
    # Label 1, margin 2e318: the loss is log(1 + e^{-2e318}) = 0 exactly in floating point.
    hist = run(LogisticRegression(np.array([[1e308, 1e308]]), np.array([1.0])), [1e10, 1e10], 2)
    assert not hist.diverged and hist.loss.tolist() == [0.0, 0.0, 0.0]


# --- small helpers --------------------------------------------------------------------------------


def test_steps_to_tolerance():
    assert steps_to_tolerance([5.0, 1.0, 0.1, 0.01], 0.1) == 2
    assert steps_to_tolerance([5.0, 1.0], 0.1) == -1
    np.testing.assert_array_equal(
        steps_to_tolerance([[1.0, 0.0], [1.0, 2.0], [np.nan, 0.0]], 0.5), [1, -1, 1]
    )


def test_step_curvature_on_the_d2l_run():
    f = XCos()
    hist = run(f, [10.0], 10)
    report = step_curvature(f, hist.params)
    curvature = f.hessian(hist.params[:-1])[:, 0, 0]
    np.testing.assert_allclose(report.min_eigenvalue, curvature, rtol=1e-12)
    np.testing.assert_allclose(report.loss_change, np.diff(hist.loss), rtol=1e-12, atol=1e-15)
    # Newton's step -f'/f'' points uphill exactly where f'' < 0 (if it moves at all: at the
    # maximum the step rounds to 0).
    moving = report.step_norm > 0
    assert moving[:5].all() and not moving[-1]
    np.testing.assert_array_equal(report.uphill_along_negative, (curvature < 0) & moving)


def test_step_curvature_on_the_saddle():
    s = Saddle()
    path = np.array([[1.0, 0.3], [0.0, 0.4], [0.0, 0.2], [0.0, 2.0]])
    report = step_curvature(s, path)
    # f_y < 0 for 0 < y < 1 and the curvature in y is negative for |y| < 0.58: moving y towards 0
    # is uphill, away from it downhill.
    np.testing.assert_array_equal(report.uphill_along_negative, [False, True, False])
    np.testing.assert_array_equal(report.step_norm > 0, [True, True, True])
    uphill = step_curvature(s, np.array([[1.0, 0.3], [0.0, 0.1]]))  # y moves towards 0: uphill
    assert uphill.uphill_along_negative[0]
    with raises("params"):
        step_curvature(s, path[:1])


def test_classify_point():
    s = Saddle()
    assert classify_point(s, [0.0, 0.0]) == "saddle"
    assert classify_point(s, [0.0, 1.0]) == "minimum"
    assert classify_point(s, [1.0, 1.0]) == "not stationary"
    assert classify_point(Quadratic(-np.eye(2), np.zeros(2)), [0.0, 0.0]) == "maximum"
    assert classify_point(Quadratic(np.diag([1.0, 0.0]), np.zeros(2)), [0.0, 0.0]) == "degenerate"


# --- bad arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"steps": -1}, "steps"),
        ({"steps": 2.0}, "steps"),
        ({"method": "bfgs"}, "method"),
        ({"lr": 0.0}, "lr"),
        ({"lr": np.nan}, "lr"),
        ({"damping": -1e-3}, "damping"),
        ({"damping": np.inf}, "damping"),
        ({"cg_tol": 0.0}, "cg_tol"),
        ({"cg_maxiter": 0}, "cg_maxiter"),
        ({"cg_maxiter": 2.5}, "cg_maxiter"),
        ({"line_search": 1}, "line_search"),
        ({"grad_tol": -1.0}, "grad_tol"),
        ({"blowup": 1.0}, "blowup"),
        ({"w0": [1.0, 2.0]}, "w0"),
        ({"w0": [np.nan, 0.0, 0.0]}, "w0"),
        ({"w0": np.zeros((2, 2, 3))}, "w0"),
    ],
)
def test_run_rejects_bad_arguments(kwargs, name):
    args = {"w0": np.zeros(3), "steps": 2, **kwargs}
    with raises(name):
        run(LOGREG, **args)


def test_methods_need_the_right_derivatives():
    class GradOnly:
        d, n_samples = 2, None

        def loss(self, w):
            return np.sum(np.asarray(w) ** 2, axis=-1)

        def grad(self, w):
            return 2 * np.asarray(w)

    for method in METHODS:
        with raises("problem"):
            run(GradOnly(), np.zeros(2), 1, method=method)
    with raises("method"):
        newton_direction(LOGREG, np.zeros(3), "gd")
    with raises("w"):
        newton_direction(LOGREG, np.zeros(4))


def test_format_small():
    assert format_small(3.14159) == "3.1"
    assert format_small(0.0123) == "0.012"
    assert format_small(2.5e-7) == "2.5e-07"
    assert format_small(3e-16) == "< 1e-14"
    assert format_small(3e-16, floor=1e-16) == "3.0e-16"
    assert format_small(np.nan) == "nan"
    with raises("floor"):
        format_small(1.0, floor=0.0)


# --- Cholesky, the Woodbury (dual) step -----------------------------------------------------------


def test_cholesky_certifies_positive_definiteness_and_matches_lu():
    w = np.zeros(D)
    spd = newton_direction(SPD, w)
    assert spd.positive_definite is True
    assert np.allclose(spd.step, np.linalg.solve(SPD.hessian(w), -SPD.grad(w)), rtol=1e-10)
    indefinite = newton_direction(INDEFINITE, w)
    assert indefinite.positive_definite is False  # LU fallback, still the stationary point
    H, g = INDEFINITE.hessian(w), INDEFINITE.grad(w)
    assert np.allclose(H @ indefinite.step, -g, atol=1e-10)
    assert newton_direction(SPD, w, "saddle-free").positive_definite is None


@pytest.mark.parametrize(("n", "d"), [(50, 10), (20, 200), (200, 2000)])
@pytest.mark.parametrize("damping", [0.0, 0.3])
def test_dual_step_equals_the_explicit_step(n, d, damping):
    problem = random_logistic_regression(n, d, l2=1e-2, seed=n + d, decay=0.05)
    w = np.random.default_rng(d).standard_normal((2, d))
    explicit = newton_direction(problem, w, "newton", damping=damping)
    dual = newton_direction(problem, w, "newton-dual", damping=damping)
    assert explicit.positive_definite.all()
    gap = np.linalg.norm(dual.step - explicit.step, axis=1) / np.linalg.norm(explicit.step, axis=1)
    assert np.all(gap < 1e-9)


def test_hessian_factor_rebuilds_the_hessian():
    w = np.array([0.5, -1.0, 0.2])
    Z, mu = LOGREG.hessian_factor(w)
    assert Z.shape == (LOGREG.n_samples, 3)
    assert np.allclose(Z.T @ Z + mu * np.eye(3), LOGREG.hessian(w), atol=1e-14)


def test_dual_needs_a_factor_and_a_positive_shift():
    with raises("problem"):
        newton_direction(SPD, np.zeros(D), "newton-dual")
    unregularized = LogisticRegression(X, Y, l2=0.0)
    hist = run(unregularized, np.zeros(3), 3, method="newton-dual")
    assert hist.diverged and "singular" in hist.status
    assert not run(unregularized, np.zeros(3), 3, method="newton-dual", damping=1e-3).diverged


# --- saddle-free Newton: damping and trust region ---------------------------------------------------


def test_undamped_saddle_free_jumps_uphill_on_the_saddle():
    hist = run(Saddle(0.5), [1.5, 0.25], 3, method="saddle-free")
    assert np.allclose(hist.params[1], [0.0, 0.5385], atol=1e-4)
    assert np.allclose(hist.params[2], [0.0, 3.4755], atol=1e-4)
    assert hist.loss[2] > 60 > hist.loss[0]


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("saddle-free", {"damping": 0.5}),
        ("saddle-free", {"damping": 1.0}),
        ("saddle-free", {"trust_radius": 0.5}),
        ("saddle-free", {"trust_radius": 1.0}),
        ("newton-cg", {"trust_radius": 0.5}),  # Steihaug
        ("newton-cg", {"trust_radius": 1.0}),
    ],
)
def test_damped_and_trust_region_variants_descend_to_a_minimum(method, kwargs):
    saddle = Saddle(0.5)
    hist = run(saddle, [1.5, 0.25], 40, method=method, grad_tol=1e-10, **kwargs)
    assert np.all(np.diff(hist.loss) <= 1e-15)
    assert classify_point(saddle, hist.params[-1], grad_tol=1e-8) == "minimum"


def test_trust_region_saddle_free_against_the_exact_step():
    H = INDEFINITE.hessian(np.zeros(D))
    g = INDEFINITE.grad(np.zeros(D))
    lam, V = np.linalg.eigh(H)
    free = -V @ ((V.T @ g) / np.abs(lam))
    e, predicted = trust_region_saddle_free(H, g, 10 * np.linalg.norm(free))
    assert np.allclose(e, free, rtol=1e-12)  # inside: the saddle-free step itself
    assert np.isclose(predicted, -(g @ free + 0.5 * free @ (V * np.abs(lam)) @ V.T @ free))
    for radius in (0.01, 0.1, 0.5 * np.linalg.norm(free)):
        e, _ = trust_region_saddle_free(H, g, radius)
        assert np.isclose(np.linalg.norm(e), radius, rtol=1e-9)
        mu = -(V.T @ g)[0] / (V.T @ e)[0] - np.abs(lam[0])  # e = -(|H| + mu I)^-1 g
        assert mu > 0
        assert np.allclose(e, -V @ ((V.T @ g) / (np.abs(lam) + mu)), rtol=1e-7)


def test_trust_region_saddle_free_rejects_bad_arguments():
    H, g = np.eye(2), np.ones(2)
    with raises("radius"):
        trust_region_saddle_free(H, g, 0.0)
    with raises("H"):
        trust_region_saddle_free(np.ones((2, 3)), g, 1.0)
    with raises("H"):
        trust_region_saddle_free(np.array([[1.0, 2.0], [0.0, 1.0]]), g, 1.0)
    with raises("damping"):
        trust_region_saddle_free(H, g, 1.0, damping=-1.0)


# --- Steihaug CG ----------------------------------------------------------------------------------


def _hvp(A):
    return lambda p: p @ A.T


def test_steihaug_equals_the_exact_step_inside_a_large_region():
    A, g = SPD.hessian(np.zeros(D)), SPD.grad(np.zeros(D))[None]
    e, hvps, predicted, edge, negative = steihaug_cg(_hvp(A), g, 1e6, 1e-12, 50)
    exact = np.linalg.solve(A, -g[0])
    assert np.allclose(e[0], exact, rtol=1e-8) and not edge[0] and hvps[0] <= 2 * D
    assert not negative[0]
    assert np.isclose(predicted[0], 0.5 * g[0] @ np.linalg.solve(A, g[0]))


@pytest.mark.parametrize("seed", range(20))
def test_steihaug_stays_in_the_region_and_beats_the_cauchy_point(seed):
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((D, D))
    A = (M + M.T) / 2 + rng.uniform(-1, 3) * np.eye(D)  # often indefinite
    g = rng.standard_normal((1, D))
    radius = rng.uniform(0.05, 3.0)
    e, _, predicted, edge, negative = steihaug_cg(_hvp(A), g, radius, 1e-10, 100)
    assert np.linalg.norm(e) <= radius * (1 + 1e-9)
    model = g[0] @ e[0] + 0.5 * e[0] @ A @ e[0]
    assert np.isclose(predicted[0], -model)
    gAg = g[0] @ A @ g[0]
    gg = g[0] @ g[0]
    tau = radius / np.sqrt(gg)
    if gAg > 0:
        tau = min(tau, gg / gAg)
    cauchy = -tau * gg + 0.5 * tau**2 * gAg
    assert model <= cauchy + 1e-10
    if np.linalg.eigvalsh(A)[0] < 0 or np.linalg.norm(np.linalg.solve(A, g[0])) > radius:
        assert edge[0] and np.isclose(np.linalg.norm(e), radius)
    if negative[0]:
        assert edge[0]  # negative curvature is followed to the boundary
    if np.linalg.eigvalsh(A)[0] > 0:
        assert not negative[0]  # CG meets no negative curvature on a positive definite B


def test_steihaug_follows_negative_curvature_to_the_boundary():
    A = -np.eye(2)
    e, hvps, predicted, edge, negative = steihaug_cg(
        _hvp(A), np.array([[1.0, 0.0]]), 2.0, 1e-10, 10
    )
    assert np.allclose(e, [[-2.0, 0.0]]) and hvps[0] == 1 and edge[0] and negative[0]
    assert np.isclose(predicted[0], 2.0 + 2.0)  # -(g.e + e.A.e / 2) = -(-2 - 2)


def test_steihaug_rejects_bad_arguments():
    g = np.ones((1, 2))
    with pytest.raises(TypeError, match=r"^hvp"):
        steihaug_cg(None, g, 1.0, 1e-8, 5)
    with raises("radius"):
        steihaug_cg(_hvp(np.eye(2)), g, -1.0, 1e-8, 5)
    with raises("tol"):
        steihaug_cg(_hvp(np.eye(2)), g, 1.0, 0.0, 5)
    with raises("maxiter"):
        steihaug_cg(_hvp(np.eye(2)), g, 1.0, 1e-8, 0)
    with raises("g"):
        steihaug_cg(_hvp(np.eye(2)), np.ones(2), 1.0, 1e-8, 5)


# --- forcing terms ----------------------------------------------------------------------------------


def test_forcing_tolerance():
    assert forcing_tolerance("fixed", 1e-3, [1.0, 1e-6]).tolist() == [1e-3, 1e-3]
    assert forcing_tolerance("superlinear", 1e-3, [4.0, 1e-6]).tolist() == [0.5, 1e-3]
    assert forcing_tolerance("quadratic", 1e-3, [4.0, 1e-6]).tolist() == [0.5, 1e-6]
    with raises("forcing"):
        forcing_tolerance("linear", 1e-3, [1.0])
    with raises("forcing"):
        run(LOGREG, np.zeros(3), 2, method="newton-cg", forcing="linear")


@pytest.mark.parametrize("seed", range(8))
def test_forcing_rules_converge_with_fewer_products_than_exact_solves(seed):
    problem = random_logistic_regression(100, 400, l2=1e-3, seed=seed, decay=1e-2, signal=4.0)
    totals = {}
    for forcing in FORCING:
        hist = run(problem, np.zeros(400), 40, method="newton-cg", forcing=forcing, grad_tol=1e-9)
        assert hist.converged_at > 0, forcing
        totals[forcing] = hist.hvps.sum()
    assert totals["superlinear"] < totals["fixed"] and totals["quadratic"] < totals["fixed"]


def test_trust_region_arguments_are_checked():
    with raises("trust_radius"):
        run(LOGREG, np.zeros(3), 2, method="newton", trust_radius=1.0)
    with raises("trust_radius"):
        run(LOGREG, np.zeros(3), 2, method="saddle-free", trust_radius=0.0)
    with raises("trust_radius"):
        run(LOGREG, np.zeros(3), 2, method="saddle-free", trust_radius=1.0, line_search=True)
    with raises("trust_radius"):
        run(LOGREG, np.zeros(3), 2, method="saddle-free", trust_radius=1.0, lr=0.5)
    with raises("max_radius"):
        run(LOGREG, np.zeros(3), 2, method="saddle-free", trust_radius=1.0, max_radius=0.5)
    with raises("max_radius"):
        run(LOGREG, np.zeros(3), 2, method="saddle-free", max_radius=0.5)
    with raises("trust_radius"):
        newton_direction(LOGREG, np.zeros(3), "newton-dual", trust_radius=1.0)


def test_trust_region_history_records_radius_and_rejections():
    hist = run(Saddle(0.5), [1.5, 0.25], 10, method="saddle-free", trust_radius=0.5)
    assert hist.radius.shape == hist.accepted.shape == (10,)
    assert not hist.accepted.all()  # some steps rejected: the point stayed
    stayed = np.flatnonzero(~hist.accepted)
    assert np.array_equal(hist.params[stayed + 1], hist.params[stayed])
    batched = run(
        Saddle(0.5), np.array([[1.5, 0.25], [1.0, -0.3]]), 10, "saddle-free", trust_radius=0.5
    )
    assert np.array_equal(batched.config(0).params, hist.params)
    assert np.array_equal(batched.config(0).radius, hist.radius)


def test_newton_cg_asks_for_the_hvp_operator_once_per_direction_and_matches_hvp():
    class Counting(NoHessian):
        def __init__(self, problem):
            super().__init__(problem)
            self.operators = 0

        def hvp_operator(self, w):
            self.operators += 1
            return self.problem.hvp_operator(w)

    problem = random_logistic_regression(n=60, d=40, l2=1e-3, seed=2, decay=1e-2)
    counted = Counting(problem)
    for kwargs in ({}, {"forcing": "superlinear"}, {"trust_radius": 1.0}):
        counted.operators = 0
        with_operator = run(counted, np.zeros(40), 6, method="newton-cg", **kwargs)
        without = run(NoHessian(problem), np.zeros(40), 6, method="newton-cg", **kwargs)
        assert counted.operators == 6  # once per step, not once per product
        assert np.array_equal(with_operator.params, without.params)  # bit for bit
        assert np.array_equal(with_operator.hvps, without.hvps)


def test_trust_region_takes_steps_whose_predicted_decrease_is_rounding():
    for method in ("saddle-free", "newton-cg"):
        hist = run(Saddle(0.5), [1.5, 0.25], 30, method=method, trust_radius=0.5)
        t_end = hist.converged_at
        assert t_end > 0
        near = np.flatnonzero(hist.grad_norm[:t_end] < 1e-6)  # steps taken within 1e-6 of 0
        assert near.size >= 1
        assert hist.accepted[near].all()  # no rejection caused by rounding
        assert np.all(hist.radius[near] == hist.radius[near[0]])  # nor a shrinking radius
        # a start 1e-9 from the minimum: the predicted decrease, ~1e-18, is rounding
        still = run(Saddle(0.5), [1e-9, 1.0], 1, method=method, trust_radius=0.5)
        assert still.accepted[0] and still.radius[0] == 0.5 and still.loss[-1] <= -0.5
