r"""GD against SGD at equal iterations and at equal compute, with the batch size as a dial.

One SGD step on a minibatch of b examples costs b example-gradients; a GD step costs n. At
*equal iterations* T, GD has processed :math:`nT` examples and SGD :math:`bT`; at *equal
examples* E epochs, GD takes E steps and SGD :math:`En/b`. :func:`batch_size_sweep` runs
plain SGD (or SGD with momentum) at every batch size, learning rate and seed in one vectorized
:func:`helpers.train.run` per batch size (batch size n is full-batch GD).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.claims import Claim, paired_difference
from helpers.optim import sgd
from helpers.problems import Objective
from helpers.sampling import SCHEMES
from helpers.train import run

__all__ = ["batch_size_sweep", "best_lr_claim", "best_lr_table", "sgd_vs_gd_claim"]


def batch_size_sweep(
    problem: Objective,
    w0: ArrayLike,
    lrs: ArrayLike,
    batch_sizes: Sequence[int],
    seeds: Sequence[int],
    *,
    iterations: int | None = None,
    epochs: float | None = None,
    momentum: float = 0.0,
    scheme: str = "random_reshuffling",
) -> pd.DataFrame:
    """Final full-data loss of minibatch SGD for every (batch size, lr, seed) under one budget.

    Give exactly one budget: ``iterations`` (every batch size takes that many steps) or
    ``epochs`` (batch size b takes ``round(epochs * n / b)`` steps, so all process about
    ``epochs * n`` examples). Batch size n runs as full-batch GD (the same at every seed).

    Returns one row per (batch_size, lr, seed): ``steps``, ``examples`` (steps x batch size),
    ``final_loss`` (NaN if diverged) and ``diverged``.

    Example:
        >>> from helpers import LogisticRegression, blobs
        >>> X, y = blobs(n=40, seed=0)
        >>> df = batch_size_sweep(LogisticRegression(X, y), [0.0] * 3, [0.1], [4, 40], range(2),
        ...                       epochs=1)
        >>> df[["batch_size", "steps", "examples"]].drop_duplicates().to_numpy().tolist()
        [[4, 10, 40], [40, 1, 40]]
    """
    check.objective("problem", problem)
    n = getattr(problem, "n_samples", None)
    if n is None:
        raise ValueError("problem must have samples to batch")
    if iterations is not None:
        iterations = check.integer("iterations", iterations, low=1)
    if epochs is not None:
        epochs = check.number("epochs", epochs, above=0)
    if (iterations is None) == (epochs is None):
        raise ValueError("iterations or epochs must be given (exactly one budget), not both")
    lrs = np.atleast_1d(check.positive("lrs", check.as_finite_array("lrs", lrs, ndim=(0, 1))))
    if lrs.size == 0 or np.unique(lrs).size != lrs.size:
        raise ValueError(f"lrs must be a non-empty list of distinct learning rates, got {lrs}")
    seeds = list(check.seeds("seeds", seeds))
    batch_sizes = check.sequence("batch_sizes", batch_sizes, "batch sizes")
    sizes = [check.integer("batch_sizes", b, low=1, high=n) for b in batch_sizes]
    if not sizes or len(set(sizes)) != len(sizes):
        raise ValueError(f"batch_sizes must be a non-empty list of distinct sizes, got {sizes}")
    momentum = float(
        check.in_unit_interval("momentum", check.as_finite_array("momentum", momentum, ndim=(0,)))
    )
    check.one_of("scheme", scheme, SCHEMES)
    w0 = check.as_finite_array("w0", w0, ndim=(1,))
    if w0.shape != (problem.d,):
        raise ValueError(f"w0 must have shape ({problem.d},), got {w0.shape}")
    rows = []
    for b in sizes:
        steps = iterations if iterations is not None else max(1, round(epochs * n / b))
        full = b == n
        per = 1 if full else len(seeds)
        lr = np.repeat(lrs, per)[:, None]
        hist = run(
            problem,
            sgd(lr, momentum=momentum),
            np.tile(w0, (lr.shape[0], 1)),
            steps,
            batch_size=None if full else b,
            scheme=scheme,
            seed=0 if full else list(np.tile(seeds, lrs.size)),
            log_every=steps,
        )
        final = np.where(hist.diverged, np.nan, hist.loss[:, -1]).reshape(lrs.size, per)
        diverged = np.asarray(hist.diverged).reshape(lrs.size, per)
        for i, lr_i in enumerate(lrs):
            for k, s in enumerate(seeds):
                j = 0 if full else k
                rows.append((b, float(lr_i), s, steps, steps * b, final[i, j], diverged[i, j]))
    columns = ["batch_size", "lr", "seed", "steps", "examples", "final_loss", "diverged"]
    return pd.DataFrame(rows, columns=columns)


def sgd_vs_gd_claim(text: str, sweep: pd.DataFrame, sgd_wins: bool) -> Claim:
    """A verdict over seeds from a :func:`batch_size_sweep`: in every case (lr, batch size < n),
    SGD's final loss is below GD's (``sgd_wins``) or above it. The difference is the paired
    (seed by seed) mean log10 final loss of SGD minus GD over all cases."""
    check.text("text", text)
    _sweep(sweep)
    check.flag("sgd_wins", sgd_wins)
    n = sweep["batch_size"].max()
    gd = sweep[sweep["batch_size"] == n].groupby("lr")["final_loss"].first()
    part = sweep[sweep["batch_size"] < n]
    if part.empty:
        raise ValueError("sweep must hold batch sizes below n")
    loss = part["final_loss"].fillna(np.inf).to_numpy()
    ref = gd.reindex(part["lr"]).fillna(np.inf).to_numpy()
    wins = loss < ref if sgd_wins else loss > ref
    seeds = sorted(part["seed"].unique())
    table = part.assign(ok=wins, log=np.log10(loss), ref=np.log10(ref))
    held = np.stack(
        [table[table["seed"] == s].sort_values(["lr", "batch_size"])["ok"] for s in seeds]
    )
    a = table.groupby("seed")["log"].mean().to_numpy()
    b = table.groupby("seed")["ref"].mean().to_numpy()
    finite = np.isfinite(a).all() and np.isfinite(b).all()
    return Claim.over_seeds(
        text,
        held.astype(bool),
        seeds,
        difference=paired_difference(a, b) if finite else None,
        difference_label="SGD - GD",
    )


_SWEEP_COLUMNS = ("batch_size", "lr", "seed", "steps", "examples", "final_loss", "diverged")


def _sweep(sweep) -> pd.DataFrame:
    """``sweep`` if it is a non-empty :func:`batch_size_sweep` DataFrame."""
    check.instance("sweep", sweep, pd.DataFrame, "a batch_size_sweep DataFrame")
    if len(sweep) == 0 or not set(_SWEEP_COLUMNS) <= set(sweep.columns):
        raise ValueError(f"sweep must be a non-empty batch_size_sweep DataFrame ({_SWEEP_COLUMNS})")
    return sweep


def _log_losses(sweep: pd.DataFrame) -> pd.DataFrame:
    _sweep(sweep)
    with np.errstate(divide="ignore"):
        log = np.log10(sweep["final_loss"].fillna(np.inf).to_numpy(float))
    return sweep.assign(log=log)


def best_lr_table(sweep: pd.DataFrame) -> pd.DataFrame:
    """Each batch size at its own best learning rate: the lr of the sweep with the lowest mean
    (over seeds) log10 final loss, a diverged run counting as infinite. One row per batch size:
    ``best lr``, ``at edge`` (the best lr is the largest or smallest of the sweep, so a wider
    range might do better), ``steps``, the ``mean``, ``low`` and ``high`` final loss over the
    seeds at that lr.

    Example:
        >>> from helpers import LogisticRegression, blobs
        >>> X, y = blobs(n=40, seed=0)
        >>> df = batch_size_sweep(LogisticRegression(X, y), [0.0] * 3, [0.1, 1.0], [4, 40],
        ...                       range(2), epochs=1)
        >>> best_lr_table(df)["best lr"].tolist()
        [1.0, 1.0]
    """
    table = _log_losses(sweep)
    lrs = np.sort(table["lr"].unique())
    rows = []
    for b, g in table.groupby("batch_size"):
        mean_log = g.groupby("lr")["log"].mean()
        lr = float(mean_log.idxmin())
        at = g[g["lr"] == lr]
        loss = at["final_loss"]
        rows.append(
            {
                "batch_size": int(b),
                "best lr": lr,
                "at edge": lr in (lrs[0], lrs[-1]),
                "steps": int(at["steps"].iloc[0]),
                "mean": float(loss.mean()),
                "low": float(loss.min()),
                "high": float(loss.max()),
            }
        )
    return pd.DataFrame(rows).set_index("batch_size")


def best_lr_claim(text: str, sweep: pd.DataFrame) -> Claim:
    """A verdict over seeds: every batch size b < n, at its own best lr, ends below full-batch
    GD at GD's own best lr (:func:`best_lr_table`; the lr is tuned once, on the mean over seeds,
    then the comparison is made seed by seed). Cases: the batch sizes below n. The difference
    is the paired mean final loss of SGD (over the batch sizes) minus GD's (losses, not their
    logs: at a very large lr a loss can underflow to exactly 0); None if a run diverged."""
    check.text("text", text)
    table = _log_losses(sweep)
    best = best_lr_table(sweep)
    n = int(table["batch_size"].max())
    sizes = [int(b) for b in best.index if b < n]
    if not sizes:
        raise ValueError("sweep must hold batch sizes below n")
    gd = table[(table["batch_size"] == n) & (table["lr"] == best.loc[n, "best lr"])]
    gd_log = float(gd["log"].iloc[0])
    gd_loss = float(gd["final_loss"].iloc[0])
    seeds = sorted(table["seed"].unique())
    at_best = [
        table[(table["batch_size"] == b) & (table["lr"] == best.loc[b, "best lr"])].set_index(
            "seed"
        )
        for b in sizes
    ]
    logs = np.stack([g.loc[seeds, "log"].to_numpy() for g in at_best], axis=1)  # (S, sizes)
    losses = np.stack([g.loc[seeds, "final_loss"].to_numpy(float) for g in at_best], axis=1)
    held = logs < gd_log
    a = losses.mean(axis=1)
    finite = np.isfinite(a).all() and np.isfinite(gd_loss)
    return Claim.over_seeds(
        text,
        held,
        seeds,
        difference=paired_difference(a, np.full(a.size, gd_loss)) if finite else None,
        difference_label="SGD - GD",
    )
