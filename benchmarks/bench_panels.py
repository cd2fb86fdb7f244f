"""In-kernel benchmark of every slider panel: ``update`` + ``render`` (what one control change
costs in the kernel) for every control of every panel, at each end of its slider and a few
values between, starting from the notebook's initial settings.

Prints one row per control: the median and the worst milliseconds over its values, and the
value at which the worst happened. Target (2-core machine, shared): every control's median
<= 60 ms and worst <= 200 ms in the kernel, so that with the 20-40 ms of comm and image transfer
the browser sees <= 100 ms median and <= 250 ms worst (benchmarks/bench_panels_browser.py
measures that end to end). Wall-clock numbers vary with the machine's load (other processes
share the two cores): rerun before concluding. Run with ``make bench``.
"""

from __future__ import annotations

import os
import time

import numpy as np

from helpers import LogisticRegression, blobs, run
from helpers.figures import trajectory_limits
from helpers.lessons.lookahead import explorer as lookahead
from helpers.lessons.newton import explorer as newton
from helpers.lessons.optimizers import explorer as optimizers
from helpers.lessons.optimizers.grid import OPTIMIZERS, optimizer
from helpers.lessons.sampling import explorer as sampling
from helpers.timing import report_targets

MEDIAN_MS, WORST_MS = 60.0, 200.0


def spread(grid, count: int = 5) -> list:
    """Both ends of a slider's grid and ``count - 2`` values evenly spread between them."""
    picks = np.unique(np.linspace(0, len(grid.values) - 1, count).round().astype(int))
    return [grid.value_type(grid.values[i]) for i in picks]


def notebook4_explorer() -> optimizers.OptimizerExplorer:
    """Notebook 4's OptimizerExplorer, built as its cells build it."""
    X, y = blobs(n=200, seed=0)
    problem = LogisticRegression(X, y)
    w0 = np.array([-0.45, 1.0, 1.0])
    problem2d = LogisticRegression(X[:, :2], y)
    paths = [
        run(
            problem2d,
            optimizer(name, 1.0, 0.9),
            w0[:2],
            100,
            batch_size=10 if name.startswith("SGD") else None,
        ).params
        for name in OPTIMIZERS
    ]
    xlim, ylim = trajectory_limits(paths)
    return optimizers.OptimizerExplorer(problem, w0, problem2d, w0[:2], xlim, ylim, steps=100)


def panels() -> list[tuple[str, object, dict, dict]]:
    """``(panel, explorer, initial settings, {control: values to try})`` for every panel."""
    scheme = sampling.SchemeExplorer(epochs=40, seeds=range(8))
    return [
        (
            "1 Lookahead",
            lookahead.LookaheadExplorer(),
            {"scene_name": "quadratic", "inner_name": "SGD", "lr": 10**-1.5, "sigma": 5.0},
            {
                "scene_name": list(lookahead.SCENES),
                "inner_name": list(lookahead.INNER_OPTIMIZERS),
                "lr": spread(lookahead.LR_GRID),
                "k": spread(lookahead.K_GRID),
                "alpha": spread(lookahead.ALPHA_GRID),
                "sigma": spread(lookahead.SIGMA_GRID),
            },
        ),
        (
            "2 Newton",
            newton.QuadraticExplorer(w0=(-2.0, 2.0), tol=1e-6, max_steps=20_000),
            {"kappa": 100.0, "lr": 1.5},
            {
                "kappa": spread(newton.KAPPA_GRID),
                "lr": spread(newton.LR_GRID),
            },
        ),
        (
            "3 coverage",
            sampling.CoverageExplorer(epochs=4.0, seed=0),
            {"n": 1000},
            {"n": list(sampling.N_CHOICES)},  # each n's first visit (then cached)
        ),
        (
            "3 SGD schemes",
            scheme,
            {"lr": 0.05, "n": 32, "batch_size": 1},
            {
                "lr": spread(sampling.STEP_GRID),
                "n": list(sampling.SGD_N_CHOICES),
                "batch_size": [1, 2, 8, 16, 32],
            },
        ),
        (
            "4 rate map",
            optimizers.RateMapExplorer(),
            {"kappa": 100.0},
            {"kappa": spread(optimizers.KAPPA_GRID)},
        ),
        (
            "4 optimizers",
            notebook4_explorer(),
            {"optimizer_name": "SGD+momentum", "lr": 0.5, "beta": 0.9, "batch_size": 10},
            {
                "optimizer_name": list(OPTIMIZERS),
                "lr": spread(optimizers.LR_GRID),
                "beta": spread(optimizers.BETA_GRID),
                "batch_size": spread(optimizers.batch_grid(200)),
            },
        ),
    ]


def move_ms(explorer, settings: dict) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one control change: update with ``settings``, then
    render. On a shared machine the wall clock includes the time other processes ran; the
    process's CPU time does not."""
    start, cpu = time.perf_counter(), time.process_time()
    explorer.update(**settings)
    explorer.render()
    return 1000 * (time.perf_counter() - start), 1000 * (time.process_time() - cpu)


def main() -> None:
    rows, verdicts = [], {}
    for name, explorer, initial, controls in panels():
        move_ms(explorer, initial)  # warm: first draw, caches of the initial state
        for control, values in controls.items():
            times = [(*move_ms(explorer, initial | {control: v}), v) for v in values]
            move_ms(explorer, initial)
            wall = np.array([t[0] for t in times])
            cpu = np.array([t[1] for t in times])
            worst_value = times[int(np.argmax(cpu))][2]
            label = worst_value if isinstance(worst_value, str) else f"{worst_value:.4g}"
            rows.append((name, control, len(times), wall, cpu, label))
            ok = bool(np.median(cpu) <= MEDIAN_MS and cpu.max() <= WORST_MS)
            verdicts[
                f"{name}, {control}: median <= {MEDIAN_MS:.0f} ms, worst <= {WORST_MS:.0f}"
            ] = ok
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"in-kernel update + render per control, ms; load average {load}")
    print("(targets judged on CPU time: a shared machine's wall clock includes others' turns)")
    print(
        f"{'panel':<15}{'control':<16}{'values':>7}{'CPU median':>12}{'CPU worst':>11}"
        f"{'wall median':>13}{'wall worst':>12}  worst at"
    )
    for name, control, count, wall, cpu, label in rows:
        print(
            f"{name:<15}{control:<16}{count:>7}{np.median(cpu):>12.1f}{cpu.max():>11.1f}"
            f"{np.median(wall):>13.1f}{wall.max():>12.1f}  {label}"
        )
    print()
    report_targets(verdicts)


if __name__ == "__main__":
    main()
