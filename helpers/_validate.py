"""Argument checks shared by every public helper.

Each check raises ``ValueError`` whose message starts with the parameter's name and states the
allowed range, e.g. ``"lr must be finite and > 0, got -1.0"``; the checks of object arguments
(:func:`objective`, :func:`optimizer`, :func:`function`, :func:`instance`, ...) raise
``TypeError`` naming the parameter and the expected type. Numbers are real numbers: strings,
bytes, bools, complex values and arbitrary objects are rejected, never converted
(``np.asarray("1", dtype=float)`` would give 1.0 and ``complex`` would lose its imaginary part).
"""

from __future__ import annotations

import numbers

import numpy as np


def _real_dtype(arr: np.ndarray) -> bool:
    """Whether ``arr`` holds real numbers (integers or floats; no bools, complex, strings)."""
    if arr.dtype.kind in "iuf":
        return True
    if arr.dtype.kind == "O":  # e.g. a list mixing Python ints and floats with other objects
        return all(
            isinstance(x, numbers.Real) and not isinstance(x, bool | np.bool_) for x in arr.flat
        )
    return False


def real_array(name: str, value) -> np.ndarray:
    """``value`` as a float array if it holds real numbers only (NaN and inf allowed).

    Rejects strings, bytes, None, bools, complex values, ragged lists and other objects.

    >>> real_array("x", [1, 2.5])
    array([1. , 2.5])
    >>> real_array("x", 1 + 2j)
    Traceback (most recent call last):
    ...
    ValueError: x must be a real number or array of real numbers, got (1+2j)
    """
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(float, copy=False)  # the fast path of every loop
    try:
        raw = np.asarray(value)
        ok = _real_dtype(raw)
        arr = raw.astype(float) if ok else None
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok:
        raise ValueError(
            f"{name} must be a real number or array of real numbers, got {_short(value)}"
        )
    return arr


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def as_finite_array(name: str, value, *, ndim: tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a float array with only finite entries (and one of the allowed ``ndim``)."""
    arr = real_array(name, value)
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


def seeds(name: str, value, *, distinct: bool = True) -> tuple[int, ...]:
    """A non-empty sequence of integer seeds >= 0 (a list, tuple, range or 1-D integer array;
    bools and strings excluded), distinct unless ``distinct=False``, as a tuple of ints.

    >>> seeds("seeds", range(3))
    (0, 1, 2)
    """
    if isinstance(value, str | bytes | dict) or not hasattr(value, "__len__"):
        raise TypeError(f"{name} must be a sequence of integer seeds >= 0, got {value!r:.80}")
    out = tuple(integer(name, s, low=0) for s in value)
    if not out or (distinct and len(set(out)) != len(out)):
        kind = "distinct integer seeds" if distinct else "integer seeds"
        raise ValueError(f"{name} must be a non-empty sequence of {kind} >= 0, got {value!r:.80}")
    return out


def results(name: str, value, *, ndim: tuple[int, ...] | None = None) -> np.ndarray:
    """A non-empty float array of measured results (losses, accuracies) whose entries are finite
    or NaN (NaN marks a diverged run; inf is rejected), with one of the allowed ``ndim``.

    >>> results("loss", [[1.0, float("nan")]], ndim=(2,))
    array([[ 1., nan]])
    """
    arr = real_array(name, value)
    if ndim is not None and arr.ndim not in ndim:
        allowed = " or ".join(str(n) for n in ndim)
        raise ValueError(f"{name} must have {allowed} dimensions, got shape {arr.shape}")
    if arr.size == 0 or np.any(np.isinf(arr)):
        raise ValueError(f"{name} must be non-empty, each entry finite or NaN, got {_short(value)}")
    return arr


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
    """A non-empty integer or integer array (bools excluded) with every entry >= ``low``."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        arr = np.asarray(None)
    if (
        arr.dtype == bool
        or not np.issubdtype(arr.dtype, np.integer)
        or arr.size == 0
        or np.any(arr < low)
    ):
        raise ValueError(
            f"{name} must be an integer >= {low} (or a non-empty integer array), got {_short(value)}"
        )
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
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        arr = np.asarray(None)
    if arr.dtype != bool or arr.size == 0:
        raise ValueError(f"{name} must be a bool or bool array, got {value!r}")
    return arr


def one_of(name: str, value, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of the strings ``allowed``."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value


# --- single values of a type, and objects ---------------------------------------------------------


def flag(name: str, value) -> bool:
    """One bool (``True``/``False`` or a numpy bool); numbers are not truth values."""
    if not isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be True or False, got {_short(value)}")
    return bool(value)


def text(name: str, value) -> str:
    """A string (any string)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {_short(value)}")
    return value


def instance(name: str, value, types: type | tuple[type, ...], what: str):
    """``value`` if it is an instance of ``types``, else a TypeError naming ``what`` it must be.

    >>> instance("c", 3, str, "a string")
    Traceback (most recent call last):
    ...
    TypeError: c must be a string, got int 3
    """
    if not isinstance(value, types):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} {_short(value)}")
    return value


def function(name: str, value, *, optional: bool = False):
    """A callable (or None when ``optional``)."""
    if value is None and optional:
        return None
    if not callable(value):
        allowed = "a function or None" if optional else "a function"
        raise TypeError(f"{name} must be {allowed}, got {type(value).__name__} {_short(value)}")
    return value


def objective(name: str, value, *, needs: tuple[str, ...] = ("loss", "grad")):
    """An objective: an object with an integer ``d`` and the callable methods ``needs``
    (see :mod:`helpers.problems`)."""
    d = getattr(value, "d", None)
    if (
        isinstance(d, bool)
        or not isinstance(d, numbers.Integral)
        or not all(callable(getattr(value, m, None)) for m in needs)
    ):
        methods = ", ".join(needs)
        raise TypeError(
            f"{name} must be a problem with d and {methods} (see helpers.problems), got "
            f"{type(value).__name__}"
        )
    return value


def optimizer(name: str, value):
    """An optimizer: a pair with callable ``init`` and ``step`` (see :mod:`helpers.optim`)."""
    if not (callable(getattr(value, "init", None)) and callable(getattr(value, "step", None))):
        raise TypeError(
            f"{name} must be an Optimizer (init, step) such as helpers.optim.sgd(...), got "
            f"{type(value).__name__}"
        )
    return value


def axes(name: str, value):
    """A matplotlib Axes."""
    from matplotlib.axes import Axes

    return instance(name, value, Axes, "a matplotlib Axes")


def figure(name: str, value):
    """A matplotlib Figure."""
    from matplotlib.figure import Figure

    return instance(name, value, Figure, "a matplotlib Figure")


def interval(name: str, value) -> tuple[float, float]:
    """Axis limits: two finite real numbers ``(low, high)`` with ``low < high``."""
    arr = as_finite_array(name, value, ndim=(1,))
    if arr.shape != (2,) or not arr[0] < arr[1]:
        raise ValueError(
            f"{name} must be two finite numbers (low, high), low < high, got {value!r}"
        )
    return float(arr[0]), float(arr[1])


def parameters(name: str, value, d: int, *, ndim: tuple[int, ...] | None = (1, 2)) -> np.ndarray:
    """Parameter vectors of length ``d``: shape ``(d,)`` or ``(C, d)`` (any ``ndim`` >= 1 when
    ``ndim`` is None), real numbers.

    NaN and inf are allowed: a problem evaluated at a diverged iterate returns a non-finite loss,
    which is how the training loops detect divergence (:func:`points` is the finite version).
    """
    arr = real_array(name, value)
    if arr.ndim == 0 or (ndim is not None and arr.ndim not in ndim) or arr.shape[-1] != d:
        shapes = f"({d},) or (C, {d})" if ndim == (1, 2) else f"(..., {d})"
        raise ValueError(f"{name} must have shape {shapes}, got {arr.shape}")
    return arr


def indices(name: str, value, n: int, *, ndim: tuple[int, ...] | None = (1,)) -> np.ndarray:
    """A non-empty integer array (bools excluded) of row numbers in ``[0, n - 1]`` with one of
    the allowed ``ndim`` (any ``ndim`` >= 1 when None)."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        arr = np.asarray(None)
    bad_ndim = arr.ndim == 0 or (ndim is not None and arr.ndim not in ndim)
    if not np.issubdtype(arr.dtype, np.integer) or arr.size == 0 or bad_ndim:
        shape = "" if ndim is None else " or ".join(f"{k}-D" for k in ndim) + " "
        raise ValueError(f"{name} must be a non-empty {shape}integer array, got {_short(value)}")
    if arr.min() < 0 or arr.max() >= n:
        raise ValueError(f"{name} must hold row numbers in [0, {n - 1}], got {_short(value)}")
    return arr


def real(name: str, value) -> float:
    """One real number, NaN and inf allowed (a value to display or compare, not a parameter)."""
    arr = real_array(name, value)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single real number, got {_short(value)}")
    return float(arr)


def sequence(name: str, value, what: str) -> list:
    """The items of a list, tuple, range or 1-D array (not a string, bytes, dict or set)."""
    if not isinstance(value, list | tuple | range | np.ndarray) or (
        isinstance(value, np.ndarray) and value.ndim != 1
    ):
        raise TypeError(f"{name} must be a sequence of {what}, got {_short(value)}")
    return list(value)


def texts(name: str, value) -> tuple[str, ...]:
    """A sequence of strings, as a tuple."""
    items = sequence(name, value, "strings")
    if not all(isinstance(item, str) for item in items):
        raise TypeError(f"{name} must be a sequence of strings, got {_short(value)}")
    return tuple(items)
