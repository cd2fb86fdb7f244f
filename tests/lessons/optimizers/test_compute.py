"""GD vs SGD at equal iterations and equal examples: the batch-size sweep and its verdicts."""

import numpy as np
import pytest

from helpers import LogisticRegression, blobs
from helpers.lessons.optimizers.compute import batch_size_sweep, sgd_vs_gd_claim
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
