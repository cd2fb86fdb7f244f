"""helpers.lessons.sampling.shuffling.run_schemes: equal to a plain loop, schedules, divergence, summaries."""

import warnings

import numpy as np
import pytest

from helpers.lessons.sampling.shuffling import (
    FLOOR_SLOPE,
    RATE_SLOPE,
    SCHEME_LABELS,
    THEORY,
    SchemeRuns,
    loglog_slope,
    predicted_floor,
    run_schemes,
)
from helpers.problems.least_squares import LeastSquares, synthetic_regression
from helpers.sampling import SCHEMES, batch_indices


@pytest.fixture(scope="module")
def problem():
    return LeastSquares(*synthetic_regression(12, d=3, seed=0, sort_by_target=True), l2=0.1)


def reference_run(problem, w0, epochs, lr, scheme, seed, batch_size=1, decay=None):
    """One configuration, one step at a time, straight from the definitions."""
    n = problem.n_samples
    steps = epochs * n // batch_size
    schedule = batch_indices(n, batch_size, steps, scheme, seed)
    w = np.array(w0, dtype=float)
    out = [problem.suboptimality(w)]
    for t in range(steps):
        epoch = t * batch_size // n
        step = lr if decay is None else lr / (1 + epoch / decay)
        w = w - step * problem.grad(w, schedule[t])
        if (t + 1) in {k * n // batch_size for k in range(1, epochs + 1)}:
            out.append(problem.suboptimality(w))
    return np.array(out)


@pytest.mark.parametrize("batch_size", [1, 4, 5])
@pytest.mark.parametrize("decay", [None, 3.0])
def test_vectorized_runs_equal_single_loops(problem, batch_size, decay):
    lrs = np.array([0.05, 0.2])
    seeds = [3, 0, 11]
    runs = run_schemes(
        problem, np.ones(3), 6, lrs, seeds=seeds, batch_size=batch_size, decay_epochs=decay
    )
    assert runs.subopt.shape == (4, 2, 3, 7)
    for s, scheme in enumerate(SCHEMES):
        for g, lr in enumerate(lrs):
            for r, seed in enumerate(seeds):
                expected = reference_run(
                    problem, np.ones(3), 6, lr, scheme, seed, batch_size, decay
                )
                np.testing.assert_allclose(runs.subopt[s, g, r], expected, rtol=1e-10, atol=1e-300)
    np.testing.assert_array_equal(runs.curves("shuffle_once", 0.2), runs.subopt[2, 1])


def test_fixed_order_ignores_the_seed_and_others_do_not(problem):
    runs = run_schemes(problem, np.ones(3), 3, 0.1, seeds=[0, 1])
    fixed = runs.curves("fixed", 0.1)
    np.testing.assert_array_equal(fixed[0], fixed[1])
    for scheme in ("with_replacement", "random_reshuffling", "shuffle_once"):
        curves = runs.curves(scheme, 0.1)
        assert not np.array_equal(curves[0], curves[1])


def test_divergence_is_reported_not_raised(problem):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        runs = run_schemes(problem, np.ones(3), 30, [0.05, 50.0], seeds=[0, 1])
    assert not runs.diverged[:, 0].any()
    assert runs.diverged[:, 1].all()
    k = runs.diverged_at[0, 1, 0]
    assert k >= 1
    assert np.isnan(runs.subopt[0, 1, 0, k:]).all() and np.isfinite(runs.subopt[0, 1, 0, :k]).all()
    assert np.isnan(runs.floor()[:, 1]).all()
    assert np.isnan(runs.floor_slope("with_replacement"))


def test_starting_at_the_minimum_is_not_divergence(problem):
    runs = run_schemes(problem, problem.minimizer, 5, 0.1, seeds=[0])
    assert not runs.diverged.any()
    assert runs.subopt[..., 0].max() == 0.0


def test_summaries(problem):
    runs = run_schemes(problem, np.zeros(3), 40, [0.02, 0.04, 0.08], seeds=range(4))
    np.testing.assert_allclose(runs.mean(), runs.subopt.mean(axis=2))
    low, high = runs.band(0.1, 0.9)
    assert np.all(low <= runs.mean() + 1e-300) and np.all(runs.mean() <= high + 1e-300)
    np.testing.assert_allclose(runs.floor(0.25), runs.subopt[..., 31:].mean(axis=(2, 3)))
    np.testing.assert_allclose(runs.floor(1.0), runs.subopt[..., 1:].mean(axis=(2, 3)))
    assert runs.epochs.tolist() == list(range(41))
    assert runs.lr_index(0.04) == 1 and runs.scheme_index("fixed") == 3
    floors = runs.floor(0.5)[SCHEMES.index("with_replacement")]
    assert runs.floor_slope("with_replacement", 0.5) == pytest.approx(
        loglog_slope(runs.lrs, floors)
    )
    slope = runs.rate_slope("fixed", (2, 10), lr=0.02)
    mean = runs.mean()[3, 0, 2:11]
    assert slope == pytest.approx(loglog_slope(np.arange(2, 11), mean))
    with pytest.raises(ValueError, match=r"^lr\b"):
        runs.lr_index(0.03)
    with pytest.raises(ValueError, match=r"^lr\b"):
        runs.rate_slope("fixed", (2, 10))  # several step sizes: lr required
    with pytest.raises(ValueError, match=r"^window\b"):
        runs.rate_slope("fixed", (0, 10), lr=0.02)
    with pytest.raises(ValueError, match=r"^scheme\b"):
        runs.curves("bootstrap", 0.02)
    with pytest.raises(ValueError, match=r"^last\b"):
        runs.floor(0.0)
    with pytest.raises(ValueError, match=r"^low\b"):
        runs.band(0.9, 0.1)


def test_noise_floors_follow_the_theory(problem):
    """Seeded, statistical: with replacement ~ gamma sigma*^2 / 4 and slope ~1; reshuffling far
    lower with slope >= 2; every shuffled scheme below sampling with replacement at small steps."""
    lrs = np.array([0.01, 0.02, 0.04])
    runs = run_schemes(problem, problem.minimizer, 1500, lrs, seeds=range(10))
    floors = runs.floor(0.5)
    np.testing.assert_allclose(floors[0], lrs * problem.sigma_star_sq / 4, rtol=0.15)
    assert runs.floor_slope("with_replacement") == pytest.approx(1.0, abs=0.15)
    assert runs.floor_slope("random_reshuffling") > 1.9
    assert np.all(floors[1:] < floors[0])


def test_loglog_slope():
    x = np.array([1.0, 2.0, 5.0, 10.0])
    assert loglog_slope(x, 3 * x**-2.5) == pytest.approx(-2.5)
    with pytest.raises(ValueError, match=r"^y\b"):
        loglog_slope(x, np.array([1.0, 0.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match=r"^x\b"):
        loglog_slope(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"^x\b"):
        loglog_slope(np.ones(1), np.ones(1))


def test_arguments_are_validated(problem):
    w0 = np.zeros(3)
    with pytest.raises(ValueError, match=r"^problem\b"):
        run_schemes(object(), w0, 2, 0.1)
    with pytest.raises(ValueError, match=r"^w0\b"):
        run_schemes(problem, np.zeros(2), 2, 0.1)
    with pytest.raises(ValueError, match=r"^epochs\b"):
        run_schemes(problem, w0, 0, 0.1)
    with pytest.raises(ValueError, match=r"^lrs\b"):
        run_schemes(problem, w0, 2, [0.1, -0.1])
    with pytest.raises(ValueError, match=r"^schemes\b"):
        run_schemes(problem, w0, 2, 0.1, schemes=("bootstrap",))
    with pytest.raises(ValueError, match=r"^schemes\b"):
        run_schemes(problem, w0, 2, 0.1, schemes=())
    with pytest.raises(ValueError, match=r"^seeds\b"):
        run_schemes(problem, w0, 2, 0.1, seeds=[1, 1])
    with pytest.raises(ValueError, match=r"^batch_size\b"):
        run_schemes(problem, w0, 2, 0.1, batch_size=13)
    with pytest.raises(ValueError, match=r"^decay_epochs\b"):
        run_schemes(problem, w0, 2, 0.1, decay_epochs=0.0)
    with pytest.raises(ValueError, match=r"^blowup\b"):
        run_schemes(problem, w0, 2, 0.1, blowup=1.0)


def test_theory_tables_cover_every_scheme():
    for table in (SCHEME_LABELS, THEORY, RATE_SLOPE, FLOOR_SLOPE):
        assert set(table) == set(SCHEMES)
    assert RATE_SLOPE["with_replacement"] == -1 and RATE_SLOPE["random_reshuffling"] == -2
    assert FLOOR_SLOPE["with_replacement"] == 1 and FLOOR_SLOPE["random_reshuffling"] == 2


def test_result_is_a_frozen_record(problem):
    runs = run_schemes(problem, np.zeros(3), 2, 0.1, seeds=[0])
    assert isinstance(runs, SchemeRuns)
    assert runs.n == 12 and runs.batch_size == 1 and runs.decay_epochs is None
    with pytest.raises(AttributeError):
        runs.n = 3


def test_predicted_floors(problem):
    lrs = np.array([0.005, 0.01, 0.02])
    np.testing.assert_allclose(
        predicted_floor(problem, lrs, "with_replacement"), lrs * problem.sigma_star_sq / 4
    )
    bias = predicted_floor(problem, lrs, "random_reshuffling")
    np.testing.assert_allclose(bias / lrs**2, bias[0] / lrs[0] ** 2)  # exactly quadratic
    # m = mean_i H_i g_i written out with the per-sample Hessians
    g = [problem.grad(problem.minimizer, np.array([i])) for i in range(problem.n_samples)]
    H_i = [np.outer(x, x) + problem.l2 * np.eye(problem.d) for x in problem.X]
    m = np.mean([h @ gi for h, gi in zip(H_i, g, strict=True)], axis=0)
    assert bias[0] == pytest.approx(lrs[0] ** 2 / 8 * m @ np.linalg.solve(problem.H, m), rel=1e-10)
    # seeded simulation: the floor sits above the bias term and approaches it as the step shrinks
    runs = run_schemes(
        problem, problem.minimizer, 1500, lrs, schemes=("random_reshuffling",), seeds=range(10)
    )
    ratio = runs.floor(0.5)[0] / bias
    assert np.all(ratio > 1) and np.all(np.diff(ratio) > 0) and ratio[0] < 2
    with pytest.raises(ValueError, match=r"^scheme\b"):
        predicted_floor(problem, lrs, "fixed")
