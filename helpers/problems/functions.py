r"""Small test functions for Newton's method (notebook 2), with the interface of :mod:`helpers.problems`.

Every objective has ``d``, ``n_samples = None``, ``loss``, ``grad``, ``hessian`` and ``hvp`` for one
point ``w`` of shape ``(d,)`` or a batch ``(C, d)`` (returning a scalar / ``(C,)`` loss, a ``(d,)`` /
``(C, d)`` gradient, a ``(d, d)`` / ``(C, d, d)`` Hessian and a ``(d,)`` / ``(C, d)`` product).

* :class:`Cosh` and :class:`XCos`: d2l's 1-D examples, :math:`\cosh(cx)` (convex) and
  :math:`x\cos(cx)` (not convex: maxima, minima and inflection points).
* :class:`Saddle`: :math:`x^2 - y^2 + q\,y^4`, a saddle at the origin and (for q > 0) two minima.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.problems.base import _Objective

__all__ = ["Cosh", "Saddle", "XCos"]


class _OneD(_Objective):
    """A 1-D function given by ``_f``, ``_f1``, ``_f2`` (value, first and second derivative)."""

    d = 1
    n_samples = None

    def loss(self, w: ArrayLike) -> np.ndarray:
        """f(x) for ``w = [x]`` (or a batch of shape (C, 1))."""
        return self._f(self._w(w)[..., 0])

    def grad(self, w: ArrayLike) -> np.ndarray:
        """[f'(x)]."""
        return self._f1(self._w(w)[..., 0])[..., None]

    def hessian(self, w: ArrayLike) -> np.ndarray:
        """[[f''(x)]]."""
        return self._f2(self._w(w)[..., 0])[..., None, None]

    def hvp(self, w: ArrayLike, v: ArrayLike) -> np.ndarray:
        """f''(x) v."""
        w = self._w(w)
        return self._f2(w[..., 0])[..., None] * self._v(w, v)


class Cosh(_OneD):
    r""":math:`f(x) = \cosh(cx)`: convex, its minimum at x = 0 (value 1).

    :math:`f' = c\sinh(cx)`, :math:`f'' = c^2\cosh(cx) > 0`. The Newton step is
    :math:`x - \tanh(cx)/c`, which converges to 0 from any start (cubically near 0).
    """

    def __init__(self, c: float = 0.5) -> None:
        self.c = check.number("c", c, above=0)

    def _f(self, x):
        return np.cosh(self.c * x)

    def _f1(self, x):
        return self.c * np.sinh(self.c * x)

    def _f2(self, x):
        return self.c**2 * np.cosh(self.c * x)


class XCos(_OneD):
    r""":math:`f(x) = x\cos(cx)` (d2l uses :math:`c = 0.15\pi`).

    :math:`f' = \cos(cx) - cx\sin(cx)`, :math:`f'' = -2c\sin(cx) - c^2 x\cos(cx)`. Neither bounded
    below nor convex: the curvature changes sign, so a Newton step can head for a maximum.
    """

    def __init__(self, c: float = 0.15 * np.pi) -> None:
        self.c = check.number("c", c, above=0)

    def _f(self, x):
        return x * np.cos(self.c * x)

    def _f1(self, x):
        cx = self.c * x
        return np.cos(cx) - cx * np.sin(cx)

    def _f2(self, x):
        cx = self.c * x
        return -2 * self.c * np.sin(cx) - self.c * cx * np.cos(cx)


class Saddle(_Objective):
    r""":math:`f(x, y) = x^2 - y^2 + q\,y^4` (``quartic`` = q >= 0).

    The origin is a saddle (Hessian diag(2, -2)). For q > 0 the quartic term bends the
    :math:`y` direction back up: two minima at :math:`(0, \pm 1/\sqrt{2q})` with value
    :math:`-1/(4q)`. :math:`\nabla f = (2x, -2y + 4qy^3)`, :math:`\nabla^2 f = \mathrm{diag}(2,
    -2 + 12qy^2)`: indefinite for :math:`|y| < 1/\sqrt{6q}`.
    """

    n_samples = None
    d = 2

    def __init__(self, quartic: float = 0.5) -> None:
        self.quartic = check.number("quartic", quartic, at_least=0)

    @property
    def minimizers(self) -> np.ndarray:
        """The two minima :math:`(0, \\pm 1/\\sqrt{2q})`, shape (2, 2) (q must be > 0)."""
        if self.quartic == 0:
            raise ValueError("quartic must be > 0 for the saddle to have minima")
        y = 1 / np.sqrt(2 * self.quartic)
        return np.array([[0.0, y], [0.0, -y]])

    def loss(self, w: ArrayLike) -> np.ndarray:
        """``x^2 - y^2 + q y^4``."""
        w = self._w(w)
        x, y = w[..., 0], w[..., 1]
        with np.errstate(invalid="ignore"):
            value = x * x - y * y + self.quartic * y**4
            # inf - inf where |x|, |y| > 1e154: the factored (x - y)(x + y) + q y^4 is exact there.
            exact = (x - y) * (x + y) + (self.quartic * y**4 if self.quartic > 0 else 0.0)
        return np.where(np.isnan(value), exact, value) if np.any(np.isnan(value)) else value

    def grad(self, w: ArrayLike) -> np.ndarray:
        """``(2x, -2y + 4 q y^3)``."""
        w = self._w(w)
        x, y = w[..., 0], w[..., 1]
        return np.stack([2 * x, -2 * y + 4 * self.quartic * y**3], axis=-1)

    def hessian(self, w: ArrayLike) -> np.ndarray:
        """``diag(2, -2 + 12 q y^2)``."""
        w = self._w(w)
        h = np.zeros((*w.shape[:-1], 2, 2))
        h[..., 0, 0] = 2.0
        h[..., 1, 1] = -2.0 + 12 * self.quartic * w[..., 1] ** 2
        return h

    def hvp(self, w: ArrayLike, v: ArrayLike) -> np.ndarray:
        """``(2 v_x, (-2 + 12 q y^2) v_y)``."""
        w = self._w(w)
        v = self._v(w, v)
        curvature_y = -2.0 + 12 * self.quartic * w[..., 1] ** 2
        return np.stack([2 * v[..., 0], curvature_y * v[..., 1]], axis=-1)
