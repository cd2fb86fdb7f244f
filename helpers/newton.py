r"""Newton's method and two relatives: saddle-free Newton and Hessian-free Newton-CG.

The second-order Taylor model of f around w,

.. math::
    f(w + e) \approx f(w) + g^\top e + \tfrac12 e^\top H e, \qquad g = \nabla f(w),\; H = \nabla^2 f(w),

is stationary where :math:`H e = -g`: the Newton step. The three methods differ in the matrix
they solve with and in how they solve:

* ``"newton"``: :math:`(H + \lambda I)\, e = -g` by an LU solve (``numpy.linalg.solve``); the inverse
  is never formed. Where H is indefinite this is still the model's stationary point: a maximum
  along negative-curvature directions, so the step heads uphill there.
* ``"saddle-free"``: :math:`(|H| + \lambda I)\, e = -g` with :math:`|H| = V|\Lambda|V^\top` from the
  eigendecomposition :math:`H = V\Lambda V^\top` (Dauphin et al. 2014): each eigendirection keeps
  Newton's step length :math:`|g_i / \lambda_i|` but always points downhill.
* ``"newton-cg"``: conjugate gradient on :math:`(H + \lambda I)\, e = -g` using only
  Hessian-vector products ``problem.hvp`` (never ``problem.hessian``): O(d) memory. CG stops when
  the residual is below ``cg_tol * |g|``, after ``cg_maxiter`` products, or when it meets a direction
  p with :math:`p^\top (H + \lambda I) p \le 0` (the model is not convex along p). It then returns the
  iterate so far, or :math:`-g` if that happens at the first product: a descent direction either
  way (truncated Newton, Nocedal and Wright, Numerical Optimization, Algorithm 7.1).

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

from helpers import _validate as check
from helpers.train import History

__all__ = [
    "METHODS",
    "Direction",
    "NewtonHistory",
    "StepCurvature",
    "classify_point",
    "format_small",
    "newton_direction",
    "run",
    "step_curvature",
    "steps_to_tolerance",
]

METHODS = ("newton", "saddle-free", "newton-cg")
ARMIJO_C1 = 1e-4  # sufficient decrease: f(w + a e) <= f(w) + c1 a g.e
MAX_HALVINGS = 50


class Direction(NamedTuple):
    """A search direction per configuration.

    ``step``: the direction e, shape of ``w``; ``hvps``: Hessian-vector products used (0 for the
    explicit methods); ``singular``: True where the (modified) Hessian was singular and e is NaN.
    """

    step: np.ndarray
    hvps: np.ndarray | int
    singular: np.ndarray | bool


@dataclass(frozen=True, kw_only=True)
class NewtonHistory(History):
    """A :class:`helpers.train.History` plus what second-order runs report.

    ``grad_norm``: :math:`|\\nabla f|` at every recorded point (shape of ``loss``);
    ``hvps``: Hessian-vector products per step (``(steps,)``, or ``(C, steps)``; 0 for the
    explicit methods); ``converged_at``: first step with :math:`|\\nabla f| \\le` ``grad_tol``
    (-1 if never; later entries repeat that point); ``status``: one sentence per run saying how
    it ended (a tuple of them for a batched run).
    """

    grad_norm: np.ndarray
    hvps: np.ndarray
    converged_at: np.ndarray | int
    status: str | tuple[str, ...]

    def config(self, c: int) -> NewtonHistory:
        """The single-run NewtonHistory of configuration ``c`` of a batched run."""
        base = History.config(self, c)
        return NewtonHistory(
            base.loss,
            base.params,
            base.diverged,
            base.diverged_at,
            base.steps,
            grad_norm=self.grad_norm[c],
            hvps=self.hvps[c],
            converged_at=int(self.converged_at[c]),
            status=self.status[c],
        )


# --------------------------------------------------------------------------------------------------
# Directions
# --------------------------------------------------------------------------------------------------


def _explicit_newton(H: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve H e = -g row by row of a batch; NaN and singular=True where H is singular."""
    try:
        step = np.linalg.solve(H, -g[..., None])[..., 0]
    except np.linalg.LinAlgError:  # some matrix of the batch is singular: find which
        step = np.full_like(g, np.nan)
        for c in range(g.shape[0]):
            try:
                step[c] = np.linalg.solve(H[c], -g[c])
            except np.linalg.LinAlgError:
                pass
    singular = ~np.isfinite(step).all(axis=-1)
    step[singular] = np.nan
    return step, singular


def _saddle_free(H: np.ndarray, g: np.ndarray, damping: float) -> tuple[np.ndarray, np.ndarray]:
    """Solve (|H| + damping I) e = -g via H = V diag(lam) V^T; singular where an |lam| + damping
    is 0 up to rounding (below d * eps * max(|lam| + damping))."""
    lam, V = np.linalg.eigh(H)
    scale = np.abs(lam) + damping
    top = scale.max(axis=-1, keepdims=True)
    singular = (scale <= g.shape[-1] * np.finfo(float).eps * top).any(axis=-1)
    safe = np.where(scale > 0, scale, 1.0)
    coords = np.einsum("cji,cj->ci", V, g) / safe
    step = -np.einsum("cij,cj->ci", V, coords)
    step[singular] = np.nan
    return step, singular


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
    target = tol * np.sqrt(rr)
    active = np.sqrt(rr) > target
    hvps = np.zeros(C, dtype=int)
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
    return e, hvps


def _check_method(problem, method: str) -> None:
    check.one_of("method", method, METHODS)
    needed = "hvp" if method == "newton-cg" else "hessian"
    if not callable(getattr(problem, needed, None)):
        raise ValueError(f"problem must have a {needed}() method for method {method!r}")


def _direction(problem, w, g, method, damping, cg_tol, cg_maxiter) -> Direction:
    """Directions for a batch ``w``, ``g`` of shape (C, d) (arguments already checked)."""
    C, d = w.shape
    no_hvps = np.zeros(C, dtype=int)
    if method == "newton-cg":
        maxiter = 2 * d if cg_maxiter is None else cg_maxiter
        step, hvps = _conjugate_gradient(lambda p: problem.hvp(w, p), g, damping, cg_tol, maxiter)
        return Direction(step, hvps, np.zeros(C, dtype=bool))
    H = problem.hessian(w)
    if method == "saddle-free":
        step, singular = _saddle_free(H, g, damping)
    else:
        if damping:
            H = H + damping * np.eye(d)
        step, singular = _explicit_newton(H, g)
    return Direction(step, no_hvps, singular)


def _check_solver_args(damping, cg_tol, cg_maxiter) -> tuple[float, float, int | None]:
    damping = check.number("damping", damping, at_least=0)
    cg_tol = float(check.positive("cg_tol", cg_tol))
    if cg_maxiter is not None:
        cg_maxiter = check.integer("cg_maxiter", cg_maxiter, low=1)
    return damping, cg_tol, cg_maxiter


def newton_direction(
    problem,
    w: ArrayLike,
    method: str = "newton",
    damping: float = 0.0,
    cg_tol: float = 1e-10,
    cg_maxiter: int | None = None,
) -> Direction:
    """The search direction of ``method`` at ``w`` (shape ``(d,)`` or ``(C, d)``); see the module
    docstring. ``cg_maxiter=None`` allows 2 d products (CG is exact after d in exact arithmetic).
    """
    _check_method(problem, method)
    damping, cg_tol, cg_maxiter = _check_solver_args(damping, cg_tol, cg_maxiter)
    w = check.points("w", w, problem.d)
    single = w.ndim == 1
    wb = w[None, :] if single else w
    with np.errstate(all="ignore"):
        g = np.asarray(problem.grad(wb), dtype=float)
        out = _direction(problem, wb, g, method, damping, cg_tol, cg_maxiter)
    if single:
        return Direction(out.step[0], int(out.hvps[0]), bool(out.singular[0]))
    return out


# --------------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------------


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
) -> NewtonHistory:
    r"""``steps`` iterations of :math:`w \leftarrow w + \eta\, e(w)` with e from ``method``.

    Args:
        problem: an objective with ``d``, ``loss``, ``grad`` and ``hessian`` (``"newton"``,
            ``"saddle-free"``) or ``hvp`` (``"newton-cg"``, which never calls ``hessian``).
        w0: start, shape ``(d,)`` or ``(C, d)`` (C runs at once).
        steps: number of iterations (>= 0).
        method: one of :data:`METHODS`.
        lr: step size :math:`\eta > 0` (1 is the full Newton step); with ``line_search`` the first
            step length tried.
        damping: :math:`\lambda \ge 0` added to the Hessian (or to |H|).
        cg_tol, cg_maxiter: CG stopping rule for ``"newton-cg"`` (relative residual > 0; at most
            this many Hessian-vector products per step, >= 1, default 2 d).
        line_search: backtracking (Armijo) line search; uphill directions are replaced by -g.
        grad_tol: a run whose :math:`|\nabla f| \le` ``grad_tol`` (>= 0) stops there as
            converged; its later entries repeat the final point.
        blowup: a loss above ``blowup * max(1, |loss_0|)`` counts as divergence (> 1).

    Returns a :class:`NewtonHistory` (the :class:`~helpers.train.History` of
    :func:`helpers.train.run` plus gradient norms, Hessian-vector products and a status).
    Divergence (non-finite or blown-up loss, singular Hessian) stops a run and marks it.
    """
    steps = check.integer("steps", steps, low=0)
    _check_method(problem, method)
    w0 = check.points("w0", w0, problem.d)
    lr = float(check.positive("lr", lr))
    damping, cg_tol, cg_maxiter = _check_solver_args(damping, cg_tol, cg_maxiter)
    line_search = bool(check.boolean("line_search", line_search))
    grad_tol = check.number("grad_tol", grad_tol, at_least=0)
    blowup = check.number("blowup", blowup, above=1)

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

    with np.errstate(all="ignore"):
        loss, g = _evaluate(problem, w)
        norm = np.linalg.norm(g, axis=-1)
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
            direction = _direction(problem, w[rows], g[rows], method, damping, cg_tol, cg_maxiter)
            hvps[t, rows] = direction.hvps
            step = direction.step
            if line_search:
                safe = np.where(direction.singular[:, None], 0.0, step)
                step, alpha = _line_search(problem, w[rows], loss[rows], g[rows], safe, lr)
            else:
                alpha = np.full(rows.size, lr)
            w_new = w[rows] + alpha[:, None] * step
            loss_new, g_new = _evaluate(problem, w_new)
            norm_new = np.linalg.norm(g_new, axis=-1)
            singular = direction.singular
            blown = ~(
                np.isfinite(loss_new)
                & (loss_new <= limit[rows])
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
                        f"diverged at step {t + 1}: loss not finite or above "
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
            losses[:, 0],
            params[:, 0],
            bool(diverged[0]),
            int(diverged_at[0]),
            grad_norm=grad_norm[:, 0],
            hvps=hvps[:, 0],
            converged_at=int(converged_at[0]),
            status=status[0],
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
    )


# --------------------------------------------------------------------------------------------------
# Reading results
# --------------------------------------------------------------------------------------------------


def steps_to_tolerance(values: ArrayLike, tol: float) -> np.ndarray | int:
    """First index along the last axis where ``values <= tol`` (-1 where never; NaN never counts)."""
    values = np.asarray(values, dtype=float)
    tol = float(check.as_finite_array("tol", tol, ndim=(0,)))
    with np.errstate(invalid="ignore"):
        below = values <= tol
    first = np.where(below.any(axis=-1), below.argmax(axis=-1), -1)
    return int(first) if first.ndim == 0 else first


def classify_point(problem, w: ArrayLike, grad_tol: float = 1e-6) -> str:
    """``"minimum"``, ``"maximum"`` or ``"saddle"`` if :math:`|\\nabla f(w)| \\le` ``grad_tol``
    (by the signs of the Hessian's eigenvalues; ``"degenerate"`` if one is 0), else
    ``"not stationary"``. ``w`` has shape ``(d,)``."""
    w = check.as_finite_array("w", w, ndim=(1,))
    grad_tol = float(check.positive("grad_tol", grad_tol))
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
    floor = float(check.positive("floor", floor))
    digits = check.integer("digits", digits, low=1, high=17)
    value = float(value)
    if np.isnan(value):
        return "nan"
    if abs(value) < floor:
        return f"< {floor:.0e}"
    return f"{value:.{digits}g}" if abs(value) >= 1e-3 else f"{value:.{digits - 1}e}"
