r"""The 1 - 1/e rule seen by simulation: Monte Carlo epochs with and without replacement.

The laws themselves (:func:`helpers.sampling.p_at_least_once`,
:func:`~helpers.sampling.p_exactly_once`, :func:`~helpers.sampling.draw_count_pmf`, ...) live in
:mod:`helpers.sampling`; this module (notebook 3's) draws epochs, counts how often each sample was
drawn, and keeps the textbook formulas in floating point (:func:`p_at_least_once_naive`) whose
failure for large n the notebook shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.sampling import SCHEMES, _log_miss, _out, _sizes, batch_indices_per_seed

__all__ = [
    "EpochCounts",
    "count_histogram",
    "coupon_monte_carlo",
    "coverage_after",
    "coverage_curve",
    "coverage_monte_carlo",
    "distinct_fraction",
    "draw_counts",
    "epochs_over_seeds",
    "mean_ci95",
    "monte_carlo_epoch",
    "p_at_least_once_naive",
    "p_exactly_once_naive",
]


def p_at_least_once_naive(n: ArrayLike) -> np.ndarray | float:
    """The textbook ``1 - (1 - 1/n)**n`` in floating point: wrong for large n (shown in notebook 3)."""
    n = _sizes(n)
    return _out(1.0 - (1.0 - 1.0 / n) ** n)


def p_exactly_once_naive(n: ArrayLike) -> np.ndarray | float:
    """The seed's ``n/(n-1) * (1 - 1/n)**n`` in floating point (undefined at n = 1: NaN)."""
    n = _sizes(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(np.where(n == 1, np.nan, n / (n - 1) * (1.0 - 1.0 / n) ** n))


def draw_counts(indices: ArrayLike, n: int) -> np.ndarray:
    """How many times each of the n samples occurs in ``indices``.

    ``indices`` of shape ``(..., m)`` (the last axis holds the draws of one replicate, e.g. one
    epoch) gives counts of shape ``(..., n)``; computed by one ``bincount`` over offset indices.
    """
    n = check.integer("n", n, low=1)
    idx = np.asarray(indices)
    if idx.ndim == 0 or not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"indices must be an integer array with at least one axis, got {idx!r}")
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValueError(f"indices must lie in [0, {n - 1}]")
    lead = idx.shape[:-1]
    rows = math.prod(lead)
    offsets = (np.arange(rows, dtype=np.int64) * n).reshape(*lead, 1)
    flat = (idx.astype(np.int64, copy=False) + offsets).ravel()
    return np.bincount(flat, minlength=rows * n).reshape(*lead, n)


def distinct_fraction(indices: ArrayLike, n: int) -> np.ndarray | float:
    """Fraction of the n samples that occur at least once along the last axis of ``indices``."""
    return _out(np.mean(draw_counts(indices, n) > 0, axis=-1))


@dataclass(frozen=True)
class EpochCounts:
    """Per-replicate histograms of draw counts: ``histogram[r, k]`` samples (of n) were drawn
    exactly k times in replicate epoch r. Every row sums to n."""

    n: int
    histogram: np.ndarray

    def __post_init__(self) -> None:
        n = check.integer("n", self.n, low=1)
        check.instance("histogram", self.histogram, np.ndarray, "a 2-D integer array")
        hist = check.integers("histogram", self.histogram, low=0)
        if hist.ndim != 2 or hist.shape[1] == 0 or np.any(hist.sum(axis=1) != n):
            raise ValueError(
                f"histogram must be 2-D (replicates, counts), each row summing to n = {n}, got "
                f"shape {hist.shape}"
            )

    @property
    def replicates(self) -> int:
        return self.histogram.shape[0]

    @property
    def seen(self) -> np.ndarray:
        """Fraction of the samples drawn at least once, per replicate."""
        return 1.0 - self.histogram[:, 0] / self.n

    @property
    def once(self) -> np.ndarray:
        """Fraction of the samples drawn exactly once, per replicate."""
        return (
            self.histogram[:, 1] / self.n
            if self.histogram.shape[1] > 1
            else np.zeros(self.replicates)
        )

    @property
    def repeated(self) -> np.ndarray:
        """Fraction of the samples drawn two or more times, per replicate."""
        return self.histogram[:, 2:].sum(axis=1) / self.n

    @property
    def draws_on_repeated(self) -> np.ndarray:
        """Fraction of the epoch's n draws that landed on a sample drawn twice or more, per
        replicate: every sample drawn exactly once takes one draw, all other draws land on
        repeated samples, so it is ``1 - histogram[:, 1] / n`` (compare
        :func:`helpers.sampling.p_draw_on_repeated`)."""
        return 1.0 - self.once

    @property
    def pmf(self) -> np.ndarray:
        """Empirical distribution of a sample's draw count, pooled over replicates: entry k is the
        fraction of (sample, replicate) pairs with exactly k draws."""
        return self.histogram.sum(axis=0) / (self.n * self.replicates)


def count_histogram(counts: ArrayLike) -> np.ndarray:
    """``hist[..., k]`` = how many entries of ``counts[..., :]`` equal k (k = 0..max), one offset
    ``bincount`` for all rows."""
    c = np.asarray(counts)
    if c.ndim == 0 or not np.issubdtype(c.dtype, np.integer) or (c.size and c.min() < 0):
        raise ValueError(f"counts must be an integer array of counts >= 0, got {c!r}")
    width = int(c.max()) + 1 if c.size else 1
    lead = c.shape[:-1]
    rows = math.prod(lead)
    offsets = (np.arange(rows, dtype=np.int64) * width).reshape(*lead, 1)
    flat = (c.astype(np.int64, copy=False) + offsets).ravel()
    return np.bincount(flat, minlength=rows * width).reshape(*lead, width)


def monte_carlo_epoch(
    n: int, replicates: int, seed: int = 0, chunk_draws: int = 2**20
) -> EpochCounts:
    """Simulate ``replicates`` independent epochs with replacement (n uniform draws each).

    Vectorized over draws: the epochs are drawn in chunks of about ``chunk_draws`` indices
    (one ``rng.integers`` call and one ``bincount`` per chunk), so memory stays O(chunk_draws)
    and n = 10**6 costs about 20 ms per epoch. Only the per-epoch histogram of draw counts is
    kept (see :class:`EpochCounts`). Same arguments, same result.
    """
    n = check.integer("n", n, low=1)
    replicates = check.integer("replicates", replicates, low=1)
    seed = check.integer("seed", seed, low=0)
    chunk_draws = check.integer("chunk_draws", chunk_draws, low=1)
    rng = np.random.default_rng(seed)
    per_chunk = max(1, chunk_draws // n)
    parts = []
    for start in range(0, replicates, per_chunk):
        rows = min(per_chunk, replicates - start)
        parts.append(count_histogram(draw_counts(rng.integers(0, n, size=(rows, n)), n)))
    width = max(p.shape[1] for p in parts)
    histogram = np.concatenate([np.pad(p, ((0, 0), (0, width - p.shape[1]))) for p in parts])
    return EpochCounts(n, histogram)


def coverage_curve(stream: ArrayLike, n: int, checkpoints: ArrayLike) -> np.ndarray:
    """Fraction of the n samples seen in the first t draws of the 1-D index ``stream``, for each
    t in the increasing ``checkpoints`` (0 <= t <= len(stream)). One vectorized pass per
    segment between checkpoints."""
    n = check.integer("n", n, low=1)
    stream = np.asarray(stream)
    if stream.ndim != 1 or not np.issubdtype(stream.dtype, np.integer):
        raise ValueError(f"stream must be a 1-D integer array, got {stream!r}")
    if stream.size and (stream.min() < 0 or stream.max() >= n):
        raise ValueError(f"stream must hold indices in [0, {n - 1}]")
    t = (
        np.asarray(checkpoints)
        if isinstance(checkpoints, np.ndarray | list | tuple | range)
        else np.asarray(None)
    )
    if (
        t.size == 0
        or t.ndim != 1
        or not np.issubdtype(t.dtype, np.integer)
        or np.any(np.diff(t) < 0)
        or (t.size and (t[0] < 0 or t[-1] > stream.size))
    ):
        raise ValueError(
            f"checkpoints must be non-empty increasing integers in [0, len(stream) = "
            f"{stream.size}], got {checkpoints!r}"
        )
    seen = np.zeros(n, dtype=bool)
    out = np.empty(t.size)
    done = 0
    for j, stop in enumerate(t.tolist()):
        seen[stream[done:stop]] = True
        done = max(done, stop)
        out[j] = np.count_nonzero(seen) / n
    return out


def coverage_monte_carlo(
    n: int,
    epochs: float,
    scheme: str,
    replicates: int = 10,
    points_per_epoch: int = 8,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Fraction of the data seen vs draws, simulated: ``replicates`` index streams of
    ``round(epochs * n)`` draws under ``scheme`` (seeds ``seed, seed+1, ...`` of
    :func:`helpers.sampling.batch_indices_per_seed`).

    Returns ``(draws, seen)``: the checkpoints (``points_per_epoch`` per epoch, 0 included) and
    an array ``(replicates, len(draws))`` of fractions seen by then (:func:`coverage_curve`).
    """
    n = check.integer("n", n, low=1)
    epochs = check.number("epochs", epochs, above=0)
    check.one_of("scheme", scheme, SCHEMES)
    replicates = check.integer("replicates", replicates, low=1)
    points_per_epoch = check.integer("points_per_epoch", points_per_epoch, low=1)
    seed = check.integer("seed", seed, low=0)
    total = max(1, round(epochs * n))
    draws = np.unique(
        np.round(np.linspace(0, total, round(epochs * points_per_epoch) + 1)).astype(np.int64)
    )
    streams = batch_indices_per_seed(n, 1, total, scheme, range(seed, seed + replicates))
    seen = np.stack([coverage_curve(s.ravel(), n, draws) for s in streams])
    return draws, seen


def coverage_after(n: int, draws: ArrayLike, scheme: str) -> np.ndarray | float:
    r"""Expected fraction of the n samples seen after ``draws`` draws (whole numbers >= 0) under
    one of :data:`helpers.sampling.SCHEMES`.

    * ``"with_replacement"``: :math:`1 - (1 - 1/n)^{t}` (``-expm1(t * log1p(-1/n))``); after
      E epochs (t = nE) it tends to :math:`1 - e^{-E}`.
    * the schemes without replacement: :math:`\min(t/n, 1)`, since no sample repeats before
      all n have been seen.
    """
    n = check.integer("n", n, low=1)
    check.one_of("scheme", scheme, SCHEMES)
    t = check.as_finite_array("draws", draws)
    if np.any(t < 0) or np.any(t != np.floor(t)):
        raise ValueError(f"draws must be whole numbers >= 0, got {draws!r}")
    if scheme != "with_replacement":
        return _out(np.minimum(t / n, 1.0))
    if n == 1:
        return _out(np.where(t >= 1, 1.0, 0.0))
    return _out(-np.expm1(t * _log_miss(np.float64(n))))


def mean_ci95(samples: ArrayLike, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Mean over ``axis`` and the half-width of its Student-t 95% confidence interval,
    ``t_{m-1, 0.975} * std / sqrt(m)`` (sample standard deviation, m replicates; needs m >= 2;
    the factor is 2.09 for 20 replicates and 1.96 to three digits beyond about 1,000)."""
    from scipy.stats import t as student_t

    x = check.as_finite_array("samples", samples)
    if x.ndim == 0:
        raise ValueError(f"samples must hold >= 2 replicates along axis {axis}, got {x.shape}")
    axis = check.integer("axis", axis, low=-x.ndim, high=x.ndim - 1)
    if x.shape[axis] < 2:
        raise ValueError(f"samples must hold >= 2 replicates along axis {axis}, got {x.shape}")
    m = x.shape[axis]
    factor = float(student_t.ppf(0.975, m - 1))
    return x.mean(axis=axis), factor * x.std(axis=axis, ddof=1) / math.sqrt(m)


def epochs_over_seeds(n: int, replicates: int, seeds) -> list[EpochCounts]:
    """:func:`monte_carlo_epoch` once per seed (``replicates`` epochs each): the per-seed
    simulations a verdict over seeds rests on."""
    seeds = check.seeds("seeds", seeds)
    return [monte_carlo_epoch(n, replicates, seed) for seed in seeds]


def coupon_monte_carlo(
    n: int, replicates: int, seed: int = 0, scheme: str = "with_replacement"
) -> np.ndarray:
    """Draws until every one of the n samples has been drawn at least once, simulated
    ``replicates`` times under ``scheme``: an integer array of shape ``(replicates,)``.

    With replacement the draws come in blocks of n per unfinished replicate (one
    ``rng.integers`` call per block); the first position of each sample within a block comes
    from ``np.minimum.at``, and a replicate finishes in the block where its last unseen samples
    all appear, at the latest of their first positions. Without replacement the draws are
    :func:`helpers.sampling.batch_indices` streams (seeds ``seed, seed+1, ...``), and the answer is
    read off them the same way (it is always exactly n). Same arguments, same result.
    """
    n = check.integer("n", n, low=1)
    replicates = check.integer("replicates", replicates, low=1)
    seed = check.integer("seed", seed, low=0)
    check.one_of("scheme", scheme, SCHEMES)
    if scheme != "with_replacement":
        streams = batch_indices_per_seed(n, 1, n, scheme, range(seed, seed + replicates))
        return np.array([_finish_time(s.ravel(), n) for s in streams])
    rng = np.random.default_rng(seed)
    seen = np.zeros((replicates, n), dtype=bool)
    done = np.zeros(replicates, dtype=np.int64)
    active = np.arange(replicates)
    start = 0
    positions = np.arange(n)
    while active.size:
        block = rng.integers(0, n, size=(active.size, n))
        first = np.full(active.size * n, n, dtype=np.int64)
        offsets = (np.arange(active.size, dtype=np.int64) * n)[:, None]
        np.minimum.at(first, (block + offsets).ravel(), np.tile(positions, active.size))
        first = first.reshape(active.size, n)
        unseen = ~seen[active]
        appear = first < n
        finished = np.all(appear | ~unseen, axis=1)
        last = np.max(np.where(unseen, first, -1), axis=1)
        done[active[finished]] = start + last[finished] + 1
        seen[active] |= appear
        active = active[~finished]
        start += n
    return done


def _finish_time(stream: np.ndarray, n: int) -> int:
    """1 + the position at which the last of the n samples first appears in ``stream``."""
    values, first = np.unique(stream, return_index=True)
    if values.size < n:
        raise ValueError("stream does not contain every sample")
    return int(first.max()) + 1
