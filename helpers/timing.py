"""Wall-clock measurements for benchmarks and the notebooks' timing cells (never for tests).

Timings vary between runs and machines: notebooks show them only in cells tagged ``timing``
(their outputs are not stored), and targets are checked by the scripts under ``benchmarks/``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from helpers import _validate as check
from helpers.optim import Optimizer

__all__ = ["median_seconds", "report_targets", "seconds_per_step"]


def median_seconds(fn: Callable[[], object], repeats: int = 5, warmup: int = 1) -> float:
    """Median wall-clock seconds of ``fn()`` over ``repeats`` calls, after ``warmup`` calls."""
    repeats = check.integer("repeats", repeats, low=1)
    warmup = check.integer("warmup", warmup, low=0)
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seconds_per_step(
    optimizer: Optimizer,
    params: np.ndarray,
    grad_fn: Callable[[np.ndarray], np.ndarray] | None,
    steps: int = 100,
    repeats: int = 5,
) -> float:
    """Median seconds per optimizer step over ``steps`` steps from ``params``.

    With ``grad_fn`` None the same fixed gradient is fed every step, so only the update itself is
    timed; otherwise each step also computes ``grad_fn(params)`` (a training step).
    """
    steps = check.integer("steps", steps, low=1)
    params = check.as_finite_array("params", params)
    fixed = np.full_like(params, 1e-3) if grad_fn is None else None

    def loop() -> None:
        p, state = params, optimizer.init(params)
        for _ in range(steps):
            p, state = optimizer.step(p, fixed if grad_fn is None else grad_fn(p), state)

    return median_seconds(loop, repeats) / steps


def report_targets(verdicts: dict[str, bool]) -> None:
    """Print one line per benchmark target: its description and "met" or "NOT met"."""
    width = max(len(name) for name in verdicts) + 2
    for name, ok in verdicts.items():
        print(f"{name:<{width}}{'met' if ok else 'NOT met'}")
