"""The write-up's claims about the optimizer grid, checked case by case, at one seed or over seeds.

Every check compares final losses (a diverged run counts as an infinite loss). At one seed
(:func:`check_claims`) a claim *holds* only if it holds in every case. The minibatch runs are
random, so the verdicts the notebook prints come from :func:`check_claims_over_seeds`: each
claim is checked at every seed of a :class:`~helpers.lessons.optimizers.grid.SeededGrid` and is
*holds* (every case, every seed), *fails* (at every seed) or *depends on the seed*
(:meth:`helpers.claims.Claim.over_seeds`), with a paired difference of mean log10 losses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.claims import Claim, paired_difference
from helpers.lessons.optimizers.grid import GridResult, SeededGrid

__all__ = ["CLAIM_TEXTS", "check_claims", "check_claims_over_seeds"]

CLAIM_TEXTS = (
    "GD beats SGD at equal lr",
    "lr={hi} best, lr={lo} worst",
    "beta={hi} best",
    "Nesterov as good as momentum",
    "momentum beats plain GD/SGD",
)


@dataclass(frozen=True)
class _Cases:
    """One claim at one seed: ``ok[case]``, the worst failure in words, and per case the log10
    losses ``a`` and ``b`` whose difference measures the claim (a < b: the claim's direction)."""

    text: str
    ok: np.ndarray
    worst: str
    a: np.ndarray
    b: np.ndarray
    label: str


def _losses(configs: pd.DataFrame) -> pd.DataFrame:
    loss = np.where(configs["diverged"], np.inf, configs["final_loss"])
    return configs.assign(
        loss=loss,
        base=np.where(configs["stochastic"], "SGD", "GD"),
        beta_key=configs["beta"].fillna(-1.0),  # NaN never matches in a merge
    ).rename(columns={"optimizer": "name"})


def _log(values) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log10(np.asarray(values, dtype=float))


def _compare(text, a, b, on, strict, label) -> _Cases:
    """Claim that ``a``'s loss is below (``strict``) or at most ``b``'s, row-matched ``on``."""
    pairs = a.merge(b, on=on, suffixes=("_a", "_b"))
    ok = pairs["loss_a"] < pairs["loss_b"] if strict else pairs["loss_a"] <= pairs["loss_b"]
    worst = ""
    if not ok.all():
        bad = pairs[~ok].iloc[(pairs["loss_a"] - pairs["loss_b"])[~ok].argmax()]
        where = ", ".join(
            f"{k.removesuffix('_key')}={bad[k]:g}"
            for k in on
            if k in ("lr", "beta_key") and bad[k] >= 0
        )
        worst = (
            f"{bad['name_a']} {bad['loss_a']:.3g} vs {bad['name_b']} {bad['loss_b']:.3g} at {where}"
        )
    return _Cases(text, ok.to_numpy(), worst, _log(pairs["loss_a"]), _log(pairs["loss_b"]), label)


def _best_is(df: pd.DataFrame, by: list[str], column: str, value: float) -> tuple:
    """Per group of ``by``: is ``column == value`` the lowest loss; log10 loss there and the
    lowest log10 loss elsewhere."""
    ok, a, b = [], [], []
    for _, g in df.groupby(by):
        ok.append(g.loc[g["loss"].idxmin(), column] == value)
        a.append(g.loc[g[column] == value, "loss"].min())
        b.append(g.loc[g[column] != value, "loss"].min())
    return np.array(ok), _log(a), _log(b)


def _cases(configs: pd.DataFrame) -> list[_Cases]:
    """The five claims on one seed's ``configs`` (with ``final_loss`` and ``diverged``)."""
    df = _losses(configs)
    claims = []
    gd, sg = df[df["base"] == "GD"], df[df["base"] == "SGD"]
    claims.append(
        _compare(CLAIM_TEXTS[0], gd, sg, ["momentum", "lr", "beta_key"], True, "GD - SGD")
    )
    lrs = np.sort(df["lr"].unique())
    best, a, b = _best_is(df, ["name", "beta_key"], "lr", lrs[-1])
    worst_ok = np.array(
        [g.loc[g["loss"].idxmax(), "lr"] == lrs[0] for _, g in df.groupby(["name", "beta_key"])]
    )
    text = CLAIM_TEXTS[1].format(hi=f"{lrs[-1]:g}", lo=f"{lrs[0]:g}")
    claims.append(
        _Cases(
            text,
            best & worst_ok,
            f"lr={lrs[-1]:g} best in {best.sum()}, lr={lrs[0]:g} worst in {worst_ok.sum()} "
            f"of {best.size}",
            a,
            b,
            f"lr={lrs[-1]:g} - best other",
        )
    )
    mom = df[df["momentum"] != "none"]
    if len(mom):
        betas = np.sort(mom["beta"].unique())
        ok, a, b = _best_is(mom, ["name", "lr"], "beta", betas[-1])
        claims.append(
            _Cases(
                CLAIM_TEXTS[2].format(hi=f"{betas[-1]:g}"),
                ok,
                f"beta={betas[-1]:g} best in {ok.sum()} of {ok.size}",
                a,
                b,
                f"beta={betas[-1]:g} - best other",
            )
        )
        nest, heavy = df[df["momentum"] == "Nesterov"], df[df["momentum"] == "momentum"]
        claims.append(
            _compare(
                CLAIM_TEXTS[3],
                nest,
                heavy,
                ["base", "lr", "beta_key"],
                False,
                "Nesterov - momentum",
            )
        )
        plain = df[df["momentum"] == "none"].drop(columns=["beta", "beta_key"])
        claims.append(
            _compare(CLAIM_TEXTS[4], mom, plain, ["base", "lr"], True, "momentum - plain")
        )
    return claims


def _configs(result: GridResult | pd.DataFrame) -> pd.DataFrame:
    if isinstance(result, GridResult):
        return result.configs
    if isinstance(result, pd.DataFrame) and {"final_loss", "diverged"} <= set(result.columns):
        return result
    raise TypeError(
        "result must be a GridResult or a configs DataFrame with final_loss and diverged, "
        f"got {type(result).__name__}"
    )


def check_claims(result: GridResult | pd.DataFrame) -> list[Claim]:
    """Check the write-up's five claims on one grid result (one seed: deterministic verdicts).

    1. GD beats SGD at equal lr (same momentum kind and beta).
    2. lr = max is best and lr = min is worst (for every optimizer and beta).
    3. The largest beta is best (for every momentum optimizer and lr).
    4. Nesterov is at least as good as heavy-ball momentum (same base, lr, beta).
    5. Momentum (either kind, any beta) beats the plain optimizer at the same lr.
    """
    return [
        Claim(c.text, int(c.ok.size), int(c.ok.sum()), c.worst) for c in _cases(_configs(result))
    ]


def check_claims_over_seeds(grid: SeededGrid) -> list[Claim]:
    """The five claims of :func:`check_claims` at every seed of ``grid``, as verdicts over seeds.

    Each claim's difference is the paired (seed by seed) difference of the mean log10 final
    losses of its two sides, first minus second as the claim names them (GD - SGD, lr=max -
    best other lr, beta=max - best other beta, Nesterov - momentum, momentum - plain; negative:
    the claim's direction), ± its standard error; None when a run diverged (an infinite log
    loss has no mean). It is left unlabelled so that the claims table fits 100 characters.

    Example:
        >>> from helpers import LogisticRegression, blobs
        >>> from helpers.lessons.optimizers.grid import run_grid_over_seeds
        >>> X, y = blobs(n=40, seed=0)
        >>> grid = run_grid_over_seeds(LogisticRegression(X, y), [0.0, 0.0, 0.0], range(8), steps=5)
        >>> [c.cases for c in check_claims_over_seeds(grid)]
        [224, 112, 128, 192, 384]
    """
    if not isinstance(grid, SeededGrid):
        raise TypeError(f"grid must be a SeededGrid, got {type(grid).__name__}")
    per_seed = [_cases(grid.at_seed(s)) for s in range(len(grid.seeds))]
    claims = []
    for k, first in enumerate(per_seed[0]):
        runs = [seed_cases[k] for seed_cases in per_seed]
        held = np.stack([r.ok for r in runs])
        a = np.array([r.a.mean() for r in runs])
        b = np.array([r.b.mean() for r in runs])
        finite = np.isfinite(a).all() and np.isfinite(b).all()
        worst_seed = int(np.argmin(held.sum(axis=1)))
        worst = runs[worst_seed].worst
        claims.append(
            Claim.over_seeds(
                first.text,
                held,
                grid.seeds,
                worst=f"seed {grid.seeds[worst_seed]}: {worst}" if worst else "",
                difference=paired_difference(a, b) if finite else None,
            )
        )
    return claims
