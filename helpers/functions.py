r"""Small test functions for Newton's method (notebook 2), with the interface of :mod:`helpers.problems`.

Every objective has ``d``, ``n_samples = None``, ``loss``, ``grad``, ``hessian`` and ``hvp`` for one
point ``w`` of shape ``(d,)`` or a batch ``(C, d)`` (returning a scalar / ``(C,)`` loss, a ``(d,)`` /
``(C, d)`` gradient, a ``(d, d)`` / ``(C, d, d)`` Hessian and a ``(d,)`` / ``(C, d)`` product).

* :class:`Cosh` and :class:`XCos`: d2l's 1-D examples, :math:`\cosh(cx)` (convex) and
  :math:`x\cos(cx)` (not convex: maxima, minima and inflection points).
* :func:`conditioned_quadratic`: a 2-D quadratic with a chosen condition number, rotated.
* :class:`Saddle`: :math:`x^2 - y^2 + q\,y^4`, a saddle at the origin and (for q > 0) two minima.
* :func:`random_logistic_regression`: a seeded synthetic L2-regularized logistic regression of any
  size (for the cost measurements: its Hessian-vector product costs O(n d), its Hessian O(n d^2)).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.problems import LogisticRegression, Quadratic, _Objective, sigmoid

__all__ = ["Cosh", "Saddle", "XCos", "conditioned_quadratic", "random_logistic_regression"]


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
        self.c = float(check.positive("c", c))

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
        self.c = float(check.positive("c", c))

    def _f(self, x):
        return x * np.cos(self.c * x)

    def _f1(self, x):
        cx = self.c * x
        return np.cos(cx) - cx * np.sin(cx)

    def _f2(self, x):
        cx = self.c * x
        return -2 * self.c * np.sin(cx) - self.c * cx * np.cos(cx)


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
        return x * x - y * y + self.quartic * y**4

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


def random_logistic_regression(
    n: int, d: int, l2: float = 1e-2, seed: int = 0, decay: float = 1.0, signal: float = 2.0
) -> LogisticRegression:
    r"""A seeded synthetic L2-regularized logistic regression with n samples and d parameters.

    Feature j has standard deviation proportional to :math:`s_j`, with :math:`s` geometrically
    spaced from 1 down to ``decay`` (1: all equal; smaller: an ill-conditioned Hessian, like real
    data) and scaled so that :math:`E\|x_i\|^2 = 1` at every d. A planted
    :math:`w_{true} \sim N(0, \mathrm{signal}^2 I)` gives margins :math:`z_i = x_i \cdot w_{true}`
    with standard deviation about ``signal``, and labels :math:`y_i \sim
    \mathrm{Bernoulli}(\sigma(z_i))`. With ``l2 > 0`` the loss is strongly convex for any n and d.
    Memory: the data take 8 n d bytes, a Hessian 8 d^2.

    Args:
        n, d: samples and parameters (>= 1); l2: regularization (> 0); seed: >= 0;
        decay: smallest relative feature scale, in (0, 1]; signal: > 0.
    """
    n = check.integer("n", n, low=1)
    d = check.integer("d", d, low=1)
    l2 = float(check.positive("l2", l2))
    seed = check.integer("seed", seed, low=0)
    decay = float(check.positive("decay", decay))
    if decay > 1:
        raise ValueError(f"decay must be in (0, 1], got {decay!r}")
    signal = float(check.positive("signal", signal))
    rng = np.random.default_rng(seed)
    scales = np.geomspace(1.0, decay, d)
    scales /= np.sqrt(np.sum(scales**2))
    X = rng.standard_normal((n, d)) * scales
    w_true = signal * rng.standard_normal(d)
    y = (rng.random(n) < sigmoid(X @ w_true)).astype(float)
    return LogisticRegression(X, y, l2)
