r"""What every objective in :mod:`helpers.problems` shares: the :class:`Objective` protocol that
:func:`helpers.train.run` needs, and the shape checks of one point ``(d,)`` or a batch ``(C, d)``.
"""

from __future__ import annotations

import functools
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["Objective"]


class Objective(Protocol):
    """What :func:`helpers.train.run` needs of a problem: ``d`` parameters, ``n_samples`` data
    points (None when there is nothing to batch), ``loss`` and ``grad`` (with an optional index
    array ``idx`` for minibatches). ``loss_and_grad`` is used when present."""

    d: int
    n_samples: int | None

    def loss(self, w: ArrayLike, *args) -> np.ndarray: ...

    def grad(self, w: ArrayLike, *args) -> np.ndarray: ...


_EVALUATIONS = (
    "loss",
    "grad",
    "hessian",
    "hvp",
    "loss_and_grad",
    "minibatch_grad",
    "suboptimality",
)


def overflow_to_inf(cls: type) -> type:
    """Class decorator: the evaluation methods (loss, grad, hessian, hvp, ...) of ``cls`` run
    under ``np.errstate(over="ignore")``. A value beyond the float range at a finite w (e.g. a
    quadratic at |w| = 1e300) is then the right limit, +-inf, without a RuntimeWarning; invalid
    operations (which would give NaN) still warn, so each class avoids them itself."""
    for name in _EVALUATIONS:
        method = cls.__dict__.get(name)
        if method is None or getattr(method, "_quiet", False):
            continue

        def quiet(*args, __method=method, **kwargs):
            with np.errstate(over="ignore"):
                return __method(*args, **kwargs)

        functools.update_wrapper(quiet, method)
        quiet._quiet = True
        setattr(cls, name, quiet)
    return cls


class _Objective:
    """Shape checks shared by the objectives (``d`` parameters, ``n_samples`` data points or None).
    Subclasses' evaluation methods overflow to inf quietly (:func:`overflow_to_inf`)."""

    d: int
    n_samples: int | None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        overflow_to_inf(cls)

    def _w(self, w, name: str = "w") -> np.ndarray:
        w = np.asarray(w, dtype=float)
        if w.ndim not in (1, 2) or w.shape[-1] != self.d:
            raise ValueError(f"{name} must have shape ({self.d},) or (C, {self.d}), got {w.shape}")
        return w

    def _v(self, w: np.ndarray, v) -> np.ndarray:
        v = np.asarray(v, dtype=float)
        if v.shape != w.shape:
            raise ValueError(f"v must have the shape of w {w.shape}, got {v.shape}")
        return v
