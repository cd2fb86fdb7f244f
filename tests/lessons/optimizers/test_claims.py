import numpy as np
import pytest

from helpers.lessons.optimizers.claims import check_claims, check_claims_over_seeds
from helpers.lessons.optimizers.grid import GridResult, SeededGrid, grid_configs
from helpers.train import History


def _result(modify=None) -> GridResult:
    """A grid where every seed claim holds by construction (loss falls with lr and beta)."""
    c = grid_configs()
    beta = c["beta"].fillna(0.0)
    loss = (1.0 - beta) / c["lr"]
    loss = loss * np.where(c["momentum"] == "Nesterov", 0.99, 1.0)
    loss = loss * np.where(c["stochastic"], 1.1, 1.0)
    c = c.assign(final_loss=loss, diverged=False)
    if modify is not None:
        c = modify(c)
    n = len(c)
    hist = History(np.zeros((n, 2)), np.zeros((n, 2, 1)), c["diverged"].to_numpy(), -np.ones(n))
    return GridResult(c, hist)


def test_all_claims_hold_on_a_grid_built_to_satisfy_them():
    claims = check_claims(_result())
    assert [c.holds for c in claims] == [True] * 5
    assert [c.cases for c in claims] == [28, 14, 16, 24, 48]
    assert all(str(c).lstrip().startswith("holds") for c in claims)


def test_one_counterexample_breaks_a_claim_and_is_reported():
    def worse_nesterov(c):
        i = c.index[(c["optimizer"] == "GD+Nesterov") & (c["lr"] == 0.5) & (c["beta"] == 0.8)]
        c.loc[i, "final_loss"] = 10.0
        return c

    claims = {c.text: c for c in check_claims(_result(worse_nesterov))}
    nesterov = claims["Nesterov as good as momentum"]
    assert not nesterov.holds and nesterov.held == 23
    assert "GD+Nesterov 10 vs GD+momentum" in str(nesterov) and "lr=0.5, beta=0.8" in str(nesterov)


def test_a_diverged_run_counts_as_infinitely_bad():
    def diverge_sgd(c):
        i = c.index[(c["optimizer"] == "SGD") & (c["lr"] == 1.0)]
        c.loc[i, "final_loss"] = np.nan
        c.loc[i, "diverged"] = True
        return c

    claims = {c.text: c for c in check_claims(_result(diverge_sgd))}
    assert claims["GD beats SGD at equal lr"].holds  # GD still beats the diverged SGD
    assert not claims["lr=1 best, lr=0.01 worst"].holds
    assert claims["momentum beats plain GD/SGD"].holds


def test_short_verdict():
    claims = check_claims(_result())
    assert claims[0].short == "holds (28/28)"


def _seeded(modify_per_seed=None, n_seeds=8) -> SeededGrid:
    """8 seeds of the grid of ``_result``, seed s optionally modified by ``modify_per_seed(s, c)``."""
    base = _result().configs
    losses, diverged = [], []
    for s in range(n_seeds):
        c = base.copy()
        if modify_per_seed is not None:
            c = modify_per_seed(s, c)
        losses.append(c["final_loss"].to_numpy(float))
        diverged.append(c["diverged"].to_numpy(bool))
    configs = base.drop(columns=["final_loss", "diverged"])
    return SeededGrid(configs, tuple(range(n_seeds)), np.array(losses), np.array(diverged))


def test_over_seeds_holds_when_every_seed_holds():
    claims = check_claims_over_seeds(_seeded())
    assert [c.verdict for c in claims] == ["holds"] * 5
    assert [c.cases for c in claims] == [8 * n for n in (28, 14, 16, 24, 48)]
    assert all(c.difference is not None and c.difference[0] < 0 for c in claims)


def test_over_seeds_depends_when_one_seed_breaks_a_claim():
    def sgd_wins_at_seed_3(s, c):
        if s == 3:
            c.loc[c["stochastic"], "final_loss"] *= 0.5
        return c

    claims = {c.text: c for c in check_claims_over_seeds(_seeded(sgd_wins_at_seed_3))}
    gd_sgd = claims["GD beats SGD at equal lr"]
    assert gd_sgd.verdict == "depends on the seed" and gd_sgd.seeds_holding == 7
    assert gd_sgd.held_per_seed[3] == 0 and "seed 3" in gd_sgd.worst


def test_over_seeds_fails_when_every_seed_fails_and_a_divergence_drops_the_difference():
    def diverge(s, c):
        c.loc[c["stochastic"], "final_loss"] *= 0.5
        i = c.index[(c["optimizer"] == "SGD") & (c["lr"] == 0.01)]
        c.loc[i, "final_loss"], c.loc[i, "diverged"] = np.nan, True
        return c

    claims = {c.text: c for c in check_claims_over_seeds(_seeded(diverge))}
    assert claims["GD beats SGD at equal lr"].verdict == "fails"
    assert claims["GD beats SGD at equal lr"].difference is None
    with pytest.raises(TypeError, match="SeededGrid"):
        check_claims_over_seeds(_result())
