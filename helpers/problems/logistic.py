r"""L2-regularized logistic regression, its stable sigmoid and softplus, and a seeded synthetic
instance of any size (for the cost measurements of notebook 2)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.problems.base import _Objective

__all__ = ["LogisticRegression", "random_logistic_regression", "sigmoid", "softplus"]


def sigmoid(z: ArrayLike) -> np.ndarray:
    r""":math:`\sigma(z) = 1/(1+e^{-z})`, computed from :math:`e^{-|z|} \le 1` so it never overflows.

    For :math:`z \ge 0` it is :math:`1/(1+e^{-z})`, for :math:`z < 0` the equal :math:`e^{z}/(1+e^{z})`.
    """
    z = check.real_array("z", z)
    return _sigmoid(z, np.exp(-np.abs(z)))


def softplus(z: ArrayLike) -> np.ndarray:
    r""":math:`\log(1+e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})`, without overflow for any finite z."""
    z = check.real_array("z", z)
    return _softplus(z, np.exp(-np.abs(z)))


def _sigmoid(z: np.ndarray, e: np.ndarray) -> np.ndarray:
    """sigmoid(z) given ``e = exp(-|z|)``."""
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _softplus(z: np.ndarray, e: np.ndarray) -> np.ndarray:
    """softplus(z) given ``e = exp(-|z|)``."""
    return np.maximum(z, 0.0) + np.log1p(e)


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
    index array ``idx`` and average over ``X[idx]`` instead of all rows: a 1-D ``idx`` is one
    minibatch shared by all weight vectors; ``grad`` also takes an ``idx`` of shape ``(C, B)``
    with ``w`` of shape ``(C, d)``, one minibatch per vector (what ``run(..., seed=[...])``
    passes).
    """

    def __init__(self, X: ArrayLike, y: ArrayLike, l2: float = 0.0) -> None:
        X, y = check.design(X, y, what="label")
        if np.any((y < 0) | (y > 1)):
            raise ValueError("y must hold labels (or probabilities) in [0, 1]")
        self.X, self.y = X.copy(), y.copy()  # the caller changing X later changes nothing
        self.l2 = check.number("l2", l2, at_least=0)
        self.n_samples, self.d = X.shape

    def _idx(self, idx, ndim: tuple[int, ...] = (1,)) -> np.ndarray:
        return check.indices("idx", idx, self.n_samples, ndim=ndim)

    def _rows(self, idx) -> tuple[np.ndarray, np.ndarray]:
        if idx is None:
            return self.X, self.y
        idx = self._idx(idx)
        return self.X[idx], self.y[idx]

    def _margins(self, w: np.ndarray, X: np.ndarray) -> np.ndarray:
        """``z = w @ X.T``; where a product overflows (|w| near the float range) ``z`` is
        recomputed from ``w / max|w|`` so it is the right signed infinity, never ``inf - inf``."""
        with np.errstate(over="ignore", invalid="ignore"):
            z = w @ X.T
        if np.all(np.isfinite(z)):
            return z
        scale = np.max(np.abs(w), axis=-1, keepdims=True)
        scale = np.where(scale > 0, scale, 1.0)
        with np.errstate(over="ignore", invalid="ignore"):
            return ((w / scale) @ X.T) * scale

    def _data_loss(self, z: np.ndarray, y: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Mean of ``softplus(z) - y z``; at an infinite margin the equal
        ``y softplus(-z) + (1 - y) softplus(z)`` (no ``inf - inf``)."""
        with np.errstate(over="ignore", invalid="ignore"):
            terms = _softplus(z, e) - y * z
        if not np.all(np.isfinite(z)):
            with np.errstate(over="ignore", invalid="ignore"):
                split = np.where(y > 0, y * _softplus(-z, e), 0.0) + np.where(
                    y < 1, (1 - y) * _softplus(z, e), 0.0
                )
            terms = np.where(np.isfinite(z), terms, split)
        with np.errstate(over="ignore"):
            return np.mean(terms, axis=-1)

    def _ridge(self, w: np.ndarray) -> np.ndarray | float:
        r""":math:`\tfrac{\lambda}{2}\|w\|^2`: exactly 0 when l2 = 0 (never 0 x inf), and computed
        from ``w / max|w|`` where ``w * w`` overflows, so it is right up to the float range."""
        if self.l2 == 0:
            return 0.0
        with np.errstate(over="ignore"):
            squares = np.sum(w * w, axis=-1)
        if np.all(np.isfinite(squares)):
            return 0.5 * self.l2 * squares
        scale = np.max(np.abs(w), axis=-1)
        scale = np.where(scale > 0, scale, 1.0)
        unit = np.sum((w / scale[..., None]) ** 2, axis=-1)
        with np.errstate(over="ignore"):
            return np.where(
                np.isfinite(squares), 0.5 * self.l2 * squares, 0.5 * self.l2 * scale * scale * unit
            )

    def loss(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        r"""Mean cross-entropy over all rows (or ``X[idx]``) plus ``l2/2 * ||w||^2``.

        Right at every finite w: with l2 = 0 the ridge term is exactly 0, and a margin or
        :math:`\|w\|^2` beyond the float range gives the true value (0 or +inf), never NaN.

        Example:
            >>> p = LogisticRegression([[1.0, 2.0]], [1.0])
            >>> float(p.loss([1e155, 1e155])), float(p.loss([-1e300, 0.0]))
            (0.0, 1e+300)
        """
        w = self._w(w)
        X, y = self._rows(idx)
        z = self._margins(w, X)
        return self._data_loss(z, y, np.exp(-np.abs(z))) + self._ridge(w)

    def grad(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Gradient ``mean_i (sigmoid(z_i) - y_i) x_i + l2 * w`` over all rows, a shared 1-D
        minibatch ``idx``, or one minibatch per vector (``idx`` ``(C, B)``, ``w`` ``(C, d)``)."""
        w = self._w(w)
        if idx is not None and np.ndim(idx) == 2:
            idx = self._idx(idx, ndim=(2,))
            if w.ndim != 2 or w.shape[0] != idx.shape[0]:
                raise ValueError(
                    f"a 2-D idx {idx.shape} needs w of shape ({idx.shape[0]}, {self.d}), one "
                    f"minibatch per row, got {w.shape}"
                )
            Xb = self.X[idx]  # (C, B, d)
            residual = sigmoid(np.einsum("cbd,cd->cb", Xb, w)) - self.y[idx]
            return np.einsum("cb,cbd->cd", residual, Xb) / idx.shape[1] + self.l2 * w
        X, y = self._rows(idx)
        residual = sigmoid(self._margins(w, X)) - y
        return residual @ X / X.shape[0] + self.l2 * w

    def loss_and_grad(
        self, w: ArrayLike, idx: ArrayLike | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(loss(w), grad(w))`` sharing one pass over the data (what training loops need)."""
        w = self._w(w)
        X, y = self._rows(idx)
        z = self._margins(w, X)
        e = np.exp(-np.abs(z))
        residual = _sigmoid(z, e) - y
        loss = self._data_loss(z, y, e) + self._ridge(w)
        return loss, residual @ X / X.shape[0] + self.l2 * w

    def hessian(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Hessian ``mean_i s_i (1 - s_i) x_i x_i^T + l2 * I``."""
        w = self._w(w)
        X, _ = self._rows(idx)
        s = sigmoid(self._margins(w, X))
        weights = s * (1.0 - s) / X.shape[0]
        # X^T diag(weights) X as one matrix product (BLAS): 20-30x faster than einsum at d ~ 1000.
        return (X.T * weights[..., None, :]) @ X + self.l2 * np.eye(self.d)

    def hessian_factor(
        self, w: ArrayLike, idx: ArrayLike | None = None
    ) -> tuple[np.ndarray, float]:
        """``(Z, l2)`` with ``H = Z^T Z + l2 I``: ``Z = sqrt(s (1 - s) / n) * X`` (rows scaled),
        shape ``(..., n, d)``; what a Woodbury (dual, n x n) Newton solve needs."""
        w = self._w(w)
        X, _ = self._rows(idx)
        s = sigmoid(self._margins(w, X))
        return np.sqrt(s * (1.0 - s) / X.shape[0])[..., None] * X, self.l2

    def hvp_operator(self, w: ArrayLike, idx: ArrayLike | None = None):
        r"""``v -> H(w) v`` with the curvature :math:`D = \sigma(z)(1 - \sigma(z))` computed once.

        :meth:`hvp` recomputes :math:`z = Xw` on every call: three matrix-vector products with X
        (:math:`6nd` flops). A solver that needs many products at one w (CG) builds this operator
        once (one product with X, :math:`2nd`) and then pays two products per call,
        :math:`(D \odot Xv)^\top X / n + \lambda v`, :math:`4nd` flops: as much as one
        gradient. Results equal :meth:`hvp`'s bit for bit (the same operations in the same order).
        ``v`` has the shape of ``w`` (``(d,)`` or ``(C, d)``).

        Example:
            >>> p = LogisticRegression([[1.0, 0.0], [0.0, 2.0]], [1.0, 0.0], l2=0.1)
            >>> Hv = p.hvp_operator([0.0, 0.0])
            >>> Hv([1.0, 1.0]).tolist() == p.hvp([0.0, 0.0], [1.0, 1.0]).tolist()
            True
        """
        w = self._w(w)
        X, _ = self._rows(idx)
        s = sigmoid(self._margins(w, X))
        curvature = s * (1.0 - s)
        n, l2 = X.shape[0], self.l2

        def product(v: ArrayLike) -> np.ndarray:
            v = self._v(w, v)
            return (curvature * (v @ X.T)) @ X / n + l2 * v

        return product

    def hvp(self, w: ArrayLike, v: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Hessian-vector product ``H(w) v`` in O(n d), without forming H."""
        w = self._w(w)
        v = self._v(w, v)
        X, _ = self._rows(idx)
        s = sigmoid(self._margins(w, X))
        return (s * (1.0 - s) * (v @ X.T)) @ X / X.shape[0] + self.l2 * v


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
    l2 = check.number("l2", l2, above=0)
    seed = check.integer("seed", seed, low=0)
    decay = check.number("decay", decay, above=0)
    if decay > 1:
        raise ValueError(f"decay must be in (0, 1], got {decay!r}")
    signal = check.number("signal", signal, above=0)
    rng = np.random.default_rng(seed)
    scales = np.geomspace(1.0, decay, d)
    scales /= np.sqrt(np.sum(scales**2))
    X = rng.standard_normal((n, d)) * scales
    w_true = signal * rng.standard_normal(d)
    y = (rng.random(n) < sigmoid(X @ w_true)).astype(float)
    return LogisticRegression(X, y, l2)
