"""What every lesson's exercise checker must do, shared by tests/lessons/*/test_exercises.py:
accept its own computed answer, reject wrong answers with a hint, never print the answer, say
"not answered yet" for None and raise TypeError / ValueError for nonsense input."""

from __future__ import annotations

import re

import numpy as np
import pytest

from helpers.exercises import ExerciseSet


def renderings(value) -> set[str]:
    """Ways a printed message could give ``value`` away: the number at 2 to 6 significant
    digits, 1 to 4 decimals and in per cent; an integer as itself."""
    if isinstance(value, np.ndarray):
        return set()
    if isinstance(value, int | np.integer):
        return {str(int(value))}
    v = float(value)
    found = {f"{v:.{d}g}" for d in range(2, 7)} | {f"{v:.{d}f}" for d in range(1, 5)}
    found |= {f"{100 * v:.{d}f}%" for d in range(0, 3)} | {repr(v)}
    return {s for s in found if s.strip("0.-")}  # "0.0" gives nothing away


def leaks(message: str, value) -> list[str]:
    return [
        s for s in renderings(value) if re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", message)
    ]


def wrong_answers(exercise, expected) -> list:
    """Answers outside the tolerance band: off by a factor, far off, off by one."""
    if exercise.vector:
        e = np.asarray(expected, dtype=float)
        other = np.roll(e, 1) if not np.allclose(np.abs(np.roll(e, 1)), np.abs(e)) else None
        perpendicular = np.array([-e[1], e[0], *e[2:]]) if e.size >= 2 else None
        return [v for v in (other, perpendicular, e + 0.5 * np.linalg.norm(e)) if v is not None]
    if exercise.integer:
        return [int(expected) - 1, int(expected) + 1, 2 * int(expected) + 3]
    tol = max(exercise.tolerance.rel, 1e-6)
    x = float(expected)
    wrong = [x * (1 + 3 * tol) + 1e-9, x * (1 - 3 * tol) - 1e-9, 10 * x + 1, -x - 1]
    if getattr(exercise, "fraction", False):  # outside [0, 1] is an error there, not a hint
        band = max(tol * abs(x), exercise.tolerance.abs)
        candidates = [*wrong, min(1.0, 10 * x), x / 10, x / 2, (1 + x) / 2]
        wrong = [v for v in candidates if 0 <= v <= 1 and abs(v - x) > band]
    return wrong


def check_exercise_set(exercises: ExerciseSet, capsys) -> None:
    assert 3 <= len(exercises.keys) <= 5, exercises.keys
    for key in exercises.keys:
        exercise = exercises[key]
        expected = exercise.answer()
        expected_again = exercise.answer()
        np.testing.assert_array_equal(expected, expected_again)  # deterministic

        right = exercises.evaluate(key, expected)
        assert right.correct and str(right).startswith(f"{key}: right"), str(right)
        assert not leaks(str(right), expected), (key, leaks(str(right), expected))
        exercises.check(key, expected)
        assert capsys.readouterr().out.startswith(f"{key}: right")

        for wrong in wrong_answers(exercise, expected):
            result = exercises.evaluate(key, wrong)
            assert result.status == "wrong", (key, wrong, str(result))
            text = str(result)
            assert text.startswith(f"{key}: not right (tolerance: ")
            assert len(text.split("):", 1)[1].strip()) > 10, f"{key}: no hint in {text!r}"
            assert not leaks(text, expected), (key, wrong, leaks(text, expected))
            assert all(len(line) <= 100 for line in text.splitlines())

        for mistake, hint in exercise.mistakes:
            result = exercises.evaluate(key, mistake())
            assert result.status == "wrong" and hint in result.message, (key, str(result))
            assert not leaks(str(result), expected)

        unanswered = exercises.evaluate(key, None)
        assert unanswered.status == "unanswered" and "not answered yet" in str(unanswered)

        nonsense = ["0.5", True, {"a": 1}] + ([] if exercise.vector else [[1.0, 2.0], float("nan")])
        for value in nonsense:
            with pytest.raises((TypeError, ValueError), match=key):
                exercises.evaluate(key, value)
        if exercise.vector:
            with pytest.raises(ValueError, match=key):
                exercises.evaluate(key, np.zeros(np.size(expected) + 1))
        if exercise.integer:
            with pytest.raises(ValueError, match="whole number"):
                exercises.evaluate(key, int(expected) + 0.5)
    with pytest.raises(ValueError, match=r"key must be one of .*: no exercise"):
        exercises.evaluate("no such exercise", 1.0)
