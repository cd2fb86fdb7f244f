"""Notebook 1's hand-written loops at their extremes (issue 14): divergence in both directions is
detected without a warning, stopped and reported; k = 1 / alpha = 1 reduce to SGD exactly."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers.lessons.lookahead.study import inner_loop_accuracy
from helpers.lessons.lookahead.theory import algorithm1, nqm_adaptive_alpha_runs, nqm_simulate
from helpers.optim import lookahead, sgd
from helpers.problems import MLP


@pytest.fixture(autouse=True)
def _no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_algorithm1_stops_when_the_weights_run_off_to_infinity():
    # f = -|theta|^2 / 2 (unbounded below): theta grows by 1.5 per inner step, phi by
    # 1 + 0.5 (1.5^5 - 1) = 4.30 per outer step. The limit is 1e6 x max(1, |phi_0|) = 2e6:
    # phi_9 = 2 x 4.30^9 = 9.96e5, and outer step 10's fast weights pass 2e6 at inner step 2.
    traj = algorithm1(lambda th, t: -th, [1.0, 2.0], sgd(0.5), 5, 0.5, 100)
    phis, thetas = traj
    assert traj.diverged and traj.diverged_at == 10 and traj.status == "diverged at step 10"
    assert np.abs(phis[9, 1] - 2 * 4.296875**9) < 1e-9 * phis[9, 1]
    assert np.isfinite(phis[:11]).all() and np.isnan(phis[11:]).all()
    assert np.isnan(thetas[10:]).all()


def test_algorithm1_stops_on_a_nan_gradient():
    traj = algorithm1(lambda th, t: th * np.nan if t == 7 else th, [1.0], sgd(0.1), 5, 0.5, 4)
    assert traj.diverged and traj.diverged_at == 2  # inner step 7 is in outer step 2
    assert np.isfinite(traj[0][:2]).all()


def test_algorithm1_that_converges_reports_so_and_matches_the_optimizer():
    grad = lambda th, t: th  # noqa: E731
    traj = algorithm1(grad, [1.0, -2.0], sgd(0.1), 3, 0.5, 6)
    assert not traj.diverged and traj.status == "ran 6 steps"
    # alpha = 1, k = 1: phi_t is plain SGD: (1 - 0.1)^t phi_0.
    phis, _ = algorithm1(grad, [1.0, -2.0], sgd(0.1), 1, 1.0, 6)
    np.testing.assert_allclose(phis[:, 0], 0.9 ** np.arange(7), rtol=1e-15)


def test_nqm_simulate_stops_a_diverging_configuration_without_a_warning():
    # lr a = 2.5: SGD (k = 1, alpha = 1) multiplies x by -1.5 per step and overflows; Lookahead
    # with k = 1, alpha = 0.5 contracts by |1 - 0.5 (1 + 1.5)| = 0.25 and settles.
    traj = nqm_simulate(1.0, 2.5, 1.0, 1, [1.0, 0.5], chains=8, steps=2000, seed=0, status=True)
    (slow,) = traj
    assert traj.diverged.tolist() == [True, False]
    assert np.isnan(slow[0]).all() and np.isfinite(slow[1]).all()
    # The settled chain's variance is finite and of the right order: closed form in theory.py.
    default = nqm_simulate(1.0, 2.5, 1.0, 1, [1.0, 0.5], chains=8, steps=50, seed=0)
    assert isinstance(default, np.ndarray) and default.shape == (2, 8)


def test_nqm_simulate_returns_a_fresh_array_not_the_optimizer_state():
    slow = nqm_simulate(1.0, 0.5, 1.0, 2, 0.5, chains=4, steps=4, seed=0)
    again = nqm_simulate(1.0, 0.5, 1.0, 2, 0.5, chains=4, steps=4, seed=0)
    slow[:] = 0
    assert np.any(again != 0)


def test_nqm_adaptive_alpha_runs_stop_diverging_runs():
    # lr a = 2.5 on the single curvature: the inner SGD explodes by 1.5^k per outer step.
    traj = nqm_adaptive_alpha_runs([1.0], [1.0], 2.5, 4, (1.0, "optimal"), 200, seeds=[0, 1])
    loss, _ = traj
    assert traj.diverged[0].all()  # alpha = 1 is SGD: diverges
    first = traj.diverged_at[0, 0]
    assert np.isnan(loss[0, 0, first:]).all() and np.isfinite(loss[0, 0, :first]).all()
    # the line-search alpha keeps phi where the quadratic is lowest along the segment: bounded
    assert not traj.diverged[1].any() and np.isfinite(loss[1]).all()


def test_inner_loop_accuracy_stops_a_diverging_network():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    y = (X[:, 0] > 0).astype(int)
    net = MLP(X, y, hidden=4)
    w0 = np.stack([net.init([0])[0], net.init([1])[0]])
    traj = inner_loop_accuracy(net, X, y, "SGD", 1e150, 2, 0.5, [0, 1], 6, 4, w0=w0)
    fast, _ = traj
    assert traj.diverged.all()
    t = traj.diverged_at
    assert all(np.isnan(fast[r, t[r] :]).all() for r in range(2))
    calm = inner_loop_accuracy(net, X, y, "SGD", 0.1, 2, 0.5, [0, 1], 6, 4, w0=w0)
    assert not calm.diverged.any() and np.isfinite(calm[0]).all()


def test_lookahead_k1_alpha1_is_sgd_bit_for_bit_in_the_nqm():
    a = nqm_simulate(1.0, 0.3, 1.0, 1, 1.0, chains=5, steps=30, seed=3)
    rng = np.random.default_rng(3)
    x = np.zeros((1, 5))
    for _ in range(30):  # SGD by hand on the same noise
        x = x - 0.3 * (1.0 * (x - 1.0 * rng.standard_normal(x.shape)))
    np.testing.assert_array_equal(a, x)
    opt = lookahead(sgd(0.3), k=1, alpha=1.0)
    assert opt.step(np.ones(2), np.ones(2), opt.init(np.ones(2)))[0].tolist() == [0.7, 0.7]


# --- the noisy-quadratic closed forms at tiny and near-limit steps ---------------------------------

NQM_CASES = [(lr, k) for lr in (1e-300, 1e-10, 0.3, 1.0, 1.7, 1.999) for k in (1, 2, 5)]


@pytest.mark.parametrize(("lr", "k"), NQM_CASES)
def test_nqm_closed_forms_against_exact_rationals(lr, k):
    from fractions import Fraction

    from helpers.lessons.lookahead.theory import (
        nqm_lookahead_variance,
        nqm_matched_lr,
        nqm_sgd_variance,
        nqm_variance_ratio,
        nqm_variance_ratio_paper_form,
    )

    alpha = Fraction(1, 2)
    r = 1 - Fraction(lr)
    ratio = alpha * (1 + r**k) / (2 - alpha * (1 - r**k))
    v_sgd = Fraction(lr) ** 2 / (1 - r * r)
    for got, ref in [
        (nqm_variance_ratio(1.0, lr, k, 0.5), ratio),
        (nqm_variance_ratio_paper_form(1.0, lr, k, 0.5), ratio),
        (nqm_sgd_variance(1.0, lr, 1.0), v_sgd),
        (nqm_lookahead_variance(1.0, lr, 1.0, k, 0.5), v_sgd * ratio),
    ]:
        assert abs(float(got) - float(ref)) <= 4e-16 * float(ref)
    # matched lr: (1 - g)^k = q exactly; check q from the returned g in exact arithmetic
    g = Fraction(float(nqm_matched_lr(1.0, lr, k, 0.5)))
    q = abs(1 - alpha * (1 - r**k))
    assert abs(float((1 - g) ** k - q)) <= 1e-15 * float(min(q, 1 - q) + Fraction(lr) * k)


def test_the_theory_docstring_examples_run():
    import doctest

    from helpers.lessons.lookahead import theory

    assert doctest.testmod(theory).failed == 0
