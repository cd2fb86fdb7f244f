"""The seed's claims about the optimizer grid, each checked case by case.

Every check compares final losses from a :class:`helpers.lessons.optimizers.grid.GridResult` (a diverged run counts
as an infinite loss) and returns a :class:`helpers.claims.Claim` saying in how many of the cases it applies to
the claim holds. A claim *holds* only if it holds in every case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.claims import Claim
from helpers.lessons.optimizers.grid import GridResult

__all__ = ["check_claims", "gd_sgd_gaps"]


def _losses(result: GridResult) -> pd.DataFrame:
    c = result.configs
    loss = np.where(c["diverged"], np.inf, c["final_loss"])
    return c.assign(loss=loss, base=np.where(c["stochastic"], "SGD", "GD"))


def _compare(
    text: str,
    a: pd.DataFrame,
    b: pd.DataFrame,
    on: list[str],
    strict: bool,
    label_a: str,
    label_b: str,
) -> Claim:
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
    return Claim(text, len(pairs), int(ok.sum()), worst)


def gd_sgd_gaps(result: GridResult) -> pd.Series:
    """|final loss of GD-kind - of SGD-kind| / GD-kind, for each pair of full-batch and minibatch
    runs with the same momentum kind, lr and beta (diverged runs give NaN)."""
    c = _with_beta_key(result.configs)
    key = ["momentum", "lr", "beta_key"]
    pairs = c[~c["stochastic"]].merge(c[c["stochastic"]], on=key, suffixes=("_gd", "_sgd"))
    gap = (pairs["final_loss_gd"] - pairs["final_loss_sgd"]).abs() / pairs["final_loss_gd"]
    return gap.rename("relative gap")


def _with_beta_key(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``beta_key``: beta, or -1 without momentum (NaN never matches in a merge)."""
    return df.assign(beta_key=df["beta"].fillna(-1.0))


def _renamed(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={"optimizer": "name"})


def check_claims(result: GridResult) -> list[Claim]:
    """Check the seed's five claims on a grid result.

    1. GD beats SGD at equal lr (same momentum kind and beta).
    2. lr = max is best and lr = min is worst (for every optimizer and beta).
    3. The largest beta is best (for every momentum optimizer and lr).
    4. Nesterov is at least as good as heavy-ball momentum (same base, lr, beta).
    5. Momentum (either kind, any beta) beats the plain optimizer at the same lr.
    """
    df = _with_beta_key(_renamed(_losses(result)))
    claims = []

    gd, sg = df[df["base"] == "GD"], df[df["base"] == "SGD"]
    claims.append(
        _compare(
            "GD beats SGD at equal lr", gd, sg, ["momentum", "lr", "beta_key"], True, "GD", "SGD"
        )
    )

    lrs = np.sort(df["lr"].unique())
    groups = df.groupby(["name", "beta_key"])
    best_ok = [g.loc[g["loss"].idxmin(), "lr"] == lrs[-1] for _, g in groups]
    worst_ok = [g.loc[g["loss"].idxmax(), "lr"] == lrs[0] for _, g in groups]
    held = int(np.sum(np.logical_and(best_ok, worst_ok)))
    claims.append(
        Claim(
            f"lr={lrs[-1]:g} is best and lr={lrs[0]:g} worst",
            len(best_ok),
            held,
            f"lr={lrs[-1]:g} best in {sum(best_ok)}, lr={lrs[0]:g} worst in "
            f"{sum(worst_ok)} of {len(best_ok)}",
        )
    )

    mom = df[df["momentum"] != "none"]
    if len(mom):
        betas = np.sort(mom["beta"].unique())
        ok = [
            g.loc[g["loss"].idxmin(), "beta"] == betas[-1] for _, g in mom.groupby(["name", "lr"])
        ]
        claims.append(
            Claim(
                f"beta={betas[-1]:g} is best",
                len(ok),
                int(np.sum(ok)),
                f"beta={betas[-1]:g} best in {int(np.sum(ok))} of {len(ok)}",
            )
        )
        nest, heavy = df[df["momentum"] == "Nesterov"], df[df["momentum"] == "momentum"]
        claims.append(
            _compare(
                "Nesterov is at least as good as momentum",
                nest,
                heavy,
                ["base", "lr", "beta_key"],
                False,
                "Nesterov",
                "momentum",
            )
        )
        plain = df[df["momentum"] == "none"].drop(columns=["beta", "beta_key"])
        claims.append(
            _compare(
                "momentum beats plain GD/SGD", mom, plain, ["base", "lr"], True, "momentum", "plain"
            )
        )
    return claims
