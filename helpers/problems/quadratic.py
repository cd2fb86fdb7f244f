r"""Quadratics :math:`\tfrac12 w^\top A w - b^\top w`, and a 2-D one of chosen condition number."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.problems.base import _Objective

__all__ = ["Quadratic", "conditioned_quadratic"]


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
        self.A, self.b = A.copy(), b.copy()  # the caller changing A later changes nothing
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


def conditioned_quadratic(
    kappa: float,
    angle: float = np.pi / 6,
    minimizer: ArrayLike = (0.0, 0.0),
    largest: float = 1.0,
) -> Quadratic:
    r"""The 2-D quadratic :math:`\tfrac12 (w - w^*)^\top A (w - w^*)` (up to a constant) whose
    Hessian has eigenvalues L and :math:`L/\kappa` (condition number :math:`\kappa`, L =
    ``largest``).

    :math:`A = R \,\mathrm{diag}(L, L/\kappa)\, R^\top` with :math:`R` the rotation by ``angle``,
    so the steep direction is :math:`(\cos\theta, \sin\theta)` and the valley runs at
    ``angle - pi/2``. Returned as a :class:`helpers.problems.Quadratic` with ``b = A w*``; gradient
    descent is stable for lr < 2/L (lr < 2 with the default L = 1).

    Args:
        kappa: condition number, >= 1.
        angle: rotation of the eigenvectors, radians (finite).
        minimizer: :math:`w^*`, two finite numbers.
        largest: the largest eigenvalue L, > 0.
    """
    kappa = check.number("kappa", kappa, at_least=1)
    largest = check.number("largest", largest, above=0)
    angle = float(check.as_finite_array("angle", angle, ndim=(0,)))
    w_star = check.as_finite_array("minimizer", minimizer, ndim=(1,))
    if w_star.shape != (2,):
        raise ValueError(f"minimizer must have 2 entries, got shape {w_star.shape}")
    cos, sin = np.cos(angle), np.sin(angle)
    rotation = np.array([[cos, -sin], [sin, cos]])
    A = rotation @ np.diag([largest, largest / kappa]) @ rotation.T
    A = (A + A.T) / 2  # exactly symmetric
    return Quadratic(A, A @ w_star)
