"""The learning-rate scan against the quadratic theory."""

import numpy as np
import pandas as pd
import pytest

from helpers import LogisticRegression, blobs
from helpers.lessons.optimizers.divergence import boundary_table, lr_scan, outcome_bands
from helpers.newton import run as newton_run
from helpers.problems.quadratic import conditioned_quadratic
from helpers.stability import stability_limit

W0 = np.array([-0.45, 1.0, 1.0])


@pytest.mark.parametrize("beta", [0.5, 0.9])
def test_quadratic_boundary_brackets_the_theory(beta):
    quadratic = conditioned_quadratic(50.0, largest=2.0)
    scan = lr_scan(quadratic, [1.0, -1.0], np.geomspace(0.21, 5, 151), beta=beta, steps=300)
    table = boundary_table(scan, {"L": 2.0})
    assert (table["last converging"] < table["limit/L"]).all()
    assert (table["limit/L"] < table["first not converging"]).all()
    expected = stability_limit(np.array([0.0, beta, beta]), np.array([False, False, True])) / 2
    np.testing.assert_allclose(table["limit/L"], expected)
    # the quadratic's curvature is the same everywhere: "met" is the theory itself
    np.testing.assert_array_equal(table["first unstable (met)"], table["first not converging"])


def test_unregularized_separable_logistic_never_diverges():
    X, y = blobs(n=60, seed=0)
    scan = lr_scan(LogisticRegression(X, y), W0, [0.1, 10.0, 1000.0], steps=50)
    assert (scan["outcome"] == "contracting").all()
    assert scan["unstable_at_met"].any()  # the theory says unstable, the loss still falls
    assert not scan["final_loss"].isna().any()


def test_regularized_logistic_blows_up_past_the_far_field_limit():
    X, y = blobs(n=60, seed=0)
    l2 = 0.05
    lrs = np.geomspace(1, 200, 40)
    scan = lr_scan(LogisticRegression(X, y, l2=l2), W0, lrs, kinds=("GD",), steps=100)
    table = boundary_table(scan, {"far": l2})
    assert table.loc["GD", "limit/far"] < table.loc["GD", "first diverged"]
    assert table.loc["GD", "first diverged"] < table.loc["GD", "limit/far"] * lrs[1] / lrs[0] ** 1


def test_with_the_minimum_known_runs_are_classified_by_what_they_reached():
    X, y = blobs(n=60, seed=0)
    problem = LogisticRegression(X, y, l2=0.05)
    f_star = float(problem.loss(newton_run(problem, W0, 30).params[-1]))
    lrs = np.geomspace(0.5, 200, 30)
    scan = lr_scan(problem, W0, lrs, kinds=("GD",), steps=1000, f_star=f_star, log_every=10)
    assert set(scan["outcome"]) <= {"converged", "descending", "stuck", "diverged"}
    converged = scan[scan["outcome"] == "converged"]
    assert (converged["gap"] <= 1e-8).all() and len(converged) > 0
    bounded = scan[scan["outcome"].isin(["descending", "stuck"])]
    assert (bounded["gap"] > 1e-8).all() and bounded["final_loss"].notna().all()
    assert scan.loc[scan["diverged"], "gap"].isna().all()
    # GD converges below the limit at w*'s curvature and not above it
    top = np.linalg.eigvalsh(problem.hessian(newton_run(problem, W0, 30).params[-1]))[-1]
    below = scan["lr"] < 0.95 * 2 / top
    above = scan["lr"] > 1.05 * 2 / top
    assert scan.loc[below, "outcome"].isin(["converged", "descending"]).all()
    assert scan.loc[above, "outcome"].isin(["stuck", "diverged"]).all()


def test_outcome_bands_cover_the_scan_in_order():
    scan = pd.DataFrame(
        {
            "kind": ["A"] * 6 + ["B"] * 2,
            "lr": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0],
            "outcome": [
                *("converged", "converged", "stuck", "converged", "diverged"),
                *("diverged", "converged", "converged"),
            ],
            "gap": [1e-9, 2e-9, 0.5, 0.0, np.nan, np.nan, 0.0, 0.0],
        }
    )
    bands = outcome_bands(scan)
    assert bands["outcome"].tolist() == [
        "converged",
        "stuck",
        "converged",
        "diverged",
        "converged",
    ]
    assert bands["runs"].tolist() == [2, 1, 1, 2, 2]
    assert bands.groupby("kind")["runs"].sum().to_dict() == {"A": 6, "B": 2}
    assert bands["lr from"].tolist() == [1.0, 3.0, 4.0, 5.0, 1.0]
    assert bands["largest gap"].iloc[0] == 2e-9 and np.isnan(bands["largest gap"].iloc[3])
    with pytest.raises(TypeError, match="lr_scan"):
        outcome_bands(np.zeros(3))


def test_rejects_bad_arguments():
    quadratic = conditioned_quadratic(10.0)
    with pytest.raises(ValueError, match="kinds"):
        lr_scan(quadratic, [1.0, 1.0], [1.0], kinds=("Adam",))
    with pytest.raises(ValueError, match="lrs"):
        lr_scan(quadratic, [1.0, 1.0], [0.0])
    with pytest.raises(TypeError, match="lr_scan"):
        boundary_table(np.zeros(3))
    with pytest.raises(ValueError, match="tol"):
        lr_scan(quadratic, [1.0, 1.0], [1.0], f_star=0.0, tol=0.0)
    with pytest.raises(ValueError, match="log_every"):
        lr_scan(quadratic, [1.0, 1.0], [1.0], steps=10, log_every=11)
