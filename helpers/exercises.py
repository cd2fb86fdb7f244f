r"""Self-checks for the notebooks' exercises: right or wrong and a hint, never the answer.

An :class:`Exercise` knows how to *compute* its answer with the library (a function, called when
the student checks, never a typed constant), how close an answer must be (:class:`Tolerance`),
and what to say when an answer is too small, too large, or matches a known mistake. A lesson
collects its exercises in an :class:`ExerciseSet`; the notebook calls ``check(key, answer)``,
which prints one line:

* ``None`` (the answer cell as shipped): "not answered yet";
* an answer within the tolerance: "right" and why it is right, in words;
* anything else: "not right" and a hint (a known mistake's own hint if the answer matches one,
  else whether it is too small or too large); the expected value is never printed.

A number is *within the tolerance* when :math:`|x - x^*| \le \max(\text{abs},
\text{rel}\cdot|x^*|)`; an integer answer must be exact (``integer=True``); a vector answer
(``vector=True``) is compared as a direction, up to sign, by the angle
:math:`\arccos |\hat x \cdot \hat x^*|` in degrees. Nonsense input (a string, a bool, a NaN,
a vector of the wrong length, a fraction where an integer is asked) raises ``TypeError`` or
``ValueError`` naming the exercise.

Example:
    >>> import numpy as np
    >>> ex = ExerciseSet([Exercise(
    ...     "sqrt2", lambda: float(np.sqrt(2.0)), Tolerance(rel=1e-3),
    ...     why="sqrt(2) squared is 2", too_low="its square is below 2",
    ...     too_high="its square is above 2")])
    >>> ex.check("sqrt2", None)
    sqrt2: not answered yet (put your answer in place of None)
    >>> ex.check("sqrt2", 1.4)
    sqrt2: not right (tolerance: within 0.1% of the answer): its square is below 2
    >>> ex.check("sqrt2", 2**0.5)
    sqrt2: right: sqrt(2) squared is 2
"""

from __future__ import annotations

import math
import numbers
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from helpers import _validate as check

__all__ = ["Exercise", "ExerciseSet", "Result", "Tolerance"]

NOT_ANSWERED = "not answered yet (put your answer in place of None)"
WIDTH = 96
"""Printed lines are wrapped at this width."""


@dataclass(frozen=True)
class Tolerance:
    """How close an answer must be: ``rel`` (relative) and ``abs`` (absolute, the larger of the
    two applies) for numbers, ``degrees`` for directions; an integer answer is exact."""

    rel: float = 0.0
    abs: float = 0.0
    degrees: float = 1.0

    def __post_init__(self) -> None:
        for name in ("rel", "abs", "degrees"):
            value = getattr(self, name)
            if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
                raise ValueError(f"tolerance {name} must be a finite number >= 0, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"tolerance {name} must be a finite number >= 0, got {value!r}")

    def describe(self, integer: bool, vector: bool) -> str:
        """The tolerance in words, e.g. "within 1% of the answer"."""
        integer = check.flag("integer", integer)
        vector = check.flag("vector", vector)
        if integer:
            return "exact"
        if vector:
            unit = "degree" if self.degrees == 1 else "degrees"
            return f"within {self.degrees:g} {unit}, either sign"
        parts = []
        if self.rel:
            parts.append(f"{100 * self.rel:g}% of the answer")
        if self.abs:
            parts.append(f"{self.abs:g}")
        return "within " + " or ".join(parts) if parts else "exact"


@dataclass(frozen=True)
class Result:
    """The outcome of one check: ``status`` is "right", "wrong" or "unanswered"."""

    key: str
    status: str
    message: str

    def __post_init__(self) -> None:
        check.text("key", self.key)
        check.one_of("status", self.status, ("right", "wrong", "unanswered"))
        check.text("message", self.message)

    @property
    def correct(self) -> bool:
        return self.status == "right"

    def __str__(self) -> str:
        """``key: message``, wrapped at :data:`WIDTH` characters (stored lines stay short)."""
        return textwrap.fill(f"{self.key}: {self.message}", WIDTH, subsequent_indent="  ")


@dataclass(frozen=True)
class Exercise:
    """One exercise's check.

    Args:
        key: the name the notebook passes to ``check``.
        answer: a function of no arguments computing the answer with the library (a float, an
            int, or a 1-D vector); called at every check, so it must be cheap.
        tolerance: how close an answer must be (ignored for ``integer``).
        why: said with "right", one clause of why (it must not contain the answer).
        too_low, too_high: hints for numbers below / above the tolerance band.
        hint: the hint for a wrong direction (``vector``) or when no other hint applies.
        mistakes: pairs ``(function, hint)``: a known wrong answer computed with the library
            and its own hint, given when the answer is within the tolerance of it.
        integer: the answer is an integer and must be exact.
        vector: the answer is a direction, compared up to sign and length (at any scale:
            both vectors are divided by their largest entry before the angle is taken).
        fraction: the answer is a fraction in [0, 1]; a number outside is an error that says
            so ("not a percentage"), not a wrong answer.

    A number may be given as a Python or numpy scalar or as a real array holding one number
    (a 0-d array, or a size-1 array such as ``x[-1]`` of a ``(T, 1)`` history).
    """

    key: str
    answer: Callable[[], float | int | np.ndarray]
    tolerance: Tolerance = field(default_factory=lambda: Tolerance(rel=1e-2))
    why: str = ""
    too_low: str = "too small"
    too_high: str = "too large"
    hint: str = ""
    mistakes: Sequence[tuple[Callable[[], float | int | np.ndarray], str]] = ()
    integer: bool = False
    vector: bool = False
    fraction: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise ValueError(f"key must be a non-empty string, got {self.key!r}")
        if not callable(self.answer):
            raise TypeError(f"{self.key}: answer must be a function computing the answer")
        check.instance("tolerance", self.tolerance, Tolerance, "a Tolerance")
        for name in ("why", "too_low", "too_high", "hint"):
            check.text(name, getattr(self, name))
        for item in check.sequence("mistakes", self.mistakes, "(function, hint) pairs"):
            if not (
                isinstance(item, tuple | list)
                and len(item) == 2
                and callable(item[0])
                and isinstance(item[1], str)
            ):
                raise TypeError(
                    f"mistakes must be a sequence of (function, hint) pairs, got {item!r}"
                )
        check.flag("integer", self.integer)
        check.flag("vector", self.vector)
        check.flag("fraction", self.fraction)
        if self.integer and self.vector:
            raise ValueError(f"{self.key}: an answer is an integer or a vector, not both")

    # -- parsing the student's answer ------------------------------------------------------
    def _number(self, value) -> float:
        if isinstance(value, np.ndarray) and value.size == 1 and value.ndim <= 2:
            if value.dtype.kind in "iuf":  # a real array holding one number
                value = value.reshape(()).item()
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"{self.key}: the answer must be a number (int or float), "
                f"got {type(value).__name__} {value!r}"
            )
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"{self.key}: the answer must be finite, got {x}")
        if self.integer and x != round(x):
            raise ValueError(f"{self.key}: the answer must be a whole number, got {x}")
        if self.fraction and not 0 <= x <= 1:
            raise ValueError(
                f"{self.key}: the answer must be a fraction in [0, 1] (not a percentage), got {x}"
            )
        return x

    def _vector(self, value, size: int) -> np.ndarray:
        if isinstance(value, str | bytes) or not isinstance(value, Iterable | np.ndarray):
            raise TypeError(
                f"{self.key}: the answer must be a vector of {size} numbers, "
                f"got {type(value).__name__} {value!r}"
            )
        items = list(np.asarray(value, dtype=object).ravel())
        numbers_only = [self._number(v) for v in items]
        x = np.asarray(numbers_only, dtype=float)
        if x.size != size or np.asarray(value).ndim != 1:
            raise ValueError(f"{self.key}: the answer must be a 1-D vector of {size} numbers")
        if not np.any(x):
            raise ValueError(f"{self.key}: the zero vector has no direction")
        return x

    # -- comparing ---------------------------------------------------------------------------
    def _close(self, x, target) -> bool:
        if self.vector:
            t = np.asarray(target, dtype=float)
            if t.shape != np.shape(x):
                return False
            # Divided by the largest entry first: no underflow or overflow at any scale.
            x = np.asarray(x, dtype=float) / np.max(np.abs(x))
            if not np.any(t) or not np.isfinite(t).all():
                return False
            t = t / np.max(np.abs(t))
            cos = abs(float(x @ t)) / (np.linalg.norm(x) * np.linalg.norm(t))
            return math.degrees(math.acos(min(cos, 1.0))) <= self.tolerance.degrees
        target = float(target)
        if self.integer:
            return x == target
        band = max(self.tolerance.abs, self.tolerance.rel * abs(target))
        return abs(x - target) <= band

    def evaluate(self, answer) -> Result:
        """Check ``answer`` against the computed answer: a :class:`Result`, nothing printed."""
        value = answer
        if value is None:
            return Result(self.key, "unanswered", NOT_ANSWERED)
        expected = self.answer()
        if self.vector:
            expected = np.asarray(expected, dtype=float).ravel()
            x = self._vector(value, expected.size)
        else:
            x = self._number(value)
        if self._close(x, expected):
            return Result(self.key, "right", "right" + (f": {self.why}" if self.why else ""))
        needed = self.tolerance.describe(self.integer, self.vector)
        for mistake, hint in self.mistakes:
            if self._close(x, mistake()):
                return Result(self.key, "wrong", f"not right (tolerance: {needed}): {hint}")
        if self.vector:
            advice = self.hint or "that is not the direction asked for"
        else:
            advice = self.too_low if x < float(expected) else self.too_high
            if self.hint:
                advice = f"{advice}; {self.hint}"
        return Result(self.key, "wrong", f"not right (tolerance: {needed}): {advice}")


class ExerciseSet:
    """A lesson's exercises by key; :meth:`check` is what its notebook calls.

    Args:
        exercises: the exercises, with distinct keys.
    """

    def __init__(self, exercises: Iterable[Exercise]) -> None:
        self._by_key: dict[str, Exercise] = {}
        if isinstance(exercises, str | bytes | Mapping) or not isinstance(exercises, Iterable):
            raise TypeError(f"exercises must be a sequence of Exercise objects, got {exercises!r}")
        for exercise in exercises:
            if not isinstance(exercise, Exercise):
                raise TypeError(
                    f"exercises must be Exercise objects, got {type(exercise).__name__}"
                )
            if exercise.key in self._by_key:
                raise ValueError(
                    f"exercises must have distinct keys: two share the key {exercise.key!r}"
                )
            self._by_key[exercise.key] = exercise

    @property
    def keys(self) -> list[str]:
        return list(self._by_key)

    def __getitem__(self, key: str) -> Exercise:
        if key not in self._by_key:
            raise KeyError(f"no exercise {key!r}; the exercises are {', '.join(self._by_key)}")
        return self._by_key[key]

    def evaluate(self, key: str, answer) -> Result:
        """The :class:`Result` of checking ``answer`` for exercise ``key`` (nothing printed)."""
        if not isinstance(key, str):
            raise TypeError(f"key must be a string naming an exercise, got {key!r}")
        if key not in self._by_key:
            raise ValueError(
                f"key must be one of {', '.join(map(repr, self._by_key))}: no exercise {key!r}"
            )
        return self[key].evaluate(answer)

    def check(self, key: str, answer) -> None:
        """Print whether ``answer`` is right for exercise ``key``, with a hint if not."""
        print(self.evaluate(key, answer))
