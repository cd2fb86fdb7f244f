"""Notebook 4's Sutskever-form loop at its extremes (issue 14): divergence in both directions is
detected without a warning, stopped and reported."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers.lessons.optimizers.nesterov import sutskever_nesterov
from helpers.optim import sgd
from helpers.problems import Quadratic
from helpers.train import run


@pytest.fixture(autouse=True)
def _no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_sutskever_form_stops_on_an_indefinite_quadratic():
    # f = (x^2 - y^2) / 2: the y coordinate grows without bound (f -> -inf).
    q = Quadratic(np.diag([1.0, -1.0]), np.zeros(2))
    traj = sutskever_nesterov(q.grad, np.array([1.0, 1.0]), 0.5, 0.9, 500)
    thetas, velocities = traj
    assert traj.diverged and 0 < traj.diverged_at < 500
    t = traj.diverged_at
    assert np.isfinite(thetas[:t]).all() and np.isnan(thetas[t + 1 :]).all()
    assert np.abs(thetas[t]).max() > 1e6 or np.abs(velocities[t]).max() > 1e6


def test_sutskever_form_stops_when_lr_is_past_the_stability_limit():
    q = Quadratic(np.eye(2), np.zeros(2))  # eta lambda = 5 > 2 (1 + beta)/(1 + 2 beta) for Nesterov
    traj = sutskever_nesterov(q.grad, np.array([1.0, -1.0]), 5.0, 0.5, 10_000)
    assert traj.diverged and traj.status.startswith("diverged at step")


def test_sutskever_form_still_equals_pytorch_form_bit_for_bit_before_divergence():
    q = Quadratic(np.diag([1.0, 10.0]), np.zeros(2))
    w0 = np.array([1.0, 1.0])
    traj = sutskever_nesterov(q.grad, w0, 0.05, 0.9, 30)
    assert not traj.diverged and traj.status == "ran 30 steps"
    thetas, velocities = traj
    hist = run(q, sgd(0.05, momentum=0.9, nesterov=True), w0, 30)
    np.testing.assert_allclose(thetas + 0.9 * velocities, hist.params, rtol=1e-12, atol=1e-15)


def test_sutskever_form_with_beta_0_is_gradient_descent_and_a_tiny_lr_barely_moves():
    q = Quadratic(np.eye(1), np.zeros(1))
    thetas, _ = sutskever_nesterov(q.grad, np.array([1.0]), 0.5, 0.0, 5)
    np.testing.assert_array_equal(thetas[:, 0], 0.5 ** np.arange(6))  # exact powers of 2
    thetas, _ = sutskever_nesterov(q.grad, np.array([1.0]), 1e-300, 0.0, 3)
    np.testing.assert_array_equal(thetas[:, 0], [1.0, 1.0, 1.0, 1.0])
