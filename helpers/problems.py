r"""Objectives with ``loss``, ``grad``, ``hessian`` and ``hvp`` (Hessian-vector product).

Every method accepts one parameter vector ``w`` of shape ``(d,)`` or a batch of C vectors of shape
``(C, d)`` and returns, respectively, a scalar / ``(C,)`` loss, a ``(d,)`` / ``(C, d)`` gradient,
a ``(d, d)`` / ``(C, d, d)`` Hessian and a ``(d,)`` / ``(C, d)`` Hessian-vector product.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = ["LogisticRegression", "Objective", "Quadratic", "Rosenbrock", "sigmoid", "softplus"]


class Objective(Protocol):
    """What :func:`helpers.train.run` needs of a problem: ``d`` parameters, ``n_samples`` data
    points (None when there is nothing to batch), ``loss`` and ``grad`` (with an optional index
    array ``idx`` for minibatches). ``loss_and_grad`` is used when present."""

    d: int
    n_samples: int | None

    def loss(self, w: ArrayLike, *args) -> np.ndarray: ...

    def grad(self, w: ArrayLike, *args) -> np.ndarray: ...


def sigmoid(z: ArrayLike) -> np.ndarray:
    r""":math:`\sigma(z) = 1/(1+e^{-z})`, computed from :math:`e^{-|z|} \le 1` so it never overflows.

    For :math:`z \ge 0` it is :math:`1/(1+e^{-z})`, for :math:`z < 0` the equal :math:`e^{z}/(1+e^{z})`.
    """
    z = np.asarray(z, dtype=float)
    return _sigmoid(z, np.exp(-np.abs(z)))


def softplus(z: ArrayLike) -> np.ndarray:
    r""":math:`\log(1+e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})`, without overflow for any finite z."""
    z = np.asarray(z, dtype=float)
    return _softplus(z, np.exp(-np.abs(z)))


def _sigmoid(z: np.ndarray, e: np.ndarray) -> np.ndarray:
    """sigmoid(z) given ``e = exp(-|z|)``."""
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _softplus(z: np.ndarray, e: np.ndarray) -> np.ndarray:
    """softplus(z) given ``e = exp(-|z|)``."""
    return np.maximum(z, 0.0) + np.log1p(e)


class _Objective:
    """Shape checks shared by the objectives (``d`` parameters, ``n_samples`` data points or None)."""

    d: int
    n_samples: int | None

    def _w(self, w, name: str = "w") -> np.ndarray:
        w = np.asarray(w, dtype=float)
        if w.ndim not in (1, 2) or w.shape[-1] != self.d:
            raise ValueError(f"{name} must have shape ({self.d},) or (C, {self.d}), got {w.shape}")
        return w

    def _v(self, w: np.ndarray, v) -> np.ndarray:
        v = np.asarray(v, dtype=float)
        if v.shape != w.shape:
            raise ValueError(f"v must have the shape of w {w.shape}, got {v.shape}")
        return v


class LogisticRegression(_Objective):
    r"""L2-regularized logistic regression (binary cross-entropy).

    .. math::
        L(w) = \frac1n \sum_i \big[\log(1 + e^{z_i}) - y_i z_i\big] + \frac{\lambda}{2}\|w\|^2,
        \qquad z_i = x_i \cdot w,

    which equals the mean of :math:`-y_i\log\sigma(z_i) - (1-y_i)\log(1-\sigma(z_i))` but is computed
    with a stable softplus, so it never overflows or takes ``log(0)``. Derivatives:

    .. math::
        \nabla L = \frac1n \sum_i (\sigma(z_i) - y_i)\, x_i + \lambda w, \qquad
        \nabla^2 L = \frac1n \sum_i \sigma(z_i)(1-\sigma(z_i))\, x_i x_i^\top + \lambda I.

    ``X`` already holds the bias column when the model has a bias. Minibatch versions take an
    index array ``idx`` and average over ``X[idx]`` instead of all rows.
    """

    def __init__(self, X: ArrayLike, y: ArrayLike, l2: float = 0.0) -> None:
        X, y = check.design(X, y, what="label")
        if np.any((y < 0) | (y > 1)):
            raise ValueError("y must hold labels (or probabilities) in [0, 1]")
        self.X, self.y = X, y
        self.l2 = check.number("l2", l2, at_least=0)
        self.n_samples, self.d = X.shape

    def _rows(self, idx) -> tuple[np.ndarray, np.ndarray]:
        if idx is None:
            return self.X, self.y
        idx = np.asarray(idx)
        if idx.ndim != 1 or idx.size == 0 or not np.issubdtype(idx.dtype, np.integer):
            raise ValueError(f"idx must be a non-empty 1-D integer array, got {idx!r}")
        if idx.min() < 0 or idx.max() >= self.n_samples:
            raise ValueError(f"idx must hold row numbers in [0, {self.n_samples - 1}]")
        return self.X[idx], self.y[idx]

    def loss(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Mean cross-entropy over all rows (or ``X[idx]``) plus ``l2/2 * ||w||^2``."""
        w = self._w(w)
        X, y = self._rows(idx)
        z = w @ X.T
        data = np.mean(softplus(z) - y * z, axis=-1)
        return data + 0.5 * self.l2 * np.sum(w * w, axis=-1)

    def grad(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Gradient ``mean_i (sigmoid(z_i) - y_i) x_i + l2 * w``."""
        w = self._w(w)
        X, y = self._rows(idx)
        residual = sigmoid(w @ X.T) - y
        return residual @ X / X.shape[0] + self.l2 * w

    def loss_and_grad(
        self, w: ArrayLike, idx: ArrayLike | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(loss(w), grad(w))`` sharing one pass over the data (what training loops need)."""
        w = self._w(w)
        X, y = self._rows(idx)
        z = w @ X.T
        e = np.exp(-np.abs(z))
        data = np.mean(_softplus(z, e) - y * z, axis=-1)
        residual = _sigmoid(z, e) - y
        loss = data + 0.5 * self.l2 * np.sum(w * w, axis=-1)
        return loss, residual @ X / X.shape[0] + self.l2 * w

    def hessian(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Hessian ``mean_i s_i (1 - s_i) x_i x_i^T + l2 * I``."""
        w = self._w(w)
        X, _ = self._rows(idx)
        s = sigmoid(w @ X.T)
        weights = s * (1.0 - s) / X.shape[0]
        # X^T diag(weights) X as one matrix product (BLAS): 20-30x faster than einsum at d ~ 1000.
        return (X.T * weights[..., None, :]) @ X + self.l2 * np.eye(self.d)

    def hvp(self, w: ArrayLike, v: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Hessian-vector product ``H(w) v`` in O(n d), without forming H."""
        w = self._w(w)
        v = self._v(w, v)
        X, _ = self._rows(idx)
        s = sigmoid(w @ X.T)
        return (s * (1.0 - s) * (v @ X.T)) @ X / X.shape[0] + self.l2 * v


class Quadratic(_Objective):
    r"""The quadratic :math:`f(w) = \tfrac12 w^\top A w - b^\top w` with symmetric ``A``.

    :math:`\nabla f = A w - b`, :math:`\nabla^2 f = A`; when A is positive definite the minimizer is
    :math:`w^* = A^{-1} b`.
    """

    n_samples = None

    def __init__(self, A: ArrayLike, b: ArrayLike) -> None:
        A = check.as_finite_array("A", A, ndim=(2,))
        b = check.as_finite_array("b", b, ndim=(1,))
        if A.shape[0] != A.shape[1] or A.shape[0] == 0:
            raise ValueError(f"A must be a non-empty square matrix, got shape {A.shape}")
        if not np.allclose(A, A.T, rtol=1e-12, atol=1e-12):
            raise ValueError("A must be symmetric")
        if b.shape[0] != A.shape[0]:
            raise ValueError(f"b must have length {A.shape[0]}, got {b.shape[0]}")
        self.A, self.b = A, b
        self.d = A.shape[0]

    @property
    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of A, ascending."""
        return np.linalg.eigvalsh(self.A)

    @property
    def minimizer(self) -> np.ndarray:
        """:math:`A^{-1} b` (A must be positive definite)."""
        if self.eigenvalues[0] <= 0:
            raise ValueError("A must be positive definite for the quadratic to have a minimizer")
        return np.linalg.solve(self.A, self.b)

    def loss(self, w: ArrayLike) -> np.ndarray:
        """``0.5 w^T A w - b^T w``."""
        w = self._w(w)
        return 0.5 * np.sum((w @ self.A) * w, axis=-1) - w @ self.b

    def grad(self, w: ArrayLike) -> np.ndarray:
        """``A w - b``."""
        w = self._w(w)
        return w @ self.A - self.b

    def hessian(self, w: ArrayLike) -> np.ndarray:
        """``A`` (repeated for each row of a batch)."""
        w = self._w(w)
        return np.broadcast_to(self.A, (*w.shape[:-1], self.d, self.d)).copy()

    def hvp(self, w: ArrayLike, v: ArrayLike) -> np.ndarray:
        """``A v``."""
        w = self._w(w)
        return self._v(w, v) @ self.A


class Rosenbrock(_Objective):
    r"""Rosenbrock's banana valley :math:`f(x, y) = (a - x)^2 + b\,(y - x^2)^2` (d = 2).

    Minimum 0 at :math:`(a, a^2)`, at the bottom of a curved, narrow valley whose curvature across
    is about :math:`2b(1 + 4x^2)` and along it about 2: badly conditioned and not convex.

    :math:`\nabla f = (-2(a-x) - 4 b x (y - x^2),\; 2 b (y - x^2))`,
    :math:`\nabla^2 f = \begin{pmatrix} 2 - 4b(y - 3x^2) & -4bx \\ -4bx & 2b \end{pmatrix}`.
    """

    n_samples = None
    d = 2

    def __init__(self, a: float = 1.0, b: float = 100.0) -> None:
        self.a = float(check.as_finite_array("a", a, ndim=(0,)))
        self.b = float(check.positive("b", b))

    @property
    def minimizer(self) -> np.ndarray:
        """:math:`(a, a^2)`."""
        return np.array([self.a, self.a**2])

    def loss(self, w: ArrayLike) -> np.ndarray:
        """``(a - x)^2 + b (y - x^2)^2``."""
        w = self._w(w)
        x, y = w[..., 0], w[..., 1]
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def grad(self, w: ArrayLike) -> np.ndarray:
        """``(-2(a - x) - 4 b x (y - x^2), 2 b (y - x^2))``."""
        w = self._w(w)
        x, y = w[..., 0], w[..., 1]
        valley = y - x * x
        return np.stack([-2 * (self.a - x) - 4 * self.b * x * valley, 2 * self.b * valley], axis=-1)

    def hessian(self, w: ArrayLike) -> np.ndarray:
        """``[[2 - 4b(y - 3x^2), -4bx], [-4bx, 2b]]``."""
        w = self._w(w)
        x, y = w[..., 0], w[..., 1]
        h = np.empty((*w.shape[:-1], 2, 2))
        h[..., 0, 0] = 2 - 4 * self.b * (y - 3 * x * x)
        h[..., 0, 1] = h[..., 1, 0] = -4 * self.b * x
        h[..., 1, 1] = 2 * self.b
        return h

    def hvp(self, w: ArrayLike, v: ArrayLike) -> np.ndarray:
        """``H(w) v``."""
        w = self._w(w)
        return np.einsum("...ij,...j->...i", self.hessian(w), self._v(w, v))
