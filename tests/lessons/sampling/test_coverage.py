"""helpers.lessons.sampling.coverage: the simulated epochs, and the naive formulas, against the laws."""

import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import sampling
from helpers.lessons.sampling import coverage
from helpers.sampling import SCHEMES, batch_indices

few = settings(max_examples=200, deadline=None, derandomize=True)


@few
@given(st.integers(2, 10**6))
def test_seed_form_of_exactly_once_is_the_same_number(n):
    seed_form = Fraction(n, n - 1) * (1 - Fraction(1, n)) ** n if n <= 300 else None
    if seed_form is not None:
        assert seed_form == (1 - Fraction(1, n)) ** (n - 1)
    assert coverage.p_exactly_once_naive(n) == pytest.approx(sampling.p_exactly_once(n), rel=1e-9)


def test_naive_formula_fails_where_documented():
    assert coverage.p_at_least_once_naive(10) == pytest.approx(
        sampling.p_at_least_once(10), rel=1e-14
    )
    err_1e12 = abs(coverage.p_at_least_once_naive(10**12) / sampling.p_at_least_once(10**12) - 1)
    assert 1e-7 < err_1e12 < 1e-3
    assert coverage.p_at_least_once_naive(10**18) == 0.0
    assert np.isnan(coverage.p_exactly_once_naive(1))


# --- distributions ------------------------------------------------------------------------------


# --- counting and simulation --------------------------------------------------------------------


def test_draw_counts_and_histogram_match_loops():
    rng = np.random.default_rng(0)
    idx = rng.integers(0, 7, size=(3, 4, 9))
    counts = coverage.draw_counts(idx, 7)
    assert counts.shape == (3, 4, 7)
    for a in range(3):
        for b in range(4):
            np.testing.assert_array_equal(counts[a, b], np.bincount(idx[a, b], minlength=7))
    hist = coverage.count_histogram(counts)
    for a in range(3):
        for b in range(4):
            np.testing.assert_array_equal(
                hist[a, b], np.bincount(counts[a, b], minlength=hist.shape[-1])
            )
    np.testing.assert_allclose(coverage.distinct_fraction(idx, 7), (counts > 0).mean(axis=-1))


def test_draw_counts_validates():
    with pytest.raises(ValueError, match=r"^indices"):
        coverage.draw_counts(np.array([0, 7]), 7)
    with pytest.raises(ValueError, match=r"^indices"):
        coverage.draw_counts(np.array([0.0, 1.0]), 7)
    with pytest.raises(ValueError, match=r"^counts"):
        coverage.count_histogram(np.array([-1, 2]))


@pytest.mark.parametrize(("n", "replicates"), [(1, 5), (7, 300), (1000, 30)])
def test_monte_carlo_epoch_bookkeeping(n, replicates):
    sim = coverage.monte_carlo_epoch(n, replicates, seed=3, chunk_draws=5000)
    assert sim.histogram.shape[0] == replicates == sim.replicates
    np.testing.assert_array_equal(sim.histogram.sum(axis=1), n)  # every sample counted once
    k = np.arange(sim.histogram.shape[1])
    np.testing.assert_array_equal(sim.histogram @ k, n)  # n draws per epoch
    np.testing.assert_allclose(sim.seen + sim.histogram[:, 0] / n, 1.0)
    np.testing.assert_allclose(sim.seen, sim.once + sim.repeated)
    assert sim.pmf.sum() == pytest.approx(1.0)


def test_monte_carlo_epoch_is_seeded():
    a = coverage.monte_carlo_epoch(50, 20, seed=1)
    b = coverage.monte_carlo_epoch(50, 20, seed=1)
    c = coverage.monte_carlo_epoch(50, 20, seed=2)
    np.testing.assert_array_equal(a.histogram, b.histogram)
    assert not np.array_equal(a.histogram, c.histogram)


@pytest.mark.parametrize("n", [10, 1000, 100_000])
def test_simulation_agrees_with_formulas_at_every_seed(n):
    """Each of 20 seeds on its own: the estimate lies within 5 of its standard errors."""
    for seed in range(20):
        sim = coverage.monte_carlo_epoch(n, max(20, 40_000 // n), seed=seed)
        for values, exact in (
            (sim.seen, sampling.p_at_least_once(n)),
            (sim.once, sampling.p_exactly_once(n)),
            (sim.repeated, sampling.p_repeated(n)),
            (sim.draws_on_repeated, sampling.p_draw_on_repeated(n)),
        ):
            mean, half = coverage.mean_ci95(values)
            assert abs(mean - exact) < 5 * half / 1.96, (n, seed)


def test_exact_variance_of_the_fraction_seen_matches_simulation():
    for seed in range(10):
        sim = coverage.monte_carlo_epoch(50, 4000, seed=seed)
        var = sim.seen.var(ddof=1)
        exact = sampling.var_fraction_seen(50)
        # the sample variance of 4000 values: relative standard error about sqrt(2 / 4000)
        assert abs(var / exact - 1) < 5 * np.sqrt(2 / 4000) * 1.5, seed


def test_coverage_curve_against_brute_force():
    rng = np.random.default_rng(4)
    stream = rng.integers(0, 12, size=40)
    checkpoints = np.array([0, 1, 5, 5, 12, 30, 40])
    expected = [len(set(stream[:t].tolist())) / 12 for t in checkpoints]
    np.testing.assert_allclose(coverage.coverage_curve(stream, 12, checkpoints), expected)
    with pytest.raises(ValueError, match=r"^checkpoints"):
        coverage.coverage_curve(stream, 12, np.array([3, 2]))
    with pytest.raises(ValueError, match=r"^checkpoints"):
        coverage.coverage_curve(stream, 12, np.array([41]))
    with pytest.raises(ValueError, match=r"^stream"):
        coverage.coverage_curve(stream + 12, 12, np.array([1]))


def test_coverage_after():
    n = 1000
    t = np.array([0, 500, 1000, 2000, 5000])
    np.testing.assert_allclose(
        coverage.coverage_after(n, t, "random_reshuffling"), [0, 0.5, 1, 1, 1]
    )
    with_repl = coverage.coverage_after(n, t, "with_replacement")
    assert with_repl[2] == sampling.p_at_least_once(n)
    np.testing.assert_allclose(with_repl, 1 - (1 - 1 / n) ** t, rtol=1e-12)
    assert coverage.coverage_after(1, 3, "with_replacement") == 1.0
    assert coverage.coverage_after(1, 0, "with_replacement") == 0.0
    for scheme in SCHEMES[1:]:
        assert coverage.coverage_after(7, 7, scheme) == 1.0
    with pytest.raises(ValueError, match=r"^draws"):
        coverage.coverage_after(5, 1.5, "with_replacement")
    with pytest.raises(ValueError, match=r"^scheme"):
        coverage.coverage_after(5, 1, "bootstrap")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_coverage_monte_carlo_follows_the_formula(scheme):
    draws, seen = coverage.coverage_monte_carlo(500, 3.0, scheme, replicates=8, seed=0)
    assert draws[0] == 0 and draws[-1] == 1500 and seen.shape == (8, draws.size)
    for seed in range(0, 80, 8):  # 10 disjoint sets of 8 streams
        _, seen_s = coverage.coverage_monte_carlo(500, 3.0, scheme, replicates=8, seed=seed)
        # sd of one stream's fraction seen after an epoch: sqrt(var_fraction_seen(500)) = 0.014,
        # so 0.03 is about 6 standard errors of the mean of 8 streams
        np.testing.assert_allclose(
            seen_s.mean(axis=0), coverage.coverage_after(500, draws, scheme), atol=0.03
        )
    # replicate r is the stream of batch_indices with seed r
    stream = batch_indices(500, 1, 1500, scheme, seed=2).ravel()
    np.testing.assert_array_equal(seen[2], coverage.coverage_curve(stream, 500, draws))


def test_mean_ci95():
    mean, half = coverage.mean_ci95(np.array([1.0, 2.0, 3.0, 4.0]))
    assert mean == 2.5
    assert half == pytest.approx(3.182446 * np.std([1, 2, 3, 4], ddof=1) / 2)  # t_3, 0.975
    _, wide = coverage.mean_ci95(np.tile([1.0, 2.0], 5000))
    assert wide == pytest.approx(1.960 * np.std([1, 2] * 5000, ddof=1) / 100, rel=1e-3)
    with pytest.raises(ValueError, match=re.escape("samples")):
        coverage.mean_ci95(np.array([1.0]))


def test_draws_on_repeated_counts_draws():
    rng = np.random.default_rng(0)
    idx = rng.integers(0, 9, size=(40, 9))
    sim = coverage.EpochCounts(9, coverage.count_histogram(coverage.draw_counts(idx, 9)))
    for r in range(40):
        counts = np.bincount(idx[r], minlength=9)
        on_repeated = sum(c for c in counts if c >= 2) / 9
        assert sim.draws_on_repeated[r] == pytest.approx(on_repeated)
        assert sim.repeated[r] == pytest.approx(np.mean(counts >= 2))


def test_epochs_over_seeds():
    runs = coverage.epochs_over_seeds(20, 5, [3, 1])
    np.testing.assert_array_equal(runs[0].histogram, coverage.monte_carlo_epoch(20, 5, 3).histogram)
    np.testing.assert_array_equal(runs[1].histogram, coverage.monte_carlo_epoch(20, 5, 1).histogram)
    with pytest.raises(ValueError, match=r"^seeds"):
        coverage.epochs_over_seeds(20, 5, [1, 1])


def brute_coupon(stream, n):
    seen = set()
    for t, i in enumerate(stream.tolist(), 1):
        seen.add(i)
        if len(seen) == n:
            return t
    return None


def test_coupon_monte_carlo_against_a_plain_loop():
    """The vectorized blocks give each replicate's first time every sample was drawn; checked
    against a plain loop over a stream drawn the same way (the same rng calls)."""
    n, replicates = 6, 30
    got = coverage.coupon_monte_carlo(n, replicates, seed=5)
    rng = np.random.default_rng(5)
    streams = {r: [] for r in range(replicates)}
    active = list(range(replicates))
    done = {}
    while active:
        block = rng.integers(0, n, size=(len(active), n))
        still = []
        for row, r in zip(block, active, strict=True):
            streams[r].extend(row.tolist())
            t = brute_coupon(np.array(streams[r]), n)
            if t is None:
                still.append(r)
            else:
                done[r] = t
        active = still
    np.testing.assert_array_equal(got, [done[r] for r in range(replicates)])
    assert coverage.coupon_monte_carlo(1, 4).tolist() == [1, 1, 1, 1]
    for scheme in SCHEMES[1:]:
        assert set(coverage.coupon_monte_carlo(50, 3, seed=2, scheme=scheme).tolist()) == {50}


@pytest.mark.parametrize("seed", range(20))
def test_coupon_monte_carlo_mean_at_every_seed(seed):
    n = 30
    draws = coverage.coupon_monte_carlo(n, 400, seed=seed)
    mean = sampling.coupon_mean_draws(n)
    se = draws.std(ddof=1) / np.sqrt(draws.size)
    assert abs(draws.mean() - mean) < 5 * se
