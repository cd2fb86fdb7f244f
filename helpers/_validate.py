"""Argument checks shared by every public helper.

Each check raises ``ValueError`` whose message starts with the parameter's name and states the
allowed range, e.g. ``"lr must be finite and > 0, got -1.0"``.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_finite_array(name: str, value, *, ndim: tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a float array with only finite entries (and one of the allowed ``ndim``)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a real number or array of real numbers, got {value!r}"
        ) from None
    if ndim is not None and arr.ndim not in ndim:
        allowed = " or ".join(str(n) for n in ndim)
        raise ValueError(f"{name} must have {allowed} dimensions, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {value!r}")
    return arr


def design(X, y, *, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Finite data ``X`` (n x p, n, p >= 1) and ``y`` with one ``what`` (e.g. "label") per row."""
    X = as_finite_array("X", X, ndim=(2,))
    y = as_finite_array("y", y, ndim=(1,))
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have one {what} per row of X ({X.shape[0]}), got {y.shape[0]}")
    return X, y


def number(name: str, value, *, at_least: float | None = None, above: float | None = None) -> float:
    """One finite real number, ``>= at_least`` and/or ``> above`` when those are given."""
    result = float(as_finite_array(name, value, ndim=(0,)))
    if at_least is not None and not result >= at_least:
        raise ValueError(f"{name} must be finite and >= {at_least:g}, got {value!r}")
    if above is not None and not result > above:
        raise ValueError(f"{name} must be finite and > {above:g}, got {value!r}")
    return result


def points(name: str, value, d: int) -> np.ndarray:
    """Finite parameter vectors: shape ``(d,)`` or a batch ``(C, d)``."""
    arr = as_finite_array(name, value, ndim=(1, 2))
    if arr.shape[-1] != d:
        raise ValueError(f"{name} must have shape ({d},) or (C, {d}), got {arr.shape}")
    return arr


def positive(name: str, value) -> np.ndarray:
    """A finite number or array whose entries are all > 0."""
    arr = as_finite_array(name, value)
    if not np.all(arr > 0):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return arr


def in_unit_interval(name: str, value, *, closed_right: bool = False) -> np.ndarray:
    """A finite number or array with entries in [0, 1) (or [0, 1] when ``closed_right``)."""
    arr = as_finite_array(name, value)
    ok = (arr >= 0) & ((arr <= 1) if closed_right else (arr < 1))
    if not np.all(ok):
        interval = "[0, 1]" if closed_right else "[0, 1)"
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return arr


def fraction(name: str, value) -> np.ndarray:
    """A finite number or array with entries in (0, 1] (a step fraction such as Lookahead's alpha)."""
    arr = as_finite_array(name, value)
    if not np.all((arr > 0) & (arr <= 1)):
        raise ValueError(f"{name} must be in (0, 1], got {value!r}")
    return arr


def integers(name: str, value, *, low: int) -> np.ndarray:
    """An integer or integer array (bools excluded) with every entry >= ``low``."""
    arr = np.asarray(value)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer) or np.any(arr < low):
        raise ValueError(f"{name} must be an integer >= {low} (or an integer array), got {value!r}")
    return arr


def integer(name: str, value, *, low: int, high: int | None = None) -> int:
    """An integer (bools excluded) with ``low <= value`` (and ``<= high`` when given)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        upper = f" and <= {high}" if high is not None else ""
        raise ValueError(f"{name} must be >= {low}{upper}, got {value}")
    return value


def boolean(name: str, value) -> np.ndarray:
    """A bool or an array of bools (numbers are not accepted as truth values)."""
    arr = np.asarray(value)
    if arr.dtype != bool:
        raise ValueError(f"{name} must be a bool or bool array, got {value!r}")
    return arr


def one_of(name: str, value, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value
