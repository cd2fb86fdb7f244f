r"""SGD under the four sampling schemes, many seeds and step sizes in one vectorized run.

:func:`run_schemes` runs plain SGD :math:`w \leftarrow w - \gamma_k \nabla f_{B_t}(w)` on a
:class:`~helpers.problems.least_squares.LeastSquares` problem for every combination of sampling scheme
(:data:`helpers.sampling.SCHEMES`), base step size and seed. Each (scheme, seed) has its own
minibatch sequence, :func:`helpers.sampling.batch_indices` with that seed (the same sequence for
every step size, so step sizes are compared on common random numbers), and all configurations
advance together as one ``(schemes, step sizes, seeds, d)`` array: one Python loop over steps,
a few numpy calls per step. :func:`helpers.train.run`, by contrast, feeds one minibatch sequence
to all its configurations.

Step sizes: in epoch k (k = 0, 1, ...) the step is :math:`\gamma_k = \gamma_0` (constant) or
:math:`\gamma_k = \gamma_0 / (1 + k / k_0)` (``decay_epochs`` :math:`= k_0`), the classic
:math:`O(1/k)` decay. With :math:`a = \gamma_0 n \mu k_0` (so :math:`\gamma_k \approx a/(\mu n k)`
late on), the textbook rates below need :math:`a` large enough (a > 1/2 for sampling with
replacement; a > 3/2 for the shuffled schemes' :math:`1/(nK)^2 + 1/(nK^3)` on quadratics).

Recorded: :math:`f - f^*` (exact, :meth:`LeastSquares.suboptimality`) at every epoch end and,
with ``iterate_last``, after *every step* of the last epochs, averaged by position in the epoch
(:attr:`SchemeRuns.position_mean`): the epoch-end values of reshuffling sit far below its
mid-epoch ones, so "the noise floor" depends on where it is measured. A
configuration whose :math:`f - f^*` becomes non-finite or exceeds ``blowup * max(1, f(w0) - f*)``
is stopped and marked diverged (later entries NaN), never a crash.

Theory for smooth strongly convex finite sums after K epochs (:data:`THEORY`):

* with replacement: :math:`O(1/(nK))`, i.e. :math:`O(1/T)` in the T = nK steps;
* random reshuffling: :math:`\tilde O(1/(nK^2))` (Nagaraj, Jain, Netrapalli 2019,
  arXiv:1903.01463; Mishchenko, Khaled, Richtarik 2020, arXiv:2006.05988); on *quadratics* the
  sharper :math:`\tilde O(1/(nK)^2 + 1/(nK^3))` (Rajput, Gupta, Papailiopoulos 2020; a matching
  lower bound by Safran and Shamir 2020), whose :math:`K`-slope is -3 while the second term
  dominates (K < n, up to constants) and -2 beyond;
* shuffle once: :math:`\tilde O(1/(nK^2))` (Mishchenko et al.; lower bound Safran and Shamir);
* fixed order (incremental gradient): :math:`O(1/K^2)`, no gain from n (Safran and Shamir's
  lower bound; Mishchenko et al.'s upper bound).

With a constant step :math:`\gamma` the iterates stall at a noise floor instead. With
replacement it is :math:`E[f - f^*] \approx \gamma\sigma_*^2/4` for small :math:`\gamma` (batch
size 1), proportional to :math:`\gamma`. Without replacement the gradients of an epoch sum to
the full gradient, and on a quadratic one epoch of random reshuffling is
:math:`e_{k+1} \approx (I - \gamma n H) e_k + \gamma^2 \sum_{i<j} H_{\pi_j} g_{\pi_i}`: a mean
bias worth :math:`\frac{\gamma^2}{8} m^\top H^{-1} m` (:math:`m = \frac1n\sum_i H_i g_i`) plus
fluctuations of order :math:`\gamma^3 n^2`, so a floor of slope 2 in :math:`\gamma` as
:math:`\gamma \to 0` and up to 3 while :math:`\gamma \gtrsim 1/(n^2\mu)` (Ying, Yuan, Vlaski,
Sayed 2019, arXiv:1803.07964: :math:`O(\gamma^2)` against :math:`O(\gamma)`). Shuffle once and a
fixed order keep one permutation's bias: floors of order :math:`\gamma^2 n` and up to
:math:`\gamma^2 n^2` (:data:`FLOOR_SLOPE`). Substituting :math:`\gamma \approx a/(\mu n K)` into
these floors gives the rates above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.fits import loglog_slope
from helpers.problems.least_squares import LeastSquares
from helpers.sampling import SCHEMES, batch_indices_per_seed

__all__ = [
    "FLOOR_SLOPE",
    "RATE_SLOPE",
    "SCHEME_LABELS",
    "THEORY",
    "SchemeRuns",
    "bootstrap_slope",
    "loglog_slope",
    "predicted_floor",
    "rounding_level",
    "run_schemes",
    "t_interval",
]

SCHEME_LABELS = {
    "with_replacement": "with replacement",
    "random_reshuffling": "random reshuffling",
    "shuffle_once": "shuffle once",
    "fixed": "fixed order",
}

THEORY = {
    "with_replacement": "1/(nK)",
    "random_reshuffling": "1/(nK^2); quadratics 1/(nK)^2 + 1/(nK^3)",
    "shuffle_once": "1/(nK^2)",
    "fixed": "1/K^2",
}
"""Rate of E[f - f*] after K epochs with a decaying step, per scheme (see the module doc)."""

RATE_SLOPE = {
    "with_replacement": -1.0,
    "random_reshuffling": -2.0,
    "shuffle_once": -2.0,
    "fixed": -2.0,
}
"""Log-log slope in K of the rates in :data:`THEORY` (random reshuffling: the general bound's;
on a quadratic it is steeper, -3, while K < n)."""

FLOOR_SLOPE = {
    "with_replacement": 1.0,
    "random_reshuffling": 2.0,
    "shuffle_once": 2.0,
    "fixed": 2.0,
}
"""Log-log slope in the step size of the constant-step noise floor, per scheme."""


def _level(level) -> float:
    """A confidence level in (0, 1)."""
    level = check.number("level", level, above=0)
    if level >= 1:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    return level


def _fraction(name: str, value) -> float:
    """One number in (0, 1] (a fraction of the epochs)."""
    return float(check.fraction(name, check.as_finite_array(name, value, ndim=(0,))))


def _window(window, high: int | None = None) -> tuple[int, int]:
    """``(first, last)`` epochs with ``1 <= first < last`` (``<= high``)."""
    if not isinstance(window, tuple | list) or len(window) != 2:
        raise TypeError(f"window must be a pair (first, last) of epochs, got {window!r:.80}")
    first = check.integer("window", window[0], low=1)
    last = check.integer("window", window[1], low=first + 1, high=high)
    return first, last


def t_interval(values: ArrayLike, level: float = 0.95, axis: int = 0) -> tuple:
    r"""Mean and half-width of the Student-t confidence interval of the mean over ``axis``:
    :math:`\bar x \pm t_{m-1,\,(1+\text{level})/2}\, s/\sqrt m` for m >= 2 values (with 8 seeds
    the factor is :math:`t_{7,0.975} = 2.36`, not 1.96).

    Example:
        >>> mean, half = t_interval([1.0, 2.0, 3.0])
        >>> float(mean), round(float(half), 3)
        (2.0, 2.484)
    """
    from scipy.stats import t as student_t

    x = check.results("values", values)
    level = _level(level)
    if x.ndim == 0:
        raise ValueError(f"values must hold >= 2 entries along axis {axis}, got shape {x.shape}")
    axis = check.integer("axis", axis, low=-x.ndim, high=x.ndim - 1)
    if x.shape[axis] < 2:
        raise ValueError(f"values must hold >= 2 entries along axis {axis}, got shape {x.shape}")
    m = x.shape[axis]
    half = student_t.ppf((1 + level) / 2, m - 1) * x.std(axis=axis, ddof=1) / np.sqrt(m)
    return x.mean(axis=axis), half


def bootstrap_slope(
    x: ArrayLike,
    per_seed: ArrayLike,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float, float]:
    r"""Log-log slope of the seed mean of ``per_seed`` (shape ``(seeds, len(x))``, > 0) against
    ``x``, with a percentile-bootstrap interval over seeds: ``resamples`` times, draw the seeds
    with replacement (``default_rng(seed)``), average, refit. Returns ``(slope, low, high)``.
    Resampled means and fits are matrix products (vectorized over the resamples).

    Example:
        >>> x = np.arange(1.0, 11.0)
        >>> y = np.array([x**-2.0 * (1 + 0.01 * s) for s in range(8)])
        >>> [round(v, 6) for v in bootstrap_slope(x, y, resamples=50)]
        [-2.0, -2.0, -2.0]
    """
    lx = np.log(check.positive("x", x))
    y = check.positive("per_seed", per_seed)
    if lx.ndim != 1 or y.ndim != 2 or y.shape[1] != lx.size or y.shape[0] < 2 or lx.size < 2:
        raise ValueError(
            f"per_seed must have shape (seeds >= 2, {lx.size}) for x of that length, got {y.shape}"
        )
    resamples = check.integer("resamples", resamples, low=10)
    level = _level(level)
    lx = lx - lx.mean()
    if not np.any(lx):
        raise ValueError("x must hold at least two distinct values")

    def slopes(means: np.ndarray) -> np.ndarray:
        ly = np.log(means)
        return (ly - ly.mean(axis=-1, keepdims=True)) @ lx / (lx @ lx)

    rng = np.random.default_rng(check.integer("seed", seed, low=0))
    seeds = y.shape[0]
    picks = rng.integers(0, seeds, size=(resamples, seeds))
    weights = np.zeros((resamples, seeds))
    np.add.at(weights, (np.arange(resamples)[:, None], picks), 1.0 / seeds)
    boot = slopes(weights @ y)  # the resampled seed means, one matrix product
    low, high = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2])
    return float(slopes(y.mean(axis=0))), float(low), float(high)


@dataclass(frozen=True)
class SchemeRuns:
    r"""Result of :func:`run_schemes`.

    ``subopt[s, g, r, k]`` is :math:`f - f^*` after epoch k (k = 0 is the start) for scheme
    ``schemes[s]``, base step ``lrs[g]`` and seed ``seeds[r]``; NaN after a divergence.
    ``diverged_at[s, g, r]`` is the epoch at which it was detected (-1 if never).
    With ``iterate_last`` (:func:`run_schemes`), ``position_mean[s, g, r, p]`` is the mean of
    :math:`f - f^*` after step p + 1 of each epoch, over the same last epochs as
    :meth:`floor_per_seed` (``last = iterate_last``); ``p = steps per epoch - 1`` is the epoch
    end, so its column equals ``floor_per_seed(iterate_last)``. None otherwise.
    """

    schemes: tuple[str, ...]
    lrs: np.ndarray
    seeds: tuple[int, ...]
    n: int
    batch_size: int
    decay_epochs: float | None
    subopt: np.ndarray
    diverged_at: np.ndarray
    iterate_last: float | None = None
    position_mean: np.ndarray | None = None

    def __post_init__(self) -> None:
        schemes = check.texts("schemes", self.schemes)
        if not isinstance(self.schemes, tuple) or not schemes:
            raise TypeError(
                f"schemes must be a non-empty tuple of scheme names, got {self.schemes!r}"
            )
        for scheme in schemes:
            check.one_of("schemes", scheme, SCHEMES)
        check.instance("lrs", self.lrs, np.ndarray, "a 1-D array of step sizes")
        lrs = check.positive("lrs", check.as_finite_array("lrs", self.lrs, ndim=(1,)))
        if lrs.size == 0:
            raise ValueError("lrs must hold at least one step size, got none")
        if not isinstance(self.seeds, tuple):
            raise TypeError(f"seeds must be a tuple of integer seeds, got {self.seeds!r:.80}")
        seeds = check.seeds("seeds", self.seeds)
        n = check.integer("n", self.n, low=1)
        check.integer("batch_size", self.batch_size, low=1, high=n)
        if self.decay_epochs is not None:
            check.number("decay_epochs", self.decay_epochs, above=0)
        shape = (len(schemes), lrs.size, len(seeds))
        subopt = check.instance("subopt", self.subopt, np.ndarray, "an array of f - f*")
        subopt = check.real_array("subopt", subopt)
        if subopt.ndim != 4 or subopt.shape[:3] != shape or subopt.shape[3] < 1:
            raise ValueError(
                f"subopt must have shape (len(schemes), len(lrs), len(seeds)) = {shape} + (epochs + 1,), got {subopt.shape}"
            )
        if np.any(np.isinf(subopt)):
            raise ValueError("subopt must hold finite f - f*, NaN after a divergence (no inf)")
        check.instance("diverged_at", self.diverged_at, np.ndarray, "an integer array")
        diverged_at = check.integers("diverged_at", self.diverged_at, low=-1)
        if diverged_at.shape != shape:
            raise ValueError(f"diverged_at must have shape {shape}, got {diverged_at.shape}")
        if self.iterate_last is not None:
            _fraction("iterate_last", self.iterate_last)
        if self.position_mean is not None:
            check.instance("position_mean", self.position_mean, np.ndarray, "an array")
            mean = check.real_array("position_mean", self.position_mean)
            if (
                mean.ndim != 4
                or mean.shape[:3] != shape
                or mean.shape[3] == 0
                or np.any(np.isinf(mean))
            ):
                raise ValueError(
                    f"position_mean must have shape {shape} + (positions,), finite or NaN"
                )

    @property
    def epochs(self) -> np.ndarray:
        """Epoch numbers ``0..K`` of the recorded values."""
        return np.arange(self.subopt.shape[-1])

    @property
    def diverged(self) -> np.ndarray:
        """``(schemes, lrs, seeds)`` bools."""
        return self.diverged_at >= 0

    def scheme_index(self, scheme: str) -> int:
        """Position of ``scheme`` in :attr:`schemes`."""
        check.one_of("scheme", scheme, self.schemes)
        return self.schemes.index(scheme)

    def lr_index(self, lr: float) -> int:
        """Position of the base step ``lr`` in :attr:`lrs`."""
        lr = check.number("lr", lr, above=0)
        hits = np.flatnonzero(np.isclose(self.lrs, lr, rtol=1e-12, atol=0))
        if hits.size == 0:
            raise ValueError(f"lr must be one of {self.lrs.tolist()}, got {lr!r}")
        return int(hits[0])

    def curves(self, scheme: str, lr: float) -> np.ndarray:
        """``(seeds, K+1)`` values of :math:`f - f^*` for one scheme and step size."""
        return self.subopt[self.scheme_index(scheme), self.lr_index(lr)]

    def mean(self) -> np.ndarray:
        """Mean over seeds, ``(schemes, lrs, K+1)``; NaN wherever a seed had diverged."""
        return self.subopt.mean(axis=2)

    def band(self, low: float = 0.1, high: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
        """Quantiles ``low`` and ``high`` over seeds, each ``(schemes, lrs, K+1)``."""
        low = float(
            check.in_unit_interval(
                "low", check.as_finite_array("low", low, ndim=(0,)), closed_right=True
            )
        )
        high = float(
            check.in_unit_interval(
                "high", check.as_finite_array("high", high, ndim=(0,)), closed_right=True
            )
        )
        if low > high:
            raise ValueError(f"low must be <= high, got {low} > {high}")
        return np.quantile(self.subopt, low, axis=2), np.quantile(self.subopt, high, axis=2)

    def floor(self, last: float = 0.5) -> np.ndarray:
        """The noise floor: mean of :math:`f - f^*` over seeds and over the last ``last`` fraction
        of the epochs, ``(schemes, lrs)``; NaN where a run diverged."""
        return self.floor_per_seed(last).mean(axis=2)

    def floor_per_seed(self, last: float = 0.5) -> np.ndarray:
        """Each seed's noise floor: mean of :math:`f - f^*` over the last ``last`` fraction of the
        epochs, ``(schemes, lrs, seeds)``; NaN where that run diverged."""
        return self.subopt[..., self._floor_start(_fraction("last", last)) :].mean(axis=3)

    def _floor_start(self, last: float) -> int:
        """The first epoch of the floor's window (:func:`_window_start`)."""
        return _window_start(self.subopt.shape[-1] - 1, last)

    def iterate_floor_per_seed(self) -> np.ndarray:
        """Each seed's all-iterate noise floor: mean of :math:`f - f^*` after *every* step of the
        last ``iterate_last`` fraction of the epochs, ``(schemes, lrs, seeds)``; NaN where that
        run diverged. Needs :func:`run_schemes` with ``iterate_last``."""
        if self.position_mean is None:
            raise ValueError("iterate floors need run_schemes(..., iterate_last=...)")
        return self.position_mean.mean(axis=3)

    def iterate_floor(self) -> np.ndarray:
        """Mean over seeds of :meth:`iterate_floor_per_seed`, ``(schemes, lrs)``."""
        return self.iterate_floor_per_seed().mean(axis=2)

    def iterate_floor_slope(self, scheme: str) -> float:
        """Log-log slope of :meth:`iterate_floor` against the step size (NaN if a run
        diverged)."""
        check.one_of("scheme", scheme, self.schemes)
        if self.lrs.size < 2:
            raise ValueError("iterate_floor_slope needs runs with at least two step sizes")
        floors = self.iterate_floor()[self.scheme_index(scheme)]
        if not np.all(np.isfinite(floors)):
            return float("nan")
        return loglog_slope(self.lrs, floors)

    def rate_slope(self, scheme: str, window: tuple[int, int], lr: float | None = None) -> float:
        """Log-log slope of the seed-mean :math:`f - f^*` against the epoch K, fitted over the
        epochs ``window[0] <= K <= window[1]`` (1 <= window[0] < window[1] <= K_max). ``lr``
        may be omitted when the run has one step size. NaN if a run diverged."""
        check.one_of("scheme", scheme, self.schemes)
        first, last = _window(window, high=self.subopt.shape[-1] - 1)
        if lr is None:
            if self.lrs.size != 1:
                raise ValueError("lr must be given when the runs hold several step sizes")
            lr = float(self.lrs[0])
        curve = self.mean()[self.scheme_index(scheme), self.lr_index(lr), first : last + 1]
        if not np.all(np.isfinite(curve)):
            return float("nan")
        return loglog_slope(np.arange(first, last + 1), curve)

    def floor_slope(self, scheme: str, last: float = 0.5) -> float:
        """Log-log slope of the noise floor (:meth:`floor`) against the step size over all
        :attr:`lrs` (>= 2 of them); NaN if a run diverged."""
        check.one_of("scheme", scheme, self.schemes)
        _fraction("last", last)
        if self.lrs.size < 2:
            raise ValueError("floor_slope needs runs with at least two step sizes")
        floors = self.floor(last)[self.scheme_index(scheme)]
        if not np.all(np.isfinite(floors)):
            return float("nan")
        return loglog_slope(self.lrs, floors)


def rounding_level(problem: LeastSquares, ulps: float = 100.0) -> float:
    r"""The :math:`f - f^*` of an iterate ``ulps`` units in the last place from :math:`w^*` in
    every coordinate, :math:`\tfrac12 s^\top H s` with :math:`s = \text{ulps} \cdot
    \text{spacing}(|w^*|)`: below it, a run's :math:`f - f^*` is rounding, not a noise floor
    (a full-batch run at a stable step ends there; ``suboptimality`` computes exactly this
    quadratic form, so a 1-ulp error gives about 1e-33 on the notebook's problems).

    Example:
        >>> from helpers.lessons.sampling.explorer import sorted_problem
        >>> 1e-30 < rounding_level(sorted_problem(32)) < 1e-27
        True
    """
    if not isinstance(problem, LeastSquares):
        raise ValueError(f"problem must be a LeastSquares instance, got {type(problem).__name__}")
    ulps = check.number("ulps", ulps, above=0)
    step = ulps * np.spacing(np.abs(problem.minimizer))
    return float(0.5 * step @ problem.H @ step)


def predicted_floor(problem: LeastSquares, lrs: ArrayLike, scheme: str) -> np.ndarray:
    r"""Small-step predictions of the constant-step noise floor (batch size 1), see the module doc.

    * ``"with_replacement"``: :math:`\gamma\sigma_*^2/4`, the stationary solution of the
      Lyapunov equation :math:`H\Sigma + \Sigma H = \gamma\,\mathrm{Cov}[\nabla f_i(w^*)]`,
      :math:`E[f - f^*] = \tfrac12\operatorname{tr}(H\Sigma)`;
    * ``"random_reshuffling"``: the bias term :math:`\frac{\gamma^2}{8} m^\top H^{-1} m` with
      :math:`m = \frac1n\sum_i \nabla^2 f_i\, \nabla f_i(w^*)`, the limit as
      :math:`\gamma \to 0` (the :math:`\gamma^3 n^2` fluctuations come on top).
    """
    if not isinstance(problem, LeastSquares):
        raise ValueError(f"problem must be a LeastSquares instance, got {type(problem).__name__}")
    lrs = check.positive("lrs", check.as_finite_array("lrs", lrs, ndim=(0, 1)))
    if lrs.size == 0:
        raise ValueError("lrs must hold at least one step size, got none")
    check.one_of("scheme", scheme, ("with_replacement", "random_reshuffling"))
    if scheme == "with_replacement":
        return lrs * problem.sigma_star_sq / 4
    X = problem.X
    g = (X @ problem.minimizer - problem.y)[:, None] * X + problem.l2 * problem.minimizer
    m = np.mean(np.sum(X * g, axis=1)[:, None] * X + problem.l2 * g, axis=0)  # mean H_i g_i
    return lrs**2 * float(m @ np.linalg.solve(problem.H, m)) / 8


def _window_start(epochs: int, last: float) -> int:
    """The first epoch (1-based) of the last ``last`` fraction of ``epochs`` epochs: where a
    floor's window starts (:meth:`SchemeRuns.floor`, the per-step floors of ``iterate_last``)."""
    return min(epochs, int(np.floor((1 - last) * epochs)) + 1)


def _step(w: np.ndarray, lr: np.ndarray, Xb: np.ndarray, yb: np.ndarray, l2: float) -> None:
    """One SGD step of every run at once, in place (shown in notebook 3): ``w[s, g, r]`` moves
    against the gradient of its own minibatch, rows ``Xb[s, g, r]`` (``(b, d)``) and targets
    ``yb[s, g, r]``, of ridge least squares ``mean_i (x_i.w - y_i)^2 / 2 + l2 |w|^2 / 2``."""
    r = np.einsum("...bd,...d->...b", Xb, w) - yb  # residuals x_i.w - y_i of the minibatch
    grad = np.einsum("...b,...bd->...d", r, Xb)  # sum over the minibatch of r_i x_i
    if Xb.shape[-2] > 1:
        grad /= Xb.shape[-2]
    grad += l2 * w
    w -= lr * grad


GATHER_BYTES = 1 << 20
"""``run_schemes`` gathers the minibatches' rows of about this many bytes of steps at a time
(one indexing call for many steps, in cache, rather than one per step)."""


def run_schemes(
    problem: LeastSquares,
    w0: ArrayLike,
    epochs: int,
    lrs: ArrayLike,
    schemes: tuple[str, ...] = SCHEMES,
    seeds: ArrayLike = tuple(range(10)),
    batch_size: int = 1,
    decay_epochs: float | None = None,
    blowup: float = 1e6,
    iterate_last: float | None = None,
) -> SchemeRuns:
    """SGD on ``problem`` from ``w0`` for ``epochs`` epochs, for every (scheme, step, seed).

    Args:
        problem: a :class:`~helpers.problems.least_squares.LeastSquares` instance.
        w0: start, shape ``(d,)``, shared by all configurations.
        epochs: number of epochs K (>= 1); an epoch is n draws, i.e. ``n // batch_size`` steps
            when ``batch_size`` divides n (otherwise batches straddle epochs and f - f* is
            recorded after the step that completes ``k * n`` draws, rounded down).
        lrs: base step sizes :math:`\\gamma_0` (> 0), a number or 1-D array.
        schemes: subset of :data:`helpers.sampling.SCHEMES`.
        seeds: distinct seeds (>= 0); the fixed order ignores them (all its seeds coincide).
        batch_size: samples per step, in [1, n].
        decay_epochs: None for a constant step, else :math:`k_0 > 0` in
            :math:`\\gamma_k = \\gamma_0/(1 + k/k_0)`.
        blowup: a run diverged once f - f* exceeds ``blowup * max(1, f(w0) - f*)`` (> 1).
        iterate_last: None, or a fraction in (0, 1]: also record f - f* after every step of the
            epochs that :meth:`SchemeRuns.floor_per_seed` averages for ``last = iterate_last``,
            averaged by position in the epoch (:attr:`SchemeRuns.position_mean`); needs
            ``batch_size`` to divide n.
    """
    if not isinstance(problem, LeastSquares):
        raise ValueError(f"problem must be a LeastSquares instance, got {type(problem).__name__}")
    n, d = problem.n_samples, problem.d
    w0 = check.as_finite_array("w0", w0, ndim=(1,))
    if w0.shape != (d,):
        raise ValueError(f"w0 must have shape ({d},), got {w0.shape}")
    epochs = check.integer("epochs", epochs, low=1)
    lrs = np.atleast_1d(check.positive("lrs", lrs))
    if lrs.ndim != 1 or lrs.size == 0 or np.unique(lrs).size != lrs.size:
        raise ValueError(f"lrs must be a number or a 1-D array of distinct steps, got {lrs!r}")
    schemes = check.texts("schemes", schemes)
    if not schemes or len(set(schemes)) != len(schemes):
        raise ValueError(f"schemes must name distinct schemes, at least one, got {schemes!r}")
    for s in schemes:
        check.one_of("schemes", s, SCHEMES)
    check.seeds("seeds", seeds)
    batch_size = check.integer("batch_size", batch_size, low=1, high=n)
    if decay_epochs is not None:
        decay_epochs = check.number("decay_epochs", decay_epochs, above=0)
    blowup = check.number("blowup", blowup, above=1)
    if iterate_last is not None:
        iterate_last = _fraction("iterate_last", iterate_last)
        if n % batch_size:
            raise ValueError(
                f"iterate_last needs batch_size to divide n = {n}, got batch_size {batch_size}"
            )

    steps = epochs * n // batch_size
    record_at = np.arange(epochs + 1) * n // batch_size  # steps completed at each epoch end
    # (steps, schemes, 1, seeds, batch): each step's minibatches, contiguous per step.
    per_scheme = [batch_indices_per_seed(n, batch_size, steps, s, seeds) for s in schemes]
    idx = np.ascontiguousarray(np.stack(per_scheme).transpose(2, 0, 1, 3)[:, :, None])
    seed_list = [int(s) for s in np.atleast_1d(np.asarray(seeds, dtype=object)).tolist()]  # checked
    epoch_of_step = np.arange(steps) * batch_size // n
    factor = 1.0 if decay_epochs is None else 1.0 / (1.0 + epoch_of_step / decay_epochs)
    step_lr = (np.broadcast_to(factor, (steps,))[:, None] * lrs[None, :])[:, None, :, None, None]

    shape = (len(schemes), lrs.size, len(seed_list))
    w = np.broadcast_to(w0, (*shape, d)).copy()
    subopt = np.full((*shape, epochs + 1), np.nan)
    diverged_at = np.full(shape, -1)
    start = problem.suboptimality(w0)
    subopt[..., 0] = start
    limit = blowup * max(1.0, start)
    alive = np.ones(shape, dtype=bool)
    per_epoch = n // batch_size
    position_sum = None
    first_step = steps  # no per-step recording
    if iterate_last is not None:
        first_epoch = _window_start(epochs, iterate_last)  # 1-based
        first_step = (first_epoch - 1) * per_epoch
        position_sum = np.zeros((*shape, per_epoch))
    k = 1
    X, y, l2 = problem.X, problem.y, problem.l2
    chunk = max(1, GATHER_BYTES // (idx[0].size * d * X.itemsize))
    record_at = record_at.tolist()  # Python ints: the per-step comparison is the cheap one
    with np.errstate(all="ignore"):
        for t in range(steps):
            if t % chunk == 0:
                Xg, yg = X[idx[t : t + chunk]], y[idx[t : t + chunk]]
            _step(w, step_lr[t], Xg[t % chunk], yg[t % chunk], l2)
            if t >= first_step:
                position_sum[..., (t - first_step) % per_epoch] += problem.suboptimality(w)
            # At most one record per step (record_at rises by n // batch_size >= 1), and
            # k <= epochs here: the loop ends at the step of record_at[epochs].
            if record_at[k] != t + 1:
                continue
            value = problem.suboptimality(w)
            # Both ways: f - f* far below 0 is as wrong as far above.
            bad = alive & ~(np.isfinite(value) & (np.abs(value) <= limit))
            diverged_at[bad] = k
            alive &= ~bad
            subopt[..., k] = np.where(alive, value, np.nan)
            w[~alive] = problem.minimizer  # keep stopped runs finite (their values are NaN)
            k += 1
            if not alive.any():  # every run stopped (only ever at a record): the rest stay NaN
                break
    position_mean = None
    if position_sum is not None:
        position_mean = position_sum / ((steps - first_step) // per_epoch)
        position_mean[diverged_at >= 0] = np.nan
    return SchemeRuns(
        schemes,
        lrs,
        tuple(seed_list),
        n,
        batch_size,
        decay_epochs,
        subopt,
        diverged_at,
        iterate_last,
        position_mean,
    )
