r"""What every objective in :mod:`helpers.problems` shares: the :class:`Objective` protocol that
:func:`helpers.train.run` needs, and the shape checks of one point ``(d,)`` or a batch ``(C, d)``.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = ["Objective"]


class Objective(Protocol):
    """What :func:`helpers.train.run` needs of a problem: ``d`` parameters, ``n_samples`` data
    points (None when there is nothing to batch), ``loss`` and ``grad`` (with an optional index
    array ``idx`` for minibatches). ``loss_and_grad`` is used when present."""

    d: int
    n_samples: int | None

    def loss(self, w: ArrayLike, *args) -> np.ndarray: ...

    def grad(self, w: ArrayLike, *args) -> np.ndarray: ...


class _Objective:
    """Shape checks shared by the objectives (``d`` parameters, ``n_samples`` data points or None)."""

    d: int
    n_samples: int | None

    def _w(self, w, name: str = "w") -> np.ndarray:
        return check.parameters(name, w, self.d)

    def _v(self, w: np.ndarray, v) -> np.ndarray:
        v = check.as_finite_array("v", v)
        if v.shape != w.shape:
            raise ValueError(f"v must have the shape of w {w.shape}, got {v.shape}")
        return v
