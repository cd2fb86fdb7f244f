"""The sampling lesson's exercise checks (helpers.lessons.sampling.exercises): right answers accepted,
wrong ones rejected with a hint, the answer never printed, nonsense input refused."""

import numpy as np

from helpers.lessons.sampling import exercises
from helpers.lessons.sampling.explorer import sorted_problem
from helpers.sampling import batch_indices
from tests.exercise_checks import check_exercise_set


def test_the_exercise_checks_accept_the_answer_reject_others_and_never_print_it(capsys):
    check_exercise_set(exercises.EXERCISES, capsys)


def test_the_docstring_example_runs():
    import doctest

    assert doctest.testmod(exercises).failed == 0


def test_unseen_three_epochs_against_exact_fractions():
    from fractions import Fraction

    exact = (1 - Fraction(1, exercises.N_UNSEEN)) ** (exercises.EPOCHS * exercises.N_UNSEEN)
    assert abs(exercises.unseen_after_epochs() - float(exact)) < 1e-15
    # the large-n limit e^-3 (what a student may copy) is rejected at n = 10
    assert not exercises.EXERCISES.evaluate("unseen-three-epochs", float(np.exp(-3))).correct


def test_epochs_to_see_all_against_a_harmonic_loop():
    h = sum(1 / k for k in range(1, exercises.N_COUPON + 1))
    assert abs(exercises.epochs_to_see_all() - h) < 1e-12
    # ln n + Euler's gamma is a reasonable way and passes; ln n alone does not
    n = exercises.N_COUPON
    assert exercises.EXERCISES.evaluate("epochs-to-see-all", np.log(n) + np.euler_gamma).correct
    assert not exercises.EXERCISES.evaluate("epochs-to-see-all", float(np.log(n))).correct


def test_half_variance_b_against_a_loop():
    n = exercises.N_BATCH
    assert exercises.half_variance_b() == min(b for b in range(1, n + 1) if 2 * (n - b) <= n - 1)


def _floor_by_hand(lr: float, scheme: str) -> float:
    """Plain SGD, one sample per step, on the exercise's problem: own gradient, own f*, the
    schedules of helpers.sampling.batch_indices; mean of f - f* at the ends of epochs 31-40."""
    problem = sorted_problem(exercises.N_FLOOR)
    X, y, l2 = problem.X, problem.y, problem.l2
    n, d = X.shape
    w_star = np.linalg.solve(X.T @ X / n + l2 * np.eye(d), X.T @ y / n)

    def f(w):
        return 0.5 * np.mean((X @ w - y) ** 2) + 0.5 * l2 * w @ w

    floors = []
    for seed in range(8):
        idx = batch_indices(n, 1, 40 * n, scheme, seed)[:, 0]
        w, ends = np.zeros(d), []
        for t, i in enumerate(idx):
            w = w - lr * ((X[i] @ w - y[i]) * X[i] + l2 * w)
            if (t + 1) % n == 0:
                ends.append(f(w) - f(w_star))
        floors.append(np.mean(ends[30:]))
    return float(np.mean(floors))


def test_floor_ratio_against_a_plain_sgd_loop():
    """The expected value (shuffle once's floor ratio) and the with-replacement ratio it must
    not be confused with, recomputed by a plain loop; and the O(step) answer 2 is rejected."""
    ratios = exercises.floor_ratios()
    for scheme in ("shuffle_once", "with_replacement"):
        by_hand = _floor_by_hand(0.1, scheme) / _floor_by_hand(0.05, scheme)
        assert abs(ratios[scheme] - by_hand) < 1e-6 * by_hand, (scheme, ratios[scheme], by_hand)
    assert not exercises.EXERCISES.evaluate("floor-ratio", 2.0).correct
    assert exercises.EXERCISES.evaluate("floor-ratio", 4.0).correct  # the theory's factor


def test_a_percentage_is_an_error_where_a_fraction_is_asked():
    import pytest

    for value in (13.53, 4.24, -0.1):
        with pytest.raises(ValueError, match="fraction in \\[0, 1\\]"):
            exercises.EXERCISES.evaluate("unseen-three-epochs", value)
