r"""The variance of a minibatch gradient, with vs without replacement, measured on a problem's
per-example gradients.

For per-example gradients :math:`g_1, \dots, g_n` with mean :math:`\bar g` and population
covariance :math:`\Sigma = \frac1n \sum_i (g_i - \bar g)(g_i - \bar g)^\top`, the mean
:math:`\bar g_B` of a minibatch of b has

.. math::
    E\|\bar g_B - \bar g\|^2 = \frac{\operatorname{tr}\Sigma}{b}
    \;\text{(with replacement)}, \qquad
    \frac{\operatorname{tr}\Sigma}{b}\,\frac{n - b}{n - 1}
    \;\text{(without)}

(derivation: :func:`helpers.sampling.minibatch_variance_factor`). :func:`measure` estimates
both by Monte Carlo, ``draws`` minibatches per batch size and seed, each seed its own
minibatches; a minibatch without replacement is the first b entries of a random permutation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.problems.least_squares import LeastSquares
from helpers.sampling import minibatch_variance_factor

__all__ = ["MinibatchVariance", "exact_variance", "measure", "per_example_grads"]


def per_example_grads(problem: LeastSquares, w: ArrayLike) -> np.ndarray:
    r"""The n per-example gradients :math:`\nabla f_i(w) = (x_i \cdot w - y_i)\,x_i + \lambda w` of a
    :class:`~helpers.problems.least_squares.LeastSquares` problem, shape ``(n, d)``; their mean
    is ``problem.grad(w)``."""
    check.instance("problem", problem, LeastSquares, "a LeastSquares instance")
    w = check.as_finite_array("w", w, ndim=(1,))
    if w.shape != (problem.d,):
        raise ValueError(f"w must have shape ({problem.d},), got {w.shape}")
    return (problem.X @ w - problem.y)[:, None] * problem.X + problem.l2 * w


def _grads(grads) -> np.ndarray:
    """Per-example gradients: a finite (n >= 2, d >= 1) array."""
    g = check.as_finite_array("grads", grads, ndim=(2,))
    if g.shape[0] < 2 or g.shape[1] < 1:
        raise ValueError(
            f"grads must hold at least 2 per-example gradients of d >= 1, got {g.shape}"
        )
    return g


def exact_variance(grads: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`E\|\bar g_B - \bar g\|^2` for batch sizes ``b``: ``(with replacement, without)``,
    i.e. :math:`\operatorname{tr}\Sigma/b` and that times :math:`(n - b)/(n - 1)`."""
    g = _grads(grads)
    n = g.shape[0]
    b = np.atleast_1d(check.integers("b", b, low=1))
    if b.ndim != 1 or np.any(b > n):
        raise ValueError(f"b must be a number or 1-D array of batch sizes in [1, {n}], got {b!r}")
    trace = float(np.sum((g - g.mean(axis=0)) ** 2) / n)
    with_repl = trace / b
    return with_repl, with_repl * minibatch_variance_factor(n, b)


@dataclass(frozen=True)
class MinibatchVariance:
    """Result of :func:`measure`: for seed s and batch size ``bs[j]``, ``with_repl[s, j]`` and
    ``without[s, j]`` are the mean of :math:`\\|\\bar g_B - \\bar g\\|^2` over ``draws``
    minibatches, ``se_with`` / ``se_without`` their standard errors (sd / sqrt(draws)), and
    ``exact_with`` / ``exact_without`` the formulas."""

    n: int
    bs: np.ndarray
    seeds: tuple[int, ...]
    draws: int
    with_repl: np.ndarray
    without: np.ndarray
    se_with: np.ndarray
    se_without: np.ndarray
    exact_with: np.ndarray
    exact_without: np.ndarray

    def __post_init__(self) -> None:
        n = check.integer("n", self.n, low=2)
        check.instance("bs", self.bs, np.ndarray, "a 1-D integer array of batch sizes")
        bs = check.integers("bs", self.bs, low=1)
        if bs.ndim != 1 or np.any(bs > n):
            raise ValueError(f"bs must be a 1-D array of batch sizes in [1, {n}], got {self.bs!r}")
        if not isinstance(self.seeds, tuple):
            raise TypeError(f"seeds must be a tuple of integer seeds, got {self.seeds!r:.80}")
        seeds = check.seeds("seeds", self.seeds)
        check.integer("draws", self.draws, low=2)
        for name, shape in (
            ("with_repl", (len(seeds), bs.size)),
            ("without", (len(seeds), bs.size)),
            ("se_with", (len(seeds), bs.size)),
            ("se_without", (len(seeds), bs.size)),
            ("exact_with", (bs.size,)),
            ("exact_without", (bs.size,)),
        ):
            value = check.instance(
                name, getattr(self, name), np.ndarray, f"an array of shape {shape}"
            )
            value = check.as_finite_array(name, value)
            if value.shape != shape or np.any(value < 0):
                raise ValueError(
                    f"{name} must have shape {shape} (seeds, len(bs)), entries >= 0, got {value.shape}"
                )

    @property
    def ratio(self) -> np.ndarray:
        """Measured without / with, per seed and batch size, ``(S, len(bs))``."""
        return self.without / self.with_repl

    @property
    def factor(self) -> np.ndarray:
        """The exact ratio :math:`(n - b)/(n - 1)`."""
        return minibatch_variance_factor(self.n, self.bs)

    def z(self) -> tuple[np.ndarray, np.ndarray]:
        """(measured - exact) / standard error, with and without replacement, ``(S, len(bs))``;
        0 where both the standard error and the deviation vanish (b = n without replacement)."""
        out = []
        for value, se, exact in (
            (self.with_repl, self.se_with, self.exact_with),
            (self.without, self.se_without, self.exact_without),
        ):
            gap = value - exact
            scale = 1e-12 * float(self.exact_with.max())  # rounding of a full-batch mean
            out.append(np.where(np.abs(gap) <= scale, 0.0, gap / np.maximum(se, 1e-300)))
        return out[0], out[1]


def measure(grads: ArrayLike, bs: ArrayLike, draws: int, seeds) -> MinibatchVariance:
    """Monte-Carlo estimate of :math:`E\\|\\bar g_B - \\bar g\\|^2` with and without replacement
    for every batch size in ``bs`` (integers in [1, n]), ``draws`` minibatches per batch size
    and seed (>= 2). Seed s draws its minibatches from ``default_rng(s)``: first ``draws`` random
    permutations (their prefixes are the minibatches without replacement, for every b at once),
    then the indices with replacement, batch size by batch size."""
    g = _grads(grads)
    n = g.shape[0]
    bs = np.atleast_1d(check.integers("bs", bs, low=1))
    if np.any(bs > n) or bs.ndim != 1 or np.unique(bs).size != bs.size:
        raise ValueError(f"bs must be a 1-D array of distinct integers in [1, {n}], got {bs!r}")
    draws = check.integer("draws", draws, low=2)
    seeds = check.seeds("seeds", seeds)
    mean = g.mean(axis=0)
    stats = np.empty((4, len(seeds), bs.size))
    for r, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        perms = rng.permuted(np.tile(np.arange(n), (draws, 1)), axis=1)
        prefix = np.cumsum(g[perms], axis=1)  # (draws, n, d): sums of the first b rows
        for j, b in enumerate(bs.tolist()):
            dev_without = np.sum((prefix[:, b - 1] / b - mean) ** 2, axis=1)
            idx = rng.integers(0, n, size=(draws, b))
            dev_with = np.sum((g[idx].mean(axis=1) - mean) ** 2, axis=1)
            for k, dev in enumerate((dev_with, dev_without)):
                stats[k, r, j] = dev.mean()
                stats[k + 2, r, j] = dev.std(ddof=1) / np.sqrt(draws)
    exact_with, exact_without = exact_variance(g, bs)
    return MinibatchVariance(n, bs, seeds, draws, *stats, exact_with, exact_without)
