r"""Where does each method stop converging? A learning-rate scan beyond the write-up's grid, set
against the quadratic theory with the curvature actually met along each run.

On :math:`\tfrac{\lambda}{2}p^2` a method diverges iff :math:`\eta\lambda` exceeds its limit
(:func:`helpers.stability.stability_limit`: 2 for GD, :math:`2+2\beta` heavy ball,
:math:`(2+2\beta)/(1+2\beta)` Nesterov). Along a run on a non-quadratic loss the curvature
changes; :func:`lr_scan` records the largest Hessian eigenvalue met at the logged steps, so
``lr * max_curvature`` can be compared with the limit run by run. The unregularized logistic loss
grows only linearly in :math:`w`, so it cannot overflow: a run with too large a step does not blow
up, it stops making progress, and :func:`lr_scan` says which of the two happened.

Where the minimum :math:`f^*` is known (a regularized problem, a quadratic), pass ``f_star``:
each run is then classified by what it reached: :math:`f - f^* \le` ``tol`` ("converged"),
above that but still halving ("descending"), bounded and not halving ("stuck"), or a blow-up
("diverged"). Those outcomes need not be monotone in lr, so :func:`outcome_bands` reports the
contiguous lr bands of each outcome rather than a single crossing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.optim import sgd
from helpers.problems import Objective
from helpers.stability import stability_limit
from helpers.train import run

__all__ = ["KINDS", "boundary_table", "lr_scan", "outcome_bands"]

KINDS = ("GD", "momentum", "Nesterov")
GOOD = ("contracting", "converged", "descending")


def lr_scan(
    problem: Objective,
    w0: ArrayLike,
    lrs: ArrayLike,
    beta: float = 0.9,
    steps: int = 100,
    kinds: tuple[str, ...] = KINDS,
    blowup: float = 1e6,
    *,
    f_star: float | None = None,
    tol: float = 1e-8,
    log_every: int = 1,
) -> pd.DataFrame:
    r"""Full-batch runs of each kind at every lr (one vectorized run), with what they met.

    Returns one row per (kind, lr): ``final_loss`` (NaN if diverged), ``start_loss``,
    ``diverged`` (loss non-finite or above ``blowup`` x start, see :func:`helpers.train.run`),
    ``outcome``: without ``f_star``, "diverged"; "not contracting": the final loss is above the
    start loss, or the largest loss of the last quarter of the logged steps is above the largest
    of the second quarter; else "contracting". With the minimum ``f_star`` known: "diverged";
    "converged" (final :math:`f - f^* \le` ``tol``); "descending" (above ``tol``, but the
    largest :math:`f - f^*` of the last quarter of the logged steps is at most half the largest
    of the second quarter: still making progress); or "stuck" (bounded, neither: the run
    oscillates or wanders at a distance from the minimum);
    ``gap``: the final :math:`f - f^*` (NaN without ``f_star`` or if diverged);
    ``max_curvature`` (largest Hessian eigenvalue at the steps before divergence), ``limit``
    (the quadratic limit of :math:`\eta\lambda`) and ``unstable_at_met``: whether
    ``lr * max_curvature > limit``, the quadratic theory's prediction with the curvature met.
    ``problem`` needs a ``hessian``; keep d small (the Hessians at all logged steps of all runs
    are formed; ``log_every`` thins them, divergence is still checked at every step).

    Example:
        >>> from helpers.problems.quadratic import conditioned_quadratic
        >>> scan = lr_scan(conditioned_quadratic(10.0), [1.0, 1.0], [1.0, 3.0], kinds=("GD",),
        ...                steps=200, f_star=0.0)
        >>> scan["outcome"].tolist()
        ['converged', 'diverged']
    """
    check.objective("problem", problem, needs=("loss", "grad", "hessian"))
    kinds = check.texts("kinds", kinds)
    if not kinds or len(set(kinds)) != len(kinds):
        raise ValueError(f"kinds must be distinct names of {KINDS}, got {kinds!r}")
    for kind in kinds:
        check.one_of("kinds", kind, KINDS)
    lrs = np.atleast_1d(check.positive("lrs", check.as_finite_array("lrs", lrs, ndim=(0, 1))))
    if lrs.size == 0 or np.unique(lrs).size != lrs.size:
        raise ValueError(f"lrs must be a non-empty list of distinct learning rates, got {lrs}")
    beta = float(check.in_unit_interval("beta", check.as_finite_array("beta", beta, ndim=(0,))))
    blowup = check.number("blowup", blowup, above=1)
    steps = check.integer("steps", steps, low=1)
    log_every = check.integer("log_every", log_every, low=1, high=steps)
    tol = check.number("tol", tol, above=0)
    if f_star is not None:
        f_star = float(check.number("f_star", f_star))
    w0 = check.as_finite_array("w0", w0, ndim=(1,))
    if w0.shape != (problem.d,):
        raise ValueError(f"w0 must have shape ({problem.d},), got {w0.shape}")
    kind_col = np.repeat(kinds, lrs.size)
    lr = np.tile(lrs, len(kinds))
    b = np.where(kind_col == "GD", 0.0, beta)
    nesterov = kind_col == "Nesterov"
    opt = sgd(lr[:, None], momentum=b[:, None], nesterov=nesterov[:, None])
    hist = run(problem, opt, np.tile(w0, (lr.size, 1)), steps, blowup=blowup, log_every=log_every)
    params = hist.params  # (C, steps+1, d), NaN after divergence
    alive = np.isfinite(params).all(axis=-1)
    safe = np.where(alive[..., None], params, w0)
    flat = safe.reshape(-1, safe.shape[-1])
    top = np.linalg.eigvalsh(problem.hessian(flat))[:, -1].reshape(alive.shape)
    max_curvature = np.where(alive, top, -np.inf).max(axis=1)
    start = hist.loss[:, 0]
    final = np.where(hist.diverged, np.nan, hist.loss[:, -1])
    if f_star is None:
        points = hist.loss.shape[1] - 1
        quarter = max(1, points // 4)
        logged = np.where(np.isnan(hist.loss), -np.inf, hist.loss)  # NaN after a divergence
        late = logged[:, -quarter:].max(axis=1)
        earlier = logged[:, quarter : 2 * quarter + 1].max(axis=1)
        stalled = (final > start) | (late > earlier)
        outcome = np.where(
            hist.diverged, "diverged", np.where(stalled, "not contracting", "contracting")
        )
        gap = np.full(final.shape, np.nan)
    else:
        gap = final - f_star
        points = hist.loss.shape[1] - 1
        quarter = max(1, points // 4)
        late = hist.loss[:, -quarter:].max(axis=1) - f_star
        earlier = hist.loss[:, quarter : 2 * quarter + 1].max(axis=1) - f_star
        converged = gap <= tol
        descending = ~converged & (late <= 0.5 * earlier)
        outcome = np.where(
            hist.diverged,
            "diverged",
            np.where(converged, "converged", np.where(descending, "descending", "stuck")),
        )
    limit = stability_limit(b, nesterov)
    return pd.DataFrame(
        {
            "kind": kind_col,
            "lr": lr,
            "beta": np.where(kind_col == "GD", np.nan, beta),
            "start_loss": start,
            "final_loss": final,
            "diverged": hist.diverged,
            "diverged_at": hist.diverged_at,
            "outcome": outcome,
            "gap": gap,
            "max_curvature": max_curvature,
            "limit": limit,
            "unstable_at_met": lr * max_curvature > limit,
        }
    )


def _scan(scan, columns: tuple[str, ...]) -> pd.DataFrame:
    """``scan`` if it is a non-empty :func:`lr_scan` DataFrame with (at least) ``columns``."""
    check.instance("scan", scan, pd.DataFrame, "an lr_scan DataFrame")
    if len(scan) == 0 or not set(columns) <= set(scan.columns):
        raise ValueError(f"scan must be a non-empty lr_scan DataFrame ({', '.join(columns)})")
    return scan


def boundary_table(scan: pd.DataFrame, curvatures: dict[str, float] | None = None) -> pd.DataFrame:
    r"""Per kind, the measured boundaries of a scan and the theory's.

    Columns: ``last converging`` (the largest scanned lr below the first that did not converge),
    ``first not converging`` (the smallest lr whose run diverged, did not contract or did not
    converge; runs past it may converge again: see :func:`outcome_bands`),
    ``first diverged``, ``first unstable (met)`` (the smallest lr with
    ``lr * max_curvature > limit``), and for each ``name: curvature`` of ``curvatures`` the
    theory's boundary ``limit / curvature`` in a column ``"limit/" + name``. NaN where none.

    Example:
        >>> import numpy as np
        >>> from helpers.problems.quadratic import conditioned_quadratic
        >>> scan = lr_scan(conditioned_quadratic(10.0), [1.0, 1.0], np.linspace(1.55, 2.45, 10),
        ...                kinds=("GD",), steps=50)
        >>> row = boundary_table(scan, {"L": 1.0}).iloc[0]
        >>> round(float(row["last converging"]), 6), float(row["limit/L"])
        (1.95, 2.0)
    """
    _scan(scan, ("kind", "lr", "outcome", "limit", "unstable_at_met"))
    if curvatures is not None and not isinstance(curvatures, dict):
        raise TypeError(
            f"curvatures must be a dict {{name: curvature}} or None, got {curvatures!r}"
        )
    curvatures = {} if curvatures is None else dict(curvatures)
    for name, value in curvatures.items():
        check.text("curvatures", name)
        check.number(f"curvatures[{name!r}]", value, above=0)
    rows = []
    for kind, g in scan.groupby("kind", sort=False):

        def first(mask, g=g):
            return float(g.loc[mask, "lr"].min()) if mask.any() else np.nan

        failing = first(~g["outcome"].isin(GOOD))
        before = g.loc[g["lr"] < failing, "lr"] if np.isfinite(failing) else g["lr"]
        row = {
            "kind": kind,
            "last converging": float(before.max()) if len(before) else np.nan,
            "first not converging": failing,
            "first diverged": first(g["outcome"] == "diverged"),
            "first unstable (met)": first(g["unstable_at_met"]),
        }
        for name, value in curvatures.items():
            c = float(check.positive(f"curvatures[{name!r}]", value))
            row[f"limit/{name}"] = float(g["limit"].iloc[0]) / c
        rows.append(row)
    return pd.DataFrame(rows).set_index("kind")


def outcome_bands(scan: pd.DataFrame) -> pd.DataFrame:
    """The contiguous lr bands of a scan with one outcome, per kind, in scan order.

    One row per band: ``kind``, ``outcome``, ``lr from``, ``lr to`` (the first and last scanned
    lr of the band), ``runs`` (how many scanned lrs) and ``largest gap`` (the largest final
    :math:`f - f^*` in the band, NaN without ``f_star`` or for diverged runs).

    Example:
        >>> from helpers.problems.quadratic import conditioned_quadratic
        >>> scan = lr_scan(conditioned_quadratic(10.0), [1.0, 1.0], [1.0, 1.5, 3.0, 4.0],
        ...                kinds=("GD",), steps=300, f_star=0.0)
        >>> outcome_bands(scan)[["outcome", "lr from", "lr to", "runs"]].to_numpy().tolist()
        [['converged', 1.0, 1.5, 2], ['diverged', 3.0, 4.0, 2]]
    """
    _scan(scan, ("kind", "lr", "outcome"))
    rows = []
    for kind, g in scan.groupby("kind", sort=False):
        g = g.sort_values("lr")
        band = (g["outcome"] != g["outcome"].shift()).cumsum()
        for _, b in g.groupby(band, sort=True):
            gap = b["gap"].to_numpy(float) if "gap" in b else np.full(len(b), np.nan)
            rows.append(
                {
                    "kind": kind,
                    "outcome": b["outcome"].iloc[0],
                    "lr from": float(b["lr"].iloc[0]),
                    "lr to": float(b["lr"].iloc[-1]),
                    "runs": len(b),
                    "largest gap": float(np.max(gap)) if np.isfinite(gap).any() else np.nan,
                }
            )
    return pd.DataFrame(rows)
