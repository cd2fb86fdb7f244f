"""Separability, the max-margin direction, the valley floor and the L2 optimum."""

import numpy as np
import pytest

from helpers import LogisticRegression, blobs, breast_cancer
from helpers.lessons.optimizers.separability import (
    is_separable,
    max_margin_direction_2d,
    sklearn_optimum,
    valley_floor,
)
from helpers.newton import run as newton_run


def test_separability_of_the_notebook_data_and_of_xor():
    X, y = blobs(n=200, seed=0)
    Xc, yc = breast_cancer()
    assert is_separable(X, y) and is_separable(X[:, :2], y) and is_separable(Xc, yc)
    xor = np.array([[1.0, 1, 1], [-1, -1, 1], [1, -1, 1], [-1, 1, 1]])
    assert not is_separable(xor, [1, 1, 0, 0])
    with pytest.raises(ValueError, match="0/1 labels"):
        is_separable(xor, [0.5, 1, 0, 0])


def test_max_margin_direction_beats_every_other_direction():
    rng = np.random.default_rng(2)
    X = np.r_[rng.normal([2, 1], 0.4, (30, 2)), rng.normal([-2, -1], 0.4, (30, 2))]
    y = np.r_[np.ones(30), np.zeros(30)]
    u, margin = max_margin_direction_2d(X, y)
    assert np.linalg.norm(u) == pytest.approx(1.0) and margin > 0
    s = (2 * y - 1)[:, None] * X
    theta = np.linspace(-np.pi, np.pi, 5000)
    others = np.min(s @ np.stack([np.cos(theta), np.sin(theta)]), axis=0)
    assert margin >= others.max() - 1e-12
    with pytest.raises(ValueError, match="2 columns"):
        max_margin_direction_2d(np.ones((3, 3)), [0, 1, 1])


def test_valley_floor_falls_on_separable_data():
    X, y = blobs(n=200, seed=0)
    _, floor = valley_floor(LogisticRegression(X[:, :2], y), [0.5, 5.0, 40.0])
    assert floor[0] > floor[1] > floor[2] > 0
    with pytest.raises(ValueError, match="d = 2"):
        valley_floor(LogisticRegression(X, y), [1.0])


@pytest.mark.parametrize("l2", [1e-1, 1e-2])
def test_sklearn_optimum_agrees_with_newton(l2):
    Xc, yc = breast_cancer()
    problem = LogisticRegression(Xc, yc, l2=l2)
    w_sk = sklearn_optimum(Xc, yc, l2)
    w_nt = newton_run(problem, np.zeros(Xc.shape[1]), 25).params[-1]
    assert np.linalg.norm(problem.grad(w_nt)) < 1e-12
    assert np.abs(w_sk - w_nt).max() < 1e-5
    assert float(problem.loss(w_sk) - problem.loss(w_nt)) < 1e-12
    with pytest.raises(ValueError, match="l2"):
        sklearn_optimum(Xc, yc, 0.0)
