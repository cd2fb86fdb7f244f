"""helpers.lessons.optimizers.grid: the optimizer grid, and that its batched runs equal single runs."""

import numpy as np
import pandas as pd
import pytest

from helpers.data import blobs
from helpers.lessons.optimizers import grid as sweep
from helpers.problems import LogisticRegression, Quadratic
from helpers.train import run

X, Y = blobs(n=40, seed=2)
PROBLEM = LogisticRegression(X, Y, l2=0.01)
W0 = np.array([1.0, -1.0, 0.5])
STEPS, BATCH_SIZE, SCHEME, SEED = 15, 8, "shuffle_once", 3


@pytest.fixture(scope="module")
def grid():
    return sweep.run_grid(PROBLEM, W0, steps=STEPS, batch_size=BATCH_SIZE, scheme=SCHEME, seed=SEED)


def test_default_grid_has_56_rows():
    configs = sweep.grid_configs()
    assert len(configs) == 56
    counts = configs["optimizer"].value_counts().to_dict()
    assert counts == {
        "GD": 4,
        "SGD": 4,
        "GD+momentum": 12,
        "SGD+momentum": 12,
        "GD+Nesterov": 12,
        "SGD+Nesterov": 12,
    }
    assert not configs.duplicated(["optimizer", "lr", "beta"]).any()
    plain = configs["optimizer"].isin(["GD", "SGD"])
    assert configs.loc[plain, "beta"].isna().all()
    assert set(configs.loc[~plain, "beta"]) == set(sweep.BETAS)
    assert set(configs["lr"]) == set(sweep.LRS)
    np.testing.assert_array_equal(configs["stochastic"], configs["optimizer"].str.startswith("SGD"))


def test_grid_configs_with_custom_lists():
    configs = sweep.grid_configs(lrs=[0.1, 0.2], betas=[0.5], optimizers=["GD", "SGD+Nesterov"])
    assert len(configs) == 4
    assert list(configs["optimizer"]) == ["GD", "GD", "SGD+Nesterov", "SGD+Nesterov"]


def test_run_grid_rows_match_history_rows(grid):
    configs, hist = grid.configs, grid.history
    assert len(configs) == len(hist) == 56
    assert hist.loss.shape == (56, STEPS + 1)
    assert hist.params.shape == (56, STEPS + 1, 3)
    np.testing.assert_array_equal(configs["final_loss"], hist.final_loss)
    np.testing.assert_array_equal(configs["diverged"], hist.diverged)
    np.testing.assert_array_equal(hist.params[:, 0], np.tile(W0, (56, 1)))


def test_every_row_equals_a_single_run(grid):
    for c, row in grid.configs.iterrows():
        opt = sweep.optimizer(row["optimizer"], row["lr"], row["beta"])
        batch = BATCH_SIZE if row["stochastic"] else None
        single = run(PROBLEM, opt, W0, STEPS, batch_size=batch, scheme=SCHEME, seed=SEED)
        view = grid.history.config(c)
        np.testing.assert_allclose(view.loss, single.loss, rtol=1e-12, err_msg=str(row))
        np.testing.assert_allclose(view.params, single.params, rtol=1e-12, atol=1e-14)
        assert view.diverged == single.diverged
        assert view.diverged_at == single.diverged_at


def test_sgd_rows_see_minibatches(grid):
    configs, hist = grid.configs, grid.history
    gd = hist.loss[((configs["optimizer"] == "GD") & (configs["lr"] == 0.1)).to_numpy()]
    sgd = hist.loss[((configs["optimizer"] == "SGD") & (configs["lr"] == 0.1)).to_numpy()]
    assert not np.allclose(gd, sgd)


@pytest.mark.parametrize("name", sweep.OPTIMIZERS)
def test_final_loss_table(grid, name):
    table = grid.final_loss_table(name)
    has_momentum = "+" in name
    assert table.shape == ((4, 3) if has_momentum else (4, 1))
    assert list(table.index) == list(sweep.LRS)
    assert list(table.columns) == (list(sweep.BETAS) if has_momentum else ["-"])
    for lr in sweep.LRS:
        for beta in table.columns:
            rows = grid.configs[(grid.configs["optimizer"] == name) & (grid.configs["lr"] == lr)]
            if beta != "-":
                rows = rows[rows["beta"] == beta]
            assert len(rows) == 1
            np.testing.assert_equal(table.loc[lr, beta], rows["final_loss"].iloc[0])
    assert grid.diverged_table(name).shape == table.shape


def test_optimizer_ignores_beta_without_momentum():
    w, g = np.array([1.0, 2.0]), np.array([0.5, -0.5])
    for name in ("GD", "SGD"):
        opt = sweep.optimizer(name, 0.1, 0.9)
        state = opt.init(w)
        w1, state = opt.step(w, g, state)
        w2, _ = opt.step(w1, g, state)
        np.testing.assert_allclose(w2, w - 0.2 * g)


def test_diverged_rows_on_a_quadratic():
    problem = Quadratic(np.diag([1.0, 100.0]), np.array([1.0, 1.0]))
    w0 = np.zeros(2)
    optimizers = ("GD", "GD+momentum", "GD+Nesterov")
    result = sweep.run_grid(problem, w0, steps=30, optimizers=optimizers)
    configs = result.configs
    assert configs["diverged"].any()
    assert not configs["diverged"].all()
    assert configs.loc[configs["diverged"], "final_loss"].isna().all()
    assert np.isfinite(configs.loc[~configs["diverged"], "final_loss"]).all()
    for c, row in configs.iterrows():
        opt = sweep.optimizer(row["optimizer"], row["lr"], row["beta"])
        single = run(problem, opt, w0, 30)
        np.testing.assert_allclose(result.history.loss[c], single.loss, rtol=1e-12)
        assert result.history.diverged_at[c] == single.diverged_at
    for name in optimizers:
        np.testing.assert_array_equal(
            result.diverged_table(name).to_numpy(), result.final_loss_table(name).isna().to_numpy()
        )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("GD", (False, "none")),
        ("SGD+momentum", (True, "momentum")),
        ("GD+Nesterov", (False, "Nesterov")),
    ],
)
def test_optimizer_kind(name, expected):
    assert sweep.optimizer_kind(name) == expected


def test_optimizer_kind_rejects_unknown_names():
    with pytest.raises(ValueError, match=r"^name must be one of"):
        sweep.optimizer_kind("Adam")


def test_run_grid_rejects_negative_steps():
    with pytest.raises(ValueError, match="steps"):
        sweep.run_grid(PROBLEM, W0, steps=-1)


def test_final_loss_of_picks_one_configuration(grid):
    c = grid.configs
    row = c[(c["optimizer"] == "SGD+Nesterov") & (c["lr"] == 0.5) & (c["beta"] == 0.8)]
    assert grid.final_loss_of("SGD+Nesterov", 0.5, 0.8) == row["final_loss"].item()
    plain = c[(c["optimizer"] == "GD") & (c["lr"] == 0.1)]["final_loss"].item()
    assert grid.final_loss_of("GD", 0.1) == plain
    with pytest.raises(ValueError, match="name, lr, beta"):
        grid.final_loss_of("GD", 0.3)
    with pytest.raises(ValueError, match="name, lr, beta"):
        grid.final_loss_of("GD+momentum", 0.1)  # beta missing


def test_outside_quadratic_region_uses_each_methods_limit(grid):
    # With curvature 2.5: GD needs lr < 0.8; heavy ball lr < (2 + 2 beta)/2.5 (>= 1.36 here, so
    # all safe); Nesterov lr < (2 + 2 beta)/(1 + 2 beta)/2.5, i.e. < 0.566 for beta 0.7.
    unsafe = grid.outside_quadratic_region(2.5)
    assert set(unsafe["momentum"]) == {"none", "Nesterov"}
    assert set(unsafe.loc[unsafe["momentum"] == "none", "lr"]) == {1.0}
    nesterov = unsafe[unsafe["momentum"] == "Nesterov"]
    assert set(nesterov["lr"]) == {1.0}
    assert len(grid.outside_quadratic_region(1e-3)) == 0


# --- the grid over seeds ------------------------------------------------------------------------


def test_grid_over_seeds_equals_one_grid_per_seed():
    X, y = blobs(n=50, seed=1)
    problem, w0 = LogisticRegression(X, y), np.array([-0.45, 1.0, 1.0])
    seeds = [3, 0, 11]
    grid = sweep.run_grid_over_seeds(problem, w0, seeds, steps=12, batch_size=7)
    for s, seed in enumerate(seeds):
        alone = sweep.run_grid(problem, w0, steps=12, batch_size=7, seed=seed)
        np.testing.assert_allclose(
            grid.final_loss[s], alone.configs["final_loss"].to_numpy(), rtol=1e-12, atol=1e-15
        )
        assert grid.at_seed(s)["final_loss"].equals(pd.Series(grid.final_loss[s]))
        for name in ("SGD", "GD+Nesterov"):
            pd.testing.assert_frame_equal(
                grid.final_loss_table(name, s), alone.final_loss_table(name), rtol=1e-12
            )
    full = ~grid.configs["stochastic"].to_numpy()
    assert (grid.final_loss[:, full] == grid.final_loss[0, full]).all()  # GD: no seed
    assert not (grid.final_loss[:, ~full] == grid.final_loss[0, ~full]).all()
    spread = grid.spread()
    tol = 1e-12 * spread["mean"]  # the mean of equal numbers may differ from them by rounding
    assert (spread["low"] <= spread["mean"] + tol).all()
    assert (spread["mean"] <= spread["high"] + tol).all()


def test_grid_over_seeds_rejects_bad_seeds():
    X, y = blobs(n=20, seed=1)
    problem = LogisticRegression(X, y)
    with pytest.raises(ValueError, match="distinct"):
        sweep.run_grid_over_seeds(problem, [0.0, 0.0, 0.0], [1, 1], steps=3)
    with pytest.raises(ValueError, match="seeds"):
        sweep.run_grid_over_seeds(problem, [0.0, 0.0, 0.0], [-1], steps=3)
