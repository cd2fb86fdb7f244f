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
    bootstrap_slope,
    loglog_slope,
    predicted_floor,
    run_schemes,
    t_interval,
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


def reference_iterates(problem, w0, epochs, lr, scheme, seed, batch_size=1):
    """f - f* after every step, one configuration, straight from the definitions."""
    n = problem.n_samples
    schedule = batch_indices(n, batch_size, epochs * n // batch_size, scheme, seed)
    w = np.array(w0, dtype=float)
    out = []
    for batch in schedule:
        w = w - lr * problem.grad(w, batch)
        out.append(problem.suboptimality(w))
    return np.array(out)


@pytest.mark.parametrize("batch_size", [1, 4])
def test_all_iterate_floors_equal_a_plain_loop(problem, batch_size):
    epochs, last = 8, 0.5  # floor_per_seed(0.5) averages epochs 5..8
    runs = run_schemes(
        problem,
        np.ones(3),
        epochs,
        [0.05, 0.1],
        seeds=[2, 7],
        batch_size=batch_size,
        iterate_last=last,
    )
    per_epoch = problem.n_samples // batch_size
    assert runs.position_mean.shape == (4, 2, 2, per_epoch) and runs.iterate_last == last
    for s, scheme in enumerate(SCHEMES):
        for g, lr in enumerate(runs.lrs):
            for r, seed in enumerate(runs.seeds):
                steps = reference_iterates(
                    problem, np.ones(3), epochs, lr, scheme, seed, batch_size
                )
                window = steps[4 * per_epoch :].reshape(4, per_epoch)  # epochs 5..8
                np.testing.assert_allclose(
                    runs.position_mean[s, g, r], window.mean(axis=0), rtol=1e-10
                )
    # the epoch-end column is the epoch-end floor; the all-iterate floor averages every position
    np.testing.assert_allclose(runs.position_mean[..., -1], runs.floor_per_seed(last), rtol=1e-12)
    np.testing.assert_allclose(runs.iterate_floor(), runs.position_mean.mean(axis=(2, 3)))
    assert runs.iterate_floor_slope("with_replacement") == pytest.approx(
        loglog_slope(runs.lrs, runs.iterate_floor()[0])
    )
    plain = run_schemes(
        problem, np.ones(3), epochs, [0.05, 0.1], seeds=[2, 7], batch_size=batch_size
    )
    np.testing.assert_array_equal(plain.subopt, runs.subopt)  # recording changes nothing
    assert plain.position_mean is None


def test_all_iterate_recording_is_validated_and_divergence_is_nan(problem):
    with pytest.raises(ValueError, match=r"^iterate_last\b"):
        run_schemes(problem, np.ones(3), 4, 0.1, seeds=[0], iterate_last=0.0)
    with pytest.raises(ValueError, match=r"^iterate_last\b"):
        run_schemes(problem, np.ones(3), 4, 0.1, seeds=[0], iterate_last=1.5)
    with pytest.raises(ValueError, match=r"^iterate_last needs batch_size"):
        run_schemes(problem, np.ones(3), 4, 0.1, seeds=[0], batch_size=5, iterate_last=0.5)
    with pytest.raises(ValueError, match=r"iterate floors need"):
        run_schemes(problem, np.ones(3), 4, 0.1, seeds=[0]).iterate_floor()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        runs = run_schemes(problem, np.ones(3), 30, [0.05, 50.0], seeds=[0, 1], iterate_last=0.5)
    assert (
        np.isnan(runs.iterate_floor()[:, 1]).all() and np.isfinite(runs.iterate_floor()[:, 0]).all()
    )
    assert np.isnan(runs.iterate_floor_slope("fixed"))
    one = run_schemes(problem, np.ones(3), 4, 0.1, seeds=[0], iterate_last=1.0)
    assert one.position_mean.shape[-1] == problem.n_samples
    with pytest.raises(ValueError, match=r"two step sizes"):
        one.iterate_floor_slope("fixed")


def test_reshuffling_is_lowest_at_epoch_ends_at_essentially_every_seed(problem):
    """The epoch's noise cancels at its end: reshuffling's f - f* at epoch ends lies below its
    mean over all iterates, at every one of 40 seeds (a structural fact, not a lucky seed); with
    replacement the two agree within noise."""
    runs = run_schemes(
        problem,
        problem.minimizer,
        200,
        0.05,
        seeds=range(40),
        iterate_last=0.5,
        schemes=("with_replacement", "random_reshuffling"),
    )
    ends, alls = runs.floor_per_seed(0.5)[:, 0], runs.iterate_floor_per_seed()[:, 0]
    assert np.all(ends[1] < alls[1])
    assert np.all(np.abs(np.log(ends[0] / alls[0])) < 0.3)


def test_bootstrap_slope():
    x = np.arange(1.0, 21.0)
    exact = np.array([x**-2.0 * c for c in (1.0, 2.0, 3.0)])  # every seed the same power law
    slope, low, high = bootstrap_slope(x, exact, resamples=50)
    assert (
        slope == pytest.approx(-2.0) and low == pytest.approx(-2.0) and high == pytest.approx(-2.0)
    )
    rng = np.random.default_rng(1)
    noisy = x**-1.0 * np.exp(0.3 * rng.standard_normal((30, x.size)))
    slope, low, high = bootstrap_slope(x, noisy, resamples=400, seed=3)
    assert slope == pytest.approx(loglog_slope(x, noisy.mean(axis=0)))
    assert low < slope < high and high - low < 0.3
    # the same resamples as a plain loop over resampled seed sets
    picks = np.random.default_rng(3).integers(0, 30, size=(400, 30))
    loop = [loglog_slope(x, noisy[p].mean(axis=0)) for p in picks]
    assert (low, high) == pytest.approx(tuple(np.quantile(loop, [0.025, 0.975])), rel=1e-9)
    with pytest.raises(ValueError, match=r"^per_seed"):
        bootstrap_slope(x, noisy[:1])
    with pytest.raises(ValueError, match=r"^per_seed"):
        bootstrap_slope(x, -noisy)
    with pytest.raises(ValueError, match=r"^resamples"):
        bootstrap_slope(x, noisy, resamples=2)
    with pytest.raises(ValueError, match=r"^x must hold"):
        bootstrap_slope(np.ones(20), noisy)


def test_t_interval_uses_the_t_quantile():
    values = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 2.0, 3.0, 4.0])
    mean, half = t_interval(values)
    assert mean == pytest.approx(3.0)
    assert half == pytest.approx(2.364624 * values.std(ddof=1) / np.sqrt(8), rel=1e-6)  # t_7
    means, halves = t_interval(np.stack([values, 2 * values]), axis=1)
    np.testing.assert_allclose(means, [3.0, 6.0]) and np.testing.assert_allclose(
        halves, [half, 2 * half]
    )
    with pytest.raises(ValueError, match=r"^values"):
        t_interval([1.0])
    with pytest.raises(ValueError, match=r"^level"):
        t_interval(values, level=1.5)


def test_runs_that_all_diverged_stop_and_leave_nan():
    from helpers.lessons.sampling.explorer import sorted_problem

    problem = sorted_problem(256)
    runs = run_schemes(problem, np.zeros(problem.d), 40, 3.2, seeds=range(8))
    assert (runs.diverged_at == 1).all()
    assert np.isnan(runs.subopt[..., 1:]).all() and np.isfinite(runs.subopt[..., 0]).all()
