"""helpers.lessons.newton.invariance: derivatives of f(Az), Newton's invariance, GD's lack of it."""

import numpy as np
import pytest

from helpers.data import blobs
from helpers.lessons.newton.invariance import Reparametrized, coordinate_change
from helpers.newton import run
from helpers.optim import sgd
from helpers.problems import LogisticRegression, Rosenbrock
from helpers.train import run as run_optimizer

X, Y = blobs(n=40, seed=1)
LOGREG = LogisticRegression(X, Y, l2=0.01)


@pytest.mark.parametrize("seed", range(8))
def test_derivatives_match_finite_differences(seed):
    f = Reparametrized(LOGREG, coordinate_change(3, seed, condition=5.0))
    z = np.random.default_rng(seed).standard_normal(3)
    h = 1e-6
    fd = np.array([(f.loss(z + h * e) - f.loss(z - h * e)) / (2 * h) for e in np.eye(3)])
    assert np.allclose(f.grad(z), fd, atol=1e-7)
    fd_h = np.array([(f.grad(z + h * e) - f.grad(z - h * e)) / (2 * h) for e in np.eye(3)])
    assert np.allclose(f.hessian(z), fd_h, atol=1e-6)
    v = np.ones(3)
    assert np.allclose(f.hvp(z, v), f.hessian(z) @ v)


@pytest.mark.parametrize("seed", range(8))
def test_newton_is_invariant_and_gd_is_not(seed):
    A = coordinate_change(3, seed, condition=30.0)
    f = Reparametrized(LOGREG, A)
    w0 = np.array([0.5, -1.0, 0.2])
    newton_w = run(LOGREG, w0, 6).params
    newton_z = run(f, f.to_z(w0), 6).params
    assert np.allclose(f.to_w(newton_z), newton_w, atol=1e-10)
    gd_w = run_optimizer(LOGREG, sgd(0.1), w0, 20).params
    gd_z = run_optimizer(f, sgd(0.1), f.to_z(w0), 20).params
    assert np.abs(f.to_w(gd_z) - gd_w).max() > 1e-2


def test_coordinate_change_and_bad_arguments():
    A = coordinate_change(4, 3, condition=100.0)
    assert np.isclose(np.linalg.cond(A), 100.0)
    assert np.array_equal(A, coordinate_change(4, 3, condition=100.0))
    with pytest.raises(ValueError, match=r"^A\b"):
        Reparametrized(Rosenbrock(), np.eye(3))
    with pytest.raises(ValueError, match=r"^A\b"):
        Reparametrized(Rosenbrock(), np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"^condition\b"):
        coordinate_change(2, 0, condition=0.0)
    with pytest.raises(ValueError, match=r"^seed\b"):
        coordinate_change(2, -1)
