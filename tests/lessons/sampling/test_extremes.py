"""Notebook 3's loops and laws at their extremes (issue 14): coverage at n = 10**18 against
50-digit decimals; the shuffling experiment's divergence check is two-sided and warning-free."""

from __future__ import annotations

import warnings
from decimal import Decimal, localcontext

import numpy as np
import pytest

from helpers.lessons.sampling.coverage import coverage_after
from helpers.lessons.sampling.shuffling import run_schemes
from helpers.problems import LeastSquares


@pytest.fixture(autouse=True)
def _no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("n", [10**9, 10**15, 10**18])
@pytest.mark.parametrize("epochs", [1, 3])
def test_coverage_with_replacement_at_huge_n(n, epochs):
    with localcontext() as ctx:
        ctx.prec = 60
        x = Decimal(1) / Decimal(n)
        log = -sum(x**j / j for j in range(1, 30))
        exact = 1 - (Decimal(n * epochs) * log).exp()
    assert abs(coverage_after(n, n * epochs, "with_replacement") - float(exact)) < 1e-15
    assert coverage_after(n, n // 2, "random_reshuffling") == 0.5


def test_run_schemes_stops_a_diverging_step_without_a_warning():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8, 2))
    problem = LeastSquares(X, rng.standard_normal(8), l2=0.1)
    lrs = np.array([0.05, 50.0])  # 50 x L_max is far past stability
    runs = run_schemes(problem, np.zeros(2), 30, lrs, seeds=(0, 1))
    assert not runs.diverged[:, 0].any() and runs.diverged[:, 1].all()
    at = runs.diverged_at[0, 1, 0]
    assert (
        np.isnan(runs.subopt[0, 1, 0, at:]).all() and np.isfinite(runs.subopt[0, 1, 0, :at]).all()
    )
    assert np.isfinite(runs.subopt[:, 0]).all() and (runs.subopt[:, 0] >= 0).all()
