"""Benchmark of one Newton direction: explicit Hessian + LU solve vs Newton-CG (Hessian-vector
products only), on L2-regularized logistic regression with n = 200 samples and d parameters
(:func:`helpers.lessons.newton.cost.step_problem`). Prints the timing table, fitted log-log slopes and the
ratio explicit / Newton-CG.

Targets (2-core machine): at d = 10^4 Newton-CG is >= 100x faster than the explicit step; the
fitted slope of the explicit step over d >= 1000 is >= 2 (its cost grows like n d^2 + d^3), that
of Newton-CG <= 1.5 (like k n d, k CG iterations). At d = 10^4 the explicit step allocates about
2.4 GB (three 800 MB d x d arrays) and takes tens of seconds: this script needs about a minute.
Run with ``make bench``.

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
    format_bytes,
    hessian_bytes,
    loglog_slope,
    measure_step_costs,
)
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
    print(f"{'d':>7} {'explicit H + solve':>19} {'Newton-CG':>11} {'CG products':>12} {'ratio':>8}")
    for c in costs:
        print(
            f"{c.d:7,d} {c.explicit_seconds * 1e3:16.2f} ms {c.cg_seconds * 1e3:8.2f} ms "
            f"{c.hvps:12d} {c.ratio:7.1f}x"
        )
    print(f"(fastest of 5 runs; explicit at d = {LARGE:,}: fastest of 2)")
    ds = np.array([c.d for c in costs])
    large = ds >= 1_000
    slope_explicit = loglog_slope(ds[large], [c.explicit_seconds for c in costs if c.d >= 1_000])
    slope_cg = loglog_slope(ds[large], [c.cg_seconds for c in costs if c.d >= 1_000])
    print(
        f"fitted log-log slopes for d >= 1000: explicit {slope_explicit:.2f}, Newton-CG {slope_cg:.2f}"
    )
    ratio = costs[-1].ratio
    print(f"ratio explicit / Newton-CG at d = {LARGE:,}: {ratio:.0f}x")
    print(f"an explicit Hessian at d = {LARGE:,} holds {format_bytes(hessian_bytes(LARGE))}")
    verdicts = {
        "ratio at d = 10^4 >= 100": ratio >= 100,
        "explicit slope >= 2": slope_explicit >= 2,
        "Newton-CG slope <= 1.5": slope_cg <= 1.5,
    }
    report_targets(verdicts)


if __name__ == "__main__":
    main()
