"""Benchmark of one Newton direction: explicit (primal) Hessian + Cholesky, the dual (Woodbury)
n x n solve, and Newton-CG (Hessian-vector products only), on L2-regularized logistic regression
with n = 200 samples and d parameters (:func:`helpers.lessons.newton.cost.step_problem`). Prints
the timing table, fitted log-log slopes and the ratios to Newton-CG.

Targets (2-core machine): at d = 10^4 Newton-CG is >= 100x faster than the primal step and
the dual step is within a small factor of Newton-CG (flops: n^2 d + n^3/3 against k 4nd, k CG
products); the fitted slope of the primal step over d >= 1000 is >= 2 (its cost grows like
n d^2 + d^3/3), those of Newton-CG and the dual step <= 1.5 (linear in d). At d = 10^4 the
primal step allocates about 1.6 GB (two 800 MB d x d arrays) and takes seconds to tens of
seconds: this script needs about a minute. Run with ``make bench``.

BLAS runs on one thread (set before numpy is imported), so both methods get the same resources
and, on a shared machine, a descheduled BLAS helper thread cannot stall a whole call (with two
threads on a busy 2-core machine single CG calls took 100x longer than usual).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from helpers.lessons.newton.cost import (  # noqa: E402
    counting_products,
    format_bytes,
    hessian_bytes,
    loglog_slope,
    measure_step_costs,
    step_problem,
)
from helpers.newton import newton_direction  # noqa: E402
from helpers.timing import report_targets  # noqa: E402

N_SAMPLES = 200
SMALL = [10, 30, 100, 300, 1_000, 3_000]
LARGE = 10_000


def main() -> None:
    costs = measure_step_costs(SMALL, n=N_SAMPLES, repeats=5, memory=False)
    costs += measure_step_costs([LARGE], n=N_SAMPLES, repeats=2, memory=False)
    threads = os.environ["OPENBLAS_NUM_THREADS"]
    print(f"one Newton direction, logistic regression with n = {N_SAMPLES} samples")
    print(f"BLAS threads: {threads}")
    print(
        f"{'d':>7} {'primal H + Cholesky':>20} {'dual (Woodbury)':>16} {'Newton-CG':>11} "
        f"{'CG products':>12} {'primal/CG':>10} {'dual/CG':>8}"
    )
    for c in costs:
        print(
            f"{c.d:7,d} {c.explicit_seconds * 1e3:17.2f} ms {c.dual_seconds * 1e3:13.2f} ms "
            f"{c.cg_seconds * 1e3:8.2f} ms {c.hvps:12d} {c.ratio:9.1f}x {c.dual_ratio:7.2f}x"
        )
    print(f"(fastest of 5 runs; primal at d = {LARGE:,}: fastest of 2)")
    ds = np.array([c.d for c in costs])
    large = ds >= 1_000
    slope_explicit = loglog_slope(ds[large], [c.explicit_seconds for c in costs if c.d >= 1_000])
    slope_cg = loglog_slope(ds[large], [c.cg_seconds for c in costs if c.d >= 1_000])
    slope_dual = loglog_slope(ds[large], [c.dual_seconds for c in costs if c.d >= 1_000])
    print(
        f"fitted log-log slopes for d >= 1000: primal {slope_explicit:.2f}, "
        f"dual {slope_dual:.2f}, Newton-CG {slope_cg:.2f}"
    )
    ratio = costs[-1].ratio
    print(f"ratio primal / Newton-CG at d = {LARGE:,}: {ratio:.0f}x")
    dual_ratio = costs[-1].dual_ratio
    print(f"ratio dual / Newton-CG at d = {LARGE:,}: {dual_ratio:.2f}x")
    print(f"an explicit Hessian at d = {LARGE:,} holds {format_bytes(hessian_bytes(LARGE))}")
    problem, w = step_problem(1_000, n=N_SAMPLES)
    with counting_products(problem) as products:
        k = newton_direction(problem, w, "newton-cg").hvps
    print(
        f"products with X in one Newton-CG direction at d = 1,000: {products.count} "
        f"= 2 (gradient) + 1 (curvature) + 2 x {k} (products)"
    )
    verdicts = {
        "ratio at d = 10^4 >= 100": ratio >= 100,
        "dual / Newton-CG at d = 10^4 <= 10": dual_ratio <= 10,
        "primal slope >= 2": slope_explicit >= 2,
        "Newton-CG slope <= 1.5": slope_cg <= 1.5,
        "dual slope <= 1.5": slope_dual <= 1.5,
        "each CG product = 2 products with X": products.count == 3 + 2 * k,
    }
    report_targets(verdicts)


if __name__ == "__main__":
    main()
