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

__all__ = [
    "critical_damping",
    "iteration_matrix",
    "optimal_heavy_ball",
    "optimal_nesterov",
    "spectral_radius",
    "stability_limit",
    "stable_on_quadratic",
    "worst_rate",
]


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
    h = check.number("lr", lr, above=0) * check.number("curvature", curvature, above=0)
    beta = float(check.in_unit_interval("beta", check.number("beta", beta)))
    if check.flag("nesterov", nesterov):
        return np.array([[1 - h * (1 + beta), -(beta**2)], [h, beta]])
    return np.array([[1 - h, -beta], [h, beta]])


def spectral_radius(h: ArrayLike, beta: ArrayLike, nesterov: ArrayLike = False) -> np.ndarray:
    r"""Spectral radius of :func:`iteration_matrix` as a function of :math:`h = \eta\lambda`:
    the factor by which the error shrinks per step, asymptotically (< 1: converges).

    The eigenvalues are the roots of :math:`z^2 - Tz + D` (trace T, determinant D of the module
    docstring), :math:`z = (T \pm \sqrt{T^2 - 4D})/2`. Vectorized over h, beta and nesterov
    (broadcast). For heavy ball the roots are complex, with :math:`|z| = \sqrt\beta`, iff
    :math:`(1-\sqrt h)^2 < \beta < (1+\sqrt h)^2`.

    Example:
        >>> float(spectral_radius(0.5, 0.0))  # GD: |1 - h|
        0.5
        >>> round(float(spectral_radius(0.1, 0.5)), 6)  # complex roots: sqrt(beta)
        0.707107
    """
    h = check.as_finite_array("h", h)
    if np.any(h < 0):
        raise ValueError(f"h must be >= 0, got {h!r}")
    beta = check.in_unit_interval("beta", beta)
    nesterov = check.boolean("nesterov", nesterov)
    trace = np.where(nesterov, 1 - h * (1 + beta) + beta, 1 - h + beta)
    det = np.where(nesterov, beta * (1 - h), beta)
    root = np.sqrt((trace**2 - 4 * det).astype(complex))
    return np.maximum(np.abs((trace + root) / 2), np.abs((trace - root) / 2))


def critical_damping(h: ArrayLike) -> np.ndarray:
    r"""The heavy-ball beta at which the two eigenvalues meet, :math:`\beta = (1-\sqrt h)^2`
    for :math:`0 \le h \le 4`: the smallest beta with complex (oscillating) eigenvalues, of
    modulus :math:`\sqrt\beta = |1 - \sqrt h|`, the fastest rate at that h.

    For :math:`h \le 1` it is the lower edge of the complex region (below it: two positive real
    roots, overdamped); for :math:`1 < h < 4` it is :math:`\beta = (\sqrt h - 1)^2`, the
    region's right edge in h, :math:`h = (1+\sqrt\beta)^2`: between it and the stability
    boundary :math:`h = 2 + 2\beta` the roots are real and the larger in modulus is negative
    (the run flips sign every step). For :math:`h \ge 4` no beta < 1 gives complex roots.

    Example:
        >>> float(critical_damping(0.25)), float(critical_damping(2.25))
        (0.25, 0.25)
    """
    h = check.as_finite_array("h", h)
    if np.any((h < 0) | (h > 4)):
        raise ValueError(f"h must be in [0, 4], got {h!r}")
    return (1 - np.sqrt(h)) ** 2


def _spectrum(mu, L) -> tuple[float, float]:
    """``(mu, L)`` as floats, checked: the ends of a spectrum, 0 < mu <= L."""
    mu = check.number("mu", mu, above=0)
    L = check.number("L", L, above=0)
    if L < mu:
        raise ValueError(f"L must be >= mu, got mu={mu}, L={L}")
    return mu, L


def optimal_heavy_ball(mu: float, L: float) -> tuple[float, float, float]:
    r"""Polyak's optimal heavy ball for eigenvalues in :math:`[\mu, L]`: ``(lr, beta, rate)`` with
    :math:`\eta = (2/(\sqrt L + \sqrt\mu))^2`, :math:`\beta = ((\sqrt\kappa-1)/(\sqrt\kappa+1))^2`,
    rate :math:`(\sqrt\kappa-1)/(\sqrt\kappa+1)`, :math:`\kappa = L/\mu` (PyTorch's convention).

    Example:
        >>> [round(v, 6) for v in optimal_heavy_ball(1.0, 100.0)]
        [0.033058, 0.669421, 0.818182]
    """
    mu, L = _spectrum(mu, L)
    root = np.sqrt(L / mu)
    rate = (root - 1) / (root + 1)
    return float((2 / (np.sqrt(L) + np.sqrt(mu))) ** 2), float(rate**2), float(rate)


def optimal_nesterov(mu: float, L: float) -> tuple[float, float, float]:
    r"""The optimal Nesterov momentum for eigenvalues in :math:`[\mu, L]` (PyTorch's form):
    ``(lr, beta, rate)`` with

    .. math::
        \eta = \frac{4}{3L + \mu}, \qquad
        \beta = \frac{\sqrt{3\kappa+1} - 2}{\sqrt{3\kappa+1} + 2}, \qquad
        \text{rate} = 1 - \frac{2}{\sqrt{3\kappa+1}}, \qquad \kappa = L/\mu,

    the tuning that minimizes the worst spectral radius over the spectrum (Lessard, Recht and
    Packard, "Analysis and Design of Optimization Algorithms via Integral Quadratic
    Constraints", SIAM J. Optim. 2016, arXiv:1408.3595; PyTorch's Nesterov has the same
    characteristic polynomial as the method analysed there). The tests check it against a
    brute-force search with :func:`worst_rate`. Compare heavy ball's :math:`1 - 2/(\sqrt\kappa + 1)`
    (:func:`optimal_heavy_ball`): for large kappa Nesterov's best rate is slower.

    Example:
        >>> [round(v, 6) for v in optimal_nesterov(1.0, 100.0)]
        [0.013289, 0.793275, 0.884722]
    """
    mu, L = _spectrum(mu, L)
    q = np.sqrt(3 * L / mu + 1)
    return float(4 / (3 * L + mu)), float((q - 2) / (q + 2)), float(1 - 2 / q)


def worst_rate(
    lr: ArrayLike, beta: ArrayLike, mu: float, L: float, nesterov: bool = False, num: int = 64
) -> np.ndarray:
    r"""The slowest rate over a spectrum in :math:`[\mu, L]`: the maximum of
    :func:`spectral_radius` at :math:`h = \eta\lambda` over ``num`` eigenvalues geometrically
    spaced from mu to L (both included). Vectorized over lr and beta.

    Example:
        >>> lr, beta, rate = optimal_heavy_ball(1.0, 100.0)
        >>> round(float(worst_rate(lr, beta, 1.0, 100.0)), 6)
        0.818182
    """
    mu, L = _spectrum(mu, L)
    lr = check.positive("lr", lr)
    beta = check.in_unit_interval("beta", beta)
    num = check.integer("num", num, low=2)
    check.flag("nesterov", nesterov)
    lam = np.geomspace(mu, L, num)
    lr, beta = np.broadcast_arrays(lr, beta)
    rho = spectral_radius(lr[..., None] * lam, beta[..., None], nesterov)
    return rho.max(axis=-1)
