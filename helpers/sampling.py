r"""Which samples each SGD step sees: the minibatch index schedules.

Schemes, for ``n`` samples and batches of ``batch_size``:

* ``"with_replacement"``: every index drawn independently and uniformly from ``0..n-1``.
* ``"random_reshuffling"``: a fresh random permutation each epoch (without replacement).
* ``"shuffle_once"``: one random permutation, repeated every epoch.
* ``"fixed"``: the cyclic order ``0, 1, ..., n-1, 0, 1, ...``.

For the three without-replacement schemes the index stream is a concatenation of epochs of
length n cut into consecutive batches, so every block of n consecutive draws that starts at an
epoch boundary is a permutation of ``0..n-1``. When ``batch_size`` does not divide ``n`` a batch
may straddle two epochs.

The laws of sampling with replacement
-------------------------------------
How much of the data one epoch of sampling *with* replacement sees: the 1 - 1/e rule.
An epoch of SGD with replacement draws n indices independently and uniformly from ``0..n-1``.
A given sample is missed by one draw with probability :math:`1 - 1/n`, so

.. math::
    P(\text{seen at least once}) = 1 - \Big(1 - \frac1n\Big)^{n} \;\to\; 1 - \frac1e \approx 0.632,

and it is drawn :math:`k` times with probability :math:`\binom nk n^{-k}(1 - 1/n)^{n-k}`
(Binomial(n, 1/n), which tends to Poisson(1)). For :math:`k = 1`:

.. math::
    P(\text{seen exactly once}) = n \cdot \frac1n \Big(1 - \frac1n\Big)^{n-1}
    = \Big(1 - \frac1n\Big)^{n-1} \;\to\; \frac1e \approx 0.368 .

By linearity of expectation these probabilities are also the *expected fractions* of the data
seen at least once / exactly once in an epoch.

**Floating point.** The naive ``1 - (1 - 1/n)**n`` rounds ``1 - 1/n`` to the nearest double
(spacing 1.1e-16 near 1) and the power then multiplies that rounding error by n: about 1e-4
relative error at n = 1e12, and for n > 2**53 ``1 - 1/n`` is exactly 1 and the naive value is 0.
Here :math:`(1 - 1/n)^m = \exp(m \log(1 - 1/n))` with ``log1p(-1/n)``, accurate for every n,
and :math:`1 - e^{x}` is ``-expm1(x)``, which keeps its digits when x is near 0 (n near 1).
Both are accurate to a few units in the last place (tested: 1e-14 relative for n from 1 to 1e18
against exact rational and 50-digit decimal arithmetic). :func:`draw_count_pmf` (the whole
Binomial(n, 1/n) law) is a product of positive factors, exact to 1e-12 relative for every n up
to 1e18 and every k whose probability is a normal double.

Also here: repeats counted over samples (:func:`p_repeated`, -> 1 - 2/e) and over draws
(:func:`p_draw_on_repeated`, -> 1 - 1/e), the variance of the fraction seen
(:func:`var_fraction_seen`), the finite-population factor (n - b)/(n - 1) of a minibatch drawn
without replacement (:func:`minibatch_variance_factor`) and the coupon collector
(:func:`coupon_mean_draws`, :func:`coupon_cdf`).
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal, localcontext

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = [
    "LIMIT_AT_LEAST_ONCE",
    "LIMIT_DRAW_ON_REPEATED",
    "LIMIT_EXACTLY_ONCE",
    "LIMIT_REPEATED",
    "MAX_PERMUTED",
    "SCHEMES",
    "WITHOUT_REPLACEMENT",
    "batch_indices",
    "batch_indices_per_seed",
    "coupon_cdf",
    "coupon_mean_draws",
    "draw_count_pmf",
    "harmonic",
    "minibatch_variance_factor",
    "p_any_repeat",
    "p_at_least_once",
    "p_draw_on_repeated",
    "p_exactly_once",
    "p_repeated",
    "poisson_pmf",
    "reference",
    "relative_error",
    "var_fraction_seen",
]

SCHEMES = ("with_replacement", "random_reshuffling", "shuffle_once", "fixed")

WITHOUT_REPLACEMENT = ("random_reshuffling", "shuffle_once", "fixed")
"""The schemes in which every epoch visits each sample exactly once."""

MAX_PERMUTED = 2**27
"""The largest n the permuting schemes accept (a permutation of n indices takes 8 n bytes: 1 GiB
here); "fixed" and "with_replacement" take any n, building only the indices drawn."""


def batch_indices(
    n: int, batch_size: int, steps: int, scheme: str = "random_reshuffling", seed: int = 0
) -> np.ndarray:
    """Minibatch indices for ``steps`` SGD steps, shape ``(steps, batch_size)``.

    Args:
        n: number of samples (>= 1; at most :data:`MAX_PERMUTED` for the two schemes that
            permute all n indices, any size for "fixed" and "with_replacement").
        batch_size: samples per step, in [1, n].
        steps: number of steps (>= 0).
        scheme: one of :data:`SCHEMES`.
        seed: seed (>= 0) for ``numpy.random.default_rng``; the same seed gives the same schedule.
    """
    n = check.integer("n", n, low=1)
    batch_size = check.integer("batch_size", batch_size, low=1, high=n)
    steps = check.integer("steps", steps, low=0)
    check.one_of("scheme", scheme, SCHEMES)
    seed = check.integer("seed", seed, low=0)
    # show: schemes
    rng = np.random.default_rng(seed)
    draws = steps * batch_size
    if scheme == "with_replacement":
        return rng.integers(0, n, size=(steps, batch_size))
    if scheme == "fixed":  # i mod n: no epoch of n indices is ever built (n may be 2**40)
        stream = np.arange(draws, dtype=np.int64)
        return (stream % n if n <= draws else stream).reshape(steps, batch_size)
    if draws == 0:
        return np.zeros((steps, batch_size), dtype=np.int64)
    if n > MAX_PERMUTED:
        raise ValueError(
            f"n must be <= {MAX_PERMUTED} for scheme {scheme!r} (it permutes all n indices, "
            f"8 n bytes), got {n}; use 'with_replacement' or 'fixed' for larger n"
        )
    epochs = -(-draws // n)
    if scheme == "random_reshuffling":
        stream = rng.permuted(np.tile(np.arange(n), (epochs, 1)), axis=1).ravel()
    elif scheme == "shuffle_once":
        stream = np.tile(rng.permutation(n), epochs)
    return stream[:draws].reshape(steps, batch_size)
    # end show: schemes


def batch_indices_per_seed(n: int, batch_size: int, steps: int, scheme: str, seeds) -> np.ndarray:
    """One schedule per seed, stacked: shape ``(len(seeds), steps, batch_size)``, where row s is
    exactly ``batch_indices(n, batch_size, steps, scheme, seeds[s])``. Runs that average over
    seeds need a different minibatch sequence per run (see :mod:`helpers.lessons.sampling.shuffling`).

    Args:
        seeds: a non-empty sequence of distinct integers >= 0.
    """
    seed_list = list(np.atleast_1d(np.asarray(seeds, dtype=object)).tolist())
    if not seed_list:
        raise ValueError("seeds must hold at least one seed")
    seed_list = [check.integer("seeds", s, low=0) for s in seed_list]
    if len(set(seed_list)) != len(seed_list):
        raise ValueError(f"seeds must be distinct, got {seed_list}")
    return np.stack([batch_indices(n, batch_size, steps, scheme, s) for s in seed_list])


LIMIT_AT_LEAST_ONCE = float(-np.expm1(-1.0))
"""1 - 1/e: the limit of :func:`p_at_least_once` as n grows."""


LIMIT_EXACTLY_ONCE = float(np.exp(-1.0))
"""1/e: the limit of :func:`p_exactly_once` as n grows."""


LIMIT_REPEATED = float(1.0 - 2.0 * np.exp(-1.0))
"""1 - 2/e: the limit of :func:`p_repeated` (samples drawn twice or more in an epoch)."""

LIMIT_DRAW_ON_REPEATED = float(-np.expm1(-1.0))
"""1 - 1/e: the limit of :func:`p_draw_on_repeated` (draws landing on repeated samples)."""


def _sizes(n: ArrayLike, name: str = "n") -> np.ndarray:
    """``n`` as a float array of integers >= 1 (Python ints of any size, integer-valued floats)."""
    raw = np.asarray(n)
    if raw.dtype == object:  # Python ints beyond int64
        flat = raw.ravel().tolist()
        if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in flat):
            raise ValueError(f"{name} must be an integer or array of integers >= 1, got {n!r}")
        raw = np.array([float(v) for v in flat]).reshape(raw.shape)
    if raw.dtype.kind not in "iuf":  # bools, strings, None, ...
        raise ValueError(f"{name} must be an integer or array of integers >= 1, got {n!r}")
    arr = check.as_finite_array(name, raw)
    if not np.all(arr >= 1):
        raise ValueError(f"{name} must be >= 1, got {n!r}")
    if not np.all(arr == np.floor(arr)):
        raise ValueError(f"{name} must be an integer or array of integers >= 1, got {n!r}")
    return arr


def _out(values: np.ndarray) -> np.ndarray | float:
    return float(values) if values.ndim == 0 else values


def _log_miss(n: np.ndarray) -> np.ndarray:
    """log(1 - 1/n) via log1p (-inf at n = 1)."""
    with np.errstate(divide="ignore"):
        return np.log1p(-1.0 / n)


def p_at_least_once(n: ArrayLike) -> np.ndarray | float:
    r""":math:`1 - (1 - 1/n)^n`, the chance that a given sample is drawn in an epoch of n draws
    with replacement (= the expected fraction of the data seen), computed as
    ``-expm1(n * log1p(-1/n))``. Vectorized over ``n`` (integers >= 1); 1 at n = 1."""
    n = _sizes(n)
    return _out(-np.expm1(n * _log_miss(n)))


def p_exactly_once(n: ArrayLike) -> np.ndarray | float:
    r""":math:`(1 - 1/n)^{n-1}`, the chance that a given sample is drawn exactly once in an epoch of
    n draws with replacement, computed as ``exp((n - 1) * log1p(-1/n))``. Vectorized over ``n``
    (integers >= 1); 1 at n = 1."""
    n = _sizes(n)
    with np.errstate(invalid="ignore"):
        exponent = np.where(n == 1, 0.0, (n - 1) * _log_miss(n))
    return _out(np.exp(exponent))


def p_any_repeat(n: ArrayLike) -> np.ndarray | float:
    r"""P(at least one sample is drawn twice or more in an epoch of n draws with replacement)
    :math:`= 1 - n!/n^n`, from ``lgamma`` (vectorized over integers n >= 1; 0 at n = 1)."""
    n = _sizes(n)
    log_all_distinct = np.vectorize(math.lgamma, otypes=[float])(n + 1.0) - n * np.log(n)
    return _out(-np.expm1(log_all_distinct) + 0.0)  # + 0.0: no "-0.0" at n = 1


def p_repeated(n: ArrayLike) -> np.ndarray | float:
    r"""P(a given sample is drawn twice or more in an epoch of n draws with replacement), which is
    also the expected *fraction of the samples* drawn twice or more:
    :math:`1 - (1 - \frac1n)^n - (1 - \frac1n)^{n-1} \to 1 - 2/e \approx 0.264`.
    Vectorized over integers n >= 1 (0 at n = 1).

    Example:
        >>> p_repeated(2), round(p_repeated(10**9), 6)
        (0.25, 0.264241)
    """
    return _out(np.asarray(p_at_least_once(n)) - np.asarray(p_exactly_once(n)) + 0.0)


def p_draw_on_repeated(n: ArrayLike) -> np.ndarray | float:
    r"""Expected fraction of an epoch's n *draws* that land on a sample drawn twice or more.

    A draw lands on a sample drawn exactly once with probability
    :math:`(1 - \frac1n)^{n-1}` (the other n - 1 draws all miss it), so

    .. math::
        1 - \Big(1 - \frac1n\Big)^{n-1} \;\to\; 1 - \frac1e \approx 0.632,

    computed as ``-expm1((n - 1) * log1p(-1/n))``. Not the fraction of *samples* drawn twice or
    more (:func:`p_repeated`, tending to 1 - 2/e): repeated samples are fewer but take several
    draws each. Vectorized over integers n >= 1 (0 at n = 1).

    Example:
        >>> p_draw_on_repeated(2), round(p_draw_on_repeated(10**9), 6)
        (0.5, 0.632121)
    """
    n = _sizes(n)
    with np.errstate(invalid="ignore"):
        exponent = np.where(n == 1, 0.0, (n - 1) * _log_miss(n))
    return _out(-np.expm1(exponent) + 0.0)


def var_fraction_seen(n: ArrayLike) -> np.ndarray | float:
    r"""Variance of the fraction of the data seen in one epoch with replacement (exact).

    With :math:`N_0` the number of samples never drawn, :math:`q_1 = (1 - \frac1n)^n` (one sample
    missed) and :math:`q_2 = (1 - \frac2n)^n` (two given samples missed),

    .. math::
        \operatorname{Var}(N_0/n) = \frac{q_1(1 - q_1) + (n - 1)(q_2 - q_1^2)}{n},
        \qquad q_2 - q_1^2 = q_1^2\,\operatorname{expm1}\!\Big(n \log\big(1 -
        \tfrac1{(n-1)^2}\big)\Big),

    the second form free of cancellation. It tends to :math:`e^{-1}(1 - 2e^{-1})/n`. Vectorized
    over integers n >= 1 (0 at n = 1).

    Example:
        >>> var_fraction_seen(2)  # N_0 is 0 or 1 with probability 1/2 each: Var(N_0/2) = 1/16
        0.0625
    """
    n = _sizes(n)
    q1 = np.exp(n * _log_miss(n))
    with np.errstate(divide="ignore", invalid="ignore"):
        pair = q1 * q1 * np.expm1(n * np.log1p(-1.0 / np.where(n > 1, (n - 1) ** 2, 1.0)))
        var = np.where(n > 1, (q1 * (1 - q1) + (n - 1) * pair) / n, 0.0)
    return _out(np.maximum(var, 0.0))


def minibatch_variance_factor(n: int, b: ArrayLike) -> np.ndarray | float:
    r"""Variance of a minibatch mean drawn *without* replacement over the same drawn *with*
    replacement: :math:`(n - b)/(n - 1)` for a batch of b out of n values (finite-population
    correction).

    With :math:`\Sigma = \frac1n\sum_i (g_i - \bar g)(g_i - \bar g)^\top`, b independent uniform
    draws give :math:`\operatorname{Cov}(\bar g_B) = \Sigma/b`. Without replacement two distinct
    draws have covariance :math:`-\Sigma/(n - 1)` (all n draws of a permutation sum to
    :math:`n\bar g`, a constant, so :math:`n\Sigma + n(n-1)C = 0`), hence
    :math:`\operatorname{Cov}(\bar g_B) = \frac1{b^2}\big(b\Sigma - b(b-1)\frac{\Sigma}{n-1}\big)
    = \frac{\Sigma}{b}\,\frac{n-b}{n-1}`: 1 at b = 1, 0 at b = n.

    Args:
        n: population size, an integer >= 2 (with n = 1 both variances are 0).
        b: batch sizes, integers in [1, n].

    Example:
        >>> minibatch_variance_factor(32, [1, 16, 32])
        array([1.        , 0.51612903, 0.        ])
    """
    n = check.integer("n", n, low=2)
    b_arr = check.integers("b", b, low=1)
    if np.any(b_arr > n):
        raise ValueError(f"b must be integers in [1, {n}], got {b!r}")
    # n - 1 and n - b in exact integers, rounded once each (n - 1.0 would round n first: at
    # n = 2**53 + 1 the factor at b = 1 came out 1 + 2**-52).
    numerator = (n - b_arr) if n < 2**62 else np.vectorize(lambda v: float(n - int(v)))(b_arr)
    return _out(np.asarray(numerator, dtype=float) / float(n - 1))


def harmonic(n: ArrayLike) -> np.ndarray | float:
    r""":math:`H_n = \sum_{k=1}^n 1/k`, vectorized over integers n >= 1: summed exactly (smallest
    terms first) up to n = 10**6, beyond that :math:`\ln n + \gamma + \frac1{2n} - \frac1{12n^2}
    + \frac1{120n^4}` (error below :math:`1/(252 n^6)`).

    Example:
        >>> harmonic(1), harmonic(2), round(harmonic(1000), 10)
        (1.0, 1.5, 7.4854708606)
    """
    n = _sizes(n)
    flat = n.ravel()
    small = flat <= 10**6
    out = np.empty(flat.size)
    if np.any(small):
        top = int(flat[small].max())
        terms = 1.0 / np.arange(1, top + 1)
        for i in np.flatnonzero(small):
            out[i] = math.fsum(terms[: int(flat[i])])  # correctly rounded sum of the terms
    big = flat[~small]
    out[~small] = (
        np.log(big) + np.euler_gamma + 1 / (2 * big) - 1 / (12 * big**2) + 1 / (120 * big**4)
    )
    return _out(out.reshape(n.shape))


def coupon_mean_draws(n: ArrayLike) -> np.ndarray | float:
    r"""Expected number of draws with replacement until every one of n samples has been drawn
    (the coupon collector): :math:`n H_n = n(\ln n + \gamma + O(1/n))`, i.e. :math:`H_n`
    epochs (7.49 at n = 1000), growing like ln n; without replacement it is exactly n draws
    (one epoch). The waiting time for the (i+1)-th new sample is geometric with success
    probability (n - i)/n, mean n/(n - i); summing over i = 0..n-1 gives n H_n.

    Example:
        >>> round(coupon_mean_draws(1000) / 1000, 4)
        7.4855
    """
    n = _sizes(n)
    return _out(n * np.asarray(harmonic(n)))


def coupon_cdf(n: int, t: ArrayLike, max_work: float = 5e8) -> np.ndarray | float:
    r"""P(all n samples have been drawn within t draws with replacement), exact up to rounding.

    Computed by the forward recursion on the number m of distinct samples seen,
    :math:`p_{t+1}(m) = p_t(m)\frac mn + p_t(m-1)\frac{n-m+1}n`, all terms positive (the
    inclusion-exclusion sum :math:`\sum_j (-1)^j\binom nj(1 - j/n)^t` cancels catastrophically).
    Cost O(n max(t)). As n grows, :math:`P(T \le n(\ln n + x)) \to e^{-e^{-x}}` (Gumbel;
    Erdos and Renyi 1961).

    Args:
        n: number of samples, an integer >= 1.
        t: numbers of draws, integers >= 0.
        max_work: refuse ``n * max(t)`` above this (a clear error instead of a long wait).

    Example:
        >>> [float(round(p, 6)) for p in coupon_cdf(2, [1, 2, 3])]
        [0.0, 0.5, 0.75]
    """
    n = check.integer("n", n, low=1)
    t_arr = check.integers("t", t, low=0)
    t_max = int(t_arr.max()) if t_arr.size else 0
    max_work = check.number("max_work", max_work, above=0)
    if n * t_max > max_work:
        raise ValueError(f"n * max(t) must be <= max_work = {max_work:g}, got {n * t_max:g}")
    m = np.arange(n + 1, dtype=float)
    stay, move = m / n, (n - m[:-1]) / n
    p = np.zeros(n + 1)
    p[0] = 1.0
    cdf = np.empty(t_max + 1)
    cdf[0] = p[n]
    for step in range(1, t_max + 1):
        new = p * stay
        new[1:] += p[:-1] * move
        p = new
        cdf[step] = p[n]
    return _out(cdf[t_arr])


def reference(n: int, which: str = "at_least_once", digits: int = 50) -> Decimal:
    """:func:`p_at_least_once` or :func:`p_exactly_once` of one integer ``n`` in ``digits``-digit
    decimal arithmetic, as ``exp(m * ln(1 - 1/n))`` (slow; for checking the float versions)."""
    n = check.integer("n", n, low=1)
    check.one_of("which", which, ("at_least_once", "exactly_once"))
    digits = check.integer("digits", digits, low=20, high=1000)
    with localcontext() as ctx:
        ctx.prec = digits + 10
        if n == 1:
            value = Decimal(1)
        else:
            log_miss = (1 - Decimal(1) / n).ln()
            if which == "at_least_once":
                value = 1 - (n * log_miss).exp()
            else:
                value = ((n - 1) * log_miss).exp()
        ctx.prec = digits
        return +value


def relative_error(value: float, ref: Decimal) -> float:
    """``|value - ref| / |ref|`` with ``value`` converted to Decimal exactly (no rounding of the
    difference), for comparing a float against :func:`reference`."""
    check.instance("ref", ref, Decimal, "a Decimal (from reference)")
    if not ref.is_finite() or ref == 0:
        raise ValueError(f"ref must be a finite non-zero Decimal, got {ref!r}")
    value = check.number("value", value)
    return float(abs(Decimal(value) - ref) / abs(ref))


_PMF_TERMS = 200
"""Beyond this many draws the pmf is below 1/200! ~ 1e-375 for every n: it rounds to 0."""


def _counts(k: ArrayLike, name: str = "k") -> np.ndarray:
    """``k`` as an integer array of counts >= 0 (Python ints of any size allowed)."""
    raw = np.asarray(k)
    if raw.dtype == object:
        flat = raw.ravel().tolist()
        if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in flat):
            raise ValueError(f"{name} must be an integer or array of integers >= 0, got {k!r}")
        if any(v < 0 for v in flat):
            raise ValueError(f"{name} must be >= 0, got {k!r}")
        clipped = [min(int(v), 2**62) for v in flat]
        return np.array(clipped, dtype=np.int64).reshape(raw.shape)
    if not np.issubdtype(raw.dtype, np.integer) or np.any(raw < 0):
        raise ValueError(f"{name} must be an integer or array of integers >= 0, got {k!r}")
    return raw.astype(np.int64)


def draw_count_pmf(n: int, k: ArrayLike) -> np.ndarray | float:
    r"""P(a given sample is drawn exactly k times in n draws with replacement): the Binomial(n, 1/n)
    pmf, vectorized over ``k``.

    .. math::
        P(k) = \binom nk \frac1{n^k}\Big(1 - \frac1n\Big)^{n-k}
             = \Big(1 - \frac1n\Big)^{n-k} \prod_{j=1}^{k} \frac{1 - (j-1)/n}{j},

    zero for k > n. The product form is evaluated factor by factor (each factor has one or two
    roundings, all positive: no cancellation) and :math:`(1 - 1/n)^{n-k}` as
    ``exp((n - k) * log1p(-1/n))``, whose argument lies in [-1.4, 0]. So the relative error is at
    most about ``3 k`` units in the last place: below 1e-13 for every n up to 10**18 and beyond
    and every k whose probability is a normal double (>= 2.2e-308). Since
    :math:`P(k) \le 1/k!`, every k > 170 has a probability below the smallest normal double, and
    for k >= 200 it rounds to 0 (the value returned). The naive ``lgamma`` form,
    :math:`\log\Gamma(n+1) - \log\Gamma(n-k+1)`, cancels catastrophically for large n (0.5% off
    at n = 10**12, garbage from 10**14 on).

    Args:
        n: number of draws = number of samples, an integer >= 1 (Python ints of any size).
        k: draw counts, an integer or array of integers >= 0.

    Returns:
        The probabilities, shaped like ``k`` (a float for a scalar ``k``).

    Example:
        >>> [round(float(p), 12) for p in draw_count_pmf(10**16, [0, 1, 3])]
        [0.367879441171, 0.367879441171, 0.061313240195]
        >>> float(draw_count_pmf(2, 2))
        0.25
    """
    n = check.integer("n", n, low=1)
    kk = _counts(k)
    m = int(min(n, _PMF_TERMS, int(kk.max()) if kk.size else 0))
    # factors (1 - (j-1)/n)/j for j = 1..m; the numerator n - (j-1) is an exact Python int,
    # rounded once to float, then divided by float(n) (rounded once).
    nf = float(n)
    factors = np.array([float(n - j) / nf / (j + 1) for j in range(m)], dtype=float)
    products = np.concatenate([[1.0], np.cumprod(factors)])  # products[j] = prod_{i<=j}
    log_miss = math.log1p(-1.0 / nf) if n > 1 else -math.inf
    inside = kk <= min(n, _PMF_TERMS)
    rest = np.where(inside, kk, 0)
    with np.errstate(invalid="ignore"):
        # (n - k) as an exact Python int before rounding: float(n) - k would lose k for huge n
        if n < 2**53:  # n - k is exact in floating point
            remaining = nf - rest.astype(float)
        else:
            remaining = np.array([float(n - int(j)) for j in rest.ravel()]).reshape(rest.shape)
        tail = np.where(remaining > 0, np.exp(remaining * log_miss), 1.0)
    return _out(np.where(inside, products[rest] * tail, 0.0))


def poisson_pmf(k: ArrayLike, rate: float = 1.0) -> np.ndarray | float:
    r"""Poisson pmf :math:`e^{-\lambda}\lambda^k/k!`, the n -> infinity limit of
    :func:`draw_count_pmf` (with :math:`\lambda = 1`)."""
    rate = check.number("rate", rate, above=0)
    k = np.asarray(k)
    if not np.issubdtype(k.dtype, np.integer) or np.any(k < 0):
        raise ValueError(f"k must be an integer or array of integers >= 0, got {k!r}")
    log_fact = np.vectorize(lambda j: math.lgamma(j + 1), otypes=[float])(k.astype(float))
    return _out(np.exp(k * math.log(rate) - rate - log_fact))
