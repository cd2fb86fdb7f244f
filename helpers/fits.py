"""Power-law fits: the exponent p of y ~ c x^p, used for convergence rates, noise floors and cost
scaling."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from helpers import _validate as check

__all__ = ["loglog_slope"]


def loglog_slope(x: ArrayLike, y: ArrayLike) -> float:
    r"""Least-squares slope of :math:`\log y` against :math:`\log x`: the exponent p of
    :math:`y \approx c\,x^p` (all entries finite and > 0, >= 2 points, >= 2 distinct x)."""
    x = check.positive("x", x)
    y = check.positive("y", y)
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must be 1-D of equal length >= 2, got {x.shape} and {y.shape}")
    lx, ly = np.log(x), np.log(y)
    lx = lx - lx.mean()
    if not np.any(lx):
        raise ValueError("x must hold at least two distinct values")
    return float(lx @ (ly - ly.mean()) / (lx @ lx))
