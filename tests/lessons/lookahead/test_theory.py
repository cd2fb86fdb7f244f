"""helpers.lessons.lookahead.theory: Algorithm 1, the EMA form and the noisy-quadratic variances, checked
against the optimizer wrapper, exact moment recursions and Monte Carlo."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.lessons.lookahead.theory import (
    algorithm1,
    burn_in_steps,
    ema_expansion,
    nqm_contraction,
    nqm_lookahead_variance,
    nqm_sgd_variance,
    nqm_simulate,
    nqm_variance_ratio,
    nqm_variance_ratio_paper_form,
)
from helpers.optim import adam, lookahead, sgd
from helpers.problems import Quadratic

QUAD = Quadratic(np.diag([1.0, 20.0]), np.array([1.0, -1.0]))
NOISE = np.random.default_rng(0).standard_normal((200, 2))


def noisy_grad(theta, step):
    return QUAD.grad(theta) + 0.3 * NOISE[step]


@pytest.mark.parametrize("inner", [sgd(0.04), sgd(0.02, momentum=0.9), adam(0.05)])
@pytest.mark.parametrize(("k", "alpha"), [(1, 0.5), (5, 0.5), (7, 0.8), (4, 1.0)])
def test_algorithm1_equals_the_optimizer_wrapper(inner, k, alpha):
    outer = 200 // k
    phis, thetas = algorithm1(noisy_grad, [2.0, 1.0], inner, k, alpha, outer)
    opt = lookahead(inner, k=k, alpha=alpha)
    w, state = np.array([2.0, 1.0]), opt.init(np.array([2.0, 1.0]))
    slow = [state.slow]
    for step in range(outer * k):
        w, state = opt.step(w, noisy_grad(w, step), state)
        if (step + 1) % k == 0:
            slow.append(state.slow)
    np.testing.assert_allclose(np.array(slow), phis, rtol=1e-12, atol=1e-14)
    assert thetas.shape == (outer, 2)


@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.8, 1.0])
def test_ema_expansion_reproduces_the_recursion(alpha):
    phis, thetas = algorithm1(noisy_grad, [2.0, 1.0], sgd(0.04, momentum=0.5), 5, alpha, 40)
    np.testing.assert_allclose(ema_expansion(thetas, phis[0], alpha), phis, rtol=0, atol=1e-12)


def test_ema_weights_sum_to_one():
    # constant fast weights: the average of a constant is that constant
    thetas = np.full((30, 3), 2.5)
    np.testing.assert_allclose(ema_expansion(thetas, np.full(3, 2.5), 0.3), 2.5, rtol=1e-14)


@given(
    lr_a=st.floats(0.01, 1.99),
    k=st.integers(1, 50),
    alpha=st.floats(0.01, 1.0),
)
def test_ratio_forms_agree_and_lookahead_never_adds_variance(lr_a, k, alpha):
    ratio = nqm_variance_ratio(1.0, lr_a, k, alpha)
    np.testing.assert_allclose(ratio, nqm_variance_ratio_paper_form(1.0, lr_a, k, alpha), rtol=1e-9)
    assert 0 < ratio <= 1 + 1e-12
    if alpha == 1.0:
        np.testing.assert_allclose(ratio, 1.0, rtol=1e-12)


def exact_slow_variance(a, lr, sigma, k, alpha, outer_steps):
    """Covariance of (fast, slow) pushed through the linear recursion step by step."""
    r = 1 - lr * a
    cov = np.zeros((2, 2))
    step = np.array([[r, 0.0], [0.0, 1.0]])
    noise = np.array([[(lr * a * sigma) ** 2, 0.0], [0.0, 0.0]])
    sync = np.array([[alpha, 1 - alpha], [alpha, 1 - alpha]])  # fast, slow <- new slow
    for _ in range(outer_steps):
        for _ in range(k):
            cov = step @ cov @ step.T + noise
        cov = sync @ cov @ sync.T
    return cov[1, 1]


@pytest.mark.parametrize(
    ("lr", "k", "alpha"),
    [(0.2, 1, 0.5), (0.2, 5, 0.5), (0.5, 10, 0.8), (1.5, 3, 0.3), (0.05, 20, 0.9)],
)
def test_closed_form_is_the_limit_of_the_exact_moment_recursion(lr, k, alpha):
    expected = exact_slow_variance(2.0, lr / 2.0, 0.7, k, alpha, outer_steps=3000)
    np.testing.assert_allclose(
        nqm_lookahead_variance(2.0, lr / 2.0, 0.7, k, alpha), expected, rtol=1e-10
    )
    np.testing.assert_allclose(
        nqm_sgd_variance(2.0, lr / 2.0, 0.7),
        exact_slow_variance(2.0, lr / 2.0, 0.7, 1, 1.0, 3000),
        rtol=1e-10,
    )


def test_monte_carlo_of_the_real_optimizer_matches_the_closed_form():
    lr, k, alpha = np.array([0.2, 0.2, 0.5]), np.array([1, 5, 10]), np.array([1.0, 0.5, 0.8])
    steps = burn_in_steps(1.0, lr, k, alpha)
    slow = nqm_simulate(1.0, lr, 1.0, k, alpha, chains=20000, steps=steps, seed=1)
    theory = nqm_lookahead_variance(1.0, lr, 1.0, k, alpha)
    z = (slow.var(axis=1, ddof=1) - theory) / (theory * np.sqrt(2 / (20000 - 1)))
    assert np.all(np.abs(z) < 4), z
    assert np.all(np.abs(slow.mean(axis=1)) < 4 * np.sqrt(theory / 20000))


def test_burn_in_is_long_enough_and_a_multiple_of_every_k():
    lr, k, alpha = np.array([0.1, 0.1]), np.array([4, 6]), np.array([0.2, 0.9])
    steps = burn_in_steps(1.0, lr, k, alpha, tol=1e-6)
    assert steps % 12 == 0
    q = nqm_contraction(1.0, lr, k, alpha)
    assert np.all(q ** (2 * (steps // k)) <= 1e-6)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: nqm_sgd_variance(1.0, 2.0, 1.0), "lr"),
        (lambda: nqm_sgd_variance(-1.0, 0.1, 1.0), "a"),
        (lambda: nqm_sgd_variance(1.0, 0.1, 0.0), "sigma"),
        (lambda: nqm_variance_ratio(1.0, 0.1, 0, 0.5), "k"),
        (lambda: nqm_variance_ratio(1.0, 0.1, 2.5, 0.5), "k"),
        (lambda: nqm_variance_ratio(1.0, 0.1, 5, 0.0), "alpha"),
        (lambda: nqm_variance_ratio(1.0, 0.1, 5, 1.2), "alpha"),
        (lambda: burn_in_steps(1.0, 0.1, 5, 0.5, tol=2.0), "tol"),
        (lambda: nqm_simulate(1.0, 0.1, 1.0, 5, 0.5, chains=1, steps=3), "chains"),
        (lambda: ema_expansion(np.zeros((3, 2)), np.zeros(3), 0.5), "phi0"),
        (lambda: ema_expansion(np.zeros((3, 2)), np.zeros(2), 0.0), "alpha"),
        (lambda: algorithm1(noisy_grad, [0.0, 0.0], sgd(0.1), 0, 0.5, 3), "k"),
        (lambda: algorithm1(noisy_grad, [0.0, 0.0], sgd(0.1), 2, 1.5, 3), "alpha"),
    ],
)
def test_bad_arguments(call, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        call()
