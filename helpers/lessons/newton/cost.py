r"""What a Newton step costs: an explicit d x d Hessian against Hessian-vector products (CG).

For logistic regression with n samples and d parameters (:func:`helpers.problems.random_logistic_regression`):

* explicit (primal) Newton forms :math:`H = Z^\top Z + \lambda I`, :math:`Z = D^{1/2} X/\sqrt n`
  (a symmetric product, about :math:`n d^2` flops, with :math:`8 d^2` bytes for H alone) and solves
  :math:`H e = -g` by Cholesky (about :math:`d^3/3` flops);
* the dual (Woodbury) step solves the n x n system :math:`(\lambda I_n + Z Z^\top) u = Z g` instead
  (about :math:`n^2 d + n^3/3 + 4nd` flops) and returns :math:`e = -(g - Z^\top u)/\lambda`: the
  same exact step, cheaper when d > n;
* Newton-CG needs k Hessian-vector products :math:`Hv = X^\top (D (X v)) / n + \lambda v`, each
  about :math:`4 n d` flops (two matrix-vector products with X: as much as one gradient,
  :math:`X^\top(\sigma(Xw) - y)/n`) once D is known (``LogisticRegression.hvp_operator``: one
  more product with X, :math:`2nd`, per direction), plus a handful of length-d vectors
  (:data:`CG_VECTORS`). :func:`counting_products` counts the products with X that code makes.

:func:`measure_step_costs` times the three (fastest of a few runs, BLAS pinned to one thread) and
measures their peak memory with ``tracemalloc``; :func:`helpers.fits.loglog_slope` fits the exponent of a power law. Wall-clock numbers vary
from run to run and machine to machine: the notebook shows them in a cell whose outputs are not
stored, and ``benchmarks/bench_newton.py`` prints them.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from threadpoolctl import threadpool_limits

from helpers import _validate as check
from helpers.fits import loglog_slope
from helpers.newton import newton_direction
from helpers.problems import LogisticRegression, random_logistic_regression
from helpers.timing import fastest

__all__ = [
    "CG_VECTORS",
    "ProductCount",
    "StepCost",
    "cheapest_step",
    "counting_products",
    "dual_newton_flops",
    "explicit_newton_flops",
    "format_bytes",
    "gradient_flops",
    "hessian_bytes",
    "loglog_slope",
    "measure_step_costs",
    "newton_cg_bytes",
    "newton_cg_flops",
    "step_problem",
]

CG_VECTORS = 6
"""Length-d arrays Newton-CG keeps besides the data: w, g, the iterate e, residual r, search
direction p and the product Hp."""


class _CountedMatrix(np.ndarray):
    """An ndarray view that counts the matrix products (``@``, ``np.matmul``) it takes part in."""

    tally: ProductCount | None = None

    def __array_finalize__(self, obj) -> None:
        self.tally = getattr(obj, "tally", None)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc is np.matmul and self.tally is not None:
            self.tally.count += 1
        plain = [x.view(np.ndarray) if isinstance(x, _CountedMatrix) else x for x in inputs]
        return getattr(ufunc, method)(*plain, **kwargs)


@dataclass
class ProductCount:
    """How many matrix products with the data matrix X were made (:func:`counting_products`)."""

    count: int = 0

    def __post_init__(self) -> None:
        check.integer("count", self.count, low=0)


def counting_products(problem: LogisticRegression) -> AbstractContextManager[ProductCount]:
    """Count the matrix products with ``problem.X`` (or ``X.T``, or rows of X) inside the block.

    For a single w each product is one matrix-vector product, :math:`2nd` flops.

    Example:
        >>> problem, w = step_problem(50, n=20)
        >>> with counting_products(problem) as products:
        ...     _ = problem.grad(w)
        >>> products.count  # X w and r^T X
        2
    """
    if not isinstance(problem, LogisticRegression):
        raise TypeError(f"problem must be a LogisticRegression, got {type(problem).__name__}")
    return _counting_products(problem)  # checked now, not when the block is entered


@contextmanager
def _counting_products(problem: LogisticRegression) -> Iterator[ProductCount]:
    original = problem.X
    tally = ProductCount()
    counted = original.view(_CountedMatrix)
    counted.tally = tally
    problem.X = counted
    try:
        yield tally
    finally:
        problem.X = original


def hessian_bytes(d: int) -> int:
    """Bytes of one explicit d x d float64 Hessian: exactly ``8 d^2``."""
    d = check.integer("d", d, low=1)
    return 8 * d * d


def newton_cg_bytes(d: int) -> int:
    """Bytes of the length-d vectors Newton-CG keeps (:data:`CG_VECTORS` of them): ``48 d``."""
    d = check.integer("d", d, low=1)
    return 8 * CG_VECTORS * d


def explicit_newton_flops(n: int, d: int) -> int:
    """Flops of one explicit (primal) Newton step on logistic regression: form H = Z^T Z by a
    symmetric product (``n d^2``) and solve by Cholesky (``d^3 / 3``), leading terms."""
    n, d = check.integer("n", n, low=1), check.integer("d", d, low=1)
    return n * d * d + d**3 // 3


def dual_newton_flops(n: int, d: int) -> int:
    """Flops of one dual (Woodbury) Newton step: form Z Z^T (``n^2 d``), Cholesky of the n x n
    system (``n^3 / 3``), Z g and Z^T u (``4 n d``), leading terms."""
    n, d = check.integer("n", n, low=1), check.integer("d", d, low=1)
    return n * n * d + n**3 // 3 + 4 * n * d


def gradient_flops(n: int, d: int) -> int:
    """Flops of one logistic-regression gradient X^T (sigmoid(X w) - y) / n: ``4 n d``, the same
    two matrix-vector products as one Hessian-vector product."""
    n, d = check.integer("n", n, low=1), check.integer("d", d, low=1)
    return 4 * n * d


def cheapest_step(n: int, d: int, hvps: int) -> str:
    """Which of ``"primal"``, ``"dual"`` and ``"CG"`` (with ``hvps`` products) costs the fewest
    flops for one Newton step, by the counts above (ties go to the exact steps).

    Example:
        >>> cheapest_step(200, 10, 10), cheapest_step(200, 10_000, 14), cheapest_step(200, 10_000, 60)
        ('primal', 'CG', 'dual')
    """
    counts = {
        "primal": explicit_newton_flops(n, d),
        "dual": dual_newton_flops(n, d),
        "CG": newton_cg_flops(n, d, hvps),
    }
    return min(counts, key=lambda k: (counts[k], k == "CG"))


def newton_cg_flops(n: int, d: int, hvps: int) -> int:
    """Flops of ``hvps`` Hessian-vector products on logistic regression, ``4 n d`` each (X v and
    X^T u, with the curvature computed once per direction by ``hvp_operator``, ``2 n d``, which
    the exact steps need as well and so is not counted here), leading terms."""
    n, d = check.integer("n", n, low=1), check.integer("d", d, low=1)
    hvps = check.integer("hvps", hvps, low=0)
    return 4 * n * d * hvps


def format_bytes(count: float) -> str:
    """``count`` bytes in decimal units with 3 significant digits, e.g. ``"800 MB"``, ``"8 TB"``."""
    count = check.number("count", count, at_least=0)
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if count < 1000 or unit == "PB":
            return f"{count:.3g} {unit}"
        count /= 1000
    raise AssertionError("unreachable")


def step_problem(
    d: int, n: int = 200, l2: float = 1e-2, seed: int = 0
) -> tuple[LogisticRegression, np.ndarray]:
    """The problem the cost measurements use at dimension d: ``random_logistic_regression(n, d,
    l2, seed, decay=0.01)`` and a seeded point w ~ N(0, I) at which to take the Newton step."""
    d = check.integer("d", d, low=1)
    n = check.integer("n", n, low=1)
    l2 = check.number("l2", l2, at_least=0)
    seed = check.integer("seed", seed, low=0)
    problem = random_logistic_regression(n, d, l2, seed, decay=0.01)
    return problem, np.random.default_rng(seed).standard_normal(problem.d)


@dataclass(frozen=True)
class StepCost:
    """One Newton direction at dimension d, explicit (primal), dual (Woodbury) and by CG:
    seconds, peak traced bytes (None when memory was not measured) and the Hessian-vector
    products CG used."""

    d: int
    explicit_seconds: float  # NaN when not timed
    cg_seconds: float
    explicit_peak_bytes: int | None
    cg_peak_bytes: int | None
    hvps: int
    dual_seconds: float = float("nan")
    dual_peak_bytes: int | None = None

    def __post_init__(self) -> None:
        check.integer("d", self.d, low=1)
        for name in ("explicit_seconds", "cg_seconds", "dual_seconds"):  # NaN: not timed
            seconds = check.real(name, getattr(self, name))
            if not (np.isnan(seconds) or 0 <= seconds < np.inf):
                raise ValueError(
                    f"{name} must be finite and >= 0, or NaN (not timed), got {seconds}"
                )
        for name in ("explicit_peak_bytes", "cg_peak_bytes", "dual_peak_bytes"):
            if getattr(self, name) is not None:  # None: memory not measured
                check.integer(name, getattr(self, name), low=0)
        check.integer("hvps", self.hvps, low=0)

    @property
    def ratio(self) -> float:
        """explicit time / CG time."""
        return self.explicit_seconds / self.cg_seconds

    @property
    def dual_ratio(self) -> float:
        """dual time / CG time."""
        return self.dual_seconds / self.cg_seconds


def _untimed(fn):
    return fn(), np.nan


def _peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - base


def measure_step_costs(
    ds: ArrayLike,
    n: int = 200,
    l2: float = 1e-2,
    seed: int = 0,
    repeats: int = 3,
    memory: bool = True,
    cg_tol: float = 1e-10,
    timing: bool = True,
    threads: int | None = 1,
) -> list[StepCost]:
    """Time and/or trace the memory of one Newton direction, explicit (primal Cholesky), dual
    (Woodbury) and by CG, for each d.

    The problem at each d is :func:`step_problem`; the three directions are checked to agree
    (relative difference < 1e-6).

    Args:
        ds: dimensions (integers >= 1).
        n, l2, seed: the synthetic problem; repeats: timed calls of each exact step (the fastest
            counts, >= 1: other processes only ever add time; the first call also pays one-off
            costs); CG and the dual step are cheap and timed max(repeats, 5) times;
        memory: trace peak memory (one extra call of each; else the bytes are None);
        cg_tol: CG's relative residual; timing: time the calls (else the seconds are NaN);
        threads: BLAS threads while measuring (>= 1; ``threadpoolctl``), None to leave as is.
    """
    if isinstance(ds, str | bytes | dict) or not hasattr(ds, "__len__") or len(ds) == 0:
        raise TypeError(f"ds must be a non-empty sequence of dimensions, got {ds!r:.80}")
    ds = [check.integer("ds", d, low=1) for d in ds]
    if len(set(ds)) != len(ds):
        raise ValueError(f"ds must be distinct dimensions, got {ds}")
    n = check.integer("n", n, low=1)
    l2 = check.number("l2", l2, at_least=0)
    seed = check.integer("seed", seed, low=0)
    repeats = check.integer("repeats", repeats, low=1)
    memory = check.flag("memory", memory)
    cg_tol = check.number("cg_tol", cg_tol, above=0)
    timing = check.flag("timing", timing)
    if threads is not None:
        threads = check.integer("threads", threads, low=1)
    with threadpool_limits(limits=threads):
        return [_measure_one(d, n, l2, seed, repeats, memory, cg_tol, timing) for d in ds]


def _measure_one(d, n, l2, seed, repeats, memory, cg_tol, timing) -> StepCost:
    problem, w = step_problem(d, n, l2, seed)

    def explicit():
        return newton_direction(problem, w, "newton")

    def dual():
        return newton_direction(problem, w, "newton-dual")

    def cg():
        return newton_direction(problem, w, "newton-cg", cg_tol=cg_tol)

    cheap = max(repeats, 5)
    (a, explicit_seconds) = fastest(explicit, repeats) if timing else _untimed(explicit)
    (b, cg_seconds) = fastest(cg, cheap) if timing else _untimed(cg)
    (c, dual_seconds) = fastest(dual, cheap) if timing else _untimed(dual)
    for name, other in (("CG", b), ("dual", c)):
        gap = np.linalg.norm(a.step - other.step) / np.linalg.norm(a.step)
        if not gap < 1e-6:
            raise AssertionError(f"explicit and {name} directions differ by {gap:.2g} at d = {d}")
    return StepCost(
        d=d,
        explicit_seconds=explicit_seconds,
        cg_seconds=cg_seconds,
        explicit_peak_bytes=_peak_bytes(explicit) if memory else None,
        cg_peak_bytes=_peak_bytes(cg) if memory else None,
        hvps=int(b.hvps),
        dual_seconds=dual_seconds,
        dual_peak_bytes=_peak_bytes(dual) if memory else None,
    )
