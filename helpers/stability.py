r"""When do GD, heavy-ball and Nesterov momentum converge on a quadratic?

On :math:`f(p) = \tfrac{\lambda}{2} p^2` one step of each method (PyTorch's form, see
:mod:`helpers.optim`) is linear in the state :math:`(p, \eta v)`, with :math:`h = \eta\lambda`:

* heavy ball: :math:`\begin{pmatrix} 1-h & -\beta \\ h & \beta \end{pmatrix}`, trace :math:`1-h+\beta`,
  determinant :math:`\beta`;
* Nesterov: :math:`\begin{pmatrix} 1-h(1+\beta) & -\beta^2 \\ h & \beta \end{pmatrix}`, trace
  :math:`1-h(1+\beta)+\beta`, determinant :math:`\beta(1-h)`.

Both eigenvalues lie inside the unit circle iff (Jury's test) :math:`|D| < 1` and
:math:`1 \pm T + D > 0`, which gives

.. math::
    0 < \eta\lambda < 2 + 2\beta \ \text{(heavy ball)}, \qquad
    0 < \eta\lambda < \frac{2 + 2\beta}{1 + 2\beta} \ \text{(Nesterov)},

both reducing to GD's :math:`\eta\lambda < 2` at :math:`\beta = 0`. On a problem whose curvature
is at most L (an L-smooth one), a step inside these bounds for :math:`\lambda = L` is safe on the
quadratic model; outside them the quadratic would diverge.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = ["iteration_matrix", "stability_limit", "stable_on_quadratic"]


def stability_limit(beta: ArrayLike, nesterov: ArrayLike = False) -> np.ndarray:
    r"""The largest :math:`\eta\lambda` for which momentum ``beta`` converges on a quadratic:
    :math:`2+2\beta` (heavy ball, and GD at :math:`\beta=0`) or :math:`(2+2\beta)/(1+2\beta)`
    (Nesterov). Vectorized over ``beta`` and ``nesterov``."""
    beta = check.in_unit_interval("beta", beta)
    nesterov = check.boolean("nesterov", nesterov)
    return np.where(nesterov, (2 + 2 * beta) / (1 + 2 * beta), 2 + 2 * beta)


def stable_on_quadratic(
    lr: ArrayLike, beta: ArrayLike, curvature: ArrayLike, nesterov: ArrayLike = False
) -> np.ndarray:
    r"""Whether :math:`0 < \eta\lambda <` :func:`stability_limit`, i.e. the method converges on
    :math:`\tfrac{\lambda}{2}p^2` (``curvature`` :math:`\lambda > 0`). Vectorized."""
    lr = check.positive("lr", lr)
    curvature = check.positive("curvature", curvature)
    return lr * curvature < stability_limit(beta, nesterov)


def iteration_matrix(
    lr: float, beta: float, curvature: float, nesterov: bool = False
) -> np.ndarray:
    r"""The 2 x 2 matrix mapping :math:`(p_t, \eta v_t)` to :math:`(p_{t+1}, \eta v_{t+1})` on
    :math:`\tfrac{\lambda}{2}p^2`; the method converges iff its spectral radius is below 1."""
    h = float(check.positive("lr", lr)) * float(check.positive("curvature", curvature))
    beta = float(check.in_unit_interval("beta", beta))
    if bool(check.boolean("nesterov", nesterov)):
        return np.array([[1 - h * (1 + beta), -(beta**2)], [h, beta]])
    return np.array([[1 - h, -beta], [h, beta]])
