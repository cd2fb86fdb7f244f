"""Benchmark of notebook 4's grid and of one slider update. Prints medians and ratios.

Targets (2-core machine): the 56-configuration, 100-step grid as one vectorized call <= 50 ms;
the same grid as a Python loop of single runs >= 10x slower; one slider update (recompute both
runs, redraw the live figure with Agg and encode the PNG the panel shows) <= 80 ms. Run with ``make bench``.
"""

from __future__ import annotations

import numpy as np

from helpers import LogisticRegression, blobs, run
from helpers.lessons.optimizers.explorer import OptimizerExplorer
from helpers.lessons.optimizers.grid import grid_configs, optimizer, run_grid
from helpers.timing import median_seconds, report_targets

W0 = np.array([-0.45, 1.0, 1.0])
STEPS, BATCH = 100, 10


def loop_of_single_runs(problem) -> list:
    histories = []
    for row in grid_configs().itertuples():
        batch = BATCH if row.stochastic else None
        opt = optimizer(row.optimizer, row.lr, row.beta)
        histories.append(run(problem, opt, W0, STEPS, batch_size=batch))
    return histories


def main() -> None:
    X, y = blobs()
    problem = LogisticRegression(X, y)
    vectorized = median_seconds(lambda: run_grid(problem, W0, STEPS, batch_size=BATCH), 21)
    looped = median_seconds(lambda: loop_of_single_runs(problem), 5)

    # Same numbers both ways (the benchmark compares equal work).
    grid = run_grid(problem, W0, STEPS, batch_size=BATCH).history.loss
    loop = np.array([h.loss for h in loop_of_single_runs(problem)])
    np.testing.assert_allclose(grid, loop, rtol=1e-12)

    problem2d = LogisticRegression(X[:, :2], y)
    explorer = OptimizerExplorer(problem, W0, problem2d, W0[:2], (-3, 20), (0, 6), steps=STEPS)
    lrs = iter(np.geomspace(0.01, 1.0, 1000))

    def slider_move() -> None:
        explorer.update("SGD+momentum", lr=next(lrs), beta=0.9, batch_size=BATCH)
        explorer.render()

    slider = median_seconds(slider_move, 21)

    rows = [
        ("grid, one vectorized call (56 configs x 100 steps)", vectorized, "<= 50 ms"),
        ("grid, Python loop of 56 single runs", looped, ""),
        ("slider update (2 runs + Agg redraw + PNG)", slider, "<= 80 ms"),
    ]
    print(f"{'what':<52} {'median':>10}  target")
    for what, seconds, target in rows:
        print(f"{what:<52} {seconds * 1e3:8.1f} ms  {target}")
    ratio = looped / vectorized
    print(f"{'ratio loop / vectorized':<52} {ratio:9.1f}x  >= 10x")
    verdicts = {
        "vectorized <= 50 ms": vectorized <= 0.050,
        "ratio >= 10": ratio >= 10,
        "slider <= 80 ms": slider <= 0.080,
    }
    report_targets(verdicts)


if __name__ == "__main__":
    main()
