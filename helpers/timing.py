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

__all__ = [
    "compare_seconds_per_step",
    "fastest",
    "median_seconds",
    "report_targets",
    "seconds_per_step",
]


def median_seconds(fn: Callable[[], object], repeats: int = 5, warmup: int = 1) -> float:
    """Median wall-clock seconds of ``fn()`` over ``repeats`` calls, after ``warmup`` calls."""
    check.function("fn", fn)
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


def fastest(fn: Callable[[], object], repeats: int = 3) -> tuple[object, float]:
    """``(result of the first call, fastest wall clock of repeats calls)``.

    The minimum, not the median: on a shared machine other processes only ever add time, so the
    fastest run is the best estimate of the cost itself (as ``timeit`` recommends); with a few
    repeats it also discards the first call's one-off costs (page faults, library setup)."""
    check.function("fn", fn)
    repeats = check.integer("repeats", repeats, low=1)
    best, result = np.inf, None
    for i in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
        result = out if i == 0 else result
    return result, best


def _start(params) -> np.ndarray:
    params = check.as_finite_array("params", params, ndim=(1, 2))
    if params.size == 0:
        raise ValueError(f"params must have shape (d,) or (C, d), d >= 1, got {params.shape}")
    return params


def _step_loop(optimizer: Optimizer, params: np.ndarray, grad_fn, steps: int) -> Callable[[], None]:
    fixed = np.full_like(params, 1e-3) if grad_fn is None else None

    def loop() -> None:
        p, state = params, optimizer.init(params)
        for _ in range(steps):
            p, state = optimizer.step(p, fixed if grad_fn is None else grad_fn(p), state)

    return loop


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
    check.optimizer("optimizer", optimizer)
    check.function("grad_fn", grad_fn, optional=True)
    steps = check.integer("steps", steps, low=1)
    repeats = check.integer("repeats", repeats, low=1)
    params = _start(params)
    return median_seconds(_step_loop(optimizer, params, grad_fn, steps), repeats) / steps


def compare_seconds_per_step(
    first: Optimizer,
    second: Optimizer,
    params: np.ndarray,
    grad_fn: Callable[[np.ndarray], np.ndarray] | None,
    steps: int = 100,
    repeats: int = 7,
) -> tuple[float, float]:
    """Best (minimum) seconds per step of two optimizers, timed in alternation.

    Alternating the two loops and keeping each one's fastest repeat cancels most of the drift and
    interruptions of a shared machine, which a ratio of two separate medians does not.
    """
    check.optimizer("first", first)
    check.optimizer("second", second)
    check.function("grad_fn", grad_fn, optional=True)
    steps = check.integer("steps", steps, low=1)
    repeats = check.integer("repeats", repeats, low=1)
    params = _start(params)
    loops = [_step_loop(opt, params, grad_fn, steps) for opt in (first, second)]
    best = [np.inf, np.inf]
    for loop in loops:
        loop()  # warm-up
    for _ in range(repeats):
        for i, loop in enumerate(loops):
            start = time.perf_counter()
            loop()
            best[i] = min(best[i], time.perf_counter() - start)
    return best[0] / steps, best[1] / steps


def report_targets(verdicts: dict[str, bool]) -> None:
    """Print one line per benchmark target: its description and "met" or "NOT met"."""
    check.instance("verdicts", verdicts, dict, "a dict of description -> bool")
    if not verdicts or not all(
        isinstance(k, str) and isinstance(v, bool | np.bool_) for k, v in verdicts.items()
    ):
        raise ValueError(f"verdicts must map descriptions (str) to bools, got {verdicts!r}")
    width = max(len(name) for name in verdicts) + 2
    for name, ok in verdicts.items():
        print(f"{name:<{width}}{'met' if ok else 'NOT met'}")
