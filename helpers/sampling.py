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
against exact rational and 50-digit decimal arithmetic).
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
    "LIMIT_EXACTLY_ONCE",
    "SCHEMES",
    "WITHOUT_REPLACEMENT",
    "batch_indices",
    "batch_indices_per_seed",
    "draw_count_pmf",
    "p_any_repeat",
    "p_at_least_once",
    "p_exactly_once",
    "poisson_pmf",
    "reference",
    "relative_error",
]

SCHEMES = ("with_replacement", "random_reshuffling", "shuffle_once", "fixed")

WITHOUT_REPLACEMENT = ("random_reshuffling", "shuffle_once", "fixed")
"""The schemes in which every epoch visits each sample exactly once."""


def batch_indices(
    n: int, batch_size: int, steps: int, scheme: str = "random_reshuffling", seed: int = 0
) -> np.ndarray:
    """Minibatch indices for ``steps`` SGD steps, shape ``(steps, batch_size)``.

    Args:
        n: number of samples (>= 1).
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
    rng = np.random.default_rng(seed)
    draws = steps * batch_size
    if scheme == "with_replacement":
        return rng.integers(0, n, size=(steps, batch_size))
    epochs = -(-draws // n)
    if scheme == "random_reshuffling":
        stream = rng.permuted(np.tile(np.arange(n), (epochs, 1)), axis=1).ravel()
    elif scheme == "shuffle_once":
        stream = np.tile(rng.permutation(n), epochs)
    else:
        stream = np.tile(np.arange(n), epochs)
    return stream[:draws].reshape(steps, batch_size)


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
    log_all_distinct = np.vectorize(math.lgamma)(n + 1.0) - n * np.log(n)
    return _out(-np.expm1(log_all_distinct) + 0.0)  # + 0.0: no "-0.0" at n = 1


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
    ref = Decimal(ref)
    if ref == 0:
        raise ValueError("ref must be non-zero")
    return float(abs(Decimal(float(value)) - ref) / abs(ref))


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
    rate = float(check.positive("rate", rate))
    k = np.asarray(k)
    if not np.issubdtype(k.dtype, np.integer) or np.any(k < 0):
        raise ValueError(f"k must be an integer or array of integers >= 0, got {k!r}")
    log_fact = np.vectorize(lambda j: math.lgamma(j + 1))(k.astype(float))
    return _out(np.exp(k * math.log(rate) - rate - log_fact))
