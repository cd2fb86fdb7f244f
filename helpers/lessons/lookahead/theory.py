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
from helpers.divergence import Trajectory, Watch
from helpers.optim import Optimizer, lookahead, sgd
from helpers.stability import iteration_matrix

__all__ = [
    "algorithm1",
    "burn_in_steps",
    "ema_expansion",
    "nqm_adaptive_alpha_runs",
    "nqm_contraction",
    "nqm_expected_loss",
    "nqm_lookahead_variance",
    "nqm_matched_lr",
    "nqm_matched_variance_ratio",
    "nqm_sgd_variance",
    "nqm_simulate",
    "nqm_variance_ratio",
    "nqm_variance_ratio_paper_form",
    "optimal_alpha",
    "outer_matrix",
    "per_step_rate",
    "spectral_radius",
    "tuned_rate",
]


def algorithm1(
    grad_fn: Callable[[np.ndarray, int], np.ndarray],
    phi0: ArrayLike,
    inner: Optimizer,
    k: int,
    alpha: float,
    outer_steps: int,
) -> Trajectory:
    r"""The paper's Algorithm 1, written as two plain loops (a reference, not for speed).

    ``grad_fn(theta, step)`` is the (possibly noisy) gradient at ``theta`` for inner step number
    ``step = t*k + i - 1`` (counting from 0), so another implementation can be fed the same
    gradients. The inner optimizer's state is carried across outer iterations (the paper's
    default).

    Returns ``phis`` of shape ``(outer_steps + 1, d)`` (:math:`\phi_0 .. \phi_T`) and ``thetas``
    of shape ``(outer_steps, d)`` (:math:`\theta_{t,k}`, the fast weights at the end of each
    inner loop), as a :class:`helpers.divergence.Trajectory` (a tuple that also says
    ``diverged``, ``diverged_at`` (the outer step) and ``status``). Divergence, checked after every
    inner step without a warning (non-finite or blown-up weights, see
    :class:`helpers.divergence.Watch`), stops the loops; the later entries are NaN.
    """
    check.function("grad_fn", grad_fn)
    phi = check.as_finite_array("phi0", phi0, ndim=(1,)).copy()
    if phi.size == 0:
        raise ValueError("phi0 must hold at least one parameter, got an empty array")
    check.optimizer("inner", inner)
    k = check.integer("k", k, low=1)
    alpha = float(check.fraction("alpha", check.as_finite_array("alpha", alpha, ndim=(0,))))
    outer_steps = check.integer("outer_steps", outer_steps, low=0)
    state = inner.init(phi)
    phis = np.full((outer_steps + 1, phi.size), np.nan)
    thetas = np.full((outer_steps, phi.size), np.nan)
    phis[0] = phi
    watch = Watch(phi)
    with np.errstate(all="ignore"):
        for t in range(outer_steps):
            theta = phi.copy()  # theta_{t,0} = phi_t
            for i in range(1, k + 1):  # theta_{t,i} from theta_{t,i-1}
                theta, state = inner.step(theta, grad_fn(theta, t * k + i - 1), state)
                if not watch.update(t + 1, params=theta)[0]:
                    break
            thetas[t] = theta
            phi = phi + alpha * (theta - phi)  # phi_{t+1}
            phis[t + 1] = phi
            if not watch.update(t + 1, params=phi)[0]:
                break
    return Trajectory((phis, thetas), watch.diverged_at[0], outer_steps)


def ema_expansion(thetas: ArrayLike, phi0: ArrayLike, alpha: float) -> np.ndarray:
    r"""Slow weights from the closed form, not the recursion:
    :math:`\phi_t = \alpha\sum_{j<t}(1-\alpha)^{t-1-j}\theta_{j} + (1-\alpha)^t\phi_0`.

    ``thetas`` has shape ``(T, d)`` (:math:`\theta_{j,k}`); returns ``(T + 1, d)``.
    """
    thetas = check.as_finite_array("thetas", thetas, ndim=(2,))
    if thetas.shape[1] == 0:
        raise ValueError(f"thetas must have at least one column (T, d >= 1), got {thetas.shape}")
    phi0 = check.as_finite_array("phi0", phi0, ndim=(1,))
    if phi0.shape[0] != thetas.shape[1]:
        raise ValueError(
            f"phi0 and thetas must have the same d: thetas (T, d) = {thetas.shape}, phi0 "
            f"{phi0.shape}"
        )
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


def _rk_terms(x: ArrayLike, k: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`(1 - r^k, 1 + r^k)` with :math:`r = 1 - x`, :math:`x = \gamma a \in (0, 2)`, both
    accurate for every x. With :math:`p = k \log|r|` (``log1p(-x)`` for x < 1, ``log1p(x - 2)``
    for x > 1; both arguments exact) the one that could cancel is ``-expm1(p)`` and the other
    ``1 + exp(p)``; so a tiny step (:math:`\gamma a = 10^{-300}`) gives :math:`1 - r^k = k\gamma a`,
    not 0, and :math:`\gamma a` near 2 keeps the digits of :math:`1 + r^k` for odd k."""
    x, k = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(k))
    with np.errstate(divide="ignore"):
        log_abs_r = np.where(x < 1, np.log1p(-np.minimum(x, 1.0)), np.log1p(np.maximum(x, 1.0) - 2))
    power = k * log_abs_r  # log |r|^k (-inf at x = 1: r = 0)
    near, far = -np.expm1(power), 1 + np.exp(power)  # 1 - |r|^k, 1 + |r|^k
    negative = (x > 1) & (k % 2 == 1)  # r^k < 0
    return np.where(negative, far, near), np.where(negative, near, far)


def _one_minus_rk(x: ArrayLike, k: ArrayLike) -> np.ndarray:
    """:math:`1 - r^k`, see :func:`_rk_terms`."""
    return _rk_terms(x, k)[0]


def nqm_sgd_variance(a: ArrayLike, lr: ArrayLike, sigma: ArrayLike) -> np.ndarray:
    r""":math:`V_{\mathrm{SGD}} = \gamma^2 a^2 \sigma^2 / (1 - (1 - \gamma a)^2)
    = \gamma a \sigma^2 / (2 - \gamma a)` (needs :math:`0 < \gamma a < 2`), computed in the
    second form: :math:`1 - (1 - \gamma a)^2` loses every digit at a tiny step.

    Example:
        >>> float(nqm_sgd_variance(1.0, 1e-300, 1.0))  # 1e-300 / (2 - 1e-300)
        5e-301
    """
    a, lr = _nqm_args(a, lr)
    sigma = check.positive("sigma", sigma)
    x = lr * a
    return x * sigma**2 / (2 - x)


def nqm_variance_ratio(a: ArrayLike, lr: ArrayLike, k: ArrayLike, alpha: ArrayLike) -> np.ndarray:
    r""":math:`V_{\mathrm{LA}}/V_{\mathrm{SGD}} = \alpha(1 + r^k) / (2 - \alpha(1 - r^k))`,
    :math:`r = 1 - \gamma a` (broadcasts over all arguments)."""
    a, lr = _nqm_args(a, lr)
    k, alpha = _k_alpha(k, alpha)
    minus, plus = _rk_terms(lr * a, k)  # 1 - r^k, 1 + r^k
    return alpha * plus / (2 - alpha * minus)


def nqm_variance_ratio_paper_form(
    a: ArrayLike, lr: ArrayLike, k: ArrayLike, alpha: ArrayLike
) -> np.ndarray:
    r"""The same ratio in the paper's form
    :math:`\alpha^2(1-r^{2k}) / (\alpha^2(1-r^{2k}) + 2\alpha(1-\alpha)(1-r^k))`."""
    a, lr = _nqm_args(a, lr)
    k, alpha = _k_alpha(k, alpha)
    minus, plus = _rk_terms(lr * a, k)  # 1 - r^k, 1 + r^k: 1 - r^{2k} = their product
    top = alpha**2 * (minus * plus)
    bottom = top + 2 * alpha * (1 - alpha) * minus
    # u underflowing to 0 (a step below 1e-308) leaves the limit of the ratio as u -> 0: alpha.
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), alpha)


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
    return np.abs(1 - alpha * _one_minus_rk(lr * a, k))


def _log_contraction(a, lr, k, alpha) -> np.ndarray:
    """log q for q = :func:`nqm_contraction`, accurate when q is near 1 (``log1p``)."""
    a, lr = _nqm_args(a, lr)
    k, alpha = _k_alpha(k, alpha)
    step = alpha * _one_minus_rk(lr * a, k)  # 1 - q where q = 1 - step >= 0
    with np.errstate(divide="ignore"):
        return np.where(step <= 1, np.log1p(-np.minimum(step, 1.0)), np.log(np.abs(1 - step)))


def burn_in_steps(
    a: ArrayLike, lr: ArrayLike, k: ArrayLike, alpha: ArrayLike, tol: float = 1e-6
) -> int:
    r"""Inner steps after which every configuration's variance, started from a fixed point, is
    within a relative ``tol`` of its steady state (:math:`q^{2T} \le` tol for the contraction q of
    :func:`nqm_contraction` and T outer steps), rounded up to a multiple of every k so that all
    configurations have just synchronized."""
    tol = check.number("tol", tol, above=0)
    if tol >= 1:
        raise ValueError(f"tol must be in (0, 1), got {tol}")
    log_q = np.atleast_1d(_log_contraction(a, lr, k, alpha)).astype(float)
    k_all = np.broadcast_to(np.asarray(k), log_q.shape)
    finite = np.isfinite(log_q)  # q = 0 (log q = -inf): one outer step forgets the start
    outer = np.where(
        finite, np.ceil(np.log(tol) / (2 * np.where(finite & (log_q < 0), log_q, -1.0))), 1
    )
    period = int(np.lcm.reduce(np.unique(k_all).astype(int)))
    # Python integers: a tiny step needs ~1e300 steps, more than any int64.
    steps = max(int(o) * int(kk) for o, kk in zip(outer.ravel(), k_all.ravel(), strict=True))
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
    status: bool = False,
) -> np.ndarray | Trajectory:
    r"""Monte Carlo of :func:`helpers.optim.lookahead` around SGD on the noisy quadratic.

    M configurations (``lr``, ``k``, ``alpha`` broadcast to 1-D arrays of length M) each run
    ``chains`` independent chains from x = 0 for ``steps`` inner steps: the gradient at step t is
    :math:`a (x - c_t)` with fresh :math:`c_t \sim N(0, \sigma^2)` per chain. The chains are the
    columns of one ``(M, chains)`` parameter array, so the whole simulation is one vectorized loop
    through the real optimizer code. Returns the slow weights after the last step, ``(M, chains)``.

    A configuration can diverge (``lr * a > 2`` is allowed: Lookahead's outer step can still
    contract): as soon as one of its chains is not finite it is stopped, without a warning, and
    its row is NaN. ``status=True`` returns a :class:`helpers.divergence.Trajectory` ``(slow,)``
    whose ``diverged`` / ``diverged_at`` (per configuration) say which ones and when.
    """
    a = check.number("a", a, above=0)
    sigma = check.number("sigma", sigma, above=0)
    lr, k, alpha = check.positive("lr", lr), *_k_alpha(k, alpha)
    check.one_of("inner_state", inner_state, ("keep", "reset", "pullback"))
    status = check.flag("status", status)
    lr, k, alpha = np.broadcast_arrays(np.asarray(lr), np.asarray(k), np.asarray(alpha))
    lr, k, alpha = (np.atleast_1d(v).ravel()[:, None] for v in (lr, k, alpha))
    chains = check.integer("chains", chains, low=2)
    steps = check.integer("steps", steps, low=0)
    seed = check.integer("seed", seed, low=0)
    opt = lookahead(sgd(lr), k=k, alpha=alpha, inner_state=inner_state)
    rng = np.random.default_rng(seed)
    status = bool(check.boolean("status", status))
    x = np.zeros((lr.shape[0], chains))
    state = opt.init(x)
    diverged_at = np.full(lr.shape[0], -1)
    with np.errstate(all="ignore"):
        for t in range(steps):
            noise = rng.standard_normal(x.shape)
            x, state = opt.step(x, a * (x - sigma * noise), state)
            bad = ~(np.isfinite(x).all(axis=1) & np.isfinite(state.slow).all(axis=1))
            if np.any(bad & (diverged_at < 0)):
                diverged_at[bad & (diverged_at < 0)] = t + 1
                # Stopped rows restart from 0 so the loop stays finite; their result is NaN.
                x = np.where(bad[:, None], 0.0, x)
                state = state._replace(
                    slow=np.where(bad[:, None], 0.0, state.slow),
                    inner=type(state.inner)(np.where(bad[:, None], 0.0, state.inner.velocity)),
                )
    slow = np.where((diverged_at >= 0)[:, None], np.nan, state.slow)
    return Trajectory((slow,), diverged_at, steps) if status else slow


# ------------------------------------------------------------------ matched speed, spectrum
def nqm_matched_lr(a: ArrayLike, lr: ArrayLike, k: ArrayLike, alpha: ArrayLike) -> np.ndarray:
    r"""The SGD step :math:`\gamma'` whose mean contracts as fast as Lookahead's on curvature a:
    :math:`(1 - \gamma' a)^k = q`, :math:`q = |1 - \alpha(1 - r^k)|` (:func:`nqm_contraction`),
    so :math:`\gamma' = (1 - q^{1/k})/a`: the same progress per inner step, i.e. matched speed.

    Example:
        >>> round(float(nqm_matched_lr(1.0, 0.2, 1, 0.5)), 12)  # k = 1: SGD with step alpha * lr
        0.1
    """
    log_q = _log_contraction(a, lr, k, alpha)
    a = check.positive("a", a)
    # 1 - q^{1/k} = -expm1(log(q) / k): no cancellation when q is near 1 (a tiny step).
    return -np.expm1(log_q / np.asarray(k, dtype=float)) / a


def nqm_matched_variance_ratio(
    a: ArrayLike, lr: ArrayLike, k: ArrayLike, alpha: ArrayLike
) -> np.ndarray:
    r"""Lookahead's steady-state variance over that of SGD *at matched speed*
    (:func:`nqm_matched_lr`), on one curvature: below 1 means Lookahead fluctuates less than an
    SGD that approaches the minimum just as fast.

    Example:
        >>> round(float(nqm_matched_variance_ratio(1.0, 0.2, 5, 0.5)), 2)
        1.08
    """
    matched = nqm_matched_lr(a, lr, k, alpha)
    la = nqm_lookahead_variance(a, lr, 1.0, k, alpha)
    return la / nqm_sgd_variance(a, matched, 1.0)


def nqm_expected_loss(
    curvatures: ArrayLike,
    noise_var: ArrayLike,
    lr: ArrayLike,
    k: ArrayLike,
    alpha: ArrayLike,
    steps: int,
    x0: ArrayLike = 1.0,
) -> np.ndarray:
    r"""Exact expected excess loss :math:`\mathbb E\,\tfrac12\sum_i a_i \phi_i^2` of Lookahead's
    slow weights around SGD on a noisy quadratic with a *spectrum* of curvatures, at every step.

    Coordinate i has curvature :math:`a_i` and target :math:`c_i \sim N(0, s_i)` (``noise_var``
    :math:`s_i`) drawn afresh each step: the gradient is :math:`a_i(x_i - c_i)`. Mean and 2 x 2
    covariance of (fast, slow) are pushed through every inner step and synchronization exactly
    (no sampling), for C configurations at once (``lr``, ``k``, ``alpha`` broadcast to length C;
    ``alpha = 1, k = 1`` is SGD). Returns ``(C, steps + 1)``; a diverging configuration gives inf.

    Example:
        >>> loss = nqm_expected_loss([1.0], [1.0], 0.5, 1, 1.0, steps=200, x0=0.0)
        >>> round(float(loss[0, -1]), 4)  # a/2 * V_SGD = 0.5 * 0.25 / 0.75
        0.1667
    """
    a = check.positive("curvatures", check.as_finite_array("curvatures", curvatures, ndim=(0, 1)))
    s = check.as_finite_array("noise_var", noise_var, ndim=(0, 1))
    if np.any(s < 0):
        raise ValueError(f"noise_var must be >= 0, got {noise_var!r}")
    if a.size == 0 or s.size == 0:
        raise ValueError("curvatures and noise_var must be non-empty")
    try:
        a, s = np.broadcast_arrays(np.atleast_1d(a).astype(float), np.atleast_1d(s).astype(float))
    except ValueError:
        raise ValueError(
            f"noise_var must broadcast to curvatures' shape {np.shape(a)}, got {np.shape(s)}"
        ) from None
    lr = check.positive("lr", lr)
    k, alpha = _k_alpha(k, alpha)
    lr, k, alpha = (np.atleast_1d(v).ravel() for v in np.broadcast_arrays(lr, k, alpha))
    steps = check.integer("steps", steps, low=0)
    x0 = np.broadcast_to(check.as_finite_array("x0", x0, ndim=(0, 1)), a.shape)
    lr, k, alpha = lr[:, None], k[:, None], alpha[:, None]
    r = 1 - lr * a  # (C, d)
    kick = (lr * a) ** 2 * s
    mf = np.broadcast_to(x0, r.shape).astype(float)
    ms = mf.copy()
    vff = np.zeros_like(r)
    vfs = np.zeros_like(r)
    vss = np.zeros_like(r)
    out = np.empty((r.shape[0], steps + 1))
    out[:, 0] = 0.5 * np.sum(a * (ms**2 + vss), axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            mf = r * mf
            vff = r * r * vff + kick
            vfs = r * vfs
            sync = (t % k == 0)[:, 0]
            if np.any(sync):
                al = alpha[sync]
                new_m = al * mf[sync] + (1 - al) * ms[sync]
                new_v = (
                    al**2 * vff[sync] + 2 * al * (1 - al) * vfs[sync] + (1 - al) ** 2 * vss[sync]
                )
                mf[sync] = ms[sync] = new_m
                vff[sync] = vfs[sync] = vss[sync] = new_v
            out[:, t] = 0.5 * np.sum(a * (ms**2 + vss), axis=1)
    return np.where(np.isfinite(out), out, np.inf)


# ------------------------------------------------------------------ deterministic: outer map
def outer_matrix(
    lr: float, curvature: float, k: int, alpha: float, beta: float = 0.0, inner_state: str = "keep"
) -> np.ndarray:
    r"""Lookahead's outer map on :math:`\tfrac\lambda2 p^2`: the 2 x 2 matrix taking the state
    :math:`(\phi, \eta v)` at one synchronization to the next, for heavy ball (GD at beta = 0)
    with inner iteration matrix :math:`M` (:func:`helpers.stability.iteration_matrix`):

    * ``"pullback"``: :math:`(1-\alpha) I + \alpha M^k` (weights *and* momentum interpolated);
    * ``"keep"`` (the default of :func:`helpers.optim.lookahead`): the first row of that matrix,
      the second row of :math:`M^k` (the momentum buffer carries on);
    * ``"reset"``: the momentum zeroed at every synchronization, so only the weights' entry
      :math:`1 - \alpha + \alpha (M^k)_{00}` remains.

    With GD inside (``beta = 0``) the buffer never feeds back into the weights, so its column is
    dropped and all three reduce to the number :math:`1 - \alpha(1 - r^k)`,
    :math:`r = 1 - \eta\lambda`, in the top-left entry.

    Example:
        >>> float(outer_matrix(0.5, 1.0, 2, 0.5)[0, 0])  # 1 - 0.5 (1 - 0.25)
        0.625
    """
    lr = check.number("lr", lr, above=0)
    curvature = check.number("curvature", curvature, above=0)
    k = check.integer("k", k, low=1)
    alpha = float(check.fraction("alpha", check.as_finite_array("alpha", alpha, ndim=(0,))))
    beta = float(check.in_unit_interval("beta", check.as_finite_array("beta", beta, ndim=(0,))))
    check.one_of("inner_state", inner_state, ("keep", "reset", "pullback"))
    with np.errstate(over="ignore", invalid="ignore"):
        mk = np.linalg.matrix_power(iteration_matrix(lr, beta, curvature), k)
        pulled = (1 - alpha) * np.eye(2) + alpha * mk
        out = pulled if inner_state == "pullback" else np.vstack([pulled[0], mk[1]])
        if beta == 0:  # GD: the buffer never feeds the weights; drop its column (and its mode)
            out[:, 1] = 0.0
        if inner_state == "reset":  # the momentum is zero after every synchronization
            out[:, 1] = 0.0
            out[1, 0] = 0.0
        return out


def _curvatures(curvatures) -> np.ndarray:
    """A non-empty 1-D array of curvatures > 0 (a number counts as one)."""
    out = check.as_finite_array("curvatures", curvatures, ndim=(0, 1))
    if out.size == 0:
        raise ValueError("curvatures must hold at least one curvature > 0, got none")
    return np.atleast_1d(check.positive("curvatures", out))


def spectral_radius(matrix: ArrayLike) -> float:
    """Largest eigenvalue modulus of a square matrix (inf if it holds non-finite entries)."""
    matrix = check.real_array("matrix", matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        raise ValueError(f"matrix must be a non-empty square matrix, got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        return float("inf")
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


def per_step_rate(
    lr: float,
    curvatures: ArrayLike,
    k: int = 1,
    alpha: float = 1.0,
    beta: float = 0.0,
    inner_state: str = "keep",
) -> float:
    r"""Worst asymptotic contraction per inner step over ``curvatures``:
    :math:`\max_\lambda \rho(\text{outer})^{1/k}` (the inner method alone at ``alpha = 1``,
    ``k = 1``). Below 1: converges on every curvature; above 1: diverges.

    Example:
        >>> round(per_step_rate(0.1, [1.0, 10.0]), 3)  # GD: max |1 - lr lambda| = 0.9
        0.9
    """
    lr = check.number("lr", lr, above=0)
    curvatures = _curvatures(curvatures)
    k = check.integer("k", k, low=1)
    beta = float(check.in_unit_interval("beta", check.as_finite_array("beta", beta, ndim=(0,))))
    radii = [spectral_radius(outer_matrix(lr, c, k, alpha, beta, inner_state)) for c in curvatures]
    return max(radii) ** (1 / k)


def tuned_rate(
    curvatures: ArrayLike,
    lrs: ArrayLike,
    betas: ArrayLike = (0.0,),
    k: int = 1,
    alpha: float = 1.0,
    inner_state: str = "keep",
) -> tuple[float, float, float]:
    r"""The best :func:`per_step_rate` over a grid of learning rates *and* momenta: each method
    at its own best hyperparameters. Returns ``(rate, lr, beta)`` of the grid's best point.

    Heavy ball's optimum on curvatures in :math:`[\mu, L]` is known (Polyak):
    :math:`\beta = ((\sqrt\kappa - 1)/(\sqrt\kappa + 1))^2`, rate :math:`\sqrt\beta`,
    :math:`\kappa = L/\mu`; a fine enough grid comes close to it.

    Example:
        >>> rate, lr, beta = tuned_rate([1.0, 3.0], [0.25, 0.5, 1.0])  # GD: lr 2/(1+3), rate 1/2
        >>> rate, lr, beta
        (0.5, 0.5, 0.0)
    """
    curvatures = _curvatures(curvatures)
    lrs = np.atleast_1d(check.positive("lrs", check.as_finite_array("lrs", lrs, ndim=(0, 1))))
    betas = np.atleast_1d(check.as_finite_array("betas", betas, ndim=(0, 1))).ravel()
    if lrs.size == 0:
        raise ValueError("lrs must hold at least one learning rate > 0, got none")
    if np.any((betas < 0) | (betas >= 1)) or betas.size == 0:
        raise ValueError(f"betas must be non-empty, in [0, 1), got {betas}")
    best = (np.inf, np.nan, np.nan)
    for beta in betas:
        for lr in lrs:
            rate = per_step_rate(float(lr), curvatures, k, alpha, float(beta), inner_state)
            if rate < best[0]:
                best = (rate, float(lr), float(beta))
    return best


# ------------------------------------------------------------------ optimal (adaptive) alpha
def optimal_alpha(A: ArrayLike, b: ArrayLike, phi: ArrayLike, theta: ArrayLike) -> np.ndarray:
    r"""The slow step that minimizes :math:`L(x) = \tfrac12 x^\top A x - b^\top x` on the line
    from the slow weights :math:`\phi` through the fast weights :math:`\theta`:

    .. math::
        \alpha^* = \arg\min_\alpha L(\phi + \alpha(\theta - \phi))
        = \frac{(\phi - x^*)^\top A (\phi - \theta)}{(\phi - \theta)^\top A (\phi - \theta)},
        \qquad x^* = A^{-1} b,

    (set the derivative :math:`(\theta-\phi)^\top (A(\phi + \alpha(\theta - \phi)) - b)` to 0).
    ``phi`` and ``theta`` may be ``(C, d)``: one alpha per row; NaN where :math:`\theta = \phi`.

    Example:
        >>> float(optimal_alpha(np.eye(1), [0.0], [2.0], [-2.0]))  # the minimum is half way
        0.5
    """
    A = check.as_finite_array("A", A, ndim=(2,))
    b = check.as_finite_array("b", b, ndim=(1,))
    if b.size == 0 or A.shape != (b.size, b.size):
        raise ValueError(
            f"A must be a (d, d) matrix for b of length d >= 1, got {A.shape}, b {b.shape}"
        )
    phi = check.as_finite_array("phi", phi, ndim=(1, 2))
    theta = check.as_finite_array("theta", theta, ndim=(1, 2))
    if phi.shape != theta.shape or phi.shape[-1] != b.shape[0]:
        raise ValueError(f"phi and theta must have the same shape (..., {b.shape[0]})")
    step = phi - theta
    curv = np.einsum("...i,ij,...j->...", step, A, step)
    slope = np.einsum("...i,...i->...", step, phi @ A - b)  # (phi - x*)^T A step
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(curv > 0, slope / np.where(curv > 0, curv, 1.0), np.nan)


def nqm_adaptive_alpha_runs(
    curvatures: ArrayLike,
    noise_var: ArrayLike,
    lr: float,
    k: int,
    alphas: tuple,
    outer_steps: int,
    seeds,
    x0: float = 1.0,
) -> Trajectory:
    r"""Lookahead around SGD on the noisy quadratic with a spectrum of curvatures (as in
    :func:`nqm_expected_loss`), with fixed slow steps and with the line-search one of
    :func:`optimal_alpha` recomputed at every synchronization. That step uses the true
    minimizer 0 and Hessian, which training never has; it is *greedy* (best for the current
    synchronization only), so it bounds nothing, and unclipped it can leave [0, 1].

    Every entry of ``alphas`` runs on the same gradient noise per seed (seed s:
    ``default_rng(s)``), so the runs are paired by seed. An entry is a number in (0, 1] (a
    fixed alpha), the string ``"optimal"`` (the line-search alpha, unclipped) or a tuple
    ``("optimal", low, high)`` with ``0 <= low <= high``: the line-search alpha clipped to
    ``[low, high]`` (``("optimal", a, a)`` is the fixed alpha a).

    Returns:
        ``loss`` ``(len(alphas), S, outer_steps + 1)``: the noise-free loss
        :math:`\tfrac12\sum_i a_i\phi_i^2` of the slow weights at every synchronization, and
        ``used`` ``(len(alphas), S, outer_steps)``: the alpha applied at each one; as a
        :class:`helpers.divergence.Trajectory` whose ``diverged`` / ``diverged_at``
        ``(len(alphas), S)`` mark the runs that diverged (weights or loss non-finite or blown
        up, :class:`helpers.divergence.Watch`): they stop there and their later entries are NaN.
    """
    a = _curvatures(curvatures).astype(float)
    s = check.as_finite_array("noise_var", noise_var, ndim=(0, 1))
    if s.shape not in ((), (1,), a.shape):
        raise ValueError(f"noise_var must be a number or have curvatures' shape {a.shape}")
    s = np.broadcast_to(s, a.shape)
    if np.any(s < 0):
        raise ValueError("noise_var must be >= 0")
    lr = check.number("lr", lr, above=0)
    k = check.integer("k", k, low=1)
    outer_steps = check.integer("outer_steps", outer_steps, low=1)
    seeds = list(check.seeds("seeds", seeds))
    x0 = check.number("x0", x0)
    if not isinstance(alphas, tuple | list) or not alphas:
        raise TypeError(f"alphas must be a non-empty tuple of alphas, got {alphas!r:.80}")
    bounds = []  # per entry: None (fixed) or the (low, high) clip of the line-search alpha
    for value in alphas:
        if isinstance(value, str) and value == "optimal":
            bounds.append((-np.inf, np.inf))
        elif isinstance(value, tuple) and len(value) == 3 and value[0] == "optimal":
            low, high = (float(check.number("alphas", v, at_least=0)) for v in value[1:])
            if not low <= high:
                raise ValueError(
                    f'alphas: a clip ("optimal", low, high) needs low <= high, got {value}'
                )
            bounds.append((low, high))
        else:
            check.fraction("alphas", check.as_finite_array("alphas", value, ndim=(0,)))
            bounds.append(None)
    noise = np.stack(
        [np.random.default_rng(v).standard_normal((outer_steps * k, a.size)) for v in seeds]
    ) * np.sqrt(s)
    A = np.diag(a)
    zero = np.zeros(a.size)
    loss = np.empty((len(alphas), len(seeds), outer_steps + 1))
    used = np.empty((len(alphas), len(seeds), outer_steps))
    diverged_at = np.full((len(alphas), len(seeds)), -1)
    for j, value in enumerate(alphas):
        phi = np.full((len(seeds), a.size), float(x0))
        loss[j, :, 0] = 0.5 * np.sum(a * phi**2, axis=1)
        watch = Watch(phi, loss[j, :, 0])
        with np.errstate(all="ignore"):
            for t in range(outer_steps):
                theta = phi.copy()
                for i in range(k):
                    theta = theta - lr * a * (theta - noise[:, t * k + i])
                alive = watch.update(t + 1, params=theta)
                if bounds[j] is None:
                    step = np.full(len(seeds), float(value))
                else:
                    step = np.ones(len(seeds))
                    step[alive] = np.nan_to_num(
                        optimal_alpha(A, zero, phi[alive], theta[alive]), nan=1.0
                    )
                    step = np.clip(step, *bounds[j])
                new = phi + step[:, None] * (theta - phi)
                value_t = 0.5 * np.sum(a * new**2, axis=1)
                alive = watch.update(t + 1, params=new, loss=value_t)
                phi = np.where(alive[:, None], new, phi)  # stopped rows stay finite
                used[j, :, t] = np.where(alive, step, np.nan)
                loss[j, :, t + 1] = np.where(alive, value_t, np.nan)
        diverged_at[j] = watch.diverged_at
    return Trajectory((loss, used), diverged_at, outer_steps)
