r"""A one-hidden-layer neural network classifier (tanh, softmax) in numpy, batched over configs.

For inputs :math:`x \in \mathbb{R}^p`, ``hidden`` units and K classes:

.. math::
    h = \tanh(x W_1 + b_1), \qquad z = h W_2 + b_2, \qquad
    \ell(x, y) = \log\sum_j e^{z_j} - z_y,

and the objective is the mean of :math:`\ell` over the rows plus :math:`\tfrac{\lambda}{2}\|w\|^2`.
Backpropagation: with :math:`P = \mathrm{softmax}(z)` and one-hot :math:`Y`,
:math:`\partial z = (P - Y)/B`, :math:`\nabla W_2 = h^\top \partial z`,
:math:`\partial a = (\partial z\, W_2^\top) \odot (1 - h^2)`, :math:`\nabla W_1 = x^\top \partial a`
(biases: column sums).

All parameters live in one flat vector ``w`` of length ``d = p*hidden + hidden + hidden*K + K``
(:math:`W_1, b_1, W_2, b_2`), so every optimizer of :mod:`helpers.optim` applies unchanged, and a
``(C, d)`` array holds C networks trained in one vectorized pass. Minibatch indices ``idx`` may be
1-D (all networks see the same rows) or ``(C, B)`` (each network its own rows).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.problems.base import _Objective

__all__ = ["MLP"]


class MLP(_Objective):
    """Cross-entropy of a tanh network with one hidden layer on the data ``(X, y)``.

    Args:
        X: inputs, shape ``(n, p)``.
        y: integer class labels in ``0..n_classes-1``, shape ``(n,)``.
        hidden: number of hidden units (>= 1).
        l2: weight decay :math:`\\lambda \\ge 0` on all parameters.
        n_classes: number of classes (default: ``max(y) + 1``).
    """

    def __init__(
        self,
        X: ArrayLike,
        y: ArrayLike,
        hidden: int = 32,
        l2: float = 0.0,
        n_classes: int | None = None,
    ) -> None:
        X = check.as_finite_array("X", X, ndim=(2,))
        if X.shape[1] == 0:
            raise ValueError(f"X must have at least one column, got shape {X.shape}")
        y = check.integers("y", y, low=0)
        if y.ndim != 1 or y.shape[0] != X.shape[0] or X.shape[0] == 0:
            raise ValueError(f"y must hold one label per row of X ({X.shape[0]}), got {y.shape}")
        if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
            raise ValueError("y must hold integer class labels >= 0")
        self.hidden = check.integer("hidden", hidden, low=1)
        self.n_classes = check.integer(
            "n_classes", int(y.max()) + 1 if n_classes is None else n_classes, low=int(y.max()) + 1
        )
        self.l2 = check.number("l2", l2, at_least=0)
        self.X, self.y = X.copy(), y.copy()  # the caller changing X later changes nothing
        self.n_samples, self.n_inputs = X.shape
        self.onehot = np.eye(self.n_classes)[y]
        p, h, k = self.n_inputs, self.hidden, self.n_classes
        self.shapes = ((p, h), (h,), (h, k), (k,))
        self.d = p * h + h + h * k + k

    # ------------------------------------------------------------------------------ parameters
    def unpack(self, w: np.ndarray) -> tuple[np.ndarray, ...]:
        """Views ``W1 (C, p, h), b1 (C, h), W2 (C, h, K), b2 (C, K)`` of ``w`` of shape (C, d)."""
        w = check.parameters("w", w, self.d, ndim=(2,))
        parts, start = [], 0
        for shape in self.shapes:
            size = int(np.prod(shape))
            parts.append(w[:, start : start + size].reshape(w.shape[0], *shape))
            start += size
        return tuple(parts)

    def init(self, seed: int | Sequence[int] = 0) -> np.ndarray:
        r"""Initial parameters: weights :math:`\sim N(0, 1/\text{fan-in})`, biases 0.

        One seed gives a ``(d,)`` vector; a sequence of C seeds a ``(C, d)`` array whose row c
        equals ``init(seeds[c])``.
        """
        if np.ndim(seed) == 0:
            return self._init_one(check.integer("seed", seed, low=0))
        seeds = [check.integer("seed", s, low=0) for s in seed]
        if not seeds:
            raise ValueError("seed must be an integer >= 0 or a non-empty sequence of them")
        return np.stack([self._init_one(s) for s in seeds])

    def _init_one(self, seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        parts = []
        for shape in self.shapes:
            if len(shape) == 2:
                parts.append(rng.standard_normal(shape).ravel() / np.sqrt(shape[0]))
            else:
                parts.append(np.zeros(shape))
        return np.concatenate(parts)

    # ------------------------------------------------------------------------------ objective
    def _w(self, w) -> tuple[np.ndarray, bool]:
        w = check.parameters("w", w, self.d)
        return (w[None, :], True) if w.ndim == 1 else (w, False)

    def _rows(self, idx, n_configs: int) -> tuple[np.ndarray, np.ndarray]:
        if idx is None:
            return self.X, self.onehot
        idx = check.indices("idx", idx, self.n_samples, ndim=(1, 2))
        if idx.ndim == 2 and idx.shape[0] != n_configs:
            raise ValueError(f"idx of shape {idx.shape} must have one row per config ({n_configs})")
        return self.X[idx], self.onehot[idx]

    def _forward(self, w: np.ndarray, X: np.ndarray):
        W1, b1, W2, b2 = self.unpack(w)
        hid = np.tanh(X @ W1 + b1[:, None, :])
        logits = hid @ W2 + b2[:, None, :]
        return hid, logits

    def loss_and_grad(
        self, w: ArrayLike, idx: ArrayLike | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Mean cross-entropy (plus weight decay) over all rows or ``X[idx]``, and its gradient."""
        w, single = self._w(w)
        X, Y = self._rows(idx, w.shape[0])
        hid, logits = self._forward(w, X)
        shifted = logits - logits.max(axis=-1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=-1, keepdims=True)
        batch = X.shape[-2]
        loss = np.mean(np.log(total[..., 0]) - np.sum(shifted * Y, axis=-1), axis=-1)
        if self.l2 > 0:  # with l2 = 0 no 0 x inf at huge w
            loss = loss + 0.5 * self.l2 * np.sum(w * w, axis=-1)
        dz = (exp / total - Y) / batch
        _, _, W2, _ = self.unpack(w)
        da = (dz @ W2.transpose(0, 2, 1)) * (1.0 - hid * hid)
        gW1 = np.swapaxes(X, -1, -2) @ da
        gW2 = hid.transpose(0, 2, 1) @ dz
        parts = (gW1, da.sum(axis=1), gW2, dz.sum(axis=1))
        grad = np.concatenate([g.reshape(w.shape[0], -1) for g in parts], axis=1) + self.l2 * w
        return (loss[0], grad[0]) if single else (loss, grad)

    def loss(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Mean cross-entropy over all rows (or ``X[idx]``) plus ``l2/2 * ||w||^2``."""
        w, single = self._w(w)
        X, Y = self._rows(idx, w.shape[0])
        _, logits = self._forward(w, X)
        top = logits.max(axis=-1, keepdims=True)
        lse = np.log(np.exp(logits - top).sum(axis=-1)) + top[..., 0]
        loss = np.mean(lse - np.sum(logits * Y, axis=-1), axis=-1)
        if self.l2 > 0:  # with l2 = 0 no 0 x inf at huge w
            loss = loss + 0.5 * self.l2 * np.sum(w * w, axis=-1)
        return loss[0] if single else loss

    def grad(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Gradient of :meth:`loss` by backpropagation."""
        return self.loss_and_grad(w, idx)[1]

    # ------------------------------------------------------------------------------ evaluation
    def predict(self, w: ArrayLike, X: ArrayLike) -> np.ndarray:
        """Predicted classes for the rows of ``X``: shape ``(n,)`` or ``(C, n)``."""
        w, single = self._w(w)
        X = check.as_finite_array("X", X, ndim=(2,))
        if X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have {self.n_inputs} columns, got {X.shape[1]}")
        _, logits = self._forward(w, X)
        labels = logits.argmax(axis=-1)
        return labels[0] if single else labels

    def accuracy(self, w: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Fraction of rows of ``X`` classified as ``y``: a number or ``(C,)``."""
        y = check.integers("y", y, low=0)
        predicted = self.predict(w, X)
        if y.shape != (predicted.shape[-1],):
            raise ValueError(f"y must hold one label per row of X ({predicted.shape[-1]})")
        return np.mean(predicted == y, axis=-1)
