r"""Newton's method and two relatives: saddle-free Newton and Hessian-free Newton-CG.

The second-order Taylor model of f around w,

.. math::
    f(w + e) \approx f(w) + g^\top e + \tfrac12 e^\top H e, \qquad g = \nabla f(w),\; H = \nabla^2 f(w),

is stationary where :math:`H e = -g`: the Newton step. The three methods differ in the matrix
they solve with and in how they solve:

* ``"newton"``: :math:`(H + \lambda I)\, e = -g`, by a Cholesky factorization where the matrix is
  symmetric positive definite (about :math:`d^3/3` flops; success *certifies* positive
  definiteness, reported as ``Direction.positive_definite``), else by an LU solve (about
  :math:`2d^3/3`); the inverse is never formed. Where H is indefinite this is still the model's
  stationary point: a maximum along negative-curvature directions, so the step heads uphill there.
  For a problem with ``hessian_factor`` (H = Z^T Z + mu I) H is formed as Z^T Z by a symmetric
  product (about :math:`n d^2` flops).
* ``"newton-dual"``: the same exact step through the Woodbury identity, for Hessians of the form
  :math:`H = Z^\top Z + \mu I` with Z of shape (n, d) (``problem.hessian_factor(w)``, e.g.
  logistic regression, :math:`Z = D^{1/2} X / \sqrt n`):
  :math:`(Z^\top Z + \mu I)^{-1} g = \big(g - Z^\top (\mu I_n + Z Z^\top)^{-1} Z g\big)/\mu`, an
  n x n Cholesky solve: about :math:`n^2 d + n^3/3` flops (forming :math:`ZZ^\top` symmetrically)
  instead of :math:`n d^2 + d^3/3`, so it wins when d > n.
* ``"saddle-free"``: :math:`(|H| + \lambda I)\, e = -g` with :math:`|H| = V|\Lambda|V^\top` from the
  eigendecomposition :math:`H = V\Lambda V^\top` (Dauphin et al. 2014): each eigendirection keeps
  Newton's step length :math:`|g_i / \lambda_i|` but always points downhill.
* ``"newton-cg"``: conjugate gradient on :math:`(H + \lambda I)\, e = -g` using only
  Hessian-vector products ``problem.hvp`` (never ``problem.hessian``): O(d) memory. A problem
  with ``hvp_operator(w)`` (returning ``v -> H(w) v``) is asked for it once per direction, so
  work shared by all products at one w (for logistic regression the curvature
  :math:`\sigma(1-\sigma)`, one product with X) is not redone for each. CG stops when
  the residual is below ``cg_tol * |g|``, after ``cg_maxiter`` products, or when it meets a direction
  p with :math:`p^\top (H + \lambda I) p \le 0` (the model is not convex along p). It then returns the
  iterate so far, or :math:`-g` if that happens at the first product: a descent direction either
  way (truncated Newton, Nocedal and Wright, Numerical Optimization, Algorithm 7.1).
  ``forcing`` ties the tolerance to the gradient (inexact Newton, Nocedal and Wright section 7.1):
  ``"fixed"`` (:math:`\eta_k` = ``cg_tol``), ``"superlinear"``
  (:math:`\eta_k = \min(0.5, \sqrt{|g|})`) or ``"quadratic"`` (:math:`\eta_k = \min(0.5, |g|)`).

**Trust region** (``trust_radius`` = initial radius :math:`\Delta_0`): each step minimizes the
model within :math:`|e| \le \Delta`, and the radius adapts to the ratio
:math:`\rho` = actual / predicted decrease (Nocedal and Wright, Algorithm 4.1: shrink by 4 when
:math:`\rho < 1/4`, double when :math:`\rho > 3/4` and the step reached the boundary; a step
with :math:`\rho \le` :data:`TR_ACCEPT` is rejected and the point stays; a step whose predicted
decrease is at rounding level, at most :data:`TR_ROUNDING` x max(1, |f|), is taken and the radius
kept, since the ratio of two rounding errors says nothing). For
``"saddle-free"`` the model is :math:`g^\top e + \frac12 e^\top (|H| + \lambda I) e` and its
constrained minimizer :math:`e(\mu) = -(|H| + (\lambda + \mu) I)^{-1} g` with the smallest
:math:`\mu \ge 0` that puts it inside (found by bisection); for ``"newton-cg"`` it is Steihaug's
truncated CG (Nocedal and Wright, Algorithm 7.2), which stops on the boundary when it leaves the
region or meets negative curvature (then it follows that direction to the boundary).
:math:`\lambda` is ``damping`` (>= 0). The update is :math:`w \leftarrow w + \eta\, e` with
:math:`\eta` = ``lr``, or with a backtracking (Armijo) line search that starts at ``lr``.

A singular (H + damping I) (or |H| + damping I) is a result, not a crash: the run stops and is
marked diverged, with the reason in ``status``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy.linalg import cho_factor, cho_solve

from helpers import _validate as check
from helpers.train import History

__all__ = [
    "DUAL_METHODS",
    "FORCING",
    "METHODS",
    "Direction",
    "NewtonHistory",
    "SteihaugStep",
    "StepCurvature",
    "classify_point",
    "forcing_tolerance",
    "format_small",
    "newton_direction",
    "run",
    "steihaug_cg",
    "step_curvature",
    "steps_to_tolerance",
    "trust_region_saddle_free",
]

METHODS = ("newton", "saddle-free", "newton-cg")
"""Methods for any problem with a ``hessian`` (or, for Newton-CG, ``hvp``)."""
DUAL_METHODS = ("newton-dual",)
"""Methods for problems with a ``hessian_factor`` (H = Z^T Z + mu I)."""
FORCING = ("fixed", "superlinear", "quadratic")
TR_ACCEPT = 0.1  # a trust-region step is accepted when actual / predicted decrease > this
TR_METHODS = ("saddle-free", "newton-cg")
TR_ROUNDING = 64 * np.finfo(float).eps
"""A trust-region step whose predicted decrease is at most this times max(1, |f|) is taken
without the ratio test (at rounding level actual and predicted decrease are both noise)."""
ARMIJO_C1 = 1e-4  # sufficient decrease: f(w + a e) <= f(w) + c1 a g.e
MAX_HALVINGS = 50


class SteihaugStep(NamedTuple):
    """What :func:`steihaug_cg` returns, per row: the step ``e``, the Hessian-vector products
    used, the model's predicted decrease :math:`-m(e)`, whether CG stopped on the region's
    boundary, and whether it met a direction of negative (or zero) curvature there."""

    step: np.ndarray
    hvps: np.ndarray
    predicted: np.ndarray
    boundary: np.ndarray
    negative_curvature: np.ndarray


class Direction(NamedTuple):
    """A search direction per configuration.

    ``step``: the direction e, shape of ``w``; ``hvps``: Hessian-vector products used (0 for the
    explicit methods); ``singular``: True where the (modified) Hessian was singular and e is NaN;
    ``positive_definite``: for ``"newton"``, True where the Cholesky factorization succeeded
    (the matrix is certified positive definite), else None; ``predicted``: the decrease the model
    predicts, :math:`-(g^\top e + \frac12 e^\top B e)` with the method's matrix B (None when not
    computed).
    """

    step: np.ndarray
    hvps: np.ndarray | int
    singular: np.ndarray | bool
    positive_definite: np.ndarray | bool | None = None
    predicted: np.ndarray | float | None = None


@dataclass(frozen=True, kw_only=True)
class NewtonHistory(History):
    """A :class:`helpers.train.History` plus what second-order runs report.

    ``grad_norm``: :math:`|\\nabla f|` at every recorded point (shape of ``loss``);
    ``hvps``: Hessian-vector products per step (``(steps,)``, or ``(C, steps)``; 0 for the
    explicit methods); ``converged_at``: first step with :math:`|\\nabla f| \\le` ``grad_tol``
    (-1 if never; later entries repeat that point); ``status``: one sentence per run saying how
    it ended (a tuple of them for a batched run); with a trust region, ``radius``: the radius
    each step was confined to and ``accepted``: whether the step was taken (both shaped like
    ``hvps``; None without a trust region).
    """

    grad_norm: np.ndarray
    hvps: np.ndarray
    converged_at: np.ndarray | int
    status: str | tuple[str, ...]
    radius: np.ndarray | None = None
    accepted: np.ndarray | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        loss = np.asarray(self.loss)
        runs = loss.shape[:-1]
        if check.real_array("grad_norm", self.grad_norm).shape != loss.shape:
            raise ValueError(
                f"grad_norm must have the shape of loss {loss.shape}, got {np.shape(self.grad_norm)}"
            )
        hvps = check.integers("hvps", self.hvps, low=0) if np.size(self.hvps) else None
        if hvps is None:  # a run of 0 steps made no products
            hvps = np.asarray(self.hvps)
            if not (np.issubdtype(hvps.dtype, np.integer) or hvps.dtype == float):
                raise ValueError(f"hvps must be an integer array, got {self.hvps!r}")
        if hvps.shape != (*runs, loss.shape[-1] - 1):
            raise ValueError(
                f"hvps must have one entry per step, shape {(*runs, loss.shape[-1] - 1)}, got "
                f"{hvps.shape}"
            )
        if check.integers("converged_at", self.converged_at, low=-1).shape != runs:
            raise ValueError(
                f"converged_at must have shape {runs}, got {np.shape(self.converged_at)}"
            )
        if runs == ():
            check.text("status", self.status)
        elif not (
            isinstance(self.status, tuple)
            and len(self.status) == runs[0]
            and all(isinstance(s, str) for s in self.status)
        ):
            raise TypeError(f"status must be a tuple of {runs[0]} strings, got {self.status!r}")
        for name, value, checker in (
            ("radius", self.radius, check.real_array),
            ("accepted", self.accepted, check.boolean),
        ):
            if value is not None and checker(name, value).shape != hvps.shape:
                raise ValueError(
                    f"{name} must be None or have the shape of hvps {hvps.shape}, got "
                    f"{np.shape(value)}"
                )

    def config(self, c: int) -> NewtonHistory:
        """The single-run NewtonHistory of configuration ``c`` of a batched run."""
        base = History.config(self, c)
        return NewtonHistory(
            base.loss,
            base.params,
            base.diverged,
            base.diverged_at,
            base.steps,
            grad_norm=self.grad_norm[c].copy(),
            hvps=self.hvps[c].copy(),
            converged_at=int(self.converged_at[c]),
            status=self.status[c],
            radius=None if self.radius is None else self.radius[c].copy(),
            accepted=None if self.accepted is None else self.accepted[c].copy(),
        )


# --------------------------------------------------------------------------------------------------
# Directions
# --------------------------------------------------------------------------------------------------


def _explicit_newton(H: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Solve H e = -g row by row of a batch: Cholesky where H is positive definite (it fails
    otherwise, which certifies that H is not), LU elsewhere; NaN and singular=True where H is
    singular. Returns the steps, singular and positive_definite (both per row)."""
    C = g.shape[0]
    step = np.full_like(g, np.nan)
    spd = np.zeros(C, dtype=bool)
    for c in range(C):
        # show: newton solve
        try:
            step[c] = cho_solve(cho_factor(H[c], lower=True, check_finite=True), -g[c])
            spd[c] = True
            continue
        except (np.linalg.LinAlgError, ValueError):
            pass
        try:
            step[c] = np.linalg.solve(H[c], -g[c])
        except np.linalg.LinAlgError:
            pass
        # end show: newton solve
    singular = ~np.isfinite(step).all(axis=-1)
    step[singular] = np.nan
    spd &= ~singular
    return step, singular, spd


def _dual_newton(Z: np.ndarray, mu: float, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve (Z^T Z + mu I) e = -g through Woodbury: an n x n Cholesky solve per row.

    Z has shape (C, n, d), g (C, d), mu > 0. Returns the steps and singular (per row)."""
    C, n, _ = Z.shape
    step = np.full_like(g, np.nan)
    for c in range(C):
        K = Z[c] @ Z[c].T  # n x n
        K[np.diag_indices(n)] += mu
        try:
            u = cho_solve(cho_factor(K, lower=True), Z[c] @ g[c])
        except (np.linalg.LinAlgError, ValueError):
            continue
        step[c] = -(g[c] - Z[c].T @ u) / mu
    singular = ~np.isfinite(step).all(axis=-1)
    step[singular] = np.nan
    return step, singular


def _saddle_free(
    H: np.ndarray, g: np.ndarray, damping: float, radius: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Solve (|H| + (damping + mu) I) e = -g via H = V diag(lam) V^T, mu = 0 without a trust
    region, else the smallest mu >= 0 with |e| <= radius (bisection on the secular equation
    |e(mu)| = radius, which decreases in mu). Singular (without a radius) where an
    |lam| + damping is 0 up to rounding (below d * eps * max(|lam| + damping)). Returns the
    steps, singular and the predicted decrease -(g.e + e.(|H| + damping I).e / 2)."""
    # show: saddle-free eigenbasis
    lam, V = np.linalg.eigh(H)  # H = V diag(lam) V^T, per configuration
    scale = np.abs(lam) + damping  # |H| + damping I has eigenvalues |lam| + damping
    top = scale.max(axis=-1, keepdims=True)
    tiny = scale <= g.shape[-1] * np.finfo(float).eps * top  # singular up to rounding
    gv = np.einsum("cji,cj->ci", V, g)  # g in the eigenbasis
    # end show: saddle-free eigenbasis
    mu = np.zeros(g.shape[0])
    if radius is None:
        singular = tiny.any(axis=-1)
    else:
        singular = np.zeros(g.shape[0], dtype=bool)
        safe0 = np.where(tiny, 1.0, scale)
        inside = ~(tiny & (gv != 0)).any(axis=-1) & (
            np.linalg.norm(np.where(tiny, 0.0, gv / safe0), axis=-1) <= radius
        )
        lo = np.zeros_like(mu)
        hi = np.linalg.norm(g, axis=-1) / radius  # |e(hi)| <= |g| / hi = radius
        for _ in range(100):
            mid = (lo + hi) / 2
            big = np.linalg.norm(gv / (scale + mid[:, None]), axis=-1) > radius
            lo, hi = np.where(big, mid, lo), np.where(big, hi, mid)
        mu = np.where(inside, 0.0, hi)
    # show: saddle-free step
    shifted = scale + mu[:, None]  # mu = 0 without a trust region
    coords = np.where(gv == 0, 0.0, -gv / np.where(shifted > 0, shifted, 1.0))
    step = np.einsum("cij,cj->ci", V, coords)  # back from the eigenbasis
    # end show: saddle-free step
    predicted = -np.sum(gv * coords + 0.5 * scale * coords**2, axis=-1)
    step[singular] = np.nan
    return step, singular, predicted


def trust_region_saddle_free(
    H: ArrayLike, g: ArrayLike, radius: float, damping: float = 0.0
) -> tuple[np.ndarray, float]:
    r"""The minimizer of :math:`g^\top e + \frac12 e^\top (|H| + \lambda I) e` over
    :math:`|e| \le` ``radius``: :math:`e = -(|H| + (\lambda + \mu) I)^{-1} g` with the smallest
    :math:`\mu \ge 0` that makes :math:`|e| \le` ``radius``.

    Args:
        H: symmetric (d, d); g: (d,); radius: > 0; damping: :math:`\lambda \ge 0`.

    Returns ``(e, predicted decrease)``.

    Example:
        >>> e, _ = trust_region_saddle_free(np.diag([2.0, -2.0]), np.array([2.0, 2.0]), 0.5)
        >>> np.round(e, 4).tolist(), round(float(np.linalg.norm(e)), 6)
        ([-0.3536, -0.3536], 0.5)
    """
    H = check.as_finite_array("H", H, ndim=(2,))
    g = check.as_finite_array("g", g, ndim=(1,))
    if H.shape[0] != H.shape[1] or H.size == 0 or not np.allclose(H, H.T):
        raise ValueError(f"H must be a non-empty symmetric square matrix, got shape {H.shape}")
    if g.shape != (H.shape[0],):
        raise ValueError(f"g must have one entry per row of H ({H.shape[0]}), got {g.shape}")
    radius = check.number("radius", radius, above=0)
    damping = check.number("damping", damping, at_least=0)
    step, _, predicted = _saddle_free(H[None], g[None], damping, np.array([radius]))
    return step[0], float(predicted[0])


def _boundary_tau(z: np.ndarray, p: np.ndarray, radius: np.ndarray) -> tuple[np.ndarray, ...]:
    """Both roots tau of |z + tau p| = radius (rows), the smaller first (|z| <= radius)."""
    a = np.sum(p * p, axis=-1)
    b = 2 * np.sum(z * p, axis=-1)
    c = np.sum(z * z, axis=-1) - radius**2
    root = np.sqrt(np.maximum(b * b - 4 * a * c, 0.0))
    a = np.where(a > 0, a, 1.0)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


def _first_product(hvp, p: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``hvp(p)``, checked once: ``g`` must have the shape that ``hvp`` takes and returns."""
    try:
        Hp = np.asarray(hvp(p))
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"g must have the shape (C, d) that hvp takes, got {g.shape}; hvp raised: {exc}"
        ) from exc
    if Hp.shape != p.shape:
        raise ValueError(f"g must have the shape of hvp's products {Hp.shape}, got {g.shape}")
    return Hp


def steihaug_cg(
    hvp, g: ArrayLike, radius: ArrayLike, tol: ArrayLike, maxiter: int, damping: float = 0.0
) -> SteihaugStep:
    r"""Steihaug's truncated CG for :math:`\min_e g^\top e + \frac12 e^\top B e`,
    :math:`|e| \le \Delta`, with :math:`B = H + \lambda I` known only through ``hvp``
    (Nocedal and Wright, Numerical Optimization, 2nd ed., Algorithm 7.2).

    CG from e = 0 on :math:`Be = -g`, for each row of ``g`` (C, d), stopping when the residual is
    below ``tol * |g|``, after ``maxiter`` products, when an iterate would leave the region
    (it stops on the boundary along the current direction), or when it meets a direction p with
    :math:`p^\top B p \le 0` (it follows p to the boundary, to whichever of the two boundary
    points has the lower model value). The model decreases at every CG iterate, so the result does
    at least as well as the first iterate, the Cauchy point along -g.

    Args:
        hvp: ``hvp(p)`` returns H p for all C rows of p at once.
        g: (C, d); radius: (C,) or a number, > 0; tol: (C,) or a number, the relative residual,
            > 0; maxiter: >= 1; damping: :math:`\lambda \ge 0`.

    Returns a :class:`SteihaugStep` (a named tuple: step, products used per row, predicted
    decrease -m(e), stopped on the boundary, met negative curvature).

    Example:
        >>> H = np.diag([1.0, 4.0])
        >>> e, k, _, edge, _ = steihaug_cg(lambda p: p @ H, np.array([[1.0, 1.0]]), 10.0, 1e-12, 10)
        >>> np.round(e, 6).tolist(), k.tolist(), edge.tolist()  # the Newton step -H^-1 g
        ([[-1.0, -0.25]], [2], [False])
    """
    check.function("hvp", hvp)
    g = check.as_finite_array("g", g, ndim=(2,))
    if g.size == 0:
        raise ValueError(f"g must have at least one row and one column, got shape {g.shape}")
    C, _ = g.shape
    radius = np.broadcast_to(check.positive("radius", radius).astype(float), (C,))
    tol = np.broadcast_to(check.positive("tol", tol).astype(float), (C,))
    maxiter = check.integer("maxiter", maxiter, low=1)
    damping = check.number("damping", damping, at_least=0)
    z = np.zeros_like(g)
    r = g.copy()  # gradient of the model at z: B z + g
    p = -r
    rr = np.sum(r * r, axis=-1)
    target = tol * np.sqrt(rr)
    active = np.sqrt(rr) > target
    boundary = np.zeros(C, dtype=bool)
    met_negative = np.zeros(C, dtype=bool)
    hvps = np.zeros(C, dtype=int)
    for i in range(maxiter):
        if not active.any():
            break
        Bp = (_first_product(hvp, p, g) if i == 0 else hvp(p)) + damping * p
        hvps += active
        pBp = np.sum(p * Bp, axis=-1)
        rp = np.sum(r * p, axis=-1)
        t1, t2 = _boundary_tau(z, p, radius)
        # negative curvature: the boundary point with the lower model value
        m1 = t1 * rp + 0.5 * t1 * t1 * pBp
        m2 = t2 * rp + 0.5 * t2 * t2 * pBp
        t_neg = np.where(m1 < m2, t1, t2)
        negative = active & ~(pBp > 0)
        alpha = np.where(active & ~negative, rr / np.where(pBp > 0, pBp, 1.0), 0.0)
        outside = active & ~negative & (np.linalg.norm(z + alpha[:, None] * p, axis=-1) >= radius)
        tau = np.where(negative, t_neg, np.where(outside, t2, alpha))
        tau = np.where(active, tau, 0.0)
        z = z + tau[:, None] * p
        r = r + tau[:, None] * Bp
        boundary |= negative | outside
        met_negative |= negative
        active &= ~(negative | outside)
        rr_new = np.sum(r * r, axis=-1)
        active &= np.sqrt(rr_new) > target
        beta = np.where(active, rr_new / np.where(rr > 0, rr, 1.0), 0.0)
        p = np.where(active[:, None], -r + beta[:, None] * p, p)
        rr = np.where(active, rr_new, rr)
    predicted = -0.5 * np.sum(z * (r + g), axis=-1)  # -m(z), m(z) = z.(Bz + 2g)/2, Bz = r - g
    return SteihaugStep(z, hvps, predicted, boundary, met_negative)


def _conjugate_gradient(
    hvp, g: np.ndarray, damping: float, tol: float, maxiter: int
) -> tuple[np.ndarray, np.ndarray]:
    """Truncated CG on (H + damping I) e = -g for each row of ``g`` (C, d), from e = 0.

    ``hvp(p)`` returns H p for all C rows at once. Returns e and the products used per row.
    """
    C, _ = g.shape
    e = np.zeros_like(g)
    r = -g  # residual -g - (H + damping I) e at e = 0
    p = r.copy()
    rr = np.sum(r * r, axis=-1)
    target = np.asarray(tol, dtype=float) * np.sqrt(rr)
    active = np.sqrt(rr) > target
    hvps = np.zeros(C, dtype=int)
    # show: cg loop
    for k in range(maxiter):
        if not active.any():
            break
        Hp = hvp(p) + damping * p
        hvps += active
        pHp = np.sum(p * Hp, axis=-1)
        not_convex = active & ~(pHp > 0)
        if k == 0:
            e[not_convex] = -g[not_convex]
        active &= ~not_convex
        alpha = np.where(active, rr / np.where(active, pHp, 1.0), 0.0)
        e += alpha[:, None] * p
        r = r - alpha[:, None] * Hp
        rr_new = np.sum(r * r, axis=-1)
        active &= np.sqrt(rr_new) > target
        beta = np.where(active, rr_new / np.where(rr > 0, rr, 1.0), 0.0)
        p = r + beta[:, None] * p
        rr = rr_new
    # end show: cg loop
    return e, hvps


def _check_method(problem, method: str) -> None:
    check.objective("problem", problem)
    check.one_of("method", method, METHODS + DUAL_METHODS)
    needed = {"newton-cg": "hvp", "newton-dual": "hessian_factor"}.get(method, "hessian")
    if not callable(getattr(problem, needed, None)):
        raise ValueError(f"problem must have a {needed}() method for method {method!r}")


def forcing_tolerance(forcing: str, cg_tol: float, grad_norm: ArrayLike) -> np.ndarray:
    r"""CG's relative residual tolerance :math:`\eta_k` for a gradient of norm ``grad_norm``
    (inexact Newton: stop when :math:`|He + g| \le \eta_k |g|`).

    ``"fixed"``: :math:`\eta_k` = ``cg_tol``; ``"superlinear"``: :math:`\min(0.5, \sqrt{|g|})`;
    ``"quadratic"``: :math:`\min(0.5, |g|)`. With :math:`\eta_k \to 0` Newton-CG converges
    superlinearly, with :math:`\eta_k = O(|g|)` quadratically (Nocedal and Wright, Numerical
    Optimization, 2nd ed., Theorems 7.1 and 7.2).

    Example:
        >>> forcing_tolerance("superlinear", 1e-10, [1.0, 1e-4]).tolist()
        [0.5, 0.01]
    """
    check.one_of("forcing", forcing, FORCING)
    cg_tol = check.number("cg_tol", cg_tol, above=0)
    grad_norm = check.as_finite_array("grad_norm", grad_norm)
    if np.any(grad_norm < 0):
        raise ValueError(f"grad_norm must be >= 0, got {grad_norm!r}")
    if forcing == "fixed":
        return np.full(grad_norm.shape, cg_tol)
    scale = np.sqrt(grad_norm) if forcing == "superlinear" else grad_norm
    return np.minimum(0.5, scale)


def _direction(
    problem, w, g, method, damping, cg_tol, cg_maxiter, forcing="fixed", radius=None
) -> Direction:
    """Directions for a batch ``w``, ``g`` of shape (C, d) (arguments already checked)."""
    C, d = w.shape
    no_hvps = np.zeros(C, dtype=int)
    if method == "newton-cg":
        maxiter = 2 * d if cg_maxiter is None else cg_maxiter
        tol = forcing_tolerance(forcing, cg_tol, _norm(g))

        operator = getattr(problem, "hvp_operator", None)
        if callable(operator):  # curvature computed once per direction: each product as a gradient
            hvp = operator(w)
        else:

            def hvp(p):
                return problem.hvp(w, p)

        if radius is None:
            step, hvps = _conjugate_gradient(hvp, g, damping, tol, maxiter)
            return Direction(step, hvps, np.zeros(C, dtype=bool))
        step, hvps, predicted, _, _ = steihaug_cg(
            hvp, g, radius, np.maximum(tol, 1e-300), maxiter, damping
        )
        return Direction(step, hvps, np.zeros(C, dtype=bool), predicted=predicted)
    if method == "newton-dual":
        Z, mu = problem.hessian_factor(w)
        mu = float(mu) + damping
        if not mu > 0:
            return Direction(np.full_like(g, np.nan), no_hvps, np.ones(C, dtype=bool))
        step, singular = _dual_newton(np.asarray(Z, dtype=float), mu, g)
        return Direction(step, no_hvps, singular)
    if method == "newton" and callable(getattr(problem, "hessian_factor", None)):
        # H = Z^T Z + mu I by a symmetric rank-n update (BLAS syrk, n d^2 flops), the same
        # kernel the dual step uses for Z Z^T (n^2 d): the two exact steps are timed alike.
        Z, mu = problem.hessian_factor(w)
        Z = np.asarray(Z, dtype=float)
        H = np.stack([Z[c].T @ Z[c] for c in range(C)])
        H[:, np.arange(d), np.arange(d)] += float(mu) + damping
        step, singular, spd = _explicit_newton(H, g)
        return Direction(step, no_hvps, singular, positive_definite=spd)
    H = problem.hessian(w)
    if method == "saddle-free":
        step, singular, predicted = _saddle_free(H, g, damping, radius)
        return Direction(step, no_hvps, singular, predicted=predicted)
    # show: newton direction
    if damping:
        H = H + damping * np.eye(d)
    step, singular, spd = _explicit_newton(H, g)
    # end show: newton direction
    return Direction(step, no_hvps, singular, positive_definite=spd)


def _check_solver_args(damping, cg_tol, cg_maxiter, forcing="fixed"):
    damping = check.number("damping", damping, at_least=0)
    cg_tol = check.number("cg_tol", cg_tol, above=0)
    if cg_maxiter is not None:
        cg_maxiter = check.integer("cg_maxiter", cg_maxiter, low=1)
    check.one_of("forcing", forcing, FORCING)
    return damping, cg_tol, cg_maxiter


def _check_radius(trust_radius, method) -> float | None:
    if trust_radius is None:
        return None
    trust_radius = check.number("trust_radius", trust_radius, above=0)
    if method not in TR_METHODS:
        raise ValueError(
            f"trust_radius needs method in {TR_METHODS}, got method {method!r} (use saddle-free "
            "Newton or Steihaug's Newton-CG for a trust region)"
        )
    return trust_radius


def newton_direction(
    problem,
    w: ArrayLike,
    method: str = "newton",
    damping: float = 0.0,
    cg_tol: float = 1e-10,
    cg_maxiter: int | None = None,
    forcing: str = "fixed",
    trust_radius: float | None = None,
) -> Direction:
    """The search direction of ``method`` at ``w`` (shape ``(d,)`` or ``(C, d)``); see the module
    docstring. ``cg_maxiter=None`` allows 2 d products (CG is exact after d in exact arithmetic).
    ``forcing`` sets CG's tolerance (:func:`forcing_tolerance`); ``trust_radius`` (> 0, methods
    ``"saddle-free"`` and ``"newton-cg"`` only) confines the step to that radius.
    """
    _check_method(problem, method)
    damping, cg_tol, cg_maxiter = _check_solver_args(damping, cg_tol, cg_maxiter, forcing)
    radius = _check_radius(trust_radius, method)
    w = check.points("w", w, problem.d)
    single = w.ndim == 1
    wb = w[None, :] if single else w
    if radius is not None:
        radius = np.full(wb.shape[0], radius)
    with np.errstate(all="ignore"):
        g = np.asarray(problem.grad(wb), dtype=float)
        out = _direction(problem, wb, g, method, damping, cg_tol, cg_maxiter, forcing, radius)
    if single:
        return Direction(
            out.step[0],
            int(out.hvps[0]),
            bool(out.singular[0]),
            None if out.positive_definite is None else bool(out.positive_definite[0]),
            None if out.predicted is None else float(out.predicted[0]),
        )
    return out


# --------------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------------


def _norm(x: np.ndarray) -> np.ndarray:
    """Euclidean norm along the last axis, right up to the float range: where the sum of squares
    overflows (entries above ~1e154) it is recomputed as ``m |x / m|`` with ``m = max|x|``, so a
    finite vector never gets an infinite norm."""
    norm = np.linalg.norm(x, axis=-1)
    redo = ~np.isfinite(norm) & np.isfinite(x).all(axis=-1)
    if np.any(redo):
        m = np.max(np.abs(x[redo]), axis=-1)
        norm = np.array(norm, dtype=float)
        norm[redo] = m * np.linalg.norm(x[redo] / m[..., None], axis=-1)
    return norm


def _evaluate(problem, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if hasattr(problem, "loss_and_grad"):
        loss, grad = problem.loss_and_grad(w)
    else:
        loss, grad = problem.loss(w), problem.grad(w)
    return np.asarray(loss, dtype=float), np.asarray(grad, dtype=float)


def _line_search(problem, w, loss, g, step, lr) -> tuple[np.ndarray, np.ndarray]:
    """Backtracking from ``lr``: halve until f(w + a e) <= f(w) + c1 a g.e. A direction that is not
    a descent direction (g.e >= 0: no step length can decrease f) is replaced by -g first.
    Returns the (possibly replaced) directions and the accepted step lengths (0 if none of
    ``MAX_HALVINGS`` halvings was accepted)."""
    slope = np.sum(g * step, axis=-1)
    uphill = ~(slope < 0)
    step = np.where(uphill[:, None], -g, step)
    slope = np.where(uphill, -np.sum(g * g, axis=-1), slope)
    alpha = np.full(w.shape[0], lr)
    searching = slope < 0  # a zero gradient leaves nothing to search
    alpha[~searching] = 0.0
    for _ in range(MAX_HALVINGS):
        if not searching.any():
            break
        rows = np.flatnonzero(searching)
        trial = problem.loss(w[rows] + alpha[rows, None] * step[rows])
        ok = trial <= loss[rows] + ARMIJO_C1 * alpha[rows] * slope[rows]
        searching[rows[ok]] = False
        alpha[rows[~ok]] /= 2
    alpha[searching] = 0.0
    return step, alpha


def run(
    problem,
    w0: ArrayLike,
    steps: int,
    method: str = "newton",
    lr: float = 1.0,
    damping: float = 0.0,
    cg_tol: float = 1e-10,
    cg_maxiter: int | None = None,
    line_search: bool = False,
    grad_tol: float = 0.0,
    blowup: float = 1e6,
    forcing: str = "fixed",
    trust_radius: float | None = None,
    max_radius: float | None = None,
) -> NewtonHistory:
    r"""``steps`` iterations of :math:`w \leftarrow w + \eta\, e(w)` with e from ``method``.

    Args:
        problem: an objective with ``d``, ``loss``, ``grad`` and ``hessian`` (``"newton"``,
            ``"saddle-free"``) or ``hvp`` (``"newton-cg"``, which never calls ``hessian``).
        w0: start, shape ``(d,)`` or ``(C, d)`` (C runs at once).
        steps: number of iterations (>= 0).
        method: one of :data:`METHODS` or :data:`DUAL_METHODS`.
        lr: step size :math:`\eta > 0` (1 is the full Newton step); with ``line_search`` the first
            step length tried.
        damping: :math:`\lambda \ge 0` added to the Hessian (or to |H|).
        cg_tol, cg_maxiter: CG stopping rule for ``"newton-cg"`` (relative residual > 0; at most
            this many Hessian-vector products per step, >= 1, default 2 d).
        line_search: backtracking (Armijo) line search; uphill directions are replaced by -g.
        grad_tol: a run whose :math:`|\nabla f| \le` ``grad_tol`` (>= 0) stops there as
            converged; its later entries repeat the final point.
        blowup: a loss above ``blowup * max(1, |loss_0|)`` or below minus that counts as
            divergence (> 1): on an unbounded problem f -> -inf diverges too.
        forcing: CG's tolerance rule for ``"newton-cg"``, one of :data:`FORCING`
            (:func:`forcing_tolerance`; ``"fixed"`` uses ``cg_tol``).
        trust_radius: initial trust-region radius (> 0; ``"saddle-free"`` or ``"newton-cg"``,
            then Steihaug's CG; needs ``lr = 1`` and no line search), None for none.
        max_radius: the largest radius (>= ``trust_radius``; default 1000 x ``trust_radius``).

    Returns a :class:`NewtonHistory` (the :class:`~helpers.train.History` of
    :func:`helpers.train.run` plus gradient norms, Hessian-vector products and a status).
    Divergence (non-finite or blown-up loss, singular Hessian) stops a run and marks it.
    """
    steps = check.integer("steps", steps, low=0)
    _check_method(problem, method)
    w0 = check.points("w0", w0, problem.d)
    lr = check.number("lr", lr, above=0)
    damping, cg_tol, cg_maxiter = _check_solver_args(damping, cg_tol, cg_maxiter, forcing)
    line_search = check.flag("line_search", line_search)
    grad_tol = check.number("grad_tol", grad_tol, at_least=0)
    blowup = check.number("blowup", blowup, above=1)
    radius0 = _check_radius(trust_radius, method)
    if radius0 is not None:
        if line_search or lr != 1:
            raise ValueError(
                f"trust_radius needs lr = 1 and line_search = False, got lr = {lr!r}, "
                f"line_search = {line_search!r} (the region sets the step length)"
            )
        max_radius = 1000 * radius0 if max_radius is None else max_radius
        max_radius = check.number("max_radius", max_radius, at_least=radius0)
    elif max_radius is not None:
        check.number("max_radius", max_radius, above=0)
        raise ValueError("max_radius must be None without a trust_radius")

    single = w0.ndim == 1
    w = w0[None, :].copy() if single else w0.copy()
    n_configs, d = w.shape
    losses = np.full((steps + 1, n_configs), np.nan)
    params = np.full((steps + 1, n_configs, d), np.nan)
    grad_norm = np.full((steps + 1, n_configs), np.nan)
    hvps = np.zeros((steps, n_configs), dtype=int)
    diverged_at = np.full(n_configs, -1)
    converged_at = np.full(n_configs, -1)
    status = [f"ran {steps} steps"] * n_configs
    radius = None if radius0 is None else np.full(n_configs, radius0)
    radii = np.full((steps, n_configs), np.nan)
    accepted = np.zeros((steps, n_configs), dtype=bool)

    with np.errstate(all="ignore"):
        loss, g = _evaluate(problem, w)
        norm = _norm(g)
        losses[0], params[0], grad_norm[0] = loss, w, norm
        limit = blowup * np.maximum(1.0, np.abs(loss))
        alive = np.isfinite(loss) & np.isfinite(norm)
        for c in np.flatnonzero(~alive):
            diverged_at[c] = 0
            status[c] = "diverged at step 0: the loss or gradient at w0 is not finite"
        done = alive & (norm <= grad_tol)
        converged_at[done] = 0
        for t in range(steps):
            # Converged runs stay where they are.
            losses[t + 1, done], params[t + 1, done] = losses[t, done], params[t, done]
            grad_norm[t + 1, done] = grad_norm[t, done]
            rows = np.flatnonzero(alive & ~done)
            if rows.size == 0:
                continue
            direction = _direction(
                problem,
                w[rows],
                g[rows],
                method,
                damping,
                cg_tol,
                cg_maxiter,
                forcing,
                None if radius is None else radius[rows],
            )
            hvps[t, rows] = direction.hvps
            step = direction.step
            if line_search:
                safe = np.where(direction.singular[:, None], 0.0, step)
                step, alpha = _line_search(problem, w[rows], loss[rows], g[rows], safe, lr)
            else:
                alpha = np.full(rows.size, lr)
            # show: newton update
            w_new = w[rows] + alpha[:, None] * step
            # end show: newton update
            loss_new, g_new = _evaluate(problem, w_new)
            if radius is not None:
                radii[t, rows] = radius[rows]
                step_norm = np.linalg.norm(step, axis=-1)
                rho = (loss[rows] - loss_new) / direction.predicted
                # A predicted decrease at rounding level cannot be checked against the actual one
                # (both are noise): take the step and keep the radius.
                scale = np.maximum(1.0, np.abs(loss[rows]))
                negligible = direction.predicted <= TR_ROUNDING * scale
                take = np.isfinite(loss_new) & ((rho > TR_ACCEPT) | negligible)
                accepted[t, rows] = take
                edge = step_norm >= 0.99 * radius[rows]
                radius[rows] = np.where(
                    negligible,
                    radius[rows],
                    np.where(
                        ~(rho >= 0.25),
                        radius[rows] / 4,
                        np.where(
                            (rho > 0.75) & edge,
                            np.minimum(2 * radius[rows], max_radius),
                            radius[rows],
                        ),
                    ),
                )
                w_new = np.where(take[:, None], w_new, w[rows])
                loss_new = np.where(take, loss_new, loss[rows])
                g_new = np.where(take[:, None], g_new, g[rows])
            norm_new = _norm(g_new)
            singular = direction.singular
            blown = ~(
                np.isfinite(loss_new)
                & (np.abs(loss_new) <= limit[rows])  # both ways: f -> -inf diverges too
                & np.isfinite(w_new).all(axis=-1)
                & np.isfinite(norm_new)
            )
            bad = singular | blown
            ok = rows[~bad]
            losses[t + 1, ok], params[t + 1, ok], grad_norm[t + 1, ok] = (
                loss_new[~bad],
                w_new[~bad],
                norm_new[~bad],
            )
            w[ok], g[ok], loss[ok] = w_new[~bad], g_new[~bad], loss_new[~bad]
            for c, is_singular in zip(rows[bad], singular[bad], strict=True):
                diverged_at[c] = t + 1
                if is_singular:
                    matrix = "|H|" if method == "saddle-free" else "the Hessian"
                    status[c] = (
                        f"diverged at step {t + 1}: {matrix} + damping I is singular, "
                        "the Newton step is undefined (use damping > 0)"
                    )
                else:  # keep the point that stopped it, as helpers.train.run does
                    i = np.flatnonzero(rows == c)[0]
                    losses[t + 1, c], params[t + 1, c] = loss_new[i], w_new[i]
                    status[c] = (
                        f"diverged at step {t + 1}: loss not finite or |loss| above "
                        f"blowup x max(1, |loss_0|) = {limit[c]:.3g}"
                    )
            alive[rows[bad]] = False
            newly = ok[grad_norm[t + 1, ok] <= grad_tol]
            done[newly] = True
            converged_at[newly] = t + 1
            for c in newly:
                status[c] = f"converged at step {t + 1}: |grad| <= {grad_tol:g}"

    diverged = diverged_at >= 0
    if single:
        return NewtonHistory(
            losses[:, 0].copy(),
            params[:, 0].copy(),
            bool(diverged[0]),
            int(diverged_at[0]),
            grad_norm=grad_norm[:, 0].copy(),
            hvps=hvps[:, 0].copy(),
            converged_at=int(converged_at[0]),
            status=status[0],
            radius=None if radius is None else radii[:, 0].copy(),
            accepted=None if radius is None else accepted[:, 0].copy(),
        )
    return NewtonHistory(
        losses.T.copy(),
        params.transpose(1, 0, 2).copy(),
        diverged,
        diverged_at,
        grad_norm=grad_norm.T.copy(),
        hvps=hvps.T.copy(),
        converged_at=converged_at,
        status=tuple(status),
        radius=None if radius is None else radii.T.copy(),
        accepted=None if radius is None else accepted.T.copy(),
    )


# --------------------------------------------------------------------------------------------------
# Reading results
# --------------------------------------------------------------------------------------------------


def steps_to_tolerance(values: ArrayLike, tol: float) -> np.ndarray | int:
    """First index along the last axis where ``values <= tol`` (-1 where never; NaN never counts)."""
    values = check.real_array("values", values)
    if values.ndim == 0 or values.shape[-1] == 0:
        raise ValueError(f"values must have a non-empty last axis, got shape {values.shape}")
    tol = check.number("tol", tol)
    with np.errstate(invalid="ignore"):
        below = values <= tol
    first = np.where(below.any(axis=-1), below.argmax(axis=-1), -1)
    return int(first) if first.ndim == 0 else first


def classify_point(problem, w: ArrayLike, grad_tol: float = 1e-6) -> str:
    """``"minimum"``, ``"maximum"`` or ``"saddle"`` if :math:`|\\nabla f(w)| \\le` ``grad_tol``
    (by the signs of the Hessian's eigenvalues; ``"degenerate"`` if one is 0), else
    ``"not stationary"``. ``w`` has shape ``(d,)``."""
    check.objective("problem", problem, needs=("grad", "hessian"))
    w = check.as_finite_array("w", w, ndim=(1,))
    if w.shape != (problem.d,):
        raise ValueError(f"w must have shape ({problem.d},), got {w.shape}")
    grad_tol = check.number("grad_tol", grad_tol, above=0)
    if np.linalg.norm(problem.grad(w)) > grad_tol:
        return "not stationary"
    eig = np.linalg.eigvalsh(problem.hessian(w))
    if np.all(eig > 0):
        return "minimum"
    if np.all(eig < 0):
        return "maximum"
    if np.any(eig > 0) and np.any(eig < 0):
        return "saddle"
    return "degenerate"


class StepCurvature(NamedTuple):
    """What each step w_t -> w_{t+1} of a path met, t = 0 .. T-1.

    ``min_eigenvalue``: smallest Hessian eigenvalue at w_t; ``loss_change``: f(w_{t+1}) - f(w_t);
    ``step_norm``: |w_{t+1} - w_t|; ``uphill_along_negative``: True where the step s has
    :math:`(g \\cdot v)(s \\cdot v) > 0` for every eigenvector v of negative curvature (it moves
    uphill along all of them, to first order), False where it does not, and False where there is
    no negative curvature.
    """

    min_eigenvalue: np.ndarray
    loss_change: np.ndarray
    step_norm: np.ndarray
    uphill_along_negative: np.ndarray


def step_curvature(problem, params: ArrayLike) -> StepCurvature:
    """The curvature met by each step of the path ``params`` (shape ``(T+1, d)``, no NaN)."""
    check.objective("problem", problem, needs=("loss", "grad", "hessian"))
    params = check.as_finite_array("params", params, ndim=(2,))
    if params.shape[0] < 2 or params.shape[1] != problem.d:
        raise ValueError(
            f"params must have shape (T+1, {problem.d}) with T >= 1, got {params.shape}"
        )
    w, steps = params[:-1], np.diff(params, axis=0)
    lam, V = np.linalg.eigh(problem.hessian(w))
    along_g = np.einsum("tji,tj->ti", V, problem.grad(w))
    along_s = np.einsum("tji,tj->ti", V, steps)
    negative = lam < 0
    uphill = np.where(negative, along_g * along_s > 0, True).all(axis=-1) & negative.any(axis=-1)
    loss = problem.loss(params)
    return StepCurvature(lam[:, 0], np.diff(loss), np.linalg.norm(steps, axis=-1), uphill)


def format_small(value: float, floor: float = 1e-14, digits: int = 2) -> str:
    """``value`` with ``digits`` significant digits, or ``"< floor"`` when it is below ``floor``
    (where a printed value would be rounding noise)."""
    floor = check.number("floor", floor, above=0)
    digits = check.integer("digits", digits, low=1, high=17)
    value = check.real("value", value)
    if np.isnan(value):
        return "nan"
    if abs(value) < floor:
        return f"< {floor:.0e}"
    return f"{value:.{digits}g}" if abs(value) >= 1e-3 else f"{value:.{digits - 1}e}"
