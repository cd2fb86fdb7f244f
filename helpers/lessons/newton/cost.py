r"""What a Newton step costs: an explicit d x d Hessian against Hessian-vector products (CG).

For logistic regression with n samples and d parameters (:func:`helpers.problems.random_logistic_regression`):

* explicit Newton forms :math:`H = X^\top D X / n + \lambda I` (about :math:`2 n d^2` flops, with
  :math:`8 d^2` bytes for H alone) and solves :math:`H e = -g` by LU (about :math:`\tfrac23 d^3`
  flops, and a second d x d array for the factors);
* Newton-CG needs k Hessian-vector products :math:`Hv = X^\top (D (X v)) / n + \lambda v`, each
  about :math:`4 n d` flops, plus a handful of length-d vectors (:data:`CG_VECTORS`).

:func:`measure_step_costs` times both (fastest of a few runs) and measures their peak memory with
``tracemalloc``; :func:`helpers.fits.loglog_slope` fits the exponent of a power law. Wall-clock numbers vary
from run to run and machine to machine: the notebook shows them in a cell whose outputs are not
stored, and ``benchmarks/bench_newton.py`` prints them.
"""

from __future__ import annotations

import tracemalloc
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.fits import loglog_slope
from helpers.newton import newton_direction
from helpers.problems import LogisticRegression, random_logistic_regression
from helpers.timing import fastest

__all__ = [
    "CG_VECTORS",
    "StepCost",
    "explicit_newton_flops",
    "format_bytes",
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


def hessian_bytes(d: int) -> int:
    """Bytes of one explicit d x d float64 Hessian: exactly ``8 d^2``."""
    d = check.integer("d", d, low=1)
    return 8 * d * d


def newton_cg_bytes(d: int) -> int:
    """Bytes of the length-d vectors Newton-CG keeps (:data:`CG_VECTORS` of them): ``48 d``."""
    d = check.integer("d", d, low=1)
    return 8 * CG_VECTORS * d


def explicit_newton_flops(n: int, d: int) -> int:
    """Flops of one explicit Newton step on logistic regression: form H (``2 n d^2``) and solve
    by LU (``2 d^3 / 3``), leading terms."""
    n, d = check.integer("n", n, low=1), check.integer("d", d, low=1)
    return 2 * n * d * d + (2 * d**3) // 3


def newton_cg_flops(n: int, d: int, hvps: int) -> int:
    """Flops of ``hvps`` Hessian-vector products on logistic regression, ``4 n d`` each (X v and
    X^T u), leading terms."""
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
    problem = random_logistic_regression(n, d, l2, seed, decay=0.01)
    return problem, np.random.default_rng(seed).standard_normal(problem.d)


@dataclass(frozen=True)
class StepCost:
    """One Newton direction at dimension d, explicit and by CG: seconds, peak traced bytes
    (None when memory was not measured) and the Hessian-vector products CG used."""

    d: int
    explicit_seconds: float  # NaN when not timed
    cg_seconds: float
    explicit_peak_bytes: int | None
    cg_peak_bytes: int | None
    hvps: int

    @property
    def ratio(self) -> float:
        """explicit time / CG time."""
        return self.explicit_seconds / self.cg_seconds


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
) -> list[StepCost]:
    """Time and/or trace the memory of one Newton direction, explicit and by CG, for each d.

    The problem at each d is :func:`step_problem`; the two directions are checked to agree
    (relative difference < 1e-6).

    Args:
        ds: dimensions (integers >= 1).
        n, l2, seed: the synthetic problem; repeats: timed calls of the explicit step (the fastest
            counts, >= 1; use a few to discard one-off costs of the first call); CG is cheap and
            always timed max(repeats, 5) times;
        memory: trace peak memory (one extra call of each; else the bytes are None);
        cg_tol: CG's relative residual; timing: time the calls (else the seconds are NaN).
    """
    ds = [check.integer("ds", d, low=1) for d in ds]
    repeats = check.integer("repeats", repeats, low=1)
    memory = bool(check.boolean("memory", memory))
    timing = bool(check.boolean("timing", timing))
    costs = []
    for d in ds:
        problem, w = step_problem(d, n, l2, seed)

        def explicit(problem=problem, w=w):
            return newton_direction(problem, w, "newton")

        def cg(problem=problem, w=w):
            return newton_direction(problem, w, "newton-cg", cg_tol=cg_tol)

        (a, explicit_seconds) = fastest(explicit, repeats) if timing else _untimed(explicit)
        (b, cg_seconds) = fastest(cg, max(repeats, 5)) if timing else _untimed(cg)
        gap = np.linalg.norm(a.step - b.step) / np.linalg.norm(a.step)
        if not gap < 1e-6:
            raise AssertionError(f"explicit and CG directions differ by {gap:.2g} at d = {d}")
        costs.append(
            StepCost(
                d=d,
                explicit_seconds=explicit_seconds,
                cg_seconds=cg_seconds,
                explicit_peak_bytes=_peak_bytes(explicit) if memory else None,
                cg_peak_bytes=_peak_bytes(cg) if memory else None,
                hvps=int(b.hvps),
            )
        )
    return costs
