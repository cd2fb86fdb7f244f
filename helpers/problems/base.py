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


def _overflow_to_inf(cls: type) -> type:
    """Class decorator: the evaluation methods (loss, grad, hessian, hvp, ...) of ``cls`` run
    under ``np.errstate(all="ignore")``, without floating-point warnings. At a finite w a value
    beyond the float range (e.g. a quadratic at |w| = 1e300) is the right limit, +-inf; each
    class avoids invalid operations (inf - inf, 0 x inf) itself, which the extreme-input tests
    check against exact values. At a non-finite w (a diverged iterate) the result is non-finite
    too, which the training loops detect."""
    for name in _EVALUATIONS:
        method = cls.__dict__.get(name)
        if method is None or getattr(method, "_quiet", False):
            continue
        setattr(cls, name, _quiet_evaluation(method))
    return cls


def _quiet_evaluation(method):
    """``method(self, w, ...)`` under the floating-point settings of :func:`_overflow_to_inf`."""

    @functools.wraps(method)
    def wrapper(self, w, *args, **kwargs):
        with np.errstate(all="ignore"):  # cheaper than scanning w first
            return method(self, w, *args, **kwargs)

    wrapper._quiet = True
    return wrapper


class _Objective:
    """Shape checks shared by the objectives (``d`` parameters, ``n_samples`` data points or None).
    Subclasses' evaluation methods (``loss``, ``grad``, ...) overflow to inf quietly and accept a
    non-finite ``w`` (a diverged iterate), returning non-finite values for it, without warnings
    (:func:`_overflow_to_inf`)."""

    d: int
    n_samples: int | None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        _overflow_to_inf(cls)

    def _w(self, w, name: str = "w") -> np.ndarray:
        return check.parameters(name, w, self.d)

    def _v(self, w: np.ndarray, v) -> np.ndarray:
        v = check.as_finite_array("v", v)
        if v.shape != w.shape:
            raise ValueError(f"v must have the shape of w {w.shape}, got {v.shape}")
        return v
