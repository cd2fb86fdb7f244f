"""The sampling lesson's exercise checks (helpers.lessons.sampling.exercises): right answers accepted,
wrong ones rejected with a hint, the answer never printed, nonsense input refused."""

from helpers.lessons.sampling import exercises
from tests.exercise_checks import check_exercise_set


def test_the_exercise_checks_accept_the_answer_reject_others_and_never_print_it(capsys):
    check_exercise_set(exercises.EXERCISES, capsys)


def test_the_docstring_example_runs():
    import doctest

    assert doctest.testmod(exercises).failed == 0
