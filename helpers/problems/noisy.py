r"""Stochastic gradients with a known, reproducible noise: :math:`g_t = \nabla f(w_t) + \sigma\xi_t`.

:class:`NoisyGradient` wraps a deterministic problem and presents the noise draws as "samples":
draw t is row t of a seeded ``(steps, d)`` array of standard normals :math:`\xi_t`. Run it with
``helpers.train.run(..., batch_size=1, scheme="fixed")`` and step t sees exactly
:math:`\xi_t`; the recorded loss is the noise-free :math:`f(w_t)`. The same seed gives the same
noise, so every run (and every rerun of a notebook cell) is identical.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check
from helpers.problems.base import _Objective

__all__ = ["NoisyGradient"]


class NoisyGradient(_Objective):
    """``problem`` with gradient noise of standard deviation ``sigma`` per coordinate.

    Args:
        problem: an objective with ``d``, ``loss(w)`` and ``grad(w)`` (no minibatches).
        sigma: noise standard deviation (>= 0; 0 gives the exact gradient).
        steps: number of noise draws available (>= 1), i.e. the longest run.
        seed: seed (>= 0) of the draws.
    """

    def __init__(self, problem, sigma: float, steps: int, seed: int = 0) -> None:
        self.problem = check.objective("problem", problem)
        self.sigma = check.number("sigma", sigma, at_least=0)
        self.n_samples = check.integer("steps", steps, low=1)
        self.seed = check.integer("seed", seed, low=0)
        self.d = problem.d
        self.noise = np.random.default_rng(self.seed).standard_normal((self.n_samples, self.d))

    def loss(self, w: ArrayLike) -> np.ndarray:
        """The noise-free loss :math:`f(w)`."""
        return self.problem.loss(w)

    def grad(self, w: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        r""":math:`\nabla f(w) + \sigma\,\overline{\xi_{idx}}` (the exact gradient when ``idx`` is
        None); ``idx`` holds the draws to average, as a minibatch would: 1-D, shared by every
        row of w, or ``(C, B)`` with w ``(C, d)``, one row of draws per vector (what
        ``run(..., seed=[...])`` passes)."""
        grad = self.problem.grad(w)
        if idx is None:
            return grad
        idx = check.indices("idx", idx, self.n_samples, ndim=(1, 2))
        if idx.ndim == 2:  # one row of draws per weight vector (run(..., seed=[...]))
            if np.ndim(grad) != 2 or np.shape(grad)[0] != idx.shape[0]:
                raise ValueError(
                    f"a 2-D idx {idx.shape} needs w of shape ({idx.shape[0]}, {self.d}), one row "
                    f"of draws per vector, got {np.shape(w)}"
                )
            return grad + self.sigma * self.noise[idx].mean(axis=1)
        return grad + self.sigma * self.noise[idx].mean(axis=0)
