"""GD vs SGD at equal iterations and equal examples: the batch-size sweep and its verdicts."""

import numpy as np
import pandas as pd
import pytest

from helpers import LogisticRegression, blobs
from helpers.lessons.optimizers.compute import (
    batch_size_sweep,
    best_lr_claim,
    best_lr_table,
    sgd_vs_gd_claim,
)
from helpers.optim import sgd
from helpers.train import run

X, Y = blobs(n=60, seed=0)
PROBLEM = LogisticRegression(X, Y)
W0 = np.array([-0.45, 1.0, 1.0])


def test_budgets_and_the_runs_they_stand_for():
    sweep = batch_size_sweep(PROBLEM, W0, [0.1, 0.5], [3, 60], [4, 7], epochs=2)
    steps = sweep.groupby("batch_size")["steps"].first()
    assert steps.to_dict() == {3: 40, 60: 2}
    assert (sweep["examples"] == 120).all()
    one = sweep[(sweep["batch_size"] == 3) & (sweep["lr"] == 0.5) & (sweep["seed"] == 7)]
    alone = run(PROBLEM, sgd(0.5), W0, 40, batch_size=3, seed=7)
    assert one["final_loss"].item() == pytest.approx(alone.final_loss, rel=1e-12)
    gd = sweep[sweep["batch_size"] == 60]
    assert gd.groupby("lr")["final_loss"].nunique().eq(1).all()  # full batch: no seed
    assert gd[gd["lr"] == 0.1]["final_loss"].iloc[0] == pytest.approx(
        run(PROBLEM, sgd(0.1), W0, 2).final_loss, rel=1e-12
    )


def test_sgd_beats_gd_at_equal_examples_at_every_seed():
    """A random claim, so tested over 24 seeds: 2 epochs, b = 3 against GD, lr 0.1 and 0.5."""
    sweep = batch_size_sweep(PROBLEM, W0, [0.1, 0.5], [3, 60], range(24), epochs=2)
    claim = sgd_vs_gd_claim("SGD beats GD", sweep, True)
    assert claim.verdict == "holds" and claim.difference[0] < 0


def test_equal_iterations_barely_separate_them():
    """At equal iterations SGD's mean loss over seeds is within a few percent of GD's."""
    sweep = batch_size_sweep(PROBLEM, W0, [0.1], [3, 60], range(16), iterations=30)
    means = sweep.groupby("batch_size")["final_loss"].mean()
    assert abs(means[3] / means[60] - 1) < 0.05


def test_rejects_bad_arguments():
    with pytest.raises(ValueError, match="exactly one budget"):
        batch_size_sweep(PROBLEM, W0, [0.1], [3], [0])
    with pytest.raises(ValueError, match="exactly one budget"):
        batch_size_sweep(PROBLEM, W0, [0.1], [3], [0], iterations=3, epochs=1)
    with pytest.raises(ValueError, match="batch_sizes"):
        batch_size_sweep(PROBLEM, W0, [0.1], [61], [0], iterations=3)
    with pytest.raises(ValueError, match="lrs"):
        batch_size_sweep(PROBLEM, W0, [-0.1], [3], [0], iterations=3)
    sweep = batch_size_sweep(PROBLEM, W0, [0.1], [60], range(8), iterations=3)
    with pytest.raises(ValueError, match="below n"):
        sgd_vs_gd_claim("x", sweep, True)


def _synthetic(losses):
    """A sweep from {(batch_size, lr): [loss per seed]} (batch size 4 is "n", full batch)."""
    rows = []
    for (b, lr), values in losses.items():
        for s, v in enumerate(values):
            rows.append((b, lr, s, 10, 10 * b, v, not np.isfinite(v)))
    columns = ["batch_size", "lr", "seed", "steps", "examples", "final_loss", "diverged"]
    return pd.DataFrame(rows, columns=columns).replace(np.inf, np.nan)


def test_best_lr_is_tuned_on_the_mean_and_compared_seed_by_seed():
    gd = {(4, 0.1): [0.5] * 8, (4, 1.0): [0.2] * 8}
    sgd_small = [0.1] * 7 + [0.3]  # lr 1: better on average, worse than GD at one seed
    sweep = _synthetic({**gd, (1, 0.1): [0.4] * 8, (1, 1.0): sgd_small})
    table = best_lr_table(sweep)
    assert table["best lr"].to_dict() == {1: 1.0, 4: 1.0}
    assert table["at edge"].all()
    assert table.loc[1, "high"] == 0.3 and table.loc[1, "low"] == 0.1
    claim = best_lr_claim("x", sweep)
    assert claim.verdict == "depends on the seed" and claim.held_per_seed == (1,) * 7 + (0,)
    assert claim.difference[0] == pytest.approx(np.mean(sgd_small) - 0.2)
    # a diverged run counts as infinitely bad: the other lr wins
    sweep = _synthetic({**gd, (1, 0.1): [0.15] * 8, (1, 1.0): [0.01] * 7 + [np.inf]})
    assert best_lr_table(sweep).loc[1, "best lr"] == 0.1
    assert best_lr_claim("x", sweep).verdict == "holds"


def test_best_lr_beats_gd_at_equal_examples_at_every_seed():
    """Random, so over 24 seeds: 2 epochs, b = 3 at its best lr against GD at its best lr."""
    sweep = batch_size_sweep(PROBLEM, W0, [0.1, 0.5, 2.0], [3, 60], range(24), epochs=2)
    claim = best_lr_claim("SGD beats GD", sweep)
    assert claim.verdict == "holds" and claim.difference[0] < 0
    table = best_lr_table(sweep)
    for b, row in table.iterrows():  # the chosen lr has the lowest mean log loss of its row
        part = sweep[sweep["batch_size"] == b]
        mean_log = part.assign(log=np.log10(part["final_loss"])).groupby("lr")["log"].mean()
        assert mean_log[row["best lr"]] == mean_log.min()
    with pytest.raises(TypeError, match="batch_size_sweep"):
        best_lr_table(np.zeros(3))
