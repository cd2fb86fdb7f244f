r"""Nesterov momentum in Sutskever et al.'s (2013) form, to compare with PyTorch's form.

Sutskever's Nesterov step takes the gradient at the look-ahead point :math:`\theta_t + \beta v_t`:

.. math::
    v_{t+1} = \beta v_t - \eta \nabla f(\theta_t + \beta v_t), \qquad \theta_{t+1} = \theta_t + v_{t+1}.

With :math:`p_t = \theta_t + \beta v_t` and :math:`b_t = -v_t/\eta` this becomes PyTorch's
:math:`b_{t+1} = \beta b_t + \nabla f(p_t)`, :math:`p_{t+1} = p_t - \eta(\nabla f(p_t) + \beta b_{t+1})`:
PyTorch's parameters *are* Sutskever's look-ahead points.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers import _validate as check
from helpers.divergence import Trajectory, Watch

__all__ = ["sutskever_nesterov"]


def sutskever_nesterov(
    grad: Callable[[np.ndarray], np.ndarray],
    theta0,
    lr: float,
    beta: float,
    steps: int,
    blowup: float = 1e6,
) -> Trajectory:
    r"""Run Sutskever's Nesterov momentum from ``theta0`` (with :math:`v_0 = 0`).

    Returns ``(theta, v)``, each of shape ``(steps+1, d)``: the iterates and velocities.
    The look-ahead points ``theta + beta * v`` equal ``sgd(lr, beta, nesterov=True)``'s iterates.
    The pair is a :class:`helpers.divergence.Trajectory`: it also says ``diverged``,
    ``diverged_at`` and ``status``. Divergence (theta or v not finite, or above ``blowup`` x
    max(1, max|theta0|) in absolute value, either sign; see :class:`helpers.divergence.Watch`)
    stops the loop without a warning; the later rows are NaN.
    """
    check.function("grad", grad)
    theta = check.as_finite_array("theta0", theta0, ndim=(1,))
    if theta.size == 0:
        raise ValueError("theta0 must hold at least one parameter, got an empty array")
    lr = check.number("lr", lr, above=0)
    beta = float(check.in_unit_interval("beta", check.as_finite_array("beta", beta, ndim=(0,))))
    steps = check.integer("steps", steps, low=0)
    blowup = check.number("blowup", blowup, above=1)
    watch = Watch(theta, blowup=blowup)
    thetas = np.full((steps + 1, theta.size), np.nan)
    velocities = np.full((steps + 1, theta.size), np.nan)
    thetas[0], velocities[0] = theta, 0.0
    with np.errstate(all="ignore"):
        for t in range(steps):
            v = beta * velocities[t] - lr * np.asarray(grad(thetas[t] + beta * velocities[t]))
            velocities[t + 1] = v
            thetas[t + 1] = thetas[t] + v
            if not watch.update(t + 1, params=np.concatenate([thetas[t + 1], v]))[0]:
                break
    return Trajectory((thetas, velocities), watch.diverged_at[0], steps)
