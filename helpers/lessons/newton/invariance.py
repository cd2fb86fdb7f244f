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
        check.objective("problem", problem, needs=("loss", "grad", "hessian"))
        A = check.as_finite_array("A", A, ndim=(2,))
        if A.shape != (problem.d, problem.d):
            raise ValueError(f"A must have shape ({problem.d}, {problem.d}), got {A.shape}")
        if not np.linalg.cond(A) < 1e12:
            raise ValueError(f"A must be invertible (condition number < 1e12), got {A!r}")
        self.problem, self.A, self.d = problem, A.copy(), problem.d

    def to_w(self, z: ArrayLike) -> np.ndarray:
        """w = A z (``z`` of shape (d,) or (C, d); NaN/inf rows, diverged points, map to
        non-finite rows)."""
        z = check.parameters("z", z, self.d)
        with np.errstate(invalid="ignore", over="ignore"):
            return z @ self.A.T

    def to_z(self, w: ArrayLike) -> np.ndarray:
        """z = A^{-1} w (``w`` of shape (d,) or (C, d))."""
        w = check.parameters("w", w, self.d)
        with np.errstate(invalid="ignore", over="ignore"):
            return np.linalg.solve(self.A, w.T).T

    def loss(self, z: ArrayLike) -> np.ndarray:
        return self.problem.loss(self.to_w(z))

    def grad(self, z: ArrayLike) -> np.ndarray:
        g = self.problem.grad(self.to_w(z))
        with np.errstate(invalid="ignore", over="ignore"):
            return g @ self.A

    def hessian(self, z: ArrayLike) -> np.ndarray:
        H = self.problem.hessian(self.to_w(z))
        with np.errstate(invalid="ignore", over="ignore"):
            return self.A.T @ H @ self.A

    def hvp(self, z: ArrayLike, v: ArrayLike) -> np.ndarray:
        z = check.parameters("z", z, self.d)
        v = check.as_finite_array("v", v)
        if v.shape != z.shape:
            raise ValueError(f"v must have the shape of z {z.shape}, got {v.shape}")
        Hv = self.problem.hvp(self.to_w(z), self.to_w(v))
        with np.errstate(invalid="ignore", over="ignore"):
            return Hv @ self.A


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
    condition = check.number("condition", condition, above=0)
    Q, R = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
    Q = Q * np.sign(np.diag(R))
    return Q * np.geomspace(1.0, condition, d)
