"""helpers.coverage: the 1 - 1/e probabilities against exact arithmetic, and the simulations."""

import math
import re
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import coverage
from helpers.sampling import SCHEMES, batch_indices

few = settings(max_examples=200, deadline=None, derandomize=True)
TOL = 1e-14  # the accuracy target, relative


def exact_at_least_once(n: int) -> Fraction:
    return 1 - (1 - Fraction(1, n)) ** n


def exact_exactly_once(n: int) -> Fraction:
    return (1 - Fraction(1, n)) ** (n - 1)


def decimal_power(n: int, exponent: int, digits: int = 60) -> Decimal:
    """(1 - 1/n)**exponent by Decimal's own integer power (a different route than ``reference``)."""
    with localcontext() as ctx:
        ctx.prec = digits
        return (1 - Decimal(1) / Decimal(n)) ** exponent


def rel_err(value: float, exact) -> float:
    exact = (
        Decimal(exact.numerator) / Decimal(exact.denominator)
        if isinstance(exact, Fraction)
        else exact
    )
    with localcontext() as ctx:
        ctx.prec = 60
        return float(abs(Decimal(float(value)) - exact) / exact)


# --- the probabilities --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [*range(1, 301), 500, 1000, 2000])
def test_against_exact_fractions(n):
    assert rel_err(coverage.p_at_least_once(n), exact_at_least_once(n)) < TOL
    assert rel_err(coverage.p_exactly_once(n), exact_exactly_once(n)) < TOL


def test_vectorized_equals_scalar_and_fractions():
    ns = np.arange(1, 201)
    at_least = coverage.p_at_least_once(ns)
    once = coverage.p_exactly_once(ns)
    assert at_least.shape == once.shape == (200,)
    for n, a, b in zip(ns.tolist(), at_least, once, strict=True):
        assert a == coverage.p_at_least_once(n)
        assert rel_err(a, exact_at_least_once(n)) < TOL
        assert rel_err(b, exact_exactly_once(n)) < TOL


HUGE = [10**k for k in range(3, 19)] + [2**53 - 1, 2**53, 2**53 + 1, 10**18 - 1, 123456789012345678]


@pytest.mark.parametrize("n", HUGE)
def test_against_high_precision_decimal_for_huge_n(n):
    assert rel_err(coverage.p_at_least_once(n), 1 - decimal_power(n, n)) < TOL
    assert rel_err(coverage.p_exactly_once(n), decimal_power(n, n - 1)) < TOL


@few
@given(st.integers(1, 10**18))
def test_hypothesis_over_n(n):
    assert rel_err(coverage.p_at_least_once(n), coverage.reference(n, "at_least_once")) < TOL
    assert rel_err(coverage.p_exactly_once(n), coverage.reference(n, "exactly_once")) < TOL


@few
@given(st.integers(2, 10**6))
def test_seed_form_of_exactly_once_is_the_same_number(n):
    seed_form = Fraction(n, n - 1) * (1 - Fraction(1, n)) ** n if n <= 300 else None
    if seed_form is not None:
        assert seed_form == exact_exactly_once(n)
    assert coverage.p_exactly_once_naive(n) == pytest.approx(coverage.p_exactly_once(n), rel=1e-9)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 999, 10**6, 10**18])
def test_reference_agrees_with_decimal_power_and_fractions(n):
    with localcontext() as ctx:
        ctx.prec = 60
        assert abs(coverage.reference(n) - (1 - decimal_power(n, n))) < Decimal("1e-45")
        once = coverage.reference(n, "exactly_once")
        expected_once = Decimal(1) if n == 1 else decimal_power(n, n - 1)  # 0**0 is 1 here
        assert abs(once - expected_once) < Decimal("1e-45")
        if n <= 1000:
            exact = exact_at_least_once(n)
            gap = coverage.reference(n) - Decimal(exact.numerator) / Decimal(exact.denominator)
            assert abs(gap) < Decimal("1e-45")


def test_limits_and_monotone_decrease():
    assert coverage.LIMIT_AT_LEAST_ONCE == pytest.approx(1 - math.exp(-1), rel=1e-15)
    assert coverage.LIMIT_EXACTLY_ONCE == pytest.approx(math.exp(-1), rel=1e-15)
    ns = np.unique(np.round(np.logspace(0, 18, 200)))
    at_least = coverage.p_at_least_once(ns)
    assert np.all(np.diff(at_least) <= 2.3e-16)  # decreasing, up to the last bit
    assert at_least[-1] == pytest.approx(coverage.LIMIT_AT_LEAST_ONCE, rel=1e-15)
    assert coverage.p_exactly_once(10**18) == pytest.approx(coverage.LIMIT_EXACTLY_ONCE, rel=1e-15)
    # beyond int64: Python ints of any size
    assert coverage.p_at_least_once(10**30) == pytest.approx(
        coverage.LIMIT_AT_LEAST_ONCE, rel=1e-15
    )


def test_edge_values():
    assert coverage.p_at_least_once(1) == 1.0
    assert coverage.p_exactly_once(1) == 1.0
    assert coverage.p_at_least_once(2) == 0.75
    assert coverage.p_exactly_once(2) == 0.5
    assert isinstance(coverage.p_at_least_once(5), float)
    assert coverage.p_at_least_once(np.array([[1, 2], [3, 4]])).shape == (2, 2)
    assert coverage.p_at_least_once(np.float64(1e6)) == coverage.p_at_least_once(10**6)


def test_naive_formula_fails_where_documented():
    assert coverage.p_at_least_once_naive(10) == pytest.approx(
        coverage.p_at_least_once(10), rel=1e-14
    )
    err_1e12 = abs(coverage.p_at_least_once_naive(10**12) / coverage.p_at_least_once(10**12) - 1)
    assert 1e-7 < err_1e12 < 1e-3
    assert coverage.p_at_least_once_naive(10**18) == 0.0
    assert np.isnan(coverage.p_exactly_once_naive(1))


def test_any_repeat_matches_factorials():
    for n in range(1, 25):
        exact = 1 - Fraction(math.factorial(n), n**n)
        assert coverage.p_any_repeat(n) == pytest.approx(float(exact), abs=1e-13)
    assert coverage.p_any_repeat(10**6) == 1.0
    assert str(coverage.p_any_repeat(1)) == "0.0"


def test_relative_error():
    assert coverage.relative_error(0.5, Decimal("0.5")) == 0.0
    assert coverage.relative_error(0.75, coverage.reference(2)) == 0.0
    with pytest.raises(ValueError, match=r"^ref"):
        coverage.relative_error(1.0, Decimal(0))


bad_n = st.sampled_from([0, -1, -(10**20), 2.5, np.nan, np.inf, -np.inf, True, False, "3", None])


@few
@given(bad_n)
def test_bad_n_raises(n):
    for fn in (coverage.p_at_least_once, coverage.p_exactly_once, coverage.p_any_repeat):
        with pytest.raises(ValueError, match=r"^n\b"):
            fn(n)


@pytest.mark.parametrize("n", [[1, 0], [3, 2.5], [2, np.nan], [10**30, 1.5]])
def test_bad_entry_in_array_raises(n):
    with pytest.raises(ValueError, match=r"^n\b"):
        coverage.p_at_least_once(np.array(n, dtype=object) if 10**30 in n else n)


def test_reference_validates():
    with pytest.raises(ValueError, match=r"^n"):
        coverage.reference(0)
    with pytest.raises(ValueError, match=r"^which"):
        coverage.reference(5, "twice")
    with pytest.raises(ValueError, match=r"^digits"):
        coverage.reference(5, digits=5)


# --- distributions ------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 5, 13, 40])
def test_draw_count_pmf_is_the_binomial(n):
    k = np.arange(n + 3)
    pmf = coverage.draw_count_pmf(n, k)
    for j in range(n + 3):
        exact = (
            math.comb(n, j) * Fraction(1, n) ** j * (1 - Fraction(1, n)) ** (n - j) if j <= n else 0
        )
        assert pmf[j] == pytest.approx(float(exact), rel=1e-12, abs=1e-300)
    assert pmf.sum() == pytest.approx(1.0, rel=1e-13)
    assert coverage.draw_count_pmf(n, 1) == pytest.approx(coverage.p_exactly_once(n), rel=1e-13)


def test_poisson_limit():
    k = np.arange(12)
    poisson = coverage.poisson_pmf(k)
    assert poisson[0] == pytest.approx(math.exp(-1))
    assert poisson[3] == pytest.approx(math.exp(-1) / 6)
    for n in (10, 1000, 10**6):
        tv = 0.5 * np.abs(coverage.draw_count_pmf(n, k) - poisson).sum()
        assert tv <= 1 / n  # Le Cam


def test_pmf_arguments():
    with pytest.raises(ValueError, match=r"^k"):
        coverage.draw_count_pmf(5, np.array([1.5]))
    with pytest.raises(ValueError, match=r"^k"):
        coverage.poisson_pmf(-1)
    with pytest.raises(ValueError, match=r"^rate"):
        coverage.poisson_pmf(1, rate=0)


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
def test_simulation_agrees_with_formulas(n):
    sim = coverage.monte_carlo_epoch(n, max(20, 200_000 // n), seed=0)
    for values, exact in (
        (sim.seen, coverage.p_at_least_once(n)),
        (sim.once, coverage.p_exactly_once(n)),
    ):
        mean, half = coverage.mean_ci95(values)
        assert abs(mean - exact) < 2 * half  # 4 standard errors (seeded, so not flaky)


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
    assert with_repl[2] == coverage.p_at_least_once(n)
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
    np.testing.assert_allclose(
        seen.mean(axis=0), coverage.coverage_after(500, draws, scheme), atol=0.03
    )
    # replicate r is the stream of batch_indices with seed r
    stream = batch_indices(500, 1, 1500, scheme, seed=2).ravel()
    np.testing.assert_array_equal(seen[2], coverage.coverage_curve(stream, 500, draws))


def test_mean_ci95():
    mean, half = coverage.mean_ci95(np.array([1.0, 2.0, 3.0, 4.0]))
    assert mean == 2.5
    assert half == pytest.approx(1.96 * np.std([1, 2, 3, 4], ddof=1) / 2)
    with pytest.raises(ValueError, match=re.escape("samples")):
        coverage.mean_ci95(np.array([1.0]))
