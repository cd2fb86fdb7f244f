"""The write-up's tables: packaged data, tables, ranks and Kendall's tau."""

from importlib import resources

import numpy as np
import pandas as pd
import pytest

from helpers.lessons.optimizers.grid import OPTIMIZERS
from helpers.lessons.optimizers.writeup import (
    kendall_tau,
    load_writeup_losses,
    possible_readings,
    rank_table,
    writeup_table,
)


def test_data_ships_with_the_package_and_keeps_its_notes():
    folder = resources.files("helpers.lessons.optimizers") / "data"
    assert (folder / "problem4_final_losses.csv").is_file()
    assert "recovered from images" in (folder / "README.md").read_text()
    df = load_writeup_losses()
    assert len(df) == 56 and list(df.columns) == ["optimizer", "lr", "beta", "final_loss", "note"]
    missing = df[df["final_loss"].isna()]
    assert len(missing) == 5 and (missing["note"] != "").all()
    assert df.loc[(df["optimizer"] == "SGD") & (df["lr"] == 0.01), "final_loss"].item() == 0.97


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_writeup_table_has_the_grid_shape(name):
    table = writeup_table(name)
    assert list(table.index) == [0.01, 0.1, 0.5, 1.0]
    assert table.shape[1] == (1 if name in ("GD", "SGD") else 3)


def test_rank_table_keeps_missing_cells():
    ranks = rank_table(writeup_table("GD+Nesterov"))
    assert np.isnan(ranks.loc[1.0, 0.9])
    assert ranks.loc[0.5, 0.9] == 1.0 and ranks.loc[1.0, 0.8] == 2.0  # 0.0004, then 0.001
    with pytest.raises(TypeError, match="DataFrame"):
        rank_table([1, 2])


def test_kendall_tau_extremes_and_missing_values():
    rng = np.random.default_rng(0)
    a = rng.permutation(10).astype(float)
    assert kendall_tau(a, 2 * a + 1) == (1.0, 10)
    assert kendall_tau(a, -a) == (-1.0, 10)
    b = a.copy()
    b[3] = np.nan
    tau, m = kendall_tau(a, b)
    assert m == 9 and tau == 1.0
    assert np.isnan(kendall_tau([1.0], [2.0])[0])
    with pytest.raises(ValueError, match="same size"):
        kendall_tau([1, 2], [1, 2, 3])


def test_kendall_tau_matches_pairwise_definition():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=12), rng.normal(size=12)
    pairs = [(i, j) for i in range(12) for j in range(i + 1, 12)]
    expected = np.mean([np.sign(a[i] - a[j]) * np.sign(b[i] - b[j]) for i, j in pairs])
    assert kendall_tau(pd.Series(a), b)[0] == pytest.approx(expected)


def test_possible_readings_change_only_the_noted_cells():
    printed = load_writeup_losses()
    reread = possible_readings(printed)
    changed = reread["reread"].to_numpy()
    assert changed.sum() == 2
    assert printed["note"][changed].str.contains("possibly").all()
    same = ~changed
    pd.testing.assert_series_equal(
        printed["final_loss"][same], reread["final_loss"][same], check_names=False
    )
    assert reread["final_loss"].isna().sum() == printed["final_loss"].isna().sum()
    assert sorted(reread.loc[changed, "final_loss"]) == [0.066, 0.49]
    with pytest.raises((TypeError, ValueError), match="load_writeup_losses"):
        possible_readings(pd.DataFrame({"x": [1]}))
