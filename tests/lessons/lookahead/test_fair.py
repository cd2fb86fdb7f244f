"""helpers.lessons.lookahead.theory, the fair comparisons and the deterministic analysis: matched
speed, the exact expected loss on a spectrum of curvatures, the outer map of Lookahead around GD
and heavy ball (checked against the optimizer itself), the optimal slow step."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.lessons.lookahead.theory import (
    nqm_adaptive_alpha_runs,
    nqm_contraction,
    nqm_expected_loss,
    nqm_lookahead_variance,
    nqm_matched_lr,
    nqm_matched_variance_ratio,
    nqm_sgd_variance,
    optimal_alpha,
    outer_matrix,
    per_step_rate,
    spectral_radius,
    tuned_rate,
)
from helpers.optim import lookahead, sgd


@given(lr_a=st.floats(0.01, 1.99), k=st.integers(1, 30), alpha=st.floats(0.05, 1.0))
def test_matched_sgd_contracts_as_fast_as_lookahead(lr_a, k, alpha):
    matched = nqm_matched_lr(1.0, lr_a, k, alpha)
    q = nqm_contraction(1.0, lr_a, k, alpha)
    np.testing.assert_allclose((1 - matched) ** k, q, rtol=1e-9, atol=1e-12)


def test_matched_speed_ratios_of_the_review():
    ratios = nqm_matched_variance_ratio(1.0, 0.2, np.array([1, 5, 10, 20]), 0.5)
    np.testing.assert_allclose(ratios, [1.0, 1.08, 1.34, 2.19], atol=0.005)
    assert abs(float(nqm_matched_variance_ratio(1.0, 1.5, 5, 0.5)) - 13.5) < 0.05


@given(lr_a=st.floats(0.01, 1.5), k=st.integers(2, 20), alpha=st.floats(0.05, 0.99))
@settings(max_examples=60)
def test_at_matched_speed_one_curvature_never_favours_lookahead(lr_a, k, alpha):
    assert nqm_matched_variance_ratio(1.0, lr_a, k, alpha) >= 1 - 1e-9


def test_expected_loss_reaches_the_closed_form_steady_state():
    a = np.array([0.3, 1.0])
    s = np.array([2.0, 0.5])
    lr, k, alpha = np.array([0.5, 0.5]), np.array([1, 4]), np.array([1.0, 0.6])
    loss = nqm_expected_loss(a, s, lr, k, alpha, steps=4000, x0=0.0)
    theory = [
        0.5 * np.sum(a * nqm_sgd_variance(a, 0.5, np.sqrt(s))),
        0.5 * np.sum(a * nqm_lookahead_variance(a, 0.5, np.sqrt(s), 4, 0.6)),
    ]
    np.testing.assert_allclose(loss[:, -1], theory, rtol=1e-9)


def test_expected_loss_without_noise_is_the_deterministic_run():
    a = np.array([0.1, 2.0])
    loss = nqm_expected_loss(a, 0.0, 0.3, 3, 0.5, steps=30, x0=[1.0, -2.0])
    opt = lookahead(sgd(0.3), 3, 0.5)
    x = np.array([1.0, -2.0])
    state = opt.init(x)
    for _ in range(30):
        x, state = opt.step(x, a * x, state)
    np.testing.assert_allclose(loss[0, -1], 0.5 * np.sum(a * state.slow**2), rtol=1e-12)


def test_expected_loss_matches_monte_carlo_over_seeds():
    # the chains' noise is seeded per run; the sample mean of 4000 chains is within 4 se
    a = np.array([0.2, 1.0])
    s = 1.0 / a
    exact = nqm_expected_loss(a, s, 0.4, 5, 0.5, steps=200)[0, -1]
    for seed in range(8):
        loss, _ = nqm_adaptive_alpha_runs(
            a, s, 0.4, 5, (0.5,), 40, range(seed * 4000, seed * 4000 + 4000)
        )
        sample = loss[0, :, -1]
        assert abs(sample.mean() - exact) < 4 * sample.std(ddof=1) / np.sqrt(sample.size)


def test_diverging_configuration_gives_inf_not_nan():
    loss = nqm_expected_loss([1.0], [1.0], [0.5, 2.5], 1, 1.0, steps=2000)
    assert np.isfinite(loss[0, -1]) and loss[1, -1] == np.inf


@pytest.mark.parametrize("inner_state", ["keep", "pullback", "reset"])
@pytest.mark.parametrize(("lr", "beta", "k", "alpha"), [(0.01, 0.9, 5, 0.5), (0.05, 0.5, 3, 0.8)])
def test_outer_matrix_is_what_the_optimizer_does(inner_state, lr, beta, k, alpha):
    lam = 20.0
    opt = lookahead(sgd(lr, momentum=beta), k=k, alpha=alpha, inner_state=inner_state)
    p = np.array([1.0])
    state = opt.init(p)
    vec = np.array([1.0, 0.0])
    matrix = outer_matrix(lr, lam, k, alpha, beta, inner_state)
    for _ in range(4):
        for _ in range(k):
            p, state = opt.step(p, lam * p, state)
        vec = matrix @ vec
        np.testing.assert_allclose(
            [state.slow[0], lr * state.inner.velocity[0]], vec, rtol=1e-10, atol=1e-14
        )


@given(h=st.floats(0.01, 3.9), k=st.integers(1, 12), alpha=st.floats(0.05, 1.0))
def test_with_gd_inside_the_outer_factor_is_one_minus_alpha_one_minus_r_to_the_k(h, k, alpha):
    expected = abs(1 - alpha * (1 - (1 - h) ** k))
    for mode in ("keep", "pullback", "reset"):
        radius = spectral_radius(outer_matrix(h, 1.0, k, alpha, 0.0, mode))
        np.testing.assert_allclose(radius, expected, rtol=1e-9, atol=1e-12)


def test_per_step_rate_alone_is_the_inner_methods_rate():
    assert per_step_rate(0.1, [1.0, 10.0]) == pytest.approx(0.9)
    # under-damped heavy ball: rate sqrt(beta) whatever the curvature
    assert per_step_rate(0.01, [1.0, 50.0], beta=0.9) == pytest.approx(np.sqrt(0.9))
    assert per_step_rate(1.0, [50.0], k=4, alpha=0.5) > 1  # diverging GD, even k
    assert spectral_radius(np.array([[np.inf, 0.0], [0.0, 1.0]])) == np.inf


@given(seed=st.integers(0, 10_000))
def test_optimal_alpha_minimizes_the_quadratic_on_the_line(seed):
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((3, 3))
    A = m @ m.T + 0.1 * np.eye(3)
    b, phi, theta = rng.standard_normal((3, 3))
    best = float(optimal_alpha(A, b, phi, theta))

    def loss(al):
        x = phi + al * (theta - phi)
        return 0.5 * x @ A @ x - b @ x

    assert loss(best) <= min(loss(best - 1e-3), loss(best + 1e-3)) + 1e-12
    rows = optimal_alpha(A, b, np.stack([phi, phi]), np.stack([theta, phi]))
    assert rows[0] == pytest.approx(best) and np.isnan(rows[1])


def test_adaptive_runs_are_paired_by_seed_and_alpha_one_is_sgd():
    a = np.logspace(-1, 0, 4)
    loss, used = nqm_adaptive_alpha_runs(a, 0.1, 0.5, 3, (1.0, 0.5, "optimal"), 10, [3, 4])
    assert loss.shape == (3, 2, 11) and used.shape == (3, 2, 10)
    np.testing.assert_array_equal(used[1], 0.5)
    # alpha = 1: plain SGD on the same noise
    noise = np.random.default_rng(3).standard_normal((30, 4)) * np.sqrt(0.1)
    x = np.ones(4)
    for t in range(30):
        x = x - 0.5 * a * (x - noise[t])
    np.testing.assert_allclose(loss[0, 0, -1], 0.5 * np.sum(a * x**2), rtol=1e-12)


def test_clipped_line_search_alpha_stays_in_its_bounds():
    a = np.logspace(-2, 0, 6)
    variants = ("optimal", ("optimal", 0.0, 1.0), ("optimal", 0.3, 1.0), ("optimal", 0.5, 0.5), 0.5)
    loss, used = nqm_adaptive_alpha_runs(a, 0.01 / a, 0.3, 5, variants, 60, range(8))
    assert np.all((used[1] >= 0) & (used[1] <= 1)) and np.all(used[2] >= 0.3)
    np.testing.assert_array_equal(loss[3], loss[4])  # clip [a, a] is the fixed alpha a
    # clipping changes only the synchronizations where the unclipped alpha left the bounds
    outside = (used[0] < 0) | (used[0] > 1)
    assert outside.any()  # the greedy alpha does leave [0, 1] on this model
    first = np.argmax(outside.any(axis=0))
    np.testing.assert_array_equal(loss[0][:, : first + 1], loss[1][:, : first + 1])


def test_tuned_rate_finds_gd_and_heavy_ball_optima():
    rate, lr, beta = tuned_rate([1.0, 3.0], np.linspace(0.1, 0.9, 81))
    assert (rate, lr, beta) == pytest.approx((0.5, 0.5, 0.0))
    kappa = 50.0
    polyak = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    hb = tuned_rate([1.0, kappa], [4 / (1 + np.sqrt(kappa)) ** 2], [0.0, polyak**2, 0.9])
    assert hb[0] == pytest.approx(polyak, rel=1e-6) and hb[2] == pytest.approx(polyak**2)
    # heavy ball tuned in lr and beta beats GD tuned in lr (momentum 0 is on the grid)
    lrs = np.logspace(-2, -0.7, 30)
    assert (
        tuned_rate([1.0, kappa], lrs, np.linspace(0, 0.9, 10))[0] < tuned_rate([1.0, kappa], lrs)[0]
    )
    with pytest.raises(ValueError, match=r"^betas"):
        tuned_rate([1.0], [0.1], [1.0])


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: nqm_expected_loss([-1.0], [1.0], 0.1, 1, 1.0, 3), "curvatures"),
        (lambda: nqm_expected_loss([1.0], [-1.0], 0.1, 1, 1.0, 3), "noise_var"),
        (lambda: nqm_expected_loss([1.0], [1.0], 0.1, 0, 1.0, 3), "k"),
        (lambda: nqm_expected_loss([1.0], [1.0], 0.1, 1, 1.0, -1), "steps"),
        (lambda: outer_matrix(0.1, 1.0, 0, 0.5), "k"),
        (lambda: outer_matrix(0.1, 1.0, 2, 0.5, inner_state="x"), "inner_state"),
        (lambda: outer_matrix(-0.1, 1.0, 2, 0.5), "lr"),
        (lambda: per_step_rate(0.1, [0.0]), "curvatures"),
        (lambda: optimal_alpha(np.eye(2), [0.0, 0.0], [1.0], [1.0]), "phi"),
        (lambda: nqm_adaptive_alpha_runs([1.0], 1.0, 0.1, 2, (1.5,), 3, [0]), "alphas"),
        (lambda: nqm_adaptive_alpha_runs([1.0], 1.0, 0.1, 2, (0.5,), 3, []), "seeds"),
        (
            lambda: nqm_adaptive_alpha_runs([1.0], 1.0, 0.1, 2, (("optimal", 1, 0),), 3, [0]),
            "alphas",
        ),
        (
            lambda: nqm_adaptive_alpha_runs([1.0], 1.0, 0.1, 2, (("optimal", -1, 1),), 3, [0]),
            "alphas",
        ),
        (lambda: nqm_matched_lr(1.0, 2.5, 2, 0.5), "lr"),
    ],
)
def test_bad_arguments(call, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        call()
