"""helpers.exercises: the shared check machinery (tolerances, hints, errors, no leaks)."""

import numpy as np
import pytest

from helpers.exercises import Exercise, ExerciseSet, Tolerance
from tests.exercise_checks import check_exercise_set, leaks


def _set():
    return ExerciseSet(
        [
            Exercise(
                "number",
                lambda: float(np.sqrt(2.0)),
                Tolerance(rel=1e-3),
                why="its square is 2",
                too_low="its square is below 2",
                too_high="its square is above 2",
                mistakes=[(lambda: 2.0, "that is the square, not the root")],
            ),
            Exercise(
                "count",
                lambda: 7,
                integer=True,
                too_low="count again: more",
                too_high="count again: fewer",
            ),
            Exercise(
                "direction",
                lambda: np.array([3.0, 4.0]),
                Tolerance(degrees=2.0),
                vector=True,
                hint="not that way",
            ),
        ]
    )


def test_the_machinery_passes_the_shared_lesson_checks(capsys):
    check_exercise_set(_set(), capsys)


def test_tolerances_signs_and_directions():
    ex = _set()
    assert ex.evaluate("number", 1.4142).correct
    assert ex.evaluate("number", 1.4142 * 1.0009).correct
    assert not ex.evaluate("number", 1.4142 * 1.002).correct
    assert "below 2" in ex.evaluate("number", 1.3).message
    assert "above 2" in ex.evaluate("number", 1.5).message
    assert "the square" in ex.evaluate("number", 2.0).message  # a known mistake's own hint
    assert ex.evaluate("count", 7).correct and ex.evaluate("count", np.int64(7)).correct
    assert ex.evaluate("count", 7.0).correct
    assert not ex.evaluate("count", 8).correct
    assert ex.evaluate("direction", [-0.6, -0.8]).correct  # either sign, any length
    assert ex.evaluate("direction", (30.0, 40.5)).correct  # 0.4 degrees off
    assert not ex.evaluate("direction", [0.6, 0.9]).correct  # 3.7 degrees off
    assert "not that way" in ex.evaluate("direction", [1.0, 0.0]).message


def test_absolute_tolerance_for_an_answer_of_zero():
    ex = ExerciseSet([Exercise("zero", lambda: 0.0, Tolerance(abs=1e-3))])
    assert ex.evaluate("zero", 5e-4).correct and not ex.evaluate("zero", 2e-3).correct
    assert "within 0.001" in ex.evaluate("zero", 2e-3).message


@pytest.mark.parametrize(
    ("key", "value", "error"),
    [
        ("number", "1.41", TypeError),
        ("number", True, TypeError),
        ("number", [1.41], TypeError),
        ("number", float("inf"), ValueError),
        ("count", 7.5, ValueError),
        ("direction", "up", TypeError),
        ("direction", [1.0, 2.0, 3.0], ValueError),
        ("direction", [[1.0, 2.0]], ValueError),
        ("direction", [0.0, 0.0], ValueError),
        ("direction", [1.0, "a"], TypeError),
    ],
)
def test_nonsense_answers_raise_naming_the_exercise(key, value, error):
    with pytest.raises(error, match=key):
        _set().evaluate(key, value)


def test_check_prints_one_wrapped_line_per_check_and_returns_nothing(capsys):
    ex = ExerciseSet([Exercise("long", lambda: 1.0, too_low="word " * 40)])
    assert ex.check("long", 0.0) is None
    out = capsys.readouterr().out.splitlines()
    assert len(out) > 1 and all(len(line) <= 100 for line in out)
    assert out[0].startswith("long: not right") and out[1].startswith("  ")


def test_bad_definitions_are_refused():
    with pytest.raises(ValueError, match="key"):
        Exercise("", lambda: 1.0)
    with pytest.raises(TypeError, match="function"):
        Exercise("x", 1.0)
    with pytest.raises(ValueError, match="not both"):
        Exercise("x", lambda: 1.0, integer=True, vector=True)
    with pytest.raises(ValueError, match="share the key"):
        ExerciseSet([Exercise("x", lambda: 1.0), Exercise("x", lambda: 2.0)])
    with pytest.raises(ValueError, match="rel"):
        Tolerance(rel=-1.0)
    with pytest.raises(TypeError, match="key must be a string"):
        _set().evaluate(3, 1.0)


def test_the_leak_detector_finds_a_printed_answer():
    assert leaks("the answer is 0.5189, see", 0.518855)
    assert leaks("k = 19 is it", 19) and not leaks("k = 190", 19)
    assert not leaks("within 1% of the answer", 0.5188)


def test_the_docstring_example_runs():
    import doctest

    from helpers import exercises

    assert doctest.testmod(exercises).failed == 0


def test_a_number_may_come_as_a_one_number_real_array():
    ex = _set()
    root = np.sqrt(2.0)
    for value in (np.array(root), np.array([root]), np.array([[root]]), np.float32(root)):
        assert ex.evaluate("number", value).correct, value
    assert ex.evaluate("count", np.array(7)).correct
    for value in (np.array([root, root]), np.array(True), np.array(1.41 + 0j)):
        with pytest.raises((TypeError, ValueError), match="number"):
            ex.evaluate("number", value)


@pytest.mark.parametrize("scale", [1e-300, 1e-170, 1.0, 1e170, 1e300])
def test_directions_are_compared_at_any_scale_without_warnings(scale):
    import warnings

    ex = _set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ex.evaluate("direction", scale * np.array([3.0, 4.0])).correct
        assert ex.evaluate("direction", -scale * np.array([3.0, 4.0])).correct
        assert not ex.evaluate("direction", scale * np.array([1.0, 0.0])).correct
        assert not ex.evaluate("direction", [scale, scale * 1e-30]).correct
    assert not ex.evaluate("direction", [1e-170, 1e-200]).correct  # along x, not (3, 4)


def test_a_fraction_outside_0_1_is_an_error_not_a_wrong_answer():
    ex = ExerciseSet([Exercise("share", lambda: 0.1353, fraction=True)])
    assert ex.evaluate("share", 0.1353).correct
    assert not ex.evaluate("share", 0.2).correct
    for percent in (13.53, -0.1, 1.5):
        with pytest.raises(ValueError, match="share: the answer must be a fraction in"):
            ex.evaluate("share", percent)


def test_an_unknown_key_is_a_value_error_naming_key():
    with pytest.raises(ValueError, match="key"):
        _set().evaluate("nope", 1.0)
