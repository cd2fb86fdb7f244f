import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.optim import sgd
from helpers.stability import (
    critical_damping,
    iteration_matrix,
    optimal_heavy_ball,
    optimal_nesterov,
    spectral_radius,
    stability_limit,
    stable_on_quadratic,
    worst_rate,
)

few = settings(max_examples=200, deadline=None, derandomize=True)


def test_limits_at_known_points():
    np.testing.assert_allclose(stability_limit(0.0), 2.0)
    np.testing.assert_allclose(stability_limit(0.0, nesterov=True), 2.0)
    np.testing.assert_allclose(stability_limit(0.9), 3.8)
    np.testing.assert_allclose(stability_limit(0.9, nesterov=True), 3.8 / 2.8)
    np.testing.assert_allclose(
        stability_limit(np.array([0.5, 0.5]), np.array([False, True])), [3.0, 1.5]
    )


@few
@given(
    h=st.floats(0.01, 6.0),
    beta=st.floats(0.0, 0.99),
    nesterov=st.booleans(),
)
def test_limit_is_where_the_spectral_radius_crosses_one(h, beta, nesterov):
    limit = float(stability_limit(beta, nesterov))
    if abs(h - limit) < 1e-6:
        return
    radius = max(abs(np.linalg.eigvals(iteration_matrix(h, beta, 1.0, nesterov))))
    assert (radius < 1) == (h < limit)
    assert bool(stable_on_quadratic(h, beta, 1.0, nesterov)) == (h < limit)


@pytest.mark.parametrize("nesterov", [False, True])
def test_iteration_matrix_is_the_optimizer_step(nesterov):
    lr, beta, lam = 0.3, 0.8, 2.5
    opt = sgd(lr, momentum=beta, nesterov=nesterov)
    p = np.array([1.3])
    state = opt.init(p)
    state = state._replace(velocity=np.array([-0.4]))
    new_p, new_state = opt.step(p, lam * p, state)
    expected = iteration_matrix(lr, beta, lam, nesterov) @ np.array([1.3, lr * -0.4])
    np.testing.assert_allclose([new_p[0], lr * new_state.velocity[0]], expected, rtol=1e-12)


def test_simulation_agrees_with_the_limit():
    lam = 1.0
    for nesterov in (False, True):
        limit = float(stability_limit(0.9, nesterov))
        for lr, should_converge in ((0.95 * limit, True), (1.05 * limit, False)):
            opt = sgd(lr, momentum=0.9, nesterov=nesterov)
            p, state = np.array([1.0]), opt.init(np.array([1.0]))
            for _ in range(1000):
                p, state = opt.step(p, lam * p, state)
            assert abs(p[0]) < 1e-3 if should_converge else abs(p[0]) > 1e3, (nesterov, lr)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: stability_limit(1.0), "beta"),
        (lambda: stability_limit(0.5, nesterov=1), "nesterov"),
        (lambda: stable_on_quadratic(0.0, 0.5, 1.0), "lr"),
        (lambda: stable_on_quadratic(0.1, 0.5, -1.0), "curvature"),
        (lambda: iteration_matrix(0.1, np.nan, 1.0), "beta"),
    ],
)
def test_rejects_bad_arguments(call, name):
    with pytest.raises(ValueError, match=rf"^{name}"):
        call()


# --- rate map: spectral radius, critical damping, optimal heavy ball ---------------------------


@pytest.mark.parametrize("nesterov", [False, True])
def test_spectral_radius_is_that_of_the_iteration_matrix(nesterov):
    rng = np.random.default_rng(3)
    for h, beta in zip(rng.uniform(0.001, 5, 200), rng.uniform(0, 0.99, 200), strict=True):
        eig = np.abs(np.linalg.eigvals(iteration_matrix(h, beta, 1.0, nesterov))).max()
        assert spectral_radius(h, beta, nesterov) == pytest.approx(eig, rel=1e-9, abs=1e-12)
        assert (spectral_radius(h, beta, nesterov) < 1) == stable_on_quadratic(
            h, beta, 1.0, nesterov
        )


def test_critical_damping_is_where_the_eigenvalues_meet():
    h = np.linspace(0.01, 3.99, 200)
    beta = critical_damping(h)
    np.testing.assert_allclose((1 - h + beta) ** 2, 4 * beta, atol=1e-12)  # zero discriminant
    np.testing.assert_allclose(spectral_radius(h, beta), np.abs(1 - np.sqrt(h)), atol=1e-6)
    with pytest.raises(ValueError, match="h must be in"):
        critical_damping(4.5)


def test_critical_damping_is_the_fastest_beta_and_bounds_the_complex_region():
    betas = np.linspace(0, 0.999, 4000)
    for h in np.linspace(0.05, 3.9, 40):
        rho = spectral_radius(h, betas)
        best = float(critical_damping(h))
        assert rho.min() >= float(spectral_radius(h, best)) - 1e-3  # fastest at that h
        # complex (|z| = sqrt(beta)) above the curve, real below it
        above = betas > best + 1e-3
        np.testing.assert_allclose(rho[above], np.sqrt(betas[above]), rtol=1e-9)
    # right of h = (1 + sqrt(beta))^2 the dominant root is real and negative, until 2 + 2 beta
    for beta in (0.1, 0.5, 0.9):
        h = np.linspace((1 + np.sqrt(beta)) ** 2 + 1e-6, 2 + 2 * beta - 1e-6, 20)
        trace, det = 1 - h + beta, beta
        low = (trace - np.sqrt(trace**2 - 4 * det)) / 2
        assert (trace**2 > 4 * det).all() and (low < 0).all()
        np.testing.assert_allclose(spectral_radius(h, beta), -low, rtol=1e-12)


@pytest.mark.parametrize("kappa", [1.0, 2.0, 22.2, 100.0, 1e4])
def test_optimal_nesterov_matches_a_brute_force_search(kappa):
    lr, beta, rate = optimal_nesterov(1.0 / kappa, 1.0)
    assert rate == pytest.approx(1 - 2 / np.sqrt(3 * kappa + 1))
    assert float(worst_rate(lr, beta, 1.0 / kappa, 1.0, True, num=4001)) == pytest.approx(
        rate, rel=1e-6, abs=1e-9
    )
    # no (lr, beta) on a fine grid around it does better
    lrs = lr * np.linspace(0.8, 1.2, 81)
    betas = np.clip(beta + np.linspace(-0.1, 0.1, 81), 0, 0.999)
    grid = worst_rate(lrs[:, None], betas[None, :], 1.0 / kappa, 1.0, True, num=400)
    assert grid.min() >= rate - 1e-9
    # it scales with L: eigenvalues in [mu, L] want lr / L
    lr2, beta2, rate2 = optimal_nesterov(3.0 / kappa, 3.0)
    assert (lr2, beta2, rate2) == pytest.approx((lr / 3, beta, rate))
    with pytest.raises(ValueError, match="L must be >= mu"):
        optimal_nesterov(2.0, 1.0)


@pytest.mark.parametrize("kappa", [2.0, 10.0, 100.0, 1e4])
def test_optimal_heavy_ball_is_optimal(kappa):
    lr, beta, rate = optimal_heavy_ball(1.0 / kappa, 1.0)
    assert rate == pytest.approx((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))
    assert float(worst_rate(lr, beta, 1.0 / kappa, 1.0)) == pytest.approx(rate, rel=1e-6)
    for dl, db in [(1.05, 1.0), (0.95, 1.0), (1.0, 0.98), (1.0, 1.01)]:
        other = float(worst_rate(lr * dl, min(beta * db, 0.999), 1.0 / kappa, 1.0))
        assert other >= rate - 1e-9
    with pytest.raises(ValueError, match="L must be >= mu"):
        optimal_heavy_ball(2.0, 1.0)


def test_spectral_radius_rejects_bad_arguments():
    with pytest.raises(ValueError, match="h must be >= 0"):
        spectral_radius(-1.0, 0.5)
    with pytest.raises(ValueError, match="beta must be in"):
        spectral_radius(1.0, 1.0)
