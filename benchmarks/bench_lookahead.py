"""Benchmark of Lookahead's cost over its inner optimizer. Prints seconds per step and ratios.

Lookahead adds one interpolation of the weights every k inner steps (and keeps one copy of
them): counted in array operations its update costs about (k+1)/k times the inner update, and a
training step, dominated by the gradient, barely changes. Target (2-core machine): training-step
ratio (digits MLP, 50 networks batched, k = 5) <= 1.10. The update-only ratios on d = 10^6
weights are printed for reference next to (k+1)/k: those steps are memory-bound, and the extra
8 MB arrays of a synchronization also slow the allocator on the next steps, so the measured
ratio for cheap inner updates (SGD) is above the operation count. Each ratio compares the fastest
of repeats timed in alternation (``helpers.timing.compare_seconds_per_step``). Run with
``make bench``.
"""

from __future__ import annotations

import numpy as np

from helpers.data import digits
from helpers.optim import adam, lookahead, sgd
from helpers.problems.mlp import MLP
from helpers.timing import compare_seconds_per_step, report_targets

K = 5


def main() -> None:
    print(f"Lookahead(k={K}, alpha=0.5) vs its inner optimizer, best seconds per step (alternated)")
    print(f"{'case':<44}{'inner':>12}{'Lookahead':>12}{'ratio':>8}{'(k+1)/k':>9}")
    weights = np.random.default_rng(0).standard_normal(10**6)
    for name, inner in [("SGD+momentum", sgd(0.01, momentum=0.9)), ("Adam", adam(1e-3))]:
        base, wrapped = compare_seconds_per_step(inner, lookahead(inner, K, 0.5), weights, None, 50)
        print(
            f"{'update only, d = 10^6, ' + name:<44}{base * 1e3:>10.2f}ms{wrapped * 1e3:>10.2f}ms"
            f"{wrapped / base:>8.2f}{(K + 1) / K:>9.2f}"
        )
    X, y, _, _ = digits()
    net = MLP(X, y, hidden=32)
    params = net.init(list(range(50)))
    rows = np.random.default_rng(0).integers(0, net.n_samples, (50, 32))

    def grad(w: np.ndarray) -> np.ndarray:
        return net.grad(w, rows)

    inner = sgd(np.full((50, 1), 0.1), momentum=0.9)
    base, wrapped = compare_seconds_per_step(inner, lookahead(inner, K, 0.5), params, grad, 100, 9)
    print(
        f"{'training step, digits MLP x 50, batch 32':<44}{base * 1e3:>10.2f}ms"
        f"{wrapped * 1e3:>10.2f}ms{wrapped / base:>8.2f}{(K + 1) / K:>9.2f}"
    )
    report_targets({"training-step ratio <= 1.10": wrapped / base <= 1.10})


if __name__ == "__main__":
    main()
