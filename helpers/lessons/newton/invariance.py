r"""Affine invariance: the same objective in linearly changed coordinates, :math:`w = A z`.

:class:`Reparametrized` wraps an objective f as :math:`\tilde f(z) = f(Az)`, with
:math:`\nabla \tilde f = A^\top \nabla f`, :math:`\nabla^2 \tilde f = A^\top H A`. Newton's step
in z is :math:`-(A^\top H A)^{-1} A^\top g = -A^{-1} H^{-1} g`, which maps back to w's own step:
from :math:`z_0 = A^{-1} w_0` the iterates satisfy :math:`A z_k = w_k` exactly (up to rounding).
A gradient step in z, :math:`-\eta A^\top g`, maps to :math:`-\eta A A^\top g` in w: a different
path unless :math:`A A^\top = I`. :func:`coordinate_change` draws a seeded A.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = ["Reparametrized", "coordinate_change"]


class Reparametrized:
    r""":math:`\tilde f(z) = f(A z)` for an objective ``problem`` with ``d``, ``loss``, ``grad``,
    ``hessian`` (and optionally ``hvp``) and an invertible (d, d) matrix ``A``.

    Example:
        >>> from helpers.problems import Rosenbrock
        >>> f = Reparametrized(Rosenbrock(), np.diag([2.0, 0.5]))
        >>> float(f.loss([0.5, 2.0])) == float(Rosenbrock().loss([1.0, 1.0]))
        True
    """

    n_samples = None

    def __init__(self, problem, A: ArrayLike) -> None:
        A = check.as_finite_array("A", A, ndim=(2,))
        if A.shape != (problem.d, problem.d):
            raise ValueError(f"A must have shape ({problem.d}, {problem.d}), got {A.shape}")
        if not np.linalg.cond(A) < 1e12:
            raise ValueError(f"A must be invertible (condition number < 1e12), got {A!r}")
        self.problem, self.A, self.d = problem, A.copy(), problem.d

    def to_w(self, z: ArrayLike) -> np.ndarray:
        """w = A z (any leading batch dimensions)."""
        return np.asarray(z, dtype=float) @ self.A.T

    def to_z(self, w: ArrayLike) -> np.ndarray:
        """z = A^{-1} w (any leading batch dimensions)."""
        return np.linalg.solve(self.A, np.asarray(w, dtype=float).T).T

    def loss(self, z: ArrayLike) -> np.ndarray:
        return self.problem.loss(self.to_w(z))

    def grad(self, z: ArrayLike) -> np.ndarray:
        return self.problem.grad(self.to_w(z)) @ self.A

    def hessian(self, z: ArrayLike) -> np.ndarray:
        return self.A.T @ self.problem.hessian(self.to_w(z)) @ self.A

    def hvp(self, z: ArrayLike, v: ArrayLike) -> np.ndarray:
        return self.problem.hvp(self.to_w(z), self.to_w(v)) @ self.A


def coordinate_change(d: int, seed: int, condition: float = 100.0) -> np.ndarray:
    """A seeded invertible (d, d) matrix ``Q diag(s)`` with Q a random rotation (QR of a Gaussian
    matrix) and s geometrically spaced from 1 to ``condition`` (> 0): condition number
    ``max(condition, 1/condition)``.

    Example:
        >>> A = coordinate_change(3, seed=0, condition=10.0)
        >>> round(float(np.linalg.cond(A)), 6)
        10.0
    """
    d = check.integer("d", d, low=1)
    seed = check.integer("seed", seed, low=0)
    condition = float(check.positive("condition", condition))
    Q, R = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
    Q = Q * np.sign(np.diag(R))
    return Q * np.geomspace(1.0, condition, d)
