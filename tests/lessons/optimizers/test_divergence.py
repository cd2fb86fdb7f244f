"""The learning-rate scan against the quadratic theory."""

import numpy as np
import pytest

from helpers import LogisticRegression, blobs
from helpers.lessons.optimizers.divergence import boundary_table, lr_scan
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
    assert (scan["outcome"] == "converging").all()
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


def test_rejects_bad_arguments():
    quadratic = conditioned_quadratic(10.0)
    with pytest.raises(ValueError, match="kinds"):
        lr_scan(quadratic, [1.0, 1.0], [1.0], kinds=("Adam",))
    with pytest.raises(ValueError, match="lrs"):
        lr_scan(quadratic, [1.0, 1.0], [0.0])
    with pytest.raises(TypeError, match="lr_scan"):
        boundary_table(np.zeros(3))
