r"""What every objective in :mod:`helpers.problems` shares: the :class:`Objective` protocol that
:func:`helpers.train.run` needs, and the shape checks of one point ``(d,)`` or a batch ``(C, d)``.
"""

from __future__ import annotations

import functools
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


_EVALUATIONS = (
    "loss",
    "grad",
    "loss_and_grad",
    "minibatch_grad",
    "hessian",
    "hessian_factor",
    "hvp",
    "hvp_operator",
    "suboptimality",
    "predict",
    "accuracy",
    "unpack",
)


def _quiet_when_diverged(method):
    """``method(self, w, ...)`` without floating-point warnings when ``w`` is already non-finite:
    a diverged iterate gives a non-finite result, which the training loops detect; a finite ``w``
    keeps numpy's warnings (an overflow there is worth hearing about)."""

    @functools.wraps(method)
    def wrapper(self, w, *args, **kwargs):
        try:
            finite = bool(np.isfinite(w).all())
        except TypeError:  # not numbers: the method's own check rejects it
            finite = True
        if finite:
            return method(self, w, *args, **kwargs)
        with np.errstate(all="ignore"):
            return method(self, w, *args, **kwargs)

    return wrapper


class _Objective:
    """Shape checks shared by the objectives (``d`` parameters, ``n_samples`` data points or None).

    Every evaluation method (``loss``, ``grad``, ...) accepts a non-finite ``w`` (a diverged
    iterate) and returns non-finite values for it, without warnings."""

    d: int
    n_samples: int | None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for name in _EVALUATIONS:
            if name in vars(cls):
                setattr(cls, name, _quiet_when_diverged(vars(cls)[name]))

    def _w(self, w, name: str = "w") -> np.ndarray:
        return check.parameters(name, w, self.d)

    def _v(self, w: np.ndarray, v) -> np.ndarray:
        v = check.as_finite_array("v", v)
        if v.shape != w.shape:
            raise ValueError(f"v must have the shape of w {w.shape}, got {v.shape}")
        return v
