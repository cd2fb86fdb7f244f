"""The optimizer-comparison grid of notebook 4, computed in one vectorized call.

Six optimizers (GD, SGD, each plain, with heavy-ball momentum and with Nesterov momentum) over a
grid of learning rates and momentum coefficients. The full-batch and the minibatch halves each
run as one batched :func:`helpers.train.run` (C configurations at once), sharing one ``w0``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.optim import Optimizer, sgd
from helpers.problems import Objective
from helpers.sampling import SCHEMES
from helpers.stability import stable_on_quadratic
from helpers.train import History, run

__all__ = [
    "BETAS",
    "LRS",
    "OPTIMIZERS",
    "GridResult",
    "SeededGrid",
    "grid_configs",
    "optimizer",
    "optimizer_kind",
    "run_grid",
    "run_grid_over_seeds",
]

OPTIMIZERS = ("GD", "SGD", "GD+momentum", "SGD+momentum", "GD+Nesterov", "SGD+Nesterov")
LRS = (0.01, 0.1, 0.5, 1.0)
BETAS = (0.7, 0.8, 0.9)


def optimizer_kind(name: str) -> tuple[bool, str]:
    """``(stochastic, momentum)`` of a name in :data:`OPTIMIZERS`: whether it uses minibatches,
    and its momentum kind, one of "none", "momentum", "Nesterov"."""
    check.one_of("name", name, OPTIMIZERS)
    base, _, kind = name.partition("+")
    return base == "SGD", kind or "none"


def _grid_values(name: str, values) -> np.ndarray:
    """A number or a non-empty 1-D array of distinct finite numbers, as a 1-D array."""
    out = np.atleast_1d(check.as_finite_array(name, values, ndim=(0, 1)))
    if out.size == 0 or np.unique(out).size != out.size:
        raise ValueError(f"{name} must be a non-empty list of distinct numbers, got {values!r}")
    return out


def _optimizers(optimizers) -> tuple[str, ...]:
    """A non-empty tuple of distinct names of :data:`OPTIMIZERS`."""
    names = check.texts("optimizers", optimizers)
    if not names or len(set(names)) != len(names):
        raise ValueError(f"optimizers must be distinct names of {OPTIMIZERS}, got {optimizers!r}")
    for name in names:
        check.one_of("optimizers", name, OPTIMIZERS)
    return names


def grid_configs(
    lrs: ArrayLike = LRS, betas: ArrayLike = BETAS, optimizers: tuple[str, ...] = OPTIMIZERS
) -> pd.DataFrame:
    """One row per configuration: ``optimizer``, ``stochastic``, ``lr``, ``beta`` (NaN if no momentum).

    Optimizers without momentum get one row per lr; the others one per (lr, beta): with the
    defaults 2 x 4 + 4 x 4 x 3 = 56 rows.
    """
    lrs = _grid_values("lrs", lrs)
    check.positive("lrs", lrs)
    betas = _grid_values("betas", betas)
    check.in_unit_interval("betas", betas)
    if np.any(betas == 0):
        raise ValueError("betas must be in (0, 1): momentum 0 is the plain optimizer")
    optimizers = _optimizers(optimizers)
    rows = []
    for name in optimizers:
        stochastic, kind = optimizer_kind(name)
        for lr in lrs:
            for beta in [np.nan] if kind == "none" else betas:
                rows.append((name, stochastic, kind, float(lr), float(beta)))
    return pd.DataFrame(rows, columns=["optimizer", "stochastic", "momentum", "lr", "beta"])


def optimizer(name: str, lr: ArrayLike, beta: ArrayLike = np.nan) -> Optimizer:
    """The :func:`helpers.optim.sgd` instance for an optimizer name of :data:`OPTIMIZERS`.

    ``lr`` and ``beta`` may be ``(C, 1)`` arrays; ``beta`` is ignored for GD and SGD.
    """
    _, kind = optimizer_kind(name)
    if kind == "none":
        return sgd(lr)
    check.in_unit_interval("beta", beta)
    return sgd(lr, momentum=beta, nesterov=kind == "Nesterov")


def _hyperparameters(configs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lr, beta, nesterov)`` arrays of the rows of ``configs`` (beta 0 without momentum)."""
    return (
        configs["lr"].to_numpy(),
        configs["beta"].fillna(0.0).to_numpy(),
        (configs["momentum"] == "Nesterov").to_numpy(),
    )


def _batched_optimizer(configs: pd.DataFrame) -> Optimizer:
    """One :func:`sgd` whose ``(C, 1)`` hyperparameters are the rows of ``configs``."""
    lr, beta, nesterov = _hyperparameters(configs)
    return sgd(lr[:, None], momentum=beta[:, None], nesterov=nesterov[:, None])


@dataclass(frozen=True)
class GridResult:
    """``configs`` (the rows of :func:`grid_configs` plus ``final_loss`` and ``diverged``) and the
    batched ``history`` whose configuration c is row c of ``configs``."""

    configs: pd.DataFrame
    history: History

    def __post_init__(self) -> None:
        _configs("configs", self.configs, ("final_loss", "diverged"))
        check.instance("history", self.history, History, "a History of run_grid")
        if np.ndim(self.history.loss) != 2 or len(self.history) != len(self.configs):
            raise ValueError(
                f"history must hold one run per row of configs ({len(self.configs)}), got "
                f"{np.shape(self.history.loss)}"
            )

    def final_loss_table(self, name: str) -> pd.DataFrame:
        """Final losses of one optimizer: rows lr, columns beta (one column "-" without momentum).

        Diverged runs are NaN here; see ``diverged_table``.
        """
        return self._table(name, "final_loss")

    def final_loss_of(self, name: str, lr: float, beta: float = np.nan) -> float:
        """Final loss of one configuration (NaN if it diverged); ``beta`` only with momentum."""
        c = self.configs
        check.one_of("name", name, tuple(c["optimizer"].unique()))
        lr = check.number("lr", lr, above=0)
        beta = check.real("beta", beta)
        if not (np.isnan(beta) or 0 <= beta < 1):
            raise ValueError(f"beta must be in [0, 1), or NaN without momentum, got {beta!r}")
        rows = c[(c["optimizer"] == name) & (c["lr"] == lr)]
        rows = rows[rows["beta"].isna()] if np.isnan(beta) else rows[rows["beta"] == beta]
        if len(rows) != 1:
            raise ValueError(
                f"name, lr, beta must pick one configuration of the grid, got {name!r}, {lr}, {beta}"
            )
        return float(rows["final_loss"].iloc[0])

    def outside_quadratic_region(self, curvature: float) -> pd.DataFrame:
        """The configurations that would diverge on a quadratic of ``curvature`` (see
        :func:`helpers.stability.stable_on_quadratic`), with their results."""
        curvature = check.number("curvature", curvature, above=0)
        lr, beta, nesterov = _hyperparameters(self.configs)
        return self.configs[~stable_on_quadratic(lr, beta, curvature, nesterov)]

    def diverged_table(self, name: str) -> pd.DataFrame:
        """Like :meth:`final_loss_table`, with True where the run diverged."""
        return self._table(name, "diverged")

    def _table(self, name: str, column: str) -> pd.DataFrame:
        return _pivot(self.configs, name, column)


_CONFIG_COLUMNS = ("optimizer", "stochastic", "momentum", "lr", "beta")


def _configs(name: str, configs, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """``configs`` if it is a :func:`grid_configs` DataFrame (with the ``extra`` columns)."""
    check.instance(name, configs, pd.DataFrame, "a grid_configs DataFrame")
    missing = [c for c in (*_CONFIG_COLUMNS, *extra) if c not in configs.columns]
    if missing or len(configs) == 0:
        raise ValueError(f"{name} must be a non-empty grid_configs DataFrame, missing {missing}")
    return configs


def _pivot(configs: pd.DataFrame, name: str, column: str) -> pd.DataFrame:
    """One optimizer's ``column``: rows lr, columns beta ("-" without momentum)."""
    check.one_of("name", name, tuple(configs["optimizer"].unique()))
    rows = configs[configs["optimizer"] == name]
    beta = rows["beta"].map(lambda b: "-" if np.isnan(b) else b)
    table = rows.assign(beta=beta).pivot(index="lr", columns="beta", values=column)
    table.columns.name, table.index.name = "beta", "lr"
    return table


def run_grid(
    problem: Objective,
    w0: ArrayLike,
    steps: int = 100,
    lrs: ArrayLike = LRS,
    betas: ArrayLike = BETAS,
    optimizers: tuple[str, ...] = OPTIMIZERS,
    batch_size: int = 10,
    scheme: str = "random_reshuffling",
    seed: int = 0,
) -> GridResult:
    """Every configuration of :func:`grid_configs` for ``steps`` steps from the same ``w0``.

    Full-batch optimizers use the whole data set each step; the stochastic ones use minibatches
    of ``batch_size`` drawn by ``scheme`` with ``seed`` (the same sequence for all of them).
    """
    check.objective("problem", problem)
    w0 = check.parameters("w0", check.as_finite_array("w0", w0, ndim=(1,)), problem.d)
    steps = check.integer("steps", steps, low=0)
    configs = grid_configs(lrs, betas, optimizers)
    batch_size = check.integer("batch_size", batch_size, low=1)
    check.one_of("scheme", scheme, SCHEMES)
    seed = check.integer("seed", seed, low=0)
    n_configs = len(configs)
    losses = np.empty((n_configs, steps + 1))
    params = np.empty((n_configs, steps + 1, w0.size))
    diverged = np.empty(n_configs, dtype=bool)
    diverged_at = np.empty(n_configs, dtype=int)
    for stochastic in (False, True):
        mask = (configs["stochastic"] == stochastic).to_numpy()
        if not mask.any():
            continue
        part = configs[mask]
        hist = run(
            problem,
            _batched_optimizer(part),
            np.tile(w0, (len(part), 1)),
            steps,
            batch_size=batch_size if stochastic else None,
            scheme=scheme,
            seed=seed,
        )
        losses[mask], params[mask] = hist.loss, hist.params
        diverged[mask], diverged_at[mask] = hist.diverged, hist.diverged_at
    history = History(losses, params, diverged, diverged_at)
    configs = configs.assign(final_loss=history.final_loss, diverged=diverged)
    return GridResult(configs, history)


@dataclass(frozen=True)
class SeededGrid:
    """Final losses of the grid at S seeds: ``final_loss[s, c]`` and ``diverged[s, c]`` for row c
    of ``configs`` (the rows of :func:`grid_configs`) at ``seeds[s]``. The full-batch rows are the
    same at every seed (they use no randomness); the minibatch rows use seed s's own sequence."""

    configs: pd.DataFrame
    seeds: tuple[int, ...]
    final_loss: np.ndarray
    diverged: np.ndarray

    def __post_init__(self) -> None:
        _configs("configs", self.configs)
        if not isinstance(self.seeds, tuple):
            raise TypeError(f"seeds must be a tuple of integer seeds, got {self.seeds!r:.80}")
        seeds = check.seeds("seeds", self.seeds)
        shape = (len(seeds), len(self.configs))
        loss = check.results("final_loss", self.final_loss, ndim=(2,))
        diverged = check.boolean("diverged", self.diverged)
        for name, value in (("final_loss", loss), ("diverged", diverged)):
            if value.shape != shape:
                raise ValueError(
                    f"{name} must have shape {shape} (seeds, configs), got {value.shape}"
                )

    def at_seed(self, s: int) -> pd.DataFrame:
        """``configs`` with the ``final_loss`` and ``diverged`` columns of the s-th seed."""
        s = check.integer("s", s, low=0, high=len(self.seeds) - 1)
        return self.configs.assign(final_loss=self.final_loss[s], diverged=self.diverged[s])

    def final_loss_table(self, name: str, s: int) -> pd.DataFrame:
        """Final losses of one optimizer at the s-th seed, laid out like
        :meth:`GridResult.final_loss_table` (rows lr, columns beta; NaN where diverged)."""
        return _pivot(self.at_seed(s), name, "final_loss")

    def spread(self) -> pd.DataFrame:
        """Per configuration: mean, min and max of the final loss over the seeds (NaN if any
        seed diverged) and how many seeds diverged."""
        loss = np.where(self.diverged, np.nan, self.final_loss)
        return self.configs.assign(
            mean=loss.mean(axis=0),
            low=loss.min(axis=0),
            high=loss.max(axis=0),
            seeds_diverged=self.diverged.sum(axis=0),
        )


def run_grid_over_seeds(
    problem: Objective,
    w0: ArrayLike,
    seeds: Sequence[int],
    steps: int = 100,
    lrs: ArrayLike = LRS,
    betas: ArrayLike = BETAS,
    optimizers: tuple[str, ...] = OPTIMIZERS,
    batch_size: int = 10,
    scheme: str = "random_reshuffling",
) -> SeededGrid:
    """The grid of :func:`run_grid` at every seed of ``seeds``, in two vectorized calls.

    The full-batch configurations run once (they are deterministic); the minibatch ones run as
    ``len(seeds) * n_minibatch`` configurations of one :func:`helpers.train.run`, each seed with
    its own minibatch sequence (``seed=[...]``). Only the start and the final loss are
    evaluated on the full data (``log_every=steps``), which is what makes 8 seeds cheap.

    Example:
        >>> from helpers import LogisticRegression, blobs
        >>> X, y = blobs(n=40, seed=0)
        >>> grid = run_grid_over_seeds(LogisticRegression(X, y), [0.0, 0.0, 0.0], range(8), steps=5)
        >>> grid.final_loss.shape
        (8, 56)
    """
    check.objective("problem", problem)
    w0 = check.parameters("w0", check.as_finite_array("w0", w0, ndim=(1,)), problem.d)
    steps = check.integer("steps", steps, low=1)
    seeds = check.seeds("seeds", seeds)
    configs = grid_configs(lrs, betas, optimizers)
    batch_size = check.integer("batch_size", batch_size, low=1)
    check.one_of("scheme", scheme, SCHEMES)
    n_seeds = len(seeds)
    final = np.empty((n_seeds, len(configs)))
    diverged = np.empty((n_seeds, len(configs)), dtype=bool)
    for stochastic in (False, True):
        mask = (configs["stochastic"] == stochastic).to_numpy()
        if not mask.any():
            continue
        part = configs[mask]
        repeats = n_seeds if stochastic else 1
        stacked = pd.concat([part] * repeats, ignore_index=True)
        hist = run(
            problem,
            _batched_optimizer(stacked),
            np.tile(w0, (len(stacked), 1)),
            steps,
            batch_size=batch_size if stochastic else None,
            scheme=scheme,
            seed=list(np.repeat(seeds, len(part))) if stochastic else 0,
            log_every=steps,
        )
        shape = (repeats, len(part))
        final[:, mask] = np.asarray(hist.loss[:, -1]).reshape(shape)
        diverged[:, mask] = np.asarray(hist.diverged).reshape(shape)
    final = np.where(diverged, np.nan, final)
    return SeededGrid(configs, seeds, final, diverged)
