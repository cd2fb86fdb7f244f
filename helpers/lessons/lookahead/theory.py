r"""Lookahead's theory, checked: Algorithm 1 written out, the EMA form, the noisy quadratic model.

The optimizer itself is :func:`helpers.optim.lookahead`; this module holds what the notebook uses
to check it against the paper (Zhang, Lucas, Hinton, Ba 2019, arXiv 1907.08610).

**Algorithm 1.** Slow weights :math:`\phi_0`; for :math:`t = 0, 1, \dots`:
:math:`\theta_{t,0} = \phi_t`; for :math:`i = 1..k`:
:math:`\theta_{t,i} = \theta_{t,i-1} + A(\theta_{t,i-1}, g_{t,i})` (one inner-optimizer step);
then :math:`\phi_{t+1} = \phi_t + \alpha(\theta_{t,k} - \phi_t)`.

**Slow weights as an exponential moving average.** Unrolling
:math:`\phi_{t+1} = (1-\alpha)\phi_t + \alpha\theta_{t,k}`:

.. math::
    \phi_t = \alpha \sum_{j=0}^{t-1} (1-\alpha)^{t-1-j}\, \theta_{j,k} + (1-\alpha)^t \phi_0 .

**Noisy quadratic model** (the paper's section 3.1, one coordinate): loss
:math:`\tfrac a2 (x - c)^2` with :math:`c \sim N(0, \sigma^2)` drawn afresh each step, so SGD
with step :math:`\gamma` is :math:`x \leftarrow r x + \gamma a c` with :math:`r = 1 - \gamma a`.
Its steady-state variance is

.. math::
    V_{\mathrm{SGD}} = \frac{\gamma^2 a^2 \sigma^2}{1 - r^2}.

After k inner steps from the slow weights, :math:`\theta_k = r^k \phi + \text{noise}` with noise
variance :math:`V_{\mathrm{SGD}}(1 - r^{2k})`, so
:math:`\phi' = (1 - \alpha(1 - r^k))\phi + \alpha\,\text{noise}` and the slow weights settle at

.. math::
    V_{\mathrm{LA}} = V_{\mathrm{SGD}}\,
    \frac{\alpha^2 (1 - r^{2k})}{\alpha^2 (1 - r^{2k}) + 2\alpha(1-\alpha)(1 - r^k)}
    = V_{\mathrm{SGD}}\, \frac{\alpha (1 + r^k)}{2 - \alpha (1 - r^k)} ,

which is below :math:`V_{\mathrm{SGD}}` for every :math:`\alpha < 1` (the ratio is < 1 iff
:math:`\alpha < 1`) and equal to it at :math:`\alpha = 1`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.optim import Optimizer, lookahead, sgd

__all__ = [
    "algorithm1",
    "burn_in_steps",
    "ema_expansion",
    "nqm_contraction",
    "nqm_lookahead_variance",
    "nqm_sgd_variance",
    "nqm_simulate",
    "nqm_variance_ratio",
    "nqm_variance_ratio_paper_form",
]


def algorithm1(
    grad_fn: Callable[[np.ndarray, int], np.ndarray],
    phi0: ArrayLike,
    inner: Optimizer,
    k: int,
    alpha: float,
    outer_steps: int,
) -> tuple[np.ndarray, np.ndarray]:
    r"""The paper's Algorithm 1, written as two plain loops (a reference, not for speed).

    ``grad_fn(theta, step)`` is the (possibly noisy) gradient at ``theta`` for inner step number
    ``step = t*k + i - 1`` (counting from 0), so another implementation can be fed the same
    gradients. The inner optimizer's state is carried across outer iterations (the paper's
    default).

    Returns ``phis`` of shape ``(outer_steps + 1, d)`` (:math:`\phi_0 .. \phi_T`) and ``thetas``
    of shape ``(outer_steps, d)`` (:math:`\theta_{t,k}`, the fast weights at the end of each
    inner loop).
    """
    phi = check.as_finite_array("phi0", phi0, ndim=(1,)).copy()
    k = check.integer("k", k, low=1)
    alpha = float(check.fraction("alpha", check.as_finite_array("alpha", alpha, ndim=(0,))))
    outer_steps = check.integer("outer_steps", outer_steps, low=0)
    state = inner.init(phi)
    phis, thetas = [phi.copy()], []
    for t in range(outer_steps):
        theta = phi.copy()  # theta_{t,0} = phi_t
        for i in range(1, k + 1):  # theta_{t,i} from theta_{t,i-1}
            theta, state = inner.step(theta, grad_fn(theta, t * k + i - 1), state)
        thetas.append(theta)
        phi = phi + alpha * (theta - phi)  # phi_{t+1}
        phis.append(phi.copy())
    return np.array(phis), np.array(thetas).reshape(outer_steps, phi.size)


def ema_expansion(thetas: ArrayLike, phi0: ArrayLike, alpha: float) -> np.ndarray:
    r"""Slow weights from the closed form, not the recursion:
    :math:`\phi_t = \alpha\sum_{j<t}(1-\alpha)^{t-1-j}\theta_{j} + (1-\alpha)^t\phi_0`.

    ``thetas`` has shape ``(T, d)`` (:math:`\theta_{j,k}`); returns ``(T + 1, d)``.
    """
    thetas = check.as_finite_array("thetas", thetas, ndim=(2,))
    phi0 = check.as_finite_array("phi0", phi0, ndim=(1,))
    if phi0.shape[0] != thetas.shape[1]:
        raise ValueError(f"phi0 must have length {thetas.shape[1]}, got {phi0.shape[0]}")
    alpha = float(check.fraction("alpha", check.as_finite_array("alpha", alpha, ndim=(0,))))
    T = thetas.shape[0]
    t = np.arange(T + 1)[:, None]
    j = np.arange(T)[None, :]
    weights = np.where(j < t, alpha * (1 - alpha) ** np.maximum(t - 1 - j, 0), 0.0)
    return weights @ thetas + (1 - alpha) ** t * phi0


def _nqm_args(a, lr) -> tuple[np.ndarray, np.ndarray]:
    a = check.positive("a", a)
    lr = check.positive("lr", lr)
    if np.any(lr * a >= 2):
        raise ValueError(f"lr must be < 2/a for SGD to settle (lr * a in (0, 2)), got lr={lr!r}")
    return a, lr


def _k_alpha(k, alpha) -> tuple[np.ndarray, np.ndarray]:
    return check.integers("k", k, low=1), check.fraction("alpha", alpha)


def nqm_sgd_variance(a: ArrayLike, lr: ArrayLike, sigma: ArrayLike) -> np.ndarray:
    r""":math:`V_{\mathrm{SGD}} = \gamma^2 a^2 \sigma^2 / (1 - (1 - \gamma a)^2)` (needs
    :math:`0 < \gamma a < 2`)."""
    a, lr = _nqm_args(a, lr)
    sigma = check.positive("sigma", sigma)
    r = 1 - lr * a
    return lr**2 * a**2 * sigma**2 / (1 - r**2)


def nqm_variance_ratio(a: ArrayLike, lr: ArrayLike, k: ArrayLike, alpha: ArrayLike) -> np.ndarray:
    r""":math:`V_{\mathrm{LA}}/V_{\mathrm{SGD}} = \alpha(1 + r^k) / (2 - \alpha(1 - r^k))`,
    :math:`r = 1 - \gamma a` (broadcasts over all arguments)."""
    a, lr = _nqm_args(a, lr)
    k, alpha = _k_alpha(k, alpha)
    rk = (1 - lr * a) ** k
    return alpha * (1 + rk) / (2 - alpha * (1 - rk))


def nqm_variance_ratio_paper_form(
    a: ArrayLike, lr: ArrayLike, k: ArrayLike, alpha: ArrayLike
) -> np.ndarray:
    r"""The same ratio in the paper's form
    :math:`\alpha^2(1-r^{2k}) / (\alpha^2(1-r^{2k}) + 2\alpha(1-\alpha)(1-r^k))`."""
    a, lr = _nqm_args(a, lr)
    k, alpha = _k_alpha(k, alpha)
    r = 1 - lr * a
    top = alpha**2 * (1 - r ** (2 * k))
    return top / (top + 2 * alpha * (1 - alpha) * (1 - r**k))


def nqm_lookahead_variance(
    a: ArrayLike, lr: ArrayLike, sigma: ArrayLike, k: ArrayLike, alpha: ArrayLike
) -> np.ndarray:
    r"""Steady-state variance of Lookahead's slow weights on the noisy quadratic,
    :math:`V_{\mathrm{SGD}} \cdot` :func:`nqm_variance_ratio`."""
    return nqm_sgd_variance(a, lr, sigma) * nqm_variance_ratio(a, lr, k, alpha)


def nqm_contraction(a: ArrayLike, lr: ArrayLike, k: ArrayLike, alpha: ArrayLike) -> np.ndarray:
    r"""How much the slow weights' mean shrinks per outer step: :math:`|1 - \alpha(1 - r^k)|`."""
    a, lr = _nqm_args(a, lr)
    k, alpha = _k_alpha(k, alpha)
    return np.abs(1 - alpha * (1 - (1 - lr * a) ** k))


def burn_in_steps(
    a: ArrayLike, lr: ArrayLike, k: ArrayLike, alpha: ArrayLike, tol: float = 1e-6
) -> int:
    r"""Inner steps after which every configuration's variance, started from a fixed point, is
    within a relative ``tol`` of its steady state (:math:`q^{2T} \le` tol for the contraction q of
    :func:`nqm_contraction` and T outer steps), rounded up to a multiple of every k so that all
    configurations have just synchronized."""
    tol = float(check.positive("tol", tol))
    if tol >= 1:
        raise ValueError(f"tol must be in (0, 1), got {tol}")
    q = np.atleast_1d(nqm_contraction(a, lr, k, alpha)).astype(float)
    k_all = np.broadcast_to(np.asarray(k), q.shape)
    outer = np.where(q > 0, np.ceil(np.log(tol) / (2 * np.log(np.where(q > 0, q, 0.5)))), 1)
    period = int(np.lcm.reduce(np.unique(k_all).astype(int)))
    steps = int(np.max(outer * k_all))
    return -(-steps // period) * period


def nqm_simulate(
    a: float,
    lr: ArrayLike,
    sigma: float,
    k: ArrayLike,
    alpha: ArrayLike,
    chains: int,
    steps: int,
    seed: int = 0,
    inner_state: str = "keep",
) -> np.ndarray:
    r"""Monte Carlo of :func:`helpers.optim.lookahead` around SGD on the noisy quadratic.

    M configurations (``lr``, ``k``, ``alpha`` broadcast to 1-D arrays of length M) each run
    ``chains`` independent chains from x = 0 for ``steps`` inner steps: the gradient at step t is
    :math:`a (x - c_t)` with fresh :math:`c_t \sim N(0, \sigma^2)` per chain. The chains are the
    columns of one ``(M, chains)`` parameter array, so the whole simulation is one vectorized loop
    through the real optimizer code. Returns the slow weights after the last step, ``(M, chains)``.
    """
    a = float(check.positive("a", a))
    sigma = float(check.positive("sigma", sigma))
    lr, k, alpha = np.broadcast_arrays(np.asarray(lr), np.asarray(k), np.asarray(alpha))
    lr, k, alpha = (np.atleast_1d(v).ravel()[:, None] for v in (lr, k, alpha))
    chains = check.integer("chains", chains, low=2)
    steps = check.integer("steps", steps, low=0)
    seed = check.integer("seed", seed, low=0)
    opt = lookahead(sgd(lr), k=k, alpha=alpha, inner_state=inner_state)
    rng = np.random.default_rng(seed)
    x = np.zeros((lr.shape[0], chains))
    state = opt.init(x)
    for _ in range(steps):
        noise = rng.standard_normal(x.shape)
        x, state = opt.step(x, a * (x - sigma * noise), state)
    return state.slow
