"""Valid extreme inputs give right numbers (issue 14): |w| up to 1e300, n up to 10**18, lr down
to 1e-300, float32 arrays, k = 1, alpha = 1, beta = 0; divergence both ways without a warning;
no public entry point mutates or aliases its inputs or hands out views into its state.

Every expected value is computed independently of the code under test: exact rational
arithmetic (fractions.Fraction), 50-digit decimals, or a closed form.
"""

from __future__ import annotations

import math
import warnings
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest

from helpers import newton
from helpers.divergence import Trajectory, Watch
from helpers.optim import adam, lookahead, sgd
from helpers.problems import (
    MLP,
    LeastSquares,
    LogisticRegression,
    NoisyGradient,
    Quadratic,
    Rosenbrock,
    Saddle,
    conditioned_quadratic,
)
from helpers.sampling import (
    MAX_PERMUTED,
    batch_indices,
    coupon_mean_draws,
    harmonic,
    minibatch_variance_factor,
    p_at_least_once,
    p_exactly_once,
    p_repeated,
)
from helpers.train import run

X = np.array([[1.0, 2.0, -1.0], [1.0, -1.5, 0.5], [1.0, 0.25, 2.0], [1.0, 1.0, 1.0]])
Y = np.array([1.0, 0.0, 1.0, 0.0])
LR = LogisticRegression(X, Y)


@pytest.fixture(autouse=True)
def _no_warnings():
    """Every test here runs with warnings as errors: an overflow on the way is a failure."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- exact references -----------------------------------------------------------------------------


def exact_margins(w, X):
    return [
        sum(Fraction(float(a)) * Fraction(float(b)) for a, b in zip(w, x, strict=False)) for x in X
    ]


def exact_logistic_loss(w, X, y, l2=0.0):
    """Mean of softplus(z) - y z for |z| > 800, where softplus(z) = max(z, 0) to far below a
    double's rounding (e^{-800} = 1e-348), plus the ridge term, in exact rationals."""
    terms = []
    for z, label in zip(exact_margins(w, X), y, strict=False):
        assert abs(z) > 800, "the reference needs large margins"
        terms.append(max(z, 0) - Fraction(float(label)) * z)
    ridge = Fraction(float(l2)) / 2 * sum(Fraction(float(v)) ** 2 for v in w)
    return sum(terms) / len(terms) + ridge


def exact_logistic_grad(w, X, y):
    """sigma(z) is exactly 0 or 1 in double for |z| > 800."""
    out = [Fraction(0)] * len(w)
    for z, x, label in zip(exact_margins(w, X), X, y, strict=False):
        r = (1 if z > 0 else 0) - Fraction(float(label))
        out = [o + r * Fraction(float(v)) for o, v in zip(out, x, strict=False)]
    return [float(o / len(X)) for o in out]


def rel(a, b):
    return abs(float(a) - float(b)) / max(abs(float(b)), 1e-300)


# --- logistic regression at |w| ~ 1e155 .. 1e300 ----------------------------------------------------

DIRECTIONS = [np.array([-1.0, 0.0, 0.0]), np.array([0.3, -1.0, 0.9]), np.array([1.0, 1.0, -0.5])]


@pytest.mark.parametrize("scale", [1e155, 1e160, 1e200, 1e300])
@pytest.mark.parametrize("direction", range(len(DIRECTIONS)))
@pytest.mark.parametrize("l2", [0.0, 1e-250])
def test_logistic_loss_grad_hessian_at_huge_weights(scale, direction, l2):
    w = scale * DIRECTIONS[direction]
    p = LogisticRegression(X, Y, l2=l2)
    expected = exact_logistic_loss(w, X, Y, l2)
    loss = p.loss(w)
    loss2, grad2 = p.loss_and_grad(w)
    if expected > Fraction(1.7e308):
        assert loss == np.inf and loss2 == np.inf
    else:
        assert rel(loss, expected) < 1e-14 and rel(loss2, expected) < 1e-14
    ref = np.array(exact_logistic_grad(w, X, Y)) + l2 * w
    np.testing.assert_allclose(p.grad(w), ref, rtol=1e-14, atol=0)
    np.testing.assert_allclose(grad2, ref, rtol=1e-14, atol=0)
    # sigma(z)(1 - sigma(z)) is exactly 0 at these margins: H = l2 I.
    np.testing.assert_array_equal(p.hessian(w), l2 * np.eye(3))


def test_the_issue_example_loss_at_1e155_is_its_exact_value():
    w = 1e155 * np.array([-1.0, 0, 0])
    assert LR.loss(w) == float(exact_logistic_loss(w, X, Y))  # 1e155 / 2 exactly
    assert LR.loss(w) == 5e154


def test_a_run_from_1e160_is_not_diverged_at_step_0():
    w0 = 1e160 * np.array([1.0, 1.0, 0.5])  # margins 2.5, -0.25, 2.25, 2.5 (x 1e160)
    hist = run(LR, sgd(0.1), w0, 3)
    assert not hist.diverged and hist.diverged_at == -1
    assert rel(hist.loss[0], exact_logistic_loss(w0, X, Y)) < 1e-14


def test_an_infinite_margin_gives_the_right_limit_not_nan():
    # x = 1e300 * (1, 1, 1), w = 1e10 * (1, 1, 1): z = 3e310, beyond the float range.
    p = LogisticRegression(np.full((2, 3), 1e300), np.array([1.0, 0.0]))
    w = np.full(3, 1e10)
    assert p.loss(w) == np.inf  # the label-0 row costs z = 3e310
    assert LogisticRegression(np.full((1, 3), 1e300), [1.0]).loss(w) == 0.0
    assert LogisticRegression(np.full((1, 3), 1e300), [1.0]).loss(-w) == np.inf


def test_a_huge_ridge_term_is_right_where_w_squared_overflows():
    p = LogisticRegression(X, Y, l2=1e-100)
    w = np.array([1e200, 0.0, 0.0])  # w * w = 1e400 overflows; l2/2 |w|^2 = 5e299
    z = exact_margins(w, X)
    data = sum(max(v, 0) - Fraction(float(t)) * v for v, t in zip(z, Y, strict=False)) / 4
    assert rel(p.loss(w), data + Fraction(1e-100) / 2 * Fraction(1e200) ** 2) < 1e-14


# --- Newton, Adam, per-configuration seeds, lr arrays -----------------------------------------------


def test_newton_run_does_not_report_false_divergence_when_the_norm_overflows():
    q = Quadratic(1e160 * np.eye(3), np.zeros(3))
    hist = newton.run(q, np.ones(3), 3)
    assert not hist.diverged, hist.status
    assert rel(hist.grad_norm[0], 1e160 * math.sqrt(3)) < 1e-15
    np.testing.assert_array_equal(hist.params[1], np.zeros(3))  # one exact Newton step


def test_newton_run_flags_a_loss_going_to_minus_infinity():
    # Saddle-free Newton on f = (x^2 - y^2)/2 from (0, 1) doubles y every step: f -> -inf.
    q = Quadratic(np.diag([1.0, -1.0]), np.zeros(2))
    hist = newton.run(q, [0.0, 1.0], 40, method="saddle-free")
    # |f_t| = 4^t / 2 first exceeds 1e6 x max(1, 1/2) at t = 11 (4^11 / 2 = 2.1e6).
    assert hist.diverged and hist.diverged_at == 11
    assert "|loss|" in hist.status


def test_train_run_flags_a_loss_going_to_minus_infinity():
    # GD on f = -(y^2)/2 + x^2/2: y grows by (1 + lr) per step, f -> -inf.
    q = Quadratic(np.diag([1.0, -1.0]), np.zeros(2))
    hist = run(q, sgd(1.0), np.array([0.0, 1.0]), 40)
    # f_t = -4^t / 2; first below -1e6 x max(1, 1/2) at t = 11.
    assert hist.diverged and hist.diverged_at == 11
    assert hist.loss[11] == -(4.0**11) / 2


def test_adam_step_with_an_overflowing_square_emits_no_warning():
    opt = adam(0.1)
    params, state = opt.step(np.zeros(3), np.full(3, 1e200), opt.init(np.zeros(3)))
    assert np.all(state.s == np.inf)  # documented: g^2 is beyond the float range
    assert np.isnan(params).all()  # marked, not frozen at zeros
    # One coordinate overflowing marks that coordinate only.
    params, _ = opt.step(np.zeros(2), np.array([1e200, 1.0]), opt.init(np.zeros(2)))
    assert np.isnan(params[0]) and params[1] == pytest.approx(-0.1)


def test_adam_that_cannot_move_is_flagged_diverged_by_train_run():
    q = Quadratic(1e200 * np.eye(3), np.zeros(3))  # gradient 1e200 at ones: g * g = 1e400
    hist = run(q, adam(0.1), np.ones(3), 5)
    assert hist.diverged and hist.diverged_at == 1
    # The same problem at a representable scale runs and moves.
    ok = run(Quadratic(1e100 * np.eye(3), np.zeros(3)), adam(0.1), np.ones(3), 5)
    assert not ok.diverged and ok.params[-1][0] < 1


def test_per_configuration_seeds_on_logistic_regression():
    hist = run(LR, sgd(0.1), np.zeros((2, 3)), 3, batch_size=4, seed=[0, 1])
    assert not hist.diverged.any()
    small = run(LR, sgd(0.1), np.zeros((2, 3)), 3, batch_size=1, seed=[0, 1])
    for c, s in enumerate([0, 1]):  # each row is exactly the single run with its own seed
        single = run(LR, sgd(0.1), np.zeros(3), 3, batch_size=1, seed=s)
        np.testing.assert_array_equal(small.loss[c], single.loss)
    assert not np.array_equal(small.loss[0], small.loss[1])


def test_per_configuration_seeds_on_noisy_gradients():
    # The issue's error, "idx must be a non-empty 1-D integer array", came from here.
    noisy = NoisyGradient(Quadratic(np.eye(2), np.zeros(2)), sigma=0.5, steps=20, seed=3)
    both = run(noisy, sgd(0.1), np.ones((2, 2)), 5, 2, "with_replacement", seed=[0, 1])
    for c in range(2):
        single = run(noisy, sgd(0.1), np.ones(2), 5, 2, "with_replacement", seed=c)
        np.testing.assert_array_equal(both.params[c], single.params)
    assert not np.array_equal(both.params[0], both.params[1])


def test_a_1d_lr_array_with_batched_params_is_rejected_as_ambiguous():
    with pytest.raises(ValueError, match=r"lr of shape \(3,\) is ambiguous.*\(3, 1\)"):
        run(LR, sgd(np.array([0.1, 0.2, 0.3])), np.zeros((3, 3)), 2)
    with pytest.raises(ValueError, match="b1 of shape"):
        run(LR, adam(b1=np.array([0.1, 0.2, 0.3])), np.zeros((3, 3)), 2)
    # (C, 1): three configurations, three different curves, each its single run.
    hist = run(LR, sgd(np.array([[0.1], [0.2], [0.3]])), np.zeros((3, 3)), 2)
    for c, lr in enumerate([0.1, 0.2, 0.3]):
        np.testing.assert_array_equal(hist.loss[c], run(LR, sgd(lr), np.zeros(3), 2).loss)
    assert len({tuple(row) for row in hist.loss}) == 3
    # (1, d) and a 1-D lr on a single run stay per coordinate.
    per_coord = run(LR, sgd(np.array([[0.1, 0.2, 0.3]])), np.zeros((2, 3)), 2)
    single = run(LR, sgd(np.array([0.1, 0.2, 0.3])), np.zeros(3), 2)
    np.testing.assert_array_equal(per_coord.loss[0], single.loss)


# --- batch schedules at huge n ---------------------------------------------------------------------


def test_fixed_schedule_never_allocates_n():
    np.testing.assert_array_equal(batch_indices(2**40, 1, 1, "fixed"), [[0]])
    np.testing.assert_array_equal(batch_indices(10**18, 3, 2, "fixed"), [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(batch_indices(2**70, 2, 1, "fixed"), [[0, 1]])
    # and wraps like the cyclic order it is
    np.testing.assert_array_equal(batch_indices(3, 2, 4, "fixed").ravel(), [0, 1, 2] * 2 + [0, 1])


def test_with_replacement_draws_from_all_of_a_huge_n():
    idx = batch_indices(10**18, 1000, 1, "with_replacement")
    assert idx.min() >= 0 and idx.max() < 10**18
    assert idx.max() > 9 * 10**17  # 1000 uniform draws: P(all below 0.9 n) = 0.9**1000


@pytest.mark.parametrize("scheme", ["random_reshuffling", "shuffle_once"])
def test_permuting_schemes_refuse_an_n_they_cannot_permute(scheme):
    with pytest.raises(ValueError, match=r"n must be <= \d+ for scheme"):
        batch_indices(2**40, 1, 1, scheme)
    assert MAX_PERMUTED == 2**27  # 1 GiB of indices: the documented bound


# --- sampling laws at n up to 10**18 ----------------------------------------------------------------


def decimal_miss_power(n: int, m: int) -> Decimal:
    """(1 - 1/n)^m to 50 digits: exp(m * ln(1 - 1/n)) with the series of ln(1 - x)."""
    with localcontext() as ctx:
        ctx.prec = 60
        x = Decimal(1) / Decimal(n)
        log = -sum(x**j / j for j in range(1, 30))
        return (Decimal(m) * log).exp()


@pytest.mark.parametrize("n", [10**6, 2**53 + 1, 10**15, 10**18])
def test_sampling_laws_at_huge_n(n):
    assert rel(p_at_least_once(n), 1 - decimal_miss_power(n, n)) < 1e-14
    assert rel(p_exactly_once(n), decimal_miss_power(n, n - 1)) < 1e-14
    repeated = 1 - decimal_miss_power(n, n) - decimal_miss_power(n, n - 1)
    assert rel(p_repeated(n), repeated) < 1e-13  # 1 - 2/e: a difference, slightly less exact
    assert minibatch_variance_factor(n, 1) == 1.0
    assert minibatch_variance_factor(n, n) == 0.0
    assert rel(minibatch_variance_factor(n, n // 2), Fraction(n - n // 2, n - 1)) < 1e-15


@pytest.mark.parametrize("n", [10**7, 10**12, 10**18])
def test_harmonic_and_the_coupon_collector_at_huge_n(n):
    with localcontext() as ctx:
        ctx.prec = 50
        gamma = Decimal("0.57721566490153286060651209008240243104215933593992")
        N = Decimal(n)
        exact = N.ln() + gamma + 1 / (2 * N) - 1 / (12 * N**2)  # error < 1/(120 n^4)
    assert rel(harmonic(n), exact) < 1e-15
    assert rel(coupon_mean_draws(n), N * exact) < 1e-15


# --- lr down to 1e-300, float32, k = 1, alpha = 1, beta = 0 ------------------------------------------


def test_a_tiny_lr_moves_by_exactly_lr_times_grad():
    q = Quadratic(np.eye(2), np.zeros(2))
    hist = run(q, sgd(1e-300), np.array([1.0, -2.0]), 3)
    assert not hist.diverged
    np.testing.assert_array_equal(hist.params[-1], [1.0, -2.0])  # 1 - 1e-300 == 1 in double
    params, _ = sgd(1e-300).step(np.zeros(2), np.array([1.0, -1.0]), sgd(1e-300).init(np.zeros(2)))
    np.testing.assert_array_equal(params, [-1e-300, 1e-300])
    params, _ = adam(1e-300).step(
        np.zeros(2), np.array([3.0, -1e-200]), adam(1e-300).init(np.zeros(2))
    )
    # First step: lr g / (|g| + eps); for g = -1e-200 that is 1e-492, below the smallest double.
    np.testing.assert_array_equal(params, [-1e-300 * 3.0 / (3.0 + 1e-8), 0.0])


def test_float32_inputs_are_computed_in_float64():
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    w32 = np.array([0.1, -0.2, 0.3], dtype=np.float32)
    p32, p64 = (
        LogisticRegression(X32, Y32),
        LogisticRegression(X32.astype(float), Y32.astype(float)),
    )
    w64 = w32.astype(float)
    assert p32.loss(w32).dtype == np.float64
    assert p32.loss(w32) == p64.loss(w64)
    np.testing.assert_array_equal(p32.grad(w32), p64.grad(w64))
    hist = run(p32, sgd(np.float32(0.1)), w32, 3)
    np.testing.assert_array_equal(hist.loss, run(p64, sgd(float(np.float32(0.1))), w64, 3).loss)
    assert hist.params.dtype == np.float64


def test_lookahead_with_k_1_alpha_1_is_its_inner_optimizer_exactly():
    q = conditioned_quadratic(10.0)
    w0 = np.array([1.0, 1.0])
    inner = sgd(0.3, momentum=0.5)
    np.testing.assert_array_equal(
        run(q, lookahead(inner, k=1, alpha=1.0), w0, 20).params, run(q, inner, w0, 20).params
    )


def test_momentum_0_is_plain_gradient_descent():
    q = conditioned_quadratic(10.0)
    w = np.array([1.0, 1.0])
    expected = [w]
    for _ in range(5):  # w <- w - lr grad, by hand
        w = w - 0.3 * q.grad(w)
        expected.append(w)
    np.testing.assert_array_equal(run(q, sgd(0.3, momentum=0.0), expected[0], 5).params, expected)


@pytest.mark.parametrize("scale", [1e150, 1e155, 1e200, 1e300])
def test_problems_at_huge_w_overflow_to_the_right_infinity_without_a_warning(scale):
    # The true values exceed the float range (|w|^2 or |w|^4 at |w| >= 1e155).
    w = np.array([scale, -scale])
    big = scale >= 1e155
    q = Quadratic(np.eye(2), np.zeros(2))
    assert q.loss(w) == (np.inf if big else scale * scale)
    assert Rosenbrock().loss(w) == np.inf  # b (y - x^2)^2 ~ 100 |w|^4
    grad = Rosenbrock().grad(w)  # (-2(1 - x) - 400 x (y - x^2), 200 (y - x^2))
    assert grad[0] == np.inf  # 400 |w|^3 >= 4e452
    assert grad[1] == (-np.inf if big else 200 * (-scale - scale * scale))
    # Saddle x^2 - y^2 + y^4/2 at x = -y: exactly y^4 / 2 (inf here), never inf - inf = NaN.
    assert Saddle(0.5).loss(w) == np.inf
    assert Saddle(0.0).loss(w) == 0.0  # (x - y)(x + y) = 0 exactly
    mlp = MLP(X[:, 1:], np.array([0, 1, 0, 1]), hidden=2)
    assert mlp.loss(np.full(mlp.d, scale)) >= 0
    assert np.isfinite(mlp.loss(np.full(mlp.d, scale)))


# --- the Watch -----------------------------------------------------------------------------------


def test_watch_flags_both_directions_and_nan():
    watch = Watch(np.zeros((4, 2)), loss0=np.ones(4), blowup=10.0)
    alive = watch.update(
        3,
        params=np.array([[1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [np.nan, 0.0]]),
        loss=np.array([1.0, 11.0, -11.0, 1.0]),
    )
    assert alive.tolist() == [True, False, False, False]
    assert watch.diverged_at.tolist() == [-1, 3, 3, 3]
    traj = Trajectory((np.zeros(2),), watch.diverged_at, 5)
    assert traj.status == (
        "ran 5 steps",
        "diverged at step 3",
        "diverged at step 3",
        "diverged at step 3",
    )
    (only,) = traj
    assert only.shape == (2,)
    import copy
    import pickle

    for clone in (copy.deepcopy(traj), pickle.loads(pickle.dumps(traj))):
        assert clone.status == traj.status and clone.diverged.tolist() == traj.diverged.tolist()


# --- no mutation, no aliasing ------------------------------------------------------------------


def _arrays(value):
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, tuple):
        for v in value:
            yield from _arrays(v)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _arrays(getattr(value, name))


def _assert_independent(outputs, *inputs):
    for out in _arrays(outputs):
        for inp in inputs:
            for arr in _arrays(inp):
                assert not np.shares_memory(out, arr), "an output aliases an input or a state"


def _problems():
    rng = np.random.default_rng(0)
    Xl = rng.standard_normal((6, 3))
    return [
        LogisticRegression(Xl, (rng.random(6) < 0.5).astype(float), l2=0.1),
        LeastSquares(Xl, rng.standard_normal(6), l2=0.1),
        Quadratic(np.diag([1.0, 2.0, 3.0]), np.ones(3)),
    ]


@pytest.mark.parametrize("problem", _problems(), ids=lambda p: type(p).__name__)
def test_problem_methods_neither_mutate_nor_alias(problem):
    w = np.array([[0.1, -0.2, 0.3], [0.5, 0.0, -1.0]])
    v = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]])
    w_copy, v_copy = w.copy(), v.copy()
    held = [a.copy() for a in vars(problem).values() if isinstance(a, np.ndarray)]
    outs = [problem.loss(w), problem.grad(w), problem.hessian(w), problem.hvp(w, v)]
    if hasattr(problem, "loss_and_grad"):
        outs.append(problem.loss_and_grad(w))
    np.testing.assert_array_equal(w, w_copy)
    np.testing.assert_array_equal(v, v_copy)
    now = [a for a in vars(problem).values() if isinstance(a, np.ndarray)]
    for before, after in zip(held, now, strict=False):
        np.testing.assert_array_equal(before, after)
    _assert_independent(tuple(outs), w, v, tuple(now))


@pytest.mark.parametrize("make", [LogisticRegression, LeastSquares])
def test_problems_copy_the_callers_data(make):
    Xd, yd = X.copy(), Y.copy()
    p = make(Xd, yd)
    before = p.loss(np.ones(3))
    Xd *= 10
    yd[:] = 1 - yd
    assert p.loss(np.ones(3)) == before
    q_A, q_b = np.eye(2), np.ones(2)
    q = Quadratic(q_A, q_b)
    q_A[0, 0] = 5.0
    assert q.loss(np.ones(2)) == -1.0


OPTIMIZERS = {
    "sgd": sgd(0.1, momentum=0.9),
    "adam": adam(0.1),
    "lookahead-keep": lookahead(sgd(0.1, momentum=0.5), k=1, alpha=0.5),
    "lookahead-pullback": lookahead(adam(0.1), k=2, alpha=0.5, inner_state="pullback"),
    "lookahead-reset": lookahead(
        sgd(0.1, momentum=0.5), k=np.array([[1], [2]]), inner_state="reset"
    ),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_steps_neither_mutate_nor_alias(name):
    opt = OPTIMIZERS[name]
    params = np.array([[1.0, -2.0], [0.5, 0.5]])
    grad = np.array([[0.3, 0.1], [-1.0, 2.0]])
    state = opt.init(params)
    _assert_independent(state, params)
    for _ in range(4):  # crosses synchronizations for the Lookahead variants
        p_copy, g_copy = params.copy(), grad.copy()
        old_state = [a.copy() for a in _arrays(state)]
        new_params, new_state = opt.step(params, grad, state)
        np.testing.assert_array_equal(params, p_copy)
        np.testing.assert_array_equal(grad, g_copy)
        for before, after in zip(old_state, _arrays(state), strict=False):
            np.testing.assert_array_equal(before, after)
        _assert_independent(new_params, params, grad, new_state)
        params, state = new_params, new_state


def test_lookahead_params_at_a_synchronization_are_not_state_slow():
    opt = lookahead(sgd(0.1), k=1, alpha=0.5)
    params, state = opt.step(np.ones(2), np.ones(2), opt.init(np.ones(2)))
    assert not np.shares_memory(params, state.slow)
    params[0] = 99.0
    assert state.slow[0] == pytest.approx(0.95)


def test_runs_and_history_accessors_neither_mutate_nor_alias():
    w0 = np.array([[0.1, 0.2, 0.3], [0.0, 0.0, 0.0]])
    w_copy = w0.copy()
    hist = run(LR, sgd(0.1), w0, 3, track=lambda s: s.velocity)
    nh = newton.run(LogisticRegression(X, Y, l2=0.1), w0, 2)
    np.testing.assert_array_equal(w0, w_copy)
    _assert_independent((hist, nh), w0)
    for h in (hist, nh):
        part = h.config(0)
        _assert_independent(part, h)
        single = run(LR, sgd(0.1), w0[0], 2)
        assert single.loss.base is None or not np.shares_memory(single.loss, single.params)


@pytest.mark.parametrize("module", ["helpers.divergence", "helpers.problems.logistic"])
def test_the_docstring_examples_of_the_changed_modules_run(module):
    import doctest
    import importlib

    assert doctest.testmod(importlib.import_module(module)).failed == 0
