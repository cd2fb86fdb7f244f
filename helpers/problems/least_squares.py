r"""Ridge-regularized least squares: a strongly convex finite sum whose minimum is known exactly.

.. math::
    f(w) = \frac1n \sum_{i=1}^n f_i(w), \qquad
    f_i(w) = \tfrac12 (x_i \cdot w - y_i)^2 + \tfrac\lambda2 \|w\|^2,

with :math:`\nabla f_i(w) = (x_i \cdot w - y_i)\, x_i + \lambda w`, Hessian
:math:`H = X^\top X / n + \lambda I` and minimizer :math:`w^* = H^{-1} X^\top y / n` (one linear
solve). Because f is quadratic, :math:`f(w) - f^* = \tfrac12 (w - w^*)^\top H (w - w^*)` exactly:
:meth:`LeastSquares.suboptimality` uses this form, which stays accurate down to 1e-30 where
``loss(w) - f_star`` would drown in rounding error near 1e-16 * f*.

Constants that the theory of SGD uses: :math:`\mu` (smallest eigenvalue of H, the strong
convexity), :math:`L_{\max} = \max_i \|x_i\|^2 + \lambda` (every :math:`f_i` is
:math:`L_{\max}`-smooth) and :math:`\sigma_*^2 = \frac1n\sum_i \|\nabla f_i(w^*)\|^2`, the
gradient noise at the optimum.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.problems.base import _Objective

__all__ = ["LeastSquares", "synthetic_regression"]


def synthetic_regression(
    n: int, d: int = 5, noise: float = 0.5, seed: int = 0, sort_by_target: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    r"""A seeded regression data set: ``X`` of shape ``(n, d)`` with standard normal entries scaled
    by :math:`1/\sqrt d` (so :math:`\|x_i\|^2 \approx 1`), ``y = X w_true + noise * N(0, 1)``
    with ``w_true`` standard normal. Row i is drawn from the same stream position whatever n is,
    so the first m rows of ``synthetic_regression(n)`` are ``synthetic_regression(m)``: changing n
    adds or removes samples of one population. ``sort_by_target=True`` then orders the rows by
    ``y``, the way data sets often arrive (sorted by label or date): harmless for shuffled
    sampling, adversarial for a fixed order."""
    n = check.integer("n", n, low=1)
    d = check.integer("d", d, low=1)
    noise = check.number("noise", noise, at_least=0)
    seed = check.integer("seed", seed, low=0)
    if check.boolean("sort_by_target", sort_by_target).ndim != 0:
        raise ValueError(f"sort_by_target must be a bool, got {sort_by_target!r}")
    rng = np.random.default_rng(seed)
    w_true = rng.standard_normal(d)
    rows = rng.standard_normal((n, d + 1))  # d features and one noise draw per row
    X = rows[:, :d] / np.sqrt(d)
    y = X @ w_true + noise * rows[:, d]
    if sort_by_target:
        order = np.argsort(y, kind="stable")
        X, y = X[order], y[order]
    return X, y


class LeastSquares(_Objective):
    r"""Ridge least squares :math:`\frac1{2n}\|Xw - y\|^2 + \frac\lambda2\|w\|^2` (see module doc).

    ``loss``, ``grad``, ``hessian`` and ``hvp`` accept one parameter vector ``(d,)`` or a batch
    ``(..., d)`` of them. ``grad(w, idx)`` averages over the rows ``idx``: a 1-D index array is
    one minibatch shared by every parameter vector (as :func:`helpers.train.run` expects); an
    index array of shape ``w.shape[:-1] + (b,)`` (or broadcastable to it) gives each parameter
    vector its own minibatch, which is how :mod:`helpers.lessons.sampling.shuffling` runs many seeds at once.
    """

    def __init__(self, X: ArrayLike, y: ArrayLike, l2: float = 0.0) -> None:
        X, y = check.design(X, y, what="target")
        self.l2 = check.number("l2", l2, at_least=0)
        self.X, self.y = X.copy(), y.copy()  # the caller changing X later changes nothing
        self.n_samples, self.d = X.shape
        self.H = X.T @ X / self.n_samples + self.l2 * np.eye(self.d)
        eig = np.linalg.eigvalsh(self.H)
        if eig[0] <= 1e-12 * max(eig[-1], 0.0):  # singular up to rounding
            raise ValueError(
                "l2 must be > 0 when X^T X is singular (the problem has no unique minimum)"
            )
        self.mu, self.L = float(eig[0]), float(eig[-1])
        self.minimizer = np.linalg.solve(self.H, X.T @ y / self.n_samples)
        residual = X @ self.minimizer - y
        self.f_star = float(
            0.5 * np.mean(residual**2) + 0.5 * self.l2 * self.minimizer @ self.minimizer
        )
        self.L_max = float(np.max(np.sum(X * X, axis=1)) + self.l2)
        sample_grads = residual[:, None] * X + self.l2 * self.minimizer
        self.sigma_star_sq = float(np.mean(np.sum(sample_grads**2, axis=1)))

    def _w(self, w) -> np.ndarray:
        return check.parameters("w", w, self.d, ndim=None)

    def _idx(self, idx, ndim: tuple[int, ...] | None = None) -> np.ndarray:
        return check.indices("idx", idx, self.n_samples, ndim=ndim)

    def loss(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Mean of ``0.5 (x_i.w - y_i)^2`` over all rows (or the shared 1-D ``idx``) plus the ridge."""
        w = self._w(w)
        if idx is not None:
            idx = self._idx(idx, ndim=(1,))
        X, y = (self.X, self.y) if idx is None else (self.X[idx], self.y[idx])
        r = w @ X.T - y
        return 0.5 * np.mean(r * r, axis=-1) + 0.5 * self.l2 * np.sum(w * w, axis=-1)

    def grad(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Gradient over all rows, a shared 1-D minibatch ``idx``, or one minibatch per vector."""
        w = self._w(w)
        if idx is None:
            return (w @ self.X.T - self.y) @ self.X / self.n_samples + self.l2 * w
        idx = self._idx(idx)
        if idx.ndim == 1:
            X, y = self.X[idx], self.y[idx]
            return (w @ X.T - y) @ X / idx.size + self.l2 * w
        return self.minibatch_grad(w, idx)

    def minibatch_grad(self, w: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Per-vector minibatch gradients with light argument checks: ``w`` of shape
        ``(..., d)``, ``idx`` of shape ``(..., b)`` broadcastable against ``w.shape[:-1]``."""
        w = self._w(w)
        idx = self._idx(idx)
        Xb = self.X[idx]  # (..., b, d)
        r = np.einsum("...bd,...d->...b", Xb, w) - self.y[idx]
        return np.einsum("...b,...bd->...d", r, Xb) / idx.shape[-1] + self.l2 * w

    def hessian(self, w: ArrayLike) -> np.ndarray:
        """``X^T X / n + l2 I`` (the same everywhere), repeated for a batch of vectors."""
        w = self._w(w)
        return np.broadcast_to(self.H, (*w.shape[:-1], self.d, self.d)).copy()

    def hvp(self, w: ArrayLike, v: ArrayLike) -> np.ndarray:
        """``H v``."""
        w = self._w(w)
        v = check.as_finite_array("v", v)
        if v.shape != w.shape:
            raise ValueError(f"v must have the shape of w {w.shape}, got {v.shape}")
        return v @ self.H

    def suboptimality(self, w: ArrayLike) -> np.ndarray:
        """``f(w) - f*`` computed as ``0.5 (w - w*)^T H (w - w*)``: exact for a quadratic and free
        of the cancellation in ``loss(w) - f_star``."""
        e = self._w(w) - self.minimizer
        return 0.5 * np.sum((e @ self.H) * e, axis=-1)
