r"""Rosenbrock's banana valley :math:`(a - x)^2 + b (y - x^2)^2`."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.problems.base import _Objective

__all__ = ["Rosenbrock"]


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
        self.a = check.number("a", a)
        self.b = check.number("b", b, above=0)

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
