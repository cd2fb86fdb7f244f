"""helpers.sampling's laws of sampling with replacement against exact and 50-digit arithmetic."""

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import sampling

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


@pytest.mark.parametrize("n", [*range(1, 301), 500, 1000, 2000])
def test_against_exact_fractions(n):
    assert rel_err(sampling.p_at_least_once(n), exact_at_least_once(n)) < TOL
    assert rel_err(sampling.p_exactly_once(n), exact_exactly_once(n)) < TOL


def test_vectorized_equals_scalar_and_fractions():
    ns = np.arange(1, 201)
    at_least = sampling.p_at_least_once(ns)
    once = sampling.p_exactly_once(ns)
    assert at_least.shape == once.shape == (200,)
    for n, a, b in zip(ns.tolist(), at_least, once, strict=True):
        assert a == sampling.p_at_least_once(n)
        assert rel_err(a, exact_at_least_once(n)) < TOL
        assert rel_err(b, exact_exactly_once(n)) < TOL


HUGE = [10**k for k in range(3, 19)] + [2**53 - 1, 2**53, 2**53 + 1, 10**18 - 1, 123456789012345678]


@pytest.mark.parametrize("n", HUGE)
def test_against_high_precision_decimal_for_huge_n(n):
    assert rel_err(sampling.p_at_least_once(n), 1 - decimal_power(n, n)) < TOL
    assert rel_err(sampling.p_exactly_once(n), decimal_power(n, n - 1)) < TOL


@few
@given(st.integers(1, 10**18))
def test_hypothesis_over_n(n):
    assert rel_err(sampling.p_at_least_once(n), sampling.reference(n, "at_least_once")) < TOL
    assert rel_err(sampling.p_exactly_once(n), sampling.reference(n, "exactly_once")) < TOL


@pytest.mark.parametrize("n", [1, 2, 3, 10, 999, 10**6, 10**18])
def test_reference_agrees_with_decimal_power_and_fractions(n):
    with localcontext() as ctx:
        ctx.prec = 60
        assert abs(sampling.reference(n) - (1 - decimal_power(n, n))) < Decimal("1e-45")
        once = sampling.reference(n, "exactly_once")
        expected_once = Decimal(1) if n == 1 else decimal_power(n, n - 1)  # 0**0 is 1 here
        assert abs(once - expected_once) < Decimal("1e-45")
        if n <= 1000:
            exact = exact_at_least_once(n)
            gap = sampling.reference(n) - Decimal(exact.numerator) / Decimal(exact.denominator)
            assert abs(gap) < Decimal("1e-45")


def test_limits_and_monotone_decrease():
    assert sampling.LIMIT_AT_LEAST_ONCE == pytest.approx(1 - math.exp(-1), rel=1e-15)
    assert sampling.LIMIT_EXACTLY_ONCE == pytest.approx(math.exp(-1), rel=1e-15)
    ns = np.unique(np.round(np.logspace(0, 18, 200)))
    at_least = sampling.p_at_least_once(ns)
    assert np.all(np.diff(at_least) <= 2.3e-16)  # decreasing, up to the last bit
    assert at_least[-1] == pytest.approx(sampling.LIMIT_AT_LEAST_ONCE, rel=1e-15)
    assert sampling.p_exactly_once(10**18) == pytest.approx(sampling.LIMIT_EXACTLY_ONCE, rel=1e-15)
    # beyond int64: Python ints of any size
    assert sampling.p_at_least_once(10**30) == pytest.approx(
        sampling.LIMIT_AT_LEAST_ONCE, rel=1e-15
    )


def test_edge_values():
    assert sampling.p_at_least_once(1) == 1.0
    assert sampling.p_exactly_once(1) == 1.0
    assert sampling.p_at_least_once(2) == 0.75
    assert sampling.p_exactly_once(2) == 0.5
    assert isinstance(sampling.p_at_least_once(5), float)
    assert sampling.p_at_least_once(np.array([[1, 2], [3, 4]])).shape == (2, 2)
    assert sampling.p_at_least_once(np.float64(1e6)) == sampling.p_at_least_once(10**6)


def test_any_repeat_matches_factorials():
    for n in range(1, 25):
        exact = 1 - Fraction(math.factorial(n), n**n)
        assert sampling.p_any_repeat(n) == pytest.approx(float(exact), abs=1e-13)
    assert sampling.p_any_repeat(10**6) == 1.0
    assert str(sampling.p_any_repeat(1)) == "0.0"


def test_relative_error():
    assert sampling.relative_error(0.5, Decimal("0.5")) == 0.0
    assert sampling.relative_error(0.75, sampling.reference(2)) == 0.0
    with pytest.raises(ValueError, match=r"^ref"):
        sampling.relative_error(1.0, Decimal(0))


bad_n = st.sampled_from([0, -1, -(10**20), 2.5, np.nan, np.inf, -np.inf, True, False, "3", None])


@few
@given(bad_n)
def test_bad_n_raises(n):
    for fn in (sampling.p_at_least_once, sampling.p_exactly_once, sampling.p_any_repeat):
        with pytest.raises(ValueError, match=r"^n\b"):
            fn(n)


@pytest.mark.parametrize("n", [[1, 0], [3, 2.5], [2, np.nan], [10**30, 1.5]])
def test_bad_entry_in_array_raises(n):
    with pytest.raises(ValueError, match=r"^n\b"):
        sampling.p_at_least_once(np.array(n, dtype=object) if 10**30 in n else n)


def test_reference_validates():
    with pytest.raises(ValueError, match=r"^n"):
        sampling.reference(0)
    with pytest.raises(ValueError, match=r"^which"):
        sampling.reference(5, "twice")
    with pytest.raises(ValueError, match=r"^digits"):
        sampling.reference(5, digits=5)


TINY = float(np.finfo(float).tiny)  # smallest normal double, 2.2e-308
PMF_TOL = 1e-12  # the accuracy target for draw_count_pmf, relative


def exact_pmf(n: int, k: int) -> Fraction:
    if k > n:
        return Fraction(0)
    return math.comb(n, k) * Fraction(1, n) ** k * (1 - Fraction(1, n)) ** (n - k)


def decimal_pmf(n: int, k: int, digits: int = 50) -> Decimal:
    """Binomial(n, 1/n) pmf in ``digits``-digit decimal arithmetic: the falling factorial as an
    exact integer, (1 - 1/n)**(n - k) by Decimal's integer power (repeated squaring)."""
    if k > n:
        return Decimal(0)
    if k > 400:  # P(k) <= 1/k! < 1e-868: far below any double, and 0 is within PMF_TOL * TINY
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = digits + 10
        falling = math.prod(range(n - k + 1, n + 1))  # n (n-1) ... (n-k+1), exact
        value = Decimal(falling) / Decimal(n) ** k / math.factorial(k)
        if n > k:  # (1 - 1/n)**0 = 1 (Decimal refuses 0**0 at n = k = 1)
            value *= (1 - Decimal(1) / Decimal(n)) ** (n - k)
        ctx.prec = digits
        return +value


def assert_pmf_close(value: float, exact) -> None:
    """Relative error < PMF_TOL where the exact value is a normal double; below that (subnormal
    or underflow) an absolute error below PMF_TOL * TINY."""
    exact = (
        Decimal(exact.numerator) / Decimal(exact.denominator)
        if isinstance(exact, Fraction)
        else Decimal(exact)
    )
    with localcontext() as ctx:
        ctx.prec = 60
        gap = abs(Decimal(float(value)) - exact)
        if exact >= Decimal(TINY):
            assert float(gap / exact) < PMF_TOL, (value, exact)
        else:
            assert float(gap) <= PMF_TOL * TINY, (value, exact)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 13, 40, 99, 150, 170, 171, 250])
def test_draw_count_pmf_against_exact_fractions(n):
    k = np.arange(n + 3)
    pmf = sampling.draw_count_pmf(n, k)
    assert pmf.shape == k.shape
    for j in range(n + 3):
        assert_pmf_close(pmf[j], exact_pmf(n, j))
    assert pmf.sum() == pytest.approx(1.0, rel=1e-13)
    assert sampling.draw_count_pmf(n, 1) == pytest.approx(sampling.p_exactly_once(n), rel=1e-13)
    assert sampling.draw_count_pmf(n, 0) == pytest.approx(
        1 - sampling.p_at_least_once(n), rel=1e-13, abs=1e-300
    )


@pytest.mark.parametrize("n", [10**k for k in range(3, 19)] + [2**53 + 1, 10**18 - 1, 10**30])
def test_draw_count_pmf_against_50_digit_decimal_for_huge_n(n):
    k = np.array([0, 1, 2, 3, 5, 10, 20, 50, 100, 170, 171, 180, 199, 200, 250, 10**6])
    pmf = sampling.draw_count_pmf(n, k)
    for j, value in zip(k.tolist(), pmf, strict=True):
        assert_pmf_close(value, decimal_pmf(n, j))


def test_draw_count_pmf_the_reviewed_case():
    """The review's example: the old lgamma form gave [3.68e-17, 1.43e+07] here."""
    got = sampling.draw_count_pmf(10**16, [1, 3])
    for value, k in zip(got, (1, 3), strict=True):
        assert_pmf_close(value, decimal_pmf(10**16, k))
    assert got[0] == pytest.approx(math.exp(-1), rel=1e-15)
    assert got[1] == pytest.approx(math.exp(-1) / 6, rel=1e-15)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(1, 10**18), st.integers(0, 260))
def test_draw_count_pmf_hypothesis_over_n_and_k(n, k):
    assert_pmf_close(sampling.draw_count_pmf(n, k), decimal_pmf(n, k))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.integers(1, 120), st.data())
def test_draw_count_pmf_hypothesis_small_n_exact(n, data):
    k = data.draw(st.integers(0, n + 5))
    assert_pmf_close(sampling.draw_count_pmf(n, k), exact_pmf(n, k))


def test_draw_count_pmf_shapes_and_big_k():
    assert isinstance(sampling.draw_count_pmf(10, 2), float)
    assert sampling.draw_count_pmf(10, np.array([[0, 1], [2, 3]])).shape == (2, 2)
    assert sampling.draw_count_pmf(10, 11) == 0.0
    big_k = np.array([10**18, 2**63 - 1], dtype=np.int64)
    np.testing.assert_array_equal(sampling.draw_count_pmf(10**18, big_k), [0.0, 0.0])
    obj = np.array([3, 10**40], dtype=object)  # counts beyond int64 are still counts
    got = sampling.draw_count_pmf(10**50, obj)
    assert got[1] == 0.0 and got[0] == pytest.approx(math.exp(-1) / 6, rel=1e-14)
    assert sampling.draw_count_pmf(7, np.array([], dtype=int)).shape == (0,)


def test_docstring_examples_run():
    import doctest

    assert doctest.testmod(sampling).failed == 0


def test_poisson_limit():
    k = np.arange(12)
    poisson = sampling.poisson_pmf(k)
    assert poisson[0] == pytest.approx(math.exp(-1))
    assert poisson[3] == pytest.approx(math.exp(-1) / 6)
    for n in (10, 1000, 10**6):
        tv = 0.5 * np.abs(sampling.draw_count_pmf(n, k) - poisson).sum()
        assert tv <= 1 / n  # Le Cam


def test_pmf_arguments():
    for bad in (
        np.array([1.5]),
        -1,
        np.array([2, -3]),
        "2",
        True,
        np.array([1, 2.0], dtype=object),
    ):
        with pytest.raises(ValueError, match=r"^k"):
            sampling.draw_count_pmf(5, bad)
    for bad in (0, 2.5, "3", None):
        with pytest.raises(ValueError, match=r"^n"):
            sampling.draw_count_pmf(bad, 1)
    with pytest.raises(ValueError, match=r"^k"):
        sampling.poisson_pmf(-1)
    with pytest.raises(ValueError, match=r"^rate"):
        sampling.poisson_pmf(1, rate=0)


# --- repeats, the variance of the fraction seen, minibatch variance, coupon collector ---------


@pytest.mark.parametrize("n", [*range(1, 60), 1000, 10**6, 10**12, 10**18])
def test_repeats_samples_versus_draws(n):
    q = Fraction(1) - Fraction(1, n) if n <= 1000 else None
    if q is not None:
        samples = 1 - q**n - q ** (n - 1)
        draws = 1 - q ** (n - 1)
        assert sampling.p_repeated(n) == pytest.approx(float(samples), rel=1e-13, abs=1e-300)
        assert sampling.p_draw_on_repeated(n) == pytest.approx(float(draws), rel=1e-13, abs=1e-300)
    else:
        exact = 1 - decimal_power(n, n - 1)
        assert rel_err(sampling.p_draw_on_repeated(n), exact) < TOL
    assert sampling.LIMIT_REPEATED == pytest.approx(1 - 2 / math.e, rel=1e-15)
    assert sampling.LIMIT_DRAW_ON_REPEATED == pytest.approx(1 - 1 / math.e, rel=1e-15)


def brute_force_epochs(n):
    """Every epoch of n draws from n samples, with its number of unseen samples."""
    import itertools

    return [n - len(set(seq)) for seq in itertools.product(range(n), repeat=n)]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_var_fraction_seen_by_enumeration(n):
    unseen = brute_force_epochs(n)
    total = len(unseen)
    mean = Fraction(sum(unseen), total)
    var = Fraction(sum(u * u for u in unseen), total) - mean**2
    assert sampling.var_fraction_seen(n) == pytest.approx(float(var / n**2), rel=1e-13, abs=0)
    assert float(1 - mean / n) == pytest.approx(sampling.p_at_least_once(n), rel=1e-14)


def test_var_fraction_seen_limit_and_vector():
    ns = np.array([10**3, 10**6, 10**12, 10**18])
    scaled = sampling.var_fraction_seen(ns) * ns
    np.testing.assert_allclose(scaled, math.exp(-1) * (1 - 2 * math.exp(-1)), rtol=1e-2)
    assert scaled[-1] == pytest.approx(math.exp(-1) * (1 - 2 * math.exp(-1)), rel=1e-12)


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_minibatch_variance_factor_by_enumeration(n):
    import itertools

    values = [Fraction(v * v + 3 * v - 1) for v in range(n)]  # any population
    mu = sum(values) / n
    for b in range(1, n + 1):
        with_r = [sum(c) / b for c in itertools.product(values, repeat=b)]
        without = [sum(c) / b for c in itertools.permutations(values, b)]
        var_with = sum((m - mu) ** 2 for m in with_r) / len(with_r)
        var_without = sum((m - mu) ** 2 for m in without) / len(without)
        assert var_without == var_with * Fraction(n - b, n - 1)
        assert sampling.minibatch_variance_factor(n, b) == pytest.approx(
            float(Fraction(n - b, n - 1)), rel=1e-15, abs=0
        )
    with pytest.raises(ValueError, match=r"^n"):
        sampling.minibatch_variance_factor(1, 1)
    with pytest.raises(ValueError, match=r"^b"):
        sampling.minibatch_variance_factor(n, n + 1)
    with pytest.raises(ValueError, match=r"^b"):
        sampling.minibatch_variance_factor(n, 0)


def test_harmonic_and_coupon_mean():
    for n in (1, 2, 3, 10, 100):
        exact = sum(Fraction(1, k) for k in range(1, n + 1))
        assert sampling.harmonic(n) == pytest.approx(float(exact), rel=1e-15)
        assert sampling.coupon_mean_draws(n) == pytest.approx(float(n * exact), rel=1e-15)
    # the asymptotic branch agrees with the sum where they meet
    top = 10**6
    assert sampling.harmonic(top + 1) == pytest.approx(
        sampling.harmonic(top) + 1 / (top + 1), rel=1e-15
    )
    assert sampling.coupon_mean_draws(1000) / 1000 == pytest.approx(7.4854708606, rel=1e-10)
    h = sampling.harmonic(np.array([10**7, 10**18]))
    np.testing.assert_allclose(h - np.log([1e7, 1e18]), np.euler_gamma, atol=1e-7)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_coupon_cdf_by_enumeration(n):
    import itertools

    t_values = list(range(0, 9))
    got = sampling.coupon_cdf(n, t_values)
    for t, value in zip(t_values, got, strict=True):
        seqs = list(itertools.product(range(n), repeat=t))
        exact = Fraction(sum(len(set(s)) == n for s in seqs), len(seqs))
        assert value == pytest.approx(float(exact), rel=1e-13, abs=1e-15)


def test_coupon_cdf_mean_and_gumbel_limit():
    n = 200
    cdf = sampling.coupon_cdf(n, np.arange(40 * n))
    assert np.all(np.diff(cdf) >= 0) and cdf[-1] == pytest.approx(1.0, abs=1e-9)
    assert np.sum(1 - cdf) == pytest.approx(sampling.coupon_mean_draws(n), rel=1e-9)
    n = 2000
    x = np.array([-1.0, 0.0, 2.0])
    t = np.round(n * (np.log(n) + x)).astype(int)
    np.testing.assert_allclose(sampling.coupon_cdf(n, t), np.exp(-np.exp(-x)), atol=0.01)
    with pytest.raises(ValueError, match=r"^t"):
        sampling.coupon_cdf(3, -1)
    with pytest.raises(ValueError, match=r"max_work"):
        sampling.coupon_cdf(10**6, 10**6)
