r"""Separable data: when the logistic loss has no minimizer, and where gradient descent goes.

If some :math:`w` has :math:`s_i\, x_i \cdot w > 0` for every example (:math:`s_i = 2y_i - 1`),
then :math:`L(c\,w) \to 0` as :math:`c \to \infty`: the infimum 0 is not attained and the loss
has no minimizer. Gradient descent then runs off to infinity; Soudry et al. (2018, "The Implicit
Bias of Gradient Descent on Separable Data", arXiv:1710.10345) prove that, without a bias term,
its direction tends to the max-margin (hard-margin SVM) direction
:math:`\hat u = \arg\max_{\|u\|=1} \min_i s_i\, x_i \cdot u` while :math:`\|w_t\|` grows like
:math:`\log t`. With an L2 penalty :math:`\lambda > 0` the loss is strongly convex and has one
minimizer; :func:`sklearn_optimum` computes it independently with scikit-learn.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = [
    "is_separable",
    "max_margin_direction_2d",
    "sklearn_optimum",
    "valley_floor",
]


def _signed(X: ArrayLike, y: ArrayLike) -> np.ndarray:
    X, y = check.design(X, y, what="label")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    return (2 * y - 1)[:, None] * X


def is_separable(X: ArrayLike, y: ArrayLike) -> bool:
    r"""Whether some :math:`w` has :math:`s_i\,x_i \cdot w \ge 1` for all i (linear separability
    through the origin; put a bias column in ``X`` for an affine separator), decided by a
    linear-programming feasibility test (scipy's HiGHS).

    Example:
        >>> is_separable([[1.0], [-1.0]], [1, 0]), is_separable([[1.0], [1.0]], [1, 0])
        (True, False)
    """
    from scipy.optimize import linprog

    A = _signed(X, y)
    res = linprog(
        np.zeros(A.shape[1]),
        A_ub=-A,
        b_ub=-np.ones(A.shape[0]),
        bounds=[(None, None)] * A.shape[1],
        method="highs",
    )
    if res.status not in (0, 2):
        raise RuntimeError(f"the feasibility LP did not decide: {res.message}")
    return res.status == 0


def max_margin_direction_2d(X: ArrayLike, y: ArrayLike, num: int = 20001) -> tuple:
    r"""The unit direction :math:`\hat u` maximizing the margin :math:`\min_i s_i x_i\cdot u` of
    2-feature data through the origin, and that margin (> 0 iff separable through the origin).

    Searched over ``num`` angles in :math:`[-\pi, \pi)`, then refined by golden section around
    the best one; the margin is a minimum of sinusoids, so the refined angle is exact to about
    1e-9 rad.

    Example:
        >>> u, m = max_margin_direction_2d([[1.0, 2.0], [-1.0, -2.0]], [1, 0])
        >>> np.round(u, 6).tolist(), round(m, 6)
        ([0.447214, 0.894427], 2.236068)
    """
    A = _signed(X, y)
    if A.shape[1] != 2:
        raise ValueError(f"X must have 2 columns, got {A.shape[1]}")
    num = check.integer("num", num, low=16)

    def margin(theta):
        theta = np.asarray(theta, dtype=float)
        return np.min(A[:, :1] * np.cos(theta)[None] + A[:, 1:] * np.sin(theta)[None], axis=0)

    grid = np.linspace(-np.pi, np.pi, num, endpoint=False)
    k = int(np.argmax(margin(grid)))
    lo, hi = grid[k] - 2 * np.pi / num, grid[k] + 2 * np.pi / num
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        if margin(np.array([a]))[0] >= margin(np.array([b]))[0]:
            hi = b
        else:
            lo = a
    theta = (lo + hi) / 2
    return np.array([np.cos(theta), np.sin(theta)]), float(margin(np.array([theta]))[0])


def valley_floor(problem, w2: ArrayLike, w1_bounds: tuple[float, float] = (-50.0, 50.0)):
    r"""For a 2-parameter ``problem``: at each fixed :math:`w_2`, the minimum over :math:`w_1` of
    the loss and where it is, ``(w1_best, floor)``. Each is a 1-D convex minimization (bounded
    Brent, scipy), so the floor is exact to about 1e-10 in :math:`w_1`.

    On separable data the floor keeps falling as :math:`w_2` grows along the separating
    direction: there is no bottom to the valley.
    """
    from scipy.optimize import minimize_scalar

    check.objective("problem", problem, needs=("loss",))
    if problem.d != 2:
        raise ValueError("problem must have d = 2 parameters")
    w2 = check.as_finite_array("w2", w2, ndim=(0, 1)).ravel()
    if w2.size == 0:
        raise ValueError("w2 must hold at least one value, got an empty array")
    lo, hi = check.interval("w1_bounds", w1_bounds)
    best, floor = np.empty(w2.size), np.empty(w2.size)
    for k, v in enumerate(w2):
        res = minimize_scalar(
            lambda a, v=v: float(problem.loss(np.array([a, v]))),
            bounds=(lo, hi),
            method="bounded",
            options={"xatol": 1e-10},
        )
        best[k], floor[k] = res.x, res.fun
    return best, floor


def sklearn_optimum(X: ArrayLike, y: ArrayLike, l2: float) -> np.ndarray:
    r"""The minimizer of :class:`helpers.problems.LogisticRegression` ``(X, y, l2)`` computed
    independently by scikit-learn.

    Our loss is :math:`\frac1n\sum_i \ell_i + \frac{\lambda}{2}\|w\|^2` on all columns of ``X``
    (the bias column included); scikit-learn's ``LogisticRegression(C, fit_intercept=False)``
    minimizes :math:`C \sum_i \ell_i + \frac12\|w\|^2`, the same function times :math:`Cn` when
    :math:`C = 1/(n\lambda)`. Solved with L-BFGS to a gradient tolerance of 1e-12.
    """
    X, y = check.design(X, y, what="label")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    l2 = check.number("l2", l2, above=0)
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression  # once valid

    model = SkLogisticRegression(
        C=1.0 / (X.shape[0] * l2), fit_intercept=False, tol=1e-12, max_iter=100_000
    )
    model.fit(X, y.astype(int))
    return model.coef_.ravel().copy()
