"""Benchmark of notebook 3's simulations. Prints medians and whether the targets are met.

Targets (2-core machine, shared): one Monte-Carlo check at n = 10**6 (10 epochs with replacement,
10**7 draws, counted per epoch) <= 1 s; the stable probabilities for 10**6 values of n <= 0.1 s;
the notebook's constant-step SGD experiment (4 schemes x 7 steps x 20 seeds, 500 epochs of 32
steps, one vectorized loop) <= 3 s; one move of the coverage slider to n = 10**6 not visited
before (simulate, draw, PNG) <= 0.5 s, the slowest first move over all its values <= 0.5 s and a
move back to a visited n (cached simulation and PNG) <= 0.1 s. Run with ``make bench``. Wall-clock numbers vary with the machine's load: rerun
before concluding.
"""

from __future__ import annotations

import numpy as np

from helpers import sampling
from helpers.lessons.sampling import coverage
from helpers.lessons.sampling.explorer import N_CHOICES, CoverageExplorer, sorted_problem
from helpers.lessons.sampling.shuffling import run_schemes
from helpers.timing import median_seconds


def main() -> None:
    monte_carlo = median_seconds(lambda: coverage.monte_carlo_epoch(10**6, 10, seed=1), 7)
    ns = np.arange(1, 10**6 + 1)
    probabilities = median_seconds(
        lambda: (sampling.p_at_least_once(ns), sampling.p_exactly_once(ns)), 7
    )
    problem = sorted_problem(32)
    lrs = np.array([0.4, 0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625])
    sgd = median_seconds(
        lambda: run_schemes(problem, np.zeros(problem.d), 500, lrs, seeds=range(20)), 3
    )

    def slider_move() -> None:
        explorer = CoverageExplorer()  # nothing cached
        explorer.update(10**6)
        explorer.render()

    slider = median_seconds(slider_move, 3)

    def slowest_first_move() -> float:
        explorer = CoverageExplorer()
        worst = 0.0
        for n in N_CHOICES:
            worst = max(
                worst, median_seconds(lambda n=n: (explorer.update(n), explorer.render()), 1)
            )
        return worst

    slowest = min(slowest_first_move() for _ in range(2))
    visited = CoverageExplorer()
    visited.update(10**6)
    cached = median_seconds(lambda: (visited.update(10**6), visited.render()), 5)

    rows = [
        ("Monte Carlo, n = 1e6, 10 epochs (1e7 draws)", monte_carlo, 1.0),
        ("both probabilities for 1e6 values of n", probabilities, 0.1),
        ("constant-step SGD grid (560 runs x 16,000 steps)", sgd, 3.0),
        ("new coverage panel, first move to n = 1e6 (+ PNG)", slider, 0.5),
        ("coverage slider, slowest first move over all n", slowest, 0.5),
        ("coverage slider, move back to a visited n (cached)", cached, 0.1),
    ]
    print(f"{'what':<56} {'median':>10}  target")
    for what, seconds, target in rows:
        print(f"{what:<56} {seconds * 1e3:8.0f} ms  <= {target * 1e3:.0f} ms")
    for what, seconds, target in rows:
        print(f"{what:<56} {'met' if seconds <= target else 'NOT met'}")


if __name__ == "__main__":
    main()
